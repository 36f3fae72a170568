// @xent/losses: the cross-entropy family with Keras/PyTorch options and reductions,
// input validation that refuses the wrong helper, and chooseLoss.
export {
  binaryCrossentropy,
  sigmoidCrossEntropyWithLogits,
  multiLabelCrossEntropy,
  type BinaryCrossentropyOptions,
  type SigmoidCrossEntropyOptions,
  type MultiLabelCrossEntropyOptions,
} from './binaryCrossEntropy.js';
export {
  categoricalCrossentropy,
  softmaxCrossEntropyWithLogits,
  type CategoricalCrossentropyOptions,
  type SoftmaxCrossEntropyOptions,
} from './categoricalCrossEntropy.js';
export {
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
  type SparseCategoricalCrossentropyOptions,
  type SparseSoftmaxCrossEntropyOptions,
} from './sparseCrossEntropy.js';
export { polyCrossEntropyWithLogits, type PolyCrossEntropyOptions } from './polyCrossEntropy.js';
export { crossEntropy, type CrossEntropyOptions } from './crossEntropy.js';
export {
  binaryFocalCrossentropy,
  categoricalFocalCrossentropy,
  type BinaryFocalCrossentropyOptions,
  type CategoricalFocalCrossentropyOptions,
} from './focal.js';
export { klDivergence, type KLDivergenceOptions } from './kl.js';
export { chooseLoss, type ChooseLossSpec, type ChosenLoss, type LossFunction, type LossName } from './chooseLoss.js';
export { REDUCTIONS, type Reduction, type LossOptions } from './options.js';
export { logSoftmax, logSumExp } from '@xent/autograd';
