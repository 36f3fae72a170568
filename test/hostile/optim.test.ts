// Hostile inputs, optimizers and schedules: options out of range, parameters
// that are not parameters, gradients that are NaN or of the wrong shape, a
// schedule step that fails, and the updates themselves against the closed
// forms of PyTorch's SGD, Adam and AdamW written out by hand.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { Adam, AdamW, CosineAnnealingLR, SGD, StepLR, clipGradNorm } from '@xent/optim';
import { expectClose, flat, refuses } from './helpers.js';

const withGrad = (values: number[], grad: number[]) => {
  const p = A.param(values);
  p.grad = T.tensor(grad);
  return p;
};

describe('optimizer options', () => {
  it.each([
    ['lr missing', {}],
    ['lr NaN', { lr: NaN }],
    ['lr -1', { lr: -1 }],
    ["lr '0.1'", { lr: '0.1' }],
    ['lr Infinity', { lr: Infinity }],
    ['momentum -0.5', { lr: 0.1, momentum: -0.5 }],
    ["momentum '0.9'", { lr: 0.1, momentum: '0.9' }],
    ['nesterov without momentum', { lr: 0.1, nesterov: true }],
    ["nesterov 'yes'", { lr: 0.1, momentum: 0.9, nesterov: 'yes' }],
    ['weightDecay -1', { lr: 0.1, weightDecay: -1 }],
    ['an unknown option', { lr: 0.1, momentun: 0.9 }],
    ['options as a number', 0.1],
  ])('SGD: %s is refused', (_what, o) => {
    refuses(() => new SGD([A.param([1])], o as never), 'INVALID_OPTION', 'SGD');
  });

  it.each([
    ['betas [1, 0.999]', { betas: [1, 0.999] }],
    ['betas [0.9]', { betas: [0.9] }],
    ['betas [-0.1, 0.9]', { betas: [-0.1, 0.9] }],
    ["betas 'default'", { betas: 'default' }],
    ['eps -1', { eps: -1 }],
    ['eps NaN', { eps: NaN }],
    ['lr -0.001', { lr: -0.001 }],
    ['weightDecay NaN', { weightDecay: NaN }],
    ['an unknown option', { beta1: 0.9 }],
    ['amsgrad (not supported)', { amsgrad: true }],
  ])('Adam: %s is refused', (_what, o) => {
    refuses(() => new Adam([A.param([1])], o as never), 'INVALID_OPTION', 'Adam');
  });

  it.each([
    ['weightDecay -0.01', { weightDecay: -0.01 }],
    ['betas [0.9, 1]', { betas: [0.9, 1] }],
  ])('AdamW: %s is refused', (_what, o) => {
    refuses(() => new AdamW([A.param([1])], o as never), 'INVALID_OPTION', 'AdamW');
  });
});

