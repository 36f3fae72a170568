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

/** Formats a shape the way NumPy prints it: [2, 3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
