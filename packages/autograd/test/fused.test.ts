// The fused cross-entropy ops against independent references: the composed
// graph of primitive ops, naive loops, invariants (shift, zero row sums),
// extreme logits, dtypes, labels and options.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Tensor, oneHot, tensor, zeros } from '@xent/tensor';
import {
  add,
  gradients,
  log,
  logSoftmax,
  mul,
  neg,
  param,
  polyCrossEntropyWithLogits,
  sigmoid,
  sigmoidCrossEntropyWithLogits,
  softmax,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sub,
  sum,
  valueAndGrad,
} from '@xent/autograd';
import {
  distributionsArb,
  expectXentError,
  flat,
  naiveSigmoidCE,
  naiveSoftmaxCE,
  naiveSoftmaxRows,
  normals,
  sigmoidRef,
  t64,
  uniforms,
  valuesArb,
} from '../../../test/utils.js';

const TIGHT = { rtol: 1e-12, atol: 1e-12 };

/** The composed (unfused) softmax cross entropy: −Σ p · logSoftmax(z) over the last axis. */
const composedSoftmaxCE = (p: Tensor, z: Tensor) => neg(sum(mul(p, logSoftmax(z)), -1));
/** The composed sigmoid cross entropy: −[w·p log σ(z) + (1−p) log(1−σ(z))]. */
const composedSigmoidCE = (p: Tensor, z: Tensor, w: Tensor | number = 1) =>
  neg(add(mul(w, mul(p, log(sigmoid(z)))), mul(sub(1, p), log(sub(1, sigmoid(z))))));

/** valueAndGrad of f(targets, logits) with an explicit seed dy (the fused ops return one loss per row). */
function vg(f: (p: Tensor, z: Tensor) => Tensor, p: Tensor, z: Tensor, dy: Tensor) {
  return valueAndGrad((a, b) => f(a, b), { dy })(p, z);
}

const shapeCases: [string, number[]][] = [
  ['[4,5]', [4, 5]],
  ['3-D [2,3,4]', [2, 3, 4]],
  ['1-D [6]', [6]],
];

describe('fused equals composed (value and gradient to ~1e-12)', () => {
  it.each(shapeCases)('softmaxCrossEntropyWithLogits %s', (_l, shape) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const cols = shape[shape.length - 1];
        const rows = shape.reduce((a, b) => a * b, 1) / cols;
        const z = t64(normals(rows * cols, seed, 3), shape);
        const p = t64(naiveSoftmaxRows(normals(rows * cols, seed + 1, 2), cols), shape);
        const dy = t64(normals(rows, seed + 2), shape.slice(0, -1));
        const fused = vg(softmaxCrossEntropyWithLogits, p, z, dy);
        const composed = vg(composedSoftmaxCE, p, z, dy);
        expect(fused.value).toBeAllClose(composed.value, TIGHT);
        expect(fused.grads[1]).toBeAllClose(composed.grads[1], TIGHT);
        // and against the naive loop
        expect(fused.value).toBeAllClose(t64(naiveSoftmaxCE(flat(p), flat(z), cols), shape.slice(0, -1)), TIGHT);
      }),
      { numRuns: 10 },
    );
  });

  it.each(shapeCases)('sparseSoftmaxCrossEntropyWithLogits %s', (_l, shape) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const cols = shape[shape.length - 1];
        const rows = shape.reduce((a, b) => a * b, 1) / cols;
        const z = t64(normals(rows * cols, seed, 3), shape);
        const y = tensor(uniforms(rows, seed + 1, 0, cols).map(Math.floor), { dtype: 'int32', shape: shape.slice(0, -1) });
        const dy = t64(normals(rows, seed + 2), shape.slice(0, -1));
        const fused = valueAndGrad((v) => sparseSoftmaxCrossEntropyWithLogits(y, v), { dy })(z);
        const composed = vg(composedSoftmaxCE, oneHot(y, cols), z, dy);
        expect(fused.value).toBeAllClose(composed.value, TIGHT);
        expect(fused.grads[0]).toBeAllClose(composed.grads[1], TIGHT);
      }),
      { numRuns: 10 },
    );
  });

  it.each([
    ['[4,5]', [4, 5]],
    ['3-D [2,3,4]', [2, 3, 4]],
  ])('sigmoidCrossEntropyWithLogits %s, with and without posWeight', (_l, shape) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const C = shape[shape.length - 1];
        const z = t64(normals(n, seed, 2.5), shape);
        const p = t64(uniforms(n, seed + 1), shape);
        const dy = t64(normals(n, seed + 2), shape);
        const w = t64(uniforms(C, seed + 3, 0.2, 5), [C]);
        const fused = vg(sigmoidCrossEntropyWithLogits, p, z, dy);
        const composed = vg((a, b) => composedSigmoidCE(a, b), p, z, dy);
        expect(fused.value).toBeAllClose(composed.value, TIGHT);
        expect(fused.grads[1]).toBeAllClose(composed.grads[1], TIGHT);
        const fusedW = vg((a, b) => sigmoidCrossEntropyWithLogits(a, b, w), p, z, dy);
        const composedW = vg((a, b) => composedSigmoidCE(a, b, w), p, z, dy);
        expect(fusedW.value).toBeAllClose(composedW.value, TIGHT);
        expect(fusedW.grads[1]).toBeAllClose(composedW.grads[1], TIGHT);
      }),
      { numRuns: 10 },
    );
  });
});

