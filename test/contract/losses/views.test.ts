// Tensors are ndarray views (contract §2): a transposed, sliced or broadcast (zero-stride) view must give what
// the same values laid out contiguously give, for targets, predictions and weights, value and gradient.
import { describe, it } from 'vitest';
import { broadcastTo as broadcastOp, sum, transpose as transposeOp, valueAndGrad } from '@xent/autograd';
import { broadcastTo, slice, tensor, transpose, type Tensor } from '@xent/tensor';
import { LABELS, P3, PB, Y3, YB, Z3, ZB } from './data.js';
import { expectClose, read, refGrad, refValue, xentLoss, type LossName, type Nested, type Opts } from './reference.js';

const T = (x: number[][]) => x[0]!.map((_, j) => x.map((r) => r[j]!));

/** The same values as a transposed view of their transpose. */
const transposedView = (x: number[][]): Tensor => transpose(tensor(T(x)));
/** The same values as a slice of a larger tensor (a row and a column of padding around them). */
const slicedView = (x: number[][]): Tensor => {
  const padded = [[9, ...x[0]!.map(() => 9), 9], ...x.map((r) => [7, ...r, 7])];
  return slice(tensor(padded), [
    [1, x.length + 1],
    [1, x[0]!.length + 1],
  ]);
};

const cases: [LossName, Nested, number[][], Opts, boolean][] = [
  ['binaryCrossentropy', YB, PB, { reduction: 'none' }, false],
  ['binaryCrossentropy', YB, ZB, { fromLogits: true, labelSmoothing: 0.1 }, false],
  ['sigmoidCrossEntropyWithLogits', YB, ZB, { reduction: 'none', posWeight: [2, 0.5] }, false],
  ['multiLabelCrossEntropy', YB, ZB, { classWeights: [1, 3] }, false],
  ['categoricalCrossentropy', Y3, P3, { reduction: 'none' }, false],
  ['categoricalCrossentropy', Y3, Z3, { fromLogits: true }, false],
  ['softmaxCrossEntropyWithLogits', Y3, Z3, { reduction: 'none', labelSmoothing: 0.2 }, false],
  ['sparseSoftmaxCrossEntropyWithLogits', LABELS, Z3, { reduction: 'none', classWeights: [1, 2, 3] }, true],
  ['sparseCategoricalCrossentropy', LABELS, P3, { reduction: 'sum' }, true],
  ['crossEntropy', Y3, P3, { reduction: 'none' }, false],
  ['polyCrossEntropyWithLogits', Y3, Z3, { reduction: 'none' }, false],
  ['binaryFocalCrossentropy', YB, PB, { reduction: 'none' }, false],
  ['categoricalFocalCrossentropy', Y3, P3, { reduction: 'none' }, false],
  ['klDivergence', Y3.map((r) => r.map((v) => (v + 0.1) / 1.3)), P3, { reduction: 'none' }, false],
];

describe('predictions and targets as strided views', () => {
  for (const [name, t, p, o, integer] of cases) {
    it(`${name} ${JSON.stringify(o)}`, () => {
      const fn = xentLoss(name);
      const expected = refValue(name, t, p, o);
      const expectedGrad = refGrad(name, t, p, o);
      const targets = integer ? tensor(t, { dtype: 'int32' }) : transposedView(t as number[][]);
      for (const [what, view] of [
        ['transposed', transposedView],
        ['sliced', slicedView],
      ] as const) {
        expectClose(read(fn(targets, view(p), o)), expected, undefined, `${what} predictions`);
        if (!integer)
          expectClose(read(fn(slicedView(t as number[][]), view(p), o)), expected, undefined, `${what} predictions, sliced targets`);
        // the gradient flows back through a recorded transpose into the contiguous leaf
        const { grads } = valueAndGrad((pt: Tensor) => sum(fn(targets, transposeOp(pt), o)))(tensor(T(p)));
        expectClose(
          read(grads[0]!),
          { data: T(nest2(expectedGrad.data, p.length, p[0]!.length)).flat(), shape: [p[0]!.length, p.length] },
          { rtol: 1e-7, atol: 1e-9 },
          'gradient',
        );
      }
    });
  }
});

describe('broadcast (zero-stride) views', () => {
  it('one row of logits broadcast to four examples', () => {
    const row = [0.3, -1, 2];
    const rows = [row, row, row, row];
    const o = { reduction: 'none' };
    expectClose(
      read(xentLoss('sparseSoftmaxCrossEntropyWithLogits')(tensor(LABELS, { dtype: 'int32' }), broadcastTo(tensor([row]), [4, 3]), o)),
      refValue('sparseSoftmaxCrossEntropyWithLogits', LABELS, rows, o),
    );
    expectClose(
      read(xentLoss('softmaxCrossEntropyWithLogits')(broadcastTo(tensor([Y3[1]!]), [4, 3]), broadcastTo(tensor([row]), [4, 3]), o)),
      refValue('softmaxCrossEntropyWithLogits', [Y3[1]!, Y3[1]!, Y3[1]!, Y3[1]!], rows, o),
    );
    // and the gradient of the shared row sums over the examples
    const { grads } = valueAndGrad((r: Tensor) =>
      sum(xentLoss('sparseSoftmaxCrossEntropyWithLogits')(tensor(LABELS, { dtype: 'int32' }), broadcastOp(r, [4, 3]))),
    )(tensor([row]));
    const g = refGrad('sparseSoftmaxCrossEntropyWithLogits', LABELS, rows, {});
    const summed = [0, 1, 2].map((c) => [0, 1, 2, 3].reduce((s, i) => s + g.data[3 * i + c]!, 0));
    expectClose(read(grads[0]!), { data: summed, shape: [1, 3] }, { rtol: 1e-7, atol: 1e-9 }, 'gradient');
  });
  it('a broadcast sample weight', () => {
    const sw = broadcastTo(tensor([[2]]), [4, 1]);
    expectClose(
      read(xentLoss('softmaxCrossEntropyWithLogits')(Y3, Z3, { sampleWeight: sw, reduction: 'none' })),
      refValue('softmaxCrossEntropyWithLogits', Y3, Z3, { sampleWeight: 2, reduction: 'none' }),
    );
  });
});

function nest2(data: number[], rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => data.slice(i * cols, (i + 1) * cols));
}
