// In-place writes are counted per storage (PyTorch's _version): every view of the same
// ArrayBuffer shares one count (one count per element in the scalar pool, scalarPool.ts). Each write also takes a number from one global write
// clock, so @xent/autograd records a single number per op (the clock when it ran) and,
// at backward, looks at the saved tensors only if the clock moved since: O(1) per op,
// nothing looked up in the common case where nothing was written.
import { XentError, checkArgCount, fmtShape } from './errors.js';
import { isGradEnabled } from './gradMode.js';
import { checkValues, describe } from './input.js';
import { sameShape } from './layout.js';
import { Tensor, checkHasData, isContiguous, readFlat } from './tensor.js';

interface Writes {
  /** How many writes this storage has had. */
  count: number;
  /** The write clock at the last one. */
  last: number;
}
const writes = new WeakMap<ArrayBufferLike, Writes>();
/** Buffers whose elements belong to unrelated tensors (the scalar pool): writes are counted per byte address. */
const perElement = new WeakSet<ArrayBufferLike>();
const elementWrites = new WeakMap<ArrayBufferLike, Map<number, Writes>>();
let clock = 0;

/** Counts the writes to each element of buffer apart (for a buffer shared by unrelated one-value tensors). */
export function countWritesPerElement(buffer: ArrayBufferLike): void {
  perElement.add(buffer);
}

/** The writes to the storage under t, if any. */
function writesOf(t: Tensor): Writes | undefined {
  const { data, offset } = t.view;
  if (!perElement.has(data.buffer)) return writes.get(data.buffer);
  return elementWrites.get(data.buffer)?.get(data.byteOffset + offset * data.BYTES_PER_ELEMENT);
}

/** How many sanctioned in-place writes the storage under t has had (0 for a fresh tensor). */
export function versionOf(t: Tensor): number {
  return clock === 0 ? 0 : (writesOf(t)?.count ?? 0);
}

/** The global write clock: the number of sanctioned in-place writes so far, to any tensor. */
export function writeClock(): number {
  return clock;
}

/** True when the storage under t was written after the write clock showed `since`. */
export function writtenSince(t: Tensor, since: number): boolean {
  return clock !== since && (writesOf(t)?.last ?? 0) > since;
}

/**
 * Records that t's storage was written in place (optimizers call it after every step).
 * Any code that writes into a tensor's data must call it, so that a backward through a
 * graph that saved the old values fails instead of giving a wrong gradient.
 */
export function bumpVersion(t: Tensor): void {
  const w = writesOf(t);
  clock++;
  if (w !== undefined) {
    w.count++;
    w.last = clock;
    return;
  }
  const { data, offset } = t.view;
  const b = data.buffer;
  if (!perElement.has(b)) writes.set(b, { count: 1, last: clock });
  else {
    if (!elementWrites.has(b)) elementWrites.set(b, new Map());
    elementWrites.get(b)!.set(data.byteOffset + offset * data.BYTES_PER_ELEMENT, { count: 1, last: clock });
  }
}

/**
 * copyInto(dst, src): writes src's values into dst in place (the sanctioned way to refill
 * a buffer, e.g. a batch) and bumps dst's version. Shapes must be equal; dst must not
 * require a gradient while gradients are recorded (do it inside noGrad), must not be a
 * broadcast view (several elements on one memory cell), and must be able to hold every
 * value (int32: whole numbers; float32: within its range). src may overlap dst (it is read first).
 */
export function copyInto(dst: Tensor, src: Tensor): void {
  checkArgCount('copyInto', arguments.length, 2, "pass (dst, src): all of src is written into dst, whose shape must equal src's");
  writeInto(dst, src, 'copyInto');
}

/** copyInto for the packages: `where` names the public function in messages (assignInPlace). */
export function writeInto(dst: Tensor, src: Tensor, where: string): void {
  for (const [name, t] of [['dst', dst] as const, ['src', src] as const]) {
    if (!(t instanceof Tensor))
      throw new XentError('INVALID_ARGUMENT', `${where}: ${name} is ${describe(t)}; pass a Tensor (tensor(values) makes one).`);
  }
  checkHasData(dst);
  checkHasData(src);
  if (!sameShape(dst.view.shape, src.view.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: dst has shape ${fmtShape(dst.shape)} but src has shape ${fmtShape(src.shape)}; they must be equal.`,
    );
  }
  if (dst.requiresGrad && isGradEnabled()) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: dst requires a gradient and gradients are being recorded; write parameters inside noGrad(() => …).`,
    );
  }
  if (dst.view.shape.some((d, k) => d > 1 && dst.view.stride[k] === 0)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: dst of shape ${fmtShape(dst.shape)} is a broadcast view (several elements share one memory cell), so the write would be ambiguous; write into the tensor it was broadcast from, or into clone(dst).`,
    );
  }
  let values = readFlat(src);
  checkValues(values, dst.dtype, where, 'src');
  if (values.buffer === dst.view.data.buffer) values = values.slice(); // overlapping: read everything before writing
  const v = dst.view;
  if (isContiguous(dst) && values.constructor === v.data.constructor) {
    // One block of the same dtype: TypedArray.set copies the bytes, so every bit survives
    // (a float32 signalling NaN read into a JS number comes back quietened).
    v.data.set(values, v.offset);
    bumpVersion(dst);
    return;
  }
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
