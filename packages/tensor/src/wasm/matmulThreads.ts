// matmul on several threads (Node's worker_threads). The rows of C are cut into one block per
// thread: the main thread multiplies the first block while each worker multiplies another on its
// own instance of the kernels (its own memory). Every element of C is summed by the same kernel
// in the same k order as on one thread, so the result is the same bit for bit. `matmul` stays
// synchronous: the main thread waits for the workers with Atomics.wait (allowed in Node).
//
// Data flow per call: the main thread copies the workers' rows of A and all of B (compact,
// row-major, in C's dtype) into one SharedArrayBuffer and posts each worker its block; each
// worker copies its rows in, multiplies and writes its rows of C into the same buffer; the
// main thread copies them into the result.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { XentError } from '../errors.js';
import type { ParallelMatmul } from '../matmul.js';
import { copyIn, matmulPlan, wasmMatmul } from './matmul.js';

/**
 * Below this many multiply-adds (M·K·N) a product stays on one thread: posting the blocks, the
 * copies through the shared buffer and the wake-ups (≈ 0.1 ms) cost more than the second core
 * saves. Measured on 2 cores, 2 threads ÷ 1 (medians of 61 interleaved calls, n³ products):
 * float64 1.32 at 128³, 0.92 at 192³, 0.75 at 256³, 0.66 at 512³; float32 (twice the multiply-adds
 * per second) 1.24 at 192³, 0.96 at 256³, 0.84 at 320³, 0.70 at 512³.
 */
export const THREADS_MIN_WORK: { readonly float64: number; readonly float32: number } = { float64: 2 ** 23, float32: 2 ** 24 };

/** The most threads `setMatmulThreads` accepts: the cores Node reports. */
export function maxMatmulThreads(): number {
  return availableParallelism();
}

// A worker's status word in the shared `flags`: it starts at 0 (not started yet), the worker
// sets IDLE when it can take work, the main thread sets BUSY when it posts a block, and the
// worker sets IDLE (done) or FAILED (its memory could not grow) when the block is multiplied.
const IDLE = 1;
const BUSY = 2;
const FAILED = 3;

// The worker, started from this string (eval) so that it resolves the same way from the
// sources, from dist and from an installed package. It runs as CommonJS or as an ES module
// (a parent started with --input-type=module), so it loads worker_threads with import().
const WORKER_SOURCE = `
import('node:worker_threads').then(({ parentPort, workerData }) => {
  // This worker's own instance of the kernels, with its own memory.
  const k = new WebAssembly.Instance(workerData.module, {}).exports;
  const flags = new Int32Array(workerData.flags);
  const slot = workerData.slot;
  parentPort.on('message', (j) => {
    let status = ${IDLE};
    try {
      // Grow the memory to the block's plan (64 KiB pages).
      const have = k.memory.buffer.byteLength;
      if (j.bytes > have) k.memory.grow(Math.ceil((j.bytes - have) / 65536));
      const mem = new Uint8Array(k.memory.buffer);
      const shared = new Uint8Array(j.shared);
      // Copy this block's rows of A and all of B in (both compact, row-major).
      mem.set(shared.subarray(j.aFrom, j.aFrom + j.M * j.K * j.es), j.aAt);
      mem.set(shared.subarray(j.bFrom, j.bFrom + j.K * j.N * j.es), j.bAt);
      // Multiply with the main thread's kernel; rows of C lie ldc elements apart.
      k[j.kernel](j.aAt, j.K * j.es, j.es, j.bAt, j.N * j.es, j.es, j.M, j.K, j.N, j.apAt, j.bpAt, j.cAt, j.ldc * j.es);
      // Copy the block's rows of C out into the shared buffer.
      const row = j.N * j.es;
      for (let i = 0; i < j.M; i++) {
        const from = j.cAt + i * j.ldc * j.es;
        shared.set(mem.subarray(from, from + row), j.cTo + i * row);
      }
    } catch {
      status = ${FAILED};
    }
    // Done: set the status word and wake the main thread waiting on it.
    Atomics.store(flags, slot, status);
    Atomics.notify(flags, slot);
  });
  // Ready for work.
  Atomics.store(flags, slot, ${IDLE});
  parentPort.postMessage('ready');
});
`;

/**
 * Worker threads that multiply row blocks of C, each with a status word in `flags`. A worker takes
 * blocks once it has started (IDLE); until then its share runs on the threads that have.
 */
