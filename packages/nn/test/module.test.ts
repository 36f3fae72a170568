import { describe, expect, it } from 'vitest';
import { Rng, Tensor, broadcastTo, clone, fromFlat, rand, readFlat, tensor, transpose, zeros, type XentErrorCode } from '@xent/tensor';
import {
  detach,
  gradCheck,
  mean,
  param,
  sigmoidCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  square,
  sum,
  valueAndGrad,
} from '@xent/autograd';
import { Adam, SGD } from '@xent/optim';
import {
  Linear,
  MLP,
  Module,
  ReLU,
  Sequential,
  Sigmoid,
  Tanh,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  makeMoons,
  packCheckpoint,
  unpackCheckpoint,
  withParameters,
  zerosInit,
} from '@xent/nn';
import { expectXentError } from '../../../test/utils.js';

/** y = x·Wᵀ + b by plain loops over the flat values. */
function naiveLinear(x: number[][], w: number[][], b: number[] | null): number[][] {
  return x.map((row) => w.map((wj, j) => wj.reduce((s, wjk, k) => s + row[k] * wjk, b ? b[j] : 0)));
}

describe('Linear', () => {
  it('has weight [out, in] and bias [out], and computes y = x·Wᵀ + b', () => {
    const lin = new Linear(3, 2, { rng: new Rng(1) });
    expect(lin.weight.shape).toEqual([3, 2].reverse());
    expect(lin.bias!.shape).toEqual([2]);
    // Give the bias non-zero values so it is really tested.
    lin.loadStateDict({ weight: lin.stateDict().weight, bias: tensor([0.5, -1.25]) });
    const x = [
      [1, 2, 3],
      [-0.5, 0.25, 4],
    ];
    const y = lin.forward(tensor(x));
    expect(y.shape).toEqual([2, 2]);
    expect(y).toBeAllClose(naiveLinear(x, lin.weight.toArray() as number[][], [0.5, -1.25]), { atol: 1e-14 });
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
  });

  it('takes a vector and batched leading axes', () => {
    const lin = new Linear(4, 3, { rng: new Rng(2) });
    const x = rand([2, 5, 4], new Rng(3));
    const y = lin.forward(x);
    expect(y.shape).toEqual([2, 5, 3]);
    const rows = (x.toArray() as number[][][]).flat();
    const w = lin.weight.toArray() as number[][];
    expect(y).toBeAllClose(fromFlat(Float64Array.from(naiveLinear(rows, w, [0, 0, 0]).flat()), [2, 5, 3]), { atol: 1e-14 });
    expect(lin.forward(tensor([1, 2, 3, 4])).shape).toEqual([3]);
  });

  it('without bias has only a weight', () => {
    const lin = new Linear(2, 2, { bias: false });
    expect(lin.bias).toBeNull();
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(lin.forward(tensor([[1, 0]]))).toBeAllClose([[lin.weight.toArray() as number[][]].flat().map((r) => r[0])]);
  });

  it('passes gradCheck with respect to the input, the weight and the bias', () => {
    const lin = new Linear(3, 2, { rng: new Rng(4) });
    const x = rand([4, 3], new Rng(5), { lo: -1, hi: 1 });
    const f = (xx: Tensor, w: Tensor, b: Tensor) => withParameters(lin, [w, b], () => lin.forward(xx));
    expect(gradCheck(f, [x, lin.weight, tensor([0.1, -0.2])]).ok).toBe(true);
  });

  it('float32 layers stay float32', () => {
    const lin = new Linear(2, 3, { dtype: 'float32' });
    expect(lin.weight.dtype).toBe('float32');
    expect(lin.bias!.dtype).toBe('float32');
    expect(lin.forward(tensor([[1, 2]], { dtype: 'float32' })).dtype).toBe('float32');
  });

  it('refuses bad sizes, options and inputs', () => {
    expectXentError(() => new Linear(0, 2), 'INVALID_ARGUMENT');
    expectXentError(() => new Linear(2.5, 2), 'INVALID_ARGUMENT');
    expectXentError(() => new Linear(2, 2, { init: 'nope' as never }), 'INVALID_OPTION');
    expectXentError(() => new Linear(2, 2, { dtype: 'int32' as never }), 'INVALID_OPTION');
    expectXentError(() => new Linear(2, 2, { rng: 'seed' as never }), 'INVALID_OPTION'); // a whole-number seed is taken (init.test.ts)
    expectXentError(() => new Linear(2, 2, { bais: false } as never), 'INVALID_OPTION');
    expectXentError(() => new Linear(2, 2).forward(tensor([[1, 2, 3]])), 'SHAPE_MISMATCH');
  });
});

