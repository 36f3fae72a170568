import * as K from '@xent/tensor';
import type { Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';

/** Swaps the last two axes (a view). */
function mT(x: Tensor): Tensor {
  const r = x.rank;
  const perm = Array.from({ length: r }, (_, k) => k);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return K.transpose(x, perm);
}

/**
 * [M,K]·[K,N] → [M,N], or batched [B,M,K]·[B,K,N], where a 2-D operand or a batch of 1 is shared across
 * the batch (as torch.matmul); dA = dC·Bᵀ, dB = Aᵀ·dC, each summed over the batch for a shared operand.
 */
export const matmul: BuiltinOp<[a: Input, b: Input]> = builtin(
  {
    name: 'matmul',
    inputs: ['a', 'b'],
    broadcast: true, // a shared operand's per-item gradients are summed back to its shape (sumTo)
    forward: ([a, b]) => ({ out: K.matmul(a, b), saved: undefined }),
    // C = A·B:  dA = dC·Bᵀ,  dB = Aᵀ·dC
    backward: (dy, _s, { inputs: [a, b], needsGrad }) => [
      needsGrad[0] ? K.matmul(dy, mT(b)) : null,
      needsGrad[1] ? K.matmul(mT(a), dy) : null,
    ],
  },
  // Every argument reaches the engine: matmul(x, W, b) is refused ("expects 2 inputs"), not computed without b.
  (apply) =>
    (...ab: Input[]) =>
      apply(ab, undefined),
);
