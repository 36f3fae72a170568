// Contract (issue 12, packages/nn/README.md, and the project rule "bad input is an XentError, a failed call modifies
// nothing"): the edges — views and odd names in state dicts and files, files the published format allows that
// xent did not write itself, and bad constructor arguments.
import { describe, expect, it } from 'vitest';
import { Rng, broadcastTo, fromFlat, tensor, zeros, type Tensor } from '@xent/tensor';
import { sum } from '@xent/autograd';
import { Linear, MLP, Sequential, fromSafetensors, safetensorsMetadata, toSafetensors, withParameters, type StateDict } from '@xent/nn';
import { expectXentError, flatOf, parseSafetensors, writeSafetensors } from './ref.js';

describe('views in state dicts and files are read row-major', () => {
  it('loadStateDict takes a transposed view and a broadcast view for their logical values', () => {
    const l = new Linear(2, 3);
    const wT = fromFlat(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(); // logical [[1, 4], [2, 5], [3, 6]]
    l.loadStateDict({ weight: wT, bias: broadcastTo(tensor([7]), [3]) });
    expect(flatOf(l.weight)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(flatOf(l.bias!)).toEqual([7, 7, 7]);
  });

  it('toSafetensors writes a broadcast view as its full logical values', () => {
    const f = parseSafetensors(toSafetensors({ b: broadcastTo(tensor([[1], [2]]), [2, 3]) }));
    expect(f.entries['b']!.shape).toEqual([2, 3]);
    expect(f.values['b']).toEqual([1, 1, 1, 2, 2, 2]);
  });
});

describe('names that are also Object.prototype members', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a tensor named %s round-trips as an own key', (name) => {
    const dict: Record<string, Tensor> = {};
    Object.defineProperty(dict, name, { value: tensor([1, 2]), enumerable: true, configurable: true, writable: true });
    const bytes = toSafetensors(dict);
    expect(parseSafetensors(bytes).keys).toEqual([name]);
    const back = fromSafetensors(bytes);
    expect(Object.keys(back)).toEqual([name]);
    expect(Object.getPrototypeOf(back)).not.toBe(back[name]);
    expect(flatOf(Object.getOwnPropertyDescriptor(back, name)!.value as Tensor)).toEqual([1, 2]);
  });

  it('metadata keyed __proto__ round-trips as an own key', () => {
    const meta: Record<string, string> = {};
    Object.defineProperty(meta, '__proto__', { value: 'x', enumerable: true, configurable: true, writable: true });
    const bytes = toSafetensors({ a: tensor([1]) }, meta);
    const back = safetensorsMetadata(bytes);
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')!.value).toBe('x');
  });

  it('a tensor may not be named __metadata__ (the file would be unreadable)', () => {
    expectXentError(() => toSafetensors({ __metadata__: tensor([1]) }));
  });
});

describe('well-formed Unicode in names and metadata, writing and reading (PyTorch refuses lone surrogates)', () => {
  it('the writer refuses a lone surrogate in a metadata key and in a value — also a high one ending the key before a low one starting the value', () => {
    expectXentError(() => toSafetensors({ a: tensor([1]) }, { ['k\ud800']: 'v' }));
    expectXentError(() => toSafetensors({ a: tensor([1]) }, { k: '\udc00v' }));
    expectXentError(() => toSafetensors({ a: tensor([1]) }, { ['k\ud800']: '\udc00v' }));
    // a well-formed pair inside one string is fine
    expect(safetensorsMetadata(toSafetensors({ a: tensor([1]) }, { ['k\ud83d\ude00']: 'v\ud83d\ude00' }))).toEqual({
      ['k\ud83d\ude00']: 'v\ud83d\ude00',
    });
  });

  const escaped = (edit: (t: string) => string) => writeSafetensors({ a: { dtype: 'F64', shape: [1], data: [1] } }, { headerText: edit });
  it.each([
    ['a tensor name', escaped((t) => t.replace('"a"', '"a\\ud800"'))],
    ['a metadata value', escaped((t) => t.replace('{', '{"__metadata__":{"k":"\\udc00"},'))],
    ['a metadata key and value that pair up only when joined', escaped((t) => t.replace('{', '{"__metadata__":{"k\\ud800":"\\udc00"},'))],
  ])('the reader refuses a JSON-escaped lone surrogate in %s', (_, bytes) => {
    expectXentError(() => fromSafetensors(bytes));
  });
});

