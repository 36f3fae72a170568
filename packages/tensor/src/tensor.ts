import ndarray, { type NdArray } from 'ndarray';
import { allocate, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { XentError, checkArgCount, fmtShape } from './errors.js';
import { isGradEnabled } from './gradMode.js';
import { describe } from './input.js';
import { unravelIndex } from './layout.js';
import { assign } from './strided.js';
import { versionOf } from './version.js';

/** What @xent/autograd hangs on a tensor it recorded; opaque to this package. */
export interface GradNode {
  readonly id: number;
}

/** Nested number arrays of any depth: 3, [1, 2], [[1, 2], [3, 4]], … */
export type NestedArray = number | NestedArray[];

/**
 * Refuses storage the kernels cannot read (`where` names the caller): anything but a Float64Array, Float32Array or
 * Int32Array. A Uint8Array or a plain array was tagged int32 and written modulo 256; bigints broke the kernels.
 */
function checkStorage(data: unknown, where: string): void {
  if (!(data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array)) {
    throw new XentError('INVALID_ARGUMENT', `${where}: data is ${describe(data)}; pass a Float64Array, Float32Array or Int32Array.`);
  }
}

/** The refusal of an argument that must be a Tensor (`which`: 'first' or 'second'), naming what was found. */
export function notATensor(name: string, which: string, x: unknown): XentError {
  return new XentError('INVALID_ARGUMENT', `${name}: the ${which} argument is ${describe(x)}; pass a Tensor.`);
}

/**
 * A Tensor is an ndarray view (data, shape, stride, offset) plus a dtype.
 * Views share data: broadcasting is a zero-stride view, transpose permutes
 * strides. Tensors are never mutated by ops; only optimizers write into
 * parameters, in place, under noGrad.
 */
export class Tensor {
  readonly view: NdArray<TypedArray>;
  readonly dtype: DType;
  /** Set by @xent/autograd: true for parameters and for recorded op outputs. */
  requiresGrad = false;
  /** Accumulated gradient of a leaf after backward() (PyTorch style). */
  grad: Tensor | null = null;
  /** The recorded op that made this tensor, if any (set by @xent/autograd). */
  node: GradNode | null = null;
  /** Optional label used in graph printing and error messages. */
  name: string | undefined = undefined;

  /**
   * Wraps an ndarray view (no copy). Throws INVALID_ARGUMENT unless its data is a Float64Array, Float32Array or
   * Int32Array, SHAPE_MISMATCH for a size that is not a whole number ≥ 0 or data too short for the view.
   */
  constructor(view: NdArray<TypedArray>) {
    const { shape, stride, offset, data } = view ?? {}; // new Tensor(null) is refused below: its data is undefined
    checkStorage(data, 'Tensor');
    // ndarray does not check that the data covers the view: check the nearest and farthest element.
    let lo = offset;
    let hi = offset;
    let size = 1;
    for (let k = 0; k < shape.length; k++) {
      if (!(shape[k] >= 0 && Number.isInteger(shape[k]))) {
        throw new XentError('SHAPE_MISMATCH', `Tensor: shape is ${fmtShape(shape)}; pass whole sizes ≥ 0.`);
      }
      const step = stride[k] * (shape[k] - 1);
      if (step > 0) hi += step;
      else lo += step;
      size *= shape[k];
    }
    if (size > 0 && (lo < 0 || hi >= data.length)) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `Tensor: data of length ${data.length} is too short for shape ${fmtShape(shape)} ` +
          `(needs ${size} elements); pass data with exactly as many values as the shape holds.`,
      );
    }
    this.view = view;
    this.dtype = dtypeOf(data);
  }

  /** The extent of each axis, e.g. [2, 3] (a fresh copy: changing it changes nothing); [] for a scalar. */
  get shape(): number[] {
    return this.view.shape.slice();
  }
  /** The number of axes: shape.length (0 for a scalar). */
  get rank(): number {
    return this.view.shape.length;
  }
  /** How many in-place writes its storage has had (PyTorch's _version); see bumpVersion. */
  get version(): number {
    return versionOf(this);
  }
  /** The number of elements: the product of the shape (1 for a scalar, 0 when an axis is 0). */
  get size(): number {
    let n = 1;
    for (const d of this.view.shape) n *= d;
    return n;
  }

  /** The values in row-major order (a no-copy subarray when the view is contiguous). Do not write into it. */
  values(): TypedArray {
    return readFlat(this);
  }

  /** Nested JS arrays; a scalar (rank 0) gives a number. */
  toArray(): NestedArray {
    const flat = readFlat(this);
    const shape = this.view.shape;
    if (shape.length === 0) return flat[0];
    let pos = 0;
    const build = (axis: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < shape[axis]; i++) out.push(axis === shape.length - 1 ? flat[pos++] : build(axis + 1));
      return out;
    };
    return build(0);
  }

  /** The one value of a tensor with a single element. */
  item(): number {
    // NumPy's t.item(1) is entry 1 (refused on a one-element array), PyTorch's item() takes nothing: here the index was dropped.
    checkArgCount('Tensor.item', arguments.length, 0, 'for entry i read t.values()[i]');
    if (this.size !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `Tensor.item: found shape ${fmtShape(this.shape)} with ${this.size} elements; item() needs exactly one — reduce first (sum, mean) or index it.`,
      );
    }
    return readFlat(this)[0];
  }

  /** The values printed like PyTorch, e.g. `tensor([[1., 2.]], dtype=float64)` (see formatTensor). */
  toString(): string {
    return formatTensor(this);
  }

  /**
   * JavaScript's implicit conversions: a tensor used as a number (`loss < best`, `t * 2`, `Math.max(t)`)
   * is its one value, like Python's float(t) — never NaN, which would make `loss < best` silently false.
   * Refused: a tensor of several values, and one that requires a gradient while gradients are recorded
   * (`w * 2` would be a plain number, cut off from the graph). In strings (`${t}`, `'x' + t`) it prints as toString().
   */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint !== 'number') return this.toString();
    if (this.requiresGrad && isGradEnabled()) {
      throw new XentError(
        'NO_GRADIENT',
        `Tensor: a tensor that requires a gradient was used as a plain number (in <, >, *, Math.…), cut off from the graph; ` +
          `call .item() to read its value (loss.item() < best), or use the ops (mul, add, …).`,
      );
    }
    if (this.size !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `Tensor: a tensor of shape ${fmtShape(this.shape)} was used as a number (in <, >, *, Math.…); call .item() on a single value, or reduce it first (sum, mean).`,
      );
    }
    return readFlat(this)[0];
  }
}

