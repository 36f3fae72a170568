// Testing the tester: gradCheck and directionalGradCheck must catch a gradient
// that is wrong on purpose (a backward that forgot dy, a sign flip, a gradient
// sent to the wrong input), and say where and by how much.
import { describe, it, expect } from 'vitest';
import * as K from '@xent/tensor';
import { Rng, XentError, tensor } from '@xent/tensor';
import { abs, defineOp, directionalGradCheck, gradCheck, mul, param, sum } from '@xent/autograd';
import { expectXentError, flat, normals, t64 } from '../../../test/utils.js';

// x² with three kinds of broken backward, and the correct one.
const goodSquare = defineOp({
  name: 'testGoodSquare',
  inputs: ['x'],
  forward: ([x]) => ({ out: K.mul(x, x), saved: undefined }),
  backward: (dy, _s, { inputs: [x] }) => [K.mul(dy, K.mul(2, x))],
});
const forgotDy = defineOp({
  name: 'testSquareForgotDy',
  inputs: ['x'],
  forward: ([x]) => ({ out: K.mul(x, x), saved: undefined }),
  backward: (_dy, _s, { inputs: [x] }) => [K.mul(2, x)], // BUG: not multiplied by dy
});
const signFlip = defineOp({
  name: 'testSquareSignFlip',
  inputs: ['x'],
  forward: ([x]) => ({ out: K.mul(x, x), saved: undefined }),
  backward: (dy, _s, { inputs: [x] }) => [K.mul(dy, K.mul(-2, x))], // BUG: −2x
});
// a·b whose gradient for b is dy·b instead of dy·a
const wrongInput = defineOp({
  name: 'testMulWrongB',
  inputs: ['a', 'b'],
  forward: ([a, b]) => ({ out: K.mul(a, b), saved: undefined }),
  backward: (dy, _s, { inputs: [, b] }) => [K.mul(dy, b), K.mul(dy, b)], // BUG in the second entry
});

const X = [0.5, -1.25, 2, 0.75, -0.3, 1.6];
const SHAPE = [2, 3];

/** The random dy gradCheck draws for this seed: standard normals from Rng(seed), in order. */
function dyFor(seed: number, n: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
}

/** Index (flat) of the element that breaks atol + rtol·|numeric| by the most. */
function worstIndex(analytic: number[], numeric: number[], atol = 1e-5, rtol = 1e-3): number {
  let best = -1;
  let bestExcess = -Infinity;
  analytic.forEach((a, i) => {
    const excess = Math.abs(a - numeric[i]) - (atol + rtol * Math.abs(numeric[i]));
    if (excess > 0 && excess > bestExcess) {
      best = i;
      bestExcess = excess;
    }
  });
  return best;
}

function parseMessage(msg: string): { analytic: number; numeric: number; index: number[] } {
  const m = /at \[([\d, ]*)\]: analytic (\S+) vs numeric (\S+) /.exec(msg);
  expect(m, msg).not.toBeNull();
  return { index: m![1].split(', ').map(Number), analytic: Number(m![2]), numeric: Number(m![3]) };
}

describe('gradCheck accepts a correct gradient', () => {
  it('passes the correct x² and reports a tiny error over every element', () => {
    const r = gradCheck(goodSquare, [t64(X, SHAPE)], { seed: 3 });
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(6);
    expect(r.maxAbsError).toBeLessThan(1e-8);
    expect(directionalGradCheck(goodSquare, [t64(X, SHAPE)], { seed: 3 }).ok).toBe(true);
  });

  it('works in float64 on float32 inputs and leaves the inputs and their .grad alone', () => {
    const x = param(tensor(X, { dtype: 'float32', shape: SHAPE }));
    const before = flat(x);
    const r = gradCheck((v) => mul(v, v), [x], { tight: true });
    expect(r.ok).toBe(true);
    expect(flat(x)).toEqual(before);
    expect(x.grad).toBeNull();
    expect(x.dtype).toBe('float32');
  });

  it('checks only the inputs in wrt', () => {
    const r = gradCheck(mul, [t64(X, SHAPE), t64([1, 2, 3], [3])], { wrt: [1] });
    expect(r.checked).toBe(3);
  });
});

