// The cross-entropy family against PyTorch's own functionals, live (see python.ts): seeded fast-check
// properties generate random problems for each loss; all cases of a property go to losses.py in ONE
// python process (starting torch takes ~1 s), then fast-check replays the same cases (same global
// seed, same order) and compares xent's value and gradient with PyTorch's, in float64.
//
// Tolerance. Both sides compute the same formulas in another order (fused kernels, other libm).
// Each term (an exp, a log1p, a product) is right to a few ulps (u = 1.1e-16) of its own size,
// and a value sums at most ~60 of them, so |Δvalue| ≲ 60·4u·M ≈ 3e-14·M, where M bounds the
// terms: max(1, |value|, max|logit|) — a sum of terms of size |z| can cancel to a small result
// (max(z,0) − z·y with y near 1). A gradient entry is a difference of terms too (σ(z) − y,
// (ΣP)·softmax − P), right to a few ulps of the larger: G = max(max_k |grad_k|, gradScale), where
// losses.py's gradScale is the size of those terms (they can all cancel: σ(1e4) = 1 against
// y = 1 − 3e-5, or softmax(0) against targets made uniform by labelSmoothing ≈ 1).
// So |Δvalue| ≤ 1e-12·M and |Δgrad_j| ≤ 1e-12·G: ~30× over the bound above, while any formula
// slip (a smoothing ε/(C−1), a divisor) is ≥ 1e-4. Seen over 16 seeds: ≤ 1.3e-15·M and ≤ 6e-16·G.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REDUCTIONS,
  binaryCrossentropy,
  categoricalCrossentropy,
  crossEntropy,
  klDivergence,
  multiLabelCrossEntropy,
  polyCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
  type Reduction,
} from '@xent/losses';
import { tensor, type Tensor } from '@xent/tensor';
import { flat, prod, ravel, real, t64, unravel, vg } from '../utils.js';
import { runTorch } from './python.js';

/** A loss output flattened, and the gradient of its sum with respect to the predictions, flattened. */
interface Answer {
  value: number[];
  grad: number[];
  /** The size of the terms the gradient entries are made of (see the tolerance above); absent for kl and crossEntropy (−P/Q). */
  gradScale?: number;
}

const RTOL = 1e-12;

/** Worst deviation seen per property, as a fraction of its tolerance (printed with XENT_TORCH_WORST=1). */
const worst: Record<string, { value: number; grad: number }> = {};

/** Asserts xent's answer agrees with PyTorch's (see the tolerance above); `magnitude` is M's max|logit| part. */
function expectAgree(name: string, ours: Answer, theirs: Answer, magnitude: number): void {
  expect(ours.value.length, 'value size').toBe(theirs.value.length);
  expect(ours.grad.length, 'gradient size').toBe(theirs.grad.length);
  const w = (worst[name] ??= { value: 0, grad: 0 });
  ours.value.forEach((v, i) => {
    const bound = RTOL * Math.max(1, magnitude, Math.abs(theirs.value[i]));
    const dev = Math.abs(v - theirs.value[i]);
    w.value = Math.max(w.value, dev / bound);
    expect(dev, `value[${i}]: xent ${v}, torch ${theirs.value[i]}`).toBeLessThanOrEqual(bound);
  });
  const bound = RTOL * Math.max(theirs.gradScale ?? 0, ...theirs.grad.map(Math.abs));
  ours.grad.forEach((g, i) => {
    const dev = Math.abs(g - theirs.grad[i]);
    if (bound > 0) w.grad = Math.max(w.grad, dev / bound);
    expect(dev, `grad[${i}]: xent ${g}, torch ${theirs.grad[i]}`).toBeLessThanOrEqual(bound);
  });
}

type Family = 'binary' | 'categorical' | 'sparse' | 'multiLabel' | 'kl' | 'crossEntropy';

