// Contract §4 reductions: 'none' / 'sum' / 'sum_over_batch_size' / 'mean' with their exact divisors, class
// weights entering the 'mean' divisor only for integer labels, sample weights (number, per example, per value),
// ignoreIndex, and the all-ignored case (0 with zero gradients). Expected numbers: per-example values from the
// naive reference, reduced here by hand with the divisor the contract names.
import { describe, expect, it } from 'vitest';
import { tensor } from '@xent/tensor';
import { LABELS, ONE_HOT, P3, PB, YB, Z3, ZB } from './data.js';
import { expectClose, refValue, targetTensor, xentValueAndGrad, type LossName, type Nested, type Opts } from './reference.js';

/** The reference loss values ('none') as a flat list. */
const perExample = (name: LossName, t: Nested, p: Nested, o: Opts = {}): number[] => refValue(name, t, p, { ...o, reduction: 'none' }).data;
const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** xent's scalar output. */
function xentScalar(name: LossName, t: Nested, p: Nested, o: Opts, integer = false): number {
  const { value } = xentValueAndGrad(name, targetTensor(t, integer), p, o);
  expect(value.shape).toEqual([]);
  return value.data[0]!;
}

describe("'mean' divides by Σω, ω = sample weight × the class weight of an integer label", () => {
  const cw = [2, 0.5, 1];
  it('sparse: Σ c_y ℓ / Σ c_y (PyTorch weighted mean)', () => {
    const l = perExample('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { classWeights: cw }); // already × c_y
    const divisor = total(LABELS.map((y) => cw[y]!));
    expect(xentScalar('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { classWeights: cw }, true)).toBeCloseTo(total(l) / divisor, 12);
    expect(xentScalar('sparseCategoricalCrossentropy', LABELS, P3, { classWeights: cw }, true)).toBeCloseTo(
      total(perExample('sparseCategoricalCrossentropy', LABELS, P3, { classWeights: cw })) / divisor,
      12,
    );
  });

  it('one-hot distributions with the same class weights divide by N (soft targets: weights not in the divisor)', () => {
    const l = perExample('softmaxCrossEntropyWithLogits', ONE_HOT, Z3, { classWeights: cw });
    expect(xentScalar('softmaxCrossEntropyWithLogits', ONE_HOT, Z3, { classWeights: cw })).toBeCloseTo(total(l) / 4, 12);
    expect(xentScalar('categoricalCrossentropy', ONE_HOT, P3, { classWeights: cw })).toBeCloseTo(
      total(perExample('categoricalCrossentropy', ONE_HOT, P3, { classWeights: cw })) / 4,
      12,
    );
  });

  it('binary, sigmoid and multi-label class weights stay out of the divisor', () => {
    const w = [0.5, 3];
    expect(xentScalar('binaryCrossentropy', YB, PB, { classWeights: w })).toBeCloseTo(
      total(perExample('binaryCrossentropy', YB, PB, { classWeights: w })) / 4,
      12,
    );
    expect(xentScalar('multiLabelCrossEntropy', YB, ZB, { classWeights: w })).toBeCloseTo(
      total(perExample('multiLabelCrossEntropy', YB, ZB, { classWeights: w })) / 4,
      12,
    );
  });

  it('sample weights enter the divisor: Σ sᵢℓᵢ / Σ sᵢ', () => {
    const s = [1, 3, 0.5, 2];
    const l = perExample('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3);
    const expected = total(l.map((v, i) => s[i]! * v)) / total(s);
    expect(xentScalar('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { sampleWeight: s }, true)).toBeCloseTo(expected, 12);
    const lb = perExample('binaryCrossentropy', YB, PB);
    expect(xentScalar('binaryCrossentropy', YB, PB, { sampleWeight: s })).toBeCloseTo(total(lb.map((v, i) => s[i]! * v)) / total(s), 12);
  });

  it('sample × class weights for integer labels: Σ sᵢc_yᵢℓᵢ / Σ sᵢc_yᵢ', () => {
    const s = [1, 3, 0.5, 2];
    const l = perExample('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { classWeights: cw });
    const expected = total(l.map((v, i) => s[i]! * v)) / total(LABELS.map((y, i) => s[i]! * cw[y]!));
    expect(xentScalar('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { sampleWeight: s, classWeights: cw }, true)).toBeCloseTo(
      expected,
      12,
    );
  });

  it('a scalar sample weight cancels in the mean and scales the sum', () => {
    const plain = total(perExample('softmaxCrossEntropyWithLogits', ONE_HOT, Z3));
    expect(xentScalar('softmaxCrossEntropyWithLogits', ONE_HOT, Z3, { sampleWeight: 2.5 })).toBeCloseTo(plain / 4, 12);
    expect(xentScalar('softmaxCrossEntropyWithLogits', ONE_HOT, Z3, { sampleWeight: 2.5, reduction: 'sum' })).toBeCloseTo(2.5 * plain, 12);
  });
});

describe("'sum_over_batch_size' divides by the number of loss values not ignored (Keras)", () => {
  it('weights do not enter it; a zero-weighted value still counts', () => {
    const s = [1, 0, 2, 0.5];
    const l = perExample('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { classWeights: [1, 2, 3] });
    const expected = total(l.map((v, i) => s[i]! * v)) / 4;
    const o = { sampleWeight: s, classWeights: [1, 2, 3], reduction: 'sum_over_batch_size' };
    expect(xentScalar('sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, o, true)).toBeCloseTo(expected, 12);
  });

  it('elementwise sigmoid: every logit is a loss value (N·C of them)', () => {
    const l = perExample('sigmoidCrossEntropyWithLogits', YB, ZB);
    expect(l).toHaveLength(8);
    expect(xentScalar('sigmoidCrossEntropyWithLogits', YB, ZB, { reduction: 'sum_over_batch_size' })).toBeCloseTo(total(l) / 8, 12);
    expect(xentScalar('sigmoidCrossEntropyWithLogits', YB, ZB, {})).toBeCloseTo(total(l) / 8, 12);
  });

  it('ignored labels are not counted', () => {
    const labels = [1, -100, 2, -100];
    const l = perExample('sparseSoftmaxCrossEntropyWithLogits', labels, Z3, { ignoreIndex: -100 });
    const o = { ignoreIndex: -100, reduction: 'sum_over_batch_size' };
    expect(xentScalar('sparseSoftmaxCrossEntropyWithLogits', labels, Z3, o, true)).toBeCloseTo(total(l) / 2, 12);
  });
});

describe('ignoreIndex', () => {
  it("ignored examples give ℓ = 0 under 'none' and a zero gradient row", () => {
    const labels = [1, -100, 2, 0];
    const { value, grad } = xentValueAndGrad('sparseSoftmaxCrossEntropyWithLogits', targetTensor(labels, true), Z3, {
      ignoreIndex: -100,
      reduction: 'none',
    });
    expect(value.data[1]).toBe(0);
    expect(value.data[0]).toBeGreaterThan(0);
    expect(grad.data.slice(3, 6)).toEqual([0, 0, 0]);
  });

  it("'mean' drops them from the divisor, class weights too", () => {
    const labels = [1, -100, 2, 0];
    const cw = [1, 2, 3];
    const l = perExample('sparseSoftmaxCrossEntropyWithLogits', labels, Z3, { ignoreIndex: -100, classWeights: cw });
    const o = { ignoreIndex: -100, classWeights: cw };
    expect(xentScalar('sparseSoftmaxCrossEntropyWithLogits', labels, Z3, o, true)).toBeCloseTo(total(l) / (cw[1]! + cw[2]! + cw[0]!), 12);
  });

  it('sparseCategoricalCrossentropy: ignored rows of probabilities are neither read nor checked', () => {
    const labels = [1, -100, 2, -100];
    const clean = xentValueAndGrad('sparseCategoricalCrossentropy', targetTensor(labels, true), P3, { ignoreIndex: -100 });
    const dirty = [P3[0]!, [NaN, 7, -1], P3[2]!, [NaN, NaN, NaN]];
    const got = xentValueAndGrad('sparseCategoricalCrossentropy', targetTensor(labels, true), dirty, { ignoreIndex: -100 });
    expectClose(got.value, clean.value);
    expectClose(got.grad, clean.grad);
  });

  it('the rows of ignored examples are not read: NaN or ±∞ there changes nothing', () => {
    const labels = [1, -100, 2, -100];
    const clean = xentValueAndGrad('sparseSoftmaxCrossEntropyWithLogits', targetTensor(labels, true), Z3, { ignoreIndex: -100 });
    const dirty = [Z3[0]!, [NaN, Infinity, -Infinity], Z3[2]!, [NaN, NaN, NaN]];
    const got = xentValueAndGrad('sparseSoftmaxCrossEntropyWithLogits', targetTensor(labels, true), dirty, { ignoreIndex: -100 });
    expectClose(got.value, clean.value);
    expectClose(got.grad, clean.grad);
  });
});

describe('every example ignored: 0 with zero gradients (not NaN)', () => {
  const labels = [-100, -100, -100, -100];
  for (const reduction of ['mean', 'sum_over_batch_size', 'sum'] as const) {
    for (const [name, preds] of [
      ['sparseSoftmaxCrossEntropyWithLogits', Z3],
      ['sparseCategoricalCrossentropy', P3],
    ] as const) {
      it(`${name}, ${reduction}`, () => {
        const { value, grad } = xentValueAndGrad(name, targetTensor(labels, true), preds, {
          ignoreIndex: -100,
          reduction,
          classWeights: [1, 2, 3],
        });
        expect(value.shape).toEqual([]);
        expect(value.data[0]).toBe(0);
        expect(grad.data.every((g) => g === 0)).toBe(true);
      });
    }
  }

  it("every sample weight 0: 'mean' gives 0 with zero gradients", () => {
    const { value, grad } = xentValueAndGrad('softmaxCrossEntropyWithLogits', tensor(ONE_HOT), Z3, { sampleWeight: [0, 0, 0, 0] });
    expect(value.data[0]).toBe(0);
    expect(grad.data.every((g) => g === 0)).toBe(true);
  });
});

describe('sampleWeight broadcasting onto the loss values', () => {
  const cases: [string, LossName, Nested, Nested, unknown][] = [
    ['a number', 'binaryCrossentropy', YB, PB, 0.7],
    ['[N]', 'binaryCrossentropy', YB, PB, [1, 2, 3, 4]],
    ['[N, 1] on [N] values', 'binaryCrossentropy', YB, PB, [[1], [2], [3], [4]]],
    ['[N, 1] on [N, C] values (sigmoid)', 'sigmoidCrossEntropyWithLogits', YB, ZB, [[1], [2], [3], [4]]],
    [
      '[N, C] on [N, C] values (sigmoid)',
      'sigmoidCrossEntropyWithLogits',
      YB,
      ZB,
      [
        [1, 0],
        [2, 1],
        [0.5, 3],
        [4, 4],
      ],
    ],
    ['[1, C] on [N, C] values (sigmoid)', 'sigmoidCrossEntropyWithLogits', YB, ZB, [[2, 0.5]]],
    ['[N] on [N, C] values: leading axes are examples', 'sigmoidCrossEntropyWithLogits', YB, ZB, [1, 2, 3, 4]],
    ['a tensor', 'binaryCrossentropy', YB, PB, tensor([1, 2, 3, 4])],
    [
      '[2] on [2, 2] values (sequences): one weight per sequence',
      'softmaxCrossEntropyWithLogits',
      [ONE_HOT.slice(0, 2), ONE_HOT.slice(2)],
      [Z3.slice(0, 2), Z3.slice(2)],
      [1, 3],
    ],
    [
      '[2, 1] on [2, 2] values',
      'softmaxCrossEntropyWithLogits',
      [ONE_HOT.slice(0, 2), ONE_HOT.slice(2)],
      [Z3.slice(0, 2), Z3.slice(2)],
      [[1], [3]],
    ],
    [
      '[1, 2] on [2, 2] values: one weight per step',
      'softmaxCrossEntropyWithLogits',
      [ONE_HOT.slice(0, 2), ONE_HOT.slice(2)],
      [Z3.slice(0, 2), Z3.slice(2)],
      [[1, 3]],
    ],
    [
      '[2, 2] on [2, 2] values',
      'softmaxCrossEntropyWithLogits',
      [ONE_HOT.slice(0, 2), ONE_HOT.slice(2)],
      [Z3.slice(0, 2), Z3.slice(2)],
      [
        [1, 3],
        [0, 2],
      ],
    ],
  ];
  for (const [what, name, t, p, sw] of cases) {
    it(what, () => {
      const swRef = sw instanceof Object && 'toArray' in sw ? (sw as { toArray(): unknown }).toArray() : sw;
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        const { value } = xentValueAndGrad(name, tensor(t), p, { sampleWeight: sw, reduction });
        expectClose(value, refValue(name, t, p, { sampleWeight: swRef, reduction }), undefined, `${what} ${reduction}`);
      }
    });
  }
});

describe("'none' returns one value per example, in the examples' shape", () => {
  const shapes: [LossName, Nested, Nested, number[], boolean?][] = [
    ['binaryCrossentropy', YB, PB, [4]],
    ['binaryCrossentropy', [1, 0, 1], [0.3, 0.2, 0.9], [3]],
    ['sigmoidCrossEntropyWithLogits', YB, ZB, [4, 2]],
    ['multiLabelCrossEntropy', YB, ZB, [4]],
    ['categoricalCrossentropy', ONE_HOT, P3, [4]],
    ['sparseCategoricalCrossentropy', LABELS, P3, [4], true],
    ['softmaxCrossEntropyWithLogits', [ONE_HOT, ONE_HOT], [Z3, Z3], [2, 4]],
    ['sparseSoftmaxCrossEntropyWithLogits', [LABELS, LABELS], [Z3, Z3], [2, 4], true],
    ['crossEntropy', ONE_HOT, P3, [4]],
    ['polyCrossEntropyWithLogits', ONE_HOT, Z3, [4]],
  ];
  for (const [name, t, p, shape, integer] of shapes) {
    it(`${name} → [${shape.join(', ')}]`, () => {
      expect(xentValueAndGrad(name, targetTensor(t, integer ?? false), p, { reduction: 'none' }).value.shape).toEqual(shape);
    });
  }
});
