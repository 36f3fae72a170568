// Differential test of xent's Keras-family losses against TensorFlow.js 4.22 (an independent
// implementation of Keras's losses, CPU backend, float32): seeded fast-check properties over random
// shapes, values (logits up to ±100, probabilities 0, 1 and below ε) and options, comparing the value
// AND the gradient with respect to the predictions (of the sum of the output) on both sides.
//
// What each tfjs function computes (read in node_modules, tfjs-layers dist/losses.js and tfjs-core
// dist/ops/losses/*.js), and so what is compared:
//   tf.metrics.binaryCrossentropy       mean_k of the sigmoid CE of log(q/(1−q)), q = clip(p, ε, 1−ε)
//   tf.metrics.categoricalCrossentropy  −Σ y log clip(p/Σp, ε, 1−ε)                   (no fromLogits argument)
//   layers sparseCategoricalCrossentropy clip(p) first, then one-hot and the categorical one (above)
//   layers kullbackLeiblerDivergence    Σ y log(clip(y, ε, 1)/clip(p, ε, 1))
//   tf.losses.sigmoidCrossEntropy       relu(z) − z·y + log1p(e^−|z|), y ← y(1−ε)+ε/2, then computeWeightedLoss
//   tf.losses.softmaxCrossEntropy       −Σ y log softmax(z), y ← y(1−ε)+ε/shape[1], custom gradient softmax − y
//   computeWeightedLoss(ℓ, w, r)        NONE wℓ; SUM Σwℓ; MEAN Σwℓ/Σw/(size(ℓ)/size(w)); SUM_BY_NONZERO_WEIGHTS Σwℓ/#(w ≠ 0)
// ε is the CPU backend's 1e-7, applied to float32 tensors, so tfjs's upper bound is fround(1 − 1e-7) = 1 − 2⁻²³.
//
// Reductions: xent 'none', 'sum' and 'mean' (Σsℓ/Σs over the loss values) are tfjs NONE, SUM and MEAN
// (whose divisor Σw·size(ℓ)/size(w) is the same sum of the broadcast weights); 'sum_over_batch_size' is
// SUM_BY_NONZERO_WEIGHTS when no weight is 0, and otherwise xent's value times #values/#(nonzero) is.
//
// Inputs are float32 numbers (Math.fround), so both sides see the same data and every difference is
// tfjs's float32 arithmetic (u = 2⁻²⁴ ≈ 6e-8). Tolerance, elementwise, is compareValues's rule
// (bench/src/runner.ts) with a floor: |got − ref| ≤ rtol·|ref| + atol·max(1, max|ref|, M), rtol 2e-5, atol 2e-6.
// Relative part: a value is a sum of a few dozen logs and exps of rounded numbers, each off by a few u
// (rtol ≈ 300u). Absolute part: float32 errs by u of the terms it combines, not of their result: relu(z) − z·y
// cancels when y ≈ 1, log-sum-exp shifts by max z, σ(z) − y and softmax − y are differences of O(1) numbers.
// M = max|z| times the largest weight (1 on probabilities) is the size of those terms; atol ≈ 30u of it.
// Interior probabilities stay above 1e-4, so the gradients (−y/q, up to 1e4) stay near the terms compared.
// Observed: at most 0.03 of the tolerance with the seed of vitest.setup.ts, 0.15 over 3 × 1500 runs of other seeds.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { grad, mul, sum } from '@xent/autograd';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  klDivergence,
  multiLabelCrossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
} from '@xent/losses';
import { fromFlat, readFlat, tensor, type Tensor } from '@xent/tensor';
import type { Tolerance } from '../src/runner.js';
import { tf, tfCpu } from '../src/tfjs.js';

const TOLERANCE: Tolerance = { rtol: 2e-5, atol: 2e-6 };
const f32 = Math.fround;
/** tfjs's upper clip bound, 1 − 2⁻²³, as ε: with it xent's upper bound is tfjs's exactly. */
const TFJS_TOP_EPSILON = 1 - f32(1 - 1e-7);

type XReduction = 'none' | 'sum' | 'mean' | 'sum_over_batch_size';
const REDUCTIONS: readonly XReduction[] = ['none', 'sum', 'mean', 'sum_over_batch_size'];

