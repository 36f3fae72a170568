// The cross-entropy, losses and autograd-overhead workloads on tiny sizes, the
// hand-written loops against closed forms, and the runner features they use
// (variant rows, goals with a subject, the per-item column, tfjs impls with
// several outputs). Speed is never asserted here.
import { describe, expect, it } from 'vitest';
import { workloadMarkdown } from '../src/report.js';
import { runWorkload, type Impl, type RunOptions, type Workload } from '../src/runner.js';
import { TfScope, tf, tfCpu } from '../src/tfjs.js';
import { Value, autogradOverheadWorkload } from '../src/workloads/autograd-overhead.js';
import {
  crossEntropyWorkload,
  sigmoidCrossEntropyF64,
  sigmoidCrossEntropyWorkload,
  softmaxCrossEntropyRowsF64,
  sparseCrossEntropyWorkload,
  sparseSoftmaxCrossEntropyRowsF64,
} from '../src/workloads/cross-entropy.js';
import { lossesWorkload } from '../src/workloads/losses.js';

const TINY: RunOptions = { rounds: 3, minRounds: 1, maxSeconds: 1, warmupRuns: 1, warmupMs: 0, minSampleMs: 0 };

function checkTable(w: Workload, r: Awaited<ReturnType<typeof runWorkload>>): void {
  expect(r.rows[0].kind).toBe('xent');
  expect(r.agreement.every((a) => a.ok && a.used <= 1)).toBe(true);
  for (const row of r.rows) expect(row.samples.length).toBe(r.rounds);
  expect(r.goals.length).toBe(w.goals!.length);
  for (const g of r.goals) expect(Number.isFinite(g.ratio) && g.ratio > 0).toBe(true);
  const md = workloadMarkdown(r);
  expect(md).toContain(`### ${w.name}`);
  for (const row of r.rows) expect(md).toContain(row.name);
  expect(md.split('\n').filter((l) => l.startsWith('|')).length).toBe(2 + r.rows.length);
}

describe('cross-entropy workloads, tiny sizes', () => {
  // Odd sizes; a few rows so that the loss and the gradient both matter.
  const cases: Workload[] = [
    crossEntropyWorkload({ dtype: 'float64', rows: 5, cols: 13 }),
    crossEntropyWorkload({ dtype: 'float32', rows: 3, cols: 7 }),
    sparseCrossEntropyWorkload({ rows: 6, cols: 11 }),
    sigmoidCrossEntropyWorkload({ rows: 7, cols: 5 }),
  ];
  for (const w of cases) {
    it(`${w.name}: xent, param + backward, tfjs (wasm and cpu) and the loop agree on gradient and loss`, async () => {
      const r = await runWorkload(w, TINY);
      checkTable(w, r);
      expect(r.rows.map((row) => row.name)).toEqual(['xent', 'xent: param + backward', 'tfjs-wasm', 'tfjs', r.rows[4].name]);
      expect(r.rows.map((row) => row.kind)).toEqual(['xent', 'variant', 'tfjs', 'tfjs', 'loop']);
      expect(r.agreement.find((a) => a.impl === 'tfjs-wasm')!.tolerance.rtol).toBe(1e-4);
      // The float64 loop does what the fused op does, in the same order.
      const loop = r.agreement.find((a) => a.impl.startsWith('loop'))!;
      if (w.dtype === 'float64') expect(loop.maxRel).toBeLessThan(1e-13);
      expect(r.agreement.find((a) => a.impl === 'tfjs')!.tolerance.rtol).toBe(1e-4);
    });
  }
});

describe('losses workloads, tiny sizes', () => {
  for (const kind of ['sparse', 'onehot', 'sigmoid'] as const) {
    it(`losses-${kind}: the public loss (validate on and off), the fused op + mean and the loop agree`, async () => {
      const w = lossesWorkload({ kind, rows: 4, cols: 9 });
      const r = await runWorkload(w, TINY);
      checkTable(w, r);
      expect(r.rows.map((row) => row.kind)).toEqual(['xent', 'variant', 'variant', 'loop']);
      for (const a of r.agreement) expect(a.maxRel).toBeLessThan(1e-13);
      // one goal for the validate: false row, one for the xent row, both against the fused op
      expect(r.goals.map((g) => [g.subject, g.baseline])).toEqual([
        ['xent: loss, validate: false', 'xent: fused op + mean'],
        ['xent', 'xent: fused op + mean'],
      ]);
      const sub = r.rows.find((row) => row.name === 'xent: loss, validate: false')!;
      const base = r.rows.find((row) => row.name === 'xent: fused op + mean')!;
      expect(r.goals[0].ratio).toBeCloseTo(sub.median / base.median, 12);
      expect(workloadMarkdown(r)).toMatch(/measured xent: loss, validate: false [\d.]+× (faster|slower) than xent: fused op \+ mean/);
    });
  }
});

