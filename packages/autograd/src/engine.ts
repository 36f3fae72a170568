import { Tensor, XentError, add, cast, clone, fmtShape, isContiguous, ones, sameShape, sumTo, tensor, type GradNode } from '@xent/tensor';
import { toTensors, type Input } from './convert.js';
import { getOp, type AnyOpDef, type OpDef } from './op.js';

/** A recorded op application: one entry of the tape. */
export interface Node extends GradNode {
  readonly op: AnyOpDef;
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
  readonly needsGrad: readonly boolean[];
  readonly out: Tensor;
  saved: unknown;
  /** Set once a backward() has released the saved values. */
  freed: boolean;
  /** The running sweep frees the graph afterwards: backward may overwrite saved values. */
  lastUse: boolean;
  /** Sweep bookkeeping: the number of the last sweep that reached this node, and the gradient of out during it. */
  visit: number;
  grad: Tensor | null;
}

// ---------------------------------------------------------------- grad mode

let gradEnabled = true;
let nextId = 1;

/** Runs fn without recording: nothing inside gets a gradient (optimizer steps, evaluation). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs fn with recording on (inside a noGrad, for example). */
export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

// ---------------------------------------------------------------- recording

/**
 * Runs an op. Forward always runs on plain tensors with recording off (so an
 * op built from other ops is one node). A node is recorded only when grad
 * mode is on and some differentiable input requires a gradient.
 */
export function applyOp<A, S>(op: OpDef<A, S>, rawInputs: readonly Input[], attrs: A): Tensor {
  if (getOp(op.name) !== op) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${op.name}: this op is not in the registry; add it with registerOp (or defineOp) before calling it.`,
    );
  }
  const inputs = toTensors(rawInputs, op);
  if (op.variadic ? inputs.length === 0 : inputs.length !== op.inputs.length) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${op.name}: expects ${op.inputs.length} inputs (${op.inputs.join(', ')}), got ${inputs.length}.`,
    );
  }
  // needsGrad[i]: recording is on, input i requires a gradient and the op differentiates it.
  const recording = gradEnabled;
  let bits = 0;
  for (let i = 0; i < inputs.length; i++) {
    if (recording && inputs[i].requiresGrad && op.differentiable?.[op.variadic ? 0 : i] !== false) bits |= i < 30 ? 1 << i : 1 << 30;
  }
  const any = bits !== 0;
  // One- and two-input ops (nearly all) share a needsGrad array per pattern: one allocation less per node.
  const needsGrad =
    inputs.length <= 2 && recording
      ? SHARED_NEEDS_GRAD[inputs.length][bits]
      : inputs.map((x, i) => recording && x.requiresGrad && op.differentiable?.[op.variadic ? 0 : i] !== false);
  gradEnabled = false; // forward runs on plain tensors: an op built from other ops is one node
  let result: { out: Tensor; saved: S };
  try {
    result = op.forward(inputs, attrs, { needsGrad });
  } finally {
    gradEnabled = recording;
  }
  // A forward may hand back one of its inputs (broadcastTo to the same shape, an
  // identity user op) or a tensor that already belongs to a graph. Recording on
  // that object would overwrite its node (a leaf parameter would become its own
  // op's output and lose its gradient), so the output gets a Tensor of its own
  // over the same view.
  const out = result.out.requiresGrad || result.out.node !== null || inputs.includes(result.out) ? new Tensor(result.out.view) : result.out;
  if (!any) return out;
  const node: Node = {
    id: nextId++,
    op,
    inputs,
    attrs,
    needsGrad,
    out,
    saved: result.saved,
    freed: false,
    lastUse: false,
    visit: 0,
    grad: null,
  };
  out.requiresGrad = true;
  out.node = node;
  return out;
}

// Indexed by input count, then by the bit pattern of the inputs that need a gradient. Never written.
const SHARED_NEEDS_GRAD: boolean[][][] = [
  [[]],
  [[false], [true]],
  [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ],
];

/** The name of input i of an op, for messages: 'logits', or 'tensors[2]' for a variadic op. */
export function inputName(op: AnyOpDef, i: number): string {
  return op.variadic ? `${op.inputs[0]}[${i}]` : op.inputs[i];
}

// ---------------------------------------------------------------- the backward walk

export interface GradientsOptions {
  /** Seed gradient ⟨dy, y⟩; needed when y has more than one element. */
  dy?: Input;
  /** Keep saved values so the graph can be walked again (default false: free it). */
  retainGraph?: boolean;
}

/** g itself when it is a contiguous tensor over exactly its own data, else a copy. */
export function ownedCopy(g: Tensor): Tensor {
  const v = g.view;
  return isContiguous(g) && v.offset === 0 && v.data.length === g.size ? g : clone(g);
}

let sweepCount = 0;

