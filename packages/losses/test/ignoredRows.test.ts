// Rows whose label is ignoreIndex are padding: whatever their predictions hold (NaN, ±∞, a row
// that is no distribution) must not reach the loss or the gradient, on every path of the sparse
// losses — PyTorch masks them (nll_loss skips them; label smoothing masked_fill's them). The fused
// path (logits, no smoothing) always skipped them; label smoothing and probabilities computed
// 0·log q = NaN on them, and probabilities were refused for rows nobody reads.
import { describe, expect, it } from 'vitest';
import { valueAndGrad } from '@xent/autograd';
import { readFlat, tensor, type Tensor } from '@xent/tensor';
import * as L from '../src/index.js';

const KEPT_LOGITS = [
  [0.5, 2, -1],
  [1, 0, 0.25],
];
const KEPT_PROBS = [
  [0.2, 0.5, 0.3],
  [0.6, 0.1, 0.3],
];
const LABELS = [1, 2];
const flat = (t: Tensor) => Array.from(readFlat(t));

type Case = [string, (labels: number[], x: Tensor) => Tensor, number[][]];
const CASES: Case[] = [
  [
    'logits, label smoothing',
    (y, z) => L.sparseSoftmaxCrossEntropyWithLogits(y, z, { ignoreIndex: -100, labelSmoothing: 0.1, reduction: 'sum' }),
    KEPT_LOGITS,
  ],
  [
    'logits, label smoothing and class weights, mean',
    (y, z) => L.sparseSoftmaxCrossEntropyWithLogits(y, z, { ignoreIndex: -100, labelSmoothing: 0.2, classWeights: [1, 2, 3] }),
    KEPT_LOGITS,
  ],
  [
    'logits, class weights',
    (y, z) => L.sparseSoftmaxCrossEntropyWithLogits(y, z, { ignoreIndex: -100, classWeights: [1, 2, 3] }),
    KEPT_LOGITS,
  ],
  ['probabilities', (y, p) => L.sparseCategoricalCrossentropy(y, p, { ignoreIndex: -100, reduction: 'sum' }), KEPT_PROBS],
  [
    'probabilities, label smoothing',
    (y, p) => L.sparseCategoricalCrossentropy(y, p, { ignoreIndex: -100, labelSmoothing: 0.1 }),
    KEPT_PROBS,
  ],
];
const PADDING = [
  [NaN, 0, 1],
  [Infinity, 0, 0],
  [-Infinity, -Infinity, -Infinity],
  [0, 0, 0],
];

describe('ignored rows: their predictions reach neither the loss nor the gradient', () => {
  it.each(CASES)('%s', (_name, loss, kept) => {
    const reference = valueAndGrad((x: Tensor) => loss(LABELS, x))(tensor(kept));
    for (const pad of PADDING) {
      // the padding row first, the kept rows after it
      const { value, grads } = valueAndGrad((x: Tensor) => loss([-100, ...LABELS], x))(tensor([pad, ...kept]));
      expect(flat(value)[0]).toBeCloseTo(flat(reference.value)[0], 13);
      const g = flat(grads[0]);
      expect(g.slice(0, 3)).toEqual([0, 0, 0]);
      g.slice(3).forEach((v, i) => expect(v).toBeCloseTo(flat(reference.grads[0])[i], 13));
    }
  });

  it("'none' gives 0 on the ignored row", () => {
    const out = L.sparseSoftmaxCrossEntropyWithLogits([-100, 1], [[NaN, 0, 1], KEPT_LOGITS[0]], {
      ignoreIndex: -100,
      labelSmoothing: 0.1,
      reduction: 'none',
    });
    expect(flat(out)[0]).toBe(0);
    expect(Number.isFinite(flat(out)[1])).toBe(true);
  });

  it('kept rows are still checked: a kept probability row that is no distribution is NOT_PROBABILITIES', () => {
    expect(() =>
      L.sparseCategoricalCrossentropy(
        [-100, 1],
        [
          [0, 0, 0],
          [0.5, 0.6, 0],
        ],
        { ignoreIndex: -100 },
      ),
    ).toThrow(/row \[1\] sums to 1\.1/);
  });
});
