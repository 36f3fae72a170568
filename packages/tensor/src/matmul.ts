import { allocate, promote, type TypedArray } from './dtype.js';
import { XentError, fmtShape } from './errors.js';
import { Tensor, fromFlat, readFlat } from './tensor.js';

/** Contiguous float64 values of t (no copy when they already are). */
function float64Values(t: Tensor): Float64Array {
  const v = readFlat(t);
  return v instanceof Float64Array ? v : Float64Array.from(v);
}

/**
 * C[M×N] = A[M×K] · B[K×N] on row-major Float64Arrays.
 * Register-blocked: B is packed into panels of 4 columns (k-major), then each
 * 4×4 tile of C is summed in 16 locals over the whole k loop, so every loaded
 * value feeds 4 multiply-adds. Edges fall back to plain dot products.
 */
export function matmulKernel(A: Float64Array, B: Float64Array, C: TypedArray, M: number, K: number, N: number, packed?: Float64Array): void {
  const nj = N >> 2;
  const Bp = packed && packed.length >= nj * K * 4 ? packed : new Float64Array(nj * K * 4);
  for (let jb = 0; jb < nj; jb++) {
    const base = jb * K * 4;
    for (let k = 0; k < K; k++) {
      const s = k * N + jb * 4;
      const d = base + k * 4;
      Bp[d] = B[s];
      Bp[d + 1] = B[s + 1];
      Bp[d + 2] = B[s + 2];
      Bp[d + 3] = B[s + 3];
    }
  }
  const m4 = M - (M % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * K, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K;
    for (let jb = 0; jb < nj; jb++) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0, b = jb * K * 4; k < K; k++, b += 4) {
        const b0 = Bp[b], b1 = Bp[b + 1], b2 = Bp[b + 2], b3 = Bp[b + 3];
        const a0 = A[r0 + k], a1 = A[r1 + k], a2 = A[r2 + k], a3 = A[r3 + k];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      const c = i * N + jb * 4;
      C[c] = s00; C[c + 1] = s01; C[c + 2] = s02; C[c + 3] = s03;
      C[c + N] = s10; C[c + N + 1] = s11; C[c + N + 2] = s12; C[c + N + 3] = s13;
      C[c + 2 * N] = s20; C[c + 2 * N + 1] = s21; C[c + 2 * N + 2] = s22; C[c + 2 * N + 3] = s23;
      C[c + 3 * N] = s30; C[c + 3 * N + 1] = s31; C[c + 3 * N + 2] = s32; C[c + 3 * N + 3] = s33;
    }
  }
  // Leftover columns (N mod 4) for the blocked rows, then leftover rows (M mod 4).
  for (let i = 0; i < M; i++) {
    for (let j = i < m4 ? nj * 4 : 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
      C[i * N + j] = s;
    }
  }
}

/**
 * matmul(a, b): [M,K]·[K,N] → [M,N], or with a leading batch axis
 * [B,M,K]·[B,K,N] → [B,M,N] (a 2-D operand is shared across the batch).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const sa = a.shape;
  const sb = b.shape;
  const bad = (why: string): never => {
    throw new XentError('SHAPE_MISMATCH', `matmul: cannot multiply shapes ${fmtShape(sa)} and ${fmtShape(sb)}: ${why}.`);
  };
  if (sa.length < 2 || sa.length > 3 || sb.length < 2 || sb.length > 3) bad('each operand must be 2-D, or 3-D with a leading batch axis');
  const M = sa[sa.length - 2], K = sa[sa.length - 1];
  const K2 = sb[sb.length - 2], N = sb[sb.length - 1];
  if (K !== K2) bad(`the inner sizes differ (${K} vs ${K2}); the last axis of a must equal the second-to-last of b`);
  const batchA = sa.length === 3 ? sa[0] : 1;
  const batchB = sb.length === 3 ? sb[0] : 1;
  if (sa.length === 3 && sb.length === 3 && batchA !== batchB) bad(`the batch sizes differ (${batchA} vs ${batchB})`);
  const batch = Math.max(batchA, batchB);
  const dtype = promote(a.dtype, b.dtype);
  const A = float64Values(a);
  const B = float64Values(b);
  const outShape = sa.length === 3 || sb.length === 3 ? [batch, M, N] : [M, N];
  const out = allocate(dtype, batch * M * N);
  const packed = new Float64Array((N >> 2) * K * 4);
  for (let p = 0; p < batch; p++) {
    const Ap = batchA === 1 ? A : A.subarray(p * M * K, (p + 1) * M * K);
    const Bq = batchB === 1 ? B : B.subarray(p * K * N, (p + 1) * K * N);
    matmulKernel(Ap, Bq, out.subarray(p * M * N, (p + 1) * M * N), M, K, N, packed);
  }
  return fromFlat(out, outShape);
}
