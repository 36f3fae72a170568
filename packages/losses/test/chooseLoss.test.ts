// chooseLoss follows the helper table (docs/DESIGN.md) and returns a function that runs.
import { describe, expect, it } from 'vitest';
import { XentError } from '@xent/tensor';
import * as L from '../src/index.js';
import { chooseLoss, type ChooseLossSpec, type LossName } from '../src/index.js';

const table: [ChooseLossSpec, LossName][] = [
  [{ classes: 2, predictions: 'probabilities', targets: 'indices' }, 'binaryCrossentropy'],
  [{ classes: 2, predictions: 'probabilities', targets: 'distributions' }, 'binaryCrossentropy'],
  [{ classes: 5, predictions: 'probabilities', targets: 'distributions' }, 'categoricalCrossentropy'],
  [{ classes: 5, predictions: 'probabilities', targets: 'indices' }, 'sparseCategoricalCrossentropy'],
  [{ classes: 2, predictions: 'logits', targets: 'indices' }, 'sigmoidCrossEntropyWithLogits'],
  [{ classes: 2, predictions: 'logits', targets: 'distributions' }, 'sigmoidCrossEntropyWithLogits'],
  [{ classes: 3, predictions: 'logits', targets: 'distributions' }, 'softmaxCrossEntropyWithLogits'],
  [{ classes: 10, predictions: 'logits', targets: 'indices' }, 'sparseSoftmaxCrossEntropyWithLogits'],
  [{ classes: 4, predictions: 'logits', targets: 'distributions', multiLabel: true }, 'multiLabelCrossEntropy'],
  [{ classes: 2, predictions: 'logits', targets: 'distributions', multiLabel: true }, 'multiLabelCrossEntropy'],
  [{ classes: 4, predictions: 'probabilities', targets: 'distributions', multiLabel: true }, 'binaryCrossentropy'],
];

describe('chooseLoss', () => {
  it.each(table)('%o → %s', (spec, name) => {
    const chosen = chooseLoss(spec);
    expect(chosen.name).toBe(name);
    expect(chosen.fn).toBe((L as unknown as Record<string, unknown>)[name]);
    expect(chosen.why.length).toBeGreaterThan(40);
  });

  it('the chosen function computes the loss', () => {
    const { fn } = chooseLoss({ classes: 3, predictions: 'logits', targets: 'indices' });
    expect(
      fn(
        [0, 2],
        [
          [2, 1, 0],
          [0, 1, 3],
        ],
      ),
    ).toBeAllClose(
      L.sparseSoftmaxCrossEntropyWithLogits(
        [0, 2],
        [
          [2, 1, 0],
          [0, 1, 3],
        ],
      ),
      { rtol: 0, atol: 0 },
    );
    const why = chooseLoss({ classes: 3, predictions: 'probabilities', targets: 'indices' }).why;
    expect(why).toMatch(/logits/); // it recommends logits for stability
  });

  it.each([
    [{ classes: 1, predictions: 'logits', targets: 'indices' }, /'classes' is 1.*classes: 2/],
    [{ classes: 2.5, predictions: 'logits', targets: 'indices' }, /whole number in \[2, ∞\)/],
    [{ classes: 3, predictions: 'scores', targets: 'indices' }, /'probabilities'.*'logits'/],
    [{ classes: 3, predictions: 'logits', targets: 'onehot' }, /'indices'.*'distributions'/],
    [{ classes: 3, predictions: 'logits', targets: 'indices', multiLabel: true }, /multi-hot/],
    [{ classes: 3, predictions: 'logits', targets: 'indices', multi_label: true }, /did you mean 'multiLabel'\?/],
    [{ classes: 3, predictions: 'logits', targets: 'indices', from_logits: true }, /did you mean 'predictions'\?/],
    [{ predictions: 'logits', targets: 'indices' }, /'classes' is undefined; it must be given/],
    [null, /options are an object/],
  ])('%o is INVALID_OPTION', (spec, msg) => {
    let err: unknown;
    try {
      chooseLoss(spec as unknown as ChooseLossSpec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XentError);
    expect((err as XentError).code).toBe('INVALID_OPTION');
    expect((err as XentError).message).toMatch(/^chooseLoss: /);
    expect((err as XentError).message).toMatch(msg);
  });

  it('null fields mean "not given" (multiLabel: null is false); getters are read', () => {
    expect(chooseLoss({ classes: 2, predictions: 'logits', targets: 'indices', multiLabel: null as never }).name).toBe(
      'sigmoidCrossEntropyWithLogits',
    );
    class Spec {
      get classes(): number {
        return 5;
      }
      get predictions(): 'logits' {
        return 'logits';
      }
      get targets(): 'distributions' {
        return 'distributions';
      }
    }
    expect(chooseLoss(new Spec()).name).toBe('softmaxCrossEntropyWithLogits');
  });
});
