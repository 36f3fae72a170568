// The whole page's state in the URL's fragment, so a link reproduces the view:
//   #ce.o=classes&ce.n=3&ce.f=logits&ce.t=index&ce.z=2,1,-1&ce.y=0&…&bp.x=1,-0.5&bp.y=2&bp.s=0&tr.d=moons&…
// Reading never throws: a missing or malformed entry falls back to its default,
// and every value goes through the panel's normaliser.
import { defaultBpState, normalizeBpState, type BpState } from './backprop/model.js';
import { defaultCeState, normalizeCeState, type CeState } from './ce/state.js';
import { defaultTrainState, normalizeTrainState, type TrainState } from './train/state.js';

/** The whole page's state: one entry per panel. */
export interface AppState {
  ce: CeState;
  bp: BpState;
  train: TrainState;
}

/** The page's state when the URL says nothing. */
export function defaultAppState(): AppState {
  return { ce: defaultCeState(), bp: defaultBpState(), train: defaultTrainState() };
}

// A comma list of numbers ('' is the empty list; a malformed entry becomes NaN, which the normalisers replace).
const nums = (v: string | null): number[] | undefined =>
  v === null ? undefined : v === '' ? [] : v.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
const num = (v: string | null): number | undefined => (v === null || v.trim() === '' ? undefined : Number(v));
const list = (xs: readonly number[]): string => xs.join(',');

/** Encodes the state as a fragment (without the leading '#'); the order of keys is fixed. */
export function encodeState(s: AppState): string {
  const p = new URLSearchParams();
  const { ce, bp, train } = s;
  p.set('ce.o', ce.outcomes);
  p.set('ce.n', String(ce.count));
  p.set('ce.f', ce.form);
  p.set('ce.t', ce.target);
  p.set('ce.z', list(ce.logits));
  p.set('ce.y', String(ce.label));
  p.set('ce.s', list(ce.soft));
  p.set('ce.h', ce.hot.join(''));
  p.set('ce.m', ce.mistake);
  p.set('bp.x', list(bp.x));
  p.set('bp.y', String(bp.label));
  p.set('bp.s', String(bp.step));
  p.set('tr.d', train.dataset);
  p.set('tr.h', list(train.hidden));
  p.set('tr.a', train.activation);
  p.set('tr.l', train.loss);
  p.set('tr.o', train.optimizer);
  p.set('tr.lr', String(train.lr));
  p.set('tr.seed', String(train.seed));
  // Commas are safe in a fragment; keep them readable.
  return p.toString().replace(/%2C/g, ',');
}

/** Decodes a fragment (with or without '#'); anything missing or out of range takes its default. */
export function decodeState(hash: string): AppState {
  const p = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const g = (k: string): string | null => p.get(k);
  const hot = g('ce.h');
  const ce = normalizeCeState({
    outcomes: (g('ce.o') ?? undefined) as CeState['outcomes'] | undefined,
    count: num(g('ce.n')),
    form: (g('ce.f') ?? undefined) as CeState['form'] | undefined,
    target: (g('ce.t') ?? undefined) as CeState['target'] | undefined,
    logits: nums(g('ce.z')),
    label: num(g('ce.y')),
    soft: nums(g('ce.s')),
    hot: hot === null ? undefined : [...hot].map((c) => (c === '1' ? 1 : 0)),
    mistake: (g('ce.m') ?? undefined) as CeState['mistake'] | undefined,
  });
  const x = nums(g('bp.x'));
  const bp = normalizeBpState({ x: x && x.length === 2 ? [x[0], x[1]] : undefined, label: num(g('bp.y')), step: num(g('bp.s')) });
  const train = normalizeTrainState({
    dataset: (g('tr.d') ?? undefined) as TrainState['dataset'] | undefined,
    hidden: nums(g('tr.h')),
    activation: (g('tr.a') ?? undefined) as TrainState['activation'] | undefined,
    loss: (g('tr.l') ?? undefined) as TrainState['loss'] | undefined,
    optimizer: (g('tr.o') ?? undefined) as TrainState['optimizer'] | undefined,
    lr: num(g('tr.lr')),
    seed: num(g('tr.seed')),
  });
  return { ce, bp, train };
}
