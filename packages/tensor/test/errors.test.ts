import { describe, it, expect } from 'vitest';
import ndarray from 'ndarray';
import {
  Tensor,
  XentError,
  add,
  arange,
  argmax,
  broadcastShapes,
  broadcastTo,
  clip,
  concat,
  expandDims,
  eye,
  full,
  gather,
  logSumExp,
  matmul,
  max,
  maximum,
  mean,
  mul,
  oneHot,
  rand,
  reshape,
  slice,
  softmax,
  squeeze,
  sub,
  sum,
  tensor,
  transpose,
  where,
  zeros,
  type XentErrorCode,
} from '@xent/tensor';

/** Runs fn, expects an XentError with `code` whose message contains every fragment. */
function expectXent(fn: () => unknown, code: XentErrorCode, ...fragments: string[]): XentError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a throw').toBeInstanceOf(XentError);
  const err = caught as XentError;
  expect(err).toBeInstanceOf(Error);
  expect(err.name).toBe('XentError');
  expect(err.code).toBe(code);
  for (const f of fragments) expect(err.message).toContain(f);
  return err;
}

describe('XentError', () => {
  it('carries a code and a message', () => {
    const e = new XentError('DTYPE', 'f: found int32; pass floats.');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('DTYPE');
    expect(e.message).toBe('f: found int32; pass floats.');
    expect(e.name).toBe('XentError');
    expect(String(e)).toBe('XentError: f: found int32; pass floats.');
  });
});

describe('SHAPE_MISMATCH: shapes that cannot broadcast name the function and both shapes', () => {
  const a = zeros([2, 3]);
  const b = zeros([4]);
  for (const [name, op] of [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['maximum', maximum],
  ] as const) {
    it(name, () => {
      expectXent(() => op(a, b), 'SHAPE_MISMATCH', `${name}:`, '[2, 3]', '[4]', 'cannot broadcast');
      expectXent(() => op(zeros([3, 1, 5]), zeros([2, 4])), 'SHAPE_MISMATCH', `${name}:`, '[3, 1, 5]', '[2, 4]');
    });
  }

  it('where, broadcastShapes, broadcastTo', () => {
    expectXent(() => where(zeros([2]), zeros([3]), 0), 'SHAPE_MISMATCH', 'where:', '[2]', '[3]');
    expectXent(() => broadcastShapes([5, 2], [5, 3], 'myOp'), 'SHAPE_MISMATCH', 'myOp:', '[5, 2]', '[5, 3]', 'axis -1: 2 vs 3');
    expectXent(() => broadcastTo(zeros([3]), [2, 4]), 'SHAPE_MISMATCH', 'broadcastTo:', '[3]', '[2, 4]');
    expectXent(() => broadcastTo(zeros([2, 3]), [3]), 'SHAPE_MISMATCH', 'broadcastTo:', '[2, 3]', '[3]');
  });

  it('matmul names both shapes and the reason', () => {
    expectXent(() => matmul(zeros([2, 3]), zeros([4, 5])), 'SHAPE_MISMATCH', 'matmul', '[2, 3]', '[4, 5]', 'inner sizes differ (3 vs 4)');
    expectXent(
      () => matmul(zeros([2, 2, 3]), zeros([3, 3, 4])),
      'SHAPE_MISMATCH',
      'matmul',
      'batch sizes differ (2 vs 3); make them equal, or one of them 1',
    );
    expectXent(() => matmul(zeros([3]), zeros([3, 1])), 'SHAPE_MISMATCH', 'matmul', '[3]', '2-D');
    expectXent(() => matmul(zeros([1, 1, 1, 1]), zeros([1, 1])), 'SHAPE_MISMATCH', 'matmul');
  });

  it('data shorter (or longer) than the shape', () => {
    expectXent(() => tensor([1, 2, 3], { shape: [2, 2] }), 'SHAPE_MISMATCH', 'tensor', 'found 3 values', '[2, 2]', 'holds 4');
    expectXent(() => tensor(new Float32Array(5), { shape: [2, 3] }), 'SHAPE_MISMATCH', 'found 5 values', '[2, 3]');
    expectXent(() => tensor([1, 2, 3, 4, 5], { shape: [2, 2] }), 'SHAPE_MISMATCH', 'found 5 values');
    expectXent(() => tensor(1, { shape: [2] }), 'SHAPE_MISMATCH', 'found 1 values');
    // A raw view whose data does not cover the shape.
    expectXent(() => new Tensor(ndarray(new Float64Array(3), [2, 2])), 'SHAPE_MISMATCH', 'Tensor', 'length 3', '[2, 2]');
    expectXent(() => new Tensor(ndarray(new Float64Array(4), [2, 2], [2, 1], 1)), 'SHAPE_MISMATCH', 'too short');
  });

  it('a reshape to another size', () => {
    expectXent(() => reshape(zeros([2, 3]), [4]), 'SHAPE_MISMATCH', 'reshape', '[2, 3]', '6 elements', '[4]', '4 elements');
    expectXent(() => reshape(zeros([2, 3]), [4, -1]), 'SHAPE_MISMATCH', 'reshape', '[4, -1]');
    expectXent(() => reshape(zeros([2, 3]), [-1, -1]), 'SHAPE_MISMATCH', 'reshape', 'at most one -1');
    expectXent(() => reshape(zeros([2, 3]), [2, 1.5, 2]), 'SHAPE_MISMATCH', 'reshape');
    expectXent(() => reshape(zeros([2, 2]), [-2, -2]), 'SHAPE_MISMATCH', 'reshape');
  });

  it('ragged nested arrays give the position and the lengths', () => {
    expectXent(() => tensor([[1, 2], [3]]), 'SHAPE_MISMATCH', 'tensor', 'ragged', 'at [1]', 'length 1', 'expected length 2', '[2, 2]');
    expectXent(
      () =>
        tensor([
          [[1], [2]],
          [[3], [4, 5]],
        ]),
      'SHAPE_MISMATCH',
      'at [1, 1]',
      'length 2',
      'expected length 1',
    );
    expectXent(() => tensor([[1, 2], 3] as never), 'SHAPE_MISMATCH', 'ragged', 'at [1]', 'a number');
    expectXent(() => tensor([1, [2]] as never), 'SHAPE_MISMATCH', 'at [1]', 'nested array');
  });

  it('concat, squeeze, item, empty max/argmax', () => {
    expectXent(() => concat([zeros([2, 3]), zeros([2, 4])]), 'SHAPE_MISMATCH', 'concat', '[2, 3]', '[2, 4]', 'outside axis 0');
    expectXent(() => concat([zeros([2, 3]), zeros([2, 3, 1])], 1), 'SHAPE_MISMATCH', 'concat');
    expectXent(() => squeeze(zeros([2, 1]), 0), 'SHAPE_MISMATCH', 'squeeze', 'axis 0', '[2, 1]', 'size 2');
    expectXent(() => tensor([1, 2]).item(), 'SHAPE_MISMATCH', 'item', '[2]', '2 elements');
    expectXent(() => zeros([0]).item(), 'SHAPE_MISMATCH', 'item');
    expectXent(() => max(zeros([2, 0]), 1), 'SHAPE_MISMATCH', 'max', '[2, 0]');
    expectXent(() => argmax(zeros([2, 0])), 'SHAPE_MISMATCH', 'argmax', '[2, 0]', 'empty');
  });
});

