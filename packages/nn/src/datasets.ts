// Toy 2-D classification data, generated and seeded: the one module every
// example, test and the playground draw their two-dimensional data from.
//
//   moons    two interleaving half circles (scikit-learn's make_moons):
//            class 0 on (cos t, sin t), class 1 on (1 − cos t, ½ − sin t), t ∈ [0, π]
//   circles  two concentric circles (make_circles): class 0 radius 1, class 1 radius `factor`
//   spirals  `classes` interleaved arms (CS231n): arm j at radius r ∈ [0, 1],
//            angle 4r·(… one and a half turns) + 2πj/classes
//   xor      uniform points in [−1, 1]²; class 1 where the signs of x and y differ
//
// Gaussian noise N(0, noise²) is added to both coordinates after the class is
// fixed (so the labels stay those of the clean shape), then the rows are
// shuffled. The same Rng seed gives the same data, everywhere.
import { Rng, XentError, numberOption, parseOptions, type OptionsOf } from '@xent/tensor';
import { LAYER_OPTIONS } from './init.js';

/** The names toyDataset takes. */
export const TOY_DATASETS = ['moons', 'circles', 'spirals', 'xor'] as const;
/** 'moons' | 'circles' | 'spirals' | 'xor'. */
export type ToyDatasetName = (typeof TOY_DATASETS)[number];

/**
 * A labelled point set, row-major: the same fields as the examples' Dataset,
 * so it trains through the same loop. Wrap as tensors with
 * fromFlat(ds.x, [ds.n, 2]) and tensor(ds.labels).
 */
export interface ToyDataset {
  readonly name: ToyDatasetName;
  /** Coordinates, row-major, shape [n, 2]: x[2i] and x[2i+1] are point i's. */
  readonly x: Float64Array;
  /** Number of points. */
  readonly n: number;
  /** Features per point: 2. */
  readonly d: 2;
  /** The class of each point, 0 … classes − 1. */
  readonly labels: Int32Array;
  readonly classes: number;
  readonly classNames: readonly string[];
}

const TOY_SCHEMA = {
  /** Number of points, a whole number ≥ 2 (default 200); split as evenly as possible between the classes. */
  n: numberOption(200, '[2, ∞) whole', 'the number of points, e.g. n: 200'),
  /** Standard deviation of the Gaussian noise on each coordinate, ≥ 0 (default 0.1). */
  noise: numberOption(0.1, '[0, ∞)', 'a standard deviation, e.g. noise: 0.1'),
  /** The generator (default new Rng(0)). */
  rng: LAYER_OPTIONS.rng,
};
const CIRCLES_SCHEMA = {
  ...TOY_SCHEMA,
  /** Radius of the inner circle relative to the outer one, in (0, 1) (default 0.5). */
  factor: numberOption(0.5, '(0, 1)', 'the inner radius, e.g. factor: 0.5'),
};
const SPIRALS_SCHEMA = {
  ...TOY_SCHEMA,
  /** Number of arms (classes), a whole number in [2, n] (default 2). */
  classes: numberOption(2, '[2, ∞) whole', 'the number of arms, e.g. classes: 3'),
};

/** Options of the generators: n, noise, rng. */
export type ToyOptions = OptionsOf<typeof TOY_SCHEMA>;
/** Options of makeCircles: the generators' and factor. */
export type CirclesOptions = OptionsOf<typeof CIRCLES_SCHEMA>;
/** Options of makeSpirals: the generators' and classes. */
export type SpiralsOptions = OptionsOf<typeof SPIRALS_SCHEMA>;

/** Splits n into `classes` counts differing by at most one (earlier classes get the extra points). */
function perClass(n: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, j) => Math.floor(n / classes) + (j < n % classes ? 1 : 0));
}

/** Adds the noise, shuffles the rows and packs the result. */
function finish(
  name: ToyDatasetName,
  pts: [number, number, number][],
  { noise, rng = new Rng(0) }: { noise: number; rng?: Rng },
  classes: number,
): ToyDataset {
  const n = pts.length;
  const x = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  pts.forEach(([a, b, c], i) => {
    x[2 * i] = a + (noise > 0 ? noise * rng.normal() : 0);
    x[2 * i + 1] = b + (noise > 0 ? noise * rng.normal() : 0);
    labels[i] = c;
  });
  const perm = rng.permutation(n);
  const xs = new Float64Array(2 * n);
  const ls = new Int32Array(n);
  perm.forEach((p, i) => {
    xs[2 * i] = x[2 * p];
    xs[2 * i + 1] = x[2 * p + 1];
    ls[i] = labels[p];
  });
  return { name, x: xs, n, d: 2, labels: ls, classes, classNames: Array.from({ length: classes }, (_, j) => String(j)) };
}

