// Contract §4 identities and input forms: sparse = categorical on one-hot targets (value and gradient, for the
// options where both agree), a trailing label axis of 1, nested arrays for targets and predictions, labels as
// whole-number floats, multiLabelCrossEntropy's fromLogits default, and the logits losses agreeing with their
// Keras-style helper under fromLogits.
import { describe, expect, it } from 'vitest';
import { tensor } from '@xent/tensor';
import { LABELS, ONE_HOT, P3, PB, Y3, YB, Z3, ZB } from './data.js';
import { expectClose, read, xentValueAndGrad, xentLoss, type LossName, type Nested, type Opts } from './reference.js';

const int = (x: Nested) => tensor(x, { dtype: 'int32' });

describe('sparseCategoricalCrossentropy(y, q) = categoricalCrossentropy(onehot(y), q), value and gradient', () => {
  const optionSets: Opts[] = [
    {},
    { reduction: 'sum' },
    { reduction: 'none' },
    { reduction: 'sum_over_batch_size' },
    { labelSmoothing: 0.2 },
    { epsilon: 0.15 },
    { sampleWeight: [1, 0.5, 2, 3] },
    { classWeights: [2, 0.5, 1], reduction: 'sum' }, // under 'mean' the divisors differ by design (Σc_y vs N)
    { classWeights: [2, 0.5, 1], labelSmoothing: 0.3, reduction: 'none' },
  ];
  for (const o of optionSets) {
    for (const fromLogits of o.epsilon === undefined ? [false, true] : [false]) {
      it(`${JSON.stringify(o)}${fromLogits ? ', fromLogits' : ''}`, () => {
        const p = fromLogits ? Z3 : P3;
        const opts = { ...o, fromLogits };
        const sparse = xentValueAndGrad('sparseCategoricalCrossentropy', int(LABELS), p, opts);
        const dense = xentValueAndGrad('categoricalCrossentropy', tensor(ONE_HOT), p, opts);
        expectClose(sparse.value, dense.value, { rtol: 1e-12, atol: 1e-14 });
        expectClose(sparse.grad, dense.grad, { rtol: 1e-12, atol: 1e-14 }, 'gradient');
      });
    }
  }

  it('also for probabilities whose rows sum to 1 within the 1e-3 tolerance (q divided by its sum)', () => {
    const p = P3.map((r) => r.map((v) => v * 1.0008));
    const sparse = xentValueAndGrad('sparseCategoricalCrossentropy', int(LABELS), p, {});
    const dense = xentValueAndGrad('categoricalCrossentropy', tensor(ONE_HOT), p, {});
    expectClose(sparse.value, dense.value, { rtol: 1e-12, atol: 1e-14 });
    expectClose(sparse.grad, dense.grad, { rtol: 1e-12, atol: 1e-14 }, 'gradient');
    // and the scale cancels: the value is that of the exact distributions
    expectClose(sparse.value, xentValueAndGrad('sparseCategoricalCrossentropy', int(LABELS), P3, {}).value, { rtol: 1e-12 });
  });

  it('sparseSoftmaxCrossEntropyWithLogits = softmaxCrossEntropyWithLogits on one-hot targets', () => {
    for (const o of [{}, { labelSmoothing: 0.1 }, { classWeights: [1, 2, 3], reduction: 'none' }] as Opts[]) {
      const sparse = xentValueAndGrad('sparseSoftmaxCrossEntropyWithLogits', int(LABELS), Z3, o);
      const dense = xentValueAndGrad('softmaxCrossEntropyWithLogits', tensor(ONE_HOT), Z3, o);
      expectClose(sparse.value, dense.value, { rtol: 1e-12, atol: 1e-14 });
      expectClose(sparse.grad, dense.grad, { rtol: 1e-12, atol: 1e-14 }, 'gradient');
    }
  });
});

