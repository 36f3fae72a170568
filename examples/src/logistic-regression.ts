// Logistic regression on MNIST: "is this digit a 7?", one output unit.
//
//   logit   z = x·w + b                 x [B, 784], w [784, 1], b [1]
//   P(7|x)  = σ(z) = 1 / (1 + e^{−z})
//   loss    ℓ = −[t log σ(z) + (1−t) log(1−σ(z))] = max(z,0) − z·t + log1p(e^{−|z|})
//   grad    ∂ℓ/∂z = σ(z) − t
//
// The same model is trained twice from the same start with the same batches:
// once on logits with sigmoidCrossEntropyWithLogits (stable, fused), once in
// probability space with binaryCrossentropy on σ(z). Autograd's chain rule
// through σ gives ∂ℓ/∂q·σ'(z) = (q − t)/(q(1−q))·q(1−q) = q − t, the same
// gradient, so both runs follow the same path and the example prints how
// closely they agree. (They part only if σ(z) gets within ε = 1e-7 of 0 or 1,
// where binaryCrossentropy clips.)
//
// Run: pnpm --filter @xent/examples logistic [--loss both|logits|probabilities …]
import { tensor, type Tensor } from '@xent/tensor';
import { noGrad, sigmoid } from '@xent/autograd';
import { binaryCrossentropy, sigmoidCrossEntropyWithLogits } from '@xent/losses';
import { isMain, main, parseTrainArgs, type CliIO, type CliResult, type TrainOptions } from './lib/cli.js';
import { asBatch, head, loadMnist, trainTestSplit, type Dataset } from './lib/data.js';
import { makeOutput, type Output } from './lib/output.js';
import { defaultOutDir } from './lib/plot.js';
import { epochProgress } from './lib/progress.js';
import { emitJson, report, summarize, type Summary } from './lib/report.js';
import { Linear, makeOptimizer, thresholdAccuracy, train, type History, type Metrics } from './lib/train.js';
import { withDefaults } from './lib/options.js';

/** The digit we detect. */
export const POSITIVE = 7;

export const BINARY_LOSSES = {
  both: 'train with each of the two below and compare (default)',
  logits: 'sigmoidCrossEntropyWithLogits(t, z), on logits',
  probabilities: 'binaryCrossentropy(t, sigmoid(z)), in probability space',
} as const;
export type BinaryLoss = keyof typeof BINARY_LOSSES;

export interface LogisticOptions extends TrainOptions {
  loss: BinaryLoss;
}

export const defaults: LogisticOptions = {
  epochs: 5,
  lr: 0.003,
  batchSize: 64,
  optimizer: 'adam',
  seed: 42,
  loss: 'both',
  json: false,
  quiet: false,
  outDir: defaultOutDir(),
  trainSize: undefined,
};

/** t = [label = 7] as a [n, 1] float column, matching the logits' shape. */
export function isSeven(labels: Int32Array): Tensor {
  return tensor(
    Float64Array.from(labels, (y) => (y === POSITIVE ? 1 : 0)),
    { shape: [labels.length, 1] },
  );
}

/** The batch's mean loss, on logits or on probabilities. */
export function binaryLoss(kind: 'logits' | 'probabilities', t: Tensor, z: Tensor): Tensor {
  return kind === 'logits' ? sigmoidCrossEntropyWithLogits(t, z) : binaryCrossentropy(t, sigmoid(z));
}

export interface BinaryMetrics extends Metrics {
  /** Of the digits called 7, the share that are 7. */
  precision: number;
  /** Of the 7s, the share called 7. */
  recall: number;
}

function binaryMetrics(kind: 'logits' | 'probabilities', model: Linear, ds: Dataset): BinaryMetrics {
  const { x, labels } = asBatch(ds);
  const t = isSeven(labels);
  const z = model.forward(x);
  const zs = z.values();
  let tp = 0,
    fp = 0,
    fn = 0;
  for (let i = 0; i < ds.n; i++) {
    const said = zs[i] > 0; // σ(z) > ½
    const is = labels[i] === POSITIVE;
    if (said && is) tp++;
    else if (said) fp++;
    else if (is) fn++;
  }
  return {
    loss: binaryLoss(kind, t, z).item(),
    accuracy: thresholdAccuracy(z, t),
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
  };
}

export function fitLogistic(
  kind: 'logits' | 'probabilities',
  trainSet: Dataset,
  test: Dataset,
  o: LogisticOptions,
  out: Output | undefined,
): { model: Linear; history: History<BinaryMetrics> } {
  const model = new Linear(trainSet.d, 1);
  const history = train<BinaryMetrics>({
    params: model.params,
    optimizer: makeOptimizer(o.optimizer, model.params, o.lr),
    train: trainSet,
    test,
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    loss: (b) => binaryLoss(kind, isSeven(b.labels), model.forward(b.x)),
    evaluate: (ds) => binaryMetrics(kind, model, ds),
    out,
    progress: epochProgress(out?.verbose ?? false),
  });
  return { model, history };
}

export interface Agreement {
  /** Largest |loss(logits run) − loss(probability run)| over every batch and every evaluation. */
  maxLossDiff: number;
  /** Largest |w_logits − w_probabilities| over all weights at the end. */
  maxWeightDiff: number;
  /** Test accuracy of the probability-space run. */
  probabilitiesTestAccuracy: number;
}

