// Elementwise ops and column sums on the WebAssembly SIMD kernels (elementwise.wat):
// copy the operands into the module's scratch memory, run one SIMD loop, copy the
// result out. Float64 runs on f64x2, float32 on f32x4 in float32. Every result equals
// the JS kernel's bit for bit (the same IEEE operation per element; column sums in the
// same order), so the dispatch may pick either path by size alone.
import type { DType, TypedArray } from '../dtype.js';
import { Layout, scratch, wasmKernels, type KernelExports } from './runtime.js';

/**
 * When an op runs on these kernels (wasm backend), by its element count n, measured in one process against
 * the JS loops (bench/README.md, "Elementwise kernels"): from `min` elements (below, the copies and the call
 * cost more than the SIMD loop saves); float64 + and × (memory-bound) only up to `maxFloat64Binary`, past
 * which copying two 8-byte operands in and the result out costs what the loop saves. relu and greater (the
 * JS loops' branches mispredict) and column sums (x streamed once) pay at every size measured, up to `max`
 * (2²² elements: the largest measured; the scratch memory grows to hold the operands and is kept for the
 * process's life, so larger tensors stay on the JS loops rather than grow it past ≈ 64 MB).
 */
export const SIMD_SIZES = { min: 256, max: 1 << 22, maxFloat64Binary: 1 << 16 };

/**
 * The kernels for an op of n elements with output `dtype` over operands of dtypes `a`, `b`, when the wasm
 * backend is active, SIMD_SIZES.min ≤ n ≤ SIMD_SIZES.max and, in float64, n ≤ maxFloat64; else null. Float32
 * only when every operand is float32 (an int32 or float64 operand rounded to float32 on the way in could
 * differ from the JS loop, which rounds once at the end).
 */
export function simdKernels(n: number, dtype: DType, a: DType, b: DType = a, maxFloat64 = Infinity): KernelExports | null {
  if (n < SIMD_SIZES.min || n > SIMD_SIZES.max) return null;
  if (dtype === 'float32' ? a !== 'float32' || b !== 'float32' : n > maxFloat64) return null;
  return wasmKernels();
}

/** Bytes left after every region: the kernels run whole 16-byte vectors, up to 15 bytes past the last element. */
const ROOM = 16;

/** The binary ops elementwise.wat has: + and × and the comparison x > y (1 or 0), the ones the training loops run. */
export type WasmBinaryOp = 'add' | 'mul' | 'gt';

/** A float output array: its element type picks the f64x2 or the f32x4 kernels. */
export type FloatOut = Float64Array | Float32Array;

/**
 * The data of one operand in wasm memory at byte address `at`: all `len` values, or, for a
 * single value, that value repeated over 16 bytes (a splat the kernels read with step 0).
 */
function copyOperand(src: TypedArray, len: number, view: FloatOut, at: number): void {
  const base = at / view.BYTES_PER_ELEMENT;
  if (len === 1) view.fill(src[0], base, base + 16 / view.BYTES_PER_ELEMENT);
  else view.set(src.length === len ? src : src.subarray(0, len), base);
}

/**
 * out = x ∘ y over `n` elements, as a new Float32Array when `single` (f32x4), else a Float64Array (f64x2). x holds n values,
 * one value (broadcast), or `m` values repeated along n / m rows (a trailing broadcast:
 * the bias of add(x·W, b)); y likewise. Values are read in the output's precision (the
 * caller passes float32 operands only to a float32 output).
 */
export function wasmBinary(
  k: KernelExports,
  op: WasmBinaryOp,
  x: TypedArray,
  xLen: number,
  y: TypedArray,
  yLen: number,
  n: number,
  single: boolean,
): FloatOut {
  const es = single ? 4 : 8;
  const lay = new Layout();
  const xAt = lay.take(xLen * es + ROOM);
  const yAt = lay.take(yLen * es + ROOM);
  const oAt = lay.take(n * es + ROOM);
  const mem = scratch(k, lay.bytes);
  const view = single ? mem.f32 : mem.f64;
  copyOperand(x, xLen, view, xAt);
  copyOperand(y, yLen, view, yAt);
  const kernel = k[`${op}_${single ? 'f32' : 'f64'}`];
  if (xLen === yLen || xLen === 1 || yLen === 1) {
    kernel(xAt, xLen === 1 ? 0 : 16, yAt, yLen === 1 ? 0 : 16, oAt, n);
  } else {
    // One operand is a row repeated: one call per row, that operand's address fixed.
    const m = Math.min(xLen, yLen);
    const rowBytes = m * es;
    for (let off = 0; off < n * es; off += rowBytes) {
      kernel(xLen === m ? xAt : xAt + off, 16, yLen === m ? yAt : yAt + off, 16, oAt + off, m);
    }
  }
  return view.slice(oAt / es, oAt / es + n);
}

/** Scratch for a kernel of one input: x's first n values copied in (in the output's precision), room for m outputs after them. */
function oneInput(
  k: KernelExports,
  x: TypedArray,
  n: number,
  m: number,
  single: boolean,
): { view: FloatOut; xAt: number; oAt: number; es: number } {
  const es = single ? 4 : 8;
  const lay = new Layout();
  const xAt = lay.take(n * es + ROOM);
  const oAt = lay.take(m * es + ROOM);
  const mem = scratch(k, lay.bytes);
  const view = single ? mem.f32 : mem.f64;
  view.set(x.length === n ? x : x.subarray(0, n), xAt / es);
  return { view, xAt, oAt, es };
}

/** relu(x) = x ≤ 0 ? 0 : x over n values (NaN stays NaN, −0 gives +0), as a new Float32Array when `single`, else Float64Array. */
export function wasmRelu(k: KernelExports, x: TypedArray, n: number, single: boolean): FloatOut {
  const { view, xAt, oAt, es } = oneInput(k, x, n, n, single);
  (single ? k.relu_f32 : k.relu_f64)(xAt, oAt, n);
  return view.slice(oAt / es, oAt / es + n);
}

/**
 * out[c] = Σ_r x[r·cols + c] for a row-major rows × cols block, summed from row 0 down in
 * out's precision (the order and rounding of the JS accumulate loop: equal bit for bit).
 */
export function wasmColumnSums(k: KernelExports, x: TypedArray, rows: number, cols: number, out: FloatOut): void {
  const single = out instanceof Float32Array;
  const { view, xAt, oAt, es } = oneInput(k, x, rows * cols, cols, single);
  (single ? k.colsum_f32 : k.colsum_f64)(xAt, rows, cols, oAt);
  out.set(view.subarray(oAt / es, oAt / es + cols));
}
