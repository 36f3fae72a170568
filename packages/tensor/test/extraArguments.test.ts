// An argument past a function's last parameter is dropped by JavaScript, and with it what the caller meant
// (maxAbsDiff(a, b, { equalNaN: true }) still gave NaN; copyInto(dst, src, 'x') took 'x' as the name in its
// messages): each public function here refuses it.
import { afterEach, describe, expect, it } from 'vitest';
import { allClose, compareClose, copyInto, getBackend, maxAbsDiff, setBackend, tensor, toBeAllClose } from '@xent/tensor';
import { getMatmulThreads, setMatmulThreads } from '@xent/tensor/threads';
import { callWith, expectXentError } from '../../../test/utils.js';

describe('the comparison helpers', () => {
  it('compareClose, allClose and toBeAllClose take (actual, expected, options)', () => {
    for (const fn of [compareClose, allClose, toBeAllClose]) {
      expectXentError(
        callWith(fn, [1], [1.5], {}, { atol: 1 }),
        'INVALID_ARGUMENT',
        `${fn.name}: takes at most 3 arguments, got 4; pass (actual, expected, { rtol, atol, equalNaN }), every tolerance in one object.`,
      );
    }
    expect(allClose([1], [1.5], { atol: 1 })).toBe(true);
  });
  it('maxAbsDiff takes (a, b): a tolerance object is refused, not ignored', () => {
    expectXentError(
      callWith(maxAbsDiff, [NaN], [NaN], { equalNaN: true }),
      'INVALID_ARGUMENT',
      'maxAbsDiff: takes at most 2 arguments, got 3; it takes no tolerances; pass (a, b), or call compareClose(a, b, { rtol, atol, equalNaN }).',
    );
    expect(maxAbsDiff([1, 2], [1.5, 4])).toBe(2);
  });
});

describe('setBackend takes the name only', () => {
  const initial = getBackend();
  afterEach(() => setBackend(initial));
  it('a second argument is refused, and the backend is unchanged', () => {
    expectXentError(
      callWith(setBackend, 'js', { threads: 4 }),
      'INVALID_ARGUMENT',
      "setBackend: takes at most 1 argument, got 2; pass the backend's name only, 'wasm' or 'js'.",
    );
    expect(getBackend()).toBe(initial);
  });
});

describe('copyInto takes (dst, src)', () => {
  it('a third argument is refused and nothing is written', () => {
    const dst = tensor([1, 2]);
    expectXentError(
      callWith(copyInto, dst, tensor([3, 4]), 'refill'),
      'INVALID_ARGUMENT',
      "copyInto: takes at most 2 arguments, got 3; pass (dst, src): all of src is written into dst, whose shape must equal src's.",
    );
    expect(dst.toArray()).toEqual([1, 2]);
    copyInto(dst, tensor([3, 4]));
    expect(dst.toArray()).toEqual([3, 4]);
  });
  it('its messages name copyInto', () => {
    expectXentError(() => copyInto(tensor([1, 2]), tensor([1])), 'SHAPE_MISMATCH', 'copyInto: dst has shape [2] but src has shape [1]');
  });
});

describe('@xent/tensor/threads: setMatmulThreads(n), getMatmulThreads()', () => {
  it('an argument past their own is refused, and no thread starts', () => {
    expectXentError(
      callWith(setMatmulThreads, 2, { minWork: 0 }),
      'INVALID_ARGUMENT',
      'setMatmulThreads: takes at most 1 argument, got 2; pass the number of threads only, e.g. setMatmulThreads(4).',
    );
    expectXentError(
      callWith(getMatmulThreads, 1),
      'INVALID_ARGUMENT',
      'getMatmulThreads: takes no arguments, got 1; it takes no argument; setMatmulThreads(n) sets the number.',
    );
    expect(getMatmulThreads()).toBe(1);
  });
});

describe('getBackend takes no argument', () => {
  it("getBackend('js') (a backend to choose, which setBackend does) is refused", () => {
    expectXentError(
      callWith(getBackend, 'js'),
      'INVALID_ARGUMENT',
      "getBackend: takes no arguments, got 1; it takes no argument; setBackend('js' | 'wasm') chooses.",
    );
    expect(['js', 'wasm']).toContain(getBackend());
  });
});
