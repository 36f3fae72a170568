// Contract §3: param, backward / y.backward() accumulating into .grad, zeroGrad, freed graphs,
// grad / valueAndGrad (pure, one gradient per argument, seeds), noGrad, ops as functions and methods.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { expectClose, expectXent, finiteDiff, flat, makeRandom, uniform, type Nested } from './ref.js';

const arr = (t: T.Tensor): Nested => t.toArray() as Nested;

describe('param(t)', () => {
  it('makes a leaf that requires a gradient, with no gradient yet', () => {
    const w = A.param(T.tensor([1, 2]));
    expect(w.requiresGrad).toBe(true);
    expect(w.grad).toBeNull();
    expect(T.tensor([1]).requiresGrad).toBe(false);
  });

  it('owns its values: writing the source afterwards, or stepping the param, does not touch the other', () => {
    const src = T.tensor([1, 2]);
    const w = A.param(src);
    src.values()[0] = 50;
    expect(w.toArray()).toEqual([1, 2]);
    w.values()[1] = 9;
    expect(src.toArray()).toEqual([50, 2]);
  });

  it('accepts numbers and nested arrays', () => {
    const w = A.param([[1, 2]]);
    expect(w.shape).toEqual([1, 2]);
    A.sum(A.mul(w, 3)).backward();
    expectClose(arr(w.grad!), [[3, 3]]);
  });

  it('a param of a shared constant does not change the constant (issue 9 #2)', () => {
    const w = A.param(T.reshape(T.tensor(0.5), [1]));
    w.values()[0] = -8;
    expect(A.add(1, 0.5).item()).toBe(1.5);
  });
});

describe('backward(y) / y.backward() accumulate (PyTorch style), zeroGrad resets', () => {
  it('y.backward() gives d y / d w, and a second graph adds to it', () => {
    const w = A.param(T.tensor([1, 2, 3]));
    A.sum(A.mul(w, w)).backward();
    expectClose(arr(w.grad!), [2, 4, 6]);
    A.backward(A.sum(A.mul(3, w)));
    expectClose(arr(w.grad!), [5, 7, 9]);
    A.zeroGrad([w]);
    expect(w.grad).toBeNull();
    A.sum(w).backward();
    expectClose(arr(w.grad!), [1, 1, 1]);
  });

  it('a leaf used twice gets the sum over both paths', () => {
    const x = A.param(T.tensor(3));
    A.add(A.mul(x, x), A.exp(x)).backward();
    expectClose(x.grad!.item(), 6 + Math.exp(3), 0, 1e-14);
  });

  it('a second backward through a freed graph throws; retainGraph keeps it', () => {
    const w = A.param(T.tensor([1, 2]));
    const y = A.sum(A.exp(w));
    y.backward();
    expect(() => y.backward()).toThrow(T.XentError);
    expectClose(arr(w.grad!), [Math.exp(1), Math.exp(2)]);

    const v = A.param(T.tensor([1, 2]));
    const z = A.sum(A.exp(v));
    A.backward(z, { retainGraph: true });
    A.backward(z);
    expectClose(arr(v.grad!), [2 * Math.exp(1), 2 * Math.exp(2)]);
  });

  it('a non-scalar output needs an explicit dy; the gradient is that of ⟨dy, y⟩', () => {
    const w = A.param(T.tensor([1, 2, 3]));
    const y = A.mul(w, w);
    expect(() => y.backward()).toThrow(T.XentError);
    A.backward(y, { dy: T.tensor([1, -1, 0.5]) });
    expectClose(arr(w.grad!), [2, -4, 3]);
  });

  it('a dy of the wrong shape is refused and leaves .grad unchanged', () => {
    const w = A.param(T.tensor([1, 2, 3]));
    const y = A.mul(w, 2);
    expect(() => A.backward(y, { dy: T.tensor([1, 2]) })).toThrow(T.XentError);
    expect(w.grad).toBeNull();
  });

  it('backward copies dy: changing it afterwards does not change .grad (issue 9 #7)', () => {
    const w = A.param(T.tensor([1, 2]));
    const dy = T.tensor([5, 6]);
    A.backward(A.mul(w, 1), { dy });
    dy.values()[0] = -1;
    expectClose(arr(w.grad!), [5, 6]);
  });

  it('a leaf that does not require a gradient gets none', () => {
    const c = T.tensor([1, 2]);
    const w = A.param(T.tensor([3, 4]));
    A.sum(A.mul(c, w)).backward();
    expect(c.grad).toBeNull();
    expectClose(arr(w.grad!), [1, 2]);
  });

  it('an in-place change of a saved input before backward is refused (MODIFIED_IN_PLACE, issue 9 #4)', () => {
    const w = A.param(T.tensor([1, 2]));
    const y = A.sum(A.mul(w, w));
    A.noGrad(() => T.copyInto(w, T.tensor([5, 5])));
    expectXent(() => y.backward(), 'MODIFIED_IN_PLACE');
    expect(w.grad).toBeNull();
    // a refilled batch buffer, saved by mul for w's gradient
    const batch = T.tensor([1, 2]);
    const v = A.param(T.tensor([3, 4]));
    const z = A.sum(A.mul(batch, v));
    T.copyInto(batch, T.tensor([0, 0]));
    expectXent(() => z.backward(), 'MODIFIED_IN_PLACE');
  });
});

