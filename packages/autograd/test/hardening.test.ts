// Issue #9, the engine items: each test here failed before its fix (the item number
// of the issue is in the describe title). No silent wrong answer: a right number or an
// XentError naming what to do.
import { describe, it, expect } from 'vitest';
import * as K from '@xent/tensor';
import { Tensor, copyInto, tensor } from '@xent/tensor';
import {
  add,
  backward,
  gather,
  defineOp,
  detach,
  enableGrad,
  getOp,
  gradCheck,
  gradients,
  matmul,
  mul,
  noGrad,
  param,
  polyCrossEntropyWithLogits,
  pow,
  registerOp,
  relu,
  reshape,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sum,
  type Node,
  clip,
  softmax,
  expandDims,
  squeeze,
  where,
  zeroGrad,
} from '@xent/autograd';
import { callWith, expectXentError, flat, normals, t64 } from '../../../test/utils.js';

describe('#9 item 2: param() owns its data', () => {
  it('a parameter made from a shared number constant does not change that constant', () => {
    const w = param(reshape(0.5, [1]));
    noGrad(() => copyInto(w, tensor([-8.5])));
    expect(add(1, 0.5).item()).toBe(1.5);
    expect(w.item()).toBe(-8.5);
  });

  it('copies a Tensor by default; { copy: false } shares it', () => {
    const t = tensor([1, 2]);
    const owned = param(t);
    const shared = param(t, 'w', { copy: false });
    expect(owned.view.data).not.toBe(t.view.data);
    expect(shared.view.data).toBe(t.view.data);
    expect(shared.name).toBe('w');
  });

  it('a shared number constant can never become a parameter’s storage, even with { copy: false }', () => {
    const w = param(reshape(0.5, [1]), 'w', { copy: false }); // reshape's output owns a copy of the constant
    noGrad(() => copyInto(w, tensor([-8.5])));
    expect(add(1, 0.5).item()).toBe(1.5);
  });

  it('no op hands out a view of a shared number constant: copyInto through one changed the number everywhere', () => {
    const view = reshape(0.4375, [1, 1]);
    copyInto(view, tensor([[7]]));
    expect(add(1, 0.4375).item()).toBe(1.4375); // was 8
    const passThrough = defineOp({
      name: 'testPassThrough',
      inputs: ['x'],
      forward: ([x]) => ({ out: x, saved: undefined }),
      backward: (dy) => [dy],
    });
    copyInto(passThrough(0.3125), tensor(5));
    expect(add(1, 0.3125).item()).toBe(1.3125); // was 6
  });
});

describe('#9 item 3: a tensor kernel never loses a gradient silently', () => {
  it('K.add on a param while recording throws NO_GRADIENT naming add from @xent/autograd', () => {
    const w = param(tensor([1, 2]));
    expectXentError(() => K.add(w, 1), 'NO_GRADIENT', 'add from @xent/autograd');
    expectXentError(() => K.sum(w), 'NO_GRADIENT', 'sum from @xent/autograd');
    expectXentError(() => K.concat([tensor([0]), w]), 'NO_GRADIENT', 'concat from @xent/autograd');
    expectXentError(() => K.maximum(w, 0), 'NO_GRADIENT', 'no differentiable version');
  });

  it('works inside noGrad, on detach(x), on plain tensors, and inside ops', () => {
    const w = param(tensor([1, 2]));
    expect(flat(noGrad(() => K.add(w, 1)))).toEqual([2, 3]);
    expect(flat(K.add(detach(w), 1))).toEqual([2, 3]);
    expect(flat(K.add(tensor([1, 2]), 1))).toEqual([2, 3]);
    sum(mul(w, w)).backward();
    expect(flat(w.grad!)).toEqual([2, 4]);
    expect(K.argmax(w).item()).toBe(1); // not differentiable, no gradient to lose
  });
});

