// In-place writes are counted per storage (PyTorch's _version): every view of the same
// buffer shares one counter. @xent/autograd notes the versions of the tensors an op
// saved and refuses a backward through one that was written since (MODIFIED_IN_PLACE).
import { XentError } from './errors.js';
import type { Tensor } from './tensor.js';
import { isGradEnabled } from './gradMode.js';
import { readFlat } from './tensor.js';
import { sameShape } from './layout.js';
import { fmtShape } from './errors.js';

const versions = new WeakMap<ArrayBufferLike, number>();

/** How many sanctioned in-place writes the storage under t has had (0 for a fresh tensor). */
export function versionOf(t: Tensor): number {
  return versions.get(t.view.data.buffer) ?? 0;
}

/**
 * Records that t's storage was written in place (optimizers call it after every step).
 * Any code that writes into a tensor's data must call it, so that a backward through a
 * graph that saved the old values fails instead of giving a wrong gradient.
 */
export function bumpVersion(t: Tensor): void {
  const b = t.view.data.buffer;
  versions.set(b, (versions.get(b) ?? 0) + 1);
}

/**
 * copyInto(dst, src): writes src's values into dst in place (the sanctioned way to refill
 * a buffer, e.g. a batch) and bumps dst's version. Shapes must be equal; dst must not
 * require a gradient while gradients are recorded (do it inside noGrad).
 */
export function copyInto(dst: Tensor, src: Tensor): void {
  if (!sameShape(dst.view.shape, src.view.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `copyInto: dst has shape ${fmtShape(dst.shape)} but src has shape ${fmtShape(src.shape)}; they must be equal.`,
    );
  }
  if (dst.requiresGrad && isGradEnabled()) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `copyInto: dst requires a gradient and gradients are being recorded; write parameters inside noGrad(() => …).`,
    );
  }
  const values = readFlat(src);
  const v = dst.view;
  const { shape, stride } = v;
  const idx = new Array<number>(shape.length).fill(0);
  // Walk dst's elements in row-major order, writing through its strides.
  for (let i = 0; i < values.length; i++) {
    let pos = v.offset;
    for (let k = 0; k < shape.length; k++) pos += idx[k] * stride[k];
    v.data[pos] = values[i];
    for (let k = shape.length - 1; k >= 0 && ++idx[k] === shape[k]; k--) idx[k] = 0;
  }
  bumpVersion(dst);
}
