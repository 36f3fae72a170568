import { allocate, type DType, type TypedArray } from './dtype.js';
import { XentError, checkArgCount, fmtShape } from './errors.js';
import { isGradEnabled } from './gradMode.js';
import { Rng } from './random.js';
import { Tensor, fromFlat, readFlat, type NestedArray } from './tensor.js';
import {
  FLOAT32_MAX,
  MAX_RANK,
  checkDtype,
  checkFinite,
  checkShape,
  checkSize,
  checkValue,
  checkValues,
  describe,
  readOptions,
} from './input.js';

/** Options of tensor(): the dtype (default float64, or the typed array's own) and a shape for flat data. */
export interface TensorOptions {
  dtype?: DType;
  shape?: readonly number[];
}

/** Typed arrays read by value (copied to float64 unless a dtype is given). */
export type OtherTypedArray = Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array | Uint32Array;

/** Anything tensor() accepts. */
export type TensorLike = Tensor | NestedArray | TypedArray | OtherTypedArray | readonly number[];

/** A typed array xent reads numbers from (not a DataView, not a BigInt64Array). */
type NumberArray = Exclude<ArrayBufferView, DataView | BigInt64Array | BigUint64Array> & ArrayLike<number>;

/** An array or typed array that nesting can descend into. */
function isRow(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** Refuses views that hold no numbers: DataView (bytes) and BigInt arrays. */
function checkView(x: ArrayBufferView, where: string, at: string): asserts x is NumberArray {
  if (x instanceof DataView) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: ${at} is a DataView (raw bytes); wrap the bytes in a typed array, e.g. new Float64Array(view.buffer).`,
    );
  }
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: ${at} is a ${x.constructor.name} (bigints); convert it to numbers, e.g. Float64Array.from(${at}, Number).`,
    );
  }
  if (x.byteLength === 0 && isDetached(x.buffer)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: ${at} is a ${x.constructor.name} whose ArrayBuffer was transferred, so it holds nothing; make it from a copy (values.slice()) before transferring.`,
    );
  }
}

/** True for an ArrayBuffer that was transferred away (no `detached` property before Node 22). */
function isDetached(b: ArrayBufferLike): boolean {
  try {
    new Uint8Array(b);
    return false;
  } catch {
    return true;
  }
}

/** A resizable or growable buffer can shrink under a tensor that shares it: such arrays are copied. */
function mayResize(b: ArrayBufferLike): boolean {
  const r = b as { resizable?: boolean; growable?: boolean };
  return r.resizable === true || r.growable === true;
}

/** The shape of nested arrays, read down the first entries (at most MAX_RANK axes, so a cycle stops). */
function inferShape(values: unknown, where: string, name: string): number[] {
  const shape: number[] = [];
  let v = values;
  while (isRow(v)) {
    if (shape.length === MAX_RANK) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${where}: ${name} is nested more than ${MAX_RANK} levels deep (or contains itself); pass at most ${MAX_RANK} levels of plain arrays.`,
      );
    }
    if (ArrayBuffer.isView(v)) checkView(v, where, `${name}${shape.map(() => '[0]').join('')}`);
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/**
 * Copies nested arrays of the inferred shape into `out` in row-major order,
 * checking on the way that the nesting is rectangular and every entry a number
 * that `out`'s dtype holds exactly (one pass, no temporaries).
 */
function fillNested(values: unknown, shape: readonly number[], out: TypedArray, dtype: DType, where: string, name: string): void {
  let pos = 0;
  const at = (path: readonly number[]) => `${name}${path.map((i) => `[${i}]`).join('')}`;
  const ragged = (path: number[], found: string, expected: string): never => {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: ragged nested array — at ${fmtShape(path)} (${at(path)}) found ${found}, expected ${expected} (inferred shape ${fmtShape(shape)}); make every row the same length.`,
    );
  };
  const entry = (x: ArrayLike<unknown>, i: number, path: number[]): unknown => {
    const y = x[i];
    if (y === undefined && Array.isArray(x) && !(i in x)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${where}: ${at([...path, i])} is a hole (an empty slot of a sparse array); fill every entry with a number.`,
      );
    }
    return y;
  };
  // Axes are walked with an explicit path; the depth is at most MAX_RANK.
  const walk = (x: unknown, axis: number, path: number[]): void => {
    const n = shape[axis];
    if (!isRow(x)) {
      if (typeof x !== 'number') checkValue(x, dtype, where, at(path));
      return ragged(path, 'a number', `an array of length ${n}`);
    }
    if (ArrayBuffer.isView(x)) checkView(x, where, at(path));
    if (x.length !== n) ragged(path, `length ${x.length}`, `length ${n}`);
    if (axis === shape.length - 1) {
      for (let i = 0; i < n; i++) {
        const y = entry(x, i, path);
        if (typeof y !== 'number' && isRow(y)) ragged([...path, i], `a nested array of length ${y.length}`, 'a number');
        checkValue(y, dtype, where, at([...path, i]));
        out[pos++] = y as number;
      }
      return;
    }
    for (let i = 0; i < n; i++) walk(entry(x, i, path), axis + 1, [...path, i]);
  };
  walk(values, 0, []);
}

