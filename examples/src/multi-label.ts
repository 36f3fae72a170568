// Multi-label classification on MNIST: four yes/no properties of each digit
// at once, each with its own output unit — the labels are not exclusive (8 is
// even, ≥ 5 and has a loop), so there is no softmax across them.
//
//   logits  z = x·W + b              x [B, 784], W [784, 4], b [4]
//   loss    L = (1/B) Σᵢ (1/K) Σ_k −[t_ik log σ(z_ik) + (1−t_ik) log(1−σ(z_ik))]     (K = 4)
//   grad    ∂L/∂z_ik = (σ(z_ik) − t_ik) / (B·K)
//
// A label is predicted "yes" when σ(z) > ½, i.e. z > 0. Reported: accuracy per
// label, and exact-match accuracy (all four right), each next to the score of
// answering "no" to everything.
//
// Run: pnpm --filter @xent/examples multilabel [--loss multilabel|sigmoid …]
import { tensor, type Tensor } from '@xent/tensor';
import { multiLabelCrossEntropy, sigmoidCrossEntropyWithLogits } from '@xent/losses';
import { isMain, main, parseTrainArgs, type CliIO, type CliResult, type TrainOptions } from './lib/cli.js';
import { asBatch, head, loadMnist, trainTestSplit, type Dataset } from './lib/data.js';
import { makeOutput } from './lib/output.js';
import { defaultOutDir } from './lib/plot.js';
import { epochProgress } from './lib/progress.js';
import { emitJson, report, summarize, type Summary } from './lib/report.js';
import { Linear, makeOptimizer, train, type EpochRecord, type History, type Metrics } from './lib/train.js';
import { withDefaults } from './lib/options.js';

/** The four properties, and which digits have each. */
export const PROPERTIES = [
  { name: 'even', digits: [0, 2, 4, 6, 8] },
  { name: 'prime', digits: [2, 3, 5, 7] },
  { name: 'at least 5', digits: [5, 6, 7, 8, 9] },
  { name: 'closed loop', digits: [0, 4, 6, 8, 9] },
] as const;
export const K = PROPERTIES.length;

export const MULTI_LABEL_LOSSES = {
  multilabel: 'multiLabelCrossEntropy(t, z): mean over the 4 labels of the sigmoid cross entropy (default)',
  sigmoid: 'sigmoidCrossEntropyWithLogits(t, z): mean over all elements, the same number',
} as const;
export type MultiLabelLoss = keyof typeof MULTI_LABEL_LOSSES;

export interface MultiLabelOptions extends TrainOptions {
  loss: MultiLabelLoss;
}

export const defaults: MultiLabelOptions = {
  epochs: 10,
  lr: 0.003,
  batchSize: 64,
  optimizer: 'adam',
  seed: 42,
  loss: 'multilabel',
  json: false,
  quiet: false,
  outDir: defaultOutDir(),
  trainSize: undefined,
};

/** The multi-hot targets t [n, 4]: t_ik = 1 when digit i has property k. */
export function multiHot(labels: Int32Array): Tensor {
  const t = new Float64Array(labels.length * K);
  labels.forEach((y, i) => PROPERTIES.forEach((p, k) => (t[i * K + k] = (p.digits as readonly number[]).includes(y) ? 1 : 0)));
  return tensor(t, { shape: [labels.length, K] });
}

export function multiLabelLoss(kind: MultiLabelLoss, t: Tensor, z: Tensor): Tensor {
  return kind === 'multilabel' ? multiLabelCrossEntropy(t, z) : sigmoidCrossEntropyWithLogits(t, z);
}

export interface MultiLabelMetrics extends Metrics {
  /** accuracy is the exact-match accuracy: all four labels right. */
  perLabel: number[];
  /** Mean of the per-label accuracies (1 − Hamming loss). */
  labelAccuracy: number;
}

/** Exact-match and per-label accuracy of predictions [z > 0] against multi-hot targets. */
export function multiLabelAccuracy(z: Tensor, t: Tensor): Omit<MultiLabelMetrics, 'loss'> {
  const zs = z.values();
  const ts = t.values();
  const n = zs.length / K;
  const right = new Array<number>(K).fill(0);
  let exact = 0;
  for (let i = 0; i < n; i++) {
    let all = true;
    for (let k = 0; k < K; k++) {
      const ok = zs[i * K + k] > 0 === ts[i * K + k] > 0.5;
      if (ok) right[k]++;
      else all = false;
    }
    if (all) exact++;
  }
  const perLabel = right.map((r) => r / n);
  return { accuracy: exact / n, perLabel, labelAccuracy: perLabel.reduce((a, b) => a + b, 0) / K };
}