describe('initialisers', () => {
  const n = 20000;
  const stats = (t: Tensor) => {
    const v = Array.from(t.values());
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
    return { m, s2, lo: Math.min(...v), hi: Math.max(...v) };
  };
  // A [200, 100] weight: fanIn 100, fanOut 200.
  const shape = [200, 100];
  it('glorotUniform: U(−a, a), a = √(6/(in+out))', () => {
    const a = Math.sqrt(6 / 300);
    const s = stats(glorotUniform(shape, new Rng(1), 'float64'));
    expect(s.lo).toBeGreaterThanOrEqual(-a);
    expect(s.hi).toBeLessThan(a);
    expect(s.hi).toBeGreaterThan(0.99 * a);
    expect(s.s2).toBeCloseTo((a * a) / 3, 3);
    expect(Math.abs(s.m)).toBeLessThan(0.01);
  });
  it('glorotNormal: σ² = 2/(in+out)', () => {
    expect(stats(glorotNormal(shape, new Rng(2), 'float64')).s2 / (2 / 300)).toBeCloseTo(1, 1);
  });
  it('heUniform: U(−a, a), a = √(6/in)', () => {
    const a = Math.sqrt(6 / 100);
    const s = stats(heUniform(shape, new Rng(3), 'float64'));
    expect(s.lo).toBeGreaterThanOrEqual(-a);
    expect(s.hi).toBeLessThan(a);
    expect(s.s2 / ((a * a) / 3)).toBeCloseTo(1, 1);
  });
  it('heNormal: σ² = 2/in', () => {
    expect(stats(heNormal(shape, new Rng(4), 'float64')).s2 / (2 / 100)).toBeCloseTo(1, 1);
  });
  it('zeros, and the same seed gives the same weights', () => {
    expect(Array.from(zerosInit([3, 2], new Rng(0), 'float64').values())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(n).toBeGreaterThan(0);
    const a = new Linear(5, 4, { rng: new Rng(9), init: 'heNormal' });
    const b = new Linear(5, 4, { rng: new Rng(9), init: 'heNormal' });
    const c = new Linear(5, 4, { rng: new Rng(10), init: 'heNormal' });
    expect(Array.from(b.weight.values())).toEqual(Array.from(a.weight.values()));
    expect(Array.from(c.weight.values())).not.toEqual(Array.from(a.weight.values()));
  });
});

describe('Sequential and MLP', () => {
  it("use torch.nn.Sequential's names: 0.weight, 0.bias, 2.weight, …", () => {
    const seq = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 8), new Tanh(), new Linear(8, 1), new Sigmoid());
    expect(seq.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      '0.weight:8x2',
      '0.bias:8',
      '2.weight:8x8',
      '2.bias:8',
      '4.weight:1x8',
      '4.bias:1',
    ]);
    expect(seq.children).toHaveLength(6);
    expect(seq.parameters()).toHaveLength(6);
    const mlp = new MLP([784, 128, 10]);
    expect(Object.keys(mlp.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(mlp.stateDict()['0.weight'].shape).toEqual([128, 784]);
    expect(mlp.namedChildren().map(([n, c]) => `${n}:${c.constructor.name}`)).toEqual(['0:Linear', '1:ReLU', '2:Linear']);
  });

  it("namedParameters(prefix) joins a prefix with a dot, as torch's named_parameters(prefix='enc'), and takes only a string", () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1, { bias: false }));
    expect(seq.namedParameters('enc').map(([n]) => n)).toEqual(['enc.0.weight', 'enc.0.bias', 'enc.2.weight']);
    expect(seq.namedParameters('').map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(seq.namedParameters('enc').every(([, p], i) => p === seq.parameters()[i])).toBe(true);
    expectXentError(
      () => seq.namedParameters(5 as never),
      'INVALID_ARGUMENT',
      'Sequential.namedParameters',
      'the number 5',
      'not a string',
    );
    expectXentError(() => seq.namedParameters(null as never), 'INVALID_ARGUMENT', 'null');
  });

  it("torch's recurse, a prefix or options of another call are refused, not ignored (namedParameters('', false) listed descendants)", () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    const sd = seq.stateDict();
    const before = readFlat(seq.parameters()[0]).slice();
    const call =
      (f: unknown, ...args: unknown[]) =>
      () =>
        (f as (...a: unknown[]) => unknown).apply(seq, args);
    expectXentError(
      call(seq.namedParameters, '', false),
      'INVALID_ARGUMENT',
      'Sequential.namedParameters: takes at most 1 argument, got 2',
    );
    expectXentError(call(seq.parameters, false), 'INVALID_ARGUMENT', 'Sequential.parameters: takes no arguments, got 1', 'recurse');
    expectXentError(call(seq.stateDict, 'enc'), 'INVALID_ARGUMENT', 'Sequential.stateDict: takes no arguments, got 1', 'no prefix');
    const zero = Object.fromEntries(Object.keys(sd).map((k) => [k, zeros(sd[k].shape)]));
    expectXentError(
      call(seq.loadStateDict, zero, { strict: true }, false),
      'INVALID_ARGUMENT',
      'Sequential.loadStateDict: takes at most 2 arguments, got 3',
    );
    expect(readFlat(seq.parameters()[0])).toEqual(before); // the refused load wrote nothing
  });

  it('Linear and MLP refuse an argument past their options (it was ignored)', () => {
    const build =
      (C: unknown, ...args: unknown[]) =>
      () =>
        new (C as new (...a: unknown[]) => unknown)(...args);
    expectXentError(build(Linear, 2, 3, {}, false), 'INVALID_ARGUMENT', 'Linear: takes at most 3 arguments, got 4', 'bias: false');
    expectXentError(build(MLP, [2, 3], {}, 'tanh'), 'INVALID_ARGUMENT', 'MLP: takes at most 2 arguments, got 3', "activation: 'relu'");
  });

  it('forward chains the layers: MLP = Linear → activation → Linear', () => {
    const mlp = new MLP([3, 5, 2], { activation: 'tanh', rng: new Rng(7) });
    const x = rand([4, 3], new Rng(8), { lo: -2, hi: 2 });
    const [l0, , l2] = mlp.layers as [Linear, Module, Linear];
    const hidden = naiveLinear(x.toArray() as number[][], l0.weight.toArray() as number[][], null).map((r) => r.map(Math.tanh));
    expect(mlp.forward(x)).toBeAllClose(naiveLinear(hidden, l2.weight.toArray() as number[][], null), { atol: 1e-14 });
    expect(String(mlp)).toContain('(1): Tanh()');
  });

  it('passes gradCheck through every layer (tanh and sigmoid: smooth activations)', () => {
    for (const activation of ['tanh', 'sigmoid'] as const) {
      const mlp = new MLP([3, 4, 2], { activation, rng: new Rng(11) });
      const x = rand([5, 3], new Rng(12), { lo: -1, hi: 1 });
      const f = (...ps: Tensor[]) => withParameters(mlp, ps, () => mlp.forward(x));
      expect(
        gradCheck(
          f,
          mlp.parameters().map((p) => clone(detach(p))),
        ).ok,
      ).toBe(true);
    }
  });

  it('refuses bad sizes and options', () => {
    expectXentError(() => new MLP([3]), 'INVALID_ARGUMENT');
    expectXentError(() => new MLP([3, 0, 2]), 'INVALID_ARGUMENT');
    expectXentError(() => new MLP([3, 2], { activation: 'gelu' as never }), 'INVALID_OPTION');
    expectXentError(() => new Sequential(new ReLU(), {} as never), 'INVALID_ARGUMENT');
  });

  it('a layer refused after drawing (a custom init of the wrong shape) leaves the caller’s rng where it was', () => {
    const next = (seed: number, before: (rng: Rng) => void) => {
      const rng = new Rng(seed);
      before(rng);
      return rng.next();
    };
    const untouched = next(7, () => {});
    // Draws, then returns a weight of the wrong shape.
    const wrongShape = (shape: readonly number[], rng: Rng) => glorotUniform([shape[0] + 1, shape[1]], rng, 'float64');
    expect(next(7, (rng) => expectXentError(() => new Linear(3, 2, { init: wrongShape, rng }), 'INVALID_OPTION'))).toBe(untouched);
    // MLP: the first layer is fine, the second refused; before, the first layer's draws were gone.
    let layer = 0;
    const secondFails = (shape: readonly number[], rng: Rng) =>
      layer++ === 1 ? wrongShape(shape, rng) : glorotUniform(shape, rng, 'float64');
    expect(next(7, (rng) => expectXentError(() => new MLP([3, 4, 2], { init: secondFails, rng }), 'INVALID_OPTION'))).toBe(untouched);
    expect(layer).toBe(2);
  });
});

