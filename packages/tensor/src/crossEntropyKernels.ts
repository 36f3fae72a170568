// The cross-entropy forward kernels: plain loops over row-major typed arrays,
// written once. Each returns the loss and the residuals its gradient needs
// (JAX custom_vjp style); the backward passes live beside the ops in
// @xent/autograd (docs/DESIGN.md, "Follow one gradient").
//
// Each also returns Σ loss (what the 'sum' and mean reductions need, so they cost no
// pass of their own) and can check the targets in the same pass (checkTargets): the
// result is then NaN when a target is bad, and the caller re-checks to say where.
//
// Rows are the leading axes flattened, cols the class axis (the last one).
// Every row is max-shifted, so exp never overflows and the loss is finite at |z| = 1e4:
//   m = max_c z_c,   e_c = e^{z_c − m} ∈ (0, 1],   s = Σ_c e_c ≥ 1,   log Σ_c e^{z_c} = m + log s.
//
// float32 (docs/DESIGN.md, "Numerical choices"): every sum (s, Σp, Σ p(m − z), Σ loss) and every
// per-row scalar accumulates in float64 on both backends; the values stored (loss, residuals) are
// rounded to float32 once. The elementwise work differs only in rounding: these loops compute it in
// float64 (Math.exp, Math.log1p), the wasm float32 kernels in float32 (four lanes, exp and log1p
// within 1 float32 ulp), so the two backends agree to float32 precision, not bit for bit.
import type { TypedArray } from './dtype.js';
import { wasmSigmoidCrossEntropy, wasmSoftmaxCrossEntropy, wasmSparseSoftmaxCrossEntropy } from './wasm/crossEntropy.js';

/**
 * One max-shifted row: writes e[base + c] = e^{z[base + c] − m} (when e is given)
 * and returns s = Σ_c e^{z_c − m} together with m through the `row` scratch.
 */
function shiftedExpRow(z: TypedArray, base: number, cols: number, e: TypedArray | null, row: { m: number; s: number }): void {
  let m = -Infinity;
  for (let c = 0; c < cols; c++) if (z[base + c] > m) m = z[base + c];
  let s = 0;
  for (let c = 0; c < cols; c++) {
    const ec = Math.exp(z[base + c] - m);
    if (e !== null) e[base + c] = ec;
    s += ec;
  }
  row.m = m;
  row.s = s;
}

/**
 * Softmax cross entropy with logits, per row r of z and targets p (both rows × cols):
 *   loss[r] = −Σ_c p_c log softmax(z)_c = Σ_c p_c (m − z_c) + (Σ_c p_c) · log s.
 * Residuals (each may be null when no gradient is wanted): e = e^{z − m} (rows × cols),
 * rowSum[r] = s, targetSum[r] = Σ_c p_c. Then softmax(z)_c = e_c / s.
 * The loss values are written when `loss` is given. Returns Σ_r loss[r]; NaN when checkTargets and a target is outside [0, 1] or a row sums to 1 ± more than 1e-3.
 */
export function softmaxCrossEntropyKernel(
  p: TypedArray,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray | null,
  e: TypedArray | null,
  rowSum: TypedArray | null,
  targetSum: TypedArray | null,
  checkTargets = false,
): number {
  // The same pass in WebAssembly SIMD (float64), when the wasm backend is on and the logits are many enough.
  const viaWasm = wasmSoftmaxCrossEntropy(p, z, rows, cols, loss, e, rowSum, targetSum, checkTargets);
  if (viaWasm !== null) return viaWasm;
  const row = { m: 0, s: 0 };
  let total = 0;
  let targetsOk = true;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    shiftedExpRow(z, base, cols, e, row);
    let acc = 0; // Σ p (m − z), summed term by term so small losses keep their digits
    let ps = 0;
    for (let c = 0; c < cols; c++) {
      const pc = p[base + c];
      if (pc !== 0) {
        acc += pc * (row.m - z[base + c]);
        ps += pc;
        if (!(pc >= 0 && pc <= 1)) targetsOk = false; // NaN too
      }
    }
    if (!(Math.abs(ps - 1) <= 1e-3)) targetsOk = false;
    const lr = acc + ps * Math.log(row.s);
    if (loss !== null) loss[r] = lr;
    total += lr;
    if (rowSum !== null) rowSum[r] = row.s;
    if (targetSum !== null) targetSum[r] = ps;
  }
  return checkTargets && !targetsOk ? NaN : total;
}

/**
 * Sparse softmax cross entropy with logits: one class index per row, never a one-hot matrix.
 *   loss[r] = −log softmax(z)_y = (m − z_y) + log s,   y = labels[r].
 * A label of −1 marks an ignored row: loss 0, no residuals written.
 * Residuals (null when no gradient is wanted): e = e^{z − m}, rowSum[r] = s. Returns Σ_r loss[r] (written when `loss` is given).
 */
