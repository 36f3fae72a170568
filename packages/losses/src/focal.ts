// Focal losses (Lin et al. 2017), Keras semantics.
// Binary, elementwise, then the mean over the last axis:
//   FL = (1 − p_t)^γ · bce(y, p),   1 − p_t = y(1−p) + (1−y)p   (p unclipped, bce clipped)
//   with applyClassBalancing: × (y·α + (1−y)(1−α))
//   fromLogits: p = σ(z) and bce from the fused sigmoid op (stable; Keras's TF backend does the same).
// Categorical, per row:
//   FL = Σ_c α_c (1 − q_c)^γ · (−y_c log q_c),   q = clip(p/Σp, ε, 1−ε),
//   fromLogits: log q = logSoftmax(z) (stable, no clipping), q = e^{log q}.
// Label smoothing as in the plain losses (ε/2 binary, ε/C categorical).
import { add, clip, div, exp, log, logSoftmax, mean, mul, neg, pow, sigmoid, sub, sum } from '@xent/autograd';
import * as K from '@xent/tensor';
import { XentError, type Tensor, type TensorLike } from '@xent/tensor';
import { classAxisPerm, movePredictions, moveTargets, movedShape } from './axis.js';
import { binaryElementwise, smoothBinary } from './binary.js';
import { weightedTargets } from './categorical.js';
import { parseOptions, type BinaryFocalCrossentropyOptions, type CategoricalFocalCrossentropyOptions } from './options.js';
import { reduceLoss, resolveSampleWeight } from './reduction.js';
import { asPredictions, asTargets, checkRows, checkUnitInterval, classCount, matchShapes } from './validate.js';

/** Keras binary_focal_crossentropy: one value per example (mean over the last axis; a 1-D input is one example per element). */
export function binaryFocalCrossentropy(targets: TensorLike, predictions: TensorLike, options?: BinaryFocalCrossentropyOptions): Tensor {
  const name = 'binaryFocalCrossentropy';
  const o = parseOptions(name, options, [
    'gamma',
    'alpha',
    'applyClassBalancing',
    'fromLogits',
    'labelSmoothing',
    'reduction',
    'sampleWeight',
    'epsilon',
    'validate',
  ]);
  const p = asPredictions(name, predictions, o.fromLogits ? 'logits' : 'predictions');
  const y0 = matchShapes(name, asTargets(name, targets, p), p);
  const perExample = p.rank >= 2;
  const sw = o.sampleWeight ? resolveSampleWeight(name, o.sampleWeight, perExample ? p.shape.slice(0, -1) : p.shape) : null;
  if (o.validate) {
    checkUnitInterval(name, 'targets', y0, 'BAD_TARGETS', 'binary targets are probabilities of class 1 (0 or 1 for hard labels).');
    if (!o.fromLogits)
      checkUnitInterval(
        name,
        'predictions',
        p,
        'NOT_PROBABILITIES',
        'if these are logits (raw scores) pass { fromLogits: true }; otherwise apply sigmoid first.',
      );
  }
  const y = smoothBinary(y0, o.labelSmoothing);
  const bce = binaryElementwise(y, p, o.fromLogits, o.epsilon, null);
  const prob = o.fromLogits ? sigmoid(p) : p;
  let fl = bce;
  if (o.gamma !== 0) {
    const oneMinusPt = add(mul(y, sub(1, prob)), mul(K.sub(1, y), prob)); // 1 − p_t, a sum of terms ≥ 0
    fl = mul(pow(oneMinusPt, o.gamma), bce);
  }
  if (o.applyClassBalancing) {
    const a = o.alpha as number;
    fl = mul(fl, K.add(K.mul(y, a), K.mul(K.sub(1, y), 1 - a))); // α_t = yα + (1−y)(1−α)
  }
  return reduceLoss(perExample ? mean(fl, -1) : fl, { reduction: o.reduction, sampleWeight: sw });
}

/** Keras categorical_focal_crossentropy: distribution targets, one value per example. */
export function categoricalFocalCrossentropy(
  targets: TensorLike,
  predictions: TensorLike,
  options?: CategoricalFocalCrossentropyOptions,
): Tensor {
  const name = 'categoricalFocalCrossentropy';
  const o = parseOptions(name, options, [
    'gamma',
    'alpha',
    'fromLogits',
    'labelSmoothing',
    'reduction',
    'sampleWeight',
    'epsilon',
    'axis',
    'validate',
  ]);
  const p0 = asPredictions(name, predictions, o.fromLogits ? 'logits' : 'predictions');
  const perm = classAxisPerm(name, o.axis, p0.rank);
  const shape = movedShape(p0.shape, perm);
  const C = classCount(name, shape, o.fromLogits ? 'binaryFocalCrossentropy with { fromLogits: true }' : 'binaryFocalCrossentropy');
  const y0 = moveTargets(matchShapes(name, asTargets(name, targets, p0), p0), perm);
  if (typeof o.alpha !== 'number' && o.alpha.length !== C) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${name}: alpha has ${o.alpha.length} entries but predictions have ${C} classes; pass one number, or one per class.`,
    );
  }
  const sw = o.sampleWeight ? resolveSampleWeight(name, o.sampleWeight, shape.slice(0, -1)) : null;
  if (o.validate) {
    checkRows(
      name,
      'targets',
      y0,
      'NOT_DISTRIBUTION',
      'each row must be one distribution over the classes; for several labels per example use binaryFocalCrossentropy.',
    );
    if (!o.fromLogits)
      checkRows(
        name,
        'predictions',
        moveTargets(p0, perm),
        'NOT_PROBABILITIES',
        'if these are logits (raw scores) pass { fromLogits: true }; otherwise apply softmax first.',
      );
  }
  const z = movePredictions(p0, perm);
  const y = weightedTargets(y0, o.labelSmoothing, null);
  let logq: Tensor;
  let q: Tensor;
  if (o.fromLogits) {
    logq = logSoftmax(z, -1);
    q = exp(logq);
  } else {
    q = clip(div(z, sum(z, -1, { keepDims: true })), o.epsilon, 1 - o.epsilon);
    logq = log(q);
  }
  let term = neg(mul(y, logq)); // −y_c log q_c
  if (o.gamma !== 0) term = mul(pow(sub(1, q), o.gamma), term); // (1 − q_c)^γ
  const alpha = typeof o.alpha === 'number' ? o.alpha : K.tensor(o.alpha, { dtype: z.dtype });
  return reduceLoss(sum(mul(term, alpha), -1), { reduction: o.reduction, sampleWeight: sw });
}
