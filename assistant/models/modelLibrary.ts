import { rm } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { type DeviceChoice, deviceChoiceFile, DeviceChoiceStore, deviceModelKey, DeviceProbe } from '../../native-models/deviceProbe.js';
import { type GgufSummary, inspectGguf } from '../../native-models/ggufInspector.js';
import { fitVerdict, type FitVerdict } from '../../native-models/memoryPreflight.js';
import { type CatalogModel, catalogRamNeeds, catalogShape, catalogUrl, findCatalogModel, MODEL_CATALOG } from '../../native-models/modelCatalog.js';
import { ModelError, type ModelErrorCode } from '../../native-models/modelError.js';
import { type DiscoveryProblem, type InstalledModel, ModelRegistry } from '../../native-models/modelRegistry.js';
import { AssistantError } from '../assistantError.js';
import { DownloadError } from '../download/downloadError.js';
import { downloadFile, type DownloadFileOptions, type DownloadResult } from '../download/downloadFile.js';
import type { Settings } from '../settings/settingsSchema.js';

/** A catalog model as `guichet models list` shows it. */
export interface CatalogListing extends CatalogModel {
  installed: boolean;
  ramAt4kBytes: number;
  ramAt8kBytes: number;
  url: string;
  fit: FitVerdict;
}

/** What `guichet models list` shows. */
export interface ModelListing {
  freeRamBytes: number;
  totalRamBytes: number;
  catalog: CatalogListing[];
  installed: (InstalledModel & { fit: FitVerdict })[];
  problems: DiscoveryProblem[];
}

/** Options of {@link ModelLibrary.pull}. */
export interface PullOptions {
  /** Replaces `https://huggingface.co` for catalog models (an IT mirror with the same layout). */
  mirror?: string;
  /** Expected SHA-256, for a URL or to override the catalog's. */
  sha256?: string;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
}

/** What {@link ModelLibrary} needs. */
export interface ModelLibraryDeps {
  registry: ModelRegistry;
  /** `network.allowDownloads`. */
  allowDownloads: boolean;
  download?: (options: DownloadFileOptions) => Promise<DownloadResult>;
  freeRamBytes?: () => number;
  /** The devices measured per model on this PC (by the engine, at first load). */
  devices?: DeviceProbe;
}

/**
 * The models use case of the shells (CLI, settings screen): the catalog with a fit verdict for this PC, the installed
 * models, adding a local file, downloading (resumed, verified) and removing. Reads headers only: loading is the
 * engine's business.
 */
export class ModelLibrary {
  private readonly download: (options: DownloadFileOptions) => Promise<DownloadResult>;
  private readonly freeRam: () => number;

  constructor(private readonly deps: ModelLibraryDeps) {
    this.download = deps.download ?? downloadFile;
    this.freeRam = deps.freeRamBytes ?? freemem;
  }

  async list(): Promise<ModelListing> {
    const freeRamBytes = this.freeRam();
    const { models, problems } = await this.deps.registry.list();
    const catalog = MODEL_CATALOG.map((model): CatalogListing => {
      const needs = catalogRamNeeds(model);
      return {
        ...model,
        installed: models.some((entry) => entry.catalogId === model.id || entry.fileName === model.fileName),
        ramAt4kBytes: needs.at4k,
        ramAt8kBytes: needs.at8k,
        url: catalogUrl(model),
        fit: fitVerdict(catalogShape(model), freeRamBytes),
      };
    });
    const installed = models.map((model) => ({ ...model, fit: fitVerdict({ ...model.shape, weightsBytes: model.sizeBytes }, freeRamBytes) }));
    return { freeRamBytes, totalRamBytes: totalmem(), catalog, installed, problems };
  }

  /** Registers a local GGUF file where it lies. */
  async add(path: string): Promise<{ model: InstalledModel; fit: FitVerdict }> {
    const model = await this.deps.registry.register(path, { source: 'added' });
    return { model, fit: fitVerdict({ ...model.shape, weightsBytes: model.sizeBytes }, this.freeRam()) };
  }

  /** Details of an installed model (by id) or of any GGUF file (by path). */
  async info(idOrPath: string): Promise<{ summary: GgufSummary; installed: InstalledModel | undefined; catalog: CatalogModel | undefined; fit: FitVerdict }> {
    const installed = await this.deps.registry.find(idOrPath);
    const summary = await inspectGguf(installed?.path ?? idOrPath);
    return {
      summary,
      installed,
      catalog: findCatalogModel(installed?.catalogId ?? summary.fileName),
      fit: fitVerdict(summary.shape, this.freeRam()),
    };
  }

  /** The device measured or recorded for a model on this PC; `null` before its first load in `auto`. */
  async deviceChoice(idOrPath: string): Promise<DeviceChoice | null> {
    if (!this.deps.devices) return null;
    return (await this.deps.devices.remembered(await this.deviceKey(idOrPath))) ?? null;
  }

  /** Forgets it: the next load measures the CPU and the GPUs again (to try a GPU again after it crashed). */
  async forgetDeviceChoice(idOrPath: string): Promise<void> {
    await this.deps.devices?.forget(await this.deviceKey(idOrPath));
  }

  private async deviceKey(idOrPath: string): Promise<string> {
    const installed = await this.deps.registry.find(idOrPath);
    const summary = await inspectGguf(installed?.path ?? idOrPath);
    return deviceModelKey(summary.fileName, summary.sizeBytes);
  }

