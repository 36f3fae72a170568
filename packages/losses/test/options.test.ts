// Options (issue 9 item 1 and 8, issue 14): null/undefined mean "not given" (Keras's None),
// any other non-numeric value for a number is INVALID_OPTION, options given as a class
// instance are read through its getters, and which loss takes an option comes from the schemas.
import { describe, expect, it } from 'vitest';
import { param } from '@xent/autograd';
import { XentError, readFlat, tensor, type Tensor } from '@xent/tensor';
import * as L from '../src/index.js';

const loose = L as unknown as Record<string, (t: unknown, p: unknown, o?: unknown) => Tensor>;
const Y = [
  [0, 1],
  [1, 0],
];
const P = [
  [0.3, 0.7],
  [0.6, 0.4],
];
const Z = [
  [0.5, -1],
  [2, 0.25],
];
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof XentError ? e.code : `not an XentError: ${String(e)}`;
  }
  return undefined;
};
const value = (t: Tensor) => Array.from(readFlat(t));

describe('null and undefined mean "not given"', () => {
  it.each([
    ['binaryCrossentropy', 'sampleWeight', P],
    ['categoricalCrossentropy', 'sampleWeight', P],
    ['sigmoidCrossEntropyWithLogits', 'posWeight', Z],
    ['multiLabelCrossEntropy', 'posWeight', Z],
    ['softmaxCrossEntropyWithLogits', 'classWeights', Z],
    ['binaryCrossentropy', 'labelSmoothing', P],
    ['categoricalCrossentropy', 'epsilon', P],
    ['categoricalCrossentropy', 'axis', P],
    ['binaryFocalCrossentropy', 'gamma', P],
    ['categoricalFocalCrossentropy', 'alpha', P],
  ])('%s with %s: null gives the same value as leaving it out', (fn, name, preds) => {
    const plain = value(loose[fn](Y, preds));
    expect(value(loose[fn](Y, preds, { [name]: null }))).toEqual(plain);
    expect(value(loose[fn](Y, preds, { [name]: undefined }))).toEqual(plain);
    expect(plain.every(Number.isFinite) && plain.some((v) => v !== 0)).toBe(true);
  });

  it("reduction: null is refused: Keras's None means no reduction, which is 'none' here", () => {
    expect(() => L.categoricalCrossentropy(Y, P, { reduction: null })).toThrow(/None is 'none'/);
  });

  it('sparse ignoreIndex: null means no label is ignored', () => {
    expect(value(L.sparseCategoricalCrossentropy([1, 0], P, { ignoreIndex: null }))).toEqual(
      value(L.sparseCategoricalCrossentropy([1, 0], P)),
    );
  });
});

describe('a non-numeric value for a number or weight is INVALID_OPTION', () => {
  const cases: [string, string, unknown][] = [];
  for (const bad of ['2', true, false, {}, () => 1, 2n]) {
    cases.push(['binaryCrossentropy', 'sampleWeight', bad], ['sigmoidCrossEntropyWithLogits', 'posWeight', bad]);
    cases.push(['categoricalCrossentropy', 'labelSmoothing', bad], ['categoricalCrossentropy', 'classWeights', bad]);
    cases.push(['binaryFocalCrossentropy', 'gamma', bad], ['categoricalFocalCrossentropy', 'alpha', bad]);
    cases.push(['sparseCategoricalCrossentropy', 'ignoreIndex', bad], ['categoricalCrossentropy', 'axis', bad]);
  }
  it.each(cases)('%s with %s = %o', (fn, name, bad) => {
    const labels = fn.startsWith('sparse') ? [1, 0] : Y;
    const preds = fn.startsWith('sigmoid') ? Z : P;
    expect(code(() => loose[fn](labels, preds, { [name]: bad }))).toBe('INVALID_OPTION');
  });

  it('weights holding strings or booleans are refused too', () => {
    expect(code(() => L.binaryCrossentropy(Y, P, { sampleWeight: [true, 1] as never }))).toBe('INVALID_OPTION');
    expect(code(() => L.sigmoidCrossEntropyWithLogits(Y, Z, { posWeight: ['2', 1] as never }))).toBe('INVALID_OPTION');
  });
});

