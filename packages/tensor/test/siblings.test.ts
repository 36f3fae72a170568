// Misbehaviours found by probing the public API as a hostile user would (the siblings of issue #9's
// findings): each test failed before its fix. No silent wrong answer: a right number or an XentError.
import { describe, expect, it } from 'vitest';
import * as K from '@xent/tensor';
import { Rng, tensor } from '@xent/tensor';
import { expectXentError } from '../../../test/utils.js';

describe('a kernel refuses an argument it does not take (it was dropped without a word)', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('K.add(x, W, b) does not leave out b; squeeze(x, 0, 1), softmax(x, 0, 1), matmul(a, b, c) likewise', () => {
    expectXentError(() => (K.add as (...a: unknown[]) => K.Tensor)(x, x, x), 'INVALID_ARGUMENT', 'add:', 'got 3');
    expectXentError(() => (K.squeeze as (...a: unknown[]) => K.Tensor)(K.zeros([1, 1, 3]), 0, 1), 'INVALID_ARGUMENT', 'squeeze:');
    expectXentError(() => (K.softmax as (...a: unknown[]) => K.Tensor)(x, 0, 1), 'INVALID_ARGUMENT', 'softmax:', 'at most 2');
    expectXentError(() => (K.matmul as (...a: unknown[]) => K.Tensor)(x, K.zeros([3, 1]), x), 'INVALID_ARGUMENT', 'matmul:');
    expectXentError(() => (K.exp as (...a: unknown[]) => K.Tensor)(x, 2), 'INVALID_ARGUMENT', 'exp:');
  });
  it('the arguments a kernel does take, defaults included, still work', () => {
    expect(K.softmax(x, 0).shape).toEqual([2, 3]);
    expect(K.logSoftmax(x, -1).shape).toEqual([2, 3]);
    expect(K.logSumExp(x, 1, { keepDims: true }).shape).toEqual([2, 1]);
    expect(K.gather(x, [1], 1).toArray()).toEqual([[2], [5]]);
    expect(K.concat([x, x], 1).shape).toEqual([2, 6]);
    expect(K.sum(x, 0, { keepDims: true }).toArray()).toEqual([[5, 7, 9]]);
    expect(K.clip(x, 2, 5).toArray()).toEqual([
      [2, 2, 3],
      [4, 5, 5],
    ]);
  });
});

describe('random tensors whose values the dtype cannot hold are refused (they were ±Infinity)', () => {
  it('rand in float32 with bounds beyond float32; randn whose mean ± 6.67 std leaves the dtype', () => {
    expectXentError(() => K.rand([3], 1, { lo: -1e39, hi: 1e39, dtype: 'float32' }), 'INVALID_ARGUMENT', 'rand:', 'options.lo', 'float64');
    expectXentError(() => K.randn([3], 1, { std: 1e39, dtype: 'float32' }), 'INVALID_OPTION', 'randn:', 'Infinity');
    expectXentError(() => K.randn([3], 1, { mean: 1e308, std: 1e308 }), 'INVALID_OPTION', 'randn:', 'float64');
  });
  it('a refused call does not advance the caller’s generator; values inside the range still come', () => {
    const rng = new Rng(7);
    expectXentError(() => K.randn([2], rng, { std: 1e39, dtype: 'float32' }), 'INVALID_OPTION');
    expect(rng.next()).toBe(new Rng(7).next());
    const big = K.randn([1000], 3, { std: 1e37, dtype: 'float32' }).values();
    expect(big.every(Number.isFinite)).toBe(true);
    expect(K.rand([1000], 3, { lo: -3e38, hi: 3e38, dtype: 'float32' }).values().every(Number.isFinite)).toBe(true);
  });
});

describe('cast and broadcastShapes check what they are given', () => {
  it('cast to float32 refuses a value that would become Infinity (as tensor() does); an unknown dtype is DTYPE with the fix', () => {
    expectXentError(() => K.cast(tensor([1, 1e39]), 'float32'), 'INVALID_ARGUMENT', 'cast:', 't[1]', '1e+39', "dtype 'float64'");
    expect(K.cast(tensor([1, 3e38]), 'float32').values()[1]).toBe(Math.fround(3e38));
    expect(K.cast(tensor([Infinity]), 'float32').values()[0]).toBe(Infinity); // an infinity stays one
    expectXentError(() => K.cast(tensor([1]), 'int8' as K.DType), 'DTYPE', 'cast:', "'int32'");
  });
  it('broadcastShapes of a non-array or a bad size is INVALID_ARGUMENT (a RangeError, or the shape [2.5])', () => {
    expectXentError(() => K.broadcastShapes(3 as unknown as number[], [3]), 'INVALID_ARGUMENT', 'broadcastShapes:', 'the number 3');
    expectXentError(() => K.broadcastShapes([2.5], [1]), 'INVALID_ARGUMENT', 'broadcastShapes:', '2.5');
    expect(K.broadcastShapes([2, 1], [3])).toEqual([2, 3]);
  });
});

describe('the functions that take a Tensor name what they got', () => {
  it('readFlat, contiguous and new Tensor given something else are INVALID_ARGUMENT, not a TypeError', () => {
    expectXentError(() => K.readFlat([1] as unknown as K.Tensor), 'INVALID_ARGUMENT', 'readFlat:', 'an array of length 1');
    expectXentError(() => K.contiguous(undefined as unknown as K.Tensor), 'INVALID_ARGUMENT', 'contiguous:', 'undefined');
    expectXentError(() => new K.Tensor(null as never), 'INVALID_ARGUMENT', 'Tensor:');
  });
  it('one value over a typed array that was transferred is refused by the one-value fast paths too (they gave NaN)', () => {
    const data = new Float64Array([2]);
    const x = tensor(data, { shape: [] }); // shares data
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expectXentError(() => K.exp(x), 'INVALID_ARGUMENT', 'lost its data');
    expectXentError(() => K.add(x, x), 'INVALID_ARGUMENT', 'lost its data');
    expectXentError(() => K.mul(x, 3), 'INVALID_ARGUMENT', 'lost its data');
  });
});

describe('argmax and argmin refuse a third argument', () => {
  it('argmax(x, 1, true) (NumPy’s keepdims) gave the reduced shape without a word', () => {
    const x = tensor([
      [1, 3],
      [4, 2],
    ]);
    type Loose = (...a: unknown[]) => K.Tensor;
    expectXentError(() => (K.argmax as Loose)(x, 1, true), 'INVALID_ARGUMENT', 'argmax:', 'expandDims');
    expectXentError(() => (K.argmin as Loose)(x, 0, { keepDims: true }), 'INVALID_ARGUMENT', 'argmin:');
    expect(K.argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(K.argmin(x).toArray()).toEqual([0, 1]);
  });
});
