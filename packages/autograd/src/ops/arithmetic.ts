// Broadcasting binary arithmetic. Each op declares broadcast: true, so its
// backward returns gradients of the output's shape and the engine sums them
// back to each input's shape (the adjoint of broadcasting is sumTo).
import * as K from '@xent/tensor';
import type { Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';

export const addOp: OpDef = {
  name: 'add',
  inputs: ['a', 'b'],
  broadcast: true,
  forward: ([a, b]) => ({ out: K.add(a, b), saved: undefined }),
  // d(a+b)/da = 1, d(a+b)/db = 1
  backward: (dy) => [dy, dy],
};

export const subOp: OpDef = {
  name: 'sub',
  inputs: ['a', 'b'],
  broadcast: true,
  forward: ([a, b]) => ({ out: K.sub(a, b), saved: undefined }),
  // d(a−b)/da = 1, d(a−b)/db = −1
  backward: (dy, _s, { needsGrad }) => [dy, needsGrad[1] ? K.neg(dy) : null],
};

export const mulOp: OpDef = {
  name: 'mul',
  inputs: ['a', 'b'],
  broadcast: true,
  forward: ([a, b]) => ({ out: K.mul(a, b), saved: undefined }),
  // d(ab)/da = b, d(ab)/db = a
  backward: (dy, _s, { inputs: [a, b], needsGrad }) => [needsGrad[0] ? K.mul(dy, b) : null, needsGrad[1] ? K.mul(dy, a) : null],
};

export const divOp: OpDef = {
  name: 'div',
  inputs: ['a', 'b'],
  broadcast: true,
  forward: ([a, b]) => ({ out: K.div(a, b), saved: undefined }),
  // d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −out/b
  backward: (dy, _s, { inputs: [, b], out, needsGrad }) => [
    needsGrad[0] ? K.div(dy, b) : null,
    needsGrad[1] ? K.neg(K.div(K.mul(dy, out), b)) : null,
  ],
};

export const powOp: OpDef = {
  name: 'pow',
  inputs: ['base', 'exponent'],
  broadcast: true,
  forward: ([a, b]) => ({ out: K.pow(a, b), saved: undefined }),
  // d(aᵇ)/da = b·aᵇ⁻¹, d(aᵇ)/db = aᵇ·log a
  backward: (dy, _s, { inputs: [a, b], out, needsGrad }) => [
    needsGrad[0] ? K.mul(dy, K.mul(b, K.pow(a, K.sub(b, 1)))) : null,
    needsGrad[1] ? K.mul(dy, K.mul(out, K.log(a))) : null,
  ],
};

export const whereOp: OpDef = {
  name: 'where',
  inputs: ['condition', 'a', 'b'],
  differentiable: [false, true, true],
  broadcast: true,
  forward: ([c, a, b]) => ({ out: K.where(c, a, b), saved: undefined }),
  // the gradient goes to a where the condition holds, to b elsewhere
  backward: (dy, _s, { inputs: [c], needsGrad }) => [
    null,
    needsGrad[1] ? K.where(c, dy, 0) : null,
    needsGrad[2] ? K.where(c, 0, dy) : null,
  ],
};

export const add = (a: Input, b: Input): Tensor => applyOp(addOp, [a, b], undefined);
export const sub = (a: Input, b: Input): Tensor => applyOp(subOp, [a, b], undefined);
export const mul = (a: Input, b: Input): Tensor => applyOp(mulOp, [a, b], undefined);
export const div = (a: Input, b: Input): Tensor => applyOp(divOp, [a, b], undefined);
export const pow = (base: Input, exponent: Input): Tensor => applyOp(powOp, [base, exponent], undefined);
/** where(condition, a, b): a where condition ≠ 0, else b (condition gets no gradient). */
export const where = (condition: Input, a: Input, b: Input): Tensor => applyOp(whereOp, [condition, a, b], undefined);
