// micrograd's demo: two interleaving half moons, separated by a small MLP.
// The data come from @xent/nn's toy generator (seeded, with Gaussian noise);
// --dataset also takes circles, spirals and xor from the same module.
//
//   model   2 → 16 ReLU → 16 ReLU → C logits          (MLP([2, 16, 16, C]))
//   loss    L = (1/B) Σᵢ −log softmax(zᵢ)_{yᵢ}
//
// The picture is the point: moons-boundary.svg shades the plane by the
// predicted class (paler where the model is unsure) with the points on top.
//
// Run: pnpm --filter @xent/examples moons [--dataset moons|circles|spirals|xor --points 200 --noise 0.1 --epochs 100 …]
import { Rng, tensor } from '@xent/tensor';
import { sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { MLP, TOY_DATASETS, toyDataset, type ToyDatasetName } from '@xent/nn';
import { InvalidArgumentError, Option } from 'commander';
import { boundaryAscii, boundarySvg, decisionGrid } from './lib/boundary.js';
import { checkSavePath, checkpointFlags, checkpointOptions, resumeFrom, saveTo, type CheckpointOptions } from './lib/checkpoint.js';
import { intArg, isMain, main, parseTrainArgs, type CliIO, type CliResult, type TrainOptions } from './lib/cli.js';
import { asBatch, head, type Dataset } from './lib/data.js';
import { makeOutput } from './lib/output.js';
import { defaultOutDir, displayPath, writeSvg } from './lib/plot.js';
import { emitJson, report, summarize, type RunResult } from './lib/report.js';
import { argmaxAccuracy, makeOptimizer, train, type Metrics } from './lib/train.js';
import { withDefaults } from './lib/options.js';

export interface MoonsOptions extends TrainOptions, CheckpointOptions {
  loss: 'sparse';
  dataset: ToyDatasetName;
  /** Points in the training set (the test set has as many, from the next seed). */
  points: number;
  /** Standard deviation of the Gaussian noise on each coordinate. */
  noise: number;
  /** Units in each of the two hidden layers. */
  hidden: number;
}

export const defaults: MoonsOptions = {
  epochs: 100,
  lr: 0.01,
  batchSize: 20,
  optimizer: 'adam',
  seed: 1,
  loss: 'sparse',
  json: false,
  quiet: false,
  outDir: defaultOutDir(),
  trainSize: undefined,
  dataset: 'moons',
  points: 200,
  noise: 0.1,
  hidden: 16,
  save: undefined,
  resume: undefined,
};

export interface MoonsResult extends RunResult {
  startEpoch: number;
  /** Where the decision-boundary SVG was written, or null. */
  boundarySvg: string | null;
  model: MLP;
}

/** Trains the MLP on a toy 2-D data set and draws its decision boundary. */
export function run(options: Partial<MoonsOptions> = {}): MoonsResult {
  const o: MoonsOptions = withDefaults('moons', defaults, options);
  const out = makeOutput(o);
  const make = (seed: number): Dataset => toyDataset(o.dataset, { n: o.points, noise: o.noise, rng: new Rng(seed) });
  const trainSet = head(make(o.seed), o.trainSize); // --train-size, as in the other examples (it was ignored)
  const test = make(o.seed + 1);
  const model = new MLP([2, o.hidden, o.hidden, trainSet.classes], { rng: new Rng(o.seed) });
  const optimizer = makeOptimizer(o.optimizer, model.parameters(), o.lr);
  out.log(
    `${o.dataset}: ${trainSet.n} training and ${test.n} test points, noise ${o.noise}; MLP 2-${o.hidden}-${o.hidden}-${trainSet.classes} (ReLU)`,
  );
  out.log(`${o.optimizer} lr ${o.lr}, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}`);
  checkSavePath(o.save);
  const startEpoch = o.resume === undefined ? 0 : resumeFrom(o.resume, o.dataset, o.epochs, o.lr, { model, optimizer }, out);
  const evaluate = (ds: Dataset): Metrics => {
    const { x, labels } = asBatch(ds);
    const logits = model.forward(x);
    return { loss: sparseSoftmaxCrossEntropyWithLogits(tensor(labels), logits).item(), accuracy: argmaxAccuracy(logits, labels) };
  };
  const history = train({
    params: model.parameters(),
    optimizer,
    train: trainSet,
    test,
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    startEpoch,
    loss: (batch) => sparseSoftmaxCrossEntropyWithLogits(tensor(batch.labels), model.forward(batch.x)),
    evaluate,
    out,
  });
  if (o.save !== undefined) saveTo(o.save, o.dataset, o.epochs, o.lr, { model, optimizer }, out);
  const svg = report({
    name: o.dataset,
    title: `MLP on ${o.dataset}`,
    history,
    out,
    outDir: o.outDir,
    accuracyRefs: [{ y: 1 / trainSet.classes, label: `chance ${(1 / trainSet.classes).toFixed(2)}` }],
  });
  const grid = decisionGrid(model, trainSet);
  let boundaryFile: string | null = null;
  if (o.outDir !== null) {
    const acc = history.epochs[history.epochs.length - 1].train.accuracy;
    const title = `${o.dataset}: decision boundary of MLP 2-${o.hidden}-${o.hidden}-${trainSet.classes}, training accuracy ${(100 * acc).toFixed(1)} %`;
    boundaryFile = writeSvg(`${o.dataset}-boundary`, boundarySvg(title, grid, trainSet), o.outDir);
    out.log(`plot of the decision boundary with the training points: ${displayPath(boundaryFile)}`);
  }
  if (out.verbose) {
    out.log();
    out.log('decision regions (digits are the training points, by class):');
    out.log(boundaryAscii(grid, trainSet));
  }
  const result: MoonsResult = {
    ...summarize(o.dataset, o.dataset, o, { train: trainSet.n, test: test.n }, history, svg),
    history,
    startEpoch,
    boundarySvg: boundaryFile,
    model,
  };
  out.log();
  out.log(
    `training accuracy ${(100 * result.trainAccuracy).toFixed(1)} %, test accuracy ${(100 * result.testAccuracy).toFixed(1)} % (${o.dataset}, ${o.epochs} epochs, ${result.seconds.toFixed(1)} s)`,
  );
  const { model: _model, ...printable } = result;
  emitJson(out, printable);
  return result;
}

/** The most points and the largest noise the toy data sets take (makeMoons' n and noise). */
const MAX_POINTS = 2 ** 24;
const MAX_NOISE = 1e300;

/** A commander parser for a number in [0, 1e300] (the noise). */
function nonNegative(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0 || x > MAX_NOISE)
    throw new InvalidArgumentError(`expected a number in [0, ${MAX_NOISE}], e.g. 0.1.`);
  return x;
}

