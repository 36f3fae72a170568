// @xent/tensor: n-d tensors on ndarray views, NumPy broadcasting through
// zero-stride views, and the numeric kernels (no gradients) the rest of xent uses.
import * as E from './elementwise.js';
import { guardKernel } from './kernelGuard.js';
import * as M from './matmul.js';
import * as R from './reduce.js';
import * as S from './shape.js';
export { XentError, type XentErrorCode } from './errors.js';
export { type DType, type TypedArray, MAX_ELEMENTS } from './dtype.js';
export { DTYPES, MAX_RANK } from './input.js';
import { checkDtype, checkShape, checkValues, formatValue } from './input.js';
import { XentError, checkArgCount } from './errors.js';
import type { DType } from './dtype.js';
import * as T from './tensor.js';
export { Tensor, type GradNode, type NestedArray, readFlat, fromFlat, contiguous } from './tensor.js';
/** A fresh contiguous copy of t that shares nothing with it. A constant: while recording, a tensor that requires a gradient is refused (NO_GRADIENT) — snapshot a parameter with clone(detach(w)). */
export const clone = /* @__PURE__ */ guardKernel('clone', T.clone, 1, 1, null);
/**
 * t converted to another dtype (a copy; int32 truncates toward zero). Refused: an unknown dtype (DTYPE), a value the
 * new dtype cannot hold (NaN as int32, 1e39 as float32: it would be Infinity) and, while recording, a tensor that
 * requires a gradient, as clone.
 */
