// The cross-entropy forward kernels: plain loops over row-major typed arrays,
// written once. Each returns the loss and the residuals its gradient needs
// (JAX custom_vjp style); the backward passes live beside the ops in
// @xent/autograd (docs/DESIGN.md, "Follow one gradient").
//
// Rows are the leading axes flattened, cols the class axis (the last one).
// Every row is max-shifted, so exp never overflows and the loss is finite at |z| = 1e4:
//   m = max_c z_c,   e_c = e^{z_c − m} ∈ (0, 1],   s = Σ_c e_c ≥ 1,   log Σ_c e^{z_c} = m + log s.
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
 */
export function softmaxCrossEntropyKernel(
  p: TypedArray,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray,
  e: TypedArray | null,
  rowSum: TypedArray | null,
  targetSum: TypedArray | null,
): void {
  if (wasmSoftmaxCrossEntropy(p, z, rows, cols, loss, e, rowSum, targetSum)) return; // the same pass in WebAssembly SIMD (float64)
  const row = { m: 0, s: 0 };
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    shiftedExpRow(z, base, cols, e, row);
    let acc = 0; // Σ p (m − z), summed term by term so small losses keep their digits
    let ps = 0;
    for (let c = 0; c < cols; c++) {
      const pc = p[base + c];
      if (pc !== 0) {
        acc += pc * (row.m - z[base + c]);
        ps += pc;
      }
    }
    loss[r] = acc + ps * Math.log(row.s);
    if (rowSum !== null) rowSum[r] = row.s;
    if (targetSum !== null) targetSum[r] = ps;
  }
}

/**
 * Sparse softmax cross entropy with logits: one class index per row, never a one-hot matrix.
 *   loss[r] = −log softmax(z)_y = (m − z_y) + log s,   y = labels[r].
 * A label of −1 marks an ignored row: loss 0, no residuals written.
 * Residuals (null when no gradient is wanted): e = e^{z − m}, rowSum[r] = s.
 */
export function sparseSoftmaxCrossEntropyKernel(
  labels: Int32Array,
  z: TypedArray,
  rows: number,
  cols: number,
  loss: TypedArray,
  e: TypedArray | null,
  rowSum: TypedArray | null,
): void {
  if (wasmSparseSoftmaxCrossEntropy(labels, z, rows, cols, loss, e, rowSum)) return; // the same pass in WebAssembly SIMD (float64)
  const row = { m: 0, s: 0 };
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    const y = labels[r];
    if (y < 0) {
      loss[r] = 0;
      continue;
    }
    shiftedExpRow(z, base, cols, e, row);
    loss[r] = row.m - z[base + y] + Math.log(row.s);
    if (rowSum !== null) rowSum[r] = row.s;
  }
}

/**
 * Sigmoid cross entropy with logits, elementwise over n values:
 *   loss = −[w·p log σ(z) + (1−p) log(1−σ(z))]
 *        = max(z, 0) − z·p + log1p(e^{−|z|})                      (w = null, i.e. w = 1)
 *        = (1−p)·z + (1 + (w−1)p)·(log1p(e^{−|z|}) + max(−z, 0))   (posWeight w)
 * Residuals (null when not wanted): sig[i] = σ(z_i) and sigNeg[i] = σ(−z_i) = 1 − σ(z_i), both from
 * e = e^{−|z|} ∈ (0, 1] as 1/(1+e) or e/(1+e), so neither loses digits to 1 − σ cancellation.
 */
export function sigmoidCrossEntropyKernel(
  p: TypedArray,
  z: TypedArray,
  w: TypedArray | null,
  n: number,
  loss: TypedArray,
  sig: TypedArray | null,
  sigNeg: TypedArray | null,
): void {
  if (wasmSigmoidCrossEntropy(p, z, w, n, loss, sig, sigNeg)) return; // the same pass in WebAssembly SIMD (float64)
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    const e = Math.exp(-Math.abs(zi)); // never overflows
    const l1 = Math.log1p(e);
    const pi = p[i];
    if (w === null) loss[i] = (zi > 0 ? zi : 0) - zi * pi + l1;
    else loss[i] = (1 - pi) * zi + (1 + (w[i] - 1) * pi) * (l1 + (zi < 0 ? -zi : 0));
    if (sig !== null) sig[i] = (zi >= 0 ? 1 : e) / (1 + e);
    if (sigNeg !== null) sigNeg[i] = (zi >= 0 ? e : 1) / (1 + e);
  }
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
