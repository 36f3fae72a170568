// Fused sparse softmax cross entropy: integer labels y, never a one-hot matrix.
//   ℓ = −log softmax(z)_y = (m − z_y) + log s,   m = max_c z_c,  s = Σ_c e^{z_c − m}
//   dℓ/dz_c = softmax(z)_c − [c = y]
// Rows whose label equals ignoreIndex give ℓ = 0 and a zero gradient.
import { XentError, fromFlat, readFlat, type Tensor } from '@xent/tensor';
import { allocate, promote, sparseSoftmaxCrossEntropyKernel } from '@xent/tensor/internal';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import type { OpDef } from '../opDef.js';
import { checkLabelShape, checkLogits, readSparseOptions } from './crossEntropyChecks.js';
import { gradScale, lossOutput, scaledGradient, type FusedGradient, type FusedLossAttrs } from './fusedLoss.js';

/** Attributes of sparseSoftmaxCrossEntropyWithLogits: ignoreIndex, and the divisor of FusedLossAttrs. */
export interface SparseAttrs extends Pick<FusedLossAttrs, 'divisor'> {
  /** Label value to skip (PyTorch ignore_index), e.g. −100. */
  ignoreIndex?: number;
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

const sparseSoftmaxCrossEntropyWithLogitsOp: OpDef<SparseAttrs, FusedGradient | null> = {
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
    // (softmax(z) − onehot(y))·scale per element, the gradient for the op's dy = 1 (0 on ignored rows)
    const grad = needsGrad[1] ? allocate(dtype, z.length) : null;
    const total = sparseSoftmaxCrossEntropyKernel(labels, z, rows, cols, loss, grad, null, gradScale(divisor));
    return { out: lossOutput(loss, total, logits.shape.slice(0, -1), dtype, divisor), saved: grad && { grad, width: cols } };
  },
  backward(dy, saved, { inputs: [, logits], lastUse }) {
    return [null, fromFlat(scaledGradient(saved!, dy, lastUse), logits.shape)];
  },
};

/**
 * Per-row −log softmax(z)_y for integer labels y (int32 or whole-number floats). Labels get no gradient; logits get
 * (softmax(z) − onehot(y))·dy. Attributes: ignoreIndex, and divisor (returns (Σ ℓ) / divisor, as the losses' reductions).
 */
export const sparseSoftmaxCrossEntropyWithLogits: BuiltinOp<[labels: Input, logits: Input, attrs?: SparseAttrs]> = builtin(
  sparseSoftmaxCrossEntropyWithLogitsOp,
  (apply) => (labels: Input, logits: Input, attrs?: SparseAttrs) => apply([labels, logits], readSparseOptions(attrs)),
);
