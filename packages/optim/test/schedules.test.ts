import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { Adam, CosineAnnealingLR, LRScheduler, SGD, StepLR } from '@xent/optim';
import { expectXentError, setGrad } from '../../../test/utils.js';

const sgd = (lr: number) => new SGD([param(tensor([0]))], { lr });

/** lr at epochs 0..n: the value after construction, then after each step(). */
function sequence(opt: { lr: number }, sched: LRScheduler, n: number): number[] {
  const out = [opt.lr];
  for (let e = 1; e <= n; e++) {
    const lr = sched.step();
    expect(lr).toBe(opt.lr);
    out.push(opt.lr);
  }
  return out;
}

describe('StepLR', () => {
  it('by hand: η₀ = 1, stepSize 3, γ = 0.1', () => {
    const opt = sgd(1);
    const sched = new StepLR(opt, { stepSize: 3, gamma: 0.1 });
    expect(sequence(opt, sched, 9)).toBeAllClose([1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001], { rtol: 1e-12 });
    expect(sched.lastEpoch).toBe(9);
    expect(sched.lastLr).toBe(opt.lr);
  });

  it('matches η₀·γ^⌊e/stepSize⌋ for any settings (gamma defaults to 0.1)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
        (lr0, stepSize, gamma) => {
          const opt = sgd(lr0);
          const sched = new StepLR(opt, gamma === undefined ? { stepSize } : { stepSize, gamma });
          const g = gamma ?? 0.1;
          // step() multiplies the lr it finds by γ (PyTorch's chained form): exactly the running product,
          // and the closed form up to rounding (and up to underflow, where γ^k reaches 0 first).
          const seq = sequence(opt, sched, 12);
          let running = lr0;
          seq.forEach((lr, e) => expect(lr).toBe(e > 0 && e % stepSize === 0 ? (running *= g) : running));
          const expected = seq.map((_, e) => lr0 * g ** Math.floor(e / stepSize));
          expect(seq).toBeAllClose(expected, { rtol: 1e-12, atol: 1e-300 });
        },
      ),
    );
  });

  it('refuses bad options', () => {
    let e = expectXentError(() => new StepLR(sgd(1), { stepSize: 0 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/StepLR: option 'stepSize' is 0; it must be a whole number in \[1, ∞\)/);
    e = expectXentError(() => new StepLR(sgd(1), { stepSize: 2.5 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/'stepSize' is 2\.5/);
    e = expectXentError(() => new StepLR(sgd(1), {} as { stepSize: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/StepLR: option 'stepSize' is undefined/);
    e = expectXentError(() => new StepLR(sgd(1), { stepSize: 2, gamma: -0.5 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/StepLR: option 'gamma' is -0\.5/);
    e = expectXentError(() => new StepLR(sgd(1), { step_size: 2 } as unknown as { stepSize: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/unknown option 'step_size'.*did you mean 'stepSize'/);
    expectXentError(() => new StepLR({} as { lr: number }, { stepSize: 1 }), 'INVALID_ARGUMENT');
  });
});

describe('CosineAnnealingLR', () => {
  it('by hand: η₀ = 1, T_max = 4, η_min = 0', () => {
    // (1 + cos(πe/4))/2 for e = 0..8: 1, (1 + √½)/2, ½, (1 − √½)/2, 0, then back up (PyTorch continues the cosine).
    const a = (1 + Math.SQRT1_2) / 2; // 0.8535533905932737
    const b = (1 - Math.SQRT1_2) / 2; // 0.14644660940672624
    const opt = sgd(1);
    const sched = new CosineAnnealingLR(opt, { tMax: 4 });
    expect(sequence(opt, sched, 8)).toBeAllClose([1, a, 0.5, b, 0, b, 0.5, a, 1], { rtol: 1e-12, atol: 1e-15 });
    expect(a).toBeCloseTo(0.8535533905932737, 15);
  });

  it('matches η_min + (η₀ − η_min)(1 + cos(πe/T_max))/2 and reaches η_min at T_max', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1e-3, noNaN: true }),
        (lr0, tMax, etaMin) => {
          const opt = sgd(lr0);
          const sched = new CosineAnnealingLR(opt, { tMax, etaMin });
          const seq = sequence(opt, sched, tMax);
          const expected = seq.map((_, e) => etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * e) / tMax))) / 2);
          expect(seq).toBeAllClose(expected, { rtol: 1e-12, atol: 1e-15 });
          expect(seq[tMax]).toBeCloseTo(etaMin, 14);
          expect(seq[0]).toBe(lr0);
          // Monotone non-increasing over the first half-period.
          for (let e = 1; e <= tMax; e++) expect(seq[e]).toBeLessThanOrEqual(seq[e - 1] + 1e-15);
        },
      ),
    );
  });

  it('refuses bad options', () => {
    let e = expectXentError(() => new CosineAnnealingLR(sgd(1), { tMax: 0 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/CosineAnnealingLR: option 'tMax' is 0; it must be a whole number in \[1, ∞\)/);
    e = expectXentError(() => new CosineAnnealingLR(sgd(1), { tMax: 10, etaMin: -1 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/'etaMin' is -1/);
    e = expectXentError(() => new CosineAnnealingLR(sgd(1), { T_max: 10 } as unknown as { tMax: number }), 'INVALID_OPTION');
    expect(e.message).toMatch(/did you mean 'tMax'/);
  });
});

describe('schedules drive the optimizer', () => {
  it("each step() uses the schedule's current lr", () => {
    // η₀ = 1, StepLR(stepSize 1, γ 0.5): lrs 1, 0.5, 0.25; g = 1 each step: p = 10 − 1 − 0.5 − 0.25 = 8.25
    const w = param(tensor([10]));
    const opt = new SGD([w], { lr: 1 });
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    for (let epoch = 0; epoch < 3; epoch++) {
      setGrad(w, [1]);
      opt.step();
      sched.step();
    }
    expect(w).toBeAllClose([8.25], { rtol: 0, atol: 1e-15 });
    expect(opt.lr).toBe(0.125);
  });

  it('works with Adam, whose lr the schedule reads at construction', () => {
    const opt = new Adam([param(tensor([0]))], { lr: 0.01 });
    const sched = new CosineAnnealingLR(opt, { tMax: 2, etaMin: 0.001 });
    expect(sched.baseLr).toBe(0.01);
    sched.step();
    expect(opt.lr).toBeCloseTo(0.0055, 15);
    sched.step();
    expect(opt.lr).toBeCloseTo(0.001, 15);
  });

  it('an lr changed by hand is carried on, as PyTorch chains it: StepLR multiplies what it finds', () => {
    const opt = sgd(1);
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.1 });
    opt.lr = 0.3;
    expect(sched.step()).toBe(0.3); // epoch 1: no decay (the closed form would have reset it to 1)
    expect(sched.step()).toBe(0.3 * 0.1); // epoch 2: decay of the lr it found
    expect([opt.lr, sched.lastEpoch, sched.lastLr]).toEqual([0.3 * 0.1, 2, 0.3 * 0.1]);
  });

  it("a schedule that fails to build leaves no η₀ behind: the next one takes the optimizer's lr as it is then", () => {
    const opt = sgd(1);
    expectXentError(() => new StepLR(opt, { stepSize: 0 }), 'INVALID_OPTION');
    opt.lr = 0.5;
    expect(new CosineAnnealingLR(opt, { tMax: 3 }).baseLr).toBe(0.5);
    expect(new StepLR(opt, { stepSize: 1 }).baseLr).toBe(0.5); // and the one after that, the first one's
  });

  it('a chained cosine that would set a negative lr (PyTorch sets it, and trains uphill) is refused and changes nothing', () => {
    const opt = sgd(1);
    const sched = new CosineAnnealingLR(opt, { tMax: 2, etaMin: 0.5 });
    expect([sched.step(), sched.step(), sched.step()]).toEqual([0.75, 0.5, 0.75]);
    opt.lr = 0.1; // below etaMin; epoch 4's factor is (1 + cos 2π)/(1 + cos 3π/2) = 2: 0.5 + (0.1 − 0.5)·2 = −0.3
    const e = expectXentError(() => sched.step(), 'INVALID_OPTION');
    expect(e.message).toMatch(
      /^CosineAnnealingLR: the lr of epoch 4 is -0\.3\d*; it must be a number in \[0, ∞\) — the schedule overflowed or went negative/,
    );
    expect([opt.lr, sched.lastEpoch, sched.lastLr]).toEqual([0.1, 3, 0.75]);
  });

  it('a schedule with only a closed form (extending LRScheduler) refuses an lr something else changed, and changes nothing', () => {
    class Halving extends LRScheduler {
      constructor(opt: { lr: number }) {
        super('Halving', opt);
        this.start();
      }
      lrAt(epoch: number): number {
        return this.baseLr / 2 ** epoch;
      }
    }
    const opt = sgd(1);
    const sched = new Halving(opt);
    expect(sched.step()).toBe(0.5);
    opt.lr = 0.3;
    const e = expectXentError(() => sched.step(), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/^Halving\.step: the optimizer's lr is 0\.3, but this schedule set 0\.5: something else changed it/);
    expect(e.message).toMatch(/override chainedLr\(epoch, lr\)/);
    expect([opt.lr, sched.lastEpoch, sched.lastLr]).toEqual([0.3, 1, 0.5]);
    opt.lr = 0.5; // put back: the schedule goes on
    expect(sched.step()).toBe(0.25);
  });

  it("step(epoch), PyTorch's deprecated jump to an epoch, is refused: step() advances one epoch", () => {
    const opt = sgd(1);
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.1 });
    expectXentError(() => (sched.step as (e: number) => number)(3), 'INVALID_ARGUMENT', 'StepLR.step takes no argument');
    expect([opt.lr, sched.lastEpoch]).toEqual([1, 0]);
  });

  it('two schedules on one optimizer chain as in PyTorch: each step() starts from the lr the other set', () => {
    const opt = sgd(1);
    const step = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const cosine = new CosineAnnealingLR(opt, { tMax: 10 });
    expect(step.step()).toBe(0.5);
    // PyTorch's chained cosine: (1 + cos(π·1/10)) / (1 + cos(π·0/10)) · (lr − η_min) + η_min, from lr = 0.5
    const lr1 = ((1 + Math.cos(Math.PI / 10)) / (1 + Math.cos(0))) * 0.5;
    expect(cosine.step()).toBe(lr1);
    expect(step.step()).toBe(lr1 * 0.5);
    expect([opt.lr, step.lastEpoch, cosine.lastEpoch]).toEqual([lr1 * 0.5, 2, 1]);
  });

  it("a schedule created after another has stepped goes on from the lr it finds, with the first one's η₀ (PyTorch's initial_lr)", () => {
    const opt = sgd(1);
    const first = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    first.step();
    const second = new CosineAnnealingLR(opt, { tMax: 2, etaMin: 0 });
    expect([second.baseLr, opt.lr]).toEqual([1, 0.5]); // created: η₀ is the optimizer's initial lr; its lr is kept
    expect(second.step()).toBe(((1 + Math.cos(Math.PI / 2)) / (1 + Math.cos(0))) * 0.5);
    expect(second.step()).toBeCloseTo(0, 15);
    // η₀ enters the chained cosine at the top of its next period (epoch T_max + 1): lr + (η₀ − η_min)(1 − cos(π/T_max))/2
    const lr2 = opt.lr;
    expect(second.step()).toBe(lr2 + ((1 - 0) * (1 - Math.cos(Math.PI / 2))) / 2);
  });
});