export function parseArgs(argv: readonly string[], io?: CliIO): CliResult<MoonsOptions> {
  return parseTrainArgs(
    argv,
    {
      name: 'moons',
      description: "micrograd's moons: a small MLP separates two interleaving half moons; the SVG shows its decision boundary.",
      defaults,
      losses: { sparse: 'sparseSoftmaxCrossEntropyWithLogits(labels, logits)' },
      extraFlags: (cmd) => {
        cmd
          .addOption(new Option('--dataset <name>', 'the toy 2-D data set').choices(TOY_DATASETS).default(defaults.dataset))
          .option('--points <n>', 'points in the training set (and in the test set)', intArg(2, MAX_POINTS), defaults.points)
          .option('--noise <x>', 'standard deviation of the noise on each coordinate', nonNegative, defaults.noise)
          .option('--hidden <n>', 'units in each hidden layer', intArg(1), defaults.hidden);
        checkpointFlags(cmd);
      },
      extraOptions: (raw) => ({
        dataset: raw.dataset as ToyDatasetName,
        points: raw.points as number,
        noise: raw.noise as number,
        hidden: raw.hidden as number,
        ...checkpointOptions(raw),
      }),
    },
    io,
  ) as CliResult<MoonsOptions>;
}

if (isMain(import.meta.url)) main(parseArgs, run);