  /**
   * Downloads a catalog model (by id) or a GGUF URL into the data dir, resuming an interrupted transfer, verifying
   * size and checksum when known and the GGUF header always, then registers it.
   * @throws AssistantError `download-forbidden` (policy); ModelError `download-offline`, `download-failed`,
   *   `checksum-mismatch` with how to install the file by hand; `model-not-found` for an unknown name.
   */
  async pull(idOrUrl: string, options: PullOptions = {}): Promise<{ model: InstalledModel; download: DownloadResult }> {
    const target = this.target(idOrUrl, options);
    if (!this.deps.allowDownloads) {
      throw new AssistantError(
        'download-forbidden',
        `Les téléchargements sont désactivés sur ce PC (réglage network.allowDownloads, souvent fixé par le service informatique). ${manualHint(target.url, target.fileName)}`,
      );
    }
    const destination = join(this.deps.registry.modelsDir, target.fileName);
    let download: DownloadResult;
    try {
      download = await this.download({
        url: target.url,
        destination,
        ...(target.sha256 ? { sha256: target.sha256 } : {}),
        ...(target.expectedSize ? { expectedSize: target.expectedSize } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (error) {
      throw error instanceof DownloadError ? downloadFailure(error, target.url, target.fileName) : error;
    }
    try {
      if (target.catalogId) await checkIsCatalogModel(download.path, target.catalogId);
      const model = await this.deps.registry.register(download.path, {
        source: 'pulled',
        sha256: download.sha256,
        ...(target.catalogId ? { catalogId: target.catalogId } : {}),
      });
      return { model, download };
    } catch (error) {
      // A page of HTML or a damaged file must not stay among the models.
      await rm(download.path, { force: true });
      throw error;
    }
  }

  /** Removes an installed model (a downloaded file is deleted, an added one left in place). */
  remove(idOrPath: string): Promise<{ model: InstalledModel; deletedFile: boolean }> {
    return this.deps.registry.remove(idOrPath);
  }

  private target(idOrUrl: string, options: PullOptions): { url: string; fileName: string; sha256?: string; expectedSize?: number; catalogId?: string } {
    if (/^https?:\/\//i.test(idOrUrl)) {
      const fileName = decodeURIComponent(basename(new URL(idOrUrl).pathname));
      if (!fileName.toLowerCase().endsWith('.gguf')) {
        throw new AssistantError('invalid-request', `L'adresse ${idOrUrl} ne désigne pas un fichier .gguf.`);
      }
      return { url: idOrUrl, fileName, ...(options.sha256 ? { sha256: options.sha256 } : {}) };
    }
    const model = findCatalogModel(idOrUrl);
    if (!model) {
      throw new ModelError('model-not-found', `Modèle inconnu du catalogue : « ${idOrUrl} ». Modèles disponibles : ${MODEL_CATALOG.map((m) => m.id).join(', ')}.`);
    }
    const sha256 = options.sha256 ?? model.sha256 ?? undefined;
    return {
      url: catalogUrl(model, options.mirror),
      fileName: model.fileName,
      catalogId: model.id,
      ...(sha256 ? { sha256 } : {}),
      ...(model.sizeExact ? { expectedSize: model.sizeBytes } : {}),
    };
  }
}

/**
 * Without a published checksum, the architecture tells a wrong file (an IT mirror serving another model) from the
 * expected one: layers and KV heads must match the catalog's.
 */
async function checkIsCatalogModel(path: string, catalogId: string): Promise<void> {
  const expected = findCatalogModel(catalogId);
  if (!expected) return;
  const summary = await inspectGguf(path);
  if (summary.shape.layers !== expected.shape.layers || summary.shape.kvHeads !== expected.shape.kvHeads) {
    throw new ModelError(
      'checksum-mismatch',
      `Le fichier téléchargé n'est pas le modèle ${expected.label} attendu (${summary.architecture}, ${summary.shape.layers} couches au lieu de ${expected.shape.layers}) : il a été supprimé. Vérifiez l'adresse du miroir.`,
      { file: summary.path },
    );
  }
}

/** How to install a model without network, in French. */
export function manualHint(url: string, fileName: string): string {
  return `Pour l'installer à la main : téléchargez ${url} depuis un PC connecté, copiez le fichier ${fileName} sur ce PC, puis lancez « guichet models add <chemin du fichier> ».`;
}

function downloadFailure(error: DownloadError, url: string, fileName: string): ModelError {
  const code: ModelErrorCode = error.code === 'download-offline' ? 'download-offline' : error.code === 'checksum-mismatch' ? 'checksum-mismatch' : 'download-failed';
  const resume = error.code === 'download-failed' || error.code === 'download-cancelled' ? ' Relancez la commande pour reprendre le téléchargement.' : '';
  return new ModelError(code, `${error.message}${resume} ${manualHint(url, fileName)}`, { file: fileName, cause: error });
}

/** Builds the library from the resolved settings: composition code of the shells. */
export function createModelLibrary(options: { dataDir: string; settings: Settings }): ModelLibrary {
  return new ModelLibrary({
    registry: new ModelRegistry({ dataDir: options.dataDir, policyDir: options.settings['runtime.modelsDir'] }),
    allowDownloads: options.settings['network.allowDownloads'],
    devices: new DeviceProbe(new DeviceChoiceStore(deviceChoiceFile(options.dataDir))),
  });
}
