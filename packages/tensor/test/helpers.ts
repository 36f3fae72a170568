// Shared test helpers: fast-check arbitraries and naive index arithmetic.
// Everything here is written independently of the library's own kernels, so the
// suites compare @xent/tensor against plain loops.
import fc from 'fast-check';
import { Tensor, slice, tensor, transpose, type DType, type NestedArray } from '@xent/tensor';
import { prod, unravel } from '../../../test/utils.js';

export { prod, unravel } from '../../../test/utils.js';

export type FloatDType = 'float64' | 'float32';

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

// ---------------------------------------------------------------- arbitraries

export const floatDTypeArb: fc.Arbitrary<FloatDType> = fc.constantFrom('float64', 'float32');

/** Ways to lay out the same logical values, so kernels also see strided views. */
export type Layout = 'contiguous' | 'transposed' | 'sliced';
export const layoutArb: fc.Arbitrary<Layout> = fc.constantFrom('contiguous', 'transposed', 'sliced');

export function shapeArb(minRank = 0, maxRank = 4, maxDim = 4, minDim = 1): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

export function valuesArb(n: number, min = -10, max = 10): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });
}

export interface Case {
  shape: number[];
  dtype: FloatDType;
  /** The values the tensor holds (already rounded to its dtype), row-major. */
  values: number[];
  layout: Layout;
}

export function caseFor(shape: number[], min = -10, max = 10): fc.Arbitrary<Case> {
  return fc
    .record({ dtype: floatDTypeArb, values: valuesArb(prod(shape), min, max), layout: layoutArb })
    .map(({ dtype, values, layout }) => ({ shape, dtype, values: roundTo(values, dtype), layout }));
}

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

export function makeCase(c: Case): Tensor {
  return make(c.values, c.shape, c.dtype, c.layout);
}

/** Operand shapes that broadcast to `out`: some leading axes dropped, some sizes set to 1. */
export function operandShapeArb(out: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, k) => (ones[k + drop] ? 1 : d)));
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

/** The tensor's values as a plain number array (row-major), via toArray (checked separately). */
export function flatValues(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (x: NestedArray): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else out.push(x);
  };
  walk(t.toArray());
  return out;
}

/** A float64 tensor of reference values (row-major) with the given shape, for toBeAllClose. */
export function ref(values: readonly number[], shape: readonly number[]): Tensor {
  return tensor(Float64Array.from(values), { shape: shape.slice() });
}

/** NumPy's broadcast shape, computed naively (assumes compatible shapes with sizes ≥ 1). */
export function naiveBroadcastShape(...shapes: (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: n }, (_, k) => Math.max(1, ...shapes.map((s) => s[s.length - n + k] ?? 1)));
}
