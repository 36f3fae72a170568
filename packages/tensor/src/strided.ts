// Loops over strided n-d views (data, shape, stride, offset) in plain code. They replace ndarray-ops, which
// compiles its loops with new Function — forbidden by a Content-Security-Policy without 'unsafe-eval', and run for
// all of its ~80 ops as soon as it is imported. An odometer walks every axis but the last; the caller's own loop
// walks the last axis (the row) with that axis's strides, so the hot loop stays a plain indexed loop.
import type { TypedArray } from './dtype.js';

/** What these loops read of an ndarray view. */
export interface StridedView {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

/**
 * Calls row(oa, ob, oc) once per row of `shape` (each index of every axis but the last), in row-major order, where
 * oa, ob, oc are where that row starts in a.data, b.data and c.data (0 for a view not given); the views have
 * `shape`. A row has rowLength(shape) elements, rowStep(view) apart. A shape with an axis of length 0 has no rows;
 * rank 0 and rank 1 have one row.
 */
export function forEachRow(
  shape: readonly number[],
  a: StridedView,
  b: StridedView | null,
  c: StridedView | null,
  row: (oa: number, ob: number, oc: number) => void,
): void {
  const d = shape.length;
  for (let k = 0; k < d; k++) if (shape[k] === 0) return;
  let oa = a.offset;
  let ob = b === null ? 0 : b.offset;
  let oc = c === null ? 0 : c.offset;
  if (d <= 1) return row(oa, ob, oc);
  if (d === 2) {
    // The common case, without the odometer: rows r = 0 … shape[0] − 1.
    const sa = a.stride[0];
    const sb = b === null ? 0 : b.stride[0];
    const sc = c === null ? 0 : c.stride[0];
    for (let r = 0; r < shape[0]; r++) row(oa + r * sa, ob + r * sb, oc + r * sc);
    return;
  }
  const index = new Array<number>(d - 1).fill(0);
  for (;;) {
    row(oa, ob, oc);
    // Next row: increment the last outer axis, carrying into the ones before it.
    let k = d - 2;
    for (; k >= 0; k--) {
      oa += a.stride[k];
      if (b !== null) ob += b.stride[k];
      if (c !== null) oc += c.stride[k];
      if (++index[k] < shape[k]) break;
      oa -= a.stride[k] * shape[k];
      if (b !== null) ob -= b.stride[k] * shape[k];
      if (c !== null) oc -= c.stride[k] * shape[k];
      index[k] = 0;
    }
    if (k < 0) return;
  }
}

/** Elements per row: the length of the last axis (1 for rank 0). */
export const rowLength = (shape: readonly number[]): number => (shape.length === 0 ? 1 : shape[shape.length - 1]);

/** The step between a row's elements in a view: its last stride (0 for rank 0, which has one element). */
export const rowStep = (v: StridedView): number => (v.shape.length === 0 ? 0 : v.stride[v.shape.length - 1]);

/** dst[i] = src[i] for every index i of two views of the same shape (dst is written in place). */
export function assign(dst: StridedView, src: StridedView): void {
  const n = rowLength(dst.shape);
  const sd = rowStep(dst);
  const ss = rowStep(src);
  const D = dst.data;
  const S = src.data;
  if (sd === 1 && ss === 1) {
    // Contiguous rows: a block copy (converting the type if the dtypes differ).
    forEachRow(dst.shape, dst, src, null, (od, os) => D.set(S.subarray(os, os + n), od));
    return;
  }
  if (dst.shape.length === 2 && sd === 1 && dst.stride[0] === n) {
    copyTiled(D, S, dst.offset, src.offset, dst.shape[0], n, src.stride[0], ss);
    return;
  }
  forEachRow(dst.shape, dst, src, null, (od, os) => {
    for (let i = 0; i < n; i++) D[od + i * sd] = S[os + i * ss];
  });
}

/**
 * D[od + r·n + i] = S[os + r·s0 + i·s1] for r < rows, i < n: a strided 2-D source (a transposed matrix:
 * s0 = 1) into contiguous rows. Eight rows at a time, so each source step reads eight neighbours (one cache
 * line of a transposed float64 matrix) instead of one value per line: a transposed [128, 784] (the MLP example's
 * first weight gradient, copied into .grad every step) reads in 0.47× the time of the row-by-row loop, float32 0.50×.
 */
function copyTiled(D: TypedArray, S: TypedArray, od: number, os: number, rows: number, n: number, s0: number, s1: number): void {
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const d0 = od + r * n;
    const s = os + r * s0;
    for (let i = 0; i < n; i++) {
      const a = s + i * s1;
      const d = d0 + i;
      D[d] = S[a];
      D[d + n] = S[a + s0];
      D[d + 2 * n] = S[a + 2 * s0];
      D[d + 3 * n] = S[a + 3 * s0];
      D[d + 4 * n] = S[a + 4 * s0];
      D[d + 5 * n] = S[a + 5 * s0];
      D[d + 6 * n] = S[a + 6 * s0];
      D[d + 7 * n] = S[a + 7 * s0];
    }
  }
  for (; r < rows; r++) for (let i = 0, d = od + r * n, a = os + r * s0; i < n; i++) D[d + i] = S[a + i * s1];
}

/**
 * acc[i] ← acc[i] + x[i] ('sum'), max(acc[i], x[i]) ('max') or min(acc[i], x[i]) ('min') for every index i of x,
 * in row-major order. acc has x's shape, usually as a zero-stride view of a smaller result, so that many i land on
 * one element (a reduction). max and min are Math.max/Math.min: a NaN anywhere makes the result NaN.
 */
export function accumulate(kind: 'sum' | 'max' | 'min', acc: StridedView, x: StridedView): void {
  const n = rowLength(x.shape);
  const sa = rowStep(acc);
  const sx = rowStep(x);
  const A = acc.data;
  const X = x.data;
  forEachRow(x.shape, acc, x, null, (oa, ox) => {
    if (kind === 'sum') for (let i = 0; i < n; i++) A[oa + i * sa] += X[ox + i * sx];
    else if (kind === 'max') for (let i = 0; i < n; i++) A[oa + i * sa] = Math.max(A[oa + i * sa], X[ox + i * sx]);
    else for (let i = 0; i < n; i++) A[oa + i * sa] = Math.min(A[oa + i * sa], X[ox + i * sx]);
  });
}
