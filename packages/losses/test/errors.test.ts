// Every error code of docs/DESIGN.md ("Error codes"), with its message checked (function, argument,
// what was found, the fix), and "a failed call changes nothing".
import { describe, expect, it } from 'vitest';
import { detach, param } from '@xent/autograd';
import { XentError, clone, readFlat, tensor, zeros, type Tensor } from '@xent/tensor';
import * as L from '../src/index.js';

/** Runs fn, expects an XentError with that code whose message matches every pattern. */
function expectXent(fn: () => unknown, code: string, ...patterns: (string | RegExp)[]): XentError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a throw').toBeInstanceOf(XentError);
  const x = err as XentError;
  expect(x.code, x.message).toBe(code);
  for (const p of patterns) expect(x.message).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
  return x;
}

const Z = [
  [1, 2, 3],
  [0.5, -1, 2],
];
const P = [
  [0.2, 0.3, 0.5],
  [0.1, 0.1, 0.8],
];
const Y = [
  [0, 0, 1],
  [1, 0, 0],
];
// L is a namespace object; an untyped view lets the tests pass deliberately wrong options.
const loose = L as unknown as Record<string, (t: unknown, p: unknown, o?: unknown) => Tensor>;

describe('INVALID_OPTION', () => {
  it.each([
    ['binaryCrossentropy', 'from_logits', 'fromLogits'],
    ['categoricalCrossentropy', 'label_smoothing', 'labelSmoothing'],
    ['sigmoidCrossEntropyWithLogits', 'pos_weight', 'posWeight'],
    ['sparseSoftmaxCrossEntropyWithLogits', 'ignore_index', 'ignoreIndex'],
    ['sparseCategoricalCrossentropy', 'ignore_class', 'ignoreIndex'],
    ['softmaxCrossEntropyWithLogits', 'sample_weight', 'sampleWeight'],
    ['sparseSoftmaxCrossEntropyWithLogits', 'weight', 'classWeights'],
    ['softmaxCrossEntropyWithLogits', 'weights', 'sampleWeight'], // tf.losses' weights are per example
    ['categoricalCrossentropy', 'classWeight', 'classWeights'],
    ['klDivergence', 'dim', 'axis'],
    ['categoricalCrossentropy', 'class_weight', 'classWeights'],
    ['binaryCrossentropy', 'fromLogit', 'fromLogits'],
    ['binaryFocalCrossentropy', 'apply_class_balancing', 'applyClassBalancing'],
  ])('%s with %s suggests %s', (fn, bad, good) => {
    expectXent(() => loose[fn](Y, Z, { [bad]: 1 }), 'INVALID_OPTION', fn, `'${bad}'`, `did you mean '${good}'?`);
  });

  it('names inherited from Object.prototype are unknown options too', () => {
    expectXent(() => loose.binaryCrossentropy(Y, P, { toString: 1 }), 'INVALID_OPTION', "unknown option 'toString'");
    expectXent(() => loose.binaryCrossentropy(Y, P, { constructor: 1 }), 'INVALID_OPTION', "unknown option 'constructor'");
  });

  it('an option of another loss names the losses that take it', () => {
    expectXent(
      () => L.categoricalCrossentropy(Y, P, { posWeight: [1, 2, 3] } as never),
      'INVALID_OPTION',
      'categoricalCrossentropy',
      'posWeight',
      'sigmoidCrossEntropyWithLogits and multiLabelCrossEntropy',
    );
    expectXent(
      () => L.softmaxCrossEntropyWithLogits(Y, Z, { fromLogits: true } as never),
      'INVALID_OPTION',
      'softmaxCrossEntropyWithLogits',
      'always takes logits',
    );
    expectXent(() => L.crossEntropy(Y, P, { epsilon: 1e-7 } as never), 'INVALID_OPTION', 'crossEntropy', 'epsilon');
  });

  it.each([
    ['reduction', 'avg', /one of 'mean', 'sum', 'none', 'sum_over_batch_size'/],
    ['reduction', 'mean_with_sample_weight', /already divides by the sum of the sample weights/],
    ['reduction', null, /None is 'none'/],
    ['labelSmoothing', 1.5, /\[0, 1\]/],
    ['labelSmoothing', -0.1, /\[0, 1\]/],
    ['epsilon', 0, /2.2250738585072014e-308, 0.5\)/],
    ['epsilon', 0.7, /2.2250738585072014e-308, 0.5\)/],
    ['fromLogits', 'yes', /true or false/],
    ['validate', 1, /true or false/],
    ['axis', 1.5, /whole number/],
    ['axis', 2, /out of range for predictions of rank 2/],
    ['classWeights', [1, -2, 1], /finite and ≥ 0/],
    ['classWeights', [[1, 2, 3]], /one weight per class/],
    ['sampleWeight', [1, NaN], /finite and ≥ 0/],
    ['sampleWeight', 'heavy', /a number, an array of numbers or a Tensor/],
  ])('categoricalCrossentropy %s = %s', (name, value, pattern) => {
    expectXent(() => loose.categoricalCrossentropy(Y, P, { [name]: value }), 'INVALID_OPTION', 'categoricalCrossentropy', name, pattern);
  });

  it('ignoreIndex, posWeight, gamma and alpha ranges; options that are not an object', () => {
    expectXent(() => L.sparseCategoricalCrossentropy([0, 1], P, { ignoreIndex: 0.5 }), 'INVALID_OPTION', 'ignoreIndex', 'whole number');
    expectXent(() => L.sigmoidCrossEntropyWithLogits(Y, Z, { posWeight: [-1, 1, 1] }), 'INVALID_OPTION', 'posWeight', '≥ 0');
    expectXent(() => L.binaryFocalCrossentropy(Y, P, { gamma: -1 }), 'INVALID_OPTION', 'gamma');
    expectXent(() => L.binaryFocalCrossentropy(Y, P, { alpha: 2 }), 'INVALID_OPTION', 'alpha', '[0, 1]');
    expectXent(() => loose.binaryCrossentropy(Y, P, true), 'INVALID_OPTION', 'binaryCrossentropy', 'options are an object');
  });
});

