// @xent/autograd/internal: what @xent/losses builds on and users do not call, not part of the
// public API (names and signatures may change between versions): the fused cross-entropy ops with
// the attributes a loss fuses into their pass (a divisor for the reduction, a target check).
export { softmaxCrossEntropyWithAttrs } from './ops/softmaxCrossEntropy.js';
export { sigmoidCrossEntropyWithAttrs } from './ops/sigmoidCrossEntropy.js';
export { type FusedLossAttrs } from './ops/fusedLoss.js';
export { checkNotProbabilities } from './ops/crossEntropyChecks.js';
