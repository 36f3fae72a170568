// The elementwise and column-sum kernels of elementwise.wat: the wrappers against naive loops, and the public
// ops on the wasm backend against the same ops on the JS backend, bit for bit (the kernels do the same IEEE
// operation per element, and column sums add in the same order), NaN, ±∞ and −0 included.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, Tensor, add, div, fromFlat, getBackend, greater, mul, relu, setBackend, sub, sum, sumTo, type Backend } from '@xent/tensor';
import { SIMD_SIZES, wasmBinary, wasmColumnSums, wasmRelu, type WasmBinaryOp } from '../src/wasm/elementwise.js';
import { wasmKernels } from '../src/wasm/runtime.js';
import { on, wasmAvailable } from './backends.js';

const initial: Backend = getBackend();
afterEach(() => setBackend(initial));

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-310, -1e300];

/** n values uniform in [−2, 2) with every tenth one of SPECIAL, in the dtype's array (float32 rounds them). */
function values(n: number, rng: Rng, dtype: 'float64' | 'float32'): Float64Array | Float32Array {
  const a = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = i % 10 === 3 ? SPECIAL[rng.int(SPECIAL.length)] : rng.uniform(-2, 2);
  return a;
}

function random(shape: number[], rng: Rng, dtype: 'float64' | 'float32'): Tensor {
  return fromFlat(
    values(
      shape.reduce((p, d) => p * d, 1),
      rng,
      dtype,
    ),
    shape,
  );
}

