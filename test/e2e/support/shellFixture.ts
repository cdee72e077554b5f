/** One served Guichet and one Chromium page per test, with a fresh data dir: what every browser test starts from. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { AppFrame } from '../../renderer/e2e/pages/guichetPages.js';
import { launchChromium, newPage } from './browser.js';
import { E2eWorkspace, type ServedGuichet, startGuichet, TEST_POLICY } from './guichetServe.js';

export interface ShellFixture {
  readonly guichet: ServedGuichet;
  readonly page: Page;
  readonly workspace: E2eWorkspace;
}

export interface ShellFixtureOptions {
  /** Serve with the tiny test model. */
  model: boolean;
  /** The machine policy of a test, by its name; default {@link TEST_POLICY}. */
  policyFor?: (testName: string) => Record<string, unknown>;
}

/** One workspace and one Chromium for a test file, closed after it; the fields are valid inside each test. */
export function useBrowserWorkspace(): { readonly workspace: E2eWorkspace; readonly browser: Browser } {
  let workspace: E2eWorkspace;
  let browser: Browser;
  beforeAll(async () => {
    workspace = await E2eWorkspace.create();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await workspace?.dispose();
  });
  return {
    get workspace() {
      return workspace;
    },
    get browser() {
      return browser;
    },
  };
}

/** Registers the hooks; the returned object's fields are valid inside each test. */
export function useShell(options: ShellFixtureOptions): ShellFixture {
  const shared = useBrowserWorkspace();
  let guichet: ServedGuichet;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeEach(async (test) => {
    const { workspace, browser } = shared;
    const name = test.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    const policy = options.policyFor?.(test.task.name) ?? TEST_POLICY;
    guichet = await startGuichet({ dataDir: await workspace.dataDirWithIndex(name), policyPath: await workspace.policy(name, policy), model: options.model });
    ({ context, page, problems } = await newPage(browser));
    await page.goto(guichet.url);
    await new AppFrame(page).statusBar().getByText(/Base : \d/).waitFor();
  });
  afterEach(async () => {
    await context?.close();
    // Ctrl-C ends the CLI, which ends its engine.
    expect(await guichet?.stop()).not.toBeNull();
    expect(problems).toEqual([]);
  });

  return {
    get guichet() {
      return guichet;
    },
    get page() {
      return page;
    },
    get workspace() {
      return shared.workspace;
    },
  };
}
