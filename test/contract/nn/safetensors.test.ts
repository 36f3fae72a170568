// Contract (issue 12, packages/nn/README.md): toSafetensors / fromSafetensors / safetensorsMetadata against the
// published safetensors format, read and written by our own minimal parser and writer (./ref.ts): an 8-byte
// little-endian header length, a JSON header padded with spaces to 8 bytes (dtype F64/F32/I32, shape,
// data_offsets, optional __metadata__ of strings), the data tiled with no gap, every tensor aligned to its
// element size, values little-endian and byte-exact. Malformed files are an XentError, never a partial load.
import { describe, expect, it } from 'vitest';
import { fromFlat, tensor, type Tensor } from '@xent/tensor';
import { fromSafetensors, safetensorsMetadata, toSafetensors } from '@xent/nn';
import { makeRandom } from '../random.js';
import { WIDTH, expectXentError, flatOf, parseSafetensors, withHeaderLength, writeSafetensors, type RawTensor } from './ref.js';

const f64 = (data: number[], shape: number[]): Tensor => fromFlat(Float64Array.from(data), shape);

describe('toSafetensors writes the published format', () => {
  const rnd = makeRandom(1);
  const dict: Record<string, Tensor> = {
    'layer.weight': f64(
      Array.from({ length: 6 }, () => rnd() - 0.5),
      [2, 3],
    ),
    'layer.bias': tensor(Float32Array.from([1.5, -2.25])),
    steps: tensor(Int32Array.from([7, -3, 2147483647])),
    scalarish: f64([Math.PI], [1, 1]),
  };
  const bytes = toSafetensors(dict, { epoch: '3', note: 'ünïcødé ✓' });
  const file = parseSafetensors(bytes);

  it('header length little-endian, the header padded to a multiple of 8, valid JSON starting with {', () => {
    expect(file.headerLength % 8).toBe(0);
    expect(8 + file.headerLength).toBeLessThanOrEqual(bytes.length);
    expect(bytes[8]).toBe('{'.charCodeAt(0));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + file.headerLength));
    expect(text.trimEnd().endsWith('}')).toBe(true);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/); // padding is spaces
  });

  it('names in the order given, with their dtype codes and shapes', () => {
    expect(file.keys).toEqual(['layer.weight', 'layer.bias', 'steps', 'scalarish']);
    expect(file.entries['layer.weight']).toMatchObject({ dtype: 'F64', shape: [2, 3] });
    expect(file.entries['layer.bias']).toMatchObject({ dtype: 'F32', shape: [2] });
    expect(file.entries['steps']).toMatchObject({ dtype: 'I32', shape: [3] });
    expect(file.entries['scalarish']).toMatchObject({ dtype: 'F64', shape: [1, 1] });
  });

  it('__metadata__ holds the string metadata', () => {
    expect(file.metadata).toEqual({ epoch: '3', note: 'ünïcødé ✓' });
  });

  it('data_offsets tile the data exactly, each tensor aligned to its element size, 8-byte dtypes first', () => {
    const spans = file.keys.map((k) => ({ k, e: file.entries[k]! })).sort((a, b) => a.e.data_offsets[0] - b.e.data_offsets[0]);
    let at = 0;
    for (const { e } of spans) {
      const w = WIDTH[e.dtype]!;
      expect(e.data_offsets[0]).toBe(at);
      expect(e.data_offsets[1] - e.data_offsets[0]).toBe(w * e.shape.reduce((a, b) => a * b, 1));
      expect((file.dataStart + e.data_offsets[0]) % w).toBe(0);
      at = e.data_offsets[1];
    }
    expect(file.dataStart + at).toBe(bytes.length);
    const order = spans.map((s) => s.e.dtype);
    expect(order.lastIndexOf('F64')).toBeLessThan(Math.min(order.indexOf('F32'), order.indexOf('I32')));
  });

  it('the values, read little-endian by our parser, are the tensors’ values', () => {
    for (const [k, t] of Object.entries(dict)) expect(file.values[k]).toEqual(flatOf(t));
  });

  it('a non-contiguous tensor (a transposed view) is written row-major', () => {
    const t = f64([1, 2, 3, 4, 5, 6], [2, 3]).transpose();
    const f = parseSafetensors(toSafetensors({ t }));
    expect(f.entries['t']!.shape).toEqual([3, 2]);
    expect(f.values['t']).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('no metadata: no __metadata__ (or an empty one), and safetensorsMetadata gives {}', () => {
    const b = toSafetensors({ a: f64([1], [1]) });
    const m = parseSafetensors(b).metadata;
    expect(m === undefined || Object.keys(m).length === 0).toBe(true);
    expect(safetensorsMetadata(b)).toEqual({});
  });
});