describe('a failed step changes nothing (issue 9)', () => {
  it('StepLR with gamma 1e200: the step whose lr overflows throws, and lastEpoch, lastLr and opt.lr stay', () => {
    const opt = sgd(1);
    const sched = new StepLR(opt, { stepSize: 1, gamma: 1e200 });
    expect(sched.step()).toBe(1e200);
    const e = expectXentError(() => sched.step(), 'INVALID_OPTION'); // 1e400 = Infinity
    expect(e.message).toMatch(/StepLR: the lr of epoch 2 is Infinity/);
    expect(sched.lastEpoch).toBe(1);
    expect(sched.lastLr).toBe(1e200);
    expect(opt.lr).toBe(1e200);
  });

  it('the same for a schedule driving a plain { lr } object, which checks nothing itself', () => {
    const target = { lr: 1 };
    const sched = new StepLR(target, { stepSize: 1, gamma: 1e200 });
    sched.step();
    expectXentError(() => sched.step(), 'INVALID_OPTION');
    expect([sched.lastEpoch, sched.lastLr, target.lr]).toEqual([1, 1e200, 1e200]);
  });

  it('a target whose lr cannot be set (a getter alone, a frozen object) is INVALID_ARGUMENT naming the schedule, not a TypeError', () => {
    const getterOnly = {
      get lr() {
        return 0.1;
      },
    };
    expectXentError(() => new StepLR(getterOnly, { stepSize: 1 }), 'INVALID_ARGUMENT', 'StepLR:', 'lr cannot be set');
    expectXentError(() => new CosineAnnealingLR(Object.freeze({ lr: 0.1 }), { tMax: 2 }), 'INVALID_ARGUMENT', 'CosineAnnealingLR:');
  });
});
