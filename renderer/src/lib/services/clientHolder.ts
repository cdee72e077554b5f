import type { GuichetClient } from '../api/client.js';

let current: GuichetClient | undefined;

/** Given once by the entry (`boot.ts`): the shell's client, or the tests' fake. */
export function provideClient(client: GuichetClient): void {
  current = client;
}

/** The client, for services only. */
export function client(): GuichetClient {
  if (!current) throw new Error('Guichet client not provided: call provideClient() before mounting the app.');
  return current;
}
