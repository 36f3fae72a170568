// A fast-check property per loss: random shapes (1–2 example axes, 2–4 classes, the class axis anywhere it may
// be), random values and random combinations of the options the loss documents, value and gradient against the
// naive reference. Seeded by vitest.setup.ts (FC_SEED replays a run).
import fc from 'fast-check';
import { sum, valueAndGrad } from '@xent/autograd';
import { tensor, type Tensor } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectMatchesReference,
  flat,
  nest,
  read,
  refGrad,
  refDirectional,
  refValue,
  size,
  targetTensor,
  xentLoss,
  xentValueAndGrad,
  type LossName,
  type Nested,
  type Opts,
} from './reference.js';
import { makeRandom } from '../random.js';

type Kind = 'binary' | 'distribution' | 'labels';
interface Spec {
  kind: Kind;
  logits: boolean | 'option'; // 'option': fromLogits decides
  options: readonly string[];
  axis: boolean;
}

const SPECS: Record<LossName, Spec> = {
  binaryCrossentropy: {
    kind: 'binary',
    logits: 'option',
    options: ['labelSmoothing', 'classWeights', 'sampleWeight', 'epsilon'],
    axis: false,
  },
  sigmoidCrossEntropyWithLogits: {
    kind: 'binary',
    logits: true,
    options: ['posWeight', 'classWeights', 'labelSmoothing', 'sampleWeightFull'],
    axis: false,
  },
  multiLabelCrossEntropy: {
    kind: 'binary',
    logits: 'option',
    options: ['posWeight', 'classWeights', 'labelSmoothing', 'sampleWeight', 'epsilon'],
    axis: false,
  },
  categoricalCrossentropy: {
    kind: 'distribution',
    logits: 'option',
    options: ['labelSmoothing', 'classWeights', 'sampleWeight', 'epsilon'],
    axis: true,
  },
  softmaxCrossEntropyWithLogits: {
    kind: 'distribution',
    logits: true,
    options: ['labelSmoothing', 'classWeights', 'sampleWeight'],
    axis: true,
  },
  crossEntropy: { kind: 'distribution', logits: false, options: ['sampleWeight'], axis: true },
  polyCrossEntropyWithLogits: {
    kind: 'distribution',
    logits: true,
    options: ['polyEpsilon', 'labelSmoothing', 'classWeights', 'sampleWeight'],
    axis: true,
  },
  binaryFocalCrossentropy: {
    kind: 'binary',
    logits: 'option',
    options: ['gamma', 'alpha', 'applyClassBalancing', 'labelSmoothing', 'sampleWeight', 'epsilon'],
    axis: false,
  },
  categoricalFocalCrossentropy: {
    kind: 'distribution',
    logits: 'option',
    options: ['gamma', 'alphaPerClass', 'labelSmoothing', 'sampleWeight', 'epsilon'],
    axis: true,
  },
  klDivergence: { kind: 'distribution', logits: false, options: ['sampleWeight', 'epsilon'], axis: true },
  sparseCategoricalCrossentropy: {
    kind: 'labels',
    logits: 'option',
    options: ['labelSmoothing', 'classWeights', 'sampleWeight', 'ignoreIndex'],
    axis: true,
  },
  sparseSoftmaxCrossEntropyWithLogits: {
    kind: 'labels',
    logits: true,
    options: ['labelSmoothing', 'classWeights', 'sampleWeight', 'ignoreIndex'],
    axis: true,
  },
};

const REDUCTIONS = ['mean', 'sum', 'none', 'sum_over_batch_size'];

