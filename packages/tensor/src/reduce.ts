import { allocate, promote, type TypedArray } from './dtype.js';
import { XentError, checkArgCount, fmtShape } from './errors.js';
import { describe } from './input.js';
import { booleanOption, parseOptions } from './options.js';
import { invertPermutation, normalizeAxes, normalizeAxis, transpose } from './shape.js';
import { accumulate } from './strided.js';
import { Tensor, fromFlat, isContiguous, makeView, readFlat } from './tensor.js';
import { simdKernels, wasmColumnSums, type FloatOut } from './wasm/elementwise.js';

/** Options of the reductions (sum, mean, max, min, …). */
export interface ReduceOptions {
  /** Keep reduced axes as size 1 (default false). */
  keepDims?: boolean;
}

const REDUCE_OPTIONS = { keepDims: booleanOption(false) };
/** keepDims through the shared validator: { keepdims: true } is INVALID_OPTION naming `owner`, not silently a reduced shape. */
export function keepDimsOf(owner: string, options: unknown): boolean {
  return options === undefined ? false : parseOptions(owner, options, REDUCE_OPTIONS).keepDims;
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, k) => {
    if (!axes.includes(k)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * Reduces over `axes` by accumulating into a zero-stride view of the result
 * (one strided accumulate: +, max or min, see strided.ts). Reducing
 * the last axis of contiguous data, or everything, runs a flat loop instead.
 */
function reduce(
  kind: 'sum' | 'max' | 'min',
  x: Tensor,
  axes: number | readonly number[] | undefined,
  keepDims: boolean,
  where: string = kind,
): Tensor {
  const shape = x.shape;
  const ax = normalizeAxes(axes, shape.length, where);
  const outShape = reducedShape(shape, ax, keepDims);
  const dtype = promote(x.dtype);
  const init = kind === 'sum' ? 0 : kind === 'max' ? -Infinity : Infinity;
  if ((kind === 'max' || kind === 'min') && ax.some((k) => shape[k] === 0)) {
    throw new XentError('SHAPE_MISMATCH', `${where}: cannot take the ${kind} over an empty axis of shape ${fmtShape(shape)}.`);
  }
  const inner = ax.length === 0 ? 1 : ax.every((k, i) => k === shape.length - ax.length + i) ? ax.reduce((p, k) => p * shape[k], 1) : 0;
  if (inner > 0 && isContiguous(x)) {
    // Trailing axes of contiguous data: rows × inner, one loop per row.
    const src = readFlat(x);
    const rows = src.length / inner;
    const out = allocate(dtype, rows);
    for (let r = 0; r < rows; r++) {
      let acc = init;
      const base = r * inner;
      if (kind === 'sum') for (let i = 0; i < inner; i++) acc += src[base + i];
      else if (kind === 'max')
        for (let i = 0; i < inner; i++) {
          const v = src[base + i];
          acc = v > acc || v !== v ? v : acc;
        }
      else
        for (let i = 0; i < inner; i++) {
          const v = src[base + i];
          acc = v < acc || v !== v ? v : acc;
        }
      out[r] = acc;
    }
    return fromFlat(out, outShape);
  }
  const out = allocate(
    dtype,
    reducedShape(shape, ax, false).reduce((p, d) => p * d, 1),
  );
  // Leading axes of contiguous data ([rows, …] summed over rows): column sums on the SIMD kernels, same order.
  const kv = kind === 'sum' && ax.every((k, i) => k === i) && isContiguous(x) ? simdKernels(x.size, dtype, x.dtype) : null;
  if (kv !== null) {
    wasmColumnSums(kv, readFlat(x), x.size / out.length, out.length, out as FloatOut);
    return fromFlat(out, outShape);
  }
  if (init !== 0) out.fill(init);
  // A view of `out` with the input's shape: stride 0 along reduced axes, so each input element lands on its output.
  const keptShape = shape.filter((_, k) => !ax.includes(k));
  const keptStride = keptShape.map((_, i) => keptShape.slice(i + 1).reduce((p, d) => p * d, 1));
  let j = 0;
  const stride = shape.map((_, k) => (ax.includes(k) ? 0 : keptStride[j++]));
  const acc = makeView(out, shape, stride, 0);
  if (x.size > 0) accumulate(kind, acc, x.view);
  return fromFlat(out, outShape);
}

export function sum(x: Tensor, axes?: number | readonly number[], options?: ReduceOptions): Tensor {
  return reduce('sum', x, axes, keepDimsOf('sum', options));
}
export function max(x: Tensor, axes?: number | readonly number[], options?: ReduceOptions): Tensor {
  return reduce('max', x, axes, keepDimsOf('max', options));
}
export function min(x: Tensor, axes?: number | readonly number[], options?: ReduceOptions): Tensor {
  return reduce('min', x, axes, keepDimsOf('min', options));
}
/** Mean over axes: the sum divided by the number of reduced elements. */
export function mean(x: Tensor, axes?: number | readonly number[], options?: ReduceOptions): Tensor {
  const s = reduce('sum', x, axes, keepDimsOf('mean', options), 'mean');
  const ax = normalizeAxes(axes, x.rank, 'mean'); // [] for a scalar: n = 1
  const n = ax.reduce((p, k) => p * x.view.shape[k], 1);
  const d = s.view.data;
  for (let i = 0; i < d.length; i++) d[i] /= n;
  return s;
}

// ---------------------------------------------------------------- rows along one axis

/** The data moved so that `axis` is last and contiguous: rows × cols in row-major order. */
export interface Rows {
  data: TypedArray;
  rows: number;
  cols: number;
  /** Shape of the moved tensor (axis last). */
  movedShape: number[];
  /** Permutation that moved the axis last (identity when it already was). */
  perm: number[];
}

/**
 * x as rows × cols with `axis` last: the data as it is when `axis` is already the last axis of contiguous data,
 * else one transposed copy. `where` names the calling function in errors (AXIS_OUT_OF_RANGE). fromRows undoes it.
 */
export function toRows(x: Tensor, axis: number, where: string): Rows {
  const r = x.rank;
  const a = normalizeAxis(axis, r, where);
  // A scalar is one row of one column.
  if (r === 0) return { data: readFlat(x), rows: 1, cols: 1, movedShape: [], perm: [] };
  const perm = Array.from({ length: r }, (_, k) => k).filter((k) => k !== a);
  perm.push(a);
  const moved = a === r - 1 ? x : transpose(x, perm);
  const data = readFlat(moved);
  const cols = x.view.shape[a];
  // Count rows from the other axes, so an empty axis still gives one (empty) row per position.
  const rows = x.view.shape.reduce((p, d, k) => (k === a ? p : p * d), 1);
  return { data, rows, cols, movedShape: moved.shape, perm };
}

/** Puts row results back: undoes toRows's permutation on a tensor of the moved shape. */
export function fromRows(data: TypedArray, rows: Rows): Tensor {
  const t = fromFlat(data, rows.movedShape);
  const identity = rows.perm.every((p, k) => p === k);
  if (identity) return t;
  const back = transpose(t, invertPermutation(rows.perm));
  return fromFlat(readFlat(back), back.shape);
}

/** The largest value of a row, or NaN when the row holds a NaN (−∞ for an empty row). */
function rowMax(x: TypedArray, base: number, cols: number): number {
  let m = -Infinity;
  for (let c = 0; c < cols; c++) {
    const v = x[base + c];
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/** out[r] = log Σ_c exp(x[r,c]), max-shifted: m + log Σ exp(x − m). A row of all −∞ gives −∞; a NaN gives NaN. */
export function logSumExpRows(x: TypedArray, rows: number, cols: number, out: TypedArray): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const m = rowMax(x, base, cols);
    if (m === -Infinity || m !== m) {
      out[r] = m;
      continue;
    }
    if (m === Infinity) {
      out[r] = Infinity;
      continue;
    }
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[base + c] - m);
    out[r] = m + Math.log(s);
  }
}

/** out[r,c] = exp(x[r,c] − m_r) / Σ exp(x[r,·] − m_r). */
export function softmaxRows(x: TypedArray, rows: number, cols: number, out: TypedArray): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = -Infinity;
    for (let c = 0; c < cols; c++) if (x[base + c] > m) m = x[base + c];
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(x[base + c] - m);
      out[base + c] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let c = 0; c < cols; c++) out[base + c] *= inv;
  }
}

