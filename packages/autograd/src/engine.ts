// The tape (docs/DESIGN.md, "The engine"). applyOp runs an op's forward and, when some
// input needs a gradient, records one Node. gradients() then walks the recorded graph
// once, newest node first (reverse recording order is a topological order), hands each
// node the gradient of its output, adds up what comes back per input, and frees the
// graph. Read top-down, as micrograd's backward().
import { Tensor, XentError, add, type GradNode } from '@xent/tensor';
import { writeClock } from '@xent/tensor/internal';
import { toTensors, type Input } from './convert.js';
import { isGradEnabled, noGrad, setGradEnabled } from './gradMode.js';
import type { AnyOpDef, OpDef } from './opDef.js';
import { checkVersions, freedError } from './graphChecks.js';
import { ownedGradient, readGradientsOptions, seedFor } from './gradientValues.js';
import { checkBackwardResult, checkForwardResult, checkInputCount, fitGradient } from './protocol.js';

/** One recorded op application (PyTorch's grad_fn). */
export interface Node extends GradNode {
  readonly op: AnyOpDef;
  /** needsGrad[i]: input i requires a gradient and the op differentiates it. */
  readonly needsGrad: readonly boolean[];
  /** What backward needs; released when the graph is freed (freed: true), so no batch outlives its backward. */
  inputs: readonly Tensor[];
  out: Tensor | null;
  attrs: unknown;
  saved: unknown;
  /** The write clock when the op ran (see writtenSince). */
  readonly clock: number;
  freed: boolean;
  /** The gradient of out while a sweep runs (on the node rather than in a Map: −20 % backward time, autograd-overhead bench). */
  grad: Tensor | undefined;
  /** The sweep that last reached this node (a mark on the node rather than a Set: −25 % backward time, autograd-overhead bench). */
  seen: number;
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
  let anyNeedsGrad = false;
  const needsGrad = inputs.map((x, i) => {
    const needs = recording && x.requiresGrad && op.differentiable?.[op.variadic ? 0 : i] !== false;
    anyNeedsGrad ||= needs;
    return needs;
  });
  setGradEnabled(false); // forward runs on plain tensors: an op built from other ops is one node
  let result: { out: Tensor; saved: S };
  try {
    result = op.forward(inputs, attrs, { needsGrad });
  } finally {
    setGradEnabled(recording);
  }
  checkForwardResult(op, result);
  // A forward may hand back one of its inputs, or a tensor that already has a node:
  // the output gets a Tensor of its own over the same view, so no node is overwritten.
  const out = result.out.requiresGrad || result.out.node !== null || inputs.includes(result.out) ? new Tensor(result.out.view) : result.out;
  if (!anyNeedsGrad) return out;
  const node: Node = {
    id: nextId++,
    op,
    needsGrad,
    inputs,
    out,
    attrs,
    saved: result.saved,
    clock: writeClock(),
    freed: false,
    grad: undefined,
    seen: 0,
  };
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
export function gradients(y: Tensor, options: GradientsOptions = {}, where = 'gradients'): Map<Tensor, Tensor> {
  return sweep(y, options, where, true);
}

/** The sweep behind gradients and backward; without keepAll, a gradient is dropped once its node has used it. */
function sweep(y: Tensor, options: GradientsOptions, where: string, keepAll: boolean): Map<Tensor, Tensor> {
  const { dy, retainGraph } = readGradientsOptions(options, where);
  const seed = seedFor(y, dy, where);
  const nodes = topologicalOrder(y, where);
  // Before any backward runs (a failed call changes nothing); nothing to look at unless something was written since.
  for (const node of nodes) if (node.clock !== writeClock()) checkVersions(node, where);
  const grads = new Map<Tensor, Tensor>(); // the leaves' gradients (every tensor's with keepAll)
  if (y.node === null) grads.set(y, seed);
  else (y.node as Node).grad = seed;
  try {
    noGrad(() => {
      for (const node of nodes) {
        if (node.freed) throw freedError(node, where); // freed by a re-entrant inner backward
        const g = node.grad;
        node.grad = undefined;
        if (g === undefined) continue;
        if (keepAll) grads.set(node.out!, g);
        const ctx = { inputs: node.inputs, out: node.out!, attrs: node.attrs, needsGrad: node.needsGrad, lastUse: !retainGraph };
        const dxs = checkBackwardResult(node.op, node.op.backward(g, node.saved, ctx), node.needsGrad, where);
        for (let i = 0; i < node.inputs.length; i++) {
          if (!node.needsGrad[i]) continue;
          const x = node.inputs[i];
          const dx = fitGradient(node.op, i, dxs[i]!, x, where);
          // Accumulate: a tensor used twice gets both contributions.
          const producer = x.node as Node | null;
          if (producer !== null) producer.grad = producer.grad === undefined ? dx : add(producer.grad, dx);
          else grads.set(x, grads.has(x) ? add(grads.get(x)!, dx) : dx);
        }
      }
    });
  } finally {
    for (const node of nodes) {
      node.grad = undefined;
      if (!retainGraph) free(node);
    }
  }
  return grads;
}

/** Releases what a node kept for its backward. */
function free(node: Node): void {
  node.inputs = [];
  node.out = null;
  node.attrs = undefined;
  node.saved = undefined;
  node.freed = true;
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
  const given = new Set<unknown>();
  sweep(y, options, 'backward', false).forEach((g, x) => {
    if (x.node === null && x.requiresGrad) x.grad = x.grad ? add(x.grad, g) : ownedGradient(g, given);
  });
}

/** Every node y depends on, newest first: reverse recording order is a topological order. */
function topologicalOrder(y: Tensor, where: string): Node[] {
  const mark = ++sweeps;
  const found: Node[] = [];
  const stack = [y.node as Node | null];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || node.seen === mark) continue;
    if (node.freed) throw freedError(node, where);
    node.seen = mark;
    found.push(node);
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) if (node.needsGrad[i]) stack.push(inputs[i].node as Node | null);
  }
  return found.sort((a, b) => b.id - a.id);
}
let sweeps = 0;