describe('gradCheck catches a broken gradient', () => {
  const seed = 11;
  const dy = dyFor(seed, 6);

  it('a backward that forgot dy: GRADCHECK_FAILED naming the op, the input, the worst index, analytic and numeric', () => {
    const err = expectXentError(
      () => gradCheck(forgotDy, [t64(X, SHAPE)], { seed }),
      'GRADCHECK_FAILED',
      'testSquareForgotDy',
      'input 0',
      'analytic',
      'numeric',
    );
    const analytic = X.map((x) => 2 * x); // what the broken backward returns
    const numeric = X.map((x, i) => 2 * x * dy[i]); // d⟨dy, x²⟩/dx
    const worst = worstIndex(analytic, numeric);
    const got = parseMessage(err.message);
    expect(got.index).toEqual([Math.floor(worst / 3), worst % 3]);
    expect(got.analytic).toBe(analytic[worst]);
    expect(got.numeric).toBeCloseTo(numeric[worst], 6);
  });

  it('a sign flip', () => {
    const err = expectXentError(
      () => gradCheck(signFlip, [t64(X, SHAPE)], { seed }),
      'GRADCHECK_FAILED',
      'testSquareSignFlip',
      'input 0 (shape [2, 3])',
    );
    const numeric = X.map((x, i) => 2 * x * dy[i]);
    const analytic = numeric.map((v) => -v);
    const worst = worstIndex(analytic, numeric);
    // the worst element of a sign flip is the one with the largest |2x·dy|
    expect(worst).toBe(numeric.reduce((b, v, i) => (Math.abs(v) > Math.abs(numeric[b]) ? i : b), 0));
    const got = parseMessage(err.message);
    expect(got.index).toEqual([Math.floor(worst / 3), worst % 3]);
    expect(got.analytic).toBeCloseTo(analytic[worst], 12);
    expect(got.numeric).toBeCloseTo(numeric[worst], 6);
    expect(err.message).toMatch(/relative 1\.000e\+0/); // |a − n| / (|a| + |n|) = 1 for a sign flip
  });

  it('a gradient sent to the wrong input names that input', () => {
    const a = t64([1, 2, 3], [3]);
    const b = t64([-0.5, 4, 0.25], [3]);
    const err = expectXentError(() => gradCheck(wrongInput, [a, b], { seed }), 'GRADCHECK_FAILED', 'testMulWrongB', 'input 1 (shape [3])');
    const d = dyFor(seed, 3);
    const analytic = [-0.5, 4, 0.25].map((v, i) => d[i] * v);
    const numeric = [1, 2, 3].map((v, i) => d[i] * v);
    const worst = worstIndex(analytic, numeric);
    const got = parseMessage(err.message);
    expect(got.index).toEqual([worst]);
    expect(got.analytic).toBeCloseTo(analytic[worst], 12);
    expect(got.numeric).toBeCloseTo(numeric[worst], 6);
  });

  it('catches the broken op inside a larger graph (the seed dy flows through sum)', () => {
    expectXentError(
      () => gradCheck((x) => sum(forgotDy(x)), [t64(X, SHAPE)], { seed, name: 'sumOfSquares' }),
      'GRADCHECK_FAILED',
      'gradCheck(sumOfSquares)',
    );
  });

  it('without a name, a failure inside a larger graph names f and the ops it recorded, not only the last one (sum is not at fault)', () => {
    const composite = (x: K.Tensor) => sum(mul(forgotDy(x), 0.5));
    expectXentError(
      () => gradCheck(composite, [t64(X, SHAPE)], { seed }),
      'GRADCHECK_FAILED',
      'gradCheck(f of testSquareForgotDy, mul, sum)',
    );
    expectXentError(
      () => directionalGradCheck(composite, [t64(X, SHAPE)], { seed }),
      'GRADCHECK_FAILED',
      '(f of testSquareForgotDy, mul, sum)',
    );
    expectXentError(() => gradCheck((x) => forgotDy(x), [t64(X, SHAPE)], { seed }), 'GRADCHECK_FAILED', 'gradCheck(testSquareForgotDy)');
  });

  it('directionalGradCheck catches each of them', () => {
    for (const [f, name] of [
      [forgotDy, 'testSquareForgotDy'],
      [signFlip, 'testSquareSignFlip'],
    ] as const) {
      expectXentError(
        () => directionalGradCheck(f, [t64(X, SHAPE)], { seed }),
        'GRADCHECK_FAILED',
        `directionalGradCheck(${name})`,
        'analytic',
        'numeric',
      );
    }
    expectXentError(
      () => directionalGradCheck(wrongInput, [t64([1, 2, 3], [3]), t64([-0.5, 4, 0.25], [3])], { seed }),
      'GRADCHECK_FAILED',
      'testMulWrongB',
    );
  });

  it('flags a point next to a kink (why the generators keep away from kinks)', () => {
    // at x = 1e-7 < eps the central difference of |x| straddles 0: numeric 0.1·dy, analytic sign(x)·dy = dy
    const err = expectXentError(() => gradCheck(abs, [t64([1e-7], [1])], { seed: 5 }), 'GRADCHECK_FAILED', 'gradCheck(abs)');
    const d = dyFor(5, 1)[0];
    const got = parseMessage(err.message);
    expect(got.analytic).toBe(d);
    expect(got.numeric).toBeCloseTo(0.1 * d, 6);
  });
});