describe('AXIS_OUT_OF_RANGE names the function, the axis, the rank and the valid range', () => {
  const x = zeros([2, 3]);
  it('reductions and softmax family', () => {
    expectXent(() => sum(x, 2), 'AXIS_OUT_OF_RANGE', 'sum:', 'axis 2', 'rank 2', '[-2, 1]');
    expectXent(() => mean(x, [0, -3]), 'AXIS_OUT_OF_RANGE', 'mean', 'axis -3');
    expectXent(() => max(x, 5), 'AXIS_OUT_OF_RANGE', 'max', 'axis 5');
    expectXent(() => softmax(x, -3), 'AXIS_OUT_OF_RANGE', 'softmax:', 'axis -3', '[-2, 1]');
    expectXent(() => logSumExp(x, 2), 'AXIS_OUT_OF_RANGE', 'logSumExp:', 'axis 2');
    expectXent(() => argmax(x, 2), 'AXIS_OUT_OF_RANGE', 'argmax:', 'axis 2');
    expectXent(() => sum(x, 0.5), 'AXIS_OUT_OF_RANGE', 'sum', 'axis 0.5');
    expectXent(() => sum(tensor(1), 1), 'AXIS_OUT_OF_RANGE', 'sum', 'rank 0', '[-1, 0]');
    expectXent(() => softmax(tensor(1), -2), 'AXIS_OUT_OF_RANGE', 'softmax');
  });

  it('shape functions', () => {
    expectXent(() => transpose(x, [0, 2]), 'AXIS_OUT_OF_RANGE', 'transpose:', 'axis 2');
    expectXent(() => expandDims(x, 3), 'AXIS_OUT_OF_RANGE', 'expandDims:', 'axis 3', 'rank 3', '[-3, 2]');
    expectXent(() => expandDims(x, -4), 'AXIS_OUT_OF_RANGE', 'expandDims:');
    expectXent(() => squeeze(x, 2), 'AXIS_OUT_OF_RANGE', 'squeeze:');
    expectXent(() => gather(x, [0], 2), 'AXIS_OUT_OF_RANGE', 'gather:', 'axis 2');
    expectXent(() => concat([x, x], -3), 'AXIS_OUT_OF_RANGE', 'concat:', 'axis -3');
  });
});

