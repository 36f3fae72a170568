// Numbers from Keras's own loss tests and docstrings (keras-team/keras,
// keras/src/losses/losses_test.py and losses.py, Keras 3). Keras computes in
// float32 and checks most literals with assertAlmostEqual(decimal=3), i.e.
// |actual − expected| < 1.5e-3; those cases use that tolerance here. Cases that
// depend on float32 clipping (1 − (1 − 1e-7) is 1.19e-7 in float32) are run on
// float32 tensors, which reproduces them. Keras's default reduction is
// 'sum_over_batch_size'; xent's is 'mean' (Σ sℓ / Σ s), so the weighted cases
// pass reduction: 'sum_over_batch_size' explicitly.
import { describe, expect, it } from 'vitest';
import { tensor, type NestedArray, type Tensor } from '@xent/tensor';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  klDivergence,
  sparseCategoricalCrossentropy,
} from '../src/index.js';

const f32 = (x: NestedArray) => tensor(x, { dtype: 'float32' });
const SOBS = 'sum_over_batch_size' as const;
/** Keras assertAlmostEqual(decimal=d): |a − e| < 1.5·10^−d. */
const almost = (t: Tensor, expected: NestedArray, decimal = 3) => expect(t).toBeAllClose(expected, { rtol: 0, atol: 1.5 * 10 ** -decimal });
/** Keras assertAllClose: rtol 1e-6, atol 1e-6. */
const allClose = (t: Tensor, expected: NestedArray) => expect(t).toBeAllClose(expected, { rtol: 1e-6, atol: 1e-6 });

const EYE3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

describe('BinaryCrossentropyTest', () => {
  const yb = [
    [1, 0, 1],
    [0, 1, 1],
  ];
  const zb = [
    [10, -10, 10],
    [10, 10, -10],
  ];
  const yS = [
    [1, 0],
    [1, 0],
  ];
  const pS = [
    [1, 1],
    [1, 0],
  ]; // saturated probabilities: float32 clipping matters

  it('test_all_correct_unweighted', () => {
    almost(binaryCrossentropy(EYE3, f32(EYE3)), 0);
    almost(
      binaryCrossentropy(
        EYE3,
        [
          [10, -10, -10],
          [-10, 10, -10],
          [-10, -10, 10],
        ],
        { fromLogits: true },
      ),
      0,
    );
  });
  it('test_unweighted', () => {
    allClose(
      binaryCrossentropy(
        EYE3,
        f32([
          [0.9, 0.1, 0.2],
          [0.3, 0.8, 0.1],
          [0.1, 0.2, 0.7],
        ]),
      ),
      0.20046903,
    );
    almost(binaryCrossentropy(yS, f32(pS)), 3.98559); // float32: −log(1.19e-7) = 15.942
    expect(binaryCrossentropy(yS, pS)).toBeAllClose((-Math.log(1e-7) - Math.log(1 - 1e-7) * 3) / 4, { rtol: 1e-12 }); // float64: 4.0295
    almost(binaryCrossentropy(yb, zb, { fromLogits: true }), 3.3333);
  });
  it('saturated probabilities: Keras clips in float32 (3.98559), float64 gives 4.0295, float32 inputs give Keras', () => {
    // Keras's float32 pipeline step by step: q = clip(p, ε, 1 − ε) in float32, then −log, row means, mean
    const f = Math.fround;
    const hi = f(1 - f(1e-7)); // 0.99999988: 1 − 1e-7 rounds to 1 − 2^−23
    const [right, wrong, zero] = [f(-Math.log(hi)), f(-Math.log(f(1 - hi))), f(-Math.log(f(1 - f(1e-7))))];
    const keras = f(f(f(right + wrong) / 2 + f(right + zero) / 2) / 2);
    expect(binaryCrossentropy(yS, f32(pS)).values()[0]).toBe(keras); // bit for bit
    expect(keras.toFixed(5)).toBe('3.98560'); // Keras's test: 3.98559 to 5 places (3.9855962)
    expect(binaryCrossentropy(yS, pS).values()[0]).toBeCloseTo(4.0295, 4); // float64: ε = 1e-7 exactly
  });
  it('test_scalar_weighted', () => {
    almost(binaryCrossentropy(yS, f32(pS), { sampleWeight: 2.3, reduction: SOBS }), 9.1668);
    almost(binaryCrossentropy(yb, zb, { fromLogits: true, sampleWeight: 2.3, reduction: SOBS }), 7.666);
  });
  it('test_sample_weighted', () => {
    almost(binaryCrossentropy(yS, f32(pS), { sampleWeight: [[1.2], [3.4]], reduction: SOBS }), 4.7827);
    almost(binaryCrossentropy(yb, zb, { fromLogits: true, sampleWeight: [4, 3], reduction: SOBS }), 10.0);
  });
  it('test_no_reduction', () => {
    expect(binaryCrossentropy(yb, zb, { fromLogits: true, reduction: 'none' })).toBeAllClose([0.0, 6.666], { atol: 1e-3 });
  });
  it('test_label_smoothing', () => {
    almost(binaryCrossentropy([[1, 0, 1]], [[10, -10, -10]], { fromLogits: true, labelSmoothing: 0.1 }), (10 + 5 * 0.1) / 3);
  });
  it('test_shape_mismatch', () => {
    expect(() =>
      binaryCrossentropy(
        [[0], [1], [2]],
        [
          [0.9, 0.05, 0.05],
          [0.5, 0.89, 0.6],
          [0.05, 0.01, 0.94],
        ],
      ),
    ).toThrow(/must be equal/);
  });
  it('docstring: per-example values', () => {
    almost(
      binaryCrossentropy(
        [
          [0, 1],
          [0, 0],
        ],
        [
          [0.6, 0.4],
          [0.4, 0.6],
        ],
        { reduction: 'none' },
      ),
      [0.916, 0.714],
    );
  });
});

