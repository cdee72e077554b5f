/**
 * `node --import tsx test/support/reportScreenshot.ts <rapport.html> <capture.png>`: a full-page capture of an
 * evaluation report in Debian's Chromium, as committed under docs/eval/exemple/.
 */
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../e2e/support/browser.js';

const [report, capture] = process.argv.slice(2);
if (!report || !capture) throw new Error('usage : reportScreenshot.ts <rapport.html> <capture.png>');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  await page.goto(pathToFileURL(report).href);
  await page.screenshot({ path: capture, fullPage: true });
} finally {
  await browser.close();
}
