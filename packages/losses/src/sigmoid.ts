// sigmoidCrossEntropyWithLogits: elementwise, always logits, always the fused op:
//   ℓ = −[pw·y log σ(z) + (1−y) log(1−σ(z))] = max(z,0) − z·y + log1p(e^{−|z|})   (pw = 1)
//   d/dz = σ(z) − y   (with pw: (1−y) − (1 + (pw−1)y)(1 − σ(z)))
// The loss values have the logits' shape; 'mean' divides by their number (PyTorch).
import type { Tensor, TensorLike } from '@xent/tensor';
import { binaryFamilyLoss } from './binary.js';
import { parseOptions, type OptionName, type SigmoidCrossEntropyOptions } from './options.js';

const SIGMOID_OPTIONS: readonly OptionName[] = ['reduction', 'labelSmoothing', 'classWeights', 'posWeight', 'sampleWeight', 'validate'];

/** Elementwise sigmoid cross entropy of targets in [0, 1] and logits of the same shape. */
export function sigmoidCrossEntropyWithLogits(targets: TensorLike, logits: TensorLike, options?: SigmoidCrossEntropyOptions): Tensor {
  const where = 'sigmoidCrossEntropyWithLogits';
  return binaryFamilyLoss(where, 'sigmoid', targets, logits, parseOptions(where, options, SIGMOID_OPTIONS, { fromLogits: true }));
}
