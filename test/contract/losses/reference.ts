// Naive float64 references for the losses contract (/work/shared/DESIGN.md §4, packages/losses/README.md),
// written from the formulas alone: plain loops over flat arrays, no xent kernel involved. xent is only
// called through its public entry points, and its results are read back through toArray().
import { expect } from 'vitest';
import { sum, valueAndGrad } from '@xent/autograd';
import * as L from '@xent/losses';
import { Tensor, XentError, tensor } from '@xent/tensor';

// ---------------------------------------------------------------- flat arrays

/** A row-major array: values and shape (shape [] is a scalar). */
export interface Arr {
  data: number[];
  shape: number[];
}

/** Nested arrays of numbers, any depth. */
export type Nested = number | Nested[];

/** The number of elements of a shape. */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A nested array (or number) as a flat row-major array with its shape. */
export function flat(x: Nested): Arr {
  const shape: number[] = [];
  let probe: Nested = x;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as Nested;
  }
  const data: number[] = [];
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else data.push(v);
  };
  walk(x);
  return { data, shape };
}

/** A flat array back as nested arrays. */
export function nest(a: Arr): Nested {
  const build = (offset: number, axis: number): Nested => {
    if (axis === a.shape.length) return a.data[offset]!;
    const stride = size(a.shape.slice(axis + 1));
    return Array.from({ length: a.shape[axis]! }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return build(0, 0);
}

/** The values of a tensor as a flat array (read through toArray, the public API). */
export function read(t: Tensor): Arr {
  return flat(t.toArray() as Nested);
}

/** Multi-index of flat position i in shape. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k]!;
    i = Math.floor(i / shape[k]!);
  }
  return idx;
}

/** Flat position of a multi-index in shape. */
function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let k = 0; k < shape.length; k++) i = i * shape[k]! + idx[k]!;
  return i;
}

/** x with `axis` moved last: rows (the other axes in order) × cols (the axis), and the shape of the rows. */
export function rowsAlong(x: Arr, axis: number): { rows: number[][]; lead: number[] } {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const lead = x.shape.filter((_, k) => k !== ax);
  const cols = x.shape[ax]!;
  const rows: number[][] = Array.from({ length: size(lead) }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape);
    const c = idx[ax]!;
    const r = ravel(
      idx.filter((_, k) => k !== ax),
      lead,
    );
    rows[r]![c] = x.data[i]!;
  }
  return { rows, lead };
}

// ---------------------------------------------------------------- scalar formulas

const clip = (q: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, q));
/** log(1 + e^x) without overflow. */
export const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
/** σ(x). */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** log softmax of one row, max-shifted. */
export function logSoftmaxRow(z: readonly number[]): number[] {
  const m = Math.max(...z);
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  return z.map((v) => v - lse);
}

// ---------------------------------------------------------------- per-value losses and reductions

/** Options as a user passes them (the reference reads only what it knows). */
export type Opts = Record<string, unknown>;

/** Loss values before the reduction, with each value's 'mean' weight ω and whether it is ignored. */
interface LossValues {
  values: number[];
  shape: number[];
  omega: number[];
  ignored: boolean[];
}

/**
 * A sample weight spread over the loss values: a number; an array of the loss values' shape; or, leading axes
 * being examples (Keras), an array of fewer axes (trailing axes of size 1 are dropped first, e.g. [N, 1] on [N]).
 */
function sampleWeights(sw: unknown, shape: readonly number[]): number[] {
  const n = size(shape);
  if (sw === undefined || sw === null) return new Array<number>(n).fill(1);
  if (typeof sw === 'number') return new Array<number>(n).fill(sw);
  const w = flat(sw as Nested);
  const wShape = [...w.shape];
  while (wShape.length > shape.length && wShape[wShape.length - 1] === 1) wShape.pop();
  while (wShape.length < shape.length) wShape.push(1); // leading axes are examples: [N] on [N, K] is one weight per row
  return Array.from({ length: n }, (_, i) => {
    const idx = unravel(i, shape).map((v, k) => (wShape[k] === 1 ? 0 : v));
    return w.data[ravel(idx, wShape)]!;
  });
}

/** Loss values of equal 'mean' weight (ω = 1), none ignored. */
function plain(values: number[], shape: number[]): LossValues {
  return { values, shape, omega: values.map(() => 1), ignored: values.map(() => false) };
}

/** Applies sample weights: ℓᵢ ← sᵢ·ℓᵢ, ωᵢ ← sᵢ·ωᵢ. */
function weigh(lv: LossValues, opts: Opts): LossValues {
  const s = sampleWeights(opts.sampleWeight, lv.shape);
  return { ...lv, values: lv.values.map((v, i) => v * s[i]!), omega: lv.omega.map((w, i) => w * s[i]!) };
}

