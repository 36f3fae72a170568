// Shared test helpers for @xent/optim.
import { Tensor, tensor, type NestedArray } from '@xent/tensor';
import { square, sub, sum } from '@xent/autograd';

export { flat, expectXentError as expectXent } from '../../../test/utils.js';

/** f(w) = Σ(w − c)², recorded so that backward() fills w.grad = 2(w − c). */
export function quadratic(w: Tensor, c: NestedArray): Tensor {
  return sum(square(sub(w, c)));
}

/** Sets p.grad by hand (float64 values of p's shape). */
export function setGrad(p: Tensor, values: NestedArray): void {
  p.grad = tensor(values, { shape: p.shape });
}
