// Properties (fast-check, seeded in vitest.setup.ts): the helpers are one cross
// entropy seen through different conversions, options mean what they say, and
// every reduction is its formula on the 'none' output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sigmoid as sigmoidOp, softmax as softmaxOp } from '@xent/autograd';
import { tensor, transpose, type Tensor } from '@xent/tensor';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  crossEntropy,
  multiLabelCrossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
  type Reduction,
} from '../src/index.js';
import {
  binaryProblem,
  bceLogit,
  flat,
  lse,
  oneHot,
  pairs,
  problem,
  sigmoidRef as sigmoid,
  softmax,
  softmaxRow,
  sumAll,
  vg,
  type Matrix,
} from '../../../test/utils.js';

const tight = { rtol: 1e-10, atol: 1e-12 };
const none = { reduction: 'none' as const };
const meanRows = (m: Matrix) => m.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
const rows = (t: Tensor) => t.toArray() as Matrix;

describe('every helper is crossEntropy on the converted P and Q', () => {
  it('categorical (probabilities and logits), softmax, sparse and sparse softmax', () => {
    fc.assert(
      fc.property(problem(), ({ z, labels, soft, C }) => {
        const q = softmax(z);
        const onehot = oneHot(labels, C);
        expect(categoricalCrossentropy(soft, q, none)).toBeAllClose(crossEntropy(soft, q, none), tight);
        expect(categoricalCrossentropy(soft, z, { ...none, fromLogits: true })).toBeAllClose(crossEntropy(soft, q, none), tight);
        expect(softmaxCrossEntropyWithLogits(soft, z, none)).toBeAllClose(crossEntropy(soft, q, none), tight);
        expect(sparseCategoricalCrossentropy(labels, q, none)).toBeAllClose(crossEntropy(onehot, q, none), tight);
        expect(sparseSoftmaxCrossEntropyWithLogits(labels, z, none)).toBeAllClose(crossEntropy(onehot, q, none), tight);
      }),
    );
  });

  it('binary: the mean over the last axis of H([1−y, y], [1−q, q]); sigmoid elementwise; multi-label per example', () => {
    fc.assert(
      fc.property(binaryProblem(), ({ z, y }) => {
        const q = z.map((r) => r.map(sigmoid));
        const h = rows(crossEntropy(pairs(y), pairs(q), none)); // [N, K]
        expect(binaryCrossentropy(y, q, none)).toBeAllClose(meanRows(h), tight);
        expect(binaryCrossentropy(y, z, { ...none, fromLogits: true })).toBeAllClose(meanRows(h), tight);
        expect(sigmoidCrossEntropyWithLogits(y, z, none)).toBeAllClose(h, tight);
        expect(multiLabelCrossEntropy(y, z, none)).toBeAllClose(meanRows(h), tight);
        expect(multiLabelCrossEntropy(y, q, { ...none, fromLogits: false })).toBeAllClose(meanRows(h), tight);
      }),
    );
  });
});

describe('fromLogits on logits equals the probability form on softmax/sigmoid of them', () => {
  it('values and gradients with respect to the logits', () => {
    fc.assert(
      fc.property(problem(), binaryProblem(), ({ z, soft, labels }, b) => {
        const a = vg((x) => categoricalCrossentropy(soft, x, { fromLogits: true }), z);
        const p = vg((x) => categoricalCrossentropy(soft, softmaxOp(x)), z);
        expect(a.value).toBeAllClose(p.value, tight);
        expect(a.grad).toBeAllClose(p.grad, { rtol: 1e-8, atol: 1e-12 });
        const s = vg((x) => sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), z);
        const sp = vg((x) => sparseCategoricalCrossentropy(labels, softmaxOp(x)), z);
        expect(s.value).toBeAllClose(sp.value, tight);
        expect(s.grad).toBeAllClose(sp.grad, { rtol: 1e-8, atol: 1e-12 });
        const bl = vg((x) => binaryCrossentropy(b.y, x, { fromLogits: true }), b.z);
        const bp = vg((x) => binaryCrossentropy(b.y, sigmoidOp(x)), b.z);
        expect(bl.value).toBeAllClose(bp.value, tight);
        expect(bl.grad).toBeAllClose(bp.grad, { rtol: 1e-8, atol: 1e-12 });
        // the gradient that reaches the logits is exactly (softmax − P)/N and (σ − y)/(N·K)
        const N = z.length;
        const q = softmax(z);
        expect(a.grad).toBeAllClose(
          q.map((r, i) => r.map((v, c) => (v - soft[i][c]) / N)),
          { rtol: 1e-12, atol: 1e-15 },
        );
        expect(bl.grad).toBeAllClose(
          b.z.map((r, i) => r.map((v, k) => (sigmoid(v) - b.y[i][k]) / (b.N * b.K))),
          { rtol: 1e-12, atol: 1e-15 },
        );
      }),
    );
  });
});

