// Parameters as the optimizers see them: checked once (leaves that require a
// gradient, float, not aliased), named for messages, and exposed as flat
// row-major typed arrays that an update kernel can read and write in place.
import { Tensor, XentError, readFlat, type TypedArray } from '@xent/tensor';
import { bumpVersion, elementPositions, fmtShape, isContiguous, sameShape } from '@xent/tensor/internal';

/** The float storage a parameter can have; update kernels write into it. */
export type FloatArray = Float64Array | Float32Array;

/** How messages name a parameter: its name when set, always its index and shape. */
export function describeParam(p: Tensor, index: number): string {
  return p.name !== undefined && p.name !== ''
    ? `parameter '${p.name}' (index ${index}, shape ${fmtShape(p.shape)})`
    : `parameter ${index} (shape ${fmtShape(p.shape)})`;
}

/**
 * Flat access to one parameter's values. A contiguous parameter is updated
 * directly through a subarray of its data; any other layout (a transposed
 * or sliced view) is gathered into a scratch array of the same dtype and
 * scattered back, so both give bit-identical results.
 */
export class ParamSlot {
  readonly tensor: Tensor;
  /** Data positions of the elements in row-major order, or null when contiguous. */
  private readonly addresses: Int32Array | null;

  constructor(tensor: Tensor) {
    this.tensor = tensor;
    this.addresses = isContiguous(tensor) ? null : elementPositions(tensor.view.shape, tensor.view.stride, tensor.view.offset);
  }

  /** The values in row-major order; write into them, then call write(). */
  read(): FloatArray {
    const v = this.tensor.view;
    const data = v.data as FloatArray;
    const a = this.addresses;
    if (a === null) return data.subarray(v.offset, v.offset + this.tensor.size);
    const out = data instanceof Float32Array ? new Float32Array(a.length) : new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = data[a[i]];
    return out;
  }

  /**
   * Stores values obtained from read() (contiguous parameters were already written in place)
   * and bumps the parameter's version, so a backward through a graph that saved the old
   * values throws MODIFIED_IN_PLACE instead of giving the gradient at the new ones.
   */
  write(values: FloatArray): void {
    bumpVersion(this.tensor);
    const a = this.addresses;
    if (a === null) return;
    const data = this.tensor.view.data as FloatArray;
    for (let i = 0; i < a.length; i++) data[a[i]] = values[i];
  }

  /** True when two elements sit at the same data position (a zero-stride, broadcast view). */
  repeatsElements(): boolean {
    return this.addresses !== null && new Set(this.addresses).size !== this.addresses.length;
  }

  /** Every data position the parameter owns (for the aliasing check). */
  positions(): Int32Array {
    if (this.addresses !== null) return this.addresses;
    const v = this.tensor.view;
    return Int32Array.from({ length: this.tensor.size }, (_, i) => v.offset + i);
  }
}

/** The byte range [lo, hi) of a tensor's buffer that its elements can touch. */
function byteRange(t: Tensor): [number, number] {
  const v = t.view;
  let lo = v.offset;
  let hi = v.offset;
  v.shape.forEach((n, k) => {
    const step = v.stride[k] * (n - 1);
    if (step > 0) hi += step;
    else lo += step;
  });
  const bpe = v.data.BYTES_PER_ELEMENT;
  return [v.data.byteOffset + lo * bpe, v.data.byteOffset + (hi + 1) * bpe];
}

/**
 * Checks an optimizer's parameter list and returns one slot per parameter.
 * Refuses: an empty list, non-tensors, tensors that are not leaves requiring a
 * gradient, integer tensors, views that repeat an element (broadcast views),
 * and parameters listed twice or sharing memory (they would be updated twice).
 */