/** A loss value and the gradient of the sum of the output with respect to the predictions. */
interface Side {
  value: Float64Array;
  grad: Float64Array;
}

/** xent in float64: the loss at p, and grad of its sum. */
function xentSide(loss: (p: Tensor) => Tensor, p: readonly number[], shape: number[]): Side {
  const x = fromFlat(Float64Array.from(p), shape);
  const [g] = grad((q: Tensor) => sum(loss(q)))(x);
  return { value: Float64Array.from(readFlat(loss(x))), grad: Float64Array.from(readFlat(g)) };
}

/** tfjs in float32: the loss at p, and tf.grad of its sum; every tensor made on the way is disposed. */
function tfSide(loss: (p: tf.Tensor) => tf.Tensor, p: readonly number[], shape: number[]): Side {
  const [value, g] = tf.tidy(() => {
    const x = tf.tensor(Float32Array.from(p), shape);
    return [loss(x), tf.grad((q: tf.Tensor) => tf.sum(loss(q)))(x)];
  });
  const side = { value: Float64Array.from(value.dataSync()), grad: Float64Array.from(g.dataSync()) };
  tf.dispose([value, g]);
  return side;
}

/**
 * The largest |got − ref| / (rtol·|ref| + atol·max(1, magnitude, max|ref|)) and where (≤ 1 agrees): compareValues's
 * rule (bench/src/runner.ts) with the absolute part at least atol·magnitude, since float32 errs by u of the terms it
 * combines, however small the output (a saturated loss of 1e-7, or relu(z) − z·y with y ≈ 1). NaN never agrees.
 */
function worst(ref: Float64Array, got: Float64Array, magnitude: number): { used: number; at: number } {
  if (ref.length !== got.length) return { used: Infinity, at: -1 };
  let scale = Math.max(1, magnitude);
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  let used = 0;
  let at = -1;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    const u = Number.isNaN(d) ? Infinity : d / (TOLERANCE.rtol * Math.abs(ref[i]) + TOLERANCE.atol * scale);
    if (u > used) [used, at] = [u, i];
  }
  return { used, at };
}

/**
 * Throws (so fast-check shrinks and reports) unless value and gradient agree within TOLERANCE; `magnitude` (default 1)
 * is the size of the inputs' terms, max|z| times the largest weight, which the absolute part scales with.
 */
function agree(what: string, ref: Side, got: Side, magnitude = 1): void {
  for (const k of ['value', 'grad'] as const) {
    const { used, at } = worst(ref[k], got[k], magnitude);
    if (used > 1) {
      throw new Error(
        `${what}: the ${k}s differ at index ${at} (xent ${ref[k][at]}, tfjs ${got[k][at]}; ${used.toPrecision(3)}× the tolerance)\n` +
          `  xent ${Array.from(ref[k]).join(', ')}\n  tfjs ${Array.from(got[k]).join(', ')}`,
      );
    }
  }
}

// ------------------------------------------------------------------ reductions and weights

/**
 * tfjs's reduction for xent's, and the factor xent's value needs: 'sum_over_batch_size' divides by every
 * loss value, SUM_BY_NONZERO_WEIGHTS by those of nonzero weight (`nonzero` of `count`).
 */
function tfReduction(r: XReduction, count: number, nonzero: number): { reduction: tf.Reduction; factor: number } {
  const reduction = {
    none: tf.Reduction.NONE,
    sum: tf.Reduction.SUM,
    mean: tf.Reduction.MEAN,
    sum_over_batch_size: tf.Reduction.SUM_BY_NONZERO_WEIGHTS,
  }[r];
  return { reduction, factor: r === 'sum_over_batch_size' ? count / nonzero : 1 };
}

/** Scales xent's loss function by `factor` (1: itself). */
function scaled(loss: (p: Tensor) => Tensor, factor: number): (p: Tensor) => Tensor {
  return factor === 1 ? loss : (p) => mul(loss(p), factor);
}

/** Sample weights: none, or n of them (one per example, or per value), 0 now and then (never all 0: xent's 'mean' gives 0 there, tfjs NaN). */
const weightsArb = (n: number): fc.Arbitrary<number[] | null> =>
  fc.option(
    fc
      .array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.double({ min: 0.1, max: 3, noNaN: true }) }), {
        minLength: n,
        maxLength: n,
      })
      .map((w) => (w.every((v) => v === 0) ? [1, ...w.slice(1)] : w).map(f32)),
    { freq: 3 },
  );

