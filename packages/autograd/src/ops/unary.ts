// Elementwise functions of one tensor, each with its derivative beside it.
import * as K from '@xent/tensor';
import type { Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { builtin, type Apply, type BuiltinOp } from '../defineOp.js';

// Every argument reaches the engine, so a second one is refused rather than dropped.
const one =
  (apply: Apply<undefined>) =>
  (...x: Input[]) =>
    apply(x, undefined);

/** A unary op whose gradient is dy · f'(x), with f' written from x and the output y. */
function unary(name: string, f: (x: Tensor) => Tensor, df: (x: Tensor, y: Tensor) => Tensor): BuiltinOp<[x: Input]> {
  return builtin(
    {
      name,
      inputs: ['x'],
      forward: ([x]) => ({ out: f(x), saved: undefined }),
      backward: (dy, _s, { inputs: [x], out }) => [K.mul(dy, df(x, out))],
    },
    one,
  );
}

/** Elementwise −x; d(−x) = −1. */
export const neg: BuiltinOp<[x: Input]> = builtin(
  { name: 'neg', inputs: ['x'], forward: ([x]) => ({ out: K.neg(x), saved: undefined }), backward: (dy) => [K.neg(dy)] },
  one,
);
/** Elementwise eˣ; d eˣ = eˣ. */
export const exp = unary('exp', K.exp, (_x, y) => y);
/** Elementwise natural log; d log x = 1/x. */
export const log = unary('log', K.log, (x) => K.reciprocal(x));
/** Elementwise log(1 + x); d log(1+x) = 1/(1+x). */
export const log1p = unary('log1p', K.log1p, (x) => K.reciprocal(K.add(x, 1)));
/** Elementwise √x; d √x = 1/(2√x). */
export const sqrt = unary('sqrt', K.sqrt, (_x, y) => K.div(0.5, y));
/** Elementwise x²; d x² = 2x. */
export const square = unary('square', K.square, (x) => K.mul(x, 2));
/** Elementwise |x|; d |x| = sign x (0 at 0). */
export const abs = unary('abs', K.abs, (x) => K.sign(x));
/** Elementwise σ(x) = 1/(1 + e⁻ˣ); dσ = σ(1−σ). */
export const sigmoid = unary('sigmoid', K.sigmoid, (_x, s) => K.mul(s, K.sub(1, s)));
/** Elementwise tanh; d tanh = 1 − tanh². */
export const tanh = unary('tanh', K.tanh, (_x, t) => K.sub(1, K.square(t)));
/** Elementwise max(x, 0); d relu = [x > 0]. */
export const relu = unary('relu', K.relu, (x) => K.greater(x, 0));
/** Elementwise log(1 + eˣ); d softplus = σ(x). */
export const softplus = unary('softplus', K.softplus, (x) => K.sigmoid(x));

/** clip(x, lo, hi): values limited to [lo, hi]; gradient 1 inside (edges included, as PyTorch's clamp), 0 outside. Throws INVALID_ARGUMENT when lo > hi. */
export const clip: BuiltinOp<[x: Input, lo: number, hi: number]> = builtin<
  { lo: number; hi: number },
  void,
  [x: Input, lo: number, hi: number]
>(
  {
    name: 'clip',
    inputs: ['x'],
    forward: ([x], { lo, hi }) => ({ out: K.clip(x, lo, hi), saved: undefined }),
    backward: (dy, _s, { inputs: [x], attrs: { lo, hi } }) => [K.mul(dy, K.mul(K.greaterEqual(x, lo), K.lessEqual(x, hi)))],
  },
  (apply) => (x: Input, lo: number, hi: number) => apply([x], { lo, hi }), // the kernel checks lo and hi
  3,
);
