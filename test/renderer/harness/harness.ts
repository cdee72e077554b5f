/**
 * Test-only entry (never shipped): the real renderer over the fake client, configured by the query string.
 * `theme=neutre`, `service=<name>`, `old=1` (a base older than a year), `locked=1` (policy-locked settings),
 * `notice=<text>` (repeatable: `health`'s notices about the PC), `nomodel=1`, `remote=1` (policy allows a shared server, answers written there), `ask=hold` (sources and a few tokens, then waits for « Arrêter »), `delay=<ms>` between tokens.
 */
import type { AskEvent } from '../../../assistant/api.js';
import { mountGuichet } from '../../../renderer/src/boot.js';
import type { AskResult } from '../../../renderer/src/lib/api/client.js';
import { controlledStream } from '../fakes/controlledStream.js';
import { abortedResult, fakeClient } from '../fakes/fakeClient.js';
import * as data from '../fakes/fixtures.js';

const query = new URLSearchParams(location.search);
const locked = query.get('locked') === '1' ? (['privacy.maskBeforeModel', 'network.allowDownloads', 'runtime.modelPath', 'interface.theme'] as const) : [];
const settings = data.settings(
  {
    'interface.theme': query.get('theme') === 'neutre' ? 'neutre' : 'etat',
    'interface.serviceName': query.get('service'),
    ...(locked.length > 0 ? { 'privacy.maskBeforeModel': true, 'network.allowDownloads': false } : {}),
    ...(query.get('remote') === '1' ? { 'runtime.remote.url': 'https://llm.dept.gouv.fr/v1', 'remote.allowed': true, 'remote.allowedHosts': ['llm.dept.gouv.fr'] } : {}),
  },
  [...locked],
);

function holdingAsk() {
  let written = '';
  const control = controlledStream<AskEvent, AskResult>(() => abortedResult(written));
  void (async () => {
    await control.emit({ type: 'status', stage: 'searching', message: 'Recherche des fiches…' });
    await control.emit({ type: 'sources', consulted: [...data.SOURCES, ...data.CONSULTED_ONLY] });
    await control.emit({ type: 'status', stage: 'loading', message: 'Le modèle lit les extraits (environ 20 secondes sur ce PC)…' });
    // Without read-ahead the extracts are read after the question: « Lecture des extraits : 60 % ».
    await control.emit({ type: 'reading', fraction: 0.6, inContext: 540, total: 900 });
    if (query.get('tokens') === '1') {
      for (const text of data.ANSWER_TOKENS.slice(0, 2)) {
        written += text;
        await control.emit({ type: 'token', text });
      }
    }
  })();
  return control.stream;
}

const client = fakeClient({
  settings,
  ...(query.get('old') === '1' ? { corpusNewest: '2020-11-12', corpusAgeDays: 1890 } : {}),
  ...(query.get('nomodel') === '1' ? { runtime: { state: 'empty' } } : {}),
  ...(query.get('ask') === 'hold' ? { ask: holdingAsk } : {}),
  tokenDelayMs: Number(query.get('delay') ?? '0'),
  remote: query.get('remote') === '1',
  notices: query.getAll('notice'),
});
(globalThis as { guichetApp?: unknown }).guichetApp = mountGuichet(document.getElementById('app')!, client);
