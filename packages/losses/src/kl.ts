// klDivergence (Keras): KL(P‖Q) = Σ_c P_c log(P_c / Q_c) along the class axis,
// with P and Q clipped to [ε, 1] (so 0·log 0 terms become ε·log(ε/Q), ≈ 0).
//   d/dQ_c = −P_c/Q_c inside the clip range.
// Like Keras, rows need not sum to 1; values must lie in [0, 1].
import { clip, div, log, mul, sum } from '@xent/autograd';
import * as K from '@xent/tensor';
import type { Tensor, TensorLike } from '@xent/tensor';
import type { OptionsOf } from '@xent/tensor/internal';
import { classAxisPerm, movePredictions, moveTargets, movedShape } from './classAxis.js';
import { LOSS_OPTIONS, lossOptions } from './options.js';
import { reduceLoss, resolveSampleWeight } from './reduction.js';
import { asPredictions, asTargets, checkEpsilon, checkUnitInterval, matchShapes, nonEmptyClassAxis, noExtraArguments } from './validate.js';

const { reduction, sampleWeight, epsilon, axis, validate } = LOSS_OPTIONS;
const parse = lossOptions('klDivergence', { reduction, sampleWeight, epsilon, axis, validate });
/** Options of klDivergence (see LOSS_OPTIONS for each). */
export type KLDivergenceOptions = OptionsOf<typeof parse.schema>;

/** Σ_c P_c log(P_c/Q_c) per example, P = targets, Q = predictions, both clipped to [ε, 1]. */
export function klDivergence(targets: TensorLike, predictions: TensorLike, options?: KLDivergenceOptions): Tensor {
  noExtraArguments('klDivergence', arguments.length);
  const name = 'klDivergence';
  const o = parse(options);
  const q0 = asPredictions(name, predictions);
  if (q0.rank < 1)
    throw new K.XentError('SHAPE_MISMATCH', `${name}: predictions are a scalar; they need a class axis (the last one), e.g. shape [N, C].`);
  const perm = classAxisPerm(name, o.axis, q0.rank);
  const shape = movedShape(q0.shape, perm);
  nonEmptyClassAxis(name, shape);
  const P = moveTargets(matchShapes(name, asTargets(name, targets, q0), q0), perm);
  const sw = resolveSampleWeight(name, o, shape.slice(0, -1), q0.dtype);
  checkEpsilon(name, o.epsilon, q0.dtype);
  if (o.validate) {
    checkUnitInterval(name, 'targets', P, 'NOT_DISTRIBUTION', 'P holds probabilities in [0, 1].');
    checkUnitInterval(name, 'predictions', q0, 'NOT_PROBABILITIES', 'Q holds probabilities; for logits apply softmax first.');
  }
  const Pc = K.clip(P, o.epsilon, 1);
  const Qc = clip(movePredictions(q0, perm), o.epsilon, 1);
  return reduceLoss(sum(mul(Pc, log(div(Pc, Qc))), -1), { reduction: o.reduction, sampleWeight: sw });
}
