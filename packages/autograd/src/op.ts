import { XentError, type Tensor } from '@xent/tensor';

/** What backward() receives besides dy and the saved values. */
export interface BackwardContext<A> {
  /** The op's inputs, as tensors (constants included). */
  readonly inputs: readonly Tensor[];
  /** The forward output. */
  readonly out: Tensor;
  readonly attrs: A;
  /** needsGrad[i]: whether input i wants a gradient; backward may return null for the others. */
  readonly needsGrad: readonly boolean[];
  /**
   * True when this is the last use of the saved values (the graph is freed after this
   * backward, no retainGraph): backward may then write its result over them, as the
   * fused cross-entropy ops do (residuals are consumed, as in JAX).
   */
  readonly lastUse: boolean;
}

/** What forward() receives besides the inputs and attributes. */
export interface ForwardContext {
  /** needsGrad[i]: whether a gradient will be asked for input i (an op may skip saving for backward otherwise). */
  readonly needsGrad: readonly boolean[];
}

/**
 * An op and its gradient, declared side by side (JAX's custom_vjp shape):
 * forward returns the output and whatever backward needs; backward returns
 * one gradient per input (null where there is none).
 */
export interface OpDef<A = void, S = void> {
  /** Unique, camelCase: 'softmaxCrossEntropyWithLogits'. */
  readonly name: string;
  /** Input names, used in error messages and graph printing: ['targets', 'logits']. */
  readonly inputs: readonly string[];
  /** Per input; default all true. Targets and labels are false: their gradient is never asked for. */
  readonly differentiable?: readonly boolean[];
  /**
   * The op broadcasts its inputs (NumPy rule). The engine then sums each
   * gradient back to its input's shape (sumTo); for any other op a gradient
   * whose shape differs from its input's is an error.
   */
  readonly broadcast?: boolean;
  /** Takes any number of inputs, all described by inputs[0] (concat). */
  readonly variadic?: boolean;
  forward(inputs: readonly Tensor[], attrs: A, ctx: ForwardContext): { out: Tensor; saved: S };
  backward(dy: Tensor, saved: S, ctx: BackwardContext<A>): readonly (Tensor | null)[];
}

// The registry stores ops of every attribute and saved type; the engine only
// passes each op the values that op itself produced, so the erasure is safe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpDef = OpDef<any, any>;

const registry = new Map<string, AnyOpDef>();

/** Adds an op to the registry; a duplicate name throws unless { override: true }. */
export function registerOp<A, S>(def: OpDef<A, S>, { override = false }: { override?: boolean } = {}): OpDef<A, S> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(def.name)) {
    throw new XentError('INVALID_ARGUMENT', `registerOp: name '${def.name}' is not an identifier; use camelCase letters and digits.`);
  }
  if (registry.has(def.name) && !override) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `registerOp: an op named '${def.name}' is already registered; pick another name or pass { override: true }.`,
    );
  }
  if (def.differentiable && def.differentiable.length !== def.inputs.length && !def.variadic) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `registerOp: op '${def.name}' names ${def.inputs.length} inputs but gives ${def.differentiable.length} 'differentiable' flags; give one per input.`,
    );
  }
  registry.set(def.name, def);
  return def;
}

/** The registered op of that name, or undefined. */
export function getOp(name: string): AnyOpDef | undefined {
  return registry.get(name);
}

/** Names of every registered op, in registration order. */
export function listOps(): string[] {
  return [...registry.keys()];
}
