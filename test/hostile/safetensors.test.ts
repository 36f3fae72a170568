// Hostile safetensors files and tensor dicts: headers that JSON.parse accepts
// but the format forbids (a name twice, a byte-order mark), files other readers
// write (null metadata), values whose bits must survive a round trip (NaN
// payloads, −0, subnormals, ±Infinity), names PyTorch's loader cannot read
// (lone surrogates), containers that would be read as empty, and the layout
// the reference writer produces (every tensor aligned to its element size).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as T from '@xent/tensor';
import * as N from '@xent/nn';
import { refuses, refusesOr } from './helpers.js';

const enc = new TextEncoder();

/** A file from raw header text (padded with spaces to 8 bytes) and data bytes. */
function file(text: string, data: ArrayLike<number> = []): Uint8Array {
  while ((enc.encode(text).length + 8) % 8 !== 0) text += ' ';
  const h = enc.encode(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(Array.from(data), 8 + h.length);
  return out;
}
const f64 = (xs: number[]) => new Uint8Array(Float64Array.from(xs).buffer);
const entry = (dtype: string, shape: number[], a: number, b: number) => JSON.stringify({ dtype, shape, data_offsets: [a, b] });

/** The bit patterns of a typed array, as hex strings. */
function bits(a: Float64Array | Float32Array): string[] {
  const words = a instanceof Float64Array ? new BigUint64Array(a.slice().buffer) : new Uint32Array(a.slice().buffer);
  return Array.from(words, (w: bigint | number) => w.toString(16));
}

describe('safetensors headers the format forbids', () => {
  it('a name twice is refused (JSON.parse kept the last copy: [1] F64 became [2] F32)', () => {
    const text = `{"a":${entry('F64', [1], 0, 8)},"a":${entry('F32', [2], 0, 8)}}`;
    refuses(() => N.fromSafetensors(file(text, f64([1]))), 'INVALID_ARGUMENT', /^fromSafetensors/, '"a" twice');
  });
  it('a name twice with identical entries is refused too', () => {
    const text = `{"a":${entry('F64', [1], 0, 8)},"a":${entry('F64', [1], 0, 8)}}`;
    refuses(() => N.fromSafetensors(file(text, f64([1]))), 'INVALID_ARGUMENT', 'twice');
  });
  it('a name spelt two ways (an escape) is still the same name', () => {
    const text = `{"a":${entry('F64', [1], 0, 8)},"\\u0061":${entry('F64', [1], 0, 8)}}`;
    refuses(() => N.fromSafetensors(file(text, f64([1]))), 'INVALID_ARGUMENT', '"a" twice');
  });
  it('a field twice inside an entry is refused (dtype F64 then F32)', () => {
    const text = '{"a":{"dtype":"F64","dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    refuses(() => N.fromSafetensors(file(text, f64([1]))), 'INVALID_ARGUMENT', '"dtype" twice');
  });
  it('__metadata__ twice is refused', () => {
    refuses(() => N.safetensorsMetadata(file('{"__metadata__":{"k":"1"},"__metadata__":{"k":"2"}}')), 'INVALID_ARGUMENT', 'twice');
  });
  it('the same name in two different objects is fine, and so are names inside strings', () => {
    const text = `{"__metadata__":{"a":"{\\"a\\":1,\\"a\\":2}"},"a":${entry('F64', [1], 0, 8)},"b":${entry('F64', [0], 8, 8)}}`;
    const { tensors, metadata } = N.readSafetensors(file(text, f64([5])));
    expect(Array.from(tensors.a.values())).toEqual([5]);
    expect(metadata).toEqual({ a: '{"a":1,"a":2}' });
  });
  it('a header that starts with a byte-order mark is refused (the header must begin with "{")', () => {
    refuses(() => N.fromSafetensors(file('\ufeff{}')), 'INVALID_ARGUMENT', "starting with '{'");
  });
  it('"__metadata__": null reads as no metadata, as the reference reader does', () => {
    const b = file(`{"__metadata__":null,"a":${entry('F64', [1], 0, 8)}}`, f64([2]));
    expect(N.safetensorsMetadata(b)).toEqual({});
    expect(Array.from(N.fromSafetensors(b).a.values())).toEqual([2]);
  });
});

describe('safetensors round trips are bit-exact', () => {
  it('float32 signalling NaNs keep their payload (they were quietened: 7f800001 → 7fc00001)', () => {
    const a = new Float32Array(new Uint32Array([0x7f800001, 0xffc00123, 0x7fa00000, 0x00000001, 0x80000000, 0xff800000]).buffer);
    const back = N.fromSafetensors(N.toSafetensors({ a: T.tensor(a) })).a;
    expect(bits(back.values() as Float32Array)).toEqual(bits(a));
  });
  it('float32 NaN payloads written by another writer are read as they are', () => {
    const a = new Float32Array(new Uint32Array([0x7f800001, 0x7fa00000]).buffer);
    const t = N.fromSafetensors(file(`{"a":${entry('F32', [2], 0, 8)}}`, new Uint8Array(a.buffer))).a;
    expect(bits(t.values() as Float32Array)).toEqual(bits(a));
  });
  it('float64 NaN payloads, −0, subnormals and ±Infinity', () => {
    const words = [
      0x7ff0000000000001n,
      0xfff8000000000123n,
      0x8000000000000000n,
      0x0000000000000001n,
      0x7ff0000000000000n,
      0xfff0000000000000n,
    ];
    const a = new Float64Array(new BigUint64Array(words).buffer);
    const back = N.fromSafetensors(N.toSafetensors({ a: T.tensor(a) })).a;
    expect(bits(back.values() as Float64Array)).toEqual(bits(a));
  });
  it('int32 extremes', () => {
    const back = N.fromSafetensors(N.toSafetensors({ a: T.tensor([-(2 ** 31), 2 ** 31 - 1, 0, -1], { dtype: 'int32' }) })).a;
    expect(Array.from(back.values())).toEqual([-(2 ** 31), 2 ** 31 - 1, 0, -1]);
  });
});

describe('safetensors files PyTorch can read', () => {
  it('every tensor is aligned to its element size, 8-byte dtypes first (a float64 after one float32 started at byte 4)', () => {
    const bytes = N.toSafetensors({ b: T.tensor([1], { dtype: 'float32' }), w: T.tensor([2, 3]), i: T.tensor([7], { dtype: 'int32' }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(Object.keys(header)).toEqual(['b', 'w', 'i']); // the state dict's order
    expect(header.w.data_offsets).toEqual([0, 16]);
    expect(header.b.data_offsets).toEqual([16, 20]);
    expect(header.i.data_offsets).toEqual([20, 24]);
    const back = N.fromSafetensors(bytes);
    expect(Object.keys(back)).toEqual(['b', 'w', 'i']);
    expect([...back.b.values(), ...back.w.values(), ...back.i.values()]).toEqual([1, 2, 3, 7]);
  });
  it.each([
    ['a lone high surrogate', 'w\ud800'],
    ['a lone low surrogate', '\udc00w'],
  ])('a tensor name with %s is refused (serde_json refuses the file)', (_l, name) => {
    refuses(() => N.toSafetensors({ [name]: T.tensor([1]) }), 'INVALID_ARGUMENT', /^toSafetensors/, 'surrogate');
  });
  it('metadata with a lone surrogate (key or value) is refused', () => {
    refuses(() => N.toSafetensors({ a: T.tensor([1]) }, { k: '\udc00' }), 'INVALID_ARGUMENT', 'surrogate');
    refuses(() => N.toSafetensors({ a: T.tensor([1]) }, { ['\ud800']: 'v' }), 'INVALID_ARGUMENT', 'surrogate');
  });
  it('names with emoji (surrogate pairs), quotes, backslashes, NUL and newlines round-trip', () => {
    const names = ['w😀', 'a"b', 'c\\d', 'e\u0000f', 'g\nh', ' ', '__metadata'];
    const d = Object.fromEntries(names.map((k, i) => [k, T.tensor([i])]));
    const back = N.fromSafetensors(N.toSafetensors(d));
    expect(Object.keys(back)).toEqual(names);
    names.forEach((k, i) => expect(Array.from(back[k].values())).toEqual([i]));
  });
});

describe('safetensors containers', () => {
  it('metadata given as a Map is refused (it was written as no metadata)', () => {
    refuses(() => N.toSafetensors({ a: T.tensor([1]) }, new Map([['epoch', '3']]) as never), 'INVALID_ARGUMENT', 'Map');
  });
  it('metadata given as a class with getters is refused (it was written as no metadata)', () => {
    class Meta {
      get epoch(): string {
        return '3';
      }
    }
    refuses(() => N.toSafetensors({ a: T.tensor([1]) }, new Meta() as never), 'INVALID_ARGUMENT', 'Meta');
  });
  it('metadata given as an array is refused (it was written as { "0": … })', () => {
    refuses(() => N.toSafetensors({ a: T.tensor([1]) }, ['x'] as never), 'INVALID_ARGUMENT', 'array');
  });
});

describe('safetensors limits', () => {
  it('a header larger than readers accept is refused when writing (the file could not be read back)', () => {
    const big = 'a'.repeat(N.MAX_HEADER_BYTES);
    refuses(() => N.toSafetensors({ a: T.tensor([1]) }, { note: big }), 'INVALID_ARGUMENT', /^toSafetensors: the header would be/);
  });
});

describe('safetensors errors name the function called', () => {
  const bad = new Uint8Array(3);
  it.each([
    ['fromSafetensors', () => N.fromSafetensors(bad)],
    ['safetensorsMetadata', () => N.safetensorsMetadata(bad)],
    ['readSafetensors', () => N.readSafetensors(bad)],
    ['unpackCheckpoint', () => N.unpackCheckpoint(bad, { model: new N.Linear(1, 1) })],
  ])('%s (they all said fromSafetensors)', (name, f) => {
    refuses(f, 'INVALID_ARGUMENT', new RegExp(`^${name}: the file has 3 bytes`));
  });
});

describe('every refusal of a corrupt file says what to do', () => {
  const good = N.toSafetensors(
    { w: T.tensor([[1, 2]]), b: T.tensor([3], { dtype: 'float32' }), i: T.tensor([4], { dtype: 'int32' }) },
    { epoch: '1' },
  );
  it('each truncation (the messages said "it is truncated" with no fix)', () => {
    for (let k = 0; k < good.length; k++) refuses(() => N.fromSafetensors(good.slice(0, k)), 'INVALID_ARGUMENT', /^fromSafetensors: /);
  });
  it('random byte changes: a parse or a refusal with a fix', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 3 }), (flips) => {
        const b = good.slice();
        for (const [i, v] of flips) b[i] = v;
        refusesOr(
          () => N.fromSafetensors(b),
          (out) => expect(Object.values(out as object).every((t) => t instanceof T.Tensor)).toBe(true),
        );
      }),
    );
  });
});