describe('CategoricalCrossentropyTest', () => {
  // Row 2 sums to 1.99: Keras renormalises silently; xent refuses it unless validate: false.
  const pU = [
    [0.9, 0.05, 0.05],
    [0.5, 0.89, 0.6],
    [0.05, 0.01, 0.94],
  ];
  const zc = [
    [8, 1, 1],
    [0, 9, 1],
    [2, 3, 5],
  ];
  const sw3 = [[1.2], [3.4], [5.6]];

  it('test_all_correct_unweighted', () => {
    almost(categoricalCrossentropy(tensor(EYE3, { dtype: 'int32' }), f32(EYE3)), 0);
    almost(
      categoricalCrossentropy(
        EYE3,
        [
          [10, 0, 0],
          [0, 10, 0],
          [0, 0, 10],
        ],
        { fromLogits: true },
      ),
      0,
    );
  });
  it('test_unweighted', () => {
    almost(categoricalCrossentropy(EYE3, f32(pU), { validate: false }), 0.3239);
    almost(categoricalCrossentropy(EYE3, zc, { fromLogits: true }), 0.0573);
  });
  it('test_scalar_weighted', () => {
    almost(categoricalCrossentropy(EYE3, f32(pU), { validate: false, sampleWeight: 2.3, reduction: SOBS }), 0.7449);
    almost(categoricalCrossentropy(EYE3, zc, { fromLogits: true, sampleWeight: 2.3, reduction: SOBS }), 0.1317);
  });
  it('test_sample_weighted', () => {
    almost(categoricalCrossentropy(EYE3, f32(pU), { validate: false, sampleWeight: sw3, reduction: SOBS }), 1.0696);
    almost(categoricalCrossentropy(EYE3, zc, { fromLogits: true, sampleWeight: sw3, reduction: SOBS }), 0.31829);
  });
  it('test_no_reduction', () => {
    allClose(categoricalCrossentropy(EYE3, zc, { fromLogits: true, reduction: 'none' }), [0.001822, 0.000459, 0.169846]);
  });
  it('test_label_smoothing', () => {
    almost(categoricalCrossentropy([[1, 0, 0]], [[100, -100, -100]], { fromLogits: true, labelSmoothing: 0.1 }), (400 * 0.1) / 3);
  });
  it('test_shape_mismatch', () => {
    expect(() =>
      categoricalCrossentropy(
        [[0], [1], [2]],
        [
          [0.9, 0.05, 0.05],
          [0.5, 0.89, 0.6],
          [0.05, 0.01, 0.94],
        ],
      ),
    ).toThrow(/must be equal/);
  });
  it('docstring', () => {
    const y = [
      [0, 1, 0],
      [0, 0, 1],
    ];
    const p = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    almost(categoricalCrossentropy(y, p), 1.177);
    almost(categoricalCrossentropy(y, p, { sampleWeight: [0.3, 0.7], reduction: SOBS }), 0.814);
    almost(categoricalCrossentropy(y, p, { reduction: 'sum' }), 2.354);
    almost(categoricalCrossentropy(y, p, { reduction: 'none' }), [0.0513, 2.303]);
  });
});

