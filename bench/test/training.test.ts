// The training workloads on a few MNIST digits, the heap check and how the
// runner reports checks. Speed is never asserted here.
import { describe, expect, it } from 'vitest';
import { workloadMarkdown } from '../src/report.js';
import { CheckError, runWorkload, type Impl, type RunOptions, type Workload } from '../src/runner.js';
import { heapCheck, mnistBatches, trainingWorkload } from '../src/workloads/training.js';

const TINY: RunOptions = { rounds: 2, minRounds: 1, maxSeconds: 1, warmupRuns: 1, warmupMs: 0, minSampleMs: 0 };
const MB = 1024 * 1024;

describe('training workloads, tiny sizes', () => {
  // 150 digits in batches of 64: the last batch has 22 rows (not a multiple of 4),
  // which exercises the edge tiles and the remainder loops.
  for (const model of ['softmax', 'logistic'] as const) {
    it(`training-${model}: xent (float64 and float32), tfjs (cpu and wasm) and both loops end the epoch with the same weights; the heap check runs`, async () => {
      const w = trainingWorkload({ model, n: 150, batch: 64, heapEpochs: 3, heapMaxGrowth: 64 * MB });
      const r = await runWorkload(w, TINY);
      expect(r.rows.map((row) => row.name)).toEqual([
        'xent',
        'xent: float32',
        'tfjs-wasm',
        'tfjs',
        'loop: plain',
        model === 'softmax' ? 'loop: blocked 4×4' : 'loop: blocked gemv',
      ]);
      for (const name of ['tfjs', 'tfjs-wasm', 'xent: float32']) expect(r.rows.find((row) => row.name === name)!.dtype).toBe('float32');
      expect(r.agreement.every((a) => a.ok)).toBe(true);
      // The float64 loops do the same arithmetic in the same order as xent.
      for (const a of r.agreement.filter((a) => a.impl.startsWith('loop'))) expect(a.maxRel).toBeLessThan(1e-12);
      // The weights moved: an epoch that did nothing would agree trivially.
      expect(r.agreement[0].scale).toBeGreaterThan(1e-3);
      expect(r.goals.map((g) => g.baseline)).toEqual(['tfjs-wasm', 'tfjs', r.rows[5].name, 'xent']);
      expect(r.goals[3].subject).toBe('xent: float32');
      expect(r.checks).toHaveLength(1);
      expect(r.checks![0].ok).toBe(true);
      expect(r.checks![0].text).toMatch(/^over 3 epochs, heap used after epochs 1, 3: .* MB/);
      const md = workloadMarkdown(r);
      expect(md).toContain('Checks:');
      expect(md).toMatch(/✅ passed: heap flat across epochs of xent/);
    });
  }

  it('cuts one seeded shuffle into batches, the last one smaller', () => {
    const a = mnistBatches(150, 64, 1);
    const b = mnistBatches(150, 64, 1);
    expect(a.batches.map((bt) => bt.size)).toEqual([64, 64, 22]);
    expect(a.d).toBe(784);
    expect(a.total).toBe(10_000);
    expect(a.batches[2].labels).toEqual(b.batches[2].labels);
    expect(a.batches[0].x).toEqual(b.batches[0].x);
    expect(mnistBatches(150, 64, 2).batches[0].labels).not.toEqual(a.batches[0].labels);
    for (const bt of a.batches) for (let i = 0; i < bt.size; i++) expect(bt.is7[i]).toBe(bt.labels[i] === 7 ? 1 : 0);
  });
});

describe('heap check', () => {
  it('passes a loop that keeps nothing and fails one that keeps every epoch alive', async () => {
    const flat = heapCheck('nothing kept', () => new Float64Array(1 << 18).fill(1), { epochs: 4, maxGrowth: 1 * MB });
    const flatResult = await flat.run(TINY);
    expect(flatResult.ok).toBe(true);
    expect(flatResult.text).toMatch(/— flat$/);

    const kept: unknown[] = [];
    const leaky = heapCheck(
      'a leak',
      () =>
        kept.push(
          new Float64Array(1 << 18),
          Array.from({ length: 20_000 }, (_, i) => ({ i })),
        ),
      {
        epochs: 4,
        maxGrowth: 1 * MB,
      },
    );
    const leakyResult = await leaky.run(TINY);
    expect(leakyResult.text).toMatch(/^over 4 epochs/);
    expect(leakyResult.ok).toBe(false);
    expect(leakyResult.text).toMatch(/GROWING/);
    expect(kept.length).toBe(8);
    // A quick run checks fewer epochs.
    expect((await leaky.run({ ...TINY, quick: true })).text).toMatch(/^over 4 epochs/);
    const quick = heapCheck('nothing kept', () => 0, { epochs: 20, quickEpochs: 2, maxGrowth: 1 * MB });
    expect((await quick.run({ ...TINY, quick: true })).text).toMatch(/^over 2 epochs, heap used after epochs 1, 2:/);
    // --heap-epochs overrides both the workload's count and --quick's.
    let runs = 0;
    const counted = heapCheck('nothing kept', () => runs++, { epochs: 20, quickEpochs: 2, maxGrowth: 1 * MB });
    expect((await counted.run({ ...TINY, quick: true, heapEpochs: 6 })).text).toMatch(/^over 6 epochs, heap used after epochs 1, 5, 6:/);
    expect(runs).toBe(6);
  });

  it('a failed check fails the workload loudly (after disposing), a passed one is reported', async () => {
    const impl: Impl = { name: 'xent', kind: 'xent', run: () => 0, result: () => [1] };
    let disposed = 0;
    const w = (ok: boolean): Workload => ({
      name: 'toy',
      description: 'a toy',
      dtype: 'float64',
      setup: () => ({
        impls: [impl],
        checks: [{ name: 'a property', run: () => ({ ok, text: ok ? 'fine' : 'broken' }) }],
        dispose: () => disposed++,
      }),
    });
    const err = await runWorkload(w(false), TINY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckError);
    expect((err as Error).message).toMatch(/toy: check failed:\n {2}a property: broken/);
    expect(disposed).toBe(1);
    const r = await runWorkload(w(true), TINY);
    expect(r.checks).toEqual([{ name: 'a property', ok: true, text: 'fine' }]);
    expect(workloadMarkdown(r)).toContain('- ✅ passed: a property — fine');
  });

  it('a workload may cap its timed phase below the run options', async () => {
    let runs = 0;
    const impl: Impl = {
      name: 'xent',
      kind: 'xent',
      run: () => {
        const t = performance.now();
        while (performance.now() - t < 5);
        runs++;
      },
      result: () => [1],
    };
    const w: Workload = { name: 'slow', description: 'a slow toy', dtype: 'float64', maxSeconds: 0.02, setup: () => ({ impls: [impl] }) };
    const r = await runWorkload(w, { ...TINY, rounds: 1000, minRounds: 2, maxSeconds: 60 });
    expect(r.rounds).toBeGreaterThanOrEqual(2);
    expect(r.rounds).toBeLessThan(20);
    expect(runs).toBeGreaterThan(0);
  });
});
