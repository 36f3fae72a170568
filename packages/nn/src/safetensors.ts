// The safetensors format (github.com/huggingface/safetensors), the file format
// PyTorch and Hugging Face load with safetensors.torch.load_file:
//
//   bytes 0..8        N, the header length, an unsigned 64-bit little-endian integer
//   bytes 8..8+N      the header: UTF-8 JSON, padded at the end with spaces (8 + N is a multiple of 8)
//                       { "__metadata__": { "key": "string", … },            (optional)
//                         "name": { "dtype": "F64", "shape": [2, 3], "data_offsets": [begin, end] }, … }
//   bytes 8+N..       the data: each tensor's values row-major, little-endian, at
//                     [begin, end) counted from the start of the data
//
// Writing puts the tensors' data in the order of the state dict, the 8-byte
// dtypes first (as the reference writer does, so every tensor is aligned to its
// element size); names and metadata must be well-formed Unicode (serde_json,
// which PyTorch's loader uses, refuses lone surrogates). Values are copied as
// bytes, so every bit pattern (−0, NaN payloads, subnormals) survives.
// Reading checks everything before it returns anything: the header length
// against the file, the JSON (no name twice: the spec forbids it, and readers
// disagree on which copy wins), every entry's dtype, shape and offsets
// (plain whole numbers: the reference reader refuses 8.0, 8e0 and -0), that
// end − begin = (number of elements)·(bytes per element), and that the
// tensors tile the data exactly (no overlap, no gap, nothing past the end).
// Any violation is an XentError; a file is never loaded in part. Names are
// read as the reference reads them, the empty name '' included (PyTorch's
// named_modules() calls the root module ''); the writer refuses '' (no xent
// module has an unnamed parameter, so one is more likely a caller's slip).
import { MAX_RANK, Tensor, XentError, fromFlat, readFlat, type DType } from '@xent/tensor';
import { allocate, checkArgCount, describe, fmtShape } from '@xent/tensor/internal';
import { checkPlainObject, ownEntries } from './dict.js';

/** Tensors by name, as stored in a safetensors file. */
export type TensorDict = Record<string, Tensor>;

/** The safetensors dtype codes xent reads and writes, with their xent dtype and width in bytes. */
export const SAFETENSORS_DTYPES = {
  F64: { dtype: 'float64', bytes: 8 },
  F32: { dtype: 'float32', bytes: 4 },
  I32: { dtype: 'int32', bytes: 4 },
} as const satisfies Record<string, { dtype: DType; bytes: number }>;

type Code = keyof typeof SAFETENSORS_DTYPES;

const CODE_OF: Record<DType, Code> = { float64: 'F64', float32: 'F32', int32: 'I32' };

/** The largest header we accept (the reference implementation's limit): 100 MB. */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA = '__metadata__';

/** Whether this machine stores numbers little-endian (the file's byte order): then values are copied as bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes per element of a tensor's dtype in the file. */
const width = (t: Tensor): number => SAFETENSORS_DTYPES[CODE_OF[t.dtype]].bytes;

/** A lone UTF-16 surrogate: JSON.stringify escapes it, but serde_json (PyTorch's loader) refuses the file. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkUnicode(owner: string, what: string, text: string): void {
  if (LONE_SURROGATE.test(text))
    fail(
      owner,
      `${what} holds a lone UTF-16 surrogate, which PyTorch's safetensors loader refuses; pass well-formed text (text.toWellFormed()).`,
    );
}

/** The bytes of the whole file, or an XentError when one array cannot hold them (a raw RangeError otherwise). */
function allocateFile(owner: string, length: number): Uint8Array {
  try {
    return new Uint8Array(length);
  } catch {
    return fail(owner, `the file would be ${length} bytes, more than one array can hold here; write the tensors to several files.`);
  }
}

function fail(owner: string, message: string): never {
  throw new XentError('INVALID_ARGUMENT', `${owner}: ${message}`);
}

/** A refusal of a file's bytes: what is wrong, then what to do. */
function corrupt(owner: string, message: string): never {
  return fail(owner, `${message} Pass the bytes of a complete safetensors file (write it again if it was cut short or altered).`);
}

