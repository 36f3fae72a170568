// The shared option validator (used by @xent/losses and @xent/optim): one schema per
// function, parsed values typed by the schema, every refusal an INVALID_OPTION.
import { describe, expect, it } from 'vitest';
import { XentError, tensor } from '../src/index.js';
import {
  booleanOption,
  checkOption,
  choiceOption,
  customOption,
  formatValue,
  numberOption,
  parseOptions,
  requiredOption,
  type OptionsOf,
} from '../src/internal.js';

const schema = {
  lr: requiredOption(numberOption(0, '[0, ∞)'), 'pass a learning rate, e.g. lr: 0.1'),
  rate: numberOption(0.5, '[0, 1]'),
  eps: numberOption(1e-7, '(0, 0.5)'),
  steps: numberOption(1, '[1, ∞) whole'),
  p: numberOption(2, '(0, ∞]'),
  flag: booleanOption(false),
  mode: choiceOption(['a', 'b'] as const, 'a', { c: "'c' was renamed 'b'", null: 'null is not a mode here' }),
  pair: customOption<[number, number], [number, number]>([1, 2], (v, fail) =>
    Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') ? [Number(v[0]), Number(v[1])] : fail('a pair of numbers'),
  ),
};
const parse = (raw: unknown) => parseOptions('f', raw, schema, { aliases: { learningrate: 'lr' }, elsewhere: () => ({ gamma: 'for g' }) });
const refusal = (raw: unknown): string => {
  try {
    parse(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(XentError);
    expect((e as XentError).code).toBe('INVALID_OPTION');
    return (e as XentError).message;
  }
  throw new Error('expected a refusal');
};

describe('parseOptions', () => {
  it('fills defaults, keeps given values, and types them by the schema', () => {
    const o = parse({ lr: 0.1 });
    expect(o).toEqual({ lr: 0.1, rate: 0.5, eps: 1e-7, steps: 1, p: 2, flag: false, mode: 'a', pair: [1, 2] });
    const typed: { lr: number; mode: 'a' | 'b'; pair: [number, number]; flag: boolean } = o; // compile-time: no casts needed
    expect(typed.mode).toBe('a');
    expect(parse({ lr: 0, rate: 1, eps: 0.25, steps: 3, p: Infinity, flag: true, mode: 'b', pair: [3, 4] })).toEqual({
      lr: 0,
      rate: 1,
      eps: 0.25,
      steps: 3,
      p: Infinity,
      flag: true,
      mode: 'b',
      pair: [3, 4],
    });
  });

  it('OptionsOf: a required option must be given, the others may be left out or null (compile-time)', () => {
    type Given = OptionsOf<typeof schema>;
    const least: Given = { lr: 0.1 };
    const most: Given = { lr: 0.1, rate: null, mode: 'b', pair: [1, 2], flag: undefined };
    // @ts-expect-error lr is required
    const missing: Given = { rate: 0.5 };
    // @ts-expect-error a required option is not nullable in the type
    const nulled: Given = { lr: null };
    // @ts-expect-error 'c' is not a mode
    const wrong: Given = { lr: 1, mode: 'c' };
    expect([least, most, missing, nulled, wrong].length).toBe(5);
  });

  it('null and undefined mean "not given"; a spec may refuse null with a hint', () => {
    expect(parse({ lr: 0.1, rate: null, flag: undefined, pair: null })).toMatchObject({ rate: 0.5, flag: false, pair: [1, 2] });
    expect(refusal({ lr: null })).toBe("f: option 'lr' is null; it must be given — pass a learning rate, e.g. lr: 0.1.");
    expect(refusal({ lr: 1, mode: null })).toBe("f: option 'mode' is null (null is not a mode here)");
  });

  it.each([
    [{ lr: -1 }, "f: option 'lr' is -1; it must be a number in [0, ∞) — pass a learning rate, e.g. lr: 0.1."],
    [{ lr: '0.1' }, "f: option 'lr' is '0.1'; it must be a number in [0, ∞) — pass a learning rate, e.g. lr: 0.1."],
    [{ lr: 1, steps: 0 }, "option 'steps' is 0; it must be a whole number in [1, ∞)."],
    [{ lr: true }, "option 'lr' is true;"],
    [{ lr: NaN }, "option 'lr' is NaN;"],
    [{ lr: Infinity }, "option 'lr' is Infinity;"],
    [{ lr: 1, rate: 1.5 }, "option 'rate' is 1.5; it must be a number in [0, 1]."],
    [{ lr: 1, eps: 0.5 }, "option 'eps' is 0.5; it must be a number in (0, 0.5)."],
    [{ lr: 1, steps: 2.5 }, "option 'steps' is 2.5; it must be a whole number in [1, ∞)."],
    [{ lr: 1, p: 0 }, "option 'p' is 0; it must be a number in (0, ∞]."],
    [{ lr: 1, p: NaN }, "option 'p' is NaN"],
    [{ lr: 1, flag: 1 }, "option 'flag' is 1; it must be true or false."],
    [{ lr: 1, mode: 'c' }, "option 'mode' is 'c'; it must be one of 'a', 'b' ('c' was renamed 'b')."],
    [{ lr: 1, pair: [1] }, "option 'pair' is [1]; it must be a pair of numbers."],
  ])('%o is refused: %s', (raw, message) => {
    expect(refusal(raw)).toContain(message);
  });

  it('unknown names: a suggestion from case/underscore slips, edit distance or aliases; names of other functions', () => {
    expect(refusal({ lr: 1, Rate: 1 })).toBe(
      "f: unknown option 'Rate' (value 1); did you mean 'rate'? The options here are lr, rate, eps, steps, p, flag, mode, pair.",
    );
    expect(refusal({ lr: 1, stpes: 1 })).toContain("did you mean 'steps'?");
    expect(refusal({ learning_rate: 1 })).toContain("did you mean 'lr'?");
    expect(refusal({ lr: 1, gamma: 2 })).toContain("f: does not take the option 'gamma' (it is for g).");
    expect(refusal({ lr: 1, Gama: 2 })).toContain("'gamma' is for g.");
    expect(refusal({ lr: 1, zzzzzz: 2 })).toMatch(/unknown option 'zzzzzz' \(value 2\)\. The options/);
    expect(refusal({ lr: 1, toString: 2 })).toContain("unknown option 'toString'");
  });

  it('options must be an object (undefined is {})', () => {
    expect(() => parseOptions('g', undefined, { a: numberOption(3) })).not.toThrow();
    expect(parseOptions('g', undefined, { a: numberOption(3) })).toEqual({ a: 3 });
    for (const bad of [null, 1, 'x', true, [1], new Float64Array(1), tensor([1]), new Map()]) {
      expect(refusal(bad)).toMatch(/^f: the options are .*; options are an object/);
    }
  });

  it('numberOption intervals: open, closed, infinite ends, whole numbers; a malformed interval is a programming error', () => {
    const r = (interval: string, v: unknown) => {
      try {
        return checkOption('h', 'x', v, numberOption(0, interval));
      } catch {
        return 'refused';
      }
    };
    expect([r('[0, 1]', 0), r('[0, 1]', 1), r('(0, 1)', 0), r('(0, 1)', 1), r('(0, 1)', 0.5)]).toEqual([0, 1, 'refused', 'refused', 0.5]);
    expect([r('[0, ∞)', Infinity), r('(0, ∞]', Infinity), r('(−∞, ∞)', -5), r('(−∞, ∞)', NaN), r('[1, ∞) whole', 2.5)]).toEqual([
      'refused',
      Infinity,
      -5,
      'refused',
      'refused',
    ]);
    expect(() => numberOption(0, '0..1')).toThrow(/not like/);
  });

  it('class instances: getters are read, methods and unknown getters are unknown options', () => {
    class O {
      get lr(): number {
        return 0.3;
      }
    }
    expect(parse(new O()).lr).toBe(0.3);
    class Extra extends O {
      get rat(): number {
        return 1;
      }
    }
    expect(refusal(new Extra())).toContain("unknown option 'rat' (value 1); did you mean 'rate'?");
    const bare = Object.assign(Object.create(null) as object, { lr: 2 });
    expect(parse(bare).lr).toBe(2);
    const hidden = Object.defineProperty({}, 'lr', { value: 0.7, enumerable: false });
    expect(parse(hidden).lr).toBe(0.7);
  });
});

describe('checkOption and formatValue', () => {
  it('checkOption names the value as told', () => {
    expect(() => checkOption('Adam', 'lr', -1, numberOption(0, '[0, ∞)'))).toThrow('Adam: lr is -1; it must be a number in [0, ∞).');
    expect(checkOption('Adam', 'lr', 0.5, numberOption(0, '[0, ∞)'))).toBe(0.5);
  });
  it('formatValue prints what the caller passed', () => {
    expect(
      [1, 'a', null, undefined, NaN, [1, 2], [1, 2, 3, 4, 5, 6, 7], () => 1, {}, new Map(), new Float32Array(2), tensor([[1, 2]])].map(
        formatValue,
      ),
    ).toEqual([
      '1',
      "'a'",
      'null',
      'undefined',
      'NaN',
      '[1, 2]',
      '[1, 2, 3, 4, 5, 6, …]',
      'a function',
      'a plain object',
      'a Map',
      'a Float32Array',
      'a tensor of shape [1, 2]',
    ]);
  });
});