/** The reduction of the contract: 'none', 'sum', 'sum_over_batch_size' (÷ count not ignored), 'mean' (÷ Σω not ignored). */
export function reduce(lv: LossValues, reduction: unknown): Arr {
  if (reduction === 'none') return { data: lv.values, shape: lv.shape };
  const total = lv.values.reduce((a, b) => a + b, 0);
  if (reduction === 'sum') return { data: [total], shape: [] };
  let divisor = 0;
  for (let i = 0; i < lv.values.length; i++) {
    if (lv.ignored[i]) continue;
    divisor += reduction === 'sum_over_batch_size' ? 1 : lv.omega[i]!;
  }
  if (reduction !== undefined && reduction !== 'mean' && reduction !== 'sum_over_batch_size') {
    throw new Error(`reference: unknown reduction ${String(reduction)}`);
  }
  return { data: [divisor === 0 ? 0 : total / divisor], shape: [] };
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
const vec = (v: unknown): number[] | undefined => (v === undefined || v === null ? undefined : flat(v as Nested).data);
/** A number or one per class (last axis): alpha, and posWeight of one value per class. */
const perClass = (v: unknown, c: number, fallback: number): number => {
  if (typeof v === 'number') return v;
  const w = vec(v);
  return w === undefined ? fallback : w.length === 1 ? w[0]! : w[c]!;
};

/** posWeight broadcast against the logits (NumPy rule, right-aligned), one value per element. */
function posWeights(v: unknown, shape: readonly number[]): number[] {
  const n = size(shape);
  if (v === undefined || v === null) return new Array<number>(n).fill(1);
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  const w = flat(v as Nested);
  const wShape = [...new Array<number>(Math.max(0, shape.length - w.shape.length)).fill(1), ...w.shape];
  return Array.from(
    { length: n },
    (_, i) =>
      w.data[
        ravel(
          unravel(i, shape).map((k, a) => (wShape[a] === 1 ? 0 : k)),
          wShape,
        )
      ]!,
  );
}

/** Binary cross entropy of one element: y smoothed, q clipped (or z through the stable logits form); pw weights the positive term. */
function bceTerm(y: number, p: number, fromLogits: boolean, eps: number, pw = 1): number {
  if (fromLogits) return pw * y * softplus(-p) + (1 - y) * softplus(p); // −log σ(z) = softplus(−z), −log(1−σ(z)) = softplus(z)
  const q = clip(p, eps, 1 - eps);
  return -(pw * y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

/** Per-example mean over the last axis of w_k·term_k (a 1-D input: one example per element). */
function meanLastAxis(terms: number[], shape: readonly number[], classWeights?: number[]): LossValues {
  const k = shape.length <= 1 ? 1 : shape[shape.length - 1]!;
  const outShape = shape.length <= 1 ? [...shape] : shape.slice(0, -1);
  const n = size(outShape);
  const values = Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += (classWeights?.[j] ?? 1) * terms[r * k + j]!;
    return s / k;
  });
  return plain(values, outShape);
}

/** binaryCrossentropy. */
export function binaryCrossentropyRef(t: Arr, p: Arr, o: Opts): LossValues {
  const ls = num(o.labelSmoothing, 0);
  const eps = num(o.epsilon, 1e-7);
  const terms = p.data.map((pv, i) => bceTerm(t.data[i]! * (1 - ls) + ls / 2, pv, o.fromLogits === true, eps));
  return weigh(meanLastAxis(terms, p.shape, vec(o.classWeights)), o);
}

/** sigmoidCrossEntropyWithLogits: elementwise, −[pw·y log σ(z) + (1−y) log(1−σ(z))]. */
export function sigmoidRef(t: Arr, z: Arr, o: Opts): LossValues {
  const c = z.shape[z.shape.length - 1] ?? 1;
  const cw = vec(o.classWeights);
  const ls = num(o.labelSmoothing, 0);
  const pw = posWeights(o.posWeight, z.shape);
  const values = z.data.map((zv, i) => (cw?.[i % c] ?? 1) * bceTerm(t.data[i]! * (1 - ls) + ls / 2, zv, true, 0, pw[i]));
  return weigh(plain(values, [...z.shape]), o);
}

/** multiLabelCrossEntropy: (1/K) Σ_k w_k·bce_k, fromLogits by default. */
export function multiLabelRef(t: Arr, p: Arr, o: Opts): LossValues {
  const fromLogits = o.fromLogits !== false;
  const eps = num(o.epsilon, 1e-7);
  const ls = num(o.labelSmoothing, 0);
  const pw = posWeights(o.posWeight, p.shape);
  const terms = p.data.map((pv, i) => bceTerm(t.data[i]! * (1 - ls) + ls / 2, pv, fromLogits, eps, pw[i]));
  return weigh(meanLastAxis(terms, p.shape, vec(o.classWeights)), o);
}

/** log q per row: log softmax(z), or q/Σq clipped to [ε, 1−ε]. */
function logQRows(rows: number[][], fromLogits: boolean, eps: number): number[][] {
  if (fromLogits) return rows.map(logSoftmaxRow);
  return rows.map((r) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => Math.log(clip(v / s, eps, 1 - eps)));
  });
}