describe('weights that require a gradient are used as constants', () => {
  it('sampleWeight, classWeights and posWeight given as param(): the loss runs and no gradient reaches them', () => {
    const sw = param(tensor([2, 1]));
    const pw = param(tensor([3, 1]));
    const cw = param(tensor([1, 2]));
    expect(value(L.categoricalCrossentropy(Y, P, { sampleWeight: sw, classWeights: cw }))).toEqual(
      value(L.categoricalCrossentropy(Y, P, { sampleWeight: [2, 1], classWeights: [1, 2] })),
    );
    const z = param(tensor(Z));
    L.sigmoidCrossEntropyWithLogits(Y, z, { posWeight: pw, sampleWeight: sw, reduction: 'sum' }).backward();
    expect(z.grad).not.toBeNull();
    expect([sw.grad, pw.grad, cw.grad]).toEqual([null, null, null]);
  });
});

describe('options given as a class instance', () => {
  class Smoothed {
    get labelSmoothing(): number {
      return 0.2;
    }
    get reduction(): 'sum' {
      return 'sum';
    }
  }
  it('its getters are read', () => {
    expect(value(L.categoricalCrossentropy(Y, P, new Smoothed()))).toEqual(
      value(L.categoricalCrossentropy(Y, P, { labelSmoothing: 0.2, reduction: 'sum' })),
    );
  });
  it('a getter or method this loss does not take is an unknown option', () => {
    class WithMethod extends Smoothed {
      describe(): string {
        return 'mine';
      }
    }
    expect(() => L.categoricalCrossentropy(Y, P, new WithMethod() as never)).toThrow(/unknown option 'describe'/);
    class Foreign {
      get from_logits(): boolean {
        return true;
      }
    }
    expect(() => L.binaryCrossentropy(Y, P, new Foreign() as never)).toThrow(/did you mean 'fromLogits'\?/);
  });
});

describe('options defined as non-enumerable properties (Object.defineProperty) are read too', () => {
  it('they were skipped without a word: { reduction: sum } gave the mean', () => {
    const hidden = Object.defineProperty({}, 'reduction', { value: 'sum', enumerable: false });
    expect(value(L.categoricalCrossentropy(Y, P, hidden))).toEqual(value(L.categoricalCrossentropy(Y, P, { reduction: 'sum' })));
    const misspelt = Object.defineProperty({}, 'label_smoothing', { value: 0.1, enumerable: false });
    expect(() => L.categoricalCrossentropy(Y, P, misspelt as never)).toThrow(/did you mean 'labelSmoothing'\?/);
  });
});

describe('which loss takes an option is read from the schemas', () => {
  it('an option of other losses lists exactly the losses that take it', () => {
    expect(() => L.crossEntropy(Y, P, { ignoreIndex: 0 } as never)).toThrow(
      /does not take the option 'ignoreIndex' \(it is for sparseCategoricalCrossentropy and sparseSoftmaxCrossEntropyWithLogits\)/,
    );
    expect(() => L.klDivergence(Y, P, { applyClassBalancing: true } as never)).toThrow(/it is for binaryFocalCrossentropy\)/);
    expect(() => L.crossEntropy(Y, P, { gamma: 2 } as never)).toThrow(
      /it is for binaryFocalCrossentropy and categoricalFocalCrossentropy\)/,
    );
  });
  it('a misspelt option of another loss points there', () => {
    expect(() => L.crossEntropy(Y, P, { pos_weight: [1, 2] } as never)).toThrow(
      /unknown option 'pos_weight' \(value \[1, 2\]\); 'posWeight' is for sigmoidCrossEntropyWithLogits and multiLabelCrossEntropy\./,
    );
  });
});
