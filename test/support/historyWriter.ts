/**
 * Child process of the crash test (test/integration/historyCrash.test.ts): appends messages to one conversation
 * forever and prints `ok <n> <milliseconds>` once each append has resolved (written and fsynced). The parent kills it
 * with SIGKILL at a random point. Usage: `node --import tsx historyWriter.ts <dataDir> <conversationId> <round>`.
 */
import { pathToFileURL } from 'node:url';
import { ConversationStore } from '../../assistant/history/conversationStore.js';

/**
 * The text of message `n` of `round`: recognisable, with accents (multi-byte UTF-8), and sizes from a few bytes to
 * ~400 KB so that the kill often lands in the middle of a write.
 */
export function crashMessageText(round: number, n: number): string {
  const size = ((round + 1) * 7_919 * (n + 3)) % 200_000;
  return `round ${round} message ${n} ${'é'.repeat(size)} fin ${n}`;
}

async function main(): Promise<void> {
  const [dataDir, id, round] = process.argv.slice(2);
  if (!dataDir || !id || !round) throw new Error('usage: historyWriter.ts <dataDir> <conversationId> <round>');
  const store = new ConversationStore({ dataDir, redact: (text) => text });
  for (let n = 0; ; n += 1) {
    const started = performance.now();
    await store.append(id, { role: n % 2 === 0 ? 'agent' : 'assistant', text: crashMessageText(Number(round), n) });
    // Pipes are synchronous on Linux: once the parent reads this line, the message is on disk.
    process.stdout.write(`ok ${n} ${(performance.now() - started).toFixed(3)}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