describe('files the published format allows, written by others', () => {
  it('a header not padded to 8 bytes', () => {
    const bytes = writeSafetensors(
      { a: { dtype: 'F32', shape: [3], data: [1, 2, 3] } },
      { pad: false, headerText: (t) => t + ' '.repeat((8 + 3 - (t.length % 8)) % 8) },
    );
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).not.toBe(0);
    expect(flatOf(fromSafetensors(bytes)['a']!)).toEqual([1, 2, 3]);
  });

  it('data laid out in another order than the header (the reference writer sorts by dtype, then name)', () => {
    const bytes = writeSafetensors({ z: { dtype: 'F64', shape: [1], data: [9] }, a: { dtype: 'F64', shape: [2], data: [1, 2] } });
    const got = fromSafetensors(bytes);
    expect(flatOf(got['z']!)).toEqual([9]);
    expect(flatOf(got['a']!)).toEqual([1, 2]);
    // header lists a first, data holds z first
    const swapped = writeSafetensors(
      { z: { dtype: 'F64', shape: [1], data: [9] }, a: { dtype: 'F64', shape: [2], data: [1, 2] } },
      { headerText: (t) => { const h = JSON.parse(t) as Record<string, unknown>; return JSON.stringify({ a: h['a'], z: h['z'] }); } },
    ); // prettier-ignore
    const got2 = fromSafetensors(swapped);
    expect(Object.keys(got2)).toEqual(['a', 'z']);
    expect(flatOf(got2['a']!)).toEqual([1, 2]);
  });

  it('a scalar (shape []) and an empty tensor (shape [0, 3]) read with their shapes', () => {
    const bytes = writeSafetensors({ s: { dtype: 'F64', shape: [], data: [2.5] }, e: { dtype: 'F32', shape: [0, 3], data: [] } });
    const got = fromSafetensors(bytes);
    expect(got['s']!.shape).toEqual([]);
    expect(got['s']!.item()).toBe(2.5);
    expect(got['e']!.shape).toEqual([0, 3]);
    expect(got['e']!.size).toBe(0);
  });

  it('an empty file {} (no tensors) reads as {}', () => {
    const bytes = writeSafetensors({});
    expect(fromSafetensors(bytes)).toEqual({});
    expect(safetensorsMetadata(bytes)).toEqual({});
  });

  it('a header whose JSON has spaces and newlines inside', () => {
    const bytes = writeSafetensors(
      { a: { dtype: 'I32', shape: [2], data: [4, -4] } },
      { headerText: (t) => JSON.stringify(JSON.parse(t), null, 2) },
    );
    expect(flatOf(fromSafetensors(bytes)['a']!)).toEqual([4, -4]);
  });
});

describe('more malformed offsets and shapes', () => {
  const base = { a: { dtype: 'F64' as const, shape: [2], data: [1, 2] } };
  const edit = (f: (e: Record<string, unknown>) => void) =>
    writeSafetensors(base, { headerText: (t) => { const h = JSON.parse(t) as Record<string, Record<string, unknown>>; f(h['a']!); return JSON.stringify(h); } }); // prettier-ignore
  it.each([
    ['offsets as strings', edit((e) => (e['data_offsets'] = ['0', '16']))],
    ['fractional offsets', edit((e) => (e['data_offsets'] = [0, 15.5]))],
    ['negative offsets', edit((e) => (e['data_offsets'] = [-16, 0]))],
    ['a shape of 2^53 elements', edit((e) => (e['shape'] = [2 ** 26, 2 ** 27]))],
    ['a shape with a string', edit((e) => (e['shape'] = ['2']))],
    ['dtype in lower case', edit((e) => (e['dtype'] = 'f64'))],
  ])('%s', (_, bytes) => {
    expectXentError(() => fromSafetensors(bytes));
  });
});

describe('bad arguments are an XentError', () => {
  it.each([
    ['Linear(0, 3)', () => new Linear(0, 3)],
    ['Linear(2.5, 3)', () => new Linear(2.5, 3)],
    ['Linear(3, -1)', () => new Linear(3, -1)],
    ['Linear(NaN, 2)', () => new Linear(NaN, 2)],
    ["Linear init 'xavier'", () => new Linear(2, 2, { init: 'xavier' as 'zeros' })],
    ["Linear dtype 'int32'", () => new Linear(2, 2, { dtype: 'int32' as 'float64' })],
    ['Linear init of the wrong shape', () => new Linear(2, 3, { init: () => zeros([2, 3]) })],
    ['MLP([3]) (one size)', () => new MLP([3])],
    ['MLP([])', () => new MLP([])],
    ["MLP activation 'gelu'", () => new MLP([2, 2], { activation: 'gelu' as 'relu' })],
    ['Sequential(a non-module)', () => new Sequential({} as Linear)],
  ])('%s', (_, make) => {
    expectXentError(make);
  });

  it('Linear.forward with the wrong number of input features', () => {
    const l = new Linear(3, 2);
    expectXentError(() => l.forward(zeros([4, 5])));
  });

  it('withParameters with the wrong count or shapes refuses and leaves the module as it was; a throwing fn restores it', () => {
    const m = new MLP([2, 3, 1], { rng: new Rng(0) });
    const own = m.parameters();
    const vals = own.map(flatOf);
    expectXentError(() => withParameters(m, own.slice(1), () => sum(m.forward(zeros([1, 2])))));
    expectXentError(() => withParameters(m, [zeros([2, 3]), ...own.slice(1)], () => sum(m.forward(zeros([1, 2])))));
    expect(() =>
      withParameters(
        m,
        own.map((p) => zeros([...p.shape])),
        () => {
          throw new Error('inside');
        },
      ),
    ).toThrow('inside');
    m.parameters().forEach((p, i) => {
      expect(p).toBe(own[i]);
      expect(flatOf(p)).toEqual(vals[i]);
    });
  });

  it('a state dict with inherited (non-own) entries is not a plain object: refused', () => {
    const m = new Linear(1, 1);
    const proto = { weight: tensor([[3]]), bias: tensor([4]) };
    expectXentError(() => m.loadStateDict(Object.create(proto) as StateDict));
    expect(flatOf(m.bias!)).toEqual([0]);
  });
});