/**
 * The property "xent agrees with losses.py's `family`" over `arb`: fast-check's cases are drawn first
 * (fc.sample with the same global seed gives the cases fc.assert will run, in order) and sent in one
 * batch; fc.assert then replays them. A case not in the batch (a shrink after a failure) is
 * sent alone (~1 s each), so shrinking stops after 20 s and reports the smallest failing case found by then.
 */
function agreesWithTorch<C extends { z: number[] }>(
  name: string,
  family: Family,
  arb: fc.Arbitrary<C>,
  xent: (c: C) => Answer,
  magnitude: (c: C) => number = (c) => Math.max(...c.z.map(Math.abs)),
): void {
  const answers = new Map<string, Answer>();
  let sentAlone = 0;
  const torch = (c: C): Answer => {
    const key = JSON.stringify(c);
    const known = answers.get(key);
    if (known) return known;
    sentAlone++;
    const [answer] = runTorch<Answer[]>('losses.py', { family, cases: [c] });
    answers.set(key, answer);
    return answer;
  };
  const property = fc.property(arb, (c) => expectAgree(name, xent(c), torch(c), magnitude(c)));
  const cases = fc.sample(arb); // what fc.assert(property) draws, in order (sampling the property itself would not be)
  const batch = runTorch<Answer[]>('losses.py', { family, cases });
  cases.forEach((c, i) => answers.set(JSON.stringify(c), batch[i]));
  fc.assert(property, { interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true });
  expect(sentAlone, 'cases replayed that were not in the batch').toBe(0);
  if (process.env.XENT_TORCH_WORST) console.log(name, cases.length, worst[name]);
}

/** xent's loss output and its gradient (of the sum) with respect to the predictions z of shape `shape`. */
function xentAnswer(loss: (z: Tensor) => Tensor, z: number[], shape: number[]): Answer {
  const { value, grad } = vg(loss, t64(z, shape));
  return { value: flat(value), grad: flat(grad) };
}

// ---------------------------------------------------------------- arbitraries

const list = <T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: n, maxLength: n });
/** An option absent half of the time: null here (JSON carries it to Python as None), undefined for xent. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 2 });
const opt = <T>(v: T | null): T | undefined => v ?? undefined;

/** Logits: mostly moderate, some up to ±big, and the extremes themselves. */
const logit = (big: number): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: real(-5, 5), weight: 4 }, { arbitrary: real(-big, big), weight: 1 }, fc.constantFrom(big, -big, 0));
/** Probabilities, including exact 0 and 1 and values inside the clip band [0, 1e-7). */
const probability = fc.oneof({ arbitrary: real(0, 1), weight: 4 }, fc.constantFrom(0, 1, 1e-9, 1 - 1e-9));
/** Binary targets: soft values in [0, 1], or hard 0/1. */
const binaryTargets = (n: number): fc.Arbitrary<number[]> => fc.oneof(list(n, real(0, 1)), list(n, fc.constantFrom(0, 1)));
const smoothing = fc.oneof(fc.constant(0), real(0, 1));
const weights = (n: number, lo = 0.1, hi = 3): fc.Arbitrary<number[]> => list(n, real(lo, hi));

/** Values normalised to sum to 1 along `axis` of `shape` (row-major). */
function normalizeAlong(v: readonly number[], shape: readonly number[], axis: number): number[] {
  const sums = new Map<number, number>();
  const rowOf = (i: number): number => {
    const idx = unravel(i, shape);
    idx[axis] = 0;
    return ravel(idx, shape);
  };
  v.forEach((x, i) => sums.set(rowOf(i), (sums.get(rowOf(i)) ?? 0) + x));
  return v.map((x, i) => x / (sums.get(rowOf(i)) as number));
}

