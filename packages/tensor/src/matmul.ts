import { allocate, promote, type TypedArray } from './dtype.js';
import { XentError, fmtShape } from './errors.js';
import { Tensor, checkHasData, fromFlat, readFlat } from './tensor.js';
import { wasmGemv, wasmMatmul, type StridedMatrix } from './wasm/matmul.js';
import { wasmKernels } from './wasm/runtime.js';

/**
 * Below this many multiply-adds (M·K·N) a float64 product stays in the JS kernel:
 * copying into wasm memory and the call cost more than the SIMD saves. Float32 always
 * runs on the SIMD kernels when they are available (the JS kernels would first convert
 * the operands to float64). A single output column (logistic regression's X·w and Xᵀ·g)
 * runs the SIMD matrix–vector kernel: copying A in is a memcpy, faster than the scalar
 * JS loop's pass over it (measured: an MNIST logistic step's two products ≈ 20 % faster).
 */
const WASM_MIN_WORK = 4096;

/**
 * Multiplies one 2-D product C[cOff …] = A·B on several threads and returns true, or returns false
 * to leave it to the single-thread kernel (too small, or no threads). Set by @xent/tensor/threads,
 * so that the main entry (and a browser bundle) never imports worker_threads.
 */
export type ParallelMatmul = (...args: Parameters<typeof wasmMatmul>) => boolean;

let parallel: ParallelMatmul | undefined; // (undefined, not null: `parallel?.(…)` is the shortest test in a page bundle)

/** Installs (or with null removes) the multi-thread matmul of the wasm backend; returns the one it replaces. */
export function setParallelMatmul(fn: ParallelMatmul | null): ParallelMatmul | null {
  const was = parallel ?? null;
  parallel = fn ?? undefined;
  return was;
}

/** The last two axes of batch item p of t, read in place (a 2-D t is the same matrix for every p). */
function stridedItem(t: Tensor, p: number): StridedMatrix {
  const v = t.view;
  const r = v.shape.length;
  const offset = r === 3 ? v.offset + p * v.stride[0] : v.offset;
  return { data: v.data, offset, rowStride: v.stride[r - 2], colStride: v.stride[r - 1] };
}

