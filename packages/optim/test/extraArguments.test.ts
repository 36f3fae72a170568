// An argument past a function's last parameter is dropped by JavaScript, and with it what the caller meant:
// clipGradNorm(params, 1, { normType: 2 }, true) (torch's error_if_nonfinite) ran without a word.
import { describe, expect, it } from 'vitest';
import { tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { Adam, CosineAnnealingLR, SGD, StepLR, adamState, adamUpdate, adamwUpdate, clipGradNorm, sgdUpdate } from '@xent/optim';
import { expectXentError, setGrad } from '../../../test/utils.js';

describe('clipGradNorm takes (params, maxNorm, options)', () => {
  it('a fourth argument is refused and no gradient is changed', () => {
    const a = param(tensor([0, 0]));
    setGrad(a, [3, 4]);
    const g = a.grad;
    expectXentError(
      () => (clipGradNorm as (...args: unknown[]) => number)([a], 1, { normType: 2 }, true),
      'INVALID_ARGUMENT',
      'clipGradNorm: takes at most 3 arguments, got 4; pass (params, maxNorm, { normType }), e.g. clipGradNorm(model.parameters(), 1.0, { normType: 2 }).',
    );
    expect(a.grad).toBe(g);
    expect(clipGradNorm([a], 1, { normType: 2 })).toBe(5);
  });
});

describe('the optimizers and schedules: methods and functions', () => {
  const call =
    (fn: unknown, self: unknown, ...args: unknown[]) =>
    () =>
      (fn as (...a: unknown[]) => unknown).apply(self, args);
  it('Optimizer.step, zeroGrad, stateOf, stateDict and loadStateDict refuse an argument past their own, changing nothing', () => {
    const w = param(tensor([1, 2]));
    const opt = new SGD([w], { lr: 0.5 });
    setGrad(w, [1, 1]);
    const sd = opt.stateDict();
    expectXentError(
      call(opt.step, opt, undefined, 2),
      'INVALID_ARGUMENT',
      'SGD.step: takes at most 1 argument, got 2; pass nothing, or a closure that recomputes the loss and returns it.',
    );
    expect(w.toArray()).toEqual([1, 2]);
    expectXentError(
      call(opt.zeroGrad, opt, false, true),
      'INVALID_ARGUMENT',
      'SGD.zeroGrad: takes at most 1 argument, got 2; pass nothing, or setToNone (false: zeros instead of null).',
    );
    expect(w.grad?.toArray()).toEqual([1, 1]);
    expectXentError(call(opt.stateOf, opt, w, 0), 'INVALID_ARGUMENT', 'SGD.stateOf: takes at most 1 argument, got 2; pass one parameter.');
    expectXentError(call(opt.stateDict, opt, 'sgd'), 'INVALID_ARGUMENT', 'SGD.stateDict: takes no arguments, got 1; it takes no argument.');
    const adam = new Adam([w], { lr: 0.1 });
    expectXentError(
      call(adam.loadStateDict, adam, adam.stateDict(), { strict: false }),
      'INVALID_ARGUMENT',
      'Adam.loadStateDict: takes at most 1 argument, got 2; pass what stateDict() returned, only.',
    );
    opt.loadStateDict(sd);
    opt.step();
    expect(w.toArray()).toEqual([0.5, 1.5]);
  });
  it('a schedule: stateDict, loadStateDict, and lrAt (one epoch, a whole number ≥ 0)', () => {
    const opt = new SGD([param(tensor([1]))], { lr: 1 });
    const s = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    expectXentError(call(s.stateDict, s, 'x'), 'INVALID_ARGUMENT', 'StepLR.stateDict: takes no arguments, got 1; it takes no argument.');
    expectXentError(
      call(s.loadStateDict, s, s.stateDict(), opt),
      'INVALID_ARGUMENT',
      'StepLR.loadStateDict: takes at most 1 argument, got 2; pass what stateDict() returned, only.',
    );
    expectXentError(call(s.lrAt, s, 4, 1), 'INVALID_ARGUMENT', 'StepLR.lrAt: takes at most 1 argument, got 2; pass the epoch only.');
    // lrAt(NaN) gave NaN and lrAt(-2) an lr above η₀ (1 · 0.5⁻¹ = 2).
    expectXentError(() => s.lrAt(NaN), 'INVALID_ARGUMENT', 'StepLR.lrAt: epoch is NaN; pass a whole number ≥ 0.');
    expectXentError(() => s.lrAt(-2), 'INVALID_ARGUMENT', 'StepLR.lrAt: epoch is -2; pass a whole number ≥ 0.');
    expect(s.lrAt(4)).toBe(0.25);
    const c = new CosineAnnealingLR(new SGD([param(tensor([1]))], { lr: 1 }), { tMax: 2 });
    expectXentError(() => c.lrAt(0.5), 'INVALID_ARGUMENT', 'CosineAnnealingLR.lrAt: epoch is 0.5; pass a whole number ≥ 0.');
    expect(c.lrAt(1)).toBeCloseTo(0.5, 15);
  });
  it('sgdUpdate, adamUpdate, adamwUpdate take (p, g, state, h); adamState takes n', () => {
    const h = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 };
    const p = new Float64Array([1]);
    expectXentError(
      call(sgdUpdate, null, p, [1], { momentumBuffer: null }, h, { maximize: true }),
      'INVALID_ARGUMENT',
      'sgdUpdate: takes at most 4 arguments, got 5; pass (p, g, state, h): every hyperparameter in h, one object.',
    );
    const ah = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false };
    for (const fn of [adamUpdate, adamwUpdate]) {
      expectXentError(call(fn, null, p, [1], adamState(1), ah, true), 'INVALID_ARGUMENT', `${fn.name}: takes at most 4 arguments, got 5;`);
    }
    expect(p[0]).toBe(1);
    expectXentError(
      call(adamState, null, 1, 'amsgrad'),
      'INVALID_ARGUMENT',
      "adamState: takes at most 1 argument, got 2; pass the parameter's number of values only (p.length).",
    );
    sgdUpdate(p, [1], { momentumBuffer: null }, h);
    expect(p[0]).toBe(0.9);
  });
});
