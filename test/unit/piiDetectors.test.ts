import { describe, expect, it } from 'vitest';
import { detectPii } from '../../assistant/privacy/detectPii.js';
import type { PiiKind } from '../../assistant/privacy/piiMatch.js';

/** What was detected, as `[kind, text]` pairs, optionally for one kind only. */
function found(text: string, kind?: PiiKind): [PiiKind, string][] {
  return detectPii(text, kind ? { kinds: [kind] } : {}).map((match) => [match.kind, match.text]);
}

/** The texts detected of one kind. */
function texts(text: string, kind: PiiKind): string[] {
  return found(text, kind).map(([, value]) => value);
}

/** NIR key computed independently: 97 − (number mod 97), Corsica mapped by hand. */
function withKey(body: string): string {
  const digits = body.replace(/ /g, '').replace('2A', '19').replace('2B', '18');
  return `${body} ${String(97n - (BigInt(digits) % 97n)).padStart(2, '0')}`;
}

describe('NIR detector', () => {
  const valid = withKey('1 85 05 78 006 084');
  const invalid = '1 85 05 78 006 084 12';

  it('finds a NIR with a valid key, with or without context, in any spacing', () => {
    expect(texts(`Mon numéro de sécurité sociale est le ${valid}.`, 'nir')).toEqual([valid]);
    expect(texts(`Assuré ${valid} rattaché à la CPAM de Lyon.`, 'nir')).toEqual([valid]);
    const compact = valid.replace(/ /g, '');
    expect(texts(`(${compact})`, 'nir')).toEqual([compact]);
    const corsican = withKey('2 90 02 2A 004 123');
    expect(texts(`née à Ajaccio, ${corsican}`, 'nir')).toEqual([corsican]);
  });

  it('masks a wrong key or a missing key only when a context phrase introduces it', () => {
    expect(texts(`Il a donné ${invalid} par erreur`, 'nir')).toEqual([]);
    expect(texts(`n° de sécurité sociale : ${invalid}`, 'nir')).toEqual([invalid]);
    expect(texts(`Numéro de sécu de l'assuré : ${invalid}`, 'nir')).toEqual([invalid]);
    expect(texts('NIR : 1 85 05 78 006 084 (clé illisible)', 'nir')).toEqual(['1 85 05 78 006 084']);
    expect(texts('Voir 1 85 05 78 006 084 sur le dossier', 'nir')).toEqual([]);
  });

  it('does not read part of a longer number as a NIR', () => {
    expect(texts(`9${valid.replace(/ /g, '')}`, 'nir')).toEqual([]);
    expect(texts(`NIR ${invalid.replace(/ /g, '')}7`, 'nir')).toEqual([]);
  });
});

describe('IBAN detector', () => {
  it('finds valid IBANs, French or foreign, and stops before the next word', () => {
    expect(texts('Virement sur FR76 3000 6000 0112 3456 7890 189 EUR demain', 'iban')).toEqual([
      'FR76 3000 6000 0112 3456 7890 189',
    ]);
    expect(texts('IBAN allemand DE89370400440532013000.', 'iban')).toEqual(['DE89370400440532013000']);
    expect(texts('FR76 3000 6000 0112 3456 7890 189 DE89 3704 0044 0532 0130 00', 'iban')).toHaveLength(2);
  });

  it('ignores a wrong key unless « IBAN » or « RIB » introduces it', () => {
    const wrong = 'FR76 3000 6000 0112 3456 7890 188';
    expect(texts(`Le code ${wrong} circule`, 'iban')).toEqual([]);
    expect(texts(`RIB : ${wrong}`, 'iban')).toEqual([wrong]);
  });
});

describe('telephone detector', () => {
  it('finds French numbers in every usual writing', () => {
    const numbers = ['06 12 34 56 78', '06.12.34.56.78', '06-12-34-56-78', '0612345678', '+33 6 12 34 56 78', '+33612345678', '0033 1 23 45 67 89', '+33 (0)1 23 45 67 89', '09 87 65 43 21'];
    for (const number of numbers) expect(texts(`Tél. : ${number}, merci`, 'telephone'), number).toEqual([number]);
  });

  it('leaves postcodes, amounts, short numbers and service numbers alone', () => {
    const text = 'Code postal 75015, 1 500 €, 12 345 678 €, appelez le 3939 ou le 0 800 123 456 ou le 08 00 12 34 56.';
    expect(texts(text, 'telephone')).toEqual([]);
    expect(texts('Numéro 06 12 34 56', 'telephone')).toEqual([]);
    expect(texts('ref 106 12 34 56 78', 'telephone')).toEqual([]);
  });
});

