// Reads the graph xent's autograd recorded for a loss: every tensor on the
// way (leaves and op outputs) with its inputs, value and the gradient of the
// loss with respect to it (one sweep with a retained graph, so the caller's own
// backward still works afterwards).
import { gradients, type Node } from '@xent/autograd';
import { readFlat, type Tensor } from '@xent/tensor';

/** One tensor of the recorded graph. */
export interface TapeNode {
  /** Position in recording order (leaves first, then ops in the order they ran). */
  id: number;
  /** The tensor's name for a leaf (x, W, b, …), else the op's name. */
  name: string;
  /** The op that produced it, or null for a leaf. */
  op: string | null;
  /** Ids of the op's inputs, in argument order. */
  inputs: number[];
  /** Whether the loss has a gradient with respect to it (leaves made by param() and every op output on the way). */
  requiresGrad: boolean;
  shape: number[];
  value: number[];
  /** ∂loss/∂(this tensor), flat, or null when nothing flows here (data, targets). */
  grad: number[] | null;
}

/** The graph that produced `loss` (a scalar), inputs before the ops that use them. */
export function readTape(loss: Tensor): TapeNode[] {
  const seen = new Set<Tensor>();
  const stack: Tensor[] = [loss];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const n = t.node as Node | null;
    if (n) for (const x of n.inputs) stack.push(x);
  }
  // Recording order: leaves (no node) first in a stable name order, then ops by node id.
  const nodeId = (t: Tensor): number => (t.node as Node | null)?.id ?? 0;
  const tensors = [...seen].sort((a, b) => nodeId(a) - nodeId(b) || (a.name ?? '').localeCompare(b.name ?? ''));
  const index = new Map(tensors.map((t, i) => [t, i]));
  const grads = gradients(loss, { retainGraph: true }, 'readTape');
  return tensors.map((t, id) => {
    const n = t.node as Node | null;
    const g = grads.get(t);
    return {
      id,
      name: n ? n.op.name : (t.name ?? `const${id}`),
      op: n ? n.op.name : null,
      inputs: n ? n.inputs.map((x) => index.get(x)!) : [],
      requiresGrad: t.requiresGrad,
      shape: [...t.shape],
      value: Array.from(readFlat(t)),
      grad: g ? Array.from(readFlat(g)) : null,
    };
  });
}
