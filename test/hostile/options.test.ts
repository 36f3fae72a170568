// Hostile inputs, options: unknown names, typos, wrong types, values out of
// range, null (= not given), options as class getters, and the options'
// meaning checked against hand-written PyTorch/Keras formulas.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import { expectClose, flat, refuses, refusesOr, sigmoidCeRef, softmaxCeRow } from './helpers.js';

type Loss = (targets: never, predictions: never, options?: never) => T.Tensor;
const z = [
  [1, -2, 0.5],
  [0.3, 0.1, -1],
];
const p = [
  [0.2, 0.5, 0.3],
  [0.6, 0.3, 0.1],
];
const soft = [
  [0.1, 0.7, 0.2],
  [1, 0, 0],
];
/** Every loss with a valid (targets, predictions) pair. */
const LOSSES: [string, Loss, unknown, unknown][] = [
  ['binaryCrossentropy', L.binaryCrossentropy as Loss, [[1, 0, 1]], [[0.2, 0.5, 0.3]]],
  ['sigmoidCrossEntropyWithLogits', L.sigmoidCrossEntropyWithLogits as Loss, [[1, 0, 1]], [z[0]]],
  ['multiLabelCrossEntropy', L.multiLabelCrossEntropy as Loss, [[1, 0, 1]], [z[0]]],
  ['categoricalCrossentropy', L.categoricalCrossentropy as Loss, soft, p],
  ['softmaxCrossEntropyWithLogits', L.softmaxCrossEntropyWithLogits as Loss, soft, z],
  ['sparseCategoricalCrossentropy', L.sparseCategoricalCrossentropy as Loss, [1, 0], p],
  ['sparseSoftmaxCrossEntropyWithLogits', L.sparseSoftmaxCrossEntropyWithLogits as Loss, [1, 0], z],
  ['crossEntropy', L.crossEntropy as Loss, soft, p],
  ['klDivergence', L.klDivergence as Loss, soft, p],
  ['binaryFocalCrossentropy', L.binaryFocalCrossentropy as Loss, [[1, 0, 1]], [[0.2, 0.5, 0.3]]],
  ['categoricalFocalCrossentropy', L.categoricalFocalCrossentropy as Loss, soft, p],
];

describe.each(LOSSES)('%s', (name, loss, y, q) => {
  const call = (o?: unknown) => loss(y as never, q as never, o as never);
  const base = () => flat(call());

  it('an unknown option is INVALID_OPTION listing the options', () => {
    refuses(() => call({ foo: 1 }), 'INVALID_OPTION', name, "'foo'");
  });
  it('a misspelt option suggests the right name', () => {
    refuses(() => call({ reducton: 'sum' }), 'INVALID_OPTION', "'reduction'");
  });
  it('reduction must be one of the four', () => {
    refuses(() => call({ reduction: 'avg' }), 'INVALID_OPTION', "'mean'");
    refuses(() => call({ reduction: 1 }), 'INVALID_OPTION');
  });
  it('reduction: undefined means "not given"; null too, or a refusal that says what to write (Keras None is ambiguous)', () => {
    expectClose(call({ reduction: undefined }), base(), 0, 0);
    refusesOr(
      () => call({ reduction: null }),
      (r) => expectClose(r as T.Tensor, base(), 0, 0),
    );
  });
  it('sampleWeight: null means "not given" (never a loss of 0)', () => {
    expectClose(call({ sampleWeight: null }), base(), 0, 0);
  });
  it.each([
    ["'2'", '2'],
    ['true', true],
    ['false', false],
    ['-1', -1],
    ['NaN', NaN],
    ['an object', {}],
  ])('sampleWeight %s is INVALID_OPTION', (_label, v) => {
    refuses(() => call({ sampleWeight: v }), 'INVALID_OPTION', 'sampleWeight');
  });
  it('options given as class getters are read, or refused — never ignored', () => {
    class Opts {
      get reduction(): string {
        return 'sum';
      }
    }
    refusesOr(
      () => call(new Opts()),
      (r) => expectClose(r as T.Tensor, flat(call({ reduction: 'sum' })), 0, 0),
    );
  });
  it('options null: no options, or a refusal', () => {
    refusesOr(
      () => call(null),
      (r) => expectClose(r as T.Tensor, base(), 0, 0),
    );
  });
  it.each([
    ['a string', 'sum'],
    ['a number', 3],
    ['an array', []],
    ['a tensor', T.tensor([1])],
  ])('options as %s is INVALID_OPTION', (_label, o) => {
    refuses(() => call(o), 'INVALID_OPTION', name);
  });
  it("'sum' is the sum of 'none', 'mean' its mean", () => {
    const none = flat(call({ reduction: 'none' }));
    const total = none.reduce((a, b) => a + b, 0);
    expectClose(call({ reduction: 'sum' }), total, 1e-12);
    expectClose(call({ reduction: 'mean' }), total / none.length, 1e-12);
    expectClose(call({ reduction: 'sum_over_batch_size' }), total / none.length, 1e-12);
  });
  it('validate: a non-boolean is refused', () => {
    refuses(() => call({ validate: 'no' }), 'INVALID_OPTION', 'validate');
  });
});

