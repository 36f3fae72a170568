import { describe, expect, it } from 'vitest';
import { Rng } from '@xent/tensor';
import { TOY_DATASETS, makeCircles, makeMoons, makeSpirals, makeXor, toyDataset } from '@xent/nn';
import { expectXentError } from '../../../test/utils.js';

const points = (ds: { x: Float64Array; labels: Int32Array; n: number }) =>
  Array.from({ length: ds.n }, (_, i) => ({ a: ds.x[2 * i], b: ds.x[2 * i + 1], c: ds.labels[i] }));

describe('toy 2-D data sets', () => {
  it('moons without noise lie on the two half circles', () => {
    const ds = makeMoons({ n: 101, noise: 0, rng: new Rng(1) });
    expect(ds.n).toBe(101);
    expect(ds.x).toHaveLength(202);
    const pts = points(ds);
    expect(pts.filter((p) => p.c === 0)).toHaveLength(51);
    for (const { a, b, c } of pts) {
      // class 0: (cos t, sin t); class 1: (1 − cos t, ½ − sin t), t ∈ [0, π].
      const [u, v] = c === 0 ? [a, b] : [1 - a, 0.5 - b];
      expect(Math.hypot(u, v)).toBeCloseTo(1, 12);
      expect(v).toBeGreaterThanOrEqual(-1e-12);
    }
  });

  it('circles without noise have radius 1 and factor', () => {
    for (const { a, b, c } of points(makeCircles({ n: 60, noise: 0, factor: 0.3 }))) {
      expect(Math.hypot(a, b)).toBeCloseTo(c === 0 ? 1 : 0.3, 12);
    }
  });

  it('spirals: every arm is a class, radius grows along the arm', () => {
    const ds = makeSpirals({ n: 90, noise: 0, classes: 3 });
    expect(ds.classes).toBe(3);
    const pts = points(ds);
    for (let j = 0; j < 3; j++) {
      const arm = pts.filter((p) => p.c === j);
      expect(arm).toHaveLength(30);
      // angle = 3πr + 2πj/3 at radius r: check it modulo 2π.
      for (const { a, b } of arm) {
        const r = Math.hypot(a, b);
        const d = Math.atan2(b, a) - (3 * Math.PI * r + (2 * Math.PI * j) / 3);
        expect(Math.abs(Math.sin(d / 2))).toBeLessThan(1e-9);
      }
    }
  });

  it('xor: class 1 exactly where the signs differ (no noise)', () => {
    const pts = points(makeXor({ n: 400, noise: 0, rng: new Rng(2) }));
    for (const { a, b, c } of pts) expect(c).toBe(a * b < 0 ? 1 : 0);
    const ones = pts.filter((p) => p.c === 1).length;
    expect(ones).toBeGreaterThan(150);
    expect(ones).toBeLessThan(250);
    for (const { a, b } of pts) expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
  });

  it('noise has the requested standard deviation', () => {
    const clean = makeCircles({ n: 4000, noise: 0, rng: new Rng(3) });
    const noisy = makeCircles({ n: 4000, noise: 0.05, rng: new Rng(3) });
    // Radial deviation of class-0 points from radius 1 ≈ N(0, 0.05²).
    const dev = points(noisy)
      .filter((p) => p.c === 0)
      .map((p) => Math.hypot(p.a, p.b) - 1);
    const sd = Math.sqrt(dev.reduce((s, d) => s + d * d, 0) / dev.length);
    expect(sd).toBeGreaterThan(0.045);
    expect(sd).toBeLessThan(0.055);
    expect(points(clean).filter((p) => p.c === 0)).toHaveLength(2000);
  });

  it('the same seed gives the same data; another seed other data; rows are shuffled', () => {
    for (const name of TOY_DATASETS) {
      const a = toyDataset(name, { n: 50, rng: new Rng(7) });
      const b = toyDataset(name, { n: 50, rng: new Rng(7) });
      const c = toyDataset(name, { n: 50, rng: new Rng(8) });
      expect(b.x).toEqual(a.x);
      expect(b.labels).toEqual(a.labels);
      expect(c.x).not.toEqual(a.x);
      expect(a.name).toBe(name);
      expect(a.d).toBe(2);
      // Shuffled: the labels are not one block of 0s followed by 1s.
      const switches = Array.from(a.labels).filter((l, i) => i > 0 && l !== a.labels[i - 1]).length;
      expect(switches).toBeGreaterThan(5);
    }
  });

  it('refuses bad options', () => {
    expectXentError(() => makeMoons({ n: 1 }), 'INVALID_OPTION');
    expectXentError(() => makeMoons({ n: 10.5 }), 'INVALID_OPTION');
    expectXentError(() => makeMoons({ noise: -1 }), 'INVALID_OPTION');
    expectXentError(() => makeMoons({ noise: NaN }), 'INVALID_OPTION');
    expectXentError(() => makeMoons({ rng: 1 as never }), 'INVALID_OPTION');
    expectXentError(() => makeMoons({ size: 3 } as never), 'INVALID_OPTION');
    expectXentError(() => makeCircles({ factor: 1 }), 'INVALID_OPTION');
    expectXentError(() => makeSpirals({ classes: 1 }), 'INVALID_OPTION');
    expectXentError(() => toyDataset('blobs' as never), 'INVALID_ARGUMENT');
  });
});

describe('a second argument is refused, not ignored', () => {
  // makeMoons({ n: 4 }, new Rng(1)) drew from the default Rng(0).
  const call =
    (f: unknown, ...args: unknown[]) =>
    () =>
      (f as (...a: unknown[]) => unknown)(...args);
  it.each([
    ['makeMoons', call(makeMoons, { n: 4 }, new Rng(1)), 1],
    ['makeCircles', call(makeCircles, { n: 4 }, 0.1), 1],
    ['makeSpirals', call(makeSpirals, { n: 4 }, 3), 1],
    ['makeXor', call(makeXor, { n: 4 }, 0.1), 1],
    ['toyDataset', call(toyDataset, 'moons', { n: 4 }, new Rng(1)), 2],
  ])('%s', (name, run, max) => {
    expectXentError(
      run,
      'INVALID_ARGUMENT',
      `${name}: takes at most ${max} argument${max > 1 ? 's' : ''}, got ${max + 1}`,
      'in one object',
    );
  });
});
