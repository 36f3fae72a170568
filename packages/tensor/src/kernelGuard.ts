// The kernels of this package compute values only; they record nothing. A learner who
// imports `add` from @xent/tensor instead of @xent/autograd and applies it to a param
// would get W.grad === null and no error. So, while gradients are recorded, the public
// kernels refuse a tensor that requires a gradient and name the function to use instead.
// @xent/autograd runs an op's own forward and backward with recording off, so they pass.
import { UNNAMED, XentError, checkArgCount } from './errors.js';
import { isGradEnabled } from './gradMode.js';
import { Tensor, notATensor } from './tensor.js';

function requiresGrad(x: unknown): boolean {
  if (x instanceof Tensor) return x.requiresGrad;
  if (Array.isArray(x)) return x.some((t) => t instanceof Tensor && t.requiresGrad);
  return false;
}

/** A limit hit deep inside a kernel (allocate's "xent: a tensor of n elements…") is reported under the public name. */
function named(e: unknown, name: string): unknown {
  return e instanceof XentError && e.message.startsWith(UNNAMED) ? new XentError(e.code, `${name}: ${e.message.slice(UNNAMED.length)}`) : e;
}

/**
 * Wraps kernel `name` (at most three arguments) so that, while gradients are recorded,
 * a Tensor argument that requires a gradient is refused with an XentError naming
 * `use`: the differentiable function of @xent/autograd (by default the one of the same name), or null when there is none.
 * The first `tensors` arguments (0, 1 or 2) must be Tensors: anything else is INVALID_ARGUMENT
 * naming what was found, never a TypeError from deep inside the kernel. An argument past the kernel's
 * `arity` (default: its declared parameters) is INVALID_ARGUMENT too, never dropped (K.add(x, W, b) lost b).
 * O(1) per call: one flag read when recording is off. Errors raised inside name `name`.
 */
export function guardKernel<F extends (a: never, b: never, c: never) => unknown>(
  name: string,
  kernel: F,
  tensors: 0 | 1 | 2 = 1,
  arity = kernel.length,
  use: string | null = name,
): F {
  const guarded = function (a: never, b: never, c: never): unknown {
    // The count of `arguments` allocates nothing (a rest parameter would allocate an array per call).
    checkArgCount(name, arguments.length, arity);
    if (tensors > 0 && !((a as unknown) instanceof Tensor)) throw notATensor(name, 'first', a);
    if (tensors > 1 && !((b as unknown) instanceof Tensor)) throw notATensor(name, 'second', b);
    if (isGradEnabled() && (requiresGrad(a) || requiresGrad(b) || requiresGrad(c))) {
      const fix =
        use === null
          ? `it has no differentiable version: compute it inside noGrad(() => …) or on detach(x)`
          : `use ${use} from @xent/autograd, or call this one inside noGrad(() => …) / on detach(x)`;
      throw new XentError(
        'NO_GRADIENT',
        `${name} (@xent/tensor): an argument requires a gradient, but this kernel does not record one, so the gradient would be lost; ${fix}.`,
      );
    }
    try {
      return kernel(a, b, c);
    } catch (e) {
      throw named(e, name);
    }
  };
  return guarded as F;
}
