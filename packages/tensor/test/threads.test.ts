// matmul on worker threads (@xent/tensor/threads): the same bits as the single-thread wasm kernel,
// the refusals of setMatmulThreads, workers that stop when turned off and never keep a process alive.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Rng, Tensor, XentError, matmul, readFlat, slice, tensor, transpose } from '@xent/tensor';
import { makeView, setParallelMatmul, type ParallelMatmul } from '@xent/tensor/internal';
import { THREADS_MIN_WORK, getMatmulThreads, setMatmulThreads } from '@xent/tensor/threads';
import { MatmulPool } from '../src/wasm/matmulThreads.js';
import { compileKernels, wasmKernels } from '../src/wasm/runtime.js';
import wabt from 'wabt';
import { on, wasmAvailable } from './backends.js';

type Float = 'float64' | 'float32';

function random(shape: number[], rng: Rng, dtype: Float): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, () => rng.uniform(-1, 1)),
    { shape, dtype },
  );
}

/** Every element the same number, bit for bit (the index of the first difference otherwise). */
function firstDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return -2;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Counts the products the installed multi-thread matmul took (returned true for). */
let threaded = 0;

/** Wraps the hook setMatmulThreads installed so the tests can see that the threads ran. */
function countThreadedCalls(): void {
  const inner = setParallelMatmul(null);
  expect(inner).not.toBeNull();
  const counting: ParallelMatmul = (...args) => {
    const took = inner!(...args);
    if (took) threaded++;
    return took;
  };
  setParallelMatmul(counting);
}

/** matmul(a, b) on one thread and on two (wasm backend): the flat results. */
async function oneAndTwo(a: Tensor, b: Tensor): Promise<[single: ArrayLike<number>, multi: ArrayLike<number>]> {
  await setMatmulThreads(1);
  const single = on('wasm', () => readFlat(matmul(a, b)));
  await setMatmulThreads(2);
  countThreadedCalls();
  const multi = on('wasm', () => readFlat(matmul(a, b)));
  return [single, multi];
}

const twoCores = availableParallelism() >= 2;

afterAll(async () => {
  await setMatmulThreads(1);
});

describe('setMatmulThreads', () => {
  it('is off by default and refuses a count that is not a whole number from 1 to the cores, changing nothing', async () => {
    expect(getMatmulThreads()).toBe(1);
    const max = availableParallelism();
    for (const bad of [0, -1, 1.5, NaN, Infinity, max + 1, '2' as unknown as number]) {
      expect(() => setMatmulThreads(bad)).toThrow(XentError);
      try {
        setMatmulThreads(bad);
      } catch (e) {
        expect((e as XentError).code).toBe('INVALID_OPTION');
        expect((e as Error).message).toMatch(/^setMatmulThreads: n must be a whole number from 1 .* to \d+ .*; found /);
      }
      expect(getMatmulThreads()).toBe(1);
    }
    await setMatmulThreads(1);
    expect(getMatmulThreads()).toBe(1);
  });
});