// ---------------------------------------------------------------- layout helpers

/** Row-major strides for a shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    stride[k] = s;
    s *= shape[k];
  }
  return stride;
}

/** True when the view walks its data in row-major order without gaps (axes of size 1 may have any stride). */
export function isContiguous(t: Tensor): boolean {
  const { shape, stride } = t.view;
  let expected = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (shape[k] !== 1 && stride[k] !== expected) return false;
    expected *= shape[k];
  }
  return true;
}

/** The refusal for a tensor whose shared typed array was transferred away after the tensor was made from it. */
function detachedData(t: Tensor): XentError {
  return new XentError(
    'INVALID_ARGUMENT',
    `Tensor: a tensor of shape ${fmtShape(t.shape)} has lost its data: the typed array it shares (tensor() does not copy it) was transferred; make it from a copy (values.slice()).`,
  );
}

/** Whether the tensor's typed array was transferred away (it then reads as empty). */
const lostData = (t: Tensor): boolean => t.view.data.length === 0 && t.size > 0;

/** Throws INVALID_ARGUMENT when the tensor's typed array was transferred away. */
export function checkHasData(t: Tensor): void {
  if (lostData(t)) throw detachedData(t);
}

/** How to call readFlat and contiguous, which take the tensor only (readFlat(t, out) left out unwritten, a dtype was dropped). */
const ALONE = 'pass the tensor only (no out argument; cast(t, dtype) converts)';

