import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { allocate, promote, type DType } from './dtype.js';
import { XentError } from './errors.js';
import { broadcastShapes, broadcastTo } from './shape.js';
import { Tensor, fromFlat, isContiguous, readFlat } from './tensor.js';

/** A Tensor or a plain number (a constant that takes the other operand's float dtype). */
export type Operand = Tensor | number;

function asTensor(x: Operand, dtype: DType): Tensor {
  if (x instanceof Tensor) return x;
  const d = allocate(dtype === 'int32' ? 'float64' : dtype, 1);
  d[0] = x;
  return fromFlat(d, []);
}

// ---------------------------------------------------------------- unary

type UnaryKernel = (x: Tensor) => Tensor;

/** Builds a unary kernel: one flat loop over contiguous values, keeping the float dtype. */
function unary(f: (x: number) => number): UnaryKernel {
  return (x: Tensor): Tensor => {
    const src = readFlat(x);
    const out = allocate(promote(x.dtype), src.length);
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
    return fromFlat(out, x.shape);
  };
}

export const neg = unary((x) => -x);
export const exp = unary(Math.exp);
export const log = unary(Math.log);
export const log1p = unary(Math.log1p);
export const expm1 = unary(Math.expm1);
export const abs = unary(Math.abs);
export const sqrt = unary(Math.sqrt);
export const square = unary((x) => x * x);
export const reciprocal = unary((x) => 1 / x);
export const sign = unary(Math.sign);
export const tanh = unary(Math.tanh);
export const relu = unary((x) => (x > 0 ? x : 0));
/** σ(x) = 1/(1+e^−x), evaluated so that e^{|x|} never overflows: finite and exact at ±1e4. */
export const sigmoid = unary((x) => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
});
/** softplus(x) = log(1+e^x) = max(x,0) + log1p(e^−|x|): no overflow for large x. */
export const softplus = unary((x) => (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))));
/** log σ(x) = −softplus(−x) = min(x,0) − log1p(e^−|x|), stable for both signs (and +0, not −0, for large x). */
export const logSigmoid = unary((x) => (x < 0 ? x : 0) - Math.log1p(Math.exp(-Math.abs(x))));

/** Clips values to [lo, hi]. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new XentError('INVALID_ARGUMENT', `clip: lo (${lo}) must not exceed hi (${hi}).`);
  const src = readFlat(x);
  const out = allocate(promote(x.dtype), src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return fromFlat(out, x.shape);
}

// ---------------------------------------------------------------- binary

type CwiseBinary = (out: ndarray.NdArray, a: ndarray.NdArray, b: ndarray.NdArray) => unknown;

/**
 * Builds a broadcasting binary kernel. Equal shapes on contiguous data run one
 * flat loop; anything else runs ndarray-ops over zero-stride views (no copies).
 */
function binary(name: string, f: (a: number, b: number) => number, cwise: CwiseBinary) {
  return (a: Operand, b: Operand): Tensor => {
    const ta = asTensor(a, b instanceof Tensor ? b.dtype : 'float64');
    const tb = asTensor(b, ta.dtype);
    const dtype = promote(ta.dtype, tb.dtype);
    const sa = ta.view.shape;
    const sb = tb.view.shape;
    const same = sa.length === sb.length && sa.every((d, k) => d === sb[k]);
    if (same && isContiguous(ta) && isContiguous(tb)) {
      const x = readFlat(ta);
      const y = readFlat(tb);
      const out = allocate(dtype, x.length);
      for (let i = 0; i < x.length; i++) out[i] = f(x[i], y[i]);
      return fromFlat(out, sa);
    }
    // One side a single value (a scalar constant, a [1] bias): a flat loop against it.
    if (tb.size === 1 && sa.length >= sb.length && isContiguous(ta)) {
      const x = readFlat(ta);
      const v = readFlat(tb)[0];
      const out = allocate(dtype, x.length);
      for (let i = 0; i < x.length; i++) out[i] = f(x[i], v);
      return fromFlat(out, sa);
    }
    if (ta.size === 1 && sb.length >= sa.length && isContiguous(tb)) {
      const u = readFlat(ta)[0];
      const y = readFlat(tb);
      const out = allocate(dtype, y.length);
      for (let i = 0; i < y.length; i++) out[i] = f(u, y[i]);
      return fromFlat(out, sb);
    }
    const shape = same ? sa.slice() : broadcastShapes(sa, sb, name);
    const out = fromFlat(allocate(dtype, shape.reduce((p, d) => p * d, 1)), shape);
    if (out.size > 0) cwise(out.view, broadcastTo(ta, shape, name).view, broadcastTo(tb, shape, name).view);
    return out;
  };
}

export const add = binary('add', (a, b) => a + b, ops.add);
export const sub = binary('sub', (a, b) => a - b, ops.sub);
export const mul = binary('mul', (a, b) => a * b, ops.mul);
export const div = binary('div', (a, b) => a / b, ops.div);
export const pow = binary('pow', Math.pow, ops.pow);
export const maximum = binary('maximum', Math.max, ops.max);
export const minimum = binary('minimum', Math.min, ops.min);
// Comparisons give 1 where true and 0 where false, in the float dtype.
export const less = binary('less', (a, b) => (a < b ? 1 : 0), ops.lt);
export const greater = binary('greater', (a, b) => (a > b ? 1 : 0), ops.gt);
export const lessEqual = binary('lessEqual', (a, b) => (a <= b ? 1 : 0), ops.leq);
export const greaterEqual = binary('greaterEqual', (a, b) => (a >= b ? 1 : 0), ops.geq);
export const equal = binary('equal', (a, b) => (a === b ? 1 : 0), ops.eq);
export const notEqual = binary('notEqual', (a, b) => (a !== b ? 1 : 0), ops.neq);

/** where(cond, a, b): a where cond ≠ 0, else b; all three broadcast together. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const ta = asTensor(a, b instanceof Tensor ? b.dtype : 'float64');
  const tb = asTensor(b, ta.dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const c = readFlat(broadcastTo(cond, shape, 'where'));
  const x = readFlat(broadcastTo(ta, shape, 'where'));
  const y = readFlat(broadcastTo(tb, shape, 'where'));
  const out = allocate(promote(ta.dtype, tb.dtype), c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] !== 0 ? x[i] : y[i];
  return fromFlat(out, shape);
}
