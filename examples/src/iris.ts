// Softmax regression on Fisher's Iris flowers: 4 measurements (sepal and
// petal length and width, in cm) → 3 species. The model and loss are those of
// softmax-regression.ts, z = x·W + b with W [4, 3]; the features are
// standardised first, x' = (x − μ)/σ with the training set's μ and σ, so every
// weight sees inputs of the same scale and one learning rate suits them all.
//
// Run: pnpm --filter @xent/examples iris [--epochs 60 --lr 0.05 --optimizer adam …]
import { isMain, main, parseTrainArgs, type CliIO, type CliResult } from './lib/cli.js';
import { head, loadIris, standardize, trainTestSplit } from './lib/data.js';
import { makeOutput } from './lib/output.js';
import { defaultOutDir } from './lib/plot.js';
import { emitJson, report, summarize, type RunResult } from './lib/report.js';
import { SOFTMAX_LOSSES, confusionMatrix, fitSoftmaxRegression, formatConfusion, type SoftmaxOptions } from './softmax-regression.js';
import { withDefaults } from './lib/options.js';

export const defaults: SoftmaxOptions = {
  epochs: 60,
  lr: 0.05,
  batchSize: 16,
  optimizer: 'adam',
  seed: 42,
  loss: 'sparse',
  json: false,
  quiet: false,
  outDir: defaultOutDir(),
  trainSize: undefined,
};

export type IrisResult = RunResult;

/** Softmax regression on Iris: a seeded, stratified 80/20 split (120 training and 30 test flowers). */
export function run(options: Partial<SoftmaxOptions> = {}): IrisResult {
  const o: SoftmaxOptions = withDefaults('iris', defaults, options);
  const out = makeOutput(o);
  const raw = trainTestSplit(loadIris(), { seed: o.seed, testFraction: 0.2 });
  const { train, test, mean, std } = standardize({ train: head(raw.train, o.trainSize), test: raw.test });
  out.log(
    `softmax regression on Iris: ${train.n} training and ${test.n} test flowers, 4 features → 3 species (${train.classNames.join(', ')})`,
  );
  out.log(
    `features standardised with the training set's mean [${[...mean].map((m) => m.toFixed(2)).join(', ')}] and std [${[...std].map((s) => s.toFixed(2)).join(', ')}] cm`,
  );
  out.log(`loss ${o.loss}: ${SOFTMAX_LOSSES[o.loss]}; ${o.optimizer} lr ${o.lr}, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}`);
  const { model, history } = fitSoftmaxRegression({ train, test }, o, out);
  const svg = report({
    name: 'iris',
    title: 'Softmax regression on Iris',
    history,
    out,
    outDir: o.outDir,
    accuracyRefs: [{ y: 1 / 3, label: 'chance 0.333' }],
  });
  if (out.verbose) {
    out.log();
    out.log('test set confusion matrix:');
    for (const line of formatConfusion(confusionMatrix(model, test), test.classNames)) out.log('  ' + line);
  }
  const result: IrisResult = {
    ...summarize('iris', 'Iris', o, { train: train.n, test: test.n }, history, svg),
    history,
  };
  out.log();
  out.log(
    `test accuracy ${result.testAccuracy.toFixed(3)} (softmax regression, Iris, ${Math.round(result.testAccuracy * test.n)}/${test.n} flowers right)`,
  );
  emitJson(out, result);
  return result;
}

export function parseArgs(argv: readonly string[], io?: CliIO): CliResult<SoftmaxOptions> {
  return parseTrainArgs(
    argv,
    {
      name: 'iris',
      description: 'Softmax regression on the Iris flowers (3 species, 4 standardised features).',
      defaults,
      losses: SOFTMAX_LOSSES,
    },
    io,
  );
}

if (isMain(import.meta.url)) main(parseArgs, run);
