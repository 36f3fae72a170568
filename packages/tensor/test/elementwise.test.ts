import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  Tensor,
  abs,
  add,
  broadcastShapes,
  broadcastTo,
  clip,
  div,
  equal,
  exp,
  expm1,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  log1p,
  logSigmoid,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  softplus,
  sqrt,
  square,
  sub,
  sumTo,
  tanh,
  tensor,
  where,
} from '@xent/tensor';
import {
  broadcastIndex,
  caseArb,
  caseFor,
  expectedDtype,
  flat,
  make,
  makeCase,
  naiveBroadcastShape,
  operandShapeArb,
  prod,
  t64 as expected,
  roundTo,
  shapeArb,
  tol,
  unravel,
} from '../../../test/utils.js';

// Naive references, written out long-hand rather than reusing the library's formulas.
const unaryRefs: [string, (x: Tensor) => Tensor, (x: number) => number, 'any' | 'positive' | 'gtMinus1'][] = [
  ['neg', neg, (x) => -x, 'any'],
  ['exp', exp, (x) => Math.exp(x), 'any'],
  ['log', log, (x) => Math.log(x), 'positive'],
  ['log1p', log1p, (x) => Math.log1p(x), 'gtMinus1'],
  ['expm1', expm1, (x) => Math.expm1(x), 'any'],
  ['abs', abs, (x) => (x < 0 ? -x : x), 'any'],
  ['sqrt', sqrt, (x) => Math.sqrt(x), 'positive'],
  ['square', square, (x) => x * x, 'any'],
  ['reciprocal', reciprocal, (x) => 1 / x, 'positive'],
  ['sign', sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), 'any'],
  ['tanh', tanh, (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), 'any'],
  ['relu', relu, (x) => (x > 0 ? x : 0), 'any'],
  ['sigmoid', sigmoid, (x) => 1 / (1 + Math.exp(-x)), 'any'],
  ['softplus', softplus, (x) => Math.log(1 + Math.exp(x)), 'any'],
  ['logSigmoid', logSigmoid, (x) => Math.log(1 / (1 + Math.exp(-x))), 'any'],
];