export interface LogisticResult extends Summary {
  testPrecision: number;
  testRecall: number;
  /** Accuracy of always answering "not a 7" on the test set. */
  baselineAccuracy: number;
  agreement: Agreement | null;
  history: History<BinaryMetrics>;
}

export function run(options: Partial<LogisticOptions> = {}): LogisticResult {
  const o: LogisticOptions = withDefaults('logistic-regression', defaults, options);
  const out = makeOutput(o);
  const split = trainTestSplit(loadMnist(), { seed: o.seed, testFraction: 0.2 });
  const trainSet = head(split.train, o.trainSize);
  const test = split.test;
  const sevens = test.labels.filter((y) => y === POSITIVE).length;
  const baselineAccuracy = 1 - sevens / test.n;
  out.log(`logistic regression on MNIST, "is this digit a 7?": ${trainSet.n} training and ${test.n} test digits (${sevens} test 7s)`);
  out.log(`always answering "no" scores ${baselineAccuracy.toFixed(3)}; the model must beat that by learning what a 7 looks like`);
  const first: 'logits' | 'probabilities' = o.loss === 'probabilities' ? 'probabilities' : 'logits';
  out.log(`loss ${first}: ${BINARY_LOSSES[first]}; ${o.optimizer} lr ${o.lr}, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}`);
  const primary = fitLogistic(first, trainSet, test, o, out);

  let agreement: Agreement | null = null;
  if (o.loss === 'both') {
    out.log();
    out.log(`the same model again, in probability space: ${BINARY_LOSSES.probabilities} (same start, same batches)`);
    const other = fitLogistic('probabilities', trainSet, test, o, undefined);
    let maxLossDiff = 0;
    primary.history.batchLosses.forEach((l, i) => (maxLossDiff = Math.max(maxLossDiff, Math.abs(l - other.history.batchLosses[i]))));
    out.log('epoch  test loss (logits)  test loss (probabilities)  |difference|');
    primary.history.epochs.forEach((r, i) => {
      const s = other.history.epochs[i];
      const d = Math.abs(r.test.loss - s.test.loss);
      maxLossDiff = Math.max(maxLossDiff, d, Math.abs(r.train.loss - s.train.loss));
      out.log(
        `${String(r.epoch).padStart(5)}  ${r.test.loss.toFixed(10).padStart(18)}  ${s.test.loss.toFixed(10).padStart(25)}  ${d.toExponential(2).padStart(12)}`,
      );
    });
    const w1 = noGrad(() => primary.model.W.values());
    const w2 = noGrad(() => other.model.W.values());
    let maxWeightDiff = 0;
    w1.forEach((w, i) => (maxWeightDiff = Math.max(maxWeightDiff, Math.abs(w - w2[i]))));
    agreement = {
      maxLossDiff,
      maxWeightDiff,
      probabilitiesTestAccuracy: other.history.epochs[other.history.epochs.length - 1].test.accuracy,
    };
    out.log(
      `largest loss difference over ${primary.history.batchLosses.length} batches and every evaluation: ${maxLossDiff.toExponential(2)}`,
    );
    out.log(`largest weight difference at the end: ${maxWeightDiff.toExponential(2)}`);
    const acc = primary.history.epochs[primary.history.epochs.length - 1].test.accuracy;
    out.log(
      `both runs classify the test set alike: accuracy ${acc.toFixed(4)} on logits, ${agreement.probabilitiesTestAccuracy.toFixed(4)} in probability space`,
    );
    out.log(
      '(the tiny differences: 1 − σ(z) loses digits in floating point as σ(z) → 1, and binaryCrossentropy clips σ(z) to [1e-7, 1 − 1e-7])',
    );
  }

  const svg = report({
    name: 'logistic-regression',
    title: 'Logistic regression on MNIST: is it a 7?',
    history: primary.history,
    out,
    outDir: o.outDir,
    accuracyRefs: [{ y: baselineAccuracy, label: `always "no" ${baselineAccuracy.toFixed(3)}` }],
  });
  const lastTest = primary.history.epochs[primary.history.epochs.length - 1].test;
  const result: LogisticResult = {
    ...summarize(
      'logistic-regression',
      'MNIST (is it a 7?)',
      { ...o, loss: first },
      { train: trainSet.n, test: test.n },
      primary.history,
      svg,
    ),
    testPrecision: Number(lastTest.precision.toFixed(6)),
    testRecall: Number(lastTest.recall.toFixed(6)),
    baselineAccuracy: Number(baselineAccuracy.toFixed(6)),
    agreement,
    history: primary.history,
  };
  out.log();
  out.log(
    `test accuracy ${result.testAccuracy.toFixed(3)} ("is it a 7?", baseline ${baselineAccuracy.toFixed(3)}; precision ${lastTest.precision.toFixed(3)}, recall ${lastTest.recall.toFixed(3)})`,
  );
  emitJson(out, result);
  return result;
}

export function parseArgs(argv: readonly string[], io?: CliIO): CliResult<LogisticOptions> {
  return parseTrainArgs(
    argv,
    { name: 'logistic-regression', description: 'Logistic regression on MNIST: is this digit a 7?', defaults, losses: BINARY_LOSSES },
    io,
  );
}

if (isMain(import.meta.url)) main(parseArgs, run);
