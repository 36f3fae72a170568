// gradCheck (float64 central differences with a random seed dy) through every
// loss, with its options. Probabilities stay away from the clip edges, where the
// loss has a kink.
import { describe, expect, it } from 'vitest';
import { gradCheck } from '@xent/autograd';
import type { Tensor } from '@xent/tensor';
import * as L from '../src/index.js';

const Z = [
  [0.3, -1.2, 2.0, 0.5],
  [1.5, 0.1, -0.7, -2.2],
  [-0.4, 0.9, 0.2, 1.1],
];
const P = [
  [0.1, 0.2, 0.3, 0.4],
  [0.25, 0.25, 0.4, 0.1],
  [0.6, 0.1, 0.1, 0.2],
];
const SOFT = [
  [0.7, 0.1, 0.1, 0.1],
  [0, 0, 1, 0],
  [0.25, 0.25, 0.25, 0.25],
];
const LABELS = [3, -100, 1];
const Y01 = [
  [1, 0, 0.3, 1],
  [0, 0, 1, 0.5],
  [1, 1, 0, 0],
];
const PB = [
  [0.8, 0.3, 0.45, 0.6],
  [0.2, 0.1, 0.7, 0.55],
  [0.9, 0.65, 0.35, 0.15],
];
const CW = [0.5, 2, 1, 1.5];
const SW = [1, 0.5, 2];

type Case = [string, (x: Tensor) => Tensor, number[][]];
const cases: Case[] = [
  ['binaryCrossentropy', (x) => L.binaryCrossentropy(Y01, x, { labelSmoothing: 0.1, classWeights: CW, sampleWeight: SW }), PB],
  ['binaryCrossentropy fromLogits', (x) => L.binaryCrossentropy(Y01, x, { fromLogits: true, reduction: 'sum_over_batch_size' }), Z],
  ['categoricalCrossentropy', (x) => L.categoricalCrossentropy(SOFT, x, { labelSmoothing: 0.2, classWeights: CW, reduction: 'sum' }), P],
  ['categoricalCrossentropy fromLogits', (x) => L.categoricalCrossentropy(SOFT, x, { fromLogits: true, sampleWeight: SW }), Z],
  [
    'sparseCategoricalCrossentropy',
    (x) => L.sparseCategoricalCrossentropy(LABELS, x, { ignoreIndex: -100, classWeights: CW, labelSmoothing: 0.1 }),
    P,
  ],
  [
    'sparseCategoricalCrossentropy fromLogits',
    (x) => L.sparseCategoricalCrossentropy(LABELS, x, { fromLogits: true, ignoreIndex: -100, sampleWeight: SW }),
    Z,
  ],
  [
    'sigmoidCrossEntropyWithLogits',
    (x) => L.sigmoidCrossEntropyWithLogits(Y01, x, { posWeight: [2, 1, 0.5, 3], classWeights: CW, reduction: 'none' }),
    Z,
  ],
  ['softmaxCrossEntropyWithLogits', (x) => L.softmaxCrossEntropyWithLogits(SOFT, x, { classWeights: CW, labelSmoothing: 0.1 }), Z],
  [
    'softmaxCrossEntropyWithLogits axis 0',
    (x) =>
      L.softmaxCrossEntropyWithLogits(
        [
          [1, 0, 0, 0.5],
          [0, 1, 0, 0.5],
          [0, 0, 1, 0],
        ],
        x,
        { axis: 0, reduction: 'none' },
      ),
    Z,
  ],
  [
    'sparseSoftmaxCrossEntropyWithLogits',
    (x) => L.sparseSoftmaxCrossEntropyWithLogits(LABELS, x, { ignoreIndex: -100, classWeights: CW }),
    Z,
  ],
  [
    'sparseSoftmaxCrossEntropyWithLogits smoothed',
    (x) => L.sparseSoftmaxCrossEntropyWithLogits([3, 0, 1], x, { labelSmoothing: 0.3, classWeights: CW, reduction: 'none' }),
    Z,
  ],
  [
    'multiLabelCrossEntropy',
    (x) => L.multiLabelCrossEntropy(Y01, x, { posWeight: [2, 1, 0.5, 3], classWeights: CW, labelSmoothing: 0.05 }),
    Z,
  ],
  [
    'multiLabelCrossEntropy probabilities',
    (x) => L.multiLabelCrossEntropy(Y01, x, { fromLogits: false, posWeight: 2, reduction: 'none' }),
    PB,
  ],
  ['crossEntropy', (x) => L.crossEntropy(SOFT, x, { reduction: 'none' }), P],
  ['klDivergence', (x) => L.klDivergence(SOFT, x, { sampleWeight: SW }), P],
  ['binaryFocalCrossentropy', (x) => L.binaryFocalCrossentropy(Y01, x, { gamma: 2, applyClassBalancing: true, alpha: 0.3 }), PB],
  [
    'binaryFocalCrossentropy fromLogits',
    (x) => L.binaryFocalCrossentropy(Y01, x, { fromLogits: true, gamma: 1.5, labelSmoothing: 0.1, reduction: 'none' }),
    Z,
  ],
  ['categoricalFocalCrossentropy', (x) => L.categoricalFocalCrossentropy(SOFT, x, { alpha: CW, gamma: 2 }), P],
  [
    'categoricalFocalCrossentropy fromLogits',
    (x) => L.categoricalFocalCrossentropy(SOFT, x, { fromLogits: true, gamma: 3, labelSmoothing: 0.1, reduction: 'none' }),
    Z,
  ],
  [
    'polyCrossEntropyWithLogits',
    (x) => L.polyCrossEntropyWithLogits(SOFT, x, { polyEpsilon: -1, classWeights: CW, labelSmoothing: 0.1, sampleWeight: SW }),
    Z,
  ],
  ['logSoftmax (re-exported)', (x) => L.logSoftmax(x, -1), Z],
  ['logSumExp (re-exported)', (x) => L.logSumExp(x, 0), Z],
];

describe('gradCheck through each loss', () => {
  it.each(cases)('%s', (name, f, x) => {
    const r = gradCheck(f, [x], { name, tight: true });
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(12);
  });
});
