// Contract §3: registerOp / defineOp({ name, inputs, forward → { out, saved }, backward(dy, saved, ctx) → (Tensor|null)[] })
// is the one way an op and its gradient enter; user code can add ops.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { expectClose, finiteDiff, flat, type Nested } from './ref.js';

const arr = (t: T.Tensor): Nested => t.toArray() as Nested;
let unique = 0;
const fresh = (base: string): string => `${base}Contract${unique++}`;

describe('a user-defined op through defineOp', () => {
  it('the README cube: forward, backward with dy, and gradCheck passes', () => {
    const cube = A.defineOp({
      name: fresh('cube'),
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, T.mul(x, x)), saved: undefined }),
      backward: (dy, _saved, { inputs: [x] }) => [T.mul(dy, T.mul(3, T.square(x)))],
    });
    const x = A.param(T.tensor([1, -2, 0.5]));
    const y = cube(x);
    expectClose(arr(y), [1, -8, 0.125]);
    A.backward(y, { dy: T.tensor([1, 2, 3]) });
    expectClose(arr(x.grad!), [3, 24, 2.25]);
    const r = A.gradCheck((t) => cube(t), [T.tensor([0.3, -1.1, 2], { shape: [3] })]);
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(3);
  });

  it('saved values reach backward, attributes via withAttrs, null for an input with no gradient', () => {
    interface Attrs {
      scale: number;
    }
    const seen: unknown[] = [];
    // scaledDot(x, w) = scale · Σ x·w, with x treated as data (null gradient)
    const scaledDot = A.defineOp<Attrs, { x: T.Tensor; w: T.Tensor }>({
      name: fresh('scaledDot'),
      inputs: ['x', 'w'],
      forward: ([x, w], { scale }) => ({ out: T.mul(scale, T.sum(T.mul(x, w))), saved: { x, w } }),
      backward: (dy, saved, ctx) => {
        seen.push(ctx.attrs.scale, ctx.needsGrad, ctx.out.shape);
        return [null, T.mul(T.mul(dy, ctx.attrs.scale), saved.x)];
      },
    });
    const w = A.param(T.tensor([1, 2, 3]));
    const y = scaledDot.withAttrs({ scale: 2 })(T.tensor([4, 5, 6]), w);
    expect(y.item()).toBe(64);
    y.backward();
    expectClose(arr(w.grad!), [8, 10, 12]);
    expect(seen).toEqual([2, [false, true], []]);
  });

  it('forward and backward run with recording off', () => {
    const modes: boolean[] = [];
    const probe = A.defineOp({
      name: fresh('probe'),
      inputs: ['x'],
      forward: ([x]) => {
        modes.push(A.isGradEnabled());
        return { out: T.mul(x, 2), saved: undefined };
      },
      backward: (dy) => {
        modes.push(A.isGradEnabled());
        return [T.mul(dy, 2)];
      },
    });
    const x = A.param(T.tensor([1]));
    A.sum(probe(x)).backward();
    expect(modes).toEqual([false, false]);
    expectClose(arr(x.grad!), [2]);
  });

  it('the op composes with built-ins and is one node in the graph', () => {
    const sq = A.defineOp({
      name: fresh('sq'),
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, x), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => [T.mul(T.mul(2, x), dy)],
    });
    const xs = [0.2, -0.7, 1.3];
    const f = (x: T.Tensor): T.Tensor => A.sum(A.exp(sq(A.tanh(x))));
    const g = A.grad(f)(T.tensor(xs));
    const numeric = finiteDiff((v) => v.reduce((s, z) => s + Math.exp(Math.tanh(z) ** 2), 0), xs);
    expectClose(flat(arr(g[0])), numeric, 1e-8, 1e-6);
  });

  it('a number or nested array is accepted wherever the user op takes a Tensor', () => {
    const twice = A.defineOp({
      name: fresh('twice'),
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, 2), saved: undefined }),
      backward: (dy) => [T.mul(dy, 2)],
    });
    expectClose(arr(twice([[1, 2]])), [[2, 4]]);
    expectClose(twice(3).item(), 6);
  });
});

