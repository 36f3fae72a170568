// The safetensors reader and writer: round trips, a check of the written
// bytes by an independent minimal reader (Node's Buffer, no code shared with
// the implementation), and a list of malformed files that must all be refused.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tensor, XentError, tensor, transpose, zeros } from '@xent/tensor';
import { fromSafetensors, readSafetensors, safetensorsMetadata, toSafetensors } from '@xent/nn';
import { expectXentError } from '../../../test/utils.js';

const sample = () => ({
  'layer.weight': tensor(
    [
      [1.5, -2, 0.1],
      [3e-300, -0, 1e300],
    ],
    { dtype: 'float64' },
  ),
  'layer.bias': tensor([0.25, -7.5], { dtype: 'float32' }),
  labels: tensor([3, -1, 2147483647, -2147483648], { dtype: 'int32' }),
  scalar: tensor(42.125),
  empty: zeros([0, 3]),
});

/** A minimal reader written from the format description alone. */
function independentRead(bytes: Uint8Array) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(buf.readBigUInt64LE(0));
  const headerText = buf.subarray(8, 8 + n).toString('utf8');
  const header = JSON.parse(headerText) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const data = buf.subarray(8 + n);
  const out: Record<string, { dtype: string; shape: number[]; values: number[]; offsets: [number, number] }> = {};
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, end] = e.data_offsets;
    const width = e.dtype === 'F64' ? 8 : 4;
    const values: number[] = [];
    for (let p = b; p < end; p += width) {
      values.push(e.dtype === 'F64' ? data.readDoubleLE(p) : e.dtype === 'F32' ? data.readFloatLE(p) : data.readInt32LE(p));
    }
    out[name] = { dtype: e.dtype, shape: e.shape, values, offsets: e.data_offsets };
  }
  return { n, headerText, header, dataLength: data.length, tensors: out };
}

