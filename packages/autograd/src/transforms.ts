// JAX's function transforms: grad(f) and valueAndGrad(f) return the gradients of f at
// its arguments without touching any .grad.
import { Tensor, XentError, zeros } from '@xent/tensor';
import { customOption, parseOptions } from '@xent/tensor/internal';
import { checkFunction, toTensor, type Input } from './convert.js';
import { gradients } from './engine.js';
import { ownedGradient } from './gradientValues.js';
import { enableGrad } from './gradMode.js';

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

/** The arguments of the valueAndGrad calls whose f is running now (a call made while it is not empty is nested). */
const differentiating = new Set<Tensor>();

/** The refusal of gradients of gradients: what an outer grad would get from an inner one is a constant. */
function nestedError(what: string): XentError {
  return new XentError(
    'INVALID_ARGUMENT',
    `valueAndGrad: ${what} an outer grad/valueAndGrad, but gradients of gradients (grad(grad(f))) are not supported — ` +
      `the inner results are constants to the outer grad, so its result would be wrong; compute the derivative by hand, ` +
      `or pass detach(x) if a constant is meant.`,
  );
}

/**
 * valueAndGrad(f)(...args) → { value, grads }: one gradient per argument, each
 * of its argument's shape (zeros where f does not depend on it). Pure: no
 * .grad is touched, and the arguments themselves are not modified.
 */
export function valueAndGrad<Args extends Input[]>(
  f: (...args: Tensor[]) => Tensor,
  options: GradOptions = {},
): (...args: Args) => ValueAndGrad {
  checkFunction(f, 'valueAndGrad');
  const { dy } = parseOptions('valueAndGrad', options, GRAD_OPTIONS);
  return (...args: Args): ValueAndGrad => {
    const nested = differentiating.size > 0;
    const leaves = args.map((a, i) => {
      const t = toTensor(a, 'valueAndGrad', `argument ${i}`);
      // The gradients below are constants: an outer grad of them would silently be 0.
      if (nested && t.requiresGrad) throw nestedError(`argument ${i} is being differentiated by`);
      if (t.dtype === 'int32') {
        throw new XentError(
          'DTYPE',
          `valueAndGrad: argument ${i} is int32; only float arguments can be differentiated — pass labels through a closure instead.`,
        );
      }
      const leaf = new Tensor(t.view);
      leaf.requiresGrad = true;
      leaf.name = t.name ?? `arg${i}`;
      return leaf;
    });
    for (const leaf of leaves) differentiating.add(leaf);
    let y: Tensor;
    try {
      y = enableGrad(() => f(...leaves));
    } finally {
      for (const leaf of leaves) differentiating.delete(leaf);
    }
    if (!(y instanceof Tensor)) {
      throw new XentError('INVALID_ARGUMENT', `valueAndGrad: the function must return a Tensor, got ${typeof y}.`);
    }
    // Nested, the graph is kept until it is known not to reach an outer argument (a failed call frees nothing).
    const grads = y.requiresGrad ? gradients(y, { dy, retainGraph: nested }, 'valueAndGrad') : new Map<Tensor, Tensor>();
    // f closing over an outer argument: its value and gradients depend on it, yet reach the outer grad as constants.
    if (nested) for (const t of grads.keys()) if (differentiating.has(t)) throw nestedError('f depends on an argument of');
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
  checkFunction(f, 'grad');
  const vg = valueAndGrad<Args>(f, options);
  return (...args: Args) => vg(...args).grads;
}
