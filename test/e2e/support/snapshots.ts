/** Screenshots of the real shell at 1366×768 and at 200 % zoom, into test/e2e/__screenshots__/. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOTS = join(import.meta.dirname, '../__screenshots__');

/**
 * Writes `<name>.png` at 1366×768, then `<name>@200.png` as the browser's 200 % zoom renders it: half the CSS viewport
 * (683×384) at twice the pixel density — the pages are opened at density 2 (see `newPage`) — then restores the viewport.
 */
export async function snapshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  await page.evaluate('document.fonts.ready');
  await iconsLoaded(page);
  await page.waitForTimeout(300); // clock: let the DSFR's 0.3 s transitions settle before the picture
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), scale: 'css' });
  await page.setViewportSize({ width: 683, height: 384 });
  await page.waitForTimeout(300); // clock: the layout reflows at the new width
  await iconsLoaded(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}@200.png`), scale: 'device' });
  await page.setViewportSize({ width: 1366, height: 768 });
}

/**
 * The DSFR's icons are CSS masks, each SVG fetched the first time an element shows it (the lock of a locked setting,
 * the menu button at 200 %): on a loaded machine the picture was taken before some arrived. Waits until no icon
 * request has started for a moment.
 */
async function iconsLoaded(page: Page): Promise<void> {
  const count = () => page.evaluate("performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'css').length") as Promise<number>;
  let seen = -1;
  for (let round = 0; round < 20; round += 1) {
    const now = await count();
    if (now === seen) return;
    seen = now;
    await page.waitForTimeout(250); // clock: a quiet moment without a new icon request
  }
}
