// Input checks, run before anything is computed so that a failed call changes
// nothing. Shape and dtype checks always run; the value checks (ranges, row
// sums) are one pass over the data and are skipped with { validate: false }.
import { detach } from '@xent/autograd';
import { checkNotProbabilities } from '@xent/autograd/internal';
import { Tensor, XentError, readFlat, reshape, type DType, type TensorLike } from '@xent/tensor';
import { FLOAT32_MAX, fmtIndex, fmtShape, sameShape, toTensorArg, cast } from '@xent/tensor/internal';

function toT(where: string, name: string, x: TensorLike): Tensor {
  return x instanceof Tensor ? x : toTensorArg(x, where, name);
}

/** How a loss that takes logits is told to take probabilities instead (the default: its fromLogits option). */
const PROBABILITY_FORM: Record<string, string> = {
  softmaxCrossEntropyWithLogits: 'for probabilities use categoricalCrossentropy',
  sparseSoftmaxCrossEntropyWithLogits: 'for probabilities use sparseCategoricalCrossentropy',
  sigmoidCrossEntropyWithLogits: 'for probabilities use binaryCrossentropy',
  polyCrossEntropyWithLogits: 'compute the loss from the logits',
  multiLabelCrossEntropy: 'for probabilities pass { fromLogits: false }',
};

/**
 * Predictions (or logits) as a float tensor; int32 is a DTYPE error. Logits (`applies` says whether the
 * loss applies softmax or sigmoid to them) that are the recorded output of softmax or sigmoid are refused.
 */
export function asPredictions(
  where: string,
  x: TensorLike,
  name: 'predictions' | 'logits' = 'predictions',
  applies: 'softmax' | 'sigmoid' = 'softmax',
): Tensor {
  const t = toT(where, name, x);
  if (name === 'logits') checkNotProbabilities(where, t, applies, PROBABILITY_FORM[where] ?? 'for probabilities drop { fromLogits: true }');
  if (t.dtype === 'int32') {
    throw new XentError(
      'DTYPE',
      `${where}: ${name} are int32; ${name} must be float — create them with dtype 'float64' (default) or 'float32'.`,
    );
  }
  return t;
}

/** Float targets in the predictions' dtype, cut off from the graph: targets never get a gradient. */
export function asTargets(where: string, x: TensorLike, like: Tensor): Tensor {
  const t = toT(where, 'targets', x);
  const d = t.requiresGrad || t.node ? detach(t) : t;
  return d.dtype === like.dtype ? d : cast(d, like.dtype);
}

/** Integer labels (int32, or floats holding whole numbers), cut off from the graph. */
export function asLabels(where: string, x: TensorLike): Tensor {
  const t = toT(where, 'targets', x);
  return t.requiresGrad || t.node ? detach(t) : t;
}

/**
 * Targets must have the predictions' shape. A difference of one trailing axis
 * of size 1 ([N] against [N, 1]) is accepted, as Keras does; the targets are then
 * viewed in the predictions' shape.
 */
export function matchShapes(where: string, targets: Tensor, predictions: Tensor, hint = ''): Tensor {
  const st = targets.shape;
  const sp = predictions.shape;
  if (sameShape(st, sp)) return targets;
  if (sameShape([...st, 1], sp) || sameShape(st, [...sp, 1])) return reshape(targets, sp);
  // One target per row of C > 1 predictions: class indices given to a loss that wants one target per prediction
  const indices = sp.length > 0 && sp[sp.length - 1] > 1 && sameShape(st, sp.slice(0, -1));
  const indexHint = indices
    ? ' These targets look like class indices (one per row): use sparseCategoricalCrossentropy (add { fromLogits: true } for logits) or sparseSoftmaxCrossEntropyWithLogits.'
    : '';
  throw new XentError(
    'SHAPE_MISMATCH',
    `${where}: targets have shape ${fmtShape(st)} but predictions have shape ${fmtShape(sp)}; they must be equal (one target per prediction).${hint || indexHint}`,
  );
}

