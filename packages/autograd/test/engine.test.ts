// Engine and API semantics: fan-out, accumulation, graph lifetime, seeds,
// noGrad, valueAndGrad/grad purity, detach, constants, the broadcast
// declaration, the registry, defineOp and the chainable methods.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as K from '@xent/tensor';
import { isContiguous } from '@xent/tensor/internal';
import { Tensor, tensor, zeros } from '@xent/tensor';
import {
  BUILTINS,
  add,
  applyOp,
  backward,
  broadcastTo,
  defineOp,
  detach,
  div,
  enableGrad,
  exp,
  gather,
  getOp,
  grad,
  gradCheck,
  gradients,
  isGradEnabled,
  listOps,
  matmul,
  max,
  mul,
  noGrad,
  param,
  registerOp,
  sigmoid,
  sub,
  sum,
  valueAndGrad,
  zeroGrad,
  type OpDef,
} from '@xent/autograd';
import { checkOpDef } from '../src/registry.js';
import type { AnyOpDef } from '../src/opDef.js';
import { expectXentError, flat, normals, sigmoidRef, t64 } from '../../../test/utils.js';

const XV = [0.5, -1.5, 2, 0.25];

describe('fan-out: a tensor used more than once gets every contribution', () => {
  it('mul(x, x) → 2x and add(x, x) → 2', () => {
    const x = param(t64(XV, [4]));
    sum(mul(x, x)).backward();
    expect(flat(x.grad!)).toEqual(XV.map((v) => 2 * v));
    const y = param(t64(XV, [4]));
    sum(add(y, y)).backward();
    expect(flat(y.grad!)).toEqual([2, 2, 2, 2]);
  });

  it('a diamond: y = Σ (2x)·eˣ gives 2eˣ + 2x·eˣ', () => {
    const x = param(t64(XV, [4]));
    const a = mul(x, 2);
    const b = exp(x);
    sum(mul(a, b)).backward();
    expect(x.grad!).toBeAllClose(
      t64(
        XV.map((v) => 2 * Math.exp(v) + 2 * v * Math.exp(v)),
        [4],
      ),
      { rtol: 1e-14, atol: 0 },
    );
  });

  it('a shared intermediate: h = σ(x), y = Σ (h·h + h) gives (2h + 1)·h(1 − h)', () => {
    const x = param(t64(XV, [4]));
    const h = sigmoid(x);
    sum(add(mul(h, h), h)).backward();
    const want = XV.map((v) => {
      const s = sigmoidRef(v);
      return (2 * s + 1) * s * (1 - s);
    });
    expect(x.grad!).toBeAllClose(t64(want, [4]), { rtol: 1e-14, atol: 1e-16 });
  });
});

describe('accumulation into .grad', () => {
  it('two backward calls add up until zeroGrad', () => {
    const w = param(t64([1, 2, 3], [3]), 'w');
    const xs = t64([0.5, -1, 4], [3]);
    sum(mul(w, xs)).backward();
    expect(flat(w.grad!)).toEqual([0.5, -1, 4]);
    sum(mul(w, xs)).backward();
    expect(flat(w.grad!)).toEqual([1, -2, 8]);
    zeroGrad([w]);
    expect(w.grad).toBeNull();
    sum(mul(mul(w, xs), 3)).backward();
    expect(flat(w.grad!)).toEqual([1.5, -3, 12]);
  });

  it('a .grad set by hand that is not a Tensor of its leaf’s shape is refused, and no .grad changes', () => {
    const w = param(t64([1, 2, 3, 4], [2, 2]), 'w');
    const v = param(t64([1], [1]), 'v');
    w.grad = t64([1, 1], [2]); // was broadcast: w.grad became [[2, 2], [2, 2]]
    expectXentError(() => sum(add(mul(v, 2), w)).backward(), 'SHAPE_MISMATCH', 'backward:', "'w' [2, 2] is [2]");
    expect(v.grad).toBeNull();
    expect(flat(w.grad!)).toEqual([1, 1]);
    (w as { grad: unknown }).grad = 5; // was added as the constant 5
    expectXentError(() => sum(w).backward(), 'INVALID_ARGUMENT', 'backward:', "'w' [2, 2] is the number 5");
    w.grad = null;
    sum(mul(w, 2)).backward();
    expect(flat(w.grad!)).toEqual([2, 2, 2, 2]);
  });

  it('only leaves get a .grad; intermediates do not', () => {
    const w = param(t64([1, 2], [2]));
    const h = mul(w, 3);
    sum(h).backward();
    expect(h.grad).toBeNull();
    expect(flat(w.grad!)).toEqual([3, 3]);
  });

  it('.grad is a fresh contiguous tensor, not a view of the seed or of another gradient', () => {
    const w = param(t64([1, 2, 3], [3]));
    sum(w).backward(); // the gradient of sum is a zero-stride view of dy
    expect(isContiguous(w.grad!)).toBe(true);
    expect(w.grad!.view.stride).toEqual([1]);
    expect(flat(w.grad!)).toEqual([1, 1, 1]);
  });
});

