// Is there a recorded graph, and is it still usable? Not when nothing was recorded (NO_GRADIENT),
// not once an earlier backward freed it (GRAPH_FREED), and not when a tensor an op saved was
// written in place since (MODIFIED_IN_PLACE).
import { XentError, writtenSince } from '@xent/tensor';
import type { Node } from './engine.js';
import { inputName } from './protocol.js';

/** A saved tensor written in place since its op ran would give the gradient at the new values: refuse. */
export function checkVersions(node: Node, where: string): void {
  const { inputs, out, clock } = node;
  for (let i = 0; i <= inputs.length; i++) {
    if (!writtenSince(i < inputs.length ? inputs[i] : out, clock)) continue;
    const what = i < inputs.length ? `input '${inputName(node.op, i)}'` : 'output';
    throw new XentError(
      'MODIFIED_IN_PLACE',
      `${where}: the ${what} of op '${node.op.name}' (node ${node.id}) was modified in place after the op used it, ` +
        `so its gradient would be wrong; call backward() before writing (e.g. before opt.step()), or recompute the forward pass after the write.`,
    );
  }
}

/** The error for a node whose saved values an earlier backward released. */
export function freedError(node: Node, where: string): XentError {
  return new XentError(
    'GRAPH_FREED',
    `${where}: the graph through op '${node.op.name}' (node ${node.id}) was freed by an earlier backward; ` +
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
