// Cross entropy with integer labels y (shape = predictions without the class
// axis; a trailing axis of 1 is accepted), PyTorch cross_entropy semantics:
//   ℓ = (1−ε)·w_y·(−log q_y) + (ε/C)·Σ_c w_c·(−log q_c)
// with q = softmax(z) for logits, or q = clip(p/Σp, ε, 1−ε) for probabilities (Keras renormalises:
// the loss is categoricalCrossentropy(onehot(y), p) in value and gradient, d/dp_c = −P_c/p_c + ΣP/Σp).
//   logits, no smoothing: the fused sparse op (no one-hot), times w_y:  d/dz = w_y·(softmax(z) − onehot(y))
//   otherwise: the categorical loss on the targets P_c = w_c·((1−ε)·[c = y] + ε/C)
//              (same ℓ; d/dz = (Σ_c P_c)·softmax(z) − P)
// Labels equal to ignoreIndex give ℓ = 0, a zero gradient, and leave the divisors.
// 'mean' divides by Σ sᵢ·w_{yᵢ} over the labels not ignored (PyTorch).
// sparseCategoricalCrossentropy (Keras) takes probabilities or logits; sparseSoftmaxCrossEntropyWithLogits (TF) always logits.
import {
  mul,
  softmaxCrossEntropyWithLogits as fusedSoftmax,
  sparseSoftmaxCrossEntropyWithLogits as fusedSparse,
  where as select,
} from '@xent/autograd';
import { XentError, fromFlat, type Tensor, type TensorLike } from '@xent/tensor';
import { allocate, fmtShape, sameShape, type OptionsOf } from '@xent/tensor/internal';
import { categoricalFromProbabilities, checkProbabilityRows, softmaxSchema, type DistributionOptions } from './categoricalCrossEntropy.js';
import { classPredictions, movePredictions } from './classAxis.js';
import { LOSS_OPTIONS, lossOptions } from './options.js';
import { fusedDivisor, reduceLoss, resolveSampleWeight, unitScale } from './reduction.js';
import { keptRows, labelTargets } from './targets.js';
import {
  ONE_CLASS_PROBABILITIES,
  asLabels,
  binaryAlternative,
  checkClassWeights,
  checkEpsilon,
  readLabels,
  noExtraArguments,
} from './validate.js';

const { ignoreIndex, fromLogits, epsilon } = LOSS_OPTIONS;
const parseSparse = lossOptions('sparseCategoricalCrossentropy', { ...softmaxSchema, ignoreIndex, fromLogits, epsilon });
const parseSparseSoftmax = lossOptions('sparseSoftmaxCrossEntropyWithLogits', { ...softmaxSchema, ignoreIndex });

/** Options of sparseCategoricalCrossentropy (see LOSS_OPTIONS for each). */
export type SparseCategoricalCrossentropyOptions = OptionsOf<typeof parseSparse.schema>;
/** Options of sparseSoftmaxCrossEntropyWithLogits (see LOSS_OPTIONS for each). */
export type SparseSoftmaxCrossEntropyOptions = OptionsOf<typeof parseSparseSoftmax.schema>;

