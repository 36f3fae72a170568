// Contract (issue 12, packages/nn/README.md): Linear computes y = x·Wᵀ + b, the activations are ReLU/Tanh/Sigmoid,
// an MLP is Linear layers with the activation between them and logits out; gradients through modules, by backward()
// and by withParameters + valueAndGrad, against central finite differences of our own loop forward.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, fromFlat, tensor, type Tensor } from '@xent/tensor';
import { mul, sum, valueAndGrad } from '@xent/autograd';
import { Linear, MLP, ReLU, Sequential, Sigmoid, Tanh, withParameters } from '@xent/nn';
import { makeRandom } from '../random.js';
import { ACT_REF, finiteDiff, flatOf, linearRef, mlpRef, rowsOf, type Matrix } from './ref.js';

const matrix = (rows: number, cols: number, rnd: () => number, scale = 2): Matrix =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rnd() - 0.5) * scale));
const toTensor = (m: Matrix): Tensor => fromFlat(Float64Array.from(m.flat()), [m.length, m[0]!.length]);
const close = (a: Matrix, b: Matrix, tol = 1e-12) =>
  a.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]![j]!)))));

describe('Linear forward: y = x·Wᵀ + b', () => {
  it('matches the loop for random sizes, with and without bias', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer(),
        (n, inF, outF, bias, seed) => {
          const l = new Linear(inF, outF, { bias, rng: new Rng(seed >>> 0) });
          const x = matrix(n, inF, makeRandom(seed));
          const got = rowsOf(l.forward(toTensor(x)));
          close(got, linearRef(x, rowsOf(l.weight), bias ? flatOf(l.bias!) : null));
        },
      ),
    );
  });

  it('a hand-made 2→3 case: W = [[1, 2], [3, 4], [5, 6]], b = [0.5, −1, 2]', () => {
    const l = new Linear(2, 3);
    l.loadStateDict({
      weight: tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      bias: tensor([0.5, -1, 2]),
    });
    expect(
      rowsOf(
        l.forward(
          tensor([
            [1, 1],
            [2, -1],
          ]),
        ),
      ),
    ).toEqual([
      [3.5, 6, 13],
      [0.5, 1, 6],
    ]);
  });

  it('float32 layers give float32 output within float32 rounding of the float64 loop', () => {
    const l = new Linear(4, 3, { rng: new Rng(3), dtype: 'float32' });
    const x = matrix(5, 4, makeRandom(3));
    const y = l.forward(fromFlat(Float32Array.from(x.flat()), [5, 4]));
    expect(y.dtype).toBe('float32');
    const xr = x.map((r) => r.map((v) => Math.fround(v)));
    close(rowsOf(y), linearRef(xr, rowsOf(l.weight), flatOf(l.bias!)), 1e-6);
  });
});

describe('activations', () => {
  const xs = [-1e4, -30, -2.5, -1e-3, 0, 1e-3, 0.7, 3, 40, 1e4];
  it.each([
    ['relu', new ReLU()],
    ['tanh', new Tanh()],
    ['sigmoid', new Sigmoid()],
  ] as const)('%s matches its definition, finite at ±1e4', (name, mod) => {
    const got = flatOf(mod.forward(tensor([xs])));
    got.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - ACT_REF[name](xs[i]!))).toBeLessThanOrEqual(1e-15);
    });
  });

  it('sigmoid keeps its relative accuracy in the far negative tail (no 1 − (1 − ε) cancellation), float64 and float32', () => {
    const xs = [-745, -700, -100, -50, -30, -20, -5];
    const ref = xs.map((v) => Math.exp(v) / (1 + Math.exp(v))); // e^x/(1 + e^x): no cancellation for x < 0
    flatOf(new Sigmoid().forward(tensor(xs))).forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThanOrEqual(4e-16 * ref[i]!));
    const f32 = flatOf(new Sigmoid().forward(tensor(xs, { dtype: 'float32' })));
    expect(f32[2]).toBe(Math.fround(ref[2]!)); // σ(−100) ≈ 3.7e−44 is a float32 subnormal, not 0
    f32.slice(3).forEach((v, i) => expect(Math.abs(v - ref[i + 3]!)).toBeLessThanOrEqual(1.2e-7 * ref[i + 3]!));
  });

  it("gradients: relu' = 1 where x > 0 else 0 (also at 0), tanh' = 1 − tanh², sigmoid' = σ(1 − σ)", () => {
    const x = [-2, -0.5, 0, 0.5, 2];
    const expected: Record<string, (v: number) => number> = {
      relu: (v) => (v > 0 ? 1 : 0),
      tanh: (v) => 1 - Math.tanh(v) ** 2,
      sigmoid: (v) => ACT_REF.sigmoid(v) * (1 - ACT_REF.sigmoid(v)),
    };
    for (const [name, mod] of [
      ['relu', new ReLU()],
      ['tanh', new Tanh()],
      ['sigmoid', new Sigmoid()],
    ] as const) {
      const { grads } = valueAndGrad((t: Tensor) => sum(mod.forward(t)))(tensor(x));
      flatOf(grads[0]!).forEach((g, i) => expect(Math.abs(g - expected[name]!(x[i]!))).toBeLessThanOrEqual(1e-15));
    }
  });
});