describe('grad(f) and valueAndGrad(f): pure, one gradient per argument', () => {
  const f = (x: T.Tensor, y: T.Tensor): T.Tensor => A.sum(A.mul(A.exp(x), y));

  it('valueAndGrad returns the value and one gradient per argument', () => {
    const { value, grads } = A.valueAndGrad(f)(T.tensor([0, 1]), T.tensor([2, 3]));
    expectClose(value.item(), 2 + 3 * Math.E, 0, 1e-14);
    expect(grads).toHaveLength(2);
    expectClose(arr(grads[0]), [2, 3 * Math.E]);
    expectClose(arr(grads[1]), [1, Math.E]);
  });

  it('grad returns the same gradients as an array', () => {
    const g = A.grad(f)(T.tensor([0, 1]), T.tensor([2, 3]));
    expect(Array.isArray(g)).toBe(true);
    expectClose(arr(g[0]), [2, 3 * Math.E]);
    expectClose(arr(g[1]), [1, Math.E]);
  });

  it('touches no .grad, even of params passed in or closed over', () => {
    const p = A.param(T.tensor([1, 2]));
    const q = A.param(T.tensor([0.5]));
    A.sum(p).backward();
    const h = (x: T.Tensor): T.Tensor => A.sum(A.mul(A.mul(x, x), q));
    const g = A.grad(h)(p);
    expectClose(arr(g[0]), [1, 2]);
    expectClose(arr(p.grad!), [1, 1]);
    expect(q.grad).toBeNull();
  });

  it("pure: a recorded tensor f closes over is a constant, and the caller's graph survives the call", () => {
    const w = A.param(T.tensor([1, 2]));
    const h = A.exp(w); // recorded, not yet back-propagated
    const g = A.grad((t: T.Tensor) => A.sum(A.mul(t, h)))(T.tensor([1, 1]));
    expectClose(arr(g[0]), [Math.E, Math.exp(2)]);
    const { value, grads } = A.valueAndGrad((t: T.Tensor) => A.sum(A.mul(A.mul(t, t), h)))(T.tensor([3, 4]));
    expectClose(value.item(), 9 * Math.E + 16 * Math.exp(2), 0, 1e-14);
    expectClose(arr(grads[0]), [6 * Math.E, 8 * Math.exp(2)]);
    expect(w.grad).toBeNull();
    A.sum(A.mul(h, 3)).backward(); // the caller's graph through h still works
    expectClose(arr(w.grad!), [3 * Math.E, 3 * Math.exp(2)]);
    // once that graph is freed, h is still a fine constant for grad
    const again = A.grad((t: T.Tensor) => A.sum(A.mul(t, h)))(T.tensor([0, 0]));
    expectClose(arr(again[0]), [Math.E, Math.exp(2)]);
  });

  it('pure: f returning a recorded tensor from outside gives zero gradients and leaves its graph alone', () => {
    const w = A.param(T.tensor([1, 2]));
    const y = A.sum(A.square(w));
    const { value, grads } = A.valueAndGrad((_t: T.Tensor) => y)(T.tensor([5]));
    expect(value.item()).toBe(5);
    expectClose(arr(grads[0]), [0]);
    y.backward();
    expectClose(arr(w.grad!), [2, 4]);
  });

  it('zeros of the argument shape where f does not depend on it', () => {
    const g = A.grad((x: T.Tensor, _y: T.Tensor) => A.sum(x))(T.tensor([1]), T.tensor([[1, 2, 3]]));
    expectClose(arr(g[1]), [[0, 0, 0]]);
  });

  it('takes numbers and nested arrays as arguments', () => {
    const g = A.grad((x: T.Tensor) => A.mul(x, x))(3);
    expectClose(g[0].item(), 6);
    const h = A.grad((x: T.Tensor) => A.sum(A.square(x)))([1, 2]);
    expectClose(arr(h[0]), [2, 4]);
  });

  it('a non-scalar output needs dy; with dy the gradient is that of ⟨dy, f⟩', () => {
    const f2 = (x: T.Tensor): T.Tensor => A.mul(x, x);
    expect(() => A.grad(f2)(T.tensor([1, 2]))).toThrow(T.XentError);
    const g = A.grad(f2, { dy: T.tensor([3, -1]) })(T.tensor([1, 2]));
    expectClose(arr(g[0]), [6, -4]);
    const { value, grads } = A.valueAndGrad(f2, { dy: [1, 1] })(T.tensor([1, 2]));
    expectClose(arr(value), [1, 4]);
    expectClose(arr(grads[0]), [2, 4]);
  });

  it('a scalar output seeds with 1', () => {
    const g = A.grad((x: T.Tensor) => A.mul(A.sum(x), 1))(T.tensor([4, 5]));
    expectClose(arr(g[0]), [1, 1]);
  });
});