describe('sparse equals categorical on one-hot targets', () => {
  it('values and gradients, with label smoothing and class weights, probabilities and logits', () => {
    fc.assert(
      fc.property(problem(), fc.boolean(), fc.boolean(), ({ z, labels, C, cw, eps }, logits, weighted) => {
        const o = { fromLogits: logits, labelSmoothing: eps, classWeights: weighted ? cw : undefined, reduction: 'sum' as const };
        const x = logits ? z : softmax(z);
        const s = vg((p) => sparseCategoricalCrossentropy(labels, p, o), x);
        const c = vg((p) => categoricalCrossentropy(oneHot(labels, C), p, o), x);
        expect(s.value).toBeAllClose(c.value, tight);
        expect(s.grad).toBeAllClose(c.grad, { rtol: 1e-10, atol: 1e-13 });
        const t = vg(
          (p) =>
            sparseSoftmaxCrossEntropyWithLogits(labels, p, {
              labelSmoothing: eps,
              classWeights: weighted ? cw : undefined,
              reduction: 'sum',
            }),
          z,
        );
        const u = vg(
          (p) =>
            softmaxCrossEntropyWithLogits(oneHot(labels, C), p, {
              labelSmoothing: eps,
              classWeights: weighted ? cw : undefined,
              reduction: 'sum',
            }),
          z,
        );
        expect(t.value).toBeAllClose(u.value, tight);
        expect(t.grad).toBeAllClose(u.grad, { rtol: 1e-10, atol: 1e-13 });
      }),
    );
  });
});

describe('sparseCategoricalCrossentropy(y, p) = categoricalCrossentropy(onehot(y), p) on probabilities (Keras renormalises both)', () => {
  const reductions: Reduction[] = ['mean', 'sum', 'none', 'sum_over_batch_size'];
  it('value and gradient, for every option, on rows that do not sum to 1 (validate: false)', () => {
    fc.assert(
      fc.property(
        problem(),
        fc.constantFrom(...reductions),
        fc.record({ smooth: fc.boolean(), weighted: fc.boolean(), sampled: fc.boolean() }),
        fc.double({ min: 1e-7, max: 0.2, noNaN: true }),
        fc.array(fc.double({ min: 0.3, max: 3, noNaN: true }), { minLength: 5, maxLength: 5 }),
        ({ z, labels, C, cw, sw, eps }, reduction, use, epsilon, scales) => {
          const p = softmax(z).map((row, i) => row.map((v) => v * scales[i]));
          const o = {
            reduction,
            epsilon,
            validate: false,
            labelSmoothing: use.smooth ? eps : undefined,
            sampleWeight: use.sampled ? sw : undefined,
            // with 'mean', class weights enter PyTorch's divisor for integer labels only (Σ w_y), by design
            classWeights: use.weighted && reduction !== 'mean' ? cw : undefined,
          };
          const s = vg((x) => sparseCategoricalCrossentropy(labels, x, o), p);
          const c = vg((x) => categoricalCrossentropy(oneHot(labels, C), x, o), p);
          expect(s.value).toBeAllClose(c.value, tight);
          expect(s.grad).toBeAllClose(c.grad, tight);
        },
      ),
    );
  });
});

