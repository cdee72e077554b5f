/**
 * The OpenAI-compatible stand-in in a process of its own, as a real server would be (the bench's shared-server row):
 * `node --import tsx test/support/openAiStandInMain.ts <model.gguf>` prints `{"url": …}` on its first line, then
 * serves until its standard input closes.
 */
import { startOpenAiStandIn } from './openAiStandIn.js';

const modelPath = process.argv[2];
if (!modelPath) throw new Error('usage: openAiStandInMain.ts <model.gguf>');
const standIn = await startOpenAiStandIn({ modelPath });
process.stdout.write(`${JSON.stringify({ url: standIn.url, host: standIn.host, model: standIn.model })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void standIn.close().then(() => process.exit(0)));
process.stdin.on('close', () => void standIn.close().then(() => process.exit(0)));
