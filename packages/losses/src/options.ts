// Option parsing: every loss takes (targets, predictions, options?). This file
// knows every option name, which loss takes which, and the legal values; it
// refuses unknown names (with a "did you mean") and out-of-range values with
// INVALID_OPTION before anything is computed.
import { Tensor, XentError, readFlat, tensor, type TensorLike } from '@xent/tensor';

/** How the loss values ℓᵢ become the result (see reduction.ts for the exact divisors). */
export type Reduction = 'mean' | 'sum' | 'none' | 'sum_over_batch_size';
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none', 'sum_over_batch_size'];

/** Options every loss takes. */
export interface BaseLossOptions {
  /** Default 'mean'. */
  reduction?: Reduction;
  /** Scales each loss value ℓᵢ; broadcast to the loss values (leading axes are examples, as in Keras). */
  sampleWeight?: TensorLike;
  /** Default true. false skips the value checks (ranges, row sums), never the shape checks. */
  validate?: boolean;
}
export interface BinaryCrossentropyOptions extends BaseLossOptions {
  fromLogits?: boolean;
  /** ε in [0, 1]: y ← y(1−ε) + ε/2. */
  labelSmoothing?: number;
  /** One weight per output unit (the last axis), PyTorch `weight`. */
  classWeights?: TensorLike;
  /** Probabilities are clipped to [ε, 1−ε]; default 1e-7. */
  epsilon?: number;
}
export interface CategoricalCrossentropyOptions extends BaseLossOptions {
  fromLogits?: boolean;
  /** ε in [0, 1]: y ← y(1−ε) + ε/C. */
  labelSmoothing?: number;
  /** Length C, PyTorch `weight`: class c's term is scaled by w_c. */
  classWeights?: TensorLike;
  epsilon?: number;
  /** The class axis (default −1). */
  axis?: number;
}
export interface SparseCategoricalCrossentropyOptions extends CategoricalCrossentropyOptions {
  /** Labels equal to it give ℓ = 0 and leave the 'mean' divisor (PyTorch ignore_index, e.g. −100). */
  ignoreIndex?: number;
}
export interface SigmoidCrossEntropyOptions extends BaseLossOptions {
  labelSmoothing?: number;
  classWeights?: TensorLike;
  /** PyTorch pos_weight: −[pw·y log σ(z) + (1−y) log(1−σ(z))], broadcast against the logits (usually [C]). */
  posWeight?: TensorLike;
}
export interface SoftmaxCrossEntropyOptions extends BaseLossOptions {
  labelSmoothing?: number;
  classWeights?: TensorLike;
  axis?: number;
}
export interface SparseSoftmaxCrossEntropyOptions extends SoftmaxCrossEntropyOptions {
  ignoreIndex?: number;
}
export interface MultiLabelCrossEntropyOptions extends BaseLossOptions {
  /** Default true (logits). */
  fromLogits?: boolean;
  labelSmoothing?: number;
  classWeights?: TensorLike;
  posWeight?: TensorLike;
  epsilon?: number;
}
export interface CrossEntropyOptions extends BaseLossOptions {
  axis?: number;
}
export interface KLDivergenceOptions extends BaseLossOptions {
  epsilon?: number;
  axis?: number;
}
export interface BinaryFocalCrossentropyOptions extends BaseLossOptions {
  /** Focusing parameter γ ≥ 0 (default 2). */
  gamma?: number;
  /** Weight of class 1 when applyClassBalancing (default 0.25); class 0 gets 1 − α. */
  alpha?: number;
  /** Default false (Keras apply_class_balancing). */
  applyClassBalancing?: boolean;
  fromLogits?: boolean;
  labelSmoothing?: number;
  epsilon?: number;
}
export interface CategoricalFocalCrossentropyOptions extends BaseLossOptions {
  gamma?: number;
  /** A number, or one per class (length C); default 0.25. */
  alpha?: number | readonly number[];
  fromLogits?: boolean;
  labelSmoothing?: number;
  epsilon?: number;
  axis?: number;
}

/** Every option of every loss: what chooseLoss's `fn` accepts. */
export interface LossOptions extends BaseLossOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  classWeights?: TensorLike;
  posWeight?: TensorLike;
  ignoreIndex?: number;
  epsilon?: number;
  axis?: number;
  gamma?: number;
  alpha?: number | readonly number[];
  applyClassBalancing?: boolean;
}

export type OptionName = keyof LossOptions;