describe('SHAPE_MISMATCH', () => {
  it('targets and predictions that must agree', () => {
    expectXent(
      () =>
        L.binaryCrossentropy(
          [[0], [1], [2]],
          [
            [0.9, 0.05, 0.05],
            [0.5, 0.89, 0.6],
            [0.05, 0.01, 0.94],
          ],
        ),
      'SHAPE_MISMATCH',
      'binaryCrossentropy',
      'targets have shape [3, 1]',
      'predictions have shape [3, 3]',
    );
    // class indices given to a loss that wants one target per prediction: the message names the sparse losses
    expectXent(
      () =>
        L.binaryCrossentropy(
          [0, 1, 1],
          [
            [0.2, 0.8],
            [0.5, 0.5],
            [0.1, 0.9],
          ],
        ),
      'SHAPE_MISMATCH',
      'look like class indices',
      'sparseCategoricalCrossentropy',
    );
    expectXent(
      () => L.sigmoidCrossEntropyWithLogits([1, 0], [[1, 2, 3]]),
      'SHAPE_MISMATCH',
      'sigmoidCrossEntropyWithLogits',
      '[2]',
      '[1, 3]',
    );
    expectXent(
      () => L.categoricalCrossentropy([2, 0], P),
      'SHAPE_MISMATCH',
      'targets have shape [2]',
      'look like class indices',
      'sparseCategoricalCrossentropy',
    );
    expectXent(() => L.softmaxCrossEntropyWithLogits([2, 0], Z), 'SHAPE_MISMATCH', 'sparseSoftmaxCrossEntropyWithLogits');
    expectXent(
      () => L.sparseSoftmaxCrossEntropyWithLogits(Y, Z),
      'SHAPE_MISMATCH',
      'need labels of shape [2]',
      'look one-hot',
      'softmaxCrossEntropyWithLogits',
    );
    expectXent(
      () => L.sparseCategoricalCrossentropy([0, 1, 2], P),
      'SHAPE_MISMATCH',
      'sparseCategoricalCrossentropy',
      'targets have shape [3]',
      'labels of shape [2]',
    );
    // PyTorch's layout [N, C, T] without { axis: 1 }: the message names the axis to pass
    expectXent(
      () => L.sparseSoftmaxCrossEntropyWithLogits(zeros([2, 5], 'int32'), zeros([2, 3, 5])),
      'SHAPE_MISMATCH',
      'need labels of shape [2, 3]',
      'pass { axis: 1 }',
    );
    expect(() => L.sparseCategoricalCrossentropy([0, 1, 2], P)).not.toThrow(/axis/);
    expectXent(() => L.crossEntropy([[0.5, 0.5]], P), 'SHAPE_MISMATCH', 'crossEntropy');
    expectXent(() => L.categoricalCrossentropy(0.5, 0.5), 'SHAPE_MISMATCH', 'scalar', 'class axis');
  });

  it('weights whose shapes do not fit', () => {
    expectXent(
      () => L.sparseSoftmaxCrossEntropyWithLogits([0, 1], Z, { classWeights: [1, 2] }),
      'SHAPE_MISMATCH',
      'classWeights has 2 entries',
      '3 classes',
    );
    expectXent(
      () => L.binaryCrossentropy(Y, P, { classWeights: [1, 2] }),
      'SHAPE_MISMATCH',
      'classWeights has 2 entries',
      '3 output units',
    );
    expectXent(
      () => L.softmaxCrossEntropyWithLogits(Y, Z, { sampleWeight: [1, 2, 3] }),
      'SHAPE_MISMATCH',
      'sampleWeight has shape [3]',
      'loss values have shape [2]',
      'classWeights',
    );
    expectXent(
      () => L.sigmoidCrossEntropyWithLogits(Y, Z, { posWeight: [1, 2] }),
      'SHAPE_MISMATCH',
      'posWeight has shape [2]',
      'logits have shape [2, 3]',
    );
    expectXent(() => L.categoricalFocalCrossentropy(Y, P, { alpha: [1, 2] }), 'SHAPE_MISMATCH', 'alpha has 2 entries');
  });

  it('are checked even with validate: false', () => {
    expectXent(() => L.binaryCrossentropy([[1, 0]], P, { validate: false }), 'SHAPE_MISMATCH');
  });

  it('accepts [N] against [N, 1] (Keras), and labels [N, 1]', () => {
    expect(L.binaryCrossentropy([1, 0], [[0.8], [0.3]]).item()).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    expect(L.sparseSoftmaxCrossEntropyWithLogits([[2], [0]], Z)).toBeAllClose(L.sparseSoftmaxCrossEntropyWithLogits([2, 0], Z), {
      rtol: 0,
      atol: 0,
    });
  });
});