/**
 * out[r,c] = x[r,c] − logsumexp(x[r,·]), computed as (x − m) − log Σ exp(x − m) so that
 * large logits lose no digits to m + log(s) rounding (exact at ±1e4).
 */
export function logSoftmaxRows(x: TypedArray, rows: number, cols: number, out: TypedArray): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = -Infinity;
    for (let c = 0; c < cols; c++) if (x[base + c] > m) m = x[base + c];
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[base + c] - m);
    const logS = Math.log(s);
    for (let c = 0; c < cols; c++) out[base + c] = x[base + c] - m - logS;
  }
}

/** log Σ exp(x) along one axis (default the last), max-shifted so it never overflows. */
export function logSumExp(x: Tensor, axis = -1, options?: ReduceOptions): Tensor {
  const keepDims = keepDimsOf('logSumExp', options);
  const rows = toRows(x, axis, 'logSumExp');
  const out = allocate(promote(x.dtype), rows.rows);
  logSumExpRows(rows.data, rows.rows, rows.cols, out);
  const shape = x.shape;
  const a = normalizeAxis(axis, shape.length, 'logSumExp');
  if (shape.length > 0) {
    if (keepDims) shape[a] = 1;
    else shape.splice(a, 1);
  }
  return fromFlat(out, shape);
}