/** One random problem for a loss: targets, predictions, options, whether the targets are integer labels. */
function problem(name: LossName, seed: number): { targets: Nested; predictions: Nested; opts: Opts; integer: boolean } {
  const spec = SPECS[name];
  const r = makeRandom(seed);
  const int = (n: number) => Math.floor(r() * n);
  const lead = Array.from({ length: 1 + int(2) }, () => 1 + int(3));
  const C = 2 + int(3);
  const classAt = spec.axis ? int(lead.length + 1) : lead.length; // position of the class axis
  const shape = [...lead.slice(0, classAt), C, ...lead.slice(classAt)];
  const opts: Opts = { reduction: REDUCTIONS[int(4)] };
  if (spec.axis && classAt !== lead.length) opts.axis = r() < 0.5 ? classAt : classAt - shape.length;
  const fromLogits = spec.logits === 'option' ? r() < 0.5 : spec.logits;
  if (spec.logits === 'option' && (fromLogits || r() < 0.5)) opts.fromLogits = fromLogits;
  const use = (o: string) => spec.options.includes(o) && r() < 0.5;
  if (use('labelSmoothing')) opts.labelSmoothing = r() * 0.5;
  if (use('classWeights')) opts.classWeights = Array.from({ length: C }, () => 0.1 + 2.9 * r());
  if (use('posWeight')) opts.posWeight = Array.from({ length: C }, () => 0.1 + 2.9 * r());
  if (use('polyEpsilon')) opts.polyEpsilon = -1 + 4 * r();
  if (use('gamma')) opts.gamma = 3 * r();
  if (use('alpha')) opts.alpha = r();
  if (use('applyClassBalancing')) opts.applyClassBalancing = true;
  if (use('alphaPerClass')) opts.alpha = r() < 0.5 ? r() : Array.from({ length: C }, () => r());
  if (use('epsilon') && !fromLogits) opts.epsilon = 1e-7 + r() * 1e-3;
  if (use('sampleWeight'))
    opts.sampleWeight = r() < 0.3 ? 2 * r() : nest({ data: Array.from({ length: size(lead) }, () => 2 * r()), shape: lead });
  if (use('sampleWeightFull')) opts.sampleWeight = nest({ data: Array.from({ length: size(shape) }, () => 2 * r()), shape });
  const ignoring = use('ignoreIndex');
  if (ignoring) opts.ignoreIndex = -1;

  // predictions: logits in [−5, 5]; binary probabilities in [0.02, 0.98]; distributions from positive weights ≥ 0.1
  const positives = Array.from({ length: size(shape) }, () => 0.1 + r());
  const normalised = (data: number[]): number[] => {
    // each slice along the class axis sums to 1
    const stride = size(shape.slice(classAt + 1));
    const out = [...data];
    for (let i = 0; i < data.length; i++) {
      const c = Math.floor(i / stride) % C;
      if (c !== 0) continue;
      let s = 0;
      for (let k = 0; k < C; k++) s += data[i + k * stride]!;
      for (let k = 0; k < C; k++) out[i + k * stride] = data[i + k * stride]! / s;
    }
    return out;
  };
  let pred: number[];
  if (fromLogits) pred = Array.from({ length: size(shape) }, () => -5 + 10 * r());
  else if (spec.kind === 'binary') pred = Array.from({ length: size(shape) }, () => 0.02 + 0.96 * r());
  else pred = normalised(positives);

  let targets: Nested;
  if (spec.kind === 'binary') {
    targets = nest({ data: Array.from({ length: size(shape) }, () => (r() < 0.3 ? r() : r() < 0.5 ? 0 : 1)), shape });
  } else if (spec.kind === 'distribution') {
    const soft = r() < 0.5;
    const data = Array.from({ length: size(shape) }, () => (soft ? r() : 0));
    if (!soft) {
      const stride = size(shape.slice(classAt + 1));
      for (let i = 0; i < data.length; i++) if (Math.floor(i / stride) % C === 0) data[i + int(C) * stride] = 1;
    }
    targets = nest({ data: soft ? normalised(data.map((v) => v + 0.01)) : data, shape });
  } else {
    targets = nest({ data: Array.from({ length: size(lead) }, () => (ignoring && r() < 0.3 ? -1 : int(C))), shape: lead });
  }
  return { targets, predictions: nest({ data: pred, shape }), opts, integer: spec.kind === 'labels' };
}

