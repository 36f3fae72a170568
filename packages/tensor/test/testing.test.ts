// Testing the tester: allClose / compareClose / maxAbsDiff / the toBeAllClose matcher
// must pass on values within tolerance and fail on every real difference.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { allClose, compareClose, maxAbsDiff, tensor, toBeAllClose, transpose } from '@xent/tensor';

describe('compareClose / allClose', () => {
  it('passes on identical and nearly identical values, with the default tolerances', () => {
    expect(allClose([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(allClose(tensor([[1, 2]]), [[1, 2]])).toBe(true);
    expect(allClose(1 + 1e-9, 1)).toBe(true); // within rtol 1e-7
    expect(allClose(1e-10, 0)).toBe(true); // within atol 1e-9
    const r = compareClose([1, 2], [1, 2]);
    expect(r).toEqual({ ok: true, reason: '', maxAbsDiff: 0, worstIndex: -1 });
  });

  it('fails on a real difference and says where', () => {
    expect(allClose([1, 2, 3], [1, 2, 3.001])).toBe(false);
    expect(allClose(1 + 1e-6, 1)).toBe(false);
    expect(allClose(1e-8, 0)).toBe(false);
    const r = compareClose(
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 2],
        [3, 5],
      ],
    );
    expect(r.ok).toBe(false);
    expect(r.worstIndex).toBe(3);
    expect(r.maxAbsDiff).toBe(1);
    expect(r.reason).toContain('flat index 3');
    expect(r.reason).toContain('4 vs expected 5');
  });

  it('reports the element that exceeds the tolerance the most', () => {
    const r = compareClose([1.1, 10.5, 100.2], [1, 10, 100], { rtol: 0, atol: 0.05 });
    expect(r.ok).toBe(false);
    expect(r.worstIndex).toBe(1);
    expect(r.maxAbsDiff).toBeCloseTo(0.5, 12);
  });

  it('implements |a − b| ≤ atol + rtol·|expected| (numpy.allclose), asymmetric in expected', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (a, b, rtol, atol) => {
          expect(allClose(a, b, { rtol, atol })).toBe(Math.abs(a - b) <= atol + rtol * Math.abs(b));
        },
      ),
      { numRuns: 200 },
    );
    expect(allClose(1.5, 1, { rtol: 0.5, atol: 0 })).toBe(true);
    expect(allClose(1, 1.5, { rtol: 0.5, atol: 0 })).toBe(true);
    expect(allClose(2, 1, { rtol: 0.5, atol: 0 })).toBe(false);
    expect(allClose(1, 2, { rtol: 0.5, atol: 0 })).toBe(true);
  });

  it('detects any single changed element in a random tensor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        (xs, at, delta) => {
          const i = at % xs.length;
          const ys = xs.slice();
          ys[i] += delta;
          expect(allClose(xs, xs)).toBe(true);
          const r = compareClose(xs, ys, { rtol: 1e-9, atol: 1e-9 });
          expect(r.ok).toBe(false);
          expect(r.worstIndex).toBe(i);
        },
      ),
    );
  });

  it('compares shapes exactly', () => {
    const r = compareClose([1, 2, 3], [[1, 2, 3]]);
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('[3]');
    expect(r.reason).toContain('[1, 3]');
    expect(allClose(tensor([1]), 1)).toBe(false);
    expect(allClose([], [])).toBe(true);
    expect(allClose([], [0])).toBe(false);
  });

  it('NaN never matches unless equalNaN', () => {
    expect(allClose([NaN], [NaN])).toBe(false);
    expect(allClose([NaN], [NaN], { equalNaN: true })).toBe(true);
    expect(allClose([NaN], [1], { equalNaN: true })).toBe(false);
    expect(allClose([1], [NaN], { equalNaN: true })).toBe(false);
    expect(allClose([1, NaN], [1, 0], { atol: Infinity })).toBe(false);
    const r = compareClose([1, NaN], [1, 2]);
    expect(r.worstIndex).toBe(1);
    expect(r.reason).toContain('NaN');
  });

  it('infinities match only the same infinity, whatever the tolerance', () => {
    expect(allClose([Infinity, -Infinity], [Infinity, -Infinity])).toBe(true);
    expect(allClose([Infinity], [-Infinity])).toBe(false);
    expect(allClose([1e308], [Infinity])).toBe(false);
    expect(allClose([0], [Infinity])).toBe(false);
    expect(allClose([0], [Infinity], { rtol: 1 })).toBe(false);
    expect(allClose([Infinity], [0])).toBe(false);
    expect(allClose([Infinity], [1e308], { rtol: 1, atol: 1 })).toBe(false);
    expect(allClose([5], [-Infinity], { rtol: 0.5, atol: 100 })).toBe(false);
    const r = compareClose([0, 1], [0, Infinity]);
    expect(r.ok).toBe(false);
    expect(r.worstIndex).toBe(1);
  });

  it('reads strided views and float32 tensors in logical order', () => {
    const t = transpose(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(
      allClose(t, [
        [1, 3],
        [2, 4],
      ]),
    ).toBe(true);
    expect(
      allClose(t, [
        [1, 2],
        [3, 4],
      ]),
    ).toBe(false);
    expect(allClose(tensor([0.1], { dtype: 'float32' }), [0.1], { rtol: 1e-7 })).toBe(true);
    expect(allClose(tensor([0.1], { dtype: 'float32' }), [0.1], { rtol: 1e-9, atol: 0 })).toBe(false);
  });

  it('maxAbsDiff', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(maxAbsDiff([1], [1])).toBe(0);
    expect(maxAbsDiff([1], [Infinity])).toBe(Infinity);
    expect(maxAbsDiff([1], [[1]])).toBe(Infinity);
  });
});

describe('the toBeAllClose matcher', () => {
  it('returns pass and a message naming the worst element', () => {
    const ok = toBeAllClose([1, 2], [1, 2]);
    expect(ok.pass).toBe(true);
    expect(ok.message()).toContain('not to be all close');
    const bad = toBeAllClose([1, 2], [1, 3]);
    expect(bad.pass).toBe(false);
    expect(bad.message()).toContain('flat index 1');
    expect(bad.message()).toContain('2 vs expected 3');
  });

  it('passes through expect() on close values', () => {
    expect(tensor([1, 2, 3])).toBeAllClose([1, 2, 3 + 1e-12]);
    expect(tensor([1, 2, 3])).toBeAllClose([1.001, 2, 3], { rtol: 1e-2 });
    expect(tensor([1, 2, 3])).not.toBeAllClose([1, 2, 4]);
  });

  it('throws through expect() on a real difference, a shape difference and NaN', () => {
    expect(() => expect(tensor([1, 2, 3])).toBeAllClose([1, 2, 3.1])).toThrow(/all close.*flat index 2/);
    expect(() => expect(tensor([1, 2, 3])).toBeAllClose([[1, 2, 3]])).toThrow(/shape \[3\] differs from the expected \[1, 3\]/);
    expect(() => expect(tensor([NaN])).toBeAllClose([NaN])).toThrow();
    expect(() => expect(tensor([1, 2])).not.toBeAllClose([1, 2])).toThrow(/not to be all close/);
    expect(() => expect(tensor([0])).toBeAllClose([Infinity])).toThrow();
  });

  it('works as an asymmetric matcher inside toEqual', () => {
    expect({ loss: tensor(0.5 + 1e-12), step: 3 }).toEqual({ loss: expect.toBeAllClose(0.5), step: 3 });
    expect(() => expect({ loss: tensor(0.6) }).toEqual({ loss: expect.toBeAllClose(0.5) })).toThrow();
  });
});
