// Fused sparse softmax cross entropy: integer labels y, never a one-hot matrix.
//   ℓ = −log softmax(z)_y = (m − z_y) + log s,   m = max_c z_c,  s = Σ_c e^{z_c − m}
//   dℓ/dz_c = softmax(z)_c − [c = y]
// Rows whose label equals ignoreIndex give ℓ = 0 and a zero gradient.
import { XentError, fromFlat, readFlat, type Tensor, type TypedArray } from '@xent/tensor';
import { allocate, promote, sparseSoftmaxCrossEntropyKernel } from '@xent/tensor/internal';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import type { OpDef } from '../opDef.js';
import { checkNotProbabilities, checkLabelShape, checkLogits, readSparseOptions } from './crossEntropyChecks.js';
import { lossOutput, upstream, type FusedLossAttrs } from './fusedLoss.js';

/** Attributes of sparseSoftmaxCrossEntropyWithLogits: ignoreIndex, and the divisor of FusedLossAttrs. */
export interface SparseAttrs extends Pick<FusedLossAttrs, 'divisor'> {
  /** Label value to skip (PyTorch ignore_index), e.g. −100. */
  ignoreIndex?: number;
}

interface Residuals {
  /** The class index of each row, −1 on ignored rows. */
  labels: Int32Array;
  /** e^{z − m} per element and s = Σ_c e^{z_c − m} per row. */
  e: TypedArray;
  rowSum: TypedArray;
  cols: number;
}

/** The labels as class indices in [0, cols), −1 for ignoreIndex; anything else is LABEL_OUT_OF_RANGE. */
function classIndices(where: string, labels: Tensor, cols: number, ignoreIndex: number | undefined): Int32Array {
  const y = readFlat(labels);
  const out = new Int32Array(y.length);
  for (let r = 0; r < y.length; r++) {
    const v = y[r];
    if (ignoreIndex !== undefined && v === ignoreIndex) out[r] = -1;
    else if (Number.isInteger(v) && v >= 0 && v < cols) out[r] = v;
    else {
      throw new XentError(
        'LABEL_OUT_OF_RANGE',
        `${where}: labels[${r}] is ${v}; labels must be whole numbers in [0, ${cols}) for ${cols} classes` +
          (ignoreIndex !== undefined ? ` or the ignoreIndex ${ignoreIndex}.` : ' (pass ignoreIndex to skip padding rows).'),
      );
    }
  }
  return out;
}

const sparseSoftmaxCrossEntropyWithLogitsOp: OpDef<SparseAttrs, Residuals | null> = {
  name: 'sparseSoftmaxCrossEntropyWithLogits',
  inputs: ['labels', 'logits'],
  differentiable: [false, true],
  forward([labelsT, logits], { ignoreIndex, divisor }, { needsGrad }) {
    const where = 'sparseSoftmaxCrossEntropyWithLogits';
    const cols = checkLogits(where, logits);
    checkLabelShape(where, labelsT, logits);
    const labels = classIndices(where, labelsT, cols, ignoreIndex);
    const z = readFlat(logits);
    const rows = labels.length;
    const dtype = promote(logits.dtype);
    const loss = divisor === undefined ? allocate(dtype, rows) : null; // with a divisor only Σ ℓ is kept
    const r = needsGrad[1] ? { labels, e: allocate(dtype, z.length), rowSum: allocate(dtype, rows), cols } : null;
    const total = sparseSoftmaxCrossEntropyKernel(labels, z, rows, cols, loss, r && r.e, r && r.rowSum);
    return { out: lossOutput(loss, total, logits.shape.slice(0, -1), dtype, divisor), saved: r };
  },
  backward(dy, saved, { inputs: [, logits], attrs, lastUse }) {
    const { labels, e, rowSum, cols } = saved!;
    const { g, step } = upstream(dy, attrs.divisor); // the dy of row r is g[r·step]
    const dz = lastUse ? e : allocate(promote(logits.dtype), e.length); // on the last use, written over e
    for (let r = 0, base = 0; r < labels.length; r++, base += cols) {
      const y = labels[r];
      if (y < 0) {
        dz.fill(0, base, base + cols); // ignored row: zero gradient
        continue;
      }
      // dz_c = (softmax(z)_c − [c = y])·dy,  softmax(z)_c = e_c / s   ("+ 0" keeps a zero gradient +0)
      const gr = g[r * step];
      const k = gr / rowSum[r];
      for (let c = base; c < base + cols; c++) dz[c] = k * e[c] + 0;
      dz[base + y] -= gr;
    }
    return [null, fromFlat(dz, logits.shape)];
  },
};

/**
 * Per-row −log softmax(z)_y for integer labels y (int32 or whole-number floats). Labels get no gradient; logits get
 * (softmax(z) − onehot(y))·dy. Attributes: ignoreIndex, and divisor (returns (Σ ℓ) / divisor, as the losses' reductions).
 */
export const sparseSoftmaxCrossEntropyWithLogits: BuiltinOp<[labels: Input, logits: Input, attrs?: SparseAttrs]> = builtin(
  sparseSoftmaxCrossEntropyWithLogitsOp,
  (apply) => (labels: Input, logits: Input, attrs?: SparseAttrs) => {
    checkNotProbabilities(
      'sparseSoftmaxCrossEntropyWithLogits',
      logits,
      'softmax',
      'for probabilities use sparseCategoricalCrossentropy of @xent/losses',
    );
    return apply([labels, logits], readSparseOptions(attrs));
  },
  3, // a further argument ({ axis }, { reduction }: options of the losses) is refused, not ignored
);
