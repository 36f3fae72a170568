// One-value results of the elementwise kernels share typed arrays (scalarPool.ts): the values
// must be those of the general path, and a write to one pooled scalar must count as a write to
// that scalar only (versions per element), whichever view it goes through.
import { describe, it, expect } from 'vitest';
import { add, copyInto, exp, fromFlat, mul, reshape, sigmoid, sub, tensor, type Tensor } from '@xent/tensor';

/** Two pooled results made one after the other (neighbours in the pool). */
function neighbours(): [Tensor, Tensor] {
  return [mul(tensor(2), tensor(3)), add(tensor(1), tensor(0.5))];
}

describe('scalar pool', () => {
  it('gives the values of the general path, in the promoted dtype', () => {
    const [a, b] = neighbours();
    expect(a.item()).toBe(6);
    expect(b.item()).toBe(1.5);
    expect(a.view.data.buffer).toBe(b.view.data.buffer); // the pool is in use: the rest of this file tests something
    expect(sub(tensor(1, { dtype: 'float32' }), tensor(0.1, { dtype: 'float32' })).dtype).toBe('float32');
    expect(sub(tensor(1, { dtype: 'float32' }), tensor(0.1, { dtype: 'float32' })).item()).toBe(Math.fround(1 - Math.fround(0.1)));
    expect(mul(tensor(3, { dtype: 'int32' }), tensor(2, { dtype: 'int32' })).dtype).toBe('float64');
    expect(sub(tensor(1, { dtype: 'float32' }), tensor(0.1)).dtype).toBe('float64');
  });

  it('unary ops on one value (pooled inputs included) match the vector path', () => {
    const [a] = neighbours();
    expect(exp(a).item()).toBe(exp(tensor([6])).values()[0]);
    expect(sigmoid(tensor(-800)).item()).toBe(sigmoid(tensor([-800])).values()[0]);
    expect(exp(tensor(1, { dtype: 'float32' })).item()).toBe(Math.fround(Math.exp(1)));
    expect(exp(tensor(2, { dtype: 'int32' })).dtype).toBe('float64');
  });

  it('a write to one pooled scalar is not a write to its neighbour', () => {
    const [a, b] = neighbours();
    copyInto(a, tensor(5));
    expect([a.item(), a.version]).toEqual([5, 1]);
    expect([b.item(), b.version]).toEqual([1.5, 0]);
  });

  it('views of a pooled scalar share its count, through reshape and through values()', () => {
    const [a, b] = neighbours();
    const r = reshape(a, [1]);
    const v = fromFlat(a.values(), []); // a typed array of its own over the same element
    copyInto(r, tensor([7]));
    expect([a.version, v.version, b.version]).toEqual([1, 1, 0]);
    copyInto(v, tensor(8));
    expect([a.item(), a.version, r.version, b.version]).toEqual([8, 2, 2, 0]);
  });
});