/** −Σ_c w_c y_c log q_c per row, with y smoothed as y(1−ε) + ε/C. */
function softTargetValues(y: number[][], logQ: number[][], o: Opts): number[] {
  const ls = num(o.labelSmoothing, 0);
  const cw = vec(o.classWeights);
  return y.map((row, r) => {
    const c = row.length;
    let s = 0;
    for (let j = 0; j < c; j++) s -= (cw?.[j] ?? 1) * (row[j]! * (1 - ls) + ls / c) * logQ[r]![j]!;
    return s;
  });
}

/** categoricalCrossentropy (fromLogits: softmaxCrossEntropyWithLogits). */
export function categoricalRef(t: Arr, p: Arr, o: Opts): LossValues {
  const axis = num(o.axis, -1);
  const { rows, lead } = rowsAlong(p, axis);
  const y = rowsAlong(t, axis).rows;
  const values = softTargetValues(y, logQRows(rows, o.fromLogits === true, num(o.epsilon, 1e-7)), o);
  return weigh(plain(values, lead), o);
}

/** sparseCategoricalCrossentropy (fromLogits: sparseSoftmaxCrossEntropyWithLogits); ω = c_y, ignored labels give 0. */
export function sparseRef(labels: Arr, p: Arr, o: Opts): LossValues {
  const axis = num(o.axis, -1);
  const { rows, lead } = rowsAlong(p, axis);
  const logQ = logQRows(rows, o.fromLogits === true, num(o.epsilon, 1e-7));
  const cw = vec(o.classWeights);
  const c = rows[0]?.length ?? 0;
  const ignored = labels.data.map((y) => o.ignoreIndex !== undefined && y === o.ignoreIndex);
  const oneHot = labels.data.map((y, r) => Array.from({ length: c }, (_, j) => (ignored[r] ? 0 : j === y ? 1 : 0)));
  const values = softTargetValues(oneHot, logQ, o).map((v, r) => (ignored[r] ? 0 : v));
  const omega = labels.data.map((y, r) => (ignored[r] ? 0 : (cw?.[y] ?? 1)));
  return weigh({ values, shape: lead, omega, ignored }, o);
}

/** crossEntropy: −Σ P_c log Q_c with 0·log 0 = 0. */
export function crossEntropyRef(t: Arr, q: Arr, o: Opts): LossValues {
  const axis = num(o.axis, -1);
  const { rows, lead } = rowsAlong(q, axis);
  const y = rowsAlong(t, axis).rows;
  const values = rows.map((r, i) => r.reduce((s, qc, j) => (y[i]![j] === 0 ? s : s - y[i]![j]! * Math.log(qc)), 0));
  return weigh(plain(values, lead), o);
}

/**
 * polyCrossEntropyWithLogits: −Σ y log s + ε·Σ y(1 − s), s = softmax(z), ε = polyEpsilon (default 2); the softmax
 * options enter through y as for the softmax loss: y ← y(1−ε_ls) + ε_ls/C, then y_c ← w_c·y_c.
 */
export function polyRef(t: Arr, z: Arr, o: Opts): LossValues {
  const axis = num(o.axis, -1);
  const pe = num(o.polyEpsilon, 2);
  const smooth = num(o.labelSmoothing, 0);
  const cw = vec(o.classWeights);
  const { rows, lead } = rowsAlong(z, axis);
  const y = rowsAlong(t, axis).rows;
  const values = rows.map((r, i) => {
    const ls = logSoftmaxRow(r);
    let v = 0;
    for (let j = 0; j < r.length; j++) {
      const yc = (cw?.[j] ?? 1) * (y[i]![j]! * (1 - smooth) + smooth / r.length);
      v += -yc * ls[j]! + pe * yc * (1 - Math.exp(ls[j]!));
    }
    return v;
  });
  return weigh(plain(values, lead), o);
}

