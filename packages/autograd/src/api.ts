import { Tensor, XentError, clone, zeros } from '@xent/tensor';
import { toTensor, type Input } from './convert.js';
import { enableGrad, gradients, ownedCopy, type GradientsOptions } from './engine.js';

/**
 * param(t): a leaf that requires a gradient (a trainable parameter). Shares
 * t's data, which optimizers update in place. Integer tensors cannot be params.
 */
export function param(t: Input, name?: string): Tensor {
  const x = toTensor(t, 'param', 't');
  if (x.dtype === 'int32') {
    throw new XentError(
      'DTYPE',
      `param: found an int32 tensor; parameters must be float — create it with dtype 'float64' (default) or 'float32'.`,
    );
  }
  const p = x.node === null && !x.requiresGrad ? x : new Tensor(x.view);
  p.requiresGrad = true;
  p.name = name ?? x.name;
  return p;
}

/** A new tensor with the same data that is cut off from the graph (no gradient flows through it). */
export function detach(t: Tensor): Tensor {
  const d = new Tensor(t.view);
  d.name = t.name;
  return d;
}

/** Resets the accumulated .grad of each tensor to null. */
export function zeroGrad(params: Iterable<Tensor>): void {
  for (const p of params) p.grad = null;
}

export interface ValueAndGrad {
  value: Tensor;
  grads: Tensor[];
}

export interface GradOptions {
  /** Seed for a non-scalar output (the gradient of ⟨dy, f(x)⟩ is returned). */
  dy?: Input;
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
  return (...args: Args): ValueAndGrad => {
    const leaves = args.map((a, i) => {
      const t = toTensor(a, 'valueAndGrad', `argument ${i}`);
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
    const y = enableGrad(() => f(...leaves));
    if (!(y instanceof Tensor)) {
      throw new XentError('INVALID_ARGUMENT', `valueAndGrad: the function must return a Tensor, got ${typeof y}.`);
    }
    const opts: GradientsOptions = { dy: options.dy };
    const grads = y.requiresGrad ? gradients(y, opts, 'valueAndGrad') : new Map<Tensor, Tensor>();
    const value = new Tensor(y.view);
    // Each gradient owns its data: a view (zero-stride from a sum, or of the caller's dy) is copied.
    return {
      value,
      grads: leaves.map((leaf) => {
        const g = grads.get(leaf);
        return g ? (g === opts.dy ? clone(g) : ownedCopy(g)) : zeros(leaf.shape, leaf.dtype);
      }),
    };
  };
}

/** grad(f)(...args) → one gradient per argument (see valueAndGrad). */
export function grad<Args extends Input[]>(f: (...args: Tensor[]) => Tensor, options: GradOptions = {}): (...args: Args) => Tensor[] {
  const vg = valueAndGrad<Args>(f, options);
  return (...args: Args) => vg(...args).grads;
}
