// `--json` output is for scripts: run the way the README shows (`pnpm -s …`, -s silencing pnpm's own banner),
// stdout is exactly one JSON line that JSON.parse reads.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function runJson(args: string[]): Record<string, unknown> {
  const r = spawnSync('pnpm', args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines, 'stdout holds one line, the JSON').toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('--json output through pnpm -s, as the README shows it', () => {
  it('pnpm -s demo --json (the root script, which runs pnpm again inside)', () => {
    const r = runJson(['-s', 'demo', '--json', '--epochs', '1', '--train-size', '500']);
    expect(r.example).toBe('softmax-regression');
    expect(r.epochs).toBe(1);
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(r.testAccuracy).toBeLessThanOrEqual(1);
  });

  it('pnpm -s --filter @xent/examples iris --json', () => {
    const r = runJson(['-s', '--filter', '@xent/examples', 'iris', '--json', '--epochs', '5']);
    expect(r.example).toBe('iris');
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(r.trainSize).toBe(120);
  });
});