describe('noGrad(fn)', () => {
  it('runs fn without recording and returns its value', () => {
    const w = A.param(T.tensor([1, 2]));
    const y = A.noGrad(() => A.sum(A.mul(w, w)));
    expect(y.item()).toBe(5);
    expect(y.requiresGrad).toBe(false);
    expect(() => y.backward()).toThrow();
    expect(w.grad).toBeNull();
    expect(A.isGradEnabled()).toBe(true);
    A.noGrad(() => expect(A.isGradEnabled()).toBe(false));
  });

  it('restores recording even when fn throws', () => {
    expect(() =>
      A.noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(A.isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph', () => {
    const w = A.param(T.tensor([2]));
    A.sum(A.mul(w, A.detach(w))).backward();
    expectClose(arr(w.grad!), [2]);
  });
});

// ------------------------------------------------------------------ every listed op, against naive FD

type Fwd = (xs: number[][]) => number[];
interface OpCase {
  name: string;
  shapes: number[][];
  outSize: number;
  /** Keeps inputs away from kinks and poles. */
  data: number[][];
  call: (...xs: T.Tensor[]) => T.Tensor;
  method?: (...xs: T.Tensor[]) => T.Tensor;
  naive: Fwd;
}

const seq = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const X6 = [0.3, -1.2, 0.7, 1.9, -0.4, 1.1];
const P6 = [0.3, 1.2, 0.7, 1.9, 0.4, 1.1];
/** Naive reduction of a [r, c] row-major matrix along axis 1 (rows) or 0 (columns). */
const reduce2 = (x: number[], r: number, c: number, axis: 0 | 1, f: (v: number[]) => number): number[] =>
  axis === 1 ? seq(r, (i) => f(x.slice(i * c, i * c + c))) : seq(c, (j) => f(seq(r, (i) => x[i * c + j])));
const lse = (v: number[]): number => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, z) => s + Math.exp(z - m), 0));
};
const unary =
  (f: (v: number) => number): Fwd =>
  (xs) =>
    xs[0].map(f);