describe('invariants', () => {
  const rowsCols = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }));

  it('shifting every logit of a row by a constant leaves loss and gradient unchanged', () => {
    fc.assert(
      fc.property(
        rowsCols.chain(([r, c]) => fc.tuple(fc.constant([r, c]), valuesArb(r * c, -5, 5), distributionsArb(r, c), valuesArb(r, -50, 50))),
        ([[r, c], zs, ps, shifts]) => {
          const z = t64(zs, [r, c]);
          const zShift = t64(
            zs.map((v, i) => v + shifts[Math.floor(i / c)]),
            [r, c],
          );
          const p = t64(ps, [r, c]);
          const y = tensor(
            ps.filter((_, i) => i % c === 0).map((_, k) => k % c),
            { dtype: 'int32' },
          );
          const a = valueAndGrad((v) => sum(softmaxCrossEntropyWithLogits(p, v)))(z);
          const b = valueAndGrad((v) => sum(softmaxCrossEntropyWithLogits(p, v)))(zShift);
          expect(b.value).toBeAllClose(a.value, { rtol: 1e-11, atol: 1e-11 });
          expect(b.grads[0]).toBeAllClose(a.grads[0], { rtol: 1e-11, atol: 1e-12 });
          const s = sparseSoftmaxCrossEntropyWithLogits(y, z);
          const sShift = sparseSoftmaxCrossEntropyWithLogits(y, zShift);
          expect(sShift).toBeAllClose(s, { rtol: 1e-11, atol: 1e-11 });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('each gradient row sums to 0 when the targets sum to 1 (softmax and sparse)', () => {
    fc.assert(
      fc.property(
        rowsCols.chain(([r, c]) =>
          fc.tuple(
            fc.constant([r, c]),
            valuesArb(r * c, -8, 8),
            distributionsArb(r, c),
            fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: r, maxLength: r }),
            valuesArb(r, -2, 2),
          ),
        ),
        ([[r, c], zs, ps, ys, dys]) => {
          const z = t64(zs, [r, c]);
          const dy = t64(dys, [r]);
          const g1 = valueAndGrad((v) => softmaxCrossEntropyWithLogits(t64(ps, [r, c]), v), { dy })(z).grads[0];
          const g2 = valueAndGrad((v) => sparseSoftmaxCrossEntropyWithLogits(tensor(ys, { dtype: 'int32' }), v), { dy })(z).grads[0];
          for (const g of [g1, g2]) {
            const rowSums = sum(g, -1);
            expect(rowSums).toBeAllClose(zeros([r]), { rtol: 0, atol: 1e-14 });
          }
          // and the gradient itself is (softmax − p)·dy
          const soft = naiveSoftmaxRows(zs, c);
          expect(g1).toBeAllClose(
            t64(
              soft.map((s, i) => (s - ps[i]) * dys[Math.floor(i / c)]),
              [r, c],
            ),
            { rtol: 1e-12, atol: 1e-14 },
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('extreme logits: |z| = 1e4 mixed with ordinary values', () => {
  it('softmax: finite loss and gradient equal to the stable formulas', () => {
    const z = t64([1e4, -1e4, 0.5, 3, -1e4, 2, 1e4, 0], [2, 4]);
    const p = t64([0.25, 0.25, 0.25, 0.25, 0.5, 0.5, 0, 0], [2, 4]);
    const { value, grads } = valueAndGrad((v) => softmaxCrossEntropyWithLogits(p, v), { dy: [1, 1] })(z);
    // row 0: lse = 1e4 (the others are e^−1e4 ≈ 0 beside it); loss = lse − Σ p z = 1e4 − (1e4 − 1e4 + 0.5 + 3)/4
    // row 1: lse = 1e4; loss = 1e4 − (−1e4 + 2)/2 = 1.5e4 − 1
    expect(flat(value)).toEqual([1e4 - 3.5 / 4, 1.5e4 - 1]);
    expect(flat(value).every(Number.isFinite)).toBe(true);
    // gradient = softmax − p, softmax = one-hot of the 1e4 entry
    expect(grads[0]).toBeAllClose(t64([0.75, -0.25, -0.25, -0.25, -0.5, -0.5, 1, 0], [2, 4]), { rtol: 0, atol: 1e-15 });
    expect(value).toBeAllClose(t64(naiveSoftmaxCE(flat(p), flat(z), 4), [2]), { rtol: 1e-15, atol: 0 });
  });

  it('sparse: finite loss and gradient', () => {
    const z = t64([1e4, -1e4, 0.5, -1e4, 1e4, 1e4], [2, 3]);
    const { value, grads } = valueAndGrad((v) => sparseSoftmaxCrossEntropyWithLogits(tensor([1, 2], { dtype: 'int32' }), v), {
      dy: [1, 1],
    })(z);
    // row 0: lse = 1e4, loss = 1e4 − (−1e4) = 2e4; row 1: lse = 1e4 + log 2, loss = log 2
    expect(value).toBeAllClose([2e4, Math.LN2], { rtol: 1e-15, atol: 1e-12 });
    expect(grads[0]).toBeAllClose(
      [
        [1, -1, 0],
        [0, 0.5, -0.5],
      ],
      { rtol: 0, atol: 1e-15 },
    );
  });

  it('sigmoid (with and without posWeight): finite and equal to max(z,0) − z·p + log1p(e^−|z|)', () => {
    const zs = [1e4, -1e4, 0.5, -2, 1e4, -1e4];
    const ps = [0.3, 0.3, 0.7, 0, 1, 1];
    const z = t64(zs, [6]);
    const p = t64(ps, [6]);
    const { value, grads } = valueAndGrad((v) => sigmoidCrossEntropyWithLogits(p, v), { dy: t64([1, 1, 1, 1, 1, 1], [6]) })(z);
    const stable = zs.map((v, i) => Math.max(v, 0) - v * ps[i] + Math.log1p(Math.exp(-Math.abs(v))));
    expect(value).toBeAllClose(t64(stable, [6]), { rtol: 1e-15, atol: 1e-15 });
    expect(flat(value).slice(0, 2)).toEqual([7000, 3000]);
    expect(flat(value)[5]).toBe(1e4);
    expect(grads[0]).toBeAllClose(
      t64(
        zs.map((v, i) => sigmoidRef(v) - ps[i]),
        [6],
      ),
      { rtol: 1e-15, atol: 1e-15 },
    );
    // posWeight w: ℓ = (1−p)·z + (1 + (w−1)p)·(log1p(e^−|z|) + max(−z, 0))
    const w = 3;
    const withW = valueAndGrad((v) => sigmoidCrossEntropyWithLogits(p, v, w), { dy: t64([1, 1, 1, 1, 1, 1], [6]) })(z);
    const stableW = zs.map((v, i) => (1 - ps[i]) * v + (1 + (w - 1) * ps[i]) * (Math.log1p(Math.exp(-Math.abs(v))) + Math.max(-v, 0)));
    expect(withW.value).toBeAllClose(t64(stableW, [6]), { rtol: 1e-15, atol: 1e-12 });
    expect(flat(withW.value).every(Number.isFinite)).toBe(true);
    expect(flat(withW.grads[0]).every(Number.isFinite)).toBe(true);
    expect(withW.grads[0]).toBeAllClose(
      t64(
        zs.map((v, i) => 1 - ps[i] - (1 + (w - 1) * ps[i]) * (1 - sigmoidRef(v))),
        [6],
      ),
      { rtol: 1e-14, atol: 1e-15 },
    );
  });
});

describe('sigmoid with posWeight: the gradient keeps its relative precision where σ(z) is small', () => {
  // dℓ/dz = (1−p)·σ(z) − w·p·σ(−z): confident negatives (z ≪ 0) with small targets (label smoothing) give a gradient
  // much smaller than 1, which (1−p) − (1 + (w−1)p)·σ(−z) computed with an absolute error of ~1 ulp of 1
  // (relative 4e-7 at p = 1e-10, z = −30, w = 3; in float32, where σ(−z) is stored as 1, 3e-4 there).
  const zs = [-30, -12, -40, 8];
  const ps = [1e-10, 5e-4, 0.01, 0.2];
  const w = 3;
  it.each([
    ['float64', 1e-14],
    ['float32', 5e-7],
  ] as const)('%s', (dtype, rtol) => {
    const pv = dtype === 'float32' ? ps.map(Math.fround) : ps;
    const exact = zs.map((z, i) => (1 - pv[i]) * sigmoidRef(z) - w * pv[i] * sigmoidRef(-z));
    const z = tensor(zs, { dtype });
    const { grads } = valueAndGrad((v) => sigmoidCrossEntropyWithLogits(tensor(ps, { dtype }), v, w).sum())(z);
    flat(grads[0]).forEach((g, i) =>
      expect(Math.abs(g - exact[i]), `z = ${zs[i]}, p = ${ps[i]}: ${g} vs ${exact[i]}`).toBeLessThanOrEqual(rtol * Math.abs(exact[i])),
    );
  });
});

describe('dy = 0 gives zero gradients; targets and labels get none', () => {
  const z = t64(normals(12, 4), [3, 4]);
  const p = t64(naiveSoftmaxRows(normals(12, 5), 4), [3, 4]);
  const y = tensor([3, 0, 2], { dtype: 'int32' });

  it('dy = 0', () => {
    const cases: [string, (v: Tensor) => Tensor, number[]][] = [
      ['softmax', (v) => softmaxCrossEntropyWithLogits(p, v), [3]],
      ['sparse', (v) => sparseSoftmaxCrossEntropyWithLogits(y, v), [3]],
      ['sigmoid', (v) => sigmoidCrossEntropyWithLogits(p, v), [3, 4]],
      ['sigmoid posWeight', (v) => sigmoidCrossEntropyWithLogits(p, v, [1, 2, 3, 4]), [3, 4]],
    ];
    for (const [, f, outShape] of cases) {
      const leaf = param(t64(flat(z), [3, 4]));
      const out = f(leaf);
      const g = gradients(out, { dy: zeros(outShape) }).get(leaf)!;
      expect(g.shape).toEqual([3, 4]);
      expect(flat(g).every((v) => v === 0)).toBe(true); // ±0 both count
    }
  });

  it('valueAndGrad over the targets gives zeros; a param target gets no .grad', () => {
    const soft = valueAndGrad((a, b) => sum(softmaxCrossEntropyWithLogits(a, b)))(p, z);
    expect(flat(soft.grads[0])).toEqual(new Array(12).fill(0));
    expect(flat(soft.grads[1]).some((v) => v !== 0)).toBe(true);
    const sig = valueAndGrad((a, b) => sum(sigmoidCrossEntropyWithLogits(a, b)))(p, z);
    expect(flat(sig.grads[0])).toEqual(new Array(12).fill(0));

    const P = param(t64(flat(p), [3, 4]));
    const labels = param(t64([3, 0, 2], [3])); // float labels holding whole numbers
    const Z = param(t64(flat(z), [3, 4]));
    sum(softmaxCrossEntropyWithLogits(P, Z)).backward();
    sum(sigmoidCrossEntropyWithLogits(P, Z)).backward();
    sum(sparseSoftmaxCrossEntropyWithLogits(labels, Z)).backward();
    expect(P.grad).toBeNull();
    expect(labels.grad).toBeNull();
    expect(Z.grad).not.toBeNull();
  });
});

describe('softmax or sigmoid output given as logits', () => {
  it('is INVALID_ARGUMENT for each fused op (it would be squashed twice); logSoftmax output is fine', () => {
    const w = param(t64([1, 2, 3, 0.5, -1, 2], [2, 3]));
    const P = t64([0.2, 0.3, 0.5, 0, 0, 1], [2, 3]);
    const y = tensor([2, 0], { dtype: 'int32' });
    for (const squash of [(v: Tensor) => softmax(v, -1), sigmoid]) {
      expectXentError(
        () => softmaxCrossEntropyWithLogits(P, squash(w)),
        'INVALID_ARGUMENT',
        'the logits are the output of',
        'categoricalCrossentropy',
      );
      expectXentError(() => sparseSoftmaxCrossEntropyWithLogits(y, squash(w)), 'INVALID_ARGUMENT', 'sparseCategoricalCrossentropy');
      expectXentError(() => sigmoidCrossEntropyWithLogits(P, squash(w)), 'INVALID_ARGUMENT', 'binaryCrossentropy');
      expectXentError(() => polyCrossEntropyWithLogits(P, squash(w)), 'INVALID_ARGUMENT', 'polyCrossEntropyWithLogits');
    }
    expect(w.grad).toBeNull();
    expect(flat(softmaxCrossEntropyWithLogits(P, logSoftmax(w)))).toEqual(
      flat(softmaxCrossEntropyWithLogits(P, w)).map((v) => expect.closeTo(v, 14)),
    );
  });
});

describe('float32', () => {
  it('float32 inputs give float32 outputs and gradients within float32 precision of float64', () => {
    const zv = normals(12, 7, 3).map(Math.fround);
    const pv = naiveSoftmaxRows(normals(12, 8), 4).map(Math.fround);
    const yv = [1, 3, 0];
    const f32 = (v: number[]) => tensor(v, { dtype: 'float32', shape: [3, 4] });
    const cases: [string, (p: Tensor, z: Tensor) => Tensor][] = [
      ['softmax', (a, b) => sum(softmaxCrossEntropyWithLogits(a, b))],
      ['sparse', (_a, b) => sum(sparseSoftmaxCrossEntropyWithLogits(yv, b))],
      ['sigmoid', (a, b) => sum(sigmoidCrossEntropyWithLogits(a, b))],
      ['sigmoid posWeight', (a, b) => sum(sigmoidCrossEntropyWithLogits(a, b, [0.5, 1, 2, 4]))],
    ];
    for (const [name, f] of cases) {
      const Z32 = param(f32(zv));
      const out32 = f(f32(pv), Z32);
      expect(out32.dtype, name).toBe('float32');
      out32.backward();
      expect(Z32.grad!.dtype, name).toBe('float32');
      const Z64 = param(t64(zv, [3, 4]));
      const out64 = f(t64(pv, [3, 4]), Z64);
      expect(out64.dtype).toBe('float64');
      out64.backward();
      expect(out32, name).toBeAllClose(out64, { rtol: 1e-6, atol: 1e-6 });
      expect(Z32.grad!, name).toBeAllClose(Z64.grad!, { rtol: 1e-6, atol: 1e-7 });
    }
    // the per-row outputs too
    expect(softmaxCrossEntropyWithLogits(f32(pv), f32(zv)).dtype).toBe('float32');
    expect(sparseSoftmaxCrossEntropyWithLogits(tensor(yv, { dtype: 'int32' }), f32(zv)).dtype).toBe('float32');
    expect(sigmoidCrossEntropyWithLogits(f32(pv), f32(zv)).dtype).toBe('float32');
  });
});

describe('sparseSoftmaxCrossEntropyWithLogits labels', () => {
  const z = t64(normals(15, 9, 2), [5, 3]);
  const ys = [2, 0, 1, 1, 0];

  it('equals the dense op on one-hot targets (value and gradient)', () => {
    const dy = t64(normals(5, 10), [5]);
    for (const labels of [tensor(ys, { dtype: 'int32' }), t64(ys, [5]), t64(ys, [5, 1]), ys]) {
      const sparse = valueAndGrad((v) => sparseSoftmaxCrossEntropyWithLogits(labels, v), { dy })(z);
      const dense = valueAndGrad((v) => softmaxCrossEntropyWithLogits(oneHot(ys, 3), v), { dy })(z);
      expect(sparse.value).toBeAllClose(dense.value, { rtol: 1e-14, atol: 1e-15 });
      expect(sparse.grads[0]).toBeAllClose(dense.grads[0], { rtol: 1e-14, atol: 1e-15 });
    }
  });

  it('ignoreIndex rows give 0 loss and 0 gradient; the other rows are unchanged', () => {
    const labels = tensor([2, -100, 1, -100, 0], { dtype: 'int32' });
    const dy = t64(normals(5, 11), [5]);
    const { value, grads } = valueAndGrad((v) => sparseSoftmaxCrossEntropyWithLogits(labels, v, { ignoreIndex: -100 }), { dy })(z);
    const full = valueAndGrad((v) => sparseSoftmaxCrossEntropyWithLogits(ys, v), { dy })(z);
    const v = flat(value);
    const vFull = flat(full.value);
    expect(v[1]).toBe(0);
    expect(v[3]).toBe(0);
    for (const r of [0, 2, 4]) expect(v[r]).toBe(vFull[r]);
    const g = grads[0].toArray() as number[][];
    const gFull = full.grads[0].toArray() as number[][];
    expect(g[1]).toEqual([0, 0, 0]);
    expect(g[3]).toEqual([0, 0, 0]);
    for (const r of [0, 2, 4]) expect(g[r]).toEqual(gFull[r]);
    // and the kept rows equal −log softmax(z)_y computed naively
    const soft = naiveSoftmaxRows(flat(z), 3);
    for (const r of [0, 2, 4]) expect(v[r]).toBeCloseTo(-Math.log(soft[r * 3 + ys[r]]), 12);
  });

  it('labels out of range or not whole numbers throw LABEL_OUT_OF_RANGE with position and value', () => {
    const z2 = t64(normals(6, 12), [2, 3]);
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([0, 3], z2), 'LABEL_OUT_OF_RANGE', 'labels[1] is 3', '[0, 3)');
    expectXentError(
      () => sparseSoftmaxCrossEntropyWithLogits(tensor([-1, 0], { dtype: 'int32' }), z2),
      'LABEL_OUT_OF_RANGE',
      'labels[0] is -1',
    );
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits(t64([1, 1.5], [2]), z2), 'LABEL_OUT_OF_RANGE', 'labels[1] is 1.5');
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits(t64([NaN, 1], [2]), z2), 'LABEL_OUT_OF_RANGE', 'labels[0] is NaN');
    // −100 is only skipped when it is the ignoreIndex
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([-100, 1], z2), 'LABEL_OUT_OF_RANGE', 'labels[0] is -100');
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([-100, 1], z2, { ignoreIndex: -1 }), 'LABEL_OUT_OF_RANGE', 'ignoreIndex -1');
  });

  it('a failed call records nothing and changes no gradient', () => {
    const Z = param(t64(normals(6, 13), [2, 3]));
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([0, 7], Z), 'LABEL_OUT_OF_RANGE');
    expect(Z.grad).toBeNull();
    expect(Z.node).toBeNull();
  });
});

describe('shape and dtype refusals', () => {
  it('a class axis of size 1 throws SINGLE_CLASS_SOFTMAX (softmax and sparse)', () => {
    const z = t64([0.5, -1, 2], [3, 1]);
    expectXentError(
      () => softmaxCrossEntropyWithLogits(t64([1, 1, 1], [3, 1]), z),
      'SINGLE_CLASS_SOFTMAX',
      'softmaxCrossEntropyWithLogits',
      'sigmoidCrossEntropyWithLogits',
    );
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([0, 0, 0], z), 'SINGLE_CLASS_SOFTMAX', 'sparseSoftmaxCrossEntropyWithLogits');
    // the binary case is fine with sigmoid
    expect(flat(sigmoidCrossEntropyWithLogits(t64([1, 0, 1], [3, 1]), z)).every(Number.isFinite)).toBe(true);
  });

  it('targets of another shape throw SHAPE_MISMATCH naming both shapes', () => {
    const z = t64(normals(6, 14), [2, 3]);
    expectXentError(() => softmaxCrossEntropyWithLogits(t64([1, 0, 0], [3]), z), 'SHAPE_MISMATCH', '[3]', '[2, 3]');
    expectXentError(() => sigmoidCrossEntropyWithLogits(t64([1, 0], [2, 1]), z), 'SHAPE_MISMATCH', '[2, 1]', '[2, 3]');
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([0, 1, 2], z), 'SHAPE_MISMATCH', 'labels have shape [3]');
  });

  it('int32 logits throw DTYPE', () => {
    const z = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    expectXentError(
      () =>
        softmaxCrossEntropyWithLogits(
          [
            [1, 0],
            [0, 1],
          ],
          z,
        ),
      'DTYPE',
    );
    expectXentError(() => sparseSoftmaxCrossEntropyWithLogits([0, 1], z), 'DTYPE');
    expectXentError(
      () =>
        sigmoidCrossEntropyWithLogits(
          [
            [1, 0],
            [0, 1],
          ],
          z,
        ),
      'DTYPE',
    );
  });
});

describe('posWeight', () => {
  it('matches the PyTorch formula −[w·p log σ(z) + (1−p) log(1−σ(z))] computed naively', () => {
    fc.assert(
      fc.property(valuesArb(12, -6, 6), valuesArb(12, 0, 1), valuesArb(4, 0.1, 10), (zs, ps, ws) => {
        const naive = zs.map((z, i) => {
          const s = 1 / (1 + Math.exp(-z));
          const w = ws[i % 4];
          return -(w * ps[i] * Math.log(s) + (1 - ps[i]) * Math.log(1 - s));
        });
        const out = sigmoidCrossEntropyWithLogits(t64(ps, [3, 4]), t64(zs, [3, 4]), ws);
        expect(out).toBeAllClose(t64(naive, [3, 4]), { rtol: 1e-9, atol: 1e-12 });
        // and the stable reference agrees
        expect(out).toBeAllClose(
          t64(
            naiveSigmoidCE(
              ps,
              zs,
              zs.map((_, i) => ws[i % 4]),
            ),
            [3, 4],
          ),
          { rtol: 1e-12, atol: 1e-13 },
        );
      }),
      { numRuns: 30 },
    );
  });

  it('posWeight = 1 is the plain loss; a posWeight that cannot broadcast throws SHAPE_MISMATCH', () => {
    const z = t64(normals(6, 15), [2, 3]);
    const p = t64(uniforms(6, 16), [2, 3]);
    expect(sigmoidCrossEntropyWithLogits(p, z, [1, 1, 1])).toBeAllClose(sigmoidCrossEntropyWithLogits(p, z), { rtol: 1e-15, atol: 1e-15 });
    expectXentError(() => sigmoidCrossEntropyWithLogits(p, z, [1, 2]), 'SHAPE_MISMATCH', 'posWeight');
  });
});
