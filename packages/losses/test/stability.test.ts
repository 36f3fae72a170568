// Extreme logits (±1e4 mixed with ordinary values): every loss stays finite and
// equals the stable formulas, lse(z) − z_y and max(z,0) − z·y + log1p(e^{−|z|}),
// with gradients softmax − P and σ − y.
import { describe, expect, it } from 'vitest';
import { readFlat, type Tensor } from '@xent/tensor';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  multiLabelCrossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../src/index.js';
import { bceLogit, lse, oneHot, sigmoid, softmaxRow, vg, type Matrix } from './helpers.js';

const Z: Matrix = [
  [1e4, -1e4, 0.5],
  [-1e4, 2, 3],
  [1e4, 1e4, -3],
  [0.1, -0.2, 1e4],
  [-1e4, -1e4, -1e4],
];
const LABELS = [1, 0, 2, 2, 1];
const SOFT: Matrix = [
  [0.2, 0.5, 0.3],
  [1, 0, 0],
  [0, 0.25, 0.75],
  [0.1, 0.1, 0.8],
  [0.3, 0.3, 0.4],
];
const finite = (t: Tensor) => readFlat(t).every(Number.isFinite);

describe('softmax family at ±1e4', () => {
  const P = oneHot(LABELS, 3);
  const hand = Z.map((r, i) => lse(r) - r[LABELS[i]]);
  const handSoft = Z.map((r, i) => SOFT[i].reduce((a, p, c) => a + p * (lse(r) - r[c]), 0));
  const gradOf = (T: Matrix) => Z.map((r, i) => softmaxRow(r).map((s, c) => s * T[i].reduce((a, b) => a + b, 0) - T[i][c]));

  it.each([
    [
      'sparseSoftmaxCrossEntropyWithLogits',
      (x: Tensor) => sparseSoftmaxCrossEntropyWithLogits(LABELS, x, { reduction: 'none' }),
      hand,
      gradOf(P),
    ],
    [
      'sparseCategoricalCrossentropy (fromLogits)',
      (x: Tensor) => sparseCategoricalCrossentropy(LABELS, x, { fromLogits: true, reduction: 'none' }),
      hand,
      gradOf(P),
    ],
    ['softmaxCrossEntropyWithLogits (one-hot)', (x: Tensor) => softmaxCrossEntropyWithLogits(P, x, { reduction: 'none' }), hand, gradOf(P)],
    [
      'softmaxCrossEntropyWithLogits (soft)',
      (x: Tensor) => softmaxCrossEntropyWithLogits(SOFT, x, { reduction: 'none' }),
      handSoft,
      gradOf(SOFT),
    ],
    [
      'categoricalCrossentropy (fromLogits)',
      (x: Tensor) => categoricalCrossentropy(SOFT, x, { fromLogits: true, reduction: 'none' }),
      handSoft,
      gradOf(SOFT),
    ],
  ] as const)('%s', (_name, f, value, grad) => {
    const r = vg(f, Z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(value, { rtol: 1e-12, atol: 1e-12 });
    expect(r.grad).toBeAllClose(grad, { rtol: 1e-12, atol: 1e-12 });
  });

  it('with label smoothing and class weights (dense smoothed targets): finite, gradient (ΣP)·softmax − P', () => {
    const w = [0.5, 2, 1];
    const eps = 0.1;
    const T = LABELS.map((t) => [0, 1, 2].map((c) => (eps / 3) * w[c] + (c === t ? (1 - eps) * w[t] : 0)));
    const r = vg((x) => sparseSoftmaxCrossEntropyWithLogits(LABELS, x, { reduction: 'none', labelSmoothing: eps, classWeights: w }), Z);
    expect(r.value).toBeAllClose(
      Z.map((row, i) => T[i].reduce((a, p, c) => a + p * (lse(row) - row[c]), 0)),
      { rtol: 1e-12 },
    );
    expect(r.grad).toBeAllClose(gradOf(T), { rtol: 1e-12, atol: 1e-12 });
  });

  it('categorical focal from logits stays finite', () => {
    const r = vg((x) => categoricalFocalCrossentropy(SOFT, x, { fromLogits: true, reduction: 'sum' }), Z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
  });
});

describe('sigmoid family at ±1e4', () => {
  const z: Matrix = [
    [1e4, -1e4, 0.3],
    [-1e4, 1e4, -2],
    [1e4, 1e4, -1e4],
  ];
  const y: Matrix = [
    [0, 1, 1],
    [0.5, 1, 0],
    [1, 0, 0.25],
  ];
  const elem = z.map((r, i) => r.map((v, k) => bceLogit(y[i][k], v)));
  const grad = z.map((r, i) => r.map((v, k) => sigmoid(v) - y[i][k]));
  const mean = (m: Matrix) => m.map((r) => r.reduce((a, b) => a + b, 0) / r.length);

  it('sigmoidCrossEntropyWithLogits: values max(z,0) − zy + log1p(e^{−|z|}), gradient σ − y', () => {
    const r = vg((x) => sigmoidCrossEntropyWithLogits(y, x, { reduction: 'none' }), z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(elem, { rtol: 1e-12, atol: 1e-12 });
    expect(r.grad).toBeAllClose(grad, { rtol: 1e-12, atol: 1e-12 });
  });

  it('binaryCrossentropy and multiLabelCrossEntropy from logits: per-example means, gradient (σ − y)/K', () => {
    for (const f of [
      (x: Tensor) => binaryCrossentropy(y, x, { fromLogits: true, reduction: 'none' }),
      (x: Tensor) => multiLabelCrossEntropy(y, x, { reduction: 'none' }),
    ]) {
      const r = vg(f, z);
      expect(r.value).toBeAllClose(mean(elem), { rtol: 1e-12, atol: 1e-12 });
      expect(r.grad).toBeAllClose(
        grad.map((row) => row.map((g) => g / 3)),
        { rtol: 1e-12, atol: 1e-12 },
      );
    }
  });

  it('posWeight at ±1e4: (1−y)z + (1+(pw−1)y)(log1p(e^{−|z|}) + max(−z,0))', () => {
    const pw = [3, 0.5, 2];
    const hand = z.map((r, i) =>
      r.map((v, k) => (1 - y[i][k]) * v + (1 + (pw[k] - 1) * y[i][k]) * (Math.log1p(Math.exp(-Math.abs(v))) + Math.max(-v, 0))),
    );
    const r = vg((x) => sigmoidCrossEntropyWithLogits(y, x, { reduction: 'none', posWeight: pw }), z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(hand, { rtol: 1e-12, atol: 1e-12 });
  });

  it('binary focal from logits: finite, equals (1 − p_t)^γ · bce with p = σ(z)', () => {
    const r = vg((x) => binaryFocalCrossentropy(y, x, { fromLogits: true, reduction: 'none', gamma: 2 }), z);
    const hand = z.map(
      (row, i) =>
        row.reduce((a, v, k) => a + (y[i][k] * (1 - sigmoid(v)) + (1 - y[i][k]) * sigmoid(v)) ** 2 * bceLogit(y[i][k], v), 0) / row.length,
    );
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(hand, { rtol: 1e-12, atol: 1e-12 });
  });
});