describe("gradCheck's extra assertions", () => {
  it('dy = 0 must give zero gradients', () => {
    let sawZero = false;
    const leaky = defineOp({
      name: 'testLeakyOnZeroDy',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.mul(x, x), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => {
        const allZero = flat(dy).every((v) => v === 0);
        sawZero ||= allZero;
        return [allZero ? K.add(K.mul(dy, x), 0.5) : K.mul(dy, K.mul(2, x))]; // BUG only when dy = 0
      },
    });
    expectXentError(
      () => gradCheck(leaky, [t64(X, SHAPE)]),
      'GRADCHECK_FAILED',
      'with dy = 0',
      'testLeakyOnZeroDy',
      'analytic 0.5 vs numeric 0',
    );
    expect(sawZero).toBe(true);
  });

  it('backward must be reentrant (two sweeps agree exactly)', () => {
    let calls = 0;
    const stateful = defineOp({
      name: 'testStatefulBackward',
      inputs: ['x'],
      forward: ([x]) => ({ out: K.mul(x, x), saved: undefined }),
      backward: (dy, _s, { inputs: [x] }) => [K.add(K.mul(dy, K.mul(2, x)), calls++ === 1 ? 1e-12 : 0)],
    });
    expectXentError(() => gradCheck(stateful, [t64(X, SHAPE)]), 'GRADCHECK_FAILED', 'not reentrant', 'testStatefulBackward');
  });

  it('a failure is an XentError (instanceof) with code GRADCHECK_FAILED', () => {
    try {
      gradCheck(signFlip, [t64(normals(4, 1), [4])]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XentError);
      expect((e as XentError).code).toBe('GRADCHECK_FAILED');
    }
  });
});

describe('gradCheck refuses what it cannot check', () => {
  const labels = () => tensor([1, 2], { dtype: 'int32' });
  it('nothing to check (no inputs, only int32 inputs, wrt: [], only empty inputs) is INVALID_ARGUMENT, not ok with 0 elements checked', () => {
    for (const check of [gradCheck, directionalGradCheck]) {
      expectXentError(() => check(() => sum(t64([1, 2], [2])), []), 'INVALID_ARGUMENT', `${check.name}:`, 'nothing to check');
      expectXentError(() => check((l) => sum(mul(l, 2)), [labels()]), 'INVALID_ARGUMENT', 'nothing to check', 'int32');
      expectXentError(() => check((x) => sum(mul(x, x)), [t64([1, 2], [2])], { wrt: [] }), 'INVALID_ARGUMENT', 'nothing to check');
      expectXentError(() => check((x) => sum(mul(x, x)), [t64([], [2, 0])]), 'INVALID_ARGUMENT', 'no elements');
    }
  });

  it('f returning something other than a Tensor names gradCheck and f (it named zeros and its shape)', () => {
    for (const check of [gradCheck, directionalGradCheck]) {
      expectXentError(() => check(() => 3 as never, [t64([1, 2], [2])]), 'INVALID_ARGUMENT', `${check.name}:`, 'f returned the number 3');
    }
  });
});
