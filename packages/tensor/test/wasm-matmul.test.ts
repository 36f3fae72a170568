// matmul on the WebAssembly SIMD kernels against the pure-JS kernel and a triple loop.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, Tensor, getBackend, matmul, reshape, setBackend, slice, tensor, transpose, type Backend } from '@xent/tensor';
import { makeView } from '@xent/tensor/internal';
import { Layout, scratch, wasmKernels } from '../src/wasm/runtime.js';
import { on, wasmAvailable } from './backends.js';

const initial: Backend = getBackend();
afterEach(() => setBackend(initial));

function random(shape: number[], rng: Rng, dtype: 'float64' | 'float32' = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, () => rng.uniform(-1, 1)),
    { shape, dtype },
  );
}

/** Σ_k a[i,k]·b[k,j] in float64, through toArray (independent of both kernels). */
function naive(a: Tensor, b: Tensor): number[] {
  const A = a.toArray() as number[][];
  const B = b.toArray() as number[][];
  const [M, K, N] = [A.length, B.length, B[0].length];
  const out: number[] = [];
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i][k] * B[k][j];
      out.push(s);
    }
  return out;
}

function maxRelDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), 1e-3 * scale));
  return worst;
}

describe.runIf(wasmAvailable)('wasm matmul', () => {
  it('float64: the wasm and JS kernels agree to 1e-12 relative, for sizes around every tile edge and every layout', () => {
    const rng = new Rng(5);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 2, max: 40 }),
        fc.constantFrom('plain', 'aT', 'bT', 'both', 'sliced', 'strided'),
        (M, K, N, layout) => {
          let a = layout === 'aT' || layout === 'both' ? transpose(random([K, M], rng)) : random([M, K], rng);
          let b = layout === 'bT' || layout === 'both' ? transpose(random([N, K], rng)) : random([K, N], rng);
          if (layout === 'sliced') {
            a = slice(random([M + 2, K + 3], rng), [
              [1, M + 1],
              [2, K + 2],
            ]);
            b = slice(random([K, N + 5], rng), [
              [0, K],
              [5, N + 5],
            ]);
          }
          if (layout === 'strided') {
            // neither axis of A contiguous (A[i, k] = data[2i + 2M·k]): the kernel packs A first
            a = new Tensor(makeView(random([2 * M * K], rng).values(), [M, K], [2, 2 * M]));
          }
          const w = on('wasm', () => matmul(a, b));
          const j = on('js', () => matmul(a, b));
          expect(w.shape).toEqual([M, N]);
          expect(maxRelDiff(w.values(), j.values())).toBeLessThanOrEqual(1e-12);
          expect(maxRelDiff(w.values(), naive(a, b))).toBeLessThanOrEqual(1e-12);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('float64 and float32: every output width from 2 to 19 (narrow last panels: N mod 4 ≤ 2, N mod 8 ≤ 4) and row counts around the 4-row panel', () => {
    const rng = new Rng(9);
    const K = 1100;
    for (const dtype of ['float64', 'float32'] as const)
      for (let N = 2; N <= 19; N++)
        for (const M of [4, 5, 7, 9]) {
          // K large enough that M·K·N clears WASM_MIN_WORK: every product here runs on the SIMD kernel
          const a = random([M, K], rng, dtype);
          const b = random([K, N], rng, dtype);
          const w = on('wasm', () => matmul(a, b));
          const ref = naive(a, b);
          if (dtype === 'float64') expect(maxRelDiff(w.values(), ref)).toBeLessThanOrEqual(1e-12);
          else for (let i = 0; i < ref.length; i++) expect(Math.abs(w.values()[i] - ref[i])).toBeLessThanOrEqual(K * 6e-8 + 1e-6);
        }
  });

  it('float64 matrix–vector products (N = 1) on the f64x2 kernel: row-major, transposed, sliced and strided A agree with JS to 1e-12', () => {
    const rng = new Rng(10);
    for (const [M, K, layout] of [
      [128, 784, 'plain'],
      [131, 67, 'plain'],
      [784, 128, 'aT'],
      [77, 129, 'aT'],
      [67, 93, 'sliced'],
      [45, 137, 'strided'],
    ] as const) {
      const a =
        layout === 'aT'
          ? transpose(random([K, M], rng))
          : layout === 'sliced'
            ? slice(random([M + 2, K + 3], rng), [
                [1, M + 1],
                [2, K + 2],
              ])
            : layout === 'strided'
              ? new Tensor(makeView(random([2 * M * K], rng).values(), [M, K], [2, 2 * M]))
              : random([M, K], rng);
      const b = random([K, 1], rng);
      const w = on('wasm', () => matmul(a, b));
      expect(w.shape).toEqual([M, 1]);
      expect(maxRelDiff(w.values(), on('js', () => matmul(a, b)).values())).toBeLessThanOrEqual(1e-12);
      expect(maxRelDiff(w.values(), naive(a, b))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('matrix–vector products with a vector that is not contiguous (a column sliced out of a matrix, a zero-stride dy from sum) agree with a triple loop', () => {
    // The gemv kernel reads the vector contiguously: it once got the vector's covering block as it lies, so a
    // column of a [K, 2] matrix gave every other entry, and mean's broadcast dy gave one value then stale memory.
    const rng = new Rng(11);
    for (const dtype of ['float64', 'float32'] as const) {
      const [M, K] = [64, 100];
      const a = random([M, K], rng, dtype);
      const column = slice(random([K, 3], rng, dtype), [
        [0, K],
        [1, 2],
      ]);
      const ones = new Tensor(makeView(tensor([0.5], { dtype }).values(), [K, 1], [0, 0]));
      for (const b of [column, ones]) {
        const w = on('wasm', () => matmul(a, b));
        const tol = dtype === 'float64' ? 1e-12 : 1e-4; // the old kernel was off by O(1)
        expect(maxRelDiff(w.values(), naive(a, b))).toBeLessThanOrEqual(tol);
        expect(maxRelDiff(on('js', () => matmul(a, b)).values(), naive(a, b))).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('an infinite entry gives ±Infinity, not NaN, in its row only (odd K: the last column is summed alone)', () => {
    for (const layout of ['plain', 'aT'] as const) {
      const [M, K] = [66, 101];
      const vals = Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) / 11 - 0.5);
      let a = tensor(vals, { shape: [M, K] });
      a.view.data[5 * K + K - 1] = Infinity; // A[5, K−1]
      if (layout === 'aT') {
        const t = tensor(vals, { shape: [K, M] });
        t.view.data[(K - 1) * M + 5] = Infinity; // Aᵀ stored: A[5, K−1]
        a = transpose(t);
      }
      const b = tensor(
        Array.from({ length: K }, () => 1),
        { shape: [K, 1] },
      );
      for (const backend of ['wasm', 'js'] as const) {
        const y = on(backend, () => matmul(a, b)).values();
        expect(y[5]).toBe(Infinity);
        expect(y.filter((v) => !Number.isFinite(v)).length).toBe(1);
      }
    }
  });

  it('float32 is multiplied in float32 (f32x4): close to the float64 product, dtype kept', () => {
    const rng = new Rng(6);
    for (const [M, K, N, layout] of [
      [33, 65, 17, 'plain'],
      [64, 784, 10, 'plain'],
      [8, 9, 129, 'plain'],
      // one output column (matrix–vector), A row-major, transposed (Xᵀ·g) and sliced
      [128, 785, 1, 'plain'],
      [781, 128, 1, 'aT'],
      [67, 93, 1, 'sliced'],
      [45, 37, 1, 'strided'],
    ] as const) {
      const a =
        layout === 'aT'
          ? transpose(random([K, M], rng, 'float32'))
          : layout === 'sliced'
            ? slice(random([M + 2, K + 3], rng, 'float32'), [
                [1, M + 1],
                [2, K + 2],
              ])
            : layout === 'strided'
              ? // every other element, neither axis contiguous: A[i, k] = data[2i + 2M·k]
                new Tensor(makeView(random([2 * M * K], rng, 'float32').values(), [M, K], [2, 2 * M]))
              : random([M, K], rng, 'float32');
      const b = random([K, N], rng, 'float32');
      const w = on('wasm', () => matmul(a, b));
      expect(w.dtype).toBe('float32');
      // float32 accumulation over K terms: error ≲ K·2⁻²⁴ of the terms' magnitude (≤ 1 here).
      const ref = naive(a, b);
      const got = w.values();
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThanOrEqual(K * 6e-8 + 1e-6);
    }
  });

  it('batched products, a shared operand, mixed dtypes and int32 operands', () => {
    const rng = new Rng(7);
    const a = random([3, 20, 30], rng);
    const b = random([30, 25], rng);
    const w = on('wasm', () => matmul(a, b));
    const j = on('js', () => matmul(a, b));
    expect(maxRelDiff(w.values(), j.values())).toBeLessThanOrEqual(1e-12);
    const a32 = random([20, 30], rng, 'float32');
    const mixed = on('wasm', () => matmul(a32, b));
    expect(mixed.dtype).toBe('float64');
    expect(maxRelDiff(mixed.values(), on('js', () => matmul(a32, b)).values())).toBeLessThanOrEqual(1e-12);
    const ints = tensor(
      Array.from({ length: 600 }, (_, i) => (i % 7) - 3),
      { shape: [20, 30], dtype: 'int32' },
    );
    expect(on('wasm', () => matmul(ints, b)).values()).toEqual(on('js', () => matmul(ints, b)).values());
  });

  it('a batch of 1 is shared by every item of the other batch, float64 (both sides of 4096 multiply-adds) and float32', () => {
    const rng = new Rng(9);
    for (const dtype of ['float64', 'float32'] as const)
      for (const [B, M, K, N] of [
        [3, 2, 4, 5], // 40 multiply-adds a product: float64 stays in JS
        [3, 20, 30, 25], // 15000: float64 on the wasm kernel
        [2, 70, 64, 1], // the matrix–vector kernel
      ]) {
        const [a1, bB, aB, b1] = [
          random([1, M, K], rng, dtype),
          random([B, K, N], rng, dtype),
          random([B, M, K], rng, dtype),
          random([1, K, N], rng, dtype),
        ];
        for (const [a, b] of [
          [a1, bB],
          [aB, b1],
        ]) {
          // item p against the triple loop on item p of the batched operand and item 0 of the shared one
          const item = (t: Tensor, p: number): Tensor => reshape(slice(t, [t.shape[0] === 1 ? [0, 1] : [p, p + 1]]), t.shape.slice(1));
          const ref = Array.from({ length: B }, (_, p) => naive(item(a, p), item(b, p))).flat();
          for (const backend of ['wasm', 'js'] as const) {
            const c = on(backend, () => matmul(a, b));
            expect(c.shape).toEqual([B, M, N]);
            const got = c.values();
            const why = `${backend} ${dtype} [${a.shape}]·[${b.shape}]`;
            // float32 sums: error ≲ K·2⁻²⁴ of the terms' magnitude (≤ 1 here), as above
            if (dtype === 'float64') expect(maxRelDiff(got, ref), why).toBeLessThanOrEqual(1e-12);
            else for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i]), why).toBeLessThanOrEqual(K * 6e-8 + 1e-6);
          }
        }
      }
  });

  it('keeps working after its memory grows (a large product after small ones)', () => {
    const rng = new Rng(8);
    const small = on('wasm', () => matmul(random([16, 16], rng), random([16, 16], rng)));
    expect(small.shape).toEqual([16, 16]);
    const a = random([300, 500], rng);
    const b = random([500, 260], rng);
    expect(maxRelDiff(on('wasm', () => matmul(a, b)).values(), on('js', () => matmul(a, b)).values())).toBeLessThanOrEqual(1e-12);
  });

  it('setBackend refuses an unknown name', () => {
    expect(() => setBackend('gpu' as Backend)).toThrow(/setBackend: found "gpu"/);
  });
});

describe('the scratch memory plan (wasm/runtime.ts)', () => {
  it('Layout reserves regions of 2 GiB and more without int32 wrap-around (they overlapped or went negative)', () => {
    const lay = new Layout();
    expect(lay.take(2 ** 31)).toBe(0);
    expect(lay.take(2 ** 32 + 1)).toBe(2 ** 31);
    expect(lay.take(16)).toBe(2 ** 31 + 2 ** 32 + 16);
    expect(lay.bytes).toBe(2 ** 31 + 2 ** 32 + 32);
  });

  it.runIf(wasmAvailable)(
    'a plan larger than WebAssembly memory can hold is an XentError saying what to do, and the memory is unchanged',
    () => {
      const k = on('wasm', () => wasmKernels())!;
      const before = k.memory.buffer.byteLength;
      expect(() => scratch(k, 2 ** 33)).toThrow(
        /^WebAssembly backend: this kernel needs 8192 MiB .* use smaller batches, or setBackend\('js'\)/,
      );
      expect(k.memory.buffer.byteLength).toBe(before);
    },
  );
});
