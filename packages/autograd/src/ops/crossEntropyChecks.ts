// Shape and dtype checks shared by the fused cross-entropy ops (internal to @xent/autograd).
import { Tensor, XentError, readFlat, type TypedArray } from '@xent/tensor';
import { customOption, fmtShape, numberOption, parseOptions, sameShape } from '@xent/tensor/internal';
import { Node } from '../engine.js';

const SPARSE_OPTIONS = {
  ignoreIndex: customOption<number, number | undefined>(undefined, (v, fail) =>
    typeof v === 'number' && Number.isInteger(v) ? v : fail('a whole number, e.g. −100'),
  ),
  // FusedLossAttrs' divisor (fusedLoss.ts), passed by the losses.
  divisor: customOption<number, number | undefined>(undefined, (v, fail) => (typeof v === 'number' && v >= 0 ? v : fail('a number ≥ 0'))),
};
const POLY_OPTIONS = { polyEpsilon: numberOption(2, '(−∞, ∞)', 'the weight of Σ p(1 − softmax(z)), default 2') };

/** The sparse op's options: an unknown name (a typo) is INVALID_OPTION, never silently the default. */
export const readSparseOptions = (raw: unknown): { ignoreIndex: number | undefined; divisor: number | undefined } =>
  parseOptions('sparseSoftmaxCrossEntropyWithLogits', raw, SPARSE_OPTIONS);

/** The poly op's options (see readSparseOptions). */
export const readPolyOptions = (raw: unknown): { polyEpsilon: number } => parseOptions('polyCrossEntropyWithLogits', raw, POLY_OPTIONS);

/** Ops that only move values: probabilities reshaped, transposed or squeezed are still probabilities. */
const MOVES = ['reshape', 'transpose', 'squeeze', 'expandDims', 'broadcastTo'];

/**
 * Logits recorded as the output of softmax or sigmoid (or of those moved by MOVES) are probabilities: a
 * logits loss would apply softmax or sigmoid a second time (softmax(softmax(z)) is nearly uniform, so the
 * loss stays near log C and the gradient shrinks) and run with wrong numbers — the classic mix-up (Keras
 * warns about it). Refused (INVALID_ARGUMENT); `applies` is what the loss applies, `fix` names the
 * probability form. Only recorded tensors know their op: under noGrad this cannot be seen.
 */
export function checkNotProbabilities(where: string, logits: unknown, applies: 'softmax' | 'sigmoid', fix: string): void {
  let node = logits instanceof Tensor ? logits.node : null;
  while (node instanceof Node && MOVES.includes(node.op.name)) node = node.inputs[0]?.node; // freed: no inputs
  const op = node instanceof Node ? node.op.name : null;
  if (op !== 'softmax' && op !== 'sigmoid') return;
  throw new XentError(
    'INVALID_ARGUMENT',
    `${where}: the logits are the output of ${op}, i.e. probabilities, and this loss applies ${applies} to them again, which gives wrong numbers; ` +
      `pass the scores before ${op} (the logits), or ${fix}.`,
  );
}

/** Logits must be float, of rank ≥ 1, with at least 2 classes on the last axis (0 is NOT_DISTRIBUTION, 1 SINGLE_CLASS_SOFTMAX); returns the class count C. */
export function checkLogits(where: string, logits: Tensor): number {
  if (logits.dtype === 'int32') {
    throw new XentError('DTYPE', `${where}: logits are int32; logits must be float — create them with dtype 'float64' or 'float32'.`);
  }
  if (logits.rank < 1) {
    throw new XentError('SHAPE_MISMATCH', `${where}: logits are a scalar; they need a class axis (the last one), e.g. shape [N, C].`);
  }
  const C = logits.view.shape[logits.rank - 1];
  if (C === 0) {
    // As the losses (NOT_DISTRIBUTION): a row with no classes has no softmax, and its targets cannot sum to 1.
    throw new XentError(
      'NOT_DISTRIBUTION',
      `${where}: the class axis of logits ${fmtShape(logits.shape)} has size 0; give logits at least 2 classes.`,
    );
  }
  if (C === 1) {
    throw new XentError(
      'SINGLE_CLASS_SOFTMAX',
      `${where}: the class axis of logits ${fmtShape(logits.shape)} has size 1, so softmax is always 1 and the loss and gradient are always 0; ` +
        `for one output unit (binary) use sigmoidCrossEntropyWithLogits.`,
    );
  }
  return C;
}

/** Targets must have exactly the logits' shape (`what` says what one row or element of them is). */
export function checkSameShape(where: string, targets: Tensor, logits: Tensor, what: string): void {
  if (!sameShape(targets.view.shape, logits.view.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: targets have shape ${fmtShape(targets.shape)} but logits have shape ${fmtShape(logits.shape)}; they must be equal (${what}).`,
    );
  }
}

/** Labels must have the logits' shape without the class axis (a trailing axis of 1 is accepted). */
export function checkLabelShape(where: string, labels: Tensor, logits: Tensor): void {
  const sl = labels.shape;
  const want = logits.shape.slice(0, -1);
  if (!(sameShape(sl, want) || (sl[sl.length - 1] === 1 && sameShape(sl.slice(0, -1), want)))) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: labels have shape ${fmtShape(sl)} but logits ${fmtShape(logits.shape)} need labels of shape ${fmtShape(want)} (one class index per row); ` +
        `for one-hot or soft targets of shape ${fmtShape(logits.shape)} use softmaxCrossEntropyWithLogits.`,
    );
  }
}

/** The checked inputs of a distribution-target op, read as rows × cols flat arrays (targets p, logits z). */
export function distributionRows(
  where: string,
  targets: Tensor,
  logits: Tensor,
): { p: TypedArray; z: TypedArray; rows: number; cols: number } {
  const cols = checkLogits(where, logits);
  checkSameShape(where, targets, logits, 'one distribution per row');
  const z = readFlat(logits);
  return { p: readFlat(targets), z, rows: cols === 0 ? 0 : z.length / cols, cols };
}