/**
 * The conversion behind tensor() and every function that takes a TensorLike:
 * a Tensor, a number, a typed array (not DataView or BigInt64Array) or nested
 * arrays of numbers (typed arrays may be the innermost rows). Messages name
 * `where` (the function) and `name` (the argument).
 */
export function toTensorArg(values: unknown, where: string, name: string, options?: TensorOptions): Tensor {
  const { dtype: given, shape } = readOptions<TensorOptions>(options, ['dtype', 'shape'], where);
  if (given !== undefined) checkDtype(given, where);
  if (shape !== undefined) checkShape(shape, where, 'options.shape');
  if (values instanceof Tensor) {
    const dtype = given ?? values.dtype;
    if (dtype === values.dtype && !shape) return values;
    if (values.requiresGrad && isGradEnabled()) {
      // The copy below is a new constant: the gradient of everything computed from it would silently not reach values.
      throw new XentError(
        'NO_GRADIENT',
        `${where}: ${name} requires a gradient, which a converted copy would lose; use reshape from @xent/autograd for a shape, ` +
          `mix dtypes in the ops (float32 with float64 gives float64), or convert detach(${name}).`,
      );
    }
    const flat = readFlat(values);
    if (dtype !== values.dtype) checkValues(flat, dtype, where, name);
    return fromFlat(dtype === values.dtype ? flat.slice() : copyAs(flat, dtype), shape ?? values.shape);
  }
  if (ArrayBuffer.isView(values)) {
    checkView(values, where, name);
    const data = values;
    const dtype = given ?? (data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'float64');
    if (!(data instanceof arrayType(dtype))) checkValues(data, dtype, where, name);
    const same = data instanceof arrayType(dtype);
    const own = same && mayResize(data.buffer) ? (data.slice() as TypedArray) : (data as TypedArray);
    return fromFlat(same ? own : copyAs(data, dtype), shape ?? [data.length]);
  }
  const dtype = given ?? 'float64';
  if (!isRow(values)) {
    if (typeof values !== 'number') {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${where}: ${name} is ${describe(values)}; pass a Tensor, a number, a typed array or nested arrays of numbers.`,
      );
    }
    checkValue(values, dtype, where, name);
    const data = allocate(dtype, 1);
    data[0] = values;
    return fromFlat(data, shape ?? []);
  }
  const inferred = inferShape(values, where, name);
  const data = allocate(dtype, checkShape(inferred, where, `${name} (inferred shape)`));
  fillNested(values, inferred, data, dtype, where, name);
  return fromFlat(data, shape ?? inferred);
}

/**
 * tensor(values, { dtype?, shape? }): from nested arrays, a typed array, or a
 * flat array with `shape`. Typed arrays are used without copying when the dtype
 * matches. The dtype defaults to the typed array's, else float64.
 *
 * Throws INVALID_ARGUMENT for an entry that is not a number (naming its
 * position and type), a value the dtype cannot hold exactly (NaN, 1.5 or 2^40
 * as int32; 1e39 as float32), more than 32 axes or more than 2^28 elements;
 * SHAPE_MISMATCH for ragged nesting or a `shape` that holds another count;
 * DTYPE for a dtype other than 'float64', 'float32', 'int32'; INVALID_OPTION for
 * an unknown option.
 */
export function tensor(values: TensorLike, options?: TensorOptions): Tensor {
  checkArgCount('tensor', arguments.length, 2, 'pass (values, { dtype, shape })');
  return toTensorArg(values, 'tensor', 'values', options);
}

function arrayType(dtype: DType): Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor {
  return dtype === 'float64' ? Float64Array : dtype === 'float32' ? Float32Array : Int32Array;
}

function copyAs(data: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocate(dtype, data.length);
  out.set(data);
  return out;
}

/**
 * full(shape, value, dtype = 'float64'): a tensor of shape `shape` filled with
 * `value`. Throws INVALID_ARGUMENT for a bad shape (not whole numbers ≥ 0, more
 * than 2^28 elements) or a value the dtype cannot hold; DTYPE for an unknown dtype.
 */
export function full(shape: readonly number[], value: number, dtype: DType = 'float64'): Tensor {
  checkArgCount('full', arguments.length, 3, 'pass (shape, value, dtype)');
  return filled(shape, value, dtype, 'full');
}

/** full() with the caller's name in messages. */
function filled(shape: readonly number[], value: number, dtype: DType, where: string): Tensor {
  checkDtype(dtype, where);
  const size = checkShape(shape, where);
  checkValue(value, dtype, where, 'value');
  const data = allocate(dtype, size);
  if (value !== 0) data.fill(value);
  return fromFlat(data, shape);
}

/** zeros(shape, dtype = 'float64'): a tensor of zeros (errors as for full). */
export function zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  checkArgCount('zeros', arguments.length, 2, 'pass (shape, dtype)');
  return filled(shape, 0, dtype, 'zeros');
}

/** ones(shape, dtype = 'float64'): a tensor of ones (errors as for full). */
export function ones(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  checkArgCount('ones', arguments.length, 2, 'pass (shape, dtype)');
  return filled(shape, 1, dtype, 'ones');
}

/** zeros with the shape and dtype of t (one argument: zeros(t.shape, dtype) gives another dtype). */
export function zerosLike(t: Tensor): Tensor {
  return zeros(asTensorArg(t, 'zerosLike', arguments.length).shape, t.dtype);
}
/** ones with the shape and dtype of t (one argument: ones(t.shape, dtype) gives another dtype). */
export function onesLike(t: Tensor): Tensor {
  return ones(asTensorArg(t, 'onesLike', arguments.length).shape, t.dtype);
}

/** The one argument of zerosLike/onesLike: a Tensor, whose dtype the result keeps (zerosLike(t, 'float32') is refused, not float64). */
function asTensorArg(t: unknown, where: string, n: number): Tensor {
  checkArgCount(where, n, 1, `the result has t's dtype; for another, call ${where.slice(0, -4)}(t.shape, dtype)`);
  if (t instanceof Tensor) return t;
  throw new XentError('INVALID_ARGUMENT', `${where}: t is ${describe(t)}; pass a Tensor.`);
}

/** eye(n, m = n, dtype = 'float64'): the n×m matrix with ones on the diagonal (errors as for full). */
export function eye(n: number, m: number = n, dtype: DType = 'float64'): Tensor {
  checkArgCount('eye', arguments.length, 3, 'pass (n, m, dtype)');
  const t = filled([n, m], 0, dtype, 'eye');
  const d = t.view.data;
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return t;
}

/**
 * arange(start, stop, step = 1, dtype = 'float64'): start, start+step, … up to
 * (not including) stop, like numpy.arange; arange(n) is 0, 1, …, n−1. Throws
 * INVALID_ARGUMENT for a non-finite start/stop/step, step 0, more than 2^28
 * values, or non-whole values with dtype 'int32'.
 */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float64'): Tensor {
  checkArgCount('arange', arguments.length, 4, 'pass (start, stop, step, dtype)');
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  checkFinite(start, 'arange', 'start');
  checkFinite(stop, 'arange', 'stop');
  checkFinite(step, 'arange', 'step');
  if (step === 0) throw new XentError('INVALID_ARGUMENT', `arange: step is 0; pass a finite, non-zero step.`);
  checkDtype(dtype, 'arange');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize(n, 'arange', `the range from ${start} to ${stop} by ${step}`);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    const v = start + i * step;
    if (dtype !== 'float64') checkValue(v, dtype, 'arange', `value ${i}`);
    data[i] = v;
  }
  return fromFlat(data, [n]);
}

