// Option values that the predictions' dtype cannot carry, and an epsilon whose 1 − ε rounds to 1. Each used to give
// a NaN or infinite loss with no error.
//   epsilon: clipping to [ε, 1 − ε] needs 1/ε finite, i.e. ε normal: 2⁻¹²⁶ in float32 (float64's limit is the
//     option's range); below, INVALID_OPTION. The binary family takes log(1 − q): where 1 − ε rounds to 1
//     (ε < 2⁻⁵³, or 2⁻²⁴ in float32) a probability of 1 stayed 1 and log(1 − 1) = −∞ (0·−∞ = NaN for a target
//     of 1); 1 − q is now clipped at ε too, so the loss there is −log ε, as for any ε.
//   posWeight, and sampleWeight where its size matters (not 'mean', which takes its ratios): each value must
//     fit float32 with float32 predictions, as classWeights do (classWeightScale.test.ts); Infinity·0 was NaN.
import { describe, expect, it } from 'vitest';
import { reshape, valueAndGrad } from '@xent/autograd';
import { readFlat, tensor, type Tensor } from '@xent/tensor';
import * as L from '../src/index.js';
import { expectXentError } from '../../../test/utils.js';

const f32 = (x: number[] | number[][]) => tensor(x, { dtype: 'float32' });
/** Value and gradient (of the sum) of loss(p), flattened. */
function valueAndGradient(loss: (p: Tensor) => Tensor, p: Tensor): { value: number[]; grad: number[] } {
  const { grads } = valueAndGrad((q: Tensor) => loss(q).sum())(p);
  return { value: [...readFlat(loss(p))], grad: [...readFlat(grads[0])] };
}

// targets and probabilities of exactly 0 and 1: what the clipping is for
const y = [1, 0, 1, 0];
const p = [1, 1, 0, 0];
const rows = [
  [1, 0],
  [0, 1],
];
const q = [
  [0, 1],
  [0, 1],
];

describe('an epsilon below the smallest normal float32, with float32 predictions, is INVALID_OPTION (NaN gradients)', () => {
  it.each([
    ['binaryCrossentropy', () => L.binaryCrossentropy(y, f32(p), { epsilon: 1e-40, reduction: 'none' })],
    ['multiLabelCrossEntropy', () => L.multiLabelCrossEntropy([y], f32([p]), { fromLogits: false, epsilon: 1e-40 })],
    ['binaryFocalCrossentropy', () => L.binaryFocalCrossentropy(y, f32(p), { epsilon: 1e-40, gamma: 0.5 })],
    ['categoricalCrossentropy', () => L.categoricalCrossentropy(rows, f32(q), { epsilon: 1e-40 })],
    ['sparseCategoricalCrossentropy', () => L.sparseCategoricalCrossentropy([0, 1], f32(q), { epsilon: 1e-40 })],
    ['categoricalFocalCrossentropy', () => L.categoricalFocalCrossentropy(rows, f32(q), { epsilon: 1e-40 })],
    ['klDivergence', () => L.klDivergence(rows, f32(q), { epsilon: 1e-40 })],
  ])('%s', (name, call) => {
    expectXentError(call, 'INVALID_OPTION', new RegExp(`^${name}: option 'epsilon' is 1e-40`), 'float32', 'use epsilon ≥');
  });

  it('at the smallest normal float32: categorical and KL values −log ε, finite gradients', () => {
    const eps = 2 ** -126;
    const cat = valueAndGradient((x) => L.categoricalCrossentropy(rows, x, { epsilon: eps, reduction: 'none' }), f32(q));
    expect(cat.value[0]).toBeCloseTo(-Math.log(eps), 4);
    expect(cat.grad.every(Number.isFinite)).toBe(true);
    const kl = valueAndGradient((x) => L.klDivergence(rows, x, { epsilon: eps, reduction: 'none' }), f32(q));
    expect(kl.value[0]).toBeCloseTo(-Math.log(eps), 4);
    expect(kl.grad.every(Number.isFinite)).toBe(true);
  });

  it('logits never use epsilon: not refused there', () => {
    expect(Number.isFinite(L.binaryCrossentropy(y, f32(p), { fromLogits: true, epsilon: 1e-40 }).item())).toBe(true);
    expect(Number.isFinite(L.categoricalFocalCrossentropy(rows, f32(q), { fromLogits: true, epsilon: 1e-40 }).item())).toBe(true);
  });
});

