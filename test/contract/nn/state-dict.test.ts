// Contract (issue 12, packages/nn/README.md): stateDict() holds copies under the parameter names;
// loadStateDict(sd, { strict = true }) copies values into the existing tensors, and a missing or unexpected name
// (strict), another shape, another dtype, a non-tensor or two different values for a shared parameter is an
// XentError naming every offender, with the module (values and tensors) left unchanged.
import { describe, expect, it } from 'vitest';
import { Rng, fromFlat, tensor, zeros, type Tensor } from '@xent/tensor';
import { param, sum } from '@xent/autograd';
import { SGD } from '@xent/optim';
import { Linear, MLP, Sequential, Tanh, assignInPlace, type StateDict } from '@xent/nn';
import { expectXentError, flatOf } from './ref.js';

const snapshot = (m: { parameters(): Tensor[] }) => ({ tensors: m.parameters(), values: m.parameters().map(flatOf) });
const expectUnchanged = (m: { parameters(): Tensor[] }, s: ReturnType<typeof snapshot>) => {
  m.parameters().forEach((p, i) => {
    expect(p).toBe(s.tensors[i]);
    expect(flatOf(p)).toEqual(s.values[i]);
  });
};

describe('stateDict()', () => {
  it('holds copies: writing into them or training the model does not change the other', () => {
    const m = new MLP([2, 3, 1], { rng: new Rng(0) });
    const sd = m.stateDict();
    const saved = Object.values(sd).map(flatOf);
    Object.entries(sd).forEach(([name, t]) => {
      const p = Object.fromEntries(m.namedParameters())[name]!;
      expect(t).not.toBe(p);
      expect(flatOf(t)).toEqual(flatOf(p));
      expect(t.shape).toEqual(p.shape);
      expect(t.dtype).toBe(p.dtype);
    });
    const opt = new SGD(m.parameters(), { lr: 0.5 });
    sum(m.forward(tensor([[1, 2]]))).backward();
    opt.step();
    expect(Object.values(sd).map(flatOf)).toEqual(saved);
    expect(m.parameters().map(flatOf)).not.toEqual(saved);
  });
});

