// Elementwise functions of one tensor, each with its derivative beside it.
import * as K from '@xent/tensor';
import type { Tensor } from '@xent/tensor';
import { XentError } from '@xent/tensor';
import type { Input } from '../convert.js';
import { applyOp } from '../engine.js';
import type { OpDef } from '../op.js';

/** A unary op whose gradient is dy · f'(x), with f' written from x and the output y. */
function unaryOp(name: string, f: (x: Tensor) => Tensor, df: (x: Tensor, y: Tensor) => Tensor): OpDef {
  return {
    name,
    inputs: ['x'],
    forward: ([x]) => ({ out: f(x), saved: undefined }),
    backward: (dy, _s, { inputs: [x], out }) => [K.mul(dy, df(x, out))],
  };
}

export const negOp: OpDef = {
  name: 'neg',
  inputs: ['x'],
  forward: ([x]) => ({ out: K.neg(x), saved: undefined }),
  backward: (dy) => [K.neg(dy)], // d(−x) = −1
};
export const expOp = unaryOp('exp', K.exp, (_x, y) => y); // d eˣ = eˣ
export const logOp = unaryOp('log', K.log, (x) => K.reciprocal(x)); // d log x = 1/x
export const log1pOp = unaryOp('log1p', K.log1p, (x) => K.reciprocal(K.add(x, 1))); // d log(1+x) = 1/(1+x)
export const sqrtOp = unaryOp('sqrt', K.sqrt, (_x, y) => K.div(0.5, y)); // d √x = 1/(2√x)
export const squareOp = unaryOp('square', K.square, (x) => K.mul(x, 2)); // d x² = 2x
export const absOp = unaryOp('abs', K.abs, (x) => K.sign(x)); // d |x| = sign x (0 at 0)
export const sigmoidOp = unaryOp('sigmoid', K.sigmoid, (_x, s) => K.mul(s, K.sub(1, s))); // dσ = σ(1−σ)
export const tanhOp = unaryOp('tanh', K.tanh, (_x, t) => K.sub(1, K.square(t))); // d tanh = 1 − tanh²
export const reluOp = unaryOp('relu', K.relu, (x) => K.greater(x, 0)); // d relu = [x > 0]
export const softplusOp = unaryOp('softplus', K.softplus, (x) => K.sigmoid(x)); // d log(1+eˣ) = σ(x)

export interface ClipAttrs {
  lo: number;
  hi: number;
}
export const clipOp: OpDef<ClipAttrs> = {
  name: 'clip',
  inputs: ['x'],
  forward: ([x], { lo, hi }) => ({ out: K.clip(x, lo, hi), saved: undefined }),
  // gradient 1 inside [lo, hi] (edges included, as in PyTorch's clamp), 0 outside
  backward: (dy, _s, { inputs: [x], attrs: { lo, hi } }) => [K.mul(dy, K.mul(K.greaterEqual(x, lo), K.lessEqual(x, hi)))],
};

export const neg = (x: Input): Tensor => applyOp(negOp, [x], undefined);
export const exp = (x: Input): Tensor => applyOp(expOp, [x], undefined);
export const log = (x: Input): Tensor => applyOp(logOp, [x], undefined);
export const log1p = (x: Input): Tensor => applyOp(log1pOp, [x], undefined);
export const sqrt = (x: Input): Tensor => applyOp(sqrtOp, [x], undefined);
export const square = (x: Input): Tensor => applyOp(squareOp, [x], undefined);
export const abs = (x: Input): Tensor => applyOp(absOp, [x], undefined);
export const sigmoid = (x: Input): Tensor => applyOp(sigmoidOp, [x], undefined);
export const tanh = (x: Input): Tensor => applyOp(tanhOp, [x], undefined);
export const relu = (x: Input): Tensor => applyOp(reluOp, [x], undefined);
export const softplus = (x: Input): Tensor => applyOp(softplusOp, [x], undefined);
/** clip(x, lo, hi): values limited to [lo, hi]; zero gradient outside the range. */
export function clip(x: Input, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new XentError('INVALID_ARGUMENT', `clip: lo (${lo}) must not exceed hi (${hi}).`);
  return applyOp(clipOp, [x], { lo, hi });
}
