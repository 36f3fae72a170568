// Contract §2: creation helpers (README of @xent/tensor) and the numpy-like print of toString().
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import { expectClose, expectXent, flat, type Nested } from './ref.js';

describe('creation', () => {
  it('zeros, ones, full, with shape and dtype', () => {
    expect(T.zeros([2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(T.ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(T.full([2], 7.5).toArray()).toEqual([7.5, 7.5]);
    expect(T.zeros([2], 'float32').dtype).toBe('float32');
    expect(T.ones([1], 'int32').dtype).toBe('int32');
    expect(T.zeros([]).shape).toEqual([]);
    expect(T.zeros([0, 3]).size).toBe(0);
  });

  it('zerosLike / onesLike copy shape and dtype', () => {
    const t = T.tensor([[1, 2]], { dtype: 'float32' });
    const z = T.zerosLike(t);
    const o = T.onesLike(t);
    expect([z.shape, z.dtype, z.toArray()]).toEqual([[1, 2], 'float32', [[0, 0]]]);
    expect([o.shape, o.dtype, o.toArray()]).toEqual([[1, 2], 'float32', [[1, 1]]]);
  });

  it('eye(n, m) has ones on the diagonal', () => {
    expect(T.eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(T.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('arange follows numpy.arange', () => {
    expect(T.arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(T.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(T.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(T.arange(3, 3).size).toBe(0);
  });

  it('oneHot(labels, depth) puts a 1 at each label', () => {
    const oh = T.oneHot(T.tensor([2, 0, 1], { dtype: 'int32' }), 3);
    expect(oh.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(T.oneHot(T.tensor([[1], [0]]), 2).shape).toEqual([2, 1, 2]);
    expect(() => T.oneHot(T.tensor([3], { dtype: 'int32' }), 3)).toThrow(T.XentError);
  });

  it('rand / randn are seeded: same seed, same values; different seed, different values; right moments', () => {
    const a = flat(T.randn([2000], 5).toArray() as Nested);
    const b = flat(T.randn([2000], 5).toArray() as Nested);
    const c = flat(T.randn([2000], 6).toArray() as Nested);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    const u = flat(T.rand([2000], new T.Rng(3), { lo: 2, hi: 5 }).toArray() as Nested);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(5);
    expect(Math.abs(u.reduce((s, v) => s + v, 0) / u.length - 3.5)).toBeLessThan(0.1);
  });

  it('a negative size is refused', () => {
    expectXent(() => T.zeros([-1, 2]), 'INVALID_ARGUMENT');
  });
});

describe('toString(): numpy-like print', () => {
  it('prints the README example exactly', () => {
    const y = T.add(
      T.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      T.tensor([10, 20, 30]),
    );
    expect(y.toString()).toBe('tensor([[11., 22., 33.],\n        [14., 25., 36.]], dtype=float64)');
  });

  it('names the dtype, and float values keep their digits', () => {
    expect(T.tensor([1.5, -2], { dtype: 'float32' }).toString()).toMatch(/^tensor\(\[\s*1\.5,\s+-2\.\s*\], dtype=float32\)$/);
    expect(T.tensor([3, 4], { dtype: 'int32' }).toString()).toMatch(/^tensor\(\[3, 4\], dtype=int32\)$/);
    expect(T.tensor(2.25).toString()).toMatch(/^tensor\(2\.25, dtype=float64\)$/);
    expect(String(T.tensor([0.1234567]))).toContain('0.123457');
  });

  it('long axes are elided with "..." rather than printing every value', () => {
    const s = T.arange(10000).toString();
    expect(s).toContain('...');
    expect(s.length).toBeLessThan(400);
    expect(s).toContain('9999.');
  });
});

describe('values round-trip through toArray()', () => {
  it('transposed views print and read in logical order', () => {
    const t = T.transpose(
      T.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(t.shape).toEqual([3, 2]);
    expectClose(t.toArray(), [
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(t.toString()).toBe('tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], dtype=float64)');
  });
});
