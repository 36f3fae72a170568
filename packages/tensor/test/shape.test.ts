import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Tensor, concat, expandDims, gather, permute, readFlat, reshape, slice, squeeze, tensor, transpose, zeros } from '@xent/tensor';
import { elementPositions, invertPermutation, isContiguous, makeView, normalizeAxes, normalizeAxis } from '@xent/tensor/internal';
import { caseArb, caseFor, expectXentError, flat, makeCase, prod, ravel, shapeArb, unravel } from '../../../test/utils.js';

/** A random permutation of 0..n-1. */
const permArb = (n: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.nat(), { minLength: n, maxLength: n })
    .map((keys) => Array.from({ length: n }, (_, k) => k).sort((a, b) => keys[a] - keys[b] || a - b));

/** All factorizations of n into `parts` positive factors, one picked at random. */
const factorShapeArb = (n: number): fc.Arbitrary<number[]> => {
  const divisors = (m: number): number[] => Array.from({ length: m }, (_, i) => i + 1).filter((d) => m % d === 0);
  return fc.integer({ min: 1, max: 4 }).chain((parts) => {
    const build = (m: number, left: number): fc.Arbitrary<number[]> =>
      left === 1 ? fc.constant([m]) : fc.constantFrom(...divisors(m)).chain((d) => build(m / d, left - 1).map((rest) => [d, ...rest]));
    return build(n, parts);
  });
};

describe('reshape', () => {
  it('keeps row-major values for any target shape of the same size, and round-trips', () => {
    fc.assert(
      fc.property(
        caseArb(0, 4, 4).chain((c) => fc.tuple(fc.constant(c), factorShapeArb(prod(c.shape)))),
        ([c, target]) => {
          const x = makeCase(c);
          const r = reshape(x, target);
          expect(r.shape).toEqual(target);
          expect(r.dtype).toBe(c.dtype);
          expect(flat(r)).toEqual(c.values);
          const back = reshape(r, c.shape);
          expect(back.shape).toEqual(c.shape);
          expect(flat(back)).toEqual(c.values);
          // A contiguous input gives a view on the same data.
          if (isContiguous(x)) expect(r.view.data).toBe(x.view.data);
        },
      ),
    );
  });

  it('infers one -1 entry', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(reshape(x, [2, -1]).shape).toEqual([2, 3]);
    expect(reshape(x, [-1, 3]).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(reshape(tensor(5), [-1]).toArray()).toEqual([5]);
    expect(reshape(tensor([5]), []).toArray()).toBe(5);
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
  });

  it('of a strided view copies in logical order', () => {
    const t = transpose(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(reshape(t, [6]).toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    const s = slice(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ]),
      [
        [1, 3],
        [0, 2],
      ],
    );
    expect(reshape(s, [4]).toArray()).toEqual([4, 5, 7, 8]);
  });
});

describe('readFlat of strided 2-D views (the tiled copy: eight rows at a time, then the rest)', () => {
  it('equals reading element (r, c) at offset + r·s0 + c·s1, for every size around the tile and several layouts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 27 }),
        fc.integer({ min: 1, max: 19 }),
        fc.constantFrom('transposed', 'transposed slice', 'every other row', 'reversed columns'),
        fc.constantFrom('float64', 'float32', 'int32'),
        (rows, cols, layout, dtype) => {
          const size = 4 * (rows + 2) * (cols + 2);
          const data = dtype === 'float64' ? new Float64Array(size) : dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
          for (let i = 0; i < size; i++) data[i] = ((i * 7919) % 1000) - 500;
          const [s0, s1, offset] =
            layout === 'transposed'
              ? [1, rows, 0]
              : layout === 'transposed slice'
                ? [1, rows + 3, 2]
                : layout === 'every other row'
                  ? [2 * cols, 1, 1]
                  : [cols + 1, -1, cols];
          const t = new Tensor(makeView(data, [rows, cols], [s0, s1], offset));
          const want: number[] = [];
          for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want.push(data[offset + r * s0 + c * s1]);
          expect(Array.from(readFlat(t))).toEqual(want);
        },
      ),
    );
  });
});