/** Distributions along `axis`: soft (some entries exactly 0, one kept per row) or one-hot. */
function distributions(shape: number[], axis: number, zeros = true): fc.Arbitrary<number[]> {
  const n = prod(shape);
  const soft = list(n, zeros ? fc.oneof({ arbitrary: real(0.01, 1), weight: 3 }, fc.constant(0)) : real(0.01, 1)).map((v) =>
    normalizeAlong(
      // index 0 of each row stays positive, so no row is all zeros
      v.map((x, i) => (unravel(i, shape)[axis] === 0 ? x + 0.01 : x)),
      shape,
      axis,
    ),
  );
  const oneHot = list(n / shape[axis], fc.nat(shape[axis] - 1)).map((labels) =>
    Array.from({ length: n }, (_, i) => {
      const idx = unravel(i, shape);
      return labels[rowIndex(idx, shape, axis)] === idx[axis] ? 1 : 0;
    }),
  );
  return zeros ? fc.oneof(soft, oneHot) : soft;
}

/** The position of a row (index with the class axis removed) among the rows, row-major. */
function rowIndex(idx: readonly number[], shape: readonly number[], axis: number): number {
  return ravel(
    idx.filter((_, k) => k !== axis),
    shape.filter((_, k) => k !== axis),
  );
}

/** A shape of rank 1–3 with a class axis of size 2–5 at a random position, given as k or k − rank. */
const classShape = (maxRank = 3): fc.Arbitrary<{ shape: number[]; axis: number }> =>
  fc
    .record({
      dims: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: maxRank }),
      C: fc.integer({ min: 2, max: 5 }),
      at: fc.nat(),
      negative: fc.boolean(),
    })
    .map(({ dims, C, at, negative }) => {
      const a = at % dims.length;
      const shape = dims.map((d, k) => (k === a ? C : d));
      return { shape, axis: negative ? a - dims.length : a };
    });

// ---------------------------------------------------------------- binary family

interface BinaryCase {
  loss: 'binaryCrossentropy' | 'sigmoidCrossEntropyWithLogits';
  fromLogits: boolean;
  shape: number[];
  z: number[];
  y: number[];
  cw: number[] | null;
  pw: number[] | null;
  sw: number[] | null;
  labelSmoothing: number;
  epsilon: number;
  reduction: Reduction;
}

const binaryCase = (loss: BinaryCase['loss'], fromLogits: boolean, big: number): fc.Arbitrary<BinaryCase> =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) => {
    const n = prod(shape);
    const K = shape[shape.length - 1];
    return fc.record({
      loss: fc.constant(loss),
      fromLogits: fc.constant(fromLogits),
      shape: fc.constant(shape),
      z: list(n, fromLogits ? logit(big) : probability),
      y: binaryTargets(n),
      cw: maybe(weights(K)),
      pw: loss === 'sigmoidCrossEntropyWithLogits' ? maybe(weights(K, 0.2, 4)) : fc.constant(null),
      sw: maybe(weights(shape[0])),
      labelSmoothing: smoothing,
      epsilon: fc.constantFrom(1e-7, 1e-4, 0.01),
      reduction: fc.constantFrom(...REDUCTIONS),
    });
  });

/** The options every binary-family loss takes (the distribution-target losses take them too, with axis). */
const binaryOptions = (c: Pick<BinaryCase, 'labelSmoothing' | 'cw' | 'sw' | 'reduction'>) => ({
  labelSmoothing: c.labelSmoothing,
  classWeights: opt(c.cw),
  sampleWeight: opt(c.sw),
  reduction: c.reduction,
});

