// Adam and AdamW — PyTorch's torch.optim.Adam / AdamW rules (amsgrad off),
// elementwise, for one parameter at its t-th update (t counts from 1):
//
//   Adam:   g ← g + λ·p                       (L2 weight decay, coupled to g)
//   AdamW:  p ← p − η·λ·p                     (decoupled decay, before the step)
//   then, for both:
//           m ← β₁·m + (1 − β₁)·g             (first moment)
//           v ← β₂·v + (1 − β₂)·g²            (second moment)
//           m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (bias corrections)
//           p ← p − η·m̂ / (√v̂ + ε)
//
// As in PyTorch, ε is added after the square root of the bias-corrected v, and
// the step η/(1 − β₁ᵗ) is computed once: p ← p − (η/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
import { MAX_ELEMENTS, XentError, readFlat, type Tensor } from '@xent/tensor';
import { booleanOption, checkArgCount, customOption, describe, formatValue, numberOption, type OptionsOf } from '@xent/tensor/internal';
import { Optimizer } from './optimizer.js';
import { optimizerOptions } from './options.js';
import { describeParam, type FloatArray } from './params.js';
import { bufferTensor, checkEntryKeys, readBuffer, type StateValue } from './state.js';
import { UPDATE_CALL, checkStateBuffer, checkUpdateArgs } from './updateArgs.js';

/** The hyperparameters adamUpdate reads (all explicit). */
export interface AdamHyper {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  /** true: AdamW's decoupled decay p ← p − η·λ·p; false: Adam's g ← g + λ·p. */
  decoupledWeightDecay: boolean;
}

/** Adam's per-parameter state: the update count t and the two moment buffers. */
export interface AdamState {
  /** Number of updates applied so far (t after the update). */
  step: number;
  /** m, the exponential average of g. */
  expAvg: Float64Array;
  /** v, the exponential average of g². */
  expAvgSq: Float64Array;
}

/** Zeroed state for a parameter of n elements (t = 0, m = v = 0); n must be a whole number in [0, MAX_ELEMENTS]. */
export function adamState(n: number): AdamState {
  checkArgCount('adamState', arguments.length, 1, "pass the parameter's number of values only (p.length)");
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_ELEMENTS)
    throw new XentError('INVALID_ARGUMENT', `adamState: n is ${describe(n)}; pass the parameter's number of values (p.length).`);
  return { step: 0, expAvg: new Float64Array(n), expAvgSq: new Float64Array(n) };
}

const isBeta = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x < 1;

/** Adam's and AdamW's options; only weightDecay's default differs. */
const adamSchema = (weightDecay: number) => ({
  /** Learning rate η ≥ 0 (default 1e-3). */
  lr: numberOption(1e-3, '[0, ∞)', 'pass a learning rate such as lr: 1e-3 (the default)'),
  /** Decay rates [β₁, β₂] of the moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas: customOption<readonly [number, number], readonly [number, number]>([0.9, 0.999], (b, fail) => {
    const [b1, b2]: unknown[] = Array.isArray(b) && b.length === 2 ? b : [];
    return isBeta(b1) && isBeta(b2) ? [b1, b2] : fail('a pair [β₁, β₂] with each in [0, 1) — use e.g. betas: [0.9, 0.999] (the default)');
  }),
  /** ε > 0 added to the denominator for stability (default 1e-8). */
  eps: numberOption(1e-8, '(0, ∞)', 'use e.g. eps: 1e-8 (the default); eps > 0 keeps m̂/(√v̂ + eps) defined when a gradient is 0'),
  /** Weight decay λ ≥ 0: L2 (added to g) for Adam, default 0; decoupled for AdamW, default 0.01. */
  weightDecay: numberOption(weightDecay, '[0, ∞)', `use e.g. weightDecay: 0.01, or 0 for none (default ${weightDecay})`),
});
const parseAdam = optimizerOptions('Adam', adamSchema(0));
const parseAdamW = optimizerOptions('AdamW', adamSchema(0.01));
/** Options of Adam (and AdamW): learning rate, betas, eps, weight decay; checked by the shared validator. */
export type AdamOptions = OptionsOf<typeof parseAdam.schema>;
/** AdamW takes the same options; only weightDecay's default (0.01) and meaning differ. */
export type AdamWOptions = AdamOptions;

/** The hyperparameters of the update functions: Adam's options, plus which decay rule. */
const UPDATE_SCHEMA = { ...adamSchema(0), decoupledWeightDecay: booleanOption(false) };
const EXAMPLE = '{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0';