describe('#9 item 4: in-place writes after recording', () => {
  it('a parameter written after the forward pass makes backward throw MODIFIED_IN_PLACE naming the op and input', () => {
    const w = param(tensor([1, 2]));
    const y = sum(mul(w, w));
    noGrad(() => copyInto(w, tensor([5, 5])));
    expectXentError(() => y.backward(), 'MODIFIED_IN_PLACE', "op 'mul'", "input 'a'");
    expect(w.grad).toBeNull(); // a failed call changes nothing
  });

  it('refilling a batch buffer before backward throws (not zero gradients)', () => {
    const W = param(t64(normals(6, 1), [3, 2]));
    const x = t64(normals(6, 2), [2, 3]);
    const loss = sum(matmul(x, W));
    copyInto(x, t64(normals(6, 3), [2, 3]));
    expectXentError(() => loss.backward(), 'MODIFIED_IN_PLACE', "op 'matmul'", "input 'a'");
  });

  it('one-value results share pooled storage, but a write to one is not a write to the others', () => {
    const x = param(tensor(2));
    const [neighbour, saved] = noGrad(() => [K.mul(tensor(1), tensor(1)), K.mul(tensor(3), tensor(1))]);
    expect(neighbour.view.data.buffer).toBe(saved.view.data.buffer); // pooled side by side
    const y = mul(mul(x, saved), saved);
    copyInto(neighbour, tensor(5));
    backward(y, { retainGraph: true });
    expect(x.grad!.item()).toBe(9);
    copyInto(saved, tensor(4));
    expectXentError(() => backward(y), 'MODIFIED_IN_PLACE', "op 'mul'");
  });

  it('a tensor an op keeps among its attributes (gather indices) written before backward throws, naming it', () => {
    // The backward would scatter dy to the new indices [2, 2]: [0, 0, 2] instead of [1, 1, 0].
    const w = param(tensor([1, 2, 3]));
    const idx = tensor([0, 1], { dtype: 'int32' });
    const y = sum(gather(w, idx));
    copyInto(idx, tensor([2, 2], { dtype: 'int32' }));
    expectXentError(() => y.backward(), 'MODIFIED_IN_PLACE', "op 'gather'", "attribute 'indices'");
    expect(w.grad).toBeNull();
  });

  it('versions count writes per storage: views share one counter', () => {
    const t = tensor([1, 2, 3, 4]);
    const v = K.reshape(t, [2, 2]);
    expect(t.version).toBe(0);
    copyInto(
      v,
      tensor([
        [0, 0],
        [0, 0],
      ]),
    );
    expect(t.version).toBe(1);
    expect(flat(t)).toEqual([0, 0, 0, 0]);
  });
});

describe('#9 item 6: pow at 0 follows PyTorch', () => {
  it('d/dx pow(x, 0) at x = 0 is 0, and d/de pow(0, e) is 0 for e ≥ 0', () => {
    const x = param(tensor([0, 0, 2]));
    const e = param(tensor([0, 2, 0]));
    sum(pow(x, e)).backward();
    expect(flat(x.grad!)).toEqual([0, 0, 0]); // e·x^(e−1): 0 where e = 0; 2·0 = 0
    expect(flat(e.grad!)).toEqual([0, 0, Math.log(2)]); // x^e·log x: 0 where x = 0, e ≥ 0
  });
});

describe('#9 item 7: backward copies dy', () => {
  it('never stores the caller’s dy object as .grad', () => {
    const a = param(tensor([1, 2]));
    const b = param(tensor([3, 4]));
    const dy = tensor([10, 20]);
    backward(add(a, b), { dy });
    expect(a.grad).not.toBe(dy);
    expect(b.grad).not.toBe(dy);
    expect(a.grad!.view.data).not.toBe(b.grad!.view.data);
    dy.view.data[0] = 99;
    expect(flat(a.grad!)).toEqual([10, 20]);
    const w = param(tensor([1, 2]));
    backward(w, { dy });
    expect(w.grad).not.toBe(dy);
    expect(flat(w.grad!)).toEqual([99, 20]);
  });
});

