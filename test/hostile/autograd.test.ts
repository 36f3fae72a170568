// Hostile inputs, autograd misuse: second backwards, seeds, in-place changes
// after recording, shared constants, kernels that do not record, user ops that
// break the protocol, re-entrant backward, registry overrides. Right answers
// are checked against closed forms and central differences.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import { SGD } from '@xent/optim';
import { centralDiff, expectClose, flat, refuses } from './helpers.js';

const fn = (f: (...xs: T.Tensor[]) => T.Tensor) => f;

describe('backward: seeds, second passes, accumulation', () => {
  it('a second backward through a freed graph is GRAPH_FREED', () => {
    const w = A.param([1, 2]);
    const y = A.sum(A.mul(w, w));
    y.backward();
    refuses(() => y.backward(), 'GRAPH_FREED');
  });

  it('retainGraph keeps it, and gradients accumulate (PyTorch): 2·2w', () => {
    const w = A.param([1, 2]);
    const y = A.sum(A.mul(w, w));
    A.backward(y, { retainGraph: true });
    A.backward(y);
    expectClose(w.grad as T.Tensor, [4, 8]);
  });

  it('zeroGrad resets the accumulation', () => {
    const w = A.param([3]);
    A.sum(A.mul(w, 2)).backward();
    A.zeroGrad([w]);
    expect(w.grad).toBeNull();
    A.sum(A.mul(w, 5)).backward();
    expectClose(w.grad as T.Tensor, [5]);
  });

  it('a non-scalar output needs a seed (SHAPE_MISMATCH), a seed of another shape is refused', () => {
    const w = A.param([1, 2, 3]);
    refuses(() => A.mul(w, 2).backward(), 'SHAPE_MISMATCH');
    refuses(() => A.backward(A.mul(w, 2), { dy: [1, 2] }), 'SHAPE_MISMATCH');
  });

  it("backward(y, { dy }) copies dy: changing the caller's dy later does not change w.grad", () => {
    const w = A.param([1, 2, 3]);
    const dy = T.tensor([1, 10, 100]);
    A.backward(A.mul(w, 1), { dy });
    (dy.view.data as Float64Array)[0] = 999;
    expectClose(w.grad as T.Tensor, [1, 10, 100]);
  });

  it('backward on something that needs no gradient is NO_GRADIENT', () => {
    refuses(() => A.sum(T.tensor([1, 2])).backward(), 'NO_GRADIENT');
  });

  it.each([
    ['null', null],
    ['a number', 3],
    ['a string', 'loss'],
    ['undefined', undefined],
  ])('backward(%s) is refused with a message', (_what, v) => {
    refuses(() => A.backward(v as never));
  });

  it('an unknown backward option is INVALID_OPTION', () => {
    const w = A.param([1]);
    refuses(() => A.backward(A.sum(w), { retain_graph: true } as never), 'INVALID_OPTION');
  });

  it('noGrad records nothing: backward of its result is NO_GRADIENT', () => {
    const w = A.param([1, 2]);
    const y = A.noGrad(() => A.sum(A.mul(w, w)));
    refuses(() => y.backward(), 'NO_GRADIENT');
  });

  it('detach stops the gradient: d/dw [w·detach(w)] = detach(w)', () => {
    const w = A.param([3, 4]);
    A.sum(A.mul(w, A.detach(w))).backward();
    expectClose(w.grad as T.Tensor, [3, 4]);
  });
});

describe('in-place changes after recording (version counters)', () => {
  it('opt.step() between forward and backward is MODIFIED_IN_PLACE, not the gradient at the new w', () => {
    const w = A.param([1, 2]);
    const y = A.sum(A.mul(w, w));
    w.grad = T.tensor([1, 1]);
    new SGD([w], { lr: 0.5 }).step();
    refuses(() => y.backward(), 'MODIFIED_IN_PLACE');
  });

  it('without the change, the gradient is 2w', () => {
    const w = A.param([1, 2]);
    A.sum(A.mul(w, w)).backward();
    expectClose(w.grad as T.Tensor, [2, 4]);
  });
});

describe('shared constants and parameters', () => {
  it('param() owns its data: training a param made from the constant 0.5 leaves 0.5 alone', () => {
    const p = A.param(A.reshape(0.5, [1]));
    p.grad = T.tensor([1]);
    new SGD([p], { lr: 8 }).step();
    expectClose(p, [-7.5]);
    expectClose(A.add(1, 0.5), 1.5);
    expectClose(A.mul(0.5, [2]), [1]);
  });

  it('param(t) of a plain tensor: updates are not seen through t (a copy) or are (shared) — but the constant cache never is', () => {
    const p = A.param(T.tensor([0.25]));
    p.grad = T.tensor([1]);
    new SGD([p], { lr: 1 }).step();
    expectClose(A.add(0, 0.25), 0.25);
  });
});

