// Targets are constants of every loss (docs/DESIGN.md): no loss differentiates its targets,
// so targets that require a gradient while recording are refused with NO_GRADIENT — before,
// they were detached silently and valueAndGrad reported d loss/d targets = 0 (the true
// derivative of −Σ P log q is −log q). Under noGrad, or detached, they are ordinary constants.
import { describe, expect, it } from 'vitest';
import { detach, noGrad, param, valueAndGrad } from '@xent/autograd';
import { readFlat, tensor, type Tensor } from '@xent/tensor';
import * as L from '../src/index.js';
import { expectXentError } from '../../../test/utils.js';

const P = [
  [0.2, 0.3, 0.5],
  [0.1, 0.1, 0.8],
];
const Z = [
  [1, 2, 3],
  [0.5, -1, 2],
];
type Loss = (targets: Tensor, predictions: Tensor) => Tensor;
/** Every loss with soft/binary targets, on predictions that suit it (probabilities or logits). */
const SOFT: [string, Loss, number[][]][] = [
  ['binaryCrossentropy', (y, p) => L.binaryCrossentropy(y, p), P],
  ['sigmoidCrossEntropyWithLogits', (y, z) => L.sigmoidCrossEntropyWithLogits(y, z), Z],
  ['multiLabelCrossEntropy', (y, z) => L.multiLabelCrossEntropy(y, z), Z],
  ['categoricalCrossentropy', (y, p) => L.categoricalCrossentropy(y, p), P],
  ['softmaxCrossEntropyWithLogits', (y, z) => L.softmaxCrossEntropyWithLogits(y, z), Z],
  ['polyCrossEntropyWithLogits', (y, z) => L.polyCrossEntropyWithLogits(y, z), Z],
  ['crossEntropy', (y, p) => L.crossEntropy(y, p), P],
  ['klDivergence', (y, p) => L.klDivergence(y, p), P],
  ['binaryFocalCrossentropy', (y, p) => L.binaryFocalCrossentropy(y, p), P],
  ['categoricalFocalCrossentropy', (y, p) => L.categoricalFocalCrossentropy(y, p), P],
];
const SPARSE: [string, Loss, number[][]][] = [
  ['sparseCategoricalCrossentropy', (y, p) => L.sparseCategoricalCrossentropy(y, p), P],
  ['sparseSoftmaxCrossEntropyWithLogits', (y, z) => L.sparseSoftmaxCrossEntropyWithLogits(y, z), Z],
];

describe('targets that require a gradient', () => {
  it.each(SOFT)('%s: param targets are NO_GRADIENT while recording; nothing is changed', (name, loss, X) => {
    const y = param(tensor(P));
    const x = param(tensor(X));
    expectXentError(() => loss(y, x), 'NO_GRADIENT', name, 'targets', 'detach(targets)');
    expect([y.grad, x.grad]).toEqual([null, null]);
    // valueAndGrad over (targets, predictions) used to return zeros for the targets
    expectXentError(() => valueAndGrad((a: Tensor, b: Tensor) => loss(a, b))(P, X), 'NO_GRADIENT', name);
  });

  it.each(SOFT)('%s: detached or under noGrad, the same targets give the value of constant ones', (_name, loss, X) => {
    const y = param(tensor(P));
    const reference = Array.from(readFlat(loss(tensor(P), tensor(X))));
    expect(Array.from(readFlat(noGrad(() => loss(y, tensor(X)))))).toEqual(reference);
    const x = param(tensor(X));
    const out = loss(detach(y), x);
    expect(Array.from(readFlat(out))).toEqual(reference);
    out.backward();
    expect(x.grad).not.toBeNull();
    expect(y.grad).toBeNull();
  });

  it.each(SPARSE)('%s: float labels that require a gradient are NO_GRADIENT (class indices have no gradient)', (name, loss, X) => {
    const labels = param(tensor([2, 0]));
    expectXentError(() => loss(labels, tensor(X)), 'NO_GRADIENT', name, 'labels', 'detach(labels)');
    const reference = Array.from(readFlat(loss(tensor([2, 0]), tensor(X))));
    expect(Array.from(readFlat(noGrad(() => loss(labels, tensor(X)))))).toEqual(reference);
    expect(Array.from(readFlat(loss(detach(labels), tensor(X))))).toEqual(reference);
  });
});