/** max|z| times the largest weight of each kind given (sample, class): the size of a loss's terms w·z. */
function magnitudeOf(z: readonly number[], ...weights: (readonly number[] | null)[]): number {
  return weights.reduce((m, w) => m * Math.max(1, ...(w ?? [])), Math.max(1, ...z.map(Math.abs)));
}

/** How many of `count` loss values carry a nonzero weight, `w` giving one weight to each equal block of them (null: all). */
function nonzeroValues(w: readonly number[] | null, count: number): number {
  if (!w) return count;
  return (w.filter((v) => v !== 0).length * count) / w.length;
}

// ------------------------------------------------------------------ values

const logitArb = fc
  .oneof(
    { weight: 6, arbitrary: fc.double({ min: -8, max: 8, noNaN: true }) },
    { weight: 2, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(-100, -30, 0, 30, 100) },
  )
  .map(f32);
/** Binary targets: hard and soft. */
const unitArb = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })).map(f32);
/** Probabilities well inside the clip range. */
const interiorArb = fc.double({ min: 1e-4, max: 1 - 1e-4, noNaN: true }).map(f32);
/** Probabilities below ε (clipped up to ε): 0 and 1e-15 … 1e-9, far from ε = 1e-7. */
const belowArb = fc.oneof(fc.constant(0), fc.double({ min: 1e-15, max: 1e-9, noNaN: true })).map(f32);
/** Probabilities above 1 − ε in float32: 1 − 2⁻²⁴ and 1. */
const aboveArb = fc.constantFrom(f32(1 - 2 ** -24), 1);
const labelSmoothingArb = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })).map(f32);

/** A shape [dims…, last]: `lead` leading axes of 1–4, then the class/unit axis of size lastMin–6. */
const shapeArb = (leadMin: number, leadMax: number, lastMin: number): fc.Arbitrary<number[]> =>
  fc
    .integer({ min: leadMin, max: leadMax })
    .chain((lead) =>
      fc.tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: lead, maxLength: lead }), fc.integer({ min: lastMin, max: 6 })),
    )
    .map(([dims, last]) => [...dims, last]);

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** One distribution of length C (float32 entries, summing to 1 within C·2⁻²⁴): soft, one-hot or with zeros. */
const distributionArb = (C: number): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: C, maxLength: C }),
      fc.integer({ min: 0, max: C - 1 }),
    )
    .map(([w, hot]) => {
      const s = w.reduce((a, b) => a + b, 0);
      return s > 1e-3 ? w.map((v) => f32(v / s)) : w.map((_, c) => (c === hot ? 1 : 0));
    });

/**
 * One row of probabilities of length C that sums to 1: entries below ε (0 or 1e-15 … 1e-9) where `low`
 * allows, the rest interior probabilities renormalised over what is left. A row whose other entries are
 * all below ε has one entry within 6e-9 of 1, above 1 − ε on both sides.
 */
const probabilityRowArb = (C: number, low: boolean): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.array(low ? fc.oneof(interiorArb, belowArb) : interiorArb, { minLength: C, maxLength: C }),
      fc.integer({ min: 0, max: C - 1 }),
    )
    .map(([v, keep]) => {
      const row = v.map((x, c) => (c === keep && x < 1e-4 ? 0.5 : x)); // at least one interior entry
      const tiny = row.filter((x) => x < 1e-4).reduce((a, b) => a + b, 0);
      const rest = row.filter((x) => x >= 1e-4).reduce((a, b) => a + b, 0);
      return row.map((x) => (x < 1e-4 ? x : f32((x / rest) * (1 - tiny))));
    });

/** n rows of a row arbitrary, flattened. */
const rowsArb = (n: number, row: fc.Arbitrary<number[]>): fc.Arbitrary<number[]> =>
  fc.array(row, { minLength: n, maxLength: n }).map((rows) => rows.flat());

// ------------------------------------------------------------------ set-up

let sparseLayers: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor;
let klLayers: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor;
let tensorsBefore = 0;