describe('kernels that do not record, applied to parameters', () => {
  it('a @xent/tensor kernel on a param while recording records or refuses — never a silent null gradient', () => {
    const W = A.param([1, 2]);
    let y: T.Tensor;
    try {
      y = A.enableGrad(() => A.sum(T.mul(W, 3)));
    } catch (e) {
      refuses(() => {
        throw e;
      });
      return;
    }
    y.backward();
    expectClose(W.grad as T.Tensor, [3, 3]);
  });
});

describe('user ops that break the protocol', () => {
  let n = 0;
  const op = (backward: unknown, forward?: unknown) =>
    A.defineOp({
      name: `hostileOp${n++}`,
      inputs: ['x'],
      forward: (forward ?? (([x]: T.Tensor[]) => ({ out: T.mul(x, 2), saved: undefined }))) as never,
      backward: backward as never,
    });

  it.each([
    ['undefined', () => undefined],
    ['a bare Tensor', () => T.tensor([1, 1])],
    ['a number', () => 2],
    ['too many gradients', () => [T.tensor([1, 1]), T.tensor([1, 1])]],
    ['no gradients', () => []],
    ['a gradient of another shape', () => [T.tensor([1, 1, 1])]],
    ['a string', () => ['grad']],
  ])('a backward that returns %s is refused naming the op', (_what, bw) => {
    const f = op(bw);
    refuses(() => A.sum(f(A.param([1, 2]))).backward(), undefined, /hostileOp/);
  });

  it('a forward that returns a bare Tensor instead of { out, saved } is refused naming the op', () => {
    const f = op(
      () => [null],
      ([x]: T.Tensor[]) => T.mul(x, 2),
    );
    refuses(() => f(A.param([1, 2])), undefined, /hostileOp/);
  });

  it('a well-behaved user op passes gradCheck: d(x³) = 3x²', () => {
    const cube = A.defineOp({
      name: 'hostileCube',
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, T.mul(x, x)), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => [T.mul(dy, T.mul(3, T.square(x)))],
    });
    const { grads } = A.valueAndGrad((x: T.Tensor) => A.sum(cube(x)))([1, -2, 0.5]);
    expectClose(grads[0], [3, 12, 0.75], 1e-15);
  });

  it.each([
    ['wrt out of range', { wrt: [3] }],
    ['eps 0', { eps: 0 }],
    ['eps NaN', { eps: NaN }],
    ['an unknown option', { epsilon: 1e-6 }],
    ['atol negative', { atol: -1 }],
  ])('gradCheck with %s is refused', (_what, o) => {
    refuses(() =>
      A.gradCheck(
        fn((x) => A.sum(A.mul(x, x))),
        [[1, 2]],
        o as never,
      ),
    );
  });

  it('defineOp without a name is refused', () => {
    refuses(() => A.defineOp({ inputs: ['x'], forward: () => ({ out: T.tensor(1), saved: undefined }), backward: () => [null] } as never));
  });

  it("registerOp({ ...getOp('add') }, { override: true }) keeps add and the losses working, or is refused", () => {
    try {
      A.registerOp({ ...A.getOp('add') } as never, { override: true });
    } catch (e) {
      refuses(() => {
        throw e;
      });
    }
    expectClose(A.add([1, 2], 3), [4, 5]);
    const { grads } = A.valueAndGrad((x: T.Tensor) => A.sum(A.add(x, x)))([1, 2]);
    expectClose(grads[0], [2, 2]);
    expect(Number.isFinite(L.binaryCrossentropy([1, 0], [0.3, 0.2]).item())).toBe(true);
  });
});

describe('re-entrant backward', () => {
  it('a user op whose backward takes gradients itself gives the PyTorch answer (12) or is refused', () => {
    // f(x) = x², with a backward that recomputes d(x²)/dx = 2x through a nested valueAndGrad; at x = 3, y = f(x)·2 → dy/dx = 2·2·3 = 12.
    const sq = A.defineOp({
      name: 'hostileReentrant',
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, x), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => {
        const inner = A.grad((t: T.Tensor) => A.sum(A.mul(t, t)))(x)[0];
        return [T.mul(dy, inner)];
      },
    });
    let g: T.Tensor;
    try {
      g = A.grad((x: T.Tensor) => A.sum(A.mul(sq(x), 2)))([3])[0];
    } catch (e) {
      refuses(() => {
        throw e;
      });
      return;
    }
    expectClose(g, [12]);
  });
});

