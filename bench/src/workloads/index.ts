// The registry: every workload `pnpm bench` knows, in the order it runs them.
// To add one, write src/workloads/<name>.ts exporting a Workload (see README.md) and list it here.
import type { Workload } from '../runner.js';
import { autogradOverheadWorkload } from './autograd-overhead.js';
import { crossEntropyWorkload, sigmoidCrossEntropyWorkload, sparseCrossEntropyWorkload } from './cross-entropy.js';
import { elementwiseWorkload } from './elementwise.js';
import { lossesWorkload } from './losses.js';
import { matmulWorkload } from './matmul.js';
import { softmaxWorkload } from './softmax.js';
import { trainingWorkload } from './training.js';

export function allWorkloads(): Workload[] {
  return [
    // 512³ and 1024³ also on two threads (the row 'xent: 2 threads', @xent/tensor/threads).
    matmulWorkload({ dtype: 'float64', threads: 2 }),
    matmulWorkload({ dtype: 'float32', threads: 2 }),
    // Scaling rows: 128³ to 1024³ (512³ is the row above), xent against tfjs-wasm and the hand WASM kernel.
    ...[128, 256, 1024].flatMap((m) => [
      matmulWorkload({ dtype: 'float64', m, scaling: true, threads: m === 1024 ? 2 : undefined }),
      matmulWorkload({ dtype: 'float32', m, scaling: true, threads: m === 1024 ? 2 : undefined }),
    ]),
    softmaxWorkload({ dtype: 'float64' }),
    softmaxWorkload({ dtype: 'float32' }),
    crossEntropyWorkload({ dtype: 'float64' }),
    // Scaling rows: N = 64 and 4096 rows of 1000 classes (512 is the row above).
    crossEntropyWorkload({ dtype: 'float64', rows: 64, scaling: true }),
    crossEntropyWorkload({ dtype: 'float64', rows: 4096, scaling: true }),
    sparseCrossEntropyWorkload(),
    sigmoidCrossEntropyWorkload(),
    lossesWorkload({ kind: 'sparse' }),
    lossesWorkload({ kind: 'onehot' }),
    lossesWorkload({ kind: 'sigmoid' }),
    // Teaching-size batches: a loss call's cost beyond its kernel (option parsing, checks, the op's call).
    lossesWorkload({ kind: 'sigmoid', rows: 128, cols: 1, tiny: true }),
    lossesWorkload({ kind: 'sparse', rows: 128, cols: 10, tiny: true }),
    autogradOverheadWorkload(),
    trainingWorkload({ model: 'softmax' }),
    trainingWorkload({ model: 'logistic' }),
    // Last: its float32 run of the fused softmax cross-entropy op must not precede the float64 uses of that op.
    crossEntropyWorkload({ dtype: 'float32' }),
    // After every other workload: their float32 runs of the JS elementwise loops (the 'xent: JS kernels' rows) come last too.
    elementwiseWorkload({ dtype: 'float64' }),
    elementwiseWorkload({ dtype: 'float32' }),
  ];
}

/**
 * The workloads named by `patterns`: an exact name, or else every name containing
 * the pattern ('matmul' → matmul-f64 and matmul-f32; 'f32' → every float32 one).
 * No patterns selects everything. Throws on a pattern that matches nothing.
 */
export function selectWorkloads(all: readonly Workload[], patterns: readonly string[]): Workload[] {
  if (patterns.length === 0) return [...all];
  const chosen = new Set<Workload>();
  for (const p of patterns) {
    const exact = all.filter((w) => w.name === p);
    const hits = exact.length > 0 ? exact : all.filter((w) => w.name.includes(p));
    if (hits.length === 0) throw new Error(`no workload matches '${p}'; known: ${all.map((w) => w.name).join(', ')}`);
    hits.forEach((w) => chosen.add(w));
  }
  return all.filter((w) => chosen.has(w));
}