describe('safetensors headers: numbers, order and __metadata__', () => {
  it('offsets out of header order are read by offset (the tiling is what the format requires)', () => {
    const t = N.fromSafetensors(file(`{"b":${entry('F64', [1], 8, 16)},"a":${entry('F64', [1], 0, 8)}}`, f64([1, 2])));
    expect(Object.keys(t)).toEqual(['b', 'a']);
    expect([...t.a.values(), ...t.b.values()]).toEqual([1, 2]);
  });
  it.each([
    ['NaN', '{"a":{"dtype":"F64","shape":[NaN],"data_offsets":[0,8]}}', 'not valid JSON'],
    ['a negative size', `{"a":${entry('F64', [-1], 0, 8)}}`, 'whole numbers ≥ 0'],
    ['1e400 (Infinity)', '{"a":{"dtype":"F64","shape":[1e400],"data_offsets":[0,8]}}', 'whole numbers ≥ 0'],
    ['2^53 as an offset', `{"a":${entry('F64', [1], 2 ** 53, 2 ** 53 + 8)}}`, 'whole numbers ≥ 0'],
    ['a string size', '{"a":{"dtype":"F64","shape":["1"],"data_offsets":[0,8]}}', 'whole numbers ≥ 0'],
    ['a header length past the end', '', 'truncated'],
  ])('%s is refused, and says what to do', (label, text, frag) => {
    const bytes = label.startsWith('a header length')
      ? (() => {
          const b = file('{}');
          new DataView(b.buffer).setBigUint64(0, 1000n, true);
          return b;
        })()
      : file(text, f64([1]));
    refuses(() => N.fromSafetensors(bytes), 'INVALID_ARGUMENT', frag);
  });
  it.each([
    ['a tensor entry', `{"__metadata__":${entry('F64', [1], 0, 8)}}`],
    ['a nested object', '{"__metadata__":{"a":{"b":"c"}}}'],
    ['a number value', '{"__metadata__":{"epoch":3}}'],
    ['a string', '{"__metadata__":"x"}'],
  ])('__metadata__ that is %s is refused', (_l, text) => {
    refuses(() => N.safetensorsMetadata(file(text, text.includes('dtype') ? f64([1]) : [])), 'INVALID_ARGUMENT', '__metadata__');
  });
  it("a tensor named '__metadata__' cannot be written", () => {
    refuses(() => N.toSafetensors({ __metadata__: T.tensor([1]) }), 'INVALID_ARGUMENT', 'reserved');
  });
});
