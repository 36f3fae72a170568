// Contract §4: every loss and every option it documents, value AND gradient with respect to the predictions,
// against naive float64 loops of the formulas (reference.ts) and Richardson-extrapolated central differences.
import { describe, it } from 'vitest';
import { expectMatchesReference, type LossName, type Nested, type Opts } from './reference.js';
import { LABELS, LABELS_AXIS1, P3, PB, P_AXIS1, Y3, YB, Y_AXIS1, Z3, ZB, Z_AXIS1 } from './data.js';

interface Case {
  what: string;
  targets: Nested;
  predictions: Nested;
  opts?: Opts;
  integer?: boolean;
}

const REDUCTIONS = ['mean', 'sum', 'none', 'sum_over_batch_size'] as const;
const withReductions = (c: Case): Case[] => REDUCTIONS.map((r) => ({ ...c, what: `${c.what}, ${r}`, opts: { ...c.opts, reduction: r } }));

const CASES: Record<LossName, Case[]> = {
  binaryCrossentropy: [
    ...withReductions({ what: 'probabilities', targets: YB, predictions: PB }),
    { what: 'default reduction', targets: YB, predictions: PB },
    { what: 'fromLogits', targets: YB, predictions: ZB, opts: { fromLogits: true } },
    { what: 'fromLogits false given', targets: YB, predictions: PB, opts: { fromLogits: false } },
    { what: 'labelSmoothing 0.2 (y(1−ε) + ε/2)', targets: YB, predictions: PB, opts: { labelSmoothing: 0.2, reduction: 'none' } },
    { what: 'labelSmoothing with logits', targets: YB, predictions: ZB, opts: { labelSmoothing: 0.1, fromLogits: true } },
    { what: 'classWeights (one per output unit)', targets: YB, predictions: PB, opts: { classWeights: [0.5, 2], reduction: 'none' } },
    { what: 'classWeights stay out of the mean divisor', targets: YB, predictions: PB, opts: { classWeights: [0.5, 2] } },
    { what: 'epsilon clips q to [ε, 1−ε]', targets: YB, predictions: PB, opts: { epsilon: 0.12, reduction: 'none' } },
    { what: '1-D input: one example per element', targets: [1, 0, 0.4], predictions: [0.8, 0.3, 0.55], opts: { reduction: 'none' } },
    { what: '1-D input, mean', targets: [1, 0, 0.4], predictions: [0.8, 0.3, 0.55] },
    {
      what: 'rank 3: mean over the last axis',
      targets: [YB, YB],
      predictions: [PB, PB.map((r) => [...r].reverse())],
      opts: { reduction: 'none' },
    },
    { what: 'sampleWeight per example', targets: YB, predictions: PB, opts: { sampleWeight: [1, 0.5, 2, 0], reduction: 'none' } },
    { what: 'sampleWeight in the mean divisor', targets: YB, predictions: PB, opts: { sampleWeight: [1, 0.5, 2, 0] } },
  ],
  categoricalCrossentropy: [
    ...withReductions({ what: 'soft targets', targets: Y3, predictions: P3 }),
    { what: 'fromLogits', targets: Y3, predictions: Z3, opts: { fromLogits: true } },
    { what: 'labelSmoothing ε/C', targets: Y3, predictions: P3, opts: { labelSmoothing: 0.3, reduction: 'none' } },
    { what: 'labelSmoothing with logits', targets: Y3, predictions: Z3, opts: { labelSmoothing: 0.3, fromLogits: true } },
    { what: 'classWeights (not in the mean divisor: soft targets)', targets: Y3, predictions: P3, opts: { classWeights: [2, 0.5, 1] } },
    { what: 'classWeights, none', targets: Y3, predictions: P3, opts: { classWeights: [2, 0.5, 1], reduction: 'none' } },
    { what: 'classWeights and labelSmoothing', targets: Y3, predictions: P3, opts: { classWeights: [2, 0.5, 1], labelSmoothing: 0.2 } },
    { what: 'epsilon 0.15 clips q', targets: Y3, predictions: P3, opts: { epsilon: 0.15, reduction: 'none' } },
    { what: 'axis 1 of a 3-D input', targets: Y_AXIS1, predictions: P_AXIS1, opts: { axis: 1, reduction: 'none' } },
    { what: 'axis 1, mean', targets: Y_AXIS1, predictions: P_AXIS1, opts: { axis: 1 } },
    { what: 'axis −2 is axis 1', targets: Y_AXIS1, predictions: P_AXIS1, opts: { axis: -2, reduction: 'sum' } },
    { what: 'sampleWeight', targets: Y3, predictions: P3, opts: { sampleWeight: [0.5, 1, 3, 2] } },
  ],
  sparseCategoricalCrossentropy: [
    ...withReductions({ what: 'labels', targets: LABELS, predictions: P3, integer: true }),
    { what: 'fromLogits', targets: LABELS, predictions: Z3, integer: true, opts: { fromLogits: true } },
    {
      what: 'classWeights enter the mean divisor (Σ c_y)',
      targets: LABELS,
      predictions: P3,
      integer: true,
      opts: { classWeights: [2, 0.5, 1] },
    },
    { what: 'classWeights, sum', targets: LABELS, predictions: P3, integer: true, opts: { classWeights: [2, 0.5, 1], reduction: 'sum' } },
    {
      what: 'classWeights, sum_over_batch_size (count)',
      targets: LABELS,
      predictions: P3,
      integer: true,
      opts: { classWeights: [2, 0.5, 1], reduction: 'sum_over_batch_size' },
    },
    { what: 'labelSmoothing ε/C', targets: LABELS, predictions: P3, integer: true, opts: { labelSmoothing: 0.2 } },
    {
      what: 'labelSmoothing with classWeights (PyTorch)',
      targets: LABELS,
      predictions: P3,
      integer: true,
      opts: { labelSmoothing: 0.2, classWeights: [2, 0.5, 1] },
    },
    { what: 'ignoreIndex', targets: [1, -100, 2, 1], predictions: P3, integer: true, opts: { ignoreIndex: -100 } },
    {
      what: 'ignoreIndex, none',
      targets: [1, -100, 2, 1],
      predictions: P3,
      integer: true,
      opts: { ignoreIndex: -100, reduction: 'none' },
    },
    {
      what: 'ignoreIndex with classWeights and smoothing',
      targets: [1, -100, 2, 1],
      predictions: P3,
      integer: true,
      opts: { ignoreIndex: -100, classWeights: [2, 0.5, 1], labelSmoothing: 0.1 },
    },
    { what: 'epsilon 0.15', targets: LABELS, predictions: P3, integer: true, opts: { epsilon: 0.15, reduction: 'none' } },
    { what: 'axis 1', targets: LABELS_AXIS1, predictions: P_AXIS1, integer: true, opts: { axis: 1, reduction: 'none' } },
    {
      what: 'sampleWeight × classWeights in the divisor',
      targets: LABELS,
      predictions: P3,
      integer: true,
      opts: { sampleWeight: [1, 2, 0.5, 1], classWeights: [2, 0.5, 1] },
    },
  ],
  sigmoidCrossEntropyWithLogits: [
    ...withReductions({ what: 'logits', targets: YB, predictions: ZB }),
    { what: 'posWeight per class', targets: YB, predictions: ZB, opts: { posWeight: [3, 0.5], reduction: 'none' } },
    { what: 'posWeight, mean', targets: YB, predictions: ZB, opts: { posWeight: [3, 0.5] } },
    {
      what: 'sampleWeight of the loss values\u2019 shape',
      targets: YB,
      predictions: ZB,
      opts: {
        sampleWeight: [
          [1, 2],
          [0, 1],
          [0.5, 0.5],
          [3, 1],
        ],
      },
    },
    {
      what: 'sampleWeight per example [N, 1]',
      targets: YB,
      predictions: ZB,
      opts: { sampleWeight: [[1], [2], [0.5], [0]], reduction: 'none' },
    },
    { what: 'scalar sampleWeight (mean unchanged)', targets: YB, predictions: ZB, opts: { sampleWeight: 3 } },
    { what: 'rank 3', targets: [YB, YB], predictions: [ZB, ZB.map((r) => r.map((v) => -v))], opts: { reduction: 'none' } },
    { what: 'classWeights per class (last axis)', targets: YB, predictions: ZB, opts: { classWeights: [2, 3], reduction: 'none' } },
    { what: 'classWeights, mean over every value (not in the divisor)', targets: YB, predictions: ZB, opts: { classWeights: [2, 3] } },
    { what: 'labelSmoothing ε/2', targets: YB, predictions: ZB, opts: { labelSmoothing: 0.2, reduction: 'none' } },
    { what: 'posWeight as one number', targets: YB, predictions: ZB, opts: { posWeight: 2.5, reduction: 'none' } },
    {
      what: 'posWeight of the logits\u2019 shape',
      targets: YB,
      predictions: ZB,
      opts: {
        posWeight: [
          [1, 2],
          [3, 4],
          [0.5, 0],
          [2, 2],
        ],
        reduction: 'none',
      },
    },
    { what: 'posWeight [N, 1] broadcast against the logits', targets: YB, predictions: ZB, opts: { posWeight: [[1], [3], [0.5], [2]] } },
  ],
  softmaxCrossEntropyWithLogits: [
    ...withReductions({ what: 'logits', targets: Y3, predictions: Z3 }),
    { what: 'labelSmoothing', targets: Y3, predictions: Z3, opts: { labelSmoothing: 0.25 } },
    { what: 'classWeights (soft targets: not in the divisor)', targets: Y3, predictions: Z3, opts: { classWeights: [0.3, 2, 1.5] } },
    { what: 'axis 1', targets: Y_AXIS1, predictions: Z_AXIS1, opts: { axis: 1, reduction: 'none' } },
    {
      what: 'axis 0 of 2-D',
      targets: [
        [0.2, 1],
        [0.8, 0],
      ],
      predictions: [
        [1, -1],
        [0.5, 2],
      ],
      opts: { axis: 0, reduction: 'none' },
    },
    { what: 'sampleWeight', targets: Y3, predictions: Z3, opts: { sampleWeight: [2, 0, 1, 1], reduction: 'sum' } },
  ],
  sparseSoftmaxCrossEntropyWithLogits: [
    ...withReductions({ what: 'labels', targets: LABELS, predictions: Z3, integer: true }),
    { what: 'classWeights in the divisor', targets: LABELS, predictions: Z3, integer: true, opts: { classWeights: [1, 2, 3] } },
    { what: 'labelSmoothing', targets: LABELS, predictions: Z3, integer: true, opts: { labelSmoothing: 0.1, reduction: 'none' } },
    {
      what: 'labelSmoothing with classWeights',
      targets: LABELS,
      predictions: Z3,
      integer: true,
      opts: { labelSmoothing: 0.1, classWeights: [1, 2, 3] },
    },
    { what: 'ignoreIndex −1', targets: [1, -1, -1, 0], predictions: Z3, integer: true, opts: { ignoreIndex: -1 } },
    {
      what: 'ignoreIndex, sum_over_batch_size counts the rest',
      targets: [1, -1, -1, 0],
      predictions: Z3,
      integer: true,
      opts: { ignoreIndex: -1, reduction: 'sum_over_batch_size' },
    },
    { what: 'ignoreIndex equal to a class index', targets: LABELS, predictions: Z3, integer: true, opts: { ignoreIndex: 2 } },
    { what: 'axis 1', targets: LABELS_AXIS1, predictions: Z_AXIS1, integer: true, opts: { axis: 1 } },
    {
      what: 'rank 3 logits, labels [2, 2]',
      targets: [
        [0, 2],
        [1, 1],
      ],
      predictions: [Z3.slice(0, 2), Z3.slice(2)],
      integer: true,
      opts: { reduction: 'none' },
    },
  ],
  multiLabelCrossEntropy: [
    ...withReductions({ what: 'logits by default', targets: YB, predictions: ZB }),
    { what: 'fromLogits false', targets: YB, predictions: PB, opts: { fromLogits: false } },
    { what: 'fromLogits true given', targets: YB, predictions: ZB, opts: { fromLogits: true, reduction: 'none' } },
    { what: 'classWeights: (1/K) Σ w_k bce_k, not in the divisor', targets: YB, predictions: ZB, opts: { classWeights: [0.5, 3] } },
    { what: 'posWeight', targets: YB, predictions: ZB, opts: { posWeight: [2, 0.25], reduction: 'none' } },
    {
      what: 'posWeight and classWeights',
      targets: YB,
      predictions: ZB,
      opts: { posWeight: [2, 0.25], classWeights: [0.5, 3], reduction: 'sum' },
    },
    { what: 'sampleWeight', targets: YB, predictions: ZB, opts: { sampleWeight: [1, 0, 2, 0.5] } },
    { what: 'epsilon with probabilities', targets: YB, predictions: PB, opts: { fromLogits: false, epsilon: 0.12, reduction: 'none' } },
    { what: 'labelSmoothing ε/2', targets: YB, predictions: ZB, opts: { labelSmoothing: 0.3 } },
    {
      what: 'posWeight with probabilities',
      targets: YB,
      predictions: PB,
      opts: { fromLogits: false, posWeight: [2, 0.25], reduction: 'none' },
    },
  ],
  crossEntropy: [
    ...withReductions({ what: 'distributions', targets: Y3, predictions: P3 }),
    { what: 'axis 1', targets: Y_AXIS1, predictions: P_AXIS1, opts: { axis: 1, reduction: 'none' } },
    { what: 'sampleWeight', targets: Y3, predictions: P3, opts: { sampleWeight: [1, 2, 3, 4] } },
  ],
  polyCrossEntropyWithLogits: [
    ...withReductions({ what: 'default ε = 2', targets: Y3, predictions: Z3 }),
    { what: 'polyEpsilon 0.5', targets: Y3, predictions: Z3, opts: { polyEpsilon: 0.5, reduction: 'none' } },
    { what: 'polyEpsilon −1', targets: Y3, predictions: Z3, opts: { polyEpsilon: -1, reduction: 'none' } },
    { what: 'polyEpsilon 0 is softmax CE', targets: Y3, predictions: Z3, opts: { polyEpsilon: 0 } },
    { what: 'axis 1', targets: Y_AXIS1, predictions: Z_AXIS1, opts: { axis: 1, reduction: 'none' } },
    { what: 'sampleWeight', targets: Y3, predictions: Z3, opts: { sampleWeight: [1, 0.5, 0.25, 2] } },
    { what: 'labelSmoothing smooths y in both terms', targets: Y3, predictions: Z3, opts: { labelSmoothing: 0.2, reduction: 'none' } },
    { what: 'classWeights weight y in both terms', targets: Y3, predictions: Z3, opts: { classWeights: [0.5, 2, 1], reduction: 'none' } },
  ],
  binaryFocalCrossentropy: [
    ...withReductions({ what: 'probabilities, γ = 2', targets: YB, predictions: PB }),
    { what: 'gamma 0.5', targets: YB, predictions: PB, opts: { gamma: 0.5, reduction: 'none' } },
    { what: 'gamma 0 is BCE', targets: YB, predictions: PB, opts: { gamma: 0 } },
    { what: 'applyClassBalancing (α = 0.25)', targets: YB, predictions: PB, opts: { applyClassBalancing: true, reduction: 'none' } },
    { what: 'applyClassBalancing α 0.6', targets: YB, predictions: PB, opts: { applyClassBalancing: true, alpha: 0.6 } },
    { what: 'alpha without balancing has no effect', targets: YB, predictions: PB, opts: { alpha: 0.6, reduction: 'none' } },
    { what: 'fromLogits', targets: YB, predictions: ZB, opts: { fromLogits: true, reduction: 'none' } },
    { what: 'labelSmoothing', targets: YB, predictions: PB, opts: { labelSmoothing: 0.2, reduction: 'none' } },
    { what: '1-D input', targets: [1, 0, 0.4], predictions: [0.8, 0.3, 0.55], opts: { reduction: 'none' } },
  ],
  categoricalFocalCrossentropy: [
    ...withReductions({ what: 'probabilities, α 0.25, γ 2', targets: Y3, predictions: P3 }),
    { what: 'alpha per class', targets: Y3, predictions: P3, opts: { alpha: [0.2, 0.5, 1], reduction: 'none' } },
    { what: 'gamma 1', targets: Y3, predictions: P3, opts: { gamma: 1, reduction: 'none' } },
    { what: 'fromLogits', targets: Y3, predictions: Z3, opts: { fromLogits: true } },
    { what: 'labelSmoothing', targets: Y3, predictions: P3, opts: { labelSmoothing: 0.2, reduction: 'none' } },
    { what: 'axis 1', targets: Y_AXIS1, predictions: P_AXIS1, opts: { axis: 1, reduction: 'none' } },
  ],
  klDivergence: [
    ...withReductions({
      what: 'probabilities (P > 0)',
      targets: [
        [0.1, 0.6, 0.3],
        [0.3, 0.5, 0.2],
        [0.7, 0.2, 0.1],
        [0.1, 0.1, 0.8],
      ],
      predictions: P3,
    }),
    {
      what: 'axis 1',
      targets: [
        [
          [0.1, 0.2],
          [0.8, 0.5],
          [0.1, 0.3],
        ],
        [
          [0.5, 0.4],
          [0.25, 0.4],
          [0.25, 0.2],
        ],
      ],
      predictions: P_AXIS1,
      opts: { axis: 1, reduction: 'none' },
    },
  ],
};

for (const [name, cases] of Object.entries(CASES) as [LossName, Case[]][]) {
  describe(`${name}: value and gradient against the naive formula`, () => {
    for (const c of cases) {
      it(c.what, () => {
        expectMatchesReference(name, c.targets, c.predictions, c.opts, c.integer ?? false);
      });
    }
  });
}
