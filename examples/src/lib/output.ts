import { OutputClosed } from './errors.js';

// Where an example's human-readable lines go. With --json (or quiet, in tests)
// nothing but the final JSON line is written, so the output can be parsed.
export interface Output {
  /** Prints one line for a person (dropped with --json or quiet). */
  log(line?: string): void;
  /** True when lines are shown. */
  readonly verbose: boolean;
  /** Prints the final metrics as one JSON line (only with --json). */
  json(value: unknown): void;
}

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Writes to stdout, or throws OutputClosed once the reader has gone (the stream is destroyed after an EPIPE). */
export function writeStdout(s: string): void {
  if (process.stdout.destroyed || process.stdout.writableEnded) throw new OutputClosed();
  process.stdout.write(s);
}

export function makeOutput({ json = false, quiet = false }: OutputOptions = {}): Output {
  const verbose = !json && !quiet;
  return {
    verbose,
    log(line = '') {
      if (verbose) writeStdout(line + '\n');
    },
    json(value) {
      if (json && !quiet) writeStdout(JSON.stringify(value) + '\n');
    },
  };
}
