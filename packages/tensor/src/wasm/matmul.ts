// matmul on the WebAssembly SIMD kernels: copy the operands' covering blocks
// into the module's memory (converting dtype on the way if needed), let the
// module pack B (A is read where it lies when row- or column-major), multiply and
// accumulate in the output's precision, copy C out. The memory is one scratch
// area reused by every call: nothing is allocated per call but the result.
import type { TypedArray } from '../dtype.js';
import { Layout, scratch, type KernelExports } from './runtime.js';

/** A matrix read in place: element (i, k) is data[offset + i·rowStride + k·colStride]. */
export interface StridedMatrix {
  data: TypedArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Bytes from the first to one past the last element of a rows × cols strided matrix, or −1 for negative strides. */
function spanOf(m: StridedMatrix, rows: number, cols: number): number {
  if (m.rowStride < 0 || m.colStride < 0) return -1;
  return (rows - 1) * m.rowStride + (cols - 1) * m.colStride + 1;
}

/**
 * Copies a rows × cols matrix to wasm memory at byte address `at` (elements of `es` bytes) and
 * returns its byte strides there: the covering block as it lies when it is compact enough (a
 * transposed matrix stays transposed, the kernels read it through its strides), else (or when
 * `asItLies` is false) compacted row-major.
 */
export function copyIn(
  m: StridedMatrix,
  rows: number,
  cols: number,
  view: Float64Array | Float32Array,
  at: number,
  es: number,
  asItLies = true,
): [rs: number, cs: number] {
  const span = spanOf(m, rows, cols);
  const base = at / es;
  if (asItLies && span >= 0 && span <= 2 * rows * cols) {
    view.set(m.data.subarray(m.offset, m.offset + span), base);
    return [m.rowStride * es, m.colStride * es];
  }
  const { data, offset, rowStride, colStride } = m;
  for (let i = 0, d = base; i < rows; i++) for (let k = 0, s = offset + i * rowStride; k < cols; k++, s += colStride) view[d++] = data[s];
  return [cols * es, es];
}

/**
 * Where one product's pieces lie in wasm memory (byte addresses), the bytes it needs, and ldc, the
 * elements from one row of C to the next there. (A tuple: its names are not kept in a page bundle.)
 */
export type MatmulPlan = [ldc: number, bytes: number, aAt: number, bAt: number, apAt: number, bpAt: number, cAt: number];

/** The memory layout of one M×K by K×N product with elements of `es` bytes: operands (at most 2× their size), panels, C. */
export function matmulPlan(M: number, K: number, N: number, es: number): MatmulPlan {
  const Mp = (M + 3) & ~3;
  const Np = es === 4 ? (N + 7) & ~7 : (N + 3) & ~3;
  // Rows of C a multiple of 1 KiB apart would share cache sets (the 4 rows of a tile collide): pad them.
  const ldc = (Np * es) % 1024 === 0 ? Np + 64 / es : Np;
  const lay = new Layout();
  const aAt = lay.take(2 * M * K * es);
  const bAt = lay.take(2 * K * N * es);
  const apAt = lay.take(Mp * K * es);
  const bpAt = lay.take(Np * K * es);
  const cAt = lay.take(Mp * ldc * es);
  return [ldc, lay.bytes, aAt, bAt, apAt, bpAt, cAt];
}

/**
 * C[cOff …] (row-major M×N) = A[M×K]·B[K×N] on the SIMD kernels, in float32
 * when C is a Float32Array (f32x4, accumulated in float32) and float64 otherwise (f64x2).
 */
export function wasmMatmul(
  k: KernelExports,
  a: StridedMatrix,
  b: StridedMatrix,
  C: Float64Array | Float32Array,
  cOff: number,
  M: number,
  K: number,
  N: number,
): void {
  const single = C instanceof Float32Array;
  const es = single ? 4 : 8;
  const [ldc, bytes, aAt, bAt, apAt, bpAt, cAt] = matmulPlan(M, K, N, es);
  const mem = scratch(k, bytes);
  const view = single ? mem.f32 : mem.f64;
  const [ars, acs] = copyIn(a, M, K, view, aAt, es);
  const [brs, bcs] = copyIn(b, K, N, view, bAt, es);
  (single ? k.matmul_f32 : k.matmul_f64)(aAt, ars, acs, bAt, brs, bcs, M, K, N, apAt, bpAt, cAt, ldc * es);
  const c0 = cAt / es;
  if (ldc === N) C.set(view.subarray(c0, c0 + M * N), cOff);
  else for (let i = 0; i < M; i++) C.set(view.subarray(c0 + i * ldc, c0 + i * ldc + N), cOff + i * N);
}

/**
 * y[cOff …] (M values) = A[M×K]·b[K] on the SIMD kernels, in float32 (f32x4) when y is a
 * Float32Array, else float64 (f64x2): one output column, logistic regression's X·w and Xᵀ·g.
 * A's covering block is copied as it lies when one of its strides is one element (a transposed A
 * stays column-major and is summed column by column), else compacted row-major; b always compactly
 * (the kernel reads it with unit stride).
 */
export function wasmGemv(
  k: KernelExports,
  a: StridedMatrix,
  b: StridedMatrix,
  y: Float64Array | Float32Array,
  cOff: number,
  M: number,
  K: number,
): void {
  const single = y instanceof Float32Array;
  const es = single ? 4 : 8;
  const lay = new Layout();
  const aAt = lay.take(2 * M * K * es);
  const xAt = lay.take(K * es);
  const yAt = lay.take(M * es);
  const mem = scratch(k, lay.bytes);
  const view = single ? mem.f32 : mem.f64;
  const [ars, acs] = copyIn(a, M, K, view, aAt, es, a.rowStride === 1 || a.colStride === 1);
  copyIn(b, K, 1, view, xAt, es, b.rowStride === 1); // the kernel reads b contiguously: a column or a zero-stride dy is compacted
  (single ? k.gemv_f32 : k.gemv_f64)(aAt, ars, acs, xAt, M, K, yAt);
  y.set(view.subarray(yAt / es, yAt / es + M), cOff);
}
