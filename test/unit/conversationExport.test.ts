import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../assistant/history/conversationStore.js';
import { maskPii } from '../../assistant/privacy/piiRedactor.js';

const maskEmails = (text: string): string => text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[COURRIEL]');

let dataDir: string;
let store: ConversationStore;
let id: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-export-'));
  let clock = Date.parse('2026-11-21T09:15:00.000Z');
  store = new ConversationStore({ dataDir, redact: maskEmails, now: () => new Date((clock += 60_000)) });
  ({ id } = await store.create('Passeport perdu, que faire ?'));
  await store.append(id, { role: 'agent', text: 'Passeport perdu, que faire ? <script>alert(1)</script>' });
  await store.append(id, {
    role: 'assistant',
    text: 'Déclarez la perte [1], puis faites une demande [2].',
    citations: [{ n: 1, ficheId: 'F1344' }, { n: 2, ficheId: 'F21089' }],
    sources: [
      { ficheId: 'F1344', title: 'Perte ou vol de passeport', url: 'https://www.service-public.fr/particuliers/vosdroits/F1344', date: '2026-03-12' },
      { ficheId: 'F21089', title: 'Passeport [majeur]', url: 'javascript:alert(1)', date: '2025-12-01' },
    ],
  });
});

describe('conversation exports', () => {
  it('neutralises links a model wrote that are not http(s) or mailto, and keeps the others', async () => {
    const conversation = await store.create('Liens');
    await store.append(conversation.id, {
      role: 'assistant',
      text: 'Voir [ici](javascript:alert(1)), [la fiche](https://www.service-public.fr/x), [écrire](mailto:a@b.fr) et [données]( data:text/html,x).\n[ref]: file:///etc/passwd',
    });
    const markdown = await store.exportMarkdown(conversation.id, { timeZone: 'Europe/Paris' });
    expect(markdown).toContain('[ici]\\(javascript:alert(1))');
    expect(markdown).toContain('[données]\\( data:text/html,x)');
    expect(markdown).toContain('\\[ref]: file:///etc/passwd');
    expect(markdown).toContain('[la fiche](https://www.service-public.fr/x)');
    expect(markdown).toContain('[écrire](mailto:');
    expect(markdown).not.toMatch(/\]\((?:javascript|\s*data):/);
  });

  it('renders French Markdown with dated sources, the AI notice and the DILA attribution', async () => {
    const markdown = await store.exportMarkdown(id, { timeZone: 'Europe/Paris' });
    expect(markdown).toContain('# Passeport perdu, que faire ?');
    expect(markdown).toContain('Conversation du 21 novembre 2026 à 10:16');
    expect(markdown).toContain("## Question de l'agent (21 novembre 2026 à 10:17)");
    expect(markdown).toContain('## Brouillon de réponse (21 novembre 2026 à 10:18)');
    expect(markdown).toContain("Brouillon rédigé avec l'aide d'un outil d'IA");
    expect(markdown).toContain(
      '- [1] [Perte ou vol de passeport](<https://www.service-public.fr/particuliers/vosdroits/F1344>) (fiche F1344, mise à jour le 12 mars 2026)',
    );
    // A non-web link stays plain text; brackets in titles cannot open a link.
    expect(markdown).toContain('- [2] Passeport \\[majeur\\] (fiche F21089, mise à jour le 1 décembre 2025)');
    expect(markdown).not.toContain('](javascript:');
    expect(markdown).toContain('\\<script\\>');
    expect(markdown.trimEnd().endsWith('Source : service-public.fr (DILA)')).toBe(true);
    // The notice goes with drafts only.
    expect(markdown.match(/outil d'IA/g)).toHaveLength(1);
  });

  it('exports JSON that reads back as the stored conversation', async () => {
    const data = JSON.parse(await store.exportJson(id)) as {
      format: string;
      version: number;
      notice: string;
      conversation: { id: string; title: string };
      messages: { role: string; text: string; sources?: unknown[] }[];
    };
    expect(data).toMatchObject({ format: 'guichet-conversation', version: 1, conversation: { id, title: 'Passeport perdu, que faire ?' } });
    expect(data.notice).toContain("outil d'IA");
    expect(data.messages.map((m) => m.role)).toEqual(['agent', 'assistant']);
    expect(data.messages[1]?.sources).toHaveLength(2);
    expect(data.messages).toEqual((await store.get(id)).messages);
  });

  it('masks again at export: personal data that reached the file unmasked does not reach the export', async () => {
    // As if written by an older version whose masker missed this address.
    const file = join(dataDir, 'conversations', `${id}.jsonl`);
    const raw = await readFile(file, 'utf8');
    await writeFile(file, raw.replace('Déclarez la perte', 'Écrivez à paul.martin@example.fr'));
    expect((await store.get(id)).messages[1]?.text).toContain('paul.martin@example.fr');
    for (const exported of [await store.exportMarkdown(id), await store.exportJson(id)]) {
      expect(exported).not.toContain('paul.martin');
      expect(exported).toContain('[COURRIEL]');
    }
  });

  it('exports a conversation without sources without the attribution line', async () => {
    const { id: bare } = await store.create('Bonjour');
    await store.append(bare, { role: 'agent', text: 'Bonjour' });
    const markdown = await store.exportMarkdown(bare);
    expect(markdown).not.toContain('Source :');
    await expect(store.exportMarkdown('2026-11-21T10-15-00-000-zzzzzz')).rejects.toMatchObject({ code: 'conversation-not-found' });
  });
});

describe('export attribution', () => {
  it('names the other sites a draft relied on next to the DILA', async () => {
    const { id: mixed } = await store.create('Congés payés');
    await store.append(mixed, {
      role: 'assistant',
      text: 'Voir [1] et [2].',
      sources: [
        { ficheId: 'F2258', title: 'Congés payés', url: 'https://www.service-public.fr/particuliers/vosdroits/F2258', date: '2026-01-05' },
        { ficheId: 'conges-payes', title: 'Les congés payés', url: 'https://travail-emploi.gouv.fr/conges-payes', date: '' },
      ],
    });
    expect(await store.exportMarkdown(mixed)).toContain('Source : service-public.fr (DILA), travail-emploi.gouv.fr');
    expect(JSON.parse(await store.exportJson(mixed))).toMatchObject({ attribution: 'Source : service-public.fr (DILA), travail-emploi.gouv.fr' });
    expect(await store.exportMarkdown(mixed)).toContain('[Les congés payés](<https://travail-emploi.gouv.fr/conges-payes>) (fiche conges-payes)');
  });
});

describe('with the real masker (assistant/privacy)', () => {
  it('stores and exports no e-mail, phone number or NIR, and re-masking keeps the placeholders', async () => {
    const redact = (text: string): string => maskPii(text).text;
    const real = new ConversationStore({ dataDir, redact });
    const question = 'Mme Durand (claire.durand@example.fr, 06 12 34 56 78, NIR 2 84 12 75 123 456 78) a perdu son passeport.';
    const { id: masked, title } = await real.create(question);
    await real.append(masked, { role: 'agent', text: question });
    await real.append(masked, { role: 'assistant', text: 'Rappelez-la au 06 12 34 56 78 pour le rendez-vous.' });
    const secrets = ['claire.durand', '06 12 34 56 78', '123 456'];
    const stored = await readFile(join(dataDir, 'conversations', `${masked}.jsonl`), 'utf8');
    const exports = [await real.exportMarkdown(masked), await real.exportJson(masked)];
    for (const text of [title, stored, ...exports]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(stored).toContain('[E-MAIL]');
    const storedAnswer = (await real.get(masked)).messages[1]?.text ?? '';
    expect(storedAnswer).toContain('[TÉLÉPHONE]');
    expect(exports[0]).toContain(storedAnswer);
  });
});
