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
// shuffled. The same Rng seed gives the same data, everywhere. Points are
// written straight into typed arrays (16 bytes and a label each), and n is at
// most 2^24, so a huge n is refused instead of exhausting the heap.
import { Rng, XentError } from '@xent/tensor';
import { checkArgCount, customOption, numberOption, parseOptions, type OptionsOf } from '@xent/tensor/internal';

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

/** The most points a toy data set holds: 2^24 (a larger n used to run the process out of memory). */
const MAX_POINTS = 2 ** 24;

const TOY_SCHEMA = {
  /** Number of points, a whole number in [2, 2^24] (default 200); split as evenly as possible between the classes. */
  n: numberOption(200, `[2, ${MAX_POINTS}] whole`, 'the number of points, e.g. n: 200'),
  /**
   * Standard deviation of the Gaussian noise on each coordinate, in [0, 1e300] (default 0.1):
   * |rng.normal()| < 6.7, so the noisy coordinates stay finite (noise 1e308 gave Infinity).
   */
  noise: numberOption(0.1, '[0, 1e300]', 'a standard deviation, e.g. noise: 0.1'),
  /** The generator the points are drawn from, an Rng (default new Rng(0)). */
  rng: customOption<Rng, Rng | undefined>(undefined, (v, fail) =>
    v instanceof Rng ? v : fail('an Rng from @xent/tensor, e.g. new Rng(42)'),
  ),
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

/** Writes point i: its coordinates and its class. */
type Put = (a: number, b: number, label: number) => void;

/** Draws n points with `draw` (in order, through `put`), adds the noise, shuffles the rows and packs the result. */
function build(
  name: ToyDatasetName,
  n: number,
  classes: number,
  { noise, rng = new Rng(0) }: { noise: number; rng?: Rng },
  draw: (put: Put) => void,
): ToyDataset {
  const x = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  let i = 0;
  draw((a, b, label) => {
    x[2 * i] = a;
    x[2 * i + 1] = b;
    labels[i++] = label;
  });
  if (noise > 0) for (let k = 0; k < 2 * n; k++) x[k] += noise * rng.normal();
  const perm = rng.permutation(n);
  const xs = new Float64Array(2 * n);
  const ls = new Int32Array(n);
  perm.forEach((p, j) => {
    xs[2 * j] = x[2 * p];
    xs[2 * j + 1] = x[2 * p + 1];
    ls[j] = labels[p];
  });
  return { name, x: xs, n, d: 2, labels: ls, classes, classNames: Array.from({ length: classes }, (_, j) => String(j)) };
}

/** How to call a toy data set given an argument past its options (makeMoons({ n }, rng) drew from the default Rng). */
const ONE_OBJECT = 'pass every option in one object, e.g. { n: 200, noise: 0.1 }';

/** Calls f(t) for `count` evenly spaced t from lo to hi (hi included when `closed`), like numpy.linspace. */
function linspace(lo: number, hi: number, count: number, f: (t: number) => void, closed = true): void {
  const div = closed ? Math.max(1, count - 1) : count;
  for (let i = 0; i < count; i++) f(lo + ((hi - lo) * i) / div);
}

/** Two interleaving half moons (scikit-learn's make_moons): class 0 on top, class 1 below and shifted right. */
export function makeMoons(options: ToyOptions = {}): ToyDataset {
  checkArgCount('makeMoons', arguments.length, 1, ONE_OBJECT);
  const o = parseOptions('makeMoons', options, TOY_SCHEMA);
  const [nOut, nIn] = perClass(o.n, 2);
  return build('moons', o.n, 2, o, (put) => {
    linspace(0, Math.PI, nOut, (t) => put(Math.cos(t), Math.sin(t), 0));
    linspace(0, Math.PI, nIn, (t) => put(1 - Math.cos(t), 0.5 - Math.sin(t), 1));
  });
}

/** Two concentric circles (scikit-learn's make_circles): class 0 of radius 1, class 1 of radius `factor`. */
export function makeCircles(options: CirclesOptions = {}): ToyDataset {
  checkArgCount('makeCircles', arguments.length, 1, ONE_OBJECT);
  const o = parseOptions('makeCircles', options, CIRCLES_SCHEMA);
  const factor = o.factor;
  const [nOut, nIn] = perClass(o.n, 2);
  return build('circles', o.n, 2, o, (put) => {
    linspace(0, 2 * Math.PI, nOut, (t) => put(Math.cos(t), Math.sin(t), 0), false);
    linspace(0, 2 * Math.PI, nIn, (t) => put(factor * Math.cos(t), factor * Math.sin(t), 1), false);
  });
}

/** `classes` interleaved spiral arms: arm j's point at radius r ∈ [0, 1] has angle 3πr + 2πj/classes. */
export function makeSpirals(options: SpiralsOptions = {}): ToyDataset {
  checkArgCount('makeSpirals', arguments.length, 1, ONE_OBJECT);
  const o = parseOptions('makeSpirals', options, SPIRALS_SCHEMA);
  const classes = o.classes;
  if (classes > o.n) {
    throw new XentError(
      'INVALID_OPTION',
      `makeSpirals: option 'classes' is ${classes} but n is ${o.n}; each arm needs a point — pass classes ≤ n.`,
    );
  }
  return build('spirals', o.n, classes, o, (put) =>
    perClass(o.n, classes).forEach((count, j) =>
      linspace(0.05, 1, count, (r) => {
        const t = 3 * Math.PI * r + (2 * Math.PI * j) / classes;
        put(r * Math.cos(t), r * Math.sin(t), j);
      }),
    ),
  );
}

/** Uniform points in [−1, 1]²; class 1 where x·y < 0 (the signs differ), class 0 otherwise. */
export function makeXor(options: ToyOptions = {}): ToyDataset {
  checkArgCount('makeXor', arguments.length, 1, ONE_OBJECT);
  const o = parseOptions('makeXor', options, TOY_SCHEMA);
  const rng = (o.rng ??= new Rng(0));
  return build('xor', o.n, 2, o, (put) => {
    for (let i = 0; i < o.n; i++) {
      const a = rng.uniform(-1, 1);
      const b = rng.uniform(-1, 1);
      put(a, b, a * b < 0 ? 1 : 0);
    }
  });
}

/** One of the toy data sets by name: toyDataset('moons', { n: 200, noise: 0.1, rng: new Rng(1) }). */
export function toyDataset(name: ToyDatasetName, options: CirclesOptions & SpiralsOptions = {}): ToyDataset {
  checkArgCount('toyDataset', arguments.length, 2, ONE_OBJECT);
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
