// The op protocol, checked (docs/DESIGN.md, "The op protocol"): a user op that breaks it
// gets an XentError naming the op, not a TypeError from deep inside the engine.
import { Tensor, XentError, sumTo } from '@xent/tensor';
import { broadcastsTo, fmtShape, sameShape, cast } from '@xent/tensor/internal';
import type { AnyOpDef } from './opDef.js';

/** The name of input i of an op, for messages: 'logits', or 'tensors[2]' for a variadic op. */
export function inputName(op: AnyOpDef, i: number): string {
  return op.variadic ? `${op.inputs[0]}[${i}]` : op.inputs[i];
}

/** The usual source of extra arguments: Array.prototype.map passes (value, index, array). */
export const MAP_HINT = ' (xs.map(f) calls f(x, index, array): write xs.map((x) => f(x)))';

/** An op takes exactly its declared inputs (a variadic op at least one). */
export function checkInputCount(op: AnyOpDef, n: number): void {
  if (op.variadic ? n === 0 : n !== op.inputs.length) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${op.name}: expects ${op.inputs.length} input${op.inputs.length === 1 ? '' : 's'} (${op.inputs.join(', ')}), got ${n}; pass exactly ${op.variadic ? 'one or more' : op.inputs.length}` +
        `${n > op.inputs.length ? MAP_HINT : ''}.`,
    );
  }
}

/** An int32 input that requires a gradient (set by hand): integer tensors are labels and never get gradients, as param() says. */
export function integerGradError(op: AnyOpDef, i: number): XentError {
  return new XentError(
    'DTYPE',
    `${op.name}: input '${inputName(op, i)}' is int32 and requires a gradient; integers never get one (set requiresGrad = false).`,
  );
}

/** forward must return { out: Tensor, saved }. */
export function checkForwardResult(op: AnyOpDef, result: unknown): asserts result is { out: Tensor; saved: unknown } {
  if (result instanceof Tensor || typeof result !== 'object' || result === null || !((result as { out?: unknown }).out instanceof Tensor)) {
    const found = result instanceof Tensor ? 'a bare Tensor' : result === null ? 'null' : typeof result;
    throw new XentError(
      'INVALID_ARGUMENT',
      `op '${op.name}': forward returned ${found}; it must return { out: Tensor, saved } (saved: whatever backward needs, or undefined).`,
    );
  }
}

/** backward must return an array with one entry per input: a Tensor, or null where no gradient is needed. */
export function checkBackwardResult(op: AnyOpDef, dxs: unknown, needsGrad: readonly boolean[], where: string): readonly (Tensor | null)[] {
  if (!Array.isArray(dxs) || dxs.length !== needsGrad.length) {
    const found = Array.isArray(dxs) ? `${dxs.length} gradients` : dxs === null ? 'null' : typeof dxs;
    throw new XentError('INVALID_ARGUMENT', `${where}: the backward of op '${op.name}' returned ${found}; ${backwardFix(needsGrad)}.`);
  }
  for (let i = 0; i < needsGrad.length; i++) {
    const dx: unknown = dxs[i];
    if (needsGrad[i] && !(dx instanceof Tensor)) {
      throw new XentError(
        'NO_GRADIENT',
        `${where}: op '${op.name}' returned ${dx === null ? 'null' : typeof dx} as the gradient of its differentiable input '${inputName(op, i)}'; ${backwardFix(needsGrad)}.`,
      );
    }
  }
  return dxs as (Tensor | null)[];
}

/** What a backward must return, for the messages above (built only when one is thrown). */
function backwardFix(needsGrad: readonly boolean[]): string {
  return `return an array of ${needsGrad.length} entries, one per input (a Tensor, or null for an input that needs no gradient)`;
}

/** dx summed back to x's shape for a broadcasting op, in x's float dtype; any other shape is a protocol error. */
export function fitGradient(op: AnyOpDef, i: number, dx: Tensor, x: Tensor, where: string): Tensor {
  // Summed back only where x broadcasts to dx; any other shape is refused below, naming the op (sumTo's refusal would name sumTo).
  if (op.broadcast && broadcastsTo(x.view.shape, dx.view.shape)) dx = sumTo(dx, x.view.shape);
  if (!sameShape(dx.view.shape, x.view.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: op '${op.name}' returned a gradient of shape ${fmtShape(dx.shape)} for input '${inputName(op, i)}' of shape ${fmtShape(x.shape)}; ` +
        `a gradient must have its input's shape or, for an op declaring broadcast: true, a shape the input broadcasts to.`,
    );
  }
  return dx.dtype !== x.dtype ? cast(dx, x.dtype) : dx; // x is float: int32 inputs never take a gradient (integerGradError)
}
