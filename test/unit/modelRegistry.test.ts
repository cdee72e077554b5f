import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GgufSummary } from '../../native-models/ggufInspector.js';
import { ModelError } from '../../native-models/modelError.js';
import { ModelRegistry } from '../../native-models/modelRegistry.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-registry-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Header reading is tested on real files elsewhere; here a stand-in that counts its calls. */
function fakeInspector() {
  const calls: string[] = [];
  const inspect = async (path: string): Promise<GgufSummary> => {
    calls.push(path);
    const fileName = path.split('/').pop()!;
    if (fileName.startsWith('casse')) throw new ModelError('model-unreadable', `Le modèle ${fileName} est illisible.`, { file: path });
    const info = await stat(path);
    return {
      path,
      fileName,
      sizeBytes: info.size,
      ggufVersion: 3,
      name: fileName,
      architecture: 'llama',
      quantization: 'Q4_K_M',
      kind: fileName.includes('embed') ? 'embedding' : 'chat',
      hasChatTemplate: true,
      chatFormatGuess: 'Mistral',
      shape: { weightsBytes: info.size, layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocabSize: 32_768, trainContext: 32_768 },
      tensorCount: 291,
    };
  };
  return { calls, inspect };
}

async function file(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'GGUF');
  return path;
}

describe('ModelRegistry', () => {
  it('registers, lists, finds and removes an added file without deleting it', async () => {
    const { inspect } = fakeInspector();
    const registry = new ModelRegistry({ dataDir: join(dir, 'data'), inspect });
    const model = await registry.register(await file(join(dir, 'Mistral-7B.Q4_K_M.gguf')));
    expect(model).toMatchObject({ id: 'mistral-7b.q4_k_m', source: 'added', architecture: 'llama', hasChatTemplate: true });
    expect((await registry.list()).models.map((m) => m.id)).toEqual(['mistral-7b.q4_k_m']);
    expect(await registry.find('MISTRAL-7B.Q4_K_M.GGUF')).toMatchObject({ id: 'mistral-7b.q4_k_m' });
    const removed = await registry.remove('mistral-7b.q4_k_m');
    expect(removed.deletedFile).toBe(false);
    await expect(stat(model.path)).resolves.toBeTruthy();
    expect((await new ModelRegistry({ dataDir: join(dir, 'data'), inspect }).list()).models).toEqual([]);
  });

  it('removing a downloaded model deletes its file and any partial download', async () => {
    const registry = new ModelRegistry({ dataDir: join(dir, 'data'), inspect: fakeInspector().inspect });
    const path = await file(join(registry.modelsDir, 'lucie.gguf'));
    await writeFile(`${path}.part`, 'x');
    await registry.register(path, { source: 'pulled', catalogId: 'lucie-7b', sha256: 'ab'.repeat(32) });
    const { deletedFile, model } = await registry.remove('lucie-7b');
    expect(model.sha256).toBe('ab'.repeat(32));
    expect(deletedFile).toBe(true);
    await expect(stat(path)).rejects.toThrow();
    await expect(stat(`${path}.part`)).rejects.toThrow();
  });

  it('refuses embedding models and unknown names, in French', async () => {
    const registry = new ModelRegistry({ dataDir: join(dir, 'data'), inspect: fakeInspector().inspect });
    await expect(registry.register(await file(join(dir, 'e5-embed.gguf')))).rejects.toMatchObject({ code: 'model-not-chat' });
    await expect(registry.remove('inconnu')).rejects.toMatchObject({ code: 'model-not-found', message: expect.stringContaining('« inconnu »') });
  });

  it('flags a registered file that disappeared', async () => {
    const registry = new ModelRegistry({ dataDir: join(dir, 'data'), inspect: fakeInspector().inspect });
    const path = await file(join(dir, 'parti.gguf'));
    await registry.register(path);
    await rm(path);
    expect((await registry.list()).models[0]).toMatchObject({ id: 'parti', missing: true });
  });

  it('discovers the policy folder: chat models listed as locked, embeddings skipped, bad files reported, headers cached', async () => {
    const policyDir = join(dir, 'it');
    await file(join(policyDir, 'lucie.gguf'));
    await file(join(policyDir, 'bge-embed.gguf'));
    await file(join(policyDir, 'casse.gguf'));
    await file(join(policyDir, 'notes.txt'));
    const { inspect, calls } = fakeInspector();
    const registry = new ModelRegistry({ dataDir: join(dir, 'data'), policyDir, inspect });
    const listing = await registry.list();
    expect(listing.models.map((m) => [m.id, m.source])).toEqual([['lucie', 'policy']]);
    expect(listing.problems).toEqual([{ path: join(policyDir, 'casse.gguf'), message: 'Le modèle casse.gguf est illisible.' }]);
    const inspected = calls.length;
    await registry.list();
    // Unchanged files are not read again (the damaged one is retried).
    expect(calls.length - inspected).toBe(1);
    await expect(registry.remove('lucie')).rejects.toMatchObject({ code: 'model-locked' });
  });

  it('gives distinct ids to two files of the same name', async () => {
    const registry = new ModelRegistry({ dataDir: join(dir, 'data'), inspect: fakeInspector().inspect });
    await registry.register(await file(join(dir, 'a', 'modele.gguf')));
    const second = await registry.register(await file(join(dir, 'b', 'modele.gguf')));
    expect(second.id).toBe('modele-2');
  });
});
