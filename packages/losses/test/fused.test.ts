// The losses hand their reduction and target check to the fused op's pass where they can (no
// sample or class weights, no label smoothing for the check). Same values, gradients and errors
// as the path through ordinary ops (forced here with a sample weight of 1, or label smoothing),
// on both backends, with sizes below and above the WebAssembly threshold.
import { afterEach, describe, expect, it } from 'vitest';
import { param, valueAndGrad } from '@xent/autograd';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  multiLabelCrossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
} from '@xent/losses';
import { Rng, getBackend, setBackend, tensor, type Backend, type Tensor } from '@xent/tensor';
import { availableBackends, expectXentError, flat } from '../../../test/utils.js';

const initial: Backend = getBackend();
afterEach(() => setBackend(initial));
const backends = availableBackends();

type Loss = (y: Tensor, z: Tensor, o: Record<string, unknown>) => Tensor;
const rng = new Rng(41);
const normal = (n: number, s: number) => Array.from({ length: n }, () => rng.normal() * s);

/** Targets of each kind for [rows, cols] logits. */
function targets(kind: 'unit' | 'hot' | 'labels', rows: number, cols: number): Tensor {
  if (kind === 'labels') return tensor(Array.from({ length: rows }, (_, r) => (r * 5) % cols));
  const v = Array.from({ length: rows * cols }, (_, i) =>
    kind === 'unit' ? rng.uniform(0, 1) : i % cols === (Math.floor(i / cols) * 5) % cols ? 1 : 0,
  );
  return tensor(v).reshape([rows, cols]);
}

const cases: [string, Loss, 'unit' | 'hot' | 'labels'][] = [
  ['sigmoidCrossEntropyWithLogits', (y, z, o) => sigmoidCrossEntropyWithLogits(y, z, o), 'unit'],
  ['binaryCrossentropy (fromLogits)', (y, z, o) => binaryCrossentropy(y, z, { fromLogits: true, ...o }), 'unit'],
  ['multiLabelCrossEntropy', (y, z, o) => multiLabelCrossEntropy(y, z, o), 'unit'],
  ['softmaxCrossEntropyWithLogits', (y, z, o) => softmaxCrossEntropyWithLogits(y, z, o), 'hot'],
  ['categoricalCrossentropy (fromLogits)', (y, z, o) => categoricalCrossentropy(y, z, { fromLogits: true, ...o }), 'hot'],
  ['sparseSoftmaxCrossEntropyWithLogits', (y, z, o) => sparseSoftmaxCrossEntropyWithLogits(y, z, o), 'labels'],
  ['sparseCategoricalCrossentropy (fromLogits)', (y, z, o) => sparseCategoricalCrossentropy(y, z, { fromLogits: true, ...o }), 'labels'],
];

describe.each(backends)('fused reduction = the reduction as ops (backend %s)', (backend) => {
  it.each(cases)('%s: value and gradient for every reduction, [3, 4] and [40, 9]', (_name, loss, kind) => {
    setBackend(backend);
    for (const [rows, cols] of [
      [3, 4],
      [40, 9],
    ]) {
      const z = tensor(normal(rows * cols, 3)).reshape([rows, cols]);
      const y = targets(kind, rows, cols);
      for (const reduction of ['mean', 'sum', 'sum_over_batch_size'] as const) {
        const fused = valueAndGrad((t) => loss(y, t, { reduction }))(z);
        const ops = valueAndGrad((t) => loss(y, t, { reduction, sampleWeight: 1 }))(z);
        expect(fused.value.shape).toEqual([]);
        const [a, b] = [fused.value.item(), ops.value.item()];
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));
        const [ga, gb] = [flat(fused.grads[0]), flat(ops.grads[0])];
        ga.forEach((g, i) => expect(Math.abs(g - gb[i])).toBeLessThanOrEqual(1e-12 * Math.abs(gb[i]) + 1e-16));
      }
    }
  });
});

describe.each(backends)('target check in the kernel pass: the same error as the separate check (backend %s)', (backend) => {
  it.each(cases.filter((c) => c[2] !== 'labels'))('%s: code and message equal, nothing recorded', (_name, loss, kind) => {
    setBackend(backend);
    for (const [rows, cols] of [
      [3, 4],
      [40, 9],
    ]) {
      const z = param(tensor(normal(rows * cols, 2)).reshape([rows, cols]));
      const y = flat(targets(kind, rows, cols));
      y[(rows - 1) * cols + 2] = kind === 'unit' ? 1.5 : 0.5; // the last row: outside [0, 1] / summing to 1.5
      const bad = tensor(y).reshape([rows, cols]);
      const fused = expectXentError(() => loss(bad, z, {}));
      // Label smoothing keeps the separate check on the targets as given (they are smoothed after it).
      const separate = expectXentError(() => loss(bad, z, { labelSmoothing: 0.1 }));
      expect([fused.code, fused.message]).toEqual([separate.code, separate.message]);
      expect(fused.code).toBe(kind === 'unit' ? 'BAD_TARGETS' : 'NOT_DISTRIBUTION');
      expect(fused.message).toContain(`[${rows - 1}`);
      expect(z.node).toBeNull();
      expect(z.grad).toBeNull();
      // { validate: false } skips the check, fused or not.
      expect(Number.isFinite(loss(bad, z, { validate: false }).item())).toBe(true);
    }
  });
});
