// Hostile use of @xent/nn's modules: state dicts that alias the module's own
// parameters or come in the wrong container, parameters shared by several
// modules (tied weights), modules that contain themselves, initialisers that
// return garbage, sizes beyond what a tensor may hold, and a Sequential whose
// layer list is edited after it was built.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as N from '@xent/nn';
import * as O from '@xent/optim';
import { flat, refuses } from './helpers.js';

/** A module whose only parameter is `w`: for registering what a test needs. */
class Holder extends N.Module {
  constructor(w?: T.Tensor) {
    super();
    if (w) this.registerParameter('w', w);
  }
  adopt(name: string, m: N.Module): void {
    this.registerModule(name, m);
  }
  forward(x: T.Tensor): T.Tensor {
    return x;
  }
}

const values = (m: N.Module) => m.parameters().map(flat);

describe('loadStateDict', () => {
  it("a state dict of the module's own parameters, swapped, swaps them (it gave [2] and [2])", () => {
    const m = new N.MLP([1, 1, 1], { bias: false, init: 'zeros' });
    const [w0, w2] = m.parameters();
    N.assignInPlace(w0, T.tensor([[1]]));
    N.assignInPlace(w2, T.tensor([[2]]));
    m.loadStateDict({ '0.weight': w2, '2.weight': w0 });
    expect(values(m)).toEqual([[2], [1]]);
  });
  it('a parameter loaded from a view of another parameter gets the value from before the load', () => {
    const m = new N.MLP([2, 2, 2], { bias: false, rng: new T.Rng(1) });
    const [w0, w2] = m.parameters();
    const old0 = flat(w0);
    const old2 = flat(w2);
    m.loadStateDict({ '0.weight': A.noGrad(() => T.transpose(w2)), '2.weight': w0 });
    expect(flat(w2)).toEqual(old0);
    expect(flat(w0)).toEqual([old2[0], old2[2], old2[1], old2[3]]);
  });
  it.each([
    ['a Map, strict: false', () => new Map([['weight', T.tensor([[5]])]]), 'Map'],
    [
      'a class with getters, strict: false',
      () =>
        new (class Weights {
          get weight(): T.Tensor {
            return T.tensor([[5]]);
          }
        })(),
      'Weights',
    ],
  ])('%s is refused (it loaded nothing and reported every name missing)', (_l, make, frag) => {
    const m = new N.Linear(1, 1, { init: 'zeros' });
    refuses(() => m.loadStateDict(make() as never, { strict: false }), 'INVALID_ARGUMENT', /^Linear.loadStateDict/, frag);
    expect(values(m)).toEqual([[0], [0]]);
  });
  it('an array is refused by what it is, not as "missing names"', () => {
    refuses(() => new N.Linear(1, 1).loadStateDict([T.tensor([[5]])] as never), 'INVALID_ARGUMENT', 'an array');
  });
  it('null names the state dict', () => {
    refuses(() => new N.Linear(1, 1).loadStateDict(null as never), 'INVALID_ARGUMENT', 'the state dict is null');
  });
  it('float32 values into float64 parameters are refused; cast, they load exactly, and float64 → float32 → float64 is exact for float32 values', () => {
    const m64 = new N.Linear(2, 1, { rng: new T.Rng(3) });
    const m32 = new N.Linear(2, 1, { rng: new T.Rng(3), dtype: 'float32' });
    refuses(() => m64.loadStateDict(m32.stateDict()), 'DTYPE', 'dtype float32');
    const sd = Object.fromEntries(Object.entries(m32.stateDict()).map(([k, v]) => [k, T.cast(v, 'float64')]));
    m64.loadStateDict(sd);
    expect(values(m64)).toEqual(values(m32));
    const back = new N.Linear(2, 1, { dtype: 'float32' });
    back.loadStateDict(Object.fromEntries(Object.entries(m64.stateDict()).map(([k, v]) => [k, T.cast(v, 'float32')])));
    expect(values(back)).toEqual(values(m32));
  });
});

