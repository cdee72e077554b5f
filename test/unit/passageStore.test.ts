import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassageStore, type StoredPassage } from '../../corpus/index/passageStore.js';

const passages: StoredPassage[] = [
  { id: 'particuliers:F1#0', ordinal: 0, sectionPath: '["Pension de réversion"]', text: 'Si votre époux est décédé,\nvous pouvez toucher une partie de sa retraite.' },
  { id: 'particuliers:F1#1', ordinal: 1, sectionPath: '["Pension de réversion","Conditions"]', text: '' },
  { id: 'particuliers:F2#0', ordinal: 0, sectionPath: '[]', text: 'Montant : 1 000 € — « guillemets » et 😀.' },
  { id: 'professionnels:F2#0', ordinal: 0, sectionPath: '["Ligne\\nbrisée"]', text: 'La retraite du travailleur indépendant.' },
];
let work: string;
let path: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-passage-store-'));
  path = join(work, 'passages.bin');
  await writeFile(path, PassageStore.toStored(passages));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const open = (log: string[] = []) => PassageStore.open(path, passages.length, (line) => log.push(line));

describe('PassageStore', () => {
  it('gives back each passage whole, in the order asked, neighbours and repeats included', async () => {
    const store = await open();
    expect(store?.size).toBe(4);
    const read = await store?.read([3, 0, 1, 0]);
    expect(read?.map((record) => record.id)).toEqual(['professionnels:F2#0', 'particuliers:F1#0', 'particuliers:F1#1', 'particuliers:F1#0']);
    expect(read?.[0]?.sectionPath).toEqual(['Ligne\nbrisée']);
    expect(read?.[1]).toEqual({ id: 'particuliers:F1#0', ordinal: 0, sectionPath: ['Pension de réversion'], text: passages[0]?.text });
    expect(read?.[2]).toEqual({ id: 'particuliers:F1#1', ordinal: 1, sectionPath: ['Pension de réversion', 'Conditions'], text: '' });
    expect((await store?.read([2]))?.[0]?.text).toBe(passages[2]?.text);
    expect(await store?.read([])).toEqual([]);
  });

  it('refuses numbers it does not hold rather than guessing', async () => {
    const store = await open();
    expect(await store?.read([4])).toBeUndefined();
    expect(await store?.read([-1, 0])).toBeUndefined();
    expect(await store?.read([0.5])).toBeUndefined();
  });

  it('absent: undefined, nothing logged; not matching the passage index or damaged: undefined, logged', async () => {
    const silent: string[] = [];
    expect(await PassageStore.open(join(work, 'absent.bin'), 4, (line) => silent.push(line))).toBeUndefined();
    expect(silent).toEqual([]);
    const log: string[] = [];
    expect(await PassageStore.open(path, 5, (line) => log.push(line))).toBeUndefined();
    const whole = await readFile(path);
    const wrongMagic = Buffer.from(whole);
    wrongMagic.writeUInt32LE(0, 0);
    const backwards = Buffer.from(whole);
    backwards.writeUInt32LE(0xffffff, 12 + 4); // the second passage's start beyond the third's
    for (const damaged of [whole.subarray(0, whole.length - 1), Buffer.concat([whole, Buffer.from('x')]), wrongMagic, backwards, Buffer.alloc(3)]) {
      await writeFile(path, damaged);
      expect(await open(log)).toBeUndefined();
    }
    await writeFile(path, whole);
    expect(log).toHaveLength(6);
    expect(log[0]).toContain('passages.bin');
    expect(log[0]).toContain('les passages seront lus dans la table');
  });

  it('a file replaced after opening: a record that no longer parses is refused', async () => {
    const store = await open();
    const whole = await readFile(path);
    await writeFile(path, Buffer.concat([whole.subarray(0, whole.length - 60), Buffer.alloc(60, 0xff)]));
    expect(await store?.read([3])).toBeUndefined();
    await writeFile(path, whole);
  });
});
