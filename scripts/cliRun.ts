/**
 * The state of one run of the command line that outlives a command's action: Ctrl-C, and an exit code other than
 * the action's own. One SIGINT handler for every command: the first Ctrl-C cancels the work (streams end with what
 * they had, imports leave the index as it was); a second one leaves at once.
 */
class CliRun {
  private controller = new AbortController();
  private code = 0;
  private listening = false;

  /** Aborted on Ctrl-C. Listens for SIGINT from its first use. */
  get signal(): AbortSignal {
    if (!this.listening) {
      this.listening = true;
      process.on('SIGINT', () => {
        if (this.controller.signal.aborted) process.exit(130);
        this.controller.abort();
      });
    }
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  /** An exit code for a command that printed its result but did not fully succeed (the model named could not load). */
  fail(code = 1): void {
    this.code = Math.max(this.code, code);
  }

  get exitCode(): number {
    return this.code;
  }
}

export const cliRun = new CliRun();
