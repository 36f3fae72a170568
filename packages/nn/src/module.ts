// Module: the base class of every layer, micrograd's nn.Module with PyTorch's
// names. A module owns parameters (leaves made by param()) and child modules,
// each under a name; a parameter's full name is the dotted path to it
// ('0.weight', 'encoder.2.bias'), exactly as torch.nn.Module.state_dict()
// spells it, so a state dict moves between the two unchanged. A parameter
// shared by several modules (tied weights) is one tensor under several names:
// the state dict holds every name, parameters() lists it once (as PyTorch).
import { Tensor, XentError, readFlat } from '@xent/tensor';
import {
  booleanOption,
  checkArgCount,
  describe,
  elementPositions,
  fmtShape,
  parseOptions,
  sameShape,
  clone,
  writeInto,
} from '@xent/tensor/internal';
import { noGrad, zeroGrad } from '@xent/autograd';
import { checkPlainObject } from './dict.js';

const LOAD_OPTIONS = { strict: booleanOption(true) };

/** Parameter values by dotted name ('0.weight', '0.bias', …), as torch's state_dict(). */
export type StateDict = Record<string, Tensor>;

/** Options of Module.loadStateDict. */
export interface LoadStateDictOptions {
  /** Refuse missing and unexpected names (default true, as PyTorch). Shapes and dtypes are always checked. */
  strict?: boolean;
}

/** How to call a module's forward, for a call with more than one argument. */
export const FORWARD_CALL = 'pass one input x (a batch is one tensor, its rows the examples)';

/**
 * The base class of every layer. Subclasses register their parameters and
 * children in the constructor (registerParameter / registerModule) and
 * implement forward(x). Parameters are listed own ones first, then each
 * child's in registration order (PyTorch's order).
 */
export abstract class Module {
  private readonly ownParams = new Map<string, Tensor>();
  private readonly ownChildren = new Map<string, Module>();

  /** The module's output for input x (recorded by autograd when x or a parameter requires a gradient). */
  abstract forward(x: Tensor): Tensor;

