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
// Writing puts the tensors in the order of the state dict, one after another.
// Reading checks everything before it returns anything: the header length
// against the file, the JSON, every entry's dtype, shape and offsets, that
// end − begin = (number of elements)·(bytes per element), and that the
// tensors tile the data exactly (no overlap, no gap, nothing past the end).
// Any violation is an XentError; a file is never loaded in part.
import { MAX_RANK, Tensor, XentError, allocate, fmtShape, fromFlat, readFlat, type DType } from '@xent/tensor';

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

function fail(owner: string, message: string): never {
  throw new XentError('INVALID_ARGUMENT', `${owner}: ${message}`);
}

/**
 * Serialises tensors to the bytes of a safetensors file. `tensors` maps names
 * to float64, float32 or int32 tensors (any layout; values are written
 * row-major); `metadata` is an optional map of strings stored as
 * `__metadata__`. A name that is empty or '__metadata__', a value that is not
 * a Tensor, or metadata that is not all strings is an XentError.
 */
export function toSafetensors(tensors: TensorDict, metadata?: Record<string, string>): Uint8Array {
  const owner = 'toSafetensors';
  if (tensors === null || typeof tensors !== 'object')
    fail(owner, `tensors is ${String(tensors)}; pass an object of tensors by name (model.stateDict()).`);
  const proto: unknown = Object.getPrototypeOf(tensors);
  if (proto !== Object.prototype && proto !== null) {
    // A Map, an array or a class instance: Object.entries would silently miss its tensors.
    const kind =
      tensors instanceof Map
        ? 'a Map'
        : Array.isArray(tensors)
          ? 'an array'
          : `a ${String((tensors as object).constructor?.name ?? 'class instance')}`;
    fail(owner, `tensors is ${kind}; pass a plain object of tensors by name (model.stateDict(), or Object.fromEntries(map)).`);
  }
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // a '__proto__' name stays a name
  if (metadata !== undefined) {
    checkMetadata(owner, metadata);
    header[METADATA] = { ...metadata };
  }
  const entries = Object.entries(tensors);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '' || name === METADATA) fail(owner, `the tensor name '${name}' is reserved or empty; rename it.`);
    if (!(t instanceof Tensor)) fail(owner, `'${name}' is not a Tensor (got ${t === null ? 'null' : typeof t}).`);
    const bytes = t.size * SAFETENSORS_DTYPES[CODE_OF[t.dtype]].bytes;
    header[name] = { dtype: CODE_OF[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so that the data starts at a multiple of 8 bytes.
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let pos = 8 + n;
  for (const [, t] of entries) {
    const values = readFlat(t);
    if (t.dtype === 'float64') for (let i = 0; i < values.length; i++, pos += 8) view.setFloat64(pos, values[i], true);
    else if (t.dtype === 'float32') for (let i = 0; i < values.length; i++, pos += 4) view.setFloat32(pos, values[i], true);
    else for (let i = 0; i < values.length; i++, pos += 4) view.setInt32(pos, values[i], true);
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
  return readSafetensors(bytes).tensors;
}

/** The metadata map of a safetensors file ({} when it has none), validated like fromSafetensors. */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  return readSafetensors(bytes).metadata;
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
  const owner = 'fromSafetensors';
  if (!(bytes instanceof Uint8Array))
    fail(owner, `expected the file's bytes as a Uint8Array (or Buffer), got ${bytes === null ? 'null' : typeof bytes}.`);
  if (bytes.length < 8)
    fail(
      owner,
      `the file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length — it is truncated or not safetensors.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES))
    fail(owner, `the header length is ${n64} bytes, more than the ${MAX_HEADER_BYTES} allowed — the file is corrupt or not safetensors.`);
  const n = Number(n64);
  if (n < 2) fail(owner, `the header length is ${n} bytes; the smallest header is '{}' (2 bytes).`);
  if (8 + n > bytes.length)
    fail(owner, `the header length is ${n} bytes but only ${bytes.length - 8} follow the length field — the file is truncated.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail(owner, 'the header is not valid UTF-8.');
  }
  if (!text.startsWith('{')) fail(owner, `the header must be a JSON object starting with '{', found ${JSON.stringify(text.slice(0, 16))}.`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(owner, `the header is not valid JSON (${(e as Error).message}).`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail(owner, 'the header must be a JSON object of tensor entries.');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA) {
      checkMetadata(owner, raw);
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    entries.push(checkEntry(owner, name, raw, dataLength));
  }
  // The tensors must tile the data: sorted by offset, each starts where the previous ended, the last ends at the end.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin < expected)
      fail(owner, `tensor '${e.name}' at bytes [${e.begin}, ${e.end}) overlaps the tensor before it (which ends at ${expected}).`);
    if (e.begin > expected)
      fail(
        owner,
        `the data has a gap at bytes [${expected}, ${e.begin}) before tensor '${e.name}'; the tensors must be stored back to back.`,
      );
    expected = e.end;
  }
  if (expected !== dataLength) {
    fail(
      owner,
      `the tensors cover ${expected} data bytes but the file holds ${dataLength}; the file is truncated, padded or the offsets are wrong.`,
    );
  }
  const tensors = Object.fromEntries(entries.map((e) => [e.name, decode(view, dataStart, e)]));
  return { tensors, metadata };
}

function checkMetadata(owner: string, raw: unknown): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    fail(owner, `'${METADATA}' must be an object of strings, got ${Array.isArray(raw) ? 'an array' : String(raw)}.`);
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string')
      fail(
        owner,
        `'${METADATA}' entry '${k}' is ${v === null ? 'null' : typeof v}; metadata values must be strings (JSON.stringify other values).`,
      );
  }
}

const ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function checkEntry(owner: string, name: string, raw: unknown, dataLength: number): Entry {
  const what = `tensor '${name}'`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    fail(owner, `${what}: the entry must be an object { dtype, shape, data_offsets }.`);
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !ENTRY_KEYS.includes(k));
  if (extra.length > 0)
    fail(owner, `${what}: unknown field ${extra.map((k) => `'${k}'`).join(', ')}; an entry has dtype, shape and data_offsets.`);
  const code = o.dtype;
  if (typeof code !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPES, code)) {
    fail(owner, `${what}: dtype ${JSON.stringify(code)} is not supported; xent reads ${Object.keys(SAFETENSORS_DTYPES).join(', ')}.`);
  }
  const shape = o.shape;
  if (!Array.isArray(shape) || !shape.every(isIndex))
    fail(owner, `${what}: shape ${JSON.stringify(shape)} must be an array of whole numbers ≥ 0.`);
  if (shape.length > MAX_RANK)
    fail(
      owner,
      `${what}: shape has ${shape.length} axes; xent tensors have at most ${MAX_RANK}, so it cannot be loaded — reshape it to fewer axes where it is saved.`,
    );
  const offsets = o.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    fail(owner, `${what}: data_offsets ${JSON.stringify(offsets)} must be [begin, end] with whole numbers ≥ 0.`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(owner, `${what}: data_offsets [${begin}, ${end}] end before they begin.`);
  if (end > dataLength)
    fail(owner, `${what}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes) — the file is truncated.`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const width = SAFETENSORS_DTYPES[code as Code].bytes;
  if (size * width !== end - begin) {
    fail(
      owner,
      `${what}: shape ${fmtShape(shape as number[])} of ${code} needs ${size * width} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}.`,
    );
  }
  return { name, code: code as Code, shape: shape as number[], begin, end };
}

/** The values of one entry, read little-endian into a new array. */
function decode(view: DataView, dataStart: number, e: Entry): Tensor {
  const { dtype, bytes } = SAFETENSORS_DTYPES[e.code];
  const count = (e.end - e.begin) / bytes;
  const out = allocate(dtype, count);
  let pos = dataStart + e.begin;
  if (e.code === 'F64') for (let i = 0; i < count; i++, pos += 8) out[i] = view.getFloat64(pos, true);
  else if (e.code === 'F32') for (let i = 0; i < count; i++, pos += 4) out[i] = view.getFloat32(pos, true);
  else for (let i = 0; i < count; i++, pos += 4) out[i] = view.getInt32(pos, true);
  return fromFlat(out, e.shape);
}
