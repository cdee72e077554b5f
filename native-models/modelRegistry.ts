import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type GgufSummary, inspectGguf } from './ggufInspector.js';
import type { ModelShape } from './memoryPreflight.js';
import { ModelError } from './modelError.js';

/** A chat model installed on this PC. */
export interface InstalledModel {
  /** Name on the command line: the catalog id, else the file name without `.gguf`, lowercased. */
  id: string;
  path: string;
  fileName: string;
  sizeBytes: number;
  /** `added`: a file registered where it lies; `pulled`: downloaded into the data dir; `policy`: found in IT's folder. */
  source: 'added' | 'pulled' | 'policy';
  /** ISO date of registration (or discovery). */
  addedAt: string;
  catalogId?: string;
  /** SHA-256 computed when downloaded. */
  sha256?: string;
  name?: string;
  architecture: string;
  quantization: string;
  trainContext: number;
  hasChatTemplate: boolean;
  chatFormatGuess?: string;
  shape: ModelShape;
  /** The registered file is gone: listed so that the agent sees it, not loadable. */
  missing?: boolean;
}

/** A file of the policy folder that could not be used, with the French reason. */
export interface DiscoveryProblem {
  path: string;
  message: string;
}

interface RegistryData {
  version: 1;
  models: InstalledModel[];
  /** Inspections of the policy folder's files, reused while size and date are unchanged. */
  discovered: Record<string, { sizeBytes: number; mtimeMs: number; model: InstalledModel | null }>;
}

/** Options of {@link ModelRegistry}. */
export interface ModelRegistryOptions {
  /** The user's data dir: the registry is `<dataDir>/models/registry.json`, downloads go to `<dataDir>/models/`. */
  dataDir: string;
  /** `runtime.modelsDir`: the folder where IT drops models (set by machine policy); `null` = none. */
  policyDir?: string | null;
  /** Reads a GGUF header. Default {@link inspectGguf}. */
  inspect?: (path: string) => Promise<GgufSummary>;
}

/**
 * The installed chat models: registered files (`registry.json`, written atomically) and the models found in the
 * folder machine policy names. Embedding models are refused here: they belong to the embedder's settings.
 */
export class ModelRegistry {
  readonly modelsDir: string;
  private readonly file: string;
  private readonly inspect: (path: string) => Promise<GgufSummary>;

  constructor(private readonly options: ModelRegistryOptions) {
    this.modelsDir = join(options.dataDir, 'models');
    this.file = join(this.modelsDir, 'registry.json');
    this.inspect = options.inspect ?? ((path) => inspectGguf(path));
  }

  /** Registered and discovered models, registered first; files of the policy folder that could not be read. */
  async list(): Promise<{ models: InstalledModel[]; problems: DiscoveryProblem[] }> {
    const data = await this.read();
    const registered = await Promise.all(data.models.map(async (model) => ((await exists(model.path)) ? model : { ...model, missing: true })));
    const { models: discovered, problems } = await this.discover(data);
    const known = new Set(registered.map((model) => model.path));
    return { models: [...registered, ...discovered.filter((model) => !known.has(model.path))], problems };
  }

  /** The installed model by id, file name or path. */
  async find(idOrPath: string): Promise<InstalledModel | undefined> {
    const { models } = await this.list();
    const key = idOrPath.toLowerCase();
    const path = resolve(idOrPath);
    return models.find((model) => model.id === key || model.fileName.toLowerCase() === key || model.path === path);
  }

  /**
   * Registers a GGUF chat model after reading its header. Registering the same path again refreshes its entry.
   * @throws ModelError from {@link inspectGguf}, or `model-not-chat` for an embedding model.
   */
  async register(path: string, extra: { source: 'added' | 'pulled'; catalogId?: string; sha256?: string } = { source: 'added' }): Promise<InstalledModel> {
    const summary = await this.inspect(path);
    if (summary.kind !== 'chat') {
      throw new ModelError(
        'model-not-chat',
        `${summary.fileName} est un modèle d'embeddings (recherche sémantique), pas un modèle de conversation : réglez-le dans embedder.path.`,
        { file: summary.path },
      );
    }
    const data = await this.read();
    const others = data.models.filter((model) => model.path !== summary.path);
    const base = extra.catalogId ?? summary.fileName.replace(/\.gguf$/i, '').toLowerCase();
    const taken = new Set(others.map((model) => model.id));
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    const model = entryOf(summary, { id, source: extra.source, catalogId: extra.catalogId, sha256: extra.sha256 });
    await this.write({ ...data, models: [...others, model] });
    return model;
  }

