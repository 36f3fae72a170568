// Shared test helpers for @xent/nn.
import { expect } from 'vitest';
import { XentError, type XentErrorCode } from '@xent/tensor';

/** Runs fn, expects an XentError with this code, and returns it for message checks. */
export function expectXent(fn: () => unknown, code?: XentErrorCode): XentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XentError);
    if (code !== undefined) expect((e as XentError).code).toBe(code);
    return e as XentError;
  }
  throw new Error(`expected an XentError${code ? ` '${code}'` : ''}, but nothing was thrown`);
}
