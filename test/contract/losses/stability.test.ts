// Contract §3/§4 numerics: the logits losses are computed stably (max-shifted logsumexp, the
// max(z,0) − z·p + log1p(e^−|z|) form), so logits of ±1e4 give the exact closed-form values and gradients,
// and probabilities at 0 or 1 are clipped to [ε, 1−ε] (finite loss, finite gradient).
import { describe, expect, it } from 'vitest';
import { param, valueAndGrad } from '@xent/autograd';
import { Tensor, tensor } from '@xent/tensor';
import { LABELS, P3, PB, Y3, YB, Z3, ZB } from './data.js';
import { expectClose, read, refValue, xentValueAndGrad, xentLoss, type LossName, type Nested, type Opts } from './reference.js';

const BIG = 1e4;

describe('logits of ±1e4', () => {
  const z = [[BIG, 0, -BIG]];
  it('softmax family: ℓ = lse(z) − z_y = 2e4 for the smallest logit, gradient softmax − onehot = [1, 0, −1]', () => {
    const labels = tensor([2], { dtype: 'int32' });
    for (const got of [
      xentValueAndGrad('sparseSoftmaxCrossEntropyWithLogits', labels, z),
      xentValueAndGrad('sparseCategoricalCrossentropy', labels, z, { fromLogits: true }),
      xentValueAndGrad('softmaxCrossEntropyWithLogits', tensor([[0, 0, 1]]), z),
      xentValueAndGrad('categoricalCrossentropy', tensor([[0, 0, 1]]), z, { fromLogits: true }),
    ]) {
      expectClose(got.value, { data: [2 * BIG], shape: [] }, { rtol: 1e-15, atol: 0 });
      expectClose(got.grad, { data: [1, 0, -1], shape: [1, 3] }, { rtol: 0, atol: 1e-15 });
    }
  });

  it('the right class at +1e4 gives exactly 0 and a zero gradient', () => {
    const got = xentValueAndGrad('sparseSoftmaxCrossEntropyWithLogits', tensor([0], { dtype: 'int32' }), z);
    expectClose(got.value, { data: [0], shape: [] }, { rtol: 0, atol: 1e-300 });
    expectClose(got.grad, { data: [0, 0, 0], shape: [1, 3] }, { rtol: 0, atol: 1e-300 });
  });

  it('Poly-1: 2e4 + ε·(1 − s_y) = 2e4 + 2, gradient [1, 0, −1]', () => {
    const got = xentValueAndGrad('polyCrossEntropyWithLogits', tensor([[0, 0, 1]]), z);
    expectClose(got.value, { data: [2 * BIG + 2], shape: [] }, { rtol: 1e-15, atol: 0 });
    // d/dz [−log s_y + ε(1 − s_y)] = (s − e_y)(1 + ε s_y); s_y = e^{−2e4} underflows to 0
    expectClose(got.grad, { data: [1, 0, -1], shape: [1, 3] }, { rtol: 0, atol: 1e-15 });
  });

  it('sigmoid family: ℓ = |z| on the wrong side, 0 on the right side; gradient σ(z) − y', () => {
    const logits = [[BIG, -BIG, BIG, -BIG]];
    const y = [[0, 1, 1, 0]];
    const sig = xentValueAndGrad('sigmoidCrossEntropyWithLogits', tensor(y), logits, { reduction: 'none' });
    expectClose(sig.value, { data: [BIG, BIG, 0, 0], shape: [1, 4] }, { rtol: 1e-15, atol: 1e-300 });
    expectClose(sig.grad, { data: [1, -1, 0, 0], shape: [1, 4] }, { rtol: 0, atol: 1e-300 });
    for (const got of [
      xentValueAndGrad('binaryCrossentropy', tensor(y), logits, { fromLogits: true }),
      xentValueAndGrad('multiLabelCrossEntropy', tensor(y), logits),
    ]) {
      expectClose(got.value, { data: [BIG / 2], shape: [] }, { rtol: 1e-15, atol: 0 });
      expectClose(got.grad, { data: [0.25, -0.25, 0, 0], shape: [1, 4] }, { rtol: 0, atol: 1e-300 });
    }
  });

  it('posWeight at ±1e4: pw·|z| for a missed positive', () => {
    const got = xentValueAndGrad('sigmoidCrossEntropyWithLogits', tensor([[1, 0]]), [[-BIG, BIG]], {
      posWeight: [3, 3],
      reduction: 'none',
    });
    expectClose(got.value, { data: [3 * BIG, BIG], shape: [1, 2] }, { rtol: 1e-15, atol: 0 });
    // d/dz = (pw·y + 1 − y)σ(z) − pw·y
    expectClose(got.grad, { data: [-3, 1], shape: [1, 2] }, { rtol: 0, atol: 1e-300 });
  });
});