describe('binary losses on probabilities with an epsilon whose 1 − ε rounds to 1 (gave ∞, or NaN for a target of 1)', () => {
  it.each([
    ['float64', 1e-17],
    ['float64', 2 ** -1022],
    ['float32', 1e-8],
    ['float32', 2 ** -126],
  ] as const)(
    '%s, epsilon %s: −log ε where a target is against a probability of 0 or 1, 0 where they agree; finite gradients',
    (dtype, eps) => {
      for (const loss of [
        (x: Tensor) => L.binaryCrossentropy(y, x, { epsilon: eps, reduction: 'none' }),
        (x: Tensor) => L.binaryFocalCrossentropy(y, x, { epsilon: eps, gamma: 0, reduction: 'none' }), // γ = 0: the plain cross entropy
        (x: Tensor) =>
          reshape(
            L.multiLabelCrossEntropy([[1], [0], [1], [0]], reshape(x, [4, 1]), { fromLogits: false, epsilon: eps, reduction: 'none' }),
            [4],
          ),
      ]) {
        const { value, grad } = valueAndGradient(loss, tensor(p, { dtype }));
        const logEps = -Math.log(dtype === 'float32' ? Math.fround(eps) : eps);
        expect(Math.abs(value[0])).toBe(0); // y = 1, p = 1: −log 1
        expect(value[1]).toBeCloseTo(logEps, 4); // y = 0, p = 1: 1 − q clipped to ε
        expect(value[2]).toBeCloseTo(logEps, 4); // y = 1, p = 0: q clipped to ε
        expect(value[3]).toBeLessThan(1e-7); // y = 0, p = 0: −log(1 − ε)
        expect(grad.every(Number.isFinite)).toBe(true);
      }
    },
  );
});

describe('posWeight and sampleWeight beyond float32 with float32 predictions are INVALID_OPTION (they became Infinity)', () => {
  const y = [0, 1, 0.5];
  const z = [1, -1, 0];
  it.each([
    ['sigmoidCrossEntropyWithLogits', 'posWeight', () => L.sigmoidCrossEntropyWithLogits(y, f32(z), { posWeight: 1e39 })],
    [
      'multiLabelCrossEntropy',
      'posWeight',
      () => L.multiLabelCrossEntropy([y], f32([[0.5, 0.5, 0.5]]), { fromLogits: false, posWeight: [1, 1e39, 1] }),
    ],
    [
      'sigmoidCrossEntropyWithLogits',
      'sampleWeight',
      () => L.sigmoidCrossEntropyWithLogits(y, f32(z), { sampleWeight: [1e39, 0, 1], reduction: 'sum' }),
    ],
    [
      'sparseSoftmaxCrossEntropyWithLogits',
      'sampleWeight',
      () =>
        L.sparseSoftmaxCrossEntropyWithLogits(
          [0, 1],
          f32([
            [1, 2],
            [3, 4],
          ]),
          { sampleWeight: [1, 1e39], reduction: 'none' },
        ),
    ],
    [
      'binaryCrossentropy',
      'sampleWeight',
      () => L.binaryCrossentropy(y, f32([0.1, 0.5, 0.9]), { sampleWeight: 1e39, reduction: 'sum_over_batch_size' }),
    ],
    ['klDivergence', 'sampleWeight', () => L.klDivergence([[1, 0]], f32([[0.5, 0.5]]), { sampleWeight: [1e39], reduction: 'sum' })],
  ])("%s's %s", (name, option, call) => {
    expectXentError(call, 'INVALID_OPTION', new RegExp(`^${name}: option '${option}' holds 1e\\+39`), 'float32', 'float64');
  });

  it("'mean' takes only the ratios of the sample weights: 1e39 is the weighted mean, in float32 too", () => {
    // ℓ = [~0, log 2]: (1e39·ℓ₀ + 1·log 2) / (1e39 + 1), and ℓ₀ = log1p(e^−200) = 0 in float32 (∞·0 gave NaN with 'sum')
    const out = L.sigmoidCrossEntropyWithLogits([0, 0.5], f32([-200, 0]), { sampleWeight: [1e39, 1] });
    expect(out.item() / (Math.log(2) / (1e39 + 1))).toBeCloseTo(1, 5); // a float32 subnormal: 1e-6 relative
  });

  it('float64 predictions carry the same weights', () => {
    const v = L.sigmoidCrossEntropyWithLogits(y, z, { posWeight: 1e39, reduction: 'none' });
    expect(readFlat(v)[1]).toBeCloseTo(1e39 * Math.log1p(Math.exp(1)), -25);
    expect(L.sigmoidCrossEntropyWithLogits([0, 0.5], [-200, 0], { sampleWeight: [1e39, 1], reduction: 'sum' }).item()).toBeCloseTo(
      Math.log(2) + 1e39 * Math.log1p(Math.exp(-200)),
      10,
    );
  });
});
