import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { portTransport } from '../../assistant/contract/portTransport.js';

/** `process.parentPort` in an Electron utility process wraps each message in `{ data }`. */
class FakeParentPort extends EventEmitter {
  posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

describe('portTransport', () => {
  it('unwraps parentPort events, ignores non-RPC messages, and stops after close', () => {
    const port = new FakeParentPort();
    const transport = portTransport(port, (event) => (event as { data?: unknown }).data);
    const received: unknown[] = [];
    transport.onMessage((message) => received.push(message));
    const cancel = { kind: 'cancel', id: 3 };
    port.emit('message', { data: cancel });
    port.emit('message', { data: { type: 'guichet-engine-ready' } });
    expect(received).toEqual([cancel]);
    transport.send(cancel as never);
    expect(port.posted).toEqual([cancel]);
    const reasons: string[] = [];
    transport.onClose((reason) => reasons.push(reason));
    transport.close();
    transport.send(cancel as never);
    port.emit('message', { data: cancel });
    expect(port.posted).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(reasons).toEqual(['fermé']);
  });

  it('closes when posting fails', () => {
    const port = { postMessage: () => { throw new Error('port fermé'); }, on: () => undefined };
    const transport = portTransport(port);
    const reasons: string[] = [];
    transport.onClose((reason) => reasons.push(reason));
    transport.send({ kind: 'cancel', id: 1 } as never);
    expect(reasons[0]).toMatch(/port fermé/);
  });
});
