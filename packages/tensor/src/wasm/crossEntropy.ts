// The fused cross-entropy forward kernels on WebAssembly SIMD (float64): copy the
// logits and targets into the module's memory, run one pass per row there
// (vectorised exp and log1p), copy the loss and the residuals out. Same contract
// as the JS kernels in ../crossEntropyKernels.ts, which call these. Float32 arrays
// run the same float64 pass: the copies in and out convert (no extra pass), and every
// float32 result is the float64 one rounded once.
import type { TypedArray } from '../dtype.js';
import { Layout, scratch, wasmKernels, type KernelExports } from './runtime.js';

/** Below this many logits the JS loop wins (the copies and the call cost more than SIMD saves). */
const WASM_MIN_LOGITS = 64;

/** The kernels, when the wasm backend is on and there are enough (float) logits to pay for the copies. */
function kernelsFor(n: number, z: TypedArray): KernelExports | null {
  if (n < WASM_MIN_LOGITS || z instanceof Int32Array) return null;
  return wasmKernels();
}

/** Copies n float64s at byte address `at` of the scratch memory into out (converting to float32 when out is). */
function copyOut(f64: Float64Array, at: number, n: number, out: TypedArray | null): void {
  if (out !== null) out.set(f64.subarray(at / 8, at / 8 + n));
}

/**
 * Softmax cross entropy per row, as softmaxCrossEntropyKernel; residuals written when e is given
 * (then rowSum and targetSum too). Returns Σ loss (NaN when checkTargets finds a bad target row),
 * or null, doing nothing, when the JS loop should run instead (backend 'js', or too few logits).
 */
export function wasmSoftmaxCrossEntropy(
  p: TypedArray,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray | null,
  e: TypedArray | null,
  rowSum: TypedArray | null,
  targetSum: TypedArray | null,
  checkTargets: boolean,
): number | null {
  const n = rows * cols;
  const k = kernelsFor(n, z);
  if (k === null) return null;
  const lay = new Layout();
  const zAt = lay.take(n * 8); // e^{z − m} is written over z in place
  const pAt = lay.take(n * 8);
  const lossAt = lay.take(rows * 8);
  const sAt = lay.take(rows * 8);
  const psAt = lay.take(rows * 8);
  const { f64 } = scratch(k, lay.bytes);
  f64.set(z.subarray(0, n), zAt / 8);
  f64.set(p.subarray(0, n), pAt / 8);
  const flags = (e === null ? 0 : 1) | (checkTargets ? 2 : 0);
  const total = k.softmax_xent_f64(zAt, pAt, rows, cols, lossAt, zAt, sAt, psAt, flags);
  copyOut(f64, lossAt, rows, loss);
  copyOut(f64, zAt, n, e);
  copyOut(f64, sAt, rows, rowSum);
  copyOut(f64, psAt, rows, targetSum);
  return total;
}

/** Sparse softmax cross entropy per row (labels −1 = ignored), as sparseSoftmaxCrossEntropyKernel; Σ loss, or null when JS should run. */
export function wasmSparseSoftmaxCrossEntropy(
  labels: Int32Array,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray | null,
  e: TypedArray | null,
  rowSum: TypedArray | null,
): number | null {
  const n = rows * cols;
  const k = kernelsFor(n, z);
  if (k === null) return null;
  const lay = new Layout();
  const zAt = lay.take(n * 8);
  const yAt = lay.take(rows * 4);
  const lossAt = lay.take(rows * 8);
  const sAt = lay.take(rows * 8);
  const { f64, i32 } = scratch(k, lay.bytes);
  f64.set(z.subarray(0, n), zAt / 8);
  i32.set(labels.subarray(0, rows), yAt / 4);
  const total = k.sparse_softmax_xent_f64(zAt, yAt, rows, cols, lossAt, zAt, sAt, e === null ? 0 : 1);
  copyOut(f64, lossAt, rows, loss);
  copyOut(f64, zAt, n, e);
  copyOut(f64, sAt, rows, rowSum);
  return total;
}

/**
 * Sigmoid cross entropy elementwise (w = posWeight or null), as sigmoidCrossEntropyKernel: loss values
 * written when loss is given; returns Σ loss (NaN when checkTargets finds a target outside [0, 1]),
 * or null when JS should run.
 */
export function wasmSigmoidCrossEntropy(
  p: TypedArray,
  z: TypedArray,
  w: TypedArray | null,
  n: number,
  loss: TypedArray | null,
  sig: TypedArray | null,
  sigNeg: TypedArray | null,
  checkTargets: boolean,
): number | null {
  const k = kernelsFor(n, z);
  if (k === null) return null;
  const lay = new Layout();
  const zAt = lay.take(n * 8);
  const pAt = lay.take(n * 8);
  const wAt = lay.take(w === null ? 0 : n * 8);
  const lossAt = lay.take(loss === null ? 0 : n * 8);
  const sigAt = lay.take(sig === null ? 0 : n * 8);
  const negAt = lay.take(sigNeg === null ? 0 : n * 8);
  const { f64 } = scratch(k, lay.bytes);
  f64.set(z.subarray(0, n), zAt / 8);
  f64.set(p.subarray(0, n), pAt / 8);
  if (w !== null) f64.set(w.subarray(0, n), wAt / 8);
  const flags =
    (w === null ? 0 : 1) | (sig === null ? 0 : 2) | (sigNeg === null ? 0 : 4) | (checkTargets ? 8 : 0) | (loss === null ? 0 : 16);
  const total = k.sigmoid_xent_f64(zAt, pAt, wAt, n, lossAt, sigAt, negAt, flags);
  copyOut(f64, lossAt, n, loss);
  copyOut(f64, sigAt, n, sig);
  copyOut(f64, negAt, n, sigNeg);
  return total;
}
