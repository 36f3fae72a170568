import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { SGD, sgdUpdate, type SGDHyper, type SGDState } from '@xent/optim';
import { expectXentError, flat, quadratic } from '../../../test/utils.js';

const hyper = (h: Partial<SGDHyper> & { lr: number }): SGDHyper => ({ momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, ...h });

/** Runs sgdUpdate over a sequence of gradients for a one-element parameter; returns p after each step. */
function trajectory(p0: number, grads: number[], h: SGDHyper): number[] {
  const p = Float64Array.of(p0);
  const state: SGDState = { momentumBuffer: null };
  return grads.map((g) => {
    sgdUpdate(p, [g], state, h);
    return p[0];
  });
}

describe('sgdUpdate: hand-computed steps', () => {
  it('plain SGD: p ← p − η·g', () => {
    // η = 0.1, p = [1, −2], g = [0.5, −1] → [1 − 0.05, −2 + 0.1] = [0.95, −1.9]
    const p = Float64Array.of(1, -2);
    const state: SGDState = { momentumBuffer: null };
    sgdUpdate(p, [0.5, -1], state, hyper({ lr: 0.1 }));
    expect(p).toBeAllClose([0.95, -1.9], { rtol: 0, atol: 1e-15 });
    expect(state.momentumBuffer).toBeNull(); // no momentum, no buffer
  });

  it('momentum μ = 0.9: first b = g, then b ← μb + g', () => {
    // η = 0.1, p₀ = 1, g = 1 every step:
    // t=1: b = 1                 p = 1    − 0.1·1    = 0.9
    // t=2: b = 0.9·1   + 1 = 1.9  p = 0.9  − 0.1·1.9  = 0.71
    // t=3: b = 0.9·1.9 + 1 = 2.71 p = 0.71 − 0.1·2.71 = 0.439
    expect(trajectory(1, [1, 1, 1], hyper({ lr: 0.1, momentum: 0.9 }))).toBeAllClose([0.9, 0.71, 0.439], { rtol: 0, atol: 1e-14 });
  });

  it('momentum buffer holds b after each step', () => {
    const p = Float64Array.of(1);
    const state: SGDState = { momentumBuffer: null };
    const h = hyper({ lr: 0.1, momentum: 0.9 });
    sgdUpdate(p, [1], state, h);
    expect(Array.from(state.momentumBuffer!)).toEqual([1]);
    sgdUpdate(p, [1], state, h);
    expect(state.momentumBuffer!).toBeAllClose([1.9], { rtol: 0, atol: 1e-15 });
  });

  it('Nesterov: step along g + μb', () => {
    // η = 0.1, μ = 0.9, p₀ = 1, g = 1 every step:
    // t=1: b = 1     d = 1 + 0.9·1    = 1.9    p = 1     − 0.19   = 0.81
    // t=2: b = 1.9   d = 1 + 0.9·1.9  = 2.71   p = 0.81  − 0.271  = 0.539
    // t=3: b = 2.71  d = 1 + 0.9·2.71 = 3.439  p = 0.539 − 0.3439 = 0.1951
    expect(trajectory(1, [1, 1, 1], hyper({ lr: 0.1, momentum: 0.9, nesterov: true }))).toBeAllClose([0.81, 0.539, 0.1951], {
      rtol: 0,
      atol: 1e-14,
    });
  });

  it('weight decay adds λ·p to g', () => {
    // η = 0.1, λ = 0.1, p₀ = 2, g = 0.5:
    // t=1: d = 0.5 + 0.1·2    = 0.7    p = 2    − 0.07   = 1.93
    // t=2: d = 0.5 + 0.1·1.93 = 0.693  p = 1.93 − 0.0693 = 1.8607
    expect(trajectory(2, [0.5, 0.5], hyper({ lr: 0.1, weightDecay: 0.1 }))).toBeAllClose([1.93, 1.8607], { rtol: 0, atol: 1e-14 });
  });

  it('dampening τ scales the new gradient term after the first step', () => {
    // η = 0.1, μ = 0.9, τ = 0.5, p₀ = 1, g = 1:
    // t=1: b = 1 (no dampening on the first step)   p = 0.9
    // t=2: b = 0.9·1   + 0.5·1 = 1.4                 p = 0.9  − 0.14  = 0.76
    // t=3: b = 0.9·1.4 + 0.5·1 = 1.76                p = 0.76 − 0.176 = 0.584
    expect(trajectory(1, [1, 1, 1], hyper({ lr: 0.1, momentum: 0.9, dampening: 0.5 }))).toBeAllClose([0.9, 0.76, 0.584], {
      rtol: 0,
      atol: 1e-14,
    });
  });

  it('momentum + weight decay + varying gradients', () => {
    // η = 0.5, μ = 0.5, λ = 0.2, p₀ = 1, g = 1, then −1:
    // t=1: d = 1 + 0.2·1 = 1.2                b = 1.2                     p = 1   − 0.6  = 0.4
    // t=2: d = −1 + 0.2·0.4 = −0.92           b = 0.5·1.2 − 0.92 = −0.32  p = 0.4 + 0.16 = 0.56
    expect(trajectory(1, [1, -1], hyper({ lr: 0.5, momentum: 0.5, weightDecay: 0.2 }))).toBeAllClose([0.4, 0.56], { rtol: 0, atol: 1e-14 });
  });

  it('rounds once into a Float32Array', () => {
    const p = Float32Array.of(0.1);
    sgdUpdate(p, [0.3], { momentumBuffer: null }, hyper({ lr: 0.7 }));
    expect(p[0]).toBe(Math.fround(Math.fround(0.1) - 0.7 * 0.3));
  });

  it('refuses a gradient of another length', () => {
    expectXentError(() => sgdUpdate(Float64Array.of(1, 2), [1], { momentumBuffer: null }, hyper({ lr: 0.1 })), 'SHAPE_MISMATCH');
  });

  it('checks every argument before writing: a hyperparameter left out was read as undefined and made p NaN', () => {
    const p = Float64Array.of(1, 2);
    const fresh = (): SGDState => ({ momentumBuffer: null });
    expectXentError(() => sgdUpdate(p, [1, 1], fresh(), { lr: 0.1 } as never), 'INVALID_OPTION', 'sgdUpdate', 'momentum, dampening');
    expectXentError(() => sgdUpdate(p, [1, 1], fresh(), hyper({ lr: NaN })), 'INVALID_OPTION', "option 'lr'");
    expectXentError(() => sgdUpdate(p, [1, 1], fresh(), hyper({ lr: 0.1, momentum: 0, nesterov: true })), 'INVALID_OPTION', 'nesterov');
    expectXentError(() => sgdUpdate(p, [1, NaN], fresh(), hyper({ lr: 0.1 })), 'NON_FINITE_GRADIENT', 'g[1] is NaN');
    expectXentError(() => sgdUpdate(p, ['1', 1] as never, fresh(), hyper({ lr: 0.1 })), 'INVALID_ARGUMENT', 'g[0]');
    expectXentError(() => sgdUpdate(p, tensor([1, 1]) as never, fresh(), hyper({ lr: 0.1 })), 'INVALID_ARGUMENT', 'readFlat');
    expectXentError(() => sgdUpdate([1, 2] as never, [1, 1], fresh(), hyper({ lr: 0.1 })), 'INVALID_ARGUMENT', 'Float64Array');
    // A null state was a raw TypeError; a buffer of another length a silent read past its end.
    expectXentError(() => sgdUpdate(p, [1, 1], null as never, hyper({ lr: 0.1, momentum: 0.9 })), 'INVALID_ARGUMENT', 'state');
    const short = { momentumBuffer: new Float64Array(1) };
    expectXentError(() => sgdUpdate(p, [1, 1], short, hyper({ lr: 0.1, momentum: 0.9 })), 'SHAPE_MISMATCH', 'momentumBuffer');
    expect(Array.from(p)).toEqual([1, 2]);
  });
});

