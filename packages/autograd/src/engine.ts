// The tape (docs/DESIGN.md, "The engine"). applyOp runs an op's forward and, when some
// input needs a gradient, records one Node. gradients() then walks the recorded graph
// once, newest node first (reverse recording order is a topological order), hands each
// node the gradient of its output, adds up what comes back per input, and frees the
// graph. Read top-down, as micrograd's backward().
import { Tensor, XentError, add, clone, fmtShape, isContiguous, ones, sameShape, tensor, versionOf, type GradNode } from '@xent/tensor';
import { toTensors, type Input } from './convert.js';
import { isGradEnabled, noGrad } from './gradMode.js';
import type { AnyOpDef, OpDef } from './opDef.js';
import { checkBackwardResult, checkForwardResult, checkInputCount, fitGradient, inputName } from './protocol.js';

/** One recorded op application (PyTorch's grad_fn). */
export interface Node extends GradNode {
  readonly op: AnyOpDef;
  /** needsGrad[i]: input i requires a gradient and the op differentiates it. */
  readonly needsGrad: readonly boolean[];
  /** What backward needs, released (null) when the graph is freed: no batch outlives its backward. */
  record: NodeRecord | null;
}

/** The values a node keeps for its backward. */
export interface NodeRecord {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly attrs: unknown;
  readonly saved: unknown;
  /** The storage version of each input, then of out, when the op ran (see versionOf). */
  readonly versions: readonly number[];
}

let nextId = 1;

/**
 * Runs an op. Forward always runs with recording off (so an op built from other ops is
 * one node). A node is recorded only when grad mode is on and some differentiable
 * input requires a gradient.
 */
export function applyOp<A, S>(op: OpDef<A, S>, rawInputs: readonly Input[], attrs: A): Tensor {
  const inputs = toTensors(rawInputs, op);
  checkInputCount(op, inputs.length);
  const recording = isGradEnabled();
  const needsGrad = inputs.map((x, i) => recording && x.requiresGrad && op.differentiable?.[op.variadic ? 0 : i] !== false);
  const result = noGrad(() => op.forward(inputs, attrs, { needsGrad }));
  checkForwardResult(op, result);
  // A forward may hand back one of its inputs, or a tensor that already has a node:
  // the output gets a Tensor of its own over the same view, so no node is overwritten.
  const out = result.out.requiresGrad || result.out.node !== null || inputs.includes(result.out) ? new Tensor(result.out.view) : result.out;
  if (!needsGrad.includes(true)) return out;
  const versions = [...inputs, out].map(versionOf);
  const node: Node = { id: nextId++, op, needsGrad, record: { inputs, out, attrs, saved: result.saved, versions } };
  out.requiresGrad = true;
  out.node = node;
  return out;
}

/** Options of backward and gradients. */
export interface GradientsOptions {
  /** Seed gradient ⟨dy, y⟩; needed when y has more than one element. Copied, never kept. */
  dy?: Input;
  /** Keep saved values so the graph can be walked again (default false: free it). */
  retainGraph?: boolean;
}

/**
 * Reverse-mode sweep from y. Returns the gradient of ⟨dy, y⟩ for every tensor on the
 * way (leaves included), summed over every path that reaches it. Throws GRAPH_FREED for
 * a graph an earlier backward freed, MODIFIED_IN_PLACE when a saved tensor was written
 * since its op ran, and INVALID_ARGUMENT naming the op when a backward breaks the protocol.
 */
export function gradients(y: Tensor, { dy, retainGraph = false }: GradientsOptions = {}, where = 'backward'): Map<Tensor, Tensor> {
  const seed = seedFor(y, dy, where);
  const nodes = topologicalOrder(y, where);
  for (const node of nodes) checkVersions(node, where); // before any backward runs: a failed call changes nothing
  const grads = new Map<Tensor, Tensor>([[y, seed]]);
  try {
    noGrad(() => {
      for (const node of nodes) {
        if (node.record === null) throw freedError(node, where); // freed by a re-entrant inner backward
        const { inputs, out, attrs, saved } = node.record;
        const g = grads.get(out);
        if (g === undefined) continue;
        const ctx = { inputs, out, attrs, needsGrad: node.needsGrad, lastUse: !retainGraph };
        const dxs = checkBackwardResult(node.op, node.op.backward(g, saved, ctx), node.needsGrad, where);
        for (let i = 0; i < inputs.length; i++) {
          if (!node.needsGrad[i]) continue;
          const x = inputs[i];
          const dx = fitGradient(node.op, i, dxs[i]!, x, where);
          const prev = grads.get(x);
          grads.set(x, prev === undefined ? dx : add(prev, dx)); // a tensor used twice gets both contributions
        }
      }
    });
  } finally {
    if (!retainGraph) for (const node of nodes) node.record = null;
  }
  return grads;
}