const cases: OpCase[] = [
  {
    name: 'add',
    shapes: [[2, 3], [3]],
    outSize: 6,
    data: [X6, [1, 2, 3]],
    call: A.add,
    method: (a, b) => a.add(b),
    naive: ([a, b]) => a.map((v, i) => v + b[i % 3]),
  },
  {
    name: 'sub',
    shapes: [
      [2, 3],
      [2, 1],
    ],
    outSize: 6,
    data: [X6, [1, 2]],
    call: A.sub,
    method: (a, b) => a.sub(b),
    naive: ([a, b]) => a.map((v, i) => v - b[Math.floor(i / 3)]),
  },
  {
    name: 'mul',
    shapes: [
      [2, 3],
      [2, 3],
    ],
    outSize: 6,
    data: [X6, P6],
    call: A.mul,
    method: (a, b) => a.mul(b),
    naive: ([a, b]) => a.map((v, i) => v * b[i]),
  },
  {
    name: 'div',
    shapes: [[2, 3], [3]],
    outSize: 6,
    data: [X6, [1.5, -2, 0.8]],
    call: A.div,
    method: (a, b) => a.div(b),
    naive: ([a, b]) => a.map((v, i) => v / b[i % 3]),
  },
  { name: 'neg', shapes: [[6]], outSize: 6, data: [X6], call: A.neg, method: (a) => a.neg(), naive: unary((v) => -v) },
  { name: 'exp', shapes: [[6]], outSize: 6, data: [X6], call: A.exp, method: (a) => a.exp(), naive: unary(Math.exp) },
  { name: 'log', shapes: [[6]], outSize: 6, data: [P6], call: A.log, method: (a) => a.log(), naive: unary(Math.log) },
  { name: 'log1p', shapes: [[6]], outSize: 6, data: [P6], call: A.log1p, method: (a) => a.log1p(), naive: unary(Math.log1p) },
  {
    name: 'sigmoid',
    shapes: [[6]],
    outSize: 6,
    data: [X6],
    call: A.sigmoid,
    method: (a) => a.sigmoid(),
    naive: unary((v) => 1 / (1 + Math.exp(-v))),
  },
  { name: 'tanh', shapes: [[6]], outSize: 6, data: [X6], call: A.tanh, method: (a) => a.tanh(), naive: unary(Math.tanh) },
  { name: 'relu', shapes: [[6]], outSize: 6, data: [X6], call: A.relu, method: (a) => a.relu(), naive: unary((v) => Math.max(v, 0)) },
  {
    name: 'softplus',
    shapes: [[6]],
    outSize: 6,
    data: [X6],
    call: A.softplus,
    method: (a) => a.softplus(),
    naive: unary((v) => Math.log1p(Math.exp(v))),
  },
  {
    name: 'matmul',
    shapes: [
      [2, 3],
      [3, 2],
    ],
    outSize: 4,
    data: [X6, P6],
    call: A.matmul,
    method: (a, b) => a.matmul(b),
    naive: ([a, b]) => seq(4, (k) => seq(3, (j) => a[Math.floor(k / 2) * 3 + j] * b[j * 2 + (k % 2)]).reduce((s, v) => s + v, 0)),
  },
  {
    name: 'sum (all)',
    shapes: [[2, 3]],
    outSize: 1,
    data: [X6],
    call: (x) => A.sum(x),
    method: (a) => a.sum(),
    naive: ([a]) => [a.reduce((s, v) => s + v, 0)],
  },
  {
    name: 'sum axis 0',
    shapes: [[2, 3]],
    outSize: 3,
    data: [X6],
    call: (x) => A.sum(x, 0),
    naive: ([a]) => reduce2(a, 2, 3, 0, (v) => v[0] + v[1]),
  },
  {
    name: 'mean axis 1',
    shapes: [[2, 3]],
    outSize: 2,
    data: [X6],
    call: (x) => A.mean(x, 1),
    method: (a) => a.mean(1),
    naive: ([a]) => reduce2(a, 2, 3, 1, (v) => (v[0] + v[1] + v[2]) / 3),
  },
  {
    name: 'max axis 1',
    shapes: [[2, 3]],
    outSize: 2,
    data: [X6],
    call: (x) => A.max(x, 1),
    method: (a) => a.max(1),
    naive: ([a]) => reduce2(a, 2, 3, 1, (v) => Math.max(...v)),
  },
  {
    name: 'logSumExp',
    shapes: [[2, 3]],
    outSize: 2,
    data: [X6],
    call: (x) => A.logSumExp(x),
    method: (a) => a.logSumExp(),
    naive: ([a]) => reduce2(a, 2, 3, 1, lse),
  },
  {
    name: 'softmax',
    shapes: [[2, 3]],
    outSize: 6,
    data: [X6],
    call: (x) => A.softmax(x),
    method: (a) => a.softmax(),
    naive: ([a]) => a.map((v, i) => Math.exp(v - lse(a.slice(Math.floor(i / 3) * 3, Math.floor(i / 3) * 3 + 3)))),
  },
  {
    name: 'logSoftmax axis 0',
    shapes: [[2, 3]],
    outSize: 6,
    data: [X6],
    call: (x) => A.logSoftmax(x, 0),
    naive: ([a]) => a.map((v, i) => v - lse([a[i % 3], a[3 + (i % 3)]])),
  },
  {
    name: 'reshape',
    shapes: [[2, 3]],
    outSize: 6,
    data: [X6],
    call: (x) => A.mul(A.reshape(x, [3, 2]), [[1, 2]]),
    naive: ([a]) => a.map((v, i) => v * (1 + (i % 2))),
  },
  {
    name: 'transpose',
    shapes: [[2, 3]],
    outSize: 6,
    data: [X6],
    call: (x) => A.mul(A.transpose(x), [[1, 2]]),
    naive: ([a]) => seq(6, (k) => a[(k % 2) * 3 + Math.floor(k / 2)] * (1 + (k % 2))),
  },
  {
    name: 'broadcastTo',
    shapes: [[3]],
    outSize: 6,
    data: [[1, 2, 3]],
    call: (x) => A.broadcastTo(x, [2, 3]),
    naive: ([a]) => seq(6, (i) => a[i % 3]),
  },
  {
    name: 'gather',
    shapes: [[3, 2]],
    outSize: 6,
    data: [X6],
    call: (x) => A.gather(x, T.tensor([2, 0, 2], { dtype: 'int32' }), 0),
    naive: ([a]) => [a[4], a[5], a[0], a[1], a[4], a[5]],
  },
];

