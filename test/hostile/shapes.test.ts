// Hostile inputs, odd shapes: scalars, empty batches, empty and single-class
// axes, trailing axes of 1, shapes that cannot broadcast, class axes given by
// `axis`, rank mismatches. Right answers are checked against naive loops;
// everything else must be an XentError that names both shapes.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import { expectClose, flat, refuses, sigmoidCeRef, softmaxCeRow } from './helpers.js';

describe('empty and single-class axes', () => {
  it.each([
    ['softmaxCrossEntropyWithLogits', () => L.softmaxCrossEntropyWithLogits(T.zeros([2, 0]), T.zeros([2, 0]))],
    ['categoricalCrossentropy', () => L.categoricalCrossentropy(T.zeros([2, 0]), T.zeros([2, 0]))],
    ['crossEntropy', () => L.crossEntropy(T.zeros([2, 0]), T.zeros([2, 0]))],
    ['sparseSoftmaxCrossEntropyWithLogits', () => L.sparseSoftmaxCrossEntropyWithLogits([0, 0], T.zeros([2, 0]))],
  ])('%s over an empty class axis [2, 0] is refused (a row with no classes)', (name, f) => {
    refuses(f, undefined, name);
  });

  it.each([
    ['softmaxCrossEntropyWithLogits', () => L.softmaxCrossEntropyWithLogits([[1], [1]], [[0.3], [2]])],
    ['categoricalCrossentropy', () => L.categoricalCrossentropy([[1], [1]], [[1], [1]])],
    ['sparseSoftmaxCrossEntropyWithLogits', () => L.sparseSoftmaxCrossEntropyWithLogits([0, 0], [[0.3], [2]])],
    ['sparseCategoricalCrossentropy', () => L.sparseCategoricalCrossentropy([0, 0], [[1], [1]])],
  ])('%s over a single class is SINGLE_CLASS_SOFTMAX (always loss 0)', (name, f) => {
    refuses(f, 'SINGLE_CLASS_SOFTMAX', name);
  });

  it.each([
    ['sparse', () => L.sparseSoftmaxCrossEntropyWithLogits(T.zeros([0], 'int32'), T.zeros([0, 3]))],
    ['dense', () => L.softmaxCrossEntropyWithLogits(T.zeros([0, 3]), T.zeros([0, 3]))],
    ['binary', () => L.binaryCrossentropy(T.zeros([0]), T.zeros([0]))],
    ['sigmoid', () => L.sigmoidCrossEntropyWithLogits(T.zeros([0, 2]), T.zeros([0, 2]))],
  ])('an empty batch (%s) gives 0 with the mean reduction (nothing counted) or a refusal', (_what, f) => {
    let v: number;
    try {
      v = f().item();
    } catch (e) {
      refuses(() => {
        throw e;
      });
      return;
    }
    expect(v).toBe(0);
  });

  it('the gradient of an empty batch is empty, not an error', () => {
    const { grads } = A.valueAndGrad((z: T.Tensor) => L.sparseSoftmaxCrossEntropyWithLogits(T.zeros([0], 'int32'), z))(T.zeros([0, 3]));
    expect(grads[0].shape).toEqual([0, 3]);
  });
});

describe('targets against predictions of another shape', () => {
  it.each([
    ['binaryCrossentropy', () => L.binaryCrossentropy([1, 0, 1], [0.5, 0.5])],
    ['sigmoidCrossEntropyWithLogits', () => L.sigmoidCrossEntropyWithLogits([[1, 0]], [[0.1, 0.2, 0.3]])],
    ['softmaxCrossEntropyWithLogits', () => L.softmaxCrossEntropyWithLogits([[1, 0, 0]], [[0.1, 0.2]])],
    [
      'categoricalCrossentropy',
      () =>
        L.categoricalCrossentropy(
          [[1, 0]],
          [
            [0.5, 0.5],
            [0.5, 0.5],
          ],
        ),
    ],
    ['sparseSoftmaxCrossEntropyWithLogits', () => L.sparseSoftmaxCrossEntropyWithLogits([0, 1, 1], [[0.1, 0.2]])],
    [
      'sparseSoftmaxCrossEntropyWithLogits',
      () =>
        L.sparseSoftmaxCrossEntropyWithLogits(
          [[0, 1]],
          [
            [0.1, 0.2],
            [1, 2],
          ],
        ),
    ],
    ['multiLabelCrossEntropy', () => L.multiLabelCrossEntropy([[1, 0, 1]], [[0.1, 0.2]])],
    ['crossEntropy', () => L.crossEntropy([0.5, 0.5], [[0.5, 0.5]])],
    ['klDivergence', () => L.klDivergence([[0.5, 0.5]], [[0.2, 0.3, 0.5]])],
  ])('%s refuses targets of another shape (SHAPE_MISMATCH)', (name, f) => {
    refuses(f, 'SHAPE_MISMATCH', name);
  });

  it('targets [N] against predictions [N, 1] are accepted (Keras) and equal the [N, 1] case', () => {
    const a = L.binaryCrossentropy([1, 0], [[0.9], [0.2]]);
    const b = L.binaryCrossentropy([[1], [0]], [[0.9], [0.2]]);
    expectClose(a, flat(b)[0], 1e-15);
    expectClose(b, (-Math.log(0.9) - Math.log(0.8)) / 2, 1e-12);
  });

  it('sparse labels with a trailing axis of 1 equal flat labels', () => {
    const z = [
      [1, 2, 3],
      [3, 2, 1],
    ];
    expectClose(
      L.sparseSoftmaxCrossEntropyWithLogits([[2], [0]], z),
      (softmaxCeRow([0, 0, 1], z[0]) + softmaxCeRow([1, 0, 0], z[1])) / 2,
      1e-12,
    );
  });

  it('scalar (rank-0) binary inputs are one example', () => {
    expectClose(L.sigmoidCrossEntropyWithLogits(1, 0.3), sigmoidCeRef(1, 0.3), 1e-15);
    expectClose(L.binaryCrossentropy(0, 0.25), -Math.log(0.75), 1e-12);
  });

  it('a rank-0 logit for a softmax loss is refused', () => {
    refuses(() => L.softmaxCrossEntropyWithLogits(1, 0.3), undefined, 'softmaxCrossEntropyWithLogits');
  });
});

