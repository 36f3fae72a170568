// The one test-utilities module every suite imports (tensor, autograd, losses, optim, nn):
// shapes and index arithmetic, an XentError assertion, seeded values, fast-check
// arbitraries, tensors laid out as strided views, naive reference formulas and
// random loss problems. Written independently of the library's kernels: a test must
// not check the library against itself (values are read back through toArray).
import fc from 'fast-check';
import { expect } from 'vitest';
import { valueAndGrad, square, sub, sum } from '@xent/autograd';
import {
  Rng,
  Tensor,
  XentError,
  getBackend,
  setBackend,
  slice,
  tensor,
  transpose,
  type Backend,
  type DType,
  type NestedArray,
  type XentErrorCode,
} from '@xent/tensor';

// ---------------------------------------------------------------- shapes, indices, values

/** The float dtypes. */
export type FloatDType = 'float64' | 'float32';

/** The number of elements of a shape (1 for a scalar). */
export function prod(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The multi-index of row-major flat position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k];
    i = Math.floor(i / shape[k]);
  }
  return idx;
}

/** Multi-index → flat row-major position. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let k = 0; k < shape.length; k++) i = i * shape[k] + idx[k];
  return i;
}

/** Builds nested arrays from flat row-major values (independent of Tensor.toArray). */
export function nest(flat: ArrayLike<number>, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return flat[0];
  let pos = 0;
  const go = (axis: number): NestedArray[] =>
    Array.from({ length: shape[axis] }, () => (axis === shape.length - 1 ? flat[pos++] : go(axis + 1)));
  return go(0);
}

/** A tensor's values in row-major order, as a plain JS array, via toArray (checked separately). */
/** The kernel backends this engine can run: ['wasm', 'js'], or ['js'] without WebAssembly SIMD (the backend is left as it was). */
export function availableBackends(): Backend[] {
  const initial = getBackend();
  try {
    setBackend('wasm');
    return ['wasm', 'js'];
  } catch {
    return ['js'];
  } finally {
    setBackend(initial);
  }
}

export function flat(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (x: NestedArray): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else out.push(x);
  };
  walk(t.toArray());
  return out;
}

/** A float64 tensor from flat row-major values. */
export function t64(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return tensor(Float64Array.from(values), { shape: shape.slice() });
}

/** Rounds to the dtype's precision (the values a float32 tensor really holds). */
export function roundTo(values: readonly number[], dtype: DType): number[] {
  if (dtype === 'float32') return values.map(Math.fround);
  if (dtype === 'int32') return values.map((v) => Math.trunc(v) + 0); // +0, never -0
  return values.slice();
}

/** The dtype a float op must give: float32 only when every float input is float32. */
export function expectedDtype(...dtypes: DType[]): FloatDType {
  const floats = dtypes.filter((d) => d !== 'int32');
  return floats.length > 0 && floats.every((d) => d === 'float32') ? 'float32' : 'float64';
}

/** Tolerances for comparing a result in `dtype` with a float64 reference. */
export function tol(dtype: DType, loose = false): { rtol: number; atol: number } {
  if (dtype === 'float32') return loose ? { rtol: 1e-5, atol: 1e-3 } : { rtol: 2e-6, atol: 1e-6 };
  return loose ? { rtol: 1e-11, atol: 1e-10 } : { rtol: 1e-13, atol: 1e-13 };
}

// ---------------------------------------------------------------- assertions

/**
 * Runs fn and asserts that it throws an XentError — with this code when one is given —
 * whose message contains every fragment; returns the error for further checks.
 */
export function expectXentError(fn: () => unknown, code?: XentErrorCode, ...fragments: (string | RegExp)[]): XentError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(
    caught,
    `expected an XentError${code ? ` '${code}'` : ''}, but ${caught === undefined ? 'nothing was thrown' : 'something else was'}`,
  ).toBeInstanceOf(XentError);
  const err = caught as XentError;
  if (code !== undefined) expect(err.code, err.message).toBe(code);
  for (const f of fragments) {
    if (typeof f === 'string') expect(err.message).toContain(f);
    else expect(err.message).toMatch(f);
  }
  return err;
}

/**
 * A thunk that calls fn with these arguments, whatever its declared parameters (the type checker would refuse
 * them): for testing that an argument past a function's own is refused, expectXentError(callWith(f, a, b, extra), …).
 */
