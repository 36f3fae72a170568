// The fused cross-entropy forward kernels on WebAssembly SIMD: copy the logits and
// targets into the module's memory, run one pass per row there (vectorised exp and
// log1p), copy the loss and the residuals out. Same contract as the JS kernels in
// ../crossEntropyKernels.ts, which call these.
//
// Precision: when every array of a call is float32, the float32 kernels run (four lanes,
// float32 exp/log1p, sums in float64: see crossEntropy.wat); otherwise the float64 kernels,
// with the copies converting float32 operands or results (no extra pass).
import type { TypedArray } from '../dtype.js';
import { Layout, scratch, wasmKernels, type KernelExports } from './runtime.js';

/** Below this many logits the JS loop wins (the copies and the call cost more than SIMD saves). */
const WASM_MIN_LOGITS = 64;

/** The float32 kernels read a row's last partial quad whole: up to 16 bytes past an operand's end. */
const OVERREAD = 16;

/** The kernels, when the wasm backend is on and there are enough (float) logits to pay for the copies. */
function kernelsFor(n: number, z: TypedArray): KernelExports | null {
  if (n < WASM_MIN_LOGITS || z instanceof Int32Array) return null;
  return wasmKernels();
}

/** True when every given array is float32: the float32 kernels then run. */
function allFloat32(...arrays: (TypedArray | null)[]): boolean {
  return arrays.every((a) => a === null || a instanceof Float32Array);
}

/** The scratch memory as float32 or float64 values, and as float64 and int32. */
function valuesView(
  k: KernelExports,
  bytes: number,
  f32: boolean,
): { view: Float32Array | Float64Array; f64: Float64Array; i32: Int32Array } {
  const mem = scratch(k, bytes + OVERREAD);
  return { view: f32 ? mem.f32 : mem.f64, f64: mem.f64, i32: mem.i32 };
}

/** Copies n values at byte address `at` of the scratch view into out (converting when the types differ). */
function copyOut(view: Float32Array | Float64Array, at: number, n: number, out: TypedArray | null): void {
  const i = at / view.BYTES_PER_ELEMENT;
  if (out !== null) out.set(view.subarray(i, i + n));
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
  const f32 = allFloat32(p, z, loss, e, rowSum, targetSum);
  const b = f32 ? 4 : 8;
  const lay = new Layout();
  const zAt = lay.take(n * b); // e^{z − m} is written over z in place
  const pAt = lay.take(n * b);
  const lossAt = lay.take(rows * b);
  const sAt = lay.take(rows * b);
  const psAt = lay.take(rows * b);
  const { view } = valuesView(k, lay.bytes, f32);
  view.set(z.subarray(0, n), zAt / b);
  view.set(p.subarray(0, n), pAt / b);
  const flags = (e === null ? 0 : 1) | (checkTargets ? 2 : 0);
  const total = (f32 ? k.softmax_xent_f32 : k.softmax_xent_f64)(zAt, pAt, rows, cols, lossAt, zAt, sAt, psAt, flags);
  copyOut(view, lossAt, rows, loss);
  copyOut(view, zAt, n, e);
  copyOut(view, sAt, rows, rowSum);
  copyOut(view, psAt, rows, targetSum);
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
  const f32 = allFloat32(z, loss, e, rowSum);
  const b = f32 ? 4 : 8;
  const lay = new Layout();
  const zAt = lay.take(n * b);
  const yAt = lay.take(rows * 4);
  const lossAt = lay.take(rows * b);
  const sAt = lay.take(rows * b);
  const { view, i32 } = valuesView(k, lay.bytes, f32);
  view.set(z.subarray(0, n), zAt / b);
  i32.set(labels.subarray(0, rows), yAt / 4);
  const total = (f32 ? k.sparse_softmax_xent_f32 : k.sparse_softmax_xent_f64)(zAt, yAt, rows, cols, lossAt, zAt, sAt, e === null ? 0 : 1);
  copyOut(view, lossAt, rows, loss);
  copyOut(view, zAt, n, e);
  copyOut(view, sAt, rows, rowSum);
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
  const f32 = allFloat32(p, z, w, loss, sig, sigNeg);
  const b = f32 ? 4 : 8;
  const lay = new Layout();
  const zAt = lay.take(n * b);
  const pAt = lay.take(n * b);
  const wAt = lay.take(w === null ? 0 : n * b);
  const lossAt = lay.take(loss === null ? 0 : n * b);
  const sigAt = lay.take(sig === null ? 0 : n * b);
  const negAt = lay.take(sigNeg === null ? 0 : n * b);
  const { view } = valuesView(k, lay.bytes, f32);
  view.set(z.subarray(0, n), zAt / b);
  view.set(p.subarray(0, n), pAt / b);
  if (w !== null) view.set(w.subarray(0, n), wAt / b);
  const flags =
    (w === null ? 0 : 1) | (sig === null ? 0 : 2) | (sigNeg === null ? 0 : 4) | (checkTargets ? 8 : 0) | (loss === null ? 0 : 16);
  const total = (f32 ? k.sigmoid_xent_f32 : k.sigmoid_xent_f64)(zAt, pAt, wAt, n, lossAt, sigAt, negAt, flags);
  copyOut(view, lossAt, n, loss);
  copyOut(view, sigAt, n, sig);
  copyOut(view, negAt, n, sigNeg);
  return total;
}

/** Above this many values the backward's copies cost more than its pass saves (out of cache: 0.95× the JS loop at [2048, 1000], 1.2× at [4096, 1000]). */
const BACKWARD_MAX_VALUES = 2 ** 21;

/**
 * The softmax cross-entropy backward on WebAssembly, from the forward's residuals (e = e^{z − m},
 * rowSum = s, targetSum = Σp): per row r, dz_c = ((Σp)_r·e_c/s_r − p_c)·g[r·step] + 0. Writes dz
 * (which may be e) and returns true, or returns false, doing nothing, when the JS loop should run instead.
 */
export function wasmSoftmaxCrossEntropyBackward(
  e: TypedArray,
  p: TypedArray,
  rowSum: TypedArray,
  targetSum: TypedArray,
  g: TypedArray,
  step: 0 | 1,
  cols: number,
  dz: TypedArray,
): boolean {
  const n = e.length;
  if (n > BACKWARD_MAX_VALUES) return false;
  const k = kernelsFor(n, e);
  if (k === null) return false;
  const rows = rowSum.length;
  const f32 = allFloat32(e, p, rowSum, targetSum, dz);
  const b = f32 ? 4 : 8;
  const lay = new Layout();
  const eAt = lay.take(n * b);
  const pAt = lay.take(n * b);
  const sAt = lay.take(rows * b);
  const psAt = lay.take(rows * b);
  const gAt = lay.take(step === 1 ? rows * 8 : 8);
  const { view, f64 } = valuesView(k, lay.bytes, f32);
  view.set(e.subarray(0, n), eAt / b);
  view.set(p.subarray(0, n), pAt / b);
  view.set(rowSum, sAt / b);
  view.set(targetSum, psAt / b);
  f64.set(g.subarray(0, step === 1 ? rows : 1), gAt / 8);
  k.softmax_xent_backward(eAt, pAt, sAt, psAt, gAt, step, rows, cols, f32 ? 1 : 0);
  copyOut(view, eAt, n, dz);
  return true;
}
