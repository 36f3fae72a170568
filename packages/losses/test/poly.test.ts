// polyCrossEntropyWithLogits (Poly-1): optax's own test vectors, an independent plain-JS
// formula for value and gradient with every option, ε = 0 = softmax cross entropy, ±1e4 logits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradCheck } from '@xent/autograd';
import { XentError, readFlat } from '@xent/tensor';
import { polyCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from '../src/index.js';
import { problem, softmaxRow, vg, type Matrix } from '../../../test/utils.js';

// optax losses/_classification_test.py (PolyLossTest): targets and logits of one example
const Y = [0.1, 0.15, 0.2, 0.25, 0.3];
const Z = [0.14, 1.456, 2.356, -0.124, -2.47];

/** Independent reference: per row CE(P, z) + ε·Σ P(1 − q), and its gradient (ΣP)q − P + ε q(pt − P). */
function reference(P: Matrix, z: Matrix, eps: number): { loss: number[]; grad: Matrix } {
  const loss: number[] = [];
  const grad: Matrix = [];
  z.forEach((row, i) => {
    const q = softmaxRow(row);
    const sumP = P[i].reduce((a, b) => a + b, 0);
    const pt = P[i].reduce((a, p, c) => a + p * q[c], 0);
    loss.push(P[i].reduce((a, p, c) => a - p * Math.log(q[c]), 0) + eps * (sumP - pt));
    grad.push(q.map((qc, c) => sumP * qc - P[i][c] + eps * qc * (pt - P[i][c])));
  });
  return { loss, grad };
}

describe('polyCrossEntropyWithLogits', () => {
  it.each([
    [2, 4.5317],
    [1, 3.7153],
    [-1, 2.0827],
  ])("optax's vectors: ε = %s gives %s", (polyEpsilon, want) => {
    const out = polyCrossEntropyWithLogits([Y], [Z], { polyEpsilon });
    expect(readFlat(out)[0]).toBeCloseTo(want, 4);
    expect(out).toBeAllClose(reference([Y], [Z], polyEpsilon).loss[0], { rtol: 1e-14 });
  });

  it('the default ε is 2 (optax), null means the default', () => {
    const two = readFlat(polyCrossEntropyWithLogits([Y], [Z], { polyEpsilon: 2 }))[0];
    expect(readFlat(polyCrossEntropyWithLogits([Y], [Z]))[0]).toBe(two);
    expect(readFlat(polyCrossEntropyWithLogits([Y], [Z], { polyEpsilon: null }))[0]).toBe(two);
  });

  it('value and gradient equal the formula, with label smoothing, class weights, sample weights and every reduction', () => {
    fc.assert(
      fc.property(
        problem(),
        fc.double({ min: -3, max: 5, noNaN: true }),
        fc.boolean(),
        ({ z, soft, cw, sw, eps, N, C }, polyEpsilon, weighted) => {
          const o = { polyEpsilon, labelSmoothing: eps, classWeights: weighted ? cw : undefined, reduction: 'none' as const };
          const P = soft.map((r) => r.map((v, c) => (v * (1 - eps) + eps / C) * (weighted ? cw[c] : 1)));
          const want = reference(P, z, polyEpsilon);
          const got = vg((x) => polyCrossEntropyWithLogits(soft, x, o), z);
          expect(got.value).toBeAllClose(want.loss, { rtol: 1e-10, atol: 1e-12 });
          expect(got.grad).toBeAllClose(want.grad, { rtol: 1e-10, atol: 1e-12 });
          const weightedSum = want.loss.reduce((a, l, i) => a + sw[i] * l, 0);
          const mean = polyCrossEntropyWithLogits(soft, z, { ...o, reduction: 'mean', sampleWeight: sw });
          expect(mean).toBeAllClose(weightedSum / sw.slice(0, N).reduce((a, b) => a + b, 0), { rtol: 1e-10, atol: 1e-12 });
        },
      ),
    );
  });

  it('ε = 0 is softmaxCrossEntropyWithLogits, value and gradient', () => {
    const a = vg((x) => polyCrossEntropyWithLogits([Y, [0, 0, 1, 0, 0]], x, { polyEpsilon: 0, reduction: 'sum' }), [Z, Z]);
    const b = vg((x) => softmaxCrossEntropyWithLogits([Y, [0, 0, 1, 0, 0]], x, { reduction: 'sum' }), [Z, Z]);
    expect(a.value).toBeAllClose(b.value, { rtol: 1e-14 });
    expect(a.grad).toBeAllClose(b.grad, { rtol: 1e-13, atol: 1e-16 });
  });

  it('gradCheck, including the class axis first and a negative ε', () => {
    const z = [
      [0.3, -1.2, 2.0],
      [1.5, 0.1, -0.7],
    ];
    for (const [f, name] of [
      [
        (x: Parameters<typeof polyCrossEntropyWithLogits>[1]) =>
          polyCrossEntropyWithLogits(
            [
              [0.2, 0.3, 0.5],
              [0, 1, 0],
            ],
            x,
            { labelSmoothing: 0.1 },
          ),
        'rows',
      ],
      [
        (x: Parameters<typeof polyCrossEntropyWithLogits>[1]) =>
          polyCrossEntropyWithLogits(
            [
              [0.5, 0, 1],
              [0.5, 1, 0],
            ],
            x,
            { axis: 0, polyEpsilon: -1.5, reduction: 'none' },
          ),
        'axis 0',
      ],
    ] as const) {
      const r = gradCheck(f as never, [z], { name, tight: true });
      expect(r.ok).toBe(true);
    }
  });

  it('finite at ±1e4 logits: the loss is lse(z) − z·P + ε(ΣP − pt) without overflow', () => {
    const z = [
      [1e4, -1e4, 0],
      [-1e4, 1e4, 1e4],
    ];
    const P = [
      [0, 1, 0],
      [0.5, 0.25, 0.25],
    ];
    const { value, grad } = vg((x) => polyCrossEntropyWithLogits(P, x, { reduction: 'none' }), z);
    // row 2: lse = 1e4 + ln 2, CE = 0.5·(2e4 + ln 2) + 0.5·ln 2 = 1e4 + ln 2; q = [0, ½, ½], pt = ¼, ε(ΣP − pt) = 1.5
    expect(value).toBeAllClose([2e4 + 2, 1e4 + Math.LN2 + 1.5], { rtol: 1e-12 });
    expect(readFlat(grad).every(Number.isFinite)).toBe(true);
    // row 1: q = [1, 0, 0], P = e_1, pt = 0: dz = q − P + 2q(0 − P) = [1, −1, 0]
    expect(Array.from(readFlat(grad)).slice(0, 3)).toEqual([1, -1, 0]);
  });

  it.each([['2'], [true], [NaN], [Infinity], [[2]]])('polyEpsilon = %o is INVALID_OPTION', (bad) => {
    expect(() => polyCrossEntropyWithLogits([Y], [Z], { polyEpsilon: bad as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }) as XentError,
    );
  });

  it('refuses what softmaxCrossEntropyWithLogits refuses: fromLogits, a single class, targets that are not distributions', () => {
    expect(() => polyCrossEntropyWithLogits([Y], [Z], { fromLogits: true } as never)).toThrow(/always takes logits/);
    expect(() => polyCrossEntropyWithLogits([[1]], [[3]])).toThrow(expect.objectContaining({ code: 'SINGLE_CLASS_SOFTMAX' }) as XentError);
    expect(() => polyCrossEntropyWithLogits([[1, 1, 0]], [[1, 2, 3]])).toThrow(
      expect.objectContaining({ code: 'NOT_DISTRIBUTION' }) as XentError,
    );
  });
});