describe('label smoothing equals the smoothed targets', () => {
  it('categorical y(1−ε) + ε/C, binary y(1−ε) + ε/2, sparse (PyTorch) with class weights', () => {
    fc.assert(
      fc.property(problem(), binaryProblem(), ({ z, soft, labels, C, cw, eps }, b) => {
        const smooth = soft.map((r) => r.map((v) => v * (1 - eps) + eps / C));
        expect(categoricalCrossentropy(soft, z, { ...none, fromLogits: true, labelSmoothing: eps })).toBeAllClose(
          categoricalCrossentropy(smooth, z, { ...none, fromLogits: true, validate: false }),
          tight,
        );
        expect(softmaxCrossEntropyWithLogits(soft, z, { ...none, labelSmoothing: eps })).toBeAllClose(
          softmaxCrossEntropyWithLogits(smooth, z, none),
          tight,
        );
        const q = softmax(z);
        expect(categoricalCrossentropy(soft, q, { ...none, labelSmoothing: eps })).toBeAllClose(crossEntropy(smooth, q, none), tight);
        const by = b.y.map((r) => r.map((v) => v * (1 - b.eps) + b.eps / 2));
        expect(binaryCrossentropy(b.y, b.z, { ...none, fromLogits: true, labelSmoothing: b.eps })).toBeAllClose(
          binaryCrossentropy(by, b.z, { ...none, fromLogits: true }),
          tight,
        );
        expect(sigmoidCrossEntropyWithLogits(b.y, b.z, { ...none, labelSmoothing: b.eps })).toBeAllClose(
          sigmoidCrossEntropyWithLogits(by, b.z, none),
          tight,
        );
        // PyTorch: ℓ = (1−ε)·w_y(−log p_y) + (ε/C)·Σ_c w_c(−log p_c)
        const hand = z.map((r, i) => {
          const l = lse(r);
          const t = labels[i];
          let smoothTerm = 0;
          for (let c = 0; c < C; c++) smoothTerm += cw[c] * (l - r[c]);
          return (1 - eps) * cw[t] * (l - r[t]) + (eps / C) * smoothTerm;
        });
        expect(sparseSoftmaxCrossEntropyWithLogits(labels, z, { ...none, labelSmoothing: eps, classWeights: cw })).toBeAllClose(
          hand,
          tight,
        );
      }),
    );
  });
});

