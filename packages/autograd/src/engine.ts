// The tape (docs/DESIGN.md, "The engine"). applyOp runs an op's forward and, when some input needs a
// gradient, records one Node. gradients() walks the recorded graph once in topological order (every node
// before the nodes its inputs come from), hands each node the gradient of its output, adds up what comes
// back per input, and frees the graph. Read top-down, as micrograd's backward().
import { Tensor, add, setGradEnabled, type GradNode } from '@xent/tensor';
import { checkArgCount, clone, writeClock } from '@xent/tensor/internal';
import { isSharedConstant, toTensors, type Input } from './convert.js';
import { isGradEnabled } from './gradMode.js';
import type { AnyOpDef, BackwardContext, OpDef } from './opDef.js';
import { checkOrder, checkVersions, differentiating, freedError, noGraphError } from './graphChecks.js';
import { BACKWARD_FIX, accumulateGrads, readGradientsOptions, seedFor, type GradientsOptions } from './gradientValues.js';
import { checkBackwardResult, checkForwardResult, checkInputCount, fitGradient, integerGradError } from './protocol.js';

/** The id the next recorded node gets: taken before f runs, it is the `since` of gradients (older nodes are f's constants). */
export let nextId = 1;
const NO_INPUTS: readonly Tensor[] = Object.freeze([]);

/** One recorded op application (PyTorch's grad_fn); it is also the context its op's backward receives. */
export class Node implements GradNode, BackwardContext<unknown> {
  readonly id = nextId++;
  /** The write clock when the op ran (see writtenSince). */
  readonly clock = writeClock();
  lastUse = false;
  /** Set by release() to what freed it: inputs, attributes and residuals are dropped, so no batch outlives its backward. */
  freed: false | string = false;
  /** The gradient of out while a sweep runs (on the node rather than in a Map: −20 % backward time, autograd-overhead bench). */
  grad: Tensor | undefined = undefined;
  /** The sweep that last reached this node (a mark on the node rather than a Set: −25 % backward time, autograd-overhead bench). */
  seen = 0;

  /** needsGrad[i]: input i requires a gradient and the op differentiates it. */
  constructor(
    readonly op: AnyOpDef,
    public inputs: readonly Tensor[],
    readonly needsGrad: readonly boolean[],
    readonly out: Tensor,
    public attrs: unknown,
    public saved: unknown,
  ) {}

  /** Drops the sweep's gradient and, unless the graph is retained, what backward needed (as PyTorch does once it ran). */
  release(retainGraph: boolean, by = 'an earlier backward'): void {
    this.grad = undefined;
    if (retainGraph) return;
    this.inputs = NO_INPUTS;
    this.attrs = undefined;
    this.saved = undefined;
    this.freed = by;
  }
}

/** Runs an op, and records a node when grad mode is on and some differentiable input requires a gradient. */
export function applyOp<A, S>(op: OpDef<A, S>, rawInputs: readonly Input[], attrs: A): Tensor {
  checkInputCount(op, rawInputs.length);
  const inputs = toTensors(rawInputs, op);
  const recording = isGradEnabled();
  let anyNeedsGrad = false;
  const needsGrad = new Array<boolean>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    needsGrad[i] = recording && inputs[i].requiresGrad && op.differentiable?.[op.variadic ? 0 : i] !== false;
    if (needsGrad[i] && inputs[i].dtype === 'int32') throw integerGradError(op, i); // labels never get gradients
    anyNeedsGrad ||= needsGrad[i];
  }
  setGradEnabled(false); // forward runs on plain tensors: an op built from other ops is one node
  let result: { out: Tensor; saved: S };
  try {
    result = op.forward(inputs, attrs, { needsGrad });
  } finally {
    setGradEnabled(recording);
  }
  checkForwardResult(op, result);
  // A forward may hand back one of its inputs, or a tensor that already has a node: the output gets a Tensor of its own
  // over the same view, so no node is overwritten. A view of a shared number constant gets a copy (never written).
  let out = result.out;
  if (out.view.data.length === 1 && isSharedConstant(out)) out = clone(out);
  else if (out.requiresGrad || out.node !== null || inputs.includes(out)) out = new Tensor(out.view);
  if (!anyNeedsGrad) return out;
  const node = new Node(op, inputs, needsGrad, out, attrs, result.saved);
  out.requiresGrad = true;
  out.node = node;
  return out;
}

/** Reverse-mode sweep from y: d⟨dy, y⟩ for every tensor y depends on, summed over all paths; throws GRAPH_FREED, MODIFIED_IN_PLACE, … Nodes recorded before `since` are constants, neither walked nor freed (grad and gradCheck stay pure). */
export function gradients(y: Tensor, options: GradientsOptions = {}, where = 'gradients', since = 0): Map<Tensor, Tensor> {
  return sweep(y, options, where, true, differentiating.size > 0 ? 0 : since); // in a grad's f all is walked: reaching its argument is refused
}

