// The WebAssembly kernels at run time: one instance of the embedded module,
// compiled synchronously on first use, with one growable memory that every
// kernel call borrows as scratch (operands are copied in, results copied out).
//
// Backend choice: 'wasm' when WebAssembly with SIMD is available, else 'js';
// XENT_BACKEND=js in the environment (Node) or setBackend('js') forces the
// pure-JS kernels. Both compute the same values (float64 agrees to 1e-12 relative).
import { XentError, checkArgCount } from '../errors.js';
import { KERNELS_WASM_HEX } from './kernels.generated.js';

/** The module's exports. Addresses and strides are byte offsets into `memory`. */
export interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  matmul_f64(
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    M: number,
    K: number,
    N: number,
    Ap: number,
    Bp: number,
    c: number,
    ldc: number,
  ): void;
  matmul_f32(
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    M: number,
    K: number,
    N: number,
    Ap: number,
    Bp: number,
    c: number,
    ldc: number,
  ): void;
  gemv_f32(a: number, ars: number, acs: number, x: number, M: number, K: number, y: number): void;
  gemv_f64(a: number, ars: number, acs: number, x: number, M: number, K: number, y: number): void;
  exp_f64(x: number, y: number, n: number): void;
  log1p_f64(x: number, y: number, n: number): void;
  softmax_xent_f64(
    z: number,
    p: number,
    rows: number,
    cols: number,
    loss: number,
    e: number,
    rowSum: number,
    targetSum: number,
    flags: number,
  ): number;
  sparse_softmax_xent_f64(
    z: number,
    labels: number,
    rows: number,
    cols: number,
    loss: number,
    e: number,
    rowSum: number,
    want: number,
  ): number;
  sigmoid_xent_f64(z: number, p: number, w: number, n: number, loss: number, sig: number, sigNeg: number, flags: number): number;
  /** The float32 cross entropies: the float64 kernels' parameters over float32 arrays (see crossEntropy.wat). */
  softmax_xent_f32: KernelExports['softmax_xent_f64'];
  sparse_softmax_xent_f32: KernelExports['sparse_softmax_xent_f64'];
  sigmoid_xent_f32: KernelExports['sigmoid_xent_f64'];
  /** The softmax cross-entropy backward from the forward's residuals, written over e (see crossEntropy.wat). */
  softmax_xent_backward(
    e: number,
    p: number,
    rowSum: number,
    targetSum: number,
    g: number,
    step: number,
    rows: number,
    cols: number,
    f32: number,
  ): void;
  /** y[i] = exp(x[i]) (f = 0) or log1p(x[i]) (f = 1) for n float32 values, four lanes at a time (for the tests). */
  unary_f32(x: number, y: number, n: number, f: number): void;
  // elementwise.wat: o = x ∘ y over n elements, x and y advancing sx, sy bytes per vector (16, or 0 for a splat value);
  // every kernel reads and writes whole 16-byte vectors (up to 15 bytes past each region).
  add_f64(x: number, sx: number, y: number, sy: number, o: number, n: number): void;
  mul_f64(x: number, sx: number, y: number, sy: number, o: number, n: number): void;
  gt_f64(x: number, sx: number, y: number, sy: number, o: number, n: number): void;
  add_f32(x: number, sx: number, y: number, sy: number, o: number, n: number): void;
  mul_f32(x: number, sx: number, y: number, sy: number, o: number, n: number): void;
  gt_f32(x: number, sx: number, y: number, sy: number, o: number, n: number): void;
  relu_f64(x: number, o: number, n: number): void;
  relu_f32(x: number, o: number, n: number): void;
  colsum_f64(x: number, rows: number, cols: number, o: number): void;
  colsum_f32(x: number, rows: number, cols: number, o: number): void;
}

/** Which kernels run: WebAssembly SIMD, or the pure-JS loops. */
export type Backend = 'wasm' | 'js';

function decodeHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The parts of the WebAssembly JS API used here (typed locally: the lib has no DOM, and some hosts have no WebAssembly). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

let instance: KernelExports | null | undefined;

/** Compiles and instantiates the module once; null where WebAssembly or its SIMD is missing. */
function load(): KernelExports | null {
  if (instance !== undefined) return instance;
  instance = null;
  const wa = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wa === undefined) return null;
  try {
    const bytes = decodeHex(KERNELS_WASM_HEX);
    if (!wa.validate(bytes)) return null; // no SIMD (or too old an engine)
    instance = new wa.Instance(new wa.Module(bytes), {}).exports as KernelExports;
  } catch {
    instance = null;
  }
  return instance;
}