/** tfjs-layers' own loss function registered under `name` (the public API exports no sparse or KL metric). */
function layersLoss(name: string): (y: tf.Tensor, p: tf.Tensor) => tf.Tensor {
  const input = tf.input({ shape: [3] });
  const model = tf.model({ inputs: input, outputs: tf.layers.activation({ activation: 'linear' }).apply(input) as tf.SymbolicTensor });
  model.compile({ optimizer: 'sgd', loss: name });
  return model.lossFunctions[0];
}

beforeAll(async () => {
  await tfCpu();
  sparseLayers = layersLoss('sparseCategoricalCrossentropy');
  klLayers = layersLoss('kullbackLeiblerDivergence');
  tensorsBefore = tf.memory().numTensors;
});

afterAll(() => {
  if (tf.memory().numTensors !== tensorsBefore)
    throw new Error(`keras-parity: tfjs leaked ${tf.memory().numTensors - tensorsBefore} tensor(s)`);
});

// ------------------------------------------------------------------ helpers for both sides

/** Per-example weights for a tfjs loss tensor of rank `rank`: shape [N, 1, …] (tfjs broadcasts from the right). */
function tfWeights(w: readonly number[] | null, rank: number): tf.Tensor | undefined {
  return w ? tf.tensor(Float32Array.from(w), [w.length, ...Array<number>(Math.max(0, rank - 1)).fill(1)]) : undefined;
}

/** A float64 xent tensor of the given shape. */
const x64 = (v: readonly number[], shape: number[]): Tensor => fromFlat(Float64Array.from(v), shape);

/** [N, T, C] row-major data (class axis last) moved to [N, C, T]. */
function classesToAxis1(v: readonly number[], [N, T, C]: number[]): number[] {
  const out = new Array<number>(v.length);
  for (let n = 0; n < N; n++) for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) out[(n * C + c) * T + t] = v[(n * T + t) * C + c];
  return out;
}

/**
 * What a loss with one value per example (the last axis of `shape` reduced) needs on both sides: xent's sample
 * weights ([N]), tfjs's reduction and weights ([N, 1, …], made when called, inside tfSide's tidy), and the factor
 * from xent's value to tfjs's.
 */
function perExample(shape: number[], weights: number[] | null, reduction: XReduction) {
  const lossShape = shape.slice(0, -1);
  const count = size(lossShape);
  const { reduction: r, factor } = tfReduction(reduction, count, nonzeroValues(weights, count));
  const sampleWeight = weights ? x64(weights, [shape[0]]) : undefined;
  return { lossShape, r, factor, sampleWeight, tfw: () => tfWeights(weights, lossShape.length) };
}

/** Rows of length C, each multiplied by 2^k (exact in float32 and float64): rows that do not sum to 1. */
const scaleRows = (p: readonly number[], scales: readonly number[] | null, C: number): number[] =>
  scales ? p.map((v, i) => v * 2 ** scales[Math.floor(i / C)]) : [...p];

const reductionArb = fc.constantFrom(...REDUCTIONS);

// ------------------------------------------------------------------ the binary family

