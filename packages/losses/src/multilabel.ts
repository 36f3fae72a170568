// multiLabelCrossEntropy: several labels per example, one independent sigmoid
// per label (PyTorch multilabel_soft_margin_loss):
//   ℓᵢ = (1/K) Σ_k w_k · bce(y_ik, z_ik),   bce = −[pw_k·y log σ(z) + (1−y) log(1−σ(z))]
// Logits by default (fused op, d/dz_ik = w_k(σ(z_ik) − y_ik)/K); { fromLogits: false }
// takes probabilities, clipped to [ε, 1−ε]. Class weights do not enter the 'mean' divisor.
import type { Tensor, TensorLike } from '@xent/tensor';
import { binaryFamilyLoss } from './binary.js';
import { parseOptions, type MultiLabelCrossEntropyOptions, type OptionName } from './options.js';

const MULTILABEL_OPTIONS: readonly OptionName[] = [
  'fromLogits',
  'reduction',
  'labelSmoothing',
  'classWeights',
  'posWeight',
  'sampleWeight',
  'epsilon',
  'validate',
];

/** Multi-label loss for multi-hot (or soft) targets of shape [..., K] and logits of the same shape; one value per example. */
export function multiLabelCrossEntropy(targets: TensorLike, predictions: TensorLike, options?: MultiLabelCrossEntropyOptions): Tensor {
  const where = 'multiLabelCrossEntropy';
  return binaryFamilyLoss(
    where,
    'multiLabel',
    targets,
    predictions,
    parseOptions(where, options, MULTILABEL_OPTIONS, { fromLogits: true }),
  );
}
