import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

/**
 * Electron's utility process, both ends, as its documentation describes them (docs/api/utility-process.md,
 * docs/api/parent-port.md): in the main process a `UtilityProcess` whose `message` event gives the message itself,
 * with `postMessage(message)`, `kill()`, `pid`, `stderr` (stdio 'pipe') and an `exit` event with the code; in the
 * child, `process.parentPort`, whose `message` events are MessageEvents `{ data, ports }`. Messages are
 * structured-cloned and delivered asynchronously, as across a real process boundary.
 */
export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  readonly stderr = new PassThrough();
  readonly stdout = null;
  readonly parentPort = new FakeParentPort(this);
  killed = false;
  exitCode: number | undefined;

  postMessage(message: unknown): void {
    if (this.exitCode !== undefined) return;
    const data = structuredClone(message);
    setImmediate(() => this.parentPort.emit('message', { data, ports: [] }));
  }

  kill(): boolean {
    if (this.exitCode !== undefined) return false;
    this.killed = true;
    this.exit(process.platform === 'win32' ? 1 : 15);
    return true;
  }

  /** The child ends (`process.exit(code)` in it, or an abort): Electron emits `exit` with the code. */
  exit(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.pid = undefined;
    setImmediate(() => this.emit('exit', code));
  }
}

/** The child's `process.parentPort`. */
export class FakeParentPort extends EventEmitter {
  constructor(private readonly child: FakeUtilityProcess) {
    super();
  }

  postMessage(message: unknown): void {
    if (this.child.exitCode !== undefined) return;
    const copy = structuredClone(message);
    setImmediate(() => this.child.emit('message', copy));
  }
}
