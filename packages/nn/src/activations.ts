// Activation modules: elementwise non-linearities without parameters, so
// they take a slot in Sequential (and its numbering) but add no names to the
// state dict — as torch.nn.ReLU / Tanh / Sigmoid.
import type { Tensor } from '@xent/tensor';
import { relu, sigmoid, tanh } from '@xent/autograd';
import { checkArgCount } from '@xent/tensor/internal';
import { FORWARD_CALL, Module } from './module.js';

/** ReLU(x) = max(x, 0), elementwise; gradient 1 where x > 0, else 0. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    checkArgCount('ReLU.forward', arguments.length, 1, FORWARD_CALL);
    return relu(x);
  }
}

/** tanh(x), elementwise; gradient 1 − tanh²(x). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    checkArgCount('Tanh.forward', arguments.length, 1, FORWARD_CALL);
    return tanh(x);
  }
}

/** σ(x) = 1 / (1 + e^−x), elementwise; gradient σ(x)(1 − σ(x)). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    checkArgCount('Sigmoid.forward', arguments.length, 1, FORWARD_CALL);
    return sigmoid(x);
  }
}

/** The activation modules by the name MLP's `activation` option takes. */
export const ACTIVATIONS = { relu: ReLU, tanh: Tanh, sigmoid: Sigmoid } as const;

/** 'relu' | 'tanh' | 'sigmoid'. */
export type ActivationName = keyof typeof ACTIVATIONS;