/** Element i of a and b are the same number (Object.is: NaN equals NaN, +0 differs from −0), with the first index that is not. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `index ${i}: ${a[i]} vs ${b[i]}`;
  return null;
}

const OPS: Record<WasmBinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  mul: (x, y) => x * y,
  gt: (x, y) => (x > y ? 1 : 0),
};

describe.runIf(wasmAvailable)('elementwise.wat through its wrappers, against naive loops', () => {
  const k = () => wasmKernels() ?? on('wasm', () => wasmKernels())!;

  it('x ∘ y for every op, both dtypes, every length mod 4, operands full, one value or a repeated row', () => {
    const rng = new Rng(11);
    fc.assert(
      fc.property(
        fc.constantFrom<WasmBinaryOp>('add', 'mul', 'gt'),
        fc.constantFrom<'float64' | 'float32'>('float64', 'float32'),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 23 }),
        fc.constantFrom('full', 'x one', 'y one', 'x row', 'y row'),
        (op, dtype, rows, cols, form) => {
          const n = rows * cols;
          const xLen = form === 'x one' ? 1 : form === 'x row' ? cols : n;
          const yLen = form === 'y one' ? 1 : form === 'y row' ? cols : n;
          const x = values(xLen, rng, dtype);
          const y = values(yLen, rng, dtype);
          const got = wasmBinary(k(), op, x, xLen, y, yLen, n, dtype === 'float32');
          const want = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
          for (let i = 0; i < n; i++) want[i] = OPS[op](x[xLen === 1 ? 0 : i % xLen], y[yLen === 1 ? 0 : i % yLen]);
          expect(got.constructor).toBe(want.constructor);
          expect(firstDifference(got, want)).toBeNull();
        },
      ),
    );
  });

  it('relu: x ≤ 0 → +0 (−0 too), NaN stays NaN, ±∞ kept', () => {
    const rng = new Rng(12);
    for (const dtype of ['float64', 'float32'] as const) {
      for (let n = 1; n <= 40; n++) {
        const x = values(n, rng, dtype);
        const want = x.map((v) => (v <= 0 ? 0 : v));
        expect(firstDifference(wasmRelu(k(), x, n, dtype === 'float32'), want)).toBeNull();
      }
    }
    const special = wasmRelu(k(), new Float64Array([-0, NaN, -Infinity, Infinity, -1, 2]), 6, false);
    expect(Array.from(special)).toEqual([0, NaN, 0, Infinity, 0, 2]);
    expect(Object.is(special[0], 0)).toBe(true);
  });

  it('column sums: each column summed from row 0 down, in the output precision', () => {
    const rng = new Rng(13);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [rows, cols] of [
        [1, 1],
        [3, 1],
        [5, 2],
        [7, 3],
        [4, 5],
        [9, 10],
        [2, 17],
        [33, 6],
      ]) {
        const x = values(rows * cols, rng, dtype);
        const out = dtype === 'float64' ? new Float64Array(cols) : new Float32Array(cols);
        wasmColumnSums(k(), x, rows, cols, out);
        const want = dtype === 'float64' ? new Float64Array(cols) : new Float32Array(cols);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[c] += x[r * cols + c];
        expect(firstDifference(out, want)).toBeNull();
      }
    }
  });
});

describe.runIf(wasmAvailable)('elementwise ops: the wasm backend gives the JS backend’s numbers exactly', () => {
  const both = (f: () => Tensor): void => {
    const w = on('wasm', f);
    const j = on('js', f);
    expect(w.dtype).toBe(j.dtype);
    expect(w.shape).toEqual(j.shape);
    expect(firstDifference(w.values(), j.values())).toBeNull();
  };

  it('add, sub, mul, div, greater: same shapes, a scalar on either side, a trailing row on either side, mixed dtypes', () => {
    const rng = new Rng(21);
    const ops = { add, sub, mul, div, greater };
    fc.assert(
      fc.property(
        fc.constantFrom<keyof typeof ops>('add', 'sub', 'mul', 'div', 'greater'),
        fc.constantFrom<'float64' | 'float32'>('float64', 'float32'),
        fc.constantFrom<'float64' | 'float32'>('float64', 'float32'),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 45 }),
        fc.constantFrom('same', 'scalar right', 'scalar left', 'number right', 'row right', 'row left', '[1, C] right'),
        (name, da, db, rows, cols, form) => {
          const f = ops[name];
          const a = random([rows, cols], rng, da);
          const shapes: Record<typeof form, number[]> = {
            same: [rows, cols],
            'scalar right': [],
            'scalar left': [1],
            'number right': [],
            'row right': [cols],
            'row left': [cols],
            '[1, C] right': [1, cols],
          };
          const b = random(shapes[form], rng, db);
          if (form === 'number right') both(() => f(a, 0.75));
          else if (form === 'scalar left' || form === 'row left') both(() => f(b, a));
          else both(() => f(a, b));
        },
      ),
    );
  });

  it('a trailing block of several axes: [B, R, C] ∘ [R, C]', () => {
    const rng = new Rng(22);
    for (const dtype of ['float64', 'float32'] as const) {
      const a = random([5, 7, 9], rng, dtype);
      const b = random([7, 9], rng, dtype);
      both(() => add(a, b));
      both(() => mul(b, a));
    }
  });

  it('relu at every length from below to above the SIMD threshold, both dtypes', () => {
    const rng = new Rng(23);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const n of [1, 7, SIMD_SIZES.min - 1, SIMD_SIZES.min, SIMD_SIZES.min + 1, SIMD_SIZES.min + 3, 1000, 4099]) {
        const x = random([n], rng, dtype);
        both(() => relu(x));
      }
    }
  });

  it('sum over leading axes and sumTo (the bias gradient): the same sums in the same order', () => {
    const rng = new Rng(24);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [rows, cols] of [
        [64, 10],
        [128, 1],
        [33, 17],
        [300, 3],
        [16, 128],
      ]) {
        const g = random([rows, cols], rng, dtype);
        both(() => sumTo(g, [cols]));
        both(() => sumTo(g, [1, cols]));
        both(() => sum(g, 0));
        both(() => sum(g, 0, { keepDims: true }));
      }
      const g3 = random([6, 8, 11], rng, dtype);
      both(() => sum(g3, [0, 1]));
      both(() => sum(g3, 0));
      both(() => sumTo(g3, [8, 11]));
    }
  });

  it('integer operands: an int32 tensor is read exactly in float64 (and float32 ops with int32 stay on the JS path)', () => {
    const ints = fromFlat(
      Int32Array.from({ length: 600 }, (_, i) => (i * 2654435761) | 0),
      [20, 30],
    );
    const rng = new Rng(25);
    const x64 = random([20, 30], rng, 'float64');
    const x32 = random([20, 30], rng, 'float32');
    both(() => add(ints, x64));
    both(() => add(ints, x32));
    both(() => sum(ints, 0));
    both(() => sumTo(ints, [30]));
  });
});