/** Which losses take an option (for the message when a loss does not). */
const TAKEN_BY: Record<OptionName, string> = {
  reduction: 'every loss',
  sampleWeight: 'every loss',
  validate: 'every loss',
  fromLogits:
    'the Keras-style losses (binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, multiLabelCrossEntropy, the focal losses)',
  labelSmoothing: 'the cross-entropy helpers and the focal losses',
  classWeights: 'the cross-entropy helpers (not crossEntropy, klDivergence or the focal losses)',
  posWeight: 'sigmoidCrossEntropyWithLogits and multiLabelCrossEntropy',
  ignoreIndex: 'sparseCategoricalCrossentropy and sparseSoftmaxCrossEntropyWithLogits (integer labels)',
  epsilon: 'the losses on probabilities',
  axis: 'the categorical and softmax families, crossEntropy and klDivergence',
  gamma: 'binaryFocalCrossentropy and categoricalFocalCrossentropy',
  alpha: 'binaryFocalCrossentropy and categoricalFocalCrossentropy',
  applyClassBalancing: 'binaryFocalCrossentropy',
};

/** Names users bring from Keras, PyTorch and TF that are spelled differently here. */
const ALIASES: Record<string, OptionName> = {
  weight: 'classWeights',
  weights: 'classWeights',
  class_weight: 'classWeights',
  classweight: 'classWeights',
  ignore_class: 'ignoreIndex',
  ignoreclass: 'ignoreIndex',
  reduce: 'reduction',
  size_average: 'reduction',
  eps: 'epsilon',
  dim: 'axis',
  logits: 'fromLogits',
  pos_weights: 'posWeight',
  posweights: 'posWeight',
  sampleweights: 'sampleWeight',
};

const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/** The option a misspelled or foreign name most likely means, if any. */
export function suggestOption(name: string): OptionName | undefined {
  const all = Object.keys(TAKEN_BY) as OptionName[];
  const s = squash(name);
  const alias = Object.hasOwn(ALIASES, name) ? ALIASES[name] : Object.hasOwn(ALIASES, s) ? ALIASES[s] : undefined;
  if (alias) return alias;
  const exact = all.find((o) => squash(o) === s);
  if (exact) return exact;
  let best: OptionName | undefined;
  let bestD = 3;
  for (const o of all) {
    const dd = editDistance(s, squash(o));
    if (dd < bestD) {
      best = o;
      bestD = dd;
    }
  }
  return best;
}

/** Options after parsing: defaults filled in, weights as flat float arrays. */
export interface ParsedOptions {
  reduction: Reduction;
  sampleWeight: Tensor | null;
  validate: boolean;
  fromLogits: boolean;
  labelSmoothing: number;
  classWeights: Float64Array | null;
  posWeight: Tensor | null;
  ignoreIndex: number | undefined;
  epsilon: number;
  axis: number;
  gamma: number;
  alpha: number | Float64Array;
  applyClassBalancing: boolean;
}

const fail = (where: string, msg: string): never => {
  throw new XentError('INVALID_OPTION', `${where}: ${msg}`);
};

function bool(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(where, `option ${name} is ${show(v)}; it must be true or false.`);
  return v as boolean;
}

