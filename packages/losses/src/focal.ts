// Focal losses (Lin et al. 2017), Keras semantics.
// Binary, elementwise, then the mean over the last axis:
//   FL = (1 − p_t)^γ · bce(y, p),   1 − p_t = y(1−q) + (1−y)q   (bce clipped as in binaryCrossentropy)
//   with applyClassBalancing: × (y·α + (1−y)(1−α))
//   probabilities: q = clip(p, ε, 1−ε), so the factor is constant where the clip is (Keras uses p
//     unclipped: the values differ by at most ε^γ·bce ≈ 1e-7^(γ+1), and the gradient stays finite);
//   fromLogits: 1 − p_t = y·σ(−z) + (1−y)·σ(z) (no cancellation), bce from the fused sigmoid op.
// Categorical, per row:
//   FL = Σ_c α_c (1 − q_c)^γ · (−y_c log q_c),   q = clip(p/Σp, ε, 1−ε),
//   fromLogits: log q = logSoftmax(z) (stable, no clipping), q = e^{log q}; terms with y_c = 0 are 0
//     (0·log 0 = 0, so a masked logit of −∞ is fine, as in the softmax losses).
// The factor b^γ, b = 1 − p_t: for γ < 1, d/db b^γ = γ·b^{γ−1} diverges as b → 0, but it multiplies
// the cross entropy, which vanishes like b (−log(1 − b) ≈ b), so d FL → 0: where b underflows
// (below 1e-290, or 2⁻¹²⁶ in float32: focalFactor) the factor and its gradient are taken as that limit, 0.
// Label smoothing as in the plain losses (ε/2 binary, ε/C categorical).
import { add, clip, detach, div, exp, log, logSoftmax, mean, mul, neg, pow, sigmoid, sub, sum, where } from '@xent/autograd';
import * as K from '@xent/tensor';
import { XentError, type Tensor, type TensorLike } from '@xent/tensor';
import { booleanOption, fmtShape, customOption, numberOption, type OptionsOf } from '@xent/tensor/internal';
import { binaryElementwise } from './binaryCrossEntropy.js';
import { classPredictions, movePredictions, moveTargets } from './classAxis.js';
import { LOSS_OPTIONS, lossOptions } from './options.js';
import { reduceLoss, resolveSampleWeight } from './reduction.js';
import { smoothLabels, weightedTargets } from './targets.js';
import {
  ONE_CLASS_PROBABILITIES,
  asPredictions,
  asTargets,
  checkEpsilon,
  checkRows,
  checkUnitInterval,
  matchShapes,
  noExtraArguments,
} from './validate.js';

/**
 * Below this, b^γ·(cross entropy ≈ b) is under 1e-290 (float64), or under float32's smallest normal: the factor is
 * its limit 0, and b^{γ−1} ≤ 1/TINY cannot overflow (in float32 it did: a NaN gradient at z ≈ 100, γ = 0.01).
 */
const TINY = { float64: 1e-290, float32: 2 ** -126 };

/** b^γ with the limit 0 (value and gradient) where b ≤ TINY; b ≥ 0 elementwise. */
function focalFactor(b: Tensor, gamma: number): Tensor {
  const tiny = b.dtype === 'float32' ? TINY.float32 : TINY.float64;
  const live = K.greater(detach(b), tiny); // a constant mask; the inner where keeps pow's gradient finite where it is off
  return where(live, pow(where(live, b, 1), gamma), 0);
}

const { fromLogits, labelSmoothing, reduction, sampleWeight, epsilon, validate, classWeights, axis } = LOSS_OPTIONS;
/** The focusing parameter γ ≥ 0 (default 2). */
const gamma = numberOption(2, '[0, ∞)', 'the focusing parameter, default 2');
const common = { gamma, fromLogits, labelSmoothing, reduction, sampleWeight, epsilon, validate };
const alphaNumber = numberOption(0.25, '[0, ∞)');
const parseBinary = lossOptions('binaryFocalCrossentropy', {
  ...common,
  /** Weight of class 1 when applyClassBalancing (default 0.25); class 0 gets 1 − α. */
  alpha: numberOption(0.25, '[0, 1]'),
  /** Default false (Keras apply_class_balancing). */
  applyClassBalancing: booleanOption(false),
});
const parseCategorical = lossOptions('categoricalFocalCrossentropy', {
  ...common,
  /** A number ≥ 0, or one per class (length C); default 0.25. */
  alpha: customOption<number | readonly number[], number | Float64Array>(0.25, (v, fail) =>
    typeof v === 'number' ? alphaNumber.read(v, fail) : (classWeights.read(v, fail) ?? fail('a number')),
  ),
  axis,
});