describe('MLP forward and gradients', () => {
  const layersOf = (m: MLP) => {
    const ps = m.parameters();
    return Array.from({ length: ps.length / 2 }, (_, i) => ({ w: rowsOf(ps[2 * i]!), b: flatOf(ps[2 * i + 1]!) }));
  };

  it.each(['relu', 'tanh', 'sigmoid'] as const)('%s: forward equals the loop (no activation after the last layer)', (activation) => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }), fc.integer(), (sizes, seed) => {
        const m = new MLP(sizes, { activation, rng: new Rng(seed >>> 0) });
        const x = matrix(3, sizes[0]!, makeRandom(seed), 4);
        close(rowsOf(m.forward(toTensor(x))), mlpRef(x, layersOf(m), ACT_REF[activation]));
      }),
    );
  });

  it('the last layer is not activated: a relu MLP can output negative logits', () => {
    const m = new MLP([2, 8, 3], { rng: new Rng(4) });
    const out = flatOf(m.forward(toTensor(matrix(20, 2, makeRandom(4), 6))));
    expect(out.some((v) => v < 0)).toBe(true);
  });

  // Loss L = Σ C ∘ mlp(x) with fixed random C; parameters packed flat in parameters() order.
  const setup = (activation: 'relu' | 'tanh' | 'sigmoid', seed: number) => {
    const sizes = [3, 4, 3, 2];
    const m = new MLP(sizes, { activation, rng: new Rng(seed) });
    const rnd = makeRandom(seed + 1);
    const x = matrix(5, 3, rnd, 3);
    const c = matrix(5, 2, rnd, 2);
    const shapes = m.parameters().map((p) => [...p.shape]);
    const unpack = (p: number[]) => {
      let at = 0;
      const take = (n: number) => p.slice(at, (at += n));
      return Array.from({ length: shapes.length / 2 }, (_, i) => {
        const [o, inF] = shapes[2 * i] as [number, number];
        const w = Array.from({ length: o }, () => take(inF));
        return { w, b: take(o) };
      });
    };
    const lossRef = (p: number[]) =>
      mlpRef(x, unpack(p), ACT_REF[activation]).reduce((s, r, i) => s + r.reduce((t, v, j) => t + v * c[i]![j]!, 0), 0);
    const flat = m.parameters().flatMap(flatOf);
    return { m, x: toTensor(x), c: toTensor(c), lossRef, flat };
  };

  it.each(['relu', 'tanh', 'sigmoid'] as const)('%s: backward() gradients equal finite differences of the loop', (activation) => {
    const { m, x, c, lossRef, flat } = setup(activation, 7);
    m.zeroGrad();
    const loss = sum(mul(m.forward(x), c));
    expect(Math.abs(loss.item() - lossRef(flat))).toBeLessThanOrEqual(1e-12);
    loss.backward();
    const got = m.parameters().flatMap((p) => flatOf(p.grad!));
    const fd = finiteDiff(lossRef, flat.slice());
    got.forEach((g, i) => expect(Math.abs(g - fd[i]!)).toBeLessThanOrEqual(1e-6));
  });

  it('withParameters + valueAndGrad: value and gradients at other parameters, the module restored after', () => {
    const { m, x, c, lossRef, flat } = setup('tanh', 8);
    const own = m.parameters();
    const rnd = makeRandom(99);
    const other = own.map((p) =>
      fromFlat(
        Float64Array.from(flatOf(p), () => (rnd() - 0.5) * 2),
        [...p.shape],
      ),
    );
    const otherFlat = other.flatMap(flatOf);
    const f = (...ps: Tensor[]) => withParameters(m, ps, () => sum(mul(m.forward(x), c)));
    const { value, grads } = valueAndGrad(f)(...other);
    expect(Math.abs(value.item() - lossRef(otherFlat))).toBeLessThanOrEqual(1e-12);
    const fd = finiteDiff(lossRef, otherFlat.slice());
    grads.flatMap(flatOf).forEach((g, i) => expect(Math.abs(g - fd[i]!)).toBeLessThanOrEqual(1e-6));
    // the module's own parameters are back, the same tensors with the same values
    m.parameters().forEach((p, i) => expect(p).toBe(own[i]));
    expect(m.parameters().flatMap(flatOf)).toEqual(flat);
  });
});