describe('shared (tied) parameters', () => {
  const tied = () => {
    const lin = new N.Linear(1, 1, { bias: false, init: 'zeros' });
    return { lin, model: new N.Sequential(lin, lin) };
  };
  it('parameters() lists a shared parameter once, so an optimizer takes it (SGD refused the list)', () => {
    const { lin, model } = tied();
    expect(model.parameters()).toEqual([lin.weight]);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight']);
    expect(() => new O.SGD(model.parameters(), { lr: 0.1 })).not.toThrow();
  });
  it('the state dict holds it under every name, as torch.nn.Module.state_dict() does', () => {
    const { model } = tied();
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '1.weight']);
    expect(Object.keys(N.fromSafetensors(N.toSafetensors(model.stateDict())))).toEqual(['0.weight', '1.weight']);
  });
  it('two different values for one shared parameter are refused (the last one silently won)', () => {
    const { lin, model } = tied();
    refuses(
      () => model.loadStateDict({ '0.weight': T.tensor([[1]]), '1.weight': T.tensor([[2]]) }),
      'INVALID_ARGUMENT',
      "'0.weight' and '1.weight' are one shared parameter",
    );
    expect(flat(lin.weight)).toEqual([0]);
    model.loadStateDict({ '0.weight': T.tensor([[3]]), '1.weight': T.tensor([[3]]) });
    expect(flat(lin.weight)).toEqual([3]);
  });
  it('withParameters takes one tensor for a shared parameter and uses it everywhere (2 was dropped: 3·3·1 = 9)', () => {
    const { model } = tied();
    const y = N.withParameters(model, [T.tensor([[2]])], () => model.forward(T.tensor([[1]])));
    expect(flat(y)).toEqual([4]);
    refuses(() => N.withParameters(model, [T.tensor([[2]]), T.tensor([[3]])], () => 0), 'INVALID_ARGUMENT', 'module with 1');
  });
  it('the gradient of a tied weight sums both uses: d(w·w·x)/dw = 2wx', () => {
    const { lin, model } = tied();
    N.assignInPlace(lin.weight, T.tensor([[3]]));
    A.sum(model.forward(T.tensor([[2]]))).backward();
    expect(flat(lin.weight.grad!)).toEqual([12]);
  });
});

describe('module structure', () => {
  it('a module that would contain itself is refused (listing its parameters overflowed the stack)', () => {
    const h = new Holder(A.param(T.tensor([1])));
    refuses(() => h.adopt('self', h), 'INVALID_ARGUMENT', /^Holder.registerModule/, 'cycle');
    const outer = new Holder();
    const inner = new Holder();
    outer.adopt('inner', inner);
    refuses(() => inner.adopt('outer', outer), 'INVALID_ARGUMENT', 'cycle');
    expect(outer.parameters()).toEqual([]);
  });
  it('the same module in two places (not a cycle) is allowed', () => {
    const leaf = new Holder(A.param(T.tensor([1])));
    const a = new Holder();
    a.adopt('x', leaf);
    a.adopt('y', leaf);
    expect(a.parameters()).toHaveLength(1);
  });
  it("Sequential's layers cannot be edited after it is built (forward used a layer the parameters did not list)", () => {
    const s = new N.Sequential(new N.Linear(1, 1));
    expect(() => (s.layers as N.Module[]).push(new N.Linear(1, 1))).toThrow(TypeError);
    expect(s.layers).toHaveLength(1);
    expect(Object.isFrozen(new N.MLP([1, 2]).sizes)).toBe(true);
  });
  it('an empty Sequential returns a Tensor for a nested array (it returned the array)', () => {
    const y = new N.Sequential().forward([1, 2] as never);
    expect(y).toBeInstanceOf(T.Tensor);
    expect(flat(y)).toEqual([1, 2]);
  });
});

