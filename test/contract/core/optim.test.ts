// Contract §3½: SGD (momentum, dampening, Nesterov, weight decay), Adam, AdamW with PyTorch's update rules,
// checked over several steps against naive float64 loops written from torch.optim's documented algorithms;
// step() runs under noGrad and updates in place; zeroGrad; a failed step modifies nothing.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { Adam, AdamW, SGD } from '@xent/optim';
import { expectClose, expectXent, flat, makeRandom, uniform, type Nested } from './ref.js';

const vals = (t: T.Tensor): number[] => flat(t.toArray() as Nested);

// The loss: f(w) = Σ a_i (w_i − c_i)² + Σ w_i³ / 3, gradient 2a(w − c) + w².
const rand = makeRandom(21);
const a1 = uniform(rand, 6, 0.5, 2);
const c1 = uniform(rand, 6, -1, 1);
const a2 = uniform(rand, 3, 0.5, 2);
const c2 = uniform(rand, 3, -1, 1);
const w1Init = uniform(rand, 6, -1, 1);
const w2Init = uniform(rand, 3, -1, 1);
const gradOf = (w: number[], a: number[], c: number[]): number[] => w.map((v, i) => 2 * a[i] * (v - c[i]) + v * v);

function lossOf(w: T.Tensor, a: number[], c: number[]): T.Tensor {
  const at = T.tensor(a, { shape: w.shape });
  const ct = T.tensor(c, { shape: w.shape });
  return A.add(A.sum(A.mul(at, A.square(A.sub(w, ct)))), A.div(A.sum(A.mul(w, A.mul(w, w))), 3));
}

interface Stepper {
  zeroGrad(): void;
  step(): void;
}

/** Runs n steps of xent's optimizer on two parameters ([2, 3] and [3]) and returns their values after each step. */
function runXent(make: (ps: T.Tensor[]) => Stepper, n: number): number[][][] {
  const w1 = A.param(T.tensor(w1Init, { shape: [2, 3] }));
  const w2 = A.param(T.tensor(w2Init));
  const opt = make([w1, w2]);
  const out: number[][][] = [];
  for (let s = 0; s < n; s++) {
    opt.zeroGrad();
    A.add(lossOf(w1, a1, c1), lossOf(w2, a2, c2)).backward();
    opt.step();
    out.push([vals(w1), vals(w2)]);
  }
  return out;
}

/** The same n steps with a naive per-parameter update rule. */
function runNaive(update: (p: number[], g: number[], state: Record<string, number[] | number>) => void, n: number): number[][][] {
  const ps = [[...w1Init], [...w2Init]];
  const abc: [number[], number[]][] = [
    [a1, c1],
    [a2, c2],
  ];
  const states: Record<string, number[] | number>[] = [{}, {}];
  const out: number[][][] = [];
  for (let s = 0; s < n; s++) {
    const gs = ps.map((p, k) => gradOf(p, ...abc[k]));
    ps.forEach((p, k) => update(p, gs[k], states[k]));
    out.push(ps.map((p) => [...p]));
  }
  return out;
}

/** torch.optim.SGD's algorithm. */
const sgdNaive =
  (lr: number, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0) =>
  (p: number[], g: number[], st: Record<string, number[] | number>): void => {
    let d = g.map((v, i) => v + weightDecay * p[i]);
    if (momentum !== 0) {
      const buf = st.buf as number[] | undefined;
      const b = buf === undefined ? [...d] : buf.map((v, i) => momentum * v + (1 - dampening) * d[i]);
      st.buf = b;
      d = nesterov ? d.map((v, i) => v + momentum * b[i]) : b;
    }
    for (let i = 0; i < p.length; i++) p[i] -= lr * d[i];
  };

