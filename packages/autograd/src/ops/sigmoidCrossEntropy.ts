// Fused sigmoid cross entropy with logits, elementwise:
//   ℓ = −[p log σ(z) + (1−p) log(1−σ(z))] = max(z,0) − z·p + log1p(e^{−|z|})
//   dℓ/dz = σ(z) − p
// With posWeight w (PyTorch pos_weight), ℓ = −[w·p log σ(z) + (1−p) log(1−σ(z))]:
//   ℓ = (1−p)·z + (1 + (w−1)p)·(log1p(e^{−|z|}) + max(−z,0))
//   dℓ/dz = (1−p) − (1 + (w−1)p)·(1 − σ(z))
// e^{−|z|} ≤ 1 never overflows, so loss and gradient are finite at |z| = 1e4.
import { Tensor, XentError, allocate, broadcastTo, fmtShape, fromFlat, promote, readFlat, type TypedArray } from '@xent/tensor';
import type { Input } from '../convert.js';
import { toTensor } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';
import { scaleByRows } from './rowGrad.js';

export interface SigmoidAttrs {
  /** Weight of the positive term, broadcast against the logits (usually one per class, shape [C]). */
  posWeight?: Tensor;
}

export const sigmoidCrossEntropyWithLogitsOp: OpDef<SigmoidAttrs, TypedArray | null> = {
  name: 'sigmoidCrossEntropyWithLogits',
  inputs: ['targets', 'logits'],
  differentiable: [false, true],
  forward([targets, logits], { posWeight }, { needsGrad }) {
    const where = 'sigmoidCrossEntropyWithLogits';
    if (logits.dtype === 'int32') {
      throw new XentError('DTYPE', `${where}: logits are int32; logits must be float — create them with dtype 'float64' or 'float32'.`);
    }
    const st = targets.shape;
    const sz = logits.shape;
    if (st.length !== sz.length || st.some((d, k) => d !== sz[k])) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: targets have shape ${fmtShape(st)} but logits have shape ${fmtShape(sz)}; they must be equal (one target per logit).`,
      );
    }
    const z = readFlat(logits);
    const p = readFlat(targets);
    const w = posWeight ? readFlat(broadcastTo(posWeight, sz, `${where} (posWeight)`)) : null;
    const n = z.length;
    const out = allocate(promote(logits.dtype, targets.dtype), n);
    // The unit gradient (dy = 1), computed with the loss from the same e^{−|z|}.
    const G = needsGrad[1] ? allocate(promote(logits.dtype), n) : null;
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      const e = Math.exp(-Math.abs(zi)); // in (0, 1]
      const l1 = Math.log1p(e);
      const pi = p[i];
      if (w === null) {
        out[i] = (zi > 0 ? zi : 0) - zi * pi + l1;
        if (G !== null) G[i] = (zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - pi; // σ(z) − p
      } else {
        const lw = 1 + (w[i] - 1) * pi;
        out[i] = (1 - pi) * zi + lw * (l1 + (zi < 0 ? -zi : 0));
        if (G !== null) G[i] = 1 - pi - lw * (zi >= 0 ? e / (1 + e) : 1 / (1 + e)); // (1−p) − lw·σ(−z)
      }
    }
    return { out: fromFlat(out, sz), saved: G };
  },
  // dz = G · dy elementwise
  backward: (dy, G, { inputs: [, logits] }) => [null, scaleByRows(G!, dy, logits.shape, 1, promote(logits.dtype))],
};

/** Elementwise −[w·p log σ(z) + (1−p) log(1−σ(z))]. Targets get no gradient; logits get (σ(z) − p)·dy (w = 1). */
export function sigmoidCrossEntropyWithLogits(targets: Input, logits: Input, posWeight?: Input): Tensor {
  return applyOp(
    sigmoidCrossEntropyWithLogitsOp,
    [targets, logits],
    posWeight === undefined ? {} : { posWeight: toTensor(posWeight, 'sigmoidCrossEntropyWithLogits', 'posWeight') },
  );
}
