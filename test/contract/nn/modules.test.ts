// Contract (issue 12, packages/nn/README.md): the Module API — parameters() / namedParameters() in
// torch.nn.Sequential's order and names, namedChildren(), zeroGrad(), shared parameters listed once — and
// Linear's layout ([out, in] weight, [out] bias), its initialisers (bounds and spreads as documented) and seeding.
import { describe, expect, it } from 'vitest';
import { Rng, tensor, zeros, type Tensor } from '@xent/tensor';
import { mean, sum } from '@xent/autograd';
import { Adam } from '@xent/optim';
import * as nn from '@xent/nn';
import { Linear, MLP, Module, ReLU, Sequential, Sigmoid, Tanh } from '@xent/nn';
import { flatOf } from './ref.js';

const names = (m: Module): string[] => Array.from(m.namedParameters(), ([n]) => n);
const shapes = (m: Module): number[][] => m.parameters().map((p) => [...p.shape]);

describe('names and order, as torch.nn.Sequential', () => {
  it('MLP([3, 5, 4, 2]): 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias with [out, in] weights', () => {
    const m = new MLP([3, 5, 4, 2], { rng: new Rng(0) });
    expect(names(m)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    expect(shapes(m)).toEqual([[5, 3], [5], [4, 5], [4], [2, 4], [2]]);
    expect(Object.keys(m.stateDict())).toEqual(names(m));
    // parameters() is namedParameters() without the names, the same tensors in the same order
    const named = Array.from(m.namedParameters(), ([, p]) => p);
    m.parameters().forEach((p, i) => expect(p).toBe(named[i]));
  });

  it('Sequential(Linear, Tanh, Linear, Sigmoid): children 0..3, parameters only on the Linear ones', () => {
    const a = new Linear(2, 3, { rng: new Rng(1) });
    const b = new Linear(3, 1, { rng: new Rng(2) });
    const s = new Sequential(a, new Tanh(), b, new Sigmoid());
    expect(names(s)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const kids = Array.from(s.namedChildren());
    expect(kids.map(([n]) => n)).toEqual(['0', '1', '2', '3']);
    expect(kids[0]![1]).toBe(a);
    expect(kids[2]![1]).toBe(b);
    expect(Array.from(s.children)).toEqual(kids.map(([, c]) => c)); // children: the modules themselves, in order
    expect(s.parameters()[0]).toBe(a.weight);
    expect(s.parameters()[3]).toBe(b.bias);
  });

  it('nested Sequentials get dotted names at every level', () => {
    const inner = new Sequential(new Linear(2, 2, { rng: new Rng(3) }), new ReLU());
    const outer = new Sequential(inner, new Linear(2, 1, { rng: new Rng(4) }));
    expect(names(outer)).toEqual(['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
  });

  it('Linear alone: weight, bias; bias: false has no bias', () => {
    expect(names(new Linear(4, 3))).toEqual(['weight', 'bias']);
    const nb = new Linear(4, 3, { bias: false });
    expect(names(nb)).toEqual(['weight']);
    expect(shapes(nb)).toEqual([[3, 4]]);
  });

  it('activations have no parameters', () => {
    for (const a of [new ReLU(), new Tanh(), new Sigmoid()]) expect(a.parameters()).toEqual([]);
  });

  it('a shared Linear (one module used twice): stateDict has both names, parameters() lists it once', () => {
    const shared = new Linear(3, 3, { rng: new Rng(5) });
    const s = new Sequential(shared, new Tanh(), shared);
    expect(names(s)).toEqual(['0.weight', '0.bias']);
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    // its gradient sums both uses: d/dW of sum(W·tanh(W·x)) ≠ the gradient of either use alone
    const x = tensor([[0.3, -0.2, 0.5]]);
    s.zeroGrad();
    sum(s.forward(x)).backward();
    const g = flatOf(shared.weight.grad!);
    const one = new Linear(3, 3, { rng: new Rng(5) });
    sum(one.forward(x)).backward();
    expect(g).not.toEqual(flatOf(one.weight.grad!));
  });
});

describe('zeroGrad', () => {
  it('clears the gradient of every parameter after a backward', () => {
    const m = new MLP([3, 4, 2], { rng: new Rng(0) });
    const batch = tensor([
      [1, 2, 3],
      [-1, 0, 2],
    ]);
    const pass = (): void => mean(m.forward(batch)).backward();
    pass();
    expect(m.parameters().some((p) => p.grad !== null && p.grad !== undefined && flatOf(p.grad).some((v) => v !== 0))).toBe(true);
    m.zeroGrad();
    for (const p of m.parameters()) {
      if (p.grad !== null && p.grad !== undefined) expect(flatOf(p.grad).every((v) => v === 0)).toBe(true);
    }
    // and a second backward gives the gradient of one pass, not two
    pass();
    const once = flatOf(m.parameters()[0]!.grad!);
    m.zeroGrad();
    pass();
    expect(flatOf(m.parameters()[0]!.grad!)).toEqual(once);
  });

  it('the optimizers take model.parameters() and move them', () => {
    const m = new MLP([2, 3, 1], { rng: new Rng(0) });
    const before = flatOf(m.parameters()[0]!);
    const opt = new Adam(m.parameters(), { lr: 0.1 });
    m.zeroGrad();
    sum(m.forward(tensor([[1, -1]]))).backward();
    opt.step();
    expect(flatOf(m.parameters()[0]!)).not.toEqual(before);
  });
});

describe('Linear: layout, dtype and seeded initialisers', () => {
  it('weight [out, in], bias [out] of zeros, float64 by default, float32 on request', () => {
    const l = new Linear(7, 3, { rng: new Rng(0) });
    expect(l.weight.shape).toEqual([3, 7]);
    expect(l.bias!.shape).toEqual([3]);
    expect(flatOf(l.bias!)).toEqual([0, 0, 0]);
    expect(l.weight.dtype).toBe('float64');
    const f = new Linear(7, 3, { rng: new Rng(0), dtype: 'float32' });
    expect(f.weight.dtype).toBe('float32');
    expect(f.bias!.dtype).toBe('float32');
  });

  it('the same seed gives the same weights; the default rng is new Rng(0); another seed differs', () => {
    const a = flatOf(new Linear(5, 4, { rng: new Rng(9) }).weight);
    expect(flatOf(new Linear(5, 4, { rng: new Rng(9) }).weight)).toEqual(a);
    expect(flatOf(new Linear(5, 4, { rng: new Rng(10) }).weight)).not.toEqual(a);
    expect(flatOf(new Linear(5, 4).weight)).toEqual(flatOf(new Linear(5, 4, { rng: new Rng(0) }).weight));
  });

  it('a custom init receives the weight shape [out, in], the rng and the dtype', () => {
    const seen: unknown[][] = [];
    const rng = new Rng(0);
    const init = (shape: readonly number[], r: Rng, dtype: 'float32' | 'float64'): Tensor => {
      seen.push([[...shape], r, dtype]);
      return zeros([...shape], dtype);
    };
    const l = new Linear(6, 2, { init, rng, dtype: 'float32' });
    expect(seen[0]).toEqual([[2, 6], rng, 'float32']);
    expect(l.weight.shape).toEqual([2, 6]);
  });

  // Large layers, so the sample statistics are tight: n = in·out draws.
  const IN = 300;
  const OUT = 200;
  const stats = (v: number[]) => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const varc = v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length;
    return { mean: m, std: Math.sqrt(varc), maxAbs: Math.max(...v.map(Math.abs)) };
  };
  const glorotA = Math.sqrt(6 / (IN + OUT));
  const heA = Math.sqrt(6 / IN);
  const uniform = (a: number) => ({ bound: a, std: a / Math.sqrt(3) });

  it.each([
    ['glorotUniform', uniform(glorotA)],
    ['heUniform', uniform(heA)],
  ] as const)('%s: U(−a, a) — every |w| < a, the largest near a, std a/√3', (init, { bound, std }) => {
    const s = stats(flatOf(new Linear(IN, OUT, { init, rng: new Rng(11) }).weight));
    expect(s.maxAbs).toBeLessThanOrEqual(bound);
    expect(s.maxAbs).toBeGreaterThan(0.999 * bound);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * bound);
    expect(s.std).toBeGreaterThan(0.98 * std);
    expect(s.std).toBeLessThan(1.02 * std);
  });

  it.each([
    ['glorotNormal', Math.sqrt(2 / (IN + OUT))],
    ['heNormal', Math.sqrt(2 / IN)],
  ] as const)('%s: N(0, σ²) — std σ, mean 0, tails past 3σ', (init, sigma) => {
    const s = stats(flatOf(new Linear(IN, OUT, { init, rng: new Rng(12) }).weight));
    expect(s.std).toBeGreaterThan(0.98 * sigma);
    expect(s.std).toBeLessThan(1.02 * sigma);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * sigma);
    expect(s.maxAbs).toBeGreaterThan(3.5 * sigma); // 60 000 normal draws reach past 3.5σ; a uniform never would
  });

  it("zeros: all zero; Linear's default is glorotUniform", () => {
    expect(flatOf(new Linear(4, 3, { init: 'zeros' }).weight).every((v) => v === 0)).toBe(true);
    expect(flatOf(new Linear(IN, OUT, { rng: new Rng(13) }).weight)).toEqual(
      flatOf(new Linear(IN, OUT, { init: 'glorotUniform', rng: new Rng(13) }).weight),
    );
  });

  it('the exported initialisers are the named ones: same draws from the same seed', () => {
    for (const [name, f] of [
      ['glorotUniform', nn.glorotUniform],
      ['glorotNormal', nn.glorotNormal],
      ['heUniform', nn.heUniform],
      ['heNormal', nn.heNormal],
    ] as const) {
      expect(flatOf(f([4, 6], new Rng(2), 'float64'))).toEqual(flatOf(new Linear(6, 4, { init: name, rng: new Rng(2) }).weight));
    }
  });
});

describe('MLP', () => {
  it('init defaults to heUniform with relu and glorotUniform with tanh/sigmoid', () => {
    const relu = new MLP([300, 200], { rng: new Rng(14) });
    expect(flatOf(relu.parameters()[0]!)).toEqual(flatOf(new Linear(300, 200, { init: 'heUniform', rng: new Rng(14) }).weight));
    for (const activation of ['tanh', 'sigmoid'] as const) {
      const m = new MLP([300, 200], { activation, rng: new Rng(14) });
      expect(flatOf(m.parameters()[0]!)).toEqual(flatOf(new Linear(300, 200, { init: 'glorotUniform', rng: new Rng(14) }).weight));
    }
  });

  it('one rng for all layers, drawn in layer order', () => {
    const m = new MLP([3, 4, 5, 2], { activation: 'tanh', rng: new Rng(21) });
    const rng = new Rng(21);
    const layers = [new Linear(3, 4, { rng }), new Linear(4, 5, { rng }), new Linear(5, 2, { rng })];
    const ps = m.parameters();
    layers.forEach((l, i) => {
      expect(flatOf(ps[2 * i]!)).toEqual(flatOf(l.weight));
      expect(flatOf(ps[2 * i + 1]!)).toEqual(flatOf(l.bias!));
    });
  });

  it('children: Linear, activation, …, Linear (no activation after the last)', () => {
    const m = new MLP([2, 3, 3, 1], { activation: 'sigmoid' });
    const kinds = Array.from(m.namedChildren(), ([n, c]) => [n, c.constructor.name]);
    expect(kinds).toEqual([
      ['0', 'Linear'],
      ['1', 'Sigmoid'],
      ['2', 'Linear'],
      ['3', 'Sigmoid'],
      ['4', 'Linear'],
    ]);
  });

  it('bias: false and dtype reach every layer', () => {
    const m = new MLP([2, 3, 1], { bias: false, dtype: 'float32' });
    expect(names(m)).toEqual(['0.weight', '2.weight']);
    expect(m.parameters().map((p) => p.dtype)).toEqual(['float32', 'float32']);
  });
});

describe('the exported tables', () => {
  it('fans: [out, in] → fanIn = in, fanOut = out; a vector [n] → (n, n)', () => {
    expect(nn.fans([3, 5])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(nn.fans([4])).toEqual({ fanIn: 4, fanOut: 4 });
  });

  it('INITIALIZERS and ACTIVATIONS hold the documented names', () => {
    expect(Object.keys(nn.INITIALIZERS).sort()).toEqual(['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'zeros']);
    expect(Object.keys(nn.ACTIVATIONS).sort()).toEqual(['relu', 'sigmoid', 'tanh']);
    expect(nn.INITIALIZERS.zeros).toBe(nn.zerosInit);
  });

  it('SAFETENSORS_DTYPES: F64/F32/I32 with their xent dtype and width; MAX_HEADER_BYTES is 100 MB', () => {
    expect(nn.SAFETENSORS_DTYPES).toEqual({
      F64: { dtype: 'float64', bytes: 8 },
      F32: { dtype: 'float32', bytes: 4 },
      I32: { dtype: 'int32', bytes: 4 },
    });
    expect(nn.MAX_HEADER_BYTES).toBe(100_000_000);
  });
});
