// The values that enter and leave a sweep: the seed (a private copy of the caller's dy)
// and the gradients handed to the caller or added into .grad (each owning its data).
import { Tensor, XentError, add, ones } from '@xent/tensor';
import {
  booleanOption,
  customOption,
  describe,
  fmtShape,
  isContiguous,
  parseOptions,
  sameShape,
  toTensorArg,
  clone,
} from '@xent/tensor/internal';
import type { Input } from './convert.js';

/** Options of backward and gradients. */
export interface GradientsOptions {
  /** Seed gradient ⟨dy, y⟩; needed when y has more than one element. Copied, never kept. */
  dy?: Input;
  /** Keep saved values so the graph can be walked again (default false: free it). */
  retainGraph?: boolean;
}

/** The seed: a private copy of dy (or ones for a single value), never the caller's object. */
export function seedFor(y: Tensor, dy: unknown, where: string): Tensor {
  if (!(y instanceof Tensor))
    throw new XentError('INVALID_ARGUMENT', `${where}: y is ${describe(y)}; pass the Tensor to differentiate (e.g. the loss).`);
  const dtype = y.dtype === 'int32' ? 'float64' : y.dtype;
  if (dy === undefined) {
    if (y.size !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: the output has shape ${fmtShape(y.shape)}, not a single value; pass a seed dy of that shape, or reduce the output first (sum, mean).`,
      );
    }
    return ones(y.shape, dtype);
  }
  const seed = dy instanceof Tensor ? clone(dy) : toTensorArg(dy, where, 'dy', { dtype });
  if (!sameShape(seed.shape, y.shape)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: the seed dy has shape ${fmtShape(seed.shape)} but the output has shape ${fmtShape(y.shape)}; they must be equal.`,
    );
  }
  return seed;
}

/**
 * Adds each leaf's gradient into its .grad (PyTorch: they add up until zeroGrad). A .grad set by hand that is
 * neither null nor a Tensor of its leaf's shape is refused first (it would be broadcast, or added as a constant),
 * so a refused call changes no .grad.
 */
export function accumulateGrads(grads: Map<Tensor, Tensor>, where: string): void {
  const leaves = [...grads.keys()].filter((x) => x.node === null && x.requiresGrad);
  for (const x of leaves) checkHeldGrad(x, where);
  const given = new Set<unknown>();
  for (const x of leaves) x.grad = x.grad ? add(x.grad, grads.get(x)!) : ownedGradient(grads.get(x)!, given);
}

/** Refuses a .grad set by hand that is neither null nor a Tensor of x's shape (it would be broadcast, or added as a constant). */
export function checkHeldGrad(x: Tensor, where: string): void {
  const held: unknown = x.grad;
  if (held === null || held === undefined || (held instanceof Tensor && sameShape(held.shape, x.shape))) return;
  const tensor = held instanceof Tensor;
  throw new XentError(
    tensor ? 'SHAPE_MISMATCH' : 'INVALID_ARGUMENT',
    `${where}: the .grad of '${x.name ?? 'a leaf'}' ${fmtShape(x.shape)} is ${tensor ? fmtShape(held.shape) : describe(held)}; set it to null or a Tensor of its shape.`,
  );
}

/** g itself when it is a contiguous tensor over exactly its own data, not yet handed out; else a copy. */
export function ownedGradient(g: Tensor, given: Set<unknown>): Tensor {
  const v = g.view;
  const owned = isContiguous(g) && v.offset === 0 && v.data.length === g.size && !given.has(v.data);
  const out = owned ? g : clone(g);
  given.add(out.view.data);
  return out;
}

/** How to pass what PyTorch's backward(gradient, retain_graph) takes: backward(y, a, b) dropped b (y.backward(a, b) too). */
export const BACKWARD_FIX = "PyTorch's backward(gradient, retain_graph=True) is y.backward({ dy: gradient, retainGraph: true })";

// dy is read as given; seedFor checks it (a Tensor, a number or nested arrays of the output's shape).
const GRADIENTS_OPTIONS = { dy: customOption<Input, unknown>(undefined, (v) => v), retainGraph: booleanOption(false) };

/** backward/gradients options through the shared validator: an unknown name (retain_graph) is INVALID_OPTION. */
export function readGradientsOptions(options: unknown, where: string): { dy: unknown; retainGraph: boolean } {
  return parseOptions(where, options, GRADIENTS_OPTIONS);
}
