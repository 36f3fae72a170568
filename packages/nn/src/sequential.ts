// Sequential: modules applied one after another, registered under their
// position '0', '1', '2', … — torch.nn.Sequential's names, so a
// Sequential(Linear, ReLU, Linear) has the parameters 0.weight, 0.bias,
// 2.weight, 2.bias (the ReLU at 1 has none).
import { XentError, type Tensor } from '@xent/tensor';
import { checkArgCount } from '@xent/tensor/internal';
import { toTensor, type Input } from '@xent/autograd';
import { FORWARD_CALL, Module } from './module.js';

/** Applies its modules in order: forward(x) = mₙ(…m₁(m₀(x))). */
export class Sequential extends Module {
  /** The modules, in order (index i is registered under the name `${i}`); frozen, so that forward and the parameters cannot disagree. */
  readonly layers: readonly Module[];

  /** `new Sequential(m0, m1, …)`; each argument must be a Module. */
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) {
        throw new XentError(
          'INVALID_ARGUMENT',
          `Sequential: argument ${i} is not a Module (got ${typeof m}); pass layers such as new Linear(2, 16), new ReLU().`,
        );
      }
      this.registerModule(String(i), m);
    });
    this.layers = Object.freeze(modules.slice());
  }

  /** Feeds x through every module in order (the identity for an empty Sequential); x may be a nested array, as for Linear. */
  forward(input: Input): Tensor {
    const where = `${this.constructor.name}.forward`;
    checkArgCount(where, arguments.length, 1, FORWARD_CALL);
    let y = toTensor(input, where, 'x');
    for (const m of this.layers) y = m.forward(y);
    return y;
  }
}
