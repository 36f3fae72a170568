// Contract (issue 12, packages/nn/README.md "Toy data sets"): makeMoons / makeCircles / makeSpirals / makeXor and
// toyDataset — n points as a row-major Float64Array x [n, 2] and Int32Array labels, the documented geometry at
// noise 0, Gaussian noise of the given standard deviation, rows shuffled, seeded, and refused arguments that
// draw nothing from the Rng.
import { describe, expect, it } from 'vitest';
import { Rng } from '@xent/tensor';
import { TOY_DATASETS, makeCircles, makeMoons, makeSpirals, makeXor, toyDataset, type ToyDataset } from '@xent/nn';
import { expectXentError } from './ref.js';

const points = (d: ToyDataset) => Array.from({ length: d.n }, (_, i) => ({ x: d.x[2 * i]!, y: d.x[2 * i + 1]!, label: d.labels[i]! }));
const TAU = 2 * Math.PI;
const wrap = (a: number) => ((a % TAU) + TAU) % TAU;

describe('the layout and seeding every generator shares', () => {
  it.each(TOY_DATASETS)('%s: Float64Array x of 2n, Int32Array labels of n, same seed same data, rows shuffled', (name) => {
    const d = toyDataset(name, { n: 120, noise: 0.05, rng: new Rng(3) });
    expect(d.n).toBe(120);
    expect(d.x).toBeInstanceOf(Float64Array);
    expect(d.x.length).toBe(240);
    expect(d.labels).toBeInstanceOf(Int32Array);
    expect(d.labels.length).toBe(120);
    expect(d.x.every(Number.isFinite)).toBe(true);
    const again = toyDataset(name, { n: 120, noise: 0.05, rng: new Rng(3) });
    expect(Array.from(again.x)).toEqual(Array.from(d.x));
    expect(Array.from(again.labels)).toEqual(Array.from(d.labels));
    expect(Array.from(toyDataset(name, { n: 120, noise: 0.05, rng: new Rng(4) }).x)).not.toEqual(Array.from(d.x));
    // shuffled: the labels are not in blocks (at least 10 label changes along the rows)
    let changes = 0;
    for (let i = 1; i < d.n; i++) if (d.labels[i] !== d.labels[i - 1]) changes++;
    expect(changes).toBeGreaterThan(10);
  });

  it('toyDataset(name) is the named generator', () => {
    const a = makeMoons({ n: 50, noise: 0.1, rng: new Rng(8) });
    const b = toyDataset('moons', { n: 50, noise: 0.1, rng: new Rng(8) });
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect([...TOY_DATASETS].sort()).toEqual(['circles', 'moons', 'spirals', 'xor']);
  });
});

describe('the geometry at noise 0', () => {
  it('moons (scikit-learn): class 0 on the upper unit semicircle, class 1 on the lower one centred at (1, 0.5)', () => {
    const ps = points(makeMoons({ n: 200, noise: 0, rng: new Rng(1) }));
    expect(new Set(ps.map((p) => p.label))).toEqual(new Set([0, 1]));
    for (const p of ps) {
      if (p.label === 0) {
        expect(Math.abs(Math.hypot(p.x, p.y) - 1)).toBeLessThan(1e-12);
        expect(p.y).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.abs(Math.hypot(p.x - 1, p.y - 0.5) - 1)).toBeLessThan(1e-12);
        expect(p.y).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    }
  });

  it('circles: class 0 at radius 1, class 1 at radius factor', () => {
    const ps = points(makeCircles({ n: 100, noise: 0, factor: 0.3, rng: new Rng(2) }));
    expect(new Set(ps.map((p) => p.label))).toEqual(new Set([0, 1]));
    for (const p of ps) expect(Math.abs(Math.hypot(p.x, p.y) - (p.label === 0 ? 1 : 0.3))).toBeLessThan(1e-12);
  });

  it('spirals: arm j at radius r ∈ [0, 1] has angle 3πr + 2πj/classes', () => {
    const classes = 3;
    const ps = points(makeSpirals({ n: 150, noise: 0, classes, rng: new Rng(3) }));
    expect(new Set(ps.map((p) => p.label))).toEqual(new Set([0, 1, 2]));
    for (const p of ps) {
      const r = Math.hypot(p.x, p.y);
      expect(r).toBeLessThanOrEqual(1 + 1e-12);
      if (r < 1e-9) continue; // the centre has every angle
      const d = wrap(Math.atan2(p.y, p.x) - 3 * Math.PI * r - (TAU * p.label) / classes);
      expect(Math.min(d, TAU - d)).toBeLessThan(1e-9);
    }
  });

  it('xor: uniform in [−1, 1]², class 1 exactly where x·y < 0; every quadrant used', () => {
    const ps = points(makeXor({ n: 400, noise: 0, rng: new Rng(4) }));
    for (const p of ps) {
      expect(Math.abs(p.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(p.y)).toBeLessThanOrEqual(1);
      expect(p.label).toBe(p.x * p.y < 0 ? 1 : 0);
    }
    const quadrants = new Set(ps.map((p) => `${p.x > 0}${p.y > 0}`));
    expect(quadrants.size).toBe(4);
  });
});

describe('noise: Gaussian with the given standard deviation on both coordinates', () => {
  it('circles at noise 0.01: the radius residuals have std ≈ 0.01 and mean ≈ 0', () => {
    const ps = points(makeCircles({ n: 4000, noise: 0.01, factor: 0.5, rng: new Rng(5) }));
    const res = ps.map((p) => Math.hypot(p.x, p.y) - (p.label === 0 ? 1 : 0.5));
    const m = res.reduce((s, v) => s + v, 0) / res.length;
    const sd = Math.sqrt(res.reduce((s, v) => s + (v - m) ** 2, 0) / res.length);
    expect(Math.abs(m)).toBeLessThan(0.001);
    expect(sd).toBeGreaterThan(0.0095);
    expect(sd).toBeLessThan(0.0105);
  });
});

describe('refused arguments: an XentError, nothing drawn from the Rng', () => {
  it.each([
    ['n = 1', { n: 1, noise: 0 }],
    ['n = 2.5', { n: 2.5, noise: 0 }],
    ['n = 2^24 + 1', { n: 2 ** 24 + 1, noise: 0 }],
    ['n = NaN', { n: NaN, noise: 0 }],
    ['noise −0.1', { n: 10, noise: -0.1 }],
    ['noise NaN', { n: 10, noise: NaN }],
    ['noise Infinity', { n: 10, noise: Infinity }],
    ['noise 2e300', { n: 10, noise: 2e300 }],
  ])('%s', (_, opts) => {
    for (const name of TOY_DATASETS) {
      const rng = new Rng(7);
      expectXentError(() => toyDataset(name, { ...opts, rng }));
      expect(rng.next()).toBe(new Rng(7).next());
    }
  });

  it("an unknown name, spirals' classes < 2", () => {
    expectXentError(() => toyDataset('blobs' as 'moons', { n: 10, noise: 0, rng: new Rng(0) }));
    expectXentError(() => makeSpirals({ n: 10, noise: 0, classes: 1, rng: new Rng(0) }));
  });
});
