// Contract §2 (tensors: dtypes, promotion, construction, accessors) and NumPy broadcasting,
// checked from the outside against naive loops over nested arrays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import {
  broadcastNaive,
  broadcastShape,
  expectClose,
  expectXent,
  flat,
  makeRandom,
  nest,
  randomNested,
  size,
  sumToNaive,
  uniform,
  unravel,
  type Nested,
} from './ref.js';

describe('dtypes and promotion (§2)', () => {
  it('float64 is the default, float32 and int32 are available', () => {
    expect(T.tensor([1, 2]).dtype).toBe('float64');
    expect(T.tensor([1, 2], { dtype: 'float32' }).dtype).toBe('float32');
    expect(T.tensor([1, 2], { dtype: 'int32' }).dtype).toBe('int32');
    expect(T.zeros([2]).dtype).toBe('float64');
  });

  it('ops keep the dtype of their float inputs', () => {
    const a = T.tensor([1.5, 2], { dtype: 'float32' });
    for (const r of [T.add(a, a), T.mul(a, 2), T.exp(a), T.sum(a), A.add(a, a), A.mul(2, a), A.softmax(a)]) expect(r.dtype).toBe('float32');
    const b = T.tensor([1.5, 2]);
    for (const r of [T.add(b, b), T.tanh(b), A.log1p(b), A.sum(b)]) expect(r.dtype).toBe('float64');
  });

  it('mixing float32 and float64 promotes to float64, in both argument orders and values are exact', () => {
    const f32 = T.tensor([0.1, 0.2], { dtype: 'float32' });
    const f64 = T.tensor([0.1, 0.2]);
    const ab = T.add(f32, f64);
    const ba = A.add(f64, f32);
    expect(ab.dtype).toBe('float64');
    expect(ba.dtype).toBe('float64');
    const expected = [Math.fround(0.1) + 0.1, Math.fround(0.2) + 0.2];
    expectClose(ab.toArray(), expected, 0, 0);
    expectClose(ba.toArray(), expected, 0, 0);
    expect(T.matmul(T.tensor([[1, 2]], { dtype: 'float32' }), T.tensor([[3], [4]])).dtype).toBe('float64');
  });

  it('float32 storage rounds to float32', () => {
    const t = T.tensor([0.1], { dtype: 'float32' });
    expect(flat(t.toArray() as Nested)[0]).toBe(Math.fround(0.1));
    expect(t.values()).toBeInstanceOf(Float32Array);
    expect(T.tensor([1]).values()).toBeInstanceOf(Float64Array);
    expect(T.tensor([1], { dtype: 'int32' }).values()).toBeInstanceOf(Int32Array);
  });
});

describe('tensor(values, { dtype?, shape? }) and the accessors (§2)', () => {
  it('takes nested number arrays of any depth', () => {
    const v = [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ];
    const t = T.tensor(v);
    expect(t.shape).toEqual([1, 3, 2]);
    expect(t.size).toBe(6);
    expect(t.toArray()).toEqual(v);
  });

  it('takes a scalar: shape [], item() gives the number', () => {
    const t = T.tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.size).toBe(1);
    expect(t.item()).toBe(2.5);
    expect(t.toArray()).toBe(2.5);
  });

  it('takes typed arrays, with the dtype of the typed array by default', () => {
    const f32 = T.tensor(new Float32Array([1, 2, 3]));
    expect(f32.dtype).toBe('float32');
    expect(f32.toArray()).toEqual([1, 2, 3]);
    const i32 = T.tensor(new Int32Array([4, 5]));
    expect(i32.dtype).toBe('int32');
    expect(T.tensor(new Float64Array([7, 8])).toArray()).toEqual([7, 8]);
  });

  it('takes a flat array with a shape (row-major)', () => {
    const t = T.tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const u = T.tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 1, 2] });
    expect(u.toArray()).toEqual([[[1, 2]], [[3, 4]]]);
  });

  it('a flat array whose length does not match the shape is refused', () => {
    expectXent(() => T.tensor([1, 2, 3], { shape: [2, 2] }), 'SHAPE_MISMATCH');
  });

  it('item() on a non-scalar is refused; on a one-element tensor it gives the value', () => {
    expect(T.tensor([[4]]).item()).toBe(4);
    expect(() => T.tensor([1, 2]).item()).toThrow();
  });

  it('a ragged nested array is refused with an XentError', () => {
    const caught = (() => {
      try {
        T.tensor([[1, 2], [3]]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(caught).toBeInstanceOf(T.XentError);
  });

  it('int32 is refused for non-integer or non-finite values rather than silently truncated', () => {
    expect(() => T.tensor([NaN], { dtype: 'int32' })).toThrow(T.XentError);
    expect(T.tensor([3, -2], { dtype: 'int32' }).toArray()).toEqual([3, -2]);
  });

  it('a tensor copies nested input: changing the array afterwards does not change it', () => {
    const v = [1, 2, 3];
    const t = T.tensor(v);
    v[0] = 100;
    expect(t.toArray()).toEqual([1, 2, 3]);
  });
});

// Shapes whose pairs broadcast under NumPy's rule: take an out-shape, drop leading axes and set axes to 1 at random.
const broadcastPair = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }).chain((out) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([da, db, ones1, ones2]) => {
      const a = out.slice(da).map((d, k) => (ones1[k + da] ? 1 : d));
      const b = out.slice(db).map((d, k) => (ones2[k + db] ? 1 : d));
      return { a, b };
    }),
);

