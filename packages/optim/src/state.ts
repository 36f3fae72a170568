// Optimizer and schedule state as plain objects shaped like PyTorch's
// optimizer.state_dict() / scheduler.state_dict(), for checkpoints:
//
//   { state: { 0: { exp_avg: Tensor, exp_avg_sq: Tensor, step: 3 }, 1: { … } },
//     param_groups: [{ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, params: [0, 1] }] }
//
// Parameters are referred to by their index in the optimizer's list (as in
// PyTorch); a parameter that has not been updated yet has no state entry.
// Loading checks everything before it changes anything.
import { Tensor, XentError, fromFlat, readFlat } from '@xent/tensor';
import { fmtShape, formatValue, sameShape } from '@xent/tensor/internal';

/** One value of a parameter's state: a buffer of the parameter's shape, or a number (Adam's step). */
export type StateValue = Tensor | number;

/** A parameter group: the hyperparameters, in PyTorch's snake_case names, and the parameter indices. */
export interface ParamGroup {
  params: number[];
  lr: number;
  [hyper: string]: number | boolean | number[];
}

/** PyTorch's optimizer.state_dict() shape: per-parameter state by index, and one parameter group. */
export interface OptimizerStateDict {
  state: Record<number, Record<string, StateValue>>;
  param_groups: ParamGroup[];
}

/** A schedule's state (PyTorch's scheduler.state_dict()): the epoch count, η₀ and the last lr, plus its own settings. */
export interface SchedulerStateDict {
  last_epoch: number;
  base_lrs: number[];
  _last_lr: number[];
  [setting: string]: number | number[];
}

/** A copy of a float64 buffer as a tensor of the parameter's shape. */
export function bufferTensor(buf: Float64Array, shape: readonly number[]): Tensor {
  return fromFlat(buf.slice(), shape);
}

/**
 * Reads a state buffer for a parameter: a float Tensor of the parameter's
 * shape with finite values (≥ 0 when `nonNegative`), copied into a new
 * Float64Array. Anything else is an XentError naming the entry.
 */
export function readBuffer(owner: string, where: string, v: unknown, param: Tensor, nonNegative = false): Float64Array {
  if (!(v instanceof Tensor))
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${where} is ${formatValue(v)}; it must be a Tensor of the parameter's shape.`);
  if (!sameShape(v.shape, param.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${owner}: ${where} has shape ${fmtShape(v.shape)} but its parameter has ${fmtShape(param.shape)}; load the state of an optimizer over the same parameters.`,
    );
  }
  if (v.dtype === 'int32') throw new XentError('DTYPE', `${owner}: ${where} is int32; optimizer buffers are float.`);
  const out = Float64Array.from(readFlat(v));
  for (let i = 0; i < out.length; i++) {
    const x = out[i];
    if (!Number.isFinite(x) || (nonNegative && x < 0)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: ${where} holds ${x} at flat index ${i}; it must be finite${nonNegative ? ' and ≥ 0' : ''}.`,
      );
    }
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return Object.is(a, b);
}

/**
 * Checks the shape of an optimizer state dict against an optimizer with
 * `count` parameters and hyperparameters `hyper` (everything but lr must be
 * equal: build the optimizer with the options it was saved with). Returns the
 * saved lr and the state entries by parameter index.
 */
export function checkOptimizerStateDict(
  owner: string,
  sd: unknown,
  count: number,
  hyper: Record<string, number | boolean | number[]>,
): { lr: number; entries: [number, Record<string, unknown>][] } {
  if (sd === null || typeof sd !== 'object')
    throw new XentError('INVALID_ARGUMENT', `${owner}: the state dict is ${formatValue(sd)}; pass what stateDict() returned.`);
  const { state, param_groups: groups } = sd as { state?: unknown; param_groups?: unknown };
  if (!Array.isArray(groups) || groups.length !== 1 || groups[0] === null || typeof groups[0] !== 'object') {
    throw new XentError('INVALID_ARGUMENT', `${owner}: param_groups must be an array of one group, found ${formatValue(groups)}.`);
  }
  const group = groups[0] as Record<string, unknown>;
  const params = group.params;
  if (!Array.isArray(params) || params.length !== count || params.some((p, i) => p !== i)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: the saved group has params ${formatValue(params)} but this optimizer has ${count} parameters; build it over the same parameters, in the same order.`,
    );
  }
  const lr = group.lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
    throw new XentError('INVALID_ARGUMENT', `${owner}: the saved lr is ${formatValue(lr)}; it must be a number ≥ 0.`);
  const keys = new Set([...Object.keys(hyper), 'lr', 'params']);
  const unknown = Object.keys(group).filter((k) => !keys.has(k));
  if (unknown.length > 0) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: the saved group has ${unknown.map((k) => `'${k}'`).join(', ')}, which ${owner.split('.')[0]} does not have; is it another optimizer's state?`,
    );
  }
  for (const [k, v] of Object.entries(hyper)) {
    if (!sameValue(group[k], v)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: the state was saved with ${k} = ${formatValue(group[k])} but this optimizer has ${formatValue(v)}; build the optimizer with the saved options.`,
      );
    }
  }
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    throw new XentError('INVALID_ARGUMENT', `${owner}: state must be an object by parameter index, found ${formatValue(state)}.`);
  const entries = Object.entries(state).map(([key, value]): [number, Record<string, unknown>] => {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= count) {
      throw new XentError('INVALID_ARGUMENT', `${owner}: state has an entry '${key}'; entries are parameter indices 0 … ${count - 1}.`);
    }
    if (value === null || typeof value !== 'object')
      throw new XentError('INVALID_ARGUMENT', `${owner}: state[${key}] is ${formatValue(value)}; it must be an object.`);
    return [i, value as Record<string, unknown>];
  });
  return { lr, entries };
}

/** Refuses keys of a state entry other than `allowed`. */
export function checkEntryKeys(owner: string, index: number, entry: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(entry).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: state[${index}] has ${extra.map((k) => `'${k}'`).join(', ')}; its entries are ${allowed.join(', ')}.`,
    );
  }
}