/**
 * oneHot(labels, depth, dtype = 'float64'): labels of shape S (int32 or
 * whole-number floats) give a tensor of shape [...S, depth] with a 1 at each
 * label. Throws LABEL_OUT_OF_RANGE for a label outside [0, depth) or not whole,
 * INVALID_ARGUMENT for a depth that is not a whole number ≥ 1.
 */
export function oneHot(labels: TensorLike, depth: number, dtype: DType = 'float64'): Tensor {
  checkArgCount('oneHot', arguments.length, 3, 'pass (labels, depth, dtype)');
  const t = toTensorArg(labels, 'oneHot', 'labels');
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `oneHot: depth is ${typeof depth === 'number' ? depth : describe(depth)}; pass the number of classes, a whole number ≥ 1.`,
    );
  }
  checkDtype(dtype, 'oneHot');
  const flat = readFlat(t);
  checkSize(flat.length * depth, 'oneHot', `the result of shape ${fmtShape([...t.shape, depth])}`);
  const out = allocate(dtype, flat.length * depth);
  for (let i = 0; i < flat.length; i++) {
    const y = flat[i];
    if (!Number.isInteger(y) || y < 0 || y >= depth) {
      throw new XentError('LABEL_OUT_OF_RANGE', `oneHot: labels[${i}] is ${y}; labels must be whole numbers in [0, ${depth}).`);
    }
    out[i * depth + y] = 1;
  }
  return fromFlat(out, [...t.shape, depth]);
}

