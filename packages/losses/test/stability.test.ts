// Extreme logits (±1e4 mixed with ordinary values): every loss stays finite and
// equals the stable formulas, lse(z) − z_y and max(z,0) − z·y + log1p(e^{−|z|}),
// with gradients softmax − P and σ − y.
import { describe, expect, it } from 'vitest';
import { readFlat, tensor, type Tensor } from '@xent/tensor';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  multiLabelCrossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../src/index.js';
import { bceLogit, lse, oneHot, sigmoidRef as sigmoid, softmaxRow, vg, type Matrix } from '../../../test/utils.js';

const Z: Matrix = [
  [1e4, -1e4, 0.5],
  [-1e4, 2, 3],
  [1e4, 1e4, -3],
  [0.1, -0.2, 1e4],
  [-1e4, -1e4, -1e4],
];
const LABELS = [1, 0, 2, 2, 1];
const SOFT: Matrix = [
  [0.2, 0.5, 0.3],
  [1, 0, 0],
  [0, 0.25, 0.75],
  [0.1, 0.1, 0.8],
  [0.3, 0.3, 0.4],
];
const finite = (t: Tensor) => readFlat(t).every(Number.isFinite);

describe('softmax family at ±1e4', () => {
  const P = oneHot(LABELS, 3);
  const hand = Z.map((r, i) => lse(r) - r[LABELS[i]]);
  const handSoft = Z.map((r, i) => SOFT[i].reduce((a, p, c) => a + p * (lse(r) - r[c]), 0));
  const gradOf = (T: Matrix) => Z.map((r, i) => softmaxRow(r).map((s, c) => s * T[i].reduce((a, b) => a + b, 0) - T[i][c]));

  it.each([
    [
      'sparseSoftmaxCrossEntropyWithLogits',
      (x: Tensor) => sparseSoftmaxCrossEntropyWithLogits(LABELS, x, { reduction: 'none' }),
      hand,
      gradOf(P),
    ],
    [
      'sparseCategoricalCrossentropy (fromLogits)',
      (x: Tensor) => sparseCategoricalCrossentropy(LABELS, x, { fromLogits: true, reduction: 'none' }),
      hand,
      gradOf(P),
    ],
    ['softmaxCrossEntropyWithLogits (one-hot)', (x: Tensor) => softmaxCrossEntropyWithLogits(P, x, { reduction: 'none' }), hand, gradOf(P)],
    [
      'softmaxCrossEntropyWithLogits (soft)',
      (x: Tensor) => softmaxCrossEntropyWithLogits(SOFT, x, { reduction: 'none' }),
      handSoft,
      gradOf(SOFT),
    ],
    [
      'categoricalCrossentropy (fromLogits)',
      (x: Tensor) => categoricalCrossentropy(SOFT, x, { fromLogits: true, reduction: 'none' }),
      handSoft,
      gradOf(SOFT),
    ],
  ] as const)('%s', (_name, f, value, grad) => {
    const r = vg(f, Z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(value, { rtol: 1e-12, atol: 1e-12 });
    expect(r.grad).toBeAllClose(grad, { rtol: 1e-12, atol: 1e-12 });
  });

  it('with label smoothing and class weights (dense smoothed targets): finite, gradient (ΣP)·softmax − P', () => {
    const w = [0.5, 2, 1];
    const eps = 0.1;
    const T = LABELS.map((t) => [0, 1, 2].map((c) => (eps / 3) * w[c] + (c === t ? (1 - eps) * w[t] : 0)));
    const r = vg((x) => sparseSoftmaxCrossEntropyWithLogits(LABELS, x, { reduction: 'none', labelSmoothing: eps, classWeights: w }), Z);
    expect(r.value).toBeAllClose(
      Z.map((row, i) => T[i].reduce((a, p, c) => a + p * (lse(row) - row[c]), 0)),
      { rtol: 1e-12 },
    );
    expect(r.grad).toBeAllClose(gradOf(T), { rtol: 1e-12, atol: 1e-12 });
  });

  it('categorical focal from logits stays finite', () => {
    const r = vg((x) => categoricalFocalCrossentropy(SOFT, x, { fromLogits: true, reduction: 'sum' }), Z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
  });
});

describe('masked logits (−∞ on classes whose target is 0): 0·log 0 = 0', () => {
  // Attention-style masks put −∞ on classes that cannot occur. The softmax losses give the loss of the
  // other classes; categorical focal computed −y·log q = −0·(−∞) = NaN there (value and gradient).
  const masked: Matrix = [
    [1, -Infinity, 0],
    [-Infinity, 2, -1],
  ];
  const targets: Matrix = [
    [0.7, 0, 0.3],
    [0, 1, 0],
  ];
  const unmasked = (r: number[]) => r.map((v) => (v === -Infinity ? -1e4 : v)); // the same loss: e^−1e4 is 0
  it('categoricalFocalCrossentropy from logits equals the focal loss with the mask at −1e4; γ = 0, α = 1 equals the softmax loss', () => {
    const opts = { fromLogits: true, reduction: 'sum' } as const;
    const got = vg((x) => categoricalFocalCrossentropy(targets, x, opts), masked);
    const ref = vg((x) => categoricalFocalCrossentropy(targets, x, opts), masked.map(unmasked));
    expect(finite(got.value) && finite(got.grad)).toBe(true);
    expect(got.value).toBeAllClose(ref.value, { rtol: 1e-14, atol: 0 });
    expect(got.grad).toBeAllClose(ref.grad, { rtol: 1e-14, atol: 1e-300 });
    const plain = vg((x) => categoricalFocalCrossentropy(targets, x, { ...opts, gamma: 0, alpha: 1 }), masked);
    const ce = vg((x) => softmaxCrossEntropyWithLogits(targets, x, { reduction: 'sum' }), masked);
    expect(plain.value).toBeAllClose(ce.value, { rtol: 1e-14, atol: 0 });
    expect(plain.grad).toBeAllClose(ce.grad, { rtol: 1e-14, atol: 1e-300 });
  });
});

describe('sigmoid family at ±1e4', () => {
  const z: Matrix = [
    [1e4, -1e4, 0.3],
    [-1e4, 1e4, -2],
    [1e4, 1e4, -1e4],
  ];
  const y: Matrix = [
    [0, 1, 1],
    [0.5, 1, 0],
    [1, 0, 0.25],
  ];
  const elem = z.map((r, i) => r.map((v, k) => bceLogit(y[i][k], v)));
  const grad = z.map((r, i) => r.map((v, k) => sigmoid(v) - y[i][k]));
  const mean = (m: Matrix) => m.map((r) => r.reduce((a, b) => a + b, 0) / r.length);

  it('sigmoidCrossEntropyWithLogits: values max(z,0) − zy + log1p(e^{−|z|}), gradient σ − y', () => {
    const r = vg((x) => sigmoidCrossEntropyWithLogits(y, x, { reduction: 'none' }), z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(elem, { rtol: 1e-12, atol: 1e-12 });
    expect(r.grad).toBeAllClose(grad, { rtol: 1e-12, atol: 1e-12 });
  });

  it('binaryCrossentropy and multiLabelCrossEntropy from logits: per-example means, gradient (σ − y)/K', () => {
    for (const f of [
      (x: Tensor) => binaryCrossentropy(y, x, { fromLogits: true, reduction: 'none' }),
      (x: Tensor) => multiLabelCrossEntropy(y, x, { reduction: 'none' }),
    ]) {
      const r = vg(f, z);
      expect(r.value).toBeAllClose(mean(elem), { rtol: 1e-12, atol: 1e-12 });
      expect(r.grad).toBeAllClose(
        grad.map((row) => row.map((g) => g / 3)),
        { rtol: 1e-12, atol: 1e-12 },
      );
    }
  });

  it('posWeight at ±1e4: (1−y)z + (1+(pw−1)y)(log1p(e^{−|z|}) + max(−z,0))', () => {
    const pw = [3, 0.5, 2];
    const hand = z.map((r, i) =>
      r.map((v, k) => (1 - y[i][k]) * v + (1 + (pw[k] - 1) * y[i][k]) * (Math.log1p(Math.exp(-Math.abs(v))) + Math.max(-v, 0))),
    );
    const r = vg((x) => sigmoidCrossEntropyWithLogits(y, x, { reduction: 'none', posWeight: pw }), z);
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(hand, { rtol: 1e-12, atol: 1e-12 });
  });

  it('binary focal from logits: finite, equals (1 − p_t)^γ · bce with p = σ(z)', () => {
    const r = vg((x) => binaryFocalCrossentropy(y, x, { fromLogits: true, reduction: 'none', gamma: 2 }), z);
    const hand = z.map(
      (row, i) =>
        row.reduce((a, v, k) => a + (y[i][k] * (1 - sigmoid(v)) + (1 - y[i][k]) * sigmoid(v)) ** 2 * bceLogit(y[i][k], v), 0) / row.length,
    );
    expect(finite(r.value) && finite(r.grad)).toBe(true);
    expect(r.value).toBeAllClose(hand, { rtol: 1e-12, atol: 1e-12 });
  });
});

describe('focal losses with γ < 1 where 1 − p_t underflows (issue 9: NaN gradients)', () => {
  // Closed forms for one logit z and a hard label (sp = softplus, stable):
  //   y = 1:  FL = σ(−z)^γ·sp(−z),   dFL/dz = −σ(−z)^γ·[γ·σ(z)·sp(−z) + σ(−z)]
  //   y = 0:  FL = σ(z)^γ·sp(z),     dFL/dz =  σ(z)^γ·[γ·σ(−z)·sp(z) + σ(z)]
  // (d/db b^γ = γb^{γ−1} diverges as b = 1 − p_t → 0, but it multiplies sp ≈ b, so the gradient → 0.)
  const sp = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  const closed = (y: number, z: number, g: number): [number, number] => {
    const s = y === 1 ? -1 : 1; // FL = σ(s·z)^γ·sp(s·z)
    const b = sigmoid(s * z);
    return [b ** g * sp(s * z), s * b ** g * (g * sigmoid(-s * z) * sp(s * z) + b)];
  };
  const zs = [-1e4, -800, -40, -5, -0.5, 0, 0.5, 5, 40, 800, 1e4];

  it.each([0.01, 0.25, 0.5, 0.99, 2])('binaryFocalCrossentropy fromLogits, γ = %s: finite, equal to the closed form', (gamma) => {
    for (const y of [0, 1]) {
      const { value, grad } = vg(
        (z) =>
          binaryFocalCrossentropy(
            zs.map(() => y),
            z,
            { fromLogits: true, gamma, reduction: 'sum' },
          ),
        zs,
      );
      expect(finite(grad), `y = ${y}`).toBe(true);
      const want = zs.map((z) => closed(y, z, gamma));
      expect(value).toBeAllClose(
        want.reduce((a, [v]) => a + v, 0),
        { rtol: 1e-12 },
      );
      // atol 1e-15: at z = ±40 the fused sigmoid op's σ(z) − y rounds e^{−40} away (absolute error 4e-18)
      expect(grad).toBeAllClose(
        want.map(([, d]) => d),
        { rtol: 1e-9, atol: 1e-15 },
      );
    }
  });

  it('float32 logits, small γ: b = σ(−z) a subnormal, where b^{γ−1} overflowed float32 (NaN gradients at z ≈ 95–103)', () => {
    const zz = [80, 88, 95, 100, 103, 104, 110];
    for (const gamma of [0.01, 0.3]) {
      for (const y of [0, 1]) {
        const s = y === 1 ? 1 : -1; // the logits that make 1 − p_t small
        const z = tensor(
          zz.map((v) => s * v),
          { dtype: 'float32' },
        );
        const { value, grad } = vg(
          (t) =>
            binaryFocalCrossentropy(
              zz.map(() => y),
              t,
              { fromLogits: true, gamma, reduction: 'none' },
            ),
          z,
        );
        expect(finite(grad), `γ = ${gamma}, y = ${y}`).toBe(true);
        // the closed forms in float64 are below 1e-35 here: float32 gives them, or 0; the gradient to the
        // absolute precision of its terms (the fused op's σ(z) − y is 1 − 1 = 0 for y = 1, as in PyTorch)
        zz.forEach((v, i) => {
          const [fl, d] = closed(y, s * v, gamma);
          expect(Math.abs(readFlat(value)[i] - fl)).toBeLessThan(1e-36);
          expect(Math.abs(readFlat(grad)[i] - d)).toBeLessThan(1e-34);
        });
      }
    }
  });

  it('the case from the issue: binaryFocalCrossentropy([1], [40], { fromLogits: true, gamma: 0.5 })', () => {
    const { value, grad } = vg((z) => binaryFocalCrossentropy([1], z, { fromLogits: true, gamma: 0.5 }), [40]);
    expect(finite(grad)).toBe(true);
    expect(value).toBeAllClose(closed(1, 40, 0.5)[0], { rtol: 1e-12 });
    expect(Math.abs(readFlat(grad)[0])).toBeLessThan(1e-25);
  });

  it('central differences agree at ordinary logits (γ = 0.5, soft and hard targets)', () => {
    const z = [-3, -0.7, 0.2, 1.5, 4];
    const y = [1, 0, 0.3, 1, 0.8];
    const f = (zz: number[]) => readFlat(binaryFocalCrossentropy(y, zz, { fromLogits: true, gamma: 0.5, reduction: 'sum' }))[0];
    const { grad } = vg((t) => binaryFocalCrossentropy(y, t, { fromLogits: true, gamma: 0.5, reduction: 'sum' }), z);
    const h = 1e-6;
    const fd = z.map((_, i) => (f(z.map((v, k) => (k === i ? v + h : v))) - f(z.map((v, k) => (k === i ? v - h : v)))) / (2 * h));
    expect(grad).toBeAllClose(fd, { rtol: 1e-6, atol: 1e-9 });
  });

  it('probabilities exactly 0 or 1: finite, and 0 where p_t = 1 (the limit of the unclipped derivative)', () => {
    for (const gamma of [0.01, 0.5, 2]) {
      const { value, grad } = vg((p) => binaryFocalCrossentropy([1, 0, 1, 0], p, { gamma, reduction: 'none' }), [1, 0, 0, 1]);
      expect(finite(grad)).toBe(true);
      expect(readFlat(grad).slice(0, 2)).toEqual(new Float64Array([0, 0]));
      // p_t = 1: ε^γ·(−log(1 − ε)) ≈ 1e-7^(γ+1) (Keras: 0); p_t = 0: (1 − ε)^γ·(−log ε)
      const v = readFlat(value);
      expect(v[0]).toBeLessThan(1e-7 ** (gamma + 1) * 1.01);
      expect(v[2]).toBeCloseTo((1 - 1e-7) ** gamma * -Math.log(1e-7), 9);
    }
  });

  it('categoricalFocalCrossentropy fromLogits with a dominant logit (q_c rounds to 1): value and gradient 0, finite', () => {
    for (const row of [
      [1e4, 0, 0],
      [40, 0, -3],
      [800, -800, 0],
    ]) {
      const { value, grad } = vg((z) => categoricalFocalCrossentropy([[1, 0, 0]], z, { fromLogits: true, gamma: 0.5 }), [row]);
      expect(finite(grad)).toBe(true);
      expect(readFlat(value)[0]).toBeLessThan(1e-25);
      expect(Math.max(...readFlat(grad).map(Math.abs))).toBeLessThan(1e-15);
    }
    const { grad } = vg((p) => categoricalFocalCrossentropy([[1, 0, 0]], p, { gamma: 0.5 }), [[1, 0, 0]]);
    expect(finite(grad)).toBe(true);
  });
});
