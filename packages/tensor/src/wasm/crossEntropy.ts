// The fused cross-entropy forward kernels on WebAssembly SIMD (float64): copy the
// logits and targets into the module's memory, run one pass per row there
// (vectorised exp and log1p), copy the loss and the residuals out. Same contract
// as the JS kernels in ../crossEntropyKernels.ts, which call these.
import type { TypedArray } from '../dtype.js';
import { Layout, scratch, wasmKernels, type KernelExports } from './runtime.js';

/** Below this many logits the JS loop wins (the copies and the call cost more than SIMD saves). */
const WASM_MIN_LOGITS = 64;

/** The kernels, when the wasm backend is on, there are enough logits, and every output is float64 (or not wanted). */
function kernelsFor(n: number, z: TypedArray, outs: (TypedArray | null)[]): KernelExports | null {
  if (n < WASM_MIN_LOGITS || !(z instanceof Float64Array)) return null;
  for (const o of outs) if (o !== null && !(o instanceof Float64Array)) return null;
  return wasmKernels();
}

/**
 * Softmax cross entropy per row, as softmaxCrossEntropyKernel; residuals written when e is given
 * (then rowSum and targetSum too). Returns false, doing nothing, when the JS loop should run instead
 * (backend 'js', float32, or too few logits to pay for the copies).
 */
export function wasmSoftmaxCrossEntropy(
  p: TypedArray,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray,
  e: TypedArray | null,
  rowSum: TypedArray | null,
  targetSum: TypedArray | null,
): boolean {
  const n = rows * cols;
  const k = kernelsFor(n, z, [loss, e, rowSum, targetSum]);
  if (k === null) return false;
  const lay = new Layout();
  const zAt = lay.take(n * 8); // e^{z − m} is written over z in place
  const pAt = lay.take(n * 8);
  const lossAt = lay.take(rows * 8);
  const sAt = lay.take(rows * 8);
  const psAt = lay.take(rows * 8);
  const { f64 } = scratch(k, lay.bytes);
  f64.set(z.subarray(0, n), zAt / 8);
  f64.set(p.subarray(0, n), pAt / 8);
  k.softmax_xent_f64(zAt, pAt, rows, cols, lossAt, zAt, sAt, psAt, e === null ? 0 : 1);
  loss.set(f64.subarray(lossAt / 8, lossAt / 8 + rows));
  if (e !== null) e.set(f64.subarray(zAt / 8, zAt / 8 + n));
  if (rowSum !== null) rowSum.set(f64.subarray(sAt / 8, sAt / 8 + rows));
  if (targetSum !== null) targetSum.set(f64.subarray(psAt / 8, psAt / 8 + rows));
  return true;
}

/** Sparse softmax cross entropy per row (labels −1 = ignored), as sparseSoftmaxCrossEntropyKernel; false when JS should run. */
export function wasmSparseSoftmaxCrossEntropy(
  labels: Int32Array,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray,
  e: TypedArray | null,
  rowSum: TypedArray | null,
): boolean {
  const n = rows * cols;
  const k = kernelsFor(n, z, [loss, e, rowSum]);
  if (k === null) return false;
  const lay = new Layout();
  const zAt = lay.take(n * 8);
  const yAt = lay.take(rows * 4);
  const lossAt = lay.take(rows * 8);
  const sAt = lay.take(rows * 8);
  const { f64, i32 } = scratch(k, lay.bytes);
  f64.set(z.subarray(0, n), zAt / 8);
  i32.set(labels.subarray(0, rows), yAt / 4);
  k.sparse_softmax_xent_f64(zAt, yAt, rows, cols, lossAt, zAt, sAt, e === null ? 0 : 1);
  loss.set(f64.subarray(lossAt / 8, lossAt / 8 + rows));
  if (e !== null) e.set(f64.subarray(zAt / 8, zAt / 8 + n));
  if (rowSum !== null) rowSum.set(f64.subarray(sAt / 8, sAt / 8 + rows));
  return true;
}

/** Sigmoid cross entropy elementwise (w = posWeight or null), as sigmoidCrossEntropyKernel; false when JS should run. */
export function wasmSigmoidCrossEntropy(
  p: TypedArray,
  z: TypedArray,
  w: TypedArray | null,
  n: number,
  loss: TypedArray,
  sig: TypedArray | null,
  sigNeg: TypedArray | null,
): boolean {
  const k = kernelsFor(n, z, [loss, sig, sigNeg]);
  if (k === null) return false;
  const lay = new Layout();
  const zAt = lay.take(n * 8);
  const pAt = lay.take(n * 8);
  const wAt = lay.take(w === null ? 0 : n * 8);
  const lossAt = lay.take(n * 8);
  const sigAt = lay.take(sig === null ? 0 : n * 8);
  const negAt = lay.take(sigNeg === null ? 0 : n * 8);
  const { f64 } = scratch(k, lay.bytes);
  f64.set(z.subarray(0, n), zAt / 8);
  f64.set(p.subarray(0, n), pAt / 8);
  if (w !== null) f64.set(w.subarray(0, n), wAt / 8);
  const flags = (w === null ? 0 : 1) | (sig === null ? 0 : 2) | (sigNeg === null ? 0 : 4);
  k.sigmoid_xent_f64(zAt, pAt, wAt, n, lossAt, sigAt, negAt, flags);
  loss.set(f64.subarray(lossAt / 8, lossAt / 8 + n));
  if (sig !== null) sig.set(f64.subarray(sigAt / 8, sigAt / 8 + n));
  if (sigNeg !== null) sigNeg.set(f64.subarray(negAt / 8, negAt / 8 + n));
  return true;
}
