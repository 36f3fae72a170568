// Binary cross entropy, elementwise, for targets y in [0, 1], and the three losses built on it:
//   probabilities p:  ℓ = −[pw·y log q + (1−y) log(1−q)],  q = clip(p, ε, 1−ε)        (Keras)
//                     d/dp = −pw·y/q + (1−y)/(1−q) inside the clip range, 0 outside
//   logits z:         the fused op, max(z,0) − z·y + log1p(e^{−|z|})  (pw = 1);    d/dz = σ(z) − y
//                     (with pw: d/dz = (1−y) − (1 + (pw−1)y)(1 − σ(z)))
// Label smoothing: y ← y(1−ε) + ε/2. Class weights scale each output unit (the last axis).
//   binaryCrossentropy:            the mean over the last axis (one loss per example, Keras)
//   sigmoidCrossEntropyWithLogits: every element (the loss values have the logits' shape, PyTorch)
//   multiLabelCrossEntropy:        the mean over the last axis, logits by default (PyTorch
//                                  multilabel_soft_margin_loss: ℓᵢ = (1/K) Σ_k w_k·bce(y_ik, z_ik))
// Class weights do not enter the 'mean' divisor.
import { add, clip, log, mean, mul, neg, sub } from '@xent/autograd';
import { sigmoidCrossEntropyWithAttrs as fusedSigmoid } from '@xent/autograd/internal';
import * as K from '@xent/tensor';
import { XentError, type Tensor, type TensorLike } from '@xent/tensor';
import { booleanOption, cast, fmtShape, type OptionsOf } from '@xent/tensor/internal';
import { LOSS_OPTIONS, lossOptions } from './options.js';
import { fusedDivisor, reduceLoss, resolveSampleWeight } from './reduction.js';
import { smoothLabels } from './targets.js';
import {
  asPredictions,
  asTargets,
  checkClassWeights,
  checkEpsilon,
  checkFitsDtype,
  checkUnitInterval,
  matchShapes,
  noExtraArguments,
} from './validate.js';

/** Elementwise binary cross entropy of targets y (constant) and predictions (probabilities, or logits). */
export function binaryElementwise(y: Tensor, p: Tensor, fromLogits: boolean, epsilon: number, posWeight: Tensor | null): Tensor {
  if (fromLogits) return fusedSigmoid(y, p, posWeight ? { posWeight } : {});
  const q = clip(p, epsilon, 1 - epsilon);
  // Where 1 − ε rounds to 1 in the dtype (ε < 2⁻⁵³, or 2⁻²⁴ in float32), q reaches 1: 1 − q is clipped at ε too
  // (log 0 = −∞ gave ∞, or NaN for y = 1); otherwise it already is, and the values are Keras's to the bit.
  const hi = p.dtype === 'float32' ? Math.fround(1 - epsilon) : 1 - epsilon;
  const notQ = hi < 1 ? sub(1, q) : clip(sub(1, q), epsilon, 1);
  const a = posWeight ? K.mul(y, posWeight) : y; // pw·y
  const b = K.sub(1, y); // 1 − y
  return neg(add(mul(a, log(q)), mul(b, log(notQ))));
}

type BinaryKind = 'binary' | 'sigmoid' | 'multiLabel';

const BAD_TARGETS_FIX: Record<BinaryKind, string> = {
  binary:
    'binary targets are probabilities of class 1 (0 or 1 for hard labels). For class indices over more than two classes use sparseCategoricalCrossentropy.',
  sigmoid:
    'targets are probabilities of class 1 (0 or 1 for hard labels). For class indices over more than two classes use sparseSoftmaxCrossEntropyWithLogits.',
  multiLabel: 'multi-label targets are multi-hot (0 or 1 per label) or soft values in [0, 1].',
};

const { fromLogits, reduction, labelSmoothing, classWeights, posWeight, sampleWeight, epsilon, validate } = LOSS_OPTIONS;
const common = { reduction, labelSmoothing, classWeights, sampleWeight, validate };
const parse = {
  binary: lossOptions('binaryCrossentropy', { fromLogits, ...common, epsilon }),
  sigmoid: lossOptions('sigmoidCrossEntropyWithLogits', { ...common, posWeight }),
  multiLabel: lossOptions('multiLabelCrossEntropy', { fromLogits: booleanOption(true), ...common, posWeight, epsilon }),
};
type BinaryFamilyOptions = ReturnType<typeof parse.multiLabel>;

/** Options of binaryCrossentropy (see LOSS_OPTIONS for each). */
export type BinaryCrossentropyOptions = OptionsOf<typeof parse.binary.schema>;
/** Options of sigmoidCrossEntropyWithLogits (see LOSS_OPTIONS for each). */
export type SigmoidCrossEntropyOptions = OptionsOf<typeof parse.sigmoid.schema>;
/** Options of multiLabelCrossEntropy: fromLogits defaults to true. */
export type MultiLabelCrossEntropyOptions = OptionsOf<typeof parse.multiLabel.schema>;