describe('binaryCrossentropy on probabilities ↔ tf.metrics.binaryCrossentropy', () => {
  // Rank 1 is left out: xent takes a 1-D input as one example per element (DESIGN §4), tfjs as one example.
  // Label smoothing is left out: tfjs-layers' binaryCrossentropy has none.
  it('q = clip(p, ε, 1 − ε), the mean over the last axis, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 1).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        topEpsilon: fc.boolean(),
        pairs: fc.array(fc.tuple(unitArb, fc.oneof(interiorArb, belowArb, aboveArb)), { minLength: size(shape), maxLength: size(shape) }),
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, topEpsilon, pairs, weights, reduction }) => {
        // tfjs clips to [fround(1e-7), 1 − 2⁻²³]; xent's ε (1e-7, or 2⁻²³) gives one of the bounds exactly. Beyond the
        // other bound only the term whose log agrees to 2e-8 is kept: y = 1 above 1 − ε, y = 0 below ε.
        const y = pairs.map(([t, p]) => (!topEpsilon && p > 1 - 1e-7 ? 1 : topEpsilon && p < 1e-7 ? 0 : t));
        const p = pairs.map(([, q]) => q);
        const { r, factor, sampleWeight, tfw } = perExample(shape, weights, reduction);
        const epsilon = topEpsilon ? TFJS_TOP_EPSILON : undefined;
        const ref = xentSide(
          scaled((q) => binaryCrossentropy(x64(y, shape), q, { reduction, sampleWeight, epsilon }), factor),
          p,
          shape,
        );
        const got = tfSide((q) => tf.losses.computeWeightedLoss(tf.metrics.binaryCrossentropy(tf.tensor(y, shape), q), tfw(), r), p, shape);
        // tfjs differentiates σ(log(q/(1−q))) − y over q(1−q): its float32 gradient errs by u/(q(1−q)), not u·|∂/∂q|
        // (1e-4 relative at q = 1 − 1e-3). Both gradients are compared times q(1−q) inside the clip range, where
        // that error is u; where p is clipped both must be 0, compared as they are.
        const inside = (g: Float64Array): Float64Array => g.map((v, i) => v * (p[i] > 1e-7 && p[i] < 1 - 1e-7 ? p[i] * (1 - p[i]) : 1));
        agree('binaryCrossentropy', { ...ref, grad: inside(ref.grad) }, { ...got, grad: inside(got.grad) });
      }),
    );
  });
});

describe('binaryCrossentropy (fromLogits) and multiLabelCrossEntropy ↔ tf.losses.sigmoidCrossEntropy', () => {
  // Both are the mean over the last axis of the elementwise loss: tfjs's NONE is averaged over it, its SUM divided by K
  // (MEAN and SUM_BY_NONZERO_WEIGHTS already divide by the K copies of each example's weight).
  it('label smoothing y(1 − ε) + ε/2, logits to ±100, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 1).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        y: fc.array(unitArb, { minLength: size(shape), maxLength: size(shape) }),
        z: fc.array(logitArb, { minLength: size(shape), maxLength: size(shape) }),
        labelSmoothing: labelSmoothingArb,
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
        multiLabel: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, y, z, labelSmoothing, weights, reduction, multiLabel }) => {
        const K = shape[shape.length - 1];
        const { r, factor, sampleWeight } = perExample(shape, weights, reduction);
        const o = { reduction, labelSmoothing, sampleWeight };
        const Y = x64(y, shape);
        const xent = multiLabel
          ? (q: Tensor) => multiLabelCrossEntropy(Y, q, o)
          : (q: Tensor) => binaryCrossentropy(Y, q, { ...o, fromLogits: true });
        const ref = xentSide(scaled(xent, factor), z, shape);
        const got = tfSide(
          (q) => {
            const l = tf.losses.sigmoidCrossEntropy(tf.tensor(y, shape), q, tfWeights(weights, shape.length), labelSmoothing, r);
            return r === tf.Reduction.NONE ? tf.mean(l, -1) : r === tf.Reduction.SUM ? tf.div(l, K) : l;
          },
          z,
          shape,
        );
        agree(multiLabel ? 'multiLabelCrossEntropy' : 'binaryCrossentropy (fromLogits)', ref, got, magnitudeOf(z, weights));
      }),
    );
  });
});

