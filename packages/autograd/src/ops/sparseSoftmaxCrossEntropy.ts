// Fused sparse softmax cross entropy: integer labels y, never a one-hot matrix.
//   ℓ = lse(z) − z_y = (m − z_y) + log Σ_c e^{z_c − m}
//   dℓ/dz_c = softmax(z)_c − [c = y]
// Rows whose label equals ignoreIndex give ℓ = 0 and a zero gradient.
import { XentError, allocate, fmtShape, fromFlat, promote, readFlat, type Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';
import { checkLogits } from './softmaxCrossEntropy.js';

export interface SparseAttrs {
  /** Label value to skip (PyTorch ignore_index), e.g. −100. */
  ignoreIndex?: number;
}

interface Saved {
  e: Float64Array;
  invSum: Float64Array;
  /** The label of each row, or −1 for an ignored row. */
  labels: Int32Array;
  cols: number;
}

/** Labels must have the logits' shape without the class axis (a trailing axis of 1 is accepted). */
export function checkLabelShape(where: string, labels: Tensor, logits: Tensor): void {
  const sl = labels.shape;
  const want = logits.shape.slice(0, -1);
  const same = (a: number[]) => a.length === want.length && a.every((d, k) => d === want[k]);
  if (!(same(sl) || (sl[sl.length - 1] === 1 && same(sl.slice(0, -1))))) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: labels have shape ${fmtShape(sl)} but logits ${fmtShape(logits.shape)} need labels of shape ${fmtShape(want)} (one class index per row); ` +
        `for one-hot or soft targets of shape ${fmtShape(logits.shape)} use softmaxCrossEntropyWithLogits.`,
    );
  }
}

export const sparseSoftmaxCrossEntropyWithLogitsOp: OpDef<SparseAttrs, Saved> = {
  name: 'sparseSoftmaxCrossEntropyWithLogits',
  inputs: ['labels', 'logits'],
  differentiable: [false, true],
  forward([labelsT, logits], { ignoreIndex }) {
    const where = 'sparseSoftmaxCrossEntropyWithLogits';
    const cols = checkLogits(where, logits);
    checkLabelShape(where, labelsT, logits);
    const z = readFlat(logits);
    const y = readFlat(labelsT);
    const rows = y.length;
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const v = y[r];
      if (ignoreIndex !== undefined && v === ignoreIndex) labels[r] = -1;
      else if (Number.isInteger(v) && v >= 0 && v < cols) labels[r] = v;
      else {
        throw new XentError(
          'LABEL_OUT_OF_RANGE',
          `${where}: labels[${r}] is ${v}; labels must be whole numbers in [0, ${cols}) for ${cols} classes` +
            (ignoreIndex !== undefined ? ` or the ignoreIndex ${ignoreIndex}.` : ' (pass ignoreIndex to skip padding rows).'),
        );
      }
    }
    const e = new Float64Array(z.length);
    const invSum = new Float64Array(rows);
    const out = allocate(promote(logits.dtype), rows);
    for (let r = 0, base = 0; r < rows; r++, base += cols) {
      const t = labels[r];
      if (t < 0) continue; // ignored: ℓ = 0, and e stays 0 so the gradient is 0
      let m = -Infinity;
      for (let c = 0; c < cols; c++) if (z[base + c] > m) m = z[base + c];
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const ec = Math.exp(z[base + c] - m);
        e[base + c] = ec;
        s += ec;
      }
      invSum[r] = 1 / s;
      out[r] = m - z[base + t] + Math.log(s);
    }
    return { out: fromFlat(out, logits.shape.slice(0, -1)), saved: { e, invSum, labels, cols } };
  },
  backward(dy, { e, invSum, labels, cols }, { inputs: [, logits] }) {
    // dz = (softmax(z) − onehot(y)) · dy
    const g = readFlat(dy);
    const dz = allocate(promote(logits.dtype), e.length);
    for (let r = 0, base = 0; r < labels.length; r++, base += cols) {
      const t = labels[r];
      if (t < 0) continue;
      const k = g[r] * invSum[r];
      for (let c = 0; c < cols; c++) dz[base + c] = k * e[base + c];
      dz[base + t] -= g[r];
    }
    return [null, fromFlat(dz, logits.shape)];
  },
};

/** Per-row −log softmax(z)_y for integer labels y (int32 or whole-number floats). Labels get no gradient. */
export const sparseSoftmaxCrossEntropyWithLogits = (labels: Input, logits: Input, attrs: SparseAttrs = {}): Tensor =>
  applyOp(sparseSoftmaxCrossEntropyWithLogitsOp, [labels, logits], attrs);