describe('#9 item 9: re-entrant backward', () => {
  it('a user op whose backward calls gradients under enableGrad gives PyTorch’s 12 for d(x³)/dx at 2', () => {
    const cubeViaInner = defineOp({
      name: 'testReentrantCube',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.mul(x, K.mul(x, x)), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => {
        // d x³/dx from an inner graph of its own: x·x·x recorded and swept inside this backward
        const inner = enableGrad(() => {
          const xi = param(x);
          const y = mul(xi, mul(xi, xi));
          return gradients(y).get(xi)!;
        });
        return [K.mul(dy, inner)];
      },
    });
    const x = param(tensor(2));
    const y = mul(cubeViaInner(x), 1);
    y.backward();
    expect(x.grad!.item()).toBe(12);
  });

  it('an inner backward that frees part of the outer graph gives GRAPH_FREED, not a TypeError', () => {
    const x = param(tensor(2));
    const shared = mul(x, x);
    const freeing = defineOp({
      name: 'testFreesOuter',
      inputs: ['x'],
      forward: ([v]) => ({ out: K.mul(v, 1), saved: undefined }),
      backward: (dy) => {
        enableGrad(() => gradients(sum(mul(shared, 1))));
        return [dy];
      },
    });
    const y = freeing(shared);
    expectXentError(() => y.backward(), 'GRAPH_FREED', "op 'mul'");
  });

  it('an inner backward through a node of the outer graph neither takes nor loses the outer gradient waiting there', () => {
    // y = reader(s) + s with s = x²: the outer sweep has already sent dy to s (through add) when reader's
    // backward differentiates 5s with a retained graph. PyTorch: inner d(5x²)/dx = 30, outer d(2x²)/dx = 12 at x = 3.
    const x = param(tensor(3));
    const s = mul(x, x);
    let inner = NaN;
    const reader = defineOp({
      name: 'testReadsOuterNode',
      inputs: ['v'],
      forward: ([v]) => ({ out: K.mul(v, 1), saved: undefined }),
      backward: (dy) => {
        inner = enableGrad(() => gradients(mul(s, 5), { retainGraph: true }).get(x)!.item());
        return [dy];
      },
    });
    add(reader(s), s).backward();
    expect(inner).toBe(30);
    expect(x.grad!.item()).toBe(12);
  });
});

describe('#9: user-op protocol errors name the op', () => {
  const x = () => param(tensor([1, 2]));
  const op = (name: string, backward: (dy: Tensor) => unknown, forward?: (x: Tensor) => unknown) =>
    defineOp({
      name,
      inputs: ['x'],
      forward: ([v]) => (forward ? forward(v) : { out: K.mul(v, 2), saved: undefined }) as { out: Tensor; saved: undefined },
      backward: (dy) => backward(dy) as Tensor[],
    });

  it('backward returning undefined, a non-array or the wrong count', () => {
    expectXentError(
      () => sum(op('testBwdUndefined', () => undefined)(x())).backward(),
      'INVALID_ARGUMENT',
      "'testBwdUndefined'",
      'undefined',
    );
    expectXentError(() => sum(op('testBwdTensor', (dy) => dy)(x())).backward(), 'INVALID_ARGUMENT', "'testBwdTensor'", 'array');
    expectXentError(() => sum(op('testBwdCount', (dy) => [dy, dy])(x())).backward(), 'INVALID_ARGUMENT', "'testBwdCount'", 'returned 2');
  });

  it('forward returning a bare Tensor', () => {
    expectXentError(
      () =>
        op(
          'testFwdBare',
          (dy) => [dy],
          (v) => K.mul(v, 2),
        )(x()),
      'INVALID_ARGUMENT',
      "'testFwdBare'",
      'bare Tensor',
    );
  });

  it('gradCheck: wrt out of range, eps 0, unknown options → INVALID_OPTION', () => {
    const f = (v: Tensor) => mul(v, v);
    expectXentError(() => gradCheck(f, [tensor([1])], { wrt: [3] }), 'INVALID_OPTION', 'wrt', '3');
    expectXentError(() => gradCheck(f, [tensor([1])], { eps: 0 }), 'INVALID_OPTION', 'eps');
    expectXentError(() => gradCheck(f, [tensor([1])], { epsilon: 1e-3 } as never), 'INVALID_OPTION', "'epsilon'");
  });
});

