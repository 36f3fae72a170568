// JAX's function transforms: grad(f) and valueAndGrad(f) return the gradients of f at
// its arguments without touching any .grad.
import { Tensor, XentError, zeros } from '@xent/tensor';
import { checkArgCount, customOption, formatValue, parseOptions } from '@xent/tensor/internal';
import { checkFunction, toTensor, type Input } from './convert.js';
import { gradients, nextId } from './engine.js';
import { differentiating, nestedGradError } from './graphChecks.js';
import { ownedGradient, type GradientsOptions } from './gradientValues.js';
import { enableGrad } from './gradMode.js';

/**
 * gradients(y, { dy, retainGraph }?, where?): d⟨dy, y⟩ for every tensor y depends on, as a Map (see backward);
 * `where`, a string, names the caller in its errors. A fourth argument is INVALID_ARGUMENT: it was the engine's
 * own cut-off (gradients(y, {}, 'f', 1e9) returned an empty Map).
 */
export function checkedGradients(y: Tensor, options?: GradientsOptions, where = 'gradients'): Map<Tensor, Tensor> {
  checkArgCount('gradients', arguments.length, 3, 'pass (y, { dy, retainGraph }, where)');
  if (typeof where !== 'string') {
    throw new XentError(
      'INVALID_ARGUMENT',
      `gradients: where is ${formatValue(where)}; it is the name its errors give the caller, a string.`,
    );
  }
  return gradients(y, options, where);
}

/** The value of f and one gradient per argument. */
export interface ValueAndGrad {
  value: Tensor;
  grads: Tensor[];
}

/** Options of grad and valueAndGrad. */
export interface GradOptions {
  /** Seed for a non-scalar output (the gradient of ⟨dy, f(x)⟩ is returned). */
  dy?: Input;
}

const GRAD_OPTIONS = { dy: customOption<Input, Input | undefined>(undefined, (v) => v as Input) };

/**
 * valueAndGrad(f)(...args) → { value, grads }: one gradient per argument, each
 * of its argument's shape (zeros where f does not depend on it). Pure: no
 * .grad is touched, and the arguments themselves are not modified.
 */
export function valueAndGrad<Args extends Input[]>(
  f: (...args: Tensor[]) => Tensor,
  options: GradOptions = {},
): (...args: Args) => ValueAndGrad {
  checkArgCount('valueAndGrad', arguments.length, 2, 'pass (f, { dy })');
  return transform<Args>('valueAndGrad', f, options);
}

/** valueAndGrad, with `owner` (grad or valueAndGrad: the function the caller called) named in its errors. */
function transform<Args extends Input[]>(
  owner: string,
  f: (...args: Tensor[]) => Tensor,
  options: GradOptions,
): (...args: Args) => ValueAndGrad {
  checkFunction(f, owner);
  const { dy } = parseOptions(owner, options, GRAD_OPTIONS);
  return (...args: Args): ValueAndGrad => {
    const nested = differentiating.size > 0;
    const leaves = args.map((a, i) => {
      const t = toTensor(a, owner, `argument ${i}`);
      // The gradients below are constants: an outer grad of them would silently be 0.
      if (nested && t.requiresGrad) throw nestedGradError(owner, `argument ${i} is being differentiated by`);
      if (t.dtype === 'int32') {
        throw new XentError(
          'DTYPE',
          `${owner}: argument ${i} is int32; only float arguments can be differentiated — pass labels through a closure instead.`,
        );
      }
      const leaf = new Tensor(t.view);
      leaf.requiresGrad = true;
      leaf.name = t.name ?? `arg${i}`;
      return leaf;
    });
    for (const leaf of leaves) differentiating.add(leaf);
    const since = nextId; // what f closes over was recorded before: a constant (pure, as in JAX)
    let y: Tensor;
    try {
      y = enableGrad(() => f(...leaves));
    } finally {
      for (const leaf of leaves) differentiating.delete(leaf);
    }
    if (!(y instanceof Tensor)) {
      throw new XentError('INVALID_ARGUMENT', `${owner}: the function must return a Tensor, got ${typeof y}.`);
    }
    // Nested, the sweep refuses a graph that reaches an outer argument (f closing over it): the value and the
    // gradients returned here would reach the outer grad as constants.
    const grads = y.requiresGrad ? gradients(y, { dy }, owner, since) : new Map<Tensor, Tensor>();
    const value = new Tensor(y.view);
    // Each gradient owns its data: a view (zero-stride from a sum) or one handed out twice is copied.
    const given = new Set<unknown>();
    return {
      value,
      grads: leaves.map((leaf) => {
        const g = grads.get(leaf);
        return g ? ownedGradient(g, given) : zeros(leaf.shape, leaf.dtype);
      }),
    };
  };
}

/** grad(f)(...args) → one gradient per argument (see valueAndGrad). */
export function grad<Args extends Input[]>(f: (...args: Tensor[]) => Tensor, options: GradOptions = {}): (...args: Args) => Tensor[] {
  checkArgCount('grad', arguments.length, 2, 'pass (f, { dy })');
  const vg = transform<Args>('grad', f, options);
  return (...args: Args) => vg(...args).grads;
}
