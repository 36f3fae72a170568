// Command lines for the examples (commander). A mistake in the user's input —
// an unknown flag, a bad number, a choice that does not exist — gives one
// line on stderr and exit code 2; --help prints the usage and exits 0.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { XentError } from '@xent/tensor';
import { OutputClosed, RunError } from './errors.js';
import { ensureOutDir } from './plot.js';
import { OPTIMIZERS, type OptimizerName } from './train.js';

/** Exit code for errors in the user's input (like most Unix tools' usage errors). */
export const USAGE_ERROR = 2;

/** The options every training example takes. */
export interface TrainOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  optimizer: OptimizerName;
  seed: number;
  /** Print only the final metrics, as one JSON line. */
  json: boolean;
  /** Print nothing at all (for tests). */
  quiet: boolean;
  /** Folder for the SVG plot; null writes none. Default examples/out. */
  outDir: string | null;
  /** Train on only the first n training examples (all when undefined). */
  trainSize: number | undefined;
}

/** Where commander writes; tests pass their own to capture the text. */
export interface CliIO {
  out?: (s: string) => void;
  err?: (s: string) => void;
}

export type CliResult<O> = { kind: 'run'; options: O } | { kind: 'exit'; code: number };

// ---------------------------------------------------------------- number parsing

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A commander argument parser for whole numbers in [min, max] (max: what the option's function
 * accepts, so that the flag is named in the refusal). Rejects '3.5', '1e3', '', 'ten'.
 */
