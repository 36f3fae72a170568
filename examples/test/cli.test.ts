// The command lines: good flags parse into options; bad input gives one line
// on stderr and exit code 2; --help exits 0. One spawned process checks the
// real exit code end to end, one the --json line.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs as parseSoftmax, defaults as softmaxDefaults } from '../src/softmax-regression.js';
import { parseArgs as parseLogistic } from '../src/logistic-regression.js';
import { parseArgs as parseIris } from '../src/iris.js';
import { parseArgs as parseMultiLabel } from '../src/multi-label.js';
import { parseArgs as parseTour } from '../src/tour.js';
import { USAGE_ERROR, intArg, positiveArg } from '../src/lib/cli.js';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function capture() {
  const io = { outText: '', errText: '' };
  return {
    io,
    sink: { out: (s: string) => void (io.outText += s), err: (s: string) => void (io.errText += s) },
  };
}

describe('CLI parsing', () => {
  it('parses every training flag', () => {
    const r = parseSoftmax([
      '--epochs',
      '3',
      '--lr',
      '1e-2',
      '--batch-size',
      '32',
      '--optimizer',
      'adamw',
      '--seed',
      '9',
      '--loss',
      'onehot',
      '--train-size',
      '500',
      '--json',
    ]);
    expect(r).toEqual({
      kind: 'run',
      options: {
        ...softmaxDefaults,
        epochs: 3,
        lr: 0.01,
        batchSize: 32,
        optimizer: 'adamw',
        seed: 9,
        loss: 'onehot',
        trainSize: 500,
        json: true,
      },
    });
  });

  it('--out-dir resolves the folder; --no-plot writes none', () => {
    const a = parseSoftmax(['--out-dir', 'plots']);
    expect(a.kind === 'run' && a.options.outDir).toBe(resolve('plots'));
    const b = parseIris(['--no-plot']);
    expect(b.kind === 'run' && b.options.outDir).toBeNull();
  });

  it('uses the defaults without flags, and ignores a leading -- (pnpm demo -- …)', () => {
    expect(parseSoftmax([])).toEqual({ kind: 'run', options: softmaxDefaults });
    const r = parseIris(['--', '--epochs', '2']);
    expect(r.kind === 'run' && r.options.epochs).toBe(2);
  });

  it.each([
    ['an unknown flag', ['--epoch', '3']],
    ['a word for a number', ['--epochs', 'ten']],
    ['a fraction for a whole number', ['--batch-size', '3.5']],
    ['zero epochs', ['--epochs', '0']],
    ['a negative learning rate', ['--lr', '-0.1']],
    ['NaN', ['--lr', 'NaN']],
    ['trailing junk', ['--lr', '0.1x']],
    ['an unknown optimizer', ['--optimizer', 'rmsprop']],
    ['an unknown loss', ['--loss', 'hinge']],
    ['a missing value', ['--seed']],
    ['a stray argument', ['fast']],
  ])('%s: one line on stderr, exit code 2', (_what, argv) => {
    const { io, sink } = capture();
    expect(parseSoftmax(argv, sink)).toEqual({ kind: 'exit', code: USAGE_ERROR });
    expect(io.errText).toMatch(/^error: /);
    expect(io.errText.trimEnd().split('\n')).toHaveLength(1);
    expect(io.outText).toBe('');
  });

  it('--help prints the usage on stdout and exits 0', () => {
    for (const parse of [parseSoftmax, parseLogistic, parseIris, parseMultiLabel, parseTour]) {
      const { io, sink } = capture();
      expect(parse(['--help'], sink)).toEqual({ kind: 'exit', code: 0 });
      expect(io.outText).toContain('Usage:');
      expect(io.outText).toContain('--json');
    }
    const { io, sink } = capture();
    parseLogistic(['--help'], sink);
    for (const flag of ['--epochs', '--lr', '--batch-size', '--optimizer', '--seed', '--loss']) expect(io.outText).toContain(flag);
  });

  it('offers --loss only where several losses apply, each with its own choices', () => {
    const { sink } = capture();
    expect(parseLogistic(['--loss', 'probabilities'], sink)).toMatchObject({ kind: 'run', options: { loss: 'probabilities' } });
    expect(parseMultiLabel(['--loss', 'sigmoid'], sink)).toMatchObject({ kind: 'run', options: { loss: 'sigmoid' } });
    expect(parseMultiLabel(['--loss', 'onehot'], sink)).toEqual({ kind: 'exit', code: 2 });
    expect(parseTour(['--loss', 'sparse'], sink)).toEqual({ kind: 'exit', code: 2 });
    expect(parseTour(['--seed', '3', '--json'], sink)).toEqual({ kind: 'run', options: { seed: 3, json: true, quiet: false } });
  });

  it('number parsers accept what they should', () => {
    expect(intArg(1)('12')).toBe(12);
    expect(intArg(0)('0')).toBe(0);
    expect(positiveArg()('.5')).toBe(0.5);
    expect(positiveArg()('3e-4')).toBe(3e-4);
    expect(() => intArg(1)('1e3')).toThrow(/whole number/);
    expect(() => positiveArg()('Infinity')).toThrow(/number > 0/);
    expect(() => positiveArg()('')).toThrow();
  });
});

describe('CLI processes', () => {
  const node = (args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@xent/source', '--import', 'tsx', ...args], {
      cwd: examplesDir,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('a bad number exits 2 with one line on stderr', () => {
    const p = node(['src/softmax-regression.ts', '--epochs', 'many']);
    expect(p.status).toBe(2);
    expect(p.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: option '-e, --epochs <n>' argument 'many' is invalid/)]);
    expect(p.stdout).toBe('');
  });

  it('an unknown flag exits 2', () => {
    const p = node(['src/tour.ts', '--verbose']);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/unknown option '--verbose'/);
  });

  it('--json prints exactly one JSON line with the test accuracy', () => {
    const p = node(['src/iris.ts', '--epochs', '5', '--json']);
    expect(p.status).toBe(0);
    const lines = p.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const metrics = JSON.parse(lines[0]);
    expect(metrics).toMatchObject({ example: 'iris', epochs: 5, testSize: 30 });
    expect(metrics.testAccuracy).toBeGreaterThan(0.5);
  });

  it('an output folder that cannot be written is reported before training: one line, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-cli-'));
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    for (const outDir of [file, join(file, 'sub')]) {
      const p = node(['src/softmax-regression.ts', '--out-dir', outDir]);
      expect(p.status).toBe(1);
      expect(p.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^error: cannot write the plot to .*not-a-folder.*--out-dir.*--no-plot/),
      ]);
      expect(p.stdout).toBe(''); // nothing trained
    }
  });

  it('a reader that closes stdout early (demo | head -1) ends the run quietly: exit 0, no trace', async () => {
    const child = spawn(process.execPath, ['--conditions=@xent/source', '--import', 'tsx', 'src/iris.ts', '--no-plot', '--epochs', '300'], {
      cwd: examplesDir,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((done) => {
      child.stdout.once('data', () => child.stdout.destroy()); // like head -1: read one chunk, close the pipe
      child.on('close', (code) => done(code));
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
