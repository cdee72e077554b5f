/** Records in the page, as they happen, when the first source card and each new length of the draft appear. */
import type { Page } from 'playwright-core';

export interface DraftTimeline {
  /** `performance.now()` when the first source card was in the DOM. */
  firstSourceAt: number | null;
  /** `performance.now()` when the draft first had text. */
  firstTokenAt: number | null;
  /** Each distinct length of the draft's text, in order. */
  lengths: number[];
}

/** Starts watching; read it with {@link readTimeline}. Only the turn asked after this call is watched. */
export async function watchDraft(page: Page): Promise<void> {
  // A script string: this file is type-checked for Node, the code runs in the page.
  await page.evaluate(`(() => {
    const timeline = { firstSourceAt: null, firstTokenAt: null, lengths: [] };
    const before = document.querySelectorAll('.guichet-turn').length;
    const look = () => {
      const turns = document.querySelectorAll('.guichet-turn');
      if (turns.length <= before) return;
      if (timeline.firstSourceAt === null && document.querySelector('.guichet-sources article.fr-card')) timeline.firstSourceAt = performance.now();
      const draft = turns[turns.length - 1].querySelector('.guichet-draft');
      const length = draft && draft.textContent ? draft.textContent.trim().length : 0;
      if (length > 0 && timeline.firstTokenAt === null) timeline.firstTokenAt = performance.now();
      if (length > 0 && timeline.lengths[timeline.lengths.length - 1] !== length) timeline.lengths.push(length);
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
    globalThis.guichetTimeline = timeline;
  })()`);
}

export function readTimeline(page: Page): Promise<DraftTimeline> {
  return page.evaluate('globalThis.guichetTimeline') as Promise<DraftTimeline>;
}

/** Waits until the watched draft has shown `count` distinct lengths. */
export async function waitForLengths(page: Page, count: number, timeout: number): Promise<void> {
  // A function, not a string: a string predicate is eval'd in the page, which the shell's CSP refuses.
  await page.waitForFunction((n) => (globalThis as unknown as { guichetTimeline: DraftTimeline }).guichetTimeline.lengths.length >= n, count, { timeout });
}

/** Waits until the last draft has text. */
export async function waitForFirstToken(page: Page, timeout: number): Promise<void> {
  type Doc = { document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> } };
  await page.waitForFunction(() => Array.from((globalThis as unknown as Doc).document.querySelectorAll('.guichet-draft')).some((d) => (d.textContent ?? '').trim().length > 0), undefined, { timeout });
}