describe('state dicts', () => {
  it('stateDict() copies: changing the copy or the module leaves the other alone', () => {
    const mlp = new MLP([2, 3, 1], { rng: new Rng(1) });
    const sd = mlp.stateDict();
    const before = Array.from(mlp.parameters()[0].values());
    (sd['0.weight'].view.data as Float64Array).fill(7);
    expect(Array.from(mlp.parameters()[0].values())).toEqual(before);
  });

  it('loadStateDict writes in place and round-trips exactly', () => {
    const a = new MLP([2, 4, 3], { rng: new Rng(1) });
    const b = new MLP([2, 4, 3], { rng: new Rng(2) });
    const live = b.parameters();
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missing: [], unexpected: [] });
    expect(b.parameters()).toEqual(live); // the same tensor objects
    b.parameters().forEach((p, i) => expect(Array.from(p.values())).toEqual(Array.from(a.parameters()[i].values())));
  });

  const bad: [string, (sd: Record<string, Tensor>) => void, RegExp, XentErrorCode?][] = [
    ['missing', (sd) => delete sd['2.bias'], /missing '2.bias'/],
    ['unexpected', (sd) => (sd['3.weight'] = zeros([1])), /unexpected '3.weight'/],
    // Object.keys skipped it: a non-enumerable name was neither loaded nor reported
    ['non-enumerable unexpected', (sd) => Object.defineProperty(sd, '3.weight', { value: zeros([1]) }), /unexpected '3.weight'/],
    ['symbol key', (sd) => Object.assign(sd, { [Symbol('w')]: zeros([1]) }), /the state dict has the symbol key Symbol\(w\)/],
    ['wrong shape', (sd) => (sd['0.weight'] = zeros([2, 4])), /'0.weight' has shape \[2, 4\], the parameter \[4, 2\]/, 'SHAPE_MISMATCH'],
    ['wrong dtype', (sd) => (sd['0.bias'] = zeros([4], 'float32')), /'0.bias' has dtype float32, the parameter float64/, 'DTYPE'],
    [
      'not a tensor',
      (sd) => (sd['0.bias'] = [1, 2, 3, 4] as never),
      /'0.bias' is an array of length 4, not a Tensor \(wrap it with tensor\(values\)\)/,
    ],
  ];
  bad.forEach(([what, spoil, message, code = 'INVALID_ARGUMENT']) => {
    it(`refuses a ${what} entry, names it, and changes nothing`, () => {
      const m = new MLP([2, 4, 3], { rng: new Rng(1) });
      const before = m.parameters().map((p) => Array.from(p.values()));
      const sd = new MLP([2, 4, 3], { rng: new Rng(5) }).stateDict();
      spoil(sd);
      const e = expectXentError(() => m.loadStateDict(sd), code);
      expect(e.message).toMatch(message);
      expect(m.parameters().map((p) => Array.from(p.values()))).toEqual(before);
    });
  });

  it('strict: false loads what matches and reports the rest', () => {
    const m = new MLP([2, 4, 3], { rng: new Rng(1) });
    const sd = new MLP([2, 4, 3], { rng: new Rng(5) }).stateDict();
    delete sd['2.bias'];
    sd.extra = zeros([1]);
    expect(m.loadStateDict(sd, { strict: false })).toEqual({ missing: ['2.bias'], unexpected: ['extra'] });
    expect(Array.from(m.parameters()[0].values())).toEqual(Array.from(sd['0.weight'].values()));
  });

  it('writes into non-contiguous parameters too', () => {
    class T extends Module {
      constructor() {
        super();
        const base = zeros([3, 2]);
        this.registerParameter('w', param(new Tensor(base.view.transpose(1, 0))));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const t = new T();
    t.loadStateDict({
      w: tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    });
    expect(t.parameters()[0].toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('a parameter that cannot be written (a broadcast view) is refused before any other is written', () => {
    class Two extends Module {
      constructor() {
        super();
        this.registerParameter('a', param(tensor([1, 2])));
        this.registerParameter('b', param(broadcastTo(tensor([5]), [3]), { copy: false }));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Two();
    const e = expectXentError(
      () => m.loadStateDict({ a: tensor([9, 9]), b: tensor([7, 7, 7]) }),
      'INVALID_ARGUMENT',
      "'b' is a broadcast view",
    );
    expect(e.message).toMatch(/Nothing was loaded/);
    // Before: copyInto refused 'b' only after 'a' had been written ([9, 9]).
    expect(m.parameters().map((p) => p.toArray())).toEqual([
      [1, 2],
      [5, 5, 5],
    ]);
  });

  it('two parameters that share memory (W and a transposed view of it) must get consistent values', () => {
    class Tied extends Module {
      constructor() {
        super();
        const w = this.registerParameter(
          'W',
          param(
            tensor([
              [1, 2],
              [3, 4],
            ]),
          ),
        );
        this.registerParameter('Wt', param(transpose(detach(w)), { copy: false }));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Tied();
    // Before: W was written, then Wt over it, and W silently ended as zeros.
    const e = expectXentError(
      () =>
        m.loadStateDict({
          W: tensor([
            [10, 20],
            [30, 40],
          ]),
          Wt: zeros([2, 2]),
        }),
      'INVALID_ARGUMENT',
      "'W' and 'Wt' share memory",
    );
    expect(e.message).toMatch(/Nothing was loaded/);
    expect(m.parameters()[0].toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // Consistent values load: its own state dict, or W with Wt = Wᵀ.
    m.loadStateDict({
      W: tensor([
        [10, 20],
        [30, 40],
      ]),
      Wt: tensor([
        [10, 30],
        [20, 40],
      ]),
    });
    expect(m.parameters()[1].toArray()).toEqual([
      [10, 30],
      [20, 40],
    ]);
    m.loadStateDict(m.stateDict());
    expect(m.parameters()[0].toArray()).toEqual([
      [10, 20],
      [30, 40],
    ]);
  });

  it("a parameter named '__proto__' is an entry of the state dict and of a checkpoint, not its prototype", () => {
    class Odd extends Module {
      constructor(v: number) {
        super();
        this.registerParameter('__proto__', param(tensor([v, v])));
        this.registerParameter('b', param(tensor([v])));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const sd = new Odd(2).stateDict();
    // Before: `sd['__proto__'] = …` set the prototype, so the state dict silently lacked the parameter.
    expect(Object.keys(sd)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    const m = new Odd(0);
    m.loadStateDict(sd);
    expect(m.parameters().map((p) => p.toArray())).toEqual([[2, 2], [2]]);
    const n = new Odd(0);
    unpackCheckpoint(packCheckpoint({ model: new Odd(3) }), { model: n });
    expect(n.parameters().map((p) => p.toArray())).toEqual([[3, 3], [3]]);
  });
});

describe('modules train', () => {
  it('zeroGrad, backward and an optimizer: an MLP fits the moons', () => {
    const ds = makeMoons({ n: 100, noise: 0.05, rng: new Rng(3) });
    const x = fromFlat(ds.x, [ds.n, 2]);
    const y = tensor(Float64Array.from(ds.labels), { shape: [ds.n, 1] });
    const mlp = new MLP([2, 16, 16, 1], { rng: new Rng(1) });
    const opt = new Adam(mlp.parameters(), { lr: 0.02 });
    const lossAt = () => mean(sigmoidCrossEntropyWithLogits(y, mlp.forward(x)));
    const first = lossAt().item();
    for (let i = 0; i < 150; i++) {
      mlp.zeroGrad();
      lossAt().backward();
      opt.step();
    }
    expect(lossAt().item()).toBeLessThan(first * 0.2);
    lossAt().backward();
    mlp.zeroGrad(false); // PyTorch's zero_grad(set_to_none=False): zeros of each shape
    expect(
      mlp.parameters().every((p) => p.grad !== null && p.grad.shape.join() === p.shape.join() && readFlat(p.grad).every((g) => g === 0)),
    ).toBe(true);
    mlp.zeroGrad();
    expect(mlp.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('valueAndGrad through withParameters gives the gradients backward() gives', () => {
    const mlp = new MLP([3, 4, 2], { rng: new Rng(2) });
    const x = rand([5, 3], new Rng(3));
    const labels = tensor([0, 1, 1, 0, 1], { dtype: 'int32' });
    const loss = () => mean(sparseSoftmaxCrossEntropyWithLogits(labels, mlp.forward(x)));
    const { value, grads } = valueAndGrad((...ps: Tensor[]) => withParameters(mlp, ps, loss))(...mlp.parameters());
    mlp.zeroGrad();
    const l = loss();
    l.backward();
    expect(value.item()).toBe(l.item());
    mlp.parameters().forEach((p, i) => expect(grads[i]).toBeAllClose(p.grad!, { atol: 0, rtol: 1e-15 }));
    // The module has its own parameters back afterwards.
    expect(withParameters(mlp, mlp.parameters(), () => 1)).toBe(1);
    expectXentError(() => withParameters(mlp, [], () => 0), 'INVALID_ARGUMENT');
    expectXentError(
      () =>
        withParameters(
          mlp,
          mlp.parameters().map(() => zeros([1])),
          () => 0,
        ),
      'SHAPE_MISMATCH',
    );
  });

  it('SGD updates the live parameters', () => {
    const lin = new Linear(2, 1, { rng: new Rng(1) });
    const opt = new SGD(lin.parameters(), { lr: 0.1 });
    const w0 = Array.from(lin.weight.values());
    sum(square(lin.forward(tensor([[1, 1]])))).backward();
    opt.step();
    expect(Array.from(lin.weight.values())).not.toEqual(w0);
  });
});
