// The main entry of @xent/nn must stay loadable in a browser: no file it can
// reach imports a Node built-in. Only src/node.ts (the '@xent/nn/node' subpath) may.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every file reachable from `entry` through relative imports. */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(join(src, entry), 'utf8');
  for (const m of text.matchAll(/from '\.\/([\w-]+)\.js'/g)) reachable(`${m[1]}.ts`, seen);
  return seen;
}

describe('@xent/nn main entry', () => {
  it('reaches no Node built-in (node:fs and friends live in @xent/nn/node)', () => {
    const files = reachable('index.ts');
    expect(files.has('node.ts')).toBe(false);
    expect(files.size).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(join(src, f), 'utf8');
      expect(text, f).not.toMatch(/from '(node:|fs'|path'|crypto'|os')/);
      expect(text, f).not.toMatch(/\bprocess\./);
    }
    expect(readdirSync(src)).toContain('node.ts');
  });
});