/**
 * Serialises tensors to the bytes of a safetensors file. `tensors` maps names
 * to float64, float32 or int32 tensors (any layout; values are written
 * row-major); `metadata` is an optional map of strings stored as
 * `__metadata__`. Both must be plain objects (a Map or a class instance would
 * be written as empty); every own entry is written, non-enumerable ones too,
 * and a symbol key is refused (it cannot be a name). A name that is empty or '__metadata__', a value that
 * is not a Tensor, metadata that is not all strings, or text with a lone UTF-16
 * surrogate (PyTorch cannot read it) is an XentError.
 */
export function toSafetensors(tensors: TensorDict, metadata?: Record<string, string>): Uint8Array {
  const owner = 'toSafetensors';
  checkArgCount(owner, arguments.length, 2, 'pass (tensors, metadata)');
  checkPlainObject(owner, 'tensors', tensors, 'pass a plain object of tensors by name, such as model.stateDict()');
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // a '__proto__' name stays a name
  if (metadata !== undefined) {
    checkMetadata(owner, metadata);
    header[METADATA] = Object.fromEntries(ownEntries(metadata));
  }
  const entries = ownEntries(tensors);
  for (const [name, t] of entries) {
    if (name === '' || name === METADATA) fail(owner, `the tensor name '${name}' is reserved or empty; pick another name.`);
    checkUnicode(owner, `the tensor name ${JSON.stringify(name)}`, name);
    if (!(t instanceof Tensor)) fail(owner, `'${name}' is ${describe(t)}, not a Tensor; pass tensor(values).`);
    header[name] = null; // keeps the state dict's order in the header
  }
  // The data: 8-byte dtypes first, so that each tensor starts at a multiple of its element size.
  const order = [...entries].sort(([, a], [, b]) => width(b) - width(a));
  let offset = 0;
  for (const [name, t] of order) {
    const bytes = t.size * width(t);
    header[name] = { dtype: CODE_OF[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so that the data starts at a multiple of 8 bytes.
  const n = Math.ceil(json.length / 8) * 8;
  if (n > MAX_HEADER_BYTES)
    fail(
      owner,
      `the header would be ${n} bytes, more than the ${MAX_HEADER_BYTES} readers accept; write fewer tensors per file, or less metadata.`,
    );
  const out = allocateFile(owner, 8 + n + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let pos = 8 + n;
  for (const [, t] of order) {
    const values = readFlat(t);
    if (LITTLE_ENDIAN) out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), pos);
    else if (t.dtype === 'float64') values.forEach((v, i) => view.setFloat64(pos + 8 * i, v, true));
    else if (t.dtype === 'float32') values.forEach((v, i) => view.setFloat32(pos + 4 * i, v, true));
    else values.forEach((v, i) => view.setInt32(pos + 4 * i, v, true));
    pos += values.byteLength;
  }
  return out;
}

/**
 * Parses the bytes of a safetensors file into tensors by name (each with
 * its own copy of the data), in the header's order. Reads F64, F32 and I32.
 * Everything is validated first (see the file header); bad bytes are an
 * XentError saying what is wrong, and nothing is returned.
 */
export function fromSafetensors(bytes: Uint8Array): TensorDict {
  // fromSafetensors(bytes, { dtype: 'float32' }) returned the stored dtype: there is nothing to convert with.
  checkArgCount('fromSafetensors', arguments.length, 1, 'it reads each tensor in its stored dtype; cast(t, dtype) converts one');
  return parseSafetensors('fromSafetensors', bytes).tensors;
}

/** The metadata map of a safetensors file ({} when it has none), validated like fromSafetensors. */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  checkArgCount('safetensorsMetadata', arguments.length, 1, "pass the file's bytes only");
  return parseSafetensors('safetensorsMetadata', bytes).metadata;
}

interface Entry {
  name: string;
  code: Code;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses and validates a whole file: its tensors and its metadata. */
export function readSafetensors(bytes: Uint8Array): { tensors: TensorDict; metadata: Record<string, string> } {
  checkArgCount('readSafetensors', arguments.length, 1, 'it reads each tensor in its stored dtype; cast(t, dtype) converts one');
  return parseSafetensors('readSafetensors', bytes);
}

/** readSafetensors, with `owner` (the function the caller called) named in its errors. */
export function parseSafetensors(owner: string, bytes: Uint8Array): { tensors: TensorDict; metadata: Record<string, string> } {
  if (!(bytes instanceof Uint8Array)) fail(owner, `expected the file's bytes as a Uint8Array (or Buffer), got ${describe(bytes)}.`);
  if (bytes.length < 8)
    corrupt(
      owner,
      `the file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length — it is truncated or not safetensors.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES))
    corrupt(
      owner,
      `the header length is ${n64} bytes, more than the ${MAX_HEADER_BYTES} allowed — the file is corrupt or not safetensors.`,
    );
  const n = Number(n64);
  if (n < 2) corrupt(owner, `the header length is ${n} bytes; the smallest header is '{}' (2 bytes).`);
  if (8 + n > bytes.length)
    corrupt(owner, `the header length is ${n} bytes but only ${bytes.length - 8} follow the length field — the file is truncated.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n)); // a BOM is kept, so refused below
  } catch {
    corrupt(owner, 'the header is not valid UTF-8.');
  }
  if (!text.startsWith('{'))
    corrupt(owner, `the header must be a JSON object starting with '{', found ${JSON.stringify(text.slice(0, 16))}.`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    corrupt(owner, `the header is not valid JSON (${(e as Error).message}).`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    corrupt(owner, 'the header must be a JSON object of tensor entries.');
  const { twice, number } = scanHeader(text);
  if (twice !== undefined)
    corrupt(
      owner,
      `the header has the name ${JSON.stringify(twice)} twice; a safetensors header must not repeat a name (readers disagree on which copy wins) — the file is corrupt.`,
    );
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA) {
      if (raw === null) continue; // the reference reader takes null as no metadata
      checkMetadata(owner, raw);
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    checkUnicode(owner, `the tensor name ${JSON.stringify(name)}`, name); // a JSON escape can spell a lone surrogate
    entries.push(checkEntry(owner, name, raw, dataLength));
  }
  // After the entries' checks, the only numbers in arrays are shapes and data_offsets, whole and ≥ 0 once parsed.
  if (number !== undefined) {
    const [token, name, field] = number;
    corrupt(
      owner,
      `tensor '${name}': ${field} has the number ${token}, which the reference reader (safetensors' Rust crate) refuses; shapes and offsets are written as plain whole numbers (${JSON.stringify(JSON.parse(token))}, not ${token}).`,
    );
  }
  // The tensors must tile the data: sorted by offset, each starts where the previous ended, the last ends at the end.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin < expected)
      corrupt(owner, `tensor '${e.name}' at bytes [${e.begin}, ${e.end}) overlaps the tensor before it (which ends at ${expected}).`);
    if (e.begin > expected)
      corrupt(
        owner,
        `the data has a gap at bytes [${expected}, ${e.begin}) before tensor '${e.name}'; the tensors must be stored back to back.`,
      );
    expected = e.end;
  }
  if (expected !== dataLength) {
    corrupt(
      owner,
      `the tensors cover ${expected} data bytes but the file holds ${dataLength}; the file is truncated, padded or the offsets are wrong.`,
    );
  }
  const tensors = Object.fromEntries(entries.map((e) => [e.name, decode(bytes, view, dataStart, e)]));
  return { tensors, metadata };
}