export function checkParams(owner: string, params: Iterable<Tensor>): ParamSlot[] {
  if (params === null || params === undefined || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw new XentError('INVALID_ARGUMENT', `${owner}: params must be an array of parameters made with param(), got ${String(params)}.`);
  }
  const list = [...params];
  if (list.length === 0) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: got an empty parameter list; pass the tensors to train, e.g. new ${owner}([W, b], …) with W = param(zeros([…])).`,
    );
  }
  const slots = list.map((p, i) => {
    if (!(p instanceof Tensor)) {
      throw new XentError('INVALID_ARGUMENT', `${owner}: params[${i}] is not a Tensor (got ${typeof p}); pass tensors made with param().`);
    }
    const what = describeParam(p, i);
    if (p.dtype !== 'float64' && p.dtype !== 'float32') {
      throw new XentError(
        'DTYPE',
        `${owner}: ${what} has dtype ${p.dtype}; parameters must be float64 or float32 — create it with param(zeros(shape)).`,
      );
    }
    if (p.node !== null) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: ${what} is the output of a recorded op, not a leaf; an optimizer updates leaves — pass the tensors made with param() that it was computed from.`,
      );
    }
    if (!p.requiresGrad) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: ${what} does not require a gradient, so backward() never fills its .grad; wrap it with param(t) to make it trainable.`,
      );
    }
    const slot = new ParamSlot(p);
    if (slot.repeatsElements()) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: ${what} is a view that repeats elements (a broadcast, zero-stride view), which cannot be updated element by element; make it with param(clone(t)).`,
      );
    }
    return slot;
  });
  checkListedOnce(owner, list, 'it would be updated twice per step');
  const shared = findSharedMemory(slots);
  if (shared !== null) {
    const [j, i] = shared;
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: ${describeParam(list[i], i)} shares memory with ${describeParam(list[j], j)}; list each parameter once (shared values would be updated twice per step).`,
    );
  }
  return slots;
}

/** Refuses a parameter listed twice; `why` says what would go wrong (updated twice, counted twice). */
export function checkListedOnce(owner: string, list: readonly Tensor[], why: string): void {
  const seen = new Map<Tensor, number>();
  list.forEach((p, i) => {
    const j = seen.get(p);
    if (j !== undefined) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: ${describeParam(p, i)} is the same tensor as params[${j}]; list each parameter once (${why}).`,
      );
    }
    seen.set(p, i);
  });
}

/**
 * The first pair [j, i] (j < i) of parameters that share an element of memory, or null.
 * O(n) for n parameters: only parameters on the same buffer are compared, by sorting their
 * byte ranges; only where ranges overlap are the element addresses of that buffer's
 * parameters collected (strided views may interleave without sharing anything).
 */
function findSharedMemory(slots: readonly ParamSlot[]): [number, number] | null {
  const byBuffer = new Map<ArrayBufferLike, number[]>();
  slots.forEach((s, i) => {
    if (s.tensor.size === 0) return;
    const buffer = s.tensor.view.data.buffer;
    const group = byBuffer.get(buffer);
    if (group) group.push(i);
    else byBuffer.set(buffer, [i]);
  });
  for (const group of byBuffer.values()) {
    if (group.length < 2) continue;
    const ranges = group.map((i) => [i, ...byteRange(slots[i].tensor)]).sort((a, b) => a[1] - b[1]);
    let end = -Infinity;
    const overlap = ranges.some(([, lo, hi]) => {
      const hit = lo < end;
      end = Math.max(end, hi);
      return hit;
    });
    if (overlap) {
      const owner = new Map<number, number>(); // byte address → parameter index
      for (const i of group) {
        const data = slots[i].tensor.view.data;
        const bpe = data.BYTES_PER_ELEMENT;
        for (const pos of slots[i].positions()) {
          for (let b = 0; b < bpe; b++) {
            const addr = data.byteOffset + pos * bpe + b;
            const j = owner.get(addr);
            if (j !== undefined && j !== i) return [j, i];
            owner.set(addr, i);
          }
        }
      }
    }
  }
  return null;
}

/**
 * Reads every parameter's gradient as a flat row-major array, or null where
 * .grad is null (that parameter is skipped). Checks all of them before the
 * caller updates anything: an int32 gradient is 'DTYPE', one of the wrong shape 'SHAPE_MISMATCH',
 * a NaN or ±Infinity is 'NON_FINITE_GRADIENT', naming the parameter.
 */
export function readGrads(owner: string, params: readonly Tensor[], unchanged = 'no parameter was updated'): (TypedArray | null)[] {
  return params.map((p, i) => {
    const g = p.grad;
    if (g === null || g === undefined) return null;
    if (!(g instanceof Tensor)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: the .grad of ${describeParam(p, i)} is not a Tensor (got ${typeof g}); set it to a Tensor or null.`,
      );
    }
    if (g.dtype === 'int32') {
      // clipGradNorm would write its scaled copy into an Int32Array: [3, 4] clipped to norm 1 became [0, 0].
      throw new XentError(
        'DTYPE',
        `${owner}: the gradient of ${describeParam(p, i)} is int32; gradients are float, like their parameter (${p.dtype}) — set .grad to a float tensor, e.g. tensor(values).`,
      );
    }
    if (!sameShape(p.shape, g.shape)) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${owner}: the gradient of ${describeParam(p, i)} has shape ${fmtShape(g.shape)}; it must have the parameter's shape — a gradient set by hand must match it.`,
      );
    }
    const flat = readFlat(g);
    for (let k = 0; k < flat.length; k++) {
      const x = flat[k];
      if (x - x !== 0) {
        // x − x is 0 for every finite x, NaN for NaN and ±Infinity.
        throw new XentError(
          'NON_FINITE_GRADIENT',
          `${owner}: the gradient of ${describeParam(p, i)} holds ${x} at flat index ${k}; ${unchanged}. ` +
            `Look for an overflow or a log/division of 0 in the loss (use the *WithLogits losses), lower lr, or clip with clipGradNorm.`,
        );
      }
    }
    return flat;
  });
}
