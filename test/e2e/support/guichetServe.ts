/**
 * `guichet serve` as the end-to-end tests run it: the real CLI (through the test composition, which passes the
 * machine policy's path), the real engine process, a fresh data dir per test copied from an index of a real DILA zip.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { DILA_FEEDS, sharedFile } from '../../support/sharedData.js';

export const GUICHET_CLI = join(import.meta.dirname, '../../support/guichet-test-cli.js');
export const TINY_MODEL = sharedFile('models/stories260K.gguf');
/** Nothing leaves the machine in a test: downloads off; two threads on this 2-vCPU machine. */
export const TEST_POLICY = { 'network.allowDownloads': false, 'runtime.threads': 2 };

const run = promisify(execFile);

/** A folder of its own for one test file: data dirs, policies; removed by `dispose`. */
export class E2eWorkspace {
  private constructor(readonly root: string) {}

  static async create(): Promise<E2eWorkspace> {
    return new E2eWorkspace(await mkdtemp(join(tmpdir(), 'guichet-e2e-')));
  }

  /** A data dir holding a real index of the DILA associations zip, built once per workspace, copied per call. */
  async dataDirWithIndex(name: string): Promise<string> {
    const template = join(this.root, 'template');
    this.template ??= (async () => {
      await run(process.execPath, [GUICHET_CLI, '--politique', await this.policy('template', TEST_POLICY), '--data-dir', template, 'corpus', 'import', '--from', sharedFile(DILA_FEEDS.associations)]);
    })();
    await this.template;
    const dataDir = join(this.root, name);
    await cp(template, dataDir, { recursive: true });
    return dataDir;
  }

  /** An empty data dir (first run). */
  async emptyDataDir(name: string): Promise<string> {
    const dataDir = join(this.root, name);
    await mkdir(dataDir, { recursive: true });
    return dataDir;
  }

  async policy(name: string, policy: Record<string, unknown>): Promise<string> {
    const path = join(this.root, `${name}-policy.json`);
    await writeFile(path, JSON.stringify(policy));
    return path;
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  private template: Promise<void> | undefined;
}

/** A running `guichet serve` (or `guichet` alone). */
export interface ServedGuichet {
  /** The launch URL, with its token. */
  url: string;
  /** `http://127.0.0.1:PORT/`, without the token. */
  origin: string;
  port: number;
  /** What the command wrote on stderr so far (progress lines, warnings). */
  stderr(): string;
  /** Ctrl-C: resolves with the exit code once the CLI (and so its engine) has ended. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  dataDir: string;
  policyPath: string;
  /** Serve with the tiny test model (`--model`). Default true. */
  model?: boolean;
  /** `guichet` alone (first-run steps, then serve) instead of `guichet serve`. */
  bare?: boolean;
}

/** Starts the shell and waits for its JSON line `{url, port}`. */
export async function startGuichet(options: ServeOptions): Promise<ServedGuichet> {
  const command = options.bare ? [] : ['serve', ...(options.model === false ? [] : ['--model', TINY_MODEL])];
  const child: ChildProcess = spawn(process.execPath, [GUICHET_CLI, '--politique', options.policyPath, '--data-dir', options.dataDir, '--json', ...command, '--port', '0', '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANCEDB_LOG: 'error' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: string };
        if (typeof parsed.url === 'string') resolve(parsed.url);
      } catch {
        // `guichet` alone prints its first-run report (indented JSON) first.
      }
    });
    void exited.then((code) => reject(new Error(`guichet s'est arrêté (code ${code}) avant de servir :\n${stderr}`)));
  });
  const { port, origin } = new URL(url);
  return {
    url,
    origin: `${origin}/`,
    port: Number(port),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