// A textbook transcription of torch.optim.SGD's loop, written independently of sgdUpdate.
function referenceSgd(p0: number[], grads: number[][], h: SGDHyper): number[] {
  let p = p0.slice();
  let buf: number[] | null = null;
  for (const g of grads) {
    let d = g.map((gi, i) => (h.weightDecay !== 0 ? gi + h.weightDecay * p[i] : gi));
    if (h.momentum !== 0) {
      const prev: number[] | null = buf;
      const b: number[] = prev === null ? d.slice() : prev.map((bi, i) => h.momentum * bi + (1 - h.dampening) * d[i]);
      buf = b;
      d = h.nesterov ? d.map((di, i) => di + h.momentum * b[i]) : b.slice();
    }
    p = p.map((pi, i) => pi - h.lr * d[i]);
  }
  return p;
}

const value = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
const hyperArb: fc.Arbitrary<SGDHyper> = fc
  .record({
    lr: fc.double({ min: 0, max: 1, noNaN: true }),
    momentum: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.99, noNaN: true })),
    dampening: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    nesterov: fc.boolean(),
    weightDecay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
  })
  .map((h) => ({ ...h, nesterov: h.nesterov && h.momentum > 0 && h.dampening === 0 }));
const problemArb = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    p0: fc.array(value, { minLength: n, maxLength: n }),
    grads: fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
  }),
);

