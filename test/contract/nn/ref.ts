// Independent references for the @xent/nn contract (issue 12, packages/nn/README.md), written from the documents
// alone: naive loops for Linear and the MLP, central finite differences, and a minimal safetensors reader and
// writer of our own, following the published format (8-byte little-endian header length, a JSON header with
// dtype/shape/data_offsets and an optional __metadata__ of strings, then the raw little-endian data).
import { expect } from 'vitest';
import { XentError, readFlat, type Tensor } from '@xent/tensor';

/** A matrix as rows of numbers. */
export type Matrix = number[][];

/** The values of a tensor, row-major, as plain numbers (read through the public readFlat). */
export function flatOf(t: Tensor): number[] {
  return Array.from(readFlat(t));
}

/** A [rows, cols] tensor as nested rows. */
export function rowsOf(t: Tensor): Matrix {
  const [r, c] = t.shape as [number, number];
  const v = flatOf(t);
  return Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
}

/** y = x·Wᵀ + b with W as [out, in] rows (torch.nn.Linear), by plain loops. */
export function linearRef(x: Matrix, w: Matrix, b: number[] | null): Matrix {
  return x.map((row) => w.map((wo, o) => wo.reduce((s, wk, k) => s + wk * row[k]!, b ? b[o]! : 0)));
}

/** The three activations, elementwise, from their textbook definitions. */
export const ACT_REF: Record<'relu' | 'tanh' | 'sigmoid', (v: number) => number> = {
  relu: (v) => (v > 0 ? v : 0),
  tanh: (v) => Math.tanh(v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

/** An MLP by loops: Linear layers with the activation between consecutive layers and none after the last. */
export function mlpRef(x: Matrix, layers: { w: Matrix; b: number[] | null }[], act: (v: number) => number): Matrix {
  let h = x;
  layers.forEach((l, i) => {
    h = linearRef(h, l.w, l.b);
    if (i < layers.length - 1) h = h.map((r) => r.map(act));
  });
  return h;
}

/** Central differences of f at p, one coordinate at a time (p is restored). */
export function finiteDiff(f: (p: number[]) => number, p: number[], h = 1e-6): number[] {
  return p.map((v, i) => {
    p[i] = v + h;
    const up = f(p);
    p[i] = v - h;
    const down = f(p);
    p[i] = v;
    return (up - down) / (2 * h);
  });
}

/** Asserts that fn throws an XentError (and returns it, to inspect the message). */
export function expectXentError(fn: () => unknown): XentError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an XentError, nothing was thrown').toBeDefined();
  expect(caught).toBeInstanceOf(XentError);
  const err = caught as XentError;
  expect(typeof err.code).toBe('string');
  return err;
}

// ---------------------------------------------------------------- safetensors, our own

/** One entry of a safetensors header. */
export interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A parsed file: header length, the header's keys in order, its entries, metadata and each tensor's values. */
export interface ParsedFile {
  headerLength: number;
  keys: string[];
  entries: Record<string, HeaderEntry>;
  metadata: Record<string, string> | undefined;
  dataStart: number;
  values: Record<string, number[]>;
}

/** Width in bytes of the dtypes we read. */
export const WIDTH: Record<string, number> = { F64: 8, F32: 4, I32: 4 };

/** Parses a safetensors file by the published rules (little-endian everywhere), without xent. */
export function parseSafetensors(bytes: Uint8Array): ParsedFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  const header = JSON.parse(text) as Record<string, unknown>;
  const keys = Object.keys(header).filter((k) => k !== '__metadata__');
  const entries: Record<string, HeaderEntry> = {};
  const values: Record<string, number[]> = {};
  const dataStart = 8 + n;
  for (const k of keys) {
    const e = header[k] as HeaderEntry;
    entries[k] = e;
    const w = WIDTH[e.dtype]!;
    const [b, end] = e.data_offsets;
    const out: number[] = [];
    for (let at = dataStart + b; at < dataStart + end; at += w) {
      out.push(e.dtype === 'F64' ? view.getFloat64(at, true) : e.dtype === 'F32' ? view.getFloat32(at, true) : view.getInt32(at, true));
    }
    values[k] = out;
  }
  return { headerLength: n, keys, entries, metadata: header['__metadata__'] as Record<string, string> | undefined, dataStart, values };
}

/** One tensor for our writer: dtype code, shape and values. */
export interface RawTensor {
  dtype: 'F64' | 'F32' | 'I32';
  shape: number[];
  data: number[];
}

/** Options of writeSafetensors for building malformed files: a header override and padding. */
export interface WriteOptions {
  metadata?: Record<string, unknown>;
  /** Replaces the JSON header text entirely (entries are still laid out as computed). */
  headerText?: (computed: string) => string;
  /** Pad the header with spaces to a multiple of 8 (default true). */
  pad?: boolean;
}

/** Writes a safetensors file from raw tensors, in the given order, by the published rules. */
export function writeSafetensors(tensors: Record<string, RawTensor>, opts: WriteOptions = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (opts.metadata) header['__metadata__'] = opts.metadata;
  let offset = 0;
  const chunks: { at: number; t: RawTensor }[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const len = t.data.length * WIDTH[t.dtype]!;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + len] };
    chunks.push({ at: offset, t });
    offset += len;
  }
  let text = JSON.stringify(header);
  if (opts.headerText) text = opts.headerText(text);
  let hb = new TextEncoder().encode(text);
  if (opts.pad !== false && hb.length % 8 !== 0) hb = new TextEncoder().encode(text + ' '.repeat(8 - (hb.length % 8)));
  const out = new Uint8Array(8 + hb.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  const base = 8 + hb.length;
  for (const { at, t } of chunks) {
    const w = WIDTH[t.dtype]!;
    t.data.forEach((v, i) => {
      const p = base + at + i * w;
      if (t.dtype === 'F64') view.setFloat64(p, v, true);
      else if (t.dtype === 'F32') view.setFloat32(p, v, true);
      else view.setInt32(p, v, true);
    });
  }
  return out;
}

/** A copy of bytes with the 8-byte header length replaced. */
export function withHeaderLength(bytes: Uint8Array, n: bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
}
