import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { argmax, argmin, logSoftmax, logSumExp, max, mean, min, softmax, sum, tensor, transpose, zeros, type Tensor } from '@xent/tensor';
import { fromRows, toRows } from '@xent/tensor/internal';
import {
  axisSubsets,
  caseArb,
  caseFor,
  flat,
  makeCase,
  prod,
  ravel,
  t64 as ref,
  shapeArb,
  expectXentError,
  tol,
  unravel,
  type Case,
} from '../../../test/utils.js';

type Kind = 'sum' | 'mean' | 'max' | 'min';

/** Naive reduction over `axes` by visiting every input element. */
function naiveReduce(
  c: { shape: number[]; values: number[] },
  axes: number[],
  kind: Kind,
  keepDims: boolean,
): { shape: number[]; values: number[] } {
  const kept = c.shape.map((d, k) => (axes.includes(k) ? 1 : d));
  const n = prod(kept);
  const init = kind === 'max' ? -Infinity : kind === 'min' ? Infinity : 0;
  const acc = new Array<number>(n).fill(init);
  for (let i = 0; i < c.values.length; i++) {
    const idx = unravel(i, c.shape).map((j, k) => (axes.includes(k) ? 0 : j));
    const o = ravel(idx, kept);
    const v = c.values[i];
    if (kind === 'max') acc[o] = v > acc[o] ? v : acc[o];
    else if (kind === 'min') acc[o] = v < acc[o] ? v : acc[o];
    else acc[o] += v;
  }
  const count = axes.reduce((p, k) => p * c.shape[k], 1);
  const values = kind === 'mean' ? acc.map((v) => v / count) : acc;
  const shape = keepDims ? kept : c.shape.filter((_, k) => !axes.includes(k));
  return { shape, values };
}

/** Naive per-lane computation along one axis: f gets the lane's values and returns the lane's outputs. */
function alongAxis(c: { shape: number[]; values: number[] }, axis: number, f: (lane: number[]) => number[]): number[] {
  const out = new Array<number>(c.values.length);
  const n = c.shape[axis];
  for (let i = 0; i < c.values.length; i++) {
    const idx = unravel(i, c.shape);
    if (idx[axis] !== 0) continue;
    const lane = Array.from(
      { length: n },
      (_, j) =>
        c.values[
          ravel(
            idx.map((v, k) => (k === axis ? j : v)),
            c.shape,
          )
        ],
    );
    const res = f(lane);
    res.forEach(
      (v, j) =>
        (out[
          ravel(
            idx.map((x, k) => (k === axis ? j : x)),
            c.shape,
          )
        ] = v),
    );
  }
  return out;
}

/** One value per lane along `axis`: the result has shape without that axis. */
function perLane(c: { shape: number[]; values: number[] }, axis: number, f: (lane: number[]) => number): number[] {
  const outShape = c.shape.filter((_, k) => k !== axis);
  return Array.from({ length: prod(outShape) }, (_, o) => {
    const idx = unravel(o, outShape);
    const lane = Array.from({ length: c.shape[axis] }, (_, j) => {
      const full = [...idx.slice(0, axis), j, ...idx.slice(axis)];
      return c.values[ravel(full, c.shape)];
    });
    return f(lane);
  });
}

const naiveLse = (lane: number[]): number => Math.log(lane.reduce((s, v) => s + Math.exp(v), 0));

const reducers: [Kind, (x: Tensor, axes?: number | readonly number[], o?: { keepDims?: boolean }) => Tensor][] = [
  ['sum', sum],
  ['mean', mean],
  ['max', max],
  ['min', min],
];

