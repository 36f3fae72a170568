// The options the losses share, each declared once (default, type, range). A loss names the ones
// it takes next to its code (`lossOptions(name, { reduction, … })`), which registers its schema:
// "which loss takes which option" is read from the schemas, never written down a second time.
import { detach } from '@xent/autograd';
import { Tensor, readFlat } from '@xent/tensor';
import { booleanOption, choiceOption, customOption, numberOption, optionFamily, toTensorArg } from '@xent/tensor/internal';
import type { TensorLike } from '@xent/tensor';
import type { OptionFail, OptionsOf } from '@xent/tensor/internal';

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

/** Names users bring from elsewhere, spelled differently here (snake_case and small slips need no entry). */
const aliases = {
  weight: 'classWeights',
  weights: 'sampleWeight',
  ignoreclass: 'ignoreIndex',
  eps: 'epsilon',
  dim: 'axis',
  logits: 'fromLogits',
};
const PROBABILITY_HELPERS = 'binaryCrossentropy, categoricalCrossentropy or sparseCategoricalCrossentropy';

/** Registers a loss's schema (its shared options from LOSS_OPTIONS, and its own) and returns its parser. */
export const lossOptions = optionFamily(aliases, (loss): Record<string, string> =>
  loss.endsWith('WithLogits')
    ? { fromLogits: `not for ${loss}, which always takes logits; for probabilities use ${PROBABILITY_HELPERS}` }
    : {},
);
