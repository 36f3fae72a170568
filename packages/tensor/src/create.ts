import { allocate, type DType, type TypedArray } from './dtype.js';
import { XentError, fmtShape } from './errors.js';
import { Rng } from './random.js';
import { Tensor, fromFlat, readFlat, type NestedArray } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  shape?: readonly number[];
}

/** Anything tensor() accepts. */
export type TensorLike = Tensor | NestedArray | TypedArray | readonly number[];

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/**
 * Copies nested arrays of the inferred shape into `out` in row-major order,
 * checking on the way that the nesting is rectangular (one pass, no temporaries).
 */
function fillNested(values: NestedArray, shape: readonly number[], out: TypedArray, where: string): void {
  let pos = 0;
  const ragged = (path: number[], found: string, expected: string): never => {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: ragged nested array — at [${path.join(', ')}] found ${found}, expected ${expected} (inferred shape ${fmtShape(shape)}); make every row the same length.`,
    );
  };
  const walk = (x: NestedArray, axis: number, path: number[]): void => {
    const n = shape[axis];
    if (!Array.isArray(x) || x.length !== n) {
      ragged(path, Array.isArray(x) ? `length ${x.length}` : 'a number', `length ${n}`);
      return;
    }
    if (axis === shape.length - 1) {
      for (let i = 0; i < n; i++) {
        const y = x[i];
        if (typeof y !== 'number') ragged([...path, i], 'a nested array', 'a number');
        out[pos++] = y as number;
      }
      return;
    }
    for (let i = 0; i < n; i++) walk(x[i], axis + 1, path.length < 8 ? [...path, i] : path);
  };
  if (shape.length === 0) out[0] = values as number;
  else walk(values, 0, []);
}

/**
 * tensor(values, { dtype?, shape? }): from nested arrays, a typed array, or a
 * flat array with `shape`. Typed arrays are used without copying when the dtype
 * matches. The dtype defaults to the typed array's, else float64.
 */
export function tensor(values: TensorLike, options: TensorOptions = {}): Tensor {
  if (values instanceof Tensor) {
    const dtype = options.dtype ?? values.dtype;
    if (options.shape) return fromFlat(copyAs(readFlat(values), dtype), options.shape);
    return dtype !== values.dtype ? fromFlat(copyAs(readFlat(values), dtype), values.shape) : values;
  }
  if (ArrayBuffer.isView(values)) {
    const data = values as TypedArray;
    const dtype = options.dtype ?? (data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'float64');
    const shape = options.shape ?? [data.length];
    return fromFlat(data instanceof arrayType(dtype) ? data : copyAs(data, dtype), shape);
  }
  const dtype = options.dtype ?? 'float64';
  if (typeof values === 'number') {
    const data = allocate(dtype, 1);
    data[0] = values;
    return fromFlat(data, options.shape ?? []);
  }
  const nested = values as NestedArray;
  const inferred = inferShape(nested);
  const data = allocate(
    dtype,
    inferred.reduce((a, b) => a * b, 1),
  );
  fillNested(nested, inferred, data, 'tensor');
  return fromFlat(data, options.shape ?? inferred);
}

function arrayType(dtype: DType): Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor {
  return dtype === 'float64' ? Float64Array : dtype === 'float32' ? Float32Array : Int32Array;
}

function copyAs(data: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocate(dtype, data.length);
  out.set(data);
  return out;
}

function checkShape(shape: readonly number[], where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${where}: shape ${fmtShape(shape)} has the entry ${d}; every entry must be a whole number ≥ 0.`,
      );
    }
  }
}

/** A tensor of shape `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float64'): Tensor {
  checkShape(shape, 'full');
  const data = allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  if (value !== 0) data.fill(value);
  return fromFlat(data, shape);
}

export function zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return full(shape, 1, dtype);
}

/** zeros/ones with the shape and dtype of t. */
export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, t.dtype);
}
export function onesLike(t: Tensor): Tensor {
  return ones(t.shape, t.dtype);
}

/** The n×n identity (or n×m). */
export function eye(n: number, m: number = n, dtype: DType = 'float64'): Tensor {
  const t = zeros([n, m], dtype);
  const d = t.view.data;
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return t;
}

/** start, start+step, … up to (not including) stop, like numpy.arange. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float64'): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new XentError('INVALID_ARGUMENT', `arange: step is ${step}; pass a finite, non-zero step.`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return fromFlat(data, [n]);
}

/**
 * oneHot(labels, depth): labels of shape S (int32 or whole-number floats)
 * give a float64 tensor of shape [...S, depth].
 */
export function oneHot(labels: TensorLike, depth: number, dtype: DType = 'float64'): Tensor {
  const t = labels instanceof Tensor ? labels : tensor(labels);
  if (!Number.isInteger(depth) || depth < 1)
    throw new XentError('INVALID_ARGUMENT', `oneHot: depth is ${depth}; pass the number of classes, a whole number ≥ 1.`);
  const flat = readFlat(t);
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

/** Uniform values in [lo, hi) from a seeded generator (pass an Rng or a seed). */
export function rand(shape: readonly number[], rng: Rng | number, { lo = 0, hi = 1, dtype = 'float64' as DType } = {}): Tensor {
  checkShape(shape, 'rand');
  const g = typeof rng === 'number' ? new Rng(rng) : rng;
  const t = zeros(shape, dtype);
  const d = t.view.data;
  for (let i = 0; i < d.length; i++) d[i] = g.uniform(lo, hi);
  return t;
}

/** Normal values N(mean, std²) from a seeded generator (pass an Rng or a seed). */
export function randn(shape: readonly number[], rng: Rng | number, { mean = 0, std = 1, dtype = 'float64' as DType } = {}): Tensor {
  checkShape(shape, 'randn');
  const g = typeof rng === 'number' ? new Rng(rng) : rng;
  const t = zeros(shape, dtype);
  const d = t.view.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  return t;
}