/** Options of rand and randn. */
export interface RandomOptions {
  lo?: number;
  hi?: number;
  mean?: number;
  std?: number;
  dtype?: DType;
}

/** The generator behind rand/randn: an Rng, or a seed (a whole number) for a new one. */
function generator(rng: unknown, where: string): Rng {
  if (rng instanceof Rng) return rng;
  if (typeof rng === 'number' && Number.isInteger(rng)) return new Rng(rng);
  throw new XentError(
    'INVALID_ARGUMENT',
    `${where}: rng is ${typeof rng === 'number' ? rng : describe(rng)}; pass an Rng or a whole-number seed (e.g. 42).`,
  );
}

/** A float tensor to fill with random values, after the common checks of rand/randn. */
function randomTarget(shape: readonly number[], dtype: DType, where: string): Tensor {
  checkDtype(dtype, where);
  if (dtype === 'int32') {
    throw new XentError('DTYPE', `${where}: dtype is 'int32'; random values are floats — use 'float64' or 'float32'.`);
  }
  return filled(shape, 0, dtype, where);
}

/**
 * rand(shape, rng, { lo = 0, hi = 1, dtype = 'float64' }): uniform values in
 * [lo, hi) from a seeded generator (an Rng or a seed). lo and hi must be finite
 * with lo ≤ hi; dtype float.
 */
export function rand(shape: readonly number[], rng: Rng | number, options?: Pick<RandomOptions, 'lo' | 'hi' | 'dtype'>): Tensor {
  checkArgCount('rand', arguments.length, 3, 'pass (shape, rng, { lo, hi, dtype })');
  const { lo = 0, hi = 1, dtype = 'float64' } = readOptions<RandomOptions>(options, ['lo', 'hi', 'dtype'], 'rand');
  checkFinite(lo, 'rand', 'options.lo');
  checkFinite(hi, 'rand', 'options.hi');
  if (lo > hi) throw new XentError('INVALID_OPTION', `rand: options.lo ${lo} is above options.hi ${hi}; pass lo ≤ hi.`);
  const t = randomTarget(shape, dtype, 'rand');
  // Bounds a float32 cannot hold would give ±Infinity values.
  checkValue(lo, dtype, 'rand', 'options.lo');
  checkValue(hi, dtype, 'rand', 'options.hi');
  const g = generator(rng, 'rand');
  const d = t.view.data;
  for (let i = 0; i < d.length; i++) d[i] = g.uniform(lo, hi);
  return t;
}

/**
 * randn(shape, rng, { mean = 0, std = 1, dtype = 'float64' }): normal values
 * N(mean, std²) from a seeded generator (an Rng or a seed). mean finite, std
 * finite and ≥ 0; dtype float.
 */
export function randn(shape: readonly number[], rng: Rng | number, options?: Pick<RandomOptions, 'mean' | 'std' | 'dtype'>): Tensor {
  checkArgCount('randn', arguments.length, 3, 'pass (shape, rng, { mean, std, dtype })');
  const { mean = 0, std = 1, dtype = 'float64' } = readOptions<RandomOptions>(options, ['mean', 'std', 'dtype'], 'randn');
  checkFinite(mean, 'randn', 'options.mean');
  checkFinite(std, 'randn', 'options.std');
  if (std < 0) throw new XentError('INVALID_OPTION', `randn: options.std is ${std}; a standard deviation is ≥ 0.`);
  const t = randomTarget(shape, dtype, 'randn');
  // Box–Muller from 32-bit uniforms never leaves ±6.67 standard deviations: beyond the dtype's largest value a sample would be ±Infinity.
  const largest = dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  if (Math.abs(mean) + 6.67 * std > largest) {
    throw new XentError(
      'INVALID_OPTION',
      `randn: options.mean ${mean} with options.std ${std} gives values beyond ${dtype}'s largest value ${largest} (they would be Infinity); pass a smaller mean or std${dtype === 'float32' ? ", or dtype 'float64'" : ''}.`,
    );
  }
  const g = generator(rng, 'randn');
  const d = t.view.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  return t;
}
