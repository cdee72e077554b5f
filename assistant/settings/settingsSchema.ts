import { z } from 'zod';
import { audienceSchema, gpuSchema } from '../contract/methods/common.js';

/**
 * Every setting Guichet knows, by dotted key, with its type and default. The same keys are used in the user's
 * `settings.json`, in the machine policy (`/etc/guichet/policy.json`, `%ProgramData%\Guichet\policy.json`) and in
 * the UI. A key set by policy is locked: the user cannot change it.
 */
export const SETTINGS_SCHEMA = {
  /** Threads for generation; `null` = physical cores, capped. Range 1–256. Also `GUICHET_THREADS`. */
  'runtime.threads': z.number().int().min(1).max(256).nullable().default(null),
  /** Compute device: `auto` measures at first load, `cpu` never uses a GPU. */
  'runtime.gpu': gpuSchema.default('auto'),
  /**
   * GPU memory Guichet may use, MiB; `null` = the GPU's free memory. For PCs whose GPU also serves other software
   * (or an integrated GPU sharing the RAM): layers that do not fit stay on the CPU. Range 0–1,048,576.
   */
  'runtime.gpuMemoryMiB': z.number().int().min(0).max(1_048_576).nullable().default(null),
  /** Context size in tokens; `null` = chosen for the machine's memory. */
  'runtime.contextSize': z.number().int().min(512).max(131_072).nullable().default(null),
  /** Chat model file (GGUF) to use; `null` = the best installed one that fits. */
  'runtime.modelPath': z.string().min(1).nullable().default(null),
  /** A folder where IT drops GGUF models; they are discovered at start. */
  'runtime.modelsDir': z.string().min(1).nullable().default(null),
  /** Read the system prompt and extracts into the model while the agent types (off on battery, never loads a model). */
  'runtime.readAhead': z.boolean().default(true),
  /** Embedding model (ONNX folder or GGUF file) for hybrid search; `null` = full-text only. */
  'embedder.path': z.string().min(1).nullable().default(null),
  /** Explicit downloads (models, corpus updates) allowed at all. */
  'network.allowDownloads': z.boolean().default(true),
  /** On the first run, fetch the current DILA feeds when the network is reachable. */
  'corpus.autoFetch': z.boolean().default(true),
  /** Base URL of the DILA feeds: `{base}/{part,pro,asso}/zip/vosdroits-latest.zip`. */
  'corpus.feedBaseUrl': z.string().url().default('https://lecomarquage.service-public.fr/vdd/3.4'),
  /** Audiences imported from DILA. */
  'corpus.audiences': z
    .array(audienceSchema)
    .min(1)
    .default(['particuliers', 'professionnels', 'associations']),
  /** Mask personal data in the question before the model sees it. */
  'privacy.maskBeforeModel': z.boolean().default(false),
  /** Mention appended to every Services Publics+ reply drafted with AI. */
  'replies.aiMention': z
    .string()
    .min(1)
    .default("Cette réponse a été préparée avec l'aide d'un outil d'intelligence artificielle et relue par un agent."),
  /**
   * Name of the State service that deploys Guichet (« France Services de Figeac »); set by machine policy. Only then
   * does the interface show the State's bloc marque, which the DSFR's terms reserve to State services.
   */
  'interface.serviceName': z.string().min(1).max(120).nullable().default(null),
  /** `etat`: the DSFR's look (for State services); `neutre`: system font, neutral palette, no bloc marque. */
  'interface.theme': z.enum(['etat', 'neutre']).default('etat'),
} as const;

export type SettingKey = keyof typeof SETTINGS_SCHEMA;
export type Settings = { [K in SettingKey]: z.output<(typeof SETTINGS_SCHEMA)[K]> };
export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as SettingKey[];

/** The defaults, as a fresh object. */
export function defaultSettings(): Settings {
  const entries = SETTING_KEYS.map((key) => [key, SETTINGS_SCHEMA[key].parse(undefined)]);
  return Object.fromEntries(entries) as Settings;
}

/** Settings that let data leave the PC: a policy that cannot be read turns them off. */
export const NETWORK_SETTINGS: Partial<Settings> = { 'network.allowDownloads': false, 'corpus.autoFetch': false };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS_SCHEMA, key);
}
