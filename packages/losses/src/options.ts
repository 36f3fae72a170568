// The options the losses share, each declared once (default, type, range). A loss names the ones
// it takes next to its code (`lossOptions(name, { reduction, … })`), which registers its schema:
// "which loss takes which option" is read from the schemas, never written down a second time.
import { detach } from '@xent/autograd';
import { Tensor, booleanOption, choiceOption, customOption, numberOption, parseOptions, readFlat, toTensorArg } from '@xent/tensor';
import type { OptionFail, OptionSchema, OptionsOf, ParsedOptions, TensorLike } from '@xent/tensor';

/** How the loss values ℓᵢ become the result (see reduction.ts for the exact divisors). */
export type Reduction = 'mean' | 'sum' | 'none' | 'sum_over_batch_size';
/** Every reduction, in the order messages list them. */
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none', 'sum_over_batch_size'];

/** Weights: a number, an array or a Tensor, finite and ≥ 0 everywhere; constants (no gradient flows to them). */
function readWeights(v: unknown, fail: OptionFail): Tensor {
  let t: Tensor | undefined;
  try {
    t = v instanceof Tensor ? detach(v) : toTensorArg(v, 'weights', 'weights');
  } catch {
    return fail('a number, an array of numbers or a Tensor');
  }
  const flat = readFlat(t);
  const bad = flat.findIndex((w) => !(w >= 0 && w < Infinity));
  return bad < 0 ? t : fail(`finite and ≥ 0 everywhere (flat index ${bad} holds ${flat[bad]})`);
}

/** Every option shared by several losses (the focal and poly losses add their own). */
export const LOSS_OPTIONS = {
  /** Default 'mean'. */
  reduction: choiceOption(REDUCTIONS, 'mean', {
    null: "Keras's None is 'none' here",
    mean_with_sample_weight: "'mean' here already divides by the sum of the sample weights",
  }),
  /** Scales each loss value ℓᵢ; broadcast to the loss values (leading axes are examples, as in Keras). */
  sampleWeight: customOption<TensorLike, Tensor | null>(null, readWeights),
  /** Default true. false skips the value checks (ranges, row sums), never the shape checks. */
  validate: booleanOption(true),
  /** Predictions are logits (raw scores) rather than probabilities; default false. */
  fromLogits: booleanOption(false),
  /** ε in [0, 1]: targets y ← y(1−ε) + ε/K, K = 2 (binary) or C (classes). */
  labelSmoothing: numberOption(0, '[0, 1]'),
  /** One weight per class (per output unit for the binary family), PyTorch `weight`. */
  classWeights: customOption<TensorLike, Float64Array | null>(null, (v, fail) => {
    const t = readWeights(v, fail);
    return t.rank === 1 ? Float64Array.from(readFlat(t)) : fail('a list with one weight per class');
  }),
  /** PyTorch pos_weight: −[pw·y log σ(z) + (1−y) log(1−σ(z))], broadcast against the logits (usually [C]). */
  posWeight: customOption<TensorLike, Tensor | null>(null, readWeights),
  /** Labels equal to it give ℓ = 0 and leave the 'mean' divisor (PyTorch ignore_index, e.g. −100). */
  ignoreIndex: numberOption(undefined, '(−∞, ∞) whole', 'e.g. −100'),
  /** Probabilities are clipped to [ε, 1−ε]; default 1e-7. */
  // From the smallest normal float up: below it 1/ε overflows and a clipped probability's gradient is 0·∞ = NaN.
  epsilon: numberOption(1e-7, '[2.2250738585072014e-308, 0.5)', 'probabilities are clipped to [ε, 1−ε] (default 1e-7)'),
  /** The class axis (default −1, the last). */
  axis: numberOption(-1, '(−∞, ∞) whole', '−1 is the last axis'),
};

/** Every shared option: what chooseLoss's `fn` accepts. */
export type LossOptions = OptionsOf<typeof LOSS_OPTIONS>;

/** A loss's parser: (options?) → the parsed options, or INVALID_OPTION; `schema` is what it takes. */
export type LossParser<S extends OptionSchema> = ((raw: unknown) => ParsedOptions<S>) & { readonly schema: S };

const SCHEMAS = new Map<string, OptionSchema>();
/** Names users bring from Keras, PyTorch and TF that are spelled differently here. */
const aliases = {
  weight: 'classWeights',
  weights: 'classWeights',
  classweight: 'classWeights',
  ignoreclass: 'ignoreIndex',
  eps: 'epsilon',
  dim: 'axis',
  logits: 'fromLogits',
};

/** Where each option of the other losses belongs ("for a and b"), read from the registered schemas. */
function elsewhere(loss: string): Record<string, string> {
  const takers: Record<string, string[]> = {};
  for (const [name, schema] of SCHEMAS) for (const k of Object.keys(schema)) (takers[k] ??= []).push(name);
  const out: Record<string, string> = {};
  for (const [k, names] of Object.entries(takers)) out[k] = `for ${names.join(', ').replace(/, (?=[^,]*$)/, ' and ')}`;
  if (loss.endsWith('WithLogits'))
    out.fromLogits = `not for ${loss}, which always takes logits; for probabilities use the Keras-style helper (binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy)`;
  return out;
}

/** Registers a loss's schema (its shared options from LOSS_OPTIONS, and its own) and returns its parser. */
export function lossOptions<S extends OptionSchema>(loss: string, schema: S): LossParser<S> {
  SCHEMAS.set(loss, schema);
  const hints = { aliases, elsewhere: () => elsewhere(loss) };
  return Object.assign((raw: unknown) => parseOptions(loss, raw, schema, hints), { schema });
}
