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

export function makeOutput({ json = false, quiet = false }: OutputOptions = {}): Output {
  const verbose = !json && !quiet;
  return {
    verbose,
    log(line = '') {
      if (verbose) process.stdout.write(line + '\n');
    },
    json(value) {
      if (json && !quiet) process.stdout.write(JSON.stringify(value) + '\n');
    },
  };
}