describe('differentiable ops (functions and chainable methods) against naive float64 forwards and finite differences', () => {
  for (const c of cases) {
    it(c.name, () => {
      const dy = seq(c.outSize, (i) => 0.5 + ((i * 7) % 5) * 0.3 - (i % 2));
      const xs = c.data.map((d, k) => T.tensor(d, { shape: c.shapes[k] }));
      const L = (vals: number[][]): number => c.naive(vals).reduce((s, v, i) => s + v * dy[i], 0);
      const out = c.call(...xs);
      expect(out.size).toBe(c.outSize);
      expectClose(flat(arr(out)), c.naive(c.data), 1e-14, 1e-12);
      const { grads } = A.valueAndGrad((...ts: T.Tensor[]) => c.call(...ts), { dy: T.tensor(dy, { shape: out.shape }) })(...xs);
      c.data.forEach((d, k) => {
        const numeric = finiteDiff((x) => L(c.data.map((o, j) => (j === k ? x : o))), d);
        expect(grads[k].shape).toEqual(c.shapes[k]);
        expectClose(flat(arr(grads[k])), numeric, 1e-7, 1e-6);
      });
      if (c.method) {
        const ps = c.data.map((d, k) => A.param(T.tensor(d, { shape: c.shapes[k] })));
        const viaMethod = c.method(...ps);
        expectClose(arr(viaMethod), arr(out), 0, 0);
        A.backward(viaMethod, { dy: T.tensor(dy, { shape: out.shape }) });
        ps.forEach((p, k) => expectClose(arr(p.grad!), arr(grads[k]), 0, 1e-15));
      }
    });
  }

  it('methods chain: x.mul(x).sum() as in the README', () => {
    const { value, grads } = A.valueAndGrad((x: T.Tensor) => x.mul(x).sum())(T.tensor([3]));
    expect(value.item()).toBe(9);
    expectClose(arr(grads[0]), [6]);
  });
});

