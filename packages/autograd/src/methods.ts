// Chainable Tensor methods (x.mul(w).add(b).sigmoid()), installed in this one
// place on @xent/tensor's Tensor, which knows nothing of gradients. Each is the
// function of the same name from this package.
import { Tensor } from '@xent/tensor';
import { detach } from './api.js';
import type { Input } from './convert.js';
import { backward, type GradientsOptions } from './engine.js';
import { add, div, mul, pow, sub } from './ops/arithmetic.js';
import { matmul } from './ops/matmul.js';
import { logSoftmax, logSumExp, max, mean, softmax, sum, type ReduceOptions } from './ops/reduce.js';
import { broadcastTo, expandDims, gather, reshape, squeeze, transpose } from './ops/shape.js';
import { abs, clip, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh } from './ops/unary.js';

declare module '@xent/tensor' {
  interface Tensor {
    add(other: Input): Tensor;
    sub(other: Input): Tensor;
    mul(other: Input): Tensor;
    div(other: Input): Tensor;
    pow(exponent: Input): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    square(): Tensor;
    abs(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    softplus(): Tensor;
    clip(lo: number, hi: number): Tensor;
    matmul(other: Input): Tensor;
    sum(axes?: number | readonly number[], options?: ReduceOptions): Tensor;
    mean(axes?: number | readonly number[], options?: ReduceOptions): Tensor;
    max(axes?: number | readonly number[], options?: ReduceOptions): Tensor;
    logSumExp(axis?: number, options?: ReduceOptions): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    reshape(shape: readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    expandDims(axis: number): Tensor;
    squeeze(axes?: number | readonly number[]): Tensor;
    gather(indices: Input, axis?: number): Tensor;
    /** Accumulates gradients into the .grad of every leaf this tensor depends on (PyTorch style). */
    backward(options?: GradientsOptions): void;
    detach(): Tensor;
  }
}

const methods: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  add(this: Tensor, o: Input) {
    return add(this, o);
  },
  sub(this: Tensor, o: Input) {
    return sub(this, o);
  },
  mul(this: Tensor, o: Input) {
    return mul(this, o);
  },
  div(this: Tensor, o: Input) {
    return div(this, o);
  },
  pow(this: Tensor, e: Input) {
    return pow(this, e);
  },
  neg(this: Tensor) {
    return neg(this);
  },
  exp(this: Tensor) {
    return exp(this);
  },
  log(this: Tensor) {
    return log(this);
  },
  log1p(this: Tensor) {
    return log1p(this);
  },
  sqrt(this: Tensor) {
    return sqrt(this);
  },
  square(this: Tensor) {
    return square(this);
  },
  abs(this: Tensor) {
    return abs(this);
  },
  sigmoid(this: Tensor) {
    return sigmoid(this);
  },
  tanh(this: Tensor) {
    return tanh(this);
  },
  relu(this: Tensor) {
    return relu(this);
  },
  softplus(this: Tensor) {
    return softplus(this);
  },
  clip(this: Tensor, lo: number, hi: number) {
    return clip(this, lo, hi);
  },
  matmul(this: Tensor, o: Input) {
    return matmul(this, o);
  },
  sum(this: Tensor, axes?: number | readonly number[], o?: ReduceOptions) {
    return sum(this, axes, o);
  },
  mean(this: Tensor, axes?: number | readonly number[], o?: ReduceOptions) {
    return mean(this, axes, o);
  },
  max(this: Tensor, axes?: number | readonly number[], o?: ReduceOptions) {
    return max(this, axes, o);
  },
  logSumExp(this: Tensor, axis?: number, o?: ReduceOptions) {
    return logSumExp(this, axis, o);
  },
  softmax(this: Tensor, axis?: number) {
    return softmax(this, axis);
  },
  logSoftmax(this: Tensor, axis?: number) {
    return logSoftmax(this, axis);
  },
  reshape(this: Tensor, shape: readonly number[]) {
    return reshape(this, shape);
  },
  transpose(this: Tensor, perm?: readonly number[]) {
    return transpose(this, perm);
  },
  broadcastTo(this: Tensor, shape: readonly number[]) {
    return broadcastTo(this, shape);
  },
  expandDims(this: Tensor, axis: number) {
    return expandDims(this, axis);
  },
  squeeze(this: Tensor, axes?: number | readonly number[]) {
    return squeeze(this, axes);
  },
  gather(this: Tensor, indices: Input, axis?: number) {
    return gather(this, indices, axis);
  },
  backward(this: Tensor, options?: GradientsOptions) {
    backward(this, options);
  },
  detach(this: Tensor) {
    return detach(this);
  },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