/** Scores of answering "no" to every label: per label the share of negatives; exact match the share of digits with no property (the 1s). */
export function allNegativeBaseline(ds: Dataset): { perLabel: number[]; exactMatch: number } {
  const zero = tensor(new Float64Array(ds.n * K).fill(-1), { shape: [ds.n, K] });
  const { perLabel, accuracy } = multiLabelAccuracy(zero, multiHot(ds.labels));
  return { perLabel, exactMatch: accuracy };
}

export interface MultiLabelResult extends Summary {
  /** Test accuracy of each label, in PROPERTIES order. */
  testPerLabel: number[];
  baseline: { perLabel: number[]; exactMatch: number };
  history: History<MultiLabelMetrics>;
}

export function run(options: Partial<MultiLabelOptions> = {}): MultiLabelResult {
  const o: MultiLabelOptions = withDefaults('multi-label', defaults, options);
  const out = makeOutput(o);
  const split = trainTestSplit(loadMnist(), { seed: o.seed, testFraction: 0.2 });
  const trainSet = head(split.train, o.trainSize);
  const test = split.test;
  out.log(
    `multi-label classification on MNIST: ${trainSet.n} training and ${test.n} test digits, 784 pixels → ${K} independent yes/no logits`,
  );
  for (const p of PROPERTIES) out.log(`  ${p.name.padEnd(12)} digits ${p.digits.join(', ')}`);
  out.log(
    `loss ${o.loss}: ${MULTI_LABEL_LOSSES[o.loss]}; ${o.optimizer} lr ${o.lr}, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}`,
  );
  const model = new Linear(trainSet.d, K);
  const evaluate = (ds: Dataset): MultiLabelMetrics => {
    const { x, labels } = asBatch(ds);
    const t = multiHot(labels);
    const z = model.forward(x);
    return { loss: multiLabelLoss(o.loss, t, z).item(), ...multiLabelAccuracy(z, t) };
  };
  const describe = (r: EpochRecord<MultiLabelMetrics>): string =>
    `train loss ${r.train.loss.toFixed(4)} exact ${r.train.accuracy.toFixed(3)} | test loss ${r.test.loss.toFixed(4)} exact ${r.test.accuracy.toFixed(3)} per label ${r.test.perLabel.map((a) => a.toFixed(3)).join(' ')}`;
  const history = train<MultiLabelMetrics>({
    params: model.params,
    optimizer: makeOptimizer(o.optimizer, model.params, o.lr),
    train: trainSet,
    test,
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    loss: (b) => multiLabelLoss(o.loss, multiHot(b.labels), model.forward(b.x)),
    evaluate,
    out,
    progress: epochProgress(out.verbose),
    describe,
  });
  const baseline = allNegativeBaseline(test);
  const svg = report({
    name: 'multi-label',
    title: 'Multi-label on MNIST: even, prime, ≥ 5, closed loop',
    history,
    out,
    outDir: o.outDir,
    accuracyLabel: 'exact-match accuracy',
    accuracyRefs: [{ y: baseline.exactMatch, label: `all "no" ${baseline.exactMatch.toFixed(3)}` }],
  });
  const lastTest = history.epochs[history.epochs.length - 1].test;
  out.log();
  out.log('test set        model   all "no"');
  PROPERTIES.forEach((p, k) =>
    out.log(`  ${p.name.padEnd(12)}  ${lastTest.perLabel[k].toFixed(3)}     ${baseline.perLabel[k].toFixed(3)}`),
  );
  out.log(`  ${'exact match'.padEnd(12)}  ${lastTest.accuracy.toFixed(3)}     ${baseline.exactMatch.toFixed(3)}`);
  const result: MultiLabelResult = {
    ...summarize('multi-label', 'MNIST (even, prime, ≥5, closed loop)', o, { train: trainSet.n, test: test.n }, history, svg),
    testPerLabel: lastTest.perLabel.map((a) => Number(a.toFixed(6))),
    baseline: { perLabel: baseline.perLabel.map((a) => Number(a.toFixed(6))), exactMatch: Number(baseline.exactMatch.toFixed(6)) },
    history,
  };
  out.log();
  out.log(
    `test accuracy ${result.testAccuracy.toFixed(3)} (exact match of all 4 labels; all-"no" baseline ${baseline.exactMatch.toFixed(3)}; ` +
      `per label ${lastTest.perLabel.map((a) => a.toFixed(3)).join(', ')})`,
  );
  emitJson(out, result);
  return result;
}

export function parseArgs(argv: readonly string[], io?: CliIO): CliResult<MultiLabelOptions> {
  return parseTrainArgs(
    argv,
    {
      name: 'multi-label',
      description: 'Multi-label classification on MNIST: even, prime, at least 5, closed loop.',
      defaults,
      losses: MULTI_LABEL_LOSSES,
    },
    io,
  );
}

if (isMain(import.meta.url)) main(parseArgs, run);
