// Behaviour shared by every optimizer: training with backward(), zeroGrad,
// skipped parameters, atomic failure on bad gradients, parameter checks,
// dtypes and memory layouts.
import { describe, it, expect } from 'vitest';
import { Tensor, broadcastTo, clone, slice, tensor, transpose, zeros } from '@xent/tensor';
import { add, detach, noGrad, param } from '@xent/autograd';
import { Adam, AdamW, CosineAnnealingLR, Optimizer, SGD, StepLR } from '@xent/optim';
import { expectXentError, flat, quadratic, setGrad } from '../../../test/utils.js';

type Make = (params: Tensor[]) => Optimizer;
const OPTIMIZERS: [string, Make, number][] = [
  // name, factory, steps to converge on Σ(w − c)² to 1e-6
  ['SGD', (ps) => new SGD(ps, { lr: 0.1 }), 80],
  ['SGD momentum', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9 }), 300],
  ['SGD Nesterov', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true }), 150],
  ['Adam', (ps) => new Adam(ps, { lr: 0.05 }), 600],
  ['AdamW (λ = 0)', (ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0 }), 600],
];

describe('minimizing f(w) = Σ(w − c)² with backward()', () => {
  const c = [1, -2, 3, 0.5];
  it.each(OPTIMIZERS)('%s converges to c', (_name, make, steps) => {
    const w = param(zeros([4]), 'w');
    const opt = make([w]);
    let loss = Infinity;
    for (let t = 0; t < steps; t++) {
      opt.zeroGrad();
      const f = quadratic(w, c);
      loss = f.item();
      f.backward();
      opt.step();
    }
    expect(loss).toBeLessThan(1e-8);
    expect(w).toBeAllClose(c, { rtol: 0, atol: 1e-4 });
  });

  it('with L2 weight decay λ, SGD converges to the minimum of f + (λ/2)‖w‖²: w* = 2c/(2 + λ)', () => {
    const w = param(zeros([4]));
    const opt = new SGD([w], { lr: 0.1, weightDecay: 0.5 });
    for (let t = 0; t < 200; t++) {
      opt.zeroGrad();
      quadratic(w, c).backward();
      opt.step();
    }
    expect(w).toBeAllClose(
      c.map((ci) => (2 * ci) / 2.5),
      { rtol: 1e-10, atol: 1e-12 },
    );
  });

  it('AdamW (default λ = 0.01) ends near c, pulled slightly towards 0', () => {
    const w = param(zeros([4]));
    const opt = new AdamW([w], { lr: 0.05 });
    for (let t = 0; t < 600; t++) {
      opt.zeroGrad();
      quadratic(w, c).backward();
      opt.step();
    }
    expect(w).toBeAllClose(c, { rtol: 0, atol: 0.05 });
  });

  it('trains a matrix and a bias together (two parameters, broadcasting)', () => {
    // y = x·W + b fit to a target made from known W*, b*.
    const x = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const W = param(zeros([2, 2]), 'W');
    const b = param(zeros([2]), 'b');
    const target = [
      [1.5, -1],
      [0.5, 2],
      [1.5, 0],
    ]; // W* = [[1, -2], [0, 1]], b* = [0.5, 1]
    const opt = new Adam([W, b], { lr: 0.05 });
    for (let t = 0; t < 1500; t++) {
      opt.zeroGrad();
      quadratic(add(x.matmul(W), b), target).backward();
      opt.step();
    }
    expect(W).toBeAllClose(
      [
        [1, -2],
        [0, 1],
      ],
      { rtol: 0, atol: 1e-3 },
    );
    expect(b).toBeAllClose([0.5, 1], { rtol: 0, atol: 1e-3 });
  });
});

