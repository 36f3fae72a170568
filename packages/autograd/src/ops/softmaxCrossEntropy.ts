// Fused softmax cross entropy with logits, per row of the last (class) axis (docs/DESIGN.md, "Follow one gradient"):
//   ℓ = −Σ_c p_c log softmax(z)_c = Σ_c p_c (m − z_c) + (Σ_c p_c) log s,   m = max_c z_c,  s = Σ_c e^{z_c − m}
//   dℓ/dz_c = (Σ_k p_k)·softmax(z)_c − p_c      (= softmax(z) − p when the targets sum to 1)
// Forward (a @xent/tensor kernel) saves the residuals e = e^{z − m}, s and Σp; backward is one pass.
import { fromFlat, type Tensor, type TypedArray } from '@xent/tensor';
import { allocate, promote, softmaxCrossEntropyKernel, wasmSoftmaxCrossEntropyBackward } from '@xent/tensor/internal';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../opDef.js';
import { checkNotProbabilities, distributionRows } from './crossEntropyChecks.js';
import { lossOutput, upstream, type FusedLossAttrs } from './fusedLoss.js';

interface Residuals {
  p: TypedArray;
  /** e^{z − m} per element, s = Σ_c e^{z_c − m} and Σ_c p_c per row. */
  e: TypedArray;
  rowSum: TypedArray;
  targetSum: TypedArray;
  cols: number;
}

const softmaxCrossEntropyWithLogitsOp: OpDef<FusedLossAttrs, Residuals | null> = {
  name: 'softmaxCrossEntropyWithLogits',
  inputs: ['targets', 'logits'],
  differentiable: [false, true],
  forward([targets, logits], { divisor, onInvalidTargets }, { needsGrad }) {
    const where = 'softmaxCrossEntropyWithLogits';
    const { p, z, rows, cols } = distributionRows(where, targets, logits);
    const dtype = promote(logits.dtype);
    const lossType = promote(logits.dtype, targets.dtype);
    const loss = divisor === undefined ? allocate(lossType, rows) : null; // with a divisor only Σ ℓ is kept
    const r = needsGrad[1]
      ? { p, e: allocate(dtype, z.length), rowSum: allocate(dtype, rows), targetSum: allocate(dtype, rows), cols }
      : null;
    const check = onInvalidTargets !== undefined;
    const total = softmaxCrossEntropyKernel(p, z, rows, cols, loss, r && r.e, r && r.rowSum, r && r.targetSum, check);
    if (check && Number.isNaN(total)) onInvalidTargets();
    return { out: lossOutput(loss, total, logits.shape.slice(0, -1), lossType, divisor), saved: r };
  },
  backward(dy, saved, { inputs: [, logits], attrs, lastUse }) {
    const { p, e, rowSum, targetSum, cols } = saved!;
    const { g, step } = upstream(dy, attrs.divisor); // the dy of row r is g[r·step]
    const dz = lastUse ? e : allocate(promote(logits.dtype), e.length); // on the last use, written over e
    // The same pass on WebAssembly SIMD when the wasm backend is on (and the rows are many enough and not too many)
    if (wasmSoftmaxCrossEntropyBackward(e, p, rowSum, targetSum, g, step, cols, dz)) return [null, fromFlat(dz, logits.shape)];
    for (let r = 0, base = 0; r < rowSum.length; r++, base += cols) {
      // dz_c = ((Σp)·softmax(z)_c − p_c)·dy,  softmax(z)_c = e_c / s   ("+ 0" keeps a zero gradient +0)
      const k = targetSum[r] / rowSum[r];
      const gr = g[r * step];
      for (let c = base; c < base + cols; c++) dz[c] = (k * e[c] - p[c]) * gr + 0;
    }
    return [null, fromFlat(dz, logits.shape)];
  },
};

/** Per-row −Σ p log softmax(z) over the last axis. Targets get no gradient; logits get ((Σp)·softmax(z) − p)·dy. */
export const softmaxCrossEntropyWithLogits: BuiltinOp<[targets: Input, logits: Input]> = builtin(
  softmaxCrossEntropyWithLogitsOp,
  (apply) => (targets: Input, logits: Input) => {
    checkNotProbabilities(
      'softmaxCrossEntropyWithLogits',
      logits,
      'softmax',
      'for probabilities use categoricalCrossentropy of @xent/losses',
    );
    return apply([targets, logits], {});
  },
  2, // a further argument ({ axis }, { reduction }: options of the losses) is refused, not ignored
);

/**
 * softmaxCrossEntropyWithLogits with the attributes the losses fuse into its pass. { divisor } returns
 * (Σ ℓ) / divisor; { onInvalidTargets } checks that every target row is a distribution in the same pass.
 */
export function softmaxCrossEntropyWithAttrs(targets: Input, logits: Input, attrs: FusedLossAttrs): Tensor {
  return applyOp(softmaxCrossEntropyWithLogitsOp, [targets, logits], attrs);
}
