// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight
// decay — PyTorch's torch.optim.SGD rule, elementwise, for one parameter:
//
//   d ← g + λ·p                          (weight decay λ; skipped when λ = 0)
//   if μ ≠ 0:
//     b ← d                              on the first step
//     b ← μ·b + (1 − τ)·d                afterwards (dampening τ, default 0)
//     d ← d + μ·b   if nesterov,  else d ← b
//   p ← p − η·d                          (learning rate η)
import { XentError, type Tensor } from '@xent/tensor';
import { booleanOption, checkArgCount, numberOption, type OptionsOf } from '@xent/tensor/internal';
import { Optimizer } from './optimizer.js';
import { givenLr, optimizerOptions } from './options.js';
import type { FloatArray } from './params.js';
import { bufferTensor, checkEntryKeys, readBuffer, type StateValue } from './state.js';
import { UPDATE_CALL, checkStateBuffer, checkUpdateArgs } from './updateArgs.js';

/** The hyperparameters sgdUpdate reads (all explicit). */
export interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
}

/** SGD's per-parameter state: the momentum buffer, null until the first momentum step. */
export interface SGDState {
  momentumBuffer: Float64Array | null;
}

const parseSGD = optimizerOptions('SGD', {
  /** Learning rate η ≥ 0 (required, as in PyTorch). */
  lr: givenLr('pass a learning rate, e.g. new SGD(params, { lr: 0.01 }); SGD has no default'),
  /** Momentum factor μ ≥ 0 (default 0: plain SGD). */
  momentum: numberOption(0, '[0, ∞)', 'use e.g. momentum: 0.9, or 0 for none'),
  /** Dampening τ of the momentum buffer's gradient term (default 0). */
  dampening: numberOption(0, '[0, ∞)', 'use dampening: 0 (the default) or a value in [0, 1]'),
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: booleanOption(false),
  /** L2 penalty λ ≥ 0, added to the gradient as λ·p (default 0). */
  weightDecay: numberOption(0, '[0, ∞)', 'use e.g. weightDecay: 1e-4, or 0 for none'),
});
/** Options of SGD: learning rate (required), momentum, dampening, Nesterov, weight decay; checked by the shared validator. */
export type SGDOptions = OptionsOf<typeof parseSGD.schema>;

/** Refuses Nesterov momentum without momentum, or with dampening (PyTorch refuses both too). */
function checkNesterov(owner: string, h: SGDHyper): SGDHyper {
  if (h.nesterov && (h.momentum === 0 || h.dampening !== 0)) {
    const found = h.momentum === 0 ? `momentum ${h.momentum}` : `dampening ${h.dampening}`;
    throw new XentError(
      'INVALID_OPTION',
      `${owner}: option 'nesterov' is true with ${found}; Nesterov momentum needs momentum > 0 and dampening 0 — pass e.g. { momentum: 0.9, nesterov: true }, or nesterov: false.`,
    );
  }
  return h;
}

/**
 * One SGD step for one parameter, over flat arrays (the rule in the file
 * header). Writes the new values into `p` and allocates or advances
 * `state.momentumBuffer`; reads nothing else. Arithmetic is float64; a
 * Float32Array `p` is rounded once when stored. Every argument is checked
 * first (`h` must give all five hyperparameters; `g` finite numbers); a bad
 * one is an XentError and nothing is written.
 */
export function sgdUpdate(p: FloatArray, g: ArrayLike<number>, state: SGDState, h: SGDHyper): void {
  const owner = 'sgdUpdate';
  checkArgCount(owner, arguments.length, 4, UPDATE_CALL);
  const example = '{ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 }';
  const hyper = checkNesterov(owner, checkUpdateArgs(owner, p, g, h, parseSGD.schema, Object.keys(parseSGD.schema), example));
  if (state === null || typeof state !== 'object')
    throw new XentError('INVALID_ARGUMENT', `${owner}: state is ${String(state)}; pass { momentumBuffer: null } for a new parameter.`);
  const buf: unknown = state.momentumBuffer;
  if (buf !== null && buf !== undefined) checkStateBuffer(owner, 'state.momentumBuffer', buf, p.length);
  sgdStep(p, g, state, hyper);
}

/** sgdUpdate without the checks (the SGD class checks its options, gradients and state once). */
function sgdStep(p: FloatArray, g: ArrayLike<number>, state: SGDState, h: SGDHyper): void {
  const n = p.length;
  const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = h;
  if (mu === 0) {
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      const d = wd !== 0 ? g[i] + wd * pi : g[i];
      p[i] = pi - lr * d;
    }
    return;
  }
  const first = state.momentumBuffer === null || state.momentumBuffer === undefined;
  const buf = state.momentumBuffer ?? (state.momentumBuffer = new Float64Array(n));
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const d = wd !== 0 ? g[i] + wd * pi : g[i];
    const b = first ? d : mu * buf[i] + keep * d;
    buf[i] = b;
    p[i] = pi - lr * (nesterov ? d + mu * b : b);
  }
}

/**
 * SGD over a list of parameters: `new SGD(params, { lr, momentum?, dampening?,
 * nesterov?, weightDecay? })`, then `zeroGrad()`, `backward()`, `step()`.
 */
export class SGD extends Optimizer<SGDState> {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    checkArgCount('SGD', arguments.length, 2, 'pass every hyperparameter in the options, e.g. { lr: 0.01, momentum: 0.9 }');
    const o = checkNesterov('SGD', parseSGD(options));
    super('SGD', params, o.lr);
    this.momentum = o.momentum;
    this.dampening = o.dampening;
    this.nesterov = o.nesterov;
    this.weightDecay = o.weightDecay;
  }

  /** The hyperparameters the next step() uses (lr is the current one). */
  get hyper(): SGDHyper {
    return { lr: this.lr, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(p: FloatArray, g: ArrayLike<number>, state: SGDState): void {
    sgdStep(p, g, state, this.hyper);
  }

  /** param_groups' hyperparameters, as torch.optim.SGD names them. */
  protected groupHyper(): Record<string, number | boolean | number[]> {
    return { momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weight_decay: this.weightDecay };
  }

  /** { momentum_buffer } (a copy, the parameter's shape), or {} before the first momentum step. */
  protected stateEntry(state: SGDState, param: Tensor): Record<string, StateValue> {
    return state.momentumBuffer === null ? {} : { momentum_buffer: bufferTensor(state.momentumBuffer, param.shape) };
  }

  protected readStateEntry(owner: string, index: number, entry: Record<string, unknown>, param: Tensor): SGDState {
    checkEntryKeys(owner, index, entry, ['momentum_buffer']);
    const b = entry.momentum_buffer;
    return { momentumBuffer: b === undefined || b === null ? null : readBuffer(owner, `state[${index}].momentum_buffer`, b, param) };
  }
}
