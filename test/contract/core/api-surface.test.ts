// Contract §1–§3½: the public names outside checks call, on the three entry points a user imports
// (@xent/tensor, @xent/autograd, @xent/optim), and the Tensor members §2 and §3 promise.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as O from '@xent/optim';

const DIFFERENTIABLE = [
  'add', 'sub', 'mul', 'div', 'neg', 'exp', 'log', 'log1p', 'sigmoid', 'tanh', 'relu', 'softplus', 'matmul',
  'sum', 'mean', 'max', 'logSumExp', 'softmax', 'logSoftmax', 'reshape', 'transpose', 'broadcastTo', 'gather',
] as const; // prettier-ignore

describe('entry points export the contract names', () => {
  it('@xent/tensor: Tensor, XentError, creation', () => {
    for (const n of ['Tensor', 'XentError', 'tensor', 'zeros', 'ones', 'full', 'eye', 'arange', 'oneHot', 'rand', 'randn', 'Rng']) {
      expect(typeof (T as Record<string, unknown>)[n], n).toBe('function');
    }
  });

  it('@xent/autograd: the tape, the registry, the transforms, gradCheck, printing, every listed op and the fused ops', () => {
    const names = [
      'param', 'backward', 'zeroGrad', 'grad', 'valueAndGrad', 'noGrad', 'registerOp', 'defineOp', 'gradCheck', 'graphTable', 'toDot',
      'softmaxCrossEntropyWithLogits', 'sparseSoftmaxCrossEntropyWithLogits', 'sigmoidCrossEntropyWithLogits', ...DIFFERENTIABLE,
    ]; // prettier-ignore
    for (const n of names) expect(typeof (A as Record<string, unknown>)[n], n).toBe('function');
  });

  it('@xent/optim: SGD, Adam, AdamW with step() and zeroGrad()', () => {
    for (const C of [O.SGD, O.Adam, O.AdamW]) {
      const opt = new C([A.param(T.tensor([1]))], { lr: 0.1 });
      expect(typeof opt.step).toBe('function');
      expect(typeof opt.zeroGrad).toBe('function');
    }
  });
});

describe('Tensor members', () => {
  it('.shape, .dtype, .size, .toArray(), .item(), .toString(), .grad, .backward()', () => {
    const t = T.tensor([[1, 2]]);
    expect(t.shape).toEqual([1, 2]);
    expect(t.dtype).toBe('float64');
    expect(t.size).toBe(2);
    expect(t.toArray()).toEqual([[1, 2]]);
    expect(T.tensor(4).item()).toBe(4);
    expect(typeof t.toString()).toBe('string');
    expect(t.grad).toBeNull();
    expect(typeof t.backward).toBe('function');
  });

  it('every listed differentiable op is a chainable method that equals the function', () => {
    const x = T.tensor([
      [0.5, 1.5],
      [2, 0.25],
    ]);
    const args: Partial<Record<(typeof DIFFERENTIABLE)[number], unknown[]>> = {
      add: [1],
      sub: [1],
      mul: [2],
      div: [2],
      matmul: [[[1], [2]]],
      reshape: [[4]],
      broadcastTo: [[3, 2, 2]],
      gather: [[1, 0], 0],
    };
    for (const n of DIFFERENTIABLE) {
      const method = (x as unknown as Record<string, (...a: unknown[]) => T.Tensor>)[n];
      expect(typeof method, n).toBe('function');
      const a = args[n] ?? [];
      const viaMethod = method.apply(x, a);
      const viaFunction = (A[n] as (...a: unknown[]) => T.Tensor)(x, ...a);
      expect(viaMethod.shape, n).toEqual(viaFunction.shape);
      expect(viaMethod.toArray(), n).toEqual(viaFunction.toArray());
    }
  });

  it('methods record: w.mul(w).sum().backward() gives 2w', () => {
    const w = A.param(T.tensor([1, -3]));
    w.mul(w).sum().backward();
    expect(w.grad!.toArray()).toEqual([2, -6]);
  });
});