describe('SparseCategoricalCrossentropyTest', () => {
  const pU = [
    [0.9, 0.05, 0.05],
    [0.5, 0.89, 0.6],
    [0.05, 0.01, 0.94],
  ];
  // Keras renormalises the sparse probabilities too (docs/DESIGN.md, numerical choices: the sparse loss is the categorical
  // loss on one-hot targets), so Keras's own test on the unnormalised rows pU gives its number.
  const pN = pU.map((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
  const zc = [
    [8, 1, 1],
    [0, 9, 1],
    [2, 3, 5],
  ];
  const sw3 = [[1.2], [3.4], [5.6]];

  it('test_all_correct_unweighted', () => {
    almost(sparseCategoricalCrossentropy(tensor([[0], [1], [2]], { dtype: 'int32' }), f32(EYE3)), 0);
    almost(
      sparseCategoricalCrossentropy(
        tensor([[0], [1], [2]], { dtype: 'int32' }),
        [
          [10, 0, 0],
          [0, 10, 0],
          [0, 0, 10],
        ],
        { fromLogits: true },
      ),
      0,
    );
  });
  it('test_unweighted (on renormalised rows)', () => {
    almost(sparseCategoricalCrossentropy([0, 1, 2], pN), 0.3239);
    almost(sparseCategoricalCrossentropy([0, 1, 2], zc, { fromLogits: true }), 0.0573);
    // the raw row sums to 1.99: refused by default; without validation renormalised, as Keras does (Keras's own case)
    expect(() => sparseCategoricalCrossentropy([0, 1, 2], pU)).toThrow(expect.objectContaining({ code: 'NOT_PROBABILITIES' }));
    almost(sparseCategoricalCrossentropy([0, 1, 2], pU, { validate: false }), 0.3239);
  });
  it('test_scalar_weighted', () => {
    almost(sparseCategoricalCrossentropy([[0], [1], [2]], pN, { sampleWeight: 2.3, reduction: SOBS }), 0.7449);
    almost(sparseCategoricalCrossentropy([[0], [1], [2]], zc, { fromLogits: true, sampleWeight: 2.3, reduction: SOBS }), 0.1317);
  });
  it('test_sample_weighted', () => {
    almost(sparseCategoricalCrossentropy([[0], [1], [2]], pN, { sampleWeight: sw3, reduction: SOBS }), 1.0696);
    almost(sparseCategoricalCrossentropy([[0], [1], [2]], zc, { fromLogits: true, sampleWeight: sw3, reduction: SOBS }), 0.31829);
  });
  it('test_no_reduction', () => {
    allClose(sparseCategoricalCrossentropy([[0], [1], [2]], zc, { fromLogits: true, reduction: 'none' }), [0.001822, 0.000459, 0.169846]);
  });
  it('test_ignore_class (ignoreIndex), labels [1, 2] and [1, 2, 1]', () => {
    const z = [
      [
        [0.854, 0.698, 0.598],
        [0.088, 0.86, 0.018],
      ],
    ];
    const a = sparseCategoricalCrossentropy([[-1, 2]], z, { fromLogits: true, ignoreIndex: -1, reduction: 'none' });
    const b = sparseCategoricalCrossentropy([[[-1], [2]]], z, { fromLogits: true, ignoreIndex: -1, reduction: 'none' });
    expect(a.shape).toEqual([1, 2]);
    allClose(a, [[0.0, 1.480129]]);
    allClose(b, [[0.0, 1.480129]]);
  });
  it('docstring', () => {
    const p = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    almost(sparseCategoricalCrossentropy([1, 2], p), 1.177);
    almost(sparseCategoricalCrossentropy([1, 2], p, { sampleWeight: [0.3, 0.7], reduction: SOBS }), 0.814);
    almost(sparseCategoricalCrossentropy([1, 2], p, { reduction: 'sum' }), 2.354);
    almost(sparseCategoricalCrossentropy([1, 2], p, { reduction: 'none' }), [0.0513, 2.303]);
  });
});

describe('BinaryFocalCrossentropyTest', () => {
  const y = [
    [1, 0],
    [1, 0],
  ];
  const p = [
    [0.9, 0.8],
    [0.7, 0.2],
  ];
  const yl = [
    [1, 1, 0],
    [0, 1, 0],
  ];
  const zl = [
    [1.5, -2.7, 2.9],
    [-3.8, 1.2, -4.5],
  ];

  it('test_all_correct_unweighted', () => {
    almost(binaryFocalCrossentropy(EYE3, f32(EYE3), { gamma: 1.5 }), 0);
    almost(
      binaryFocalCrossentropy(
        EYE3,
        [
          [100, -100, -100],
          [-100, 100, -100],
          [-100, -100, 100],
        ],
        { gamma: 2, fromLogits: true },
      ),
      0,
    );
  });
  it('test_unweighted', () => {
    almost(binaryFocalCrossentropy(y, f32(p), { gamma: 2 }), 0.268);
    almost(binaryFocalCrossentropy(yl, zl, { gamma: 3, fromLogits: true }), 0.799);
  });
  it('test_scalar_weighted', () => {
    almost(binaryFocalCrossentropy(y, f32(p), { gamma: 2, sampleWeight: 1.23, reduction: SOBS }), 0.3296);
    almost(binaryFocalCrossentropy(yl, zl, { gamma: 3, fromLogits: true, sampleWeight: 3.21, reduction: SOBS }), 2.565);
  });
  it('test_sample_weighted', () => {
    almost(binaryFocalCrossentropy(y, f32(p), { gamma: 2, sampleWeight: [[1.2], [3.4]], reduction: SOBS }), 0.34415);
    almost(binaryFocalCrossentropy(yl, zl, { gamma: 3, fromLogits: true, sampleWeight: [[1.2], [3.4]], reduction: SOBS }), 0.95977);
  });
  it('test_no_reduction', () => {
    allClose(binaryFocalCrossentropy(y, f32(p), { gamma: 2, reduction: 'none' }), [0.515547, 0.020513]);
  });
  it('docstring examples (class balancing, sum, none)', () => {
    const y1 = [0, 1, 0, 0];
    const z1 = [-18.6, 0.51, 2.94, -12.8];
    almost(binaryFocalCrossentropy(y1, z1, { gamma: 2, fromLogits: true }), 0.691);
    almost(binaryFocalCrossentropy(y1, z1, { gamma: 2, fromLogits: true, applyClassBalancing: true }), 0.51, 2);
    const y2 = [
      [0, 1],
      [0, 0],
    ];
    const z2 = [
      [-18.6, 0.51],
      [2.94, -12.8],
    ];
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 3, fromLogits: true }), 0.647);
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 3, fromLogits: true, applyClassBalancing: true }), 0.482);
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 3, fromLogits: true, sampleWeight: [0.8, 0.2], reduction: SOBS }), 0.133);
    almost(
      binaryFocalCrossentropy(y2, z2, { gamma: 3, fromLogits: true, applyClassBalancing: true, sampleWeight: [0.8, 0.2], reduction: SOBS }),
      0.097,
    );
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 4, fromLogits: true, reduction: 'sum' }), 1.222);
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 4, fromLogits: true, applyClassBalancing: true, reduction: 'sum' }), 0.914);
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 5, fromLogits: true, reduction: 'none' }), [0.0017, 1.1561]);
    almost(binaryFocalCrossentropy(y2, z2, { gamma: 5, fromLogits: true, applyClassBalancing: true, reduction: 'none' }), [0.0004, 0.867]);
  });
});

