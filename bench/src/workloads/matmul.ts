// matmul: C[M×N] = A[M×K] · B[K×N], row-major, in float64 or float32.
// xent `matmul` against tf.matMul (cpu and wasm backends), two hand-written JS loops
// and a hand-written WebAssembly SIMD kernel on pre-packed operands (the limit).
import { availableParallelism } from 'node:os';
import { fromFlat, matmul, readFlat, type Tensor } from '@xent/tensor';
import { setParallelMatmul } from '@xent/tensor/internal';
import { setMatmulThreads } from '@xent/tensor/threads';
import { inDType, uniform } from '../data.js';
import type { FloatDType, Impl, Prepared, Workload } from '../runner.js';
import { TfScope, tf, tfCpu, tfWasm } from '../tfjs.js';
import { handMatmul } from '../wasm/handMatmul.js';

// ---------------------------------------------------------------- hand-written loops

// The naive loop exists once per array type on purpose: a loop that sees both
// Float64Array and Float32Array becomes polymorphic in V8 and slows down, and
// a hand-written loop should be the best case for its dtype.

/** Naive i-k-j triple loop (row of A times B, accumulated into the row of C). */
export function naiveMatmulF64(A: Float64Array, B: Float64Array, C: Float64Array, M: number, K: number, N: number): void {
  C.fill(0);
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    for (let k = 0; k < K; k++) {
      const a = A[i * K + k];
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** The same loop over float32 arrays (accumulates in C, so it rounds to float32 at every step). */
export function naiveMatmulF32(A: Float32Array, B: Float32Array, C: Float32Array, M: number, K: number, N: number): void {
  C.fill(0);
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    for (let k = 0; k < K; k++) {
      const a = A[i * K + k];
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** Scratch sizes (in float64s) for blockedMatmul's packed panels. */
export function panelSizes(M: number, K: number, N: number): { a: number; b: number } {
  return { a: Math.ceil(M / 4) * 4 * K, b: Math.ceil(N / 4) * 4 * K };
}

/**
 * Packs A [M×K] into ⌈M/4⌉ panels of 4 rows, k-major: Ap[(p·K + k)·4 + r] = A[4p + r, k].
 * Rows past M are zero, so the micro-kernel never needs an edge case.
 */
export function packRows4(A: ArrayLike<number>, M: number, K: number, Ap: Float64Array): void {
  const panels = Math.ceil(M / 4);
  for (let p = 0; p < panels; p++) {
    const base = p * K * 4;
    for (let r = 0; r < 4; r++) {
      const i = p * 4 + r;
      if (i < M) {
        const row = i * K;
        for (let k = 0; k < K; k++) Ap[base + k * 4 + r] = A[row + k];
      } else {
        for (let k = 0; k < K; k++) Ap[base + k * 4 + r] = 0;
      }
    }
  }
}

/** Packs B [K×N] into ⌈N/4⌉ panels of 4 columns, k-major: Bp[(q·K + k)·4 + c] = B[k, 4q + c]; columns past N are zero. */
export function packCols4(B: ArrayLike<number>, K: number, N: number, Bp: Float64Array): void {
  const panels = Math.ceil(N / 4);
  for (let q = 0; q < panels; q++) {
    const base = q * K * 4;
    const j = q * 4;
    const w = Math.min(4, N - j);
    for (let k = 0; k < K; k++) {
      const s = k * N + j;
      const d = base + k * 4;
      for (let c = 0; c < 4; c++) Bp[d + c] = c < w ? B[s + c] : 0;
    }
  }
}

/**
 * Register-blocked matmul: A and B are packed into 4-row and 4-column panels
 * (float64, k-major, zero-padded), then each 4×4 tile of C is summed in 16
 * locals over the whole k loop: per k step, 8 contiguous loads feed 16
 * multiply-adds. Accumulates in float64 and rounds once when storing into C.
 * Ap and Bp are scratch of panelSizes(M, K, N).
 */
export function blockedMatmul(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  C: Float64Array | Float32Array,
  M: number,
  K: number,
  N: number,
  Ap: Float64Array,
  Bp: Float64Array,
): void {
  packRows4(A, M, K, Ap);
  packCols4(B, K, N, Bp);
  const mp = Math.ceil(M / 4);
  const np = Math.ceil(N / 4);
  const L = K * 4;
  for (let p = 0; p < mp; p++) {
    const a0 = p * L;
    for (let q = 0; q < np; q++) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let a = a0, b = q * L, end = a0 + L; a < end; a += 4, b += 4) {
        const b0 = Bp[b],
          b1 = Bp[b + 1],
          b2 = Bp[b + 2],
          b3 = Bp[b + 3];
        let x = Ap[a];
        s00 += x * b0;
        s01 += x * b1;
        s02 += x * b2;
        s03 += x * b3;
        x = Ap[a + 1];
        s10 += x * b0;
        s11 += x * b1;
        s12 += x * b2;
        s13 += x * b3;
        x = Ap[a + 2];
        s20 += x * b0;
        s21 += x * b1;
        s22 += x * b2;
        s23 += x * b3;
        x = Ap[a + 3];
        s30 += x * b0;
        s31 += x * b1;
        s32 += x * b2;
        s33 += x * b3;
      }
      const i = p * 4;
      const j = q * 4;
      if (i + 4 <= M && j + 4 <= N) {
        const c = i * N + j;
        C[c] = s00;
        C[c + 1] = s01;
        C[c + 2] = s02;
        C[c + 3] = s03;
        C[c + N] = s10;
        C[c + N + 1] = s11;
        C[c + N + 2] = s12;
        C[c + N + 3] = s13;
        C[c + 2 * N] = s20;
        C[c + 2 * N + 1] = s21;
        C[c + 2 * N + 2] = s22;
        C[c + 2 * N + 3] = s23;
        C[c + 3 * N] = s30;
        C[c + 3 * N + 1] = s31;
        C[c + 3 * N + 2] = s32;
        C[c + 3 * N + 3] = s33;
      } else {
        const tile = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
        for (let r = 0; r < 4 && i + r < M; r++) {
          for (let c = 0; c < 4 && j + c < N; c++) C[(i + r) * N + j + c] = tile[r * 4 + c];
        }
      }
    }
  }
}

// ---------------------------------------------------------------- the workload

export interface MatmulOptions {
  dtype: FloatDType;
  /** A is [m, k], B is [k, n]; 512 each by default. */
  m?: number;
  k?: number;
  n?: number;
  seed?: number;
  /**
   * A scaling row: only xent, tfjs-wasm and the hand WASM kernel (the JS loops and
   * the tfjs cpu backend take seconds at 1024³), named matmul-f64-<m>.
   */
  scaling?: boolean;
  /**
   * Adds the row 'xent: <threads> threads': the same call with setMatmulThreads(threads) (the xent
   * row keeps one thread). Skipped where Node reports fewer cores.
   */
  threads?: number;
}

/** The row name of xent's matmul on `threads` threads. */
export function threadsName(threads: number): string {
  return `xent: ${threads} threads`;
}

/**
 * The row of `xent: n threads`: setMatmulThreads(n) in setup (waiting for the workers), then the
 * multi-thread hook installed only around this row's calls, so that the xent row stays on one thread.
 */
async function threadsImpl(a: Tensor, b: Tensor, threads: number): Promise<Impl> {
  await setMatmulThreads(threads);
  const hook = setParallelMatmul(null);
  let out: Tensor | null = null;
  return {
    name: threadsName(threads),
    kind: 'variant',
    note: `setMatmulThreads(${threads}) (@xent/tensor/threads, Node): the rows of C split over the calling thread and ${threads - 1} worker thread(s), each on its own instance of the same kernel; A's rows and B go through a SharedArrayBuffer, the caller waits with Atomics.wait.`,
    run: () => {
      setParallelMatmul(hook);
      try {
        out = matmul(a, b);
      } finally {
        setParallelMatmul(null);
      }
    },
    result: () => readFlat(out!),
  };
}

/** The name of the hand WebAssembly kernel row for a dtype. */
export function handName(dtype: FloatDType): string {
  return dtype === 'float64' ? 'wasm: hand f64x2' : 'wasm: hand f32x4';
}

export function matmulWorkload({ dtype, m = 512, k = m, n = m, seed = 20261125, scaling = false, threads }: MatmulOptions): Workload {
  const threaded = threads !== undefined && threads > 1 && availableParallelism() >= threads ? threads : null;
  const name = `matmul-${dtype === 'float64' ? 'f64' : 'f32'}${scaling ? `-${m}` : ''}`;
  const flops = 2 * m * k * n;
  const hand = handName(dtype);
  return {
    name,
    description: `C = A·B with A [${m}, ${k}] and B [${k}, ${n}] uniform in [−1, 1), ${dtype}; ${flops.toExponential(2)} flops per run.`,
    dtype,
    throughput: { perRun: flops, unit: 'GFLOP/s', scale: 1e9 },
    maxSeconds: scaling ? 12 : undefined,
    goals: [
      ...(scaling
        ? []
        : dtype === 'float32'
          ? [
              { baseline: 'tfjs-wasm', maxRatio: 1 },
              { baseline: 'tfjs', maxRatio: 1 / 3 },
            ]
          : [
              { baseline: hand, maxRatio: 1.3 },
              { baseline: 'tfjs', maxRatio: 1 / 3 },
              { baseline: 'loop: blocked 4×4', maxRatio: 1.3 },
            ]),
      // A modest goal: two threads at most 0.8× one (ideally 0.5; the copies through the shared buffer and a busy machine take some).
      ...(threaded !== null && !scaling ? [{ subject: threadsName(threaded), baseline: 'xent', maxRatio: 0.8 }] : []),
    ],
    notes: [
      ...(scaling ? [] : ['The JS loops write into an output (and panels) allocated once.']),
      'xent copies A and B into its WebAssembly memory (one scratch area reused by every call), packs B (A is read in place), multiplies and copies C out on every call, and allocates its result, as a library call must.',
      `${hand}: the same register tile as xent's kernel (4 rows × 2 vectors) on operands packed into its memory once in setup, so a run is the bare loop: no copies, no packing, no allocation — the limit.`,
      'tfjs-wasm: @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD, one thread in Node), float32 only.',
      ...(threaded !== null
        ? [
            `${threadsName(threaded)} ÷ xent is the time on ${threaded} threads over the time on one; both threads compete with every other process on the machine, so this ratio is the noisiest of the table.`,
          ]
        : []),
    ],
    async setup(): Promise<Prepared> {
      const A64 = uniform(m * k, seed);
      const B64 = uniform(k * n, seed + 1);
      const A = inDType(A64, dtype);
      const B = inDType(B64, dtype);

      const a = fromFlat(A, [m, k]);
      const b = fromFlat(B, [k, n]);
      let out: Tensor | null = null;
      const xent: Impl = {
        name: 'xent',
        kind: 'xent',
        run: () => {
          out = matmul(a, b);
        },
        result: () => readFlat(out!),
      };

      const f32 =
        dtype === 'float64'
          ? {
              dtype: 'float32' as const,
              note: 'TensorFlow.js has no float64: this row multiplies the same numbers rounded to float32 (half the bytes), so it is checked with the float32 tolerance.',
            }
          : {};
      await tfWasm();
      const scope = new TfScope(name);
      const wa = scope.keep(tf.tensor2d(Float32Array.from(A64), [m, k], 'float32'));
      const wb = scope.keep(tf.tensor2d(Float32Array.from(B64), [k, n], 'float32'));
      const tfjsWasm = scope.impl('tfjs-wasm', () => tf.matMul(wa, wb), { ...f32, backend: 'wasm' });
      const limit = await handMatmul(A, B, m, k, n, dtype === 'float32');
      const handImpl: Impl = { name: hand, kind: 'loop', run: limit.run, result: limit.result };
      const multi = threaded !== null ? [await threadsImpl(a, b, threaded)] : [];
      const dispose = (): void => {
        scope.dispose();
        if (threaded !== null) void setMatmulThreads(1);
      };
      if (scaling) return { impls: [xent, tfjsWasm, handImpl, ...multi], dispose };

      await tfCpu();
      const ta = scope.keep(tf.tensor2d(Float32Array.from(A64), [m, k], 'float32'));
      const tb = scope.keep(tf.tensor2d(Float32Array.from(B64), [k, n], 'float32'));
      const tfjs = scope.impl('tfjs', () => tf.matMul(ta, tb), f32);

      const Cn = dtype === 'float64' ? new Float64Array(m * n) : new Float32Array(m * n);
      const naive: Impl =
        A instanceof Float64Array && B instanceof Float64Array && Cn instanceof Float64Array
          ? { name: 'loop: naive i-k-j', kind: 'loop', run: () => naiveMatmulF64(A, B, Cn, m, k, n), result: () => Cn }
          : {
              name: 'loop: naive i-k-j',
              kind: 'loop',
              run: () => naiveMatmulF32(A as Float32Array, B as Float32Array, Cn as Float32Array, m, k, n),
              result: () => Cn,
            };

      const sizes = panelSizes(m, k, n);
      const Ap = new Float64Array(sizes.a);
      const Bp = new Float64Array(sizes.b);
      const Cb = dtype === 'float64' ? new Float64Array(m * n) : new Float32Array(m * n);
      const blocked: Impl = {
        name: 'loop: blocked 4×4',
        kind: 'loop',
        note: 'Packs A and B into 4-row / 4-column float64 panels (scratch allocated once), then sums each 4×4 tile of C in 16 locals.',
        run: () => blockedMatmul(A, B, Cb, m, k, n, Ap, Bp),
        result: () => Cb,
      };

      return { impls: [xent, tfjsWasm, handImpl, ...multi, tfjs, naive, blocked], dispose };
    },
  };
}
