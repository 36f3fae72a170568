// The state of the "one cross entropy" panel and its normalisation: whatever a
// URL or a control hands in, the panel works on a consistent, in-range state.

/** What one example's outcomes are: one yes/no, C exclusive classes, or K independent labels. */
export type Outcomes = 'binary' | 'classes' | 'labels';
/** What the model hands to the loss: raw scores, or probabilities after sigmoid/softmax. */
export type PredictionForm = 'logits' | 'probabilities';
/** How the target is written: a class index, a one-hot row, a soft distribution, or a multi-hot row. */
export type TargetForm = 'index' | 'onehot' | 'soft' | 'multihot';
/** The classic wrong calls the panel can try (or 'none'). */
export type Mistake = 'none' | 'singleOutput' | 'probsAsLogits' | 'logitsAsProbs' | 'multiHotSoftmax' | 'torchOrder';

/** The panel's whole state: a URL reproduces it. */
export interface CeState {
  outcomes: Outcomes;
  /** Classes C (outcomes 'classes') or labels K (outcomes 'labels'), 2..10; ignored for 'binary' (one logit). */
  count: number;
  form: PredictionForm;
  target: TargetForm;
  /** One logit per output unit: 1 for binary, else `count`; each in [−LOGIT_MAX, LOGIT_MAX]. */
  logits: number[];
  /** The class index for 'index'/'onehot' targets (binary: 0 or 1). */
  label: number;
  /** Soft targets: binary [y] with y ∈ [0,1]; classes C non-negative weights (shown normalised); labels K values in [0,1]. */
  soft: number[];
  /** Multi-hot targets for 'labels': one 0/1 per label. */
  hot: number[];
  mistake: Mistake;
}

/** The smallest number of classes or labels the panel offers. */
export const MIN_COUNT = 2;
/** The largest number of classes or labels the panel offers. */
export const MAX_COUNT = 10;
/** The logit sliders' range: [−LOGIT_MAX, LOGIT_MAX]. */
export const LOGIT_MAX = 10;
/** The logit sliders' step. */
export const LOGIT_STEP = 0.01;
const STEPS_PER_UNIT = 100; // 1 / LOGIT_STEP, as an integer so snapping gives the slider's own decimal

/** The mistakes in the order the switch lists them, with their labels. */
export const MISTAKES: readonly { id: Mistake; label: string }[] = [
  { id: 'none', label: 'no mistake' },
  { id: 'singleOutput', label: 'softmax over one output' },
  { id: 'probsAsLogits', label: 'probabilities passed as logits' },
  { id: 'logitsAsProbs', label: 'logits passed as probabilities' },
  { id: 'multiHotSoftmax', label: 'multi-hot targets into softmax' },
  { id: 'torchOrder', label: "PyTorch's argument order (input, target)" },
];

/** The target forms each kind of outcome can take. */
export function targetForms(outcomes: Outcomes): TargetForm[] {
  if (outcomes === 'binary') return ['index', 'soft'];
  if (outcomes === 'classes') return ['index', 'onehot', 'soft'];
  return ['multihot', 'soft'];
}

/** The number of logits (output units) of a state: 1 for binary, else its count. */
export function logitCount(s: Pick<CeState, 'outcomes' | 'count'>): number {
  return s.outcomes === 'binary' ? 1 : s.count;
}

/** The state the page opens with: three classes, logits, a class index. */
export function defaultCeState(): CeState {
  return {
    outcomes: 'classes',
    count: 3,
    form: 'logits',
    target: 'index',
    logits: [2, 1, -1],
    label: 0,
    soft: [0.7, 0.2, 0.1],
    hot: [1, 0, 1],
    mistake: 'none',
  };
}

function finiteOr(x: unknown, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Snaps a logit to the slider's grid and range (so a URL value and a slider value agree exactly). */
export function snapLogit(x: number): number {
  const v = clamp(finiteOr(x, 0), -LOGIT_MAX, LOGIT_MAX);
  return Math.round(v * STEPS_PER_UNIT) / STEPS_PER_UNIT + 0; // + 0 turns −0 into 0
}

/** Resizes a list to n entries, keeping what is there and filling with `fill(i)`. */
function resize(xs: readonly number[], n: number, fill: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => (i < xs.length ? xs[i] : fill(i)));
}

/**
 * Returns a consistent copy of a (possibly partial or out-of-range) state:
 * count in [2, 10], a target form the outcomes allow, one logit per output
 * unit on the slider grid, a label in range, soft targets in range with at
 * least one positive class weight, multi-hot entries 0/1.
 */
export function normalizeCeState(input: Partial<CeState>): CeState {
  const d = defaultCeState();
  const outcomes: Outcomes =
    input.outcomes === 'binary' || input.outcomes === 'labels' || input.outcomes === 'classes' ? input.outcomes : d.outcomes;
  const count = Math.round(clamp(finiteOr(input.count, d.count), MIN_COUNT, MAX_COUNT));
  const form: PredictionForm = input.form === 'probabilities' ? 'probabilities' : 'logits';
  const forms = targetForms(outcomes);
  const target = input.target !== undefined && forms.includes(input.target) ? input.target : forms[0];
  const n = logitCount({ outcomes, count });
  const logits = resize(Array.isArray(input.logits) ? input.logits : d.logits, n, () => 0).map(snapLogit);
  const classes = outcomes === 'binary' ? 2 : count;
  const label = Math.round(clamp(finiteOr(input.label, 0), 0, classes - 1));
  const softIn = Array.isArray(input.soft) ? input.soft : d.soft;
  const softLen = outcomes === 'binary' ? 1 : count;
  let soft = resize(softIn, softLen, () => 0).map((v) => clamp(finiteOr(v, 0), 0, 1) + 0);
  if (outcomes === 'classes' && soft.every((v) => v === 0)) soft = soft.map(() => 1);
  const hot = resize(Array.isArray(input.hot) ? input.hot : d.hot, count, () => 0).map((v) => (v ? 1 : 0));
  const mistake = MISTAKES.some((m) => m.id === input.mistake) ? input.mistake! : 'none';
  return { outcomes, count, form, target, logits, label, soft, hot, mistake };
}