/** binaryFocalCrossentropy (Keras): mean over the last axis of α_t·(1−p_t)^γ·bce, p clipped, α_t only with class balancing. */
export function binaryFocalRef(t: Arr, p: Arr, o: Opts): LossValues {
  const gamma = num(o.gamma, 2);
  const alpha = num(o.alpha, 0.25);
  const ls = num(o.labelSmoothing, 0);
  const eps = num(o.epsilon, 1e-7);
  const terms = p.data.map((pv, i) => {
    const y = t.data[i]! * (1 - ls) + ls / 2;
    const q = clip(o.fromLogits === true ? sigmoid(pv) : pv, eps, 1 - eps);
    const bce = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    const pt = y * q + (1 - y) * (1 - q);
    const at = o.applyClassBalancing === true ? y * alpha + (1 - y) * (1 - alpha) : 1;
    return at * (1 - pt) ** gamma * bce;
  });
  return weigh(meanLastAxis(terms, p.shape), o);
}

/** categoricalFocalCrossentropy (Keras): Σ_c α_c (1−q_c)^γ (−y_c log q_c), q = p/Σp clipped (or softmax(z)). */
export function categoricalFocalRef(t: Arr, p: Arr, o: Opts): LossValues {
  const axis = num(o.axis, -1);
  const gamma = num(o.gamma, 2);
  const ls = num(o.labelSmoothing, 0);
  const { rows, lead } = rowsAlong(p, axis);
  const y = rowsAlong(t, axis).rows;
  const logQ = logQRows(rows, o.fromLogits === true, num(o.epsilon, 1e-7));
  const values = logQ.map((lq, r) =>
    lq.reduce((s, l, j) => {
      const yc = y[r]![j]! * (1 - ls) + ls / lq.length;
      return s + perClass(o.alpha, j, 0.25) * (1 - Math.exp(l)) ** gamma * -yc * l;
    }, 0),
  );
  return weigh(plain(values, lead), o);
}

/** klDivergence (Keras): Σ P log(P/Q), both clipped to [ε, 1]. */
export function klRef(t: Arr, q: Arr, o: Opts): LossValues {
  const axis = num(o.axis, -1);
  const eps = num(o.epsilon, 1e-7);
  const { rows, lead } = rowsAlong(q, axis);
  const y = rowsAlong(t, axis).rows;
  const values = rows.map((r, i) =>
    r.reduce((s, qc, j) => {
      const pc = clip(y[i]![j]!, eps, 1);
      return s + pc * Math.log(pc / clip(qc, eps, 1));
    }, 0),
  );
  return weigh(plain(values, lead), o);
}

// ---------------------------------------------------------------- the losses by name

/** A loss as the contract calls it. */
export type LossFn = (targets: unknown, predictions: unknown, options?: Opts) => Tensor;

/** Names of every loss under test. */
export type LossName =
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'sigmoidCrossEntropyWithLogits'
  | 'softmaxCrossEntropyWithLogits'
  | 'sparseSoftmaxCrossEntropyWithLogits'
  | 'multiLabelCrossEntropy'
  | 'crossEntropy'
  | 'polyCrossEntropyWithLogits'
  | 'binaryFocalCrossentropy'
  | 'categoricalFocalCrossentropy'
  | 'klDivergence';

/** The xent function of each name (public entry point only). */
export function xentLoss(name: LossName): LossFn {
  return L[name] as unknown as LossFn;
}

const REFS: Record<LossName, (t: Arr, p: Arr, o: Opts) => LossValues> = {
  binaryCrossentropy: binaryCrossentropyRef,
  categoricalCrossentropy: categoricalRef,
  sparseCategoricalCrossentropy: sparseRef,
  sigmoidCrossEntropyWithLogits: sigmoidRef,
  softmaxCrossEntropyWithLogits: (t, p, o) => categoricalRef(t, p, { ...o, fromLogits: true }),
  sparseSoftmaxCrossEntropyWithLogits: (t, p, o) => sparseRef(t, p, { ...o, fromLogits: true }),
  multiLabelCrossEntropy: multiLabelRef,
  crossEntropy: crossEntropyRef,
  polyCrossEntropyWithLogits: polyRef,
  binaryFocalCrossentropy: binaryFocalRef,
  categoricalFocalCrossentropy: categoricalFocalRef,
  klDivergence: klRef,
};

/** The reference output of a loss (after the reduction). */
export function refValue(name: LossName, targets: Nested, predictions: Nested, opts: Opts = {}): Arr {
  return reduce(REFS[name](flat(targets), flat(predictions), opts), opts.reduction ?? 'mean');
}