describe('graph lifetime', () => {
  it('a second backward through a freed graph throws GRAPH_FREED; retainGraph: true allows it', () => {
    const x = param(t64(XV, [4]));
    const y = sum(exp(x));
    y.backward({ retainGraph: true });
    y.backward(); // allowed: the first call kept the graph; this one frees it
    expect(x.grad!).toBeAllClose(
      t64(
        XV.map((v) => 2 * Math.exp(v)),
        [4],
      ),
      { rtol: 1e-15, atol: 0 },
    );
    const before = flat(x.grad!);
    expectXentError(() => y.backward(), 'GRAPH_FREED', "op 'sum'", 'retainGraph');
    expectXentError(() => backward(y), 'GRAPH_FREED');
    expect(flat(x.grad!)).toEqual(before); // the failed call changed nothing
  });

  it('a backward that fails part-way frees the graph, and the retry says why (its saved values may be overwritten)', () => {
    const flaky = defineOp<undefined, undefined>({
      name: 'engineTestFailsInBackward',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.mul(x, 2), saved: undefined }),
      backward: () => {
        throw new Error('backward failed on purpose');
      },
    });
    const x = param(t64(XV, [4]));
    const y = sum(exp(flaky(x)));
    expect(() => y.backward()).toThrow('backward failed on purpose');
    expect(x.grad).toBeNull(); // no gradient was accumulated
    expectXentError(() => y.backward(), 'GRAPH_FREED', 'freed by an earlier backward that failed part-way', 'recompute the forward pass');
  });

  it('freeing reaches shared intermediates: a second loss through them throws too', () => {
    const x = param(t64(XV, [4]));
    const h = exp(x);
    const l1 = sum(h);
    const l2 = sum(mul(h, 2));
    l1.backward();
    expectXentError(() => l2.backward(), 'GRAPH_FREED', "op 'exp'");
  });
});