/**
 * The first flat index k where v ← β₂·v + (1 − β₂)·g² overflows (g with Adam's L2 term λ·p when
 * `p` is given), or −1. An infinite v would silently freeze that entry (m̂/∞ = 0) forever.
 */
function secondMomentOverflow(
  g: ArrayLike<number>,
  v: Float64Array | undefined,
  p: ArrayLike<number> | null,
  b2: number,
  l2: number,
): number {
  for (let k = 0; k < g.length; k++) {
    const gk = p ? g[k] + l2 * p[k] : g[k];
    if ((v ? b2 * v[k] : 0) + (1 - b2) * gk * gk === Infinity) return k;
  }
  return -1;
}

/** adamUpdate's and adamwUpdate's checks of p, g, state and h (see checkUpdateArgs); returns h parsed. */
function checkAdamArgs(owner: string, p: FloatArray, g: ArrayLike<number>, state: AdamState, h: unknown, decoupled: boolean): AdamHyper {
  const required = Object.keys(parseAdam.schema);
  const example = decoupled ? `${EXAMPLE} }` : `${EXAMPLE}, decoupledWeightDecay: false }`;
  const o = checkUpdateArgs(owner, p, g, h, UPDATE_SCHEMA, decoupled ? required : [...required, 'decoupledWeightDecay'], example);
  if (state === null || typeof state !== 'object')
    throw new XentError('INVALID_ARGUMENT', `${owner}: state is ${String(state)}; pass adamState(p.length) for a new parameter.`);
  if (!Number.isSafeInteger(state.step) || state.step < 0)
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: state.step is ${formatValue(state.step)}; it must be a whole number ≥ 0 (adamState(n) starts at 0).`,
    );
  checkStateBuffer(owner, 'state.expAvg', state.expAvg, p.length);
  checkStateBuffer(owner, 'state.expAvgSq', state.expAvgSq, p.length);
  const hyper = { ...o, decoupledWeightDecay: decoupled || o.decoupledWeightDecay };
  const k = secondMomentOverflow(
    g,
    state.expAvgSq,
    hyper.decoupledWeightDecay ? null : p,
    o.betas[1],
    hyper.decoupledWeightDecay ? 0 : o.weightDecay,
  );
  if (k >= 0) {
    throw new XentError(
      'NON_FINITE_GRADIENT',
      `${owner}: g[${k}] = ${g[k]} makes the second moment v overflow (Infinity would freeze that entry); nothing was updated. Clip the gradient or scale the loss down.`,
    );
  }
  return hyper;
}

/**
 * One Adam/AdamW step for one parameter, over flat arrays (the rule in the
 * file header). Increments `state.step`, updates `state.expAvg` and
 * `state.expAvgSq`, writes the new values into `p`; reads nothing else.
 * Arithmetic is float64; a Float32Array `p` is rounded once when stored.
 * Every argument is checked first (`h` must give all five hyperparameters, `g`
 * finite numbers whose square does not overflow v); a bad one is an XentError
 * and nothing is written.
 */
export function adamUpdate(p: FloatArray, g: ArrayLike<number>, state: AdamState, h: AdamHyper): void {
  checkArgCount('adamUpdate', arguments.length, 4, UPDATE_CALL);
  adamStep(p, g, state, checkAdamArgs('adamUpdate', p, g, state, h, false));
}

/** adamUpdate with AdamW's decoupled weight decay (h.decoupledWeightDecay is ignored). */
export function adamwUpdate(p: FloatArray, g: ArrayLike<number>, state: AdamState, h: Omit<AdamHyper, 'decoupledWeightDecay'>): void {
  checkArgCount('adamwUpdate', arguments.length, 4, UPDATE_CALL);
  adamStep(p, g, state, checkAdamArgs('adamwUpdate', p, g, state, h, true));
}

/** adamUpdate without the checks (the Adam class checks its options, gradients and state once). */
function adamStep(p: FloatArray, g: ArrayLike<number>, state: AdamState, h: AdamHyper): void {
  const n = p.length;
  const { lr, eps, weightDecay: wd, decoupledWeightDecay } = h;
  const [b1, b2] = h.betas;
  const t = ++state.step;
  const stepSize = lr / (1 - b1 ** t);
  const bc2Sqrt = Math.sqrt(1 - b2 ** t);
  const shrink = decoupledWeightDecay ? 1 - lr * wd : 1;
  const l2 = decoupledWeightDecay ? 0 : wd;
  const m = state.expAvg;
  const v = state.expAvgSq;
  for (let i = 0; i < n; i++) {
    let pi = p[i];
    const gi = l2 !== 0 ? g[i] + l2 * pi : g[i];
    if (shrink !== 1) pi *= shrink;
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

/**
 * Adam (Kingma & Ba) with PyTorch's defaults: `new Adam(params, { lr: 1e-3,
 * betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 })`. weightDecay is an L2
 * term added to the gradient; for decoupled decay use AdamW.
 */
export class Adam extends Optimizer<AdamState> {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  /** false for Adam (L2 decay through the gradient), true for AdamW. */
  readonly decoupledWeightDecay: boolean;

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    // AdamW subclasses this; new.target tells which rule and defaults apply.
    const decoupled = (new.target as { readonly decoupled?: boolean }).decoupled === true;
    const owner = decoupled ? 'AdamW' : 'Adam';
    // new Adam(params, { lr }, [0.5, 0.5]) (torch's positional betas) ran with the default betas.
    checkArgCount(owner, arguments.length, 2, 'pass every hyperparameter in the options, e.g. { lr: 0.001, betas: [0.9, 0.999] }');
    const o = (decoupled ? parseAdamW : parseAdam)(options);
    super(owner, params, o.lr);
    this.betas = o.betas;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.decoupledWeightDecay = decoupled;
  }

  /** The hyperparameters the next step() uses (lr is the current one). */
  get hyper(): AdamHyper {
    return {
      lr: this.lr,
      betas: this.betas,
      eps: this.eps,
      weightDecay: this.weightDecay,
      decoupledWeightDecay: this.decoupledWeightDecay,
    };
  }

  protected initState(n: number): AdamState {
    return adamState(n);
  }

  /** v ← β₂·v + (1 − β₂)·g² must stay finite: an infinite v would silently freeze that entry (m̂/∞ = 0) forever. */
  protected override checkStep(owner: string, grads: readonly (ArrayLike<number> | null)[]): void {
    const l2 = this.decoupledWeightDecay ? 0 : this.weightDecay;
    grads.forEach((g, i) => {
      if (g === null) return;
      const k = secondMomentOverflow(g, this.stateAt(i)?.expAvgSq, l2 !== 0 ? readFlat(this.params[i]) : null, this.betas[1], l2);
      if (k >= 0) {
        throw new XentError(
          'NON_FINITE_GRADIENT',
          `${owner}: the gradient of ${describeParam(this.params[i], i)} is ${g[k]} at flat index ${k}, whose square overflows ` +
            `Adam's second moment (Infinity would freeze that entry); no parameter was updated. Clip it with clipGradNorm or scale the loss down.`,
        );
      }
    });
  }

  protected update(p: FloatArray, g: ArrayLike<number>, state: AdamState): void {
    adamStep(p, g, state, this.hyper);
  }

  /** param_groups' hyperparameters, as torch.optim.Adam / AdamW name them. */
  protected groupHyper(): Record<string, number | boolean | number[]> {
    return {
      betas: [this.betas[0], this.betas[1]],
      eps: this.eps,
      weight_decay: this.weightDecay,
      amsgrad: false,
      decoupled_weight_decay: this.decoupledWeightDecay,
    };
  }

  /** { step, exp_avg, exp_avg_sq } (copies of m and v, the parameter's shape). */
  protected stateEntry(state: AdamState, param: Tensor): Record<string, StateValue> {
    return { step: state.step, exp_avg: bufferTensor(state.expAvg, param.shape), exp_avg_sq: bufferTensor(state.expAvgSq, param.shape) };
  }

  protected readStateEntry(owner: string, index: number, entry: Record<string, unknown>, param: Tensor): AdamState {
    checkEntryKeys(owner, index, entry, ['step', 'exp_avg', 'exp_avg_sq']);
    const step = entry.step;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
      throw new XentError('INVALID_ARGUMENT', `${owner}: state[${index}].step is ${formatValue(step)}; it must be a whole number ≥ 0.`);
    }
    return {
      step,
      expAvg: readBuffer(owner, `state[${index}].exp_avg`, entry.exp_avg, param),
      expAvgSq: readBuffer(owner, `state[${index}].exp_avg_sq`, entry.exp_avg_sq, param, true),
    };
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay p ← p − η·λ·p,
 * default weightDecay 0.01 (PyTorch): `new AdamW(params, { lr?, betas?, eps?, weightDecay? })`.
 */
export class AdamW extends Adam {
  /** Read by Adam's constructor: selects the decoupled rule, the 0.01 default and the name in messages. */
  static readonly decoupled = true;

  constructor(params: Iterable<Tensor>, options: AdamWOptions = {}) {
    checkArgCount('AdamW', arguments.length, 2, 'pass every hyperparameter in the options, e.g. { lr: 0.001, weightDecay: 0.01 }');
    super(params, options);
  }
}