describe('zeroGrad and skipped parameters', () => {
  it('zeroGrad sets every .grad to null, so the next backward starts fresh', () => {
    const w = param(tensor([1, 2]));
    const v = param(tensor([3]));
    const opt = new SGD([w, v], { lr: 0.1 });
    quadratic(w, [0, 0]).backward();
    quadratic(w, [0, 0]).backward(); // accumulates: 2·(2w)
    expect(w.grad).toBeAllClose([4, 8]);
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    expect(v.grad).toBeNull();
    quadratic(w, [0, 0]).backward();
    expect(w.grad).toBeAllClose([2, 4]);
  });

  it.each([
    ['SGD', (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 })],
    ['Adam', (ps: Tensor[]) => new Adam(ps, { lr: 0.1, weightDecay: 0.1 })],
    ['AdamW', (ps: Tensor[]) => new AdamW(ps, { lr: 0.1 })],
  ] as const)('%s skips a parameter whose grad is null: no change, no state, even with weight decay', (_n, make) => {
    const used = param(tensor([1, 2]));
    const unused = param(tensor([3, 4]));
    const opt = make([used, unused]);
    setGrad(used, [1, 1]);
    opt.step();
    opt.step();
    expect(flat(unused)).toEqual([3, 4]);
    expect(opt.stateOf(unused)).toBeUndefined();
    expect(flat(used)).not.toEqual([1, 2]);
    expect(opt.stateOf(used)).toBeDefined();
  });

  it('zeroGrad(false) zeroes existing gradients (PyTorch set_to_none=False): SGD then still applies momentum and weight decay', () => {
    // p = 1, lr 0.1, momentum 0.9, weight decay 0.1. Step 1 with g = 1: d = g + 0.1p = 1.1, b = 1.1, p = 0.89.
    // Step 2 with g = 0 (not null): d = 0.089, b = 0.9·1.1 + 0.089 = 1.079, p = 0.89 − 0.1079 = 0.7821.
    const make = () => {
      const p = param(tensor([1]));
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
      setGrad(p, [1]);
      opt.step();
      return { p, opt };
    };
    const zeroed = make();
    zeroed.opt.zeroGrad(false);
    expect(flat(zeroed.p.grad!)).toEqual([0]);
    zeroed.opt.step();
    expect(flat(zeroed.p)[0]).toBeCloseTo(0.7821, 15);
    const nulled = make();
    nulled.opt.zeroGrad();
    nulled.opt.step(); // a null gradient is skipped
    expect(flat(nulled.p)[0]).toBeCloseTo(0.89, 15);
    const untouched = param(tensor([5]));
    new SGD([untouched], { lr: 0.1 }).zeroGrad(false);
    expect(untouched.grad).toBeNull(); // no gradient yet: stays null, as in PyTorch
    expectXentError(() => zeroed.opt.zeroGrad('no' as never), 'INVALID_ARGUMENT', 'zeroGrad: setToNone is a string ("no")');
  });

  it('step(closure) runs the closure with gradients on, then updates, and returns its loss (PyTorch)', () => {
    const w = param(tensor([1, 2]));
    const opt = new SGD([w], { lr: 0.1 });
    const loss = noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = quadratic(w, [0, 0]); // Σ w², gradient 2w
        l.backward();
        return l;
      }),
    );
    expect(loss!.item()).toBe(5);
    expect(flat(w)).toEqual([0.8, 1.6]);
    expectXentError(() => opt.step(3 as never), 'INVALID_ARGUMENT', 'SGD.step: closure is the number 3');
    expect(flat(w)).toEqual([0.8, 1.6]); // the refused call changed nothing
    expect(opt.step()).toBeUndefined(); // the same gradient [2, 4] again
    expect(w).toBeAllClose([0.6, 1.2]);
  });

  it('stateOf is undefined for a tensor the optimizer does not hold', () => {
    const opt = new SGD([param(tensor([1]))], { lr: 0.1 });
    expect(opt.stateOf(param(tensor([1])))).toBeUndefined();
  });
});