describe('values survive byte for byte', () => {
  it('−0, subnormals, ±Infinity, NaN payloads and extremes in F64; the same in F32', () => {
    const specials = [-0, 0, 5e-324, -2.2250738585072014e-308, Number.MAX_VALUE, -Infinity, Infinity, NaN, 1 / 3];
    const nanPayload = new Float64Array(1);
    new DataView(nanPayload.buffer).setBigUint64(0, 0x7ff4000000000abcn, true);
    const data = Float64Array.from([...specials, nanPayload[0]!]);
    const bytes = toSafetensors({ x: fromFlat(data, [data.length]) });
    const f = parseSafetensors(bytes);
    // compare raw bytes of the data section with the input's own little-endian bytes
    const raw = bytes.subarray(f.dataStart + f.entries['x']!.data_offsets[0], f.dataStart + f.entries['x']!.data_offsets[1]);
    const expected = new Uint8Array(data.length * 8);
    data.forEach((v, i) => new DataView(expected.buffer).setFloat64(i * 8, v, true));
    expect(Array.from(raw)).toEqual(Array.from(expected));
    // and back through fromSafetensors
    const back = fromSafetensors(bytes)['x']!;
    expect(back.dtype).toBe('float64');
    const again = toSafetensors({ x: back });
    expect(Array.from(again)).toEqual(Array.from(bytes));
    const f32 = Float32Array.from([-0, 1e-45, -Infinity, NaN, 3.4028234663852886e38]);
    const b32 = fromSafetensors(toSafetensors({ y: fromFlat(f32, [5]) }))['y']!;
    expect(b32.dtype).toBe('float32');
    flatOf(b32).forEach((v, i) => expect(Object.is(v, f32[i]!)).toBe(true));
    // float32 NaN payloads (a signalling one and a negative quiet one) survive write → read → write byte for byte
    const nan32 = new Float32Array(2);
    new DataView(nan32.buffer).setUint32(0, 0x7fa00001, true);
    new DataView(nan32.buffer).setUint32(4, 0xffc00123, true);
    const w32 = toSafetensors({ n: fromFlat(nan32, [2]) });
    expect(Array.from(w32.subarray(w32.length - 8))).toEqual(Array.from(new Uint8Array(nan32.buffer)));
    expect(Array.from(toSafetensors({ n: fromSafetensors(w32)['n']! }))).toEqual(Array.from(w32));
  });
});

describe('fromSafetensors reads files written by our own writer', () => {
  it('F64, F32, I32 with their dtypes, shapes and values, in header order', () => {
    const rnd = makeRandom(2);
    const w = Array.from({ length: 12 }, () => rnd() * 10 - 5);
    const tensors: Record<string, RawTensor> = {
      b: { dtype: 'F64', shape: [3, 4], data: w },
      a: { dtype: 'F32', shape: [2, 2], data: [0.5, -0.25, 8, 1e-3].map(Math.fround) },
      c: { dtype: 'I32', shape: [2], data: [-7, 123456] },
    };
    const bytes = writeSafetensors(tensors, { metadata: { format: 'pt' } });
    const got = fromSafetensors(bytes);
    expect(Object.keys(got)).toEqual(['b', 'a', 'c']);
    expect([got['b']!.dtype, got['a']!.dtype, got['c']!.dtype]).toEqual(['float64', 'float32', 'int32']);
    expect(got['b']!.shape).toEqual([3, 4]);
    expect(flatOf(got['b']!)).toEqual(w);
    expect(flatOf(got['a']!)).toEqual(tensors['a']!.data);
    expect(flatOf(got['c']!)).toEqual([-7, 123456]);
    expect(safetensorsMetadata(bytes)).toEqual({ format: 'pt' });
  });

  it('each tensor has its own copy of the data: writing the file bytes afterwards changes nothing', () => {
    const bytes = writeSafetensors({ a: { dtype: 'F64', shape: [2], data: [1, 2] } });
    const got = fromSafetensors(bytes)['a']!;
    bytes.fill(0, bytes.length - 16);
    expect(flatOf(got)).toEqual([1, 2]);
  });

  it('a file at an unaligned offset inside a larger buffer reads the same', () => {
    const bytes = writeSafetensors({ a: { dtype: 'F64', shape: [3], data: [1.25, -2, 3e100] } });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(flatOf(fromSafetensors(big.subarray(3))['a']!)).toEqual([1.25, -2, 3e100]);
  });
});

