// Broadcasting arithmetic. Each op declares broadcast: true, so its backward
// returns gradients of the output's shape and the engine sums them back to each
// input's shape (the adjoint of broadcasting is sumTo).
import * as K from '@xent/tensor';
import type { Input } from '../convert.js';
import { builtin, type Apply, type BuiltinOp } from '../defineOp.js';

// Every argument is an input and reaches the engine, so one too many is refused ("expects 2 inputs") rather than dropped.
const asInputs =
  (apply: Apply<undefined>) =>
  (...inputs: Input[]) =>
    apply(inputs, undefined);

/** a + b with NumPy broadcasting; d/da = d/db = 1. */
export const add: BuiltinOp<[a: Input, b: Input]> = builtin(
  {
    name: 'add',
    inputs: ['a', 'b'],
    broadcast: true,
    forward: ([a, b]) => ({ out: K.add(a, b), saved: undefined }),
    backward: (dy) => [dy, dy], // d(a+b)/da = 1, d(a+b)/db = 1
  },
  asInputs,
);

/** a − b with NumPy broadcasting; d/da = 1, d/db = −1. */
export const sub: BuiltinOp<[a: Input, b: Input]> = builtin(
  {
    name: 'sub',
    inputs: ['a', 'b'],
    broadcast: true,
    forward: ([a, b]) => ({ out: K.sub(a, b), saved: undefined }),
    backward: (dy, _s, { needsGrad }) => [dy, needsGrad[1] ? K.neg(dy) : null], // d(a−b)/da = 1, d(a−b)/db = −1
  },
  asInputs,
);

/** a · b elementwise with NumPy broadcasting; d/da = b, d/db = a. */
export const mul: BuiltinOp<[a: Input, b: Input]> = builtin(
  {
    name: 'mul',
    inputs: ['a', 'b'],
    broadcast: true,
    forward: ([a, b]) => ({ out: K.mul(a, b), saved: undefined }),
    // d(ab)/da = b, d(ab)/db = a
    backward: (dy, _s, { inputs: [a, b], needsGrad }) => [needsGrad[0] ? K.mul(dy, b) : null, needsGrad[1] ? K.mul(dy, a) : null],
  },
  asInputs,
);

/** a / b elementwise with NumPy broadcasting; d/da = 1/b, d/db = −a/b². */
export const div: BuiltinOp<[a: Input, b: Input]> = builtin(
  {
    name: 'div',
    inputs: ['a', 'b'],
    broadcast: true,
    forward: ([a, b]) => ({ out: K.div(a, b), saved: undefined }),
    // d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −out/b
    backward: (dy, _s, { inputs: [, b], out, needsGrad }) => [
      needsGrad[0] ? K.div(dy, b) : null,
      needsGrad[1] ? K.neg(K.div(K.mul(dy, out), b)) : null,
    ],
  },
  asInputs,
);

/**
 * baseᵉˣᵖᵒⁿᵉⁿᵗ elementwise with NumPy broadcasting; d/dbase = e·baseᵉ⁻¹ (0 where e = 0),
 * d/de = baseᵉ·log base (0 where base = 0 and e ≥ 0), as in PyTorch.
 */
export const pow: BuiltinOp<[base: Input, exponent: Input]> = builtin(
  {
    name: 'pow',
    inputs: ['base', 'exponent'],
    broadcast: true,
    forward: ([a, b]) => ({ out: K.pow(a, b), saved: undefined }),
    // d(aᵇ)/da = b·aᵇ⁻¹, taken as 0 where b = 0 (a⁰ = 1 is constant, even at a = 0 where aᵇ⁻¹ = ∞)
    // d(aᵇ)/db = aᵇ·log a, taken as 0 where a = 0 and b ≥ 0 (the limit; 0·log 0 would be NaN)
    backward: (dy, _s, { inputs: [a, b], out, needsGrad }) => [
      needsGrad[0] ? K.mul(dy, K.where(K.equal(b, 0), 0, K.mul(b, K.pow(a, K.sub(b, 1))))) : null,
      needsGrad[1] ? K.mul(dy, K.where(K.mul(K.equal(a, 0), K.greaterEqual(b, 0)), 0, K.mul(out, K.log(a)))) : null,
    ],
  },
  asInputs,
);

/** where(condition, a, b): a where condition ≠ 0, else b (broadcasting); the condition gets no gradient. */
export const where: BuiltinOp<[condition: Input, a: Input, b: Input]> = builtin(
  {
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
  },
  asInputs,
);
