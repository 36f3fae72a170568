// @xent/tensor/threads (Node only): matmul on several threads. Off by default; importing this
// entry changes nothing until setMatmulThreads(n) with n > 1. The main entry never imports it,
// so a browser bundle carries no worker_threads. See docs/DESIGN.md, "Threads".
import { XentError, checkArgCount } from './errors.js';
import { describe } from './input.js';
import { setParallelMatmul } from './matmul.js';
import { MatmulPool, maxMatmulThreads } from './wasm/matmulThreads.js';
import { compileKernels } from './wasm/runtime.js';

export { THREADS_MIN_WORK } from './wasm/matmulThreads.js';

let pool: MatmulPool | null = null;
/** The kernels compiled once for the workers (undefined: not yet; null: no WebAssembly SIMD here). */
let compiled: object | null | undefined;

/**
 * Runs large matrix products on `n` threads in Node (n = 1, the default, is off).
 *
 * The calling thread and n − 1 worker threads share each product on the WebAssembly backend,
 * float64 and float32, when M·K·N ≥ THREADS_MIN_WORK (2²³ ≈ 203³ multiply-adds in float64,
 * 2²⁴ = 256³ in float32):
 * the rows of the result are split between the threads, and every value is the one the
 * single-thread kernel gives, bit for bit. `n = 1` (the default) turns it off and terminates the
 * workers (the promise then resolves once they have exited). The workers are unref'd: they never keep a process alive. `matmul` stays synchronous.
 * On the JS backend (`XENT_BACKEND=js`, `setBackend('js')`) the threads are not used.
 * The workers take a few tens of milliseconds to start, and products run on the threads that have
 * started: the returned promise resolves when all of them have (await it before timing anything),
 * or rejects with the error of a worker that could not start (then matmul keeps running on the
 * others). Throws XentError INVALID_OPTION unless n is a whole number from 1 to os.availableParallelism().
 */
export function setMatmulThreads(n: number): Promise<void> {
  checkArgCount('setMatmulThreads', arguments.length, 1, 'pass the number of threads only, e.g. setMatmulThreads(4)');
  const max = maxMatmulThreads();
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new XentError(
      'INVALID_OPTION',
      `setMatmulThreads: n must be a whole number from 1 (one thread: off) to ${max} (os.availableParallelism() here); found ${describe(n)}.`,
    );
  }
  if (pool !== null && n === pool.threads) return pool.ready;
  const stopped = pool?.terminate();
  pool = null;
  setParallelMatmul(null);
  if (compiled === undefined) compiled = compileKernels();
  const module = compiled;
  if (n === 1 || module === null) return (stopped ?? Promise.resolve()).then(() => undefined);
  const started = new MatmulPool(n, module);
  pool = started;
  setParallelMatmul(started.matmul);
  return started.ready;
}

/** The number of threads matmul uses: 1 (off) by default, and where WebAssembly is missing. */
export function getMatmulThreads(): number {
  checkArgCount('getMatmulThreads', arguments.length, 0, 'it takes no argument; setMatmulThreads(n) sets the number');
  return pool === null ? 1 : pool.threads;
}
