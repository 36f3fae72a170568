// stateDict()/loadStateDict(): PyTorch-shaped snapshots of optimizer and
// schedule state, and resuming from them gives bit-identical updates.
import { describe, expect, it } from 'vitest';
import { Rng, clone, rand, tensor, type Tensor } from '@xent/tensor';
import { detach, param } from '@xent/autograd';
import { Adam, AdamW, CosineAnnealingLR, SGD, StepLR, type Optimizer, type OptimizerStateDict } from '@xent/optim';
import { XentError } from '@xent/tensor';
import { quadratic } from '../../../test/utils.js';

/** Runs fn and returns the XentError it must throw (any code). */
function expectXentError(fn: () => unknown): XentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XentError);
    return e as XentError;
  }
  throw new Error('expected an XentError, but nothing was thrown');
}

type Make = (ps: Tensor[]) => Optimizer;

const makers: [string, Make][] = [
  ['SGD with momentum', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, weightDecay: 1e-3 })],
  ['SGD with Nesterov', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.8, nesterov: true })],
  ['Adam', (ps) => new Adam(ps, { lr: 0.01, weightDecay: 1e-2 })],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.01, betas: [0.8, 0.99] })],
];

const targets = [
  [
    [1, -2, 3],
    [0.5, 0, -1],
  ],
  [4, -4],
];

function freshParams(seed: number): Tensor[] {
  return [param(rand([2, 3], new Rng(seed), { lo: -1, hi: 1 })), param(rand([2], new Rng(seed + 1), { lo: -1, hi: 1 }))];
}

function steps(opt: Optimizer, ps: Tensor[], n: number): void {
  for (let k = 0; k < n; k++) {
    opt.zeroGrad();
    ps.forEach((p, i) => quadratic(p, targets[i]).backward());
    opt.step();
  }
}

const bits = (ps: Tensor[]) => ps.map((p) => Array.from(new Uint8Array(Float64Array.from(p.values()).buffer)));

describe.each(makers)('%s state', (_name, make) => {
  it('resuming from stateDict() gives bit-identical parameters', () => {
    const a = freshParams(1);
    const optA = make(a);
    steps(optA, a, 7);

    const b = freshParams(1);
    const optB = make(b);
    steps(optB, b, 3);
    const saved = optB.stateDict();
    const savedParams = b.map((p) => clone(detach(p)));
    // A fresh optimizer over fresh parameters holding the saved values.
    const c = savedParams.map((p) => param(p));
    const optC = make(c);
    optC.loadStateDict(saved);
    steps(optC, c, 4);
    expect(bits(c)).toEqual(bits(a));
  });

  it('is shaped like PyTorch and holds copies', () => {
    const ps = freshParams(2);
    const opt = make(ps);
    expect(opt.stateDict().state).toEqual({});
    steps(opt, ps, 2);
    const sd = opt.stateDict();
    expect(sd.param_groups).toHaveLength(1);
    expect(sd.param_groups[0].params).toEqual([0, 1]);
    expect(sd.param_groups[0].lr).toBe(opt.lr);
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    const s0 = sd.state[0];
    const live = opt.stateOf(ps[0]) as Record<string, unknown>;
    if ('exp_avg' in s0) {
      expect(Object.keys(s0).sort()).toEqual(['exp_avg', 'exp_avg_sq', 'step']);
      expect(s0.step).toBe(2);
      expect((s0.exp_avg as Tensor).shape).toEqual([2, 3]);
      expect(Array.from((s0.exp_avg as Tensor).values())).toEqual(Array.from(live.expAvg as Float64Array));
      expect(sd.param_groups[0]).toMatchObject({ eps: 1e-8, amsgrad: false });
      ((s0.exp_avg as Tensor).view.data as Float64Array).fill(9);
      expect((live.expAvg as Float64Array)[0]).not.toBe(9);
    } else {
      expect(Object.keys(s0)).toEqual(['momentum_buffer']);
      expect(Array.from((s0.momentum_buffer as Tensor).values())).toEqual(Array.from(live.momentumBuffer as Float64Array));
      expect(sd.param_groups[0]).toMatchObject({ dampening: 0 });
    }
  });
});

