// Leaves: parameters that require a gradient, detached tensors, and resetting .grad.
import { Tensor, XentError, zerosLike } from '@xent/tensor';
import { booleanOption, checkArgCount, customOption, describe, parseOptions, clone } from '@xent/tensor/internal';
import { isSharedConstant, toTensor, type Input } from './convert.js';
import { MAP_HINT } from './protocol.js';

/** Options of param(): its name and whether it copies the values. */
export interface ParamOptions {
  /** A label for graph printing and error messages (default: t's own name). */
  name?: string;
  /**
   * Copy the values (default true): the parameter owns its data, so an optimizer
   * writing into it changes nothing else. `copy: false` shares t's data instead
   * (t must then be a Tensor the caller owns; writes through either show in both).
   */
  copy?: boolean;
}

const PARAM_SCHEMA = {
  name: customOption<string, string | undefined>(undefined, (v, fail) => (typeof v === 'string' ? v : fail("a string, e.g. 'W'"))),
  copy: booleanOption(true),
};

/** The two ways to call param. */
const PARAM_FORMS = 'pass param(t, { name, copy }) or param(t, name, { copy })';

/**
 * param(t, name?, { copy }) or param(t, { name, copy }): a leaf that requires a gradient (a trainable
 * parameter), over its own copy of t's values unless { copy: false }. Integer tensors cannot be
 * params (DTYPE); a shared number constant cannot be adopted with { copy: false } (INVALID_ARGUMENT).
 */
export function param(t: Input, name?: string | ParamOptions, options?: ParamOptions): Tensor {
  checkArgCount('param', arguments.length, 3, PARAM_FORMS);
  // null is no options object (the losses, optimizers and backward refuse it too): parseOptions refuses it in either place.
  const named = typeof name === 'string' || name === undefined;
  const o = parseOptions('param', named ? options : name, PARAM_SCHEMA);
  if (!named && options !== undefined) throw new XentError('INVALID_OPTION', `param: got two option objects; ${PARAM_FORMS}.`);
  const x = toTensor(t, 'param', 't');
  if (x.dtype === 'int32') {
    throw new XentError(
      'DTYPE',
      `param: found an int32 tensor; parameters must be float — create them with dtype 'float64' (default) or 'float32'.`,
    );
  }
  if (!o.copy && isSharedConstant(x)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `param: t is (a view of) a shared number constant, so { copy: false } would let an optimizer change that number everywhere; drop { copy: false }.`,
    );
  }
  // A number or array was just converted into a fresh tensor; a Tensor is copied unless told otherwise.
  const p = x !== t || !o.copy ? new Tensor(x.view) : clone(x);
  p.requiresGrad = true;
  p.name = (named ? name : null) ?? o.name ?? x.name;
  return p;
}

/** A new tensor with the same data that is cut off from the graph (no gradient flows through it). */
export function detach(t: Tensor): Tensor {
  checkArgCount('detach', arguments.length, 1, `pass the tensor only${MAP_HINT}`);
  if (!(t instanceof Tensor))
    throw new XentError('INVALID_ARGUMENT', `detach: t is ${describe(t)}; pass a Tensor (a number or an array is already a constant).`);
  const d = new Tensor(t.view);
  d.name = t.name;
  return d;
}

/**
 * Resets the accumulated .grad of each tensor: to null (default), or with `setToNone` false to zeros of
 * its shape where a gradient exists (PyTorch's zero_grad(set_to_none=False): an optimizer then still
 * applies momentum and weight decay to that parameter, which it skips for a null gradient).
 */
export function zeroGrad(params: Iterable<Tensor>, setToNone = true): void {
  checkArgCount('zeroGrad', arguments.length, 2, 'pass the parameters as one list: zeroGrad([W, b], setToNone)');
  if (typeof setToNone !== 'boolean') {
    throw new XentError(
      'INVALID_ARGUMENT',
      `zeroGrad: setToNone is ${describe(setToNone)}; pass true (grads become null) or false (zeros).`,
    );
  }
  const given: unknown = params;
  if (typeof (given as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function' || typeof given === 'string') {
    throw new XentError('INVALID_ARGUMENT', `zeroGrad: params is ${describe(given)}; pass a list of parameters, e.g. zeroGrad([W, b]).`);
  }
  const list = [...(given as Iterable<unknown>)];
  const bad = list.findIndex((p) => !(p instanceof Tensor));
  if (bad >= 0)
    throw new XentError('INVALID_ARGUMENT', `zeroGrad: params[${bad}] is ${describe(list[bad])}; pass Tensors made with param().`);
  for (const p of list as Tensor[]) p.grad = setToNone || p.grad === null ? null : zerosLike(p.grad);
}
