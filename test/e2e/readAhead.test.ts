/**
 * Reading ahead while the agent types, in Chromium against `guichet serve` with the real engine and the tiny test
 * model: the fiches appear as the question takes shape, their extracts are read before Ctrl+Entrée, and the answer
 * says how little was left to read after it.
 */
import { describe, expect, it } from 'vitest';
import { QuestionPage } from '../renderer/e2e/pages/guichetPages.js';
import { axeViolations, blocking } from './support/browser.js';
import { waitForFirstToken, watchDraft } from './support/draftObserver.js';
import { useShell } from './support/shellFixture.js';
import { snapshot } from './support/snapshots.js';

const FIRST = 'Combien coûte la création d’une association ?';
const SECOND = 'Déclarer la modification des statuts d’une association';
const shell = useShell({ model: true });

describe('search as you type and read-ahead, with the real engine', () => {
  it('typing at 5 characters/s shows the fiches, reads their extracts, and the answer shows the share read after submit', async () => {
    const { page } = shell;
    const q = new QuestionPage(page);
    // A first question loads the model (a reading never loads one by itself); its first words are enough.
    await watchDraft(page);
    await q.ask(FIRST);
    await waitForFirstToken(page, 240_000);
    await q.stop();
    await page.getByText('Arrêté', { exact: true }).waitFor({ timeout: 60_000 });
    // Nothing was read ahead for it: most of its prompt was read after Ctrl+Entrée.
    const before = /Lu après la question : ([\d\s]+) jetons sur ([\d\s]+)/u.exec(await q.readAfterSubmit().innerText());
    expect(before).not.toBeNull();
    await q.type(SECOND, 5);
    // The fiches of the whole question, then the reading's own progress says when their extracts are read: waiting
    // for these is waiting for events, not a delay.
    const preview = page.locator(`.guichet-preview[data-question="${SECOND}"]`);
    await preview.getByRole('button').first().waitFor({ timeout: 120_000 });
    await preview.getByText(/Lecture des extraits : 100/).waitFor({ timeout: 120_000 });
    await q.typingPreview().scrollIntoViewIfNeeded();
    await snapshot(page, 'question-lecture-anticipee');
    expect(blocking(await axeViolations(page))).toEqual([]);
    await q.questionBox().press('Control+Enter');
    await page.locator('.guichet-draft').nth(1).waitFor({ timeout: 240_000 });
    await q.stop();
    await page.locator('.guichet-read-after').nth(1).waitFor({ timeout: 60_000 });
    const line = await q.readAfterSubmit().innerText();
    const [, read, total, share] = /Lu après la question : ([\d\s]+) jetons sur ([\d\s]+) \((\d+)\s%\)/u.exec(line) ?? [];
    const number = (text: string | undefined) => Number((text ?? '').replace(/\s/gu, ''));
    expect(number(before?.[1])).toBeGreaterThan(number(before?.[2]) / 2);
    expect(number(total)).toBeGreaterThan(100);
    // Only the question and the template's closing tokens were left: far under the 15 %.
    expect(number(read)).toBeLessThan(number(total) * 0.15);
    expect(Number(share)).toBeLessThan(15);
    await q.readAfterSubmit().scrollIntoViewIfNeeded();
    await snapshot(page, 'question-apres-lecture-anticipee');
  });
});
