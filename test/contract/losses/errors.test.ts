// Contract §5: every error code in the situations the table lists, messages that name the function and the
// argument (and the fix where the contract names one), validate: false skipping the value checks but not the
// shape checks, and a failed call changing nothing.
import { describe, expect, it } from 'vitest';
import { matmul, param, sigmoid, softmax, sum } from '@xent/autograd';
import { XentError, tensor, type Tensor } from '@xent/tensor';
import { LABELS, MULTI_HOT, ONE_HOT, P3, PB, Y3, YB, Z3, ZB } from './data.js';
import { expectClose, read, refValue, refusal, xentLoss, type LossName, type Nested, type Opts } from './reference.js';

const int = (x: Nested) => tensor(x, { dtype: 'int32' });
const call = (name: LossName, t: unknown, p: unknown, o?: Opts) => () => xentLoss(name)(t, p, o);

/** Expects the code, and a message naming the function and each of `mentions`. */
function refuses(name: LossName, t: unknown, p: unknown, o: Opts | undefined, code: string, ...mentions: (string | RegExp)[]): XentError {
  const err = refusal(call(name, t, p, o), code);
  expect(err.message).toContain(name);
  for (const m of mentions) {
    if (typeof m === 'string') expect(err.message).toContain(m);
    else expect(err.message).toMatch(m);
  }
  return err;
}

describe('SINGLE_CLASS_SOFTMAX: a softmax/categorical loss over a class axis of size 1', () => {
  const one = [[1], [1]];
  const z1 = [[0.3], [2]];
  const cases: [LossName, unknown, Nested, Opts?][] = [
    ['categoricalCrossentropy', one, one],
    ['categoricalCrossentropy', one, z1, { fromLogits: true }],
    ['softmaxCrossEntropyWithLogits', one, z1],
    ['sparseCategoricalCrossentropy', int([0, 0]), one],
    ['sparseSoftmaxCrossEntropyWithLogits', int([0, 0]), z1],
    ['polyCrossEntropyWithLogits', one, z1],
    ['softmaxCrossEntropyWithLogits', [[[1, 1]], [[1, 1]]], [[[0.5, 1]], [[2, 3]]], { axis: 1 }],
  ];
  for (const [name, t, p, o] of cases) {
    it(`${name} ${JSON.stringify(o ?? {})}`, () => {
      refuses(name, t, p, o, 'SINGLE_CLASS_SOFTMAX');
    });
  }
});

describe('NOT_PROBABILITIES: probability predictions outside [0, 1], NaN, or rows not summing to 1 (±1e-3); suggests fromLogits', () => {
  const bad = (v: number) => [PB[0]!, [PB[1]![0]!, v], PB[2]!];
  for (const v of [1.2, -0.1, NaN]) {
    it(`binaryCrossentropy with a prediction ${v}: the message names it and where`, () => {
      refuses(
        'binaryCrossentropy',
        YB.slice(0, 3),
        bad(v),
        undefined,
        'NOT_PROBABILITIES',
        'fromLogits',
        'predictions',
        String(v),
        /\[1, 1\]/,
      );
    });
    it(`multiLabelCrossEntropy with fromLogits: false and a prediction ${v}`, () => {
      refuses('multiLabelCrossEntropy', YB.slice(0, 3), bad(v), { fromLogits: false }, 'NOT_PROBABILITIES', 'fromLogits');
    });
    it(`binaryFocalCrossentropy with a prediction ${v}`, () => {
      refuses('binaryFocalCrossentropy', YB.slice(0, 3), bad(v), undefined, 'NOT_PROBABILITIES', 'fromLogits');
    });
  }
  it('binaryCrossentropy with logits passed as probabilities (the usual mistake)', () => {
    refuses('binaryCrossentropy', YB, ZB, undefined, 'NOT_PROBABILITIES', 'fromLogits: true');
  });

  const rowsOff = (s: number) => [P3[0]!, P3[1]!.map((v) => v * s), P3[2]!, P3[3]!];
  for (const [name, t] of [
    ['categoricalCrossentropy', Y3],
    ['sparseCategoricalCrossentropy', int(LABELS)],
    ['categoricalFocalCrossentropy', Y3],
  ] as const) {
    it(`${name}: a row summing to 1.5 is refused, 1.002 too, 1.0005 is accepted`, () => {
      refuses(name, t, rowsOff(1.5), undefined, 'NOT_PROBABILITIES', 'fromLogits', 'predictions');
      refuses(name, t, rowsOff(1.002), undefined, 'NOT_PROBABILITIES');
      expect(Number.isFinite(xentLoss(name)(t, rowsOff(1.0005)).item())).toBe(true);
    });
    it(`${name}: logits passed as probabilities`, () => {
      refuses(name, t, Z3, undefined, 'NOT_PROBABILITIES', 'fromLogits: true');
    });
    it(`${name}: a NaN prediction`, () => {
      refuses(name, t, [P3[0]!, [0.5, NaN, 0.5], P3[2]!, P3[3]!], undefined, 'NOT_PROBABILITIES');
    });
  }
  it('crossEntropy: Q outside [0, 1]', () => {
    refusal(call('crossEntropy', Y3, Z3), 'NOT_PROBABILITIES');
  });
});