describe('transpose / permute', () => {
  it('moves element idx to perm-permuted position, as a view; the inverse perm round-trips', () => {
    fc.assert(
      fc.property(
        caseArb(0, 4, 4).chain((c) => fc.tuple(fc.constant(c), permArb(c.shape.length))),
        ([c, perm]) => {
          const x = makeCase(c);
          const t = transpose(x, perm);
          const outShape = perm.map((p) => c.shape[p]);
          expect(t.shape).toEqual(outShape);
          expect(t.view.data).toBe(x.view.data);
          const expected = Array.from({ length: prod(outShape) }, (_, i) => {
            const j = unravel(i, outShape);
            const src = new Array<number>(perm.length);
            perm.forEach((p, k) => (src[p] = j[k]));
            return c.values[ravel(src, c.shape)];
          });
          expect(flat(t)).toEqual(expected);
          const inv = invertPermutation(perm);
          perm.forEach((p, k) => expect(inv[p]).toBe(k));
          expect(flat(transpose(t, inv))).toEqual(c.values);
          // Negative axes name the same permutation.
          expect(
            flat(
              permute(
                x,
                perm.map((p) => p - perm.length),
              ),
            ),
          ).toEqual(expected);
        },
      ),
    );
  });

  it('defaults to reversing the axes', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(transpose(x).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(transpose(transpose(x)).toArray()).toEqual(x.toArray());
    expect(transpose(zeros([2, 3, 4])).shape).toEqual([4, 3, 2]);
    expect(transpose(tensor([1, 2])).toArray()).toEqual([1, 2]);
    expect(transpose(tensor(7)).item()).toBe(7);
  });
});

describe('expandDims / squeeze', () => {
  it('expandDims inserts a size-1 axis at any position (negative too); squeeze removes it', () => {
    fc.assert(
      fc.property(
        caseArb(0, 4, 4).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.shape.length }), fc.boolean())),
        ([c, a, neg]) => {
          const x = makeCase(c);
          const axis = neg ? a - (c.shape.length + 1) : a;
          const e = expandDims(x, axis);
          const expShape = [...c.shape.slice(0, a), 1, ...c.shape.slice(a)];
          expect(e.shape).toEqual(expShape);
          expect(e.view.data).toBe(x.view.data);
          expect(flat(e)).toEqual(c.values);
          const s = squeeze(e, a);
          expect(s.shape).toEqual(c.shape);
          expect(flat(s)).toEqual(c.values);
        },
      ),
    );
  });

  it('squeeze without axes drops every size-1 axis; named axes drop only those', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 5, 3).chain((s) => caseFor(s)),
        (c) => {
          const x = makeCase(c);
          const all = squeeze(x);
          expect(all.shape).toEqual(c.shape.filter((d) => d !== 1));
          expect(flat(all)).toEqual(c.values);
          const ones = c.shape.map((d, k) => (d === 1 ? k : -1)).filter((k) => k >= 0);
          if (ones.length > 0) {
            const some = squeeze(x, [ones[0]]);
            expect(some.shape).toEqual(c.shape.filter((_, k) => k !== ones[0]));
            expect(flat(some)).toEqual(c.values);
          }
        },
      ),
    );
    expect(squeeze(zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(squeeze(zeros([1, 1])).shape).toEqual([]);
  });
});

