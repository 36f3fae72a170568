// The test utilities every package's suite shares (each package's test/helpers.ts
// re-exports these and adds only what is its own). Written independently of the
// library's kernels: a test must not check the library against itself.
import { expect } from 'vitest';
import { XentError, readFlat, type Tensor, type XentErrorCode } from '@xent/tensor';

/** The number of elements of a shape (1 for a scalar). */
export function prod(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The multi-index of row-major flat position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k];
    i = Math.floor(i / shape[k]);
  }
  return idx;
}

/** A tensor's values in row-major order, as a plain JS array (a copy). */
export function flat(t: Tensor): number[] {
  return Array.from(readFlat(t));
}

/**
 * Runs fn and asserts that it throws an XentError — with this code when one is given —
 * whose message contains every fragment; returns the error for further checks.
 */
export function expectXentError(fn: () => unknown, code?: XentErrorCode, ...fragments: (string | RegExp)[]): XentError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(
    caught,
    `expected an XentError${code ? ` '${code}'` : ''}, but ${caught === undefined ? 'nothing was thrown' : 'something else was'}`,
  ).toBeInstanceOf(XentError);
  const err = caught as XentError;
  if (code !== undefined) expect(err.code, err.message).toBe(code);
  for (const f of fragments) {
    if (typeof f === 'string') expect(err.message).toContain(f);
    else expect(err.message).toMatch(f);
  }
  return err;
}