/** The size of the class axis (last); 0 is NOT_DISTRIBUTION: a row with no classes cannot sum to 1. */
export function nonEmptyClassAxis(where: string, shape: readonly number[]): number {
  const C = shape[shape.length - 1];
  if (C === 0) {
    throw new XentError(
      'NOT_DISTRIBUTION',
      `${where}: the class axis of predictions ${fmtShape(shape)} has size 0; a row with no classes cannot sum to 1 — give each example at least one class.`,
    );
  }
  return C;
}

/**
 * The number of classes (last axis, after moving the class axis there); 0 is NOT_DISTRIBUTION, 1 SINGLE_CLASS_SOFTMAX,
 * whose message says `why` one class is meaningless for the loss and names `binaryAlternative` to use instead.
 */
export function classCount(
  where: string,
  shape: readonly number[],
  binaryAlternative: string,
  why = 'the softmax of a single class is always 1 and the loss and its gradient are always 0',
): number {
  if (shape.length < 1) {
    throw new XentError('SHAPE_MISMATCH', `${where}: predictions are a scalar; they need a class axis (the last one), e.g. shape [N, C].`);
  }
  const C = nonEmptyClassAxis(where, shape);
  if (C === 1) {
    throw new XentError(
      'SINGLE_CLASS_SOFTMAX',
      `${where}: the class axis of predictions ${fmtShape(shape)} has size 1, so ${why}; for one output unit (a yes/no outcome) use ${binaryAlternative}.`,
    );
  }
  return C;
}

/**
 * Why one class is meaningless for a loss on probabilities (classCount's `why`): it applies no softmax but divides each
 * row by its sum, q = clip(p/Σp, ε, 1−ε), which over one class is always 1 − ε, whatever p.
 */
export const ONE_CLASS_PROBABILITIES =
  'the predictions renormalised over one class (p / Σp) are always [1]: the loss does not depend on them and its gradient is always 0';

/** The binary counterpart named in SINGLE_CLASS_SOFTMAX messages. */
export function binaryAlternative(where: string, logits: boolean): string {
  if (where.endsWith('WithLogits')) return 'sigmoidCrossEntropyWithLogits';
  return logits ? 'binaryCrossentropy with { fromLogits: true } (or sigmoidCrossEntropyWithLogits)' : 'binaryCrossentropy';
}

/** One pass: every value in [0, 1] and not NaN. */
export function checkUnitInterval(
  where: string,
  arg: 'targets' | 'predictions',
  t: Tensor,
  code: 'BAD_TARGETS' | 'NOT_PROBABILITIES' | 'NOT_DISTRIBUTION',
  fix: string,
): void {
  const v = readFlat(t);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!(x >= 0 && x <= 1)) {
      throw new XentError(code, `${where}: ${arg}${fmtIndex(i, t.shape)} is ${x}, outside [0, 1]; ${fix}`);
    }
  }
}

/**
 * One pass over rows of the last axis: every value in [0, 1] (not NaN) and,
 * when `sumToOne`, every row summing to 1 within 1e-3. Rows r with labels[r] = −1 (ignored) are skipped.
 */
export function checkRows(
  where: string,
  arg: 'targets' | 'predictions',
  t: Tensor,
  code: 'NOT_PROBABILITIES' | 'NOT_DISTRIBUTION',
  fix: string,
  sumToOne = true,
  labels?: Int32Array,
): void {
  const v = readFlat(t);
  const shape = t.shape;
  const C = shape[shape.length - 1];
  for (let r = 0, base = 0; base < v.length; r++, base += C) {
    if (labels && labels[r] < 0) continue;
    let s = 0;
    for (let c = 0; c < C; c++) {
      const x = v[base + c];
      if (!(x >= 0 && x <= 1)) throw new XentError(code, `${where}: ${arg}${fmtIndex(base + c, shape)} is ${x}, outside [0, 1]; ${fix}`);
      s += x;
    }
    if (sumToOne && !(Math.abs(s - 1) <= 1e-3)) {
      // A 1-D input is one row: "targets sum to 2", not "targets row [] sums to 2".
      const row = shape.length > 1 ? ` row ${fmtIndex(r, shape.slice(0, -1))} sums` : ' sum';
      throw new XentError(code, `${where}: ${arg}${row} to ${Number(s.toPrecision(8))}, not 1 (tolerance 1e-3); ${fix}`);
    }
  }
}