/** Options of binaryFocalCrossentropy: gamma (γ ≥ 0, default 2), alpha, applyClassBalancing and the shared ones. */
export type BinaryFocalCrossentropyOptions = OptionsOf<typeof parseBinary.schema>;
/** Options of categoricalFocalCrossentropy: gamma, alpha (a number or one per class), axis and the shared ones. */
export type CategoricalFocalCrossentropyOptions = OptionsOf<typeof parseCategorical.schema>;

/** Keras binary_focal_crossentropy: one value per example (mean over the last axis; a 1-D input is one example per element). */
export function binaryFocalCrossentropy(targets: TensorLike, predictions: TensorLike, options?: BinaryFocalCrossentropyOptions): Tensor {
  noExtraArguments('binaryFocalCrossentropy', arguments.length);
  const name = 'binaryFocalCrossentropy';
  const o = parseBinary(options);
  const p = asPredictions(name, predictions, o.fromLogits ? 'logits' : 'predictions', 'sigmoid');
  const y0 = matchShapes(name, asTargets(name, targets, p), p);
  const perExample = p.rank >= 2;
  if (perExample && p.shape[p.rank - 1] === 0) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${name}: the last axis of predictions ${fmtShape(p.shape)} has size 0, so an example has no outputs to average (0/0); give each example at least one output unit.`,
    );
  }
  const sw = resolveSampleWeight(name, o, perExample ? p.shape.slice(0, -1) : p.shape, p.dtype);
  if (!o.fromLogits) checkEpsilon(name, o.epsilon, p.dtype);
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
  const y = smoothLabels(y0, o.labelSmoothing, 2);
  const bce = binaryElementwise(y, p, o.fromLogits, o.epsilon, null);
  let fl = bce;
  if (o.gamma !== 0) {
    const notY = K.sub(1, y);
    const oneMinusPt = o.fromLogits
      ? add(mul(y, sigmoid(neg(p))), mul(notY, sigmoid(p))) // y·σ(−z) + (1−y)·σ(z) = 1 − p_t
      : add(mul(y, sub(1, clip(p, o.epsilon, 1 - o.epsilon))), mul(notY, clip(p, o.epsilon, 1 - o.epsilon)));
    fl = mul(focalFactor(oneMinusPt, o.gamma), bce);
  }
  if (o.applyClassBalancing) fl = mul(fl, K.add(K.mul(y, o.alpha), K.mul(K.sub(1, y), 1 - o.alpha))); // α_t = yα + (1−y)(1−α)
  return reduceLoss(perExample ? mean(fl, -1) : fl, { reduction: o.reduction, sampleWeight: sw });
}

/** Keras categorical_focal_crossentropy: distribution targets, one value per example. */
export function categoricalFocalCrossentropy(
  targets: TensorLike,
  predictions: TensorLike,
  options?: CategoricalFocalCrossentropyOptions,
): Tensor {
  noExtraArguments('categoricalFocalCrossentropy', arguments.length);
  const name = 'categoricalFocalCrossentropy';
  const o = parseCategorical(options);
  const binary = o.fromLogits ? 'binaryFocalCrossentropy with { fromLogits: true }' : 'binaryFocalCrossentropy';
  const oneClass = o.fromLogits ? undefined : ONE_CLASS_PROBABILITIES;
  const { p0, perm, shape, C } = classPredictions(name, predictions, o.axis, o.fromLogits, binary, oneClass);
  const y0 = moveTargets(matchShapes(name, asTargets(name, targets, p0), p0), perm);
  if (typeof o.alpha !== 'number' && o.alpha.length !== C) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${name}: alpha has ${o.alpha.length} entries but predictions have ${C} classes; pass one number, or one per class.`,
    );
  }
  const sw = resolveSampleWeight(name, o, shape.slice(0, -1), p0.dtype);
  if (!o.fromLogits) checkEpsilon(name, o.epsilon, p0.dtype);
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
  // −y_c log q_c, with 0·log 0 = 0: a masked logit (−∞) gives log q_c = −∞, and 0·(−∞) would be NaN
  if (o.fromLogits) logq = where(K.greater(y, 0), logq, 0);
  let term = neg(mul(y, logq));
  if (o.gamma !== 0) term = mul(focalFactor(sub(1, q), o.gamma), term); // (1 − q_c)^γ
  const alpha = typeof o.alpha === 'number' ? o.alpha : K.tensor(o.alpha, { dtype: z.dtype });
  return reduceLoss(sum(mul(term, alpha), -1), { reduction: o.reduction, sampleWeight: sw });
}
