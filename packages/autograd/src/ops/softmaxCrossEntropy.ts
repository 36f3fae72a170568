// Fused softmax cross entropy with logits, per row of the last (class) axis (docs/DESIGN.md, "Follow one gradient"):
//   ℓ = −Σ_c p_c log softmax(z)_c = Σ_c p_c (m − z_c) + (Σ_c p_c) log s,   m = max_c z_c,  s = Σ_c e^{z_c − m}
//   dℓ/dz_c = (Σ_k p_k)·softmax(z)_c − p_c      (= softmax(z) − p when the targets sum to 1)
// Forward (a @xent/tensor kernel) evaluates that gradient for the op's own dy scale (1, or 1/divisor) in its
// pass, while each row is in cache, and saves it; backward only multiplies it by dy (see scaledGradient).
import { fromFlat, readFlat, type Tensor } from '@xent/tensor';
import { allocate, promote, softmaxCrossEntropyKernel } from '@xent/tensor/internal';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../opDef.js';
import { checkLogits, checkSameShape } from './crossEntropyChecks.js';
import { gradScale, lossOutput, scaledGradient, type FusedGradient, type FusedLossAttrs } from './fusedLoss.js';

const softmaxCrossEntropyWithLogitsOp: OpDef<FusedLossAttrs, FusedGradient | null> = {
  name: 'softmaxCrossEntropyWithLogits',
  inputs: ['targets', 'logits'],
  differentiable: [false, true],
  forward([targets, logits], { divisor, onInvalidTargets }, { needsGrad }) {
    const where = 'softmaxCrossEntropyWithLogits';
    const cols = checkLogits(where, logits);
    checkSameShape(where, targets, logits, 'one distribution per row');
    const z = readFlat(logits);
    const p = readFlat(targets);
    const rows = cols === 0 ? 0 : z.length / cols;
    const dtype = promote(logits.dtype);
    const lossType = promote(logits.dtype, targets.dtype);
    const loss = divisor === undefined ? allocate(lossType, rows) : null; // with a divisor only Σ ℓ is kept
    // ((Σp)·softmax(z) − p)·scale per element, the gradient for the op's dy = 1
    const grad = needsGrad[1] ? allocate(dtype, z.length) : null;
    const check = onInvalidTargets !== undefined;
    const total = softmaxCrossEntropyKernel(p, z, rows, cols, loss, grad, null, null, check, gradScale(divisor));
    if (check && Number.isNaN(total)) onInvalidTargets();
    return { out: lossOutput(loss, total, logits.shape.slice(0, -1), lossType, divisor), saved: grad && { grad, width: cols } };
  },
  backward(dy, saved, { inputs: [, logits], lastUse }) {
    return [null, fromFlat(scaledGradient(saved!, dy, lastUse), logits.shape)];
  },
};

/** Per-row −Σ p log softmax(z) over the last axis. Targets get no gradient; logits get ((Σp)·softmax(z) − p)·dy. */
export const softmaxCrossEntropyWithLogits: BuiltinOp<[targets: Input, logits: Input]> = builtin(
  softmaxCrossEntropyWithLogitsOp,
  (apply) => (targets: Input, logits: Input) => apply([targets, logits], {}),
);

/**
 * softmaxCrossEntropyWithLogits with the attributes the losses fuse into its pass. { divisor } returns
 * (Σ ℓ) / divisor; { onInvalidTargets } checks that every target row is a distribution in the same pass.
 */
export function softmaxCrossEntropyWithAttrs(targets: Input, logits: Input, attrs: FusedLossAttrs): Tensor {
  return applyOp(softmaxCrossEntropyWithLogitsOp, [targets, logits], attrs);
}
