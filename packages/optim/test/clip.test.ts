import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { tensor, transpose } from '@xent/tensor';
import { param } from '@xent/autograd';
import { SGD, clipGradNorm } from '@xent/optim';
import { expectXentError, flat, setGrad } from '../../../test/utils.js';

describe('clipGradNorm by hand', () => {
  it('scales all gradients by maxNorm/(total + 1e-6) when that is below 1, and returns the total', () => {
    // g = [3, 4] and [12]: total = √(9 + 16 + 144) = 13; c = 1.3/(13 + 1e-6) ≈ 0.1
    const a = param(tensor([0, 0]));
    const b = param(tensor([0]));
    setGrad(a, [3, 4]);
    setGrad(b, [12]);
    const total = clipGradNorm([a, b], 1.3);
    expect(total).toBe(13);
    const c = 1.3 / (13 + 1e-6);
    expect(a.grad).toBeAllClose([3 * c, 4 * c], { rtol: 1e-15 });
    expect(b.grad).toBeAllClose([12 * c], { rtol: 1e-15 });
    expect(a.grad).toBeAllClose([0.3, 0.4], { rtol: 1e-7 });
  });

  it('leaves gradients alone when the norm is already within maxNorm (c ≥ 1)', () => {
    const a = param(tensor([0, 0]));
    setGrad(a, [3, 4]);
    expect(clipGradNorm([a], 5)).toBe(5); // c = 5/(5 + 1e-6) < 1: a tiny shrink, as in PyTorch
    expect(a.grad).toBeAllClose([3, 4], { rtol: 1e-6 });
    expect(flat(a.grad!)).not.toEqual([3, 4]);
    setGrad(a, [3, 4]);
    const g = a.grad;
    expect(clipGradNorm(a, 10)).toBe(5); // a single tensor is accepted too
    expect(a.grad).toBe(g);
    expect(flat(a.grad!)).toEqual([3, 4]);
  });

  it('skips parameters without gradients; no gradients gives 0', () => {
    const a = param(tensor([0, 0]));
    const b = param(tensor([0]));
    setGrad(b, [-2]);
    expect(clipGradNorm([a, b], 1)).toBe(2);
    expect(a.grad).toBeNull();
    expect(b.grad).toBeAllClose([(-1 / (2 + 1e-6)) * 2], { rtol: 1e-15 });
    expect(clipGradNorm([param(tensor([1]))], 1)).toBe(0);
  });

  it('normType Infinity uses max |g|, normType 1 the sum of |g|', () => {
    const a = param(tensor([0, 0, 0]));
    setGrad(a, [1, -4, 2]);
    expect(clipGradNorm([a], 100, { normType: Infinity })).toBe(4);
    expect(clipGradNorm([a], 100, { normType: 1 })).toBe(7);
    expect(clipGradNorm([a], 7e-6, { normType: 1 })).toBe(7);
    expect(a.grad).toBeAllClose([1e-6, -4e-6, 2e-6], { rtol: 1e-6 });
  });

  it('neither overflows nor underflows', () => {
    const a = param(tensor([0, 0]));
    setGrad(a, [3e200, 4e200]);
    expect(clipGradNorm([a], 1)).toBeCloseTo(5e200, -186);
    expect(a.grad).toBeAllClose([0.6, 0.8], { rtol: 1e-12 });
    setGrad(a, [3e-200, 4e-200]);
    expect(clipGradNorm([a], 1) / 5e-200).toBeCloseTo(1, 12);
  });

  it('refuses an int32 gradient (its scaled copy was an Int32Array: [3, 4] clipped to norm 1 became [0, 0])', () => {
    const a = param(tensor([0, 0]), 'a');
    const g = tensor([3, 4], { dtype: 'int32' });
    a.grad = g;
    expectXentError(() => clipGradNorm([a], 1), 'DTYPE', "clipGradNorm: the gradient of parameter 'a' (index 0, shape [2]) is int32");
    expect(a.grad).toBe(g);
    expectXentError(() => new SGD([a], { lr: 0.1 }).step(), 'DTYPE', 'SGD.step');
    expect(flat(a)).toEqual([0, 0]);
  });

  it('scales to maxNorm when the norm itself is past the float range (it returns Infinity, not zeroed gradients)', () => {
    // ‖[1.5e308, 1.5e308]‖₂ = 2.1e308 > MAX_VALUE: c = 1/∞ = 0 zeroed both; the exact c·g is 1/√2 each.
    const a = param(tensor([0, 0]));
    setGrad(a, [1.5e308, -1.5e308]);
    expect(clipGradNorm([a], 1)).toBe(Infinity);
    expect(a.grad).toBeAllClose([Math.SQRT1_2, -Math.SQRT1_2], { rtol: 1e-15 });
    // p = 1 over two parameters: ‖·‖₁ = 2e308 → each of the four halves of maxNorm 3 in proportion.
    const b = param(tensor([0]));
    setGrad(a, [1e308, 5e307]);
    setGrad(b, [-5e307]);
    expect(clipGradNorm([a, b], 3, { normType: 1 })).toBe(Infinity);
    expect(a.grad).toBeAllClose([1.5, 0.75], { rtol: 1e-15 });
    expect(b.grad).toBeAllClose([-0.75], { rtol: 1e-15 });
  });

  it('replaces each gradient by a scaled copy (non-contiguous and float32 too) and never writes into the old one', () => {
    const a = param(
      tensor([
        [0, 0],
        [0, 0],
      ]),
    );
    a.grad = transpose(
      tensor([
        [3, 0],
        [4, 0],
      ]),
    ); // [[3, 4], [0, 0]] through strides
    const b = param(tensor([0], { dtype: 'float32' }));
    const bGrad = tensor([1], { dtype: 'float32' });
    b.grad = bGrad;
    clipGradNorm([a, b], 0.5);
    const c = 0.5 / (Math.sqrt(26) + 1e-6);
    expect(a.grad!.toArray()).toBeAllClose(
      [
        [3 * c, 4 * c],
        [0, 0],
      ],
      { rtol: 1e-12 },
    );
    expect(b.grad!.toArray()).toBeAllClose([c], { rtol: 1e-6 });
    expect(b.grad!.dtype).toBe('float32');
    expect(b.grad).not.toBe(bGrad);
    expect(bGrad.toArray()).toEqual([1]); // the old gradient (which may be shared) is untouched
  });
});