describe('sigmoidCrossEntropyWithLogits ↔ tf.losses.sigmoidCrossEntropy', () => {
  // Class weights (one per output unit) are tfjs weights along the last axis for 'none' and 'sum' only: xent's 'mean'
  // leaves them out of the divisor (PyTorch), tfjs's MEAN divides by them.
  it('elementwise, label smoothing, sample weights per example or per value, class weights, every reduction', () => {
    const arb = shapeArb(0, 2, 1).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        y: fc.array(unitArb, { minLength: size(shape), maxLength: size(shape) }),
        z: fc.array(logitArb, { minLength: size(shape), maxLength: size(shape) }),
        labelSmoothing: labelSmoothingArb,
        weights: fc.oneof(weightsArb(shape[0]), weightsArb(size(shape))),
        classWeights: fc.option(
          fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }).map(f32), { minLength: shape.at(-1)!, maxLength: shape.at(-1)! }),
        ),
        reduction: reductionArb,
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, y, z, labelSmoothing, weights, classWeights: cw, reduction }) => {
        const classWeights = reduction === 'none' || reduction === 'sum' ? cw : null;
        const count = size(shape);
        const full = weights !== null && weights.length === count;
        const { reduction: r, factor } = tfReduction(reduction, count, nonzeroValues(weights, count));
        const sampleWeight = weights ? x64(weights, full ? shape : [shape[0]]) : undefined;
        const o = { reduction, labelSmoothing, sampleWeight, classWeights: classWeights ?? undefined };
        const ref = xentSide(
          scaled((q) => sigmoidCrossEntropyWithLogits(x64(y, shape), q, o), factor),
          z,
          shape,
        );
        const got = tfSide(
          (q) => {
            let w = full ? tf.tensor(weights, shape) : tfWeights(weights, shape.length);
            if (classWeights) w = tf.mul(w ?? 1, tf.tensor(classWeights));
            return tf.losses.sigmoidCrossEntropy(tf.tensor(y, shape), q, w, labelSmoothing, r);
          },
          z,
          shape,
        );
        agree('sigmoidCrossEntropyWithLogits', ref, got, magnitudeOf(z, weights, classWeights));
      }),
    );
  });
});

// ------------------------------------------------------------------ the categorical family

describe('categoricalCrossentropy on probabilities ↔ tf.metrics.categoricalCrossentropy', () => {
  // Label smoothing and fromLogits are left out here: tfjs-layers' categoricalCrossentropy takes neither through
  // the public API (fromLogits against tf.losses.softmaxCrossEntropy below).
  it('q = clip(p/Σp, ε, 1 − ε) on distributions and (validate: false) on rows scaled by 2^k, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 2).chain((shape) => {
      const C = shape[shape.length - 1];
      const rows = size(shape) / C;
      return fc.record({
        shape: fc.constant(shape),
        y: rowsArb(rows, distributionArb(C)),
        p: rowsArb(rows, probabilityRowArb(C, true)),
        scales: fc.option(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: rows, maxLength: rows })),
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
      });
    });
    fc.assert(
      fc.property(arb, ({ shape, y, p: p0, scales, weights, reduction }) => {
        const C = shape[shape.length - 1];
        const p = scaleRows(p0, scales, C); // xent refuses rows that do not sum to 1 unless validate is false
        const { r, factor, sampleWeight, tfw } = perExample(shape, weights, reduction);
        const o = { reduction, sampleWeight, validate: !scales };
        const ref = xentSide(
          scaled((q) => categoricalCrossentropy(x64(y, shape), q, o), factor),
          p,
          shape,
        );
        const got = tfSide(
          (q) => tf.losses.computeWeightedLoss(tf.metrics.categoricalCrossentropy(tf.tensor(y, shape), q), tfw(), r),
          p,
          shape,
        );
        agree('categoricalCrossentropy', ref, got);
      }),
    );
  });
});

describe('categoricalCrossentropy (fromLogits) and softmaxCrossEntropyWithLogits ↔ tf.losses.softmaxCrossEntropy', () => {
  // tfjs smooths with ε/shape[1], the class count only for rank 2: label smoothing is compared on rank 2.
  // tfjs takes the class axis last only: xent's axis 1 of [N, C, T] is compared with tfjs on the transposed tensors.
  // Class weights are left out: tfjs has none, and its custom gradient softmax − y assumes targets that sum to 1.
  it('soft and one-hot targets, logits to ±100, label smoothing y(1 − ε) + ε/C, axis, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 2).chain((shape) => {
      const C = shape[shape.length - 1];
      const rank2 = shape.length === 2;
      return fc.record({
        shape: fc.constant(shape),
        y: rowsArb(size(shape) / C, distributionArb(C)),
        z: fc.array(logitArb, { minLength: size(shape), maxLength: size(shape) }),
        labelSmoothing: rank2 ? labelSmoothingArb : fc.constant(0),
        axis: rank2 ? fc.constant(-1) : fc.constantFrom(-1, 1),
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
        categorical: fc.boolean(),
      });
    });
    fc.assert(
      fc.property(arb, ({ shape, y, z: z0, labelSmoothing, axis, weights, reduction, categorical }) => {
        const { r, factor, sampleWeight, tfw } = perExample(shape, weights, reduction);
        // xent's layout: [N, T, C] with axis −1, or [N, C, T] with axis 1
        const moved = axis === 1;
        const xShape = moved ? [shape[0], shape[2], shape[1]] : shape;
        const [yx, z] = moved ? [classesToAxis1(y, shape), classesToAxis1(z0, shape)] : [y, z0];
        const o = { reduction, labelSmoothing, axis, sampleWeight };
        const Y = x64(yx, xShape);
        const xent = categorical
          ? (q: Tensor) => categoricalCrossentropy(Y, q, { ...o, fromLogits: true })
          : (q: Tensor) => softmaxCrossEntropyWithLogits(Y, q, o);
        const ref = xentSide(scaled(xent, factor), z, xShape);
        const got = tfSide(
          (q) => tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), moved ? tf.transpose(q, [0, 2, 1]) : q, tfw(), labelSmoothing, r),
          z,
          xShape,
        );
        agree(categorical ? 'categoricalCrossentropy (fromLogits)' : 'softmaxCrossEntropyWithLogits', ref, got, magnitudeOf(z, weights));
      }),
    );
  });
});