export function intArg(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
  return (value) => {
    const n = Number(value);
    if (!INT.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number ${range}.`);
    }
    return n;
  };
}

/** A commander argument parser for finite decimals > 0 (learning rates). Rejects 'NaN', 'Infinity', '0', '-1', '0.1x'. */
export function positiveArg(): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (!FLOAT.test(value.trim()) || !Number.isFinite(x) || x <= 0) {
      throw new InvalidArgumentError('expected a number > 0, e.g. 0.1 or 1e-3.');
    }
    return x;
  };
}

// ---------------------------------------------------------------- commands

/** A command with our error handling: errors are thrown (not process.exit) and printed on one line. */
export function baseCommand(name: string, description: string, io: CliIO = {}): Command {
  const out = io.out ?? ((s: string) => void process.stdout.write(s));
  const err = io.err ?? ((s: string) => void process.stderr.write(s));
  return new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({
      writeOut: out,
      writeErr: err,
      // commander puts its "(Did you mean --lr?)" hint on a second line; keep the message on one.
      outputError: (s, write) => write(s.trimEnd().replace(/\s*\n\s*/g, ' ') + '\n'),
    });
}

/** Parses argv (the user's arguments, without node and the script) and maps commander's outcome to an exit code. */
export function parseWith<O>(cmd: Command, argv: readonly string[], toOptions: (raw: Record<string, unknown>) => O): CliResult<O> {
  // `pnpm demo -- --epochs 3` passes the `--` through; it only separates pnpm's flags from ours.
  const args = argv[0] === '--' ? argv.slice(1) : argv.slice();
  try {
    cmd.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version';
      return { kind: 'exit', code: ok ? 0 : USAGE_ERROR };
    }
    throw e;
  }
  return { kind: 'run', options: toOptions(cmd.opts()) };
}

export interface TrainCliSpec<L extends string> {
  /** Program name shown in the usage line. */
  name: string;
  description: string;
  defaults: TrainOptions & { loss: L };
  /** The losses --loss may choose from, with one line each for --help. */
  losses: Readonly<Record<L, string>>;
  /** Adds an example's own flags after the common ones (e.g. --hidden, --save). */
  extraFlags?: (cmd: Command) => void;
  /** Maps the parsed values of those flags to options (merged over the common ones). */
  extraOptions?: (raw: Record<string, unknown>) => Record<string, unknown>;
}

/** The training examples' command line: --epochs --lr --batch-size --optimizer --seed --loss --train-size --json --out-dir --no-plot. */
export function parseTrainArgs<L extends string>(
  argv: readonly string[],
  spec: TrainCliSpec<L>,
  io: CliIO = {},
): CliResult<TrainOptions & { loss: L }> {
  const d = spec.defaults;
  const names = Object.keys(spec.losses) as L[];
  const cmd = baseCommand(spec.name, spec.description, io)
    .option('-e, --epochs <n>', 'passes over the training set', intArg(1), d.epochs)
    .option('--lr <x>', 'learning rate', positiveArg(), d.lr)
    .option('-b, --batch-size <n>', 'examples per gradient step', intArg(1), d.batchSize)
    .addOption(new Option('--optimizer <name>', 'optimizer from @xent/optim').choices(OPTIMIZERS).default(d.optimizer))
    .option('--seed <n>', 'seed of the train/test split and the batch order', intArg(0), d.seed)
    .option('--train-size <n>', 'train on only the first n training examples (default: all)', intArg(1))
    .option('--json', 'print only the final metrics, as one JSON line', false)
    .option('--out-dir <dir>', 'folder for the SVG plot (default: examples/out)')
    .option('--no-plot', 'write no SVG plot');
  if (names.length > 1) {
    cmd.addOption(new Option('--loss <name>', 'which loss to train with (listed below)').choices(names).default(d.loss));
    const width = Math.max(...names.map((n) => n.length));
    cmd.addHelpText('after', `\nLosses:\n${names.map((n) => `  ${n.padEnd(width)}  ${spec.losses[n]}`).join('\n')}\n`);
  }
  spec.extraFlags?.(cmd);
  return parseWith(cmd, argv, (raw) => ({
    ...d,
    ...spec.extraOptions?.(raw),
    epochs: raw.epochs as number,
    lr: raw.lr as number,
    batchSize: raw.batchSize as number,
    optimizer: raw.optimizer as OptimizerName,
    seed: raw.seed as number,
    trainSize: raw.trainSize as number | undefined,
    json: raw.json === true,
    outDir: raw.plot === false ? null : typeof raw.outDir === 'string' ? resolve(raw.outDir) : d.outDir,
    loss: (raw.loss as L | undefined) ?? d.loss,
  }));
}

// ---------------------------------------------------------------- entry points

/**
 * True when the module at `metaUrl` is the script node was started with
 * (`tsx src/iris.ts`, `node --import tsx src/iris.ts`), false when imported.
 */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    const self = realpathSync(fileURLToPath(metaUrl));
    const script = resolve(entry);
    return realpathSync(script) === self;
  } catch {
    return false;
  }
}

/** True for the error a write to a pipe whose reader has gone raises. */
function isBrokenPipe(e: unknown): boolean {
  return e instanceof OutputClosed || (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/**
 * Runs an example from the command line: parse, check that the plot's folder
 * can be written (before training), run, and turn every failure into one line
 * on stderr and an exit code — never a stack trace:
 * 2 for bad input (already reported by the parser); 1 for an XentError, a
 * RunError or any other error while running; 0, quietly, when the reader of
 * stdout has gone (`demo | head -1`), which stops the run at its next line of output.
 */
export function main<O>(
  parse: (argv: readonly string[]) => CliResult<O>,
  run: (options: O) => unknown,
  argv: readonly string[] = process.argv.slice(2),
): void {
  // EPIPE arrives as an 'error' event after the failed write: without a listener Node prints a trace.
  const onStreamError = (e: unknown): void => {
    if (isBrokenPipe(e)) process.exit(process.exitCode ?? 0);
    process.exitCode = 1;
  };
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  const fail = (message: string, code: number): void => {
    if (!process.stderr.destroyed) process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = code;
  };
  try {
    const parsed = parse(argv);
    if (parsed.kind === 'exit') {
      process.exitCode = parsed.code;
      return;
    }
    const outDir = (parsed.options as { outDir?: unknown }).outDir;
    if (typeof outDir === 'string') ensureOutDir(outDir);
    run(parsed.options);
  } catch (e) {
    if (isBrokenPipe(e)) process.exitCode = 0;
    else if (e instanceof XentError || e instanceof RunError) fail(e.message, 1);
    else if (e instanceof Error && process.env.XENT_TRACE === undefined) fail(`${e.message} (set XENT_TRACE=1 for the stack trace)`, 1);
    else throw e;
  }
}
