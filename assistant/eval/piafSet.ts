import { z } from 'zod';
import { AssistantError } from '../assistantError.js';
import type { EvalQuestion } from './questionSet.js';

/** The SQuAD shape of Etalab's PIAF files: `data[].title` is the fiche id, each `qas` a question with answer spans. */
const piafSchema = z.object({
  data: z.array(
    z.object({
      title: z.string().min(1),
      paragraphs: z.array(
        z.object({ qas: z.array(z.object({ id: z.string().optional(), question: z.string().min(1), answers: z.array(z.object({ text: z.string() })).optional() })).optional() }),
      ),
    }),
  ),
});

/** Amounts, durations and shares in an answer span: what fact matching can check (a whole span never matches). */
const FACT = /\b\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?\s*(?:€|euros?|%|jours?|semaines?|mois|ans?|années?|heures?|ans)(?![\p{L}])/giu;

/** The expected facts of a PIAF answer span, each once, as written. */
export function factsOfSpan(span: string): string[] {
  return [...new Set([...span.matchAll(FACT)].map((match) => match[0].replace(/\s+/gu, ' ').trim()))];
}

/**
 * Converts a PIAF / SQuAD file into Guichet's question-set format: one question per `qas`, the article's title as
 * its gold fiche, the amounts and durations of its answer spans as expected facts.
 * @throws AssistantError `eval-set-invalid` when the file is not in that shape.
 */
export function piafToEvalSet(json: unknown, options: { name: string; description: string; kind: string }): { name: string; description: string; questions: EvalQuestion[] } {
  const parsed = piafSchema.safeParse(json);
  if (!parsed.success) throw new AssistantError('eval-set-invalid', "Ce fichier n'est pas un jeu PIAF (SQuAD : data[].title, paragraphs[].qas[]).", { cause: parsed.error });
  const questions: EvalQuestion[] = [];
  for (const article of parsed.data.data) {
    for (const paragraph of article.paragraphs) {
      for (const [index, qa] of (paragraph.qas ?? []).entries()) {
        const facts = [...new Set((qa.answers ?? []).flatMap((answer) => factsOfSpan(answer.text)))];
        questions.push({
          id: qa.id ?? `${article.title}-${index + 1}`,
          question: qa.question.trim(),
          gold: [article.title],
          kind: options.kind,
          ...(facts.length ? { facts } : {}),
        });
      }
    }
  }
  return { name: options.name, description: options.description, questions };
}