describe('SINGLE_CLASS_SOFTMAX', () => {
  it.each([
    ['categoricalCrossentropy', 'binaryCrossentropy'],
    ['sparseCategoricalCrossentropy', 'binaryCrossentropy'],
    ['softmaxCrossEntropyWithLogits', 'sigmoidCrossEntropyWithLogits'],
    ['sparseSoftmaxCrossEntropyWithLogits', 'sigmoidCrossEntropyWithLogits'],
    ['crossEntropy', 'binaryCrossentropy'],
    ['categoricalFocalCrossentropy', 'binaryFocalCrossentropy'],
  ])('%s over one class suggests %s (even with validate: false)', (fn, alt) => {
    const targets = fn.startsWith('sparse') ? [0, 0] : [[1], [1]];
    const opts =
      fn === 'crossEntropy' ? { validate: false } : { validate: false, ...(fn.endsWith('WithLogits') ? {} : { fromLogits: true }) };
    expectXent(() => loose[fn](targets, [[0.3], [2.0]], opts), 'SINGLE_CLASS_SOFTMAX', fn, 'has size 1', 'always 0', alt);
  });

  it('crossEntropy applies no softmax: its message says a distribution over one class is [1], and how to give two', () => {
    for (const [P1, Q1] of [
      [
        [[1], [1]],
        [[1], [1]],
      ],
      [[1], [1]],
    ]) {
      const err = expectXent(
        () => L.crossEntropy(P1, Q1),
        'SINGLE_CLASS_SOFTMAX',
        'crossEntropy: the class axis of predictions',
        'has size 1, so Q, a distribution over one class, is always [1] and H(P‖Q) = −P·log 1 is always 0',
        'use binaryCrossentropy (or give the class axis both outcomes: [1 − q, q])',
      );
      expect(err.message).not.toMatch(/softmax/);
    }
  });
});

