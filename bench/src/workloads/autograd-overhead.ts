// Per-op overhead of autograd: a chain of N elementwise ops on one-element
// tensors (y = y·a, y = y + b, alternating), forward and backward, where the
// arithmetic is nothing and the bookkeeping (op dispatch, tensors, the tape,
// the backward walk) is everything.
// xent (param + ops + backward) against tf.valueAndGrad over the same chain
// (cpu backend) and a micrograd-style scalar autograd in plain JS.
import { add, backward, mul, param } from '@xent/autograd';
import { fromFlat, type Tensor } from '@xent/tensor';
import { uniform } from '../data.js';
import type { Impl, Prepared, Workload } from '../runner.js';
import { TfScope, tf, tfCpu } from '../tfjs.js';

// The constants are exact in float32 (1 + 2⁻¹³ and 2⁻¹⁰), so the float32 tfjs
// row differs from the float64 ones only by rounding at each op, not by a
// rounded multiplier compounded over thousands of steps.
const A = 1 + 2 ** -13;
const B = 2 ** -10;
/** The row of the plain-JS scalar engine (and the baseline of its goal). */
const MICROGRAD = 'micrograd (plain JS)';

// ---------------------------------------------------------------- micrograd in plain JS

/**
 * A scalar that remembers how it was made (Karpathy's micrograd, in TypeScript):
 * data, grad, the values it came from, and a closure that pushes its grad to them.
 */
export class Value {
  grad = 0;
  _backward: () => void = noop;

  constructor(
    public data: number,
    readonly _prev: readonly Value[] = [],
    readonly _op = '',
  ) {}

  add(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out._backward = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  mul(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data * o.data, [this, o], '*');
    out._backward = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /**
   * Topological order by depth-first search, then the closures in reverse.
   * The search is iterative: micrograd's recursive build_topo would overflow
   * the stack on a chain 10,000 deep. Same order as the recursive version.
   */
  backward(): void {
    const topo: Value[] = [];
    const visited = new Set<Value>([this]);
    const stack: Value[] = [this];
    const next: number[] = [0];
    while (stack.length > 0) {
      const top = stack.length - 1;
      const v = stack[top];
      const i = next[top];
      if (i < v._prev.length) {
        next[top] = i + 1;
        const child = v._prev[i];
        if (!visited.has(child)) {
          visited.add(child);
          stack.push(child);
          next.push(0);
        }
      } else {
        topo.push(v);
        stack.pop();
        next.pop();
      }
    }
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }
}

function noop(): void {}

// ---------------------------------------------------------------- the workload

export interface AutogradOverheadOptions {
  /** Ops in the chain, alternately y·a and y + b (10,000 by default). */
  ops?: number;
  seed?: number;
}

export function autogradOverheadWorkload({ ops = 10_000, seed = 20261130 }: AutogradOverheadOptions = {}): Workload {
  const name = 'autograd-overhead';
  return {
    name,
    description:
      `A chain of ${ops} elementwise ops on one-element (rank-0) tensors, alternately y = y·(1 + 2⁻¹³) and y = y + 2⁻¹⁰, ` +
      `forward and backward (dy/dx), float64: the cost of the autograd bookkeeping per op.`,
    dtype: 'float64',
    perItem: { perRun: ops, unit: 'op' },
    // tfjs takes ≈ 0.25 s of a ≈ 0.27 s round: 10 s of rounds is ≈ 35 samples.
    maxSeconds: 10,
    // #9: ≥ 20× faster than tfjs; #11: per scalar op, fwd + bwd, within 1.5× of a micrograd-style engine.
    goals: [
      { baseline: 'tfjs', maxRatio: 1 / 20 },
      { baseline: MICROGRAD, maxRatio: 1.5 },
    ],
    notes: [
      `'per op' is the median time of a run over its ${ops} ops, forward and backward together. Every implementation passes the constants as plain numbers (mul(y, a), tf.mul(y, a), y.mul(a)), as user code would.`,
      "Compared: the chain's output y and the gradient dy/dx.",
    ],
    async setup(): Promise<Prepared> {
      const x0 = uniform(1, seed, 0.5, 1.5)[0];

      const x = param(fromFlat(Float64Array.of(x0), []), 'x');
      let y: Tensor | null = null;
      const xent: Impl = {
        name: 'xent',
        kind: 'xent',
        note: 'param(x) once; per run: x.grad = null, the chain of mul / add, backward(y).',
        run: () => {
          x.grad = null;
          let t = x;
          for (let k = 0; k < ops; k++) t = k % 2 === 0 ? mul(t, A) : add(t, B);
          backward(t);
          y = t;
        },
        result: () => [y!.item(), x.grad!.item()],
      };

      await tfCpu();
      const scope = new TfScope(name);
      const tx = scope.keep(tf.scalar(x0, 'float32'));
      const chain = tf.valueAndGrad((t: tf.Tensor) => {
        for (let k = 0; k < ops; k++) t = k % 2 === 0 ? tf.mul(t, A) : tf.add(t, B);
        return t as tf.Scalar;
      });
      const tfjs = scope.impl(
        'tfjs',
        () => {
          const { value, grad } = chain(tx);
          return [value, grad];
        },
        {
          dtype: 'float32',
          note: 'tf.valueAndGrad over the same chain of tf.mul / tf.add on a tf.scalar; float32 (TensorFlow.js has no float64), checked with the float32 tolerance.',
        },
      );

      let last: [number, number] = [NaN, NaN];
      const micrograd: Impl = {
        name: MICROGRAD,
        kind: 'loop',
        note: 'A Value class with data, grad, its inputs and a _backward closure per op; backward() sorts topologically (iterative DFS) and runs the closures in reverse. No tensors, no shapes, no dtypes.',
        run: () => {
          const v = new Value(x0);
          let t = v;
          for (let k = 0; k < ops; k++) t = k % 2 === 0 ? t.mul(A) : t.add(B);
          t.backward();
          last = [t.data, v.grad];
        },
        result: () => last,
      };

      return { impls: [xent, tfjs, micrograd], dispose: () => scope.dispose() };
    },
  };
}