describe('option values out of range', () => {
  it.each([
    ['labelSmoothing 1.5', { labelSmoothing: 1.5 }],
    ['labelSmoothing -0.1', { labelSmoothing: -0.1 }],
    ["labelSmoothing '0.1'", { labelSmoothing: '0.1' }],
    ['labelSmoothing NaN', { labelSmoothing: NaN }],
    ['classWeights of the wrong length', { classWeights: [1, 2] }],
    ['classWeights negative', { classWeights: [1, -1, 1] }],
    ['classWeights as a matrix', { classWeights: [[1, 1, 1]] }],
    ['axis 1.5', { axis: 1.5 }],
    ['axis 7', { axis: 7 }],
    ["fromLogits 'yes' (not for this loss)", { fromLogits: 'yes' }],
  ])('softmaxCrossEntropyWithLogits: %s', (_what, o) => {
    refuses(() => L.softmaxCrossEntropyWithLogits(soft, z, o as never));
  });

  it.each([
    ['ignoreIndex 1.5', { ignoreIndex: 1.5 }],
    ["ignoreIndex '-100'", { ignoreIndex: '-100' }],
    ['epsilon 0', { epsilon: 0 }],
    ['epsilon 0.5', { epsilon: 0.5 }],
    ['fromLogits 1', { fromLogits: 1 }],
    ['labelSmoothing 2', { labelSmoothing: 2 }],
  ])('sparseCategoricalCrossentropy: %s', (_what, o) => {
    refuses(() => L.sparseCategoricalCrossentropy([1, 0], p, o as never), 'INVALID_OPTION');
  });

  it.each([
    ['posWeight -1', { posWeight: -1 }],
    ["posWeight '2'", { posWeight: '2' }],
    ['posWeight true', { posWeight: true }],
    ['posWeight NaN', { posWeight: NaN }],
    ['posWeight Infinity', { posWeight: Infinity }],
    ['posWeight of the wrong shape', { posWeight: [1, 2] }],
  ])('sigmoidCrossEntropyWithLogits: %s', (_what, o) => {
    refuses(() => L.sigmoidCrossEntropyWithLogits([[1, 0, 1]], [z[0]], o as never));
  });

  it.each([
    ['gamma -1', { gamma: -1 }],
    ['gamma NaN', { gamma: NaN }],
    ["gamma '2'", { gamma: '2' }],
    ['alpha 2', { alpha: 2 }],
    ['alpha NaN', { alpha: NaN }],
  ])('binaryFocalCrossentropy: %s', (_what, o) => {
    refuses(() => L.binaryFocalCrossentropy([1, 0], [0.3, 0.4], o as never), 'INVALID_OPTION');
  });
});