describe('random shapes and options against the naive reference (value and gradient)', () => {
  for (const name of Object.keys(SPECS) as LossName[]) {
    it(name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { targets, predictions, opts, integer } = problem(name, seed);
          expectMatchesReference(name, targets, predictions, opts, integer, { grad: { rtol: 1e-6, atol: 1e-8 } });
        }),
      );
    });
  }
});

describe('larger shapes (odd sizes, past any vector width or blocking), value and gradient', () => {
  const names: LossName[] = [
    'sparseSoftmaxCrossEntropyWithLogits',
    'softmaxCrossEntropyWithLogits',
    'sigmoidCrossEntropyWithLogits',
    'categoricalCrossentropy',
    'sparseCategoricalCrossentropy',
    'multiLabelCrossEntropy',
    'polyCrossEntropyWithLogits',
  ];
  for (const name of names) {
    it(name, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 2, max: 37 }),
          (seed, n, c) => {
            const r = makeRandom(seed);
            const spec = SPECS[name];
            const logits = spec.logits === true;
            const opts: Opts = { reduction: REDUCTIONS[Math.floor(r() * 4)], ...(spec.logits === 'option' ? { fromLogits: false } : {}) };
            const rows = Array.from({ length: n }, () => Array.from({ length: c }, () => (logits ? -8 + 16 * r() : 0.1 + r())));
            const predictions =
              logits || spec.kind === 'binary' ? rows : rows.map((row) => row.map((v) => v / row.reduce((a, b) => a + b, 0)));
            const binaryRows = rows.map((row) =>
              row.map((v) => (spec.kind === 'binary' && !logits ? Math.min(0.98, Math.max(0.02, v / 1.1)) : v)),
            );
            let targets: Nested;
            if (spec.kind === 'labels') targets = Array.from({ length: n }, () => Math.floor(r() * c));
            else if (spec.kind === 'binary')
              targets = Array.from({ length: n }, () => Array.from({ length: c }, () => (r() < 0.5 ? 0 : 1)));
            else
              targets = Array.from({ length: n }, () => {
                const hot = Math.floor(r() * c);
                return Array.from({ length: c }, (_, k) => (k === hot ? 1 : 0));
              });
            const preds = spec.kind === 'binary' && !logits ? binaryRows : predictions;
            expectMatchesReference(name, targets, preds, opts, spec.kind === 'labels', { grad: { rtol: 1e-6, atol: 1e-8 } });
          },
        ),
        { numRuns: 12 },
      );
    });
  }
});

describe('large inputs (thousands of values): value, and the gradient along random directions', () => {
  const names: LossName[] = [
    'sparseSoftmaxCrossEntropyWithLogits',
    'softmaxCrossEntropyWithLogits',
    'sigmoidCrossEntropyWithLogits',
    'multiLabelCrossEntropy',
    'polyCrossEntropyWithLogits',
    'categoricalCrossentropy',
    'sparseCategoricalCrossentropy',
    'binaryCrossentropy',
  ];
  for (const name of names) {
    it(name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const r = makeRandom(seed);
          const n = 100 + Math.floor(r() * 300);
          const c = 2 + Math.floor(r() * 60);
          // a random problem of that size, with the options of a small random problem
          const big = enlarge(name, n, c, r, problem(name, seed).opts);
          const got = xentValueAndGrad(name, targetTensor(big.targets, SPECS[name].kind === 'labels'), big.predictions, big.opts);
          expectClose(got.value, refValue(name, big.targets, big.predictions, big.opts), { rtol: 1e-9, atol: 1e-12 });
          for (let k = 0; k < 2; k++) {
            // relative steps for probabilities (they are as small as 1/(60·11)), absolute ones for logits
            const scale = SPECS[name].logits === true || big.opts.fromLogits === true ? null : (big.predictions as number[][]).flat();
            const u = got.grad.data.map((_, i) => (r() - 0.5) * (scale ? scale[i]! : 1));
            const along = got.grad.data.reduce((s, g, i) => s + g * u[i]!, 0);
            const expected = refDirectional(name, big.targets, big.predictions, u, big.opts, 2e-3); // a larger step: Σ over thousands of values
            expect(Math.abs(along - expected)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(expected)));
          }
        }),
        { numRuns: 4 },
      );
    });
  }
});

