// Reductions. With loss values ℓᵢ (class weights inside, sample weights sᵢ applied):
//   'none'                → sᵢℓᵢ
//   'sum'                 → Σ sᵢℓᵢ
//   'sum_over_batch_size' → Σ sᵢℓᵢ / #(values not ignored)                       (Keras)
//   'mean'                → Σ sᵢℓᵢ / Σ ωᵢ over values not ignored, ωᵢ = sᵢ·c_{yᵢ}  (PyTorch)
// where c_{yᵢ} is the class weight of the label (integer labels only; 1 otherwise).
// A zero divisor (every value ignored or weighted 0) gives 0 with zero gradients; a divisor
// that overflows is taken with the weights scaled by a power of two (exact).
// The divisor depends on weights only, never on predictions: d result/dℓᵢ = sᵢ/D.
import { div, mul, sum } from '@xent/autograd';
import { Tensor, XentError, broadcastTo, fromFlat, readFlat, reshape, type DType } from '@xent/tensor';
import { broadcastsTo, fmtShape, cast } from '@xent/tensor/internal';
import type { Reduction } from './options.js';
import { checkFitsDtype } from './validate.js';

/**
 * The sample weights of options `o` (null when not given) viewed in the shape of the loss values. Leading
 * axes are examples (Keras): [N] or [N, 1] against loss values [N] or [N, T]; trailing axes of size 1
 * beyond the loss's rank are dropped, missing trailing axes are added as 1, then NumPy broadcasting applies.
 * Where their size matters (every reduction but 'mean', which only takes their ratios), they must fit the
 * predictions' dtype (checkFitsDtype).
 */
export function resolveSampleWeight(
  where: string,
  o: { sampleWeight: Tensor | null; reduction: Reduction },
  lossShape: readonly number[],
  dtype: DType,
): Tensor | null {
  const sw = o.sampleWeight;
  if (!sw) return null;
  let s = sw.shape;
  while (s.length > lossShape.length && s[s.length - 1] === 1) s = s.slice(0, -1);
  while (s.length < lossShape.length) s = [...s, 1]; // now aligned from the first axis, so NumPy's rule applies as is
  if (!broadcastsTo(s, lossShape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: sampleWeight has shape ${fmtShape(sw.shape)} but the loss values have shape ${fmtShape(lossShape)}; it must broadcast to them ` +
        `(leading axes are examples: a number, [N] or [N, 1] gives one weight per example). For one weight per class use classWeights.`,
    );
  }
  if (o.reduction !== 'mean')
    checkFitsDtype(where, 'sampleWeight', readFlat(sw), dtype, "scale the weights down ('mean' only takes their ratios)");
  return broadcastTo(reshape(sw, s), lossShape);
}

export interface ReduceSpec {
  reduction: Reduction;
  /** Already resolved to the loss shape (resolveSampleWeight), or null. */
  sampleWeight: Tensor | null;
  /** Integer labels only: each example's label (−1 = ignored). */
  labels?: Int32Array;
  /** Integer labels only: the class weights c, entering the 'mean' divisor as c_{yᵢ}. */
  classWeights?: Float64Array | null;
}

/**
 * The power of two k (exact to multiply by) that brings the largest of the weights `w` (≥ 0) into
 * (½, 1]; 1 when none is positive and finite. 2^1023 at most, so k itself is finite.
 */
export function unitScale(w: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < w.length; i++) if (w[i] > largest) largest = w[i];
  return largest > 0 && largest < Infinity ? 2 ** Math.min(1023, -Math.ceil(Math.log2(largest))) : 1;
}

/**
 * For 'mean' only the weights' ratios matter: they are scaled by a power of two (exact) so
 * the largest is in (½, 1] — a weight of 1e-300 then survives a cast to float32 and weights
 * of 1e308 do not overflow their sum. Ordinary weights give the same bits as unscaled ones.
 */
function normalizedWeights(sw: Tensor): Tensor {
  const s = readFlat(sw);
  const k = unitScale(s);
  if (k === 1) return sw;
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[i] * k;
  return fromFlat(out, sw.shape);
}

/**
 * The divisor a fused op applies in its own pass (FusedLossAttrs.divisor), so that (Σ ℓ) / divisor is what
 * reduceLoss would give; undefined where the reduction must run as ops ('none', sample weights).
 * `count` is the number of loss values a mean divides by; `perValue` the count each of them is already
 * a mean over (K for a per-example mean over K outputs, computed by the op as one sum).
 */
export function fusedDivisor(reduction: Reduction, sampleWeight: Tensor | null, count: number, perValue = 1): number | undefined {
  if (reduction === 'none' || sampleWeight !== null) return undefined;
  return reduction === 'sum' ? perValue : perValue * count;
}

/** Applies sample weights and the reduction to the loss values (a differentiable Tensor). */
export function reduceLoss(values: Tensor, { reduction, sampleWeight, labels, classWeights }: ReduceSpec): Tensor {
  const given = reduction === 'mean' && sampleWeight ? normalizedWeights(sampleWeight) : sampleWeight;
  const sw = given ? (given.dtype === values.dtype ? given : cast(given, values.dtype)) : null;
  const weighted = sw ? mul(values, sw) : values;
  if (reduction === 'none') return weighted;
  const total = sum(weighted);
  if (reduction === 'sum') return total;
  const s = sw ? readFlat(sw) : null;
  const n = values.size;
  let divisor = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const y = labels ? labels[i] : 0;
    if (y < 0) continue; // ignored
    const w = reduction === 'sum_over_batch_size' ? 1 : (s ? s[i] : 1) * (classWeights && labels ? classWeights[y] : 1);
    divisor += w;
    if (w > largest) largest = w;
  }
  if (divisor === Infinity) {
    // Class weights so large that Σ ωᵢ overflows (each is finite): the same quotient with every ω
    // scaled by a power of two, which is exact — never Σℓ/∞ = 0.
    const k = 2 ** -Math.ceil(Math.log2(largest));
    let scaled = 0;
    for (let i = 0; i < n; i++) {
      const y = labels ? labels[i] : 0;
      if (y >= 0) scaled += (s ? s[i] : 1) * k * (classWeights && labels ? classWeights[y] : 1);
    }
    return div(mul(total, k), scaled);
  }
  return divisor > 0 ? div(total, divisor) : mul(total, 0);
}