function checkMetadata(owner: string, raw: unknown): void {
  checkPlainObject(owner, `'${METADATA}'`, raw, 'pass a plain object of strings');
  for (const [k, v] of ownEntries(raw)) {
    if (typeof v !== 'string')
      fail(
        owner,
        `'${METADATA}' entry '${k}' is ${v === null ? 'null' : typeof v}; metadata values must be strings (JSON.stringify other values).`,
      );
    // key and value apart: a key ending in a high surrogate and a value starting with a low one pair up only when joined
    checkUnicode(owner, `'${METADATA}' entry ${JSON.stringify(k)}`, k);
    checkUnicode(owner, `'${METADATA}' entry ${JSON.stringify(k)}`, v);
  }
}

/** A JSON number's characters, from where it starts (sticky). */
const NUMBER = /[-+.\deE]+/y;

/**
 * What JSON.parse hides in the (valid) header text: the first name that one
 * object holds twice (JSON.parse silently keeps the last copy), and the first
 * number in an array not written as a plain whole number — '8.0', '8e0', '-0'
 * parse to 8 and 0, but serde_json, reading them into usize as the reference
 * reader does, refuses them — with the top-level name and the field it is in.
 */
function scanHeader(text: string): { twice?: string; number?: [token: string, name: string, field: string] } {
  const open: { names: Set<string> | null; last: string }[] = []; // per open bracket: an object's names so far (null for an array), the last one
  let atName = false; // the next string is a name (just after '{' or an object's ',')
  let number: [string, string, string] | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = open[open.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (atName) {
        const name = JSON.parse(text.slice(i, j + 1)) as string;
        if (top!.names!.has(name)) return { twice: name };
        top!.names!.add(name);
        top!.last = name;
        atName = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      open.push({ names: c === '{' ? new Set() : null, last: '' });
      atName = c === '{';
    } else if (c === '}' || c === ']') open.pop();
    else if (c === ',') atName = top!.names !== null;
    else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const written = NUMBER.exec(text)![0];
      if (number === undefined && top!.names === null && !/^\d+$/.test(written)) number = [written, open[0]!.last, open[1]?.last ?? ''];
      i += written.length - 1;
    }
  }
  return number === undefined ? {} : { number };
}

const ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function checkEntry(owner: string, name: string, raw: unknown, dataLength: number): Entry {
  const what = `tensor '${name}'`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    corrupt(owner, `${what}: the entry must be an object { dtype, shape, data_offsets }.`);
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !ENTRY_KEYS.includes(k));
  if (extra.length > 0)
    corrupt(owner, `${what}: unknown field ${extra.map((k) => `'${k}'`).join(', ')}; an entry has dtype, shape and data_offsets.`);
  const code = o.dtype;
  if (typeof code !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPES, code)) {
    fail(
      owner,
      `${what}: dtype ${JSON.stringify(code)} is not supported; xent reads ${Object.keys(SAFETENSORS_DTYPES).join(', ')} — convert the tensor to one of them where the file is written.`,
    );
  }
  const shape = o.shape;
  if (!Array.isArray(shape) || !shape.every(isIndex))
    corrupt(owner, `${what}: shape ${JSON.stringify(shape)} must be an array of whole numbers ≥ 0.`);
  if (shape.length > MAX_RANK)
    fail(
      owner,
      `${what}: shape has ${shape.length} axes; xent tensors have at most ${MAX_RANK}, so it cannot be loaded — reshape it to fewer axes where it is saved.`,
    );
  const offsets = o.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    corrupt(owner, `${what}: data_offsets ${JSON.stringify(offsets)} must be [begin, end] with whole numbers ≥ 0.`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) corrupt(owner, `${what}: data_offsets [${begin}, ${end}] end before they begin.`);
  if (end > dataLength)
    corrupt(owner, `${what}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes) — the file is truncated.`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const width = SAFETENSORS_DTYPES[code as Code].bytes;
  if (size * width !== end - begin) {
    corrupt(
      owner,
      `${what}: shape ${fmtShape(shape as number[])} of ${code} needs ${size * width} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}.`,
    );
  }
  return { name, code: code as Code, shape: shape as number[], begin, end };
}

/** The values of one entry, read little-endian into a new array (byte for byte on a little-endian machine). */
function decode(bytes: Uint8Array, view: DataView, dataStart: number, e: Entry): Tensor {
  const { dtype, bytes: w } = SAFETENSORS_DTYPES[e.code];
  const count = (e.end - e.begin) / w;
  const out = allocate(dtype, count);
  const pos = dataStart + e.begin;
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(pos, dataStart + e.end));
  else if (e.code === 'F64') for (let i = 0; i < count; i++) out[i] = view.getFloat64(pos + 8 * i, true);
  else if (e.code === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(pos + 4 * i, true);
  else for (let i = 0; i < count; i++) out[i] = view.getInt32(pos + 4 * i, true);
  return fromFlat(out, e.shape);
}