/** Values in row-major order: a subarray (no copy) when contiguous, else one strided copy. */
export function readFlat(t: Tensor): TypedArray {
  checkArgCount('readFlat', arguments.length, 1, ALONE);
  if (!(t instanceof Tensor)) throw notATensor('readFlat', 'first', t);
  const v = t.view;
  const size = t.size;
  checkHasData(t);
  if (isContiguous(t))
    return v.offset === 0 && v.data.length === size ? v.data : (v.data.subarray(v.offset, v.offset + size) as TypedArray);
  const out = allocate(t.dtype, size);
  // One value broadcast everywhere (the dy that sum's backward sends): a fill, not a strided walk.
  if (v.stride.every((s) => s === 0)) out.fill(v.data[v.offset]);
  else assign(makeView(out, v.shape), v);
  return out;
}

// ndarray compiles one view class per (dtype, rank); its wrapper re-detects the dtype on
// every call, which dominates for small tensors. We keep each class and call it directly
// (about 2× on the autograd-overhead bench), with no code generation of our own.
type ViewClass = new (...args: unknown[]) => NdArray<TypedArray>;
const viewClasses: Record<string, ViewClass[]> = { float64: [], float32: [], int32: [] };

/** An ndarray view (data, shape, stride, offset); row-major strides by default. No copy. */
export function makeView(data: TypedArray, shape: readonly number[], stride?: readonly number[], offset = 0): NdArray<TypedArray> {
  const d = shape.length;
  const classes = viewClasses[dtypeOf(data)];
  const C = classes[d] ?? (classes[d] = ndarray(data, new Array<number>(d).fill(1)).constructor as ViewClass);
  // The class takes (data, shape…, stride…, offset).
  const s = stride;
  switch (d) {
    case 0:
      return new C(data, offset);
    case 1:
      return new C(data, shape[0], s ? s[0] : 1, offset);
    case 2:
      return new C(data, shape[0], shape[1], s ? s[0] : shape[1], s ? s[1] : 1, offset);
    case 3:
      return new C(data, shape[0], shape[1], shape[2], s ? s[0] : shape[1] * shape[2], s ? s[1] : shape[2], s ? s[2] : 1, offset);
    default:
      return new C(data, ...shape, ...(s ?? rowMajorStrides(shape)), offset);
  }
}

/**
 * Wraps a row-major typed array as a tensor (no copy). Throws INVALID_ARGUMENT for data that is not a
 * Float64Array, Float32Array or Int32Array (a Uint8Array or a plain array was tagged int32 and written
 * modulo 256, or held bigints), SHAPE_MISMATCH for a shape that is not whole sizes ≥ 0 or does not hold data.length values.
 */
export function fromFlat(data: TypedArray, shape: readonly number[]): Tensor {
  checkArgCount('fromFlat', arguments.length, 2, 'tensor(data, { dtype, shape }) converts');
  checkStorage(data, 'fromFlat');
  let size = Array.isArray(shape) ? 1 : NaN;
  for (let k = 0; k < shape?.length; k++) size *= Number.isInteger(shape[k]) && shape[k] >= 0 ? shape[k] : NaN;
  if (Number.isNaN(size)) {
    throw new XentError('SHAPE_MISMATCH', `fromFlat: shape is ${String(shape)}; pass whole sizes ≥ 0.`);
  }
  if (data.length !== size) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `tensor: found ${data.length} values for shape ${fmtShape(shape)}, which holds ${size}; pass exactly ${size} values or another shape.`,
    );
  }
  return new Tensor(makeView(data, shape));
}

/**
 * A contiguous tensor with the same values (the same tensor when already contiguous). While recording, the copy of a
 * tensor that requires a gradient is refused (NO_GRADIENT), as clone: it would be a constant, and the gradient lost.
 */