describe('Linear and MLP construction', () => {
  it.each([
    ['null', () => null],
    ['undefined', () => undefined],
    ['a nested array', () => [[1, 2]]],
  ])('an initialiser that returns %s is INVALID_OPTION (null was a raw TypeError)', (_l, init) => {
    refuses(() => new N.Linear(2, 1, { init: init as never }), 'INVALID_OPTION', /^Linear: the initialiser returned/);
  });
  it.each([NaN, Infinity, -Infinity])('an initialiser that returns %s is refused (the layer trained to NaN)', (bad) => {
    refuses(() => new N.Linear(2, 1, { init: () => T.tensor([[1, bad]]) }), 'INVALID_OPTION', 'flat index 1', 'finite');
  });
  it('a weight larger than one tensor may hold is refused by Linear, not by rand', () => {
    refuses(() => new N.Linear(2 ** 20, 2 ** 20), 'INVALID_ARGUMENT', /^Linear: a weight of/);
    const rng = new T.Rng(7);
    refuses(() => new N.MLP([4, 2 ** 15, 2 ** 15], { rng }), 'INVALID_ARGUMENT', /^MLP: a weight of/);
    expect(rng.next()).toBe(new T.Rng(7).next()); // the first layer drew from it before the second was refused
  });
  it('a size given as a string says it is a string ("inFeatures is 2" read as valid)', () => {
    refuses(() => new N.Linear('2' as never, 1), 'INVALID_ARGUMENT', 'a string ("2")');
  });
  it('MLP sizes with a hole name MLP and the index (Linear was blamed)', () => {
    // eslint-disable-next-line no-sparse-arrays
    refuses(() => new N.MLP([2, , 3] as never), 'INVALID_ARGUMENT', /^MLP: sizes\[1\] is undefined/);
  });
  it('MLP sizes as a typed array says what it is', () => {
    refuses(() => new N.MLP(new Int32Array([2, 3]) as never), 'INVALID_ARGUMENT', 'an Int32Array');
  });
});

describe('state dict identity and strictness', () => {
  it('strict: false still refuses another shape, and loads nothing', () => {
    const m = new N.MLP([2, 3, 1], { rng: new T.Rng(0) });
    const before = values(m);
    const sd = new N.MLP([2, 4, 1], { rng: new T.Rng(1) }).stateDict();
    delete sd['2.bias'];
    refuses(() => m.loadStateDict(sd, { strict: false }), 'SHAPE_MISMATCH', "'0.weight' has shape [4, 2], the parameter [3, 2]");
    expect(values(m)).toEqual(before);
  });
  it('parameters() are the live tensors, the same objects on every call; the list itself is a fresh copy', () => {
    const m = new N.MLP([2, 3, 1]);
    const ps = m.parameters();
    expect(m.parameters()).toEqual(ps);
    m.parameters().forEach((p, i) => expect(p).toBe(ps[i]));
    ps.pop();
    expect(m.parameters()).toHaveLength(4);
  });
  it('stateDict() values are copies that need no gradient; writing one leaves the module alone', () => {
    const m = new N.Linear(2, 1, { rng: new T.Rng(0) });
    const sd = m.stateDict();
    expect(sd.weight).not.toBe(m.weight);
    expect(sd.weight.requiresGrad).toBe(false);
    const before = flat(m.weight);
    T.copyInto(sd.weight, T.tensor([[9, 9]]));
    expect(flat(m.weight)).toEqual(before);
  });
});

describe('state dict values that are not tensors', () => {
  it('a nested array says what it is and how to wrap it (it said "got object")', () => {
    const m = new N.Linear(2, 1);
    refuses(
      () => m.loadStateDict({ weight: [[1, 2]], bias: T.tensor([0]) } as never),
      'INVALID_ARGUMENT',
      'an array of length 1, not a Tensor',
      'tensor(values)',
    );
    refuses(() => N.toSafetensors({ w: [[1, 2]] } as never), 'INVALID_ARGUMENT', "'w' is an array of length 1, not a Tensor");
    refuses(() => N.fromSafetensors(new ArrayBuffer(8) as never), 'INVALID_ARGUMENT', 'an ArrayBuffer');
  });
});

