// The runner on tiny sizes: agreement checking, goal evaluation, the registry
// filter and the markdown. Speed is never asserted here.
import { describe, expect, it } from 'vitest';
import { machineInfo, resultsMarkdown, workloadMarkdown } from '../src/report.js';
import { AgreementError, compareValues, median, runWorkload, type Impl, type RunOptions, type Workload } from '../src/runner.js';
import { allWorkloads, selectWorkloads } from '../src/workloads/index.js';
import { elementwiseWorkload } from '../src/workloads/elementwise.js';
import { matmulWorkload, threadsName } from '../src/workloads/matmul.js';
import { softmaxWorkload } from '../src/workloads/softmax.js';

const TINY: RunOptions = { rounds: 3, minRounds: 1, maxSeconds: 1, warmupRuns: 1, warmupMs: 0, minSampleMs: 0 };

/** A workload over fixed arrays; `impls` may misbehave on purpose. */
function toy(impls: Impl[], extra: Partial<Workload> = {}, onDispose?: () => void): Workload {
  return {
    name: 'toy',
    description: 'a toy',
    dtype: 'float64',
    setup: () => ({ impls, dispose: onDispose }),
    ...extra,
  };
}

function constant(name: string, kind: Impl['kind'], values: number[]): Impl {
  return { name, kind, run: () => values.length, result: () => values };
}

describe('runWorkload on the real workloads, tiny sizes', () => {
  // Odd sizes exercise the edge tiles of the blocked loop.
  const cases: Workload[] = [
    matmulWorkload({ dtype: 'float64', m: 7, k: 5, n: 9 }),
    matmulWorkload({ dtype: 'float32', m: 6, k: 11, n: 5 }),
    matmulWorkload({ dtype: 'float64', m: 13, scaling: true }),
    matmulWorkload({ dtype: 'float32', m: 9, scaling: true }),
    matmulWorkload({ dtype: 'float64', m: 9, k: 7, n: 11, threads: 2 }),
    softmaxWorkload({ dtype: 'float64', rows: 5, cols: 13 }),
    softmaxWorkload({ dtype: 'float32', rows: 3, cols: 7 }),
    // 40·13 = 520 elements: above the SIMD threshold, a row length that is no multiple of the lanes.
    elementwiseWorkload({ dtype: 'float64', rows: 40, cols: 13 }),
    elementwiseWorkload({ dtype: 'float32', rows: 40, cols: 13 }),
  ];
  for (const w of cases) {
    it(`${w.name}: every implementation agrees and the table is complete`, async () => {
      const r = await runWorkload(w, TINY);
      expect(r.rows[0].kind).toBe('xent');
      if (w.name.startsWith('matmul')) {
        const hand = w.dtype === 'float64' ? 'wasm: hand f64x2' : 'wasm: hand f32x4';
        expect(r.rows.slice(0, 3).map((row) => row.name)).toEqual(['xent', 'tfjs-wasm', hand]);
        // In float64 the hand kernel sums in the same order as xent's (both its kernels): the same bits.
        if (w.dtype === 'float64') expect(r.agreement.find((a) => a.impl === hand)!.maxAbs).toBe(0);
        // On two threads: the same kernel on each row block, the same bits (where Node reports two cores).
        const multi = r.agreement.find((a) => a.impl === threadsName(2));
        if (w.name === 'matmul-f64' && w.goals!.length === 4) expect(multi!.maxAbs).toBe(0);
      }
      // The SIMD kernels give the JS kernels' numbers bit for bit.
      if (w.name.startsWith('elementwise')) expect(r.agreement.find((a) => a.impl === 'xent: JS kernels')!.maxAbs).toBe(0);
      expect(r.rows.map((row) => row.kind)).toContain('tfjs');
      expect(r.rows.filter((row) => row.kind === 'loop').length).toBeGreaterThanOrEqual(1);
      expect(r.agreement.every((a) => a.ok && a.used <= 1)).toBe(true);
      for (const row of r.rows) {
        expect(row.samples.length).toBe(r.rounds);
        expect(row.min).toBeLessThanOrEqual(row.median);
        expect(row.median).toBeLessThanOrEqual(row.max);
      }
      expect(r.goals.length).toBe(w.goals!.length);
      for (const g of r.goals) expect(Number.isFinite(g.ratio) && g.ratio > 0).toBe(true);

      const md = workloadMarkdown(r);
      expect(md).toContain(`### ${w.name}`);
      expect(md).toContain('| implementation | dtype | median | min – max |');
      for (const row of r.rows) expect(md).toContain(row.name);
      // header, alignment row, one row per implementation
      expect(md.split('\n').filter((l) => l.startsWith('|')).length).toBe(2 + r.rows.length);
      if ((w.goals ?? []).length > 0) {
        expect(md).toMatch(/Goals:/);
        expect(md).toMatch(/(met|missed): xent/);
      } else expect(md).not.toMatch(/Goals:/); // a scaling row
    });
  }

  it('labels the float32 tfjs row of a float64 workload and checks it with the float32 tolerance', async () => {
    const r = await runWorkload(matmulWorkload({ dtype: 'float64', m: 4, k: 4, n: 4 }), TINY);
    const tfjs = r.rows.find((row) => row.name === 'tfjs')!;
    expect(tfjs.dtype).toBe('float32');
    expect(tfjs.note).toMatch(/no float64/);
    expect(r.agreement.find((a) => a.impl === 'tfjs')!.tolerance.rtol).toBe(1e-4);
    expect(r.agreement.find((a) => a.impl === 'loop: naive i-k-j')!.tolerance.rtol).toBe(1e-9);
  });
});

