// The option rules of packages/losses/README.md: null/undefined mean "not given" (except reduction: null),
// wrong types and values out of range are INVALID_OPTION, hints for foreign spellings, options as a class
// instance, the documented ranges' edges, and a call never writing to its options or inputs.
import { describe, expect, it } from 'vitest';
import { tensor } from '@xent/tensor';
import { LABELS, P3, PB, Y3, YB, Z3, ZB } from './data.js';
import { expectClose, read, refValue, refusal, xentLoss, type LossName, type Nested, type Opts } from './reference.js';

const int = (x: Nested) => tensor(x, { dtype: 'int32' });

describe('null and undefined mean "not given"', () => {
  const cases: [LossName, () => unknown, Nested, string][] = [
    ['softmaxCrossEntropyWithLogits', () => Y3, Z3, 'sampleWeight'],
    ['softmaxCrossEntropyWithLogits', () => Y3, Z3, 'classWeights'],
    ['softmaxCrossEntropyWithLogits', () => Y3, Z3, 'labelSmoothing'],
    ['softmaxCrossEntropyWithLogits', () => Y3, Z3, 'axis'],
    ['categoricalCrossentropy', () => Y3, P3, 'epsilon'],
    ['categoricalCrossentropy', () => Y3, P3, 'fromLogits'],
    ['sparseSoftmaxCrossEntropyWithLogits', () => int(LABELS), Z3, 'ignoreIndex'],
    ['sigmoidCrossEntropyWithLogits', () => YB, ZB, 'posWeight'],
    ['multiLabelCrossEntropy', () => YB, ZB, 'fromLogits'], // null keeps the default true
  ];
  for (const [name, t, p, opt] of cases) {
    it(`${name}: ${opt}: null and undefined`, () => {
      const plain = read(xentLoss(name)(t(), p, { reduction: 'none' }));
      expectClose(read(xentLoss(name)(t(), p, { reduction: 'none', [opt]: null })), plain, { rtol: 0, atol: 0 });
      expectClose(read(xentLoss(name)(t(), p, { reduction: 'none', [opt]: undefined })), plain, { rtol: 0, atol: 0 });
    });
  }
  it("reduction: null is refused (Keras's None there means 'none')", () => {
    refusal(() => xentLoss('softmaxCrossEntropyWithLogits')(Y3, Z3, { reduction: null }), 'INVALID_OPTION');
  });
  it('options itself may be undefined', () => {
    const plain = read(xentLoss('softmaxCrossEntropyWithLogits')(Y3, Z3));
    expectClose(read(xentLoss('softmaxCrossEntropyWithLogits')(Y3, Z3, undefined)), plain, { rtol: 0, atol: 0 });
  });
});

describe('values of the wrong type are INVALID_OPTION', () => {
  for (const [opt, value] of [
    ['labelSmoothing', '0.1'],
    ['labelSmoothing', true],
    ['reduction', 1],
    ['fromLogits', 1],
    ['epsilon', '1e-7'],
    ['axis', '-1'],
    ['classWeights', 'balanced'],
  ] as const) {
    it(`${opt}: ${JSON.stringify(value)}`, () => {
      const err = refusal(() => xentLoss('categoricalCrossentropy')(Y3, P3, { [opt]: value }), 'INVALID_OPTION');
      expect(err.message).toContain(opt);
    });
  }
});

describe('refusals of unknown options carry a hint', () => {
  it("from_logits → did you mean 'fromLogits'", () => {
    expect(refusal(() => xentLoss('binaryCrossentropy')(YB, PB, { from_logits: true }), 'INVALID_OPTION').message).toMatch(/fromLogits/);
  });
  it('weight → classWeights, ignore_class → ignoreIndex', () => {
    expect(
      refusal(() => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), Z3, { weight: [1, 2, 3] }), 'INVALID_OPTION').message,
    ).toMatch(/classWeights/);
    expect(
      refusal(() => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), Z3, { ignore_class: 1 }), 'INVALID_OPTION').message,
    ).toMatch(/ignoreIndex/);
  });
  it('an option of another loss names the losses that take it', () => {
    const err = refusal(() => xentLoss('categoricalCrossentropy')(Y3, P3, { posWeight: 2 }), 'INVALID_OPTION');
    expect(err.message).toMatch(/sigmoidCrossEntropyWithLogits|multiLabelCrossEntropy/);
  });
});

describe('options may be a class instance: its getters are read', () => {
  class Settings {
    readonly #smoothing = 0.2; // an ES private field: not a property, so not an option
    get labelSmoothing(): number {
      return this.#smoothing;
    }
    get reduction(): string {
      return 'sum';
    }
  }
  it('gives what the plain object gives', () => {
    const got = read(xentLoss('softmaxCrossEntropyWithLogits')(Y3, Z3, new Settings() as unknown as Opts));
    expectClose(got, refValue('softmaxCrossEntropyWithLogits', Y3, Z3, { labelSmoothing: 0.2, reduction: 'sum' }));
  });
});

