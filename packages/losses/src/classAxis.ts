// The class axis: every kernel works on rows of the last axis, so a loss with
// { axis } first moves that axis last (a differentiable transpose for the
// predictions, a plain view for targets). Leading axes are examples.
import { detach, reshape as reshapeOp, transpose as transposeOp } from '@xent/autograd';
import { XentError, type Tensor, type TensorLike, contiguous, transpose } from '@xent/tensor';
import { asPredictions, classCount } from './validate.js';

/** The permutation that moves `axis` last, or null when it already is. */
export function classAxisPerm(where: string, axis: number, rank: number): number[] | null {
  if (rank === 0) return null;
  if (!(axis >= -rank && axis < rank)) {
    throw new XentError(
      'INVALID_OPTION',
      `${where}: option axis is ${axis}, out of range for predictions of rank ${rank}; use an axis in [${-rank}, ${rank - 1}] (−1, the last, is the default).`,
    );
  }
  const a = axis < 0 ? axis + rank : axis;
  if (a === rank - 1) return null;
  const perm = Array.from({ length: rank }, (_, k) => k).filter((k) => k !== a);
  perm.push(a);
  return perm;
}

/** Predictions with the class axis moved last, contiguous, gradient flowing back through the transpose. */
export function movePredictions(z: Tensor, perm: number[] | null): Tensor {
  if (!perm) return z;
  const t = transposeOp(z, perm);
  return reshapeOp(t, t.shape); // a contiguous copy, so the kernels read it without another copy
}

/**
 * Float targets moved like the predictions (no gradient), or predictions moved for a value check: detached
 * first, since the plain transpose refuses a tensor that requires a gradient (a param).
 */
export function moveTargets(t: Tensor, perm: number[] | null): Tensor {
  return perm ? contiguous(transpose(detach(t), perm)) : t;
}

/** The shape after moving the class axis last. */
export function movedShape(shape: readonly number[], perm: number[] | null): number[] {
  return perm ? perm.map((k) => shape[k]) : shape.slice();
}

/**
 * Reads the predictions (named 'logits' in messages when `fromLogits`) and finds their class axis:
 * `perm` moves it last (null when it is), `shape` is the shape after the move and C its size
 * (classCount refuses 0 and 1 classes, naming `binaryAlternative` for the one-unit case, and `why`
 * when the loss applies no softmax).
 */
export function classPredictions(
  where: string,
  predictions: TensorLike,
  axis: number,
  fromLogits: boolean,
  binaryAlternative: string,
  why?: string,
) {
  const p0 = asPredictions(where, predictions, fromLogits ? 'logits' : 'predictions');
  const perm = classAxisPerm(where, axis, p0.rank);
  const shape = movedShape(p0.shape, perm);
  return { p0, perm, shape, C: classCount(where, shape, binaryAlternative, why) };
}