describe('NOT_DISTRIBUTION: categorical/softmax targets whose rows do not sum to 1; suggests the multi-label loss', () => {
  const cases: [LossName, Nested, Opts?][] = [
    ['categoricalCrossentropy', P3],
    ['categoricalCrossentropy', Z3, { fromLogits: true }],
    ['softmaxCrossEntropyWithLogits', Z3],
    ['softmaxCrossEntropyWithLogits', Z3, { labelSmoothing: 0.1 }],
    ['softmaxCrossEntropyWithLogits', Z3, { classWeights: [1, 2, 3] }],
    ['polyCrossEntropyWithLogits', Z3],
  ];
  for (const [name, p, o] of cases) {
    it(`${name} ${JSON.stringify(o ?? {})}`, () => {
      refuses(name, MULTI_HOT, p, o, 'NOT_DISTRIBUTION', 'multiLabelCrossEntropy', 'targets');
    });
  }
  it('a class axis of size 0', () => {
    refuses('softmaxCrossEntropyWithLogits', tensor([], { shape: [2, 0] }), tensor([], { shape: [2, 0] }), undefined, 'NOT_DISTRIBUTION');
  });
  it('a row summing to 0.5 (only the last row off)', () => {
    refuses('softmaxCrossEntropyWithLogits', [...ONE_HOT.slice(0, 3), [0.25, 0.25, 0]], Z3, undefined, 'NOT_DISTRIBUTION');
  });
});

describe('LABEL_OUT_OF_RANGE: an integer label outside [0, C) that is not ignoreIndex, or not a whole number; position and value', () => {
  const logits = [Z3.slice(0, 3), Z3.slice(1, 4)]; // [2, 3, 3]
  for (const name of ['sparseSoftmaxCrossEntropyWithLogits', 'sparseCategoricalCrossentropy'] as const) {
    const preds = name === 'sparseCategoricalCrossentropy' ? [P3.slice(0, 3), P3.slice(1, 4)] : logits;
    for (const [what, labels, value] of [
      [
        'C',
        int([
          [0, 1, 2],
          [1, 0, 3],
        ]),
        '3',
      ],
      [
        '17',
        int([
          [0, 1, 2],
          [1, 0, 17],
        ]),
        '17',
      ],
      [
        '−1 (no ignoreIndex)',
        int([
          [0, 1, 2],
          [1, 0, -1],
        ]),
        '-1',
      ],
      [
        '1.5 (float labels)',
        tensor([
          [0, 1, 2],
          [1, 0, 1.5],
        ]),
        '1.5',
      ],
      [
        'NaN',
        tensor([
          [0, 1, 2],
          [1, 0, NaN],
        ]),
        'NaN',
      ],
    ] as const) {
      it(`${name}: label ${what} at [1, 2]`, () => {
        const err = refuses(name, labels, preds, undefined, 'LABEL_OUT_OF_RANGE', value, /\[1, 2\]/);
        expect(err.message).toMatch(/label|target/i);
      });
    }
    it(`${name}: −100 with ignoreIndex −1 is out of range; with ignoreIndex −100 it is fine`, () => {
      refuses(
        name,
        int([0, -100, 1, 2]),
        name === 'sparseCategoricalCrossentropy' ? P3 : Z3,
        { ignoreIndex: -1 },
        'LABEL_OUT_OF_RANGE',
        '-100',
      );
      expect(
        Number.isFinite(
          xentLoss(name)(int([0, -100, 1, 2]), name === 'sparseCategoricalCrossentropy' ? P3 : Z3, { ignoreIndex: -100 }).item(),
        ),
      ).toBe(true);
    });
  }
});

