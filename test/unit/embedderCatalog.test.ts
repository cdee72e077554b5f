import { describe, expect, it } from 'vitest';
import { guessEmbedderProfile } from '../../native-models/embedder.js';
import {
  EMBEDDER_CATALOG,
  ENGLISH_ONLY_EMBEDDER_NOTE,
  findEmbedderCatalogEntry,
  isEnglishOnlyEmbedderName,
} from '../../native-models/embedderCatalog.js';

describe('embedder catalog', () => {
  it('recommends exactly one default, listed first, and multilingual-e5-small is it', () => {
    expect(EMBEDDER_CATALOG.filter((entry) => entry.recommended)).toHaveLength(1);
    expect(EMBEDDER_CATALOG[0]).toMatchObject({ id: 'multilingual-e5-small', recommended: true, dimension: 384, format: 'onnx' });
  });

  it('has unique ids and complete entries', () => {
    const ids = EMBEDDER_CATALOG.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of EMBEDDER_CATALOG) {
      expect(entry.licence).toMatch(/^[A-Za-z0-9.-]+$/);
      expect(entry.approximateSizeMb).toBeGreaterThan(0);
      expect(entry.dimension).toBeGreaterThan(0);
      expect(entry.files.length).toBeGreaterThan(0);
      expect(entry.huggingFaceRepo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(entry.note.length).toBeGreaterThan(40);
      if (entry.format === 'onnx') {
        expect(entry.files).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json']));
        expect(entry.files.some((file) => /^onnx\/model[\w]*\.onnx$/.test(file))).toBe(true);
      } else {
        expect(entry.files.every((file) => file.endsWith('.gguf'))).toBe(true);
      }
    }
  });

  it('offers an ONNX and a GGUF of the bge-m3 class at 1024 dimensions', () => {
    const large = EMBEDDER_CATALOG.filter((entry) => entry.baseModel === 'BAAI/bge-m3');
    expect(large.map((entry) => entry.format).sort()).toEqual(['gguf', 'onnx']);
    for (const entry of large) expect(entry.dimension).toBe(1024);
  });

  it('lists the prefixes the embedders will actually apply, guessed from the names', () => {
    for (const entry of EMBEDDER_CATALOG) {
      const guessed = guessEmbedderProfile([entry.id, entry.baseModel]);
      expect({ query: guessed.queryPrefix, passage: guessed.passagePrefix }).toEqual({
        query: entry.queryPrefix,
        passage: entry.passagePrefix,
      });
    }
  });

  it('never recommends an English-only model', () => {
    for (const entry of EMBEDDER_CATALOG) {
      expect(isEnglishOnlyEmbedderName(entry.id)).toBe(false);
      expect(isEnglishOnlyEmbedderName(entry.huggingFaceRepo)).toBe(false);
    }
  });

  it('finds an entry by id', () => {
    expect(findEmbedderCatalogEntry('bge-m3')?.baseModel).toBe('BAAI/bge-m3');
    expect(findEmbedderCatalogEntry('all-MiniLM-L6-v2')).toBeUndefined();
  });
});

describe('English-only embedder detection', () => {
  it.each([
    'sentence-transformers/all-MiniLM-L6-v2',
    'embedder-synthetic-minilm-all-MiniLM-L6-v2',
    'BAAI/bge-small-en-v1.5',
    'intfloat/e5-small-v2',
    'thenlper/gte-base',
    'nomic-embed-text-v1.5.Q8_0.gguf',
  ])('flags %s', (name) => {
    expect(isEnglishOnlyEmbedderName(name)).toBe(true);
  });

  it.each([
    'intfloat/multilingual-e5-small',
    'multilingual-e5-large-instruct',
    'BAAI/bge-m3',
    'bge-m3-Q8_0.gguf',
    'sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2',
    'sentence-transformers/LaBSE',
  ])('does not flag %s', (name) => {
    expect(isEnglishOnlyEmbedderName(name)).toBe(false);
  });

  it('explains the problem in French', () => {
    expect(ENGLISH_ONLY_EMBEDDER_NOTE).toMatch(/anglais/);
    expect(ENGLISH_ONLY_EMBEDDER_NOTE).toMatch(/multilingue/);
  });
});

describe('embedder profile guess', () => {
  it('uses query/passage prefixes for e5, an instruction for e5-instruct, none and CLS for bge-m3', () => {
    expect(guessEmbedderProfile(['multilingual-e5-small'])).toEqual({ queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean' });
    expect(guessEmbedderProfile(['multilingual-e5-large-instruct']).queryPrefix).toMatch(/^Instruct: .*\nQuery: $/s);
    expect(guessEmbedderProfile(['multilingual-e5-large-instruct']).passagePrefix).toBe('');
    expect(guessEmbedderProfile(['bge-m3'])).toEqual({ queryPrefix: '', passagePrefix: '', pooling: 'cls' });
    expect(guessEmbedderProfile(['embedder-synthetic-minilm', 'sentence-transformers/all-MiniLM-L6-v2'])).toEqual({
      queryPrefix: '',
      passagePrefix: '',
      pooling: 'mean',
    });
    // "e5" inside another word is not e5.
    expect(guessEmbedderProfile(['model-e50x']).queryPrefix).toBe('');
  });
});
