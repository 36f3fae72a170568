// "Backprop, step by step": one training step of a tiny model, 2 features → 3
// classes, recorded by xent's autograd and replayed one node at a time.
//   xW = x·W            (x: [1, 2], W: [2, 3])
//   z  = xW + b         (b: [3])
//   ℓ  = −Σ_c P_c log softmax(z)_c      (P = oneHot(y))
//   L  = sum(ℓ)         (a batch of one)
// Backward: ∂L/∂ℓ = 1, ∂L/∂z = softmax(z) − P, ∂L/∂b = ∂L/∂(xW) = ∂L/∂z, ∂L/∂W = xᵀ·∂L/∂z.
// Then one SGD step: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b.
import { add, matmul, noGrad, param, softmaxCrossEntropyWithLogits, sum } from '@xent/autograd';
import { SGD } from '@xent/optim';
import { Rng, oneHot, randn, readFlat, softmax, tensor, zeros, type Tensor } from '@xent/tensor';
import { readTape, type TapeNode } from './tape.js';

/** The panel's state: the example (two features, a class) and how many steps have been taken. */
export interface BpState {
  x: [number, number];
  label: number;
  step: number;
}

/** The features range over [−FEATURE_MAX, FEATURE_MAX] on a 0.1 grid. */
export const FEATURE_MAX = 3;
/** The model's classes (its outputs). */
export const CLASSES = 3;
/** The learning rate η of the final SGD step. */
export const LEARNING_RATE = 0.5;
/** The seed of the model's initial weights (so every reader sees the same W). */
export const WEIGHT_SEED = 7;

/** The state the page opens with. */
export function defaultBpState(): BpState {
  return { x: [1, -0.5], label: 2, step: 0 };
}

/** One step of the walk-through: a forward op, a backward node, or the update. */
export interface BpStep {
  kind: 'forward' | 'backward' | 'update';
  /** The node this step reveals (forward: its value; backward: its gradient); null for the update. */
  node: number | null;
  /** What happens, in words and math. */
  text: string;
}

/** A node as the panel draws it at the current step. */
export interface BpNode extends TapeNode {
  /** The label on the box (x, W, b, P, xW, z, ℓ, L). */
  label: string;
  /** The expression that defines it. */
  expr: string;
  /** Value shown (forward has reached it). */
  showValue: boolean;
  /** Gradient shown (backward has reached it). */
  showGrad: boolean;
  active: boolean;
}

/** Everything the panel shows at a step. */
export interface BpView {
  nodes: BpNode[];
  steps: BpStep[];
  /** The state's step, clamped to [0, steps.length]. */
  step: number;
  loss: number;
  /** After the update step: the new parameters and the loss they give on the same example. */
  update: { W: number[]; b: number[]; loss: number } | null;
}

/** Clamps a (possibly partial) state: features on the ±3, 0.1 grid, a label in 0..2, a whole step in 0..BP_STEPS. */
export function normalizeBpState(s: Partial<BpState>): BpState {
  const d = defaultBpState();
  const feature = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? Math.round(Math.min(FEATURE_MAX, Math.max(-FEATURE_MAX, v)) * 10) / 10 + 0 : fallback; // + 0: no −0 in a URL
  const x: [number, number] = Array.isArray(s.x) ? [feature(s.x[0], d.x[0]), feature(s.x[1], d.x[1])] : d.x;
  const label = typeof s.label === 'number' && Number.isFinite(s.label) ? Math.round(Math.min(CLASSES - 1, Math.max(0, s.label))) : d.label;
  const step = typeof s.step === 'number' && Number.isFinite(s.step) ? Math.min(stepCount(), Math.max(0, Math.round(s.step))) : 0;
  return { x, label, step };
}

// How many steps the walk-through has: forward ops, backward nodes, the update. The graph is the same for every
// example, so it is counted once (a link's bp.s=999, or 'All ▶▶', is stored as this number, not as given).
let steps: number | undefined;
const stepCount = (): number => (steps ??= bpView(defaultBpState()).steps.length);

/** The model's initial weights: W ~ 0.5·N(0, 1) from a seeded generator, b = 0. */
export function initialWeights(): { W: Tensor; b: Tensor } {
  const W = randn([2, CLASSES], new Rng(WEIGHT_SEED), { std: 0.5 });
  return { W, b: zeros([CLASSES]) };
}

/** Builds the graph of the loss for an example; W and b are parameters. */
function forward(x: number[], label: number, W: Tensor, b: Tensor): Tensor {
  const X = tensor([x]);
  X.name = 'x';
  const P = oneHot([label], CLASSES);
  P.name = 'P';
  const xW = matmul(X, W);
  const z = add(xW, b);
  return sum(softmaxCrossEntropyWithLogits(P, z)); // the op and its sum as two nodes (a loss's reduction is fused into its op)
}

const LABELS: Record<string, { label: string; expr: string }> = {
  x: { label: 'x', expr: 'input features [1, 2]' },
  W: { label: 'W', expr: 'weights [2, 3]' },
  b: { label: 'b', expr: 'bias [3]' },
  P: { label: 'P', expr: 'oneHot(y): the target' },
  matmul: { label: 'xW', expr: 'matmul(x, W)' },
  add: { label: 'z', expr: 'add(xW, b): the logits' },
  softmaxCrossEntropyWithLogits: { label: 'ℓ', expr: '−Σ P log softmax(z)' },
  sum: { label: 'L', expr: 'sum(ℓ): the loss' },
};

