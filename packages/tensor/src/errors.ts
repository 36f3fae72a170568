/**
 * XentError: every refusal in xent carries a machine-readable `code` and a
 * message that names the function, the argument, what was found and the fix.
 */
export type XentErrorCode =
  | 'SHAPE_MISMATCH'
  | 'SINGLE_CLASS_SOFTMAX'
  | 'NOT_PROBABILITIES'
  | 'NOT_DISTRIBUTION'
  | 'LABEL_OUT_OF_RANGE'
  | 'BAD_TARGETS'
  | 'DTYPE'
  | 'INVALID_OPTION'
  | 'AXIS_OUT_OF_RANGE'
  | 'INVALID_ARGUMENT'
  | 'GRAPH_FREED'
  | 'NO_GRADIENT'
  | 'NON_FINITE_GRADIENT'
  | 'GRADCHECK_FAILED'
  | 'MODIFIED_IN_PLACE';

/**
 * The one error xent throws for bad input or a failed check: `code` says which kind (SHAPE_MISMATCH, DTYPE, …) for
 * programs to branch on, and the message names the function, the argument, what was found and the fix.
 */
export class XentError extends Error {
  readonly code: XentErrorCode;
  constructor(code: XentErrorCode, message: string) {
    super(message);
    this.name = 'XentError';
    this.code = code;
  }
}

/** The prefix of a refusal raised below any public function (allocate's size limit); the public wrapper replaces it with its name. */
export const UNNAMED = 'xent: ';

/** How to call a function that got too many arguments, when the extra ones were axes or options spread out. */
export const SPREAD_FIX = 'pass axes as one array (e.g. [0, 1]), options as one object';

/**
 * Refuses a call with more than `max` arguments (`n` given): JavaScript drops the extra ones, and with them what the
 * caller meant (zeros([2], 'float32', 5) lost the 5, K.add(x, W, b) lost b). `fix` says how to call `where` instead.
 */
export function checkArgCount(where: string, n: number, max: number, fix = SPREAD_FIX): void {
  if (n > max)
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: takes ${max ? `at most ${max} argument${max > 1 ? 's' : ''}` : 'no arguments'}, got ${n}; ${fix}.`,
    );
}

/** Formats a shape the way NumPy prints it: [2, 3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