describe('SINGLE_CLASS_SOFTMAX on probabilities', () => {
  it.each([
    ['categoricalCrossentropy', [[1], [1]]],
    ['sparseCategoricalCrossentropy', [0, 0]],
    ['categoricalFocalCrossentropy', [[1], [1]]],
  ] as const)('%s on probabilities says the renormalised row is [1], not a softmax (it applies none)', (fn, targets) => {
    // q = clip(p/Σp, ε, 1−ε) is 1 − ε over one class, whatever p: the loss is −y·log(1 − ε), its gradient 0.
    const err = expectXent(
      () => loose[fn](targets, [[0.3], [2.0]], { validate: false }),
      'SINGLE_CLASS_SOFTMAX',
      `${fn}: the class axis of predictions [2, 1] has size 1, so the predictions renormalised over one class (p / Σp) are always [1]: ` +
        'the loss does not depend on them and its gradient is always 0; for one output unit (a yes/no outcome) use binary',
    );
    expect(err.message).not.toMatch(/softmax/);
    // With logits the softmax is applied, and the message says so.
    expectXent(
      () => loose[fn](targets, [[0.3], [2.0]], { fromLogits: true }),
      'SINGLE_CLASS_SOFTMAX',
      'the softmax of a single class is always 1',
    );
  });
});

