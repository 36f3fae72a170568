// The hand-written WebAssembly SIMD matmul (handMatmul.wat), the limit row of the
// matmul workloads: assembled with wabt when a workload is set up, operands packed
// into its memory once (untimed), so a run is the bare register-tiled loop.
import { readFileSync } from 'node:fs';
import wabt from 'wabt';

/** The WebAssembly JS API, typed here (the lib has no DOM types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface HandExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  mm_f64(Ap: number, Bp: number, C: number, Mp: number, K: number, Np: number, ldc: number): void;
  mm_f32(Ap: number, Bp: number, C: number, Mp: number, K: number, Np: number, ldc: number): void;
}

let compiled: Promise<object> | null = null;

function moduleOnce(): Promise<object> {
  compiled ??= (async () => {
    const w = await wabt();
    const text = readFileSync(new URL('./handMatmul.wat', import.meta.url));
    const mod = w.parseWat('handMatmul.wat', new Uint8Array(text), { simd: true });
    try {
      return new WA.Module(mod.toBinary({}).buffer);
    } finally {
      mod.destroy();
    }
  })();
  return compiled;
}

/** A prepared product: run() multiplies, result() copies C (M×N, row-major) out. */
export interface HandMatmul {
  run(): void;
  result(): Float64Array | Float32Array;
}

/**
 * Packs A [M×K] and B [K×N] (row-major) into the panels handMatmul.wat reads, in a
 * fresh instance's memory, in float64 (f64x2 kernel) or float32 (f32x4 kernel).
 */
export async function handMatmul(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  M: number,
  K: number,
  N: number,
  single: boolean,
): Promise<HandMatmul> {
  const inst = new WA.Instance(await moduleOnce(), {});
  const k = inst.exports as unknown as HandExports;
  const es = single ? 4 : 8;
  const tw = single ? 8 : 4;
  const Mp = Math.ceil(M / 4) * 4;
  const Np = Math.ceil(N / tw) * tw;
  const ldc = (Np + ((Np * es) % 1024 === 0 ? 64 / es : 0)) * es; // rows of C a multiple of 1 KiB apart would collide in the cache
  const apAt = 0;
  const bpAt = Mp * K * es;
  const cAt = bpAt + Np * K * es;
  const bytes = cAt + Mp * ldc;
  k.memory.grow(Math.ceil(bytes / 65536));
  const view = single ? new Float32Array(k.memory.buffer) : new Float64Array(k.memory.buffer);
  for (let i = 0; i < Mp; i++)
    for (let kk = 0; kk < K; kk++) view[apAt / es + ((i >> 2) * K + kk) * 4 + (i & 3)] = i < M ? A[i * K + kk] : 0;
  for (let j = 0; j < Np; j++)
    for (let kk = 0; kk < K; kk++) view[bpAt / es + (Math.floor(j / tw) * K + kk) * tw + (j % tw)] = j < N ? B[kk * N + j] : 0;
  const mm = single ? k.mm_f32 : k.mm_f64;
  const out = single ? new Float32Array(M * N) : new Float64Array(M * N);
  return {
    run: () => mm(apAt, bpAt, cAt, Mp, K, Np, ldc),
    result: () => {
      for (let i = 0; i < M; i++) out.set(view.subarray(cAt / es + (i * ldc) / es, cAt / es + (i * ldc) / es + N), i * N);
      return out;
    },
  };
}
