/** A `GuichetClient` with scripted answers, for component tests and the screenshot harness (never shipped). */
import type { AskEvent, ResolvedSettings, RuntimeStatus } from '../../../assistant/api.js';
import type { AskResult, ContractStream, GuichetClient } from '../../../renderer/src/lib/api/client.js';
import { STOPPED_NOTICE } from '../../../assistant/contract/answerNotices.js';
import { unavailableClient } from '../../../renderer/src/lib/api/unavailableClient.js';
import { endlessStream, scriptedStream } from './controlledStream.js';
import * as data from './fixtures.js';

export interface FakeOptions {
  settings?: ResolvedSettings;
  runtime?: RuntimeStatus;
  corpusNewest?: string;
  corpusAgeDays?: number;
  /** Replaces `ask` (a controlled stream in tests). */
  ask?: GuichetClient['ask'];
  /** Delay between scripted ask events, ms. */
  tokenDelayMs?: number;
  /** Policy allows the shared server `llm.dept.gouv.fr`, set in the settings; answers are written there. */
  remote?: boolean;
  /** `health`'s notices about this PC (broken policy, history in plain). */
  notices?: string[];
}

const READY: RuntimeStatus = {
  state: 'ready',
  model: {
    path: '/opt/guichet/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf', fileName: 'mistral-7b-instruct-v0.3.Q4_K_M.gguf', name: 'Mistral 7B Instruct v0.3', architecture: 'llama', quantization: 'Q4_K_M',
    contextSize: 8192, trainContextSize: 32768, threads: { threads: 4, reason: 'cœurs physiques' } as never,
    device: { device: 'vulkan', gpuLayers: 33, totalLayers: 33, gpuName: 'Intel Iris Xe', reason: 'GPU Vulkan (Intel Iris Xe), mesuré 1,8× plus rapide que le processeur.' },
    chatFormat: 'mistral' as never, memory: {} as never, loadMs: 5200, warnings: [],
  },
};

/** The shared server's model, as the status bar shows it once connected. */
const REMOTE_READY: RuntimeStatus = READY.state === 'ready'
  ? { state: 'ready', model: { ...READY.model, name: 'mistral-small-24b-instruct', remote: { url: 'https://llm.dept.gouv.fr/v1', host: 'llm.dept.gouv.fr', model: 'mistral-small-24b-instruct' } } }
  : READY;

/** The partial answer the engine returns after « Arrêter ». */
export function abortedResult(written: string): AskResult {
  return data.askResult({ answer: written, stopReason: 'aborted', relatedQuestions: [], links: [], notices: [STOPPED_NOTICE] });
}

