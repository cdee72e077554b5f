import { describe, expect, it } from 'vitest';
import { PII_KINDS, PII_PLACEHOLDER_LABELS, maskPii, maskPiiDeep } from '../../assistant/privacy/piiRedactor.js';

/** NIR key computed independently: 97 − (number mod 97). */
function withKey(body: string): string {
  return `${body} ${String(97n - (BigInt(body.replace(/ /g, '')) % 97n)).padStart(2, '0')}`;
}

const NIR = withKey('1 85 05 78 006 084');

/** A question as an agent would type it, with one value of each kind. */
const QUESTION =
  `Bonjour, Mme Dupont, née le 3 mars 1985, NIR ${NIR}, tél. 06 12 34 56 78, e-mail marie.dupont@orange.fr, ` +
  "habite 12 rue de la Paix 75002 Paris. IBAN FR76 3000 6000 0112 3456 7890 189, n° allocataire 1234567, " +
  'numéro fiscal 3012345678901, carte 4111 1111 1111 1111. Quelles aides avant le 15 mars 2024 (article L. 1234-5) ?';

describe('maskPii', () => {
  it('replaces each kind with its French placeholder and keeps the rest of the sentence', () => {
    const { text, matches } = maskPii(QUESTION);
    expect(text).toBe(
      'Bonjour, Mme [NOM], née le [DATE DE NAISSANCE], NIR [NIR], tél. [TÉLÉPHONE], e-mail [E-MAIL], ' +
        'habite [ADRESSE]. IBAN [IBAN], n° allocataire [N° ALLOCATAIRE], numéro fiscal [N° FISCAL], ' +
        'carte [CARTE BANCAIRE]. Quelles aides avant le 15 mars 2024 (article L. 1234-5) ?',
    );
    expect(new Set(matches.map((match) => match.kind))).toEqual(new Set(PII_KINDS));
    expect(JSON.stringify(matches)).not.toContain('Dupont');
  });

  it('numbers distinct values of a kind and gives the same value the same placeholder', () => {
    const { text, matches } = maskPii(
      'M. Martin a appelé Mme Durand. M. MARTIN rappellera au 06 12 34 56 78 (ou +33 6 12 34 56 78, ou 01 23 45 67 89).',
    );
    expect(text).toBe('M. [NOM 1] a appelé Mme [NOM 2]. M. [NOM 1] rappellera au [TÉLÉPHONE 1] (ou [TÉLÉPHONE 1], ou [TÉLÉPHONE 2]).');
    expect(matches.map((match) => match.placeholder)).toEqual([
      '[NOM 1]',
      '[NOM 2]',
      '[NOM 1]',
      '[TÉLÉPHONE 1]',
      '[TÉLÉPHONE 1]',
      '[TÉLÉPHONE 2]',
    ]);
  });

  it('is idempotent: masking a masked text changes nothing', () => {
    const texts = [
      QUESTION,
      'M. Martin a appelé Mme Durand, puis Mme Petit ; DDN 03/05/85 ; 4 allée des Tilleuls 33000 Bordeaux ; CS 12345',
      `n° de sécurité sociale : 1 85 05 78 006 084 12 ; RIB : FR76 3000 6000 0112 3456 7890 188 ; SPI 0123456789012`,
    ];
    for (const original of texts) {
      const once = maskPii(original);
      const twice = maskPii(once.text);
      expect(twice.text).toBe(once.text);
      expect(twice.matches).toEqual([]);
    }
  });

  it('masks only the requested kinds', () => {
    expect(maskPii('Mme Dupont, 06 12 34 56 78', { kinds: ['telephone'] }).text).toBe('Mme Dupont, [TÉLÉPHONE]');
    expect(maskPii('Mme Dupont, 06 12 34 56 78', { kinds: [] }).text).toBe('Mme Dupont, 06 12 34 56 78');
  });

  it('leaves procedure text untouched', () => {
    const prose =
      "L'allocation de 1 500 € est due avant le 15 mars 2024 (décret n° 2019-1234, article L. 1234-5, fiche F1342, " +
      'cerfa 12100*02). Madame la Maire et Monsieur le préfet en sont informés. Appelez le 3939.';
    expect(maskPii(prose)).toEqual({ text: prose, matches: [] });
  });

  it('has a readable label for every kind', () => {
    for (const kind of PII_KINDS) expect(PII_PLACEHOLDER_LABELS[kind]).toMatch(/^[A-ZÉ° -]+$/);
  });

  it('masks a 200,000-character paste whole: every value, to the last repetition, and nothing else', () => {
    // How fast is measured by `npm run bench`, not here.
    const paragraph = `${QUESTION} Le dossier déposé le 01/02/2024 au titre du décret n° 2019-1234 reste en cours. `;
    const repeats = Math.floor(200_000 / paragraph.length);
    const text = paragraph.repeat(repeats);
    const once = maskPii(paragraph);
    const whole = maskPii(text);
    expect(whole.matches).toHaveLength(once.matches.length * repeats);
    expect(whole.text).toBe(once.text.repeat(repeats));
  });

  it('does not hang on pathological pastes (no backtracking blow-up)', { timeout: 60_000 }, () => {
    for (const unit of ['a', '1', '1 ', 'M. ', '12 rue ', 'x@', 'né le ', '06 ', 'FR76 ']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const started = performance.now();
      const { text: masked } = maskPii(text);
      expect(masked.length, JSON.stringify(unit)).toBeGreaterThan(0);
      expect(performance.now() - started, JSON.stringify(unit)).toBeLessThan(5_000); // clock: a backtracking blow-up takes minutes on 200,000 characters, a linear scan milliseconds
    }
  });
});