/** torch.optim.Adam / AdamW's algorithm (amsgrad off). */
const adamNaive =
  (lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 0, decoupled = false) =>
  (p: number[], g0: number[], st: Record<string, number[] | number>): void => {
    const t = ((st.t as number | undefined) ?? 0) + 1;
    st.t = t;
    if (decoupled) for (let i = 0; i < p.length; i++) p[i] *= 1 - lr * weightDecay;
    const g = decoupled ? g0 : g0.map((v, i) => v + weightDecay * p[i]);
    const m = ((st.m as number[] | undefined) ?? g.map(() => 0)).map((v, i) => b1 * v + (1 - b1) * g[i]);
    const v2 = ((st.v as number[] | undefined) ?? g.map(() => 0)).map((v, i) => b2 * v + (1 - b2) * g[i] * g[i]);
    st.m = m;
    st.v = v2;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    for (let i = 0; i < p.length; i++) p[i] -= (lr / bc1) * (m[i] / (Math.sqrt(v2[i]) / Math.sqrt(bc2) + eps));
  };

const compare = (got: number[][][], want: number[][][]): void => {
  expect(got.length).toBe(want.length);
  got.forEach((stepVals, s) => stepVals.forEach((v, k) => expectClose(v, want[s][k], 1e-13, 1e-11)));
};

const N = 6;

describe('SGD against torch.optim.SGD over several steps', () => {
  const configs: [string, { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number }][] = [
    ['plain', { lr: 0.05 }],
    ['momentum', { lr: 0.05, momentum: 0.9 }],
    ['momentum + dampening', { lr: 0.05, momentum: 0.8, dampening: 0.3 }],
    ['Nesterov', { lr: 0.05, momentum: 0.9, nesterov: true }],
    ['weight decay', { lr: 0.05, weightDecay: 0.1 }],
    ['Nesterov + weight decay', { lr: 0.03, momentum: 0.7, nesterov: true, weightDecay: 0.05 }],
    ['momentum + dampening + weight decay', { lr: 0.03, momentum: 0.5, dampening: 0.5, weightDecay: 0.2 }],
  ];
  for (const [name, o] of configs) {
    it(name, () => {
      compare(
        runXent((ps) => new SGD(ps, o), N),
        runNaive(sgdNaive(o.lr, o.momentum, o.dampening, o.nesterov, o.weightDecay), N),
      );
    });
  }

  it('lr is required; nesterov needs momentum and no dampening; negative values refused', () => {
    const w = A.param(T.tensor([1]));
    expectXent(() => new SGD([w], {} as never), 'INVALID_OPTION', 'lr');
    expectXent(() => new SGD([w], { lr: 0.1, nesterov: true }), 'INVALID_OPTION', 'nesterov');
    expectXent(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), 'INVALID_OPTION');
    expectXent(() => new SGD([w], { lr: -1 }), 'INVALID_OPTION', 'lr');
    expectXent(() => new SGD([w], { lr: 0.1, weight_decay: 0.1 } as never), 'INVALID_OPTION', 'weightDecay');
  });
});

