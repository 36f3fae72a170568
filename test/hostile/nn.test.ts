// Hostile inputs, @xent/nn and in-place writes: modules given arrays, state
// dicts and checkpoints built from the wrong containers, safetensors files
// beyond xent's limits, and copyInto / assignInPlace into views that alias
// (broadcast views, overlapping slices) or into dtypes that cannot hold the values.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as N from '@xent/nn';
import { expectClose, flat, refuses } from './helpers.js';

describe('copyInto and assignInPlace', () => {
  it('copyInto(a[1:3], a[0:2]) reads the source before writing (NumPy gives [1, 1, 2])', () => {
    const a = T.tensor([1, 2, 3]);
    T.copyInto(T.slice(a, [[1, 3]]), T.slice(a, [[0, 2]]));
    expect(flat(a)).toEqual([1, 1, 2]);
  });
  it('assignInPlace with overlapping reversed views', () => {
    const a = T.tensor([1, 2, 3, 4]);
    N.assignInPlace(T.slice(a, [[0, 3]]), T.slice(a, [[1, 4]]));
    expect(flat(a)).toEqual([2, 3, 4, 4]);
  });
  it.each([
    ['copyInto', (d: T.Tensor, s: T.Tensor) => T.copyInto(d, s)],
    ['assignInPlace', (d: T.Tensor, s: T.Tensor) => N.assignInPlace(d, s)],
  ])('%s into a broadcast view is refused and leaves the source alone', (name, write) => {
    const src = T.tensor([1]);
    refuses(() => write(T.broadcastTo(src, [3]), T.tensor([1, 2, 3])), 'INVALID_ARGUMENT', new RegExp(`^${name}`), 'broadcast');
    expect(flat(src)).toEqual([1]);
  });
  it.each([
    ['NaN into int32', 'int32', NaN],
    ['1.5 into int32', 'int32', 1.5],
    ['2^31 into int32', 'int32', 2 ** 31],
    ['1e39 into float32', 'float32', 1e39],
  ] as const)('copyInto %s is refused (never a silent 0 label or Infinity) and writes nothing', (_l, dtype, v) => {
    const dst = T.tensor([7, 8], { dtype });
    refuses(() => T.copyInto(dst, T.tensor([1, v])), 'INVALID_ARGUMENT', 'src[1]');
    expect(flat(dst)).toEqual([7, 8]);
  });
  it.each([
    ['a number', 5],
    ['an array', [1, 2]],
    ['null', null],
  ])('copyInto with src = %s names the argument (not a TypeError)', (_l, v) => {
    refuses(() => T.copyInto(T.tensor([1, 2]), v as never), 'INVALID_ARGUMENT', /^copyInto: src is/);
  });
  it('assignInPlace of another shape is SHAPE_MISMATCH (it used to write what fit)', () => {
    const dst = T.tensor([1, 2]);
    refuses(() => N.assignInPlace(dst, T.tensor([9])), 'SHAPE_MISMATCH', /^assignInPlace/);
    expect(flat(dst)).toEqual([1, 2]);
  });
  it('assignInPlace of another dtype is DTYPE (its doc says same shape and dtype)', () => {
    refuses(() => N.assignInPlace(T.tensor([1, 2]), T.tensor([1, 2], { dtype: 'float32' })), 'DTYPE', /^assignInPlace/);
  });
  it('assignInPlace into a parameter while recording still works and bumps its version (loadStateDict relies on it)', () => {
    const w = A.param(T.tensor([1, 2]));
    const y = A.sum(A.mul(w, w));
    N.assignInPlace(w, T.tensor([3, 4]));
    expect(flat(w)).toEqual([3, 4]);
    refuses(() => y.backward(), 'MODIFIED_IN_PLACE');
  });
});

describe('modules', () => {
  it('Linear.forward takes a nested array as a constant (not a TypeError)', () => {
    const lin = new N.Linear(2, 1, { init: 'zeros' });
    N.assignInPlace(lin.parameters()[0], T.tensor([[2, -1]]));
    expectClose(lin.forward([[3, 4]] as never), [2]);
  });
  it('Linear.forward of a string names the argument', () => {
    refuses(() => new N.Linear(2, 1).forward('x' as never), 'INVALID_ARGUMENT', /^Linear.forward: x is/);
  });
  it.each([
    ["strict: 'no'", { strict: 'no' }, "'strict'"],
    ['a misspelt option', { strcit: false }, "'strict'"],
    ['options null', null, 'null'],
  ])('loadStateDict with %s is INVALID_OPTION and loads nothing', (_l, opts, frag) => {
    const m = new N.MLP([2, 2], { rng: new T.Rng(0) });
    const before = flat(m.parameters()[0]);
    const sd = m.stateDict();
    sd['0.weight'] = T.zeros([2, 2]);
    delete sd['0.bias'];
    refuses(() => m.loadStateDict(sd, opts as never), 'INVALID_OPTION', frag);
    expect(flat(m.parameters()[0])).toEqual(before);
  });
});

describe('safetensors containers', () => {
  it('toSafetensors(a Map) is refused: it used to write a file with no tensors', () => {
    refuses(() => N.toSafetensors(new Map([['w', T.tensor([1])]]) as never), 'INVALID_ARGUMENT', 'Map', 'Object.fromEntries');
  });
  it('toSafetensors(a class instance with getters) is refused: Object.entries sees none of them', () => {
    class Weights {
      get w(): T.Tensor {
        return T.tensor([1]);
      }
    }
    refuses(() => N.toSafetensors(new Weights() as never), 'INVALID_ARGUMENT', 'Weights');
  });
  it("a tensor named '__proto__' (own property) is written and read back under that name", () => {
    const d: Record<string, T.Tensor> = {};
    Object.defineProperty(d, '__proto__', { value: T.tensor([7]), enumerable: true });
    const back = N.fromSafetensors(N.toSafetensors(d));
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(flat(back['__proto__'])).toEqual([7]);
  });
  it('a null-prototype object of tensors is a plain object too', () => {
    const d = Object.create(null) as Record<string, T.Tensor>;
    d.a = T.tensor([1, 2]);
    expect(flat(N.fromSafetensors(N.toSafetensors(d)).a)).toEqual([1, 2]);
  });
  it('a file whose tensor has 40 axes is refused (xent tensors have at most 32)', () => {
    const header = JSON.stringify({ a: { dtype: 'F64', shape: new Array(40).fill(1), data_offsets: [0, 8] } });
    const json = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + json.length + 8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    refuses(() => N.fromSafetensors(bytes), 'INVALID_ARGUMENT', '40 axes', '32');
  });
});
