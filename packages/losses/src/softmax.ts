// The TF-named softmax losses: always logits, always the fused ops.
//   softmaxCrossEntropyWithLogits:        ℓ = −Σ_c P_c log softmax(z)_c,  d/dz = softmax(z)·ΣP − P
//   sparseSoftmaxCrossEntropyWithLogits:  ℓ = lse(z) − z_y,               d/dz = softmax(z) − onehot(y)
// Same options as the Keras helpers, minus fromLogits and epsilon.
import type { Tensor, TensorLike } from '@xent/tensor';
import { distributionTargetLoss } from './categorical.js';
import { parseOptions, type OptionName, type SoftmaxCrossEntropyOptions, type SparseSoftmaxCrossEntropyOptions } from './options.js';
import { integerLabelLoss } from './sparse.js';

const SOFTMAX_OPTIONS: readonly OptionName[] = ['reduction', 'labelSmoothing', 'classWeights', 'sampleWeight', 'axis', 'validate'];

/** Per example −Σ_c y_c log softmax(z)_c for distribution targets y (one-hot or soft) and logits z. */
export function softmaxCrossEntropyWithLogits(targets: TensorLike, logits: TensorLike, options?: SoftmaxCrossEntropyOptions): Tensor {
  const where = 'softmaxCrossEntropyWithLogits';
  const o = parseOptions(where, options, SOFTMAX_OPTIONS, { fromLogits: true });
  return distributionTargetLoss(where, targets, logits, o);
}

/** Per example −log softmax(z)_y for integer labels y (int32 or whole-number floats) and logits z. */
export function sparseSoftmaxCrossEntropyWithLogits(
  labels: TensorLike,
  logits: TensorLike,
  options?: SparseSoftmaxCrossEntropyOptions,
): Tensor {
  const where = 'sparseSoftmaxCrossEntropyWithLogits';
  const o = parseOptions(where, options, [...SOFTMAX_OPTIONS, 'ignoreIndex'], { fromLogits: true });
  return integerLabelLoss(where, labels, logits, o);
}
