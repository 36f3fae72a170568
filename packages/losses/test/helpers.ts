// Test helpers: fast-check arbitraries for loss problems, and plain-JS
// reference formulas written independently of the library's kernels.
import fc from 'fast-check';
import { valueAndGrad } from '@xent/autograd';
import { tensor, type NestedArray, type Tensor } from '@xent/tensor';
import { flat } from '../../../test/utils.js';

export { flat } from '../../../test/utils.js';

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
export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const oneHot = (labels: readonly number[], C: number): Matrix =>
  labels.map((t) => Array.from({ length: C }, (_, c) => (c === t ? 1 : 0)));
/** Stable sigmoid cross entropy: max(z,0) − z·y + log1p(e^{−|z|}). */
export const bceLogit = (y: number, z: number): number => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
/** Pairs [1−v, v] along a new last axis. */
export const pairs = (m: Matrix): number[][][] => m.map((r) => r.map((v) => [1 - v, v]));
/** The values of t as a plain array, row-major. */
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
