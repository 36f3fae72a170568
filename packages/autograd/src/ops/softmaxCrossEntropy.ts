// Fused softmax cross entropy with logits, per row of the last (class) axis:
//   ℓ = −Σ_c p_c log softmax(z)_c = Σ_c p_c (lse(z) − z_c),   lse(z) = m + log Σ_c e^{z_c − m},  m = max_c z_c
//   dℓ/dz_c = (Σ_k p_k)·softmax(z)_c − p_c      (= softmax(z) − p when the targets sum to 1)
// One pass for the max, one for the exponentials; backward reuses them (no exp).
import { XentError, allocate, fmtShape, fromFlat, promote, readFlat, type Tensor, type TypedArray } from '@xent/tensor';
import type { Input } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';
import { scaleByRows } from './rowGrad.js';

/** Shared shape checks of the softmax family: logits float, rank ≥ 1, at least 2 classes. */
export function checkLogits(where: string, logits: Tensor): number {
  if (logits.dtype === 'int32') {
    throw new XentError('DTYPE', `${where}: logits are int32; logits must be float — create them with dtype 'float64' or 'float32'.`);
  }
  if (logits.rank < 1) {
    throw new XentError('SHAPE_MISMATCH', `${where}: logits are a scalar; they need a class axis (the last one), e.g. shape [N, C].`);
  }
  const C = logits.view.shape[logits.rank - 1];
  if (C === 1) {
    throw new XentError(
      'SINGLE_CLASS_SOFTMAX',
      `${where}: the class axis of logits ${fmtShape(logits.shape)} has size 1, so softmax is always 1 and the loss and gradient are always 0; ` +
        `for one output unit (binary) use sigmoidCrossEntropyWithLogits.`,
    );
  }
  return C;
}

interface Saved {
  /** The gradient for dy = 1: (Σp)·softmax(z) − p, per element. */
  G: TypedArray;
  cols: number;
}

export const softmaxCrossEntropyWithLogitsOp: OpDef<void, Saved | null> = {
  name: 'softmaxCrossEntropyWithLogits',
  inputs: ['targets', 'logits'],
  differentiable: [false, true],
  forward([targets, logits], _attrs, { needsGrad }) {
    const where = 'softmaxCrossEntropyWithLogits';
    const cols = checkLogits(where, logits);
    const st = targets.shape;
    const sz = logits.shape;
    if (st.length !== sz.length || st.some((d, k) => d !== sz[k])) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: targets have shape ${fmtShape(st)} but logits have shape ${fmtShape(sz)}; they must be equal (one distribution per row).`,
      );
    }
    const z = readFlat(logits);
    const p = readFlat(targets);
    const rows = cols === 0 ? 0 : z.length / cols;
    const dtype = promote(logits.dtype, targets.dtype);
    const out = allocate(dtype, rows);
    // G holds e^{z − m} first, then becomes the unit gradient in the same row's last pass.
    const G = needsGrad[1] ? allocate(promote(logits.dtype), z.length) : null;
    for (let r = 0, base = 0; r < rows; r++, base += cols) {
      let m = -Infinity;
      for (let c = 0; c < cols; c++) if (z[base + c] > m) m = z[base + c];
      let s = 0;
      let acc = 0; // Σ p (m − z), summed term by term so small losses keep their digits
      let ps = 0;
      for (let c = 0; c < cols; c++) {
        const zc = z[base + c];
        const ec = Math.exp(zc - m);
        if (G !== null) G[base + c] = ec;
        s += ec;
        const pc = p[base + c];
        if (pc !== 0) {
          acc += pc * (m - zc);
          ps += pc;
        }
      }
      out[r] = acc + ps * Math.log(s);
      if (G !== null) {
        // dℓ/dz_c = Σp · e_c/Σe − p_c
        const k = ps / s;
        for (let c = 0; c < cols; c++) G[base + c] = k * G[base + c] - p[base + c];
      }
    }
    return { out: fromFlat(out, sz.slice(0, -1)), saved: G === null ? null : { G, cols } };
  },
  // dz = ((Σp)·softmax(z) − p) · dy, one dy per row
  backward: (dy, saved, { inputs: [, logits] }) => [null, scaleByRows(saved!.G, dy, logits.shape, saved!.cols, promote(logits.dtype))],
};

/** Per-row −Σ p log softmax(z) over the last axis. Targets get no gradient; logits get (softmax(z) − p)·dy. */
export const softmaxCrossEntropyWithLogits = (targets: Input, logits: Input): Tensor =>
  applyOp(softmaxCrossEntropyWithLogitsOp, [targets, logits], undefined);
