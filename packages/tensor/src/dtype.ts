import { UNNAMED, XentError } from './errors.js';

/** The three dtypes: float64 (default), float32, int32 (labels). */
export type DType = 'float64' | 'float32' | 'int32';
/** The storage of each dtype: Float64Array (float64), Float32Array (float32), Int32Array (int32). */
export type TypedArray = Float64Array | Float32Array | Int32Array;

/**
 * The most elements one tensor may hold: 2^28 (2 GiB of float64). Larger
 * requests are refused with a message instead of a RangeError from the engine
 * (or an allocation that exhausts the machine's memory).
 */
export const MAX_ELEMENTS = 2 ** 28;

/**
 * A zero-filled typed array of `size` elements. Throws INVALID_ARGUMENT above
 * MAX_ELEMENTS, DTYPE for a dtype xent does not have.
 */
export function allocate(dtype: DType, size: number): TypedArray {
  if (!(size >= 0 && size <= MAX_ELEMENTS)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${UNNAMED}a tensor of ${size} elements was requested; the limit is ${MAX_ELEMENTS} (2^28) elements per tensor — use smaller shapes or batches.`,
    );
  }
  switch (dtype) {
    case 'float64':
      return new Float64Array(size);
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    default:
      throw new XentError('DTYPE', `${UNNAMED}dtype ${String(dtype)} is not one of 'float64', 'float32', 'int32'.`);
  }
}

export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  return 'int32';
}

/** True for the floating dtypes (float64, float32), false for int32. */
export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/**
 * Result dtype of a float op: the float inputs decide (float32 stays float32,
 * float32 with float64 gives float64); int32 inputs (labels) do not vote, and
 * an op over int32 only computes in float64.
 */
export function promote(a: DType, b: DType = a): 'float64' | 'float32' {
  if (a === 'float64' || b === 'float64') return 'float64';
  return a === 'float32' || b === 'float32' ? 'float32' : 'float64';
}

/** promote over any number of dtypes (concat). */
export function promoteAll(dtypes: readonly DType[]): 'float64' | 'float32' {
  return dtypes.reduce<'float64' | 'float32' | 'int32'>(
    (acc, d) => (acc === 'int32' ? d : d === 'int32' ? acc : promote(acc, d)),
    'int32',
  ) === 'float32'
    ? 'float32'
    : 'float64';
}
