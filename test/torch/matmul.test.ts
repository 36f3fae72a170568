// matmul with a broadcast batch axis against torch.matmul (see python.ts): a batch of 1, or a 2-D
// operand, is shared by every item of the other operand's batch, and its gradient sums over the batch.
// Every case runs on each backend, in float64 and float32, with products on both sides of the size
// at which float64 moves to the WebAssembly kernels (M·K·N ≥ 4096), N = 1 (the matrix–vector kernels)
// and empty batches.
//
// Tolerance. Each entry of C = A·B, dA = R·Bᵀ (summed over the batch) and dB = Aᵀ·R is a sum of at most
// n ≤ 80 products; rounding each step gives |Δ| ≤ n·u·Σ|terms| (u = 2⁻⁵³, or 2⁻²⁴ in float32), and Σ|terms|
// is `bound`, the same computation on |A|, |B|, |R|. So |Δ| ≤ 1e-13·bound in float64 (≈ 10× over n·u)
// and 1e-5·bound in float32; a gradient not summed over the batch, or a wrong item, is off by O(bound).
import { describe, expect, it } from 'vitest';
import { matmul, valueAndGrad } from '@xent/autograd';
import { getBackend, setBackend, tensor, type Backend } from '@xent/tensor';
import { availableBackends, flat, normals, prod, type FloatDType } from '../utils.js';
import { runTorch } from './python.js';

interface Case {
  dtype: FloatDType;
  a: number[];
  aShape: number[];
  b: number[];
  bShape: number[];
  /** The seed of the output: the gradients are those of sum(C·r). */
  r: number[];
  cShape: number[];
}

/** PyTorch's C, dA, dB, flattened, and the same on |A|, |B|, |R|. */
interface Reference {
  shape: number[];
  value: number[][];
  bound: number[][];
}

/** C's shape under the broadcasting rule torch.matmul follows. */
function outShape(sa: number[], sb: number[]): number[] {
  const [ba, bb] = [sa.length === 3 ? sa[0] : 1, sb.length === 3 ? sb[0] : 1];
  const mn = [sa[sa.length - 2], sb[sb.length - 1]];
  return sa.length === 3 || sb.length === 3 ? [ba === 1 ? bb : ba, ...mn] : mn;
}

/** a's shape · b's shape. */
const SHAPES: string[] = [
  // M·K·N < 4096: the JS kernels in float64
  ...['[3,2,4]·[1,4,5]', '[1,2,4]·[3,4,5]', '[1,2,4]·[1,4,5]', '[1,3,4]·[4,5]', '[3,4]·[1,4,5]', '[3,5,4]·[1,4,1]', '[1,6,3]·[2,3,1]'],
  // M·K·N ≥ 4096: the WebAssembly kernels in float64 too
  ...['[3,20,30]·[1,30,25]', '[1,20,30]·[3,30,25]', '[2,70,64]·[1,64,1]', '[1,70,64]·[2,64,1]'],
  // empty batches: [0, M, N], and a gradient of zeros for the shared operand
  ...['[0,2,3]·[1,3,4]', '[1,2,3]·[0,3,4]', '[0,2,3]·[3,4]'],
];

const CASES: Case[] = (['float64', 'float32'] as const).flatMap((dtype) =>
  SHAPES.map((shapes, i) => {
    const [aShape, bShape] = shapes.split('·').map((x) => JSON.parse(x) as number[]);
    const cShape = outShape(aShape, bShape);
    const seed = 100 * i + (dtype === 'float32' ? 1 : 0);
    return {
      dtype,
      aShape,
      bShape,
      cShape,
      a: normals(prod(aShape), seed),
      b: normals(prod(bShape), seed + 10_000),
      r: normals(prod(cShape), seed + 20_000),
    };
  }),
);

/** xent's C, dA, dB on `backend`, flattened. */
function xent(c: Case, backend: Backend): { shape: number[]; value: number[][] } {
  const before = getBackend();
  setBackend(backend);
  try {
    const a = tensor(c.a, { shape: c.aShape, dtype: c.dtype });
    const b = tensor(c.b, { shape: c.bShape, dtype: c.dtype });
    const dy = tensor(c.r, { shape: c.cShape, dtype: c.dtype });
    const { value, grads } = valueAndGrad(matmul, { dy })(a, b);
    for (const t of [value, ...grads]) expect(t.dtype).toBe(c.dtype);
    expect(grads.map((g) => g.shape)).toEqual([c.aShape, c.bShape]);
    return { shape: value.shape.slice(), value: [value, ...grads].map(flat) };
  } finally {
    setBackend(before);
  }
}

describe('matmul broadcasts a batch of 1 as torch.matmul does, with the gradients summed over the batch', () => {
  const torch = runTorch<Reference[]>('matmul.py', CASES);
  for (const backend of availableBackends()) {
    it.each(CASES.map((c, i) => [`${c.dtype} ${JSON.stringify(c.aShape)}·${JSON.stringify(c.bShape)}`, c, torch[i]] as const))(
      `${backend}: %s`,
      (_, c, ref) => {
        const ours = xent(c, backend);
        expect(ours.shape).toEqual(ref.shape);
        const rtol = c.dtype === 'float64' ? 1e-13 : 1e-5;
        ['C', 'dA', 'dB'].forEach((name, k) => {
          expect(ours.value[k].length, name).toBe(ref.value[k].length);
          ours.value[k].forEach((v, j) => {
            expect(Math.abs(v - ref.value[k][j]), `${name}[${j}]: xent ${v}, torch ${ref.value[k][j]}`).toBeLessThanOrEqual(
              rtol * ref.bound[k][j],
            );
          });
        });
      },
    );
  }
});