describe('slice', () => {
  it('matches naive index ranges, with negative and clamped bounds, as a view', () => {
    const boundArb = fc.integer({ min: -6, max: 6 });
    fc.assert(
      fc.property(
        caseArb(1, 4, 5).chain((c) =>
          fc.tuple(
            fc.constant(c),
            fc
              .integer({ min: 0, max: c.shape.length })
              .chain((n) => fc.array(fc.tuple(boundArb, fc.option(boundArb, { nil: undefined })), { minLength: n, maxLength: n })),
          ),
        ),
        ([c, ranges]) => {
          const x = makeCase(c);
          const s = slice(
            x,
            ranges.map(([a, b]) => (b === undefined ? ([a] as const) : ([a, b] as const))),
          );
          // Naive: python-like clamping.
          const bounds = c.shape.map((n, k) => {
            if (k >= ranges.length) return [0, n];
            const [a, b] = ranges[k];
            const lo = Math.min(n, Math.max(0, a < 0 ? a + n : a));
            const hi = b === undefined ? n : Math.min(n, Math.max(0, b < 0 ? b + n : b));
            return [lo, Math.max(lo, hi)];
          });
          const outShape = bounds.map(([lo, hi]) => hi - lo);
          expect(s.shape).toEqual(outShape);
          expect(s.view.data).toBe(x.view.data);
          const expected = Array.from({ length: prod(outShape) }, (_, i) => {
            const idx = unravel(i, outShape).map((j, k) => j + bounds[k][0]);
            return c.values[ravel(idx, c.shape)];
          });
          expect(flat(s)).toEqual(expected);
          expect(Array.from(readFlat(s))).toEqual(expected);
        },
      ),
    );
  });

  it('concrete', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(slice(x, [[1]]).toArray()).toEqual([
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(
      slice(x, [
        [0, 3],
        [1, 2],
      ]).toArray(),
    ).toEqual([[2], [5], [8]]);
    expect(slice(x, [[-1], [-2]]).toArray()).toEqual([[8, 9]]);
    expect(slice(x, [[2, 1]]).shape).toEqual([0, 3]);
    expect(slice(x, [[5, 9]]).shape).toEqual([0, 3]);
  });
});

describe('gather', () => {
  it('picks along every axis by int indices (negative ones count from the end), any index shape', () => {
    fc.assert(
      fc.property(
        caseArb(1, 3, 4).chain((c) =>
          fc.integer({ min: 0, max: c.shape.length - 1 }).chain((axis) =>
            fc.tuple(
              fc.constant(c),
              fc.constant(axis),
              shapeArb(0, 2, 3).chain((ishape) =>
                fc.tuple(
                  fc.constant(ishape),
                  fc.array(fc.integer({ min: -c.shape[axis], max: c.shape[axis] - 1 }), {
                    minLength: prod(ishape),
                    maxLength: prod(ishape),
                  }),
                ),
              ),
              fc.boolean(),
            ),
          ),
        ),
        ([c, axis, [ishape, ivals], asInt32]) => {
          const x = makeCase(c);
          const idx = tensor(ivals, { shape: ishape, dtype: asInt32 ? 'int32' : 'float64' });
          const g = gather(x, idx, axis);
          const outShape = [...c.shape.slice(0, axis), ...ishape, ...c.shape.slice(axis + 1)];
          expect(g.shape).toEqual(outShape);
          expect(g.dtype).toBe(c.dtype);
          const expected = Array.from({ length: prod(outShape) }, (_, i) => {
            const o = unravel(i, outShape);
            const before = o.slice(0, axis);
            const mid = o.slice(axis, axis + ishape.length);
            const after = o.slice(axis + ishape.length);
            let j = ivals[ravel(mid, ishape)];
            if (j < 0) j += c.shape[axis];
            return c.values[ravel([...before, j, ...after], c.shape)];
          });
          expect(flat(g)).toEqual(expected);
          if (ishape.length === 1) expect(flat(gather(x, ivals, axis - c.shape.length))).toEqual(expected);
        },
      ),
    );
  });

  it('concrete: rows, columns, labels', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(gather(x, [1, 0, 1]).toArray()).toEqual([
      [4, 5, 6],
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(gather(x, [2, -3], 1).toArray()).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(gather(x, tensor(1, { dtype: 'int32' }), 1).toArray()).toEqual([2, 5]);
    expect(gather(x, [], 0).shape).toEqual([0, 3]);
  });
});

describe('concat', () => {
  it('joins along every axis like a naive copy; dtype follows the float rule', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 3, 3).chain((base) =>
          fc.integer({ min: 0, max: base.length - 1 }).chain((axis) =>
            fc.tuple(
              fc.constant(axis),
              fc.array(
                fc.integer({ min: 0, max: 3 }).chain((n) => caseFor(base.map((d, k) => (k === axis ? n : d)))),
                { minLength: 1, maxLength: 4 },
              ),
            ),
          ),
        ),
        ([axis, parts]) => {
          const out = concat(parts.map(makeCase), axis);
          const shape = parts[0].shape.slice();
          shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
          expect(out.shape).toEqual(shape);
          const dtypes = new Set(parts.map((p) => p.dtype));
          expect(out.dtype).toBe(dtypes.size === 1 ? parts[0].dtype : 'float64');
          const expected = Array.from({ length: prod(shape) }, (_, i) => {
            const idx = unravel(i, shape);
            let j = idx[axis];
            let p = 0;
            while (j >= parts[p].shape[axis]) j -= parts[p++].shape[axis];
            idx[axis] = j;
            return parts[p].values[ravel(idx, parts[p].shape)];
          });
          expect(flat(out)).toEqual(expected);
          expect(flat(concat(parts.map(makeCase), axis - shape.length))).toEqual(expected);
        },
      ),
    );
  });

  it('concrete, and mixed dtypes', () => {
    const a = tensor([[1, 2]]);
    const b = tensor([
      [3, 4],
      [5, 6],
    ]);
    expect(concat([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(concat([b, b], 1).toArray()).toEqual([
      [3, 4, 3, 4],
      [5, 6, 5, 6],
    ]);
    const i = tensor([1], { dtype: 'int32' });
    const f = tensor([0.5], { dtype: 'float32' });
    expect(concat([i, i]).dtype).toBe('int32');
    expect(concat([f, i]).dtype).toBe('float32');
    expect(concat([f, i]).toArray()).toEqual([0.5, 1]);
    expect(concat([f, tensor([0.25])]).dtype).toBe('float64');
    expect(concat([i, tensor([0.25])]).toArray()).toEqual([1, 0.25]);
  });
});

describe('axis normalisation', () => {
  it('resolves negative axes and accepts 0 / -1 on scalars', () => {
    expect(normalizeAxis(-1, 3, 'f')).toBe(2);
    expect(normalizeAxis(-3, 3, 'f')).toBe(0);
    expect(normalizeAxis(2, 3, 'f')).toBe(2);
    expect(normalizeAxis(0, 0, 'f')).toBe(0);
    expect(normalizeAxis(-1, 0, 'f')).toBe(0);
    expect(normalizeAxes(undefined, 3, 'f')).toEqual([0, 1, 2]);
    expect(normalizeAxes([-1, 0], 3, 'f')).toEqual([0, 2]);
    expectXentError(() => normalizeAxes([-1, 0, 2], 3, 'f'), 'INVALID_ARGUMENT', 'f: axes [-1, 0, 2] name axis 2 twice'); // as NumPy and PyTorch
    expect(normalizeAxes(1, 3, 'f')).toEqual([1]);
    expect(normalizeAxes(-1, 0, 'f')).toEqual([]);
  });
});

describe('elementPositions', () => {
  it('gives each element of a transposed, sliced or broadcast view the data position readFlat reads it from', () => {
    // A base holding its own positions: reading a view of it through the positions must give readFlat's values.
    const base = tensor(Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, (_, j) => 6 * i + j)));
    const views = [
      base,
      transpose(base),
      slice(base, [
        [1, 3],
        [2, 5],
      ]),
      slice(transpose(base), [
        [3, 6],
        [1, 4],
      ]),
    ];
    for (const v of views) {
      const data = v.view.data;
      const positions = elementPositions(v.view.shape, v.view.stride, v.view.offset);
      expect(Array.from(positions, (q) => data[q])).toEqual(Array.from(readFlat(v)));
    }
    expect(Array.from(elementPositions([2, 3], [0, 1], 4))).toEqual([4, 5, 6, 4, 5, 6]); // a broadcast axis (stride 0)
    expect(Array.from(elementPositions([], [], 7))).toEqual([7]); // a scalar
    expect(elementPositions([3, 0], [1, 1], 0).length).toBe(0);
  });
});