describe('optimizer eps', () => {
  it('Adam with eps 0 either refuses it or keeps a zero gradient from making NaN (0/0)', () => {
    let opt: Adam;
    try {
      opt = new Adam([withGrad([1, 2], [0, 0])], { eps: 0 });
    } catch (e) {
      refuses(() => {
        throw e;
      }, 'INVALID_OPTION');
      return;
    }
    opt.step();
    for (const v of flat(opt.params[0])) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('optimizer parameters', () => {
  it.each([
    ['an empty list', () => []],
    ['a number', () => 3],
    ['null', () => null],
    ['a plain tensor (not a param)', () => [T.tensor([1])]],
    ['a nested array', () => [[1, 2]]],
    [
      'the same param twice',
      () => {
        const p = A.param([1]);
        return [p, p];
      },
    ],
    ['an op output (not a leaf)', () => [A.mul(A.param([1]), 2)]],
  ])('SGD over %s is refused', (_what, params) => {
    refuses(() => new SGD(params() as never, { lr: 0.1 }), undefined, 'SGD');
  });

  it('20,000 small parameters: Adam is built in well under a second (O(n) checks)', () => {
    const ps = Array.from({ length: 20_000 }, () => A.param(T.zeros([2])));
    const t0 = performance.now();
    new Adam(ps);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('a failed step changes nothing', () => {
  it.each([
    ['NaN', NaN, 'NON_FINITE_GRADIENT'],
    ['Infinity', Infinity, 'NON_FINITE_GRADIENT'],
  ] as const)('a %s in the second gradient: no parameter is updated', (_what, v, code) => {
    const a = withGrad([1, 2], [1, 1]);
    const b = withGrad([3], [v]);
    const opt = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
    refuses(() => opt.step(), code);
    expectClose(a, [1, 2], 0, 0);
    expectClose(b, [3], 0, 0);
  });

  it('a gradient of another shape is SHAPE_MISMATCH and updates nothing', () => {
    const a = withGrad([1, 2], [1, 1]);
    const opt = new Adam([a]);
    a.grad = T.tensor([1, 2, 3]);
    refuses(() => opt.step(), 'SHAPE_MISMATCH');
    expectClose(a, [1, 2], 0, 0);
  });

  it('a parameter without a gradient is skipped (PyTorch)', () => {
    const a = A.param([1, 2]);
    const b = withGrad([3], [1]);
    new SGD([a, b], { lr: 0.5 }).step();
    expectClose(a, [1, 2], 0, 0);
    expectClose(b, [2.5], 0, 0);
  });

  it('StepLR with gamma 1e200: the step that overflows throws and leaves epoch and lr as they were', () => {
    const opt = new SGD([A.param([1])], { lr: 0.1 });
    const s = new StepLR(opt, { stepSize: 1, gamma: 1e200 });
    s.step(); // 0.1·1e200 is finite
    const epoch = s.lastEpoch;
    const lr = s.lastLr;
    refuses(() => s.step(), 'INVALID_OPTION', 'StepLR');
    expect(s.lastEpoch).toBe(epoch);
    expect(s.lastLr).toBe(lr);
    expect(opt.lr).toBe(lr);
  });

  it.each([
    ['stepSize 0', { stepSize: 0 }],
    ['stepSize 1.5', { stepSize: 1.5 }],
    ['gamma -1', { stepSize: 1, gamma: -1 }],
    ['no stepSize', {}],
  ])('StepLR with %s is refused', (_what, o) => {
    refuses(() => new StepLR(new SGD([A.param([1])], { lr: 0.1 }), o as never), 'INVALID_OPTION', 'StepLR');
  });

  it.each([
    ['tMax 0', { tMax: 0 }],
    ['etaMin -1', { tMax: 10, etaMin: -1 }],
  ])('CosineAnnealingLR with %s is refused', (_what, o) => {
    refuses(() => new CosineAnnealingLR(new SGD([A.param([1])], { lr: 0.1 }), o as never), 'INVALID_OPTION', 'CosineAnnealingLR');
  });

  it.each([
    ['-1', -1],
    ['NaN', NaN],
    ["'1'", '1'],
  ])('clipGradNorm with maxNorm %s is refused', (_what, m) => {
    refuses(() => clipGradNorm([withGrad([1], [1])], m as never), 'INVALID_OPTION', 'clipGradNorm');
  });
});

describe('updates against the closed forms', () => {
  it('SGD: p ← p − lr·(g + wd·p)', () => {
    const p = withGrad([1, -2], [0.5, 0.25]);
    new SGD([p], { lr: 0.1, weightDecay: 0.01 }).step();
    expectClose(p, [1 - 0.1 * (0.5 + 0.01), -2 - 0.1 * (0.25 - 0.02)], 1e-15);
  });

  it('SGD momentum over two steps: b ← μb + g, p ← p − lr·b', () => {
    const p = withGrad([1], [0.5]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    opt.step();
    p.grad = T.tensor([0.25]);
    opt.step();
    const b1 = 0.5;
    const b2 = 0.9 * b1 + 0.25;
    expectClose(p, [1 - 0.1 * b1 - 0.1 * b2], 1e-15);
  });

  it('SGD Nesterov: p ← p − lr·(g + μb)', () => {
    const p = withGrad([1], [0.5]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    opt.step();
    p.grad = T.tensor([0.25]);
    opt.step();
    const b1 = 0.5;
    const b2 = 0.9 * b1 + 0.25;
    expectClose(p, [1 - 0.1 * (0.5 + 0.9 * b1) - 0.1 * (0.25 + 0.9 * b2)], 1e-15);
  });

  /** PyTorch's Adam, written out for one scalar. */
  function adamRef(p0: number, grads: number[], lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean): number {
    let p = p0;
    let m = 0;
    let v = 0;
    grads.forEach((g0, i) => {
      const t = i + 1;
      if (decoupled) p -= lr * wd * p;
      const g = decoupled ? g0 : g0 + wd * p;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      const mh = m / (1 - b1 ** t);
      const vh = v / (1 - b2 ** t);
      p -= (lr * mh) / (Math.sqrt(vh) + eps);
    });
    return p;
  }

  it.each([
    ['Adam', false, 0],
    ['Adam with weightDecay 0.1', false, 0.1],
    ['AdamW with weightDecay 0.1', true, 0.1],
  ] as const)('%s over three steps', (_what, decoupled, wd) => {
    const grads = [0.3, -0.2, 0.05];
    const p = withGrad([1.5], [grads[0]]);
    const Opt = decoupled ? AdamW : Adam;
    const opt = new Opt([p], { lr: 0.01, betas: [0.8, 0.95], eps: 1e-6, weightDecay: wd });
    for (let i = 0; i < grads.length; i++) {
      p.grad = T.tensor([grads[i]]);
      opt.step();
    }
    expectClose(p, [adamRef(1.5, grads, 0.01, 0.8, 0.95, 1e-6, wd, decoupled)], 1e-13);
  });

  it('StepLR: lr₀·γ^⌊t/s⌋; CosineAnnealingLR: η_min + (η₀ − η_min)(1 + cos(πt/T))/2', () => {
    const o1 = new SGD([A.param([1])], { lr: 0.1 });
    const s1 = new StepLR(o1, { stepSize: 2, gamma: 0.5 });
    const o2 = new SGD([A.param([1])], { lr: 0.1 });
    const s2 = new CosineAnnealingLR(o2, { tMax: 4, etaMin: 0.01 });
    for (let t = 1; t <= 4; t++) {
      s1.step();
      s2.step();
      expectClose(o1.lr, 0.1 * 0.5 ** Math.floor(t / 2), 1e-15);
      expectClose(o2.lr, 0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * t) / 4))) / 2, 1e-12, 1e-15);
    }
  });

  it('clipGradNorm returns the total norm and scales the gradients to maxNorm', () => {
    const a = withGrad([0, 0], [3, 0]);
    const b = withGrad([0], [4]);
    const norm = clipGradNorm([a, b], 1);
    expectClose(norm, 5, 1e-15);
    expectClose(a.grad as T.Tensor, [0.6, 0], 1e-6);
    expectClose(b.grad as T.Tensor, [0.8], 1e-6);
  });
});
