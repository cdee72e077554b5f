import { z } from 'zod';
import { AssistantError } from '../assistantError.js';
import { AUDIENCES, type Audience } from '../knowledge/knowledgeTypes.js';

/**
 * One question of an evaluation set (format documented in `docs/eval/README.md`): the fiche ids that answer it,
 * and optionally its kind, whether the fiches cannot answer it, and facts a right answer contains.
 */
export interface EvalQuestion {
  id: string;
  question: string;
  /** Fiche ids that answer it; empty for an out-of-scope question. */
  gold: string[];
  /** Free label to break figures down by: `paraphrase`, `acronym`, `typo`, `out-of-scope`… */
  kind?: string;
  /** The fiches do not answer it: a good draft says so. */
  outOfScope?: boolean;
  /** Amounts, deadlines, document names a right answer contains (« 17 € », « 2 semaines », « cerfa n°10071*14 »). */
  facts?: string[];
  /** Search this audience only. */
  audience?: Audience;
}

const questionSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    question: z.string().min(1),
    gold: z.array(z.string().min(1)).default([]),
    kind: z.string().min(1).max(60).optional(),
    outOfScope: z.boolean().optional(),
    facts: z.array(z.string().min(1)).optional(),
    audience: z.enum(AUDIENCES as [Audience, ...Audience[]]).optional(),
  })
  .refine((q) => q.outOfScope === true || q.gold.length > 0, { message: 'gold vide sans outOfScope' });

const nativeSet = z.union([z.array(questionSchema), z.object({ name: z.string().optional(), description: z.string().optional(), questions: z.array(questionSchema) })]);

const squadSet = z.object({
  data: z.array(z.object({ title: z.string(), paragraphs: z.array(z.object({ qas: z.array(z.object({ id: z.string().optional(), question: z.string() })).optional() })) })),
});

/**
 * Reads an evaluation set: Guichet's own (an array of questions, or `{ name, description, questions }`), or a PIAF /
 * SQuAD file whose `data[].title` is the gold fiche id (Etalab's `spf_qr_test.json` family).
 * @throws AssistantError `eval-set-invalid`, in French, saying what is expected.
 */
export function parseEvalSet(json: unknown, origin: string): EvalQuestion[] {
  const native = nativeSet.safeParse(json);
  if (native.success) return (Array.isArray(native.data) ? native.data : native.data.questions).map(withoutUndefined);
  const squad = squadSet.safeParse(json);
  if (squad.success) {
    return squad.data.data.flatMap((article) =>
      article.paragraphs.flatMap((paragraph) =>
        (paragraph.qas ?? []).map((qa, index) => ({ id: qa.id ?? `${article.title}-${index + 1}`, question: qa.question, gold: [article.title] })),
      ),
    );
  }
  throw new AssistantError(
    'eval-set-invalid',
    `${origin} n'est pas un jeu d'évaluation reconnu : attendu [{ "id", "question", "gold": ["F1234"] }] (voir docs/eval/README.md) ou un fichier PIAF (SQuAD).`,
    { cause: native.error },
  );
}

function withoutUndefined(question: z.output<typeof questionSchema>): EvalQuestion {
  return Object.fromEntries(Object.entries(question).filter(([, value]) => value !== undefined)) as unknown as EvalQuestion;
}