export function fakeClient(options: FakeOptions = {}): GuichetClient {
  let settings = options.settings ?? data.settings();
  let written = '';
  const ask: GuichetClient['ask'] = options.ask ?? (() => {
    written = '';
    const events = data.askEvents().map((event): AskEvent => {
      if (event.type === 'token') return { ...event };
      return event;
    });
    const stream: ContractStream<AskEvent, AskResult> = scriptedStream(events, data.askResult(options.remote ? { writtenOn: 'llm.dept.gouv.fr' } : {}), options.tokenDelayMs ?? 0, () => abortedResult(written));
    return {
      result: stream.result,
      cancel: () => stream.cancel(),
      async *[Symbol.asyncIterator]() {
        for await (const event of stream) {
          if (event.type === 'token') written += event.text;
          yield event;
        }
      },
    };
  });
  const ok = <T>(value: T) => Promise.resolve(structuredClone(value));
  // Methods the screens never call (generate, models.load…) fail like an absent engine.
  const base = unavailableClient();
  return {
    ...base,
    ask,
    question: {
      // The fiches of the question being typed; with `read`, a reading of their extracts in three steps.
      prepare: ({ read }) => {
        const fiches = data.SOURCES.map((s) => ({ ficheId: s.ficheId, title: s.title, url: s.url, date: s.date, audience: s.audience, sections: [...new Set(s.passages.map((p) => p.sectionPath.join(' › ')))] }));
        const extracts = data.SOURCES.flatMap((s) => s.passages.map((_, j) => `${s.ficheId}#${j}`));
        const reading = read
          ? [0.3, 0.6, 1].map((fraction) => ({ type: 'reading' as const, fraction, inContext: Math.round(fraction * 900), total: 900 }))
          : [];
        return scriptedStream([{ type: 'fiches' as const, fiches, extracts }, ...reading], {
          fiches, extracts,
          reading: { state: read ? ('read' as const) : ('not-asked' as const), prefixTokens: read ? 900 : 0, reusedTokens: 0, readTokens: read ? 900 : 0, steps: read ? 5 : 0, stepsAfterYield: 0, readingMs: read ? 1800 : 0 },
        }, read ? (options.tokenDelayMs ?? 0) * 10 : 0);
      },
    },
    search: ({ query }) => ok({
      hits: [...data.SOURCES, ...data.CONSULTED_ONLY].map((s, i) => ({ ficheId: s.ficheId, title: s.title, audience: s.audience, source: 'dila' as const, kind: 'information' as const, url: s.url, date: s.date, description: '', score: 1 / (i + 1), pinned: false, passages: s.passages.map((p, j) => ({ chunkId: `${s.ficheId}#${j}`, text: p.text, sectionPath: p.sectionPath })) })),
      analysis: { query } as never, mode: 'fulltext' as const, weak: false,
    }),
    fiche: { get: ({ id }) => ok({ ...data.FICHE, id: id === 'F1341' ? 'F1341' : id }) },
    corpus: {
      ...base.corpus,
      info: () => ok(data.corpusInfo(options.corpusNewest, options.corpusAgeDays)),
      import: () => scriptedStream([{ type: 'progress' as const, label: 'Lecture des fiches', done: 1200, total: 3781 }], { manifest: data.corpusInfo().manifest, changes: {} as never, generation: 'g2' }, 200),
    },
    conversations: {
      list: () => ok({ total: 3, conversations: [
        { id: 'c-3', title: "Carte d'identité d'un enfant mineur : documents", createdAt: '2026-01-14T09:12:00Z', updatedAt: '2026-01-14T09:15:00Z', messageCount: 4 },
        { id: 'c-2', title: "Prime d'activité après une reprise d'emploi", createdAt: '2026-01-13T14:02:00Z', updatedAt: '2026-01-13T14:05:00Z', messageCount: 2 },
        { id: 'c-1', title: 'Changement d’adresse auprès de la CAF', createdAt: '2026-01-12T10:40:00Z', updatedAt: '2026-01-12T10:41:00Z', messageCount: 2 },
      ] }),
      get: ({ id }) => ok({ id, title: 'Carte d’identité', createdAt: '2026-01-14T09:12:00Z', updatedAt: '2026-01-14T09:15:00Z', messageCount: 2, skippedLines: 0, messages: [
        { id: 'a', role: 'agent' as const, text: data.QUESTION, createdAt: '2026-01-14T09:12:00Z' },
        { id: 'b', role: 'assistant' as const, text: data.askResult().answer, createdAt: '2026-01-14T09:12:10Z', citations: [{ n: 1, ficheId: 'F1341' }], sources: data.SOURCES, consulted: data.CONSULTED_ONLY },
      ] }),
      delete: () => ok(null),
      export: () => ok('# Conversation\n'),
    },
    feedback: {
      record: (input) => ok({ ...input, at: new Date().toISOString() }),
      stats: () => ok(data.FEEDBACK_STATS),
    },
    reply: {
      draft: () => scriptedStream(
        [{ type: 'status' as const, message: 'Rédaction de la réponse…' }, { type: 'token' as const, text: 'Madame, Monsieur,\n\nNous vous remercions pour votre message. ' }, { type: 'token' as const, text: 'Votre dossier de prime d’activité a bien été réexaminé et le versement reprendra le mois prochain.\n\nLa CAF de la Gironde' }],
        { reply: "Madame, Monsieur,\n\nNous vous remercions pour votre message. Votre dossier de prime d'activité a bien été réexaminé et le versement reprendra le mois prochain.\n\nLa CAF de la Gironde\n\nCette réponse a été préparée avec l'aide d'un outil d'intelligence artificielle et relue par un agent.", mention: "Cette réponse a été préparée avec l'aide d'un outil d'intelligence artificielle et relue par un agent.", citations: [], examplesUsed: ['r-1'], mode: 'model' as const, suggestions: [], notes: [] },
        options.tokenDelayMs ?? 0,
      ),
    },
    replies: {
      list: () => ok([
        { id: 'r-1', institution: 'CAF de la Gironde', tone: 'neutre' as const, testimony: "Mon versement de prime d'activité s'est arrêté sans explication.", reply: "Madame, Monsieur, nous avons bien reçu votre message. Après vérification, votre déclaration trimestrielle n'avait pas été enregistrée ; elle l'est désormais et le versement reprendra.", tags: ['prime'], createdAt: '2025-11-03T10:00:00Z', updatedAt: '2025-12-01T10:00:00Z', uses: 7 },
        { id: 'r-2', institution: 'CPAM de la Gironde', tone: 'chaleureux' as const, testimony: 'Attente très longue au guichet pour ma carte Vitale.', reply: 'Bonjour, merci pour votre retour. Nous comprenons votre agacement ; la carte Vitale peut désormais être commandée en ligne depuis votre compte ameli.', tags: [], createdAt: '2025-10-10T10:00:00Z', updatedAt: '2025-10-10T10:00:00Z', uses: 2 },
      ]),
      add: (entry) => ok({ ...entry, id: 'r-3', tags: [], createdAt: '2026-01-14T10:00:00Z', updatedAt: '2026-01-14T10:00:00Z', uses: 0 }),
      update: ({ id }) => ok({ id, institution: 'CAF', testimony: '', reply: '', tags: [], createdAt: '', updatedAt: '', uses: 0 }),
      delete: () => ok(null),
      export: () => ok('{"format":"guichet-replies","version":1,"entries":[]}'),
      import: () => ok({ added: 1, updated: 0, unchanged: 0, removed: 0, total: 3 }),
    },
    models: {
      ...base.models,
      list: () => ok({ freeRamBytes: 9e9, totalRamBytes: 16e9, catalog: [], problems: [], installed: [
        { id: 'mistral-7b', path: READY.state === 'ready' ? READY.model.path : '', fileName: 'mistral-7b-instruct-v0.3.Q4_K_M.gguf', sizeBytes: 4_370_000_000, source: 'policy' as const, addedAt: '2025-12-01', name: 'Mistral 7B Instruct v0.3', architecture: 'llama', quantization: 'Q4_K_M', trainContext: 32768, hasChatTemplate: true, shape: {} as never, fit: { verdict: 'ok' as const, maxContext: 8192, message: 'Tient en mémoire avec un contexte de 8 192 jetons.' } },
        { id: 'qwen-3b', path: '/opt/guichet/models/qwen2.5-3b-instruct-q4_k_m.gguf', fileName: 'qwen2.5-3b-instruct-q4_k_m.gguf', sizeBytes: 2_100_000_000, source: 'added' as const, addedAt: '2025-12-05', name: 'Qwen2.5 3B Instruct', architecture: 'qwen2', quantization: 'Q4_K_M', trainContext: 32768, hasChatTemplate: true, shape: {} as never, fit: { verdict: 'ok' as const, maxContext: 8192, message: 'Tient en mémoire avec un contexte de 8 192 jetons.' } },
      ] } as never),
      status: () => ok(options.runtime ?? (options.remote ? REMOTE_READY : READY)),
    },
    hardware: { info: () => ok({ platform: 'win32', arch: 'x64', cpu: { model: 'Intel Core i5-1235U', logicalCores: 12, physicalCores: 10, instructionSets: ['AVX2'] }, ram: { totalBytes: 16e9, freeBytes: 9e9 }, gpus: [], llamaCpp: { release: 'b6000', binary: 'prebuilt' as const } }) },
    settings: {
      get: () => ok(settings),
      set: ({ key, value }) => {
        if (settings.locked.includes(key as never)) return Promise.reject({ name: 'SettingsError', code: 'setting-locked', message: 'Ce réglage est fixé par la politique du poste.' });
        settings = { ...settings, values: { ...settings.values, [key]: value } };
        return ok({ ...settings, restartRequired: [] });
      },
    },
    remote: {
      status: () => ok(options.remote
        ? { allowed: true, allowedHosts: ['llm.dept.gouv.fr'], url: settings.values['runtime.remote.url'], host: settings.values['runtime.remote.url'] ? 'llm.dept.gouv.fr' : null, refusal: null, model: settings.values['runtime.remote.model'], keyFromPolicy: false, hasStoredKey: true, keyProtection: 'sealed' as const, masking: true, localForSession: false, setAsideHost: null }
        : { allowed: false, allowedHosts: [], url: null, host: null, refusal: null, model: null, keyFromPolicy: false, hasStoredKey: false, keyProtection: 'plain' as const, masking: settings.values['privacy.maskBeforeModel'], localForSession: false, setAsideHost: null }),
      models: () => ok({ configured: true, url: 'https://llm.dept.gouv.fr/v1', host: 'llm.dept.gouv.fr', models: [{ id: 'mistral-small-24b-instruct', contextLength: 32768 }, { id: 'lucie-7b-instruct', contextLength: 8192 }] }),
      setApiKey: () => ok(null),
      clearApiKey: () => ok(null),
      useLocalModel: () => Promise.reject({ name: 'SettingsError', code: 'setting-locked', message: 'Non proposé par ce faux client.' }),
    },
    health: () => ok({ engine: { pid: 1, uptimeMs: 1 }, corpus: null, model: options.runtime ?? READY, modelPath: null, warnings: [...(options.notices ?? [])], notices: options.notices ?? [] }),
    engine: { ...base.engine, status: () => endlessStream([{ type: 'engine.status' as const, state: 'ready' as const, recentCrashes: 0 }]), restart: () => ok(null) },
  };
}