  /**
   * Removes a model from the registry. A downloaded file (inside the data dir) is deleted; a file added from elsewhere
   * is left where it is.
   * @throws ModelError `model-not-found` (no such installed model), `model-locked` (installed by IT's policy folder).
   */
  async remove(idOrPath: string): Promise<{ model: InstalledModel; deletedFile: boolean }> {
    const model = await this.find(idOrPath);
    if (!model) {
      throw new ModelError('model-not-found', `Aucun modèle installé ne s'appelle « ${idOrPath} » (voir guichet models list).`);
    }
    if (model.source === 'policy') {
      throw new ModelError('model-locked', `Le modèle ${model.fileName} est installé par votre service informatique (${this.options.policyDir}) : il ne peut pas être retiré ici.`, {
        file: model.path,
      });
    }
    const data = await this.read();
    await this.write({ ...data, models: data.models.filter((entry) => entry.path !== model.path) });
    const inside = !relative(this.modelsDir, model.path).startsWith('..');
    const deletedFile = model.source === 'pulled' && inside;
    if (deletedFile) {
      await rm(model.path, { force: true });
      await rm(`${model.path}.part`, { force: true });
    }
    return { model, deletedFile };
  }

  private async discover(data: RegistryData): Promise<{ models: InstalledModel[]; problems: DiscoveryProblem[] }> {
    const folder = this.options.policyDir;
    if (!folder) return { models: [], problems: [] };
    let names: string[];
    try {
      names = (await readdir(folder)).filter((name) => name.toLowerCase().endsWith('.gguf')).sort();
    } catch {
      return { models: [], problems: [{ path: folder, message: `Le dossier de modèles de la politique (${folder}) est illisible.` }] };
    }
    const models: InstalledModel[] = [];
    const problems: DiscoveryProblem[] = [];
    const cache: RegistryData['discovered'] = {};
    for (const name of names) {
      const path = resolve(folder, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      const cached = data.discovered[path];
      if (cached && cached.sizeBytes === info.size && cached.mtimeMs === info.mtimeMs) {
        cache[path] = cached;
        if (cached.model) models.push(cached.model);
        continue;
      }
      try {
        const summary = await this.inspect(path);
        // Embedding models in the same folder are the embedder's business: skipped, not a problem.
        const model = summary.kind === 'chat' ? entryOf(summary, { id: name.replace(/\.gguf$/i, '').toLowerCase(), source: 'policy' }) : null;
        cache[path] = { sizeBytes: info.size, mtimeMs: info.mtimeMs, model };
        if (model) models.push(model);
      } catch (error) {
        problems.push({ path, message: error instanceof Error ? error.message : String(error) });
      }
    }
    if (JSON.stringify(cache) !== JSON.stringify(data.discovered)) await this.write({ ...data, discovered: cache }).catch(() => {});
    return { models, problems };
  }

  private async read(): Promise<RegistryData> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<RegistryData>;
      return { version: 1, models: Array.isArray(parsed.models) ? parsed.models : [], discovered: parsed.discovered ?? {} };
    } catch {
      // Absent or damaged: an empty registry; the models' files themselves are untouched.
      return { version: 1, models: [], discovered: {} };
    }
  }

  private async write(data: RegistryData): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`);
    await rename(temp, this.file);
  }
}

function entryOf(
  summary: GgufSummary,
  extra: { id: string; source: InstalledModel['source']; catalogId?: string | undefined; sha256?: string | undefined },
): InstalledModel {
  return {
    id: extra.id,
    path: summary.path,
    fileName: basename(summary.path),
    sizeBytes: summary.sizeBytes,
    source: extra.source,
    addedAt: new Date().toISOString(),
    ...(extra.catalogId ? { catalogId: extra.catalogId } : {}),
    ...(extra.sha256 ? { sha256: extra.sha256 } : {}),
    ...(summary.name ? { name: summary.name } : {}),
    architecture: summary.architecture,
    quantization: summary.quantization,
    trainContext: summary.shape.trainContext,
    hasChatTemplate: summary.hasChatTemplate,
    ...(summary.chatFormatGuess ? { chatFormatGuess: summary.chatFormatGuess } : {}),
    shape: summary.shape,
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
