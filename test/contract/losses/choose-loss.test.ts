// Contract §4 chooseLoss: the whole table (name), the returned fn is that loss (same numbers on the same
// inputs), and `why` is a non-empty sentence; specs it cannot serve are INVALID_OPTION.
import { describe, expect, it } from 'vitest';
import { chooseLoss } from '@xent/losses';
import { tensor } from '@xent/tensor';
import { expectClose, read, refusal, xentLoss, type LossName, type Nested } from './reference.js';
import { LABELS, P3, PB, Y3, YB, Z3, ZB } from './data.js';

type Spec = Parameters<typeof chooseLoss>[0];

/** Inputs each loss accepts, to run fn and the named loss side by side. */
const INPUTS: Partial<Record<LossName, { targets: () => unknown; predictions: Nested }>> = {
  binaryCrossentropy: { targets: () => YB, predictions: PB },
  categoricalCrossentropy: { targets: () => Y3, predictions: P3 },
  sparseCategoricalCrossentropy: { targets: () => tensor(LABELS, { dtype: 'int32' }), predictions: P3 },
  sigmoidCrossEntropyWithLogits: { targets: () => YB, predictions: ZB },
  softmaxCrossEntropyWithLogits: { targets: () => Y3, predictions: Z3 },
  sparseSoftmaxCrossEntropyWithLogits: { targets: () => tensor(LABELS, { dtype: 'int32' }), predictions: Z3 },
  multiLabelCrossEntropy: { targets: () => YB, predictions: ZB },
};

const TABLE: [Spec, LossName][] = [
  [{ classes: 2, predictions: 'probabilities', targets: 'distributions' }, 'binaryCrossentropy'],
  [{ classes: 2, predictions: 'probabilities', targets: 'indices' }, 'binaryCrossentropy'],
  [{ classes: 3, predictions: 'probabilities', targets: 'distributions' }, 'categoricalCrossentropy'],
  [{ classes: 10, predictions: 'probabilities', targets: 'distributions' }, 'categoricalCrossentropy'],
  [{ classes: 3, predictions: 'probabilities', targets: 'indices' }, 'sparseCategoricalCrossentropy'],
  [{ classes: 10, predictions: 'probabilities', targets: 'indices' }, 'sparseCategoricalCrossentropy'],
  [{ classes: 2, predictions: 'logits', targets: 'distributions' }, 'sigmoidCrossEntropyWithLogits'],
  [{ classes: 2, predictions: 'logits', targets: 'indices' }, 'sigmoidCrossEntropyWithLogits'],
  [{ classes: 3, predictions: 'logits', targets: 'distributions' }, 'softmaxCrossEntropyWithLogits'],
  [{ classes: 10, predictions: 'logits', targets: 'distributions' }, 'softmaxCrossEntropyWithLogits'],
  [{ classes: 3, predictions: 'logits', targets: 'indices' }, 'sparseSoftmaxCrossEntropyWithLogits'],
  [{ classes: 10, predictions: 'logits', targets: 'indices' }, 'sparseSoftmaxCrossEntropyWithLogits'],
  [{ classes: 5, predictions: 'logits', targets: 'distributions', multiLabel: true }, 'multiLabelCrossEntropy'],
  [{ classes: 2, predictions: 'logits', targets: 'distributions', multiLabel: true }, 'multiLabelCrossEntropy'],
  // README: several labels per example on probabilities is the per-example mean of binary cross entropies
  [{ classes: 5, predictions: 'probabilities', targets: 'distributions', multiLabel: true }, 'binaryCrossentropy'],
];

describe('chooseLoss', () => {
  for (const [spec, name] of TABLE) {
    it(`${JSON.stringify(spec)} → ${name}`, () => {
      const chosen = chooseLoss(spec);
      expect(chosen.name).toBe(name);
      expect(typeof chosen.why).toBe('string');
      expect(chosen.why.trim().length).toBeGreaterThan(10);
      const { targets, predictions } = INPUTS[name]!;
      for (const reduction of ['mean', 'none'] as const) {
        const viaFn = read(chosen.fn(targets() as never, tensor(predictions), { reduction }));
        expectClose(viaFn, read(xentLoss(name)(targets(), tensor(predictions), { reduction })), { rtol: 0, atol: 0 });
      }
    });
  }

  it('says why differently for different choices', () => {
    const whys = new Set(TABLE.map(([spec]) => chooseLoss(spec).why));
    expect(whys.size).toBeGreaterThanOrEqual(7);
  });

  it('refuses what it cannot serve: several labels as indices, fewer than 2 classes, unknown values', () => {
    refusal(() => chooseLoss({ classes: 5, predictions: 'logits', targets: 'indices', multiLabel: true }), 'INVALID_OPTION');
    refusal(() => chooseLoss({ classes: 1, predictions: 'logits', targets: 'indices' }), 'INVALID_OPTION');
    refusal(() => chooseLoss({ classes: 3, predictions: 'scores' as never, targets: 'indices' }), 'INVALID_OPTION');
    refusal(() => chooseLoss({ classes: 3, predictions: 'logits', targets: 'onehot' as never }), 'INVALID_OPTION');
  });
});