/** Evenly spaced values lo … hi (both ends included when `closed`), like numpy.linspace. */
function linspace(lo: number, hi: number, count: number, closed = true): number[] {
  const div = closed ? Math.max(1, count - 1) : count;
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / div);
}

/** Two interleaving half moons (scikit-learn's make_moons): class 0 on top, class 1 below and shifted right. */
export function makeMoons(options: ToyOptions = {}): ToyDataset {
  const o = parseOptions('makeMoons', options, TOY_SCHEMA);
  const [nOut, nIn] = perClass(o.n, 2);
  const pts: [number, number, number][] = [
    ...linspace(0, Math.PI, nOut).map((t): [number, number, number] => [Math.cos(t), Math.sin(t), 0]),
    ...linspace(0, Math.PI, nIn).map((t): [number, number, number] => [1 - Math.cos(t), 0.5 - Math.sin(t), 1]),
  ];
  return finish('moons', pts, o, 2);
}

/** Two concentric circles (scikit-learn's make_circles): class 0 of radius 1, class 1 of radius `factor`. */
export function makeCircles(options: CirclesOptions = {}): ToyDataset {
  const o = parseOptions('makeCircles', options, CIRCLES_SCHEMA);
  const factor = o.factor;
  const [nOut, nIn] = perClass(o.n, 2);
  const pts: [number, number, number][] = [
    ...linspace(0, 2 * Math.PI, nOut, false).map((t): [number, number, number] => [Math.cos(t), Math.sin(t), 0]),
    ...linspace(0, 2 * Math.PI, nIn, false).map((t): [number, number, number] => [factor * Math.cos(t), factor * Math.sin(t), 1]),
  ];
  return finish('circles', pts, o, 2);
}

/** `classes` interleaved spiral arms: arm j's point at radius r ∈ [0, 1] has angle 3πr + 2πj/classes. */
export function makeSpirals(options: SpiralsOptions = {}): ToyDataset {
  const o = parseOptions('makeSpirals', options, SPIRALS_SCHEMA);
  const classes = o.classes;
  if (classes > o.n) {
    throw new XentError(
      'INVALID_OPTION',
      `makeSpirals: option 'classes' is ${classes} but n is ${o.n}; each arm needs a point — pass classes ≤ n.`,
    );
  }
  const pts: [number, number, number][] = [];
  perClass(o.n, classes).forEach((count, j) => {
    for (const r of linspace(0.05, 1, count)) {
      const t = 3 * Math.PI * r + (2 * Math.PI * j) / classes;
      pts.push([r * Math.cos(t), r * Math.sin(t), j]);
    }
  });
  return finish('spirals', pts, o, classes);
}

/** Uniform points in [−1, 1]²; class 1 where x·y < 0 (the signs differ), class 0 otherwise. */
export function makeXor(options: ToyOptions = {}): ToyDataset {
  const o = parseOptions('makeXor', options, TOY_SCHEMA);
  const rng = (o.rng ??= new Rng(0));
  const pts: [number, number, number][] = [];
  for (let i = 0; i < o.n; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    pts.push([a, b, a * b < 0 ? 1 : 0]);
  }
  return finish('xor', pts, o, 2);
}

/** One of the toy data sets by name: toyDataset('moons', { n: 200, noise: 0.1, rng: new Rng(1) }). */
export function toyDataset(name: ToyDatasetName, options: CirclesOptions & SpiralsOptions = {}): ToyDataset {
  switch (name) {
    case 'moons':
      return makeMoons(options);
    case 'circles':
      return makeCircles(options);
    case 'spirals':
      return makeSpirals(options);
    case 'xor':
      return makeXor(options);
    default:
      throw new XentError(
        'INVALID_ARGUMENT',
        `toyDataset: unknown data set ${JSON.stringify(name)}; use one of ${TOY_DATASETS.join(', ')}.`,
      );
  }
}