export const callWith =
  (fn: unknown, ...args: unknown[]) =>
  (): unknown =>
    (fn as (...a: unknown[]) => unknown)(...args);

// ---------------------------------------------------------------- seeded values

/** Seeded normal values (never Math.random). */
export function normals(n: number, seed: number, scale = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => scale * rng.normal());
}

/** Seeded uniform values in [lo, hi). */
export function uniforms(n: number, seed: number, lo = 0, hi = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.uniform(lo, hi));
}

// ---------------------------------------------------------------- arbitraries

/**
 * Reals spread evenly over [min, max] (fc.double draws evenly over the doubles' bit patterns, so most of its
 * values in [−5, 5] would be below 1e-100); they shrink towards 0, or towards min when 0 is outside.
 */
export const real = (min: number, max: number): fc.Arbitrary<number> => {
  const steps = 2 ** 30;
  const zero = Math.min(Math.max(0, min), max);
  return fc
    .integer({ min: Math.round(((min - zero) / (max - min)) * steps), max: Math.round(((max - zero) / (max - min)) * steps) })
    .map((k) => Math.min(max, Math.max(min, zero + ((max - min) * k) / steps)));
};
/** Shapes of rank minRank..maxRank with sizes minDim..maxDim. */
export function shapeArb(minRank = 0, maxRank = 3, maxDim = 3, minDim = 1): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** n doubles in [min, max]. */
export function valuesArb(n: number, min = -3, max = 3): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });
}

/** n doubles with min ≤ |x| ≤ max and either sign: away from the kink at 0. */
export function awayFromZeroArb(n: number, min = 0.05, max = 3): fc.Arbitrary<number[]> {
  return fc.array(
    fc.tuple(fc.double({ min, max, noNaN: true }), fc.boolean()).map(([m, s]) => (s ? m : -m)),
    { minLength: n, maxLength: n },
  );
}

/** n pairwise distinct values (spaced at least 0.1 apart): no ties for max. */
export function distinctArb(n: number): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: n, maxLength: n }).map((ks) => ks.map((k) => k / 10 + 0.013));
}

/** A float64 tensor of the given shape with values from `arb(n)`. */
export function tensorArb(
  shape: readonly number[],
  arb: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
): fc.Arbitrary<Tensor> {
  return arb(prod(shape)).map((v) => t64(v, shape));
}

/** A tensor of a random small shape. */
export function anyTensorArb(
  arb: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
  minRank = 0,
  maxRank = 3,
): fc.Arbitrary<Tensor> {
  return shapeArb(minRank, maxRank).chain((s) => tensorArb(s, arb));
}

/** Operand shapes that broadcast to `out`: some leading axes dropped, some sizes set to 1. */
export function operandShapeArb(out: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, k) => (ones[k + drop] ? 1 : d)));
}

/** Rows of probabilities (each sums to 1): a softmax of random logits. */
export function distributionsArb(rows: number, cols: number): fc.Arbitrary<number[]> {
  return valuesArb(rows * cols, -3, 3).map((v) => naiveSoftmaxRows(v, cols));
}

export const floatDTypeArb: fc.Arbitrary<FloatDType> = fc.constantFrom('float64', 'float32');

/** Ways to lay out the same logical values, so kernels also see strided views. */
export type Layout = 'contiguous' | 'transposed' | 'sliced';
export const layoutArb: fc.Arbitrary<Layout> = fc.constantFrom('contiguous', 'transposed', 'sliced');

/** One tensor case: shape, dtype, values and layout. */
export interface Case {
  shape: number[];
  dtype: FloatDType;
  /** The values the tensor holds (already rounded to its dtype), row-major. */
  values: number[];
  layout: Layout;
}

/** A case of the given shape (values in [min, max], rounded to the dtype). */
export function caseFor(shape: number[], min = -10, max = 10): fc.Arbitrary<Case> {
  return fc
    .record({ dtype: floatDTypeArb, values: valuesArb(prod(shape), min, max), layout: layoutArb })
    .map(({ dtype, values, layout }) => ({ shape, dtype, values: roundTo(values, dtype), layout }));
}