describe('BAD_TARGETS: binary/sigmoid targets outside [0, 1] or NaN', () => {
  for (const v of [1.5, -0.2, NaN]) {
    const t = [YB[0]!, [v, 1], YB[2]!, YB[3]!];
    it(`target ${v}`, () => {
      refuses('binaryCrossentropy', t, PB, undefined, 'BAD_TARGETS', 'targets', String(v), /\[1, 0\]/);
      refuses('binaryCrossentropy', t, ZB, { fromLogits: true }, 'BAD_TARGETS', 'targets');
      refuses('sigmoidCrossEntropyWithLogits', t, ZB, undefined, 'BAD_TARGETS', 'targets');
      refuses('multiLabelCrossEntropy', t, ZB, undefined, 'BAD_TARGETS', 'targets');
      refuses('binaryFocalCrossentropy', t, PB, undefined, 'BAD_TARGETS', 'targets');
    });
  }
});

describe('DTYPE: integer-typed predictions or logits', () => {
  const cases: [LossName, unknown, Nested][] = [
    ['binaryCrossentropy', [[1, 0]], [[1, 0]]],
    ['sigmoidCrossEntropyWithLogits', [[1, 0]], [[3, -2]]],
    ['multiLabelCrossEntropy', [[1, 0]], [[3, -2]]],
    ['categoricalCrossentropy', [[1, 0, 0]], [[1, 0, 0]]],
    ['softmaxCrossEntropyWithLogits', [[1, 0, 0]], [[3, -2, 0]]],
    ['sparseCategoricalCrossentropy', int([0]), [[1, 0, 0]]],
    ['sparseSoftmaxCrossEntropyWithLogits', int([0]), [[3, -2, 0]]],
    ['crossEntropy', [[1, 0, 0]], [[1, 0, 0]]],
    ['polyCrossEntropyWithLogits', [[1, 0, 0]], [[3, -2, 0]]],
  ];
  for (const [name, t, p] of cases) {
    it(name, () => {
      refuses(name, t, int(p), undefined, 'DTYPE', 'int32');
    });
  }
  it('int32 labels and whole-number float labels are both fine', () => {
    expect(Number.isFinite(xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), Z3).item())).toBe(true);
    expect(Number.isFinite(xentLoss('sparseSoftmaxCrossEntropyWithLogits')(tensor(LABELS), Z3).item())).toBe(true);
  });
});

