// The arguments of the public update functions (sgdUpdate, adamUpdate, adamwUpdate) are checked
// before anything is written, as the optimizers check theirs: a hyperparameter left out of `h`
// read as undefined and made every value NaN, and a state of the wrong kind was a raw TypeError.
// The optimizer classes call the unchecked rules directly (their inputs are checked once, up front).
import { Tensor, XentError } from '@xent/tensor';
import { describe, type OptionSchema, type ParsedOptions } from '@xent/tensor/internal';
import { parseHyper } from './options.js';

/** How to call sgdUpdate, adamUpdate and adamwUpdate, for a call with more than four arguments. */
export const UPDATE_CALL = 'pass (p, g, state, h): every hyperparameter in h, one object';

/**
 * Checks `p` (a Float64Array or Float32Array), `g` (p.length finite numbers) and `h` (every name of
 * `required` given, every value valid for `schema`), and returns h parsed. `example` shows a whole h.
 */
export function checkUpdateArgs<S extends OptionSchema>(
  owner: string,
  p: unknown,
  g: unknown,
  h: unknown,
  schema: S,
  required: readonly string[],
  example: string,
): ParsedOptions<S> {
  if (!(p instanceof Float64Array || p instanceof Float32Array)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: p is ${describe(p)}; pass the parameter's values as a Float64Array or Float32Array (written in place).`,
    );
  }
  const grad = typeof g === 'object' && g !== null && !(g instanceof Tensor) ? g : null;
  const length: unknown = grad === null ? undefined : Reflect.get(grad, 'length');
  if (grad === null || typeof length !== 'number') {
    const fix = g instanceof Tensor ? ' — readFlat(tensor) gives them' : '';
    throw new XentError('INVALID_ARGUMENT', `${owner}: g is ${describe(g)}; pass the gradient's values as an array of numbers${fix}.`);
  }
  if (length !== p.length) {
    throw new XentError('SHAPE_MISMATCH', `${owner}: g has ${length} values but p has ${p.length}; they must match.`);
  }
  for (let i = 0; i < p.length; i++) {
    const x: unknown = Reflect.get(grad, i);
    if (typeof x !== 'number')
      throw new XentError('INVALID_ARGUMENT', `${owner}: g[${i}] is ${describe(x)}; the gradient's values must be numbers.`);
    if (x - x !== 0) {
      // x − x is NaN exactly for NaN and ±Infinity.
      throw new XentError(
        'NON_FINITE_GRADIENT',
        `${owner}: g[${i}] is ${x}; nothing was updated. Look for an overflow or a log of 0 in the loss, or clip with clipGradNorm.`,
      );
    }
  }
  return parseHyper(owner, h, schema, required, example);
}

/** Checks that `buf` is a Float64Array of n values (a state buffer of the parameter); `what` names it. */
export function checkStateBuffer(owner: string, what: string, buf: unknown, n: number): void {
  if (!(buf instanceof Float64Array) || buf.length !== n) {
    const found = buf instanceof Float64Array ? `a Float64Array of ${buf.length} values` : describe(buf);
    throw new XentError(
      buf instanceof Float64Array ? 'SHAPE_MISMATCH' : 'INVALID_ARGUMENT',
      `${owner}: ${what} is ${found}; it must be a Float64Array of ${n} values, one per value of p (use one state per parameter).`,
    );
  }
}
