// MLP: a multi-layer perceptron built from Linear layers with an activation
// between them and none after the last (its outputs are logits, for the
// *WithLogits losses). MLP([2, 16, 16, 1]) is
//
//   Sequential(Linear(2, 16), ReLU(), Linear(16, 16), ReLU(), Linear(16, 1))
//
// with the parameters 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias —
// the same names as that torch.nn.Sequential.
import { XentError } from '@xent/tensor';
import { ACTIVATIONS, type ActivationName } from './activations.js';
import type { InitName, Initializer } from './init.js';
import { Linear, checkLayerOptions, checkSize } from './linear.js';
import type { Module } from './module.js';
import { Sequential } from './sequential.js';
import type { FloatDType } from './init.js';
import type { Rng } from '@xent/tensor';

/** Options of MLP. */
export interface MLPOptions {
  /** The non-linearity between layers: 'relu' (default), 'tanh' or 'sigmoid'. */
  activation?: ActivationName;
  /** One generator for every layer's weights, drawn in layer order (default new Rng(0)). */
  rng?: Rng;
  /** Weight initialiser (default 'heUniform' for relu, 'glorotUniform' otherwise). */
  init?: InitName | Initializer;
  /** Learned biases (default true). */
  bias?: boolean;
  /** 'float64' (default) or 'float32'. */
  dtype?: FloatDType;
}

const MLP_KEYS = new Set(['activation', 'rng', 'init', 'bias', 'dtype']);

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
    super(...MLP.build(sizes, options));
    this.sizes = sizes.slice();
  }

  private static build(sizes: readonly number[], options: MLPOptions): Module[] {
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `MLP: sizes is ${JSON.stringify(sizes)}; pass at least [inputs, outputs], e.g. [2, 16, 16, 1].`,
      );
    }
    sizes.forEach((n, i) => checkSize('MLP', `sizes[${i}]`, n));
    const { dtype, rng } = checkLayerOptions('MLP', options, MLP_KEYS);
    const activation = options.activation ?? 'relu';
    if (typeof activation !== 'string' || !Object.hasOwn(ACTIVATIONS, activation)) {
      throw new XentError(
        'INVALID_OPTION',
        `MLP: option 'activation' is ${JSON.stringify(activation)}; use one of ${Object.keys(ACTIVATIONS).join(', ')}.`,
      );
    }
    const init = options.init ?? (activation === 'relu' ? 'heUniform' : 'glorotUniform');
    const layers: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      if (i > 0) layers.push(new ACTIVATIONS[activation]());
      layers.push(new Linear(sizes[i], sizes[i + 1], { init, rng, dtype, bias: options.bias ?? true }));
    }
    return layers;
  }

  protected override extraRepr(): string {
    return `[${this.sizes.join(', ')}]`;
  }
}
