import type { Tensor } from '@xent/tensor';
import type { Input } from './convert.js';
import { applyOp } from './engine.js';
import { registerOp, type OpDef } from './op.js';

/** A registered op as a function of its inputs; `.withAttrs(attrs)` gives one with attributes fixed. */
export interface OpFunction<A> {
  (...inputs: Input[]): Tensor;
  readonly op: OpDef<A, unknown>;
  withAttrs(attrs: A): (...inputs: Input[]) => Tensor;
}

/**
 * defineOp(def): registers a user op and returns it as a function, e.g.
 *   const cube = defineOp({ name: 'cube', inputs: ['x'],
 *     forward: ([x]) => ({ out: K.mul(x, K.mul(x, x)), saved: undefined }),
 *     backward: (dy, _s, { inputs: [x] }) => [K.mul(dy, K.mul(3, K.square(x)))] }); // d x³ = 3x²
 */
export function defineOp<A = void, S = void>(def: OpDef<A, S>, options?: { override?: boolean }): OpFunction<A> {
  registerOp(def, options);
  const fn = ((...inputs: Input[]) => applyOp(def, inputs, undefined as A)) as OpFunction<A>;
  Object.defineProperty(fn, 'op', { value: def });
  Object.defineProperty(fn, 'withAttrs', {
    value:
      (attrs: A) =>
      (...inputs: Input[]) =>
        applyOp(def, inputs, attrs),
  });
  return fn;
}