describe('maskPiiDeep', () => {
  const conversation = {
    id: 'conv-1',
    createdAt: new Date('2024-03-15T10:00:00Z'),
    turns: [
      { role: 'user', text: 'Mme Dupont a-t-elle droit à la prime ? Son mari M. Dupont aussi ?', tokens: 17 },
      { role: 'assistant', text: 'Mme Dupont peut la demander.', citations: [1, 2], final: true },
    ],
    feedback: { rating: null, comment: 'Rappeler au 06 12 34 56 78' },
  };

  it('masks every string of a copy, numbering across the whole value, and leaves the original alone', () => {
    const masked = maskPiiDeep(conversation);
    expect(masked).toEqual({
      id: 'conv-1',
      createdAt: new Date('2024-03-15T10:00:00Z'),
      turns: [
        { role: 'user', text: 'Mme [NOM] a-t-elle droit à la prime ? Son mari M. [NOM] aussi ?', tokens: 17 },
        { role: 'assistant', text: 'Mme [NOM] peut la demander.', citations: [1, 2], final: true },
      ],
      feedback: { rating: null, comment: 'Rappeler au [TÉLÉPHONE]' },
    });
    expect(conversation.turns[0]?.text).toContain('Dupont');
  });

  it('numbers two people the same way in the question and the answer', () => {
    const masked = maskPiiDeep(['M. Martin et Mme Durand', 'Mme Durand doit écrire.']);
    expect(masked).toEqual(['M. [NOM 1] et Mme [NOM 2]', 'Mme [NOM 2] doit écrire.']);
  });

  it('keeps object keys and scalars, and refuses a cyclic value', () => {
    expect(maskPiiDeep({ 'Mme Dupont': 'Mme Dupont', n: 3, ok: false })).toEqual({ 'Mme Dupont': 'Mme [NOM]', n: 3, ok: false });
    expect(maskPiiDeep('Mme Dupont')).toBe('Mme [NOM]');
    expect(maskPiiDeep(null)).toBeNull();
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => maskPiiDeep(cyclic)).toThrow(TypeError);
  });
});
