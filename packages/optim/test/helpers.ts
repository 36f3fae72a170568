// Shared test helpers for @xent/optim.
import { expect } from 'vitest';
import { Tensor, XentError, tensor, type NestedArray, type XentErrorCode } from '@xent/tensor';
import { square, sub, sum } from '@xent/autograd';

/** f(w) = Σ(w − c)², recorded so that backward() fills w.grad = 2(w − c). */
export function quadratic(w: Tensor, c: NestedArray): Tensor {
  return sum(square(sub(w, c)));
}

/** Sets p.grad by hand (float64 values of p's shape). */
export function setGrad(p: Tensor, values: NestedArray): void {
  p.grad = tensor(values, { shape: p.shape });
}

/** The values of a tensor as a flat JS array. */
export function flat(t: Tensor): number[] {
  return Array.from(t.values());
}

/** Runs fn, expects an XentError with this code, and returns it for message checks. */
export function expectXent(fn: () => unknown, code: XentErrorCode): XentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XentError);
    expect((e as XentError).code).toBe(code);
    return e as XentError;
  }
  throw new Error(`expected an XentError '${code}', but nothing was thrown`);
}