describe('CategoricalFocalCrossentropyTest', () => {
  const pU = [
    [0.9, 0.05, 0.05],
    [0.5, 0.89, 0.6],
    [0.05, 0.01, 0.94],
  ];
  const zc = [
    [8, 1, 1],
    [0, 9, 1],
    [2, 3, 5],
  ];
  const sw3 = [[1.2], [3.4], [5.6]];

  it('test_all_correct_unweighted', () => {
    almost(categoricalFocalCrossentropy(EYE3, f32(EYE3), { alpha: 0.25, gamma: 2 }), 0);
    almost(
      categoricalFocalCrossentropy(
        EYE3,
        [
          [10, 0, 0],
          [0, 10, 0],
          [0, 0, 10],
        ],
        { fromLogits: true },
      ),
      0,
    );
  });
  it('test_unweighted', () => {
    almost(categoricalFocalCrossentropy(EYE3, f32(pU), { validate: false }), 0.02059);
    almost(categoricalFocalCrossentropy(EYE3, zc, { fromLogits: true }), 0.000345);
  });
  it('test_scalar_weighted', () => {
    almost(categoricalFocalCrossentropy(EYE3, f32(pU), { validate: false, sampleWeight: 2.3, reduction: SOBS }), 0.047368);
    almost(categoricalFocalCrossentropy(EYE3, zc, { fromLogits: true, sampleWeight: 2.3, reduction: SOBS }), 0.000794, 4);
  });
  it('test_sample_weighted', () => {
    almost(categoricalFocalCrossentropy(EYE3, f32(pU), { validate: false, sampleWeight: sw3, reduction: SOBS }), 0.06987);
    almost(categoricalFocalCrossentropy(EYE3, zc, { fromLogits: true, sampleWeight: sw3, reduction: SOBS }), 0.001933);
  });
  it('test_no_reduction', () => {
    allClose(categoricalFocalCrossentropy(EYE3, zc, { fromLogits: true, reduction: 'none' }), [1.5096224e-9, 2.4136547e-11, 1.0360638e-3]);
  });
  it('test_label_smoothing', () => {
    almost(categoricalFocalCrossentropy([[1, 0, 0]], [[4.9, -0.5, 2.05]], { fromLogits: true, labelSmoothing: 0.1 }), 0.06685);
  });
  it('docstrings (class and function)', () => {
    const y = [
      [0, 1, 0],
      [0, 0, 1],
    ];
    const p = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    almost(categoricalFocalCrossentropy(y, p), 0.23315276);
    almost(categoricalFocalCrossentropy(y, p, { sampleWeight: [0.3, 0.7], reduction: SOBS }), 0.1632);
    almost(categoricalFocalCrossentropy(y, p, { reduction: 'sum' }), 0.46631);
    allClose(categoricalFocalCrossentropy(y, p, { reduction: 'none' }), [3.2058331e-5, 4.6627346e-1]);
    allClose(
      categoricalFocalCrossentropy(
        y,
        [
          [0.05, 0.9, 0.05],
          [0.1, 0.85, 0.05],
        ],
        { reduction: 'none' },
      ),
      [2.63401289e-4, 6.75912094e-1],
    );
  });
});

