// Contract §3: backward through any composition of the listed ops equals the derivative of the composed
// forward. fast-check builds random chains of ops on a [2, 3] input (with views, broadcasting and axis
// choices); a naive float64 evaluator gives the value, central differences of it the gradient.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { expectClose, finiteDiff, flat, makeRandom, uniform, type Nested } from './ref.js';

const R = 2;
const C = 3;
type M = number[]; // a [2, 3] matrix, row-major
const at = (m: M, i: number, j: number): number => m[i * C + j];
const build = (f: (i: number, j: number) => number): M => Array.from({ length: R * C }, (_, k) => f(Math.floor(k / C), k % C));
const lse = (v: number[]): number => {
  const mx = Math.max(...v);
  return mx + Math.log(v.reduce((s, z) => s + Math.exp(z - mx), 0));
};
const row = (m: M, i: number): number[] => [0, 1, 2].map((j) => at(m, i, j));
const col = (m: M, j: number): number[] => [0, 1].map((i) => at(m, i, j));

const rowVec = [0.7, -1.1, 0.4];
const colVec = [[1.3], [-0.6]];
const CE_TARGETS = [
  [0.2, 0.3, 0.5],
  [1, 0, 0],
];
const mat3 = [
  [0.5, -0.2, 0.1],
  [0.3, 0.8, -0.4],
  [-0.7, 0.2, 0.6],
];

interface Step {
  name: string;
  xent: (x: T.Tensor) => T.Tensor;
  naive: (m: M) => M;
}

const steps: Step[] = [
  { name: 'exp∘(·/4)', xent: (x) => A.exp(A.div(x, 4)), naive: (m) => m.map((v) => Math.exp(v / 4)) },
  { name: 'tanh', xent: (x) => A.tanh(x), naive: (m) => m.map(Math.tanh) },
  { name: 'sigmoid', xent: (x) => A.sigmoid(x), naive: (m) => m.map((v) => 1 / (1 + Math.exp(-v))) },
  { name: 'softplus', xent: (x) => A.softplus(x), naive: (m) => m.map((v) => Math.log1p(Math.exp(v))) },
  { name: 'neg', xent: (x) => x.neg(), naive: (m) => m.map((v) => -v) },
  { name: 'log1p∘square', xent: (x) => A.log1p(A.mul(x, x)), naive: (m) => m.map((v) => Math.log1p(v * v)) },
  { name: '+ row vector', xent: (x) => A.add(x, rowVec), naive: (m) => build((i, j) => at(m, i, j) + rowVec[j]) },
  { name: '· column vector', xent: (x) => A.mul(colVec, x), naive: (m) => build((i, j) => at(m, i, j) * colVec[i][0]) },
  { name: '/ (2 + x²)', xent: (x) => A.div(x, A.add(2, A.mul(x, x))), naive: (m) => m.map((v) => v / (2 + v * v)) },
  { name: 'softmax rows', xent: (x) => A.softmax(x, -1), naive: (m) => build((i, j) => Math.exp(at(m, i, j) - lse(row(m, i)))) },
  { name: 'softmax cols', xent: (x) => A.softmax(x, 0), naive: (m) => build((i, j) => Math.exp(at(m, i, j) - lse(col(m, j)))) },
  { name: 'logSoftmax rows', xent: (x) => x.logSoftmax(), naive: (m) => build((i, j) => at(m, i, j) - lse(row(m, i))) },
  {
    name: 'x − logSumExp(x, 0, keepDims)',
    xent: (x) => A.sub(x, A.logSumExp(x, 0, { keepDims: true })),
    naive: (m) => build((i, j) => at(m, i, j) - lse(col(m, j))),
  },
  {
    name: 'x · mean(x, 1, keepDims)',
    xent: (x) => A.mul(x, A.mean(x, 1, { keepDims: true })),
    naive: (m) => build((i, j) => at(m, i, j) * (row(m, i).reduce((a, b) => a + b, 0) / C)),
  },
  {
    name: 'x + sum(x, 0)',
    xent: (x) => A.add(x, A.sum(x, 0)),
    naive: (m) => build((i, j) => at(m, i, j) + col(m, j).reduce((a, b) => a + b, 0)),
  },
  {
    name: 'matmul by [3, 3]',
    xent: (x) => A.matmul(x, mat3),
    naive: (m) => build((i, j) => [0, 1, 2].reduce((s, k) => s + at(m, i, k) * mat3[k][j], 0)),
  },
  {
    name: 'transpose, × column weights, transpose back',
    xent: (x) => A.transpose(A.mul(A.transpose(x), [[2], [-1], [0.5]])),
    naive: (m) => build((i, j) => at(m, i, j) * [2, -1, 0.5][j]),
  },
  {
    name: 'reshape [3, 2] · [1, 2], reshape back',
    xent: (x) => A.reshape(A.mul(A.reshape(x, [3, 2]), [[1.5, -0.5]]), [2, 3]),
    naive: (m) => m.map((v, k) => v * (k % 2 === 0 ? 1.5 : -0.5)),
  },
  {
    name: 'gather rows [1, 0], twice',
    xent: (x) => A.gather(A.gather(x, [1, 0], 0), [1, 0], 0),
    naive: (m) => [...m],
  },
  {
    name: 'concat halves',
    xent: (x) => A.add(A.concat([A.mul(A.gather(x, [0], 0), 2), A.gather(x, [1], 0)], 0), 0),
    naive: (m) => m.map((v, k) => (k < C ? 2 * v : v)),
  },
  {
    name: 'x · broadcastTo(x[0])',
    xent: (x) => A.mul(x, A.broadcastTo(A.gather(x, [0], 0), [2, 3])),
    naive: (m) => build((i, j) => at(m, i, j) * at(m, 0, j)),
  },
  {
    // logits 1.5·x: CE refuses the output of softmax itself as logits
    name: 'softmaxCE rows of 1.5·x, broadcast back',
    xent: (x) => A.add(x, A.expandDims(A.softmaxCrossEntropyWithLogits(CE_TARGETS, A.mul(x, 1.5)), 1)),
    naive: (m) => {
      const z = m.map((v) => 1.5 * v);
      const l = [0, 1].map((i) => lse(row(z, i)) - CE_TARGETS[i].reduce((s, pj, j) => s + pj * at(z, i, j), 0));
      return build((i, j) => at(m, i, j) + l[i]);
    },
  },
];

