// Every export of every publishable package has a doc comment (issue 10): each exported function, class, constant
// and type, each public method and accessor of an exported class, and each method of an exported interface
// (Tensor's methods too, which autograd adds by declaration merging). scripts/api/exports.ts reads them with the
// TypeScript compiler API from each package's entry points, the way an editor's hover or TypeDoc sees them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectApi, root } from '../scripts/api/exports.js';

// Exports that had no doc comment when this test landed, to be documented (the list may only shrink).
const baselineFile = join(root, 'test', 'undocumented-baseline.json');
const baseline = new Set<string>(existsSync(baselineFile) ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as string[]) : []);

describe('doc comments', () => {
  const api = collectApi();
  const items = api.flatMap((e) => e.items.map((i) => ({ ...i, label: `${e.specifier}: ${i.name}` })));

  it('covers every publishable package entry point', () => {
    expect(api.map((e) => e.specifier)).toEqual(expect.arrayContaining(['@xent/tensor', '@xent/autograd', '@xent/losses', '@xent/optim']));
    expect(items.length).toBeGreaterThan(200);
  });

  it('on every exported function, class, constant, type, and public method', () => {
    const added = items.filter((i) => !i.documented && !baseline.has(i.label)).map((i) => i.label);
    expect(added, 'these exports have no /** doc comment */: say what it computes (the math), shapes, options, errors').toEqual([]);
  });
});