describe('reductions are their formulas on the none output', () => {
  const reductions: Reduction[] = ['mean', 'sum', 'sum_over_batch_size'];
  it('soft targets and the binary family: mean = Σsℓ/Σs, sum_over_batch_size = Σsℓ/n', () => {
    fc.assert(
      fc.property(problem(), binaryProblem(), fc.boolean(), ({ z, soft, sw }, b, weighted) => {
        const s = weighted ? sw : undefined;
        const cases: [(r: Reduction) => Tensor, number[] | undefined][] = [
          [(reduction) => softmaxCrossEntropyWithLogits(soft, z, { reduction, sampleWeight: s }), s],
          [(reduction) => categoricalCrossentropy(soft, softmax(z), { reduction, sampleWeight: s }), s],
          [
            (reduction) => binaryCrossentropy(b.y, b.z, { fromLogits: true, reduction, sampleWeight: weighted ? b.sw : undefined }),
            weighted ? b.sw : undefined,
          ],
          [
            (reduction) => multiLabelCrossEntropy(b.y, b.z, { reduction, sampleWeight: weighted ? b.sw : undefined, classWeights: b.cw }),
            weighted ? b.sw : undefined,
          ],
        ];
        for (const [f, w] of cases) {
          const values = flat(f('none'));
          const n = values.length;
          const total = values.reduce((a, v) => a + v, 0);
          const wsum = w ? w.reduce((a, v) => a + v, 0) : n;
          expect(f('sum')).toBeAllClose(total, tight);
          expect(f('sum_over_batch_size')).toBeAllClose(total / n, tight);
          expect(f('mean')).toBeAllClose(total / wsum, tight);
          for (const r of reductions) expect(f(r).shape).toEqual([]);
        }
        // sigmoid: the loss values are elements; a per-example weight [N] spreads over the K outputs
        const sv = flat(sigmoidCrossEntropyWithLogits(b.y, b.z, { reduction: 'none', sampleWeight: b.sw }));
        const total = sv.reduce((a, v) => a + v, 0);
        expect(sigmoidCrossEntropyWithLogits(b.y, b.z, { sampleWeight: b.sw })).toBeAllClose(
          total / (b.K * b.sw.reduce((a, v) => a + v, 0)),
          tight,
        );
        expect(sigmoidCrossEntropyWithLogits(b.y, b.z, { reduction: 'sum_over_batch_size', sampleWeight: b.sw })).toBeAllClose(
          total / (b.N * b.K),
          tight,
        );
      }),
    );
  });

  it("integer labels: 'mean' divides by Σ sᵢ·w_{yᵢ} over labels not ignored; sum_over_batch_size by their count", () => {
    fc.assert(
      fc.property(
        problem(6),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        ({ z, labels, cw, sw, eps }, drop, weighted, smooth) => {
          const y = labels.map((t, i) => (drop[i] ? -100 : t));
          const o = { ignoreIndex: -100, classWeights: cw, sampleWeight: weighted ? sw : undefined, labelSmoothing: smooth ? eps : 0 };
          const values = flat(sparseSoftmaxCrossEntropyWithLogits(y, z, { ...o, reduction: 'none' }));
          y.forEach((t, i) => t < 0 && expect(values[i]).toBe(0));
          const total = values.reduce((a, v) => a + v, 0);
          const kept = y.map((t, i) => [t, i]).filter(([t]) => t >= 0);
          const omega = kept.reduce((a, [t, i]) => a + (weighted ? sw[i] : 1) * cw[t], 0);
          expect(sparseSoftmaxCrossEntropyWithLogits(y, z, { ...o, reduction: 'sum' })).toBeAllClose(total, tight);
          expect(sparseSoftmaxCrossEntropyWithLogits(y, z, { ...o, reduction: 'sum_over_batch_size' })).toBeAllClose(
            kept.length ? total / kept.length : 0,
            tight,
          );
          expect(sparseSoftmaxCrossEntropyWithLogits(y, z, o)).toBeAllClose(omega > 0 ? total / omega : 0, tight);
          expect(sparseCategoricalCrossentropy(y, softmax(z), o)).toBeAllClose(omega > 0 ? total / omega : 0, { rtol: 1e-9, atol: 1e-12 });
        },
      ),
    );
  });
});

