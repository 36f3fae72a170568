// Hostile inputs, memory: a loss kept after backward() (history.push(loss)) must
// not keep its batch and activations alive, and sizes past the limit are refused
// before anything is allocated.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import { refuses } from './helpers.js';

describe('what a kept loss holds after backward', () => {
  it('the graph behind a kept loss releases its saved inputs at backward (PyTorch frees saved tensors)', () => {
    const W = A.param(T.zeros([784, 10]));
    const X = T.rand([64, 784], 1);
    const loss = L.sparseSoftmaxCrossEntropyWithLogits(
      T.tensor(
        Array.from({ length: 64 }, (_, i) => i % 10),
        { dtype: 'int32' },
      ),
      A.matmul(X, W),
    );
    const node = loss.node as A.Node;
    loss.backward();
    expect(node.inputs.length).toBe(0);
    expect(node.saved).toBeUndefined();
  });

  it('with retainGraph the graph is kept (and a second backward works)', () => {
    const w = A.param([1, 2]);
    const y = A.sum(A.mul(w, w));
    A.backward(y, { retainGraph: true });
    expect((y.node as A.Node).inputs.length).toBeGreaterThan(0);
    y.backward();
    expect(Array.from((w.grad as T.Tensor).values())).toEqual([4, 8]);
  });

  it('a broadcast that would need more than 2^28 elements is refused, not a RangeError', () => {
    refuses(() => A.add(T.zeros([20_000, 1]), T.zeros([1, 20_000])), 'INVALID_ARGUMENT', 'limit');
  });
});
