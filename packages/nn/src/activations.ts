// Activation modules: elementwise non-linearities without parameters, so
// they take a slot in Sequential (and its numbering) but add no names to the
// state dict — as torch.nn.ReLU / Tanh / Sigmoid.
import type { Tensor } from '@xent/tensor';
import { relu, sigmoid, tanh } from '@xent/autograd';
import { checkArgCount } from '@xent/tensor/internal';
import { FORWARD_CALL, Module } from './module.js';

/** What an activation's constructor says to an argument: it has no options to take one. */
const NO_OPTIONS = 'an activation has no options (new ReLU(), new Tanh(), new Sigmoid())';

/** ReLU(x) = max(x, 0), elementwise; gradient 1 where x > 0, else 0. */
export class ReLU extends Module {
  /** `new ReLU()`: no options (no in-place or leaky variant; an argument is refused, not ignored). */
  constructor() {
    super();
    checkArgCount('ReLU', arguments.length, 0, NO_OPTIONS);
  }

  forward(x: Tensor): Tensor {
    checkArgCount('ReLU.forward', arguments.length, 1, FORWARD_CALL);
    return relu(x);
  }
}

/** tanh(x), elementwise; gradient 1 − tanh²(x). */
export class Tanh extends Module {
  /** `new Tanh()`: no options. */
  constructor() {
    super();
    checkArgCount('Tanh', arguments.length, 0, NO_OPTIONS);
  }

  forward(x: Tensor): Tensor {
    checkArgCount('Tanh.forward', arguments.length, 1, FORWARD_CALL);
    return tanh(x);
  }
}

/** σ(x) = 1 / (1 + e^−x), elementwise; gradient σ(x)(1 − σ(x)). */
export class Sigmoid extends Module {
  /** `new Sigmoid()`: no options. */
  constructor() {
    super();
    checkArgCount('Sigmoid', arguments.length, 0, NO_OPTIONS);
  }

  forward(x: Tensor): Tensor {
    checkArgCount('Sigmoid.forward', arguments.length, 1, FORWARD_CALL);
    return sigmoid(x);
  }
}

/** The activation modules by the name MLP's `activation` option takes. */
export const ACTIVATIONS = { relu: ReLU, tanh: Tanh, sigmoid: Sigmoid } as const;

/** 'relu' | 'tanh' | 'sigmoid'. */
export type ActivationName = keyof typeof ACTIVATIONS;
