// @xent/losses: the cross-entropy family with Keras/PyTorch options and reductions,
// input validation that refuses the wrong helper, and chooseLoss.
export { binaryCrossentropy } from './binary.js';
export { categoricalCrossentropy } from './categorical.js';
export { sparseCategoricalCrossentropy } from './sparse.js';
export { sigmoidCrossEntropyWithLogits } from './sigmoid.js';
export { softmaxCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from './softmax.js';
export { multiLabelCrossEntropy } from './multilabel.js';
export { crossEntropy } from './crossEntropy.js';
export { binaryFocalCrossentropy, categoricalFocalCrossentropy } from './focal.js';
export { klDivergence } from './kl.js';
export { chooseLoss, type ChooseLossSpec, type ChosenLoss, type LossFunction, type LossName } from './chooseLoss.js';
export {
  REDUCTIONS,
  type Reduction,
  type BaseLossOptions,
  type LossOptions,
  type BinaryCrossentropyOptions,
  type CategoricalCrossentropyOptions,
  type SparseCategoricalCrossentropyOptions,
  type SigmoidCrossEntropyOptions,
  type SoftmaxCrossEntropyOptions,
  type SparseSoftmaxCrossEntropyOptions,
  type MultiLabelCrossEntropyOptions,
  type CrossEntropyOptions,
  type KLDivergenceOptions,
  type BinaryFocalCrossentropyOptions,
  type CategoricalFocalCrossentropyOptions,
} from './options.js';
export { logSoftmax, logSumExp } from '@xent/autograd';
