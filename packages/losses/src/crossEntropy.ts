// crossEntropy(P, Q): the cross entropy of two distributions along the class axis,
//   H(P‖Q) = −Σ_c P_c log Q_c,   with 0·log 0 = 0,
//   d/dQ_c = −P_c/Q_c (0 where P_c = 0).
// No clipping and no renormalisation: this is the definition every helper reduces to.
import { log, mul, neg, sum, where } from '@xent/autograd';
import * as K from '@xent/tensor';
import type { Tensor, TensorLike } from '@xent/tensor';
import type { OptionsOf } from '@xent/tensor/internal';
import { classPredictions, movePredictions, moveTargets } from './classAxis.js';
import { LOSS_OPTIONS, lossOptions } from './options.js';
import { reduceLoss, resolveSampleWeight } from './reduction.js';
import { asTargets, checkRows, matchShapes, noExtraArguments } from './validate.js';

const { reduction, sampleWeight, axis, validate } = LOSS_OPTIONS;
const parse = lossOptions('crossEntropy', { reduction, sampleWeight, axis, validate });
/** Options of crossEntropy (see LOSS_OPTIONS for each). */
export type CrossEntropyOptions = OptionsOf<typeof parse.schema>;

/** H(P‖Q) = −Σ_c P_c log Q_c per example, for distributions P (targets) and Q (predictions). */
export function crossEntropy(targets: TensorLike, predictions: TensorLike, options?: CrossEntropyOptions): Tensor {
  noExtraArguments('crossEntropy', arguments.length);
  const name = 'crossEntropy';
  const o = parse(options);
  const {
    p0: q0,
    perm,
    shape,
  } = classPredictions(
    name,
    predictions,
    o.axis,
    false,
    'binaryCrossentropy (or give the class axis both outcomes: [1 − q, q])',
    'Q, a distribution over one class, is always [1] and H(P‖Q) = −P·log 1 is always 0',
  );
  const P = moveTargets(matchShapes(name, asTargets(name, targets, q0), q0), perm);
  const sw = resolveSampleWeight(name, o, shape.slice(0, -1), q0.dtype);
  if (o.validate) {
    checkRows(
      name,
      'targets',
      P,
      'NOT_DISTRIBUTION',
      'P must be a distribution per row. For several labels per example use multiLabelCrossEntropy.',
    );
    checkRows(
      name,
      'predictions',
      moveTargets(q0, perm),
      'NOT_PROBABILITIES',
      'Q must be a distribution per row; for logits use softmaxCrossEntropyWithLogits (or apply softmax first).',
    );
  }
  const Q = movePredictions(q0, perm);
  // log Q only where P > 0 (elsewhere log 1 = 0), so 0·log 0 = 0 and no 0·∞ appears
  const logQ = log(where(K.greater(P, 0), Q, 1));
  return reduceLoss(neg(sum(mul(P, logQ), -1)), { reduction: o.reduction, sampleWeight: sw });
}
