// Categorical cross entropy with distribution targets P (one-hot or soft), one
// row per example along the class axis:
//   logits z:         ℓ = −Σ_c P_c log softmax(z)_c            (fused op; d/dz = (Σ_c P_c)·softmax(z) − P)
//   probabilities p:  ℓ = −Σ_c P_c log clip(p_c / Σ_k p_k, ε, 1−ε)   (Keras: q is renormalised)
//                     d/dp_c = −P_c/p_c + (Σ_k P_k)/(Σ_k p_k)   inside the clip range
// Options enter through P: label smoothing P ← P(1−ε) + ε/C, class weights P_c ← w_c·P_c
// (PyTorch's probability-target cross_entropy), so the gradient reaching the
// logits is exactly w⊙(softmax·ΣP − P) scaled by the reduction.
// categoricalCrossentropy (Keras) takes probabilities or logits; softmaxCrossEntropyWithLogits (TF) always logits.
import { clip, div, log, mul, neg, sum } from '@xent/autograd';
import { softmaxCrossEntropyWithAttrs as fusedSoftmax } from '@xent/autograd/internal';
import { XentError, type Tensor, type TensorLike } from '@xent/tensor';
import { fmtShape, sameShape, type OptionsOf } from '@xent/tensor/internal';
import { classPredictions, movePredictions, moveTargets } from './classAxis.js';
import { LOSS_OPTIONS, lossOptions } from './options.js';
import { fusedDivisor, reduceLoss, resolveSampleWeight } from './reduction.js';
import { weightedTargets } from './targets.js';
import {
  ONE_CLASS_PROBABILITIES,
  binaryAlternative,
  asTargets,
  checkClassWeights,
  checkEpsilon,
  checkRows,
  noExtraArguments,
} from './validate.js';

/** Per-row −Σ_c P_c log q_c on probabilities p (class axis last), q = clip(p/Σp, ε, 1−ε) (Keras). */
export function categoricalFromProbabilities(P: Tensor, p: Tensor, epsilon: number): Tensor {
  const q = clip(div(p, sum(p, -1, { keepDims: true })), epsilon, 1 - epsilon);
  return neg(sum(mul(P, log(q)), -1));
}

const { reduction, labelSmoothing, classWeights, sampleWeight, axis, validate, fromLogits, epsilon } = LOSS_OPTIONS;
/**
 * Probability predictions (class axis moved last by perm) must be distributions: NOT_PROBABILITIES otherwise.
 * Rows whose label in `labels` is −1 (ignored) are skipped.
 */
export function checkProbabilityRows(where: string, p: Tensor, perm: number[] | null, labels?: Int32Array): void {
  const fix = 'if these are logits (raw scores) pass { fromLogits: true }; otherwise apply softmax so each row is a distribution.';
  checkRows(where, 'predictions', moveTargets(p, perm), 'NOT_PROBABILITIES', fix, true, labels);
}

/** The options of softmaxCrossEntropyWithLogits (the softmax losses take logits only). */
export const softmaxSchema = { reduction, labelSmoothing, classWeights, sampleWeight, axis, validate };
const parseCategorical = lossOptions('categoricalCrossentropy', { ...softmaxSchema, fromLogits, epsilon });
const parseSoftmax = lossOptions('softmaxCrossEntropyWithLogits', softmaxSchema);
/** The parsed options every distribution-target loss reads. */
export type DistributionOptions = ReturnType<typeof parseCategorical>;

/** Options of categoricalCrossentropy (see LOSS_OPTIONS for each). */
export type CategoricalCrossentropyOptions = OptionsOf<typeof parseCategorical.schema>;
/** Options of softmaxCrossEntropyWithLogits (see LOSS_OPTIONS for each). */
export type SoftmaxCrossEntropyOptions = OptionsOf<typeof softmaxSchema>;
const NOT_DIST_FIX =
  'each row must be one distribution over the classes (one-hot or soft). For several labels per example (multi-hot targets) use multiLabelCrossEntropy (logits) or binaryCrossentropy (probabilities).';

/**
 * A loss of the family other than the fused softmax one: its `values` per row of targets P and predictions z
 * (class axis last), and a `check` of the predictions run with the other checks, before anything is computed.
 */
export interface RowLoss {
  values: (P: Tensor, z: Tensor) => Tensor;
  check?: (p0: Tensor, perm: number[] | null) => void;
  /** Why a class axis of size 1 is refused, when not the softmax's reason (classCount's `why`). */
  oneClass?: string;
}