describe('the binary family against F.binary_cross_entropy(_with_logits)', () => {
  it('binaryCrossentropy on probabilities: Keras ε clipping, per-example mean over the last axis', () => {
    agreesWithTorch(
      'binaryCrossentropy',
      'binary',
      binaryCase('binaryCrossentropy', false, 0),
      (c) =>
        xentAnswer(
          (p) =>
            binaryCrossentropy(t64(c.y, c.shape), p, {
              ...binaryOptions(c),
              epsilon: c.epsilon,
            }),
          c.z,
          c.shape,
        ),
      () => 1,
    );
  });

  it('binaryCrossentropy with fromLogits', () => {
    agreesWithTorch('binaryCrossentropy(fromLogits)', 'binary', binaryCase('binaryCrossentropy', true, 50), (c) =>
      xentAnswer(
        (z) =>
          binaryCrossentropy(t64(c.y, c.shape), z, {
            ...binaryOptions(c),
            fromLogits: true,
          }),
        c.z,
        c.shape,
      ),
    );
  });

  it('sigmoidCrossEntropyWithLogits: posWeight, classWeights, sampleWeight, |logits| up to 1e4', () => {
    agreesWithTorch('sigmoidCrossEntropyWithLogits', 'binary', binaryCase('sigmoidCrossEntropyWithLogits', true, 1e4), (c) =>
      xentAnswer(
        (z) =>
          sigmoidCrossEntropyWithLogits(t64(c.y, c.shape), z, {
            ...binaryOptions(c),
            posWeight: opt(c.pw),
          }),
        c.z,
        c.shape,
      ),
    );
  });

  it('multiLabelCrossEntropy against F.multilabel_soft_margin_loss(weight=)', () => {
    const arb = fc
      .record({ N: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 5 }), rank: fc.constantFrom(1, 2) })
      .chain(({ N, K, rank }) => {
        const shape = rank === 1 ? [K] : [N, K];
        return fc.record({
          shape: fc.constant(shape),
          z: list(prod(shape), logit(1e4)),
          y: binaryTargets(prod(shape)),
          cw: maybe(weights(K)),
          reduction: fc.constantFrom<Reduction>('mean', 'sum', 'none'),
        });
      });
    agreesWithTorch('multiLabelCrossEntropy', 'multiLabel', arb, (c) =>
      xentAnswer((z) => multiLabelCrossEntropy(t64(c.y, c.shape), z, { classWeights: opt(c.cw), reduction: c.reduction }), c.z, c.shape),
    );
  });
});

// ---------------------------------------------------------------- distribution targets

interface CategoricalCase {
  loss: 'softmaxCrossEntropyWithLogits' | 'categoricalCrossentropy' | 'polyCrossEntropyWithLogits';
  fromLogits: boolean;
  shape: number[];
  axis: number;
  z: number[];
  y: number[];
  cw: number[] | null;
  sw: number[] | null;
  labelSmoothing: number;
  epsilon: number;
  polyEpsilon: number;
  reduction: Reduction;
}

const categoricalCase = (loss: CategoricalCase['loss'], fromLogits: boolean): fc.Arbitrary<CategoricalCase> =>
  classShape().chain(({ shape, axis }) => {
    const n = prod(shape);
    const a = axis < 0 ? axis + shape.length : axis;
    const lossShape = shape.filter((_, k) => k !== a);
    return fc.record({
      loss: fc.constant(loss),
      fromLogits: fc.constant(fromLogits),
      shape: fc.constant(shape),
      axis: fc.constant(axis),
      // probabilities: distributions along the class axis, some entries down in the clip band
      z: fromLogits
        ? list(n, logit(1e3))
        : list(n, fc.oneof({ arbitrary: real(1e-3, 1), weight: 4 }, fc.constant(1e-10))).map((v) => normalizeAlong(v, shape, a)),
      y: distributions(shape, a),
      cw: maybe(weights(shape[a])),
      sw: lossShape.length > 0 ? maybe(weights(lossShape[0])) : fc.constant(null),
      labelSmoothing: smoothing,
      epsilon: fc.constantFrom(1e-7, 1e-3),
      polyEpsilon: real(-3, 3),
      reduction: fc.constantFrom(...REDUCTIONS),
    });
  });

/** The options every distribution-target loss takes. */
const distributionOptions = (c: CategoricalCase) => ({ axis: c.axis, ...binaryOptions(c) });