/** A float64 matrix read in place: element (i, k) is data[offset + i·rowStride + k·colStride]. */
export interface MatrixOperand {
  data: Float64Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** An operand of the JS kernels: float64 storage and the strides of its last two axes; item p starts p·batchStride further. */
interface JsOperand extends MatrixOperand {
  batchStride: number;
}

/**
 * The last two axes of t for the JS kernels. Float64 data is read where it lies,
 * through its strides: a transposed matrix (as matmul's backward passes) costs no
 * copy. Other dtypes are converted to float64 once (contiguous): JS arithmetic is
 * float64, and one array type keeps the kernels monomorphic.
 */
function jsOperand(t: Tensor): JsOperand {
  const v = t.view;
  const r = v.shape.length;
  if (v.data instanceof Float64Array) {
    return {
      data: v.data,
      offset: v.offset,
      rowStride: v.stride[r - 2],
      colStride: v.stride[r - 1],
      batchStride: r === 3 ? v.stride[0] : 0,
    };
  }
  const [rows, cols] = [v.shape[r - 2], v.shape[r - 1]];
  return { data: Float64Array.from(readFlat(t)), offset: 0, rowStride: cols, colStride: 1, batchStride: r === 3 ? rows * cols : 0 };
}

/** Batch item p of a JS operand. */
function itemOf(o: JsOperand, p: number): MatrixOperand {
  return { data: o.data, offset: o.offset + p * o.batchStride, rowStride: o.rowStride, colStride: o.colStride };
}

/**
 * C[M×N] (row-major, at cOff) = A[M×K] · B[K×N], A and B read through their strides.
 * Register-blocked: B is packed into zero-padded panels of 4 columns
 * (k-major), then each 4×4 tile of C is summed in 16 locals over the whole k
 * loop, so every loaded value feeds 4 multiply-adds. A single output column
 * (logistic regression) runs a 4-row matrix–vector loop instead.
 */
export function matmulKernel(
  a: MatrixOperand,
  b: MatrixOperand,
  C: TypedArray,
  cOff: number,
  M: number,
  K: number,
  N: number,
  packed?: Float64Array,
): void {
  const A = a.data;
  const ar = a.rowStride;
  const ac = a.colStride;
  const m4 = M - (M % 4);
  if (N === 1) {
    if (ar === 1) axpyColumns(a, b, C, cOff, M, K);
    else dotRows(a, b, C, cOff, M, K);
    return;
  }
  const nj = (N + 3) >> 2;
  const Bp = packed && packed.length >= nj * K * 4 ? packed : new Float64Array(nj * K * 4);
  for (let jb = 0; jb < nj; jb++) {
    const base = jb * K * 4;
    for (let q = 0; q < 4; q++) {
      const j = jb * 4 + q;
      if (j >= N) {
        for (let k = 0; k < K; k++) Bp[base + k * 4 + q] = 0;
        continue;
      }
      for (let k = 0, s = b.offset + j * b.colStride; k < K; k++, s += b.rowStride) Bp[base + k * 4 + q] = b.data[s];
    }
  }
  for (let i = 0; i < m4; i += 4) {
    for (let jb = 0; jb < nj; jb++) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      let pa = a.offset + i * ar;
      for (let k = 0, p = jb * K * 4; k < K; k++, p += 4, pa += ac) {
        const b0 = Bp[p],
          b1 = Bp[p + 1],
          b2 = Bp[p + 2],
          b3 = Bp[p + 3];
        const a0 = A[pa],
          a1 = A[pa + ar],
          a2 = A[pa + 2 * ar],
          a3 = A[pa + 3 * ar];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s02 += a0 * b2;
        s03 += a0 * b3;
        s10 += a1 * b0;
        s11 += a1 * b1;
        s12 += a1 * b2;
        s13 += a1 * b3;
        s20 += a2 * b0;
        s21 += a2 * b1;
        s22 += a2 * b2;
        s23 += a2 * b3;
        s30 += a3 * b0;
        s31 += a3 * b1;
        s32 += a3 * b2;
        s33 += a3 * b3;
      }
      const j = jb * 4;
      const c = cOff + i * N + j;
      if (j + 4 <= N) {
        C[c] = s00;
        C[c + 1] = s01;
        C[c + 2] = s02;
        C[c + 3] = s03;
        C[c + N] = s10;
        C[c + N + 1] = s11;
        C[c + N + 2] = s12;
        C[c + N + 3] = s13;
        C[c + 2 * N] = s20;
        C[c + 2 * N + 1] = s21;
        C[c + 2 * N + 2] = s22;
        C[c + 2 * N + 3] = s23;
        C[c + 3 * N] = s30;
        C[c + 3 * N + 1] = s31;
        C[c + 3 * N + 2] = s32;
        C[c + 3 * N + 3] = s33;
      } else {
        // The last, zero-padded panel: store only the columns that exist.
        const tile = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
        for (let q = 0; q < 4; q++) for (let w = 0; j + w < N; w++) C[c + q * N + w] = tile[q * 4 + w];
      }
    }
  }
  // Leftover rows (M mod 4): one row against each panel, 4 sums at a time.
  for (let i = m4; i < M; i++) {
    for (let jb = 0; jb < nj; jb++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let pa = a.offset + i * ar;
      for (let k = 0, p = jb * K * 4; k < K; k++, p += 4, pa += ac) {
        const av = A[pa];
        s0 += av * Bp[p];
        s1 += av * Bp[p + 1];
        s2 += av * Bp[p + 2];
        s3 += av * Bp[p + 3];
      }
      const j = jb * 4;
      const c = cOff + i * N + j;
      const row = [s0, s1, s2, s3];
      for (let w = 0; w < 4 && j + w < N; w++) C[c + w] = row[w];
    }
  }
}