export function contiguous(t: Tensor): Tensor {
  checkArgCount('contiguous', arguments.length, 1, ALONE);
  if (!(t instanceof Tensor)) throw notATensor('contiguous', 'first', t);
  if (isContiguous(t) && t.view.offset === 0 && t.view.data.length === t.size) return t;
  if (t.requiresGrad && isGradEnabled()) {
    throw new XentError(
      'NO_GRADIENT',
      `contiguous: t requires a gradient, which a copy would lose; use reshape(t, t.shape) from @xent/autograd, or contiguous(detach(t)).`,
    );
  }
  return fromFlat(readFlat(t), t.shape);
}

/** A fresh contiguous copy that shares nothing with t. */
export function clone(t: Tensor): Tensor {
  const flat = readFlat(t);
  return fromFlat(flat.slice() as TypedArray, t.shape);
}

/**
 * Converts to another dtype (a copy; int32 truncates toward zero). Throws
 * INVALID_ARGUMENT for NaN, ±Infinity or a value outside int32 when casting to int32.
 */
export function cast(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = allocate(dtype, t.size);
  const src = readFlat(t);
  if (dtype === 'int32') {
    // Truncation toward zero is what a cast means; NaN, ±Infinity and values outside int32 have no int32 (they would wrap).
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (!(v > -2147483649 && v < 2147483648)) {
        throw new XentError(
          'INVALID_ARGUMENT',
          `cast: flat index ${i} holds ${v}, which has no int32 value (whole numbers in [-2147483648, 2147483647] after truncation); ` +
            `clip or replace it first.`,
        );
      }
    }
  }
  out.set(src);
  return fromFlat(out, t.shape);
}

// ---------------------------------------------------------------- printing

/** A float needs scientific notation below 1e-4 or from 1e8 (0 never does). */
const needsExponent = (x: number): boolean => x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e8);

/** One entry; `exponent` is decided for the whole tensor (as PyTorch): all printed finite values in e-notation, or none. */
function formatNumber(x: number, dtype: DType, exponent: boolean): string {
  if (dtype === 'int32') return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (exponent) return x.toExponential(4);
  if (Number.isInteger(x)) return Object.is(x, -0) ? '-0.' : `${x}.`;
  return String(Number(x.toPrecision(6)));
}

/** numpy-like print: tensor([[1., 2.], [3., 4.]], dtype=float64); long axes are elided with '...'. */
export function formatTensor(t: Tensor): string {
  const shape = t.view.shape;
  if (lostData(t)) return `tensor(<no data: its typed array was transferred>, shape=${fmtShape(shape)}, dtype=${t.dtype})`;
  const strides = rowMajorStrides(shape);
  const elide = t.size > 1000;
  // Only the printed entries are read and formatted: a huge tensor prints in constant time.
  const shown = (n: number): (number | null)[] => {
    const idx: (number | null)[] = [];
    if (elide && n > 6) idx.push(0, 1, 2, null, n - 3, n - 2, n - 1);
    else for (let i = 0; i < n; i++) idx.push(i);
    return idx;
  };
  const values = new Map<number, number>();
  const collect = (axis: number, base: number): void => {
    if (axis === shape.length) values.set(base, t.view.get(...unravelIndex(base, shape)));
    else for (const i of shown(shape[axis])) if (i !== null) collect(axis + 1, base + i * strides[axis]);
  };
  collect(0, 0);
  const exponent = [...values.values()].some((x) => Number.isFinite(x) && needsExponent(x));
  const cells = new Map([...values].map(([at, x]) => [at, formatNumber(x, t.dtype, exponent)]));
  let width = 1;
  for (const c of cells.values()) if (c.length > width) width = c.length;
  const indent = 'tensor('.length;
  const render = (axis: number, base: number): string => {
    if (axis === shape.length) return (cells.get(base) as string).padStart(width);
    const parts = shown(shape[axis]).map((i) => (i === null ? '...' : render(axis + 1, base + i * strides[axis])));
    const sep = axis === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - axis - 1) + ' '.repeat(indent + axis + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? (cells.get(0) as string) : render(0, 0);
  return `tensor(${body}, dtype=${t.dtype})`;
}