  /**
   * Registers a trainable tensor under `name` (a leaf that requires a
   * gradient, made with param()). Re-registering a name replaces it.
   */
  protected registerParameter(name: string, p: Tensor): Tensor {
    checkName(this, name);
    if (!(p instanceof Tensor) || !p.requiresGrad || p.node !== null) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.constructor.name}.registerParameter: '${name}' is not a leaf that requires a gradient; wrap it with param(t).`,
      );
    }
    this.ownParams.set(name, p);
    return p;
  }

  /** Registers a child module under `name`; its parameters get the prefix `name.`. A module cannot contain itself. */
  protected registerModule<M extends Module>(name: string, m: M): M {
    checkName(this, name);
    if (!(m instanceof Module)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.constructor.name}.registerModule: '${name}' is not a Module (got ${typeof m}); pass a Module such as new Linear(2, 16).`,
      );
    }
    if ((m as Module) === this || m.contains(this)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.constructor.name}.registerModule: '${name}' is this module or contains it, a cycle (listing its parameters would never end); register a different module.`,
      );
    }
    this.ownChildren.set(name, m);
    return m;
  }

  /** Whether `m` is a descendant of this module. */
  private contains(m: Module): boolean {
    for (const child of this.ownChildren.values()) if (child === m || child.contains(m)) return true;
    return false;
  }

  /** The parameter registered on this module (not a child) under `name`. */
  protected getParameter(name: string): Tensor {
    const p = this.ownParams.get(name);
    if (p === undefined) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.constructor.name}: no parameter named '${name}' is registered on this module; register it first with registerParameter('${name}', param(t)).`,
      );
    }
    return p;
  }

  /** The direct child modules, in registration order. */
  get children(): Module[] {
    return [...this.ownChildren.values()];
  }

  /** [name, child] for each direct child, in registration order. */
  namedChildren(): [string, Module][] {
    checkArgCount(
      `${this.constructor.name}.namedChildren`,
      arguments.length,
      0,
      'it lists the direct children; namedParameters() reaches every descendant',
    );
    return [...this.ownChildren.entries()];
  }

  /** [dotted name, parameter] for every name: a shared parameter once per name it has (what a state dict holds). */
  private parameterSlots(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, p] of this.ownParams) out.push([prefix + name, p]);
    for (const [name, child] of this.ownChildren) out.push(...child.parameterSlots(`${prefix}${name}.`));
    return out;
  }

  /**
   * [dotted name, parameter] for every parameter of this module and its
   * descendants; one shared by several modules is listed once, under its
   * first name (torch's named_parameters()). A non-empty `prefix` is joined
   * with a dot, as PyTorch does ('enc' gives 'enc.weight'); it must be a string. A second argument (torch's
   * recurse) is INVALID_ARGUMENT: descendants are always listed.
   */
  namedParameters(prefix = ''): [string, Tensor][] {
    // torch's named_parameters(prefix, recurse, remove_duplicate): namedParameters('', false) recursed anyway.
    checkArgCount(`${this.constructor.name}.namedParameters`, arguments.length, 1, 'it always lists descendants, a shared parameter once');
    if (typeof prefix !== 'string')
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.constructor.name}.namedParameters: prefix is ${describe(prefix)}, not a string; pass a name such as 'encoder' (or nothing).`,
      );
    const seen = new Set<Tensor>();
    return this.parameterSlots(prefix === '' ? '' : `${prefix}.`).filter(([, p]) => !seen.has(p) && Boolean(seen.add(p)));
  }

  /** Every parameter (the live tensors, for an optimizer), in namedParameters() order; takes no argument (torch's recurse: always). */
  parameters(): Tensor[] {
    checkArgCount(`${this.constructor.name}.parameters`, arguments.length, 0, "it always lists descendants (torch's recurse=True)");
    return this.namedParameters().map(([, p]) => p);
  }

  /** Sets every parameter's .grad to null, or with `setToNone` false existing ones to zeros (PyTorch's zero_grad). */
  zeroGrad(setToNone = true): void {
    checkArgCount(`${this.constructor.name}.zeroGrad`, arguments.length, 1, 'pass nothing, or setToNone (false: zeros instead of null)');
    zeroGrad(this.parameters(), setToNone);
  }

  /** Copies of every parameter under its dotted name (a shared one under each of its names); the copies share no memory with the module. */
  stateDict(): StateDict {
    checkArgCount(`${this.constructor.name}.stateDict`, arguments.length, 0, 'it takes no prefix or destination');
    // fromEntries defines each name as an own entry: `sd[name] = …` with the name '__proto__' would set the prototype instead.
    return Object.fromEntries(this.parameterSlots().map(([name, p]) => [name, clone(p)]));
  }

  /**
   * Copies the values of `sd` into the parameters, in place (optimizers that
   * hold the parameters keep working). Every entry is checked first: an entry
   * that is not a Tensor, has another shape or another dtype, a shared
   * parameter given two different values, and — with strict (default) — a
   * missing or unexpected name, is an XentError naming all of them (code
   * SHAPE_MISMATCH when a shape differs, else DTYPE when a dtype does, else
   * INVALID_ARGUMENT); then nothing has been changed. `sd` must be a plain
   * object (a Map would load nothing) without symbol keys; its non-enumerable
   * entries count too. Its tensors may be the module's own parameters (all
   * are read before any is written). Returns the names that were missing and
   * unexpected (both empty under strict).
   */
  loadStateDict(sd: StateDict, options?: LoadStateDictOptions): { missing: string[]; unexpected: string[] } {
    checkArgCount(`${this.constructor.name}.loadStateDict`, arguments.length, 2, 'pass (sd, { strict })');
    const { writes, missing, unexpected } = planLoad(this, sd, options);
    for (const [p, v] of writes) assignInPlace(p, v);
    return { missing, unexpected };
  }

  /** A one-line-per-module description, like PyTorch's repr. */
  toString(): string {
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (kids.length === 0) return `${head})`;
    const body = kids.map(([n, c]) => `  (${n}): ${c.toString().replace(/\n/g, '\n  ')}`).join('\n');
    return `${head}\n${body}\n)`;
  }

  /** The arguments shown inside toString()'s parentheses (e.g. 'in=2, out=16'). */
  protected extraRepr(): string {
    return '';
  }
}

/** What loading a state dict will do: the parameters to write with their new values (copies), and the names missing and unexpected. */
export interface LoadPlan {
  writes: [Tensor, Tensor][];
  missing: string[];
  unexpected: string[];
}

/**
 * Module.loadStateDict's checks, without writing anything (see its doc):
 * the plan, or an XentError naming every problem. unpackCheckpoint checks
 * the model first this way, loads the optimizer and schedule, then writes.
 */
export function planLoad(module: Module, sd: StateDict, options?: LoadStateDictOptions): LoadPlan {
  const owner = `${module.constructor.name}.loadStateDict`;
  const { strict } = parseOptions(owner, options, LOAD_OPTIONS);
  checkPlainObject(owner, 'the state dict', sd, 'pass a plain object of tensors by name, such as module.stateDict()');
  const params = new Map(module['parameterSlots']());
  const missing = [...params.keys()].filter((k) => !Object.hasOwn(sd, k));
  const unexpected = Object.getOwnPropertyNames(sd).filter((k) => !params.has(k)); // non-enumerable entries too (see dict.ts)
  const problems: string[] = [];
  let code: 'SHAPE_MISMATCH' | 'DTYPE' | 'INVALID_ARGUMENT' = 'INVALID_ARGUMENT'; // a shape mismatch first, then dtype (the contract's codes)
  const firstName = new Map<Tensor, string>(); // a shared parameter: the first of its names that sd gives
  for (const [name, p] of params) {
    if (!Object.hasOwn(sd, name)) continue;
    const v = sd[name];
    if (!(v instanceof Tensor)) problems.push(`'${name}' is ${describe(v)}, not a Tensor (wrap it with tensor(values))`);
    else if (!sameShape(v.shape, p.shape)) {
      problems.push(`'${name}' has shape ${fmtShape(v.shape)}, the parameter ${fmtShape(p.shape)}`);
      code = 'SHAPE_MISMATCH';
    } else if (v.dtype !== p.dtype) {
      problems.push(`'${name}' has dtype ${v.dtype}, the parameter ${p.dtype}`);
      if (code !== 'SHAPE_MISMATCH') code = 'DTYPE';
    } else if (p.view.shape.some((d, k) => d > 1 && p.view.stride[k] === 0)) {
      // copyInto refuses it, but only when its turn comes: the parameters before it were already written.
      problems.push(
        `the parameter '${name}' is a broadcast view (several elements share one memory cell), which cannot be written; register param(clone(t)) instead`,
      );
    } else if (!firstName.has(p)) firstName.set(p, name);
    else if (!sameValues(sd[firstName.get(p)!], v))
      problems.push(`'${firstName.get(p)}' and '${name}' are one shared parameter, but the state dict gives them different values`);
  }
  const clash = sharedMemoryClash(firstName, sd);
  if (clash !== null)
    problems.push(
      `'${clash[0]}' and '${clash[1]}' share memory (one is a view of the other), but the state dict gives them different values`,
    );
  if (strict && missing.length > 0) problems.push(`missing ${missing.map((k) => `'${k}'`).join(', ')}`);
  if (strict && unexpected.length > 0) problems.push(`unexpected ${unexpected.map((k) => `'${k}'`).join(', ')}`);
  if (problems.length > 0) {
    throw new XentError(
      code,
      `${owner}: ${problems.join('; ')}. Nothing was loaded; the module has parameters ${[...params.keys()].map((k) => `'${k}'`).join(', ')} — build the same architecture (or pass { strict: false } to skip missing and unexpected names).`,
    );
  }
  // Copy every source first: sd may hold the module's own parameters (a swap would read a value already overwritten).
  const writes = [...firstName].map(([p, name]): [Tensor, Tensor] => [p, clone(sd[name])]);
  return { writes, missing, unexpected };
}

/**
 * Two parameter names whose tensors share a memory cell (distinct tensors, one a view of the other: W
 * and param(transpose(W), { copy: false })) and get different values for it from `sd`, or null. Written
 * one after the other, the last would silently win. Only parameters on one buffer are compared.
 * One tensor under two names (tied weights) is sameValues' case, not this one's: a per-cell map
 * could cover it too, but costs ~40× an array compare (1e6 values: 426 ms vs 10 ms, node 20).
 */
function sharedMemoryClash(writes: ReadonlyMap<Tensor, string>, sd: StateDict): [string, string] | null {
  const byBuffer = new Map<ArrayBufferLike, [Tensor, string][]>();
  for (const [p, name] of writes) {
    const group = byBuffer.get(p.view.data.buffer);
    if (group) group.push([p, name]);
    else byBuffer.set(p.view.data.buffer, [[p, name]]);
  }
  for (const group of byBuffer.values()) {
    if (group.length < 2) continue;
    const cell = new Map<number, [string, number]>(); // byte address → the first name writing it, and its value
    for (const [p, name] of group) {
      const values = readFlat(sd[name]);
      const { data, shape, stride, offset } = p.view;
      const positions = elementPositions(shape, stride, offset);
      for (let i = 0; i < values.length; i++) {
        const address = data.byteOffset + positions[i] * data.BYTES_PER_ELEMENT;
        const seen = cell.get(address);
        if (seen === undefined) cell.set(address, [name, values[i]]);
        else if (seen[0] !== name && !Object.is(seen[1], values[i]) && !(Number.isNaN(seen[1]) && Number.isNaN(values[i])))
          return [seen[0], name];
      }
    }
  }
  return null;
}

/** Whether two tensors of one shape and dtype hold the same values (NaN equal to NaN). */
function sameValues(a: Tensor, b: Tensor): boolean {
  const x = readFlat(a);
  const y = readFlat(b);
  return x.every((v, i) => v === y[i] || (Number.isNaN(v) && Number.isNaN(y[i])));
}

function checkName(m: Module, name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${m.constructor.name}: the name '${String(name)}' is not allowed; use a non-empty name without dots (dots join the path).`,
    );
  }
}