export function sparseSoftmaxCrossEntropyKernel(
  labels: Int32Array,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray | null,
  e: TypedArray | null,
  rowSum: TypedArray | null,
): number {
  const viaWasm = wasmSparseSoftmaxCrossEntropy(labels, z, rows, cols, loss, e, rowSum); // the same pass in WebAssembly SIMD
  if (viaWasm !== null) return viaWasm;
  const row = { m: 0, s: 0 };
  let total = 0;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    const y = labels[r];
    if (y < 0) {
      if (loss !== null) loss[r] = 0;
      continue;
    }
    shiftedExpRow(z, base, cols, e, row);
    const lr = row.m - z[base + y] + Math.log(row.s);
    if (loss !== null) loss[r] = lr;
    total += lr;
    if (rowSum !== null) rowSum[r] = row.s;
  }
  return total;
}

/**
 * Sigmoid cross entropy with logits, elementwise over n values:
 *   loss = −[w·p log σ(z) + (1−p) log(1−σ(z))]
 *        = max(z, 0) − z·p + log1p(e^{−|z|})                      (w = null, i.e. w = 1)
 *        = (z ≥ 0 ? (1−p)·z : −(w·p)·z) + (1 + (w−1)p)·log1p(e^{−|z|})   (posWeight w)
 * The w form is (1−p)·z + (1 + (w−1)p)·(log1p(e^{−|z|}) + max(−z, 0)) with its two large terms cancelled
 * for z < 0, so no term overflows where the loss is finite (z = −2e308, p = 0.5, w = 1.5; float32 at −2e38).
 * Residuals (null when not wanted): sig[i] = σ(z_i) and sigNeg[i] = σ(−z_i) = 1 − σ(z_i), both from
 * e = e^{−|z|} ∈ (0, 1] as 1/(1+e) or e/(1+e), so neither loses digits to 1 − σ cancellation.
 * The loss values are written when `loss` is given; returns their sum (NaN when checkTargets and a target is outside [0, 1]).
 */
export function sigmoidCrossEntropyKernel(
  p: TypedArray,
  z: TypedArray,
  w: TypedArray | null,
  n: number,
  loss: TypedArray | null,
  sig: TypedArray | null,
  sigNeg: TypedArray | null,
  checkTargets = false,
): number {
  const viaWasm = wasmSigmoidCrossEntropy(p, z, w, n, loss, sig, sigNeg, checkTargets); // the same pass in WebAssembly SIMD
  if (viaWasm !== null) return viaWasm;
  let total = 0;
  let targetsOk = true;
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    const e = Math.exp(-Math.abs(zi)); // never overflows
    const l1 = Math.log1p(e);
    const pi = p[i];
    const li = w === null ? (zi > 0 ? zi : 0) - zi * pi + l1 : (zi >= 0 ? (1 - pi) * zi : -(w[i] * pi) * zi) + (1 + (w[i] - 1) * pi) * l1;
    total += li;
    if (!(pi >= 0 && pi <= 1)) targetsOk = false; // NaN too
    if (loss !== null) loss[i] = li;
    if (sig !== null) sig[i] = (zi >= 0 ? 1 : e) / (1 + e);
    if (sigNeg !== null) sigNeg[i] = (zi >= 0 ? e : 1) / (1 + e);
  }
  return checkTargets && !targetsOk ? NaN : total;
}

/**
 * Poly-1 cross entropy with logits (Leng et al. 2022; optax poly_loss_cross_entropy), per row:
 *   loss[r] = −Σ_c p_c log softmax(z)_c + ε·Σ_c p_c (1 − softmax(z)_c) = CE + ε·(Σp − pt),   pt = Σ_c p_c softmax(z)_c.
 * Residuals (always written: the loss needs them): e = e^{z − m}, rowSum = s, targetSum = Σp, pt.
 */
export function polyCrossEntropyKernel(
  p: TypedArray,
  z: TypedArray,
  rows: number,
  cols: number,
  epsilon: number,
  loss: TypedArray,
  e: TypedArray,
  rowSum: TypedArray,
  targetSum: TypedArray,
  pt: TypedArray,
): void {
  softmaxCrossEntropyKernel(p, z, rows, cols, loss, e, rowSum, targetSum);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    let acc = 0;
    for (let c = base; c < base + cols; c++) acc += p[c] * e[c];
    pt[r] = acc / rowSum[r];
    loss[r] += epsilon * (targetSum[r] - pt[r]);
  }
}