describe('loadStateDict refuses and changes nothing', () => {
  const saved = (): OptimizerStateDict => {
    const ps = freshParams(3);
    const opt = new Adam(ps, { lr: 0.01 });
    steps(opt, ps, 2);
    opt.lr = 0.005;
    return opt.stateDict();
  };
  const spoilers: [string, (sd: OptimizerStateDict) => void, RegExp][] = [
    ['another optimizer', (sd) => (sd.param_groups[0] = { ...sd.param_groups[0], momentum: 0.9 }), /'momentum'/],
    ['other betas', (sd) => (sd.param_groups[0].betas = [0.5, 0.999]), /betas = \[0.5, 0.999\]/],
    ['fewer parameters', (sd) => (sd.param_groups[0].params = [0]), /this optimizer has 2 parameters/],
    ['a buffer of another shape', (sd) => (sd.state[0].exp_avg = tensor([1, 2])), /shape \[2\] but its parameter has \[2, 3\]/],
    ['a negative second moment', (sd) => (sd.state[1].exp_avg_sq = tensor([1, -1])), /exp_avg_sq holds -1/],
    ['a NaN moment', (sd) => (sd.state[1].exp_avg = tensor([NaN, 0])), /holds NaN/],
    ['a fractional step', (sd) => (sd.state[0].step = 1.5), /step is 1.5/],
    ['an unknown entry', (sd) => (sd.state[0].max_exp_avg_sq = tensor([0])), /'max_exp_avg_sq'/],
    ['an index out of range', (sd) => (sd.state[5] = sd.state[0]), /entry '5'/],
    ['a negative lr', (sd) => (sd.param_groups[0].lr = -1), /lr is -1/],
    ['no param_groups', (sd) => (sd.param_groups = []), /one group/],
  ];
  spoilers.forEach(([what, spoil, message]) => {
    it(what, () => {
      const ps = freshParams(4);
      const opt = new Adam(ps, { lr: 0.02 });
      steps(opt, ps, 1);
      const before = JSON.stringify(opt.stateDict(), (_k, v) =>
        v instanceof Object && 'view' in v ? Array.from((v as Tensor).values()) : v,
      );
      const sd = saved();
      spoil(sd);
      const e = expectXentError(() => opt.loadStateDict(sd));
      expect(e.message).toMatch(message);
      expect(e.message).toMatch(/^Adam\.loadStateDict: /);
      const after = JSON.stringify(opt.stateDict(), (_k, v) =>
        v instanceof Object && 'view' in v ? Array.from((v as Tensor).values()) : v,
      );
      expect(after).toBe(before);
      expect(opt.lr).toBe(0.02);
    });
  });

  it('Adam state does not load into SGD, nor SGD into Adam', () => {
    const ps = freshParams(5);
    const sgd = new SGD(ps, { lr: 0.1, momentum: 0.9 });
    steps(sgd, ps, 1);
    expectXentError(() => new Adam(freshParams(5)).loadStateDict(sgd.stateDict()));
    expectXentError(() => new SGD(freshParams(5), { lr: 0.1, momentum: 0.9 }).loadStateDict(saved()));
    // Adam and AdamW differ in decoupled_weight_decay even at equal settings.
    expectXentError(() => new AdamW(freshParams(5), { weightDecay: 0 }).loadStateDict(new Adam(freshParams(5)).stateDict()));
  });
});

describe('schedule state', () => {
  it('StepLR and CosineAnnealingLR resume where they were', () => {
    const makeSched = [
      (o: Optimizer) => new StepLR(o, { stepSize: 2, gamma: 0.5 }),
      (o: Optimizer) => new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001 }),
    ];
    for (const mk of makeSched) {
      const optA = new SGD(freshParams(6), { lr: 0.1 });
      const a = mk(optA);
      for (let i = 0; i < 7; i++) a.step();
      const optB = new SGD(freshParams(6), { lr: 0.1 });
      const b = mk(optB);
      for (let i = 0; i < 3; i++) b.step();
      const sd = b.stateDict();
      const osd = optB.stateDict();
      expect(sd.last_epoch).toBe(3);
      expect(sd.base_lrs).toEqual([0.1]);
      const optC = new SGD(freshParams(6), { lr: 0.1 });
      const c = mk(optC);
      c.loadStateDict(sd);
      optC.loadStateDict(osd);
      expect(optC.lr).toBe(optB.lr);
      for (let i = 0; i < 4; i++) c.step();
      expect(c.lastEpoch).toBe(7);
      expect(optC.lr).toBe(optA.lr);
      expect(c.lastLr).toBe(a.lastLr);
    }
  });

  it('refuses other settings or a malformed state, changing nothing', () => {
    const opt = new SGD(freshParams(7), { lr: 0.1 });
    const s = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    s.step();
    const sd = new StepLR(new SGD(freshParams(7), { lr: 0.1 }), { stepSize: 3, gamma: 0.5 }).stateDict();
    expect(expectXentError(() => s.loadStateDict(sd)).message).toMatch(/step_size = 3/);
    expectXentError(() => s.loadStateDict({ ...s.stateDict(), last_epoch: -1 }));
    expectXentError(() => s.loadStateDict({ ...s.stateDict(), T_max: 3 }));
    expectXentError(() => new CosineAnnealingLR(opt, { tMax: 5 }).loadStateDict(s.stateDict()));
    expect(s.lastEpoch).toBe(1);
  });
});