describe('class weights and ignoreIndex match hand-computed sums', () => {
  it('value and gradient of the weighted mean: w_y(softmax − onehot)/Σw_y, ignored rows 0', () => {
    fc.assert(
      fc.property(problem(6), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), ({ z, labels, cw, C }, drop) => {
        const y = labels.map((t, i) => (drop[i] ? -1 : t));
        const W = y.reduce((a, t) => a + (t >= 0 ? cw[t] : 0), 0);
        const loss = y.reduce((a, t, i) => a + (t >= 0 ? cw[t] * (lse(z[i]) - z[i][t]) : 0), 0);
        const grad = z.map((r, i) => {
          const t = y[i];
          if (t < 0 || W === 0) return r.map(() => 0);
          return softmaxRow(r).map((v, c) => (cw[t] * (v - (c === t ? 1 : 0))) / W);
        });
        const r = vg(
          (x) => sparseSoftmaxCrossEntropyWithLogits(tensor(y, { dtype: 'int32' }), x, { classWeights: cw, ignoreIndex: -1 }),
          z,
        );
        expect(r.value).toBeAllClose(W > 0 ? loss / W : 0, tight);
        expect(r.grad).toBeAllClose(grad, { rtol: 1e-10, atol: 1e-14 });
        expect(C).toBe(cw.length);
      }),
    );
  });

  it('every label ignored: mean and sum_over_batch_size give 0 with zero gradients (not NaN)', () => {
    for (const reduction of ['mean', 'sum_over_batch_size'] as const) {
      const r = vg(
        (x) => sparseSoftmaxCrossEntropyWithLogits([-100, -100], x, { ignoreIndex: -100, reduction }),
        [
          [1, 2, 3],
          [0, 0, 5],
        ],
      );
      expect(r.value.item()).toBe(0);
      expect(r.grad).toBeAllClose(
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        { rtol: 0, atol: 0 },
      );
    }
  });

  it('multi-label class weights and posWeight: (1/K) Σ_k w_k·bce_k with −[pw·y log σ + (1−y) log(1−σ)]', () => {
    fc.assert(
      fc.property(binaryProblem(), ({ z, y, cw, pw }) => {
        const logSig = (x: number) => -bceLogit(1, x); // log σ(x)
        const hand = z.map(
          (r, i) => r.reduce((a, v, k) => a + cw[k] * -(pw[k] * y[i][k] * logSig(v) + (1 - y[i][k]) * logSig(-v)), 0) / r.length,
        );
        expect(multiLabelCrossEntropy(y, z, { reduction: 'none', classWeights: cw, posWeight: pw })).toBeAllClose(hand, tight);
        expect(multiLabelCrossEntropy(y, z, { classWeights: cw, posWeight: pw })).toBeAllClose(
          hand.reduce((a, b) => a + b, 0) / hand.length,
          tight,
        );
        const q = z.map((r) => r.map(sigmoid));
        expect(multiLabelCrossEntropy(y, q, { reduction: 'none', classWeights: cw, posWeight: pw, fromLogits: false })).toBeAllClose(hand, {
          rtol: 1e-9,
          atol: 1e-12,
        });
      }),
    );
  });
});

describe('axis moves the class axis last', () => {
  it('categorical and sparse on [N, C, T] with axis 1 equal the transposed problem with axis −1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (N, C, T, seed) => {
          const zNTC = Array.from({ length: N }, (_, n) =>
            Array.from({ length: T }, (_, t) => Array.from({ length: C }, (_, c) => Math.sin(seed + 7 * n + 3 * t + c) * 3)),
          );
          const labels = Array.from({ length: N }, (_, n) => Array.from({ length: T }, (_, t) => (seed + n + t) % C));
          const zNCT = transpose(tensor(zNTC), [0, 2, 1]);
          const a = vg((x) => sparseSoftmaxCrossEntropyWithLogits(labels, x, { axis: 1, reduction: 'none' }), zNCT);
          const b = vg((x) => sparseSoftmaxCrossEntropyWithLogits(labels, x, { reduction: 'none' }), zNTC);
          expect(a.value.shape).toEqual([N, T]);
          expect(a.value).toBeAllClose(b.value, tight);
          expect(a.grad).toBeAllClose(transpose(b.grad, [0, 2, 1]), tight);
          const P = labels.map((r) => oneHot(r, C));
          const yNCT = transpose(tensor(P), [0, 2, 1]);
          expect(categoricalCrossentropy(yNCT, zNCT, { axis: 1, fromLogits: true })).toBeAllClose(
            categoricalCrossentropy(P, zNTC, { fromLogits: true }),
            tight,
          );
          expect(sumAll(crossEntropy(yNCT, softmaxOp(zNCT, 1), { axis: -2, reduction: 'none' }))).toBeCloseTo(sumAll(b.value), 9);
        },
      ),
    );
  });
});