describe('registerOp, getOp, listOps', () => {
  it('registerOp adds an op that getOp and listOps then show, and applyOp runs it', () => {
    const name = fresh('halve');
    const def: A.OpDef = {
      name,
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, 0.5), saved: undefined }),
      backward: (dy) => [T.mul(dy, 0.5)],
    };
    expect(A.getOp(name)).toBeUndefined();
    A.registerOp(def);
    expect(A.getOp(name)).toBe(def);
    expect(A.listOps()).toContain(name);
    const x = A.param(T.tensor([4, 6]));
    const y = A.applyOp(def, [x], undefined);
    expectClose(arr(y), [2, 3]);
    A.sum(y).backward();
    expectClose(arr(x.grad!), [0.5, 0.5]);
  });

  it('the built-ins are registered there too, fused CE ops included', () => {
    const ops = A.listOps();
    for (const n of [
      'add',
      'mul',
      'matmul',
      'softmax',
      'softmaxCrossEntropyWithLogits',
      'sparseSoftmaxCrossEntropyWithLogits',
      'sigmoidCrossEntropyWithLogits',
    ])
      expect(ops).toContain(n);
    expect(A.getOp('softmaxCrossEntropyWithLogits')?.inputs).toEqual(['targets', 'logits']);
  });

  it('a taken name is refused without override', () => {
    const name = fresh('dup');
    const def = {
      name,
      inputs: ['x'],
      forward: ([x]: readonly T.Tensor[]) => ({ out: x, saved: undefined }),
      backward: (dy: T.Tensor) => [dy],
    };
    A.defineOp(def);
    expect(() => A.defineOp({ ...def })).toThrow(T.XentError);
    expect(() => A.registerOp({ ...A.getOp('add')! })).toThrow(T.XentError);
  });

  it('overriding a built-in never breaks the library (issue 9): refused, or add still adds', () => {
    try {
      A.registerOp({ ...A.getOp('add')! }, { override: true });
    } catch (e) {
      expect(e).toBeInstanceOf(T.XentError);
    }
    const x = A.param(T.tensor([1, 2]));
    const y = A.add(x, [10, 20]);
    expectClose(arr(y), [11, 22]);
    A.sum(y).backward();
    expectClose(arr(x.grad!), [1, 1]);
  });

  it('a malformed definition is refused', () => {
    expect(() => A.registerOp({ name: fresh('bad'), inputs: ['x'] } as unknown as A.OpDef)).toThrow(T.XentError);
    expect(() =>
      A.registerOp({ name: '', inputs: ['x'], forward: () => ({ out: T.zeros([1]), saved: undefined }), backward: () => [null] }),
    ).toThrow(T.XentError);
  });
});

describe('broadcasting is declared, never guessed', () => {
  it('broadcast: true — the engine sums each gradient back to its input shape', () => {
    const bAdd = A.defineOp({
      name: fresh('bAdd'),
      inputs: ['a', 'b'],
      broadcast: true,
      forward: ([a, b]) => ({ out: T.add(a, b), saved: undefined }),
      backward: (dy) => [dy, dy],
    });
    const a = A.param(T.zeros([2, 3]));
    const b = A.param(T.zeros([3]));
    A.backward(bAdd(a, b), { dy: T.tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] }) });
    expectClose(arr(a.grad!), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectClose(arr(b.grad!), [5, 7, 9]);
  });

  it('without broadcast, a gradient of the wrong shape is an error naming the op and the input', () => {
    const name = fresh('sloppy');
    const sloppy = A.defineOp({
      name,
      inputs: ['a', 'b'],
      forward: ([a, b]) => ({ out: T.add(a, b), saved: undefined }),
      backward: (dy) => [dy, dy],
    });
    const a = A.param(T.zeros([2, 3]));
    const b = A.param(T.zeros([3]));
    let caught: unknown;
    try {
      A.sum(sloppy(a, b)).backward();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(T.XentError);
    const msg = (caught as Error).message;
    expect(msg).toContain(name);
    expect(msg).toMatch(/\bb\b/);
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });
});

describe('protocol errors of a user op name the op', () => {
  const mk = (backward: (dy: T.Tensor) => unknown, forward?: (xs: readonly T.Tensor[]) => unknown) => {
    const name = fresh('broken');
    const op = A.defineOp({
      name,
      inputs: ['x'],
      forward: (forward ?? (([x]: readonly T.Tensor[]) => ({ out: T.mul(x, 1), saved: undefined }))) as A.OpDef['forward'],
      backward: backward as A.OpDef['backward'],
    });
    return { name, op };
  };

  for (const [label, bw] of [
    ['returns undefined', () => undefined],
    ['returns a bare tensor', (dy: T.Tensor) => dy],
    ['returns the wrong count', (dy: T.Tensor) => [dy, dy]],
  ] as const) {
    it(`a backward that ${label}`, () => {
      const { name, op } = mk(bw);
      const x = A.param(T.tensor([1, 2]));
      const msg = (() => {
        try {
          A.sum(op(x)).backward();
        } catch (e) {
          expect(e).toBeInstanceOf(T.XentError);
          return (e as Error).message;
        }
        return 'no error';
      })();
      expect(msg).toContain(name);
      expect(x.grad).toBeNull();
    });
  }

  it('a forward that returns a bare Tensor', () => {
    const { name, op } = mk(
      (dy) => [dy],
      ([x]) => T.mul(x, 1),
    );
    expect(() => op(A.param(T.tensor([1])))).toThrow(T.XentError);
    expect(() => op(A.param(T.tensor([1])))).toThrow(name);
  });
});