describe('withParameters and fans arguments', () => {
  it('a module that is not a Module, and an fn that is not a function, are refused (raw TypeErrors), the parameters untouched', () => {
    refuses(() => N.withParameters({} as never, [], () => 1), 'INVALID_ARGUMENT', /^withParameters: module is a plain object/);
    const m = new N.Linear(1, 1);
    const w = m.weight;
    refuses(() => N.withParameters(m, [T.tensor([[1]]), T.tensor([0])], 5 as never), 'INVALID_ARGUMENT', 'fn is the number 5');
    expect(m.weight).toBe(w);
  });
  it('fans(null) names the argument (a raw TypeError)', () => {
    refuses(() => N.fans(null as never), 'INVALID_ARGUMENT', /^fans: shape is null/);
  });
});

describe('loadStateDict keeps every bit', () => {
  it('float32 signalling NaNs and −0 survive safetensors and loadStateDict (7f800001 came back 7fc00001)', () => {
    const a = new Float32Array(new Uint32Array([0x7f800001, 0x7fa00000, 0x80000000, 0x00000001]).buffer);
    const m = new N.Linear(4, 1, { dtype: 'float32', bias: false });
    m.loadStateDict(N.fromSafetensors(N.toSafetensors({ weight: T.tensor(a, { shape: [1, 4] }) })));
    const bitsOf = (x: Float32Array) => Array.from(new Uint32Array(x.slice().buffer), (w) => w.toString(16));
    expect(bitsOf(m.weight.values() as Float32Array)).toEqual(bitsOf(a));
  });
  it('copyInto a contiguous float32 slice keeps the bits too, and writes only that slice', () => {
    const dst = T.zeros([4], 'float32');
    const src = T.tensor(new Float32Array(new Uint32Array([0x7f800001, 0xff800002]).buffer));
    T.copyInto(T.slice(dst, [[1, 3]]), src);
    const bitsOf = (x: Float32Array) => Array.from(new Uint32Array(x.slice().buffer), (w) => w.toString(16));
    expect(bitsOf(dst.values() as Float32Array)).toEqual(['0', '7f800001', 'ff800002', '0']);
  });
});

describe('hostile sizes and layers', () => {
  const sizes: [string, unknown][] = [
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['null', null],
    ['undefined', undefined],
    ['a bigint', 2n],
    ['a boolean', true],
  ];
  it.each(sizes)('Linear with inFeatures %s is refused and says what it got', (_l, n) => {
    refuses(() => new N.Linear(n as never, 2), 'INVALID_ARGUMENT', /^Linear: inFeatures is /, 'whole number ≥ 1');
    refuses(() => new N.Linear(2, n as never), 'INVALID_ARGUMENT', /^Linear: outFeatures is /);
  });
  it.each(sizes)('MLP with a size %s is refused by MLP, naming the index', (_l, n) => {
    refuses(() => new N.MLP([2, n as never, 1]), 'INVALID_ARGUMENT', /^MLP: sizes\[1\] is /);
  });
  it.each([
    ['null', null],
    ['a class instead of an instance', N.ReLU],
    ['a plain object with forward', { forward: (x: T.Tensor) => x }],
  ])('Sequential with %s is refused', (_l, m) => {
    refuses(() => new N.Sequential(new N.ReLU(), m as never), 'INVALID_ARGUMENT', /^Sequential: argument 1/);
  });
  it('Linear.forward with a wrong last axis, a scalar or a string is refused; a batch of 0 rows gives 0 rows', () => {
    const lin = new N.Linear(3, 2);
    refuses(() => lin.forward(T.zeros([4, 2])), 'SHAPE_MISMATCH', 'inFeatures = 3');
    refuses(() => lin.forward(T.tensor(1)), 'SHAPE_MISMATCH');
    refuses(() => lin.forward('x' as never), 'INVALID_ARGUMENT', /^Linear.forward: x is/);
    expect(lin.forward(T.zeros([0, 3])).shape).toEqual([0, 2]);
    expect(lin.forward(T.zeros([2, 0, 3])).shape).toEqual([2, 0, 2]);
  });
});