describe('agreement fails loudly', () => {
  it('rejects before timing, naming the implementation, and still disposes', async () => {
    let disposed = 0;
    const w = toy(
      [constant('xent', 'xent', [1, 2, 3]), constant('loop', 'loop', [1, 2, 3]), constant('wrong', 'loop', [1, 2.5, 3])],
      {},
      () => disposed++,
    );
    const err = await runWorkload(w, TINY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgreementError);
    expect((err as AgreementError).phase).toBe('before timing');
    expect((err as Error).message).toMatch(/wrong vs xent/);
    expect((err as Error).message).not.toMatch(/loop vs xent/);
    expect(disposed).toBe(1);
  });

  it('rejects an implementation whose results drift during the timed runs', async () => {
    let calls = 0;
    const out = [1, 2, 3];
    const drifting: Impl = {
      name: 'drifts',
      kind: 'loop',
      run: () => {
        calls++;
        out[1] = calls > 2 ? 2.001 : 2;
      },
      result: () => out,
    };
    const err = await runWorkload(toy([constant('xent', 'xent', [1, 2, 3]), drifting]), TINY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgreementError);
    expect((err as AgreementError).phase).toBe('after timing');
  });

  it('rejects a tfjs-style float32 row that is off by more than float32 rounding', async () => {
    const ref = [0.1, 0.2, 0.7];
    const w = toy([constant('xent', 'xent', ref), { ...constant('tfjs', 'tfjs', [0.1, 0.2001, 0.6999]), dtype: 'float32' }]);
    await expect(runWorkload(w, TINY)).rejects.toThrow(/tfjs vs xent/);
    const ok = toy([constant('xent', 'xent', ref), { ...constant('tfjs', 'tfjs', Array.from(Float32Array.from(ref))), dtype: 'float32' }]);
    await expect(runWorkload(ok, TINY)).resolves.toMatchObject({ name: 'toy' });
  });

  it('rejects badly formed workloads', async () => {
    await expect(runWorkload(toy([constant('a', 'loop', [1]), constant('b', 'loop', [1])]), TINY)).rejects.toThrow(
      /exactly one implementation of kind 'xent'/,
    );
    await expect(runWorkload(toy([constant('x', 'xent', [1]), constant('x', 'loop', [1])]), TINY)).rejects.toThrow(
      /two implementations are named 'x'/,
    );
    await expect(runWorkload(toy([constant('xent', 'xent', [1])], { goals: [{ baseline: 'nope', maxRatio: 1 }] }), TINY)).rejects.toThrow(
      /goal baseline 'nope'/,
    );
  });
});

