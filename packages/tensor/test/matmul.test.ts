import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Rng, matmul, tensor, transpose, zeros } from '@xent/tensor';
import { matmulKernel } from '@xent/tensor/internal';
import { caseFor, expectedDtype, flat, makeCase, t64 as ref, type Case } from '../../../test/utils.js';

/** The textbook triple loop over row-major values, batched over a leading axis (batch 1 = shared). */
function naiveMatmul(a: number[], b: number[], batch: number, batchA: number, batchB: number, M: number, K: number, N: number): number[] {
  const out = new Array<number>(batch * M * N).fill(0);
  for (let p = 0; p < batch; p++) {
    const ao = batchA === 1 ? 0 : p * M * K;
    const bo = batchB === 1 ? 0 : p * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ao + i * K + k] * b[bo + k * N + j];
        out[p * M * N + i * N + j] = s;
      }
    }
  }
  return out;
}

// Sizes 1..9 cover every remainder mod 4 of the register-blocked kernel; 0 is the empty edge.
const dim = fc.integer({ min: 1, max: 9 });

function tolFor(a: Case, b: Case): { rtol: number; atol: number } {
  return expectedDtype(a.dtype, b.dtype) === 'float32' ? { rtol: 1e-5, atol: 1e-4 } : { rtol: 1e-12, atol: 1e-12 };
}

