// Every case of fixtures/torch-cases.json (computed by PyTorch 1.13 in float64,
// see fixtures/README.md): the loss value and the gradient of sum(output) with
// respect to the predictions, at rtol 1e-12 (the required bound is 1e-7).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sum, valueAndGrad } from '@xent/autograd';
import { readFlat, tensor, type NestedArray, type Tensor } from '@xent/tensor';
import * as L from '../src/index.js';

interface TorchCase {
  id: string;
  loss: string;
  targetsDtype: 'int32' | 'float';
  targets: NestedArray;
  predictions: NestedArray;
  options: Record<string, unknown>;
  value: NestedArray;
  grad: NestedArray;
}

// Tighter than the required rtol 1e-7: the fused ops reproduce PyTorch to about one ulp.
const TOL = { rtol: 1e-12, atol: 1e-14 };
const file = new URL('./fixtures/torch-cases.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: TorchCase[] };
const losses = L as unknown as Record<string, (t: Tensor, p: Tensor, o?: Record<string, unknown>) => Tensor>;

describe('PyTorch 1.13 float64 reference cases', () => {
  it('has all 211 cases, over the eight losses', () => {
    expect(cases.length).toBe(211);
    expect(new Set(cases.map((c) => c.loss))).toEqual(
      new Set([
        'binaryCrossentropy',
        'categoricalCrossentropy',
        'sparseCategoricalCrossentropy',
        'sigmoidCrossEntropyWithLogits',
        'softmaxCrossEntropyWithLogits',
        'sparseSoftmaxCrossEntropyWithLogits',
        'multiLabelCrossEntropy',
        'crossEntropy',
      ]),
    );
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const fn = losses[c.loss];
    expect(typeof fn).toBe('function');
    const targets = tensor(c.targets, { dtype: c.targetsDtype === 'int32' ? 'int32' : 'float64' });
    const predictions = tensor(c.predictions);
    let out: Tensor | undefined;
    const { grads } = valueAndGrad((p: Tensor) => sum((out = fn(targets, p, c.options))))(predictions);
    expect(out).toBeAllClose(c.value, TOL);
    expect(grads[0]).toBeAllClose(c.grad, TOL);
  });
});

// The same cases with float32 predictions (and float targets): float32 arithmetic on inputs rounded to
// float32, so each value may move by about |gradient|·|input|·2^-24 plus a few float32 ulp of the result.
const LOGIT_LOSSES = new Set([
  'softmaxCrossEntropyWithLogits',
  'sparseSoftmaxCrossEntropyWithLogits',
  'sigmoidCrossEntropyWithLogits',
  'crossEntropy',
]);
describe('PyTorch 1.13 float64 reference cases, computed in float32', () => {
  const f32Cases = cases.filter((c) => LOGIT_LOSSES.has(c.loss));

  it('has the 105 cases of the four losses with logits', () => expect(f32Cases.length).toBe(105));

  it.each(f32Cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const targets = tensor(c.targets, { dtype: c.targetsDtype === 'int32' ? 'int32' : 'float32' });
    const predictions = tensor(c.predictions, { dtype: 'float32' });
    const scale = Math.max(1, ...Array.from(readFlat(predictions), Math.abs));
    let out: Tensor | undefined;
    const { grads } = valueAndGrad((p: Tensor) => sum((out = losses[c.loss](targets, p, c.options))))(predictions);
    expect(out!.dtype).toBe('float32');
    expect(out).toBeAllClose(c.value, { rtol: 1e-5, atol: 1e-6 * scale });
    expect(grads[0]).toBeAllClose(c.grad, { rtol: 1e-5, atol: 1e-6 });
  });
});
