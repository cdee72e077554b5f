import { describe, expect, it } from 'vitest';
import type { ReplyExtract } from '../../assistant/replies/replyCitations.js';
import { estimateTokens } from '../../assistant/text/tokenEstimate.js';
import {
  buildReplyPrompt,
  REPLY_SYSTEM_PROMPT,
  type ReplyPromptExample,
  type ReplyPromptInput,
} from '../../assistant/replies/replyPrompt.js';

const examples: ReplyPromptExample[] = [1, 2].map((i) => ({
  id: `r-${i}`,
  institution: 'CAF de la Gironde',
  testimony: `Exemple de témoignage ${i} sur un retard de versement.`,
  reply: `Bonjour, merci pour votre témoignage ${i}. ${'Nous comprenons votre attente. '.repeat(25)}Le service CAF de la Gironde`,
}));
const extracts: ReplyExtract[] = [1, 2, 3, 4].map((n) => ({
  n,
  ficheId: `F${n}`,
  title: `Fiche ${n}`,
  url: `https://www.service-public.fr/particuliers/vosdroits/F${n}`,
  date: '2026-01-01',
  text: `Passage ${n}. ${'La prime est versée chaque mois par la caisse. '.repeat(10)}`,
}));
const input: ReplyPromptInput = {
  testimony: "Pourquoi ma prime d'activité n'est-elle pas versée ? <script>alert('x')</script>",
  institution: 'CAF de la Gironde',
  tone: 'chaleureux',
  examples,
  extracts,
};
const tokensOf = (prompt: ReturnType<typeof buildReplyPrompt>): number =>
  estimateTokens(prompt.request.system ?? '') + estimateTokens(prompt.request.messages.map((m) => m.text).join(''));

describe('buildReplyPrompt', () => {
  it('puts everything variable in the user message: the system prompt is identical across drafts', () => {
    const a = buildReplyPrompt(input);
    const b = buildReplyPrompt({ testimony: 'Accueil très désagréable.', institution: 'Préfecture du Nord', tone: 'formel', examples: [], extracts: [] });
    expect(a.request.system).toBe(REPLY_SYSTEM_PROMPT);
    expect(b.request.system).toBe(REPLY_SYSTEM_PROMPT);
    expect(REPLY_SYSTEM_PROMPT).not.toMatch(/Gironde|Préfecture/);
    expect(REPLY_SYSTEM_PROMPT).toMatch(/Services Publics\+/);
    expect(REPLY_SYSTEM_PROMPT).toMatch(/\[1\]/);
    expect(b.request.messages).toHaveLength(1);
    const user = b.request.messages[0]?.text ?? '';
    expect(user).toMatch(/Service : Préfecture du Nord/);
    expect(user).toMatch(/Signature : « Le service Préfecture du Nord »/);
    expect(user).toMatch(/Ton : formel/);
    expect(user).toMatch(/Aucun extrait de fiche/);
  });

  it('marks examples as examples, numbers the extracts and keeps the testimony as plain text', () => {
    const prompt = buildReplyPrompt(input, { promptBudget: 10_000 });
    const user = prompt.request.messages[0]?.text ?? '';
    expect(prompt.examplesUsed).toEqual(['r-1', 'r-2']);
    expect(prompt.extracts.map((e) => e.n)).toEqual([1, 2, 3, 4]);
    expect(user).toMatch(/--- Exemple 1 \(CAF de la Gironde\) : ne pas recopier ---/);
    expect(user).toMatch(/pour le style seulement/);
    expect(user).toMatch(/\[3\] Fiche 3 \(mise à jour : 2026-01-01\) — https:\/\/www\.service-public\.fr\/particuliers\/vosdroits\/F3/);
    expect(user).toContain("<<<\nPourquoi ma prime d'activité n'est-elle pas versée ? <script>alert('x')</script>\n>>>");
    expect(prompt.request.maxTokens).toBe(400);
  });

  it('drops examples first, then extracts, to stay within the budget', () => {
    const full = buildReplyPrompt(input, { promptBudget: 10_000 });
    const oneExample = buildReplyPrompt(input, { promptBudget: full.estimatedTokens - 50 });
    expect(oneExample.examplesUsed).toEqual(['r-1']);
    expect(oneExample.extracts).toHaveLength(4);

    const noExample = buildReplyPrompt(input, { promptBudget: 1_000 });
    expect(noExample.examplesUsed).toEqual([]);
    expect(noExample.extracts.length).toBeGreaterThan(0);
    expect(noExample.extracts.length).toBeLessThan(4);
    expect(noExample.extracts.map((e) => e.n)).toEqual([1, 2, 3].slice(0, noExample.extracts.length));
    expect(noExample.estimatedTokens).toBeLessThanOrEqual(1_000);
    expect(tokensOf(noExample)).toBe(noExample.estimatedTokens);

    const bare = buildReplyPrompt(input, { promptBudget: 600 });
    expect(bare.examplesUsed).toEqual([]);
    expect(bare.extracts).toEqual([]);
    expect(bare.request.system).toBe(REPLY_SYSTEM_PROMPT);
  });

  it('uses the default budget of 1,800 tokens', () => {
    const prompt = buildReplyPrompt(input);
    expect(prompt.estimatedTokens).toBeLessThanOrEqual(1_800);
    expect(prompt.examplesUsed.length).toBeLessThan(2);
  });

  it('cuts a long testimony to about 3,000 characters, then further only as the budget requires', () => {
    const long = `${'Le dossier de ma mère est bloqué depuis des mois. '.repeat(4_000)}FIN`;
    const prompt = buildReplyPrompt({ ...input, testimony: long, examples: [], extracts: [] }, { promptBudget: 5_000 });
    const user = prompt.request.messages[0]?.text ?? '';
    expect(prompt.testimonyTrimmed).toBe(true);
    expect(user).not.toContain('FIN');
    expect(user).toContain('[…]');
    const testimony = user.slice(user.indexOf('<<<'), user.indexOf('>>>'));
    expect(testimony.length).toBeLessThanOrEqual(3_010);
    expect(testimony.length).toBeGreaterThan(2_900);

    const tight = buildReplyPrompt({ ...input, testimony: long, examples: [], extracts: [] }, { promptBudget: 1_000 });
    expect(tight.estimatedTokens).toBeLessThanOrEqual(1_000);
    expect(buildReplyPrompt({ ...input, testimony: 'Court.' }).testimonyTrimmed).toBe(false);
  });

  it('estimates tokens as characters / 3.2', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('x'.repeat(32))).toBe(10);
    expect(estimateTokens('x'.repeat(33))).toBe(11);
  });
});
