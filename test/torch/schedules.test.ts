// Learning-rate schedules against torch.optim.lr_scheduler (see python.ts): random scenarios of
// StepLR and CosineAnnealingLR, alone, chained on one optimizer (the second created at the start
// or epochs later), and with the lr set by hand between epochs, must give PyTorch's lr after every
// schedule's creation and step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { param } from '@xent/autograd';
import { CosineAnnealingLR, SGD, StepLR, type LRScheduler } from '@xent/optim';
import { XentError, tensor } from '@xent/tensor';
import { real } from '../utils.js';
import { runTorch } from './python.js';

/** A schedule and `at`, the epochs done before it is created. */
type Schedule = ({ kind: 'StepLR'; stepSize: number; gamma: number } | { kind: 'Cosine'; tMax: number; etaMin: number }) & { at: number };
interface Scenario {
  lr0: number;
  schedules: Schedule[];
  epochs: number;
  hand: Record<string, number>;
}

const at = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 }));
const schedule: fc.Arbitrary<Schedule> = fc.oneof(
  fc.record({
    kind: fc.constant('StepLR' as const),
    stepSize: fc.integer({ min: 1, max: 5 }),
    gamma: real(0.05, 1),
    at,
  }),
  fc.record({
    kind: fc.constant('Cosine' as const),
    tMax: fc.integer({ min: 1, max: 12 }),
    etaMin: fc.oneof(fc.constant(0), real(0, 1e-3)),
    at,
  }),
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  lr0: real(1e-3, 1),
  schedules: fc.array(schedule, { minLength: 1, maxLength: 2 }),
  epochs: fc.integer({ min: 1, max: 40 }), // past T_max, up to several cosine periods
  hand: fc.dictionary(fc.integer({ min: 1, max: 40 }).map(String), real(1e-4, 1), { maxKeys: 2 }),
});

/**
 * xent's lrs for a scenario, driven exactly as schedules.py drives PyTorch's, up to the first step that
 * xent refuses (an lr that would go negative: PyTorch sets it and trains uphill).
 */
function xentLrs(s: Scenario): { lrs: number[]; refused: boolean } {
  const opt = new SGD([param(tensor([0]))], { lr: s.lr0 });
  const schedules: LRScheduler[] = [];
  const lrs: number[] = [];
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    for (const k of s.schedules.filter((k) => k.at === epoch - 1)) {
      schedules.push(
        k.kind === 'StepLR'
          ? new StepLR(opt, { stepSize: k.stepSize, gamma: k.gamma })
          : new CosineAnnealingLR(opt, { tMax: k.tMax, etaMin: k.etaMin }),
      );
      lrs.push(opt.lr);
    }
    const hand = s.hand[String(epoch)];
    if (hand !== undefined) opt.lr = hand;
    for (const sched of schedules) {
      try {
        sched.step();
      } catch (e) {
        expect(e).toBeInstanceOf(XentError);
        expect((e as XentError).message).toMatch(/went negative/);
        return { lrs, refused: true };
      }
      lrs.push(opt.lr);
    }
  }
  return { lrs, refused: false };
}

describe('schedules against torch.optim.lr_scheduler', () => {
  it('alone, chained and with lr set by hand: the lr after every step', () => {
    const scenarios = fc.sample(scenario, 300);
    const torch = runTorch<number[][]>('schedules.py', scenarios);
    // StepLR only multiplies: bit for bit. The cosine needs cos, where V8's Math.cos and glibc's differ
    // by an ulp on a few arguments (5 of the 492 cos(πe/T) for T ≤ 12, e ≤ 40); chained over 40 epochs
    // that stays within 1e-14 (1.5e-15 seen).
    const worst = { step: 0, cosine: 0 };
    let refusals = 0;
    scenarios.forEach((s, i) => {
      const { lrs, refused } = xentLrs(s);
      const kind = s.schedules.every((k) => k.kind === 'StepLR') ? 'step' : 'cosine';
      lrs.forEach((lr, e) => (worst[kind] = Math.max(worst[kind], Math.abs(lr - torch[i][e]) / Math.max(Math.abs(lr), 1e-300))));
      if (refused) {
        refusals++;
        expect(torch[i][lrs.length]).toBeLessThan(0); // where xent refuses, PyTorch set a negative lr (and would train uphill)
      } else expect(torch[i]).toHaveLength(lrs.length);
    });
    expect(worst.step).toBe(0);
    expect(worst.cosine).toBeLessThan(1e-14);
    expect(refusals).toBeGreaterThan(0); // the generator reaches that corner (11 of 300 here)
  });
});