/** A random [n, c] problem for a loss, with the options of a small random problem carried over where they still fit. */
function enlarge(name: LossName, n: number, c: number, r: () => number, small: Opts): { targets: Nested; predictions: Nested; opts: Opts } {
  const spec = SPECS[name];
  const opts: Opts = { reduction: small.reduction };
  for (const k of [
    'fromLogits',
    'labelSmoothing',
    'polyEpsilon',
    'epsilon',
    'ignoreIndex',
    'gamma',
    'alpha',
    'applyClassBalancing',
  ] as const) {
    if (small[k] !== undefined && !Array.isArray(small[k])) opts[k] = small[k];
  }
  if (small.classWeights !== undefined) opts.classWeights = Array.from({ length: c }, () => 0.1 + 2 * r());
  if (small.posWeight !== undefined) opts.posWeight = Array.from({ length: c }, () => 0.1 + 2 * r());
  if (small.sampleWeight !== undefined) opts.sampleWeight = Array.from({ length: n }, () => 2 * r());
  if (name === 'sigmoidCrossEntropyWithLogits' && small.sampleWeight !== undefined)
    opts.sampleWeight = (opts.sampleWeight as number[]).map((v) => [v]);
  const logits = spec.logits === true || opts.fromLogits === true;
  const rows = Array.from({ length: n }, () => Array.from({ length: c }, () => (logits ? -8 + 16 * r() : 0.1 + r())));
  const predictions = logits
    ? rows
    : spec.kind === 'binary'
      ? rows.map((row) => row.map((v) => Math.min(0.98, v / 1.15)))
      : rows.map((row) => row.map((v) => v / row.reduce((a, b) => a + b, 0)));
  let targets: Nested;
  if (spec.kind === 'labels')
    targets = Array.from({ length: n }, () => (opts.ignoreIndex !== undefined && r() < 0.2 ? -1 : Math.floor(r() * c)));
  else if (spec.kind === 'binary') targets = rows.map((row) => row.map(() => (r() < 0.3 ? r() : r() < 0.5 ? 0 : 1)));
  else
    targets = rows.map((row) => {
      const w = row.map(() => (r() < 0.5 ? 0 : r()));
      w[Math.floor(r() * c)] = 1;
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((v) => v / s);
    });
  return { targets, predictions, opts };
}

describe('float32 predictions: a float32 result within float32 rounding of the float64 formula (value and gradient)', () => {
  for (const name of Object.keys(SPECS) as LossName[]) {
    it(name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { targets, predictions, opts, integer } = problem(name, seed);
          const p32 = nest({ data: flat(predictions).data.map(Math.fround), shape: flat(predictions).shape });
          const fn = xentLoss(name);
          const out = fn(targetTensor(targets, integer), tensor(p32, { dtype: 'float32' }), opts);
          expect(out.dtype).toBe('float32');
          expectClose(read(out), refValue(name, targets, p32, opts), { rtol: 2e-5, atol: 1e-6 });
          const { grads } = valueAndGrad((p: Tensor) => sum(fn(targetTensor(targets, integer), p, opts)))(
            tensor(p32, { dtype: 'float32' }),
          );
          expect(grads[0]!.dtype).toBe('float32');
          expectClose(read(grads[0]!), refGrad(name, targets, p32, opts), { rtol: 1e-4, atol: 1e-5 }, 'gradient');
        }),
        { numRuns: 20 },
      );
    });
  }
});