describe('the class axis given by axis', () => {
  const z = [
    [1, 4],
    [2, 5],
    [3, 6],
  ];
  it('axis 0 over [C, N] equals the default over the transpose', () => {
    const y = [
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    const byAxis = L.softmaxCrossEntropyWithLogits(y, z, { axis: 0, reduction: 'none' });
    const ref = [softmaxCeRow([1, 0, 0], [1, 2, 3]), softmaxCeRow([0, 1, 0], [4, 5, 6])];
    expectClose(byAxis, ref, 1e-12);
  });

  it.each([2, -3, 1.5, '1'])('axis %s out of range (or not a whole number) is refused', (axis) => {
    refuses(() => L.softmaxCrossEntropyWithLogits([[1, 0]], [[1, 2]], { axis: axis as never }));
  });
});

describe('ops on odd shapes', () => {
  it.each([
    ['add [2, 3] + [3, 2]', () => A.add(T.zeros([2, 3]), T.zeros([3, 2]))],
    ['mul [4] * [3]', () => A.mul(T.zeros([4]), T.zeros([3]))],
    ['matmul [2, 3] @ [2, 3]', () => A.matmul(T.zeros([2, 3]), T.zeros([2, 3]))],
    ['matmul [3] @ [3]', () => A.matmul(T.zeros([3]), T.zeros([3]))],
    ['reshape [6] → [4]', () => A.reshape(T.zeros([6]), [4])],
    ['reshape [6] → [-1, -1]', () => A.reshape(T.zeros([6]), [-1, -1])],
    ['broadcastTo [3] → [2, 2]', () => A.broadcastTo(T.zeros([3]), [2, 2])],
    ['concat [2, 3] with [2, 2] on axis 0', () => A.concat([T.zeros([2, 3]), T.zeros([2, 2])])],
    ['squeeze axis of size 2', () => A.squeeze(T.zeros([2, 3]), 0)],
    ['where with a mismatched condition', () => A.where(T.tensor([1, 0, 1, 0]), T.zeros([3]), T.zeros([3]))],
  ])('%s is SHAPE_MISMATCH naming the shapes', (_what, f) => {
    refuses(f, 'SHAPE_MISMATCH', /\[/);
  });

  it.each([
    ['sum axis 2 of a matrix', () => A.sum(T.zeros([2, 3]), 2)],
    ['softmax axis -3 of a matrix', () => A.softmax(T.zeros([2, 3]), -3)],
    ['logSumExp axis 5', () => A.logSumExp(T.zeros([2, 3]), 5)],
    ['expandDims axis 4', () => A.expandDims(T.zeros([2, 3]), 4)],
    ['transpose with a repeated axis', () => A.transpose(T.zeros([2, 3]), [1, 1])],
    ['gather axis 3', () => A.gather(T.zeros([2, 3]), [0], 3)],
  ])('%s is refused naming the axis', (_what, f) => {
    refuses(f);
  });

  it('sum over an empty axis is 0, mean of a [0] tensor is NaN (0/0, as NumPy/PyTorch), max of it is refused', () => {
    expectClose(A.sum(T.zeros([0])), 0);
    expect(Number.isNaN(A.mean(T.zeros([0])).item())).toBe(true);
    refuses(() => A.max(T.zeros([0])), undefined, 'max');
  });

  it('broadcasting [3, 1] + [1, 4] gives the outer sum, and the gradient sums back', () => {
    const { value, grads } = A.valueAndGrad((a: T.Tensor, b: T.Tensor) => A.sum(A.add(a, b)))([[1], [2], [3]], [[10, 20, 30, 40]]);
    expectClose(value, 4 * 6 + 3 * 100);
    expectClose(grads[0], [4, 4, 4]);
    expectClose(grads[1], [3, 3, 3, 3]);
  });

  it('a rank-32 tensor works end to end', () => {
    const shape = new Array<number>(32).fill(1);
    const { value, grads } = A.valueAndGrad((t: T.Tensor) => A.sum(A.mul(t, t)))(T.full(shape, 3));
    expectClose(value, 9);
    expectClose(grads[0], [6]);
  });

  it('matmul of [2, 0] @ [0, 3] is a [2, 3] of zeros', () => {
    const m = A.matmul(T.zeros([2, 0]), T.zeros([0, 3]));
    expect(m.shape).toEqual([2, 3]);
    expectClose(m, [0, 0, 0, 0, 0, 0]);
  });

  it('gather with indices out of range is LABEL_OUT_OF_RANGE', () => {
    refuses(() => A.gather(T.zeros([3]), [3]), 'LABEL_OUT_OF_RANGE', 'gather');
    refuses(() => A.gather(T.zeros([3]), [0.5]), 'LABEL_OUT_OF_RANGE', 'gather');
  });
});