describe('matmul at odd sizes, on views, batched, float32: values and dA = dC·Bᵀ, dB = Aᵀ·dC against naive loops', () => {
  const naiveMatmul = (a: number[], b: number[], m: number, k: number, n: number): number[] =>
    Array.from({ length: m * n }, (_, idx) => {
      const i = Math.floor(idx / n);
      const j = idx % n;
      let s = 0;
      for (let q = 0; q < k; q++) s += a[i * k + q] * b[q * n + j];
      return s;
    });
  const transposeFlat = (a: number[], r: number, c: number): number[] =>
    Array.from({ length: r * c }, (_, idx) => a[(idx % r) * c + Math.floor(idx / r)]);
  for (const [m, k, n, dtype, viewA] of [
    [37, 19, 23, 'float64', false],
    [64, 64, 64, 'float64', true],
    [33, 17, 9, 'float32', false],
    [5, 130, 3, 'float64', true],
  ] as const) {
    it(`[${m}, ${k}]·[${k}, ${n}] ${dtype}${viewA ? ', A a transposed view' : ''}`, () => {
      const rand = makeRandom(m * 1000 + k * 10 + n);
      const round = (v: number): number => (dtype === 'float32' ? Math.fround(v) : v);
      const a = uniform(rand, m * k, -1, 1).map(round);
      const b = uniform(rand, k * n, -1, 1).map(round);
      const dC = uniform(rand, m * n, -1, 1).map(round);
      const aT = viewA ? T.transpose(T.tensor(transposeFlat(a, m, k), { shape: [k, m], dtype })) : T.tensor(a, { shape: [m, k], dtype });
      const { value, grads } = A.valueAndGrad((x: T.Tensor, y: T.Tensor) => A.matmul(x, y), { dy: T.tensor(dC, { shape: [m, n], dtype }) })(
        aT,
        T.tensor(b, { shape: [k, n], dtype }),
      );
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      expect(value.dtype).toBe(dtype);
      expectClose(flat(arr(value)), naiveMatmul(a, b, m, k, n), tol, tol);
      expectClose(flat(arr(grads[0])), naiveMatmul(dC, transposeFlat(b, k, n), m, n, k), tol, tol);
      expectClose(flat(arr(grads[1])), naiveMatmul(transposeFlat(a, m, k), dC, k, m, n), tol, tol);
    });
  }

  it('batched [3, 5, 7]·[7, 4] (a shared 2-D operand): per-batch products, and dB summed over the batch', () => {
    const rand = makeRandom(99);
    const a = uniform(rand, 3 * 5 * 7);
    const b = uniform(rand, 7 * 4);
    const dC = uniform(rand, 3 * 5 * 4);
    const { value, grads } = A.valueAndGrad((x: T.Tensor, y: T.Tensor) => A.matmul(x, y), { dy: T.tensor(dC, { shape: [3, 5, 4] }) })(
      T.tensor(a, { shape: [3, 5, 7] }),
      T.tensor(b, { shape: [7, 4] }),
    );
    const batches = [0, 1, 2];
    expectClose(
      flat(arr(value)),
      batches.flatMap((q) => naiveMatmul(a.slice(q * 35, q * 35 + 35), b, 5, 7, 4)),
      1e-12,
      1e-12,
    );
    expectClose(
      flat(arr(grads[0])),
      batches.flatMap((q) => naiveMatmul(dC.slice(q * 20, q * 20 + 20), transposeFlat(b, 7, 4), 5, 4, 7)),
      1e-12,
      1e-12,
    );
    const dB = batches
      .map((q) => naiveMatmul(transposeFlat(a.slice(q * 35, q * 35 + 35), 5, 7), dC.slice(q * 20, q * 20 + 20), 7, 5, 4))
      .reduce((acc, g) => acc.map((v, i) => v + g[i]));
    expectClose(flat(arr(grads[1])), dB, 1e-12, 1e-12);
  });
});

describe('documented gradients at kinks and edges (autograd README, as in PyTorch)', () => {
  const g1 = (f: (x: T.Tensor) => T.Tensor, x: number[]): number[] => flat(arr(A.grad((t: T.Tensor) => A.sum(f(t)))(T.tensor(x))[0]));
  it('abs at 0 is 0; relu at 0 is 0', () => {
    expect(g1((t) => A.abs(t), [0, -2, 3])).toEqual([0, -1, 1]);
    expect(g1((t) => A.relu(t), [0, -2, 3])).toEqual([0, 0, 1]);
  });
  it('clip: 1 inside, edges included; 0 outside', () => {
    expect(g1((t) => A.clip(t, 0, 1), [0, 1, 0.5, -1, 2])).toEqual([1, 1, 1, 0, 0]);
  });
  it('max: ties share the gradient equally', () => {
    expectClose(
      g1((t) => A.max(t), [1, 3, 3, 2]),
      [0, 0.5, 0.5, 0],
    );
    const g = A.grad((t: T.Tensor) => A.sum(A.max(t, 1)))(
      T.tensor([
        [1, 1, 0],
        [2, 2, 2],
      ]),
    )[0];
    expectClose(arr(g), [
      [0.5, 0.5, 0],
      [1 / 3, 1 / 3, 1 / 3],
    ]);
  });
  it('pow: d/dbase is 0 where the exponent is 0; d/dexponent is 0 where the base is 0 (exponent ≥ 0)', () => {
    const [gb, ge] = A.grad((b: T.Tensor, e: T.Tensor) => A.sum(A.pow(b, e)))(T.tensor([0, 0, 2]), T.tensor([0, 2, 0.5]));
    expectClose(flat(arr(gb)), [0, 0, 0.5 * 2 ** -0.5]);
    expectClose(flat(arr(ge)), [0, 0, Math.SQRT2 * Math.LN2]);
  });
});
