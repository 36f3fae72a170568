// Shared helpers for the @xent/autograd suites: seeded tensors, fast-check
// arbitraries that keep away from kinks, naive reference loops (written here,
// independently of the library's kernels) and an XentError assertion.
import fc from 'fast-check';
import { Rng, Tensor, tensor } from '@xent/tensor';
import { prod } from '../../../test/utils.js';

export { prod, flat, expectXentError } from '../../../test/utils.js';

/** A float64 tensor from flat row-major values. */
export function t64(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return tensor(Float64Array.from(values), { shape: shape.slice() });
}

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

export function sigmoidRef(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Naive elementwise −[w·p log σ(z) + (1−p) log(1−σ(z))] (stable logs; log(1−σ(z)) = log σ(−z)). */
export function naiveSigmoidCE(p: readonly number[], z: readonly number[], w?: readonly number[]): number[] {
  return z.map((zi, i) => -((w ? w[i] : 1) * p[i] * logSigmoidRef(zi) + (1 - p[i]) * logSigmoidRef(-zi)));
}

// ---------------------------------------------------------------- arbitraries

export function shapeArb(minRank = 0, maxRank = 3, maxDim = 3): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
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
