// The options the losses share, each declared once (default, type, range). A loss
// picks the ones it takes next to its code (`lossOptions(name, pick(…))`), which
// registers its schema: "which loss takes which option" is read from the schemas.
import { Tensor, booleanOption, choiceOption, customOption, formatValue, numberOption, parseOptions, readFlat, tensor } from '@xent/tensor';
import { detach } from '@xent/autograd';
import type { OptionSchema, OptionsOf, ParsedOptions, TensorLike } from '@xent/tensor';

/** How the loss values ℓᵢ become the result (see reduction.ts for the exact divisors). */
export type Reduction = 'mean' | 'sum' | 'none' | 'sum_over_batch_size';
/** Every reduction, in the order messages list them. */
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none', 'sum_over_batch_size'];

const isTensorLike = (v: unknown): v is TensorLike =>
  typeof v === 'number' || Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)) || v instanceof Tensor;

/** Weights: a number, an array or a Tensor whose entries are finite and ≥ 0 (null: not given). */
const weights = customOption<TensorLike, Tensor | null>(null, (v, fail) => {
  let t: Tensor | null = null;
  try {
    if (isTensorLike(v)) t = v instanceof Tensor ? detach(v) : tensor(v); // weights are constants: no gradient flows to them
  } catch {
    // not numbers: refused below
  }
  if (t === null) return fail('a number, an array of numbers or a Tensor');
  const flat = readFlat(t);
  const bad = flat.findIndex((w) => !(w >= 0 && w < Infinity));
  return bad < 0 ? t : fail(`finite and ≥ 0 everywhere (flat index ${bad} holds ${flat[bad]})`);
});

/** Every option shared by several losses (the focal and poly losses add their own). */
export const LOSS_OPTIONS = {
  /** Default 'mean'. */
  reduction: choiceOption(REDUCTIONS, 'mean', {
    null: "Keras's None is 'none' here",
    mean_with_sample_weight: "'mean' here already divides by the sum of the sample weights",
  }),
  /** Scales each loss value ℓᵢ; broadcast to the loss values (leading axes are examples, as in Keras). */
  sampleWeight: weights,
  /** Default true. false skips the value checks (ranges, row sums), never the shape checks. */
  validate: booleanOption(true),
  /** Predictions are logits (raw scores) rather than probabilities; default false. */
  fromLogits: booleanOption(false),
  /** ε in [0, 1]: targets y ← y(1−ε) + ε/K, K = 2 (binary) or C (classes). */
  labelSmoothing: numberOption(0, '[0, 1]'),
  /** One weight per class (per output unit for the binary family), PyTorch `weight`. */
  classWeights: customOption<TensorLike, Float64Array | null>(null, (v, fail) => {
    const t = weights.read(v, fail);
    return t && t.rank === 1 ? Float64Array.from(readFlat(t)) : fail(`a list with one weight per class, not ${formatValue(v)}`);
  }),
  /** PyTorch pos_weight: −[pw·y log σ(z) + (1−y) log(1−σ(z))], broadcast against the logits (usually [C]). */
  posWeight: weights,
  /** Labels equal to it give ℓ = 0 and leave the 'mean' divisor (PyTorch ignore_index, e.g. −100). */
  ignoreIndex: customOption<number, number | undefined>(undefined, (v, fail) =>
    typeof v === 'number' && Number.isInteger(v) ? v : fail('a whole number, e.g. −100'),
  ),
  /** Probabilities are clipped to [ε, 1−ε]; default 1e-7. */
  epsilon: numberOption(1e-7, '(0, 0.5)', 'probabilities are clipped to [ε, 1−ε] (default 1e-7)'),
  /** The class axis (default −1, the last). */
  axis: numberOption(-1, '(−∞, ∞) whole', '−1 is the last axis'),
};
type Shared = typeof LOSS_OPTIONS;

/** Every shared option: what chooseLoss's `fn` accepts. */
export type LossOptions = OptionsOf<Shared>;

/** The shared options named, for a loss's schema. */
export function pick<K extends keyof Shared>(...names: K[]): Pick<Shared, K> {
  return Object.fromEntries(names.map((n) => [n, LOSS_OPTIONS[n]])) as Pick<Shared, K>;
}

/** Names users bring from Keras, PyTorch and TF that are spelled differently here. */
const ALIASES: Record<string, string> = {
  weight: 'classWeights',
  weights: 'classWeights',
  classweight: 'classWeights',
  ignoreclass: 'ignoreIndex',
  eps: 'epsilon',
  dim: 'axis',
  logits: 'fromLogits',
};

const SCHEMAS = new Map<string, OptionSchema>();

/** Where each option of another loss belongs, read from the registered schemas. */
function elsewhere(loss: string): Record<string, string> {
  const takers: Record<string, string[]> = {};
  for (const [name, schema] of SCHEMAS) for (const k of Object.keys(schema)) (takers[k] ??= []).push(name);
  const out: Record<string, string> = {};
  for (const [k, names] of Object.entries(takers)) {
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
    out[k] = `for ${list}`;
  }
  if (loss.endsWith('WithLogits'))
    out.fromLogits = `not for ${loss}, which always takes logits; for probabilities use the Keras-style helper (binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy)`;
  return out;
}

/** Registers a loss's schema and returns its parser: (options?) → the parsed options, or INVALID_OPTION. */
export function lossOptions<S extends OptionSchema>(loss: string, schema: S): (raw: unknown) => ParsedOptions<S> {
  SCHEMAS.set(loss, schema);
  return (raw) => parseOptions(loss, raw, schema, { aliases: ALIASES, elsewhere: () => elsewhere(loss) });
}