describe('clipGradNorm properties', () => {
  const value = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
  it('returns the global 2-norm; afterwards the norm is min(total, ≈maxNorm) and each direction is kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (grads, maxNorm) => {
          const ps = grads.map((g) => param(tensor(g.map(() => 0))));
          ps.forEach((p, i) => setGrad(p, grads[i]));
          const total = clipGradNorm(ps, maxNorm);
          const expected = Math.sqrt(grads.flat().reduce((s, x) => s + x * x, 0));
          expect(total).toBeCloseTo(expected, 9);
          const after = Math.sqrt(ps.flatMap((p) => flat(p.grad!)).reduce((s, x) => s + x * x, 0));
          expect(after).toBeLessThanOrEqual(maxNorm * (1 + 1e-12));
          const c = Math.min(1, maxNorm / (expected + 1e-6));
          ps.forEach((p, i) =>
            expect(p.grad).toBeAllClose(
              grads[i].map((x) => x * c),
              { rtol: 1e-9, atol: 1e-12 },
            ),
          );
        },
      ),
    );
  });
});

describe('clipGradNorm errors', () => {
  it('a NaN or infinite gradient throws, naming the parameter, and changes no gradient', () => {
    const a = param(tensor([0, 0]), 'a');
    const b = param(tensor([0, 0]), 'b');
    setGrad(a, [30, 40]);
    setGrad(b, [1, Infinity]);
    const e = expectXentError(() => clipGradNorm([a, b], 1), 'NON_FINITE_GRADIENT');
    expect(e.message).toMatch(
      /clipGradNorm: the gradient of parameter 'b' \(index 1, shape \[2\]\) holds Infinity at flat index 1; no gradient was changed/,
    );
    expect(flat(a.grad!)).toEqual([30, 40]);
  });

  it('a parameter listed twice is refused like the optimizers refuse it (its gradient counted twice: norm 5√2 for 5)', () => {
    const a = param(tensor([0, 0]), 'a');
    setGrad(a, [3, 4]);
    expectXentError(() => clipGradNorm([a, a], 1), 'INVALID_ARGUMENT', "parameter 'a' (index 1", 'same tensor as params[0]');
    expect(flat(a.grad!)).toEqual([3, 4]);
    expect(clipGradNorm([a], 100)).toBe(5);
  });

  it('refuses a bad maxNorm, normType or option', () => {
    const a = param(tensor([0]));
    setGrad(a, [1]);
    let e = expectXentError(() => clipGradNorm([a], -1), 'INVALID_OPTION');
    expect(e.message).toMatch(/clipGradNorm: maxNorm is -1; it must be a number in \[0, ∞\)/);
    expectXentError(() => clipGradNorm([a], NaN), 'INVALID_OPTION');
    e = expectXentError(() => clipGradNorm([a], 1, { normType: 0 }), 'INVALID_OPTION');
    expect(e.message).toMatch(/option 'normType' is 0/);
    e = expectXentError(() => clipGradNorm([a], 1, { norm_type: 2 } as never), 'INVALID_OPTION');
    expect(e.message).toMatch(/did you mean 'normType'/);
    expectXentError(() => clipGradNorm([1 as never], 1), 'INVALID_ARGUMENT');
  });
});
