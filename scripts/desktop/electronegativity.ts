/**
 * `npm run audit:electron`: the static audit of the desktop shell with @doyensec/electronegativity, run with `npx -y`
 * from a folder of its own (installed in the project it breaks: it uses commander without declaring it and picks up
 * ours, 14). It exits 0 whatever it finds, so its CSV is read here: any HIGH finding fails, and so does any MEDIUM
 * one without its written justification below. The CSV is kept in dist/electronegativity.csv.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../projectRoot.js';

const ROOT = projectRoot().path;
const TOOL = '@doyensec/electronegativity@1.10.3';

/** Why each MEDIUM finding is acceptable, by check (and file when it matters). */
export const JUSTIFICATIONS: Record<string, string> = {
  CSP_GLOBAL_CHECK:
    "La CSP est envoyée en en-tête de chaque réponse app:// (electron/appProtocol.ts), depuis la même source que le shell web (assistant/contract/contentSecurityPolicy.ts), et vérifiée par test/unit/electronMain.test.ts ; l'outil ne cherche que des balises <meta> et onHeadersReceived.",
  OPEN_EXTERNAL_JS_CHECK:
    "shell.openExternal n'ouvre que des adresses https, après confirmation de l'agent (electron/externalLinks.ts, appelé par electron/navigationGuard.ts) ; testé par test/unit/electronMain.test.ts.",
  PRELOAD_JS_CHECK:
    "Le preload n'expose que invoke, subscribe et cancel, vérifiés contre la table des méthodes (electron/preloadBridge.ts), jamais ipcRenderer ; testé par test/unit/desktopBridge.test.ts.",
};

export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
}

/** The first five columns of its CSV (the sample after them is not quoted and may hold commas). */
export function parseFindings(csv: string): Finding[] {
  return csv
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [issue = '', severity = '', confidence = '', file = '', location = ''] = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
      return { issue, severity, confidence, file, location };
    });
}

/** The findings that fail the audit: HIGH ones, and MEDIUM ones without a justification. */
export function failing(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity === 'HIGH' || finding.severity === 'CRITICAL' || (finding.severity === 'MEDIUM' && !JUSTIFICATIONS[finding.issue]));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const work = join(tmpdir(), 'guichet-electronegativity');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'package.json'), '{ "name": "guichet-electronegativity", "private": true }\n');
  const csv = join(work, 'resultats.csv');
  execFileSync('npx', ['-y', TOOL, '-i', join(ROOT, 'electron'), '-o', csv, '-e', '42.11.18', '-r'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  copyFileSync(csv, join(ROOT, 'dist', 'electronegativity.csv'));
  const findings = parseFindings(readFileSync(csv, 'utf8'));
  for (const finding of findings) {
    const why = JUSTIFICATIONS[finding.issue];
    console.log(`${finding.severity.padEnd(8)} ${finding.issue} ${finding.file}:${finding.location}${why && finding.severity !== 'HIGH' ? `\n         justifié : ${why}` : ''}`);
  }
  const bad = failing(findings);
  if (bad.length > 0) {
    console.error(`Audit Electron : ${bad.length} constat(s) HIGH ou MEDIUM sans justification.`);
    process.exitCode = 1;
  } else console.log(`Audit Electron : ${findings.length} constat(s), aucun HIGH, chaque MEDIUM justifié.`);
}