describe('probabilities at 0 and 1 are clipped to [ε, 1−ε]', () => {
  it('binaryCrossentropy: q = 0 with y = 1 gives −log ε (q = 1, y = 0: −log(1 − (1−ε))), zero gradient outside the clip', () => {
    const got = xentValueAndGrad('binaryCrossentropy', tensor([1, 0, 1]), [0, 1, 1], { reduction: 'none' });
    const eps = 1e-7;
    expectClose(
      got.value,
      { data: [-Math.log(eps), -Math.log(1 - (1 - eps)), -Math.log(1 - eps)], shape: [3] },
      { rtol: 1e-12, atol: 1e-12 },
    );
    expect(got.grad.data.every(Number.isFinite)).toBe(true);
    expect(got.grad.data[0] === 0).toBe(true); // ±0
    expect(got.grad.data[1] === 0).toBe(true); // ±0
  });

  it('categoricalCrossentropy: a one-hot prediction on the wrong class gives −log ε, a finite gradient', () => {
    const got = xentValueAndGrad('categoricalCrossentropy', tensor([[0, 1, 0]]), [[1, 0, 0]], { epsilon: 1e-5 });
    expectClose(got.value, { data: [-Math.log(1e-5)], shape: [] }, { rtol: 1e-12, atol: 0 });
    expect(got.grad.data.every(Number.isFinite)).toBe(true);
  });

  it('crossEntropy: 0·log 0 = 0 (a zero target where Q is 0), finite gradient', () => {
    const got = xentValueAndGrad('crossEntropy', tensor([[0, 0.25, 0.75]]), [[0, 0.5, 0.5]], { reduction: 'none' });
    expectClose(got.value, { data: [-(0.25 * Math.log(0.5) + 0.75 * Math.log(0.5))], shape: [1] }, { rtol: 1e-12, atol: 0 });
    expect(got.grad.data.every(Number.isFinite)).toBe(true);
    expect(got.grad.data[0] === 0).toBe(true); // ±0
  });
});

describe('targets that require a gradient are constants: no gradient, whatever the class axis', () => {
  for (const axis of [-1, 1]) {
    it(`axis ${axis}`, () => {
      const y = param(
        tensor([
          [
            [0, 0.2],
            [1, 0.5],
            [0, 0.3],
          ],
        ]),
      );
      const probs = [
        [
          [0.2, 0.5],
          [0.3, 0.25],
          [0.5, 0.25],
        ],
      ];
      const p = param(tensor(axis === 1 ? probs : probs.map((m) => m.map((r) => [r[0]!, r[1]!, 1 - r[0]! - r[1]!]))));
      const t =
        axis === 1
          ? y
          : param(
              tensor([
                [
                  [0, 0.2, 0.8],
                  [1, 0, 0],
                  [0, 0.5, 0.5],
                ],
              ]),
            );
      const loss = xentLoss('categoricalCrossentropy')(t, p, { axis });
      loss.backward();
      expect(t.grad).toBeNull();
      expect(read(p.grad!).data.every(Number.isFinite)).toBe(true);
    });
  }
});