describe('integer labels with every option at once equal a naive float64 loop', () => {
  // [N, C, T] with the classes on axis 1 (PyTorch's layout), labels [N, T] with some ignored,
  // label smoothing, class weights, sample weights of each broadcast shape, every reduction:
  //   ℓ = sᵢ·[(1−ε)·w_y·(lse − z_y) + (ε/C)·Σ_c w_c·(lse − z_c)],  'mean' = Σℓ / Σ sᵢ·w_{yᵢ} over labels kept
  it('value of sparseSoftmaxCrossEntropyWithLogits and sparseCategoricalCrossentropy (fromLogits)', () => {
    const reductions: Reduction[] = ['mean', 'sum', 'none', 'sum_over_batch_size'];
    fc.assert(
      fc.property(
        fc.record({
          N: fc.integer({ min: 1, max: 3 }),
          C: fc.integer({ min: 2, max: 4 }),
          T: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer({ min: 0, max: 1000 }),
          smoothing: fc.constantFrom(0, 0.1, 1),
          swKind: fc.constantFrom('scalar', '[N]', '[N, 1]', '[N, T]'),
          reduction: fc.constantFrom(...reductions),
        }),
        ({ N, C, T, seed, smoothing, swKind, reduction }) => {
          const z = Array.from({ length: N }, (_, n) =>
            Array.from({ length: C }, (_, c) => Array.from({ length: T }, (_, t) => Math.sin(seed + 5 * n + 3 * c + t) * 4)),
          );
          const y = Array.from({ length: N }, (_, n) => Array.from({ length: T }, (_, t) => ((seed + 2 * n + t) % (C + 1)) - 1)); // −1 ignored
          const w = Array.from({ length: C }, (_, c) => 0.5 + ((seed + c) % 3));
          const s = Array.from({ length: N }, (_, n) => Array.from({ length: T }, (_, t) => 0.25 + ((seed + n + 2 * t) % 4) / 2));
          const sOf = (n: number, t: number) => (swKind === 'scalar' ? 0.75 : swKind === '[N, T]' ? s[n][t] : s[n][0]);
          const sampleWeight =
            swKind === 'scalar' ? 0.75 : swKind === '[N]' ? s.map((r) => r[0]) : swKind === '[N, 1]' ? s.map((r) => [r[0]]) : s;
          const values: number[] = [];
          let [total, weights, kept] = [0, 0, 0];
          for (let n = 0; n < N; n++) {
            for (let t = 0; t < T; t++) {
              const col = z[n].map((r) => r[t]);
              const l = lse(col);
              const label = y[n][t];
              if (label < 0) {
                values.push(0);
                continue;
              }
              let v = (1 - smoothing) * w[label] * (l - col[label]);
              for (let c = 0; c < C; c++) v += (smoothing / C) * w[c] * (l - col[c]);
              v *= sOf(n, t);
              values.push(v);
              [total, weights, kept] = [total + v, weights + sOf(n, t) * w[label], kept + 1];
            }
          }
          const divisor = { mean: weights, sum: 1, none: 1, sum_over_batch_size: kept }[reduction];
          const expected = reduction === 'none' ? values : [divisor > 0 ? total / divisor : 0];
          const options = { axis: 1, ignoreIndex: -1, labelSmoothing: smoothing, classWeights: w, sampleWeight, reduction };
          expect(flat(sparseSoftmaxCrossEntropyWithLogits(y, z, options))).toEqual(expected.map((v) => expect.closeTo(v, 10)));
          expect(flat(sparseCategoricalCrossentropy(y, z, { ...options, fromLogits: true }))).toEqual(
            expected.map((v) => expect.closeTo(v, 10)),
          );
        },
      ),
    );
  });
});

describe('dtypes', () => {
  it('float32 predictions give float32 losses; int32 or float labels give the same result', () => {
    const z32 = tensor(
      [
        [1, 2, 3],
        [0, -1, 4],
      ],
      { dtype: 'float32' },
    );
    expect(sparseSoftmaxCrossEntropyWithLogits([2, 0], z32).dtype).toBe('float32');
    expect(binaryCrossentropy([[1, 0, 1]], tensor([[0.2, 0.3, 0.9]], { dtype: 'float32' }), { sampleWeight: [2] }).dtype).toBe('float32');
    expect(
      sparseSoftmaxCrossEntropyWithLogits(tensor([2, 0], { dtype: 'int32' }), [
        [1, 2, 3],
        [0, -1, 4],
      ]),
    ).toBeAllClose(
      sparseSoftmaxCrossEntropyWithLogits(
        [[2], [0]],
        [
          [1, 2, 3],
          [0, -1, 4],
        ],
      ),
      { rtol: 0, atol: 0 },
    );
  });
});