/**
 * Writes the values of `src` (same shape and dtype) into `dst`'s memory, whatever its strides,
 * and bumps dst's version (a backward through a graph that saved the old values then throws
 * MODIFIED_IN_PLACE instead of giving a wrong gradient).
 */
export function assignInPlace(dst: Tensor, src: Tensor): void {
  checkArgCount('assignInPlace', arguments.length, 2, "pass (dst, src): all of src is written into dst, whose shape must equal src's");
  if (dst instanceof Tensor && src instanceof Tensor && dst.dtype !== src.dtype) {
    throw new XentError(
      'DTYPE',
      `assignInPlace: dst is ${dst.dtype} but src is ${src.dtype}; they must have the same dtype (cast src first).`,
    );
  }
  noGrad(() => writeInto(dst, src, 'assignInPlace'));
}

/**
 * Runs `fn` with the module's parameters temporarily replaced by `params`
 * (same order as module.parameters(); a shared parameter is replaced under
 * all its names), then restores them — the tool for using a module with
 * grad/valueAndGrad (torch.func.functional_call):
 *
 *   const lossOf = (...ps: Tensor[]) => withParameters(model, ps, () => loss(y, model.forward(x)));
 *   const { value, grads } = valueAndGrad(lossOf)(...model.parameters());
 */
