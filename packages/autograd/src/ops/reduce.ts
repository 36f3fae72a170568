// Reductions and the softmax family along axes.
import * as K from '@xent/tensor';
import type { Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';

export interface AxesAttrs {
  axes: number | readonly number[] | undefined;
  keepDims: boolean;
}

/** dy of a reduction, reshaped with the reduced axes kept (size 1) so it broadcasts against x. */
function keepDimsGrad(dy: Tensor, x: Tensor, axes: AxesAttrs['axes']): Tensor {
  const ax = K.normalizeAxes(axes, x.rank, 'sum');
  const shape = x.shape.map((d, k) => (ax.includes(k) ? 1 : d));
  return K.reshape(dy, shape);
}

export const sumOp: OpDef<AxesAttrs> = {
  name: 'sum',
  inputs: ['x'],
  forward: ([x], { axes, keepDims }) => ({ out: K.sum(x, axes, { keepDims }), saved: undefined }),
  // d Σx / dx = 1: dy spreads (a zero-stride view) over the reduced axes
  backward: (dy, _s, { inputs: [x], attrs }) => [K.broadcastTo(keepDimsGrad(dy, x, attrs.axes), x.shape)],
};

export const meanOp: OpDef<AxesAttrs> = {
  name: 'mean',
  inputs: ['x'],
  forward: ([x], { axes, keepDims }) => ({ out: K.mean(x, axes, { keepDims }), saved: undefined }),
  // d mean / dx = 1/n over the n reduced elements
  backward: (dy, _s, { inputs: [x], attrs, out }) => {
    const n = x.size / Math.max(1, out.size);
    return [K.broadcastTo(K.div(keepDimsGrad(dy, x, attrs.axes), n), x.shape)];
  },
};

export const maxOp: OpDef<AxesAttrs> = {
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

export const logSumExpOp: OpDef<AxisAttrs> = {
  name: 'logSumExp',
  inputs: ['x'],
  forward: ([x], { axis, keepDims }) => ({ out: K.logSumExp(x, axis, { keepDims }), saved: undefined }),
  // d logΣexp(x) / dx = softmax(x)
  backward: (dy, _s, { inputs: [x], attrs: { axis } }) => [K.mul(K.softmax(x, axis), keepDimsGrad(dy, x, axis))],
};

export const softmaxOp: OpDef<AxisAttrs> = {
  name: 'softmax',
  inputs: ['x'],
  forward: ([x], { axis }) => ({ out: K.softmax(x, axis), saved: undefined }),
  // dx = s ⊙ (dy − Σ dy⊙s)   (the softmax Jacobian diag(s) − s sᵀ applied to dy)
  backward: (dy, _s, { out: s, attrs: { axis } }) => [K.mul(s, K.sub(dy, K.sum(K.mul(dy, s), axis, { keepDims: true })))],
};

export const logSoftmaxOp: OpDef<AxisAttrs> = {
  name: 'logSoftmax',
  inputs: ['x'],
  forward: ([x], { axis }) => ({ out: K.logSoftmax(x, axis), saved: undefined }),
  // dx = dy − softmax(x) · Σ dy
  backward: (dy, _s, { out, attrs: { axis } }) => [K.sub(dy, K.mul(K.exp(out), K.sum(dy, axis, { keepDims: true })))],
};

export interface ReduceOptions {
  keepDims?: boolean;
}

/** Σ over axes (all by default). */
export const sum = (x: Input, axes?: number | readonly number[], { keepDims = false }: ReduceOptions = {}): Tensor =>
  applyOp(sumOp, [x], { axes, keepDims });
/** Mean over axes (all by default). */
export const mean = (x: Input, axes?: number | readonly number[], { keepDims = false }: ReduceOptions = {}): Tensor =>
  applyOp(meanOp, [x], { axes, keepDims });
/** Max over axes (all by default); ties share the gradient. */
export const max = (x: Input, axes?: number | readonly number[], { keepDims = false }: ReduceOptions = {}): Tensor =>
  applyOp(maxOp, [x], { axes, keepDims });
/** log Σ exp along an axis (default last), max-shifted. */
export const logSumExp = (x: Input, axis = -1, { keepDims = false }: ReduceOptions = {}): Tensor =>
  applyOp(logSumExpOp, [x], { axis, keepDims });
export const softmax = (x: Input, axis = -1): Tensor => applyOp(softmaxOp, [x], { axis, keepDims: false });
export const logSoftmax = (x: Input, axis = -1): Tensor => applyOp(logSoftmaxOp, [x], { axis, keepDims: false });