describe('e-mail detector', () => {
  it('finds addresses, accents and sub-domains included', () => {
    expect(texts('Écrire à jean-marc.dupont+caf@mairie.lyon.fr.', 'email')).toEqual(['jean-marc.dupont+caf@mairie.lyon.fr']);
    expect(texts('contact : élodie.martin@laposte.net', 'email')).toEqual(['élodie.martin@laposte.net']);
  });

  it('rejects what is not an address', () => {
    expect(texts('Rendez-vous @ 14h, adresse jean@localhost ou @mairie', 'email')).toEqual([]);
  });
});

describe('date of birth detector', () => {
  it('finds a date introduced as a birth date', () => {
    expect(texts('Mme Durand, née le 3 mars 1985, demande', 'date-naissance')).toEqual(['3 mars 1985']);
    expect(texts('Il est né(e) le 1er janvier 1990', 'date-naissance')).toEqual(['1er janvier 1990']);
    expect(texts('Date de naissance : 03/05/1985', 'date-naissance')).toEqual(['03/05/1985']);
    expect(texts('DDN 3-5-85', 'date-naissance')).toEqual(['3-5-85']);
    expect(texts('naissance : 12.11.1990', 'date-naissance')).toEqual(['12.11.1990']);
    expect(texts('son fils, né en 2012, est scolarisé', 'date-naissance')).toEqual(['2012']);
    expect(texts('née à Lyon le 4 juillet 1990', 'date-naissance')).toEqual(['4 juillet 1990']);
    expect(texts('Date de naissance :\n03/05/1985', 'date-naissance')).toEqual(['03/05/1985']);
  });

  it('leaves plain dates alone: deadlines, decrees, « ne le », « aîné »', () => {
    expect(texts('Le dossier doit être déposé avant le 15 mars 2024.', 'date-naissance')).toEqual([]);
    expect(texts('Décret du 03/05/2019, applicable le 01/01/2020', 'date-naissance')).toEqual([]);
    expect(texts("Je ne le savais pas avant le 3 mars 2024", 'date-naissance')).toEqual([]);
    expect(texts("L'aîné le 3 mars 1985", 'date-naissance')).toEqual([]);
    expect(texts('Date de naissance : inconnue. Dépôt le 03/05/2024', 'date-naissance')).toEqual([]);
    expect(texts('Date de naissance inconnue\nDépôt le 03/05/2024', 'date-naissance')).toEqual([]);
  });
});

describe('address detector', () => {
  it('finds street addresses with their postcode and town', () => {
    expect(texts('Elle habite 12 bis, rue de la Paix 75002 Paris depuis mai.', 'adresse')).toEqual([
      '12 bis, rue de la Paix 75002 Paris',
    ]);
    expect(texts('au 5 av. Jean Jaurès, 69007 Lyon Cedex 07.', 'adresse')).toEqual(['5 av. Jean Jaurès, 69007 Lyon Cedex 07']);
    expect(texts('3 place du Général de Gaulle', 'adresse')).toEqual(['3 place du Général de Gaulle']);
    expect(texts('10 RUE DU 8 MAI 1945\n33000 BORDEAUX', 'adresse')).toEqual(['10 RUE DU 8 MAI 1945\n33000 BORDEAUX']);
    expect(texts('4 allée des Tilleuls, Saint-Martin-d’Hères', 'adresse')).toEqual(['4 allée des Tilleuls']);
  });

  it('stops a lower-case street name at the first word that is not part of it', () => {
    expect(texts("J'habite au 3 rue de la gare et je voudrais savoir", 'adresse')).toEqual(['3 rue de la gare']);
  });

  it('finds post boxes and lieux-dits', () => {
    expect(texts('CAF, CS 12345, 69000 Lyon', 'adresse')).toEqual(['CS 12345, 69000 Lyon']);
    expect(texts('Envoyer à BP 123.', 'adresse')).toEqual(['BP 123']);
    expect(texts('lieu-dit Les Granges 24000 Périgueux', 'adresse')).toEqual(['lieu-dit Les Granges 24000 Périgueux']);
  });

  it('leaves common nouns after a number alone', () => {
    const text = 'Il reste 1 place de parking et 2 cours de français ; 1 route de campagne ; 3 avenues ; 2 rues.';
    expect(texts(text, 'adresse')).toEqual([]);
  });
});