describe('sgdUpdate vs the reference loop, and SGD vs sgdUpdate', () => {
  it('sgdUpdate follows the textbook loop for any hyperparameters', () => {
    fc.assert(
      fc.property(problemArb, hyperArb, ({ p0, grads }, h) => {
        const p = Float64Array.from(p0);
        const state: SGDState = { momentumBuffer: null };
        for (const g of grads) sgdUpdate(p, g, state, h);
        expect(p).toBeAllClose(referenceSgd(p0, grads, h), { rtol: 1e-12, atol: 1e-12 });
      }),
    );
  });

  it('SGD.step() on two parameters gives exactly sgdUpdate with one state per parameter', () => {
    fc.assert(
      fc.property(problemArb, problemArb, hyperArb, (a, b, h) => {
        const pa = param(tensor(a.p0));
        const pb = param(tensor(b.p0));
        const opt = new SGD([pa, pb], h);
        const ra = Float64Array.from(a.p0);
        const rb = Float64Array.from(b.p0);
        const sa: SGDState = { momentumBuffer: null };
        const sb: SGDState = { momentumBuffer: null };
        const steps = Math.max(a.grads.length, b.grads.length);
        for (let t = 0; t < steps; t++) {
          // A parameter whose gradient list ran out has grad null and is skipped.
          pa.grad = t < a.grads.length ? tensor(a.grads[t]) : null;
          pb.grad = t < b.grads.length ? tensor(b.grads[t]) : null;
          opt.step();
          if (t < a.grads.length) sgdUpdate(ra, a.grads[t], sa, h);
          if (t < b.grads.length) sgdUpdate(rb, b.grads[t], sb, h);
        }
        expect(flat(pa)).toEqual(Array.from(ra));
        expect(flat(pb)).toEqual(Array.from(rb));
      }),
      { numRuns: 40 },
    );
  });
});