describe('toSafetensors / fromSafetensors', () => {
  it('round-trips float64, float32 and int32 tensors, scalars and empty tensors, bit for bit', () => {
    const sd = sample();
    const back = fromSafetensors(toSafetensors(sd));
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].shape).toEqual(t.shape);
      expect(Array.from(back[k].values()).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual(
        Array.from(t.values()).map((x) => (Object.is(x, -0) ? '-0' : x)),
      );
    }
  });

  it('writes a transposed (non-contiguous) tensor in row-major order', () => {
    const t = transpose(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(fromSafetensors(toSafetensors({ t })).t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('stores string metadata and returns it', () => {
    const bytes = toSafetensors({ a: tensor([1]) }, { epoch: '3', note: 'ünïcode ✓' });
    expect(safetensorsMetadata(bytes)).toEqual({ epoch: '3', note: 'ünïcode ✓' });
    expect(safetensorsMetadata(toSafetensors({ a: tensor([1]) }))).toEqual({});
  });

  it('follows the published layout, read back by an independent minimal reader', () => {
    const sd = sample();
    const bytes = toSafetensors(sd, { format: 'pt' });
    const r = independentRead(bytes);
    // Header: 8-byte length, JSON padded with spaces so the data starts at a multiple of 8.
    expect((8 + r.n) % 8).toBe(0);
    expect(r.headerText.startsWith('{')).toBe(true);
    expect(r.headerText.trimEnd().endsWith('}')).toBe(true);
    expect(/^ *$/.test(r.headerText.slice(r.headerText.trimEnd().length))).toBe(true);
    expect(r.header.__metadata__).toEqual({ format: 'pt' });
    // Names in the order given; the data back to back, 8-byte dtypes first (as the reference writer
    // orders it), each tensor aligned to its element size, covering the data exactly.
    const names = Object.keys(r.tensors);
    expect(names).toEqual(Object.keys(sd));
    const at = (k: string) => r.tensors[k].offsets;
    const byOffset = [...names].sort((a, b) => at(a)[0] - at(b)[0] || at(a)[1] - at(b)[1]);
    expect(byOffset).toEqual(['layer.weight', 'scalar', 'empty', 'layer.bias', 'labels']);
    let expected = 0;
    for (const name of byOffset) {
      const e = r.tensors[name];
      expect(e.offsets[0]).toBe(expected);
      expect(e.offsets[0] % (e.dtype === 'F64' ? 8 : 4)).toBe(0);
      expected = e.offsets[1];
    }
    expect(expected).toBe(r.dataLength);
    expect(r.tensors['layer.weight']).toMatchObject({ dtype: 'F64', shape: [2, 3], values: [1.5, -2, 0.1, 3e-300, -0, 1e300] });
    expect(r.tensors['layer.bias']).toMatchObject({ dtype: 'F32', shape: [2], values: [0.25, -7.5] });
    expect(r.tensors.labels).toMatchObject({ dtype: 'I32', shape: [4], values: [3, -1, 2147483647, -2147483648] });
    expect(r.tensors.scalar).toMatchObject({ dtype: 'F64', shape: [], values: [42.125] });
    expect(r.tensors.empty).toMatchObject({ dtype: 'F64', shape: [0, 3], values: [] });
  });

  it('writes the exact bytes for a one-value file', () => {
    // {"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}} is 54 bytes, padded to 56; 1.5 is 0x3FF8000000000000.
    const bytes = toSafetensors({ x: tensor([1.5]) });
    const json = '{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}';
    const expected = [56, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from(json + '  '), 0, 0, 0, 0, 0, 0, 0xf8, 0x3f];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('writes non-enumerable entries and metadata too, and refuses symbol keys (Object.entries skipped both silently)', () => {
    const tensors = { a: tensor([1]) };
    Object.defineProperty(tensors, 'b', { value: tensor([2, 3]) });
    const metadata = { epoch: '3' };
    Object.defineProperty(metadata, 'note', { value: 'hidden' });
    const bytes = toSafetensors(tensors, metadata);
    const back = fromSafetensors(bytes);
    expect(Object.keys(back)).toEqual(['a', 'b']);
    expect(back.b.toArray()).toEqual([2, 3]);
    expect(safetensorsMetadata(bytes)).toEqual({ epoch: '3', note: 'hidden' });
    const sym = Symbol('c');
    expectXentError(
      () => toSafetensors({ a: tensor([1]), [sym]: tensor([2]) }),
      'INVALID_ARGUMENT',
      'toSafetensors',
      'symbol key Symbol(c)',
    );
    expectXentError(() => toSafetensors({ a: tensor([1]) }, { [sym]: 'x' } as never), 'INVALID_ARGUMENT', 'Symbol(c)');
    const hiddenNumber = { epoch: '3' };
    Object.defineProperty(hiddenNumber, 'n', { value: 1 });
    expectXentError(() => toSafetensors({ a: tensor([1]) }, hiddenNumber), 'INVALID_ARGUMENT', "entry 'n' is number");
  });

  it('refuses what it cannot write', () => {
    expectXentError(() => toSafetensors({ __metadata__: tensor([1]) }), 'INVALID_ARGUMENT');
    expectXentError(() => toSafetensors({ '': tensor([1]) }), 'INVALID_ARGUMENT');
    expectXentError(() => toSafetensors({ a: [1, 2] as never }), 'INVALID_ARGUMENT');
    expectXentError(() => toSafetensors({ a: tensor([1]) }, { epoch: 3 as never }), 'INVALID_ARGUMENT');
  });
});

// ---------------------------------------------------------------- malformed files

const enc = new TextEncoder();

/** A file from a header (object or raw text), padded to 8 bytes, and the data bytes. */
function file(header: unknown, data: ArrayLike<number> = [], { length, pad = true }: { length?: bigint; pad?: boolean } = {}): Uint8Array {
  let text = typeof header === 'string' ? header : JSON.stringify(header);
  if (pad) while ((enc.encode(text).length + 8) % 8 !== 0) text += ' ';
  const h = enc.encode(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(Array.from(data), 8 + h.length);
  return out;
}

const f64 = (xs: number[]) => new Uint8Array(Float64Array.from(xs).buffer);
const entry = (dtype: string, shape: number[], a: number, b: number) => ({ dtype, shape, data_offsets: [a, b] });
const valid = file({ a: entry('F64', [2], 0, 16), b: entry('F64', [1], 16, 24) }, f64([1, 2, 3]));

const malformed: [string, () => unknown][] = [
  ['an empty file', () => new Uint8Array(0)],
  ['7 bytes', () => valid.slice(0, 7)],
  ['a header length past the end', () => file({}, [], { length: 1000n })],
  ['a header length of 2^63', () => file({}, [], { length: 2n ** 63n })],
  ['a header length of 0', () => file('', [], { length: 0n, pad: false })],
  ['a header that is not UTF-8', () => file('{"a\xff":1}'.replace('\xff', ''), []).map((b, i) => (i === 11 ? 0xff : b))],
  ['a header that is not JSON', () => file('{"a": ')],
  ['a header that is a JSON array', () => file([1, 2])],
  ['a header that does not start with {', () => file(' {}')],
  ['an unknown dtype (F16)', () => file({ a: entry('F16', [2], 0, 4) }, [0, 0, 0, 0])],
  ['an unsupported dtype (I64)', () => file({ a: entry('I64', [1], 0, 8) }, f64([1]))],
  ['a negative dimension', () => file({ a: entry('F64', [-1], 0, 8) }, f64([1]))],
  ['a fractional dimension', () => file({ a: entry('F64', [1.5], 0, 8) }, f64([1]))],
  ['offsets past the end of the data', () => file({ a: entry('F64', [2], 0, 16) }, f64([1]))],
  ['overlapping offsets', () => file({ a: entry('F64', [2], 0, 16), b: entry('F64', [2], 8, 24) }, f64([1, 2, 3]))],
  ['a gap between tensors', () => file({ a: entry('F64', [1], 0, 8), b: entry('F64', [1], 16, 24) }, f64([1, 2, 3]))],
  ['offsets that end before they begin', () => file({ a: entry('F64', [0], 8, 0) }, f64([1]))],
  ['offsets that disagree with the shape', () => file({ a: entry('F64', [3], 0, 16) }, f64([1, 2]))],
  ['truncated data', () => valid.slice(0, valid.length - 3)],
  ['trailing bytes after the last tensor', () => new Uint8Array([...valid, 0, 0, 0, 0, 0, 0, 0, 0])],
  ['a non-string metadata value', () => file({ __metadata__: { epoch: 3 }, a: entry('F64', [1], 0, 8) }, f64([1]))],
  ['metadata that is an array', () => file({ __metadata__: ['x'], a: entry('F64', [1], 0, 8) }, f64([1]))],
  ['an entry without data_offsets', () => file({ a: { dtype: 'F64', shape: [1] } }, f64([1]))],
  ['an entry with an unknown field', () => file({ a: { ...entry('F64', [1], 0, 8), crc: 1 } }, f64([1]))],
  ['an entry that is not an object', () => file({ a: 'F64' }, f64([1]))],
  ['data_offsets of three numbers', () => file({ a: { dtype: 'F64', shape: [1], data_offsets: [0, 8, 8] } }, f64([1]))],
  ['a string instead of bytes', () => 'not bytes'],
  // JSON.parse reads these as 8, 2 and 0; the reference reader (serde_json into usize) refuses them.
  ['an offset written 8.0', () => file('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8.0]}}', f64([1]))],
  ['an offset written 8e0', () => file('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8e0]}}', f64([1]))],
  ['an offset written -0', () => file('{"a":{"dtype":"F64","shape":[1],"data_offsets":[-0,8]}}', f64([1]))],
  ['a dimension written 2.0', () => file('{"a":{"dtype":"F64","shape":[2.0],"data_offsets":[0,16]}}', f64([1, 2]))],
];

describe('an argument past their own is refused, not ignored', () => {
  // fromSafetensors(bytes, { dtype: 'float32' }) returned the stored float64 without a word.
  const bytes = toSafetensors({ w: tensor([1.5, 2]) });
  const call =
    (f: unknown, ...args: unknown[]) =>
    () =>
      (f as (...a: unknown[]) => unknown)(...args);
  it.each([
    ['fromSafetensors', call(fromSafetensors, bytes, { dtype: 'float32' }), 1, 'cast(t, dtype) converts one'],
    ['readSafetensors', call(readSafetensors, bytes, 'float32'), 1, 'cast(t, dtype) converts one'],
    ['safetensorsMetadata', call(safetensorsMetadata, bytes, {}), 1, "the file's bytes only"],
    ['toSafetensors', call(toSafetensors, { w: tensor([1]) }, {}, { dtype: 'float32' }), 2, 'pass (tensors, metadata)'],
  ])('%s', (name, run, max, fix) => {
    expectXentError(run, 'INVALID_ARGUMENT', `${name}: takes at most ${max} argument${max > 1 ? 's' : ''}, got ${max + 1}`, fix);
  });
  it('the same calls without it still read the stored dtype', () => {
    expect(fromSafetensors(bytes).w.dtype).toBe('float64');
  });
});

describe('fromSafetensors refuses malformed files', () => {
  it('the valid file the spoilt ones start from parses', () => {
    const t = fromSafetensors(valid);
    expect(Array.from(t.a.values())).toEqual([1, 2]);
    expect(Array.from(t.b.values())).toEqual([3]);
  });

  it(`the list holds at least 15 cases (${malformed.length})`, () => expect(malformed.length).toBeGreaterThanOrEqual(15));

  malformed.forEach(([what, make]) => {
    it(what, () => {
      const e = expectXentError(() => fromSafetensors(make() as Uint8Array), 'INVALID_ARGUMENT');
      expect(e.message).toMatch(/^fromSafetensors: /);
    });
  });

  it('numbers are plain whole numbers, as the reference reader wants: 8.0 is refused and named, 8 parses', () => {
    const header = (end: string) => `{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,${end}]}}`;
    expect(Array.from(fromSafetensors(file(header('8'), f64([1.5]))).a.values())).toEqual([1.5]);
    expectXentError(
      () => fromSafetensors(file(header('8.0'), f64([1.5]))),
      'INVALID_ARGUMENT',
      "fromSafetensors: tensor 'a': data_offsets has the number 8.0",
      '(8, not 8.0)',
    );
    expectXentError(() => fromSafetensors(file(header('0.8e1'), f64([1.5]))), 'INVALID_ARGUMENT', 'the number 0.8e1');
    // A number in a string (metadata, a name) is text, not a number.
    const named = file('{"__metadata__":{"v":"8.0"},"8.0":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', f64([1.5]));
    expect(Object.keys(fromSafetensors(named))).toEqual(['8.0']);
  });

  it("an empty tensor name is read, as the reference reader reads it (PyTorch's named_modules() calls the root module '')", () => {
    const t = fromSafetensors(file({ '': entry('F64', [1], 0, 8) }, f64([2.5])));
    expect(Object.keys(t)).toEqual(['']);
    expect(Array.from(t[''].values())).toEqual([2.5]);
  });

  it('every truncation of a valid file is refused', () => {
    const bytes = toSafetensors(sample(), { a: 'b' });
    for (let k = 0; k < bytes.length; k++) expectXentError(() => fromSafetensors(bytes.slice(0, k)));
  });

  it('random corruption never crashes: it parses or throws an XentError', () => {
    const bytes = toSafetensors(sample(), { a: 'b' });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), (flips) => {
        const b = bytes.slice();
        for (const [i, v] of flips) b[i] = v;
        try {
          const out = fromSafetensors(b);
          for (const t of Object.values(out)) expect(t).toBeInstanceOf(Tensor);
        } catch (e) {
          expect(e).toBeInstanceOf(XentError);
        }
      }),
    );
  });
});