describe('INVALID_ARGUMENT', () => {
  it('bad creation arguments', () => {
    expectXent(() => arange(0, 5, 0), 'INVALID_ARGUMENT', 'arange', 'step is 0');
    expectXent(() => arange(0, 5, Infinity), 'INVALID_ARGUMENT', 'arange');
    expectXent(() => full([2, -1], 0), 'INVALID_ARGUMENT', 'full', '[2, -1]', '-1');
    expectXent(() => zeros([1.5]), 'INVALID_ARGUMENT', 'zeros', '1.5');
    expectXent(() => eye(-1), 'INVALID_ARGUMENT');
    expectXent(() => rand([-2], 1), 'INVALID_ARGUMENT', 'rand');
    expectXent(() => oneHot([0], 0), 'INVALID_ARGUMENT', 'oneHot', 'depth is 0');
    expectXent(() => oneHot([0], 2.5), 'INVALID_ARGUMENT', 'oneHot', 'depth is 2.5');
  });

  it('bad op arguments', () => {
    expectXent(() => transpose(zeros([2, 3]), [0, 0]), 'INVALID_ARGUMENT', 'transpose', '[0, 0]', '[2, 3]');
    expectXent(() => transpose(zeros([2, 3]), [0]), 'INVALID_ARGUMENT', 'transpose');
    expectXent(() => clip(zeros([2]), 1, 0), 'INVALID_ARGUMENT', 'clip', 'lo (1)', 'hi (0)');
    expectXent(() => concat([]), 'INVALID_ARGUMENT', 'concat');
    expectXent(() => concat([tensor(1), tensor(2)]), 'INVALID_ARGUMENT', 'concat', 'scalars');
    expectXent(() => slice(zeros([2]), [[0], [0]]), 'INVALID_ARGUMENT', 'slice', '2 ranges', 'rank 1');
    expectXent(() => gather(tensor(1), [0]), 'INVALID_ARGUMENT', 'gather', 'scalar');
  });
});

describe('LABEL_OUT_OF_RANGE gives the position and the value', () => {
  it('oneHot', () => {
    expectXent(() => oneHot([0, 3], 3), 'LABEL_OUT_OF_RANGE', 'oneHot', 'labels[1] is 3', '[0, 3)');
    expectXent(() => oneHot([-1], 3), 'LABEL_OUT_OF_RANGE', 'labels[0] is -1');
    expectXent(() => oneHot([1.5], 3), 'LABEL_OUT_OF_RANGE', 'labels[0] is 1.5');
    expectXent(() => oneHot([NaN], 3), 'LABEL_OUT_OF_RANGE', 'NaN');
  });

  it('gather', () => {
    const x = zeros([2, 3]);
    expectXent(() => gather(x, [0, 2]), 'LABEL_OUT_OF_RANGE', 'gather', 'indices[1] is 2', 'size 2');
    expectXent(() => gather(x, [-3]), 'LABEL_OUT_OF_RANGE', 'indices[0] is -3');
    expectXent(() => gather(x, tensor([0.5])), 'LABEL_OUT_OF_RANGE', 'indices[0] is 0.5');
    // Plain arrays are checked as given, not truncated to int32 first.
    expectXent(() => gather(x, [1.5]), 'LABEL_OUT_OF_RANGE', 'indices[0] is 1.5');
    expectXent(() => gather(x, [NaN]), 'LABEL_OUT_OF_RANGE', 'NaN');
    expectXent(() => gather(x, [2 ** 32]), 'LABEL_OUT_OF_RANGE', String(2 ** 32));
  });
});

describe('a failed call changes nothing', () => {
  it('inputs keep their values after a refused op', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([1, 2]);
    expect(() => add(a, b)).toThrow(XentError);
    expect(() => reshape(a, [4])).toThrow(XentError);
    expect(() => gather(a, [0, 9])).toThrow(XentError);
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(b.toArray()).toEqual([1, 2]);
  });
});