export interface Labels {
  /** The label of each example, −1 where it equals ignoreIndex. */
  y: Int32Array;
  ignored: number;
}

/**
 * Reads integer labels: whole numbers in [0, C) or ignoreIndex. Always checked
 * (an out-of-range label would index outside its row): LABEL_OUT_OF_RANGE with
 * the label's position and value.
 */
export function readLabels(where: string, labels: Tensor, C: number, ignoreIndex: number | undefined): Labels {
  const v = readFlat(labels);
  const y = new Int32Array(v.length);
  let ignored = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i];
    if (ignoreIndex !== undefined && t === ignoreIndex) {
      y[i] = -1;
      ignored++;
    } else if (Number.isInteger(t) && t >= 0 && t < C) y[i] = t;
    else {
      throw new XentError(
        'LABEL_OUT_OF_RANGE',
        `${where}: targets${fmtIndex(i, labels.shape)} is ${t}; labels must be whole class indices in [0, ${C}) for ${C} classes` +
          (ignoreIndex !== undefined
            ? ` or the ignoreIndex ${ignoreIndex}.`
            : ' — pass { ignoreIndex } to skip padding labels, or one-hot targets to the categorical loss.'),
      );
    }
  }
  return { y, ignored };
}

/**
 * With float32 predictions, every value of a weight option must fit float32: it would become Infinity
 * (and ∞·0 = NaN where a loss value is 0). `option` names it; `fix` ends the message.
 */
export function checkFitsDtype(where: string, option: string, w: ArrayLike<number>, dtype: DType, fix = 'scale the weights down'): void {
  if (dtype !== 'float32') return;
  for (let i = 0; i < w.length; i++) {
    if (w[i] > FLOAT32_MAX) {
      throw new XentError(
        'INVALID_OPTION',
        `${where}: option '${option}' holds ${w[i]} at index ${i}, beyond float32's largest value ${FLOAT32_MAX} (the predictions are float32, so it would become Infinity); use float64 predictions, or ${fix}.`,
      );
    }
  }
}

/**
 * classWeights must have one entry per class (or per output unit for the binary family), and with
 * float32 predictions each must fit float32 (with integer labels and 'mean' the caller has already
 * scaled them, since only their ratios matter there).
 */
export function checkClassWeights(where: string, w: Float64Array | null, C: number, dtype: DType, unit = 'class'): void {
  if (!w) return;
  if (w.length !== C) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: classWeights has ${w.length} entries but predictions have ${C} ${unit === 'class' ? 'classes (the class axis)' : 'output units (the last axis)'}; pass exactly one weight per ${unit}.`,
    );
  }
  checkFitsDtype(where, 'classWeights', w, dtype);
}

/**
 * Refuses an ε too small for clipping to [ε, 1 − ε] in the predictions' dtype (INVALID_OPTION): ε must be normal,
 * so that 1/ε (the gradient of log at the clip bound) is finite — 2⁻¹²⁶ in float32 (float64's 2⁻¹⁰²² is the
 * option's range); below, the gradient at a clipped probability is 0·∞ = NaN.
 */
export function checkEpsilon(where: string, epsilon: number, dtype: DType): void {
  if (dtype === 'float32' && epsilon < 2 ** -126) {
    throw new XentError(
      'INVALID_OPTION',
      `${where}: option 'epsilon' is ${epsilon}, below the smallest normal float32 (1/ε overflows: NaN gradients); use epsilon ≥ ${2 ** -126}, or float64 predictions.`,
    );
  }
}

/**
 * A loss takes (targets, predictions, options?): a fourth argument — tf.losses' weights, labelSmoothing or
 * reduction, given positionally — would be dropped without a word. INVALID_ARGUMENT.
 */
export function noExtraArguments(where: string, count: number): void {
  if (count > 3) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: takes (targets, predictions, options?), got ${count} arguments; pass every option in the options object.`,
    );
  }
}
