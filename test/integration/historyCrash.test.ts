import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../assistant/history/conversationStore.js';
import { median } from '../../assistant/feedback/feedbackStats.js';
import { crashMessageText } from '../support/historyWriter.js';
import { type SeededRandom, seededRandom } from '../support/seededRandom.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WRITER = join(ROOT, 'test/support/historyWriter.ts');
const ROUNDS = 6;

/** Runs the writer until `confirmations` appends are confirmed, waits `killDelayMs` more, then SIGKILLs it. */
async function writeAndKill(dataDir: string, id: string, round: number, confirmations: number, killDelayMs: number): Promise<{ confirmed: number; latencies: number[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, id, String(round)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  const latencies: number[] = [];
  let confirmed = 0;
  let killing = false;
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^ok (\d+) ([\d.]+)$/.exec(line);
    if (!match) continue;
    expect(Number(match[1])).toBe(confirmed);
    confirmed += 1;
    latencies.push(Number(match[2]));
    if (confirmed >= confirmations && !killing) {
      killing = true;
      // Not right after a confirmation: somewhere inside the next append (a large write, its fsync, or between). The
      // delay comes from the seed; where in the write it lands is the machine's timing, which the seed cannot replay.
      setTimeout(() => child.kill('SIGKILL'), killDelayMs);
    }
  }
  const signal = await exited;
  expect(signal, `le processus fils devait être tué, pas sortir seul : ${stderr}`).toBe('SIGKILL');
  return { confirmed, latencies };
}

describe('conversation history under kill -9', () => {
  it('keeps every confirmed message intact, loses at most the one being written, and appends afterwards', async () => {
    // The kill points are drawn from a seed, printed first: GUICHET_TEST_SEED=<seed> replays them.
    const random: SeededRandom = seededRandom();
    console.info(`historyCrash: graine ${random.seed} (rejouer : GUICHET_TEST_SEED=${random.seed} npx vitest run test/integration/historyCrash.test.ts)`);
    const dataDir = await mkdtemp(join(tmpdir(), 'guichet-crash-'));
    const store = new ConversationStore({ dataDir, redact: (text) => text });
    const { id } = await store.create('Test de coupure');
    const expected: string[] = [];
    const latencies: number[] = [];
    let tornTails = 0;
    let unconfirmedKept = 0;

    // Each round: a fresh writer process (the next one starts on a possibly torn file), killed at a random point.
    for (let round = 0; round < ROUNDS; round += 1) {
      const where = `graine ${random.seed}, tour ${round}`;
      const { confirmed, latencies: roundLatencies } = await writeAndKill(dataDir, id, round, random.int(3, 27), random.next() * 15);
      latencies.push(...roundLatencies);
      const file = join(dataDir, 'conversations', `${id}.jsonl`);
      if (!(await readFile(file)).toString('utf8').endsWith('\n')) tornTails += 1;

      const reopened = new ConversationStore({ dataDir, redact: (text) => text });
      const texts = (await reopened.get(id)).messages.map((m) => m.text);
      const fromRound = texts.slice(expected.length);
      // Everything confirmed is there, byte for byte, in order; beyond it, at most the message being written.
      expect(texts.slice(0, expected.length), where).toEqual(expected);
      expect(fromRound.length === confirmed || fromRound.length === confirmed + 1, where).toBe(true);
      fromRound.forEach((text, n) => expect(text, where).toBe(crashMessageText(round, n)));
      unconfirmedKept += fromRound.length - confirmed;
      expect((await reopened.get(id)).skippedLines, where).toBe(0);

      // The store still appends after the crash, past any torn line.
      const after = `après la coupure ${round}`;
      await reopened.append(id, { role: 'agent', text: after });
      expected.push(...fromRound, after);
      expect((await reopened.get(id)).messages.map((m) => m.text)).toEqual(expected);

      if (round % 2 === 1) {
        // SIGKILL rarely tears a write on Linux (the kernel finishes the syscall); a power cut or a full disk does.
        // Every other round, tear one by hand: the next writer process starts on a line that never got its end.
        await appendFile(file, '{"type":"message","id":"torn","role":"agent","text":"round'.slice(0, random.int(5, 54)));
        tornTails += 1;
        expect((await reopened.get(id)).messages.map((m) => m.text)).toEqual(expected);
      }
    }
    const list = await store.list();
    expect(list.conversations[0]).toMatchObject({ id, messageCount: expected.length });
    console.info(
      `historyCrash (graine ${random.seed}): ${ROUNDS} kills, ${expected.length} messages, ${tornTails} torn tails, ${unconfirmedKept} unconfirmed kept; ` +
        `append+fsync median ${median(latencies)?.toFixed(2)} ms over ${latencies.length} appends`,
    );
    // Tens of megabytes of test messages: not left in the temporary folder.
    await rm(dataDir, { recursive: true, force: true });
  });
});
