// Every export of every publishable package has a doc comment (issue 10): each exported function, class, constant
// and type, each public method and accessor of an exported class, and each method of an exported interface
// (Tensor's methods too, which autograd adds by declaration merging). scripts/api/exports.ts reads them with the
// TypeScript compiler API from each package's entry points, the way an editor's hover or TypeDoc sees them.
// Each package README lists its exports with their first sentences, as scripts/api/readme.ts writes them.
import { describe, expect, it } from 'vitest';
import { collectApi } from '../scripts/api/exports.js';
import { updatedReadmes } from '../scripts/api/readme.js';

describe('doc comments', () => {
  const api = collectApi();
  const items = api.flatMap((e) => e.items.map((i) => ({ ...i, label: `${e.specifier}: ${i.name}` })));

  it('covers every publishable package entry point', () => {
    expect(api.map((e) => e.specifier)).toEqual(expect.arrayContaining(['@xent/tensor', '@xent/autograd', '@xent/losses', '@xent/optim']));
    expect(items.length).toBeGreaterThan(200);
  });

  it('on every exported function, class, constant, type, and public method', () => {
    const missing = items.filter((i) => !i.documented).map((i) => i.label);
    expect(missing, 'these exports have no /** doc comment */: say what it computes (the math), shapes, options, errors').toEqual([]);
  });

  it("in each package README's export list: every export listed, nothing else (pnpm readme:api rewrites them)", () => {
    // Names only: a reworded first sentence may wait for the next pnpm readme:api; a missing export may not.
    const names = (text: string) => [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
    for (const [file, text, updated] of updatedReadmes()) {
      expect(names(text), `${file}: run pnpm readme:api`).toEqual(names(updated));
    }
  });
});