function num(where: string, name: string, v: unknown, lo: number, hi: number, range: string): number {
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) fail(where, `option ${name} is ${show(v)}; it must be a number in ${range}.`);
  return v as number;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `[${v.slice(0, 6).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  return String(v);
}

/** A weight option as a float tensor whose entries are finite and ≥ 0. */
function weights(where: string, name: string, v: unknown): Tensor {
  let t: Tensor;
  try {
    t = v instanceof Tensor ? v : tensor(v as TensorLike);
  } catch {
    return fail(where, `option ${name} is ${show(v)}; pass a number, an array of numbers or a Tensor.`);
  }
  const flat = readFlat(t);
  for (let i = 0; i < flat.length; i++) {
    const w = flat[i];
    if (!(w >= 0 && w < Infinity)) fail(where, `option ${name} has ${w} at flat index ${i}; weights must be finite and ≥ 0.`);
  }
  return t;
}

/**
 * Checks the raw options of one loss: only `allowed` names, each with a legal
 * value. Throws INVALID_OPTION naming the loss, the option, what was found and the fix.
 */
export function parseOptions(
  where: string,
  raw: unknown,
  allowed: readonly OptionName[],
  defaults: { fromLogits?: boolean } = {},
): ParsedOptions {
  const o: ParsedOptions = {
    reduction: 'mean',
    sampleWeight: null,
    validate: true,
    fromLogits: defaults.fromLogits ?? false,
    labelSmoothing: 0,
    classWeights: null,
    posWeight: null,
    ignoreIndex: undefined,
    epsilon: 1e-7,
    axis: -1,
    gamma: 2,
    alpha: 0.25,
    applyClassBalancing: false,
  };
  if (raw === undefined) return o;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Tensor) {
    return fail(where, `the third argument is ${show(raw)}; options are an object, e.g. { fromLogits: true, reduction: 'sum' }.`);
  }
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(allowed as readonly string[]).includes(key)) {
      if (Object.hasOwn(TAKEN_BY, key)) {
        const extra =
          key === 'fromLogits' && where.endsWith('WithLogits')
            ? ` ${where} always takes logits; for probabilities use the Keras-style helper (binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy).`
            : '';
        fail(
          where,
          `does not take the option ${key} (it is for ${TAKEN_BY[key as OptionName]}).${extra} Options here: ${allowed.join(', ')}.`,
        );
      }
      const guess = suggestOption(key);
      const hint =
        guess && (allowed as readonly string[]).includes(guess)
          ? ` — did you mean ${guess}?`
          : guess
            ? ` (${guess} is for ${TAKEN_BY[guess]})`
            : '';
      fail(where, `unknown option '${key}'${hint}${hint.endsWith('?') ? '' : '.'} Options here: ${allowed.join(', ')}.`);
    }
    if (v === undefined) continue;
    switch (key as OptionName) {
      case 'reduction':
        if (!(REDUCTIONS as readonly unknown[]).includes(v)) {
          const hint =
            v === null
              ? " (Keras's None is 'none' here)"
              : v === 'mean_with_sample_weight'
                ? " ('mean' here already divides by the sum of the sample weights)"
                : '';
          fail(where, `option reduction is ${show(v)}${hint}; use one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}.`);
        }
        o.reduction = v as Reduction;
        break;
      case 'validate':
        o.validate = bool(where, key, v);
        break;
      case 'fromLogits':
        o.fromLogits = bool(where, key, v);
        break;
      case 'applyClassBalancing':
        o.applyClassBalancing = bool(where, key, v);
        break;
      case 'labelSmoothing':
        o.labelSmoothing = num(where, key, v, 0, 1, '[0, 1]');
        break;
      case 'epsilon':
        if (typeof v !== 'number' || !(v > 0 && v < 0.5))
          fail(
            where,
            `option epsilon is ${show(v)}; it must be a number in (0, 0.5) — probabilities are clipped to [ε, 1−ε] (default 1e-7).`,
          );
        o.epsilon = v as number;
        break;
      case 'gamma':
        o.gamma = num(where, key, v, 0, Infinity, '[0, ∞)');
        break;
      case 'alpha':
        if (typeof v === 'number')
          o.alpha = num(
            where,
            key,
            v,
            0,
            allowed.includes('applyClassBalancing') ? 1 : Infinity,
            allowed.includes('applyClassBalancing') ? '[0, 1]' : '[0, ∞)',
          );
        else if (Array.isArray(v) && !allowed.includes('applyClassBalancing'))
          o.alpha = Float64Array.from(readFlat(weights(where, key, v)));
        else
          fail(
            where,
            `option alpha is ${show(v)}; it must be a number${allowed.includes('applyClassBalancing') ? ' in [0, 1]' : ' or one number ≥ 0 per class'}.`,
          );
        break;
      case 'axis':
        if (typeof v !== 'number' || !Number.isInteger(v))
          fail(where, `option axis is ${show(v)}; it must be a whole number (−1 is the last axis).`);
        o.axis = v as number;
        break;
      case 'ignoreIndex':
        if (typeof v !== 'number' || !Number.isInteger(v))
          fail(where, `option ignoreIndex is ${show(v)}; it must be a whole number, e.g. −100.`);
        o.ignoreIndex = v as number;
        break;
      case 'classWeights': {
        const t = weights(where, key, v);
        if (t.rank !== 1)
          fail(where, `option classWeights has shape [${t.shape.join(', ')}]; it must be a list with one weight per class.`);
        o.classWeights = Float64Array.from(readFlat(t));
        break;
      }
      case 'posWeight':
        o.posWeight = weights(where, key, v);
        break;
      case 'sampleWeight':
        o.sampleWeight = weights(where, key, v);
        break;
    }
  }
  return o;
}