describe('a shared layer (one Linear used twice)', () => {
  // f(x) = W·tanh(W·x + b) + b, in row form: y = tanh(x·Wᵀ + b)·Wᵀ + b; L = Σ C ∘ y
  const rnd = makeRandom(31);
  const x = matrix(4, 3, rnd, 2);
  const c = matrix(4, 3, rnd, 2);
  const lossRef = (p: number[]) => {
    const w = [p.slice(0, 3), p.slice(3, 6), p.slice(6, 9)];
    const b = p.slice(9, 12);
    const y = linearRef(
      linearRef(x, w, b).map((r) => r.map(Math.tanh)),
      w,
      b,
    );
    return y.reduce((s, r, i) => s + r.reduce((t, v, j) => t + v * c[i]![j]!, 0), 0);
  };

  it('backward sums both uses: gradients equal finite differences of the tied loop', () => {
    const shared = new Linear(3, 3, { rng: new Rng(32) });
    const s = new Sequential(shared, new Tanh(), shared);
    s.zeroGrad();
    sum(mul(s.forward(toTensor(x)), toTensor(c))).backward();
    const flat = [...flatOf(shared.weight), ...flatOf(shared.bias!)];
    const fd = finiteDiff(lossRef, flat.slice());
    [...flatOf(shared.weight.grad!), ...flatOf(shared.bias!.grad!)].forEach((g, i) =>
      expect(Math.abs(g - fd[i]!)).toBeLessThanOrEqual(1e-6),
    );
  });

  it('withParameters replaces it under both names; valueAndGrad gives the tied gradient', () => {
    const shared = new Linear(3, 3, { rng: new Rng(33) });
    const s = new Sequential(shared, new Tanh(), shared);
    expect(s.parameters()).toHaveLength(2);
    const r = makeRandom(34);
    const w = matrix(3, 3, r, 2);
    const b = [r() - 0.5, r() - 0.5, r() - 0.5];
    const p = [...w.flat(), ...b];
    const f = (...ps: Tensor[]) => withParameters(s, ps, () => sum(mul(s.forward(toTensor(x)), toTensor(c))));
    const { value, grads } = valueAndGrad(f)(toTensor(w), fromFlat(Float64Array.from(b), [3]));
    expect(Math.abs(value.item() - lossRef(p))).toBeLessThanOrEqual(1e-12);
    const fd = finiteDiff(lossRef, p.slice());
    grads.flatMap(flatOf).forEach((g, i) => expect(Math.abs(g - fd[i]!)).toBeLessThanOrEqual(1e-6));
  });
});
