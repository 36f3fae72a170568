import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { Adam, AdamW, adamState, adamUpdate, adamwUpdate, type AdamHyper } from '@xent/optim';
import { expectXentError, flat, quadratic, setGrad } from '../../../test/utils.js';

const hyper = (h: Partial<AdamHyper> = {}): AdamHyper => ({
  lr: 0.1,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  decoupledWeightDecay: false,
  ...h,
});

describe('adamUpdate: hand-computed steps', () => {
  it('three Adam steps with bias correction (η = 0.1, β = (0.9, 0.999), ε = 1e-8)', () => {
    const p = Float64Array.of(1);
    const s = adamState(1);
    const h = hyper();

    // t=1, g = 2: m = 0.1·2 = 0.2, v = 0.001·4 = 0.004,
    //   m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4, √v̂ = 2
    //   p = 1 − 0.1·2/(2 + 1e-8) = 0.9000000005
    adamUpdate(p, [2], s, h);
    expect(s.step).toBe(1);
    expect(s.expAvg).toBeAllClose([0.2], { rtol: 1e-14 });
    expect(s.expAvgSq).toBeAllClose([0.004], { rtol: 1e-14 });
    expect(p).toBeAllClose([0.9000000005], { rtol: 0, atol: 1e-15 });

    // t=2, g = 1: m = 0.9·0.2 + 0.1·1 = 0.28, v = 0.999·0.004 + 0.001·1 = 0.004996,
    //   1 − β₁² = 0.19, 1 − β₂² = 0.001999,
    //   m̂ = 0.28/0.19 = 1.4736842105…, v̂ = 0.004996/0.001999 = 2.4992496248…, √v̂ = 1.5809015228…
    //   Δ = 0.1·1.4736842105/1.5809015228 = 0.0932179633…,  p = 0.9000000005 − 0.0932179633 = 0.8067820372…
    adamUpdate(p, [1], s, h);
    expect(s.expAvg).toBeAllClose([0.28], { rtol: 1e-14 });
    expect(s.expAvgSq).toBeAllClose([0.004996], { rtol: 1e-14 });
    expect(p).toBeAllClose([0.8067820372085104], { rtol: 0, atol: 1e-13 });

    // t=3, g = −0.5: m = 0.9·0.28 − 0.05 = 0.202, v = 0.999·0.004996 + 0.001·0.25 = 0.005241004,
    //   1 − β₁³ = 0.271, 1 − β₂³ = 0.002997001,
    //   m̂ = 0.7453874539, v̂ = 1.7487494999, √v̂ = 1.3224029265,  Δ = 0.0563661372
    //   p = 0.8067820372 − 0.0563661372 = 0.7504159000 (m is still positive: the step keeps its direction)
    adamUpdate(p, [-0.5], s, h);
    expect(s.step).toBe(3);
    expect(s.expAvg).toBeAllClose([0.202], { rtol: 1e-14 });
    expect(p).toBeAllClose([0.7504158999804387], { rtol: 0, atol: 1e-13 });
  });

  it('Adam weight decay is L2 through the gradient: g ← g + λp', () => {
    // p₀ = 1, g = 0, λ = 0.1, η = 0.1: g' = 0.1, m = 0.01, v = 1e-5, m̂ = 0.1, √v̂ = 0.1,
    // p = 1 − 0.1·0.1/(0.1 + 1e-8) = 0.90000001 (Adam normalises the decay term away: a step of ≈ η)
    const p = Float64Array.of(1);
    adamUpdate(p, [0], adamState(1), hyper({ weightDecay: 0.1 }));
    expect(p).toBeAllClose([0.900000009999999], { rtol: 0, atol: 1e-14 });
  });

  it('AdamW decays the weights directly: p ← p(1 − ηλ), then the Adam step', () => {
    // p₀ = 1, g = 2, λ = 0.01, η = 0.1: p = 1·(1 − 0.001) = 0.999, then − 0.1·2/(2 + 1e-8)
    //   = 0.999 − 0.0999999995 = 0.8990000005
    // t=2, g = 1: p = 0.8990000005·0.999 − 0.0932179633 = 0.8048830372
    const p = Float64Array.of(1);
    const s = adamState(1);
    const h = { lr: 0.1, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0.01 };
    adamwUpdate(p, [2], s, h);
    expect(p).toBeAllClose([0.8990000005], { rtol: 0, atol: 1e-15 });
    adamwUpdate(p, [1], s, h);
    expect(p).toBeAllClose([0.8048830372080104], { rtol: 0, atol: 1e-13 });
  });

  it('AdamW with zero gradients: p_t = p₀(1 − ηλ)^t exactly as a geometric decay', () => {
    // m = v = 0, so the Adam step is 0/(0 + ε) = 0 and only the decay acts.
    const p = Float64Array.of(3, -2);
    const s = adamState(2);
    for (let t = 1; t <= 10; t++) {
      adamwUpdate(p, [0, 0], s, { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.5 });
      expect(p).toBeAllClose([3 * 0.995 ** t, -2 * 0.995 ** t], { rtol: 1e-13 });
    }
  });

  it('rounds once into a Float32Array and keeps the moments in float64', () => {
    const p = Float32Array.of(0.1);
    const s = adamState(1);
    adamUpdate(p, [0.3], s, hyper({ lr: 0.01 }));
    const m = 0.1 * 0.3;
    const v = 0.001 * 0.09;
    expect(p[0]).toBe(Math.fround(Math.fround(0.1) - ((0.01 / 0.1) * m) / (Math.sqrt(v) / Math.sqrt(0.001) + 1e-8)));
    expect(s.expAvg).toBeInstanceOf(Float64Array);
  });

  it('refuses mismatched lengths', () => {
    expectXentError(() => adamUpdate(Float64Array.of(1, 2), [1], adamState(2), hyper()), 'SHAPE_MISMATCH');
    expectXentError(() => adamUpdate(Float64Array.of(1, 2), [1, 2], adamState(3), hyper()), 'SHAPE_MISMATCH');
  });

  it('checks every argument before writing (a partial h was a raw TypeError, ε = 0 or β = 1 a silent NaN)', () => {
    const p = Float64Array.of(1, 2);
    const s = adamState(2);
    expectXentError(() => adamUpdate(p, [1, 1], s, { lr: 0.1 } as never), 'INVALID_OPTION', 'adamUpdate', 'betas, eps, weightDecay');
    expectXentError(() => adamwUpdate(p, [1, 1], s, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8 } as never), 'INVALID_OPTION', 'adamwUpdate');
    expectXentError(() => adamUpdate(p, [0, 1], s, hyper({ eps: 0 })), 'INVALID_OPTION', "option 'eps'");
    expectXentError(() => adamUpdate(p, [1, 1], s, hyper({ betas: [1, 1] })), 'INVALID_OPTION', "option 'betas'");
    expectXentError(() => adamUpdate(p, [1, Infinity], s, hyper()), 'NON_FINITE_GRADIENT', 'g[1] is Infinity');
    // g² overflowing v would freeze the entry forever, as the Adam class refuses.
    expectXentError(() => adamUpdate(p, [1, 1e200], s, hyper()), 'NON_FINITE_GRADIENT', 'g[1] = 1e+200');
    expectXentError(() => adamUpdate(p, [1, 1], null as never, hyper()), 'INVALID_ARGUMENT', 'adamState');
    expectXentError(() => adamUpdate(p, [1, 1], { ...s, step: -1 }, hyper()), 'INVALID_ARGUMENT', 'state.step');
    expect(Array.from(p)).toEqual([1, 2]);
    expect(s.step).toBe(0);
    expect(Array.from(s.expAvgSq)).toEqual([0, 0]);
    // adamState(n): a negative n was a raw RangeError, a fraction silently truncated.
    for (const n of [-1, 1.5, '3', NaN]) expectXentError(() => adamState(n as number), 'INVALID_ARGUMENT', 'adamState');
    expect(adamState(0).expAvg.length).toBe(0);
  });
});