/**
 * Compiles the embedded module anew: a `WebAssembly.Module`, which worker threads can instantiate
 * (each with its own memory), or null where WebAssembly SIMD is missing.
 */
export function compileKernels(): object | null {
  const wa = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  const bytes = decodeHex(KERNELS_WASM_HEX);
  return wa !== undefined && wa.validate(bytes) ? new wa.Module(bytes) : null;
}

function envBackend(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.XENT_BACKEND;
}

let chosen: Backend | undefined;

/**
 * The active backend ('wasm' unless WebAssembly SIMD is missing or XENT_BACKEND=js / setBackend('js') chose 'js').
 * Throws XentError INVALID_OPTION when XENT_BACKEND holds another value ('JS', 'javascript'): a typo would
 * otherwise run the other backend without a word.
 */
export function getBackend(): Backend {
  checkArgCount('getBackend', arguments.length, 0, "it takes no argument; setBackend('js' | 'wasm') chooses");
  return activeBackend();
}

/** getBackend without its argument check, for the kernels (so a page bundle carries this one alone, at no extra byte). */
function activeBackend(): Backend {
  if (chosen === undefined) {
    const env = envBackend();
    if (env !== undefined && env !== '' && env !== 'js' && env !== 'wasm') {
      throw new XentError('INVALID_OPTION', `XENT_BACKEND: found '${env}'; set 'js' or 'wasm'.`);
    }
    chosen = env === 'js' || load() === null ? 'js' : 'wasm';
  }
  return chosen;
}

/**
 * Chooses the kernels: 'js' (pure JavaScript) or 'wasm' (WebAssembly SIMD).
 * Throws XentError INVALID_OPTION for another name, or for 'wasm' where this engine
 * cannot run the module (no WebAssembly SIMD).
 */
export function setBackend(name: Backend): void {
  checkArgCount('setBackend', arguments.length, 1, "pass the backend's name only, 'wasm' or 'js'");
  if (name !== 'js' && name !== 'wasm') {
    throw new XentError('INVALID_OPTION', `setBackend: found ${JSON.stringify(name)}; the backend is 'wasm' or 'js'.`);
  }
  if (name === 'wasm' && load() === null) {
    throw new XentError('INVALID_OPTION', `setBackend: 'wasm' is not available here (this engine has no WebAssembly SIMD); use 'js'.`);
  }
  chosen = name;
}

/** The kernels when the wasm backend is active, else null (callers then run their JS loops). */
export function wasmKernels(): KernelExports | null {
  return activeBackend() === 'wasm' ? load() : null;
}

// ---------------------------------------------------------------- scratch memory

let f64: Float64Array = new Float64Array(0);
let f32: Float32Array = new Float32Array(0);
let i32: Int32Array = new Int32Array(0);

/**
 * Makes the memory at least `bytes` long (growing it when needed) and returns
 * typed views of all of it. Views are remade after a grow (growing detaches the old buffer).
 */
export function scratch(k: KernelExports, bytes: number): { f64: Float64Array; f32: Float32Array; i32: Int32Array } {
  const mem = k.memory;
  const have = mem.buffer.byteLength;
  if (bytes > have) {
    try {
      mem.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      // The engine's RangeError ("Unable to grow instance memory") says nothing about the call or the fix.
      throw new XentError(
        'INVALID_ARGUMENT',
        `WebAssembly backend: this kernel needs ${Math.ceil(bytes / 2 ** 20)} MiB of WebAssembly memory, more than can be reserved; ` +
          `use smaller batches, or setBackend('js') for this size.`,
      );
    }
  }
  if (f64.buffer !== mem.buffer || f64.length === 0) {
    f64 = new Float64Array(mem.buffer);
    f32 = new Float32Array(mem.buffer);
    i32 = new Int32Array(mem.buffer);
  }
  return { f64, f32, i32 };
}

/** A bump allocator over the scratch memory, 16-byte aligned, reset per kernel call. */
export class Layout {
  bytes = 0;
  /**
   * Reserves n bytes and returns their address. Rounded up with Math.ceil, not `(n + 15) & ~15`: bitwise
   * operators work in int32, so a region of 2 GiB or more (a matmul's A plan of a [8192, 16384] broadcast
   * view) would wrap to a negative or zero size and overlap the next one.
   */
  take(n: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(n / 16) * 16;
    return at;
  }
}