function shapeError(sa: readonly number[], sb: readonly number[], why: string): XentError {
  return new XentError('SHAPE_MISMATCH', `matmul: cannot multiply shapes ${fmtShape(sa)} and ${fmtShape(sb)}: ${why}.`);
}

/**
 * matmul(a, b): [M,K]·[K,N] → [M,N], or with a leading batch axis
 * [B,M,K]·[B,K,N] → [B,M,N]. As in torch.matmul the batch axis broadcasts: a 2-D operand,
 * or a batch axis of size 1, is shared by every item ([B,M,K]·[1,K,N] → [B,M,N]).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const sa = a.shape;
  const sb = b.shape;
  if (sa.length < 2 || sa.length > 3 || sb.length < 2 || sb.length > 3) {
    throw shapeError(sa, sb, 'each operand must be 2-D, or 3-D with a leading batch axis');
  }
  const M = sa[sa.length - 2],
    K = sa[sa.length - 1];
  const K2 = sb[sb.length - 2],
    N = sb[sb.length - 1];
  if (K !== K2) throw shapeError(sa, sb, `the inner sizes differ (${K} vs ${K2}); the last axis of a must equal the second-to-last of b`);
  const batchA = sa.length === 3 ? sa[0] : 1;
  const batchB = sb.length === 3 ? sb[0] : 1;
  // A batch of 1 (or a 2-D operand) is shared: B = the other batch size, also when that is 0.
  const batch = batchA === 1 ? batchB : batchA;
  if (batchB !== 1 && batchB !== batch) {
    throw shapeError(sa, sb, `the batch sizes differ (${batchA} vs ${batchB}); make them equal, or one of them 1`);
  }
  checkHasData(a);
  checkHasData(b);
  const dtype = promote(a.dtype, b.dtype);
  const outShape = sa.length === 3 || sb.length === 3 ? [batch, M, N] : [M, N];
  const out = allocate(dtype, batch * M * N);
  if (out.length === 0 || K === 0) return fromFlat(out, outShape); // K = 0: empty sums, zeros
  const single = out instanceof Float32Array;
  const kv = single || M * K * N >= WASM_MIN_WORK ? wasmKernels() : null;
  if (kv !== null) {
    // SIMD kernels in the output's precision: float32 operands are multiplied and summed in float32.
    const C = out as Float64Array | Float32Array;
    for (let p = 0; p < batch; p++) {
      const ap = stridedItem(a, batchA === 1 ? 0 : p);
      const bp = stridedItem(b, batchB === 1 ? 0 : p);
      if (N === 1) wasmGemv(kv, ap, bp, C, p * M, M, K);
      else if (!parallel?.(kv, ap, bp, C, p * M * N, M, K, N)) wasmMatmul(kv, ap, bp, C, p * M * N, M, K, N);
    }
    return fromFlat(out, outShape);
  }
  const A = jsOperand(a);
  const B = jsOperand(b);
  const packed = N === 1 ? undefined : new Float64Array(((N + 3) >> 2) * K * 4);
  for (let p = 0; p < batch; p++)
    matmulKernel(itemOf(A, batchA === 1 ? 0 : p), itemOf(B, batchB === 1 ? 0 : p), out, p * M * N, M, K, N, packed);
  return fromFlat(out, outShape);
}

/**
 * C[M] = A[M×K]·b[K] for A stored column-major (Xᵀ·g): columns of A times b[k] summed into the
 * result, four at a time, streaming A in memory order. A float64 C is summed into where it lies
 * (no scratch, no copy); another C gets a float64 accumulator, rounded once at the end.
 */
function axpyColumns(a: MatrixOperand, b: MatrixOperand, C: TypedArray, cOff: number, M: number, K: number): void {
  if (C instanceof Float64Array) {
    C.fill(0, cOff, cOff + M);
    axpyColumnsInto(a, b, C, cOff, M, K);
    return;
  }
  const acc = new Float64Array(M);
  axpyColumnsInto(a, b, acc, 0, M, K);
  for (let i = 0; i < M; i++) C[cOff + i] = acc[i];
}

