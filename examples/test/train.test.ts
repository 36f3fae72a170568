// Smoke tests: each example trains briefly (a subset, a couple of epochs),
// through its exported run(), and must lower its loss and beat chance clearly.
import { describe, expect, it } from 'vitest';
import { run as runSoftmax } from '../src/softmax-regression.js';
import { run as runLogistic } from '../src/logistic-regression.js';
import { run as runIris } from '../src/iris.js';
import { run as runMultiLabel } from '../src/multi-label.js';
import { run as runTour } from '../src/tour.js';
import type { History, Metrics } from '../src/lib/train.js';

const quiet = { quiet: true, outDir: null } as const;

function expectLossFalls(h: History<Metrics>): void {
  const first = h.epochs[0];
  const last = h.epochs[h.epochs.length - 1];
  expect(last.train.loss).toBeLessThan(first.train.loss * 0.7);
  expect(last.test.loss).toBeLessThan(first.test.loss * 0.7);
  // The per-batch curve falls too: the last tenth of the batches against the first tenth.
  const k = Math.max(1, Math.floor(h.batchLosses.length / 10));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(avg(h.batchLosses.slice(-k))).toBeLessThan(avg(h.batchLosses.slice(0, k)));
}

describe('examples train', () => {
  it('softmax regression on MNIST beats chance (0.1) by far', () => {
    const r = runSoftmax({ ...quiet, epochs: 2, trainSize: 2000 });
    expectLossFalls(r.history);
    expect(r.history.epochs).toHaveLength(3); // epoch 0 (untrained) + 2
    expect(r.history.epochs[0].test.loss).toBeCloseTo(Math.log(10), 10); // zero weights: uniform softmax
    expect(r.trainSize).toBe(2000);
    expect(r.testSize).toBe(2000);
    expect(r.testAccuracy).toBeGreaterThan(0.75);
  });

  it('the three softmax loss representations train the same model', () => {
    const a = runSoftmax({ ...quiet, epochs: 1, trainSize: 500, loss: 'sparse' });
    const b = runSoftmax({ ...quiet, epochs: 1, trainSize: 500, loss: 'onehot' });
    const c = runSoftmax({ ...quiet, epochs: 1, trainSize: 500, loss: 'probabilities' });
    expect(b.testLoss).toBeCloseTo(a.testLoss, 8);
    expect(c.testLoss).toBeCloseTo(a.testLoss, 6);
    expect(b.testAccuracy).toBe(a.testAccuracy);
  });

  it('logistic regression finds the 7s, and logits and probabilities agree', () => {
    const r = runLogistic({ ...quiet, epochs: 2, trainSize: 4000 });
    expectLossFalls(r.history);
    expect(r.baselineAccuracy).toBeGreaterThan(0.85); // ~89% of digits are not 7
    expect(r.testAccuracy).toBeGreaterThan(r.baselineAccuracy + 0.04);
    expect(r.testRecall).toBeGreaterThan(0.5);
    expect(r.agreement).not.toBeNull();
    expect(r.agreement!.maxLossDiff).toBeLessThan(1e-6);
    expect(r.agreement!.maxWeightDiff).toBeLessThan(1e-4);
    expect(r.agreement!.probabilitiesTestAccuracy).toBeCloseTo(r.testAccuracy, 2);
  });

  it('softmax regression on Iris beats chance (1/3) by far', () => {
    const r = runIris({ ...quiet, epochs: 20 });
    expectLossFalls(r.history);
    expect(r.trainSize).toBe(120);
    expect(r.testSize).toBe(30);
    expect(r.testAccuracy).toBeGreaterThan(0.8);
  });

  it('multi-label beats the all-negative baseline', () => {
    const r = runMultiLabel({ ...quiet, epochs: 2, trainSize: 2000 });
    expectLossFalls(r.history);
    expect(r.baseline.exactMatch).toBeLessThan(0.2); // only the 1s have none of the four properties
    expect(r.testAccuracy).toBeGreaterThan(r.baseline.exactMatch + 0.35);
    r.testPerLabel.forEach((acc, k) => expect(acc).toBeGreaterThan(r.baseline.perLabel[k] + 0.15));
    // The two ways to write the loss give the same number.
    const s = runMultiLabel({ ...quiet, epochs: 1, trainSize: 300, loss: 'sigmoid' });
    const m = runMultiLabel({ ...quiet, epochs: 1, trainSize: 300, loss: 'multilabel' });
    expect(s.testLoss).toBeCloseTo(m.testLoss, 10);
  });

  it('the same seed replays a run exactly; another seed gives another split', () => {
    const a = runSoftmax({ ...quiet, epochs: 1, trainSize: 300, seed: 5 });
    const b = runSoftmax({ ...quiet, epochs: 1, trainSize: 300, seed: 5 });
    const c = runSoftmax({ ...quiet, epochs: 1, trainSize: 300, seed: 6 });
    expect(b.history.batchLosses).toEqual(a.history.batchLosses);
    expect(b.testLoss).toBe(a.testLoss);
    expect(c.testLoss).not.toBe(a.testLoss);
  });
});

describe('tour', () => {
  it('the seven cross entropies agree, the single-output softmax is caught, the graph gradient is softmax − P', () => {
    const r = runTour({ quiet: true });
    expect(r.helpers).toHaveLength(7);
    expect(r.agree).toBe(true);
    expect(r.maxDifference).toBeLessThan(1e-12);
    for (const h of r.helpers) expect(h.value).toBeCloseTo(r.reference, 12);
    expect(r.chooser.map((c) => c.name)).toEqual([
      'binaryCrossentropy',
      'categoricalCrossentropy',
      'sparseCategoricalCrossentropy',
      'sigmoidCrossEntropyWithLogits',
      'softmaxCrossEntropyWithLogits',
      'sparseSoftmaxCrossEntropyWithLogits',
      'multiLabelCrossEntropy',
    ]);
    expect(r.singleClassSoftmax.loss).toBe(0);
    expect(r.singleClassSoftmax.maxAbsGradient).toBe(0);
    expect(r.singleClassSoftmax.errorCode).toBe('SINGLE_CLASS_SOFTMAX');
    expect(r.graphStep.maxGradientMismatch).toBeLessThan(1e-12);
    expect(r.graphStep.lossAfter).toBeLessThan(r.graphStep.lossBefore);
  });
});
