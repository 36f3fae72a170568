// Fused sparse softmax cross entropy: integer labels y, never a one-hot matrix.
//   ℓ = lse(z) − z_y = (m − z_y) + log Σ_c e^{z_c − m}
//   dℓ/dz_c = softmax(z)_c − [c = y]
// Rows whose label equals ignoreIndex give ℓ = 0 and a zero gradient.
import { XentError, allocate, fmtShape, fromFlat, promote, readFlat, type Tensor, type TypedArray } from '@xent/tensor';
import type { Input } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';
import { scaleByRows } from './rowGrad.js';
import { checkLogits } from './softmaxCrossEntropy.js';

export interface SparseAttrs {
  /** Label value to skip (PyTorch ignore_index), e.g. −100. */
  ignoreIndex?: number;
}

interface Saved {
  /** The gradient for dy = 1: softmax(z) − onehot(y), 0 on ignored rows. */
  G: TypedArray;
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

export const sparseSoftmaxCrossEntropyWithLogitsOp: OpDef<SparseAttrs, Saved | null> = {
  name: 'sparseSoftmaxCrossEntropyWithLogits',
  inputs: ['labels', 'logits'],
  differentiable: [false, true],
  forward([labelsT, logits], { ignoreIndex }, { needsGrad }) {
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
    const out = allocate(promote(logits.dtype), rows);
    const G = needsGrad[1] ? allocate(promote(logits.dtype), z.length) : null;
    for (let r = 0, base = 0; r < rows; r++, base += cols) {
      const t = labels[r];
      if (t < 0) continue; // ignored: ℓ = 0 and a zero gradient row
      let m = -Infinity;
      for (let c = 0; c < cols; c++) if (z[base + c] > m) m = z[base + c];
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const ec = Math.exp(z[base + c] - m);
        if (G !== null) G[base + c] = ec;
        s += ec;
      }
      out[r] = m - z[base + t] + Math.log(s);
      if (G !== null) {
        // dℓ/dz = softmax(z) − onehot(y)
        const inv = 1 / s;
        for (let c = 0; c < cols; c++) G[base + c] *= inv;
        G[base + t] -= 1;
      }
    }
    return { out: fromFlat(out, logits.shape.slice(0, -1)), saved: G === null ? null : { G, cols } };
  },
  // dz = (softmax(z) − onehot(y)) · dy, one dy per row
  backward: (dy, saved, { inputs: [, logits] }) => [null, scaleByRows(saved!.G, dy, logits.shape, saved!.cols, promote(logits.dtype))],
};

/** Per-row −log softmax(z)_y for integer labels y (int32 or whole-number floats). Labels get no gradient. */
export const sparseSoftmaxCrossEntropyWithLogits = (labels: Input, logits: Input, attrs: SparseAttrs = {}): Tensor =>
  applyOp(sparseSoftmaxCrossEntropyWithLogitsOp, [labels, logits], attrs);
