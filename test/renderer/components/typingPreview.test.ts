import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuichetClient } from '../../../renderer/src/lib/api/client.js';
import { provideClient } from '../../../renderer/src/lib/services/clientHolder.js';
import { STABLE_MS, TYPING_PAUSE_MS, TypingPreview } from '../../../renderer/src/lib/state/typingPreview.svelte.js';
import { fakeClient } from '../fakes/fakeClient.js';

/** Search as you type: what is asked of the engine, and when (fake timers: the pauses are the agent's). */
describe('TypingPreview', () => {
  let calls: { question: string; read?: boolean }[];

  beforeEach(() => {
    vi.useFakeTimers();
    calls = [];
    const base = fakeClient();
    const client: GuichetClient = {
      ...base,
      question: {
        prepare: (params, options) => {
          calls.push({ question: params.question, ...(params.read ? { read: true } : {}) });
          return base.question.prepare(params, options);
        },
      },
    };
    provideClient(client);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('searches after a pause only, then reads ahead when the extracts stay the same over two pauses', async () => {
    const preview = new TypingPreview();
    for (const text of ['Carte', "Carte d'iden", "Carte d'identité enfant"]) {
      preview.update(text, {});
      await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS / 3);
    }
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS);
    expect(calls).toEqual([{ question: "Carte d'identité enfant" }]);
    expect(preview.fiches.length).toBeGreaterThan(0);
    preview.update("Carte d'identité enfant 8 ans", {});
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS + 1);
    // Same extracts as the previous pause: the reading starts at once.
    expect(calls.at(-1)).toEqual({ question: "Carte d'identité enfant 8 ans", read: true });
    await vi.advanceTimersByTimeAsync(10);
    expect(preview.readingFraction).toBe(1);
    expect(preview.readingState).toBe('read');
  });

  it('with one pause and no more typing, reads ahead after a moment; short texts are not searched', async () => {
    const preview = new TypingPreview();
    preview.update('Carte', {});
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS * 2);
    expect(calls).toEqual([]);
    preview.update('Passeport perdu à l’étranger', { conversationId: 'c-1' });
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS + 1);
    expect(calls).toEqual([{ question: 'Passeport perdu à l’étranger' }]);
    await vi.advanceTimersByTimeAsync(STABLE_MS + 1);
    expect(calls.at(-1)).toEqual({ question: 'Passeport perdu à l’étranger', read: true });
    preview.asked();
    expect(preview.fiches).toEqual([]);
    expect(preview.readingFraction).toBeNull();
  });
});