describe('distribution targets against F.cross_entropy with probability targets', () => {
  it('softmaxCrossEntropyWithLogits: soft targets, labelSmoothing, classWeights, any class axis', () => {
    agreesWithTorch('softmaxCrossEntropyWithLogits', 'categorical', categoricalCase('softmaxCrossEntropyWithLogits', true), (c) =>
      xentAnswer((z) => softmaxCrossEntropyWithLogits(t64(c.y, c.shape), z, distributionOptions(c)), c.z, c.shape),
    );
  });

  it('categoricalCrossentropy with fromLogits', () => {
    agreesWithTorch('categoricalCrossentropy(fromLogits)', 'categorical', categoricalCase('categoricalCrossentropy', true), (c) =>
      xentAnswer((z) => categoricalCrossentropy(t64(c.y, c.shape), z, { ...distributionOptions(c), fromLogits: true }), c.z, c.shape),
    );
  });

  it('categoricalCrossentropy on probabilities: Keras renormalisation and ε clipping, by torch ops', () => {
    agreesWithTorch(
      'categoricalCrossentropy',
      'categorical',
      categoricalCase('categoricalCrossentropy', false),
      (c) =>
        xentAnswer((p) => categoricalCrossentropy(t64(c.y, c.shape), p, { ...distributionOptions(c), epsilon: c.epsilon }), c.z, c.shape),
      () => 1,
    );
  });

  it('polyCrossEntropyWithLogits: F.cross_entropy + ε·Σ y(1 − softmax), by torch ops', () => {
    agreesWithTorch('polyCrossEntropyWithLogits', 'categorical', categoricalCase('polyCrossEntropyWithLogits', true), (c) =>
      xentAnswer(
        (z) => polyCrossEntropyWithLogits(t64(c.y, c.shape), z, { ...distributionOptions(c), polyEpsilon: c.polyEpsilon }),
        c.z,
        c.shape,
      ),
    );
  });

  it('crossEntropy(P, Q) = −Σ P log Q with 0·log 0 = 0: torch.xlogy', () => {
    const arb = classShape().chain(({ shape, axis }) => {
      const a = axis < 0 ? axis + shape.length : axis;
      const lossShape = shape.filter((_, k) => k !== a);
      return fc.record({
        shape: fc.constant(shape),
        axis: fc.constant(axis),
        z: distributions(shape, a, false),
        y: distributions(shape, a),
        sw: lossShape.length > 0 ? maybe(weights(lossShape[0])) : fc.constant(null),
        reduction: fc.constantFrom(...REDUCTIONS),
      });
    });
    agreesWithTorch(
      'crossEntropy',
      'crossEntropy',
      arb,
      (c) =>
        xentAnswer(
          (q) => crossEntropy(t64(c.y, c.shape), q, { axis: c.axis, sampleWeight: opt(c.sw), reduction: c.reduction }),
          c.z,
          c.shape,
        ),
      () => 1,
    );
  });

  it('klDivergence(P, Q) = Σ P log(P/Q), both clipped to [ε, 1] (Keras): F.kl_div(log Q, P)', () => {
    const arb = fc.record({ N: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 1, max: 5 }) }).chain(({ N, C }) =>
      fc.record({
        shape: fc.constant<number[]>([N, C]),
        z: list(N * C, probability),
        y: list(N * C, probability),
        epsilon: fc.constantFrom(1e-7, 1e-3),
        reduction: fc.constantFrom<Reduction>('mean', 'sum', 'none'),
      }),
    );
    agreesWithTorch(
      'klDivergence',
      'kl',
      arb,
      (c) => xentAnswer((q) => klDivergence(t64(c.y, c.shape), q, { epsilon: c.epsilon, reduction: c.reduction }), c.z, c.shape),
      () => 1,
    );
  });
});

// ---------------------------------------------------------------- integer labels

