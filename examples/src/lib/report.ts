// The end of every training example: the loss curve in the terminal, the SVG
// of loss and accuracy per epoch, and the metrics as a plain object (what
// run() returns and --json prints).
import { lossChart } from './chart.js';
import type { Output } from './output.js';
import { COLORS, displayPath, svgChart, writeSvg, type PlotSeries } from './plot.js';
import type { History, Metrics } from './train.js';

/** The final numbers of a training example (also its --json line). */
export interface Summary {
  example: string;
  dataset: string;
  loss: string;
  optimizer: string;
  lr: number;
  epochs: number;
  batchSize: number;
  seed: number;
  trainSize: number;
  testSize: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Wall-clock seconds of training and evaluation. */
  seconds: number;
  /** Where the SVG was written, or null. */
  svg: string | null;
}

/** What run() of a training example returns: its Summary and the per-epoch history. */
export interface RunResult extends Summary {
  history: History;
}

export interface ReportSpec<M extends Metrics> {
  /** File stem of the SVG: examples/out/<name>.svg. */
  name: string;
  title: string;
  history: History<M>;
  out: Output;
  /** null: no SVG. */
  outDir: string | null;
  /** Dashed reference lines in the accuracy panel (chance, a baseline). */
  accuracyRefs?: readonly { y: number; label: string }[];
  /** Label of the accuracy axis (default 'accuracy'). */
  accuracyLabel?: string;
}

const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

/** Draws the loss curve in the terminal and writes the SVG; returns the SVG's path (or null). */
export function report<M extends Metrics>(spec: ReportSpec<M>): string | null {
  const { history, out } = spec;
  if (out.verbose && history.batchLosses.length > 1) {
    out.log();
    out.log(
      lossChart(history.batchLosses, {
        title: `training loss per batch (${history.batchLosses.length} batches, averaged to at most 60 points)`,
      }),
    );
  }
  if (spec.outDir === null) return null;
  const points = (f: (r: (typeof history.epochs)[number]) => number): [number, number][] => history.epochs.map((r) => [r.epoch, f(r)]);
  const lossSeries: PlotSeries[] = [
    { name: 'train', color: COLORS.train, points: points((r) => r.train.loss) },
    { name: 'test', color: COLORS.test, points: points((r) => r.test.loss) },
  ];
  const accSeries: PlotSeries[] = [
    { name: 'train', color: COLORS.train, points: points((r) => r.train.accuracy) },
    { name: 'test', color: COLORS.test, points: points((r) => r.test.accuracy) },
  ];
  const svg = svgChart(spec.title, [
    { title: 'loss', xLabel: 'epoch', series: lossSeries, yMin: 0 },
    { title: spec.accuracyLabel ?? 'accuracy', xLabel: 'epoch', series: accSeries, yMax: 1, refLines: spec.accuracyRefs },
  ]);
  const file = writeSvg(spec.name, svg, spec.outDir);
  out.log(`plot of loss and accuracy per epoch: ${displayPath(file)}`);
  return file;
}

/** The Summary fields that come from the last epoch of a history, rounded for printing. */
export function finalMetrics(history: History): Pick<Summary, 'trainLoss' | 'trainAccuracy' | 'testLoss' | 'testAccuracy' | 'seconds'> {
  const r = history.epochs[history.epochs.length - 1];
  return {
    trainLoss: round(r.train.loss),
    trainAccuracy: round(r.train.accuracy),
    testLoss: round(r.test.loss),
    testAccuracy: round(r.test.accuracy),
    seconds: round(history.seconds, 3),
  };
}

/** The settings every training example reports. */
export interface RunSettings {
  loss: string;
  optimizer: string;
  lr: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

/** The Summary of a finished run: what ran, on how much data, and its last-epoch metrics. */
export function summarize(
  example: string,
  dataset: string,
  o: RunSettings,
  sizes: { train: number; test: number },
  history: History,
  svg: string | null,
): Summary {
  const { loss, optimizer, lr, epochs, batchSize, seed } = o;
  return {
    example,
    dataset,
    loss,
    optimizer,
    lr,
    epochs,
    batchSize,
    seed,
    trainSize: sizes.train,
    testSize: sizes.test,
    ...finalMetrics(history),
    svg,
  };
}

/** Prints a run's result as one JSON line (with --json), leaving out the per-epoch history. */
export function emitJson(out: Output, result: Summary & { history?: unknown }): void {
  const { history: _history, ...metrics } = result;
  out.json(metrics);
}