describe('KLDivergenceTest', () => {
  const yp = [
    [0.4, 0.9, 0.12],
    [0.36, 0.3, 0.4],
  ];
  const yt = [
    [0.5, 0.8, 0.12],
    [0.7, 0.43, 0.8],
  ];
  // expected_losses = y_true · log(y_true / y_pred), per element
  const per = yt.map((r, i) => r.map((t, j) => t * Math.log(t / yp[i][j])));
  const total = per.flat().reduce((a, b) => a + b, 0);
  const rowSums = per.map((r) => r.reduce((a, b) => a + b, 0));

  it('test_unweighted (rows need not sum to 1, as in Keras)', () => {
    almost(klDivergence(yt, f32(yp)), total / 2);
    expect(klDivergence(yt, yp)).toBeAllClose(total / 2, { rtol: 1e-12 });
  });
  it('test_scalar_weighted', () => {
    almost(klDivergence(yt, yp, { sampleWeight: 2.3, reduction: SOBS }), (2.3 * total) / 2);
  });
  it('test_sample_weighted', () => {
    almost(klDivergence(yt, yp, { sampleWeight: [[1.2], [3.4]], reduction: SOBS }), (rowSums[0] * 1.2 + rowSums[1] * 3.4) / 2);
  });
  it('test_timestep_weighted', () => {
    const sw = [
      [3, 6, 5],
      [0, 4, 2],
    ];
    const expected = per.flat().reduce((a, v, k) => a + v * sw.flat()[k], 0) / 6;
    const y3 = yt.map((r) => r.map((v) => [v]));
    const p3 = yp.map((r) => r.map((v) => [v]));
    almost(klDivergence(y3, p3, { sampleWeight: sw, reduction: SOBS }), expected);
  });
  it('test_zero_weighted', () => {
    almost(klDivergence(yt, yp, { sampleWeight: 0, reduction: SOBS }), 0);
    expect(klDivergence(yt, yp, { sampleWeight: 0 }).item()).toBe(0); // 'mean': Σω = 0 gives 0
  });
});