describe('random chains of ops: value and gradient against a naive float64 forward and central differences', () => {
  const weights = [0.3, -1.2, 0.8, 1.7, -0.5, 0.9];
  it('chains of 1 to 5 steps', () => {
    let seed = 7;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (chain, strided) => {
          const x0 = uniform(makeRandom(seed++), R * C, -1.5, 1.5);
          const naive = (v: number[]): number => chain.reduce((m, k) => steps[k].naive(m), v).reduce((s, y, i) => s + y * weights[i], 0);
          const f = (x: T.Tensor): T.Tensor =>
            A.sum(
              A.mul(
                chain.reduce((t, k) => steps[k].xent(t), x),
                T.tensor(weights, { shape: [R, C] }),
              ),
            );
          const label = chain.map((k) => steps[k].name).join(' → ');
          // the input as given, or as a transposed (non-contiguous) view of its transpose
          const storage = Array.from({ length: R * C }, (_, k) => x0[(k % R) * C + Math.floor(k / R)]); // [C, R]: element (j, i) = x0[i, j]
          const input = strided ? T.transpose(T.tensor(storage, { shape: [C, R] })) : T.tensor(x0, { shape: [R, C] });
          expect(input.toArray()).toEqual(T.tensor(x0, { shape: [R, C] }).toArray());
          const { value, grads } = A.valueAndGrad(f)(input);
          expect(Math.abs(value.item() - naive(x0)), label).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(naive(x0))));
          expectClose(flat(grads[0].toArray() as Nested), finiteDiff(naive, x0, 1e-6), 1e-7, 1e-5);
          // the same through backward on a param
          const w = A.param(T.tensor(x0, { shape: [R, C] }));
          f(w).backward();
          expectClose(w.grad!.toArray() as Nested, grads[0].toArray() as Nested, 0, 1e-15);
        },
      ),
      { numRuns: 150 },
    );
  });
});