/**
 * backward(y): accumulates d⟨dy, y⟩/dx into x.grad for every leaf x that requires a
 * gradient (PyTorch semantics: grads add up until zeroGrad). Each .grad owns its data.
 */
export function backward(y: Tensor, options: GradientsOptions = {}): void {
  if (!(y instanceof Tensor) || !y.requiresGrad) {
    throw new XentError(
      'NO_GRADIENT',
      `backward: the output does not depend on any tensor that requires a gradient; make the inputs with param(), and do not call it inside noGrad().`,
    );
  }
  const grads = gradients(y, options, 'backward');
  const given = new Set<unknown>();
  for (const [x, g] of grads) {
    if (x.node !== null || !x.requiresGrad) continue;
    x.grad = x.grad ? add(x.grad, g) : ownedGradient(g, given);
  }
}

/** g itself when it is a contiguous tensor over exactly its own data, not yet handed out; else a copy. */
export function ownedGradient(g: Tensor, given: Set<unknown>): Tensor {
  const v = g.view;
  const owned = isContiguous(g) && v.offset === 0 && v.data.length === g.size && !given.has(v.data);
  const out = owned ? g : clone(g);
  given.add(out.view.data);
  return out;
}

/** Every node y depends on, newest first: reverse recording order is a topological order. */
function topologicalOrder(y: Tensor, where: string): Node[] {
  const seen = new Set<Node>();
  const stack = [y.node as Node | null];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || seen.has(node)) continue;
    if (node.record === null) throw freedError(node, where);
    seen.add(node);
    node.record.inputs.forEach((x, i) => node.needsGrad[i] && stack.push(x.node as Node | null));
  }
  return [...seen].sort((a, b) => b.id - a.id);
}

/** The seed: a private copy of dy (or ones for a single value), never the caller's object. */
function seedFor(y: Tensor, dy: Input | undefined, where: string): Tensor {
  const dtype = y.dtype === 'int32' ? 'float64' : y.dtype;
  if (dy === undefined) {
    if (y.size !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: the output has shape ${fmtShape(y.shape)}, not a single value; pass a seed dy of that shape, or reduce the output first (sum, mean).`,
      );
    }
    return ones(y.shape, dtype);
  }
  const seed = dy instanceof Tensor ? clone(dy) : tensor(dy, { dtype });
  if (!sameShape(seed.shape, y.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: the seed dy has shape ${fmtShape(seed.shape)} but the output has shape ${fmtShape(y.shape)}; they must be equal.`,
    );
  }
  return seed;
}

/** A saved tensor written in place since its op ran would give the gradient at the new values: refuse. */
function checkVersions(node: Node, where: string): void {
  const { inputs, out, versions } = node.record!;
  [...inputs, out].forEach((t, i) => {
    if (versionOf(t) === versions[i]) return;
    const what = i < inputs.length ? `input '${inputName(node.op, i)}'` : 'output';
    throw new XentError(
      'MODIFIED_IN_PLACE',
      `${where}: the ${what} of op '${node.op.name}' (node ${node.id}) was modified in place after the op used it ` +
        `(version ${versions[i]} → ${versionOf(t)}), so its gradient would be wrong; call backward() before writing ` +
        `(e.g. before opt.step()), or recompute the forward pass after the write.`,
    );
  });
}

function freedError(node: Node, where: string): XentError {
  return new XentError(
    'GRAPH_FREED',
    `${where}: the graph through op '${node.op.name}' (node ${node.id}) was freed by an earlier backward; ` +
      `recompute the forward pass, or pass { retainGraph: true } to the first backward.`,
  );
}