/** A case of a random shape. */
export function caseArb(minRank = 0, maxRank = 4, maxDim = 4): fc.Arbitrary<Case> {
  return shapeArb(minRank, maxRank, maxDim).chain((shape) => caseFor(shape));
}

/**
 * A tensor holding `values` (row-major, logical shape `shape`) in the given
 * layout: a plain contiguous tensor, a transposed view of reversed-shape data,
 * or a view sliced out of a padded buffer.
 */
export function make(values: readonly number[], shape: readonly number[], dtype: DType = 'float64', layout: Layout = 'contiguous'): Tensor {
  if (layout === 'transposed' && shape.length >= 2) {
    const rev = shape.slice().reverse();
    const data = new Array<number>(values.length);
    for (let i = 0; i < values.length; i++) {
      const idx = unravel(i, shape);
      data[ravel(idx.slice().reverse(), rev)] = values[i];
    }
    const t = transpose(tensor(data, { shape: rev, dtype }));
    return t;
  }
  if (layout === 'sliced' && shape.length >= 1) {
    // Pad every axis with one leading and one trailing element, filled with a sentinel.
    const big = shape.map((d) => d + 2);
    const data = new Array<number>(prod(big)).fill(-777);
    for (let i = 0; i < values.length; i++) {
      const idx = unravel(i, shape).map((j) => j + 1);
      data[ravel(idx, big)] = values[i];
    }
    return slice(
      tensor(data, { shape: big, dtype }),
      shape.map((d) => [1, d + 1] as const),
    );
  }
  return tensor(values.slice(), { shape: shape.slice(), dtype });
}

/** The tensor of a case. */
export function makeCase(c: Case): Tensor {
  return make(c.values, c.shape, c.dtype, c.layout);
}

/** Index into an operand of shape `s` for the multi-index `idx` of the broadcast result. */
export function broadcastIndex(idx: readonly number[], s: readonly number[]): number {
  const off = idx.length - s.length;
  return ravel(
    s.map((d, k) => (d === 1 ? 0 : idx[k + off])),
    s,
  );
}

/** Every subset of 0..rank-1. */
export function axisSubsets(rank: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < 1 << rank; m++) out.push(Array.from({ length: rank }, (_, k) => k).filter((k) => (m >> k) & 1));
  return out;
}

/** NumPy's broadcast shape, computed naively (assumes compatible shapes with sizes ≥ 1). */
export function naiveBroadcastShape(...shapes: (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: n }, (_, k) => Math.max(1, ...shapes.map((s) => s[s.length - n + k] ?? 1)));
}

// ---------------------------------------------------------------- naive references

/** Row-wise softmax over the last axis of flat data with `cols` columns, written naively. */
export function naiveSoftmaxRows(z: readonly number[], cols: number): number[] {
  const out = new Array<number>(z.length);
  for (let base = 0; base < z.length; base += cols) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, z[base + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(z[base + c] - m);
    for (let c = 0; c < cols; c++) out[base + c] = Math.exp(z[base + c] - m) / s;
  }
  return out;
}

/** Per-row −Σ p log softmax(z), max-shifted. */
export function naiveSoftmaxCE(p: readonly number[], z: readonly number[], cols: number): number[] {
  const out: number[] = [];
  for (let base = 0; base < z.length; base += cols) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, z[base + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(z[base + c] - m);
    const lse = m + Math.log(s);
    let l = 0;
    for (let c = 0; c < cols; c++) l -= p[base + c] * (z[base + c] - lse);
    out.push(l);
  }
  return out;
}