describe('#9: built-in ops cannot be overridden', () => {
  it('registerOp({ ...getOp("add") }, { override: true }) is refused and add and the fused losses keep working', () => {
    expectXentError(() => registerOp({ ...getOp('add')! }, { override: true }), 'INVALID_ARGUMENT', "'add' is a built-in op");
    expect(add(1, 2).item()).toBe(3);
    expect(softmaxCrossEntropyWithLogits(tensor([1, 0]), tensor([0, 0])).item()).toBeCloseTo(Math.log(2), 15);
  });
});

describe('#9: memory — the graph releases saved values at backward', () => {
  it('a loss kept after backward no longer references its batch or activations', () => {
    const W = param(t64(normals(6, 4), [3, 2]));
    const batch = t64(normals(12, 5), [4, 3]);
    const logits = matmul(batch, W);
    const loss = sum(sparseSoftmaxCrossEntropyWithLogits(tensor([0, 1, 1, 0], { dtype: 'int32' }), logits));
    const nodes = [loss.node, logits.node] as Node[];
    expect(nodes[1].inputs).toContain(batch);
    loss.backward();
    for (const node of nodes) {
      expect(node.freed).toBe('an earlier backward'); // what freed it, for GRAPH_FREED's message
      expect(node.inputs).toEqual([]);
      expect(node.out.node).toBe(node); // only its own output, which holds the node anyway
      expect(node.saved).toBeUndefined();
    }
    expect(loss.item()).toBeGreaterThan(0); // the value itself stays
  });
});

describe('#9: polyCrossEntropyWithLogits (Poly-1), the optax vectors', () => {
  const targets = [0.1, 0.15, 0.2, 0.25, 0.3];
  const logits = [0.14, 1.456, 2.356, -0.124, -2.47];
  it.each([
    [2, 4.5317],
    [1, 3.7153],
    [-1, 2.0827],
  ])('ε = %d gives %d', (polyEpsilon, expected) => {
    expect(polyCrossEntropyWithLogits(targets, logits, { polyEpsilon }).item()).toBeCloseTo(expected, 4);
  });

  it('defaults to ε = 2, equals softmax CE at ε = 0, refuses a non-finite ε, and passes gradCheck', () => {
    expect(polyCrossEntropyWithLogits(targets, logits).item()).toBeCloseTo(4.5317, 4);
    expect(polyCrossEntropyWithLogits(targets, logits, { polyEpsilon: 0 }).item()).toBe(
      softmaxCrossEntropyWithLogits(targets, logits).item(),
    );
    expectXentError(() => polyCrossEntropyWithLogits(targets, logits, { polyEpsilon: NaN }), 'INVALID_OPTION', 'polyEpsilon');
    expectXentError(() => polyCrossEntropyWithLogits(targets, logits, { polyEpsilon: '2' as never }), 'INVALID_OPTION', 'polyEpsilon');
    const z = t64(normals(12, 6, 3), [3, 4]);
    const p = K.softmax(t64(normals(12, 7), [3, 4]));
    expect(gradCheck((zz: Tensor) => polyCrossEntropyWithLogits(p, zz, { polyEpsilon: 2 }), [z], { tight: true }).ok).toBe(true);
    // finite at |logit| = 1e4
    const big = polyCrossEntropyWithLogits([[0.5, 0.5]], [[1e4, -1e4]], { polyEpsilon: 2 });
    expect(Number.isFinite(big.item())).toBe(true);
  });
});