describe('the edges of the documented ranges', () => {
  it('labelSmoothing 0 and 1 are accepted; 1 makes binary targets 1/2', () => {
    for (const ls of [0, 1]) {
      const o = { labelSmoothing: ls, reduction: 'none' };
      expectClose(read(xentLoss('binaryCrossentropy')(YB, PB, o)), refValue('binaryCrossentropy', YB, PB, o));
    }
    const half = YB.map((r) => r.map(() => 0.5));
    expectClose(read(xentLoss('binaryCrossentropy')(YB, PB, { labelSmoothing: 1 })), refValue('binaryCrossentropy', half, PB));
  });
  it('epsilon: the smallest normal float (2⁻¹⁰²²) and 0.49 are accepted; a subnormal and 0.5 are not', () => {
    for (const eps of [2 ** -1022, 0.49]) {
      const o = { epsilon: eps, reduction: 'none' };
      expectClose(read(xentLoss('binaryCrossentropy')(YB, PB, o)), refValue('binaryCrossentropy', YB, PB, o));
    }
    refusal(() => xentLoss('binaryCrossentropy')(YB, PB, { epsilon: 2 ** -1030 }), 'INVALID_OPTION');
    refusal(() => xentLoss('binaryCrossentropy')(YB, PB, { epsilon: 0.5 }), 'INVALID_OPTION');
  });
  it('NaN or infinite weights are refused (they would give NaN silently)', () => {
    for (const bad of [NaN, Infinity]) {
      refusal(() => xentLoss('softmaxCrossEntropyWithLogits')(Y3, Z3, { sampleWeight: [1, bad, 1, 1] }), 'INVALID_OPTION');
      refusal(() => xentLoss('sparseSoftmaxCrossEntropyWithLogits')(int(LABELS), Z3, { classWeights: [1, bad, 1] }), 'INVALID_OPTION');
      refusal(() => xentLoss('sigmoidCrossEntropyWithLogits')(YB, ZB, { posWeight: [bad, 1] }), 'INVALID_OPTION');
    }
  });
  it('polyEpsilon may be any finite real', () => {
    for (const pe of [-3, 0, 100]) {
      const o = { polyEpsilon: pe, reduction: 'none' };
      expectClose(read(xentLoss('polyCrossEntropyWithLogits')(Y3, Z3, o)), refValue('polyCrossEntropyWithLogits', Y3, Z3, o), {
        rtol: 1e-12,
        atol: 1e-12,
      });
    }
  });
});

describe('a call writes to neither its options nor its inputs', () => {
  const deepFreeze = <T>(x: T): T => {
    if (x !== null && typeof x === 'object') {
      Object.values(x as object).forEach(deepFreeze);
      Object.freeze(x);
    }
    return x;
  };
  it('frozen options and frozen nested inputs are accepted', () => {
    const o = deepFreeze({ classWeights: [2, 0.5, 1], sampleWeight: [1, 2, 3, 4], labelSmoothing: 0.1, reduction: 'none' });
    const t = deepFreeze(LABELS.slice());
    const p = deepFreeze(P3.map((r) => r.slice()));
    const got = read(xentLoss('sparseCategoricalCrossentropy')(t, p, o));
    expectClose(got, refValue('sparseCategoricalCrossentropy', LABELS, P3, o));
  });
  it('predictions outside the clip range (validate: false) are clipped in a copy, not in place', () => {
    const p = tensor([
      [1.2, 0.3],
      [-0.5, 0.6],
    ]);
    const t = tensor([
      [1, 0],
      [0, 1],
    ]);
    xentLoss('binaryCrossentropy')(t, p, { validate: false });
    xentLoss('categoricalCrossentropy')(t, p, { validate: false });
    expect(p.toArray()).toEqual([
      [1.2, 0.3],
      [-0.5, 0.6],
    ]);
    expect(t.toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });
  it('smoothing and class weights do not write into the targets or the weights', () => {
    const y = tensor(Y3);
    const w = tensor([2, 0.5, 1]);
    const s = tensor([1, 2, 3, 4]);
    xentLoss('softmaxCrossEntropyWithLogits')(y, Z3, { labelSmoothing: 0.3, classWeights: w, sampleWeight: s });
    xentLoss('categoricalCrossentropy')(y, P3, { labelSmoothing: 0.3, classWeights: w, sampleWeight: s });
    expect(y.toArray()).toEqual(Y3);
    expect(w.toArray()).toEqual([2, 0.5, 1]);
    expect(s.toArray()).toEqual([1, 2, 3, 4]);
  });
});
