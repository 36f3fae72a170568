// From an op definition to a function of its inputs: defineOp for user ops, builtin for
// the ops of ops/ (which map their arguments to inputs and attributes themselves).
import { XentError, type Tensor } from '@xent/tensor';
import { SPREAD_FIX, checkArgCount, describe } from '@xent/tensor/internal';
import type { Input } from './convert.js';
import { applyOp } from './engine.js';
import type { AnyOpDef, OpDef } from './opDef.js';
import { MAP_HINT } from './protocol.js';
import { checkOpDef, isBuiltin, registerOp } from './registry.js';

/** A registered op as a function of its inputs; `.withAttrs(attrs)` gives one with attributes fixed. */
export interface OpFunction<A> {
  (...inputs: Input[]): Tensor;
  readonly op: OpDef<A, unknown>;
  /** The op with its attributes fixed: withAttrs(attrs)(...inputs) records one call of the op with those attributes. */
  withAttrs(attrs: A): (...inputs: Input[]) => Tensor;
}

/**
 * defineOp(def): registers a user op and returns it as a function, e.g.
 *   const cube = defineOp({ name: 'cube', inputs: ['x'],
 *     forward: ([x]) => ({ out: K.mul(x, K.mul(x, x)), saved: undefined }),
 *     backward: (dy, _s, { inputs: [x] }) => [K.mul(dy, K.mul(3, K.square(x)))] }); // d x³ = 3x²
 * Throws INVALID_ARGUMENT for a malformed definition or a taken name (see registerOp).
 */
export function defineOp<A = void, S = void>(def: OpDef<A, S>, options?: { override?: boolean }): OpFunction<A> {
  checkArgCount('defineOp', arguments.length, 2, 'pass (def, { override })');
  registerOp(def, options);
  const fn = ((...inputs: Input[]) => applyOp(def, inputs, undefined as A)) as OpFunction<A>;
  Object.defineProperty(fn, 'op', { value: def });
  Object.defineProperty(fn, 'withAttrs', {
    value: function (attrs: A) {
      checkArgCount(
        `${def.name}.withAttrs`,
        arguments.length,
        1,
        'pass the attributes as one value, then the inputs to the function it returns',
      );
      return (...inputs: Input[]) => applyOp(def, inputs, attrs);
    },
  });
  return fn;
}

/**
 * applyOp(op, inputs, attrs): runs op (an OpDef, e.g. getOp('mul')) on its inputs with these attributes, recording
 * it as the op's own function does. Throws INVALID_ARGUMENT for a malformed definition, as registerOp (a raw
 * TypeError otherwise), or for inputs that are not an array of the op's inputs.
 */
export function checkedApplyOp<A, S>(op: OpDef<A, S>, inputs: readonly Input[], attrs: A): Tensor {
  checkArgCount(
    'applyOp',
    arguments.length,
    3,
    "pass (op, inputs, attrs): the inputs as one array, e.g. applyOp(getOp('mul'), [x, y], undefined)",
  );
  const name = checkOpDef(op as AnyOpDef, 'applyOp');
  if (!Array.isArray(inputs)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `applyOp: the inputs of op '${name}' are ${describe(inputs)}; pass an array, e.g. [x] for one.`,
    );
  }
  try {
    return applyOp(op, inputs, attrs);
  } catch (e) {
    // A built-in reads the attributes its function builds ({ axes, keepDims } for sum): missing ones were a TypeError.
    if (!(e instanceof TypeError) || !isBuiltin(name)) throw e;
    throw new XentError(
      'INVALID_ARGUMENT',
      `applyOp: the built-in op '${name}' cannot run with the attributes ${describe(attrs)} (${e.message}); call ${name}(…) itself, which passes them.`,
    );
  }
}

/** A built-in op as a function of its arguments; `.op` is its definition. */
export type BuiltinOp<P extends unknown[]> = ((...args: P) => Tensor) & { readonly op: OpDef<never, never> };

/** Runs a built-in op on its inputs and attributes (applyOp bound to its definition). */
export type Apply<A> = (inputs: readonly Input[], attrs: A) => Tensor;

/**
 * builtin(def, apply => (...args) => apply(inputs, attrs), maxArgs?): the function of a built-in op.
 * The second argument maps the function's arguments to the op's inputs and attributes
 * (checking those that need it); with maxArgs, a call with more arguments is refused
 * rather than the extra ones ignored (signatures whose arguments all become inputs need
 * none: the engine counts inputs). Registration and the Tensor methods come from the table
 * in ops/builtins.ts.
 */
export function builtin<A, S, P extends unknown[]>(
  def: OpDef<A, S>,
  signature: (apply: Apply<A>) => (...args: P) => Tensor,
  maxArgs?: number,
): BuiltinOp<P> {
  const call = signature((inputs, attrs) => applyOp(def, inputs, attrs));
  const fn =
    maxArgs === undefined
      ? call
      : (...args: P) => {
          checkArgCount(def.name, args.length, maxArgs, SPREAD_FIX + MAP_HINT);
          return call(...args);
        };
  return Object.assign(fn, { op: def as unknown as OpDef<never, never> });
}
