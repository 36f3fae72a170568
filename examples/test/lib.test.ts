// The shared helpers: seeded stratified splits, standardisation, batching,
// the SVG plot and the terminal chart.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '@xent/tensor';
import { batches, head, loadIris, loadMnist, standardize, trainTestSplit } from '../src/lib/data.js';
import { downsample, lossChart } from '../src/lib/chart.js';
import { niceTicks, svgChart, writeSvg } from '../src/lib/plot.js';
import { run as runIris } from '../src/iris.js';
import { makeOptimizer } from '../src/lib/train.js';
import { expectXentError } from '../../test/utils.js';

describe('data', () => {
  it('loads the 10,000 MNIST digits from the package, pixels in [0, 1]', () => {
    const ds = loadMnist();
    expect(ds.n).toBe(10000);
    expect(ds.d).toBe(784);
    expect(ds.x.length).toBe(10000 * 784);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of ds.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect([lo, hi]).toEqual([0, 1]);
    expect(new Set(ds.labels).size).toBe(10);
  });

  it('loads Iris: 150 flowers, 4 features, 50 of each species', () => {
    const ds = loadIris();
    expect([ds.n, ds.d, ds.classes]).toEqual([150, 4, 3]);
    expect([0, 1, 2].map((c) => ds.labels.filter((y) => y === c).length)).toEqual([50, 50, 50]);
  });

  it('splits are seeded, disjoint, complete and stratified', () => {
    const ds = loadIris();
    // Tag each row by its index so the split can be traced back.
    const tagged = { ...ds, x: Float64Array.from({ length: ds.n * ds.d }, (_, i) => Math.floor(i / ds.d)) };
    const a = trainTestSplit(tagged, { seed: 1, testFraction: 0.2 });
    const b = trainTestSplit(tagged, { seed: 1, testFraction: 0.2 });
    const c = trainTestSplit(tagged, { seed: 2, testFraction: 0.2 });
    const ids = (s: typeof a.train) => Array.from({ length: s.n }, (_, i) => s.x[i * s.d]);
    expect(ids(b.test)).toEqual(ids(a.test));
    expect(ids(c.test)).not.toEqual(ids(a.test));
    const all = [...ids(a.train), ...ids(a.test)].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect([0, 1, 2].map((k) => a.test.labels.filter((y) => y === k).length)).toEqual([10, 10, 10]);
    expect(() => trainTestSplit(ds, { seed: 1, testFraction: 1 })).toThrow(/testFraction/);
  });

  it('standardises with the training statistics only', () => {
    const split = trainTestSplit(loadIris(), { seed: 3 });
    const s = standardize(split);
    for (let j = 0; j < 4; j++) {
      let m = 0,
        v = 0;
      for (let i = 0; i < s.train.n; i++) m += s.train.x[i * 4 + j];
      m /= s.train.n;
      for (let i = 0; i < s.train.n; i++) v += (s.train.x[i * 4 + j] - m) ** 2;
      expect(m).toBeCloseTo(0, 12);
      expect(v / s.train.n).toBeCloseTo(1, 12);
      expect(s.test.x[j]).toBeCloseTo((split.test.x[j] - s.mean[j]) / s.std[j], 12);
    }
  });

  it('batches cover every row once per epoch, in a seeded order', () => {
    const ds = head(loadIris(), 50);
    const sizes: number[] = [];
    let total = 0;
    for (const b of batches(ds, 16, new Rng(0))) {
      sizes.push(b.size);
      expect(b.x.shape).toEqual([b.size, 4]);
      total += b.labels.reduce((s, y) => s + y + 1, 0);
    }
    expect(sizes).toEqual([16, 16, 16, 2]);
    expect(total).toBe(ds.labels.reduce((s, y) => s + y + 1, 0));
    const first = (seed: number) => batches(ds, 16, new Rng(seed)).next().value!.x.values()[0];
    expect(first(4)).toBe(first(4));
  });
});

describe('makeOptimizer', () => {
  it("refuses a name the CLI would have refused (run({ optimizer: 'rmsprop' }) was a TypeError at the first step)", () => {
    expectXentError(
      () => makeOptimizer('rmsprop' as never, [], 0.1),
      'INVALID_OPTION',
      'makeOptimizer: unknown optimizer "rmsprop"; use one of \'sgd\'',
    );
    expectXentError(
      () => runIris({ quiet: true, outDir: null, epochs: 1, optimizer: 'rmsprop' as never }),
      'INVALID_OPTION',
      'makeOptimizer',
    );
  });
});

describe('plots', () => {
  it('nice ticks are round numbers covering the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 2.31)).toEqual([0.5, 1, 1.5, 2]);
  });

  it('the SVG has one polyline per series and escapes text', () => {
    const svg = svgChart('a < b & c', [
      {
        title: 'loss',
        xLabel: 'epoch',
        series: [
          {
            name: 'train',
            color: '#000',
            points: [
              [0, 2],
              [1, 1],
              [2, 0.5],
            ],
          },
          {
            name: 'test',
            color: '#f00',
            points: [
              [0, 2],
              [1, 1.2],
              [2, 0.9],
            ],
          },
        ],
      },
      {
        title: 'accuracy',
        xLabel: 'epoch',
        series: [
          {
            name: 'train',
            color: '#000',
            points: [
              [0, 0.1],
              [2, 0.9],
            ],
          },
        ],
        yMax: 1,
        refLines: [{ y: 0.1, label: 'chance' }],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('a &lt; b &amp; c');
    expect(svg).not.toMatch(/NaN|undefined/);
    const file = writeSvg('plot-test', svg, mkdtempSync(join(tmpdir(), 'xent-')));
    expect(readFileSync(file, 'utf8')).toBe(svg);
  });

  it('an example writes its SVG where it is told', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xent-'));
    const r = runIris({ quiet: true, epochs: 3, outDir: dir });
    expect(r.svg).toBe(join(dir, 'iris.svg'));
    const svg = readFileSync(r.svg!, 'utf8');
    expect(svg.match(/<polyline /g)).toHaveLength(4); // train and test, loss and accuracy
  });

  it('the terminal chart averages long curves down to its width', () => {
    expect(downsample([1, 2, 3, 4], 2)).toEqual([1.5, 3.5]);
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
    const chart = lossChart(
      Array.from({ length: 500 }, (_, i) => 1 / (1 + i)),
      { height: 5, width: 40, color: false },
    );
    const rows = chart.split('\n');
    expect(rows).toHaveLength(6);
    expect(Math.max(...rows.map((r) => r.length))).toBeLessThanOrEqual(9 + 2 + 40);
    expect(lossChart([])).toBe('');
  });
});