describe('matmul against a triple loop', () => {
  it('2-D [M,K]·[K,N] for random sizes (not just multiples of 4), layouts and dtypes', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim, dim).chain(([M, K, N]) => fc.tuple(caseFor([M, K]), caseFor([K, N]))),
        ([ca, cb]) => {
          const [M, K] = ca.shape;
          const N = cb.shape[1];
          const out = matmul(makeCase(ca), makeCase(cb));
          expect(out.shape).toEqual([M, N]);
          expect(out.dtype).toBe(expectedDtype(ca.dtype, cb.dtype));
          expect(out).toBeAllClose(ref(naiveMatmul(ca.values, cb.values, 1, 1, 1, M, K, N), [M, N]), tolFor(ca, cb));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('batched 3-D [B,M,K]·[B,K,N], and an operand shared across the batch: 2-D, or a batch axis of 1', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 3 }), dim, dim, dim, fc.constantFrom('both', 'aShared', 'bShared', 'aOne', 'bOne'))
          .chain(([B, M, K, N, mode]) =>
            fc.tuple(
              fc.constant({ B, M, K, N, mode }),
              caseFor(mode === 'aShared' ? [M, K] : [mode === 'aOne' ? 1 : B, M, K]),
              caseFor(mode === 'bShared' ? [K, N] : [mode === 'bOne' ? 1 : B, K, N]),
            ),
          ),
        ([{ B, M, K, N, mode }, ca, cb]) => {
          const out = matmul(makeCase(ca), makeCase(cb));
          expect(out.shape).toEqual([B, M, N]);
          const shared = (x: string): number => (mode === `${x}Shared` || mode === `${x}One` ? 1 : B);
          const expected = naiveMatmul(ca.values, cb.values, B, shared('a'), shared('b'), M, K, N);
          expect(out).toBeAllClose(ref(expected, [B, M, N]), tolFor(ca, cb));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('larger sizes with several 4×4 tiles and ragged edges', () => {
    const rng = new Rng(11);
    for (const [M, K, N] of [
      [13, 17, 19],
      [16, 8, 12],
      [5, 33, 7],
      [1, 40, 1],
    ]) {
      const a = Array.from({ length: M * K }, () => rng.uniform(-1, 1));
      const b = Array.from({ length: K * N }, () => rng.uniform(-1, 1));
      const out = matmul(tensor(a, { shape: [M, K] }), tensor(b, { shape: [K, N] }));
      expect(out).toBeAllClose(ref(naiveMatmul(a, b, 1, 1, 1, M, K, N), [M, N]), { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it('concrete 2×3 · 3×2 and an identity', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(matmul(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(matmul(transpose(b), transpose(a)).toArray()).toEqual([
      [58, 139],
      [64, 154],
    ]);
    const x = tensor([[1.5, -2, 3, 0.25, 7]]);
    const eye5 = tensor(
      Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)),
      { shape: [5, 5] },
    );
    expect(matmul(x, eye5).toArray()).toEqual(x.toArray());
  });

  it('float32 keeps float32 and is exact for small integers; mixing gives float64', () => {
    const a = tensor(
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ],
      { dtype: 'float32' },
    );
    const b = tensor([[1], [0], [-1], [2], [1]], { dtype: 'float32' });
    const c = matmul(a, b);
    expect(c.dtype).toBe('float32');
    expect(c.toArray()).toEqual([[11], [26]]);
    expect(matmul(a, tensor([[1], [0], [-1], [2], [1]])).dtype).toBe('float64');
  });

  it('empty sizes: K = 0 gives zeros, M or N = 0 gives empty', () => {
    expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(matmul(zeros([0, 4]), zeros([4, 5])).shape).toEqual([0, 5]);
    expect(matmul(zeros([3, 4]), zeros([4, 0])).shape).toEqual([3, 0]);
  });

  it('an empty batch gives an empty batch (torch.matmul), also against a shared operand (it gave [1, M, N])', () => {
    expect(matmul(zeros([0, 2, 3]), zeros([3, 4])).shape).toEqual([0, 2, 4]);
    expect(matmul(zeros([2, 3]), zeros([0, 3, 4])).shape).toEqual([0, 2, 4]);
    expect(matmul(zeros([0, 2, 3]), zeros([1, 3, 4])).shape).toEqual([0, 2, 4]);
    expect(matmul(zeros([1, 2, 3]), zeros([0, 3, 4])).shape).toEqual([0, 2, 4]);
  });

  it('does not modify its inputs', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    matmul(a, b);
    expect(flat(a)).toEqual([1, 2, 3, 4]);
    expect(flat(b)).toEqual([5, 6, 7, 8]);
  });
});

describe('matmulKernel', () => {
  it('reads transposed (column-major) operands in place', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim, dim).chain(([M, K, N]) => fc.tuple(caseFor([M, K]), caseFor([K, N]))),
        ([ca, cb]) => {
          const [M, K] = ca.shape;
          const N = cb.shape[1];
          // Store Aᵀ and Bᵀ row-major, then describe A and B as their column-major views.
          const At = new Float64Array(M * K);
          const Bt = new Float64Array(K * N);
          for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) At[k * M + i] = ca.values[i * K + k];
          for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) Bt[j * K + k] = cb.values[k * N + j];
          const C = new Float64Array(M * N).fill(NaN);
          matmulKernel(
            { data: At, offset: 0, rowStride: 1, colStride: M },
            { data: Bt, offset: 0, rowStride: 1, colStride: K },
            C,
            0,
            M,
            K,
            N,
          );
          expect(tensor(C, { shape: [M, N] })).toBeAllClose(ref(naiveMatmul(ca.values, cb.values, 1, 1, 1, M, K, N), [M, N]), {
            rtol: 1e-12,
            atol: 1e-12,
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('writes C = A·B into a given buffer, with or without a packing buffer', () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim, dim).chain(([M, K, N]) => fc.tuple(caseFor([M, K]), caseFor([K, N]), fc.boolean())),
        ([ca, cb, withPacked]) => {
          const [M, K] = ca.shape;
          const N = cb.shape[1];
          const C = new Float64Array(M * N).fill(NaN);
          const packed = withPacked ? new Float64Array(((N + 3) >> 2) * K * 4 + 3) : undefined;
          const a = { data: Float64Array.from(ca.values), offset: 0, rowStride: K, colStride: 1 };
          const b = { data: Float64Array.from(cb.values), offset: 0, rowStride: N, colStride: 1 };
          matmulKernel(a, b, C, 0, M, K, N, packed);
          expect(tensor(C, { shape: [M, N] })).toBeAllClose(ref(naiveMatmul(ca.values, cb.values, 1, 1, 1, M, K, N), [M, N]), {
            rtol: 1e-12,
            atol: 1e-12,
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