describe('what the options mean (against hand-written formulas)', () => {
  const y = [1, 0];
  const rowsCe = (labels: number[], smoothing = 0) =>
    labels.map((c, i) => {
      const t = [0, 0, 0].map((_, k) => (k === c ? 1 : 0) * (1 - smoothing) + smoothing / 3);
      return softmaxCeRow(t, z[i]);
    });

  it('sampleWeight scales each example; mean divides by Σ weights (PyTorch)', () => {
    const r = rowsCe(y);
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits(y, z, { sampleWeight: [2, 0.5], reduction: 'sum' }), 2 * r[0] + 0.5 * r[1], 1e-12);
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits(y, z, { sampleWeight: [2, 0.5] }), (2 * r[0] + 0.5 * r[1]) / 2.5, 1e-12);
  });

  it('classWeights weigh each label; mean divides by the weights of the labels (PyTorch weight=)', () => {
    const r = rowsCe(y);
    const w = [0.5, 3, 1];
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits(y, z, { classWeights: w }), (w[1] * r[0] + w[0] * r[1]) / (w[1] + w[0]), 1e-12);
  });

  it('labelSmoothing ε: y ← y(1−ε) + ε/C (PyTorch label_smoothing)', () => {
    const r = rowsCe(y, 0.1);
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits(y, z, { labelSmoothing: 0.1, reduction: 'sum' }), r[0] + r[1], 1e-12);
  });

  it('ignoreIndex drops an example from the sum and from the mean divisor', () => {
    const r = rowsCe([1, 0]);
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits([1, -100], z, { ignoreIndex: -100 }), r[0], 1e-12);
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits([-100, -100], z, { ignoreIndex: -100 }), 0, 0, 0);
  });

  it('posWeight weighs the positive term only', () => {
    const v = L.sigmoidCrossEntropyWithLogits([1, 0], [0.4, 0.4], { posWeight: 2, reduction: 'none' });
    const sp = (x: number) => Math.log1p(Math.exp(x));
    expectClose(v, [2 * sp(-0.4), sp(0.4)], 1e-12);
    expectClose(
      L.sigmoidCrossEntropyWithLogits([1, 0], [0.4, 0.4], { posWeight: null, reduction: 'none' } as never),
      [sigmoidCeRef(1, 0.4), sigmoidCeRef(0, 0.4)],
      1e-12,
    );
  });

  it('fromLogits: true on categoricalCrossentropy equals the softmax loss', () => {
    expectClose(
      L.categoricalCrossentropy(soft, z, { fromLogits: true, reduction: 'none' }),
      [softmaxCeRow(soft[0], z[0]), softmaxCeRow(soft[1], z[1])],
      1e-12,
    );
  });

  it('a failed call changes nothing: the parameter and its gradient are untouched', () => {
    const w = A.param(T.tensor(z));
    L.sparseSoftmaxCrossEntropyWithLogits([1, 0], w).backward();
    const before = flat(w.grad as T.Tensor);
    refuses(() => L.sparseSoftmaxCrossEntropyWithLogits([1, 0], w, { reduction: 'avg' } as never), 'INVALID_OPTION');
    expect(flat(w.grad as T.Tensor)).toEqual(before);
    expect(flat(w)).toEqual(z.flat());
  });
});