describe('a NaN or infinite gradient modifies nothing', () => {
  const cases = [
    ['SGD', (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (ps: Tensor[]) => new Adam(ps, { lr: 0.1 })],
    ['AdamW', (ps: Tensor[]) => new AdamW(ps, { lr: 0.1 })],
  ] as const;

  it.each(cases)('%s: the error names the parameter, and no parameter or state changes', (_n, make) => {
    const a = param(tensor([1, 2]), 'a');
    const b = param(
      tensor([
        [3, 4],
        [5, 6],
      ]),
      'weights',
    );
    const c = param(tensor([7]));
    const opt = make([a, b, c]);
    setGrad(a, [0.1, 0.2]);
    setGrad(b, [1, 1, 1, 1]);
    setGrad(c, [1]);
    opt.step(); // one good step creates state
    const before = [flat(a), flat(b), flat(c)];
    const snapshot = (p: Tensor) =>
      JSON.stringify(opt.stateOf(p), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    const states = [a, b, c].map(snapshot);

    setGrad(a, [0.1, 0.2]); // fine, and listed first: must not be updated either
    setGrad(b, [1, NaN, 1, 1]);
    let e = expectXentError(() => opt.step(), 'NON_FINITE_GRADIENT');
    expect(e.message).toMatch(/parameter 'weights' \(index 1, shape \[2, 2\]\) holds NaN at flat index 1; no parameter was updated/);

    setGrad(b, [1, 1, 1, 1]);
    setGrad(c, [-Infinity]);
    e = expectXentError(() => opt.step(), 'NON_FINITE_GRADIENT');
    expect(e.message).toMatch(/parameter 2 \(shape \[1\]\) holds -Infinity at flat index 0/);

    expect([flat(a), flat(b), flat(c)]).toEqual(before);
    expect([a, b, c].map(snapshot)).toEqual(states);
  });

  it('a gradient of the wrong shape is refused before anything changes', () => {
    const a = param(tensor([1, 2]));
    const b = param(tensor([3, 4]), 'b');
    const opt = new SGD([a, b], { lr: 0.1 });
    setGrad(a, [1, 1]);
    b.grad = tensor([1, 1, 1]);
    const e = expectXentError(() => opt.step(), 'SHAPE_MISMATCH');
    expect(e.message).toMatch(/SGD\.step: the gradient of parameter 'b' \(index 1, shape \[2\]\) has shape \[3\]/);
    expect(flat(a)).toEqual([1, 2]);
  });
});

describe('a gradient that lives in a parameter’s memory', () => {
  it.each(['SGD', 'Adam'] as const)('%s reads it as it was before the step (w2.grad = detach(w1)), not after w1’s update', (kind) => {
    // Reference: the same step with a copy of w1 as w2's gradient.
    const run = (alias: boolean) => {
      const w1 = param(tensor([1, 2, 3]));
      const w2 = param(tensor([10, 20, 30]));
      const opt = kind === 'SGD' ? new SGD([w1, w2], { lr: 0.5, momentum: 0.9 }) : new Adam([w1, w2], { lr: 0.5 });
      setGrad(w1, [1, 1, 1]);
      w2.grad = alias ? detach(w1) : tensor([1, 2, 3]);
      opt.step();
      return [flat(w1), flat(w2)];
    };
    // Before: w2 moved by w1's new values ([0.5, 1.5, 2.5] for SGD), as if its gradient had changed mid-step.
    expect(run(true)).toEqual(run(false));
  });
});

describe('which tensors can be parameters', () => {
  it('refuses a tensor that does not require a gradient, pointing to param()', () => {
    const e = expectXentError(() => new SGD([param(tensor([1])), tensor([1, 2])], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/SGD: parameter 1 \(shape \[2\]\) does not require a gradient.*param\(t\)/);
  });

  it('refuses a non-leaf (the output of a recorded op)', () => {
    const w = param(tensor([1, 2]), 'w');
    const e = expectXentError(() => new Adam([add(w, 1)]), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/Adam: parameter 0 \(shape \[2\]\) is the output of a recorded op, not a leaf/);
  });

  it('refuses an int32 tensor', () => {
    const t = tensor([1, 2], { dtype: 'int32' });
    t.requiresGrad = true;
    const e = expectXentError(() => new SGD([t], { lr: 0.1 }), 'DTYPE');
    expect(e.message).toMatch(/int32/);
  });

  it('refuses an empty list, non-tensors and a missing list', () => {
    expectXentError(() => new SGD([], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expectXentError(() => new SGD([3 as unknown as Tensor], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expectXentError(() => new Adam(undefined as unknown as Tensor[]), 'INVALID_ARGUMENT');
  });

  it('refuses a parameter listed twice, or two parameters sharing memory', () => {
    const w = param(tensor([1, 2]), 'w');
    let e = expectXentError(() => new SGD([w, w], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/same tensor as params\[0\]/);
    e = expectXentError(() => new SGD([w, param(w, undefined, { copy: false })], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/shares memory with parameter 'w'/);
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    e = expectXentError(
      () => new SGD([param(m, undefined, { copy: false }), param(transpose(m), undefined, { copy: false })], { lr: 0.1 }),
      'INVALID_ARGUMENT',
    );
    expect(e.message).toMatch(/shares memory/);
  });

  it('accepts disjoint views of one buffer (two columns of a matrix)', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    const c0 = param(
      slice(m, [
        [0, 2],
        [0, 1],
      ]),
      undefined,
      { copy: false },
    );
    const c1 = param(
      slice(m, [
        [0, 2],
        [1, 2],
      ]),
      undefined,
      { copy: false },
    );
    const opt = new SGD([c0, c1], { lr: 1 });
    setGrad(c0, [1, 1]);
    setGrad(c1, [10, 10]);
    opt.step();
    expect(m.toArray()).toEqual([
      [0, -8],
      [2, -6],
    ]);
  });

  it('refuses a broadcast (zero-stride) view, which would update one value several times', () => {
    const e = expectXentError(
      () => new SGD([param(broadcastTo(tensor([1, 2]), [3, 2]), undefined, { copy: false })], { lr: 0.1 }),
      'INVALID_ARGUMENT',
    );
    expect(e.message).toMatch(/repeats elements.*param\(clone\(t\)\)/);
  });
});

describe('layouts and dtypes', () => {
  it('updates a transposed (non-contiguous) parameter exactly like a contiguous copy, writing through to the shared data', () => {
    const base = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const wt = param(transpose(base), undefined, { copy: false }); // shape [3, 2], strides [1, 3]
    const copy = param(clone(transpose(base)));
    const g = [
      [0.5, -1],
      [2, 0.25],
      [-3, 1],
    ];
    const opts = { lr: 0.1, momentum: 0.9 };
    const o1 = new SGD([wt], opts);
    const o2 = new SGD([copy], opts);
    for (let t = 0; t < 3; t++) {
      setGrad(wt, g);
      setGrad(copy, g);
      o1.step();
      o2.step();
    }
    expect(wt.toArray()).toEqual(copy.toArray());
    expect(base.toArray()).toEqual(transpose(copy.detach()).toArray());
  });

  it('a parameter that is a view into a larger buffer (offset) is updated in place, neighbours untouched', () => {
    const big = tensor([10, 20, 30, 40, 50]);
    const mid = param(slice(big, [[1, 4]]), undefined, { copy: false });
    const opt = new Adam([mid], { lr: 1 });
    setGrad(mid, [1, -1, 1]);
    opt.step();
    expect(flat(big)[0]).toBe(10);
    expect(flat(big)[4]).toBe(50);
    expect(flat(big).slice(1, 4)).toBeAllClose([19, 31, 39], { rtol: 1e-7 });
  });

  it.each([
    ['SGD', (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (ps: Tensor[]) => new Adam(ps, { lr: 0.01 })],
    ['AdamW', (ps: Tensor[]) => new AdamW(ps, { lr: 0.01 })],
  ] as const)('%s keeps float32 parameters float32 (same storage) while training with backward()', (_n, make) => {
    const w = param(zeros([3], 'float32'));
    const data = w.view.data;
    const opt = make([w]);
    for (let t = 0; t < 5; t++) {
      opt.zeroGrad();
      quadratic(w, [1, 2, 3]).backward();
      expect(w.grad!.dtype).toBe('float32');
      opt.step();
    }
    expect(w.dtype).toBe('float32');
    expect(w.view.data).toBe(data);
    expect(flat(w).every((x) => x > 0)).toBe(true);
  });
});

describe('the learning rate is mutable', () => {
  it('a changed lr applies from the next step', () => {
    const w = param(tensor([1]));
    const opt = new SGD([w], { lr: 0.1 });
    setGrad(w, [1]);
    opt.step(); // 1 − 0.1 = 0.9
    opt.lr = 0.5;
    opt.step(); // 0.9 − 0.5 = 0.4
    expect(w).toBeAllClose([0.4], { rtol: 0, atol: 1e-15 });
    expect(opt.hyper.lr).toBe(0.5);
  });

  it('an invalid lr is refused and the old one kept', () => {
    const opt = new Adam([param(tensor([1]))]);
    const e = expectXentError(() => {
      opt.lr = -0.1;
    }, 'INVALID_OPTION');
    expect(e.message).toMatch(/Adam: lr is -0\.1; it must be a number in \[0, ∞\)/);
    expect(opt.lr).toBe(1e-3);
  });
});

describe('the aliasing check is O(n) (issue 9: 20,000 parameters took 9–14 s)', () => {
  it('20,000 separate parameters, and 20,000 disjoint slices of one buffer, are each checked in under 2 s', () => {
    const many = Array.from({ length: 20_000 }, () => param(zeros([2])));
    let t0 = performance.now();
    const opt = new Adam(many);
    expect(opt.params.length).toBe(20_000);
    expect(performance.now() - t0).toBeLessThan(2_000); // pairwise: minutes on this machine's share of 2 cores
    const flatBuffer = zeros([40_000]);
    const slices = Array.from({ length: 20_000 }, (_, k) => param(slice(flatBuffer, [[2 * k, 2 * k + 2]]), undefined, { copy: false }));
    t0 = performance.now();
    new SGD(slices, { lr: 0.1 });
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('still finds the one overlapping pair among 20,000 slices of one buffer, naming both', () => {
    const flatBuffer = zeros([40_001]);
    const slices = Array.from({ length: 20_000 }, (_, k) => param(slice(flatBuffer, [[2 * k, 2 * k + 2]]), undefined, { copy: false }));
    slices.push(param(slice(flatBuffer, [[39_999, 40_001]]), undefined, { copy: false })); // overlaps the last slice at element 39,999
    const e = expectXentError(() => new SGD(slices, { lr: 0.1 }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/parameter 20000 .* shares memory with parameter 19999 /);
  });

  it('interleaved strided views of one buffer overlap in range but share nothing: accepted', () => {
    const m = zeros([4, 2]);
    const even = param(
      slice(m, [
        [0, 4],
        [0, 1],
      ]),
      undefined,
      { copy: false },
    );
    const odd = param(
      slice(m, [
        [0, 4],
        [1, 2],
      ]),
      undefined,
      { copy: false },
    );
    expect(() => new SGD([even, odd], { lr: 0.1 })).not.toThrow();
  });
});

describe('options: null means "not given", getters are read', () => {
  it('null options take their defaults; a string or boolean for a number is refused', () => {
    const opt = new SGD([param(tensor([1]))], { lr: 0.1, momentum: null as never, weightDecay: undefined });
    expect(opt.hyper).toEqual({ lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
    for (const bad of ['0.9', true, false]) {
      const e = expectXentError(() => new SGD([param(tensor([1]))], { lr: 0.1, momentum: bad as never }), 'INVALID_OPTION');
      expect(e.message).toMatch(/SGD: option 'momentum' is .*; it must be a number in \[0, ∞\)/);
    }
    expectXentError(() => new SGD([param(tensor([1]))], { lr: null as never }), 'INVALID_OPTION');
  });

  it('options given as a class instance: its getters are read', () => {
    class Hyper {
      get lr(): number {
        return 0.25;
      }
      get betas(): [number, number] {
        return [0.5, 0.75];
      }
    }
    const opt = new Adam([param(tensor([1]))], new Hyper());
    expect(opt.lr).toBe(0.25);
    expect(opt.betas).toEqual([0.5, 0.75]);
    class Typo {
      get learningRate(): number {
        return 0.1;
      }
    }
    const e = expectXentError(() => new Adam([param(tensor([1]))], new Typo() as never), 'INVALID_OPTION');
    expect(e.message).toMatch(/unknown option 'learningRate'/);
  });
});

describe('an option of another optimizer or schedule says whose it is', () => {
  const w = () => param(tensor([1]));
  it('SGD given Adam’s betas, Adam given SGD’s momentum, a schedule given another’s option', () => {
    expectXentError(
      () => new SGD([w()], { lr: 0.1, betas: [0.9, 0.99] } as never),
      'INVALID_OPTION',
      "SGD: does not take the option 'betas' (it is for Adam and AdamW).",
    );
    expectXentError(
      () => new Adam([w()], { momentum: 0.9 } as never),
      'INVALID_OPTION',
      "Adam: does not take the option 'momentum' (it is for SGD).",
    );
    expectXentError(
      () => new AdamW([w()], { nesterov: true } as never),
      'INVALID_OPTION',
      '(it is for SGD)',
      'The options here are lr, betas, eps, weightDecay.',
    );
    const opt = new SGD([w()], { lr: 0.1 });
    expectXentError(
      () => new StepLR(opt, { stepSize: 2, etaMin: 0 } as never),
      'INVALID_OPTION',
      "StepLR: does not take the option 'etaMin' (it is for CosineAnnealingLR).",
    );
  });
  it('a misspelling of another optimizer’s option is named with its owner; foreign spellings map to ours', () => {
    expectXentError(
      () => new SGD([w()], { lr: 0.1, beta: [0.9, 0.99] } as never),
      'INVALID_OPTION',
      "unknown option 'beta'",
      "'betas' is for Adam and AdamW.",
    );
    expectXentError(() => new Adam([w()], { learning_rate: 0.1 } as never), 'INVALID_OPTION', "did you mean 'lr'?");
    expectXentError(() => new Adam([w()], { epsilon: 1e-8 } as never), 'INVALID_OPTION', "did you mean 'eps'?");
  });
});

describe("torch's positional hyperparameters after the options are refused, not ignored", () => {
  // new Adam(params, { lr }, [0.5, 0.5]) ran with the default betas; new StepLR(opt, { stepSize: 1 }, 0.5) with γ = 0.1.
  const construct =
    (C: unknown, ...args: unknown[]) =>
    () =>
      new (C as new (...a: unknown[]) => unknown)(...args);
  const ps = () => [param(tensor([1, 2]))];
  const opt = new SGD(ps(), { lr: 0.1 });
  it.each([
    ['SGD', construct(SGD, ps(), { lr: 0.1 }, 0.9), 'momentum: 0.9'],
    ['Adam', construct(Adam, ps(), { lr: 0.1 }, [0.5, 0.5]), 'betas: [0.9, 0.999]'],
    ['AdamW', construct(AdamW, ps(), { lr: 0.1 }, 0.5), 'weightDecay: 0.01'],
    ['StepLR', construct(StepLR, opt, { stepSize: 1 }, 0.5), 'gamma: 0.1'],
    ['CosineAnnealingLR', construct(CosineAnnealingLR, opt, { tMax: 10 }, 0.5), 'etaMin: 0'],
  ])('%s', (name, run, example) => {
    expectXentError(run, 'INVALID_ARGUMENT', `${name}: takes at most 2 arguments, got 3`, example);
  });
  it('a refused schedule leaves the optimizer’s lr alone', () => {
    expect(opt.lr).toBe(0.1);
  });
});