/** softmax along one axis (default the last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  const rows = toRows(x, axis, 'softmax');
  const out = allocate(promote(x.dtype), rows.data.length);
  softmaxRows(rows.data, rows.rows, rows.cols, out);
  return fromRows(out, rows);
}

/** log softmax along one axis (default the last): x − logsumexp(x). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const rows = toRows(x, axis, 'logSoftmax');
  const out = allocate(promote(x.dtype), rows.data.length);
  logSoftmaxRows(rows.data, rows.rows, rows.cols, out);
  return fromRows(out, rows);
}

function argReduce(x: Tensor, axis: number, better: (a: number, b: number) => boolean, where: string, args: number): Tensor {
  // argmax(x, 1, true) (NumPy's keepdims) gave the reduced shape without a word, which then broadcasts against [N, 1] labels.
  checkArgCount(where, args, 2, `it keeps no axis — expandDims(${where}(x, axis), axis) keeps one`);
  if (!(x instanceof Tensor)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: the first argument is ${describe(x)}; pass a Tensor (make one with tensor(values)).`,
    );
  }
  const rows = toRows(x, axis, where);
  if (rows.cols === 0) throw new XentError('SHAPE_MISMATCH', `${where}: axis ${axis} of shape ${fmtShape(x.shape)} is empty.`);
  const out = new Int32Array(rows.rows);
  for (let r = 0; r < rows.rows; r++) {
    const base = r * rows.cols;
    let best = 0;
    // The first NaN wins, as in NumPy and PyTorch (and consistent with max/min, which propagate NaN).
    if (rows.data[base] === rows.data[base]) {
      for (let c = 1; c < rows.cols; c++) {
        const v = rows.data[base + c];
        if (v !== v) {
          best = c;
          break;
        }
        if (better(v, rows.data[base + best])) best = c;
      }
    }
    out[r] = best;
  }
  const shape = x.shape;
  if (shape.length > 0) shape.splice(normalizeAxis(axis, shape.length, where), 1);
  return fromFlat(out, shape);
}

/** Index of the largest value along an axis (first one on ties), as int32. */
export function argmax(x: Tensor, axis = -1): Tensor {
  return argReduce(x, axis, (a, b) => a > b, 'argmax', arguments.length);
}
/** Index of the smallest value along an axis (first one on ties), as int32. */
export function argmin(x: Tensor, axis = -1): Tensor {
  return argReduce(x, axis, (a, b) => a < b, 'argmin', arguments.length);
}