describe('malformed files are an XentError', () => {
  const okTensors: Record<string, RawTensor> = {
    w: { dtype: 'F64', shape: [2, 2], data: [1, 2, 3, 4] },
    b: { dtype: 'F64', shape: [2], data: [5, 6] },
  };
  const good = writeSafetensors(okTensors);
  const n = Number(new DataView(good.buffer).getBigUint64(0, true));
  const header = (edit: (h: Record<string, unknown>) => void) =>
    writeSafetensors(okTensors, {
      headerText: (t) => {
        const h = JSON.parse(t) as Record<string, unknown>;
        edit(h);
        return JSON.stringify(h);
      },
    });
  const entry = (h: Record<string, unknown>, k: string) => h[k] as Record<string, unknown>;
  const enc = new TextEncoder();
  const rawHeader = (text: string, data = new Uint8Array(48)) => {
    const hb = enc.encode(text);
    const out = new Uint8Array(8 + hb.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
    out.set(hb, 8);
    out.set(data, 8 + hb.length);
    return out;
  };

  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['shorter than the 8-byte length', good.subarray(0, 5)],
    ['header length past the end', withHeaderLength(good, BigInt(good.length))],
    ['header length 2^64 − 1', withHeaderLength(good, 0xffffffffffffffffn)],
    ['header length 0', withHeaderLength(good, 0n)],
    ['truncated data (last 8 bytes cut)', good.subarray(0, good.length - 8)],
    ['truncated inside the header', good.subarray(0, 8 + Math.floor(n / 2))],
    ['trailing bytes after the last tensor', (() => { const b = new Uint8Array(good.length + 8); b.set(good); return b; })()],
    ['header not starting with {', rawHeader('[1, 2]  ')],
    ['header not JSON', rawHeader('{"w": {"dtype": "F64",')],
    ['header not UTF-8', rawHeader('{"w":1}').map((v, i) => (i === 10 ? 0xff : v))],
    ['unknown dtype', header((h) => (entry(h, 'w')['dtype'] = 'Q64'))],
    ['a dtype xent does not read (BF16)', header((h) => (entry(h, 'b')['dtype'] = 'BF16'))],
    ['shape not an array', header((h) => (entry(h, 'w')['shape'] = 4))],
    ['negative dimension', header((h) => (entry(h, 'b')['shape'] = [-2]))],
    ['fractional dimension', header((h) => (entry(h, 'b')['shape'] = [2.5]))],
    ['shape disagrees with the byte length', header((h) => (entry(h, 'w')['shape'] = [2, 3]))],
    ['data_offsets of length 1', header((h) => (entry(h, 'w')['data_offsets'] = [0]))],
    ['data_offsets end before begin', header((h) => (entry(h, 'b')['data_offsets'] = [48, 32]))],
    ['data_offsets past the data', header((h) => (entry(h, 'b')['data_offsets'] = [40, 56]))],
    ['overlapping tensors', header((h) => (entry(h, 'b')['data_offsets'] = [16, 32]))],
    ['a gap between tensors', header((h) => { entry(h, 'w')['data_offsets'] = [16, 48]; entry(h, 'b')['data_offsets'] = [0, 0]; entry(h, 'b')['shape'] = [0]; entry(h, 'w')['shape'] = [2, 2]; })],
    ['a tensor entry that is not an object', header((h) => (h['b'] = 'F64'))],
    ['a missing dtype', header((h) => delete entry(h, 'w')['dtype'])],
    ['metadata with a number value', header((h) => (h['__metadata__'] = { epoch: 3 }))],
    ['metadata not an object', header((h) => (h['__metadata__'] = 'epoch=3'))],
    ['a name given twice', rawHeader(`{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"w":{"dtype":"F64","shape":[2],"data_offsets":[16,32]}}`, new Uint8Array(32))],
  ]; // prettier-ignore

  it.each(cases)('%s', (_, bytes) => {
    expectXentError(() => fromSafetensors(bytes));
    expectXentError(() => safetensorsMetadata(bytes));
  });

  it('the good file the cases start from does load (so each case fails for its own reason)', () => {
    expect(flatOf(fromSafetensors(good)['b']!)).toEqual([5, 6]);
  });

  it('the writer refuses non-string metadata and lone surrogates in names', () => {
    expectXentError(() => toSafetensors({ a: tensor([1]) }, { epoch: 3 } as unknown as Record<string, string>));
    expectXentError(() => toSafetensors({ ['bad\ud800']: tensor([1]) }));
  });
});