/** The integer-label family, shared by sparseCategoricalCrossentropy and sparseSoftmaxCrossEntropyWithLogits. */
function integerLabelLoss(
  where: string,
  targets: TensorLike,
  predictions: TensorLike,
  o: DistributionOptions & { ignoreIndex: number | undefined },
): Tensor {
  const logits = o.fromLogits;
  const oneClass = logits ? undefined : ONE_CLASS_PROBABILITIES;
  const { p0, perm, shape, C } = classPredictions(where, predictions, o.axis, logits, binaryAlternative(where, logits), oneClass);
  const lossShape = shape.slice(0, -1);
  const labels = asLabels(where, targets);
  const sl = labels.shape;
  if (!(sameShape(sl, lossShape) || sameShape(sl, [...lossShape, 1]))) {
    const oneHot = sameShape(sl, p0.shape);
    // Labels that fit rank ≥ 3 predictions without another axis k: the classes are on axis k (PyTorch's [N, C, d…] has them on axis 1).
    const without = (j: number): number[] => p0.shape.filter((_, i) => i !== j);
    const classAxis = p0.rank < 3 ? -1 : p0.shape.findIndex((_, j) => sameShape(sl, without(j)));
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: targets have shape ${fmtShape(sl)} but predictions ${fmtShape(p0.shape)} need labels of shape ${fmtShape(lossShape)} (one class index per example).` +
        (oneHot
          ? ` These targets look one-hot or soft: use ${logits ? 'softmaxCrossEntropyWithLogits' : 'categoricalCrossentropy'}.`
          : '') +
        (classAxis >= 0
          ? ` If the classes are on axis ${classAxis} (PyTorch's layout [N, C, …] has them on axis 1), pass { axis: ${classAxis} }.`
          : ''),
    );
  }
  // 'mean' divides by Σ sᵢ·w_{yᵢ}, so only the ratios of the class weights matter: scaled by a power of two
  // (exact) so the largest is in (½, 1], weights of 1e300 or 1e-300 also work with float32 predictions.
  const scale = o.reduction === 'mean' && o.classWeights ? unitScale(o.classWeights) : 1;
  const w = scale === 1 ? o.classWeights : o.classWeights!.map((c) => c * scale);
  checkClassWeights(where, w, C, p0.dtype);
  if (!logits) checkEpsilon(where, o.epsilon, p0.dtype);
  const sw = resolveSampleWeight(where, o, lossShape, p0.dtype);
  const { y, ignored } = readLabels(where, labels, C, o.ignoreIndex);
  if (!logits && o.validate) checkProbabilityRows(where, p0, perm, y); // ignored rows are not read: not checked
  // ---- everything is checked; compute
  const z = movePredictions(p0, perm);
  let loss: Tensor;
  if (logits && o.labelSmoothing === 0) {
    const divisor = w ? undefined : fusedDivisor(o.reduction, sw, y.length - ignored);
    loss = fusedSparse(labels, z, { ignoreIndex: o.ignoreIndex, divisor });
    if (divisor !== undefined) return loss; // reduced in the op's pass
    if (w) {
      const wy = allocate(z.dtype, y.length);
      for (let i = 0; i < y.length; i++) wy[i] = y[i] < 0 ? 0 : w[y[i]];
      loss = mul(loss, fromFlat(wy, lossShape)); // ℓ = w_y·(lse(z) − z_y)
    }
  } else {
    // Ignored rows have P = 0, yet 0·log q is NaN where their predictions hold NaN or ±∞ (padding): they are
    // replaced by the constant 1 (PyTorch masks them), so nothing in them reaches the loss or the gradient.
    const zKept = ignored > 0 ? select(keptRows(y, z.dtype, shape), z, 1) : z;
    const P = labelTargets(y, o.labelSmoothing, w, z.dtype, shape);
    loss = logits ? fusedSoftmax(P, zKept) : categoricalFromProbabilities(P, zKept, o.epsilon);
  }
  return reduceLoss(loss, { reduction: o.reduction, sampleWeight: sw, labels: y, classWeights: w });
}

/**
 * Keras sparse_categorical_crossentropy with PyTorch's options: integer labels,
 * probabilities (or logits with { fromLogits: true }); ℓ = −log q_y with q = p/Σp clipped
 * (equal to categoricalCrossentropy(onehot(y), p)). Supports labelSmoothing, classWeights,
 * ignoreIndex, sampleWeight and axis. Throws SHAPE_MISMATCH, SINGLE_CLASS_SOFTMAX,
 * LABEL_OUT_OF_RANGE, NOT_PROBABILITIES, DTYPE, INVALID_OPTION.
 */
export function sparseCategoricalCrossentropy(
  targets: TensorLike,
  predictions: TensorLike,
  options?: SparseCategoricalCrossentropyOptions,
): Tensor {
  noExtraArguments('sparseCategoricalCrossentropy', arguments.length);
  return integerLabelLoss('sparseCategoricalCrossentropy', targets, predictions, parseSparse(options));
}

/** Per example −log softmax(z)_y for integer labels y (int32 or whole-number floats) and logits z (the fused op). */
export function sparseSoftmaxCrossEntropyWithLogits(
  labels: TensorLike,
  logits: TensorLike,
  options?: SparseSoftmaxCrossEntropyOptions,
): Tensor {
  noExtraArguments('sparseSoftmaxCrossEntropyWithLogits', arguments.length);
  const o = { ...parseSparseSoftmax(options), fromLogits: true, epsilon: 0 };
  return integerLabelLoss('sparseSoftmaxCrossEntropyWithLogits', labels, logits, o);
}