describe('the logits losses are their helpers with fromLogits', () => {
  const pairs: [LossName, LossName, Nested, Nested, boolean][] = [
    ['softmaxCrossEntropyWithLogits', 'categoricalCrossentropy', Y3, Z3, false],
    ['sparseSoftmaxCrossEntropyWithLogits', 'sparseCategoricalCrossentropy', LABELS, Z3, true],
  ];
  for (const [logitsLoss, helper, t, z, integer] of pairs) {
    it(`${logitsLoss} = ${helper}({ fromLogits: true })`, () => {
      const targets = integer ? int(t) : tensor(t);
      for (const reduction of ['mean', 'none'] as const) {
        const a = xentValueAndGrad(logitsLoss, targets, z, { reduction });
        const b = xentValueAndGrad(helper, targets, z, { reduction, fromLogits: true });
        expectClose(a.value, b.value, { rtol: 1e-12, atol: 1e-14 });
        expectClose(a.grad, b.grad, { rtol: 1e-12, atol: 1e-14 }, 'gradient');
      }
    });
  }

  it('binaryCrossentropy({ fromLogits: true }) = the per-example mean of sigmoidCrossEntropyWithLogits', () => {
    const a = xentValueAndGrad('binaryCrossentropy', tensor(YB), ZB, { fromLogits: true, reduction: 'none' });
    const b = read(xentLoss('sigmoidCrossEntropyWithLogits')(YB, ZB, { reduction: 'none' }));
    expectClose(a.value, { data: [0, 1, 2, 3].map((i) => (b.data[2 * i]! + b.data[2 * i + 1]!) / 2), shape: [4] });
  });

  it('multiLabelCrossEntropy defaults to fromLogits: true', () => {
    const byDefault = xentValueAndGrad('multiLabelCrossEntropy', tensor(YB), ZB, {});
    const explicit = xentValueAndGrad('multiLabelCrossEntropy', tensor(YB), ZB, { fromLogits: true });
    expectClose(byDefault.value, explicit.value, { rtol: 0, atol: 0 });
    // on probabilities with fromLogits: false it is binaryCrossentropy
    const probs = xentValueAndGrad('multiLabelCrossEntropy', tensor(YB), PB, { fromLogits: false });
    const bce = xentValueAndGrad('binaryCrossentropy', tensor(YB), PB, {});
    expectClose(probs.value, bce.value, { rtol: 1e-12 });
    expectClose(probs.grad, bce.grad, { rtol: 1e-12 }, 'gradient');
    // and PB read as logits gives a different number: the default really is logits
    expect(Math.abs(xentValueAndGrad('multiLabelCrossEntropy', tensor(YB), PB, {}).value.data[0]! - bce.value.data[0]!)).toBeGreaterThan(
      1e-3,
    );
  });

  it('polyCrossEntropyWithLogits with polyEpsilon 0 is softmaxCrossEntropyWithLogits', () => {
    const a = xentValueAndGrad('polyCrossEntropyWithLogits', tensor(Y3), Z3, { polyEpsilon: 0, reduction: 'none' });
    const b = xentValueAndGrad('softmaxCrossEntropyWithLogits', tensor(Y3), Z3, { reduction: 'none' });
    expectClose(a.value, b.value, { rtol: 1e-12 });
    expectClose(a.grad, b.grad, { rtol: 1e-12, atol: 1e-15 }, 'gradient');
  });
});

describe('label shapes and label types', () => {
  const column = LABELS.map((y) => [y]);
  for (const name of ['sparseSoftmaxCrossEntropyWithLogits', 'sparseCategoricalCrossentropy'] as const) {
    const p = name === 'sparseCategoricalCrossentropy' ? P3 : Z3;
    it(`${name}: labels [N, 1] are accepted and equal labels [N]`, () => {
      for (const reduction of ['mean', 'none'] as const) {
        const a = xentValueAndGrad(name, int(column), p, { reduction });
        const b = xentValueAndGrad(name, int(LABELS), p, { reduction });
        expectClose(a.value, b.value, { rtol: 0, atol: 0 });
        expectClose(a.grad, b.grad, { rtol: 0, atol: 0 }, 'gradient');
      }
    });

    it(`${name}: whole-number float labels equal int32 labels`, () => {
      const a = xentValueAndGrad(name, tensor(LABELS), p, { classWeights: [1, 2, 3] });
      const b = xentValueAndGrad(name, int(LABELS), p, { classWeights: [1, 2, 3] });
      expectClose(a.value, b.value, { rtol: 0, atol: 0 });
      expectClose(a.grad, b.grad, { rtol: 0, atol: 0 }, 'gradient');
    });

    it(`${name}: labels [2, 2, 1] for predictions [2, 2, 3]`, () => {
      const labels = [
        [[1], [0]],
        [[2], [1]],
      ];
      const preds = [p.slice(0, 2), p.slice(2)];
      const a = read(xentLoss(name)(int(labels), tensor(preds), { reduction: 'none' }));
      const b = read(xentLoss(name)(int(LABELS), tensor(p), { reduction: 'none' }));
      expectClose(a, { data: b.data, shape: [2, 2] }, { rtol: 1e-14, atol: 0 });
    });
  }
});

describe('targets and predictions as nested arrays give what Tensors give', () => {
  const cases: [LossName, Nested, Nested, Opts?][] = [
    ['binaryCrossentropy', YB, PB],
    ['categoricalCrossentropy', Y3, P3, { labelSmoothing: 0.1 }],
    ['sparseCategoricalCrossentropy', LABELS, P3],
    ['sigmoidCrossEntropyWithLogits', YB, ZB, { reduction: 'none' }],
    ['softmaxCrossEntropyWithLogits', Y3, Z3],
    ['sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { reduction: 'none' }],
    ['multiLabelCrossEntropy', YB, ZB],
    ['crossEntropy', Y3, P3],
    ['polyCrossEntropyWithLogits', Y3, Z3],
    ['binaryFocalCrossentropy', YB, PB],
    ['categoricalFocalCrossentropy', Y3, P3],
    ['klDivergence', Y3, P3],
  ];
  for (const [name, t, p, o] of cases) {
    it(name, () => {
      const fn = xentLoss(name);
      const fromTensors = read(fn(name.startsWith('sparse') ? int(t) : tensor(t), tensor(p), o));
      expectClose(read(fn(t, p, o)), fromTensors, { rtol: 0, atol: 0 }, 'both nested');
      expectClose(read(fn(t, tensor(p), o)), fromTensors, { rtol: 0, atol: 0 }, 'nested targets');
      if (!name.startsWith('sparse')) expectClose(read(fn(tensor(t), p, o)), fromTensors, { rtol: 0, atol: 0 }, 'nested predictions');
    });
  }
});