/** The sweep behind gradients and backward; without keepAll, a gradient is dropped once its node has used it. */
function sweep(y: Tensor, options: GradientsOptions, where: string, keepAll: boolean, since = 0): Map<Tensor, Tensor> {
  const { dy, retainGraph } = readGradientsOptions(options, where);
  const seed = seedFor(y, dy, where);
  const outer: Node[] = []; // nodes an outer sweep is still adding up on (this sweep runs inside an op's backward)
  const order = topologicalOrder(y, where, outer, since);
  checkOrder(y, order, where, !keepAll); // before anything runs or is freed
  const outerGrads = outer.map((node) => node.grad); // set aside while this sweep runs, given back after it
  for (const node of outer) node.grad = undefined;
  const grads = new Map<Tensor, Tensor>(); // the leaves' gradients (every tensor's with keepAll)
  if (y.node === null) grads.set(y, seed);
  else if ((y.node as Node).id >= since) (y.node as Node).grad = seed; // else y is older than f: a constant
  const recording = setGradEnabled(false); // backward runs on plain tensors
  try {
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k];
      if (node.freed) throw freedError(node, where); // freed by a re-entrant inner backward
      const g = node.grad;
      if (g !== undefined) {
        if (keepAll) grads.set(node.out, g);
        propagate(node, g, grads, !retainGraph, where, since);
      }
      node.release(retainGraph);
    }
  } catch (e) {
    for (const node of order) node.release(retainGraph, 'an earlier backward that failed part-way (its saved values may be overwritten)');
    throw e;
  } finally {
    setGradEnabled(recording);
    outer.forEach((node, k) => (node.grad = outerGrads[k]));
  }
  return grads;
}

/** Runs node's backward on g and adds each input's gradient to what its producer (or the leaf, in grads) has so far. */
function propagate(node: Node, g: Tensor, grads: Map<Tensor, Tensor>, lastUse: boolean, where: string, since: number): void {
  node.lastUse = lastUse;
  const dxs = checkBackwardResult(node.op, node.op.backward(g, node.saved, node), node.needsGrad, where);
  for (let i = 0; i < node.inputs.length; i++) {
    if (!node.needsGrad[i]) continue;
    const x = node.inputs[i];
    const dx = fitGradient(node.op, i, dxs[i]!, x, where);
    // Accumulate: a tensor used twice gets both contributions.
    const producer = x.node as Node | null;
    if (producer === null) grads.set(x, grads.has(x) ? add(grads.get(x)!, dx) : dx);
    else if (producer.id >= since) producer.grad = producer.grad === undefined ? dx : add(producer.grad, dx); // else a constant
  }
}

/**
 * backward(y): accumulates d⟨dy, y⟩/dx into x.grad for every leaf x that requires a
 * gradient (PyTorch semantics: grads add up until zeroGrad). Each .grad owns its data.
 */
export function backward(y: Tensor, options: GradientsOptions = {}): void {
  checkArgCount('backward', arguments.length, 2, BACKWARD_FIX);
  if (!(y instanceof Tensor) || !y.requiresGrad) throw noGraphError('backward');
  accumulateGrads(sweep(y, options, 'backward', false), 'backward');
}

/**
 * Every node y depends on, each after the nodes its inputs come from (the sweep walks it backwards):
 * micrograd's build_topo, a depth-first post-order, iterative so that a deep chain cannot overflow the stack.
 */
function topologicalOrder(y: Tensor, where: string, outer: Node[], since: number): Node[] {
  const mark = ++sweeps;
  const order: Node[] = [];
  const stack: Node[] = [];
  const next: number[] = []; // per stack entry: the next input to visit
  const visit = (node: Node | null): void => {
    if (node === null || node.seen === mark || node.id < since) return;
    if (node.freed) throw freedError(node, where);
    // Before any backward runs (a failed call changes nothing); nothing to look at unless something was written since.
    if (node.clock !== writeClock()) checkVersions(node, where);
    if (node.grad !== undefined) outer.push(node);
    node.seen = mark;
    stack.push(node);
    next.push(0);
  };
  visit(y.node as Node | null);
  while (stack.length > 0) {
    const node = stack[stack.length - 1];
    const i = next[stack.length - 1]++;
    if (i < node.inputs.length) {
      if (node.needsGrad[i]) visit(node.inputs[i].node as Node | null);
    } else {
      order.push(node); // all its inputs' nodes are placed
      stack.pop();
      next.pop();
    }
  }
  return order;
}
let sweeps = 0;