describe('autograd-overhead, a short chain', () => {
  it('xent, tfjs and micrograd agree on y and dy/dx; the table has a per-op column', async () => {
    const w = autogradOverheadWorkload({ ops: 50 });
    const r = await runWorkload(w, TINY);
    checkTable(w, r);
    expect(r.rows.map((row) => row.kind)).toEqual(['xent', 'tfjs', 'loop']);
    expect(r.goals.map((g) => [g.baseline, g.maxRatio])).toEqual([
      ['tfjs', 1 / 20],
      ['micrograd (plain JS)', 1.5],
    ]);
    expect(r.agreement.find((a) => a.impl.startsWith('micrograd'))!.maxAbs).toBe(0);
    const md = workloadMarkdown(r);
    expect(md).toContain('| per op |');
    expect(md).toContain(`| **xent**¹ | float64 |`);
  });

  it('micrograd Value: the chain rule on a small graph, and a deep chain without recursion', () => {
    const a = new Value(3);
    const b = new Value(-2);
    const y = a.mul(b).add(a).mul(2); // y = 2(ab + a): dy/da = 2(b + 1) = −2, dy/db = 2a = 6
    y.backward();
    expect(y.data).toBe(-6);
    expect(a.grad).toBe(-2);
    expect(b.grad).toBe(6);
    let t = new Value(1);
    const x = t;
    for (let k = 0; k < 50_000; k++) t = t.add(1);
    t.backward();
    expect(x.grad).toBe(1);
  });
});

describe('the hand-written loops', () => {
  // Row [0, ln 2, ln 3] with label 2: softmax = [1/6, 2/6, 3/6], loss = −log(1/2) = ln 2.
  const Z = Float64Array.of(0, Math.log(2), Math.log(3));
  it('softmax cross entropy (dense, sparse): loss and softmax − p, scaled', () => {
    const G = new Float64Array(3);
    expect(softmaxCrossEntropyRowsF64(Z, Float64Array.of(0, 0, 1), 1, 3, G)).toBeCloseTo(Math.LN2, 14);
    [1 / 6, 2 / 6, 3 / 6 - 1].forEach((v, i) => expect(G[i]).toBeCloseTo(v, 14));
    const H = new Float64Array(3);
    expect(sparseSoftmaxCrossEntropyRowsF64(Z, Int32Array.of(2), 1, 3, H, 0.5)).toBeCloseTo(Math.LN2 / 2, 14);
    for (let i = 0; i < 3; i++) expect(H[i]).toBeCloseTo(G[i] / 2, 14);
  });
  it('sigmoid cross entropy: stable at large |z|', () => {
    const G = new Float64Array(2);
    const loss = sigmoidCrossEntropyF64(Float64Array.of(1000, -1000), Float64Array.of(0, 0), 2, G);
    expect(loss).toBeCloseTo(1000, 10); // log(1 + e^1000) ≈ 1000, log(1 + e^−1000) ≈ 0
    expect(G[0]).toBe(1);
    expect(G[1]).toBeCloseTo(0, 300);
  });
});

describe('TfScope.impl with several outputs', () => {
  it('reads and disposes each output; result() is their values one after another', async () => {
    await tfCpu();
    const scope = new TfScope('test');
    const x = scope.keep(tf.tensor1d([1, 2, 3]));
    const impl: Impl = scope.impl('tfjs', () => [tf.mul(x, 2), tf.sum(x)]);
    impl.run();
    expect(Array.from(impl.result())).toEqual([2, 4, 6, 6]);
    expect(() => scope.dispose()).not.toThrow();
  });
});