/**
 * The categorical family on distribution targets, shared by categoricalCrossentropy, softmaxCrossEntropyWithLogits
 * and polyCrossEntropyWithLogits: the fused softmax cross entropy, or `loss` when given (probabilities, Poly-1).
 */
export function distributionTargetLoss(
  where: string,
  targets: TensorLike,
  predictions: TensorLike,
  o: DistributionOptions,
  loss?: RowLoss,
): Tensor {
  const logits = o.fromLogits;
  const { p0, perm, shape, C } = classPredictions(where, predictions, o.axis, logits, binaryAlternative(where, logits), loss?.oneClass);
  const y0 = asTargets(where, targets, p0);
  const st = y0.shape;
  if (!sameShape(st, p0.shape)) {
    const perExample = shape.slice(0, -1);
    const looksSparse = sameShape(st, perExample) || sameShape(st, [...perExample, 1]);
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: targets have shape ${fmtShape(st)} but predictions have shape ${fmtShape(p0.shape)}; they must be equal (one distribution per row).` +
        (looksSparse
          ? ` These targets look like class indices: use ${logits ? 'sparseSoftmaxCrossEntropyWithLogits' : 'sparseCategoricalCrossentropy'}.`
          : ''),
    );
  }
  checkClassWeights(where, o.classWeights, C, p0.dtype);
  const sw = resolveSampleWeight(where, o, shape.slice(0, -1), p0.dtype);
  const y = moveTargets(y0, perm);
  const checkTargets = (): void => checkRows(where, 'targets', y, 'NOT_DISTRIBUTION', NOT_DIST_FIX);
  const fuseCheck = o.validate && !loss && o.labelSmoothing === 0 && !o.classWeights; // the fused op checks the targets in its pass
  if (o.validate && !fuseCheck) checkTargets();
  loss?.check?.(p0, perm);
  // ---- everything is checked (with fuseCheck, the targets in the op's pass); compute
  const z = movePredictions(p0, perm);
  const P = weightedTargets(y, o.labelSmoothing, o.classWeights);
  const reduce = { reduction: o.reduction, sampleWeight: sw };
  if (loss) return reduceLoss(loss.values(P, z), reduce);
  const divisor = fusedDivisor(
    o.reduction,
    sw,
    shape.slice(0, -1).reduce((a, b) => a * b, 1),
  );
  const values = fusedSoftmax(P, z, { divisor, onInvalidTargets: fuseCheck ? checkTargets : undefined });
  return divisor === undefined ? reduceLoss(values, reduce) : values; // with a divisor, reduced in the op's pass
}

/**
 * Keras categorical_crossentropy: targets are distributions (one-hot or soft),
 * predictions probabilities (or logits with { fromLogits: true }). Per example
 * ℓ = −Σ_c y_c log q_c, with q the predictions divided by their row sum and
 * clipped to [ε, 1−ε]; with fromLogits, the fused softmax cross entropy.
 * Throws SHAPE_MISMATCH, SINGLE_CLASS_SOFTMAX, NOT_DISTRIBUTION, NOT_PROBABILITIES, DTYPE, INVALID_OPTION.
 */
export function categoricalCrossentropy(targets: TensorLike, predictions: TensorLike, options?: CategoricalCrossentropyOptions): Tensor {
  noExtraArguments('categoricalCrossentropy', arguments.length);
  const where = 'categoricalCrossentropy';
  const o = parseCategorical(options);
  const probabilities: RowLoss = {
    check(p0, perm) {
      checkEpsilon(where, o.epsilon, p0.dtype);
      if (o.validate) checkProbabilityRows(where, p0, perm);
    },
    values: (P, z) => categoricalFromProbabilities(P, z, o.epsilon),
    oneClass: ONE_CLASS_PROBABILITIES,
  };
  return distributionTargetLoss(where, targets, predictions, o, o.fromLogits ? undefined : probabilities);
}

/** Per example −Σ_c y_c log softmax(z)_c for distribution targets y (one-hot or soft) and logits z (the fused op). */
export function softmaxCrossEntropyWithLogits(targets: TensorLike, logits: TensorLike, options?: SoftmaxCrossEntropyOptions): Tensor {
  noExtraArguments('softmaxCrossEntropyWithLogits', arguments.length);
  const o = { ...parseSoftmax(options), fromLogits: true, epsilon: 0 };
  return distributionTargetLoss('softmaxCrossEntropyWithLogits', targets, logits, o);
}