// A transcription of torch.optim.Adam/AdamW's single-tensor loop, written independently of adamUpdate.
function referenceAdam(p0: number[], grads: number[][], h: AdamHyper): number[] {
  const [b1, b2] = h.betas;
  const p = p0.slice();
  const m = p0.map(() => 0);
  const v = p0.map(() => 0);
  grads.forEach((g0, k) => {
    const t = k + 1;
    for (let i = 0; i < p.length; i++) {
      let g = g0[i];
      if (h.decoupledWeightDecay) p[i] = p[i] * (1 - h.lr * h.weightDecay);
      else g = g + h.weightDecay * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = v[i] / (1 - b2 ** t);
      p[i] = p[i] - (h.lr * mHat) / (Math.sqrt(vHat) + h.eps);
    }
  });
  return p;
}

const value = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
const hyperArb: fc.Arbitrary<AdamHyper> = fc.record({
  lr: fc.double({ min: 0, max: 1, noNaN: true }),
  betas: fc.tuple(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.9999, noNaN: true })),
  eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
  weightDecay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
  decoupledWeightDecay: fc.boolean(),
});
const problemArb = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    p0: fc.array(value, { minLength: n, maxLength: n }),
    grads: fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
  }),
);

describe('adamUpdate properties', () => {
  it('follows the reference loop (Adam and AdamW) for any hyperparameters', () => {
    fc.assert(
      fc.property(problemArb, hyperArb, ({ p0, grads }, h) => {
        const p = Float64Array.from(p0);
        const s = adamState(p0.length);
        for (const g of grads) adamUpdate(p, g, s, h);
        expect(s.step).toBe(grads.length);
        expect(p).toBeAllClose(referenceAdam(p0, grads, h), { rtol: 1e-10, atol: 1e-10 });
      }),
    );
  });

  it('the first step moves each weight by η·|g|/(|g| + ε) against the sign of g', () => {
    fc.assert(
      fc.property(problemArb, fc.double({ min: 1e-4, max: 1, noNaN: true }), ({ p0, grads }, lr) => {
        const p = Float64Array.from(p0);
        adamUpdate(p, grads[0], adamState(p0.length), hyper({ lr }));
        p0.forEach((x, i) => {
          const g = grads[0][i];
          const expected = x - (lr * g) / (Math.abs(g) + 1e-8);
          expect(p[i]).toBeCloseTo(expected, 12);
        });
      }),
    );
  });

  it('with ε → 0 the trajectory ignores a positive rescaling of the gradients', () => {
    // ε must be > 0 (ε = 0 gives 0/0 at a zero gradient, and is refused); ε = 1e-300 is far below
    // √v̂ ≥ 1e-5 here, so it changes no digit. Nonzero gradients keep √v̂ away from 0.
    const nonzero = fc.tuple(fc.boolean(), fc.double({ min: 1e-2, max: 10, noNaN: true })).map(([neg, x]) => (neg ? -x : x));
    const nonzeroProblem = fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.record({
        p0: fc.array(value, { minLength: n, maxLength: n }),
        grads: fc.array(fc.array(nonzero, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(nonzeroProblem, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), ({ p0, grads }, c) => {
        const a = Float64Array.from(p0);
        const b = Float64Array.from(p0);
        const sa = adamState(p0.length);
        const sb = adamState(p0.length);
        const h = hyper({ eps: 1e-300 });
        for (const g of grads) {
          adamUpdate(a, g, sa, h);
          adamUpdate(
            b,
            g.map((x) => c * x),
            sb,
            h,
          );
        }
        expect(b).toBeAllClose(a, { rtol: 1e-9, atol: 1e-9 });
      }),
    );
  });

  it('Adam and AdamW agree when weightDecay = 0', () => {
    fc.assert(
      fc.property(problemArb, ({ p0, grads }) => {
        const a = Float64Array.from(p0);
        const b = Float64Array.from(p0);
        const sa = adamState(p0.length);
        const sb = adamState(p0.length);
        for (const g of grads) {
          adamUpdate(a, g, sa, hyper());
          adamwUpdate(b, g, sb, { ...hyper(), weightDecay: 0 });
        }
        expect(Array.from(b)).toEqual(Array.from(a));
      }),
    );
  });
});

describe('Adam / AdamW classes', () => {
  it('Adam.step() on two parameters equals adamUpdate with one state (and step count) per parameter', () => {
    fc.assert(
      fc.property(problemArb, problemArb, hyperArb, (a, b, h) => {
        const pa = param(tensor(a.p0));
        const pb = param(tensor(b.p0));
        const opts = { lr: h.lr, betas: h.betas, eps: h.eps, weightDecay: h.weightDecay };
        const opt = h.decoupledWeightDecay ? new AdamW([pa, pb], opts) : new Adam([pa, pb], opts);
        const ra = Float64Array.from(a.p0);
        const rb = Float64Array.from(b.p0);
        const sa = adamState(a.p0.length);
        const sb = adamState(b.p0.length);
        const steps = Math.max(a.grads.length, b.grads.length);
        for (let t = 0; t < steps; t++) {
          pa.grad = t < a.grads.length ? tensor(a.grads[t]) : null;
          pb.grad = t < b.grads.length ? tensor(b.grads[t]) : null;
          opt.step();
          if (t < a.grads.length) adamUpdate(ra, a.grads[t], sa, h);
          if (t < b.grads.length) adamUpdate(rb, b.grads[t], sb, h);
        }
        expect(flat(pa)).toEqual(Array.from(ra));
        expect(flat(pb)).toEqual(Array.from(rb));
        expect(opt.stateOf(pa)!.step).toBe(a.grads.length);
        expect(opt.stateOf(pb)!.step).toBe(b.grads.length);
      }),
      { numRuns: 40 },
    );
  });

  it('defaults follow PyTorch: lr 1e-3, betas [0.9, 0.999], eps 1e-8; weightDecay 0 (Adam) / 0.01 (AdamW)', () => {
    const adam = new Adam([param(tensor([1]))]);
    expect(adam.hyper).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false });
    const adamw = new AdamW([param(tensor([1]))]);
    expect(adamw.hyper).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, decoupledWeightDecay: true });
    expect(adamw).toBeInstanceOf(Adam);
    expect(adamw.name).toBe('AdamW');
  });

  it('one AdamW step through backward(), by hand', () => {
    // f(w) = (w − 3)², w₀ = 1: g = 2(1 − 3) = −4. Defaults lr 1e-3, λ = 0.01:
    // w = 1·(1 − 1e-5) + 1e-3·4/(4 + 1e-8) = 0.99999 + 0.000999999997500 = 1.0009899999975
    const w = param(tensor([1]));
    const opt = new AdamW([w]);
    quadratic(w, [3]).backward();
    opt.step();
    expect(w).toBeAllClose([0.99999 + 4e-3 / (4 + 1e-8)], { rtol: 0, atol: 1e-16 });
    expect(w).toBeAllClose([1.0009899999975], { rtol: 0, atol: 1e-15 });
  });

  it.each([
    [{ lr: -1 }, /Adam: option 'lr' is -1; it must be a number in \[0, ∞\)/],
    [
      { betas: [0.9, 1] },
      /Adam: option 'betas' is \[0\.9, 1\]; it must be a pair \[β₁, β₂\] with each in \[0, 1\) — use e\.g\. betas: \[0\.9, 0\.999\]/,
    ],
    [{ betas: [-0.1, 0.999] }, /option 'betas' is \[-0\.1, 0\.999\]/],
    [{ betas: [0.9] }, /option 'betas' is \[0\.9\]/],
    [{ betas: 0.9 }, /option 'betas' is 0\.9/],
    [{ eps: -1e-8 }, /Adam: option 'eps' is -1e-8/],
    [{ weightDecay: -0.01 }, /Adam: option 'weightDecay' is -0\.01/],
    [{ amsgrad: true }, /Adam: unknown option 'amsgrad' \(value true\)\. The options here are lr, betas, eps, weightDecay/],
    [{ beta1: 0.9 }, /unknown option 'beta1'.*did you mean 'betas'\?/],
  ])('Adam refuses %o', (options, pattern) => {
    const e = expectXentError(() => new Adam([param(tensor([1]))], options as never), 'INVALID_OPTION');
    expect(e.message).toMatch(pattern);
  });

  it('AdamW names itself in messages', () => {
    const e = expectXentError(() => new AdamW([param(tensor([1]))], { weightDecay: -1 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/^AdamW: option 'weightDecay' is -1;.*default 0\.01/);
  });

  it('state buffers are float64 even for float32 parameters, which stay float32', () => {
    const w = param(tensor([0.5, -0.25], { dtype: 'float32' }));
    const opt = new Adam([w], { lr: 0.1 });
    setGrad(w, [1, -1]);
    opt.step();
    expect(w.dtype).toBe('float32');
    expect(w.view.data).toBeInstanceOf(Float32Array);
    expect(opt.stateOf(w)!.expAvg).toBeInstanceOf(Float64Array);
    expect(opt.stateOf(w)!.expAvgSq).toBeInstanceOf(Float64Array);
    const r = Float32Array.of(0.5, -0.25);
    adamUpdate(r, [1, -1], adamState(2), hyper({ lr: 0.1 }));
    expect(flat(w)).toEqual(Array.from(r));
  });
});