describe('targets and weights are constants: valueAndGrad gives zeros for them, .grad stays null', () => {
  it('sample and class weights that require a gradient', () => {
    const sw = param(tensor([1, 2, 3, 4]));
    const cw = param(tensor([2, 0.5, 1]));
    const z = param(tensor(Z3));
    xentLoss('sparseSoftmaxCrossEntropyWithLogits')(tensor(LABELS, { dtype: 'int32' }), z, {
      sampleWeight: sw,
      classWeights: cw,
    }).backward();
    expect(sw.grad).toBeNull();
    expect(cw.grad).toBeNull();
    expect(z.grad).not.toBeNull();
  });
  const T = (x: number[][]) => x[0]!.map((_, j) => x.map((r) => r[j]!));
  const w = (x: Nested) => param(tensor(x));
  for (const axis of [-1, 0]) {
    const tr = (x: number[][]) => (axis === 0 ? T(x) : x);
    const cases: [LossName, () => Tensor, number[][], () => Opts][] = [
      ['categoricalCrossentropy', () => w(tr(Y3)), P3, () => ({ axis, classWeights: w([1, 2, 3]), sampleWeight: w([1, 2, 3, 4]) })],
      [
        'categoricalCrossentropy',
        () => w(tr(Y3)),
        Z3,
        () => ({ axis, fromLogits: true, labelSmoothing: 0.1, sampleWeight: w([1, 2, 3, 4]) }),
      ],
      ['softmaxCrossEntropyWithLogits', () => w(tr(Y3)), Z3, () => ({ axis })],
      ['sparseCategoricalCrossentropy', () => w(LABELS), P3, () => ({ axis, classWeights: w([1, 2, 3]), sampleWeight: w([1, 2, 3, 4]) })],
      ['sparseSoftmaxCrossEntropyWithLogits', () => w(LABELS.map((y) => [y])), Z3, () => ({ axis, classWeights: w([1, 2, 3]) })],
      ['crossEntropy', () => w(tr(Y3)), P3, () => ({ axis, sampleWeight: w([1, 2, 3, 4]) })],
      ['polyCrossEntropyWithLogits', () => w(tr(Y3)), Z3, () => ({ axis })],
      ['categoricalFocalCrossentropy', () => w(tr(Y3)), P3, () => ({ axis, alpha: w([0.2, 0.3, 0.5]) })],
      ['klDivergence', () => w(tr(Y3.map((r) => r.map((v) => (v + 0.1) / 1.3)))), P3, () => ({ axis })],
    ];
    for (const [name, targets, p, options] of cases) {
      it(`${name}, class axis ${axis}: targets and weights that require a gradient`, () => {
        const t = targets();
        const o = options();
        const pp = param(tensor(tr(p)));
        xentLoss(name)(t, pp, o).backward();
        expect(t.grad).toBeNull();
        for (const v of Object.values(o)) if (v instanceof Tensor) expect(v.grad).toBeNull();
        expect(read(pp.grad!).data.every(Number.isFinite)).toBe(true);
      });
    }
  }
  it('binary family: targets, classWeights, posWeight and sampleWeight that require a gradient', () => {
    for (const [name, p, o] of [
      ['binaryCrossentropy', PB, { classWeights: w([1, 2]), sampleWeight: w([1, 2, 3, 4]) }],
      [
        'sigmoidCrossEntropyWithLogits',
        ZB,
        { posWeight: w([1, 2]), classWeights: w([1, 2]), sampleWeight: w(YB.map((r) => r.map((v) => v + 1))) },
      ],
      ['multiLabelCrossEntropy', ZB, { posWeight: w([1, 2]), classWeights: w([1, 2]), sampleWeight: w([1, 2, 3, 4]) }],
      ['binaryFocalCrossentropy', PB, { sampleWeight: w([1, 2, 3, 4]) }],
    ] as [LossName, number[][], Opts][]) {
      const t = w(YB);
      const pp = param(tensor(p));
      xentLoss(name)(t, pp, o).backward();
      expect(t.grad).toBeNull();
      for (const v of Object.values(o)) expect((v as Tensor).grad).toBeNull();
      expect(pp.grad).not.toBeNull();
    }
  });
  it('valueAndGrad with respect to soft targets returns zeros', () => {
    const { grads } = valueAndGrad((y: Tensor, logits: Tensor) => xentLoss('softmaxCrossEntropyWithLogits')(y, logits))(
      tensor(Y3),
      tensor(Z3),
    );
    expect(read(grads[0]!).data.every((g) => g === 0)).toBe(true);
    expect(read(grads[1]!).data.some((g) => g !== 0)).toBe(true);
  });
});

describe('float32 predictions (README): float32 out, and the clip in float32 as Keras does', () => {
  it("Keras's binary_crossentropy saturated case gives 3.9855962", () => {
    const f = Math.fround;
    const eps = f(1e-7);
    const hi = f(1 - eps);
    const y = [
      [1, 0],
      [1, 0],
    ];
    const q = [
      [1, 1],
      [1, 0],
    ];
    // float32 at every step: clip, both logs, the sum, the two means
    const bce = (yv: number, qv: number): number => {
      const c = Math.min(hi, Math.max(eps, qv));
      return f(-f(f(yv * f(Math.log(c))) + f((1 - yv) * f(Math.log(f(1 - c))))));
    };
    const rows = y.map((r, i) => f(f(bce(r[0]!, q[i]![0]!) + bce(r[1]!, q[i]![1]!)) / 2));
    const expected = f(f(rows[0]! + rows[1]!) / 2);
    expect(expected).toBeCloseTo(3.9855962, 6);
    const out = xentLoss('binaryCrossentropy')(y, tensor(q, { dtype: 'float32' }));
    expect(out.dtype).toBe('float32');
    expect(Math.abs(out.item() - expected)).toBeLessThanOrEqual(4e-7);
  });
  it('float32 logits give float32 losses within float32 rounding of the float64 reference', () => {
    for (const [name, t, z] of [
      ['softmaxCrossEntropyWithLogits', Y3, Z3],
      ['sigmoidCrossEntropyWithLogits', YB, ZB],
    ] as const) {
      const out = xentLoss(name)(t, tensor(z, { dtype: 'float32' }), { reduction: 'none' });
      expect(out.dtype).toBe('float32');
      const z32 = z.map((r) => r.map(Math.fround));
      expectClose(read(out), refValue(name, t, z32, { reduction: 'none' }), { rtol: 1e-6, atol: 1e-7 });
    }
  });
});
