// The op protocol (JAX's custom_vjp shape): forward returns the output and the residuals
// backward needs; backward returns one gradient per input. See docs/DESIGN.md, "The op protocol".
import type { Tensor } from '@xent/tensor';

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
  /**
   * Computes the output from the inputs (tensors, already converted) and the attributes, with no gradient
   * recording, and returns it with `saved`: whatever backward needs (the residuals, as in JAX's custom_vjp).
   */
  forward(inputs: readonly Tensor[], attrs: A, ctx: ForwardContext): { out: Tensor; saved: S };
  /**
   * The vector–Jacobian product: given dy = ∂L/∂out (out's shape) and the saved values, returns one gradient
   * ∂L/∂inputᵢ = dy · ∂out/∂inputᵢ per input, in input order, with that input's shape (or the output's, when the op
   * broadcasts), or null for an input that takes no gradient (integer labels).
   */
  backward(dy: Tensor, saved: S, ctx: BackwardContext<A>): readonly (Tensor | null)[];
}

// The registry stores ops of every attribute and saved type; the engine only
// passes each op the values that op itself produced, so the erasure is safe.
/** An OpDef of any attribute and saved types: what the registry stores and listOps returns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpDef = OpDef<any, any>;
