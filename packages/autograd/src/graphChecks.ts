// Is there a recorded graph, and is it still usable? Not when nothing was recorded (NO_GRADIENT),
// not once an earlier backward freed it (GRAPH_FREED), not when a tensor an op saved was
// written in place since (MODIFIED_IN_PLACE), and not when it reaches an argument of a grad
// that is still running its f (grad(grad(f)), INVALID_ARGUMENT).
import { Tensor, XentError } from '@xent/tensor';
import { writtenSince } from '@xent/tensor/internal';
import type { Node } from './engine.js';
import { checkHeldGrad } from './gradientValues.js';
import { inputName } from './protocol.js';

/**
 * A saved tensor (an input, the output, or a Tensor among the attributes, such as gather's indices)
 * written in place since its op ran would give the gradient at the new values: refuse.
 */
export function checkVersions(node: Node, where: string): void {
  const { inputs, out, clock, attrs } = node;
  const saved: [Tensor, string][] = inputs.map((x, i) => [x, `input '${inputName(node.op, i)}'`]);
  saved.push([out, 'output']);
  if (attrs !== null && typeof attrs === 'object') {
    for (const [k, v] of Object.entries(attrs)) if (v instanceof Tensor) saved.push([v, `attribute '${k}'`]);
  }
  for (const [t, what] of saved) {
    if (!writtenSince(t, clock)) continue;
    throw new XentError(
      'MODIFIED_IN_PLACE',
      `${where}: the ${what} of op '${node.op.name}' (node ${node.id}) was modified in place after the op used it (its gradient would be wrong); ` +
        `call backward() before writing (before opt.step()), or recompute the forward pass.`,
    );
  }
}

/** The error for a node whose saved values an earlier backward released. */
export function freedError(node: Node, where: string): XentError {
  return new XentError(
    'GRAPH_FREED',
    `${where}: the graph through op '${node.op.name}' (node ${node.id}) was freed by ${node.freed || 'an earlier backward'}; ` +
      `recompute the forward pass, or pass { retainGraph: true } to the first backward.`,
  );
}

/** The error for backward(y) when y was not recorded: nothing it depends on requires a gradient. */
export function noGraphError(where: string): XentError {
  return new XentError(
    'NO_GRADIENT',
    `${where}: the output does not depend on any tensor that requires a gradient; make the inputs with param(), and do not call it inside noGrad().`,
  );
}

/** The arguments of the grad/valueAndGrad calls whose f is running now (transforms.ts adds and removes them). */
export const differentiating = new Set<Tensor>();

/** The refusal of gradients of gradients: what a grad gets from a sweep inside its f is a constant to it. */
export function nestedGradError(where: string, what: string): XentError {
  return new XentError(
    'INVALID_ARGUMENT',
    `${where}: ${what} a grad whose f is running; grad(grad(f)) is not supported (it would see a constant) — differentiate by hand, or detach(x).`,
  );
}

/** A sweep inside a grad's f must not reach its arguments (see nestedGradError); checked before any backward runs. */
/**
 * The checks of a sweep's order, before anything runs or is freed: inside a grad's f, that no argument of it is reached;
 * with `leaves` (backward), that no leaf's .grad set by hand would be refused when the gradients are added to it.
 */
export function checkOrder(y: Tensor, order: readonly Node[], where: string, leaves: boolean): void {
  if (differentiating.size > 0) checkNotDifferentiating(y, order, where);
  if (!leaves) return;
  for (const n of order) {
    for (let i = 0; i < n.inputs.length; i++) if (n.needsGrad[i] && n.inputs[i].node === null) checkHeldGrad(n.inputs[i], where);
  }
}

export function checkNotDifferentiating(y: Tensor, order: readonly Node[], where: string): void {
  const reaches = differentiating.has(y) || order.some((n) => n.inputs.some((x, i) => n.needsGrad[i] && differentiating.has(x)));
  if (reaches) throw nestedGradError(where, 'this graph reaches an argument of');
}