describe('Adam and AdamW against torch.optim over several steps', () => {
  it('Adam with PyTorch defaults (lr 1e-3, betas [0.9, 0.999], eps 1e-8)', () => {
    compare(
      runXent((ps) => new Adam(ps), N),
      runNaive(adamNaive(), N),
    );
  });

  it('Adam with every option set, L2 weight decay through the gradient', () => {
    compare(
      runXent((ps) => new Adam(ps, { lr: 0.05, betas: [0.8, 0.95], eps: 1e-6, weightDecay: 0.1 }), N),
      runNaive(adamNaive(0.05, 0.8, 0.95, 1e-6, 0.1, false), N),
    );
  });

  it('AdamW with defaults: decoupled weight decay 0.01', () => {
    compare(
      runXent((ps) => new AdamW(ps), N),
      runNaive(adamNaive(1e-3, 0.9, 0.999, 1e-8, 0.01, true), N),
    );
  });

  it('AdamW with options: p ← p − η·λ·p, then the Adam step on the unchanged gradient', () => {
    compare(
      runXent((ps) => new AdamW(ps, { lr: 0.05, betas: [0.85, 0.99], eps: 1e-7, weightDecay: 0.3 }), N),
      runNaive(adamNaive(0.05, 0.85, 0.99, 1e-7, 0.3, true), N),
    );
  });

  it('Adam and AdamW differ when weight decay is on (L2 is not decoupled decay)', () => {
    const adam = runXent((ps) => new Adam(ps, { lr: 0.05, weightDecay: 0.3 }), 3);
    const adamw = runXent((ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0.3 }), 3);
    expect(Math.abs(adam[2][0][0] - adamw[2][0][0])).toBeGreaterThan(1e-6);
  });

  it('the first Adam step moves each entry by ≈ lr against the sign of its gradient, whatever |g|', () => {
    const w = A.param(T.tensor([1, 1]));
    const opt = new Adam([w], { lr: 0.1 });
    A.backward(A.mul(w, T.tensor([1e-3, -50])), { dy: T.ones([2]) });
    opt.step();
    expectClose(vals(w), [0.9, 1.1], 1e-6, 0);
  });

  it('betas outside [0, 1), negative eps, unknown options: INVALID_OPTION', () => {
    const w = A.param(T.tensor([1]));
    expectXent(() => new Adam([w], { betas: [1, 0.999] }), 'INVALID_OPTION', 'betas');
    expectXent(() => new Adam([w], { eps: -1 }), 'INVALID_OPTION', 'eps');
    expectXent(() => new AdamW([w], { amsgrad: true } as never), 'INVALID_OPTION', 'amsgrad');
  });
});

