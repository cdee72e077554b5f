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
  /** Embedding model (ONNX folder, GGUF file, or `remote:<model>` on the shared server) for hybrid search; `null` = full-text only. */
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

  // ── Shared model server (issue 14) ─────────────────────────────────────────────────────────────────────────────
  // One block, checked in remotePolicy.ts: the `remote.*` keys are machine policy only (a user's value is ignored,
  // with a French warning), `runtime.remote.*` are the agent's unless policy fixes them.
  /**
   * Base URL of a shared OpenAI-compatible server (llama.cpp's `llama-server`, vLLM, a State gateway), e.g.
   * `https://llm.dept.gouv.fr/v1`; `null` = the model on this PC. Used only when `remote.allowed`, its host in
   * `remote.allowedHosts`, over HTTPS (plain HTTP only to this PC's loopback).
   */
  'runtime.remote.url': z.string().url().max(2_000).nullable().default(null),
  /** The server's model name (as `GET /models` lists it); `null` = the first it offers. */
  'runtime.remote.model': z.string().min(1).max(200).nullable().default(null),
  /** Policy only: whether a shared model server may be used at all. Default false: nothing leaves the PC. */
  'remote.allowed': z.boolean().default(false),
  /** Policy only: the servers allowed, `host` (any port) or `host:port`, case-insensitive. Empty = none. */
  'remote.allowedHosts': z.array(z.string().min(1).max(260)).max(100).default([]),
  /** Policy only: a file holding the server's API key (read by the engine, never logged); `null` = none. */
  'remote.apiKeyFile': z.string().min(1).max(2_000).nullable().default(null),
  // ── End of the shared model server block ───────────────────────────────────────────────────────────────────────

  // ── Features and data kept (issue 12, machine policy). IT turns them off in policy.json, which locks them; an agent
  // may turn one off for themself. The remote runtime's switch is `remote.allowed` (remote runtime block). ──
  /** Services Publics+ reply drafting (`reply.draft` and the library of replies). */
  'features.replyDrafting': z.boolean().default(true),
  /** Conversations are kept on the PC (history screen, follow-up questions). Off: nothing is written, the list is empty. */
  'features.history': z.boolean().default(true),
  /** Export of conversations and of the replies library to files. */
  'features.export': z.boolean().default(true),
  /** Corpus updates from the network (a feed URL, the first run's fetch); local zips and packs still import. */
  'features.corpusUpdate': z.boolean().default(true),
  /** Conversations older than this many days are deleted when the engine starts; `null` = kept. Range 1–36,500. */
  'history.retentionDays': z.number().int().min(1).max(36_500).nullable().default(null),
  /** A corpus pack (zip, folder) IT distributes: imported at the first run instead of fetching feeds; `null` = none. */
  'corpus.packPath': z.string().min(1).nullable().default(null),
} as const;

export type SettingKey = keyof typeof SETTINGS_SCHEMA;
export type Settings = { [K in SettingKey]: z.output<(typeof SETTINGS_SCHEMA)[K]> };
export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as SettingKey[];

/** The defaults, as a fresh object. */
export function defaultSettings(): Settings {
  const entries = SETTING_KEYS.map((key) => [key, SETTINGS_SCHEMA[key].parse(undefined)]);
  return Object.fromEntries(entries) as Settings;
}

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS_SCHEMA, key);
}