describe('SHAPE_MISMATCH: shapes that must agree or broadcast do not', () => {
  it('binary and sigmoid targets of another shape', () => {
    refuses('binaryCrossentropy', [[1], [0], [1], [0]], PB, undefined, 'SHAPE_MISMATCH', '[4, 1]', '[4, 2]');
    refuses('sigmoidCrossEntropyWithLogits', YB.slice(0, 3), ZB, undefined, 'SHAPE_MISMATCH', '[3, 2]', '[4, 2]');
    refuses(
      'multiLabelCrossEntropy',
      YB.map((r) => [...r, 0]),
      ZB,
      undefined,
      'SHAPE_MISMATCH',
    );
  });
  it('distribution targets of another shape', () => {
    refuses('categoricalCrossentropy', YB, P3, undefined, 'SHAPE_MISMATCH', '[4, 2]', '[4, 3]');
    refuses('softmaxCrossEntropyWithLogits', Y3.slice(0, 2), Z3, undefined, 'SHAPE_MISMATCH');
    refuses('crossEntropy', YB, P3, undefined, 'SHAPE_MISMATCH');
  });
  it('labels that are not the predictions without their class axis', () => {
    refuses('sparseSoftmaxCrossEntropyWithLogits', int([0, 1, 2]), Z3, undefined, 'SHAPE_MISMATCH', '[3]', '[4, 3]');
    refuses(
      'sparseCategoricalCrossentropy',
      int([
        [0, 1],
        [2, 0],
        [1, 1],
        [0, 0],
      ]),
      P3,
      undefined,
      'SHAPE_MISMATCH',
    );
  });
  it('a sample weight that does not broadcast onto the loss values', () => {
    refuses('sparseSoftmaxCrossEntropyWithLogits', int(LABELS), Z3, { sampleWeight: [1, 2, 3] }, 'SHAPE_MISMATCH', 'sampleWeight');
    refuses('sigmoidCrossEntropyWithLogits', YB, ZB, { sampleWeight: [[1, 2, 3]] }, 'SHAPE_MISMATCH', 'sampleWeight');
  });
  it('class weights or posWeight of the wrong length (SHAPE_MISMATCH or INVALID_OPTION, naming the option)', () => {
    for (const [name, t, p, o] of [
      ['softmaxCrossEntropyWithLogits', Y3, Z3, { classWeights: [1, 2] }],
      ['sparseSoftmaxCrossEntropyWithLogits', int(LABELS), Z3, { classWeights: [1, 2, 3, 4] }],
      ['sigmoidCrossEntropyWithLogits', YB, ZB, { posWeight: [1, 2, 3] }],
    ] as [LossName, unknown, Nested, Opts][]) {
      let err: unknown;
      try {
        xentLoss(name)(t, p, o);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(XentError);
      expect(['SHAPE_MISMATCH', 'INVALID_OPTION']).toContain((err as XentError).code);
      expect((err as XentError).message).toContain(Object.keys(o)[0]!);
    }
  });
});

describe('INVALID_OPTION: unknown names and values out of range', () => {
  const unknown: [LossName, unknown, Nested, Opts, string][] = [
    ['binaryCrossentropy', YB, PB, { from_logits: true }, 'from_logits'],
    ['categoricalCrossentropy', Y3, P3, { foo: 1 }, 'foo'],
    ['sparseSoftmaxCrossEntropyWithLogits', int(LABELS), Z3, { weight: [1, 2, 3] }, 'weight'],
    ['sparseSoftmaxCrossEntropyWithLogits', int(LABELS), Z3, { ignore_class: -1 }, 'ignore_class'],
    ['categoricalCrossentropy', Y3, P3, { posWeight: 2 }, 'posWeight'], // an option of another loss
    ['binaryCrossentropy', YB, PB, { ignoreIndex: -100 }, 'ignoreIndex'],
    ['softmaxCrossEntropyWithLogits', Y3, Z3, { polyEpsilon: 1 }, 'polyEpsilon'],
    ['softmaxCrossEntropyWithLogits', Y3, Z3, { fromLogits: true }, 'fromLogits'], // always logits: not an option
  ];
  for (const [name, t, p, o, opt] of unknown) {
    it(`${name}: unknown option ${opt}`, () => {
      refuses(name, t, p, o, 'INVALID_OPTION', opt);
    });
  }

  const outOfRange: [LossName, unknown, Nested, Opts, string][] = [
    ['binaryCrossentropy', YB, PB, { labelSmoothing: 1.5 }, 'labelSmoothing'],
    ['categoricalCrossentropy', Y3, P3, { labelSmoothing: -0.1 }, 'labelSmoothing'],
    ['sparseSoftmaxCrossEntropyWithLogits', int(LABELS), Z3, { labelSmoothing: NaN }, 'labelSmoothing'],
    ['binaryCrossentropy', YB, PB, { epsilon: 0 }, 'epsilon'],
    ['binaryCrossentropy', YB, PB, { epsilon: -1e-7 }, 'epsilon'],
    ['categoricalCrossentropy', Y3, P3, { epsilon: 0.5 }, 'epsilon'],
    ['categoricalCrossentropy', Y3, P3, { epsilon: 1 }, 'epsilon'],
    ['softmaxCrossEntropyWithLogits', Y3, Z3, { reduction: 'avg' }, 'reduction'],
    ['softmaxCrossEntropyWithLogits', Y3, Z3, { reduction: 'batchmean' }, 'reduction'],
    ['sigmoidCrossEntropyWithLogits', YB, ZB, { reduction: 'MEAN' }, 'reduction'],
    ['binaryFocalCrossentropy', YB, PB, { gamma: -1 }, 'gamma'],
    ['polyCrossEntropyWithLogits', Y3, Z3, { polyEpsilon: NaN }, 'polyEpsilon'],
    ['polyCrossEntropyWithLogits', Y3, Z3, { polyEpsilon: Infinity }, 'polyEpsilon'],
    ['categoricalCrossentropy', Y3, P3, { fromLogits: 'true' }, 'fromLogits'],
    ['categoricalCrossentropy', Y3, P3, { validate: 'no' }, 'validate'],
    ['softmaxCrossEntropyWithLogits', Y3, Z3, { axis: 1.5 }, 'axis'],
  ];
  for (const [name, t, p, o, opt] of outOfRange) {
    it(`${name}: ${opt} = ${String(Object.values(o)[0])}`, () => {
      refuses(name, t, p, o, 'INVALID_OPTION', opt);
    });
  }
  it('an axis out of range for the predictions', () => {
    refuses('softmaxCrossEntropyWithLogits', Y3, Z3, { axis: 2 }, 'INVALID_OPTION', 'axis');
    refuses('categoricalCrossentropy', Y3, P3, { axis: -3 }, 'INVALID_OPTION', 'axis');
  });
});

describe('INVALID_ARGUMENT: logits recorded as the output of softmax or sigmoid (README)', () => {
  it('softmax output given to a softmax loss names the probability loss to use', () => {
    const z = param(tensor(Z3));
    refuses('softmaxCrossEntropyWithLogits', Y3, softmax(z), undefined, 'INVALID_ARGUMENT', 'categoricalCrossentropy');
    refuses('sparseSoftmaxCrossEntropyWithLogits', int(LABELS), softmax(z), undefined, 'INVALID_ARGUMENT');
    refuses('categoricalCrossentropy', Y3, softmax(z), { fromLogits: true }, 'INVALID_ARGUMENT');
  });
  it('sigmoid output given to a sigmoid loss names binaryCrossentropy', () => {
    const z = param(tensor(ZB));
    refuses('sigmoidCrossEntropyWithLogits', YB, sigmoid(z), undefined, 'INVALID_ARGUMENT', 'binaryCrossentropy');
    refuses('multiLabelCrossEntropy', YB, sigmoid(z), undefined, 'INVALID_ARGUMENT');
  });
  it('the same probabilities as a probability loss are fine', () => {
    const z = param(tensor(Z3));
    const got = read(xentLoss('categoricalCrossentropy')(Y3, softmax(z), { reduction: 'none' }));
    const probs = Z3.map((r) => {
      const e = r.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    expectClose(got, refValue('categoricalCrossentropy', Y3, probs, { reduction: 'none' }), { rtol: 1e-12, atol: 1e-14 });
  });
});

describe('validate: false skips the value checks, not the shape checks', () => {
  it('binary: predictions outside [0, 1] are clipped (the formula), not refused', () => {
    const p = [
      [1.2, 0.3],
      [-0.5, 0.6],
    ];
    const t = [
      [1, 0],
      [0, 1],
    ];
    expectClose(
      read(xentLoss('binaryCrossentropy')(t, p, { validate: false, reduction: 'none' })),
      refValue('binaryCrossentropy', t, p, { reduction: 'none' }),
    );
  });
  it('binary: targets outside [0, 1] go into the formula', () => {
    const t = [
      [1.5, 0],
      [0, 1],
    ];
    const p = [
      [0.7, 0.3],
      [0.2, 0.6],
    ];
    expectClose(
      read(xentLoss('binaryCrossentropy')(t, p, { validate: false, reduction: 'none' })),
      refValue('binaryCrossentropy', t, p, { reduction: 'none' }),
    );
  });
  it('categorical: rows summing to 2 are divided by their sum (Keras), multi-hot targets go into −Σ y log q', () => {
    const p = P3.map((r) => r.map((v) => 2 * v));
    expectClose(
      read(xentLoss('categoricalCrossentropy')(Y3, p, { validate: false, reduction: 'none' })),
      refValue('categoricalCrossentropy', Y3, P3, { reduction: 'none' }),
    );
    expectClose(
      read(xentLoss('softmaxCrossEntropyWithLogits')(MULTI_HOT, Z3, { validate: false, reduction: 'none' })),
      refValue('softmaxCrossEntropyWithLogits', MULTI_HOT, Z3, { reduction: 'none' }),
    );
  });
  it('multi-hot targets with validate: false: the gradient is (Σy)·softmax(z) − y', () => {
    const z = param(tensor(Z3));
    sum(xentLoss('softmaxCrossEntropyWithLogits')(MULTI_HOT, z, { validate: false, reduction: 'sum' })).backward();
    const expected = Z3.flatMap((r, i) => {
      const e = r.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      const ySum = MULTI_HOT[i]!.reduce((a, b) => a + b, 0);
      return e.map((v, c) => (ySum * v) / s - MULTI_HOT[i]![c]!);
    });
    expectClose(read(z.grad!), { data: expected, shape: [4, 3] }, { rtol: 1e-12, atol: 1e-14 });
  });
  it('labels are still range-checked (README: not the label range check)', () => {
    refuses('sparseSoftmaxCrossEntropyWithLogits', int([0, 1, 2, 3]), Z3, { validate: false }, 'LABEL_OUT_OF_RANGE');
    refuses('sparseCategoricalCrossentropy', int([0, 1, -1, 0]), P3, { validate: false }, 'LABEL_OUT_OF_RANGE');
  });
  it('shape checks, dtype checks and option checks still run', () => {
    refuses('binaryCrossentropy', [[1], [0], [1], [0]], PB, { validate: false }, 'SHAPE_MISMATCH');
    refuses('sparseSoftmaxCrossEntropyWithLogits', int([0, 1, 2]), Z3, { validate: false }, 'SHAPE_MISMATCH');
    refuses('softmaxCrossEntropyWithLogits', Y3, Z3, { validate: false, sampleWeight: [1, 2] }, 'SHAPE_MISMATCH');
    refuses('softmaxCrossEntropyWithLogits', [[1], [1]], [[0.3], [2]], { validate: false }, 'SINGLE_CLASS_SOFTMAX');
    refuses('categoricalCrossentropy', Y3, int(ONE_HOT), { validate: false }, 'DTYPE');
    refuses('categoricalCrossentropy', Y3, P3, { validate: false, labelSmoothing: 2 }, 'INVALID_OPTION');
  });
});

describe('a failed call changes nothing: parameters, their .grad, targets', () => {
  const X = [
    [1, 0.5],
    [-0.3, 2],
    [0.7, -1.1],
    [0.2, 0.4],
  ];
  const W0 = [
    [0.1, -0.2, 0.3],
    [0.5, 0.05, -0.4],
  ];
  const snapshot = (t: Tensor) => JSON.stringify(t.toArray());
  const failing: [string, (z: Tensor, w: Tensor) => unknown, string][] = [
    [
      'label out of range in the last row',
      (z) => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int([0, 1, 2, 3]), z),
      'LABEL_OUT_OF_RANGE',
    ],
    ['multi-hot last row', (z) => xentLoss('softmaxCrossEntropyWithLogits')([...ONE_HOT.slice(0, 3), [1, 1, 0]], z), 'NOT_DISTRIBUTION'],
    [
      'smoothed, multi-hot last row',
      (z) => xentLoss('softmaxCrossEntropyWithLogits')([...ONE_HOT.slice(0, 3), [1, 1, 0]], z, { labelSmoothing: 0.1 }),
      'NOT_DISTRIBUTION',
    ],
    [
      'sample weights that do not fit',
      (z) => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), z, { sampleWeight: [1, 2] }),
      'SHAPE_MISMATCH',
    ],
    [
      'an unknown option',
      (z) => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), z, { labelSmoothing: 0.1, foo: 1 }),
      'INVALID_OPTION',
    ],
    ['logits given as probabilities', (z) => xentLoss('categoricalCrossentropy')(ONE_HOT, z), 'NOT_PROBABILITIES'],
    [
      'the parameter itself as probabilities, one value out of range',
      (_z, w) =>
        xentLoss('binaryCrossentropy')(
          [
            [1, 0, 1],
            [0, 1, 0],
          ],
          w,
        ),
      'NOT_PROBABILITIES',
    ],
  ];
  for (const [what, fail, code] of failing) {
    it(what, () => {
      const W = param(tensor(W0));
      const good = () => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), matmul(X, W));
      good().backward();
      const g1 = W.grad!.toArray() as number[][];
      const before = snapshot(W);
      const Y = tensor(ONE_HOT);
      const yBefore = snapshot(Y);

      refusal(() => fail(matmul(X, W), W), code);

      expect(snapshot(W)).toBe(before);
      expect(W.grad!.toArray()).toEqual(g1);
      expect(snapshot(Y)).toBe(yBefore);
      // the next step accumulates exactly one more gradient: nothing half-recorded was left behind
      good().backward();
      expectClose(read(W.grad!), { data: g1.flat().map((g) => 2 * g), shape: [2, 3] }, { rtol: 1e-14, atol: 0 });
    });
  }

  it('a parameter passed directly as predictions keeps .grad null after a refusal', () => {
    const z = param(tensor(Z3));
    const before = snapshot(z);
    refusal(() => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int([0, 1, 2, 5]), z), 'LABEL_OUT_OF_RANGE');
    expect(z.grad).toBeNull();
    expect(snapshot(z)).toBe(before);
    sum(xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), z)).backward();
    expect(z.grad).not.toBeNull();
  });
});