describe('unary ops against Math', () => {
  for (const [name, op, f, domain] of unaryRefs) {
    it(`${name} on random shapes, layouts and float dtypes`, () => {
      const [lo, hi] = domain === 'positive' ? [0.01, 10] : domain === 'gtMinus1' ? [-0.99, 10] : [-10, 10];
      fc.assert(
        fc.property(
          shapeArb(0, 3, 4).chain((s) => caseFor(s, lo, hi)),
          (c) => {
            const out = op(makeCase(c));
            expect(out.shape).toEqual(c.shape);
            expect(out.dtype).toBe(c.dtype);
            expect(out).toBeAllClose(
              expected(c.values.map(f), c.shape),
              c.dtype === 'float32' ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 1e-12, atol: 1e-14 },
            );
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it('int32 input computes in float64', () => {
    const t = tensor([1, 2], { dtype: 'int32' });
    const e = exp(t);
    expect(e.dtype).toBe('float64');
    expect(e).toBeAllClose([Math.E, Math.E * Math.E]);
    expect(neg(t).toArray()).toEqual([-1, -2]);
  });

  it('clip to [lo, hi], keeping dtype and NaN', () => {
    expect(clip(tensor([-3, -1, 0, 0.5, 2, NaN]), -1, 1).toArray()).toEqual([-1, -1, 0, 0.5, 1, NaN]);
    fc.assert(
      fc.property(caseArb(0, 3), fc.double({ min: -5, max: 0, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (c, lo, hi) => {
        const out = clip(makeCase(c), lo, hi);
        expect(out.dtype).toBe(c.dtype);
        const r = (v: number): number => (c.dtype === 'float32' ? Math.fround(v) : v);
        expect(flat(out)).toEqual(c.values.map((v) => r(v < lo ? lo : v > hi ? hi : v)));
      }),
      { numRuns: 30 },
    );
  });
});

describe('stable forms at ±1e4 (finite and exact)', () => {
  const big = [1e4, -1e4, 1e3, -1e3, 800, -800, 50, -50, 0];
  for (const dtype of ['float64', 'float32'] as const) {
    it(`sigmoid / softplus / logSigmoid in ${dtype}`, () => {
      const x = tensor(big, { dtype });
      const s = flat(sigmoid(x));
      const sp = flat(softplus(x));
      const ls = flat(logSigmoid(x));
      for (const v of [...s, ...sp, ...ls]) expect(Number.isFinite(v)).toBe(true);
      // Exact in the asymptotes.
      expect(s.slice(0, 6)).toEqual([1, 0, 1, 0, 1, 0]);
      expect(sp.slice(0, 6)).toEqual([1e4, 0, 1e3, 0, 800, 0]);
      expect(ls.slice(0, 6)).toEqual([0, -1e4, 0, -1e3, 0, -800]);
      expect(s[8]).toBe(0.5);
      const r = (v: number): number => (dtype === 'float32' ? Math.fround(v) : v);
      expect(sp[8]).toBe(r(Math.LN2));
      expect(ls[8]).toBe(r(-Math.LN2));
      // Middle of the range: the textbook formula is accurate there.
      expect(s[6]).toBe(r(1 / (1 + Math.exp(-50))));
      expect(s[7]).toBeCloseTo(r(Math.exp(-50) / (1 + Math.exp(-50))), 30);
      expect(sp[6]).toBe(r(50 + Math.log1p(Math.exp(-50))));
      expect(sp[7] / Math.exp(-50)).toBeCloseTo(1, 5);
      expect(ls[7]).toBe(r(-50 - Math.log1p(Math.exp(-50))));
    });
  }

  it('sigmoid(x) + sigmoid(−x) = 1 and softplus(x) − softplus(−x) = x', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (v) => {
        const s = sigmoid(tensor([v, -v])).toArray() as number[];
        expect(s[0] + s[1]).toBeCloseTo(1, 14);
        const p = softplus(tensor([v, -v])).toArray() as number[];
        expect(p[0] - p[1]).toBeCloseTo(v, 12);
      }),
    );
  });
});

type BinOp = (a: Tensor | number, b: Tensor | number) => Tensor;
const binaryRefs: [string, BinOp, (a: number, b: number) => number][] = [
  ['add', add, (a, b) => a + b],
  ['sub', sub, (a, b) => a - b],
  ['mul', mul, (a, b) => a * b],
  ['div', div, (a, b) => a / b],
  ['maximum', maximum, (a, b) => (a > b ? a : b)],
  ['minimum', minimum, (a, b) => (a < b ? a : b)],
  ['less', less, (a, b) => (a < b ? 1 : 0)],
  ['greater', greater, (a, b) => (a > b ? 1 : 0)],
  ['lessEqual', lessEqual, (a, b) => (a <= b ? 1 : 0)],
  ['greaterEqual', greaterEqual, (a, b) => (a >= b ? 1 : 0)],
  ['equal', equal, (a, b) => (a === b ? 1 : 0)],
  ['notEqual', notEqual, (a, b) => (a !== b ? 1 : 0)],
];

/** Output shape and operand shapes that broadcast, including size-1 and missing leading axes. */
const broadcastTriple = shapeArb(0, 4, 4).chain((out) =>
  fc
    .tuple(operandShapeArb(out), operandShapeArb(out))
    .chain(([sa, sb]) => fc.tuple(fc.constant(out), caseFor(sa, -4, 4), caseFor(sb, -4, 4))),
);

/** Small values (eighths) so comparisons see ties and results are exact. */
const eighthCase = (shape: number[]) =>
  caseFor(shape).chain((c) =>
    fc
      .array(fc.integer({ min: -6, max: 6 }), { minLength: c.values.length, maxLength: c.values.length })
      .map((v) => ({ ...c, values: v.map((k) => k / 8) })),
  );

function naiveBroadcast(
  outShape: number[],
  a: { shape: number[]; values: number[] },
  b: { shape: number[]; values: number[] },
  f: (x: number, y: number) => number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < prod(outShape); i++) {
    const idx = unravel(i, outShape);
    out.push(f(a.values[broadcastIndex(idx, a.shape)], b.values[broadcastIndex(idx, b.shape)]));
  }
  return out;
}

describe('binary ops broadcast like NumPy', () => {
  for (const [name, op, ref] of binaryRefs) {
    it(`${name} on random broadcast-compatible shapes, layouts and dtypes`, () => {
      fc.assert(
        fc.property(broadcastTriple, ([outShape, ca, cb0]) => {
          // Keep divisors away from 0 (0.5 is exact in float32).
          const cb = name === 'div' ? { ...cb0, values: cb0.values.map((v) => (v === 0 ? 0.5 : v)) } : cb0;
          // The broadcast shape: outShape without the leading axes both operands dropped.
          const rank = Math.max(ca.shape.length, cb.shape.length);
          const expShape = outShape.slice(outShape.length - rank).map((d, k) => {
            const da = ca.shape[k - (rank - ca.shape.length)] ?? 1;
            const db = cb.shape[k - (rank - cb.shape.length)] ?? 1;
            return da === 1 ? db : da;
          });
          const out = op(makeCase(ca), makeCase(cb));
          expect(out.shape).toEqual(expShape);
          const dtype = expectedDtype(ca.dtype, cb.dtype);
          expect(out.dtype).toBe(dtype);
          // The reference rounded to the output dtype (a float32 quotient may overflow to ±∞, as it should).
          const want = roundTo(naiveBroadcast(expShape, ca, cb, ref), dtype);
          expect(out).toBeAllClose(expected(want, expShape), dtype === 'float32' ? { rtol: 1e-7, atol: 0 } : { rtol: 1e-15, atol: 0 });
        }),
        { numRuns: 40 },
      );
    });
  }

  it('comparisons see exact ties', () => {
    const triple = shapeArb(0, 3, 3).chain((out) =>
      fc.tuple(operandShapeArb(out), operandShapeArb(out)).chain(([sa, sb]) => fc.tuple(eighthCase(sa), eighthCase(sb))),
    );
    fc.assert(
      fc.property(triple, ([ca, cb]) => {
        const rank = Math.max(ca.shape.length, cb.shape.length);
        const shape = naiveBroadcastShape(ca.shape, cb.shape);
        expect(shape.length).toBe(rank);
        for (const [name, op, ref] of binaryRefs.slice(4)) {
          const got = op(makeCase(ca), makeCase(cb));
          expect(flat(got), name).toEqual(naiveBroadcast(shape, ca, cb, ref));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('pow against Math.pow (positive base)', () => {
    fc.assert(
      fc.property(broadcastTriple, ([, ca, cb]) => {
        const base = { ...ca, values: ca.values.map((v) => Math.abs(v) + 0.5) };
        const shape = naiveBroadcastShape(ca.shape, cb.shape);
        const out = pow(make(base.values, base.shape, base.dtype, base.layout), makeCase(cb));
        const dtype = expectedDtype(ca.dtype, cb.dtype);
        const r = (v: number): number => (base.dtype === 'float32' ? Math.fround(v) : v);
        expect(out).toBeAllClose(
          expected(
            naiveBroadcast(shape, { ...base, values: base.values.map(r) }, cb, (x, y) => Math.pow(x, y)),
            shape,
          ),
          dtype === 'float32' ? { rtol: 1e-6, atol: 0 } : { rtol: 1e-15, atol: 0 },
        );
      }),
      { numRuns: 30 },
    );
  });

  it('a concrete row + column broadcast', () => {
    const row = tensor([[1, 2, 3]]);
    const col = tensor([[10], [20]]);
    expect(add(row, col).toArray()).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
    expect(sub(tensor([1, 2, 3]), tensor([[1], [2]])).toArray()).toEqual([
      [0, 1, 2],
      [-1, 0, 1],
    ]);
    expect(mul(tensor([[[2]]]), tensor([1, 2])).shape).toEqual([1, 1, 2]);
  });

  it('size-0 axes broadcast too', () => {
    expect(add(tensor([[1], [2]]), tensor(new Float64Array(0), { shape: [0] })).shape).toEqual([2, 0]);
    expect(add(zerosShape([3, 0]), tensor(1)).shape).toEqual([3, 0]);
    expect(broadcastShapes([1, 0], [4, 1])).toEqual([4, 0]);
  });

  it('number operands take the tensor dtype; two numbers give float64', () => {
    const f = tensor([1, 2], { dtype: 'float32' });
    expect(mul(2, f).dtype).toBe('float32');
    expect(mul(2, f).toArray()).toEqual([2, 4]);
    expect(div(10, f).toArray()).toEqual([10, 5]);
    expect(sub(f, 0.5).toArray()).toEqual([0.5, 1.5]);
    expect(add(1, tensor([1])).dtype).toBe('float64');
    const n = add(1, 2);
    expect(n.shape).toEqual([]);
    expect(n.dtype).toBe('float64');
    expect(n.item()).toBe(3);
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(mul(i, 0.5).dtype).toBe('float64');
    expect(mul(i, 0.5).toArray()).toEqual([0.5, 1]);
  });

  it('dtype promotion: float32 stays float32, mixing with float64 gives float64, int32 does not vote', () => {
    const f32 = tensor([1.5], { dtype: 'float32' });
    const f64 = tensor([1.5]);
    const i32 = tensor([2], { dtype: 'int32' });
    expect(add(f32, f32).dtype).toBe('float32');
    expect(add(f32, f64).dtype).toBe('float64');
    expect(add(f64, f32).dtype).toBe('float64');
    expect(add(f32, i32).dtype).toBe('float32');
    expect(add(i32, f32).dtype).toBe('float32');
    expect(add(i32, i32).dtype).toBe('float64');
    expect(add(f32, i32).toArray()).toEqual([3.5]);
    // float32 + float64 keeps the float64 precision of the float64 input.
    const tiny = tensor([1e-10]);
    expect(add(tensor([1], { dtype: 'float32' }), tiny).toArray()).toEqual([1 + 1e-10]);
  });

  it('inputs are not modified and outputs share nothing with them', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([10, 20]);
    const out = add(a, b);
    expect(a.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b.toArray()).toEqual([10, 20]);
    expect(out.view.data).not.toBe(a.view.data);
    const same = add(a, 0);
    expect(same.view.data).not.toBe(a.view.data);
  });
});

function zerosShape(shape: number[]): Tensor {
  return tensor(new Float64Array(prod(shape)), { shape });
}

describe('broadcastShapes / broadcastTo / sumTo', () => {
  it('broadcastShapes is symmetric and matches the right-aligned rule', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 4, 4).chain((out) => fc.tuple(operandShapeArb(out), operandShapeArb(out))),
        ([a, b]) => {
          const s = broadcastShapes(a, b);
          expect(broadcastShapes(b, a)).toEqual(s);
          const n = Math.max(a.length, b.length);
          const pa = [...new Array(n - a.length).fill(1), ...a];
          const pb = [...new Array(n - b.length).fill(1), ...b];
          expect(s).toEqual(pa.map((d, k) => Math.max(d, pb[k])));
        },
      ),
    );
  });

  it('broadcastTo is a zero-stride view that shares data', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 4, 4).chain((out) =>
          fc.tuple(
            fc.constant(out),
            operandShapeArb(out).chain((s) => caseFor(s)),
          ),
        ),
        ([outShape, c]) => {
          const t = makeCase(c);
          const b = broadcastTo(t, outShape);
          expect(b.shape).toEqual(outShape);
          expect(b.view.data).toBe(t.view.data);
          const off = outShape.length - c.shape.length;
          outShape.forEach((d, k) => {
            if (k < off || (c.shape[k - off] === 1 && d !== 1)) expect(b.view.stride[k]).toBe(0);
          });
          const expected = Array.from({ length: prod(outShape) }, (_, i) => c.values[broadcastIndex(unravel(i, outShape), c.shape)]);
          expect(flat(b)).toEqual(expected);
        },
      ),
    );
    const t = tensor([1, 2, 3]);
    expect(broadcastTo(t, [3])).toBe(t);
  });

  it('sumTo is the adjoint of broadcastTo: ⟨broadcastTo(x), g⟩ = ⟨x, sumTo(g)⟩ and matches naive sums', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 4, 4).chain((out) => fc.tuple(caseFor(out), operandShapeArb(out))),
        ([g, small]) => {
          const s = sumTo(makeCase(g), small);
          expect(s.shape).toEqual(small);
          expect(s.dtype).toBe(g.dtype);
          const sums = new Array<number>(prod(small)).fill(0);
          for (let i = 0; i < g.values.length; i++) sums[broadcastIndex(unravel(i, g.shape), small)] += g.values[i];
          expect(s).toBeAllClose(expected(sums, small), tol(g.dtype, true));
        },
      ),
    );
    const g = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(sumTo(g, [2, 3])).toBe(g);
    expect(sumTo(g, [3]).toArray()).toEqual([5, 7, 9]);
    expect(sumTo(g, [2, 1]).toArray()).toEqual([[6], [15]]);
    expect(sumTo(g, []).toArray()).toEqual(21);
    expect(sumTo(tensor([1, 2], { dtype: 'int32' }), [1]).toArray()).toEqual([3]);
  });
});

