/**
 * The notices about the PC that `health` gives and the shell shows on every screen, with the real engine behind
 * `guichet serve`: a broken machine policy (a misspelt key) starts Guichet locked down, and the agent is told why.
 * (The no-keystore notice exists in the desktop app only: its screenshot comes from the renderer harness,
 * `npm run screenshots -- avis`, with the desktop's own text.)
 */
import { describe, expect, it } from 'vitest';
import { QuestionPage } from '../renderer/e2e/pages/guichetPages.js';
import { axeViolations, blocking } from './support/browser.js';
import { TEST_POLICY } from './support/guichetServe.js';
import { useShell } from './support/shellFixture.js';
import { snapshot } from './support/snapshots.js';

const shell = useShell({ model: false, policyFor: () => ({ ...TEST_POLICY, 'runtime.thread': 4 }) });

describe('notices about the PC, with the real engine', () => {
  it('says on every screen, in French, that the policy is broken and Guichet runs locked down; the agent can hide it', async () => {
    const notice = shell.page.getByRole('region', { name: 'Avertissement sur ce poste' });
    await expect(notice.innerText()).resolves.toMatch(/La politique machine \(.*\) est invalide : clé inconnue « runtime\.thread »\. Guichet démarre en mode restreint/);
    await snapshot(shell.page, 'avis-politique-invalide');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
    // Search still works under the notice.
    const q = new QuestionPage(shell.page);
    await q.ask('Comment créer une association ?');
    await q.sourceCards().first().waitFor();
    await notice.getByRole('button', { name: 'Masquer le message' }).click();
    await expect(notice.count()).resolves.toBe(0);
  });
});
