// Softmax regression on MNIST: 10 classes, one linear layer, the fused
// sparse softmax cross entropy. This is `pnpm demo`.
//
//   logits  z = x·W + b              x [B, 784], W [784, 10], b [10]
//   loss    L = (1/B) Σᵢ −log softmax(zᵢ)_{yᵢ} = (1/B) Σᵢ (logΣ_c e^{z_ic} − z_{i,yᵢ})
//   grads   ∂L/∂z = (softmax(z) − onehot(y)) / B,   ∂L/∂W = xᵀ·∂L/∂z,   ∂L/∂b = Σᵢ ∂L/∂zᵢ
//
// Run: pnpm demo [--epochs 10 --lr 0.003 --optimizer adam|sgd|adamw --loss sparse|onehot|probabilities --json …]
import { oneHot, tensor, type Tensor } from '@xent/tensor';
import { noGrad, softmax } from '@xent/autograd';
import { softmaxCrossEntropyWithLogits, sparseCategoricalCrossentropy, sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { isMain, main, parseTrainArgs, type CliIO, type CliResult, type TrainOptions } from './lib/cli.js';
import { asBatch, head, loadMnist, trainTestSplit, type Dataset, type Split } from './lib/data.js';
import { makeOutput, type Output } from './lib/output.js';
import { defaultOutDir } from './lib/plot.js';
import { epochProgress } from './lib/progress.js';
import { emitJson, report, summarize, type RunResult } from './lib/report.js';
import { Linear, argmaxAccuracy, makeOptimizer, train, type History, type Metrics } from './lib/train.js';
import { withDefaults } from './lib/options.js';

/** The three ways to write the same loss; --loss picks one. All give −log softmax(z)_y. */
export const SOFTMAX_LOSSES = {
  sparse: 'sparseSoftmaxCrossEntropyWithLogits(labels, logits), integer labels, fused (default)',
  onehot: 'softmaxCrossEntropyWithLogits(oneHot(labels), logits)',
  probabilities: 'sparseCategoricalCrossentropy(labels, softmax(logits)), in probability space',
} as const;
export type SoftmaxLoss = keyof typeof SOFTMAX_LOSSES;

/**
 * The mean loss of a batch in the chosen representation. The fused form never
 * builds the one-hot matrix or the probabilities; the probability form clips
 * softmax(z) to [ε, 1−ε] (Keras), so it agrees while no probability is tiny.
 */
export function softmaxLoss(kind: SoftmaxLoss, labels: Int32Array, logits: Tensor): Tensor {
  const classes = logits.shape[logits.rank - 1];
  switch (kind) {
    case 'sparse':
      return sparseSoftmaxCrossEntropyWithLogits(tensor(labels), logits);
    case 'onehot':
      return softmaxCrossEntropyWithLogits(oneHot(tensor(labels), classes), logits);
    case 'probabilities':
      return sparseCategoricalCrossentropy(tensor(labels), softmax(logits, -1));
  }
}

export interface SoftmaxOptions extends TrainOptions {
  loss: SoftmaxLoss;
}

export const defaults: SoftmaxOptions = {
  epochs: 10,
  lr: 0.003,
  batchSize: 64,
  optimizer: 'adam',
  seed: 42,
  loss: 'sparse',
  json: false,
  quiet: false,
  outDir: defaultOutDir(),
  trainSize: undefined,
};

export interface SoftmaxFit {
  model: Linear;
  history: History;
}

/**
 * Trains z = x·W + b with a softmax cross entropy on a split (MNIST or Iris)
 * and evaluates mean loss and argmax accuracy on both sets after each epoch.
 */
export function fitSoftmaxRegression(split: Split, options: SoftmaxOptions, out: Output): SoftmaxFit {
  const { train: trainSet, test } = split;
  const model = new Linear(trainSet.d, trainSet.classes);
  const evaluate = (ds: Dataset): Metrics => {
    const { x, labels } = asBatch(ds);
    const logits = model.forward(x);
    return { loss: softmaxLoss(options.loss, labels, logits).item(), accuracy: argmaxAccuracy(logits, labels) };
  };
  const history = train({
    params: model.params,
    optimizer: makeOptimizer(options.optimizer, model.params, options.lr),
    train: trainSet,
    test,
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: options.seed,
    loss: (batch) => softmaxLoss(options.loss, batch.labels, model.forward(batch.x)),
    evaluate,
    out,
    progress: epochProgress(out.verbose),
  });
  return { model, history };
}

/** counts[actual][predicted] over a data set. */
export function confusionMatrix(model: Linear, ds: Dataset): number[][] {
  const counts = Array.from({ length: ds.classes }, () => new Array<number>(ds.classes).fill(0));
  const logits = noGrad(() => model.forward(asBatch(ds).x)).values();
  for (let i = 0; i < ds.n; i++) {
    let best = 0;
    for (let c = 1; c < ds.classes; c++) if (logits[i * ds.classes + c] > logits[i * ds.classes + best]) best = c;
    counts[ds.labels[i]][best]++;
  }
  return counts;
}

/** The confusion matrix as text: rows are the true class, columns the prediction. */
export function formatConfusion(counts: number[][], names: readonly string[]): string[] {
  const w = Math.max(4, ...names.map((n) => n.length + 2), ...counts.flat().map((c) => String(c).length + 1));
  const first = Math.max(10, ...names.map((n) => n.length + 1));
  const lines = [`${'true\\pred'.padEnd(first)}${names.map((n) => n.padStart(w)).join('')}`];
  counts.forEach((row, i) => lines.push(`${names[i].padEnd(first)}${row.map((c) => String(c).padStart(w)).join('')}`));
  return lines;
}

export type SoftmaxResult = RunResult;

/** Softmax regression on MNIST (a seeded 80/20 split of the package's 10,000 digits). */
export function run(options: Partial<SoftmaxOptions> = {}): SoftmaxResult {
  const o: SoftmaxOptions = withDefaults('softmax-regression', defaults, options);
  const out = makeOutput(o);
  const split = trainTestSplit(loadMnist(), { seed: o.seed, testFraction: 0.2 });
  const data: Split = { train: head(split.train, o.trainSize), test: split.test };
  out.log(`softmax regression on MNIST: ${data.train.n} training and ${data.test.n} test digits, 784 pixels → 10 logits`);
  out.log(`loss ${o.loss}: ${SOFTMAX_LOSSES[o.loss]}; ${o.optimizer} lr ${o.lr}, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}`);
  const { model, history } = fitSoftmaxRegression(data, o, out);
  const svg = report({
    name: 'softmax-regression',
    title: 'Softmax regression on MNIST',
    history,
    out,
    outDir: o.outDir,
    accuracyRefs: [{ y: 0.1, label: 'chance 0.1' }],
  });
  if (out.verbose) {
    out.log();
    out.log('test set confusion matrix:');
    for (const line of formatConfusion(confusionMatrix(model, data.test), data.test.classNames)) out.log('  ' + line);
  }
  const result: SoftmaxResult = {
    ...summarize('softmax-regression', 'MNIST', o, { train: data.train.n, test: data.test.n }, history, svg),
    history,
  };
  out.log();
  out.log(
    `test accuracy ${result.testAccuracy.toFixed(3)} (softmax regression, MNIST, ${o.epochs} epochs, ${result.seconds.toFixed(1)} s)`,
  );
  emitJson(out, result);
  return result;
}

export function parseArgs(argv: readonly string[], io?: CliIO): CliResult<SoftmaxOptions> {
  return parseTrainArgs(
    argv,
    { name: 'softmax-regression', description: 'Softmax regression on MNIST digits (pnpm demo).', defaults, losses: SOFTMAX_LOSSES },
    io,
  );
}

if (isMain(import.meta.url)) main(parseArgs, run);