describe('where', () => {
  it('picks a where cond ≠ 0, else b, all three broadcast', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3, 3).chain((out) =>
          fc.tuple(operandShapeArb(out), operandShapeArb(out), operandShapeArb(out)).chain(([sc, sa, sb]) =>
            fc.tuple(
              fc.array(fc.constantFrom(0, 1, -2), { minLength: prod(sc), maxLength: prod(sc) }).map((v) => ({ shape: sc, values: v })),
              caseFor(sa),
              caseFor(sb),
            ),
          ),
        ),
        ([cond, ca, cb]) => {
          const out = where(tensor(cond.values, { shape: cond.shape }), makeCase(ca), makeCase(cb));
          const shape = naiveBroadcastShape(cond.shape, ca.shape, cb.shape);
          expect(out.shape).toEqual(shape);
          expect(out.dtype).toBe(expectedDtype(ca.dtype, cb.dtype));
          const expected = Array.from({ length: prod(shape) }, (_, i) => {
            const idx = unravel(i, shape);
            return cond.values[broadcastIndex(idx, cond.shape)] !== 0
              ? ca.values[broadcastIndex(idx, ca.shape)]
              : cb.values[broadcastIndex(idx, cb.shape)];
          });
          expect(flat(out)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
    expect(where(tensor([1, 0, 1]), 5, tensor([[7, 8, 9]])).toArray()).toEqual([[5, 8, 5]]);
  });
});
