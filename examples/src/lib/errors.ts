// The two ways an example stops early besides an XentError; main() (cli.ts)
// turns each into one line and an exit code, never a stack trace.

/**
 * A failure of the run that the user can fix (an output folder that cannot be
 * written): main() prints `error: <message>` and exits with code 1.
 */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}

/**
 * Thrown when stdout has been closed by its reader (`demo | head -1`: EPIPE):
 * nobody reads the rest, so the example stops at its next line instead of going on.
 * main() exits quietly with code 0 (the reader got what it asked for).
 */
export class OutputClosed extends Error {
  constructor() {
    super('stdout was closed by its reader');
    this.name = 'OutputClosed';
  }
}