interface SparseCase {
  loss: 'sparseSoftmaxCrossEntropyWithLogits' | 'sparseCategoricalCrossentropy';
  shape: number[];
  axis: number;
  labelShape: number[];
  z: number[];
  labels: number[];
  cw: number[] | null;
  sw: number[] | null;
  ignoreIndex: number | null;
  labelSmoothing: number;
  reduction: Reduction;
}

const sparseCase = (loss: SparseCase['loss']): fc.Arbitrary<SparseCase> =>
  fc
    .record({
      N: fc.integer({ min: 1, max: 4 }),
      C: fc.integer({ min: 2, max: 5 }),
      d: fc.integer({ min: 1, max: 3 }),
      layout: fc.constantFrom('[N, C]', '[N, C, d], axis 1', '[N, d, C]', '[N, C], labels [N, 1]'),
      ignore: fc.constantFrom('none', '-100', 'a class'),
      allIgnored: fc.nat(4).map((k) => k === 0), // one case in five, when an ignoreIndex is given
    })
    .chain(({ N, C, d, layout, ignore, allIgnored }) => {
      const [shape, axis, labelShape] =
        layout === '[N, C]'
          ? [[N, C], -1, [N]]
          : layout === '[N, C, d], axis 1'
            ? [[N, C, d], 1, [N, d]]
            : layout === '[N, d, C]'
              ? [[N, d, C], -1, [N, d]]
              : [[N, C], -1, [N, 1]];
      const n = prod(labelShape);
      const ignoreIndex = ignore === 'none' ? fc.constant(null) : ignore === '-100' ? fc.constant(-100) : fc.nat(C - 1);
      return ignoreIndex.chain((ii) =>
        fc.record({
          loss: fc.constant(loss),
          shape: fc.constant(shape),
          axis: fc.constant(axis),
          labelShape: fc.constant(labelShape),
          z: list(prod(shape), logit(1e3)),
          // −1 stands for the ignored value; every label is ignored in some cases ('mean' of nothing)
          labels: list(n, fc.integer({ min: ii === null ? 0 : -1, max: C - 1 })).map((ls) =>
            ls.map((l) => (ii !== null && (l < 0 || allIgnored) ? ii : l)),
          ),
          cw: maybe(weights(C)),
          sw: maybe(weights(N)),
          ignoreIndex: fc.constant(ii),
          labelSmoothing: smoothing,
          reduction: fc.constantFrom<Reduction>('mean', 'sum', 'none'),
        }),
      );
    });

/** The options both integer-label losses take. */
const sparseOptions = (c: SparseCase) => ({
  axis: c.axis,
  labelSmoothing: c.labelSmoothing,
  classWeights: opt(c.cw),
  sampleWeight: opt(c.sw),
  ignoreIndex: opt(c.ignoreIndex),
  reduction: c.reduction,
});

describe('integer labels against F.cross_entropy(weight=, ignore_index=, label_smoothing=, reduction=)', () => {
  it('sparseSoftmaxCrossEntropyWithLogits', () => {
    agreesWithTorch('sparseSoftmaxCrossEntropyWithLogits', 'sparse', sparseCase('sparseSoftmaxCrossEntropyWithLogits'), (c) =>
      xentAnswer(
        (z) => sparseSoftmaxCrossEntropyWithLogits(tensor(c.labels, { shape: c.labelShape, dtype: 'int32' }), z, sparseOptions(c)),
        c.z,
        c.shape,
      ),
    );
  });

  it('sparseCategoricalCrossentropy with fromLogits', () => {
    agreesWithTorch('sparseCategoricalCrossentropy(fromLogits)', 'sparse', sparseCase('sparseCategoricalCrossentropy'), (c) =>
      xentAnswer(
        (z) =>
          sparseCategoricalCrossentropy(tensor(c.labels, { shape: c.labelShape, dtype: 'int32' }), z, {
            ...sparseOptions(c),
            fromLogits: true,
          }),
        c.z,
        c.shape,
      ),
    );
  });
});
