// MLP: a multi-layer perceptron built from Linear layers with an activation
// between them and none after the last (its outputs are logits, for the
// *WithLogits losses). MLP([2, 16, 16, 1]) is
//
//   Sequential(Linear(2, 16), ReLU(), Linear(16, 16), ReLU(), Linear(16, 1))
//
// with the parameters 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias —
// the same names as that torch.nn.Sequential.
import { Rng, XentError } from '@xent/tensor';
import { checkArgCount, choiceOption, describe, parseOptions, type OptionsOf } from '@xent/tensor/internal';
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { LAYER_OPTIONS } from './init.js';
import { Linear, checkSize, checkWeightSize, keepRngOnFailure } from './linear.js';
import type { Module } from './module.js';
import { Sequential } from './sequential.js';

const ACTIVATION_NAMES = Object.keys(ACTIVATIONS).filter((k): k is ActivationName => Object.hasOwn(ACTIVATIONS, k));

const MLP_SCHEMA = {
  /** The non-linearity between layers: 'relu' (default), 'tanh' or 'sigmoid'. */
  activation: choiceOption(ACTIVATION_NAMES, 'relu'),
  ...LAYER_OPTIONS,
};

/** Options of MLP: activation, and Linear's options for every layer (init defaults to 'heUniform' for relu, else 'glorotUniform'; one rng for all, drawn in layer order). */
export type MLPOptions = OptionsOf<typeof MLP_SCHEMA>;

/** A Sequential of Linear layers sizes[0]→sizes[1]→…→sizes[n], with an activation between consecutive layers. */
export class MLP extends Sequential {
  /** The layer sizes, input first. */
  readonly sizes: readonly number[];

  /**
   * `new MLP([in, hidden…, out], { activation = 'relu', rng, init, bias, dtype })`.
   * Needs at least two sizes, each a whole number ≥ 1; an unknown activation
   * or option is an XentError.
   */
  constructor(sizes: readonly number[], options: MLPOptions = {}) {
    checkArgCount('MLP', arguments.length, 2, "pass every option in the options, e.g. { activation: 'relu' }");
    super(...MLP.build(sizes, options));
    this.sizes = Object.freeze(sizes.slice());
  }

  private static build(sizes: readonly number[], options: MLPOptions): Module[] {
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `MLP: sizes is ${Array.isArray(sizes) ? JSON.stringify(sizes) : describe(sizes)}; pass an array of at least [inputs, outputs], e.g. [2, 16, 16, 1].`,
      );
    }
    for (let i = 0; i < sizes.length; i++) checkSize('MLP', `sizes[${i}]`, sizes[i]); // a for loop: forEach skips holes
    // Every layer is checked before any draws from the rng: a refused MLP leaves the rng where it was.
    for (let i = 0; i + 1 < sizes.length; i++) checkWeightSize('MLP', sizes[i], sizes[i + 1]);
    const { activation, init, rng = new Rng(0), dtype, bias } = parseOptions('MLP', options, MLP_SCHEMA);
    // A custom init refused at a later layer must not leave the rng advanced by the earlier ones.
    return keepRngOnFailure(rng, () => {
      const layers: Module[] = [];
      for (let i = 0; i + 1 < sizes.length; i++) {
        if (i > 0) layers.push(new ACTIVATIONS[activation]());
        const layerInit = init ?? (activation === 'relu' ? 'heUniform' : 'glorotUniform');
        layers.push(new Linear(sizes[i], sizes[i + 1], { init: layerInit, rng, dtype, bias }));
      }
      return layers;
    });
  }

  protected override extraRepr(): string {
    return `[${this.sizes.join(', ')}]`;
  }
}