describe('sparseCategoricalCrossentropy on probabilities ↔ tfjs-layers sparseCategoricalCrossentropy', () => {
  // tfjs-layers clips p to [ε, 1 − ε] before it renormalises (and clips again), as Keras's TF backend does; xent's
  // contract (DESIGN §4: = categoricalCrossentropy(onehot(y), p)) renormalises then clips, as Keras's jax, numpy and
  // torch backends do. They differ where an entry is below ε (tfjs's gradient there is 0): interior probabilities
  // only, rows scaled by 2^−k ≤ 1 (never above 1 − ε). fromLogits is left out: tfjs-layers clips the logits to
  // [ε, 1 − ε] (its bug) and its public API cannot pass fromLogits; logits against tf.losses.softmaxCrossEntropy below.
  it('q = clip(p/Σp, ε, 1 − ε) at the label, validate on and off, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 2).chain((shape) => {
      const C = shape[shape.length - 1];
      const rows = size(shape) / C;
      return fc.record({
        shape: fc.constant(shape),
        labels: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: rows, maxLength: rows }),
        p: rowsArb(rows, probabilityRowArb(C, false)),
        scales: fc.option(fc.array(fc.integer({ min: -3, max: 0 }), { minLength: rows, maxLength: rows })),
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
      });
    });
    fc.assert(
      fc.property(arb, ({ shape, labels, p: p0, scales, weights, reduction }) => {
        const C = shape[shape.length - 1];
        const p = scaleRows(p0, scales, C);
        const { lossShape, r, factor, sampleWeight, tfw } = perExample(shape, weights, reduction);
        const o = { reduction, sampleWeight, validate: !scales };
        const y = tensor(labels, { dtype: 'int32' }).reshape(lossShape);
        const ref = xentSide(
          scaled((q) => sparseCategoricalCrossentropy(y, q, o), factor),
          p,
          shape,
        );
        const got = tfSide((q) => tf.losses.computeWeightedLoss(sparseLayers(tf.tensor(labels, lossShape), q), tfw(), r), p, shape);
        agree('sparseCategoricalCrossentropy', ref, got);
      }),
    );
  });
});

