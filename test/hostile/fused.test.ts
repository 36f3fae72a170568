// Hostile inputs, the fused cross-entropy ops of @xent/autograd called
// directly: their option objects (typos, snake_case, null, non-integers) and
// targets or weights that require a gradient (a documented design decision).
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import { expectClose, flat, refuses, softmaxCeRow, softmaxRow } from './helpers.js';

/** Poly-1 of one row: CE + ε·Σ p (1 − softmax(z)). */
const polyRow = (p: number[], z: number[], eps: number): number => {
  const q = softmaxRow(z);
  return softmaxCeRow(p, z) + eps * p.reduce((s, pc, c) => s + pc * (1 - q[c]), 0);
};

describe('the fused ops read their options through the shared validator', () => {
  it('polyCrossEntropyWithLogits { polyEps: 1 } (a typo) is INVALID_OPTION, not silently ε = 2', () => {
    refuses(
      () => A.polyCrossEntropyWithLogits([[0.5, 0.5]], [[1, 2]], { polyEps: 1 } as never),
      'INVALID_OPTION',
      "'polyEps'",
      'polyEpsilon',
    );
  });
  it.each([-1, 0, 1, 2, 1e3])('polyCrossEntropyWithLogits with ε = %s matches the row formula', (eps) => {
    expectClose(A.polyCrossEntropyWithLogits([[0.2, 0.8]], [[1, -2]], { polyEpsilon: eps }), [polyRow([0.2, 0.8], [1, -2], eps)], 1e-12);
  });
  it('polyCrossEntropyWithLogits options null is INVALID_OPTION, not a TypeError', () => {
    refuses(() => A.polyCrossEntropyWithLogits([[0.5, 0.5]], [[1, 2]], null as never), 'INVALID_OPTION');
  });
  it("sparseSoftmaxCrossEntropyWithLogits { ignore_index: 0 } suggests 'ignoreIndex' (it used to be ignored: the padding row counted)", () => {
    refuses(
      () =>
        A.sparseSoftmaxCrossEntropyWithLogits(
          [0, 1],
          [
            [1, 2],
            [1, 2],
          ],
          { ignore_index: 0 } as never,
        ),
      'INVALID_OPTION',
      "'ignoreIndex'",
    );
  });
  it('sparseSoftmaxCrossEntropyWithLogits { ignoreIndex: 0.5 } is INVALID_OPTION (no label can equal it)', () => {
    refuses(
      () =>
        A.sparseSoftmaxCrossEntropyWithLogits(
          [0, 1],
          [
            [1, 2],
            [1, 2],
          ],
          { ignoreIndex: 0.5 },
        ),
      'INVALID_OPTION',
      'ignoreIndex',
    );
  });
  it('ignoreIndex: 0 zeroes the rows labelled 0 and keeps the others', () => {
    expectClose(
      A.sparseSoftmaxCrossEntropyWithLogits(
        [0, 1],
        [
          [1, 2],
          [1, 2],
        ],
        { ignoreIndex: 0 },
      ),
      [0, softmaxCeRow([0, 1], [1, 2])],
      1e-15,
    );
  });
});

describe('targets and weights that require a gradient (design: docs/DESIGN.md, "targets are not differentiable (null)")', () => {
  // PyTorch would differentiate soft targets; xent's contract makes targets and option
  // weights constants, and its own tests pin that down (packages/autograd/test/fused.test.ts,
  // packages/losses/test/options.test.ts). These probes record the behaviour so that a
  // change to it is a decision, not an accident: the logits' gradient is the usual one.
  it('a param as soft targets: the logits get softmax(z) − p, the targets get no .grad', () => {
    const u = A.param(T.tensor([[0.3, 0.7]]));
    const z = A.param(T.tensor([[1, 2]]));
    L.softmaxCrossEntropyWithLogits(u, z, { reduction: 'sum' }).backward();
    expect(u.grad).toBeNull();
    const q = softmaxRow([1, 2]);
    expectClose(z.grad!, [q[0] - 0.3, q[1] - 0.7], 1e-15);
  });
  it('valueAndGrad over the targets of the fused op gives zeros', () => {
    const { grads } = A.valueAndGrad((p: T.Tensor, v: T.Tensor) => A.sum(A.sigmoidCrossEntropyWithLogits(p, v)))([0.5, 1], [1, -1]);
    expect(flat(grads[0])).toEqual([0, 0]);
  });
});