/**
 * acc[off + i] += Σ_k A[i, k]·b[k] for column-major A (unit row stride): each pass adds
 * eight columns (two groups of four, summed apart for instruction-level parallelism), so acc
 * is read and written once per eight terms; leftover columns one at a time.
 */
function axpyColumnsInto(a: MatrixOperand, b: MatrixOperand, acc: Float64Array, off: number, M: number, K: number): void {
  const A = a.data;
  const ac = a.colStride;
  const B = b.data;
  const br = b.rowStride;
  const k8 = K - (K % 8);
  const end = off + M;
  for (let k = 0; k < k8; k += 8) {
    const pb = b.offset + k * br;
    const g0 = B[pb],
      g1 = B[pb + br],
      g2 = B[pb + 2 * br],
      g3 = B[pb + 3 * br],
      g4 = B[pb + 4 * br],
      g5 = B[pb + 5 * br],
      g6 = B[pb + 6 * br],
      g7 = B[pb + 7 * br];
    const r0 = a.offset + k * ac - off,
      r1 = r0 + ac,
      r2 = r1 + ac,
      r3 = r2 + ac,
      r4 = r3 + ac,
      r5 = r4 + ac,
      r6 = r5 + ac,
      r7 = r6 + ac;
    for (let i = off; i < end; i++) {
      acc[i] =
        acc[i] +
        (A[r0 + i] * g0 + A[r1 + i] * g1 + A[r2 + i] * g2 + A[r3 + i] * g3) +
        (A[r4 + i] * g4 + A[r5 + i] * g5 + A[r6 + i] * g6 + A[r7 + i] * g7);
    }
  }
  for (let k = k8; k < K; k++) {
    const gk = B[b.offset + k * br];
    const r = a.offset + k * ac - off;
    for (let i = off; i < end; i++) acc[i] += A[r + i] * gk;
  }
}

/** C[M] = A[M×K]·b[K] for A stored row-major (X·w): four rows at a time, four independent sums. */
function dotRows(a: MatrixOperand, b: MatrixOperand, C: TypedArray, cOff: number, M: number, K: number): void {
  const A = a.data;
  const ar = a.rowStride;
  const ac = a.colStride;
  const m4 = M - (M % 4);
  const B = b.data;
  const br = b.rowStride;
  if (ac === 1 && br === 1) {
    // Row-major A and a contiguous b (the usual X·w): plain k indices.
    const bo = b.offset;
    for (let i = 0; i < m4; i += 4) {
      const r0 = a.offset + i * ar,
        r1 = r0 + ar,
        r2 = r1 + ar,
        r3 = r2 + ar;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < K; k++) {
        const bk = B[bo + k];
        s0 += A[r0 + k] * bk;
        s1 += A[r1 + k] * bk;
        s2 += A[r2 + k] * bk;
        s3 += A[r3 + k] * bk;
      }
      C[cOff + i] = s0;
      C[cOff + i + 1] = s1;
      C[cOff + i + 2] = s2;
      C[cOff + i + 3] = s3;
    }
  } else
    for (let i = 0; i < m4; i += 4) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let pa = a.offset + i * ar;
      for (let k = 0, pb = b.offset; k < K; k++, pa += ac, pb += br) {
        const bk = B[pb];
        s0 += A[pa] * bk;
        s1 += A[pa + ar] * bk;
        s2 += A[pa + 2 * ar] * bk;
        s3 += A[pa + 3 * ar] * bk;
      }
      C[cOff + i] = s0;
      C[cOff + i + 1] = s1;
      C[cOff + i + 2] = s2;
      C[cOff + i + 3] = s3;
    }
  for (let i = m4; i < M; i++) {
    let s0 = 0;
    for (let k = 0, pa = a.offset + i * ar, pb = b.offset; k < K; k++, pa += ac, pb += br) s0 += A[pa] * B[pb];
    C[cOff + i] = s0;
  }
}