/** The binary family: elementwise cross entropy, then the per-example mean (binary, multiLabel) and the reduction. */
function binaryFamilyLoss(where: string, kind: BinaryKind, targets: TensorLike, predictions: TensorLike, o: BinaryFamilyOptions): Tensor {
  const logits = o.fromLogits;
  const p = asPredictions(where, predictions, logits ? 'logits' : 'predictions', 'sigmoid');
  if (kind === 'multiLabel' && p.rank < 1) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: predictions are a scalar; they need a label axis (the last one), e.g. shape [N, K] for K labels per example.`,
    );
  }
  const y = matchShapes(where, asTargets(where, targets, p), p);
  const units = p.rank > 0 ? p.shape[p.rank - 1] : 1;
  checkClassWeights(where, o.classWeights, units, p.dtype, 'output unit');
  if (o.posWeight) checkFitsDtype(where, 'posWeight', K.readFlat(o.posWeight), p.dtype);
  if (!logits) checkEpsilon(where, o.epsilon, p.dtype);
  let pw: Tensor | null = null;
  if (o.posWeight) {
    const s = o.posWeight.shape;
    try {
      pw = K.broadcastTo(o.posWeight.dtype === p.dtype ? o.posWeight : cast(o.posWeight, p.dtype), p.shape);
    } catch {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: posWeight has shape ${fmtShape(s)} but the logits have shape ${fmtShape(p.shape)}; it must broadcast to them — usually one weight per class, shape [${units}].`,
      );
    }
  }
  const perExample = kind === 'multiLabel' || (kind === 'binary' && p.rank >= 2);
  if (perExample && units === 0) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: the last axis of predictions ${fmtShape(p.shape)} has size 0, so an example has no outputs to average (0/0); give each example at least one output unit.`,
    );
  }
  const lossShape = perExample ? p.shape.slice(0, -1) : p.shape;
  const sw = resolveSampleWeight(where, o, lossShape, p.dtype);
  const checkTargets = (): void => checkUnitInterval(where, 'targets', y, 'BAD_TARGETS', BAD_TARGETS_FIX[kind]);
  const fuseCheck = o.validate && logits && o.labelSmoothing === 0; // the fused op checks the targets in its own pass
  if (o.validate && !fuseCheck) checkTargets();
  if (o.validate && !logits) {
    checkUnitInterval(
      where,
      'predictions',
      p,
      'NOT_PROBABILITIES',
      'if these are logits (raw scores) pass { fromLogits: true }; otherwise apply sigmoid first.',
    );
  }
  // ---- everything is checked (with fuseCheck, the targets in the op's pass); compute
  const ys = smoothLabels(y, o.labelSmoothing, 2);
  const size = lossShape.reduce((a, b) => a * b, 1);
  const divisor = logits && !o.classWeights ? fusedDivisor(o.reduction, sw, size, perExample ? units : 1) : undefined;
  const attrs = { divisor, onInvalidTargets: fuseCheck ? checkTargets : undefined, posWeight: pw ?? undefined };
  if (divisor !== undefined) return fusedSigmoid(ys, p, attrs); // the reduction in the op's pass too
  let e = logits ? fusedSigmoid(ys, p, attrs) : binaryElementwise(ys, p, false, o.epsilon, pw);
  if (o.classWeights) e = mul(e, K.tensor(o.classWeights, { dtype: p.dtype }));
  return reduceLoss(perExample ? mean(e, -1) : e, { reduction: o.reduction, sampleWeight: sw });
}

/**
 * Keras binary_crossentropy: targets in [0, 1] with the predictions' shape,
 * probabilities (or logits with { fromLogits: true }). The loss of an example is
 * the mean over the last axis of −[y log q + (1−y) log(1−q)]; a 1-D input is
 * one example per element. Throws SHAPE_MISMATCH, BAD_TARGETS, NOT_PROBABILITIES, DTYPE, INVALID_OPTION.
 */
export function binaryCrossentropy(targets: TensorLike, predictions: TensorLike, options?: BinaryCrossentropyOptions): Tensor {
  noExtraArguments('binaryCrossentropy', arguments.length);
  return binaryFamilyLoss('binaryCrossentropy', 'binary', targets, predictions, { ...parse.binary(options), posWeight: null });
}

/**
 * Elementwise sigmoid cross entropy of targets in [0, 1] and logits of the same shape:
 * ℓ = −[pw·y log σ(z) + (1−y) log(1−σ(z))], one value per logit. Always logits, always the fused op.
 */
export function sigmoidCrossEntropyWithLogits(targets: TensorLike, logits: TensorLike, options?: SigmoidCrossEntropyOptions): Tensor {
  noExtraArguments('sigmoidCrossEntropyWithLogits', arguments.length);
  const o = { ...parse.sigmoid(options), fromLogits: true, epsilon: 0 };
  return binaryFamilyLoss('sigmoidCrossEntropyWithLogits', 'sigmoid', targets, logits, o);
}

/** Multi-label loss for multi-hot (or soft) targets [..., K] and logits of the same shape: one value per example, (1/K) Σ_k w_k·bce_k. */
export function multiLabelCrossEntropy(targets: TensorLike, predictions: TensorLike, options?: MultiLabelCrossEntropyOptions): Tensor {
  noExtraArguments('multiLabelCrossEntropy', arguments.length);
  return binaryFamilyLoss('multiLabelCrossEntropy', 'multiLabel', targets, predictions, parse.multiLabel(options));
}