export class MatmulPool {
  private readonly workers: Worker[] = [];
  private readonly flags: Int32Array;
  private shared = new SharedArrayBuffer(0);
  /** Settles when every worker has started (rejects with the error of one that could not). */
  readonly ready: Promise<void>;

  /** Starts `threads − 1` workers (the main thread is the other one), unref'd so that they never keep the process alive. */
  constructor(
    readonly threads: number,
    module: object,
  ) {
    this.flags = new Int32Array(new SharedArrayBuffer(4 * threads));
    for (let slot = 0; slot < threads - 1; slot++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, flags: this.flags.buffer, slot } });
      worker.unref();
      this.workers.push(worker);
    }
    const started = (w: Worker): Promise<void> =>
      new Promise((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
    this.ready = Promise.all(this.workers.map(started)).then(() => undefined);
    this.ready.catch(() => undefined); // whoever does not await it still gets a working (slower) matmul
  }

  /** Stops the workers; the promise settles with their exit codes once every one has exited. */
  terminate(): Promise<number[]> {
    const exits = Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    return exits;
  }

  /**
   * C[cOff …] = A·B with the rows of C split over the threads, or false (nothing done) when the
   * product is too small or has too few rows for two blocks of 4 (the kernel's tile height).
   */
  readonly matmul: ParallelMatmul = (k, a, b, C, cOff, M, K, N) => {
    if (M * K * N < THREADS_MIN_WORK[C instanceof Float32Array ? 'float32' : 'float64']) return false;
    // The workers that have started (their slots); the blocks go to them and to this thread.
    const idle = this.workers.map((_, slot) => slot).filter((slot) => Atomics.load(this.flags, slot) === IDLE);
    const threads = 1 + idle.length;
    const rows = Math.ceil(Math.ceil(M / threads) / 4) * 4;
    const blocks = Math.min(Math.ceil(M / rows), threads);
    if (blocks < 2) return false;
    const single = C instanceof Float32Array;
    const es = single ? 4 : 8;
    // The shared buffer: the workers' rows of A, B, their rows of C.
    const r0 = rows;
    const aFrom = 0;
    const bFrom = aFrom + (M - r0) * K * es;
    const cTo = bFrom + K * N * es;
    const sharedBytes = cTo + (M - r0) * N * es;
    if (this.shared.byteLength < sharedBytes) this.shared = new SharedArrayBuffer(sharedBytes); // kept for the next call
    const view = single ? new Float32Array(this.shared) : new Float64Array(this.shared);
    copyIn({ ...a, offset: a.offset + r0 * a.rowStride }, M - r0, K, view, aFrom, es, false);
    copyIn(b, K, N, view, bFrom, es, false);
    // Post each worker its block.
    for (let w = 1; w < blocks; w++) {
      const i0 = w * rows;
      const m = Math.min(M, i0 + rows) - i0;
      const [ldc, bytes, aAt, bAt, apAt, bpAt, cAt] = matmulPlan(m, K, N, es);
      Atomics.store(this.flags, idle[w - 1], BUSY);
      this.workers[idle[w - 1]].postMessage({
        es,
        ldc,
        bytes,
        aAt,
        bAt,
        apAt,
        bpAt,
        cAt,
        shared: this.shared,
        kernel: single ? 'matmul_f32' : 'matmul_f64',
        M: m,
        K,
        N,
        aFrom: aFrom + (i0 - r0) * K * es,
        bFrom,
        cTo: cTo + (i0 - r0) * N * es,
      });
    }
    let failed = false;
    try {
      // The first block on this thread, straight from the operands.
      wasmMatmul(k, a, b, C, cOff, r0, K, N);
    } finally {
      // Wait for every worker (also when this thread failed: no job may still run when the next one is posted).
      for (let w = 1; w < blocks; w++) {
        const slot = idle[w - 1];
        while (Atomics.load(this.flags, slot) === BUSY) Atomics.wait(this.flags, slot, BUSY);
        failed ||= Atomics.load(this.flags, slot) === FAILED;
        Atomics.store(this.flags, slot, IDLE);
      }
    }
    if (failed) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `matmul: a worker thread failed on its rows of a [${M}, ${K}]·[${K}, ${N}] product (its WebAssembly memory ` +
          `could not grow, or its kernel trapped); use smaller matrices, or setMatmulThreads(1).`,
      );
    }
    const c = cTo / es;
    C.set(view.subarray(c, c + (M - r0) * N), cOff + r0 * N);
    return true;
  };
}
