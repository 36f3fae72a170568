// Contract §5 for the core packages: XentError (from @xent/tensor) with a code and a message naming the
// function, the argument, what was found and the fix; SHAPE_MISMATCH naming both shapes; DTYPE;
// INVALID_OPTION; a failed call modifies nothing (no tensor, parameter or gradient).
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { Adam, AdamW, SGD } from '@xent/optim';
import { expectXent, flat, type Nested } from './ref.js';

const vals = (t: T.Tensor): number[] => flat(t.toArray() as Nested);

describe('XentError', () => {
  it('is exported by @xent/tensor, is an Error, and carries a code', () => {
    let caught: unknown;
    try {
      A.matmul(T.zeros([2, 3]), T.zeros([4, 5]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(T.XentError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as T.XentError).code).toBe('SHAPE_MISMATCH');
    const msg = (caught as Error).message;
    expect(msg).toContain('matmul');
    expect(msg).toContain('[2, 3]');
    expect(msg).toContain('[4, 5]');
  });

  it('the same refusal through @xent/tensor kernels names the function', () => {
    expectXent(() => T.matmul(T.zeros([2, 3]), T.zeros([2, 3])), 'SHAPE_MISMATCH', 'matmul', '[2, 3]');
  });
});

describe('SHAPE_MISMATCH names both shapes', () => {
  it('elementwise ops, matmul, concat, reshape, gradients', () => {
    expectXent(() => A.mul(T.zeros([2, 3]), T.zeros([3, 2])), 'SHAPE_MISMATCH', '[2, 3]', '[3, 2]');
    expectXent(() => A.matmul(T.zeros([2, 3]), T.zeros([2, 3])), 'SHAPE_MISMATCH', '[2, 3]');
    expectXent(() => A.concat([T.zeros([2, 3]), T.zeros([2, 4])], 0), 'SHAPE_MISMATCH', '[2, 3]', '[2, 4]');
    expect(() => A.reshape(T.zeros([2, 3]), [4, 2])).toThrow(T.XentError);
    const w = A.param(T.zeros([2, 2]));
    expectXent(() => A.backward(A.mul(w, 2), { dy: T.ones([4]) }), 'SHAPE_MISMATCH', '[4]', '[2, 2]');
  });
});

describe('DTYPE', () => {
  it('integer logits to the fused ops', () => {
    expectXent(
      () => A.softmaxCrossEntropyWithLogits([[1, 0]], T.tensor([[1, 2]], { dtype: 'int32' })),
      'DTYPE',
      'softmaxCrossEntropyWithLogits',
    );
  });

  it('labels may be int32 or floats holding whole numbers', () => {
    const z = T.tensor([[1, 2, 3]]);
    const a = A.sparseSoftmaxCrossEntropyWithLogits(T.tensor([2], { dtype: 'int32' }), z).item();
    const b = A.sparseSoftmaxCrossEntropyWithLogits(T.tensor([2]), z).item();
    expect(a).toBe(b);
  });
});

describe('bad arguments are XentErrors that name the argument and its type (issue 9)', () => {
  it('undefined, null, strings and booleans as operands', () => {
    const x = T.tensor([1, 2]);
    for (const bad of [undefined, null, '2', true]) {
      let caught: unknown;
      try {
        A.mul(x, bad as never);
      } catch (e) {
        caught = e;
      }
      expect(caught, String(bad)).toBeInstanceOf(T.XentError);
      expect((caught as Error).message).toContain('mul');
    }
    expect(() => A.param(null as never)).toThrow(T.XentError);
    expect(() => T.tensor([1, 'x'] as never)).toThrow(T.XentError);
  });

  it('a tensor kernel of @xent/tensor given a param while recording never silently drops the gradient', () => {
    const w = A.param(T.tensor([1, 2]));
    let out: T.Tensor | undefined;
    try {
      out = T.mul(w, w);
    } catch (e) {
      expect(e).toBeInstanceOf(T.XentError);
      expect((e as Error).message).toContain('mul');
      return;
    }
    // if it records instead, the gradient must arrive
    A.sum(out).backward();
    expect(vals(w.grad!)).toEqual([2, 4]);
  });
});

describe('messages name the function and what was found (§5)', () => {
  const w = A.param(T.zeros([2, 3]), 'W');
  const cases: [string, () => unknown, string, string[]][] = [
    ['add', () => A.add(T.zeros([2, 3]), T.zeros([4])), 'SHAPE_MISMATCH', ['add', '[2, 3]', '[4]']],
    ['matmul', () => A.matmul(T.zeros([2, 3]), T.zeros([4, 5])), 'SHAPE_MISMATCH', ['matmul', '[2, 3]', '[4, 5]']],
    ['reshape', () => A.reshape(T.zeros([2, 3]), [4]), 'SHAPE_MISMATCH', ['reshape', '[2, 3]', '[4]']],
    ['broadcastTo', () => A.broadcastTo(T.zeros([2, 3]), [3, 3]), 'SHAPE_MISMATCH', ['broadcastTo', '[2, 3]', '[3, 3]']],
    ['backward', () => A.backward(A.mul(w, 2), { dy: T.zeros([3, 2]) }), 'SHAPE_MISMATCH', ['backward', '[3, 2]', '[2, 3]']],
    [
      'backward option',
      () => A.backward(A.sum(w), { retain_graph: true } as never),
      'INVALID_OPTION',
      ['backward', 'retain_graph', 'retainGraph'],
    ],
    [
      'softmax CE',
      () => A.softmaxCrossEntropyWithLogits(T.zeros([2, 4]), w),
      'SHAPE_MISMATCH',
      ['softmaxCrossEntropyWithLogits', '[2, 4]', '[2, 3]'],
    ],
    [
      'sparse CE',
      () => A.sparseSoftmaxCrossEntropyWithLogits([0, 3], w),
      'LABEL_OUT_OF_RANGE',
      ['sparseSoftmaxCrossEntropyWithLogits', '3'],
    ],
    ['SGD', () => new SGD([w], { lr: -0.1 }), 'INVALID_OPTION', ['SGD', 'lr', '-0.1']],
    ['Adam', () => new Adam([w], { betas: [0.9, 1] }), 'INVALID_OPTION', ['Adam', 'betas']],
    ['AdamW', () => new AdamW([w], { weightDecay: -1 }), 'INVALID_OPTION', ['AdamW', 'weightDecay', '-1']],
    ['gradCheck', () => A.gradCheck((x) => A.exp(x), [T.zeros([2])], { eps: -1 }), 'INVALID_OPTION', ['gradCheck', 'eps', '-1']],
    ['tensor', () => T.tensor([[1, 2], [3]]), 'SHAPE_MISMATCH', ['tensor']],
  ];
  for (const [label, call, code, mentions] of cases) it(label, () => void expectXent(call, code, ...mentions));
});

describe('a softmax over one class is refused (SINGLE_CLASS_SOFTMAX)', () => {
  it('softmaxCrossEntropyWithLogits on a class axis of size 1', () => {
    expectXent(() => A.softmaxCrossEntropyWithLogits([[1], [1]], [[2.5], [-1]]), 'SINGLE_CLASS_SOFTMAX', 'sigmoidCrossEntropyWithLogits');
  });
  it('sparseSoftmaxCrossEntropyWithLogits on a class axis of size 1', () => {
    expectXent(() => A.sparseSoftmaxCrossEntropyWithLogits([0, 0], [[2.5], [-1]]), 'SINGLE_CLASS_SOFTMAX');
  });
});

describe('a failed call modifies nothing', () => {
  it('a backward that fails halfway leaves every .grad as it was', () => {
    const explode = A.defineOp({
      name: 'explodeContractCore',
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, 1), saved: undefined }),
      backward: () => {
        throw new Error('user backward failed');
      },
    });
    const w1 = A.param(T.tensor([1, 2]));
    const w2 = A.param(T.tensor([3, 4]));
    A.sum(A.mul(w1, 1)).backward();
    const before = vals(w1.grad!);
    // w1's path (mul) and w2's path (explode) both feed the sum
    for (const y of [A.add(A.sum(A.mul(w1, 5)), A.sum(explode(w2))), A.add(A.sum(explode(w2)), A.sum(A.mul(w1, 5)))]) {
      expect(() => y.backward()).toThrow('user backward failed');
      expect(vals(w1.grad!)).toEqual(before);
      expect(w2.grad).toBeNull();
    }
  });

  it('a refused option leaves the optimizer and its params unchanged', () => {
    const w = A.param(T.tensor([1, 2]));
    const opt = new SGD([w], { lr: 0.1 });
    expectXent(() => {
      opt.lr = -1;
    }, 'INVALID_OPTION');
    expect(opt.lr).toBe(0.1);
    A.sum(w).backward();
    opt.step();
    expect(vals(w)).toEqual([0.9, 1.9]);
  });

  it('a refused op call records nothing and changes no input', () => {
    const w = A.param(T.tensor([[1, 2]]));
    expectXent(() => A.matmul(w, w), 'SHAPE_MISMATCH');
    expect(vals(w)).toEqual([1, 2]);
    A.sum(w).backward();
    expect(vals(w.grad!)).toEqual([1, 1]);
  });
});