export const cast = /* @__PURE__ */ guardKernel(
  'cast',
  (t: T.Tensor, dtype: DType): T.Tensor => {
    checkDtype(dtype, 'cast');
    if (dtype === 'float32') checkValues(T.readFlat(t), dtype, 'cast', 't');
    return T.cast(t, dtype);
  },
  1,
  2,
  null,
);
export {
  tensor,
  type TensorLike,
  type RandomOptions,
  type TensorOptions,
  full,
  zeros,
  ones,
  zerosLike,
  onesLike,
  eye,
  arange,
  oneHot,
  rand,
  randn,
} from './create.js';
export { Rng } from './random.js';
/**
 * broadcastShapes(a, b, where?): the shape NumPy broadcasting gives a and b. Throws SHAPE_MISMATCH (its message
 * starting with `where`) when they cannot broadcast, INVALID_ARGUMENT when a or b is not an array of whole sizes ≥ 0
 * or `where` is not a string (two shapes at a time: broadcastShapes(broadcastShapes(a, b), c) for three).
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], where = 'broadcastShapes'): number[] {
  checkArgCount('broadcastShapes', arguments.length, 3, 'for three shapes, call broadcastShapes(broadcastShapes(a, b), c)');
  // broadcastShapes(a, b, c) with c a shape gave a and b's broadcast, c unseen.
  if (typeof where !== 'string') {
    throw new XentError(
      'INVALID_ARGUMENT',
      `broadcastShapes: where is ${formatValue(where)}, not a function name; for three shapes, call broadcastShapes(broadcastShapes(a, b), c).`,
    );
  }
  checkShape(a, where, 'a');
  checkShape(b, where, 'b');
  return S.broadcastShapes(a, b, where);
}
export { type Operand, less, greater, lessEqual, greaterEqual, equal, notEqual } from './elementwise.js';
export { type ReduceOptions, argmax, argmin } from './reduce.js';
export { getBackend, setBackend, type Backend } from './wasm/runtime.js';
export { isGradEnabled, setGradEnabled } from './gradMode.js';
export { copyInto } from './version.js';

// The kernels that have a differentiable twin in @xent/autograd (or none at all): while
// gradients are recorded they refuse a tensor that requires a gradient (kernelGuard.ts).
/** Elementwise −x. */
export const neg = /* @__PURE__ */ guardKernel('neg', E.neg);
/** Elementwise eˣ. */
export const exp = /* @__PURE__ */ guardKernel('exp', E.exp);
/** Elementwise natural log. */
export const log = /* @__PURE__ */ guardKernel('log', E.log);
/** Elementwise log(1 + x), exact for small x. */
export const log1p = /* @__PURE__ */ guardKernel('log1p', E.log1p);
/** Elementwise eˣ − 1, exact for small x. */
export const expm1 = /* @__PURE__ */ guardKernel('expm1', E.expm1, 1, 1, null);
/** Elementwise |x|. */
export const abs = /* @__PURE__ */ guardKernel('abs', E.abs);
/** Elementwise √x. */
export const sqrt = /* @__PURE__ */ guardKernel('sqrt', E.sqrt);
/** Elementwise x². */
export const square = /* @__PURE__ */ guardKernel('square', E.square);
/** Elementwise 1/x. */
export const reciprocal = /* @__PURE__ */ guardKernel('reciprocal', E.reciprocal, 1, 1, null);
/** Elementwise sign (−1, 0 or 1). */
export const sign = /* @__PURE__ */ guardKernel('sign', E.sign, 1, 1, null);
/** Elementwise tanh. */
export const tanh = /* @__PURE__ */ guardKernel('tanh', E.tanh);
/** Elementwise max(x, 0). */
export const relu = /* @__PURE__ */ guardKernel('relu', E.relu);
/** Elementwise σ(x) = 1/(1 + e^{−x}), stable for large |x|. */
export const sigmoid = /* @__PURE__ */ guardKernel('sigmoid', E.sigmoid);
/** Elementwise log(1 + eˣ), stable for large |x|. */
export const softplus = /* @__PURE__ */ guardKernel('softplus', E.softplus);
/** Elementwise log σ(x) = −softplus(−x). */
export const logSigmoid = /* @__PURE__ */ guardKernel('logSigmoid', E.logSigmoid, 1, 1, null);
/** clip(x, lo, hi): values limited to [lo, hi]. */
export const clip = /* @__PURE__ */ guardKernel('clip', E.clip);
/** a + b with NumPy broadcasting. */
export const add = /* @__PURE__ */ guardKernel('add', E.add, 0);
/** a − b with NumPy broadcasting. */
export const sub = /* @__PURE__ */ guardKernel('sub', E.sub, 0);
/** a · b elementwise, with NumPy broadcasting. */
export const mul = /* @__PURE__ */ guardKernel('mul', E.mul, 0);
/** a / b elementwise, with NumPy broadcasting. */
export const div = /* @__PURE__ */ guardKernel('div', E.div, 0);
/** aᵇ elementwise, with NumPy broadcasting. */
export const pow = /* @__PURE__ */ guardKernel('pow', E.pow, 0);
/** Elementwise max(a, b), with NumPy broadcasting. */
export const maximum = /* @__PURE__ */ guardKernel('maximum', E.maximum, 0, 2, null);
/** Elementwise min(a, b), with NumPy broadcasting. */
export const minimum = /* @__PURE__ */ guardKernel('minimum', E.minimum, 0, 2, null);
/** where(condition, a, b): a where condition ≠ 0, else b (broadcasting). */
export const where = /* @__PURE__ */ guardKernel('where', E.where);
/** Σ over axes (all by default). */
export const sum = /* @__PURE__ */ guardKernel('sum', R.sum);
/** Mean over axes (all by default). */
export const mean = /* @__PURE__ */ guardKernel('mean', R.mean);
/** Max over axes (all by default). */
export const max = /* @__PURE__ */ guardKernel('max', R.max);
/** Min over axes (all by default). */
export const min = /* @__PURE__ */ guardKernel('min', R.min, 1, 3, null);
/** log Σ exp along one axis (default the last), max-shifted. */
export const logSumExp = /* @__PURE__ */ guardKernel('logSumExp', R.logSumExp, 1, 3);
/** softmax along one axis (default the last). */
export const softmax = /* @__PURE__ */ guardKernel('softmax', R.softmax, 1, 2);
/** log softmax along one axis (default the last). */
export const logSoftmax = /* @__PURE__ */ guardKernel('logSoftmax', R.logSoftmax, 1, 2);
/** broadcastTo(t, shape): a zero-stride view of t with that shape (NumPy rule). */
export const broadcastTo = /* @__PURE__ */ guardKernel('broadcastTo', S.broadcastTo);
/** sumTo(g, shape): g summed over the axes that broadcasting expanded (the adjoint of broadcastTo). */
export const sumTo = /* @__PURE__ */ guardKernel('sumTo', S.sumTo, 1, 2, null);
/** The same values in another shape (a view when possible). */
export const reshape = /* @__PURE__ */ guardKernel('reshape', S.reshape);
/** Permutes axes (a view); without perm, reverses them. */
export const transpose = /* @__PURE__ */ guardKernel('transpose', S.transpose);
/** Alias of transpose. */
export const permute = /* @__PURE__ */ guardKernel('permute', S.permute, 1, 2, 'transpose');
/** Inserts an axis of size 1 (a view). */
export const expandDims = /* @__PURE__ */ guardKernel('expandDims', S.expandDims);
/** Removes axes of size 1 (a view). */
export const squeeze = /* @__PURE__ */ guardKernel('squeeze', S.squeeze);
/** slice(t, ranges): a view of [start, end) per axis. */
export const slice = /* @__PURE__ */ guardKernel('slice', S.slice, 1, 2, null);
/** Picks entries along an axis by integer indices. */
export const gather = /* @__PURE__ */ guardKernel('gather', S.gather, 1, 3);
/** Joins tensors along an axis. */
export const concat = /* @__PURE__ */ guardKernel('concat', S.concat, 0, 2);
/** [M,K]·[K,N] → [M,N], or batched. */
export const matmul = /* @__PURE__ */ guardKernel('matmul', M.matmul, 2);
export { type AllCloseOptions, type CloseReport, compareClose, allClose, maxAbsDiff, toBeAllClose } from './testing.js';
