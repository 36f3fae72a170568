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

/** A gradient computed per batch item for an operand that was shared across the batch: sum it over the batch. */
function unbatch(g: Tensor, x: Tensor): Tensor {
  return g.rank > x.rank ? K.sum(g, 0) : g;
}

/** [M,K]·[K,N] → [M,N], or batched [B,M,K]·[B,K,N] (a 2-D operand is shared across the batch); dA = dC·Bᵀ, dB = Aᵀ·dC. */
export const matmul: BuiltinOp<[a: Input, b: Input]> = builtin(
  {
    name: 'matmul',
    inputs: ['a', 'b'],
    forward: ([a, b]) => ({ out: K.matmul(a, b), saved: undefined }),
    // C = A·B:  dA = dC·Bᵀ,  dB = Aᵀ·dC
    backward: (dy, _s, { inputs: [a, b], needsGrad }) => [
      needsGrad[0] ? unbatch(K.matmul(dy, mT(b)), a) : null,
      needsGrad[1] ? unbatch(K.matmul(mT(a), dy), b) : null,
    ],
  },
  // Every argument reaches the engine: matmul(x, W, b) is refused ("expects 2 inputs"), not computed without b.
  (apply) =>
    (...ab: Input[]) =>
      apply(ab, undefined),
);