describe('sparseSoftmaxCrossEntropyWithLogits and sparseCategoricalCrossentropy (fromLogits) ↔ tf.losses.softmaxCrossEntropy(oneHot)', () => {
  // xent's sparse smoothing is PyTorch's, P = (1 − ε)·onehot + ε/C: tfjs's smoothing of the one-hot labels (rank 2, as above).
  // Without smoothing, class weights make ℓ = c_y·(−log q_y): tfjs's weight of the row is s·c_y, and ignoreIndex is weight 0.
  // Then 'mean' (Σ s·c_y·ℓ / Σ s·c_y over the rows kept, PyTorch) is MEAN, and 'sum_over_batch_size' (÷ rows kept) is
  // SUM_BY_NONZERO_WEIGHTS when no kept row weighs 0. With smoothing the class weights enter every class's term: left out.
  it('integer labels, ignoreIndex, class weights, logits to ±100, label smoothing, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 2).chain((shape) => {
      const C = shape[shape.length - 1];
      const rows = size(shape) / C;
      return fc.record({
        shape: fc.constant(shape),
        labels: fc.array(
          fc.oneof({ weight: 1, arbitrary: fc.constant(-100) }, { weight: 5, arbitrary: fc.integer({ min: 0, max: C - 1 }) }),
          {
            minLength: rows,
            maxLength: rows,
          },
        ),
        z: fc.array(logitArb, { minLength: size(shape), maxLength: size(shape) }),
        labelSmoothing: shape.length === 2 ? labelSmoothingArb : fc.constant(0),
        classWeights: fc.option(fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }).map(f32), { minLength: C, maxLength: C })),
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
        categorical: fc.boolean(),
      });
    });
    fc.assert(
      fc.property(arb, ({ shape, labels, z, labelSmoothing, classWeights: cw, weights, reduction, categorical }) => {
        const classWeights = labelSmoothing === 0 ? cw : null;
        const lossShape = shape.slice(0, -1);
        const C = shape[shape.length - 1];
        const perExample = size(lossShape) / shape[0];
        // tfjs's weight of each row: the sample weight of its example times the class weight of its label, 0 where ignored
        const w = labels.map((t, i) =>
          t === -100 ? 0 : (weights ? weights[Math.floor(i / perExample)] : 1) * (classWeights ? classWeights[t] : 1),
        );
        fc.pre(w.some((v) => v !== 0)); // every row ignored or weighted 0: xent's 'mean' is 0, tfjs's NaN
        const kept = labels.filter((t) => t !== -100).length;
        const { reduction: r, factor } = tfReduction(reduction, kept, w.filter((v) => v !== 0).length);
        const sampleWeight = weights ? x64(weights, [shape[0]]) : undefined;
        const o = { reduction, labelSmoothing, ignoreIndex: -100, sampleWeight, classWeights: classWeights ?? undefined };
        const y = tensor(labels, { dtype: 'int32' }).reshape(lossShape);
        const xent = categorical
          ? (q: Tensor) => sparseCategoricalCrossentropy(y, q, { ...o, fromLogits: true })
          : (q: Tensor) => sparseSoftmaxCrossEntropyWithLogits(y, q, o);
        const ref = xentSide(scaled(xent, factor), z, shape);
        const plain = !weights && !classWeights && kept === labels.length; // no weights at all on the tfjs side
        const got = tfSide(
          (q) =>
            tf.losses.softmaxCrossEntropy(
              tf.oneHot(tf.tensor(labels, [labels.length], 'int32'), C).reshape(shape),
              q,
              plain ? undefined : tf.tensor(w, lossShape),
              labelSmoothing,
              r,
            ),
          z,
          shape,
        );
        agree(
          categorical ? 'sparseCategoricalCrossentropy (fromLogits)' : 'sparseSoftmaxCrossEntropyWithLogits',
          ref,
          got,
          magnitudeOf(z, weights, classWeights),
        );
      }),
    );
  });
});

describe('klDivergence ↔ tfjs-layers kullbackLeiblerDivergence', () => {
  // tfjs multiplies the unclipped P, Keras (and xent) the clipped one: they differ where P < ε, so P ≥ 1e-4 here.
  it('Σ P log(P/Q), both clipped to [ε, 1], Q down to 0, sample weights, every reduction', () => {
    const arb = shapeArb(1, 2, 1).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        P: fc.array(fc.oneof(interiorArb, fc.constant(1)), { minLength: size(shape), maxLength: size(shape) }),
        Q: fc.array(fc.oneof(interiorArb, belowArb, aboveArb), { minLength: size(shape), maxLength: size(shape) }),
        weights: weightsArb(shape[0]),
        reduction: reductionArb,
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, P, Q, weights, reduction }) => {
        const { r, factor, sampleWeight, tfw } = perExample(shape, weights, reduction);
        const o = { reduction, sampleWeight };
        const ref = xentSide(
          scaled((q) => klDivergence(x64(P, shape), q, o), factor),
          Q,
          shape,
        );
        const got = tfSide((q) => tf.losses.computeWeightedLoss(klLayers(tf.tensor(P, shape), q), tfw(), r), Q, shape);
        agree('klDivergence', ref, got);
      }),
    );
  });
});
