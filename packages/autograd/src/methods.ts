// Chainable Tensor methods (x.mul(w).add(b).sigmoid()), installed on @xent/tensor's
// Tensor, which knows nothing of gradients. Derived from the table of built-in ops:
// x.f(...args) is f(x, ...args) for every built-in f except those in FUNCTION_ONLY.
import { Tensor } from '@xent/tensor';
import { checkArgCount } from '@xent/tensor/internal';
import type { Input } from './convert.js';
import { backward } from './engine.js';
import { BACKWARD_FIX, type GradientsOptions } from './gradientValues.js';
import { BUILTINS, FUNCTION_ONLY } from './ops/builtins.js';
import { detach } from './params.js';

type MethodName = Exclude<keyof typeof BUILTINS, (typeof FUNCTION_ONLY)[number]>;
type AsMethod<F> = F extends (x: Input, ...rest: infer R) => Tensor ? (...rest: R) => Tensor : never;
/** The built-in ops as methods: x.add(y) is add(x, y). */
export type BuiltinMethods = { [K in MethodName]: AsMethod<(typeof BUILTINS)[K]> };

declare module '@xent/tensor' {
  interface Tensor extends BuiltinMethods {
    /** Accumulates gradients into the .grad of every leaf this tensor depends on (PyTorch style). */
    backward(options?: GradientsOptions): void;
    /** A new tensor over the same data, cut off from the graph. */
    detach(): Tensor;
  }
}

const install = (name: string, fn: (this: Tensor, ...args: never[]) => unknown) =>
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });

for (const [name, f] of Object.entries(BUILTINS)) {
  if ((FUNCTION_ONLY as readonly string[]).includes(name)) continue;
  const op = f as (x: Input, ...rest: unknown[]) => Tensor;
  install(name, function (this: Tensor, ...rest: unknown[]) {
    return op(this, ...rest);
  });
}
install('backward', function (this: Tensor, options?: GradientsOptions) {
  checkArgCount('Tensor.backward', arguments.length, 1, BACKWARD_FIX);
  backward(this, options);
});
install('detach', function (this: Tensor) {
  checkArgCount('Tensor.detach', arguments.length, 0, 'call t.detach()');
  return detach(this);
});