describe('#9 leftovers: errors name the public function, param takes its name', () => {
  it('gather with non-numeric indices names gather and the indices argument, not tensor', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    for (const g of [K.gather, gather]) {
      const e = expectXentError(() => g(x, ['a'] as unknown as number[]), 'INVALID_ARGUMENT', 'indices[0] is a string');
      expect(e.message.startsWith('gather: '), e.message).toBe(true);
      expectXentError(() => g(x, {} as unknown as number[]), 'INVALID_ARGUMENT', 'gather: indices is a plain object');
    }
  });

  it('a bad seed dy names backward and dy, not tensor', () => {
    const w = param([1, 2]);
    expectXentError(() => backward(mul(w, 2), { dy: [1, 'a'] as never }), 'INVALID_ARGUMENT', 'backward: dy[1] is a string');
  });

  it('param(t, { name }) stores the name, not the options object; bad options are INVALID_OPTION', () => {
    const x = tensor([1, 2]);
    expect(param(x, { name: 'W' }).name).toBe('W');
    expect(param(x, 'b').name).toBe('b');
    const shared = param(x, { name: 'S', copy: false });
    expect([shared.name, shared.view.data === x.view.data]).toEqual(['S', true]);
    expectXentError(() => param(x, { nme: 'W' } as never), 'INVALID_OPTION', "did you mean 'name'");
    expectXentError(() => param(x, { name: 3 } as never), 'INVALID_OPTION', 'param');
    expectXentError(() => param(x, { name: 'W' }, { copy: false }), 'INVALID_OPTION', 'param');
  });

  it('the size limit hit inside an op names the op, not "xent:"', () => {
    const col = K.zeros([20000, 1]);
    const row = K.zeros([1, 20000]);
    for (const f of [K.add, add]) {
      const e = expectXentError(() => f(col, row), 'INVALID_ARGUMENT', 'the limit is 268435456');
      expect(e.message.startsWith('add: '), e.message).toBe(true);
    }
    for (const f of [K.matmul, matmul]) {
      const e = expectXentError(() => f(col, row), 'INVALID_ARGUMENT', 'the limit is 268435456');
      expect(e.message.startsWith('matmul: '), e.message).toBe(true);
    }
  });
});