describe('loadStateDict: the round trip', () => {
  it('another model with other weights ends up with identical values, in its own tensors', () => {
    const a = new MLP([3, 4, 2], { rng: new Rng(1) });
    const b = new MLP([3, 4, 2], { rng: new Rng(2) });
    const own = b.parameters();
    b.loadStateDict(a.stateDict());
    expect(b.parameters().map(flatOf)).toEqual(a.parameters().map(flatOf));
    b.parameters().forEach((p, i) => expect(p).toBe(own[i]));
    const x = tensor([[0.1, -0.4, 2]]);
    expect(flatOf(b.forward(x))).toEqual(flatOf(a.forward(x)));
  });

  it('an optimizer built on the parameters before the load keeps training the loaded values', () => {
    const a = new Linear(2, 1, { rng: new Rng(3) });
    const b = new Linear(2, 1, { rng: new Rng(4) });
    const opt = new SGD(b.parameters(), { lr: 0.1 });
    b.loadStateDict(a.stateDict());
    b.zeroGrad();
    sum(b.forward(tensor([[1, 2]]))).backward(); // dL/dW = x = [1, 2], dL/db = 1
    opt.step();
    const w = flatOf(a.weight);
    expect(flatOf(b.weight)).toEqual([w[0]! - 0.1 * 1, w[1]! - 0.1 * 2]);
    expect(flatOf(b.bias!)).toEqual([0 - 0.1]);
  });

  it("a state dict holding the module's own parameters (even swapped between same-shaped names) loads", () => {
    const m = new Sequential(new Linear(2, 2, { rng: new Rng(5) }), new Tanh(), new Linear(2, 2, { rng: new Rng(6) }));
    const [w0, b0, w2, b2] = m.parameters().map(flatOf);
    const named = Object.fromEntries(m.namedParameters());
    m.loadStateDict({
      '0.weight': named['2.weight']!,
      '0.bias': named['2.bias']!,
      '2.weight': named['0.weight']!,
      '2.bias': named['0.bias']!,
    });
    expect(m.parameters().map(flatOf)).toEqual([w2, b2, w0, b0]);
  });

  it('a view of its own weight (W ← Wᵀ through a transposed view of the same memory) loads the transpose', () => {
    const l = new Linear(3, 3, { rng: new Rng(23) });
    const w = flatOf(l.weight);
    l.loadStateDict({ weight: l.weight.transpose(), bias: l.bias! });
    expect(flatOf(l.weight)).toEqual([0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => w[3 * j + i]!)));
  });

  it('strict: false skips missing and unexpected names but loads the rest', () => {
    const m = new MLP([2, 2, 1], { rng: new Rng(7) });
    const before = m.parameters().map(flatOf);
    m.loadStateDict(
      {
        '0.weight': tensor([
          [1, 2],
          [3, 4],
        ]),
        extra: tensor([1]),
      },
      { strict: false },
    );
    expect(m.parameters().map(flatOf)).toEqual([[1, 2, 3, 4], ...before.slice(1)]);
  });

  it('a shared parameter: both names with the same value load; different values are refused', () => {
    const shared = new Linear(2, 2, { rng: new Rng(8) });
    const s = new Sequential(shared, new Tanh(), shared);
    const w = tensor([
      [1, 0],
      [0, 1],
    ]);
    const b = tensor([0.5, 0.5]);
    s.loadStateDict({ '0.weight': w, '0.bias': b, '2.weight': w, '2.bias': b });
    expect(flatOf(shared.weight)).toEqual([1, 0, 0, 1]);
    const snap = snapshot(s);
    const err = expectXentError(() =>
      s.loadStateDict({
        '0.weight': w,
        '0.bias': b,
        '2.weight': tensor([
          [2, 0],
          [0, 2],
        ]),
        '2.bias': b,
      }),
    );
    expect(err.message).toMatch(/weight/);
    expectUnchanged(s, snap);
    // strict: every name of the shared parameter is expected, as torch's load_state_dict does with tied weights
    const err2 = expectXentError(() => s.loadStateDict({ '0.weight': w, '0.bias': b }));
    expect(err2.message).toContain('2.weight');
    expect(err2.message).toContain('2.bias');
    expectUnchanged(s, snap);
  });
});

