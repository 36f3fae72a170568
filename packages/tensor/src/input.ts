// Checks for what a user hands to xent: values, dtypes, shapes and sizes. Each
// refusal is an XentError that names the function, the argument, what was found
// (with its JavaScript type) and the fix, so that nothing odd is ever coerced
// silently (a string '2' to 2, null to 0, NaN to the int32 label 0).
import { MAX_ELEMENTS, type DType } from './dtype.js';
import { XentError, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';
import { customOption, parseOptions } from './options.js';

/** The dtypes xent has. */
export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32'];

/** The largest rank a tensor may have (NumPy's limit): deeper nesting is a mistake, or a cycle. */
export const MAX_RANK = 32;

/** Largest finite float32 (values above it round to Infinity). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** "a string ('2')", "null", "a Date": what a value is, for messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'number':
      return `the number ${v}`;
    case 'string':
      return `a string (${JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v)})`;
    case 'boolean':
      return `a boolean (${v})`;
    case 'bigint':
      return `a bigint (${v}n)`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  const ctor = (v as { constructor?: { name?: unknown } }).constructor;
  const name = typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
  return name === 'Object' ? 'a plain object' : `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** Prints a user-supplied value for a message: 0.9, NaN, [0.9, 1], 'abc', a Float32Array, a tensor of shape [2]. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.slice(0, 6).map(formatValue).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  if (v instanceof Tensor) return `a tensor of shape ${fmtShape(v.shape)}`;
  return (typeof v === 'object' && v !== null) || typeof v === 'function' ? describe(v) : String(v); // "a Float32Array", "a plain object"
}

/** Throws DTYPE unless `dtype` is one of xent's dtypes. */
export function checkDtype(dtype: unknown, where: string): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new XentError(
      'DTYPE',
      `${where}: dtype is ${typeof dtype === 'string' ? `'${dtype}'` : describe(dtype)}; xent has 'float64' (default), 'float32' and 'int32' — pick one of those${
        dtype === 'int64' || dtype === 'uint8' || dtype === 'int8' || dtype === 'int16' ? " ('int32' for labels)" : ''
      }${dtype === 'float16' || dtype === 'bfloat16' ? " ('float32' for half memory)" : ''}.`,
    );
  }
}

/**
 * Throws INVALID_ARGUMENT unless `shape` is an array of at most MAX_RANK whole
 * numbers ≥ 0 whose product is at most MAX_ELEMENTS. Returns the element count.
 */
export function checkShape(shape: unknown, where: string, name = 'shape'): number {
  if (!Array.isArray(shape)) {
    throw new XentError('INVALID_ARGUMENT', `${where}: ${name} is ${describe(shape)}; pass an array of sizes such as [2, 3].`);
  }
  if (shape.length > MAX_RANK) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: ${name} has ${shape.length} axes; the limit is ${MAX_RANK} axes — use a shape with at most ${MAX_RANK} sizes.`,
    );
  }
  let size = 1;
  for (let k = 0; k < shape.length; k++) {
    const d: unknown = shape[k];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${where}: ${name} [${shape.map(String).join(', ')}] has ${typeof d === 'number' ? d : describe(d)} at axis ${k}; every size must be a whole number ≥ 0.`,
      );
    }
    size *= d;
  }
  if (!(size <= MAX_ELEMENTS)) checkSize(size, where, `${name} ${fmtShape(shape as number[])}`); // the label is built only on refusal
  return size;
}

/** Throws INVALID_ARGUMENT when a tensor of `size` elements exceeds MAX_ELEMENTS. */
export function checkSize(size: number, where: string, what: string): void {
  if (!(size <= MAX_ELEMENTS)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: ${what} holds ${size} elements; the limit is ${MAX_ELEMENTS} (2^28) elements per tensor — use smaller shapes or batches.`,
    );
  }
}

/**
 * Checks one value about to be stored in a tensor of `dtype`: a number; for
 * int32 a whole number in [−2^31, 2^31) (NaN or 1.5 would become a different,
 * valid label); for float32 not a finite number that would round to ±Infinity.
 * `at` names the entry ("values[1][2]").
 */
export function checkValue(v: unknown, dtype: DType, where: string, at: string): void {
  if (typeof v !== 'number') {
    const hint = typeof v === 'bigint' ? ' — convert with Number()' : typeof v === 'string' ? ' — parse it with Number() first' : '';
    throw new XentError('INVALID_ARGUMENT', `${where}: ${at} is ${describe(v)}; every entry must be a number${hint}.`);
  }
  if (dtype === 'int32') {
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${where}: ${at} is ${v}, which int32 cannot hold exactly (whole numbers in [-2147483648, 2147483647] only); ` +
          `round it yourself (Math.round) or use dtype 'float64'.`,
      );
    }
  } else if (dtype === 'float32' && (v > FLOAT32_MAX || v < -FLOAT32_MAX) && Number.isFinite(v)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: ${at} is ${v}, beyond float32's largest value ${FLOAT32_MAX} (it would become Infinity); use dtype 'float64'.`,
    );
  }
}

/** Checks every value of an array-like that is converted to `dtype` (int32 and float32 only can lose a value). */
export function checkValues(data: ArrayLike<number>, dtype: DType, where: string, name: string): void {
  if (dtype === 'float64') return;
  for (let i = 0; i < data.length; i++) checkValue(data[i], dtype, where, `${name}[${i}]`);
}

/** An option read as given (its checks follow in the caller, with their own codes, e.g. DTYPE). */
const passThrough = customOption<unknown, unknown>(undefined, (v) => v);

/**
 * Reads an options object through the shared validator (parseOptions): undefined
 * means "no options", null is INVALID_OPTION; an unknown name is INVALID_OPTION with the
 * nearest allowed name. The values are returned as given, for the caller to check.
 */
export function readOptions<T extends object>(options: unknown, allowed: readonly string[], where: string): Partial<T> {
  // null goes to parseOptions, which refuses it, as for the losses, optimizers and backward.
  if (options === undefined) return Object.create(null) as Partial<T>; // no Object.prototype: a polluted one gives no options
  const schema = Object.fromEntries(allowed.map((k) => [k, passThrough]));
  return parseOptions(where, options, schema) as Partial<T>;
}

/** Throws INVALID_ARGUMENT unless x is a finite number. */
export function checkFinite(x: unknown, where: string, name: string): asserts x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new XentError('INVALID_ARGUMENT', `${where}: ${name} is ${typeof x === 'number' ? x : describe(x)}; pass a finite number.`);
  }
}
