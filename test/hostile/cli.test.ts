// Hostile inputs, the command lines of the examples: every parser is handed
// bad numbers, unknown flags, empty values and odd spellings (exit code 2, one
// line on stderr); a few real processes check the exit codes end to end: a
// folder that cannot be written (exit 1, before training), a reader that
// closes the pipe (quiet exit 0), never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs as parseSoftmax } from '../../examples/src/softmax-regression.js';
import { parseArgs as parseLogistic } from '../../examples/src/logistic-regression.js';
import { parseArgs as parseIris } from '../../examples/src/iris.js';
import { parseArgs as parseMultiLabel } from '../../examples/src/multi-label.js';
import { parseArgs as parseMlp } from '../../examples/src/mlp.js';
import { parseArgs as parseMoons } from '../../examples/src/moons.js';
import { parseArgs as parseTour } from '../../examples/src/tour.js';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples');

type Parse = (argv: readonly string[], io?: { out?: (s: string) => void; err?: (s: string) => void }) => { kind: string; code?: number };
const PARSERS: [string, Parse][] = [
  ['softmax-regression', parseSoftmax as Parse],
  ['logistic-regression', parseLogistic as Parse],
  ['iris', parseIris as Parse],
  ['multi-label', parseMultiLabel as Parse],
  ['mlp', parseMlp as Parse],
  ['moons', parseMoons as Parse],
];

const BAD_ARGV: [string, string[]][] = [
  ['--epochs -1', ['--epochs', '-1']],
  ['--epochs 1e400', ['--epochs', '1e400']],
  ['--epochs 0x10', ['--epochs', '0x10']],
  ['--epochs 99999999999999999999', ['--epochs', '99999999999999999999']],
  ['--lr 0', ['--lr', '0']],
  ['--lr Infinity', ['--lr', 'Infinity']],
  ["--lr ''", ['--lr', '']],
  ['--lr 1e', ['--lr', '1e']],
  ['--batch-size 0', ['--batch-size', '0']],
  ['--seed -3', ['--seed', '-3']],
  ['--optimizer ADAM', ['--optimizer', 'ADAM']],
  ['--train-size 0', ['--train-size', '0']],
  ['--jsn (a typo)', ['--jsn']],
  ['a stray word', ['train']],
];

describe.each(PARSERS)('%s command line', (_name, parse) => {
  it.each(BAD_ARGV)('%s: exit code 2 and one line on stderr', (_what, argv) => {
    let err = '';
    const r = parse(argv, { out: () => undefined, err: (s) => void (err += s) });
    expect(r).toEqual({ kind: 'exit', code: 2 });
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^error: /);
  });
});

describe('tour command line', () => {
  it.each([
    ['--seed x', ['--seed', 'x']],
    ['--epochs 3 (not a tour flag)', ['--epochs', '3']],
    ['--seed 1.5', ['--seed', '1.5']],
  ])('%s: exit code 2, one line', (_what, argv) => {
    let err = '';
    expect(parseTour(argv, { out: () => undefined, err: (s) => void (err += s) })).toEqual({ kind: 'exit', code: 2 });
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('example processes', () => {
  const node = (args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@xent/source', '--import', 'tsx', ...args], {
      cwd: examplesDir,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('an --out-dir that is a file: exit 1, one line naming the folder and the fix, nothing trained', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-hostile-'));
    const file = join(dir, 'plots');
    writeFileSync(file, '');
    const p = node(['src/iris.ts', '--out-dir', file]);
    expect(p.status).toBe(1);
    expect(p.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: cannot write the plot to .*plots.*--no-plot/)]);
    expect(p.stdout).toBe('');
  });

  it('a bad flag on a real process: exit 2, one line, no trace', () => {
    const p = node(['src/moons.ts', '--lr', 'fast']);
    expect(p.status).toBe(2);
    expect(p.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(p.stderr).not.toMatch(/\n\s+at /);
  });

  it('demo | head -1 on the tour: quiet exit 0, no EPIPE trace', async () => {
    const child = spawn(process.execPath, ['--conditions=@xent/source', '--import', 'tsx', 'src/tour.ts'], { cwd: examplesDir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((done) => {
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => done(code));
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