describe('sum / mean / max / min over every axis subset', () => {
  for (const [kind, op] of reducers) {
    it(`${kind}, with and without keepDims, positive and negative axes`, () => {
      fc.assert(
        fc.property(caseArb(0, 4, 4), fc.boolean(), fc.boolean(), (c, keepDims, negative) => {
          const x = makeCase(c);
          for (const axes of axisSubsets(c.shape.length)) {
            const exp = naiveReduce(c, axes, kind, keepDims);
            const arg = negative ? axes.map((a) => a - c.shape.length) : axes;
            const got = op(x, arg, { keepDims });
            expect(got.shape).toEqual(exp.shape);
            expect(got.dtype).toBe(c.dtype);
            // Exact; ±0 compare equal (which zero max(0, −0) returns is unspecified, as in NumPy).
            if (kind === 'max' || kind === 'min') expect(flat(got).map((v) => v + 0)).toEqual(exp.values.map((v) => v + 0));
            else expect(got).toBeAllClose(ref(exp.values, exp.shape), tol(c.dtype, true));
          }
          // No axes given: everything.
          const all = naiveReduce(
            c,
            c.shape.map((_, k) => k),
            kind,
            false,
          );
          expect(op(x)).toBeAllClose(ref(all.values, []), tol(c.dtype, true));
          // A single number axis.
          if (c.shape.length > 0) {
            const one = naiveReduce(c, [c.shape.length - 1], kind, keepDims);
            expect(op(x, -1, { keepDims })).toBeAllClose(ref(one.values, one.shape), tol(c.dtype, true));
          }
        }),
        { numRuns: 40 },
      );
    });
  }

  it('float32 sums of exactly representable values are exact on every path', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 4, 5).chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            values: fc.array(
              fc.integer({ min: -64, max: 64 }).map((k) => k / 4),
              { minLength: prod(shape), maxLength: prod(shape) },
            ),
            layout: fc.constantFrom('contiguous' as const, 'transposed' as const, 'sliced' as const),
            dtype: fc.constant('float32' as const),
          }),
        ),
        (c: Case) => {
          const x = makeCase(c);
          for (const axes of axisSubsets(c.shape.length)) {
            const exp = naiveReduce(c, axes, 'sum', false);
            expect(flat(sum(x, axes))).toEqual(exp.values);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('concrete values', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(sum(x).item()).toBe(21);
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, 1, { keepDims: true }).toArray()).toEqual([[6], [15]]);
    expect(mean(x, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(mean(x).item()).toBe(3.5);
    expect(max(x, 1).toArray()).toEqual([3, 6]);
    expect(min(x, [0, 1], { keepDims: true }).toArray()).toEqual([[1]]);
    expectXentError(() => sum(x, [0, 0]), 'INVALID_ARGUMENT', 'sum: axes [0, 0] name axis 0 twice; list each axis once.');
    expectXentError(() => mean(x, [1, -1]), 'INVALID_ARGUMENT', 'mean: axes [1, -1] name axis 1 twice');
    // Reductions never alias or modify the input.
    expect(x.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('int32 input reduces in float64', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    expect(sum(x, 0).dtype).toBe('float64');
    expect(mean(x, 1).toArray()).toEqual([1.5, 3.5]);
    expect(max(x).item()).toBe(4);
  });

  it('NaN propagates through max/min on every path', () => {
    const x = tensor([
      [1, NaN, 3],
      [4, 5, 6],
    ]);
    expect(max(x, 1).toArray()).toEqual([NaN, 6]);
    expect(min(x, 1).toArray()).toEqual([NaN, 4]);
    expect(max(x, 0).toArray()).toEqual([4, NaN, 6]);
    expect(min(transpose(x), 0).toArray()).toEqual([NaN, 4]);
    expect(max(tensor([NaN, 1])).item()).toBeNaN();
    expect(max(tensor([1, NaN])).item()).toBeNaN();
  });

  it('empty axes: sum gives 0, mean NaN, max refuses', () => {
    const e = zeros([2, 0]);
    expect(sum(e, 1).toArray()).toEqual([0, 0]);
    expect(sum(e, 0).toArray()).toEqual([]);
    expect(sum(e).item()).toBe(0);
    expect(mean(e, 1).toArray()).toEqual([NaN, NaN]);
    expect(() => max(e, 1)).toThrow(/empty axis/);
    expect(max(e, 0).shape).toEqual([0]);
  });

  it('scalars (rank 0): no axes, or axis 0 / -1 as in PyTorch', () => {
    const s = tensor(2.5);
    for (const [, op] of reducers) {
      expect(op(s).item()).toBe(2.5);
      expect(op(s).shape).toEqual([]);
      expect(op(s, 0).shape).toEqual([]);
      expect(op(s, -1).item()).toBe(2.5);
      expect(op(s, [0], { keepDims: true }).shape).toEqual([]);
    }
  });
});

describe('argmax / argmin', () => {
  it('along every axis against a naive scan (first index on ties)', () => {
    // Few distinct values so ties happen.
    const tieCase = shapeArb(1, 4, 4).chain((shape) =>
      caseFor(shape).chain((c) =>
        fc
          .array(fc.integer({ min: -2, max: 2 }), { minLength: c.values.length, maxLength: c.values.length })
          .chain((v) => fc.constantFrom({ ...c, values: v }, c)),
      ),
    );
    fc.assert(
      fc.property(tieCase, (c) => {
        const x = makeCase(c);
        for (let a = 0; a < c.shape.length; a++) {
          const outShape = c.shape.filter((_, k) => k !== a);
          const am = argmax(x, a);
          const an = argmin(x, a - c.shape.length);
          expect(am.dtype).toBe('int32');
          expect(am.shape).toEqual(outShape);
          expect(an.shape).toEqual(outShape);
          expect(flat(am)).toEqual(perLane(c, a, (lane) => lane.reduce((best, v, j) => (v > lane[best] ? j : best), 0)));
          expect(flat(an)).toEqual(perLane(c, a, (lane) => lane.reduce((best, v, j) => (v < lane[best] ? j : best), 0)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('defaults to the last axis; NaN wins like in max; scalars give 0', () => {
    const x = tensor([
      [1, 9, 9],
      [7, 2, 7],
    ]);
    expect(argmax(x).toArray()).toEqual([1, 0]);
    expect(argmin(x).toArray()).toEqual([0, 1]);
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 0]);
    expect(argmax(tensor([1, NaN, 5])).item()).toBe(1);
    expect(argmin(tensor([1, 5, NaN, 0])).item()).toBe(2);
    expect(argmax(tensor(4)).item()).toBe(0);
    expect(argmax(tensor(4)).shape).toEqual([]);
  });
});

describe('logSumExp / softmax / logSoftmax along every axis', () => {
  it('match naive formulas on random shapes, layouts and dtypes', () => {
    fc.assert(
      fc.property(caseArb(1, 4, 4), fc.boolean(), (c, keepDims) => {
        const x = makeCase(c);
        for (let a = 0; a < c.shape.length; a++) {
          const t = tol(c.dtype);
          const loose = c.dtype === 'float32' ? { rtol: 1e-6, atol: 1e-6 } : { rtol: 1e-13, atol: 1e-13 };
          const lseShape = keepDims ? c.shape.map((d, k) => (k === a ? 1 : d)) : c.shape.filter((_, k) => k !== a);
          const lse = logSumExp(x, a, { keepDims });
          expect(lse.shape).toEqual(lseShape);
          expect(lse.dtype).toBe(c.dtype);
          expect(lse).toBeAllClose(ref(perLane(c, a, naiveLse), lseShape), loose);

          const sm = softmax(x, a - c.shape.length);
          expect(sm.shape).toEqual(c.shape);
          expect(sm.dtype).toBe(c.dtype);
          const smRef = alongAxis(c, a, (lane) => {
            const e = lane.map(Math.exp);
            const z = e.reduce((p, v) => p + v, 0);
            return e.map((v) => v / z);
          });
          expect(sm).toBeAllClose(ref(smRef, c.shape), { rtol: t.rtol * 10, atol: t.atol });

          const lsm = logSoftmax(x, a);
          expect(lsm.shape).toEqual(c.shape);
          expect(lsm.dtype).toBe(c.dtype);
          expect(lsm).toBeAllClose(
            ref(
              alongAxis(c, a, (lane) => lane.map((v) => v - naiveLse(lane))),
              c.shape,
            ),
            loose,
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it('default axis is the last', () => {
    const x = tensor([
      [0, Math.log(3)],
      [Math.log(2), Math.log(2)],
    ]);
    expect(logSumExp(x)).toBeAllClose([Math.log(4), Math.log(4)]);
    expect(softmax(x)).toBeAllClose([
      [0.25, 0.75],
      [0.5, 0.5],
    ]);
    expect(logSoftmax(x)).toBeAllClose([
      [Math.log(0.25), Math.log(0.75)],
      [Math.log(0.5), Math.log(0.5)],
    ]);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`stable and exact at ±1e4 (${dtype})`, () => {
      const x = tensor(
        [
          [1e4, 1e4],
          [-1e4, -1e4],
          [1e4, 0],
          [-1e4, 0],
          [1e4, -1e4],
        ],
        { dtype },
      );
      const lse = flat(logSumExp(x));
      const r = (v: number): number => (dtype === 'float32' ? Math.fround(v) : v);
      expect(lse).toEqual([r(1e4 + Math.LN2), r(-1e4 + Math.LN2), 1e4, 0, 1e4]);
      expect(flat(softmax(x))).toEqual([0.5, 0.5, 0.5, 0.5, 1, 0, 0, 1, 1, 0]);
      expect(flat(logSoftmax(x))).toEqual([r(-Math.LN2), r(-Math.LN2), r(-Math.LN2), r(-Math.LN2), 0, -1e4, -1e4, 0, 0, -2e4]);
      // Along axis 0 as well (a strided path).
      expect(flat(logSumExp(transpose(x), 0))).toEqual([r(1e4 + Math.LN2), r(-1e4 + Math.LN2), 1e4, 0, 1e4]);
    });
  }

  it('softmax rows sum to 1 and logSoftmax = log(softmax) for wide ranges', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 3, 5).chain((s) => caseFor(s, -300, 300)),
        (c) => {
          const x = makeCase(c);
          const sm = softmax(x);
          const sums = flat(sum(sm, -1));
          for (const v of sums) expect(v).toBeCloseTo(1, c.dtype === 'float32' ? 5 : 12);
          for (const v of flat(logSoftmax(x))) expect(v).toBeLessThanOrEqual(0);
          expect(flat(logSumExp(x)).every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('special rows: −∞, +∞ and NaN', () => {
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logSumExp(tensor([-Infinity, 0])).item()).toBe(0);
    expect(logSumExp(tensor([Infinity, 0])).item()).toBe(Infinity);
    expect(logSumExp(tensor([NaN, 0])).item()).toBeNaN();
    expect(logSumExp(tensor([0, NaN])).item()).toBeNaN();
    expect(logSumExp(tensor([NaN, NaN])).item()).toBeNaN();
    expect(logSumExp(tensor([Infinity, NaN])).item()).toBeNaN();
    expect(softmax(tensor([-Infinity, 0])).toArray()).toEqual([0, 1]);
  });

  it('empty axes: logSumExp gives −∞ per row, softmax an empty tensor', () => {
    const e = zeros([3, 0]);
    expect(logSumExp(e, 1).toArray()).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(logSumExp(e, 1, { keepDims: true }).shape).toEqual([3, 1]);
    expect(logSumExp(e, 0).shape).toEqual([0]);
    expect(softmax(e).shape).toEqual([3, 0]);
    expect(logSoftmax(e, 0).shape).toEqual([3, 0]);
  });

  it('scalars behave as one element', () => {
    const s = tensor(3);
    expect(logSumExp(s).item()).toBe(3);
    expect(logSumExp(s).shape).toEqual([]);
    expect(softmax(s).item()).toBe(1);
    expect(logSoftmax(s).item()).toBe(0);
  });
});

describe('toRows / fromRows', () => {
  it('move an axis last and back', () => {
    fc.assert(
      fc.property(caseArb(1, 4, 4), (c) => {
        const x = makeCase(c);
        for (let a = 0; a < c.shape.length; a++) {
          const rows = toRows(x, a, 'test');
          expect(rows.cols).toBe(c.shape[a]);
          expect(rows.rows).toBe(prod(c.shape) / c.shape[a]);
          // Row r holds the lane of output position r, in order.
          const lanes = perLane(c, a, (lane) => lane.length);
          expect(lanes.length).toBe(rows.rows);
          const expected: number[] = [];
          const outShape = c.shape.filter((_, k) => k !== a);
          for (let o = 0; o < prod(outShape); o++) {
            const idx = unravel(o, outShape);
            for (let j = 0; j < c.shape[a]; j++) expected.push(c.values[ravel([...idx.slice(0, a), j, ...idx.slice(a)], c.shape)]);
          }
          expect(Array.from(rows.data)).toEqual(expected);
          const back = fromRows(rows.data.slice(), rows);
          expect(back.shape).toEqual(c.shape);
          expect(flat(back)).toEqual(c.values);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('count rows correctly when the axis is empty', () => {
    const rows = toRows(zeros([2, 3, 0]), -1, 'test');
    expect(rows.cols).toBe(0);
    expect(rows.rows).toBe(6);
  });
});
