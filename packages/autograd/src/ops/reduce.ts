// Reductions and the softmax family along axes.
import * as K from '@xent/tensor';
import { keepDimsOf, normalizeAxes } from '@xent/tensor/internal';
import type { ReduceOptions, Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { builtin, type Apply, type BuiltinOp } from '../defineOp.js';
import type { OpDef } from '../opDef.js';

export interface AxesAttrs {
  axes: number | readonly number[] | undefined;
  keepDims: boolean;
}

/** dy of a reduction, reshaped with the reduced axes kept (size 1) so it broadcasts against x. */
function keepDimsGrad(dy: Tensor, x: Tensor, axes: AxesAttrs['axes']): Tensor {
  const ax = normalizeAxes(axes, x.rank, 'sum');
  const shape = x.shape.map((d, k) => (ax.includes(k) ? 1 : d));
  return K.reshape(dy, shape);
}

const sumOp: OpDef<AxesAttrs> = {
  name: 'sum',
  inputs: ['x'],
  forward: ([x], { axes, keepDims }) => ({ out: K.sum(x, axes, { keepDims }), saved: undefined }),
  // d Σx / dx = 1: dy spreads (a zero-stride view) over the reduced axes
  backward: (dy, _s, { inputs: [x], attrs }) => [K.broadcastTo(keepDimsGrad(dy, x, attrs.axes), x.shape)],
};

const meanOp: OpDef<AxesAttrs> = {
  name: 'mean',
  inputs: ['x'],
  forward: ([x], { axes, keepDims }) => ({ out: K.mean(x, axes, { keepDims }), saved: undefined }),
  // d mean / dx = 1/n over the n reduced elements
  backward: (dy, _s, { inputs: [x], attrs, out }) => {
    const n = x.size / Math.max(1, out.size);
    return [K.broadcastTo(K.div(keepDimsGrad(dy, x, attrs.axes), n), x.shape)];
  },
};

const maxOp: OpDef<AxesAttrs> = {
  name: 'max',
  inputs: ['x'],
  forward: ([x], { axes, keepDims }) => ({ out: K.max(x, axes, { keepDims }), saved: undefined }),
  // d max / dx = [x = max], shared equally between ties (like torch.amax)
  backward: (dy, _s, { inputs: [x], attrs }) => {
    const m = K.max(x, attrs.axes, { keepDims: true });
    const hit = K.equal(x, m);
    const count = K.sum(hit, attrs.axes, { keepDims: true });
    return [K.mul(hit, K.div(keepDimsGrad(dy, x, attrs.axes), count))];
  },
};

export interface AxisAttrs {
  axis: number;
  keepDims: boolean;
}

const logSumExpOp: OpDef<AxisAttrs> = {
  name: 'logSumExp',
  inputs: ['x'],
  forward: ([x], { axis, keepDims }) => ({ out: K.logSumExp(x, axis, { keepDims }), saved: undefined }),
  // d logΣexp(x) / dx = softmax(x)
  backward: (dy, _s, { inputs: [x], attrs: { axis } }) => [K.mul(K.softmax(x, axis), keepDimsGrad(dy, x, axis))],
};

const softmaxOp: OpDef<AxisAttrs> = {
  name: 'softmax',
  inputs: ['x'],
  forward: ([x], { axis }) => ({ out: K.softmax(x, axis), saved: undefined }),
  // dx = s ⊙ (dy − Σ dy⊙s)   (the softmax Jacobian diag(s) − s sᵀ applied to dy)
  backward: (dy, _s, { out: s, attrs: { axis } }) => [K.mul(s, K.sub(dy, K.sum(K.mul(dy, s), axis, { keepDims: true })))],
};

const logSoftmaxOp: OpDef<AxisAttrs> = {
  name: 'logSoftmax',
  inputs: ['x'],
  forward: ([x], { axis }) => ({ out: K.logSoftmax(x, axis), saved: undefined }),
  // dx = dy − softmax(x) · Σ dy
  backward: (dy, _s, { out, attrs: { axis } }) => [K.sub(dy, K.mul(K.exp(out), K.sum(dy, axis, { keepDims: true })))],
};

type Axes = number | readonly number[] | undefined;
const overAxes = (apply: Apply<AxesAttrs>, name: string) => (x: Input, axes?: Axes, options?: ReduceOptions) =>
  apply([x], { axes, keepDims: keepDimsOf(name, options) });
const alongAxis =
  (apply: Apply<AxisAttrs>, name: string) =>
  (x: Input, axis = -1, options?: ReduceOptions) =>
    apply([x], { axis, keepDims: keepDimsOf(name, options) });
const softmaxAxis =
  (apply: Apply<AxisAttrs>) =>
  (x: Input, axis = -1) =>
    apply([x], { axis, keepDims: false });

/** Σ over axes (all by default); d Σx / dx = 1. */
export const sum: BuiltinOp<[x: Input, axes?: Axes, options?: ReduceOptions]> = builtin(sumOp, (apply) => overAxes(apply, 'sum'), 3);
/** Mean over axes (all by default); d mean / dx = 1/n. */
export const mean: BuiltinOp<[x: Input, axes?: Axes, options?: ReduceOptions]> = builtin(meanOp, (apply) => overAxes(apply, 'mean'), 3);
/** Max over axes (all by default); ties share the gradient equally. */
export const max: BuiltinOp<[x: Input, axes?: Axes, options?: ReduceOptions]> = builtin(maxOp, (apply) => overAxes(apply, 'max'), 3);
/** log Σ exp along an axis (default last), max-shifted; d/dx = softmax(x). */
export const logSumExp: BuiltinOp<[x: Input, axis?: number, options?: ReduceOptions]> = builtin(
  logSumExpOp,
  (apply) => alongAxis(apply, 'logSumExp'),
  3,
);
/** softmax along an axis (default last); dx = s ⊙ (dy − Σ dy⊙s). */
export const softmax: BuiltinOp<[x: Input, axis?: number]> = builtin(softmaxOp, softmaxAxis, 2);
/** log softmax along an axis (default last); dx = dy − softmax(x)·Σ dy. */
export const logSoftmax: BuiltinOp<[x: Input, axis?: number]> = builtin(logSoftmaxOp, softmaxAxis, 2);