describe('compareValues', () => {
  const tol = { rtol: 1e-4, atol: 1e-5 };
  it('is relative for large entries and absolute (scaled by max|ref|) near zero', () => {
    expect(compareValues([1000, 0], [1000.05, 0.005], tol).ok).toBe(true); // 0.005 ≤ 1e-5·1000
    expect(compareValues([1000, 0], [1000.2, 0], tol).ok).toBe(false); // 0.2 > 1e-4·1000 + 0.01
    expect(compareValues([1e-3, 2e-3], [1.00001e-3, 2e-3], tol).ok).toBe(true);
    expect(compareValues([1e-3, 2e-3], [1.01e-3, 2e-3], tol).ok).toBe(false); // a 1% error on a small output is caught
  });
  it('treats NaN, infinities and lengths strictly', () => {
    expect(compareValues([NaN, Infinity], [NaN, Infinity], tol).ok).toBe(true);
    expect(compareValues([1, 2], [NaN, 2], tol).ok).toBe(false);
    expect(compareValues([1, Infinity], [1, 1e300], tol).ok).toBe(false);
    expect(compareValues([0, 0], [0, 1e-300], tol).ok).toBe(false);
    const r = compareValues([1, 2], [1, 2, 3], tol);
    expect(r.ok).toBe(false);
    expect(r.lengthMismatch).toEqual({ ref: 2, got: 3 });
  });
  it('reports the worst index and the share of the tolerance used', () => {
    const r = compareValues([1, 2, 4], [1, 2.0001, 4], { rtol: 1e-4, atol: 0 });
    expect(r.worst).toBe(1);
    expect(r.used).toBeCloseTo(0.5, 6);
    expect(r.maxAbs).toBeCloseTo(1e-4, 10);
  });
});

describe('registry and report', () => {
  it('selects workloads by exact name or by part of the name', () => {
    const all = allWorkloads();
    expect(selectWorkloads(all, []).length).toBe(all.length);
    expect(selectWorkloads(all, ['matmul']).map((w) => w.name)).toEqual([
      'matmul-f64',
      'matmul-f32',
      ...[128, 256, 1024].flatMap((m) => [`matmul-f64-${m}`, `matmul-f32-${m}`]),
    ]);
    expect(selectWorkloads(all, ['matmul-f64']).map((w) => w.name)).toEqual(['matmul-f64']);
    expect(selectWorkloads(all, ['softmax-f32']).map((w) => w.name)).toEqual(['softmax-f32']);
    // every name containing 'f32', in registry order, once each
    const f32 = all.filter((w) => w.name.includes('f32')).map((w) => w.name);
    expect(f32).toEqual(expect.arrayContaining(['matmul-f32', 'softmax-f32']));
    expect(selectWorkloads(all, ['f32', 'matmul-f32']).map((w) => w.name)).toEqual(f32);
    expect(() => selectWorkloads(all, ['conv'])).toThrow(/no workload matches 'conv'/);
    expect(new Set(all.map((w) => w.name)).size).toBe(all.length);
  });

  it('writes RESULTS.md with the machine line and the goals', async () => {
    const w = toy([constant('xent', 'xent', [1]), constant('tfjs', 'tfjs', [1])], { goals: [{ baseline: 'tfjs', maxRatio: 1 / 3 }] });
    const r = await runWorkload(w, TINY);
    const md = resultsMarkdown([r], {
      machine: machineInfo(['TensorFlow.js test'], new Date('2026-01-02T03:04:05Z')),
      mode: 'test run',
      options: TINY,
      command: 'pnpm bench toy',
    });
    expect(md).toMatch(/^# xent benchmarks\n/);
    expect(md).toMatch(
      new RegExp(
        `Machine: Node ${process.version.replace(/\./g, '\\.')} · .+ × \\d+ CPUs · .* · TensorFlow\\.js test · 2026-01-02T03:04:05Z`,
      ),
    );
    expect(md).toContain('| toy | xent ≥ 3× faster than tfjs |');
    expect(md).toContain('### toy');
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