/** Stable log σ(x) = −log(1 + e^−x). */
export function logSigmoidRef(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** Stable σ(x). */
export function sigmoidRef(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Naive elementwise −[w·p log σ(z) + (1−p) log(1−σ(z))] (stable logs; log(1−σ(z)) = log σ(−z)). */
export function naiveSigmoidCE(p: readonly number[], z: readonly number[], w?: readonly number[]): number[] {
  return z.map((zi, i) => -((w ? w[i] : 1) * p[i] * logSigmoidRef(zi) + (1 - p[i]) * logSigmoidRef(-zi)));
}

// ---------------------------------------------------------------- loss problems

export type Matrix = number[][];

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true });
export const matrix = (rows: number, cols: number, min: number, max: number): fc.Arbitrary<Matrix> =>
  fc.array(fc.array(dbl(min, max), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
export const vector = (n: number, min: number, max: number): fc.Arbitrary<number[]> =>
  fc.array(dbl(min, max), { minLength: n, maxLength: n });

/** A random classification problem: N examples, C classes, logits, labels, soft targets and weights. */
export interface Problem {
  N: number;
  C: number;
  z: Matrix;
  labels: number[];
  soft: Matrix;
  sw: number[];
  cw: number[];
  eps: number;
}

export const problem = (maxN = 5, maxC = 5): fc.Arbitrary<Problem> =>
  fc.record({ N: fc.integer({ min: 1, max: maxN }), C: fc.integer({ min: 2, max: maxC }) }).chain(({ N, C }) =>
    fc.record({
      N: fc.constant(N),
      C: fc.constant(C),
      z: matrix(N, C, -5, 5),
      labels: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: N, maxLength: N }),
      soft: matrix(N, C, 0.01, 1).map(normalizeRows),
      sw: vector(N, 0.1, 3),
      cw: vector(C, 0.1, 3),
      eps: dbl(0, 1),
    }),
  );

/** Binary / multi-label problem: N examples, K outputs, targets in [0, 1]. */
export interface BinaryProblem {
  N: number;
  K: number;
  z: Matrix;
  y: Matrix;
  sw: number[];
  cw: number[];
  pw: number[];
  eps: number;
}

export const binaryProblem = (maxN = 5, maxK = 4): fc.Arbitrary<BinaryProblem> =>
  fc.record({ N: fc.integer({ min: 1, max: maxN }), K: fc.integer({ min: 1, max: maxK }) }).chain(({ N, K }) =>
    fc.record({
      N: fc.constant(N),
      K: fc.constant(K),
      z: matrix(N, K, -5, 5),
      y: fc.oneof(
        matrix(N, K, 0, 1),
        matrix(N, K, 0, 1).map((m) => m.map((r) => r.map((v) => (v < 0.5 ? 0 : 1)))),
      ),
      sw: vector(N, 0.1, 3),
      cw: vector(K, 0.1, 3),
      pw: vector(K, 0.2, 4),
      eps: dbl(0, 1),
    }),
  );

export function normalizeRows(m: Matrix): Matrix {
  return m.map((r) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => v / s);
  });
}

/** Stable log Σ exp of a row. */
export function lse(r: readonly number[]): number {
  const m = Math.max(...r);
  return m + Math.log(r.reduce((a, v) => a + Math.exp(v - m), 0));
}
export const softmaxRow = (r: readonly number[]): number[] => {
  const l = lse(r);
  return r.map((v) => Math.exp(v - l));
};
export const softmax = (m: Matrix): Matrix => m.map(softmaxRow);
export const oneHot = (labels: readonly number[], C: number): Matrix =>
  labels.map((t) => Array.from({ length: C }, (_, c) => (c === t ? 1 : 0)));
/** Stable sigmoid cross entropy: max(z,0) − z·y + log1p(e^{−|z|}). */
export const bceLogit = (y: number, z: number): number => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
/** Pairs [1−v, v] along a new last axis. */
export const pairs = (m: Matrix): number[][][] => m.map((r) => r.map((v) => [1 - v, v]));
/** The sum of t's values. */
export const sumAll = (t: Tensor): number => flat(t).reduce((a, b) => a + b, 0);

/** Value and gradient of sum(f(x)) with respect to x. */
export function vg(f: (x: Tensor) => Tensor, x: NestedArray | Tensor): { value: Tensor; grad: Tensor } {
  let out: Tensor | undefined;
  const { grads } = valueAndGrad((p: Tensor) => {
    out = f(p);
    return out.size === 1 ? out.reshape([]) : out.sum();
  })(x instanceof Array || typeof x === 'number' ? tensor(x) : x);
  return { value: out as Tensor, grad: grads[0] };
}

// ---------------------------------------------------------------- optimizers

/** f(w) = Σ(w − c)², recorded so that backward() fills w.grad = 2(w − c). */
export function quadratic(w: Tensor, c: NestedArray): Tensor {
  return sum(square(sub(w, c)));
}

/** Sets p.grad by hand (float64 values of p's shape). */
export function setGrad(p: Tensor, values: NestedArray): void {
  p.grad = tensor(values, { shape: p.shape });
}