const fmt = (v: readonly number[]): string => `[${v.map((x) => Number(x.toPrecision(4))).join(', ')}]`;

function forwardText(n: TapeNode, byId: (i: number) => TapeNode): string {
  const q = (i: number): string => LABELS[byId(i).name]?.label ?? byId(i).name;
  switch (n.op) {
    case 'matmul':
      return `Forward: xW = x·W = ${fmt(n.value)}. Each class score is a weighted sum of the two features.`;
    case 'add':
      return `Forward: z = xW + b = ${fmt(n.value)}: the logits, one per class.`;
    case 'softmaxCrossEntropyWithLogits':
      return `Forward: ℓ = −Σ P log softmax(${q(n.inputs[1])}) = ${fmt(n.value)}: the fused op computes softmax and the log together (stable) and keeps softmax(z) − P for the backward pass.`;
    case 'sum':
      return `Forward: L = sum(ℓ) = ${fmt(n.value)}: the loss of this batch of one example.`;
    default:
      return `Forward: ${n.name} = ${fmt(n.value)}.`;
  }
}

function backwardText(n: TapeNode, q: readonly number[], p: readonly number[]): string {
  const g = n.grad ?? [];
  switch (n.op ?? n.name) {
    case 'sum':
      return 'Backward starts at the loss: ∂L/∂L = 1.';
    case 'softmaxCrossEntropyWithLogits':
      return `∂L/∂ℓ = ${fmt(g)}: sum passes its gradient to every term unchanged.`;
    case 'add':
      return `∂L/∂z = softmax(z) − P = ${fmt(q)} − ${fmt(p)} = ${fmt(g)}. The whole of cross entropy's gradient, in one subtraction.`;
    case 'matmul':
      return `∂L/∂(xW) = ∂L/∂z = ${fmt(g)}: addition passes the gradient to both of its inputs.`;
    case 'b':
      return `∂L/∂b = ∂L/∂z = ${fmt(g)} (b is added to z directly).`;
    case 'W':
      return `∂L/∂W = xᵀ·∂L/∂(xW) = ${fmt(g)}: each weight's gradient is its feature times its class's softmax − P.`;
    default:
      return `∂L/∂${n.name} = ${fmt(g)}.`;
  }
}

/** Computes the panel's view: the recorded graph, the steps, and what the current step reveals. */
export function bpView(s: BpState): BpView {
  const { W: W0, b: b0 } = initialWeights();
  const W = param(W0);
  W.name = 'W';
  const b = param(b0);
  b.name = 'b';
  const loss = forward(s.x, s.label, W, b);
  const tape = readTape(loss);
  const byId = (i: number): TapeNode => tape[i];
  const zNode = tape.find((n) => n.op === 'add')!;
  const q = Array.from(readFlat(softmax(tensor(zNode.value))));
  const p = Array.from({ length: CLASSES }, (_, c) => (c === s.label ? 1 : 0));

  // Forward: ops in recording order. Backward: every node with a gradient, from the loss back (reverse recording order).
  const ops = tape.filter((n) => n.op !== null);
  const steps: BpStep[] = [
    ...ops.map((n) => ({ kind: 'forward' as const, node: n.id, text: forwardText(n, byId) })),
    ...[...tape]
      .reverse()
      .filter((n) => n.grad !== null)
      .map((n) => ({ kind: 'backward' as const, node: n.id, text: backwardText(n, q, p) })),
    { kind: 'update', node: null, text: '' },
  ];
  const step = Math.min(s.step, steps.length);
  const done = steps.slice(0, step);
  const valued = new Set(done.filter((t) => t.kind === 'forward').map((t) => t.node));
  const graded = new Set(done.filter((t) => t.kind === 'backward').map((t) => t.node));
  const active = step > 0 ? steps[step - 1].node : null;

  let update: BpView['update'] = null;
  if (step === steps.length) {
    // One SGD step with xent's optimizer, then the loss of the same example under the new weights.
    loss.backward();
    new SGD([W, b], { lr: LEARNING_RATE }).step();
    const after = noGrad(() => forward(s.x, s.label, W, b));
    update = { W: Array.from(readFlat(W)), b: Array.from(readFlat(b)), loss: readFlat(after)[0] };
    steps[steps.length - 1].text =
      `Update (SGD, η = ${LEARNING_RATE}): W ← W − η ∂L/∂W, b ← b − η ∂L/∂b. The loss on this example falls from ${readFlat(loss)[0].toPrecision(4)} to ${update.loss.toPrecision(4)}.`;
  } else {
    steps[steps.length - 1].text = `Update (SGD, η = ${LEARNING_RATE}): W ← W − η ∂L/∂W, b ← b − η ∂L/∂b.`;
  }

  const nodes: BpNode[] = tape.map((n) => {
    const meta = LABELS[n.name] ?? { label: n.name, expr: n.op ?? 'leaf' };
    return {
      ...n,
      label: meta.label,
      expr: meta.expr,
      showValue: n.op === null || valued.has(n.id),
      showGrad: graded.has(n.id),
      active: active === n.id,
    };
  });
  return { nodes, steps, step, loss: readFlat(loss)[0], update };
}
