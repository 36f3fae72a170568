// Class weights whose size float32 cannot hold. With integer labels, 'mean' is
// Σ sᵢ·w_{yᵢ}·ℓᵢ / Σ sᵢ·w_{yᵢ}: only the ratios of the weights matter, as for sample weights
// (test/hostile/siblings.test.ts: sampleWeight [1e-300] in float32). Float32 predictions used to
// give NaN here (the weights became 0 or Infinity in float32: 0/0, ∞/∞). Where the size does
// matter ('sum', 'none', soft targets), a weight beyond float32's range is refused, naming the option.
import { describe, expect, it } from 'vitest';
import { readFlat, tensor } from '@xent/tensor';
import * as L from '../src/index.js';
import { expectXentError } from '../../../test/utils.js';

const Z = [
  [1, 2, 0.5],
  [3, 0.5, -1],
  [0, 0, 2],
];
const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
/** −log softmax(z)_y per row, in float64 (the reference). */
const nll = (y: number[]) => y.map((t, i) => lse(Z[i]) - Z[i][t]);
const f32 = () => tensor(Z, { dtype: 'float32' });
const value = (t: { dtype: string }) => readFlat(t as never)[0];

describe("'mean' with integer labels: class weights are scaled (only their ratios matter)", () => {
  it.each([1e300, 1e-300, 1e50, 1e-50])('float32 logits, uniform class weights %s: the plain mean', (w) => {
    const y = [0, 1, 2];
    const plain = nll(y).reduce((a, b) => a + b) / 3;
    const out = L.sparseCategoricalCrossentropy(y, f32(), { fromLogits: true, classWeights: [w, w, w] });
    expect(out.dtype).toBe('float32');
    expect(value(out)).toBeCloseTo(plain, 5);
    expect(value(L.sparseSoftmaxCrossEntropyWithLogits(y, f32(), { classWeights: [w, w, w] }))).toBeCloseTo(plain, 5);
    // with label smoothing (the targets carry the weights) and with sample weights that overflow with them
    const smooth = value(L.sparseSoftmaxCrossEntropyWithLogits(y, f32(), { labelSmoothing: 0.1 }));
    expect(value(L.sparseSoftmaxCrossEntropyWithLogits(y, f32(), { classWeights: [w, w, w], labelSmoothing: 0.1 }))).toBeCloseTo(smooth, 5);
    expect(value(L.sparseSoftmaxCrossEntropyWithLogits(y, f32(), { classWeights: [w, w, w], sampleWeight: [w, w, w] }))).toBeCloseTo(
      plain,
      5,
    );
  });

  it('float32, weights [1e300, 2e300, 1]: the weighted mean of float64 (the tiny class drops out)', () => {
    const y = [0, 1, 1];
    const l = nll(y);
    const expected = (1 * l[0] + 2 * l[1] + 2 * l[2]) / 5;
    expect(value(L.sparseSoftmaxCrossEntropyWithLogits(y, f32(), { classWeights: [1e300, 2e300, 1] }))).toBeCloseTo(expected, 5);
    // float64 was already right; it stays bit-for-bit what it was for ordinary weights
    const ordinary = L.sparseSoftmaxCrossEntropyWithLogits(y, Z, { classWeights: [1, 2, 3] });
    expect(value(ordinary)).toBeCloseTo((1 * l[0] + 2 * l[1] + 2 * l[2]) / 5, 14);
  });
});

describe('a class weight beyond float32 where its size matters is INVALID_OPTION (it used to be Infinity, NaN or a message from tensor)', () => {
  it.each([
    [
      'sparseSoftmaxCrossEntropyWithLogits',
      () => L.sparseSoftmaxCrossEntropyWithLogits([0, 1, 2], f32(), { classWeights: [1e50, 1, 1], reduction: 'sum' }),
    ],
    [
      'sparseSoftmaxCrossEntropyWithLogits',
      () => L.sparseSoftmaxCrossEntropyWithLogits([0, 1, 2], f32(), { classWeights: [1e50, 1, 1], labelSmoothing: 0.1, reduction: 'none' }),
    ],
    [
      'softmaxCrossEntropyWithLogits',
      () => L.softmaxCrossEntropyWithLogits([[1, 0, 0]], tensor([[1, 2, 3]], { dtype: 'float32' }), { classWeights: [1e50, 1, 1] }),
    ],
    [
      'sigmoidCrossEntropyWithLogits',
      () => L.sigmoidCrossEntropyWithLogits([[1, 0]], tensor([[1, 2]], { dtype: 'float32' }), { classWeights: [1, 1e300] }),
    ],
  ])('%s', (name, call) => {
    expectXentError(call, 'INVALID_OPTION', name, 'classWeights', 'float32', 'float64');
  });
});