describe('step(), zeroGrad() and what the optimizers touch', () => {
  it('step() runs under noGrad: the param stays a leaf, nothing is recorded, recording is back on after', () => {
    const w = A.param(T.tensor([1, 2]));
    const opt = new SGD([w], { lr: 0.5 });
    A.sum(A.mul(w, w)).backward();
    opt.step();
    expectClose(vals(w), [0, 0]);
    expect(w.requiresGrad).toBe(true);
    expect(w.node).toBeNull();
    expect(A.isGradEnabled()).toBe(true);
    opt.zeroGrad();
    A.sum(A.mul(w, T.tensor([3, 4]))).backward();
    expectClose(vals(w.grad!), [3, 4]);
  });

  it('step() updates in place: the same tensor object and storage', () => {
    const w = A.param(T.tensor([1, 2]));
    const data = w.values();
    const opt = new SGD([w], { lr: 1 });
    A.sum(w).backward();
    opt.step();
    expect(w.values()).toBe(data);
    expectClose(Array.from(data), [0, 1]);
  });

  it('a graph recorded before step() cannot be back-propagated after it (MODIFIED_IN_PLACE, issue 9 #4)', () => {
    const w = A.param(T.tensor([1, 2]));
    const opt = new SGD([w], { lr: 0.1 });
    const y = A.sum(A.mul(w, w));
    A.sum(A.mul(w, 1)).backward();
    opt.step();
    expectXent(() => y.backward(), 'MODIFIED_IN_PLACE');
  });

  it('zeroGrad() sets every .grad to null; a param with null grad is skipped by step(), even with weight decay', () => {
    const w1 = A.param(T.tensor([1, 2]));
    const w2 = A.param(T.tensor([3]));
    for (const opt of [new SGD([w1, w2], { lr: 0.1, weightDecay: 0.5, momentum: 0.9 }), new AdamW([w1, w2], { weightDecay: 0.5 })]) {
      A.sum(A.mul(w1, w2)).backward();
      opt.zeroGrad();
      expect(w1.grad).toBeNull();
      expect(w2.grad).toBeNull();
      A.sum(w1).backward();
      const before2 = vals(w2);
      opt.step();
      expect(vals(w2)).toEqual(before2);
      opt.zeroGrad();
    }
  });

  it('a float32 param stays float32', () => {
    const w = A.param(T.tensor([1, 2], { dtype: 'float32' }));
    const opt = new Adam([w], { lr: 0.1 });
    A.sum(A.mul(w, w)).backward();
    opt.step();
    expect(w.dtype).toBe('float32');
    expectClose(vals(w), [Math.fround(0.9), Math.fround(1.9)], 0, 1e-7);
  });

  it('the README training step lowers the loss', () => {
    const X = T.tensor(uniform(makeRandom(5), 8 * 4), { shape: [8, 4] });
    const labels = T.tensor([0, 1, 2, 1, 0, 2, 1, 0], { dtype: 'int32' });
    const W = A.param(T.zeros([4, 3]));
    const b = A.param(T.zeros([3]));
    const opt = new SGD([W, b], { lr: 0.1 });
    const losses: number[] = [];
    for (let s = 0; s < 3; s++) {
      opt.zeroGrad();
      const loss = A.mean(A.sparseSoftmaxCrossEntropyWithLogits(labels, A.add(A.matmul(X, W), b)));
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expectClose(losses[0], Math.log(3), 0, 1e-14);
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(losses[2]).toBeLessThan(losses[1]);
  });
});

describe('per-parameter state across skipped steps and lr changes (PyTorch semantics)', () => {
  // Three steps; w2 has no gradient at step 2 (skipped: its values and state stay), and lr changes before step 3.
  function scenario(
    make: (ps: T.Tensor[]) => Stepper & { lr: number },
    update: (lr: number) => (p: number[], g: number[], st: Record<string, number[] | number>) => void,
  ) {
    const w1 = A.param(T.tensor(w1Init, { shape: [2, 3] }));
    const w2 = A.param(T.tensor(w2Init));
    const opt = make([w1, w2]);
    const naive = [[...w1Init], [...w2Init]];
    const states: Record<string, number[] | number>[] = [{}, {}];
    const lrs = [opt.lr, opt.lr, opt.lr / 4];
    for (let s = 0; s < 3; s++) {
      opt.lr = lrs[s];
      opt.zeroGrad();
      const skip2 = s === 1;
      (skip2 ? lossOf(w1, a1, c1) : A.add(lossOf(w1, a1, c1), lossOf(w2, a2, c2))).backward();
      const g1 = gradOf(naive[0], a1, c1);
      const g2 = gradOf(naive[1], a2, c2);
      opt.step();
      update(lrs[s])(naive[0], g1, states[0]);
      if (!skip2) update(lrs[s])(naive[1], g2, states[1]);
      expectClose(vals(w1), naive[0], 1e-13, 1e-11);
      expectClose(vals(w2), naive[1], 1e-13, 1e-11);
    }
  }

  it('SGD with momentum, dampening and weight decay', () => {
    scenario(
      (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.1 }),
      (lr) => sgdNaive(lr, 0.9, 0.2, false, 0.1),
    );
  });

  it("Adam: t counts each parameter's own updates (bias correction of a late starter)", () => {
    scenario(
      (ps) => new Adam(ps, { lr: 0.05, weightDecay: 0.1 }),
      (lr) => adamNaive(lr, 0.9, 0.999, 1e-8, 0.1, false),
    );
  });

  it('AdamW: the decoupled decay uses the current lr', () => {
    scenario(
      (ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0.2 }),
      (lr) => adamNaive(lr, 0.9, 0.999, 1e-8, 0.2, true),
    );
  });
});