describe('SGD with backward()', () => {
  it('plain SGD on f(w) = Σ(w − c)² follows w_t = c·(1 − (1 − 2η)^t)', () => {
    // g = 2(w − c), so w ← w − 2η(w − c) and w − c shrinks by (1 − 2η) per step.
    const c = [1, -2, 0.5];
    const w = param(tensor([0, 0, 0]), 'w');
    const opt = new SGD([w], { lr: 0.1 });
    for (let t = 1; t <= 5; t++) {
      opt.zeroGrad();
      quadratic(w, c).backward();
      opt.step();
      expect(w).toBeAllClose(
        c.map((ci) => ci * (1 - 0.8 ** t)),
        { rtol: 1e-12, atol: 1e-14 },
      );
    }
  });

  it('first two steps by hand with momentum, through backward()', () => {
    // w₀ = [0, 0], c = [1, −2], η = 0.1, μ = 0.5:
    // t=1: g = 2(w − c) = [−2, 4]        b = [−2, 4]                     w = [0.2, −0.4]
    // t=2: g = 2([0.2, −0.4] − c) = [−1.6, 3.2]
    //      b = 0.5·[−2, 4] + [−1.6, 3.2] = [−2.6, 5.2]                  w = [0.2 + 0.26, −0.4 − 0.52] = [0.46, −0.92]
    const w = param(tensor([0, 0]));
    const opt = new SGD([w], { lr: 0.1, momentum: 0.5 });
    quadratic(w, [1, -2]).backward();
    opt.step();
    expect(w).toBeAllClose([0.2, -0.4], { rtol: 0, atol: 1e-15 });
    opt.zeroGrad();
    quadratic(w, [1, -2]).backward();
    opt.step();
    expect(w).toBeAllClose([0.46, -0.92], { rtol: 0, atol: 1e-15 });
    expect(opt.stateOf(w)!.momentumBuffer!).toBeAllClose([-2.6, 5.2], { rtol: 0, atol: 1e-15 });
  });
});

describe('SGD options', () => {
  const w = () => [param(tensor([1, 2]))];

  it('lr is required', () => {
    const e = expectXentError(() => new SGD(w(), {} as { lr: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/SGD.*'lr'.*undefined.*lr: 0\.01/);
  });

  it.each([
    ['lr', -0.1, /SGD: option 'lr' is -0\.1; it must be a number in \[0, ∞\) — pass a learning rate/],
    ['lr', NaN, /SGD: option 'lr' is NaN/],
    ['lr', Infinity, /SGD: option 'lr' is Infinity/],
    ['momentum', -0.5, /SGD: option 'momentum' is -0\.5; it must be a number in \[0, ∞\) — use e\.g\. momentum: 0\.9/],
    ['momentum', '0.9', /SGD: option 'momentum' is '0\.9'/],
    ['dampening', -1, /SGD: option 'dampening' is -1/],
    ['weightDecay', -1e-4, /SGD: option 'weightDecay' is -0\.0001.*weightDecay: 1e-4/],
    ['nesterov', 1, /SGD: option 'nesterov' is 1; it must be true or false/],
  ])('%s = %s is refused', (key, val, pattern) => {
    const e = expectXentError(() => new SGD(w(), { lr: 0.1, [key]: val } as unknown as { lr: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(pattern);
  });

  it('nesterov needs momentum > 0 and dampening 0', () => {
    let e = expectXentError(() => new SGD(w(), { lr: 0.1, nesterov: true }), 'INVALID_OPTION');
    expect(e.message).toMatch(/SGD: option 'nesterov' is true with momentum 0;.*momentum: 0\.9, nesterov: true/);
    e = expectXentError(() => new SGD(w(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), 'INVALID_OPTION');
    expect(e.message).toMatch(/dampening 0\.1/);
  });

  it('unknown keys are refused with a suggestion', () => {
    let e = expectXentError(() => new SGD(w(), { lr: 0.1, momentun: 0.9 } as unknown as { lr: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/SGD: unknown option 'momentun' \(value 0\.9\); did you mean 'momentum'\?/);
    e = expectXentError(() => new SGD(w(), { lr: 0.1, weight_decay: 0.1 } as unknown as { lr: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/did you mean 'weightDecay'/);
    e = expectXentError(() => new SGD(w(), { lr: 0.1, amsgrad: true } as unknown as { lr: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/unknown option 'amsgrad'.*The options here are lr, momentum, dampening, nesterov, weightDecay/);
  });

  it('exposes the resolved hyperparameters', () => {
    const opt = new SGD(w(), { lr: 0.1, momentum: 0.9, nesterov: true });
    expect(opt.hyper).toEqual({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0 });
  });
});
