// Fused Poly-1 cross entropy with logits (Leng et al. 2022; optax poly_loss_cross_entropy), per row:
//   ℓ = −Σ_c p_c log softmax(z)_c + ε·Σ_c p_c (1 − softmax(z)_c) = CE + ε·(Σp − pt),   pt = Σ_c p_c softmax(z)_c
//   dℓ/dz_c = (Σp)·softmax(z)_c − p_c + ε·softmax(z)_c·(pt − p_c)
// (d pt/dz_c = softmax(z)_c (p_c − pt)). Forward (a @xent/tensor kernel) saves e = e^{z − m}, s, Σp and pt.
import { fromFlat, readFlat, type TypedArray } from '@xent/tensor';
import { allocate, polyCrossEntropyKernel, promote } from '@xent/tensor/internal';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import type { OpDef } from '../opDef.js';
import { checkNotProbabilities, distributionRows, readPolyOptions } from './crossEntropyChecks.js';

/** Attributes of polyCrossEntropyWithLogits. */
export interface PolyAttrs {
  /** ε, the weight of the Poly-1 term Σ_c p_c (1 − softmax(z)_c); any finite real (default 2). */
  polyEpsilon?: number | null;
}

interface Residuals {
  p: TypedArray;
  e: TypedArray;
  rowSum: TypedArray;
  targetSum: TypedArray;
  pt: TypedArray;
  cols: number;
  epsilon: number;
}

const polyCrossEntropyWithLogitsOp: OpDef<{ epsilon: number }, Residuals> = {
  name: 'polyCrossEntropyWithLogits',
  inputs: ['targets', 'logits'],
  differentiable: [false, true],
  forward([targets, logits], { epsilon }) {
    const where = 'polyCrossEntropyWithLogits';
    const { p, z, rows, cols } = distributionRows(where, targets, logits);
    const dtype = promote(logits.dtype);
    const loss = allocate(promote(logits.dtype, targets.dtype), rows);
    const r = {
      p,
      e: allocate(dtype, z.length),
      rowSum: allocate(dtype, rows),
      targetSum: allocate(dtype, rows),
      pt: allocate(dtype, rows),
      cols,
      epsilon,
    };
    polyCrossEntropyKernel(p, z, rows, cols, epsilon, loss, r.e, r.rowSum, r.targetSum, r.pt);
    return { out: fromFlat(loss, logits.shape.slice(0, -1)), saved: r };
  },
  backward(dy, { p, e, rowSum, targetSum, pt, cols, epsilon }, { inputs: [, logits], lastUse }) {
    const g = readFlat(dy); // one dy per row
    const dz = lastUse ? e : allocate(promote(logits.dtype), e.length); // on the last use, written over e
    for (let r = 0, base = 0; r < g.length; r++, base += cols) {
      // dz_c = ((Σp + ε·(pt − p_c))·softmax(z)_c − p_c)·dy,  softmax(z)_c = e_c / s   ("+ 0" keeps a zero gradient +0)
      const inv = 1 / rowSum[r];
      for (let c = base; c < base + cols; c++) dz[c] = ((targetSum[r] + epsilon * (pt[r] - p[c])) * e[c] * inv - p[c]) * g[r] + 0;
    }
    return [null, fromFlat(dz, logits.shape)];
  },
};

/**
 * polyCrossEntropyWithLogits(targets, logits, { polyEpsilon = 2 }): per-row Poly-1 cross entropy
 * −Σ p log softmax(z) + ε·Σ p (1 − softmax(z)) over the last axis. Targets get no gradient; logits get
 * ((Σp)·softmax(z) − p + ε·softmax(z)(pt − p))·dy with pt = Σ p·softmax(z). A polyEpsilon that is not
 * a finite number is INVALID_OPTION (null or undefined mean the default).
 */
export const polyCrossEntropyWithLogits: BuiltinOp<[targets: Input, logits: Input, options?: PolyAttrs]> = builtin(
  polyCrossEntropyWithLogitsOp,
  (apply) => (targets: Input, logits: Input, options?: PolyAttrs) => {
    checkNotProbabilities('polyCrossEntropyWithLogits', logits, 'softmax', 'compute the loss from the logits');
    const { polyEpsilon: epsilon } = readPolyOptions(options);
    return apply([targets, logits], { epsilon });
  },
  3, // a further argument ({ axis }, { reduction }: options of the losses) is refused, not ignored
);
