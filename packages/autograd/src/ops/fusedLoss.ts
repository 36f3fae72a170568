// What the fused cross-entropy ops share besides their checks: the work a loss can fuse
// into the kernel's pass (the reduction, the target check) and reading the upstream dy.
import { fromFlat, readFlat, type DType, type Tensor, type TypedArray } from '@xent/tensor';
import { allocate } from '@xent/tensor/internal';

/** Attributes a loss passes to a fused cross-entropy op so that no pass of its own is needed. */
export interface FusedLossAttrs {
  /**
   * When given, the op returns one number, (Σ ℓ) / divisor, instead of one loss value per row (or element):
   * the 'sum' reduction is divisor 1, a mean the count. A divisor of 0 gives 0 and zero gradients.
   */
  divisor?: number;
  /**
   * When given, the targets are checked in the kernel's pass (each in [0, 1]; for softmax each row also
   * summing to 1 within 1e-3); on a failure this is called before anything is returned. It re-checks and
   * throws the caller's error; should it return, the op's result stands.
   */
  onInvalidTargets?: () => void;
}

/** The op's output: the loss values in `shape` (given when there is no divisor), or with a divisor the one number (Σ ℓ) / divisor. */
export function lossOutput(
  loss: TypedArray | null,
  total: number,
  shape: readonly number[],
  dtype: DType,
  divisor: number | undefined,
): Tensor {
  if (divisor === undefined) return fromFlat(loss!, shape);
  const out = allocate(dtype, 1);
  out[0] = divisor > 0 ? total / divisor : total * 0;
  return fromFlat(out, []);
}

/**
 * The upstream gradient as g with g[i·step] the dy of row (or element) i: step 1 for a full dy,
 * step 0 for one value broadcast to every row — what sum and mean send back, read without a copy —
 * and for an op with a divisor, whose one dy is divided by it here (d(Σℓ/D)/dℓᵢ = 1/D).
 */
export function upstream(dy: Tensor, divisor: number | undefined): { g: TypedArray; step: 0 | 1 } {
  const v = dy.view;
  if (!v.shape.every((d, k) => d === 1 || v.stride[k] === 0)) return { g: readFlat(dy), step: 1 };
  const g = new Float64Array(1);
  const value = v.data[v.offset];
  g[0] = divisor === undefined ? value : divisor > 0 ? value / divisor : value * 0;
  return { g, step: 0 };
}
