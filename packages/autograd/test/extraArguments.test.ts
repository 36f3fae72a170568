// An argument past a function's last parameter is dropped by JavaScript, and with it what the caller meant
// (gradCheck(f, [x], {}, { tight: true }) checked with the loose tolerances): each public function here refuses it.
import { describe, expect, it } from 'vitest';
import * as K from '@xent/tensor';
import { applyOp, directionalGradCheck, getOp, gradCheck, graphTable, listOps, mul, param, sum, toDot } from '@xent/autograd';
import { expectXentError } from '../../../test/utils.js';

/** Calls fn with these arguments, past its declared parameters (the type checker would refuse them). */
const call =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as (...a: unknown[]) => unknown)(...args);

describe('gradCheck and directionalGradCheck take (f, inputs, options)', () => {
  const f = (a: K.Tensor) => mul(a, a);
  it('a fourth argument is refused, naming the function, the count and how to call it', () => {
    for (const fn of [gradCheck, directionalGradCheck]) {
      expectXentError(
        call(fn, f, [K.tensor([1, 2])], {}, { tight: true }),
        'INVALID_ARGUMENT',
        `${fn.name}: takes at most 3 arguments, got 4; pass (f, inputs, options): the inputs as one array, every option in one object, e.g. gradCheck(f, [x, y], { wrt: [0] }).`,
      );
    }
  });
  it('three still check', () => {
    expect(gradCheck(f, [K.tensor([1, 2])], { tight: true }).checked).toBe(2);
    expect(directionalGradCheck(f, [K.tensor([1, 2])], { seed: 1 }).checked).toBe(1);
  });
});

describe('graphTable and toDot take (y, options)', () => {
  it('a third argument is refused', () => {
    const w = param(K.tensor([1, 2]), 'w');
    const y = sum(mul(w, w));
    for (const fn of [graphTable, toDot]) {
      expectXentError(
        call(fn, y, {}, { grads: false }),
        'INVALID_ARGUMENT',
        `${fn.name}: takes at most 2 arguments, got 3; pass (y, { dy, grads, maxValues }), every option in one object.`,
      );
    }
    // The refused calls computed nothing: y's graph is whole, and the table shows the gradient 2w.
    expect(graphTable(y, { grads: true })).toMatch(/^w +param +\[2\] +\[1, 2\] +\[2, 4\]$/m);
  });
});

describe('applyOp takes (op, inputs, attrs)', () => {
  it('a fourth argument is refused', () => {
    const x = K.tensor([2, 3]);
    expectXentError(
      call(applyOp, getOp('mul'), [x, x], undefined, x),
      'INVALID_ARGUMENT',
      "applyOp: takes at most 3 arguments, got 4; pass (op, inputs, attrs): the inputs as one array, e.g. applyOp(getOp('mul'), [x, y], undefined).",
    );
    expect(applyOp(getOp('mul')!, [x, x], undefined).toArray()).toEqual([4, 9]);
  });
});

describe('getOp and listOps', () => {
  it('take the name only, and nothing', () => {
    expectXentError(
      call(getOp, 'mul', 'add'),
      'INVALID_ARGUMENT',
      "getOp: takes at most 1 arguments, got 2; pass the op's name only, e.g. getOp('mul').",
    );
    expectXentError(
      call(listOps, 'user'),
      'INVALID_ARGUMENT',
      'listOps: takes at most 0 arguments, got 1; it lists every registered op; getOp(name) gives one.',
    );
    expect(getOp('mul')?.name).toBe('mul');
    expect(listOps()).toContain('mul');
  });
});
