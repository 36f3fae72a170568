// Fused sigmoid cross entropy with logits, elementwise:
//   ℓ = −[p log σ(z) + (1−p) log(1−σ(z))] = max(z,0) − z·p + log1p(e^{−|z|})
//   dℓ/dz = σ(z) − p
// With posWeight w (PyTorch pos_weight), ℓ = −[w·p log σ(z) + (1−p) log(1−σ(z))]:
//   dℓ/dz = (1−p)·σ(z) − w·p·σ(−z)   (two terms ≥ 0: a small gradient keeps its digits, where
//   (1−p) − (1 + (w−1)p)·σ(−z) loses them to cancellation when σ(z) is small)
// Forward (a @xent/tensor kernel) saves σ(z) (and with posWeight σ(−z)) computed from e^{−|z|} ≤ 1, so loss and gradient are finite at |z| = 1e4.
import { Tensor, fromFlat, readFlat, XentError, type TypedArray } from '@xent/tensor';
import { allocate, broadcastView, promote, sigmoidCrossEntropyKernel } from '@xent/tensor/internal';
import type { Input } from '../convert.js';
import { toTensor } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../opDef.js';
import { checkNotProbabilities, checkSameShape } from './crossEntropyChecks.js';
import { lossOutput, upstream, type FusedLossAttrs } from './fusedLoss.js';

/** Attributes of sigmoidCrossEntropyWithLogits: posWeight, and the FusedLossAttrs the losses pass. */
export interface SigmoidAttrs extends FusedLossAttrs {
  /** Weight of the positive term, broadcast against the logits (usually one per class, shape [C]). */
  posWeight?: Tensor;
}

interface Residuals {
  p: TypedArray;
  /** posWeight per element (null without). */
  w: TypedArray | null;
  /** σ(z), and with posWeight σ(−z) too. */
  sig: TypedArray | null;
  sigNeg: TypedArray | null;
}

const sigmoidCrossEntropyWithLogitsOp: OpDef<SigmoidAttrs, Residuals | null> = {
  name: 'sigmoidCrossEntropyWithLogits',
  inputs: ['targets', 'logits'],
  differentiable: [false, true],
  forward([targets, logits], { posWeight, divisor, onInvalidTargets }, { needsGrad }) {
    const where = 'sigmoidCrossEntropyWithLogits';
    if (logits.dtype === 'int32') {
      throw new XentError('DTYPE', `${where}: logits are int32; logits must be float — create them with dtype 'float64' or 'float32'.`);
    }
    checkSameShape(where, targets, logits, 'one target per logit');
    const z = readFlat(logits);
    const p = readFlat(targets);
    const w = posWeight ? readFlat(broadcastView(posWeight, logits.shape, `${where} (posWeight)`)) : null;
    const n = z.length;
    const lossType = promote(logits.dtype, targets.dtype);
    const loss = divisor === undefined ? allocate(lossType, n) : null; // with a divisor only Σ ℓ is kept
    const dtype = promote(logits.dtype);
    const sig = needsGrad[1] ? allocate(dtype, n) : null;
    const sigNeg = needsGrad[1] && w !== null ? allocate(dtype, n) : null;
    const check = onInvalidTargets !== undefined;
    const total = sigmoidCrossEntropyKernel(p, z, w, n, loss, sig, sigNeg, check);
    if (check && Number.isNaN(total)) onInvalidTargets();
    const out = lossOutput(loss, total, logits.shape, lossType, divisor);
    return { out, saved: needsGrad[1] ? { p, w, sig, sigNeg } : null };
  },
  backward(dy, saved, { inputs: [, logits], attrs, lastUse }) {
    const { p, w, sig, sigNeg } = saved!;
    const { g, step } = upstream(dy, attrs.divisor); // the dy of element i is g[i·step]
    // On the last use, the gradient is written over the residual it is computed from.
    const dz = lastUse ? sig! : allocate(promote(logits.dtype), p.length);
    // "+ 0" keeps a zero gradient +0.
    if (w === null) {
      // dz = (σ(z) − p)·dy
      for (let i = 0; i < dz.length; i++) dz[i] = (sig![i] - p[i]) * g[i * step] + 0;
    } else {
      // dz = ((1 − p)·σ(z) − w·p·σ(−z))·dy
      for (let i = 0; i < dz.length; i++) dz[i] = ((1 - p[i]) * sig![i] - w[i] * p[i] * sigNeg![i]) * g[i * step] + 0;
    }
    return [null, fromFlat(dz, logits.shape)];
  },
};

/** Elementwise −[w·p log σ(z) + (1−p) log(1−σ(z))]. Targets get no gradient; logits get (σ(z) − p)·dy (w = 1). */
export const sigmoidCrossEntropyWithLogits: BuiltinOp<[targets: Input, logits: Input, posWeight?: Input]> = builtin(
  sigmoidCrossEntropyWithLogitsOp,
  (apply) => (targets: Input, logits: Input, posWeight?: Input) => {
    checkNotProbabilities('sigmoidCrossEntropyWithLogits', logits, 'sigmoid', 'for probabilities use binaryCrossentropy of @xent/losses');
    return apply(
      [targets, logits],
      posWeight === undefined ? {} : { posWeight: toTensor(posWeight, 'sigmoidCrossEntropyWithLogits', 'posWeight') },
    );
  },
  3, // a further argument is refused, not ignored
);

/**
 * sigmoidCrossEntropyWithLogits with every attribute, including those the losses fuse into its pass. { divisor }
 * returns (Σ ℓ) / divisor; { onInvalidTargets } checks that every target is in [0, 1] in the same pass.
 */
export function sigmoidCrossEntropyWithAttrs(targets: Input, logits: Input, attrs: SigmoidAttrs): Tensor {
  return applyOp(sigmoidCrossEntropyWithLogitsOp, [targets, logits], attrs);
}