describe('misused API entry points', () => {
  it.each([
    ['grad(3)', () => A.grad(3 as never)],
    ['grad(f) with f returning a number', () => A.grad((() => 3) as never)([1])],
    ['valueAndGrad of an int32 argument', () => A.valueAndGrad(fn((x) => A.sum(x)))(T.tensor([1], { dtype: 'int32' }))],
    ['noGrad(3)', () => A.noGrad(3 as never)],
    ['gradCheck(3, …)', () => A.gradCheck(3 as never, [[1]])],
    [
      'gradCheck(f, a tensor instead of a list)',
      () =>
        A.gradCheck(
          fn((x) => A.sum(x)),
          T.tensor([1]) as never,
        ),
    ],
    ['zeroGrad(3)', () => A.zeroGrad(3 as never)],
    ['param of an int32 tensor', () => A.param(T.tensor([1], { dtype: 'int32' }))],
    ['add with three arguments', () => (A.add as (...a: unknown[]) => T.Tensor)([1], [2], [3])],
    ['exp with two arguments', () => (A.exp as (...a: unknown[]) => T.Tensor)([1], [2])],
    ['concat of a tensor instead of a list', () => A.concat(T.tensor([1, 2]) as never)],
    ['sum with an options object as the axes', () => A.sum(T.tensor([1, 2]), { axis: 0 } as never)],
    ['sum with a misspelt keepdims', () => A.sum(T.tensor([[1, 2]]), 0, { keepdims: true } as never)],
    ['mean with options null', () => A.mean(T.tensor([[1, 2]]), 0, null as never)],
    ["max with options 'keep'", () => A.max(T.tensor([[1, 2]]), 0, 'keep' as never)],
    ['logSumExp with keepDims 1', () => A.logSumExp(T.tensor([[1, 2]]), 0, { keepDims: 1 } as never)],
    ["transpose with perm 'T'", () => A.transpose(T.tensor([[1, 2]]), 'T' as never)],
    ['broadcastTo null', () => A.broadcastTo(T.tensor([1]), null as never)],
    ['graphTable(3)', () => A.graphTable(3 as never)],
    ['toDot(null)', () => A.toDot(null as never)],
  ])('%s is refused', (_what, f) => {
    refuses(f);
  });
});

describe('keepDims keeps the reduced axes', () => {
  it('sum(x, 1, { keepDims: true }) has shape [2, 1] and the row sums', () => {
    const s = A.sum(
      [
        [1, 2],
        [3, 4],
      ],
      1,
      { keepDims: true },
    );
    expect(s.shape).toEqual([2, 1]);
    expectClose(s, [3, 7]);
  });
});

describe('gradients of composite functions against central differences', () => {
  const cases: [string, (x: T.Tensor) => T.Tensor, number[]][] = [
    ['sum(exp(x)·x)', (x) => A.sum(A.mul(A.exp(x), x)), [0.1, -0.4, 1.2]],
    ['logSumExp(2x)', (x) => A.logSumExp(A.mul(x, 2)), [0.5, 1.5, -1]],
    ['sum(softmax(x)²)', (x) => A.sum(A.square(A.softmax(x))), [0.3, 0.1, -0.2]],
    ['sum(tanh(x)/(1+x²))', (x) => A.sum(A.div(A.tanh(x), A.add(1, A.square(x)))), [0.7, -1.1, 2]],
    ['max(x) + mean(sigmoid(x))', (x) => A.add(A.max(x), A.mean(A.sigmoid(x))), [0.2, 0.9, -0.3]],
    ['sparse CE of reshape(x)', (x) => L.sparseSoftmaxCrossEntropyWithLogits([2, 0], A.reshape(x, [2, 3])), [0.1, 0.2, 0.3, -1, 0, 1]],
    ['focal(γ=0.5) of logits', (x) => L.binaryFocalCrossentropy([1, 0, 1], x, { fromLogits: true, gamma: 0.5 }), [2, -1, 0.3]],
    ['sum(log1p(x²))·pow(x, 3)', (x) => A.sum(A.mul(A.log1p(A.square(x)), A.pow(x, 3))), [0.4, -0.6, 1.3]],
  ];
  it.each(cases)('%s', (_name, f, x0) => {
    const g = flat(A.grad(f)(x0)[0]);
    const scalar = (x: number[]) => A.noGrad(() => f(T.tensor(x)).item());
    const numeric = x0.map((_, i) => centralDiff(scalar, x0, i));
    expectClose(g, numeric, 1e-6, 1e-7);
  });
});