describe('name detector', () => {
  it('finds one to three capitalised words after a civility, keeping the civility', () => {
    const text =
      'M. Jean-Pierre MARTIN et Mme Dupont ont vu Mlle Sophie Durand-Petit, Maître de La Fontaine, le docteur Roux, ' +
      'Dr. House, Mme Le Goff, Mademoiselle d’Artagnan, M. J. Dupuis, Monsieur DUPONT et M. Mohamed Ben Ali.';
    expect(texts(text, 'nom')).toEqual([
      'Jean-Pierre MARTIN',
      'Dupont',
      'Sophie Durand-Petit',
      'de La Fontaine',
      'Roux',
      'House',
      'Le Goff',
      'd’Artagnan',
      'J. Dupuis',
      'DUPONT',
      'Mohamed Ben Ali',
    ]);
  });

  it('is not fooled by titles, a civility alone or a letter opening', () => {
    const text =
      'Madame la Maire, Monsieur le préfet, M. le Préfet, Madame La Directrice, Monsieur Le Maire, ' +
      'Madame, Monsieur, je vous écris. Bonjour Madame\nJe souhaite savoir.';
    expect(texts(text, 'nom')).toEqual([]);
  });

  it('stops before an organisation or a title written after the name', () => {
    expect(texts('M. Dupont CAF de Lyon', 'nom')).toEqual(['Dupont']);
    expect(texts('Mme Martin Directrice', 'nom')).toEqual(['Martin']);
  });
});

describe('CAF, CPAM and tax numbers', () => {
  it('finds a CAF or CPAM number only after its context phrase', () => {
    expect(texts('Mon numéro CAF est le 1234567.', 'numero-allocataire')).toEqual(['1234567']);
    expect(texts("n° d'allocataire : 7654321", 'numero-allocataire')).toEqual(['7654321']);
    expect(texts('matricule CAF 0123456, n° de dossier CPAM 123456789', 'numero-allocataire')).toEqual(['0123456', '123456789']);
    expect(texts('Il a reçu 1234567 réponses', 'numero-allocataire')).toEqual([]);
    expect(texts('numéro CAF perdu, le montant est 1234567', 'numero-allocataire')).toEqual([]);
  });

  it('finds a 13-digit tax number with context in any spacing, alone only in its printed shapes', () => {
    expect(texts('Numéro fiscal : 1 23 456 789 012 3', 'numero-fiscal')).toEqual(['1 23 456 789 012 3']);
    expect(texts('SPI 3012345678901', 'numero-fiscal')).toEqual(['3012345678901']);
    expect(texts('Référence 0123456789012 sur l’avis', 'numero-fiscal')).toEqual(['0123456789012']);
    expect(texts('Avis : 30 12 345 678 901', 'numero-fiscal')).toEqual(['30 12 345 678 901']);
    expect(texts('Total 1 234 567 890 123 €', 'numero-fiscal')).toEqual([]);
    expect(texts('4012345678901', 'numero-fiscal')).toEqual([]);
  });

  it('finds payment cards that pass the Luhn check, and nothing else', () => {
    expect(texts('Carte 4111 1111 1111 1111 exp 12/27', 'carte-bancaire')).toEqual(['4111 1111 1111 1111']);
    expect(texts('Amex 3782 822463 10005 ou 5555-5555-5555-4444', 'carte-bancaire')).toEqual(['3782 822463 10005', '5555-5555-5555-4444']);
    expect(texts('Carte 4111 1111 1111 1112', 'carte-bancaire')).toEqual([]);
    expect(texts('SIRET 73282932000074', 'carte-bancaire')).toEqual([]);
  });
});

describe('detectPii', () => {
  it('masks nothing in administrative prose', () => {
    const prose =
      "Selon l'article L. 1234-5 du code du travail, l'aide de 1 500 € doit être demandée avant le 15 mars 2024 " +
      '(décret n° 2019-1234 du 29 novembre 2019, fiche F1342, cerfa 12100*02, formulaire n° 15186*03). ' +
      "Appelez le 3939 ou la CAF au 32 30. Montant : 12 345,67 €. Loi n° 78-17 du 6 janvier 1978. " +
      'Madame la Maire, Monsieur le préfet. Il faut 2 places en crèche et 1 place de parking. Code postal 75015.';
    expect(found(prose)).toEqual([]);
  });

  it('returns sorted, non-overlapping matches: the longest, then the most specific, wins', () => {
    const nir = withKey('2 90 02 2A 004 123');
    const text = `12 avenue du Docteur Calmette 75015 Paris ; NIR ${nir} ; mail M.Dupont@free.fr ; n° fiscal 3012345678901`;
    const matches = detectPii(text);
    expect(matches.map((match) => match.kind)).toEqual(['adresse', 'nir', 'email', 'numero-fiscal']);
    for (const [index, match] of matches.entries()) {
      expect(text.slice(match.start, match.end)).toBe(match.text);
      const next = matches[index + 1];
      if (next) expect(match.end).toBeLessThanOrEqual(next.start);
    }
  });

  it('prefers a checked NIR over a tax number on the same digits, and honours the kinds option', () => {
    const nir = withKey('2 90 02 75 004 123').replace(/ /g, '');
    expect(found(`n° ${nir}`)).toEqual([['nir', nir]]);
    expect(found('Mme Dupont, 06 12 34 56 78', 'telephone')).toEqual([['telephone', '06 12 34 56 78']]);
    expect(detectPii('Mme Dupont', { kinds: [] })).toEqual([]);
  });
});