describe.runIf(wasmAvailable && twoCores)('matmul on two threads', () => {
  beforeEach(() => {
    threaded = 0;
  });
  afterEach(async () => {
    await setMatmulThreads(1);
  });

  it('gives the single-thread result bit for bit, float64 and float32, odd sizes and every layout', async () => {
    const rng = new Rng(11);
    const [M, K, N] = [261, 257, 259]; // M·K·N ≈ 1.05 · 256³, none a multiple of 4
    expect(M * K * N).toBeGreaterThanOrEqual(THREADS_MIN_WORK.float32);
    for (const dtype of ['float64', 'float32'] as const) {
      const layouts: Record<string, [Tensor, Tensor]> = {
        plain: [random([M, K], rng, dtype), random([K, N], rng, dtype)],
        transposed: [transpose(random([K, M], rng, dtype)), transpose(random([N, K], rng, dtype))],
        sliced: [
          slice(random([M + 3, K + 2], rng, dtype), [
            [2, M + 2],
            [1, K + 1],
          ]),
          random([K, N], rng, dtype),
        ],
        // neither axis of A contiguous (A[i, k] = data[2i + 2M·k]): copied element by element
        strided: [new Tensor(makeView(random([2 * M * K], rng, dtype).values(), [M, K], [2, 2 * M])), random([K, N], rng, dtype)],
        batched: [random([2, M, K], rng, dtype), random([K, N], rng, dtype)],
        batchOfOne: [random([1, M, K], rng, dtype), random([2, K, N], rng, dtype)],
      };
      for (const [layout, [a, b]] of Object.entries(layouts)) {
        const before = threaded;
        const [single, multi] = await oneAndTwo(a, b);
        expect(firstDifference(multi, single), `${dtype} ${layout}`).toBe(-1);
        expect(threaded, `${dtype} ${layout}: the threads ran`).toBe(before + (layout.startsWith('batch') ? 2 : 1));
      }
    }
  });

  it('with fewer rows than two blocks of four runs on one thread, with more splits them unevenly; the same bits', async () => {
    const rng = new Rng(12);
    for (const [M, took] of [
      [2, 0],
      [4, 0],
      [5, 1],
    ] as const) {
      const K = 1800;
      const N = 2400; // M·K·N ≥ 2²³ from M = 2
      const a = random([M, K], rng, 'float64');
      const b = random([K, N], rng, 'float64');
      threaded = 0;
      const [single, multi] = await oneAndTwo(a, b);
      expect(firstDifference(multi, single), `M = ${M}`).toBe(-1);
      expect(threaded, `M = ${M}`).toBe(took);
    }
  });

  it('leaves products below THREADS_MIN_WORK, and everything on the JS backend, to one thread', async () => {
    const rng = new Rng(13);
    const a = random([200, 200], rng, 'float64');
    const b = random([200, 200], rng, 'float64');
    expect(200 ** 3).toBeLessThan(THREADS_MIN_WORK.float64);
    await setMatmulThreads(2);
    countThreadedCalls();
    on('wasm', () => matmul(a, b));
    expect(threaded).toBe(0);
    const big = random([256, 257], rng, 'float64');
    const js = on('js', () => readFlat(matmul(big, transpose(big))));
    expect(threaded).toBe(0);
    const wasm = on('wasm', () => readFlat(matmul(big, transpose(big))));
    expect(threaded).toBe(1);
    expect(wasm).toBeAllClose(js, { rtol: 1e-12, atol: 0 });
  });

  it('switching the count between products, awaited or not, and many small products: the single-thread bits, no hang', async () => {
    const rng = new Rng(15);
    const a = random([260, 300], rng, 'float64');
    const b = random([300, 250], rng, 'float64');
    await setMatmulThreads(1);
    const want = on('wasm', () => readFlat(matmul(a, b)));
    for (const n of [2, 1, 2, 2, 1, 2]) {
      void setMatmulThreads(n); // not awaited: products run on the workers that have started (none yet, or all)
      expect(
        firstDifference(
          on('wasm', () => readFlat(matmul(a, b))),
          want,
        ),
        `n = ${n}`,
      ).toBe(-1);
    }
    await setMatmulThreads(2);
    expect(
      firstDifference(
        on('wasm', () => readFlat(matmul(a, b))),
        want,
      ),
    ).toBe(-1);
    const small = random([4, 4], rng, 'float64');
    const once = on('wasm', () => readFlat(matmul(small, small)));
    for (let i = 0; i < 500; i++)
      expect(
        firstDifference(
          on('wasm', () => readFlat(matmul(small, small))),
          once,
        ),
      ).toBe(-1);
  });

  it('setMatmulThreads(1) removes the threads from matmul and terminates the workers', async () => {
    await setMatmulThreads(2);
    expect(getMatmulThreads()).toBe(2);
    await setMatmulThreads(1);
    expect(getMatmulThreads()).toBe(1);
    expect(setParallelMatmul(null)).toBeNull();
    const pool = new MatmulPool(2, compileKernels()!);
    await pool.ready;
    expect(await pool.terminate()).toEqual([1]); // worker.terminate() resolves with exit code 1
  });
});

describe.runIf(wasmAvailable && twoCores)('a worker that fails on its block', () => {
  it('makes matmul throw an XentError naming matmul (never a hang or a wrong C), and the pool takes the next product', async () => {
    // A module whose matmul kernels trap, as a worker whose memory cannot grow would fail: the worker catches it,
    // reports FAILED through its status word and the calling thread throws after waiting for every worker.
    const w = await wabt();
    const params = '(param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)';
    const text = `(module (memory (export "memory") 1) (func (export "matmul_f64") ${params} unreachable) (func (export "matmul_f32") ${params} unreachable))`;
    const mod = w.parseWat('trap.wat', text);
    const bytes = mod.toBinary({}).buffer;
    mod.destroy();
    const pool = new MatmulPool(
      2,
      new (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object } }).WebAssembly.Module(bytes),
    );
    await pool.ready;
    const k = on('wasm', () => wasmKernels())!;
    const rng = new Rng(14);
    const [M, K, N] = [64, 400, 400]; // M·K·N ≥ THREADS_MIN_WORK.float64: the pool takes it
    const a = random([M, K], rng, 'float64');
    const b = random([K, N], rng, 'float64');
    const item = (t: Tensor) => ({ data: t.view.data, offset: 0, rowStride: t.view.stride[0], colStride: t.view.stride[1] });
    for (let round = 0; round < 2; round++) {
      const C = new Float64Array(M * N);
      expect(() => pool.matmul(k, item(a), item(b), C, 0, M, K, N)).toThrow(
        /^matmul: a worker thread failed on its rows of a \[64, 400\]·\[400, 400\] product .*setMatmulThreads\(1\)/,
      );
    }
    await pool.terminate();
  });
});

describe.runIf(wasmAvailable && twoCores)('a process that turned the threads on', () => {
  it('exits by itself: the workers are unref’d', () => {
    const code = [
      "import { matmul, ones } from '@xent/tensor';",
      "import { setMatmulThreads } from '@xent/tensor/threads';",
      'await setMatmulThreads(2);',
      'const c = matmul(ones([300, 300]), ones([300, 300]));',
      'console.log(c.shape.join("x"), readFlatLast(c));',
      'function readFlatLast(t) { return t.toArray()[299][299]; }',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--conditions=@xent/source', '--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('300x300 300');
    expect(run.status).toBe(0);
  });
});