describe('loadStateDict refusals: an XentError naming every offender, nothing changed', () => {
  const fresh = () => new MLP([3, 2, 2], { rng: new Rng(9) });
  const good = (): StateDict => new MLP([3, 2, 2], { rng: new Rng(10) }).stateDict();

  const cases: [string, (sd: StateDict) => StateDict, string[]][] = [
    ['a missing name', (sd) => { delete sd['2.bias']; return sd; }, ['2.bias']],
    ['two missing names', (sd) => { delete sd['0.weight']; delete sd['2.weight']; return sd; }, ['0.weight', '2.weight']],
    ['an unexpected name', (sd) => ({ ...sd, '4.weight': zeros([2, 2]) }), ['4.weight']],
    ['a transposed weight [in, out]', (sd) => ({ ...sd, '0.weight': zeros([3, 2]) }), ['0.weight']],
    ['a bias of the wrong length', (sd) => ({ ...sd, '2.bias': zeros([3]) }), ['2.bias']],
    ['a weight flattened to 1-D', (sd) => ({ ...sd, '2.weight': zeros([4]) }), ['2.weight']],
    ['a float32 tensor for a float64 parameter', (sd) => ({ ...sd, '0.bias': zeros([2], 'float32') }), ['0.bias']],
    ['an int32 tensor', (sd) => ({ ...sd, '0.bias': tensor([1, 2], { dtype: 'int32' }) }), ['0.bias']],
    ['a plain array instead of a tensor', (sd) => ({ ...sd, '0.bias': [1, 2] as unknown as Tensor }), ['0.bias']],
    ['null instead of a tensor', (sd) => ({ ...sd, '2.bias': null as unknown as Tensor }), ['2.bias']],
    ['several problems at once', (sd) => { delete sd['0.bias']; return { ...sd, '0.weight': zeros([1, 1]), junk: zeros([1]) }; }, ['0.bias', '0.weight', 'junk']],
  ]; // prettier-ignore

  it.each(cases)('%s', (_, edit, offenders) => {
    const m = fresh();
    const snap = snapshot(m);
    const err = expectXentError(() => m.loadStateDict(edit(good())));
    for (const name of offenders) expect(err.message).toContain(name);
    expectUnchanged(m, snap);
  });

  it('a Map or a non-object is refused (the state dict must be a plain object)', () => {
    const m = fresh();
    const snap = snapshot(m);
    expectXentError(() => m.loadStateDict(new Map(Object.entries(good())) as unknown as StateDict));
    expectXentError(() => m.loadStateDict(null as unknown as StateDict));
    expectUnchanged(m, snap);
  });

  it('strict: false still refuses wrong shapes and dtypes', () => {
    const m = fresh();
    const snap = snapshot(m);
    expectXentError(() => m.loadStateDict({ '0.weight': zeros([2, 2]) }, { strict: false }));
    expectXentError(() => m.loadStateDict({ '0.weight': zeros([2, 3], 'float32') }, { strict: false }));
    expectUnchanged(m, snap);
  });

  it('float32 modules take float32 state dicts and refuse float64 ones', () => {
    const a = new MLP([2, 2], { dtype: 'float32', rng: new Rng(11) });
    const b = new MLP([2, 2], { dtype: 'float32', rng: new Rng(12) });
    b.loadStateDict(a.stateDict());
    expect(b.parameters().map(flatOf)).toEqual(a.parameters().map(flatOf));
    const snap = snapshot(b);
    expectXentError(() => b.loadStateDict(new MLP([2, 2], { rng: new Rng(13) }).stateDict()));
    expectUnchanged(b, snap);
  });
});

describe('loads write in place and say so (version counters)', () => {
  it('a load between forward and backward makes that backward an XentError MODIFIED_IN_PLACE, not a wrong gradient', () => {
    const m = new MLP([2, 3, 2], { rng: new Rng(20) });
    const loss = sum(m.forward(tensor([[1, 2]])));
    m.loadStateDict(new MLP([2, 3, 2], { rng: new Rng(21) }).stateDict());
    expect(expectXentError(() => loss.backward()).code).toBe('MODIFIED_IN_PLACE');
  });

  it('a refused load writes nothing, so the pending backward still runs', () => {
    const m = new MLP([2, 3, 2], { rng: new Rng(22) });
    const loss = sum(m.forward(tensor([[1, 2]])));
    expectXentError(() => m.loadStateDict({ '0.weight': zeros([3, 2]) }));
    expect(() => loss.backward()).not.toThrow();
    expect(m.parameters().every((p) => p.grad !== null && p.grad !== undefined)).toBe(true);
  });

  it('assignInPlace copies any layout of src into dst row-major and refuses another shape or dtype', () => {
    const dst = param(
      tensor([
        [0, 0, 0],
        [0, 0, 0],
      ]),
    );
    assignInPlace(dst, fromFlat(Float64Array.from([1, 2, 3, 4, 5, 6]), [3, 2]).transpose());
    expect(flatOf(dst)).toEqual([1, 3, 5, 2, 4, 6]);
    expectXentError(() => assignInPlace(dst, zeros([3, 2])));
    expectXentError(() => assignInPlace(dst, zeros([2, 3], 'float32')));
    expect(flatOf(dst)).toEqual([1, 3, 5, 2, 4, 6]);
    // src overlapping dst: its own transpose, and a window shifted by one element over the same buffer
    const sq = param(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ]),
    );
    assignInPlace(sq, sq.transpose());
    expect(flatOf(sq)).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    const buf = Float64Array.from([1, 2, 3, 4, 5]);
    assignInPlace(fromFlat(buf.subarray(1, 5), [4]), fromFlat(buf.subarray(0, 4), [4]));
    expect(Array.from(buf)).toEqual([1, 1, 2, 3, 4]);
  });
});
