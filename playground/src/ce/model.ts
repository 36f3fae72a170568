// The "one cross entropy" view model: from the panel's state, everything the
// panel shows, computed by xent itself (no DOM here, so it is tested in Node).
//   classes:        Q = softmax(z), ℓ = −Σ_c P_c log Q_c, ∂ℓ/∂z = Q − P
//   binary, labels: q = σ(z),       ℓ_k = −[t log q + (1−t) log(1−q)], ∂ℓ_k/∂z_k = q − t
import { valueAndGrad } from '@xent/autograd';
import { chooseLoss, sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits, type ChooseLossSpec } from '@xent/losses';
import { XentError, logSoftmax, readFlat, sigmoid, softmax, softplus, tensor, type Tensor } from '@xent/tensor';
import { helperCalls, type HelperCall } from './helpers.js';
import type { CeState } from './state.js';

/** One row of the per-outcome table: prediction Q_c, target P_c and the term it adds to the loss. */
export interface OutcomeRow {
  label: string;
  q: number;
  p: number;
  /** −P_c log Q_c (softmax), or −[t log q + (1−t) log(1−q)] (one sigmoid unit). */
  term: number;
}

/** One helper's loss for this example. */
export interface HelperResult {
  name: string;
  /** The call, as code a reader could type. */
  call: string;
  /** What it returned (reduction 'mean' over this one example), or the refusal. */
  value: number | null;
  error: { code: string; message: string } | null;
  /** true for the helper chooseLoss picks. */
  chosen: boolean;
}

/** chooseLoss's answer for the panel's outcomes and forms, or its refusal. */
export type Choice =
  { name: string; why: string; spec: ChooseLossSpec } | { error: { code: string; message: string }; spec: ChooseLossSpec };

/** Everything the panel shows. */
export interface CeView {
  /** 'softmax' for exclusive classes, 'sigmoid' for one yes/no unit or independent labels. */
  link: 'softmax' | 'sigmoid';
  logits: number[];
  rows: OutcomeRow[];
  /** The per-example loss written out: Σ terms (softmax, binary) or their mean over the K labels. */
  loss: number;
  /** K when `loss` is the mean over K labels, else null (it is the sum of the terms). */
  meanOver: number | null;
  helpers: HelperResult[];
  /** ∂ℓ/∂z from xent's autograd (one entry per logit), ℓ summed over the outcomes. */
  grad: number[];
  /** The same gradient from the closed form softmax(z) − P or σ(z) − P. */
  gradClosedForm: number[];
  /** The closed form, as text. */
  gradFormula: string;
  choice: Choice;
}

/** The target of a state as numbers: P (one row) for classes, t per unit for binary and labels. */
export function targetRow(s: CeState): number[] {
  if (s.outcomes === 'binary') return [s.target === 'index' ? s.label : s.soft[0]];
  if (s.outcomes === 'labels') return s.target === 'multihot' ? s.hot.slice(0, s.count) : s.soft.slice(0, s.count);
  if (s.target === 'soft') {
    const total = s.soft.reduce((a, b) => a + b, 0);
    return s.soft.map((v) => v / total);
  }
  return Array.from({ length: s.count }, (_, c) => (c === s.label ? 1 : 0));
}

/** The loss a call returned as one number, or its XentError (anything else is a bug and is rethrown). */
export function attempt(run: () => Tensor): { value: number | null; error: { code: string; message: string } | null } {
  try {
    return { value: readFlat(run())[0], error: null };
  } catch (e) {
    if (e instanceof XentError) return { value: null, error: { code: e.code, message: e.message } };
    throw e;
  }
}

/** What chooseLoss is asked for this state. */
export function chooseSpec(s: CeState): ChooseLossSpec {
  const predictions = s.form;
  if (s.outcomes === 'binary') return { classes: 2, predictions, targets: s.target === 'index' ? 'indices' : 'distributions' };
  if (s.outcomes === 'labels') return { classes: s.count, predictions, targets: 'distributions', multiLabel: true };
  return { classes: s.count, predictions, targets: s.target === 'index' ? 'indices' : 'distributions' };
}

function choose(s: CeState): Choice {
  const spec = chooseSpec(s);
  try {
    const c = chooseLoss(spec);
    return { name: c.name, why: c.why, spec };
  } catch (e) {
    if (e instanceof XentError) return { error: { code: e.code, message: e.message }, spec };
    throw e;
  }
}

/** ∂ℓ/∂z by xent's autograd, ℓ the loss summed over this example's outcomes. */
export function logitGradient(s: CeState): number[] {
  const z = tensor([s.logits]);
  const t = [targetRow(s)];
  const f =
    s.outcomes === 'classes'
      ? (x: Tensor) => softmaxCrossEntropyWithLogits(t, x)
      : (x: Tensor) => sigmoidCrossEntropyWithLogits(t, x, { reduction: 'sum' });
  return Array.from(readFlat(valueAndGrad(f)(z).grads[0]));
}

/** Computes the panel's view for a (normalised) state. */
export function ceView(s: CeState): CeView {
  const t = targetRow(s);
  const z = tensor(s.logits);
  const calls: HelperCall[] = helperCalls(s, t);
  const choice = choose(s);
  const helpers = calls.map((c) => ({ name: c.name, call: c.call, ...attempt(c.run), chosen: 'name' in choice && choice.name === c.name }));
  const grad = logitGradient(s);
  if (s.outcomes === 'classes') {
    const q = Array.from(readFlat(softmax(z)));
    const logQ = readFlat(logSoftmax(z));
    const rows = q.map((qc, c) => ({ label: `class ${c}`, q: qc, p: t[c], term: t[c] === 0 ? 0 : -t[c] * logQ[c] }));
    return {
      link: 'softmax',
      logits: s.logits,
      rows,
      loss: rows.reduce((a, r) => a + r.term, 0),
      meanOver: null,
      helpers,
      grad,
      gradClosedForm: q.map((qc, c) => qc - t[c]),
      gradFormula: 'softmax(z) − P',
      choice,
    };
  }
  // One sigmoid per unit: log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z) (stable at |z| = 1e4).
  const q = Array.from(readFlat(sigmoid(z)));
  const spPos = readFlat(softplus(z));
  const spNeg = readFlat(softplus(tensor(s.logits.map((v) => -v))));
  const bce = (k: number): number => t[k] * spNeg[k] + (1 - t[k]) * spPos[k];
  const rows: OutcomeRow[] =
    s.outcomes === 'binary'
      ? [
          { label: 'yes (1)', q: q[0], p: t[0], term: t[0] === 0 ? 0 : t[0] * spNeg[0] },
          { label: 'no (0)', q: 1 - q[0], p: 1 - t[0], term: t[0] === 1 ? 0 : (1 - t[0]) * spPos[0] },
        ]
      : q.map((qk, k) => ({ label: `label ${k}`, q: qk, p: t[k], term: bce(k) }));
  const total = rows.reduce((a, r) => a + r.term, 0);
  return {
    link: 'sigmoid',
    logits: s.logits,
    rows,
    loss: s.outcomes === 'labels' ? total / s.count : total,
    meanOver: s.outcomes === 'labels' ? s.count : null,
    helpers,
    grad,
    gradClosedForm: q.map((qk, k) => qk - t[k]),
    gradFormula: 'σ(z) − P',
    choice,
  };
}