/** Nodes reachable from y, newest first: reverse recording order is a topological order. */
function collectNodes(y: Tensor, sweep: number): Node[] {
  const found: Node[] = [];
  const stack: Node[] = [];
  const start = y.node as Node | null;
  if (start) {
    start.visit = sweep;
    stack.push(start);
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const n = inputs[i].node as Node | null;
      if (n !== null && node.needsGrad[i] && n.visit !== sweep) {
        n.visit = sweep;
        stack.push(n);
      }
    }
  }
  return found.sort((a, b) => b.id - a.id);
}

function seedFor(y: Tensor, dy: Input | undefined, where: string): Tensor {
  if (dy === undefined) {
    if (y.size !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: the output has shape ${fmtShape(y.shape)}, not a single value; pass a seed dy of that shape, or reduce the output first (sum, mean).`,
      );
    }
    return ones(y.shape, y.dtype === 'int32' ? 'float64' : y.dtype);
  }
  const seed = dy instanceof Tensor ? dy : tensor(dy, { dtype: y.dtype === 'int32' ? 'float64' : y.dtype });
  const a = seed.shape;
  const b = y.shape;
  if (!sameShape(a, b)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: the seed dy has shape ${fmtShape(a)} but the output has shape ${fmtShape(b)}; they must be equal.`,
    );
  }
  return seed;
}

/**
 * Reverse-mode sweep from y. Returns the gradient of ⟨dy, y⟩ for every tensor
 * on the way (leaves included), summed over every path that reaches it.
 */
export function gradients(y: Tensor, options: GradientsOptions = {}, where = 'backward'): Map<Tensor, Tensor> {
  return sweep(y, options, where, true);
}

/**
 * The reverse sweep. Gradients of op outputs are kept on their nodes while it
 * runs; the map returned holds the leaves' gradients (and, with `all`, every
 * tensor's).
 */
function sweep(y: Tensor, { dy, retainGraph = false }: GradientsOptions, where: string, all: boolean): Map<Tensor, Tensor> {
  const seed = seedFor(y, dy, where);
  const nodes = collectNodes(y, ++sweepCount);
  for (const node of nodes) {
    if (node.freed) {
      throw new XentError(
        'GRAPH_FREED',
        `${where}: the graph through op '${node.op.name}' (node ${node.id}) was freed by an earlier backward; ` +
          `recompute the forward pass, or pass { retainGraph: true } to the first backward.`,
      );
    }
    node.grad = null;
    node.lastUse = !retainGraph;
  }
  const grads = new Map<Tensor, Tensor>();
  if (y.node) (y.node as Node).grad = seed;
  else grads.set(y, seed);
  noGrad(() => {
    for (const node of nodes) {
      const g = node.grad;
      if (!g) continue;
      if (all) grads.set(node.out, g);
      // The node itself is the backward context: { inputs, out, attrs, needsGrad }.
      const dxs = node.op.backward(g, node.saved, node);
      const inputs = node.inputs;
      for (let i = 0; i < inputs.length; i++) {
        if (!node.needsGrad[i]) continue;
        const x = inputs[i];
        let dx = dxs[i];
        if (!dx) {
          throw new XentError(
            'NO_GRADIENT',
            `${where}: op '${node.op.name}' returned no gradient for its differentiable input '${inputName(node.op, i)}'.`,
          );
        }
        if (node.op.broadcast) dx = sumTo(dx, x.view.shape);
        if (!sameShape(dx.view.shape, x.view.shape)) {
          throw new XentError(
            'SHAPE_MISMATCH',
            `${where}: op '${node.op.name}' returned a gradient of shape ${fmtShape(dx.shape)} for input '${inputName(node.op, i)}' of shape ${fmtShape(x.shape)}; ` +
              `a gradient must have its input's shape (declare broadcast: true if the op broadcasts).`,
          );
        }
        if (dx.dtype !== x.dtype && x.dtype !== 'int32') dx = cast(dx, x.dtype);
        // Accumulate: a tensor used twice gets both contributions.
        const producer = x.node as Node | null;
        if (producer !== null) producer.grad = producer.grad ? add(producer.grad, dx) : dx;
        else {
          const prev = grads.get(x);
          grads.set(x, prev ? add(prev, dx) : dx);
        }
      }
    }
  });
  for (const node of nodes) {
    node.grad = null;
    if (!retainGraph) {
      node.saved = undefined;
      node.freed = true;
    }
  }
  return grads;
}

/**
 * backward(y): accumulates d⟨dy, y⟩/dx into x.grad for every leaf x that
 * requires a gradient (PyTorch semantics: grads add up until zeroGrad).
 */
export function backward(y: Tensor, options: GradientsOptions = {}): void {
  if (!y.requiresGrad) {
    throw new XentError(
      'NO_GRADIENT',
      `backward: the output does not depend on any tensor that requires a gradient; make the inputs with param(), and do not call it inside noGrad().`,
    );
  }
  const grads = sweep(y, options, 'backward', false);
  for (const [x, g] of grads) {
    if (!x.requiresGrad) continue;
    // Tensors are never written in place, so a fresh contiguous gradient is kept as it is;
    // a view (of the seed, or zero-stride from a sum) is copied so .grad owns its data.
    x.grad = x.grad ? add(x.grad, g) : ownedCopy(g);
  }
}