/** These values as a tensor whose storage holds their transpose (a non-contiguous view) when `transposed`. */
function laidOut(values: Nested, shape: number[], transposed: boolean, dtype: 'float64' | 'float32'): T.Tensor {
  if (!transposed || shape.length < 2) return T.tensor(values, { dtype });
  const reversed = [...shape].reverse();
  const fl = flat(values);
  const storage = Array.from({ length: fl.length }, (_, i) => {
    const idx = unravel(i, reversed).reverse(); // the element of `values` at reversed position i
    return fl[idx.reduce((pos, v, k) => pos * shape[k] + v, 0)];
  });
  return T.transpose(T.tensor(storage, { shape: reversed, dtype }));
}

describe('NumPy broadcasting (§2)', () => {
  const ops: [string, (x: T.Tensor, y: T.Tensor) => T.Tensor, (x: number, y: number) => number][] = [
    ['tensor add', T.add, (x, y) => x + y],
    ['tensor sub', T.sub, (x, y) => x - y],
    ['tensor mul', T.mul, (x, y) => x * y],
    ['tensor div', T.div, (x, y) => x / y],
    ['tensor maximum', T.maximum, (x, y) => Math.max(x, y)],
    ['autograd add', A.add, (x, y) => x + y],
    ['autograd sub', A.sub, (x, y) => x - y],
    ['autograd mul', A.mul, (x, y) => x * y],
    ['autograd div', A.div, (x, y) => x / y],
  ];
  for (const [name, op, f] of ops) {
    it(`${name} follows the rule elementwise (naive broadcast loop)`, () => {
      let seed = 1;
      fc.assert(
        fc.property(broadcastPair, ({ a, b }) => {
          const rand = makeRandom(seed++);
          const va = randomNested(rand, a, 0.5, 3);
          const vb = randomNested(rand, b, 0.5, 3);
          const got = op(T.tensor(va), T.tensor(vb));
          expect(got.shape).toEqual(broadcastShape(a, b));
          expectClose(got.toArray(), broadcastNaive(va, vb, f), 0, 1e-15);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('gradients of broadcasting ops are summed back to each input shape (strided views, float32/float64 mixed)', () => {
    const ops: [
      string,
      (x: T.Tensor, y: T.Tensor) => T.Tensor,
      (x: number, y: number) => number,
      (x: number, y: number) => number,
      (x: number, y: number) => number,
    ][] = [
      ['add', A.add, (x, y) => x + y, () => 1, () => 1],
      ['sub', A.sub, (x, y) => x - y, () => 1, () => -1],
      ['mul', A.mul, (x, y) => x * y, (_x, y) => y, (x) => x],
      ['div', A.div, (x, y) => x / y, (_x, y) => 1 / y, (x, y) => -x / (y * y)],
    ];
    const dtypes = fc.constantFrom<'float64' | 'float32'>('float64', 'float32');
    for (const [name, op, f, dfa, dfb] of ops) {
      let seed = 100;
      fc.assert(
        fc.property(broadcastPair, fc.boolean(), fc.boolean(), dtypes, dtypes, ({ a, b }, ta, tb, dta, dtb) => {
          const rand = makeRandom(seed++);
          const round = (dt: string) => (v: number) => (dt === 'float32' ? Math.fround(v) : v);
          const va = nest(flat(randomNested(rand, a, 0.5, 3)).map(round(dta)), a);
          const vb = nest(flat(randomNested(rand, b, 0.5, 3)).map(round(dtb)), b);
          const so = broadcastShape(a, b)!;
          const dy = uniform(rand, size(so), -1, 1);
          const { value, grads } = A.valueAndGrad((p: T.Tensor, q: T.Tensor) => op(p, q), { dy: T.tensor(dy, { shape: so }) })(
            laidOut(va, a, ta, dta),
            laidOut(vb, b, tb, dtb),
          );
          const both32 = dta === 'float32' && dtb === 'float32';
          expect(value.dtype).toBe(both32 ? 'float32' : 'float64');
          expectClose(value.toArray(), broadcastNaive(va, vb, f), both32 ? 1e-6 : 1e-14, both32 ? 1e-6 : 1e-14);
          const chain = (d: (x: number, y: number) => number): number[] =>
            flat(broadcastNaive(nest(dy, so), broadcastNaive(va, vb, d), (g, v) => g * v));
          for (const [k, shape, dt, d] of [
            [0, a, dta, dfa],
            [1, b, dtb, dfb],
          ] as const) {
            const tol = dt === 'float32' ? 1e-6 : 1e-13;
            expect(grads[k].shape, name).toEqual(shape);
            expect(grads[k].dtype, name).toBe(dt);
            expectClose(flat(grads[k].toArray() as Nested), sumToNaive(chain(d), so, shape), tol, tol);
          }
        }),
        { numRuns: 50 },
      );
    }
  });

  it('broadcastTo is a zero-stride view over the same data, not a copy', () => {
    const t = T.tensor([[1], [2]]);
    const b = T.broadcastTo(t, [3, 2, 4]);
    expect(b.shape).toEqual([3, 2, 4]);
    expect(b.view.data).toBe(t.view.data);
    expect(b.view.stride[0]).toBe(0);
    expect(b.view.stride[2]).toBe(0);
    expect(b.toArray()).toEqual(Array.from({ length: 3 }, () => [Array(4).fill(1), Array(4).fill(2)]));
  });

  it('shapes that cannot broadcast: SHAPE_MISMATCH naming both shapes', () => {
    const cases: [number[], number[]][] = [
      [[2, 3], [4]],
      [[3], [2]],
      [
        [2, 1, 3],
        [4, 2],
      ],
    ];
    for (const [sa, sb] of cases) {
      const a = T.zeros(sa);
      const b = T.ones(sb);
      for (const op of [T.add, T.mul, A.add, A.sub, A.mul, A.div]) {
        const msg = expectXent(() => op(a, b), 'SHAPE_MISMATCH');
        expect(msg).toContain(`[${sa.join(', ')}]`);
        expect(msg).toContain(`[${sb.join(', ')}]`);
      }
    }
    expectXent(() => T.broadcastTo(T.zeros([3]), [2, 2]), 'SHAPE_MISMATCH', '[3]', '[2, 2]');
  });

  it('a failed broadcast modifies nothing: operands and a param with its grad are unchanged', () => {
    const w = A.param(T.tensor([1, 2, 3]));
    A.sum(A.mul(w, w)).backward();
    const before = w.grad!.toArray();
    expectXent(() => A.add(w, T.tensor([1, 2])), 'SHAPE_MISMATCH');
    expect(w.toArray()).toEqual([1, 2, 3]);
    expect(w.grad!.toArray()).toEqual(before);
  });
});

describe('numbers and nested arrays are constants wherever a Tensor goes (§3)', () => {
  it('mul(2, x), div(10, f), add(x, [[1],[2]])', () => {
    const x = T.tensor([1, 2, 4]);
    expectClose(A.mul(2, x).toArray(), [2, 4, 8]);
    expectClose(A.div(10, x).toArray(), [10, 5, 2.5]);
    expectClose(A.sub(x, 1).toArray(), [0, 1, 3]);
    expectClose(A.add(x, [[1], [2]]).toArray(), [
      [2, 3, 5],
      [3, 4, 6],
    ]);
    expectClose(A.matmul([[1, 2]], [[3], [4]]).toArray(), [[11]]);
    expectClose(T.add(x, 0.5).toArray(), [1.5, 2.5, 4.5]);
  });

  it('a number constant takes the float dtype of the other operand', () => {
    const x = T.tensor([1, 2], { dtype: 'float32' });
    expect(A.mul(2, x).dtype).toBe('float32');
    expect(T.add(x, 0.5).dtype).toBe('float32');
  });

  it('a constant operand gets no gradient and the param gets the right one', () => {
    const x = A.param(T.tensor([1, 2, 4]));
    A.sum(A.div(10, x)).backward();
    expectClose(x.grad!.toArray(), [-10, -10 / 4, -10 / 16]);
  });
});