describe('seeds', () => {
  it('a non-scalar output without dy throws; with dy it seeds ⟨dy, y⟩', () => {
    const x = param(t64(XV, [2, 2]));
    const y = mul(x, x);
    expectXentError(() => y.backward(), 'SHAPE_MISMATCH', '[2, 2]', 'dy');
    expectXentError(() => y.backward({ dy: [1, 2] }), 'SHAPE_MISMATCH', 'seed dy has shape [2]');
    expect(x.grad).toBeNull();
    y.backward({
      dy: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(flat(x.grad!)).toEqual([2 * 0.5 * 1, 2 * -1.5 * 2, 2 * 2 * 3, 2 * 0.25 * 4]);
  });

  it('a scalar output seeds with 1', () => {
    const x = param(t64([3], []));
    mul(x, x).backward();
    expect(x.grad!.item()).toBe(6);
  });

  it('backward on something that needs no gradient throws NO_GRADIENT', () => {
    expectXentError(() => sum(t64(XV, [4])).backward(), 'NO_GRADIENT', 'param()');
  });
});

describe('noGrad', () => {
  it('records nothing: requiresGrad false, node null', () => {
    const x = param(t64(XV, [4]));
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return sum(mul(x, x));
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(y.item()).toBeCloseTo(0.25 + 2.25 + 4 + 0.0625, 14);
    expect(isGradEnabled()).toBe(true);
  });

  it('is restored after a throw, nests, and enableGrad re-enables inside it', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    const x = param(t64(XV, [4]));
    const inner = noGrad(() => noGrad(() => enableGrad(() => mul(x, 2))));
    expect(inner.requiresGrad).toBe(true);
    expect(inner.node).not.toBeNull();
  });

  it('an async fn is refused: the mode is restored at its first await, so what follows would record (or not) silently', async () => {
    const x = param(t64(XV, [4]));
    let after: Tensor | undefined;
    const evaluate = async () => {
      await Promise.resolve();
      after = mul(x, 2); // under noGrad this recorded a graph: requiresGrad true
      return after;
    };
    expectXentError(() => noGrad(evaluate), 'INVALID_ARGUMENT', 'noGrad:', 'async', 'await');
    expectXentError(() => enableGrad(evaluate), 'INVALID_ARGUMENT', 'enableGrad:', 'async');
    await Promise.resolve();
    expect(after).toBeUndefined(); // refused before it ran
    expect(isGradEnabled()).toBe(true);
  });
});

describe('valueAndGrad and grad', () => {
  const f = (w: Tensor, b: Tensor, _unused: Tensor) => sum(sigmoid(add(mul(w, t64([1, 2, 3], [3])), b)));
  const W = [0.5, -0.25, 0.1];
  const B = [0.3];
  const expected = () => {
    const s = W.map((w, i) => sigmoidRef(w * (i + 1) + B[0]));
    return {
      value: s.reduce((a, b) => a + b, 0),
      dw: s.map((v, i) => v * (1 - v) * (i + 1)),
      db: s.reduce((a, v) => a + v * (1 - v), 0),
    };
  };

  it('returns the value and one gradient per argument (zeros for unused ones)', () => {
    const { value, grads } = valueAndGrad(f)(
      t64(W, [3]),
      t64(B, [1]),
      t64(
        [
          [1, 2],
          [3, 4],
        ].flat(),
        [2, 2],
      ),
    );
    const e = expected();
    expect(grads).toHaveLength(3);
    expect(value.item()).toBeCloseTo(e.value, 14);
    expect(grads[0]).toBeAllClose(t64(e.dw, [3]), { rtol: 1e-14, atol: 0 });
    expect(grads[1]).toBeAllClose(t64([e.db], [1]), { rtol: 1e-14, atol: 0 });
    expect(grads[2].shape).toEqual([2, 2]);
    expect(flat(grads[2])).toEqual([0, 0, 0, 0]);
    expect(value.requiresGrad).toBe(false);
    expect(value.node).toBeNull();
  });

  it('is pure: no .grad is touched, the arguments are unchanged, and it can run twice', () => {
    const w = param(t64(W, [3]));
    const b = param(t64(B, [1]));
    const closure = param(t64([2], [1])); // a parameter used from a closure
    const g = (x: Tensor, y: Tensor) => mul(closure, sum(sigmoid(add(mul(x, t64([1, 2, 3], [3])), y))));
    const r1 = valueAndGrad(g)(w, b);
    const r2 = valueAndGrad(g)(w, b);
    expect(w.grad).toBeNull();
    expect(b.grad).toBeNull();
    expect(closure.grad).toBeNull();
    expect(w.node).toBeNull();
    expect(flat(w)).toEqual(W);
    expect(flat(r1.grads[0])).toEqual(flat(r2.grads[0]));
    expect(r1.grads[0]).toBeAllClose(
      t64(
        expected().dw.map((v) => 2 * v),
        [3],
      ),
      { rtol: 1e-14, atol: 0 },
    );
  });

  it('takes nested arrays and numbers, and a seed for a non-scalar output', () => {
    const r = valueAndGrad((x: Tensor) => mul(x, x), { dy: [1, 10] })([3, 4]);
    expect(flat(r.value)).toEqual([9, 16]);
    expect(flat(r.grads[0])).toEqual([6, 80]);
    expectXentError(() => valueAndGrad((x: Tensor) => mul(x, x))([3, 4]), 'SHAPE_MISMATCH', 'valueAndGrad');
    expect(valueAndGrad((x: Tensor) => mul(x, x))(3).grads[0].item()).toBe(6);
  });

  it('an int32 tensor given requiresGrad by hand is refused by the first op that would differentiate it (DTYPE, as param does)', () => {
    const labels = tensor([1, 2], { dtype: 'int32' });
    labels.requiresGrad = true; // it got a float64 .grad from backward
    expectXentError(() => mul(labels, 1.5), 'DTYPE', "mul: input 'a' is int32");
    noGrad(() => expect(flat(mul(labels, 1.5))).toEqual([1.5, 3])); // not recording: nothing to differentiate
    const w = param(t64([0.5, 0.25, 0.125], [3]));
    expect(gather(w, labels, 0).requiresGrad).toBe(true); // indices are an attribute, never differentiated
  });

  it('refuses int32 arguments (labels go through a closure)', () => {
    expectXentError(() => valueAndGrad((x: Tensor) => sum(x))(tensor([1, 2], { dtype: 'int32' })), 'DTYPE', 'argument 0');
  });

  it('a grad inside another that closes over the outer argument is refused (its results would be constants: x for 2x, 0 for 1)', () => {
    const outerX = [3, 4];
    // d/dx Σ (d/dc Σ c·x)·x = d/dx Σ x·x = 2x, but the inner gradient x is a constant to the outer grad
    const viaGrad = (x: Tensor) => sum(mul(grad((c: Tensor) => sum(mul(c, x)))(t64([1, 1], [2]))[0], x));
    expectXentError(() => grad(viaGrad)(outerX), 'INVALID_ARGUMENT', 'grad(grad(f))');
    // d/dx Σ c·x = c = 1, but the inner value is a constant to the outer grad
    const viaValue = (x: Tensor) => valueAndGrad((c: Tensor) => sum(mul(c, x)))(t64([1, 1], [2])).value;
    expectXentError(() => grad(viaValue)(outerX), 'INVALID_ARGUMENT', 'grad(grad(f))');
    expect(flat(grad((x: Tensor) => sum(mul(x, x)))(outerX)[0])).toEqual([6, 8]); // nothing left behind
  });

  it('backward or gradients inside f through its argument is refused too (x.grad is a constant to grad: 2x for 4x)', () => {
    // d/dx Σ (d/dx Σ x²)·x = d/dx Σ 2x·x = 4x
    const viaBackward = (x: Tensor) => {
      sum(mul(x, x)).backward();
      return sum(mul(x.grad!, x));
    };
    expectXentError(() => grad(viaBackward)([1, 2]), 'INVALID_ARGUMENT', 'backward:', 'grad(grad(f))');
    const viaGradients = (x: Tensor) => sum(mul(gradients(sum(mul(x, x))).get(x)!, x));
    expectXentError(() => grad(viaGradients)([1, 2]), 'INVALID_ARGUMENT', 'gradients:', 'grad(grad(f))');
    // a backward inside f that does not reach the argument is fine (training a model of its own, say)
    const w = param(t64([3], [1]));
    const [g] = grad((x: Tensor) => {
      sum(mul(w, w)).backward();
      return sum(mul(x, w.grad!));
    })([1]);
    expect(flat(g)).toEqual([6]);
  });

  it('grad(f) equals valueAndGrad(f).grads', () => {
    const args = [t64(W, [3]), t64(B, [1]), t64([1, 2, 3, 4], [2, 2])];
    const a = grad(f)(...args);
    const b = valueAndGrad(f)(...args).grads;
    expect(a).toHaveLength(3);
    a.forEach((g, i) => expect(flat(g)).toEqual(flat(b[i])));
  });
});

describe('detach', () => {
  it('cuts the graph: Σ detach(x)·x has gradient x, not 2x', () => {
    const x = param(t64(XV, [4]));
    sum(mul(detach(x), x)).backward();
    expect(flat(x.grad!)).toEqual(XV);
    const y = param(t64(XV, [4]));
    sum(mul(y.detach(), y)).backward();
    expect(flat(y.grad!)).toEqual(XV);
  });

  it('shares data but carries no gradient state', () => {
    const x = param(t64(XV, [4]));
    const h = mul(x, 2);
    const d = detach(h);
    expect(d.requiresGrad).toBe(false);
    expect(d.node).toBeNull();
    expect(d.view.data).toBe(h.view.data);
    expect(h.node).not.toBeNull(); // the original is untouched
  });
});

describe('constants as numbers and nested arrays', () => {
  it('mul(2, x) and div(10, f)', () => {
    const x = param(t64(XV, [4]));
    sum(mul(2, x)).backward();
    expect(flat(x.grad!)).toEqual([2, 2, 2, 2]);
    const f = param(t64([2, 4, -5], [3]));
    const q = div(10, f);
    expect(flat(q)).toEqual([5, 2.5, -2]);
    sum(q).backward();
    expect(flat(f.grad!)).toEqual([-10 / 4, -10 / 16, -10 / 25]);
  });

  it('nested arrays broadcast as constants: sub([[1], [2]], x)', () => {
    const x = param(t64([1, 2, 3], [3]));
    const y = sub([[1], [2]], x);
    expect(y.toArray()).toEqual([
      [0, -1, -2],
      [1, 0, -1],
    ]);
    sum(y).backward();
    expect(flat(x.grad!)).toEqual([-2, -2, -2]);
  });

  it('mul(2, float32) stays float32; mixing float32 with float64 gives float64 and a float32 .grad', () => {
    const x = param(tensor([1.5, -2], { dtype: 'float32' }));
    const y = mul(2, x);
    expect(y.dtype).toBe('float32');
    expect(add([0.1, 0.2], x).dtype).toBe('float32');
    const z = mul(x, t64([0.1, 0.2], [2]));
    expect(z.dtype).toBe('float64');
    sum(z).backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(flat(x.grad!)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });
});

describe('ops that return an input from forward', () => {
  it('broadcastTo(x, x.shape) leaves x a leaf and gives it its gradient', () => {
    const x = param(t64(XV, [4]));
    const y = broadcastTo(x, [4]);
    expect(y).not.toBe(x);
    expect(x.node).toBeNull();
    sum(mul(y, 3)).backward();
    expect(flat(x.grad!)).toEqual([3, 3, 3, 3]);
  });

  it('an identity user op does not turn its input into its own output', () => {
    const identity = defineOp({
      name: 'testIdentity',
      inputs: ['x'],
      forward: ([x]) => ({ out: x, saved: undefined }),
      backward: (dy) => [dy],
    });
    const x = param(t64(XV, [4]));
    const h = mul(x, 2);
    const y = identity(h);
    expect(h.node).not.toBe(y.node);
    sum(y).backward();
    expect(flat(x.grad!)).toEqual([2, 2, 2, 2]);
  });
});

describe('the broadcast declaration', () => {
  const badAdd: OpDef = {
    name: 'testAddNoBroadcastFlag',
    inputs: ['a', 'b'],
    forward: ([a, b]) => ({ out: K.add(a, b), saved: undefined }),
    backward: (dy) => [dy, dy], // dy has the output's shape, not b's
  };
  registerOp(badAdd);
  const goodAdd = defineOp({ ...badAdd, name: 'testAddBroadcastFlag', broadcast: true });

  it('a wrongly shaped gradient without broadcast: true throws SHAPE_MISMATCH naming the op and the input', () => {
    const a = param(t64([1, 2, 3, 4, 5, 6], [2, 3]));
    const b = param(t64([1, 2, 3], [3]));
    const y = applyOp(badAdd, [a, b], undefined);
    expectXentError(() => sum(y).backward(), 'SHAPE_MISMATCH', "'testAddNoBroadcastFlag'", "input 'b'", '[2, 3]', '[3]', 'broadcast: true');
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('with broadcast: true the engine sums the gradient back to the input shape', () => {
    const a = param(t64([1, 2, 3, 4, 5, 6], [2, 3]));
    const b = param(t64([1, 2, 3], [3]));
    sum(mul(goodAdd(a, b), t64([1, 2, 3, 4, 5, 6], [2, 3]))).backward();
    expect(flat(b.grad!)).toEqual([5, 7, 9]);
    expect(flat(a.grad!)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('with broadcast: true, a gradient that cannot sum back to its input names the op, the input and both shapes (not sumTo)', () => {
    const badBroadcast = defineOp({ ...badAdd, name: 'testAddBadBroadcastGrad', broadcast: true, backward: (dy) => [dy, K.transpose(dy)] });
    const a = param(t64([1, 2, 3, 4, 5, 6], [2, 3]));
    const b = param(t64([1, 2, 3], [3]));
    const e = expectXentError(
      () => sum(badBroadcast(a, b)).backward(),
      'SHAPE_MISMATCH',
      "backward: op 'testAddBadBroadcastGrad' returned a gradient of shape [3, 2] for input 'b' of shape [3]",
      'a shape the input broadcasts to',
    );
    expect(e.message).not.toContain('sumTo');
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('a backward that returns null for a differentiable input throws NO_GRADIENT', () => {
    const lazy = defineOp({
      name: 'testNullGrad',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.exp(x), saved: undefined }),
      backward: () => [null],
    });
    expectXentError(() => sum(lazy(param(t64(XV, [4])))).backward(), 'NO_GRADIENT', 'testNullGrad', "'x'");
  });
});

describe('the registry', () => {
  it('registerOp with a duplicate name throws; { override: true } replaces', () => {
    const def: OpDef = {
      name: 'testDup',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.neg(x), saved: undefined }),
      backward: (dy) => [K.neg(dy)],
    };
    registerOp(def);
    expectXentError(() => registerOp({ ...def }), 'INVALID_ARGUMENT', "'testDup'", 'already registered');
    expectXentError(() => registerOp({ ...def, name: 'add' }), 'INVALID_ARGUMENT', "'add'");
    const replacement = { ...def };
    registerOp(replacement, { override: true });
    expect(getOp('testDup')).toBe(replacement);
    expect(listOps().filter((n) => n === 'testDup')).toHaveLength(1);
  });

  it('refuses names that are not identifiers and mismatched differentiable flags', () => {
    const def: OpDef = { name: 'bad name', inputs: ['x'], forward: ([x]) => ({ out: x, saved: undefined }), backward: (dy) => [dy] };
    expectXentError(() => registerOp(def), 'INVALID_ARGUMENT', 'not an identifier');
    expectXentError(() => registerOp({ ...def, name: 'testFlags', differentiable: [true, false] }), 'INVALID_ARGUMENT', 'differentiable');
  });

  it('the built-in ops, registered without registerOp, pass its checks under distinct names, each its own key', () => {
    const defs = Object.entries(BUILTINS).map(([key, f]) => [key, f.op as AnyOpDef] as const);
    for (const [key, def] of defs) expect(checkOpDef(def, 'registerOp')).toBe(key);
    expect(new Set(defs.map(([key]) => key)).size).toBe(defs.length);
    for (const [key, def] of defs) expect(getOp(key)).toBe(def);
    expectXentError(() => registerOp({ ...defs[0][1] }, { override: true }), 'INVALID_ARGUMENT', `'${defs[0][0]}' is a built-in op`);
  });

  it('defineOp registers a user op: cube with d x³ = 3x² passes gradCheck and works with backward', () => {
    const cube = defineOp({
      name: 'testCube',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.mul(x, K.mul(x, x)), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => [K.mul(dy, K.mul(3, K.square(x)))],
    });
    expect(listOps()).toContain('testCube');
    expect(cube.op.name).toBe('testCube');
    expect(gradCheck(cube, [t64(normals(6, 30), [2, 3])], { tight: true }).ok).toBe(true);
    const x = param(t64(XV, [4]));
    const y = cube(x);
    expect(flat(y)).toEqual(XV.map((v) => v * v * v));
    sum(y).backward();
    expect(flat(x.grad!)).toEqual(XV.map((v) => 3 * v * v));
    // inside a larger graph, and with constants
    const z = param(t64([2], [1]));
    sum(mul(cube(mul(2, z)), 0.5)).backward(); // ½(2z)³ → 12z²
    expect(z.grad!.item()).toBe(48);
  });

  it('defineOp with attributes (withAttrs) and saved values', () => {
    const scale = defineOp<{ k: number }, number>({
      name: 'testScale',
      inputs: ['x'],
      forward: ([x], { k }) => ({ out: K.mul(x, k), saved: k }),
      backward: (dy, k) => [K.mul(dy, k)],
    });
    const x = param(t64(XV, [4]));
    sum(scale.withAttrs({ k: -3 })(x)).backward();
    expect(flat(x.grad!)).toEqual([-3, -3, -3, -3]);
    expect(gradCheck(scale.withAttrs({ k: 2.5 }), [t64(XV, [4])]).ok).toBe(true);
  });
});

describe('chainable methods', () => {
  it('x.mul(w).add(b).sigmoid().sum().backward()', () => {
    const x = t64([1, -2, 0.5], [3]);
    const w = param(t64([0.3, 0.1, -0.4], [3]));
    const b = param(t64([0.2], [1]));
    x.mul(w).add(b).sigmoid().sum().backward();
    const s = [0, 1, 2].map((i) => sigmoidRef(flat(x)[i] * flat(w)[i] + 0.2));
    expect(w.grad!).toBeAllClose(
      t64(
        s.map((v, i) => v * (1 - v) * flat(x)[i]),
        [3],
      ),
      { rtol: 1e-14, atol: 0 },
    );
    expect(b.grad!.item()).toBeCloseTo(
      s.reduce((a, v) => a + v * (1 - v), 0),
      14,
    );
  });

  it('methods are the functions of the same name', () => {
    const a = param(t64(normals(6, 31), [2, 3]));
    const m = t64(normals(12, 32), [3, 4]);
    expect(flat(a.matmul(m))).toEqual(flat(matmul(a, m)));
    expect(a.reshape([3, 2]).shape).toEqual([3, 2]);
    expect(a.transpose().shape).toEqual([3, 2]);
    expect(flat(a.exp().log())).toEqual(flat(K.log(K.exp(detach(a)))));
    expect(a.sum(1, { keepDims: true }).shape).toEqual([2, 1]);
    expect(flat(a.gather([1, 1], 0))).toEqual([...flat(a).slice(3), ...flat(a).slice(3)]);
    expect(a.softmax().sum(-1)).toBeAllClose([1, 1], { rtol: 1e-15, atol: 1e-15 });
    a.square().mean().backward();
    expect(a.grad!).toBeAllClose(K.div(K.mul(detach(a), 2), 6), { rtol: 1e-15, atol: 0 });
  });
});

describe('gather indices', () => {
  it('repeated indices add their gradients; float indices must be whole numbers', () => {
    const x = param(t64([10, 20, 30], [3]));
    sum(mul(gather(x, [0, 2, 2, 2]), t64([1, 2, 3, 4], [4]))).backward();
    expect(flat(x.grad!)).toEqual([1, 0, 9]);
    expect(flat(gather(x, t64([2, 0], [2])))).toEqual([30, 10]);
    expectXentError(() => gather(x, t64([1.7], [1])), 'LABEL_OUT_OF_RANGE', 'indices[0] is 1.7');
    expectXentError(() => gather(x, [3]), 'LABEL_OUT_OF_RANGE');
  });
});

describe('gradients() directly', () => {
  it('returns the gradient of every tensor on the way, leaves included', () => {
    const x = param(t64([1, 2], [2]));
    const h = mul(x, 3);
    const y = sum(h);
    const g = gradients(y, { retainGraph: true });
    expect(flat(g.get(h)!)).toEqual([1, 1]);
    expect(flat(g.get(x)!)).toEqual([3, 3]);
    expect(x.grad).toBeNull(); // gradients() does not accumulate
    expect(zeros([1]).requiresGrad).toBe(false);
  });
});

describe('max ties', () => {
  it('tied maxima share the gradient equally (like torch.amax)', () => {
    const x = param(t64([1, 3, 3, -2, 5, 5, 5, 0], [2, 4]));
    sum(mul(max(x, 1), t64([2, 3], [2]))).backward();
    expect(flat(x.grad!)).toEqual([0, 1, 1, 0, 1, 1, 1, 0]); // 2 split in two, 3 split in three
  });
});

describe('order of the sweep: every node runs after all the nodes that use its output', () => {
  it('random graphs of scalar ops, each op reading any earlier value, pass gradCheck', () => {
    const ops = [add, sub, mul, (a: Tensor, b: Tensor) => mul(a, sigmoid(b))] as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat()), { minLength: 1, maxLength: 25 }), (plan) => {
        const f = (x: Tensor, w: Tensor): Tensor => {
          const values = [x, w];
          for (const [op, i, j] of plan) values.push(ops[op](values[i % values.length], values[j % values.length]));
          return values[values.length - 1];
        };
        expect(gradCheck(f, [tensor(0.7), tensor(-0.4)]).ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('a chain of 20,000 scalar ops neither overflows the stack nor loses precision: d(x·a·a·…)/dx = aⁿ', () => {
    const x = param(tensor(0.9));
    const a = 1 + 2 ** -13;
    let y = x;
    for (let k = 0; k < 20_000; k++) y = mul(y, a);
    backward(y);
    expect(x.grad!.item()).toBeCloseTo(a ** 20_000, 10);
    expect(y.item()).toBeCloseTo(0.9 * a ** 20_000, 10);
  });
});