/**
 * The reference gradient of Σ(output) with respect to the predictions: central differences of the naive
 * formula, Richardson-extrapolated (D(h/2)·4 − D(h))/3, error O(h⁴).
 */
export function refGrad(name: LossName, targets: Nested, predictions: Nested, opts: Opts = {}, h = 1e-4): Arr {
  const t = flat(targets);
  const p = flat(predictions);
  const total = (x: number[]): number => {
    const out = reduce(REFS[name](t, { data: x, shape: p.shape }, opts), opts.reduction ?? 'mean');
    return out.data.reduce((a, b) => a + b, 0);
  };
  const d = (i: number, step: number): number => {
    const plus = [...p.data];
    const minus = [...p.data];
    plus[i] = plus[i]! + step;
    minus[i] = minus[i]! - step;
    return (total(plus) - total(minus)) / (2 * step);
  };
  const data = p.data.map((_, i) => (4 * d(i, h / 2) - d(i, h)) / 3);
  return { data, shape: p.shape };
}

/**
 * The reference directional derivative d/dt Σ(output)(p + t·u) at t = 0, Richardson-extrapolated central
 * differences: four evaluations whatever the size, for checking ⟨gradient, u⟩ on large inputs.
 */
export function refDirectional(name: LossName, targets: Nested, predictions: Nested, u: number[], opts: Opts = {}, h = 1e-4): number {
  const t = flat(targets);
  const p = flat(predictions);
  const total = (step: number): number => {
    const x = p.data.map((v, i) => v + step * u[i]!);
    return reduce(REFS[name](t, { data: x, shape: p.shape }, opts), opts.reduction ?? 'mean').data.reduce((a, b) => a + b, 0);
  };
  const d = (step: number): number => (total(step) - total(-step)) / (2 * step);
  return (4 * d(h / 2) - d(h)) / 3;
}

// ---------------------------------------------------------------- calling xent

/** Targets as a tensor: int32 for integer labels, float64 otherwise. */
export function targetTensor(targets: Nested, integer: boolean): Tensor {
  return integer ? tensor(targets, { dtype: 'int32' }) : tensor(targets);
}

/** xent's output and its gradient of Σ(output) with respect to the predictions (valueAndGrad, public API). */
export function xentValueAndGrad(name: LossName, targets: Tensor | Nested, predictions: Nested, opts?: Opts): { value: Arr; grad: Arr } {
  const fn = xentLoss(name);
  const out = fn(targets, tensor(predictions), opts);
  const { grads } = valueAndGrad((p: Tensor) => sum(fn(targets, p, opts)))(tensor(predictions));
  return { value: read(out), grad: read(grads[0]!) };
}

// ---------------------------------------------------------------- assertions

/** Tolerances: |a − b| ≤ atol + rtol·|b|. */
export interface Tol {
  rtol?: number;
  atol?: number;
}

/** Values: float64 formulas agree to rounding. */
export const VALUE_TOL: Tol = { rtol: 1e-10, atol: 1e-12 };
/** Gradients against the extrapolated central differences. */
export const GRAD_TOL: Tol = { rtol: 1e-7, atol: 1e-9 };

/** Same shape, every value within tolerance (a NaN anywhere fails). */
export function expectClose(actual: Arr, expected: Arr, tol: Tol = VALUE_TOL, what = 'value'): void {
  const { rtol = 1e-10, atol = 1e-12 } = tol;
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const b = expected.data[i]!;
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: at flat index ${worst} got ${actual.data[worst]}, expected ${expected.data[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Asserts that xent's value and gradient match the naive reference. */
export function expectMatchesReference(
  name: LossName,
  targets: Nested,
  predictions: Nested,
  opts: Opts = {},
  integerTargets = false,
  tol: { value?: Tol; grad?: Tol } = {},
): void {
  const got = xentValueAndGrad(name, targetTensor(targets, integerTargets), predictions, opts);
  expectClose(got.value, refValue(name, targets, predictions, opts), tol.value ?? VALUE_TOL, `${name} value`);
  expectClose(got.grad, refGrad(name, targets, predictions, opts), tol.grad ?? GRAD_TOL, `${name} gradient`);
}

/** Runs fn, expects an XentError with that code, and returns it for message checks. */
export function refusal(fn: () => unknown, code: string): XentError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected an XentError ${code}, but nothing was thrown`).toBeInstanceOf(XentError);
  const err = caught as XentError;
  expect(err.code, err.message).toBe(code);
  return err;
}