describe("the options of @xent/tensor's reductions, its closeness checks and registerOp go through the validator", () => {
  const x = T.tensor(z);

  it.each([
    ['sum', (o: unknown) => T.sum(x, 0, o as never)],
    ['mean', (o: unknown) => T.mean(x, 0, o as never)],
    ['max', (o: unknown) => T.max(x, 0, o as never)],
    ['min', (o: unknown) => T.min(x, 0, o as never)],
    ['logSumExp', (o: unknown) => T.logSumExp(x, 0, o as never)],
  ])('%s: keepDims is read, { keepdims } and non-booleans are refused (they gave the reduced shape silently)', (name, f) => {
    expect(f({ keepDims: true }).shape).toEqual([1, 3]);
    expect(f(undefined).shape).toEqual([3]);
    expect(f({}).shape).toEqual([3]);
    refuses(() => f({ keepdims: true }), 'INVALID_OPTION', `${name}: unknown option 'keepdims'`, "did you mean 'keepDims'?");
    refuses(() => f({ keepDims: 'yes' }), 'INVALID_OPTION', `${name}: option 'keepDims' is 'yes'; it must be true or false.`);
    refuses(() => f(true), 'INVALID_OPTION', `${name}: the options are true`);
  });

  it("allClose, compareClose, toBeAllClose: a misspelt tolerance or equalNaN: 'false' is refused, not ignored", () => {
    const nan = [NaN, 1];
    expect(T.allClose(nan, nan, { equalNaN: true })).toBe(true);
    expect(T.allClose(nan, nan)).toBe(false);
    refuses(() => T.allClose(nan, nan, { equalNaN: 'false' } as never), 'INVALID_OPTION', "allClose: option 'equalNaN' is 'false'");
    refuses(
      () => T.allClose([1], [1.1], { rTol: 0.5 } as never),
      'INVALID_OPTION',
      "allClose: unknown option 'rTol'",
      "did you mean 'rtol'?",
    );
    refuses(
      () => T.compareClose([1], [1], { atol: -1 }),
      'INVALID_OPTION',
      "compareClose: option 'atol' is -1; it must be a number in [0, ∞].",
    );
    refuses(() => T.toBeAllClose([1], [1], { rtol: NaN }), 'INVALID_OPTION', "toBeAllClose: option 'rtol' is NaN");
    expect(T.allClose([1], [1.1], { rtol: 0.2 })).toBe(true);
    expect(T.allClose([1], [2], { atol: Infinity })).toBe(true);
  });

  it('registerOp: override must be true or false; an unknown option is refused', () => {
    const def = {
      name: 'hostileOptionsOp',
      inputs: ['x'],
      forward: ([t]: T.Tensor[]) => ({ out: t, saved: null }),
      backward: (dy: T.Tensor) => [dy],
    };
    A.registerOp(def);
    refuses(() => A.registerOp(def, { override: 'yes' } as never), 'INVALID_OPTION', "registerOp: option 'override' is 'yes'");
    refuses(() => A.registerOp(def, { overwrite: true } as never), 'INVALID_OPTION', "registerOp: unknown option 'overwrite'");
    expect(A.registerOp(def, { override: true }).name).toBe('hostileOptionsOp');
  });
});

describe('Rng: a seed or a count that is not a whole number is refused, not silently another stream', () => {
  it.each([1.5, '1', NaN, Infinity, null, 2 ** 53])('new Rng(%s) is INVALID_ARGUMENT', (seed) => {
    refuses(() => new T.Rng(seed as never), 'INVALID_ARGUMENT', 'Rng: the seed is');
  });

  it('whole seeds work, large ones (Date.now()) taken mod 2³², and each stream is unchanged', () => {
    expect(new T.Rng(2 ** 32 + 7).next()).toBe(new T.Rng(7).next());
    expect(new T.Rng(-1).next()).toBe(new T.Rng(2 ** 32 - 1).next());
    expect(Array.from(new T.Rng(3).permutation(5))).toEqual(Array.from(new T.Rng(3).permutation(5)));
  });

  it.each([0, 2.5, -1, NaN, '3'])('rng.int(%s) is INVALID_ARGUMENT (the values would not be 0 … n − 1)', (n) => {
    refuses(() => new T.Rng(0).int(n as never), 'INVALID_ARGUMENT', 'Rng.int: n is');
  });

  it.each([2.5, -1, NaN, 2 ** 31])('rng.permutation(%s) is INVALID_ARGUMENT', (n) => {
    refuses(() => new T.Rng(0).permutation(n as never), 'INVALID_ARGUMENT', 'Rng.permutation: n is');
  });

  it('int(1) is 0, permutation(0) is empty, and a permutation holds each index once', () => {
    const rng = new T.Rng(5);
    expect(rng.int(1)).toBe(0);
    expect(rng.permutation(0).length).toBe(0);
    expect(Array.from(rng.permutation(50)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