describe('float32 parameters: float64 arithmetic, rounded once per step into the same storage', () => {
  const grads = [
    [0.3, -1.7, 2.25],
    [-0.05, 0.6, -3],
    [1.1, 0.2, 0.9],
    [-0.4, -0.4, 0.01],
  ].map((g) => g.map(Math.fround));
  const init = [0.7, -1.3, 2.1].map(Math.fround);
  const configs: [string, (ps: T.Tensor[]) => Stepper, (p: number[], g: number[], st: Record<string, number[] | number>) => void][] = [
    [
      'SGD Nesterov + weight decay',
      (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
      sgdNaive(0.1, 0.9, 0, true, 0.01),
    ],
    ['Adam', (ps) => new Adam(ps, { lr: 0.05 }), adamNaive(0.05)],
    ['AdamW', (ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0.1 }), adamNaive(0.05, 0.9, 0.999, 1e-8, 0.1, true)],
  ];
  for (const [name, make, update] of configs) {
    it(name, () => {
      const w = A.param(T.tensor(init, { dtype: 'float32' }));
      const storage = w.values();
      const opt = make([w]);
      const p = [...init];
      const st = {};
      for (const g of grads) {
        w.grad = T.tensor(g, { dtype: 'float32' });
        opt.step();
        update(p, g, st);
        for (let i = 0; i < p.length; i++) p[i] = Math.fround(p[i]); // the stored parameter is float32
        expect(w.dtype).toBe('float32');
        expect(w.values()).toBe(storage);
        expect(vals(w)).toEqual(p);
      }
    });
  }
});

describe('a failed step modifies nothing', () => {
  it('a NaN gradient: NON_FINITE_GRADIENT, no parameter and no state changed', () => {
    for (const make of [(ps: T.Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 }), (ps: T.Tensor[]) => new Adam(ps, { lr: 0.1 })]) {
      const w1 = A.param(T.tensor([1, 2]), 'first');
      const w2 = A.param(
        T.tensor([
          [1, 2],
          [3, 4],
        ]),
        'W',
      );
      const opt = make([w1, w2]);
      w1.grad = T.tensor([0.5, 0.5]);
      w2.grad = T.tensor([
        [0.1, 0.1],
        [0.1, 0.1],
      ]);
      opt.step();
      const after1 = [vals(w1), vals(w2)];
      w1.grad = T.tensor([0.5, 0.5]);
      w2.grad = T.tensor([
        [0.1, NaN],
        [0, 0],
      ]);
      expectXent(() => opt.step(), 'NON_FINITE_GRADIENT', "'W'", 'NaN');
      expect([vals(w1), vals(w2)]).toEqual(after1);
      // state unchanged: the next good step equals a fresh run's second step
      w2.grad = T.tensor([
        [0.1, 0.1],
        [0.1, 0.1],
      ]);
      opt.step();
      const ref1 = A.param(T.tensor([1, 2]));
      const ref2 = A.param(
        T.tensor([
          [1, 2],
          [3, 4],
        ]),
      );
      const refOpt = make([ref1, ref2]);
      for (let s = 0; s < 2; s++) {
        ref1.grad = T.tensor([0.5, 0.5]);
        ref2.grad = T.tensor([
          [0.1, 0.1],
          [0.1, 0.1],
        ]);
        refOpt.step();
      }
      expect([vals(w1), vals(w2)]).toEqual([vals(ref1), vals(ref2)]);
    }
  });

  it('a gradient of the wrong shape: SHAPE_MISMATCH naming both shapes, nothing changed', () => {
    const w1 = A.param(T.tensor([1, 2]));
    const w2 = A.param(T.tensor([[1, 2, 3]]));
    const opt = new SGD([w1, w2], { lr: 0.1 });
    w1.grad = T.tensor([1, 1]);
    w2.grad = T.tensor([1, 2, 3]);
    expectXent(() => opt.step(), 'SHAPE_MISMATCH', '[3]', '[1, 3]');
    expect(vals(w1)).toEqual([1, 2]);
    expect(vals(w2)).toEqual([1, 2, 3]);
  });

  it('params that cannot be trained are refused at construction: a non-param, an int32 tensor, an op output', () => {
    expectXent(() => new SGD([T.tensor([1])], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expect(() => new SGD([A.param(T.tensor([1], { dtype: 'int32' }))], { lr: 0.1 })).toThrow(T.XentError);
    const w = A.param(T.tensor([1]));
    expectXent(() => new SGD([A.mul(w, 2)], { lr: 0.1 }), 'INVALID_ARGUMENT');
    expectXent(() => new SGD([w, w], { lr: 0.1 }), 'INVALID_ARGUMENT');
  });
});
