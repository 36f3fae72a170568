// Targets as the kernels see them: constants (no gradient) built from what the
// caller passed. Label smoothing is written once here, for every family:
//   y ← y(1−ε) + ε/K    (K = 2 for binary targets, K = C for distributions over C classes)
// then class weights P_c ← w_c·P_c (PyTorch's probability-target cross_entropy).
import * as K from '@xent/tensor';
import { fromFlat, type DType, type Tensor } from '@xent/tensor';
import { allocate } from '@xent/tensor/internal';

/** y(1−ε) + ε/k: label smoothing over k outcomes (y itself when ε = 0). */
export function smoothLabels(y: Tensor, smoothing: number, k: number): Tensor {
  return smoothing > 0 ? K.add(K.mul(y, 1 - smoothing), smoothing / k) : y;
}

/** Smoothed, class-weighted distribution targets (class axis last): w_c·(P_c(1−ε) + ε/C). */
export function weightedTargets(P: Tensor, smoothing: number, classWeights: Float64Array | null): Tensor {
  const t = smoothLabels(P, smoothing, P.shape[P.rank - 1]);
  return classWeights ? K.mul(t, K.tensor(classWeights, { dtype: P.dtype })) : t;
}

/**
 * The distribution targets of integer labels y (−1 = ignored): P_c = w_c·((1−ε)[c = y] + ε/C),
 * rows of ignored labels all 0. `shape` is the predictions' shape (class axis last).
 */
export function labelTargets(y: Int32Array, smoothing: number, w: Float64Array | null, dtype: DType, shape: readonly number[]): Tensor {
  const C = shape[shape.length - 1];
  const hot = allocate(dtype, y.length * C);
  y.forEach((t, r) => {
    if (t >= 0) hot[r * C + t] = 1;
  });
  const P = weightedTargets(fromFlat(hot, shape), smoothing, w);
  return smoothing > 0 && y.includes(-1) ? K.mul(P, keptRows(y, dtype, shape)) : P;
}

/** 1 for each row whose label is kept, 0 where it is ignored (−1), shaped [...rows, 1] against `shape` (class axis last). */
export function keptRows(y: Int32Array, dtype: DType, shape: readonly number[]): Tensor {
  const kept = allocate(dtype, y.length);
  y.forEach((t, r) => (kept[r] = t >= 0 ? 1 : 0));
  return fromFlat(kept, [...shape.slice(0, -1), 1]);
}
