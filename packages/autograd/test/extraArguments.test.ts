// An argument past a function's last parameter is dropped by JavaScript, and with it what the caller meant
// (gradCheck(f, [x], {}, { tight: true }) checked with the loose tolerances): each public function here refuses it.
import { describe, expect, it } from 'vitest';
import * as K from '@xent/tensor';
import {
  applyOp,
  defineOp,
  directionalGradCheck,
  getOp,
  gradCheck,
  graphTable,
  listOps,
  mul,
  param,
  registerOp,
  sum,
  toDot,
} from '@xent/autograd';
import { callWith, expectXentError } from '../../../test/utils.js';

describe('gradCheck and directionalGradCheck take (f, inputs, options)', () => {
  const f = (a: K.Tensor) => mul(a, a);
  it('a fourth argument is refused, naming the function, the count and how to call it', () => {
    for (const fn of [gradCheck, directionalGradCheck]) {
      expectXentError(
        callWith(fn, f, [K.tensor([1, 2])], {}, { tight: true }),
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
        callWith(fn, y, {}, { grads: false }),
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
      callWith(applyOp, getOp('mul'), [x, x], undefined, x),
      'INVALID_ARGUMENT',
      "applyOp: takes at most 3 arguments, got 4; pass (op, inputs, attrs): the inputs as one array, e.g. applyOp(getOp('mul'), [x, y], undefined).",
    );
    expect(applyOp(getOp('mul')!, [x, x], undefined).toArray()).toEqual([4, 9]);
  });
});

describe('getOp and listOps', () => {
  it('take the name only, and nothing', () => {
    expectXentError(
      callWith(getOp, 'mul', 'add'),
      'INVALID_ARGUMENT',
      "getOp: takes at most 1 argument, got 2; pass the op's name only, e.g. getOp('mul').",
    );
    expectXentError(
      callWith(listOps, 'user'),
      'INVALID_ARGUMENT',
      'listOps: takes no arguments, got 1; it lists every registered op; getOp(name) gives one.',
    );
    expect(getOp('mul')?.name).toBe('mul');
    expect(listOps()).toContain('mul');
  });
});

describe('defineOp takes (def, options); an op function withAttrs(attrs)', () => {
  it('an argument past them is refused', () => {
    let n = 0;
    const def = () => ({
      name: `scaleBy${n++}`,
      inputs: ['x'],
      forward: ([x]: K.Tensor[], k: number) => ({ out: K.mul(x, k), saved: undefined }),
      backward: (dy: K.Tensor, _s: unknown, _c: unknown, k: number) => [K.mul(dy, k)],
    });
    expectXentError(
      callWith(defineOp, def(), { override: false }, 2),
      'INVALID_ARGUMENT',
      'defineOp: takes at most 2 arguments, got 3; pass (def, { override }).',
    );
    const scale = defineOp<number>(def() as never);
    expectXentError(
      callWith(scale.withAttrs, 3, 4),
      'INVALID_ARGUMENT',
      `${scale.op.name}.withAttrs: takes at most 1 argument, got 2; pass the attributes as one value, then the inputs to the function it returns.`,
    );
    expect(
      scale
        .withAttrs(3)(K.tensor([1, 2]))
        .toArray(),
    ).toEqual([3, 6]);
  });
});

describe('registerOp takes (def, options)', () => {
  it('a third argument is refused, and nothing is registered', () => {
    const def = {
      name: 'argCountIdentity',
      inputs: ['x'],
      forward: ([x]: K.Tensor[]) => ({ out: x, saved: undefined }),
      backward: (dy: K.Tensor) => [dy],
    };
    expectXentError(
      callWith(registerOp, def, { override: true }, 'builtin'),
      'INVALID_ARGUMENT',
      'registerOp: takes at most 2 arguments, got 3; pass (def, { override }).',
    );
    expect(getOp('argCountIdentity')).toBeUndefined();
    expect(registerOp(def as never)).toBe(def);
    expect(getOp('argCountIdentity')).toBe(def);
  });
});