export function withParameters<T>(module: Module, params: readonly Tensor[], fn: () => T): T {
  checkArgCount('withParameters', arguments.length, 3, 'pass (module, params, fn): the parameters as one array');
  if (!(module instanceof Module))
    throw new XentError('INVALID_ARGUMENT', `withParameters: module is ${describe(module)}; pass a Module from @xent/nn.`);
  if (typeof fn !== 'function')
    throw new XentError(
      'INVALID_ARGUMENT',
      `withParameters: fn is ${describe(fn)}; pass a function that runs the module, e.g. () => model.forward(x).`,
    );
  const named = module.namedParameters();
  if (!Array.isArray(params) || params.length !== named.length) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `withParameters: got ${Array.isArray(params) ? params.length : typeof params} parameters for a module with ${named.length} (${named.map(([n]) => n).join(', ')}); pass one tensor per module.parameters() entry, in that order.`,
    );
  }
  named.forEach(([name, p], i) => {
    const q = params[i];
    if (!(q instanceof Tensor) || !sameShape(q.shape, p.shape)) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `withParameters: params[${i}] for '${name}' ${q instanceof Tensor ? `has shape ${fmtShape(q.shape)}` : 'is not a Tensor'}; it must have shape ${fmtShape(p.shape)}.`,
      );
    }
  });
  const index = new Map(named.map(([, p], i) => [p, i]));
  const slots = module['parameterSlots']().map(([name, p]) => ({ ...locate(module, name), i: index.get(p)! }));
  const saved = slots.map(({ owner, key }) => owner['ownParams'].get(key)!);
  slots.forEach(({ owner, key, i }) => owner['ownParams'].set(key, params[i]));
  try {
    return fn();
  } finally {
    slots.forEach(({ owner, key }, j) => owner['ownParams'].set(key, saved[j]));
  }
}

/** The module that owns a dotted parameter name, and the last part of the name. */
function locate(root: Module, dotted: string): { owner: Module; key: string } {
  const parts = dotted.split('.');
  let m = root;
  for (const part of parts.slice(0, -1)) m = m['ownChildren'].get(part)!;
  return { owner: m, key: parts[parts.length - 1] };
}