describe('arguments an op does not take are refused, not dropped', () => {
  it('matmul(x, W, b) does not silently leave out b; pow and where take no extra argument either', () => {
    const x = t64([1, 2], [1, 2]);
    const W = t64([1, 0, 0, 1], [2, 2]);
    const b = t64([10, 20], [2]);
    const call =
      (f: unknown, ...args: unknown[]) =>
      () =>
        (f as (...a: unknown[]) => unknown)(...args);
    expectXentError(call(matmul, x, W, b), 'INVALID_ARGUMENT', 'matmul: expects 2 inputs', 'got 3');
    expectXentError(call(pow, x, 2, 5), 'INVALID_ARGUMENT', 'pow: expects 2 inputs');
    expectXentError(call(where, [1, 0], x, x, b), 'INVALID_ARGUMENT', 'where: expects 3 inputs');
    expect(flat(matmul(x, W))).toEqual([1, 2]);
  });

  it('ops with attributes refuse an argument too many (squeeze(x, 0, 1) squeezed axis 0 only, and said nothing)', () => {
    const x = t64([1], [1, 1, 1]);
    const call =
      (f: unknown, ...args: unknown[]) =>
      () =>
        (f as (...a: unknown[]) => unknown)(...args);
    expectXentError(call(squeeze, x, 0, 1), 'INVALID_ARGUMENT', 'squeeze: takes at most 2 arguments', 'got 3', '[0, 1]');
    expectXentError(call(expandDims, x, 0, 1), 'INVALID_ARGUMENT', 'expandDims: takes at most 2 arguments');
    expectXentError(call(softmax, x, -1, {}), 'INVALID_ARGUMENT', 'softmax: takes at most 2 arguments');
    expectXentError(call(sum, x, 0, {}, 1), 'INVALID_ARGUMENT', 'sum: takes at most 3 arguments');
    expectXentError(call(clip, x, 0, 1, 2), 'INVALID_ARGUMENT', 'clip: takes at most 3 arguments');
    expectXentError(call(gather, x, [0], 1, 2), 'INVALID_ARGUMENT', 'gather: takes at most 3 arguments');
    expect(squeeze(x, [0, 1]).shape).toEqual([1]);
  });

  it('xs.map(op) (which passes index and array too) gets the count refused with the fix, not a message about the array', () => {
    const xs = [t64([1, -2], [2]), t64([3, 4], [2])];
    // relu used to convert the extra arguments first: "relu: inputs[2][0] is a Tensor; every entry must be a number".
    expectXentError(() => xs.map(relu as never), 'INVALID_ARGUMENT', 'relu: expects 1 input (x)', 'got 3', 'xs.map((x) => f(x))');
    expectXentError(() => xs.map(softmax as never), 'INVALID_ARGUMENT', 'softmax: takes at most 2 arguments', 'xs.map((x) => f(x))');
    expect(xs.map((x) => flat(relu(x)))).toEqual([
      [1, 0],
      [3, 4],
    ]);
  });

  it("backward, detach, param, zeroGrad, noGrad and enableGrad refuse an argument they would drop (PyTorch's y.backward(gradient, True) lost True)", () => {
    const w = param(t64([1, 2], [2]));
    const y = sum(mul(w, w));
    const fix = "PyTorch's backward(gradient, retain_graph=True) is y.backward({ dy: gradient, retainGraph: true })";
    // A refused backward walks nothing: the graph stays whole and w.grad empty.
    expectXentError(callWith(backward, y, { dy: 1 }, true), 'INVALID_ARGUMENT', 'backward: takes at most 2 arguments, got 3; ', fix);
    expectXentError(callWith(y.backward.bind(y), 1, true), 'INVALID_ARGUMENT', 'Tensor.backward: takes at most 1 argument, got 2; ', fix);
    expect(w.grad).toBeNull();
    expectXentError(
      callWith(detach, w, true),
      'INVALID_ARGUMENT',
      'detach: takes at most 1 argument, got 2; pass the tensor only',
      'xs.map((x) => f(x))',
    );
    expectXentError(() => [w].map(detach as never), 'INVALID_ARGUMENT', 'detach: takes at most 1 argument, got 3');
    expectXentError(callWith(w.detach.bind(w), w), 'INVALID_ARGUMENT', 'Tensor.detach: takes no arguments, got 1; call t.detach()');
    expectXentError(
      callWith(param, [1], 'W', { copy: true }, 'float32'),
      'INVALID_ARGUMENT',
      'param: takes at most 3 arguments, got 4; pass param(t, { name, copy }) or param(t, name, { copy })',
    );
    expectXentError(
      callWith(zeroGrad, [w], false, true),
      'INVALID_ARGUMENT',
      'zeroGrad: takes at most 2 arguments, got 3',
      'zeroGrad([W, b], setToNone)',
    );
    expectXentError(
      callWith(noGrad, () => 1, 2),
      'INVALID_ARGUMENT',
      'noGrad: takes at most 1 argument, got 2; pass one function, e.g. noGrad(() => f(x, y))',
    );
    expectXentError(
      callWith(enableGrad, () => 1, 2),
      'INVALID_ARGUMENT',
      'enableGrad: takes at most 1 argument, got 2',
      'enableGrad(() => f(x, y))',
    );
    y.backward();
    expect(flat(w.grad!)).toEqual([2, 4]);
    expect([detach(w).requiresGrad, w.detach().requiresGrad, noGrad(() => 3), enableGrad(() => 4)]).toEqual([false, false, 3, 4]);
  });

  it('param refuses null as the options object, as the losses, optimizers and backward do (it read param(t, null) as no options)', () => {
    const options = 'param: the options are null; options are an object, e.g. { name: …, copy: … }.';
    expectXentError(() => param([1], null as never), 'INVALID_OPTION', options);
    expectXentError(() => param([1], 'W', null as never), 'INVALID_OPTION', options);
    expectXentError(
      () => param([1], { copy: true }, null as never),
      'INVALID_OPTION',
      'param: got two option objects; pass param(t, { name, copy }) or param(t, name, { copy }).',
    );
    expect([param([1]).name, param([1], 'W').name, param([1], { name: 'b' }).name, param([1], undefined, { copy: true }).name]).toEqual([
      undefined,
      'W',
      'b',
      undefined,
    ]);
  });

  it('a gather index beyond int32 is LABEL_OUT_OF_RANGE naming gather (it named tensor and values[0])', () => {
    expectXentError(() => gather(t64([1, 2, 3], [3]), [1e20]), 'LABEL_OUT_OF_RANGE', 'gather: indices[0] is 100000000000000000000');
  });
});
