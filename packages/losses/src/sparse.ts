// Cross entropy with integer labels y (shape = predictions without the class
// axis; a trailing axis of 1 is accepted), PyTorch cross_entropy semantics:
//   ℓ = (1−ε)·w_y·(−log q_y) + (ε/C)·Σ_c w_c·(−log q_c)
// with q = softmax(z) for logits, or q = clip(p, ε, 1−ε) for probabilities (DESIGN: −log q_y;
// unlike the categorical loss, q is not divided by its row sum: d/dp_y = −1/p_y, as in PyTorch nll(log p)).
//   logits, no smoothing: the fused sparse op (no one-hot), times w_y:  d/dz = w_y·(softmax(z) − onehot(y))
//   otherwise: the categorical loss on the targets P_c = (1−ε)·w_y·[c = y] + (ε/C)·w_c
//              (same ℓ; d/dz = (Σ_c P_c)·softmax(z) − P)
// Labels equal to ignoreIndex give ℓ = 0, a zero gradient, and leave the divisors.
// 'mean' divides by Σ sᵢ·w_{yᵢ} over the labels not ignored (PyTorch).
import { mul, softmaxCrossEntropyWithLogits as fusedSoftmax, sparseSoftmaxCrossEntropyWithLogits as fusedSparse } from '@xent/autograd';
import { XentError, allocate, fmtShape, fromFlat, type DType, type Tensor, type TensorLike } from '@xent/tensor';
import { classAxisPerm, movePredictions, moveTargets, movedShape } from './axis.js';
import { CATEGORICAL_OPTIONS, categoricalFromProbabilities } from './categorical.js';
import { parseOptions, type OptionName, type ParsedOptions, type SparseCategoricalCrossentropyOptions } from './options.js';
import { reduceLoss, resolveSampleWeight } from './reduction.js';
import { asLabels, binaryAlternative, asPredictions, checkClassWeights, checkRows, classCount, readLabels } from './validate.js';

/** Dense targets P_c = (1−ε)·w_y·[c = y] + (ε/C)·w_c per row; rows of ignored labels (y = −1) are 0. */
export function labelTargets(
  y: Int32Array,
  C: number,
  smoothing: number,
  w: Float64Array | null,
  dtype: DType,
  shape: readonly number[],
): Tensor {
  const P = allocate(dtype, y.length * C);
  const off = smoothing / C;
  for (let r = 0, base = 0; r < y.length; r++, base += C) {
    const t = y[r];
    if (t < 0) continue;
    if (off > 0) for (let c = 0; c < C; c++) P[base + c] = off * (w ? w[c] : 1);
    P[base + t] += (1 - smoothing) * (w ? w[t] : 1);
  }
  return fromFlat(P, shape);
}

export const SPARSE_OPTIONS: readonly OptionName[] = [...CATEGORICAL_OPTIONS, 'ignoreIndex'];

/** The integer-label family, shared by sparseCategoricalCrossentropy and sparseSoftmaxCrossEntropyWithLogits. */
export function integerLabelLoss(where: string, targets: TensorLike, predictions: TensorLike, o: ParsedOptions): Tensor {
  const logits = o.fromLogits;
  const p0 = asPredictions(where, predictions, logits ? 'logits' : 'predictions');
  const perm = classAxisPerm(where, o.axis, p0.rank);
  const shape = movedShape(p0.shape, perm);
  const C = classCount(where, shape, binaryAlternative(where, logits));
  const lossShape = shape.slice(0, -1);
  const labels = asLabels(where, targets);
  const sl = labels.shape;
  const fits = (s: readonly number[]) => s.length === lossShape.length && s.every((d, k) => d === lossShape[k]);
  if (!(fits(sl) || (sl.length > 0 && sl[sl.length - 1] === 1 && fits(sl.slice(0, -1))))) {
    const oneHot = sl.length === p0.rank && sl.every((d, k) => d === p0.shape[k]);
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: targets have shape ${fmtShape(sl)} but predictions ${fmtShape(p0.shape)} need labels of shape ${fmtShape(lossShape)} (one class index per example).` +
        (oneHot ? ` These targets look one-hot or soft: use ${logits ? 'softmaxCrossEntropyWithLogits' : 'categoricalCrossentropy'}.` : ''),
    );
  }
  checkClassWeights(where, o.classWeights, C);
  const sw = o.sampleWeight ? resolveSampleWeight(where, o.sampleWeight, lossShape) : null;
  const { y } = readLabels(where, labels, C, o.ignoreIndex);
  if (!logits && o.validate) {
    checkRows(
      where,
      'predictions',
      moveTargets(p0, perm),
      'NOT_PROBABILITIES',
      'if these are logits (raw scores) pass { fromLogits: true }; otherwise apply softmax so each row is a distribution.',
    );
  }
  // ---- everything is checked; compute
  const z = movePredictions(p0, perm);
  const w = o.classWeights;
  let loss: Tensor;
  if (logits && o.labelSmoothing === 0) {
    loss = fusedSparse(labels, z, o.ignoreIndex === undefined ? {} : { ignoreIndex: o.ignoreIndex });
    if (w) {
      const wy = allocate(z.dtype, y.length);
      for (let i = 0; i < y.length; i++) wy[i] = y[i] < 0 ? 0 : w[y[i]];
      loss = mul(loss, fromFlat(wy, lossShape)); // ℓ = w_y·(lse(z) − z_y)
    }
  } else {
    const P = labelTargets(y, C, o.labelSmoothing, w, z.dtype, shape);
    loss = logits ? fusedSoftmax(P, z) : categoricalFromProbabilities(P, z, o.epsilon, false);
  }
  return reduceLoss(loss, { reduction: o.reduction, sampleWeight: sw, labels: y, classWeights: w });
}

/**
 * Keras sparse_categorical_crossentropy with PyTorch's options: integer labels,
 * probabilities (or logits with { fromLogits: true }); ℓ = −log q_y. Supports
 * labelSmoothing, classWeights, ignoreIndex, sampleWeight and axis.
 */
export function sparseCategoricalCrossentropy(
  targets: TensorLike,
  predictions: TensorLike,
  options?: SparseCategoricalCrossentropyOptions,
): Tensor {
  const where = 'sparseCategoricalCrossentropy';
  return integerLabelLoss(where, targets, predictions, parseOptions(where, options, SPARSE_OPTIONS));
}
