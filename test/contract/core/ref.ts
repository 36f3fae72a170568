// Independent references for the black-box conformance suite of the core contract
// (/work/shared/DESIGN.md §1–§3½, §5). Nothing here calls xent to compute an expected
// value: nested-array helpers, a seeded generator of our own, naive float64 formulas,
// central finite differences, and an XentError assertion that reads only `code` and
// `message`. Tests read xent's results back through the public `toArray()` / `item()`.
import { expect } from 'vitest';
export { makeRandom } from '../random.js';

/** A nested number array of any depth (what `toArray()` returns). */
export type Nested = number | Nested[];

/** Shape of a rectangular nested array. */
export function shapeOf(a: Nested): number[] {
  const s: number[] = [];
  let x: Nested = a;
  while (Array.isArray(x)) {
    s.push(x.length);
    x = x[0] ?? 0;
  }
  return s;
}

/** Row-major values of a nested array. */
export function flat(a: Nested): number[] {
  return Array.isArray(a) ? a.flatMap((x) => flat(x)) : [a];
}

/** Number of elements of a shape (1 for a scalar). */
export function size(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Nested array of a shape from row-major values. */
export function nest(values: readonly number[], shape: readonly number[]): Nested {
  if (shape.length === 0) return values[0] ?? NaN;
  let pos = 0;
  const go = (axis: number): Nested[] =>
    Array.from({ length: shape[axis] }, () => (axis === shape.length - 1 ? (values[pos++] ?? NaN) : go(axis + 1)));
  return go(0);
}

/** n uniform values in [lo, hi) from a seeded generator. */
export function uniform(rand: () => number, n: number, lo = -2, hi = 2): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/** A nested array of that shape with uniform values in [lo, hi). */
export function randomNested(rand: () => number, shape: readonly number[], lo = -2, hi = 2): Nested {
  return nest(uniform(rand, size(shape), lo, hi), shape);
}

/** NumPy broadcasting of two shapes, or null when they cannot broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const da = a[a.length - n + k] ?? 1;
    const db = b[b.length - n + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Value at multi-index `idx` of an out-shape, read from a (broadcast) operand of `shape`. */
export function readBroadcast(values: readonly number[], shape: readonly number[], idx: readonly number[]): number {
  let pos = 0;
  const off = idx.length - shape.length;
  for (let k = 0; k < shape.length; k++) pos = pos * shape[k] + (shape[k] === 1 ? 0 : idx[off + k]);
  return values[pos];
}

/** The multi-index of row-major position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k];
    i = Math.floor(i / shape[k]);
  }
  return idx;
}

/** Naive elementwise binary op with NumPy broadcasting, over nested arrays. */
export function broadcastNaive(a: Nested, b: Nested, f: (x: number, y: number) => number): Nested {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  const so = broadcastShape(sa, sb);
  if (so === null) throw new Error('not broadcastable');
  const fa = flat(a);
  const fb = flat(b);
  const out = Array.from({ length: size(so) }, (_, i) => {
    const idx = unravel(i, so);
    return f(readBroadcast(fa, sa, idx), readBroadcast(fb, sb, idx));
  });
  return nest(out, so);
}

/** Sums g (of shape `from`) down to `to` (the adjoint of broadcasting), naive. */
export function sumToNaive(g: readonly number[], from: readonly number[], to: readonly number[]): number[] {
  const out = new Array<number>(size(to)).fill(0);
  const off = from.length - to.length;
  for (let i = 0; i < g.length; i++) {
    const idx = unravel(i, from);
    let pos = 0;
    for (let k = 0; k < to.length; k++) pos = pos * to[k] + (to[k] === 1 ? 0 : idx[off + k]);
    out[pos] += g[i];
  }
  return out;
}

/** Central finite-difference gradient of a scalar function of a flat vector. */
export function finiteDiff(f: (x: number[]) => number, x: readonly number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = [...x];
    const down = [...x];
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Stable log(1 + e^x). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** Stable σ(x). */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Max-shifted log Σ exp. */
export function logSumExp(row: readonly number[]): number {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
}

/** Max-shifted softmax of one row. */
export function softmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((z) => Math.exp(z - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Asserts that every element of `actual` is within atol + rtol·|expected| (shapes equal, NaN only against NaN). */
export function expectClose(actual: unknown, expected: Nested, atol = 1e-12, rtol = 1e-9): void {
  const sa = shapeOf(actual as Nested);
  expect(sa, 'shape').toEqual(shapeOf(expected));
  const fa = flat(actual as Nested);
  const fe = flat(expected);
  for (let i = 0; i < fe.length; i++) {
    const a = fa[i];
    const e = fe[i];
    if (Number.isNaN(e)) {
      expect(a, `element ${i}`).toBeNaN();
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `element ${i}`).toBe(e);
      continue;
    }
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) expect.fail(`element ${i} (of ${fe.length}): got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Runs fn, expects an Error named XentError with `code`, and returns its message for further checks. */
export function expectXent(fn: () => unknown, code: string, ...mentions: (string | RegExp)[]): string {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a throw').toBeInstanceOf(Error);
  const err = caught as Error & { code?: unknown };
  expect(err.name, err.message).toBe('XentError');
  expect(err.code, err.message).toBe(code);
  for (const m of mentions) {
    if (typeof m === 'string') expect(err.message).toContain(m);
    else expect(err.message).toMatch(m);
  }
  return err.message;
}