describe('NOT_PROBABILITIES (suggests fromLogits: true)', () => {
  it('values outside [0, 1] or NaN', () => {
    expectXent(() => L.binaryCrossentropy(Y, Z), 'NOT_PROBABILITIES', 'binaryCrossentropy', 'predictions[0, 1] is 2', 'fromLogits: true');
    expectXent(() => L.binaryCrossentropy([1], [NaN]), 'NOT_PROBABILITIES', 'predictions[0] is NaN');
    expectXent(
      () => L.multiLabelCrossEntropy(Y, Z, { fromLogits: false }),
      'NOT_PROBABILITIES',
      'multiLabelCrossEntropy',
      'fromLogits: true',
    );
    expectXent(() => L.binaryFocalCrossentropy(Y, Z), 'NOT_PROBABILITIES', 'binaryFocalCrossentropy', 'fromLogits: true');
    expectXent(() => L.klDivergence(P, Z), 'NOT_PROBABILITIES', 'klDivergence');
  });
  it('categorical rows not summing to 1 (tolerance 1e-3)', () => {
    expectXent(
      () =>
        L.categoricalCrossentropy(Y, [
          [0.5, 0.89, 0.6],
          [0.1, 0.1, 0.8],
        ]),
      'NOT_PROBABILITIES',
      'categoricalCrossentropy',
      'predictions row [0] sums to 1.99',
      'fromLogits: true',
    );
    expectXent(
      () =>
        L.sparseCategoricalCrossentropy(
          [0, 1],
          [
            [0.2, 0.3, 0.5],
            [0.1, 0.1, 0.7],
          ],
        ),
      'NOT_PROBABILITIES',
      'row [1]',
      'fromLogits: true',
    );
    expectXent(
      () =>
        L.categoricalFocalCrossentropy(Y, [
          [0.2, 0.3, 0.6],
          [0.1, 0.1, 0.8],
        ]),
      'NOT_PROBABILITIES',
      'row [0]',
    );
    expectXent(
      () =>
        L.crossEntropy(Y, [
          [0.2, 0.3, 0.6],
          [0.1, 0.1, 0.8],
        ]),
      'NOT_PROBABILITIES',
      'crossEntropy',
      'softmaxCrossEntropyWithLogits',
    );
    // a 1-D input is one row: it was "predictions row [] sums to 0.7"
    for (const fn of ['categoricalCrossentropy', 'crossEntropy']) {
      const err = expectXent(() => loose[fn]([1, 0], [0.5, 0.2]), 'NOT_PROBABILITIES', `${fn}: predictions sum to 0.7, not 1`);
      expect(err.message).not.toMatch(/row \[/);
    }
    expectXent(() => L.sparseCategoricalCrossentropy(0, [0.5, 0.2]), 'NOT_PROBABILITIES', 'predictions sum to 0.7, not 1');
    expect(() =>
      L.categoricalCrossentropy(Y, [
        [0.2, 0.3, 0.5005],
        [0.1, 0.1, 0.8],
      ]),
    ).not.toThrow();
  });
});

describe('an empty class axis (issue 9: [2, 0] gave 0 or NaN)', () => {
  const empty = () => tensor([], { shape: [2, 0] });
  it.each(['categoricalCrossentropy', 'crossEntropy', 'softmaxCrossEntropyWithLogits', 'categoricalFocalCrossentropy', 'klDivergence'])(
    '%s refuses it: NOT_DISTRIBUTION, a row with no classes cannot sum to 1',
    (fn) => {
      expectXent(() => loose[fn](empty(), empty()), 'NOT_DISTRIBUTION', fn, '[2, 0]', 'cannot sum to 1');
    },
  );
  it.each(['sparseCategoricalCrossentropy', 'sparseSoftmaxCrossEntropyWithLogits'])('%s refuses it too', (fn) => {
    expectXent(() => loose[fn]([0, 0], empty(), { ignoreIndex: 0 }), 'NOT_DISTRIBUTION', fn);
  });
  it.each(['binaryCrossentropy', 'multiLabelCrossEntropy', 'binaryFocalCrossentropy'])(
    '%s: an example with no outputs has no mean (0/0): SHAPE_MISMATCH',
    (fn) => {
      expectXent(() => loose[fn](empty(), empty()), 'SHAPE_MISMATCH', fn, 'size 0');
    },
  );
});

describe('NOT_DISTRIBUTION (suggests the multi-label loss)', () => {
  it('targets rows that do not sum to 1, or entries outside [0, 1]', () => {
    expectXent(
      () =>
        L.categoricalCrossentropy(
          [
            [1, 1, 0],
            [1, 0, 0],
          ],
          P,
        ),
      'NOT_DISTRIBUTION',
      'categoricalCrossentropy',
      'targets row [0] sums to 2',
      'multiLabelCrossEntropy',
    );
    expectXent(
      () =>
        L.softmaxCrossEntropyWithLogits(
          [
            [0, 0, 0],
            [1, 0, 0],
          ],
          Z,
        ),
      'NOT_DISTRIBUTION',
      'softmaxCrossEntropyWithLogits',
      'sums to 0',
      'multiLabelCrossEntropy',
    );
    expectXent(
      () =>
        L.softmaxCrossEntropyWithLogits(
          [
            [1.5, -0.5, 0],
            [1, 0, 0],
          ],
          Z,
        ),
      'NOT_DISTRIBUTION',
      'targets[0, 0] is 1.5',
    );
    expectXent(
      () =>
        L.crossEntropy(
          [
            [0.5, 0.6, 0],
            [1, 0, 0],
          ],
          P,
        ),
      'NOT_DISTRIBUTION',
      'crossEntropy',
      'multiLabelCrossEntropy',
    );
    // 1-D targets are one row: it was "targets row [] sums to 0.7"
    for (const fn of ['categoricalCrossentropy', 'softmaxCrossEntropyWithLogits', 'crossEntropy']) {
      const err = expectXent(() => loose[fn]([0.5, 0.2], [0.5, 0.5]), 'NOT_DISTRIBUTION', `${fn}: targets sum to 0.7, not 1`);
      expect(err.message).not.toMatch(/row \[/);
    }
  });
});

describe('LABEL_OUT_OF_RANGE (position and value)', () => {
  it('labels outside [0, C), negative without ignoreIndex, not whole', () => {
    expectXent(
      () => L.sparseSoftmaxCrossEntropyWithLogits([0, 3], Z),
      'LABEL_OUT_OF_RANGE',
      'sparseSoftmaxCrossEntropyWithLogits',
      'targets[1] is 3',
      '[0, 3)',
      'ignoreIndex',
    );
    expectXent(() => L.sparseCategoricalCrossentropy([-100, 1], P), 'LABEL_OUT_OF_RANGE', 'targets[0] is -100', 'ignoreIndex');
    expectXent(() => L.sparseCategoricalCrossentropy([1.5, 1], P), 'LABEL_OUT_OF_RANGE', 'targets[0] is 1.5', 'whole');
    expectXent(
      () =>
        L.sparseSoftmaxCrossEntropyWithLogits(
          [
            [0, 1],
            [2, 5],
          ],
          [Z, Z],
          { ignoreIndex: -1 },
        ),
      'LABEL_OUT_OF_RANGE',
      'targets[1, 1] is 5',
      'or the ignoreIndex -1',
    );
    expectXent(() => L.sparseSoftmaxCrossEntropyWithLogits([0, 3], Z, { validate: false }), 'LABEL_OUT_OF_RANGE');
  });
});

describe('BAD_TARGETS', () => {
  it('binary and sigmoid targets outside [0, 1] or NaN', () => {
    expectXent(
      () => L.binaryCrossentropy([[0, 2, 1]], [[0.1, 0.5, 0.9]]),
      'BAD_TARGETS',
      'binaryCrossentropy',
      'targets[0, 1] is 2',
      'sparseCategoricalCrossentropy',
    );
    expectXent(() => L.sigmoidCrossEntropyWithLogits([-0.5], [1]), 'BAD_TARGETS', 'sigmoidCrossEntropyWithLogits', 'targets[0] is -0.5');
    expectXent(() => L.multiLabelCrossEntropy([[NaN, 1]], [[0, 1]]), 'BAD_TARGETS', 'multiLabelCrossEntropy', 'NaN', 'multi-hot');
    expectXent(() => L.binaryFocalCrossentropy([3], [0.5]), 'BAD_TARGETS', 'binaryFocalCrossentropy');
  });
});

describe('DTYPE', () => {
  it.each([
    'binaryCrossentropy',
    'categoricalCrossentropy',
    'sparseCategoricalCrossentropy',
    'sigmoidCrossEntropyWithLogits',
    'softmaxCrossEntropyWithLogits',
    'sparseSoftmaxCrossEntropyWithLogits',
    'multiLabelCrossEntropy',
    'crossEntropy',
    'klDivergence',
    'binaryFocalCrossentropy',
    'categoricalFocalCrossentropy',
  ])('%s refuses int32 predictions', (fn) => {
    const targets = fn.startsWith('sparse')
      ? [0, 1]
      : [
          [0, 1],
          [1, 0],
        ];
    expectXent(
      () =>
        loose[fn](
          targets,
          tensor(
            [
              [0, 1],
              [1, 0],
            ],
            { dtype: 'int32' },
          ),
        ),
      'DTYPE',
      fn,
      'int32',
      "dtype 'float64'",
    );
  });
  it('int32 labels and int32 one-hot targets are fine', () => {
    expect(L.sparseSoftmaxCrossEntropyWithLogits(tensor([2, 0], { dtype: 'int32' }), Z).dtype).toBe('float64');
    expect(L.categoricalCrossentropy(tensor(Y, { dtype: 'int32' }), P)).toBeAllClose(L.categoricalCrossentropy(Y, P), { rtol: 0, atol: 0 });
  });
});

describe('validate: false skips the value checks only', () => {
  it('runs on values the checks would refuse', () => {
    expect(() =>
      L.categoricalCrossentropy(
        [
          [1, 1, 0],
          [1, 0, 0],
        ],
        [
          [0.5, 0.89, 0.6],
          [0.1, 0.1, 0.8],
        ],
        { validate: false },
      ),
    ).not.toThrow();
    expect(() => L.binaryCrossentropy([[0, 2, 1]], [[0.1, 0.5, 0.9]], { validate: false })).not.toThrow();
  });
});

describe('a failed call changes nothing', () => {
  const failing: [string, (t: Tensor, p: Tensor) => unknown][] = [
    ['bad option', (t, p) => loose.categoricalCrossentropy(t, p, { from_logits: true })],
    ['not probabilities', (t, p) => L.categoricalCrossentropy(t, p)],
    ['bad sample weight', (t, p) => L.softmaxCrossEntropyWithLogits(t, p, { sampleWeight: [1, 2, 3] })],
    ['bad class weights', (t, p) => L.softmaxCrossEntropyWithLogits(t, p, { classWeights: [1] })],
    [
      'not a distribution',
      (_t, p) =>
        L.softmaxCrossEntropyWithLogits(
          [
            [1, 1, 0],
            [0, 0, 1],
          ],
          p,
        ),
    ],
    ['label out of range', (_t, p) => L.sparseSoftmaxCrossEntropyWithLogits([0, 7], p, { labelSmoothing: 0.1 })],
    ['axis out of range', (t, p) => L.softmaxCrossEntropyWithLogits(t, p, { axis: 3 })],
  ];
  it.each(failing)('%s: inputs, parameters and gradients untouched', (_name, call) => {
    const t = tensor(Y);
    const p = param(tensor(Z));
    const tBefore = clone(t);
    const pBefore = clone(detach(p));
    expect(() => call(t, p)).toThrow(XentError);
    expect(readFlat(t)).toEqual(readFlat(tBefore));
    expect(readFlat(p)).toEqual(readFlat(pBefore));
    expect(p.grad).toBeNull();
    expect(p.node).toBeNull();
    // the parameter still trains normally afterwards
    const loss = L.softmaxCrossEntropyWithLogits(t, p);
    loss.backward();
    expect(p.grad).not.toBeNull();
    expect(readFlat(p)).toEqual(readFlat(pBefore));
  });

  it('a successful call does not mutate its inputs either', () => {
    const t = tensor(Y);
    const p = param(tensor(P));
    const sw = tensor([1, 2]);
    const before = [clone(t), clone(detach(p)), clone(sw)];
    L.categoricalCrossentropy(t, p, { labelSmoothing: 0.2, classWeights: [1, 2, 3], sampleWeight: sw }).backward();
    [t, p, sw].forEach((x, i) => expect(readFlat(x)).toEqual(readFlat(before[i])));
  });
});

describe('a fourth argument is INVALID_ARGUMENT (it was dropped: tf.losses takes labelSmoothing and reduction positionally)', () => {
  const four = L as unknown as Record<string, (t: unknown, p: unknown, o: unknown, extra: unknown) => Tensor>;
  it.each([
    ['binaryCrossentropy', Y, P],
    ['sigmoidCrossEntropyWithLogits', Y, Z],
    ['multiLabelCrossEntropy', Y, Z],
    ['categoricalCrossentropy', Y, P],
    ['softmaxCrossEntropyWithLogits', Y, Z],
    ['sparseCategoricalCrossentropy', [2, 0], P],
    ['sparseSoftmaxCrossEntropyWithLogits', [2, 0], Z],
    ['polyCrossEntropyWithLogits', Y, Z],
    ['crossEntropy', Y, P],
    ['klDivergence', Y, P],
    ['binaryFocalCrossentropy', Y, P],
    ['categoricalFocalCrossentropy', Y, P],
  ])('%s(targets, predictions, undefined, 0.1)', (name, y, p) => {
    expect(() => loose[name](y, p)).not.toThrow();
    expectXent(
      () => four[name](y, p, undefined, 0.1),
      'INVALID_ARGUMENT',
      `${name}: takes (targets, predictions, options?), got 4 arguments`,
    );
  });
});
