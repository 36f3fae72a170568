// Hostile inputs, extreme numbers: logits from 1e-300 to 1e300, probabilities
// exactly 0 and 1, subnormals, −0, NaN and ±Infinity. Values and gradients
// are checked against naive float64 references written in helpers.ts.
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import {
  expectClose,
  flat,
  lse,
  refuses,
  refusesOr,
  sigmoidCeRef,
  sigmoidRef,
  softmaxCeGradRow,
  softmaxCeRow,
  softmaxRow,
} from './helpers.js';

const SCALES = [1e-300, 1e-8, 1, 30, 700, 710, 1e4, 1e8, 1e150, 1e300];

/** Loss value and gradient with respect to the predictions. */
function valueAndGrad(f: (p: Tensor) => Tensor, p: number[][] | number[]): { value: number; grad: number[] } {
  const { value, grads } = A.valueAndGrad((x: Tensor) => f(x))(p);
  return { value: value.item(), grad: flat(grads[0]) };
}

describe('softmax cross entropy at every scale of logits', () => {
  it.each(SCALES)('dense targets, logits scaled by %s: value and gradient match the naive row formula', (s) => {
    const z = [
      [0.5 * s, -0.25 * s, s],
      [-s, 0, 0.125 * s],
    ];
    const y = [
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ];
    const { value, grad } = valueAndGrad((p) => L.softmaxCrossEntropyWithLogits(y, p, { reduction: 'sum' }), z);
    expectClose(value, softmaxCeRow(y[0], z[0]) + softmaxCeRow(y[1], z[1]), 1e-12);
    expectClose(grad, [...softmaxCeGradRow(y[0], z[0]), ...softmaxCeGradRow(y[1], z[1])], 1e-9, 1e-12);
  });

  it.each(SCALES)('sparse labels, logits scaled by %s: value and gradient match', (s) => {
    const z = [
      [0.5 * s, -0.25 * s, s],
      [-s, 0, 0.125 * s],
    ];
    const { value, grad } = valueAndGrad((p) => L.sparseSoftmaxCrossEntropyWithLogits([0, 2], p, { reduction: 'sum' }), z);
    const y = [
      [1, 0, 0],
      [0, 0, 1],
    ];
    expectClose(value, softmaxCeRow(y[0], z[0]) + softmaxCeRow(y[1], z[1]), 1e-12);
    expectClose(grad, [...softmaxCeGradRow(y[0], z[0]), ...softmaxCeGradRow(y[1], z[1])], 1e-9, 1e-12);
  });

  it.each(SCALES)('float32 logits scaled by %s stay finite and float32', (s) => {
    if (s > 3e38) return expect(() => tensor([s], { dtype: 'float32' })).toThrow(/float32/);
    const z = tensor([[0.5 * s, -0.25 * s, s]], { dtype: 'float32' });
    const loss = L.sparseSoftmaxCrossEntropyWithLogits([0], z);
    expect(loss.dtype).toBe('float32');
    const zs = flat(z);
    expectClose(loss, softmaxCeRow([1, 0, 0], zs), 1e-6, 1e-6);
  });

  it.each([1e-8, 1, 1e4, 1e300])('the mean reduction of %s-scaled logits is the mean of the rows', (s) => {
    const z = [
      [s, 0, -s],
      [0, s, 0],
      [-s, -s, s],
    ];
    const loss = L.sparseSoftmaxCrossEntropyWithLogits([2, 1, 0], z);
    const ref = (softmaxCeRow([0, 0, 1], z[0]) + softmaxCeRow([0, 1, 0], z[1]) + softmaxCeRow([1, 0, 0], z[2])) / 3;
    expectClose(loss, ref, 1e-12);
  });
});

describe('sigmoid cross entropy at extreme logits', () => {
  const Z = [-1e300, -1e4, -710, -40, -1e-8, -0, 0, 5e-324, 1e-8, 40, 710, 1e4, 1e300];
  it.each(Z)('z = %s with targets 0, 0.3, 1: value and gradient σ(z) − y', (z) => {
    const y = [0, 0.3, 1];
    const { value, grad } = valueAndGrad((p) => L.sigmoidCrossEntropyWithLogits(y, p, { reduction: 'none' }).sum(), [z, z, z]);
    expectClose(
      value,
      y.map((t) => sigmoidCeRef(t, z)).reduce((a, b) => a + b),
      1e-12,
      1e-300,
    );
    expectClose(
      grad,
      y.map((t) => sigmoidRef(z) - t),
      1e-12,
      1e-300,
    );
  });

  it.each([-1e4, -40, 0, 40, 1e4])('posWeight 3 at z = %s weighs the positive term: −[3y log σ + (1−y) log(1−σ)]', (z) => {
    const y = [1, 0, 0.5];
    const loss = L.sigmoidCrossEntropyWithLogits(y, [z, z, z], { posWeight: 3, reduction: 'none' });
    // log σ(z) = −softplus(−z); log(1 − σ(z)) = −softplus(z)
    const sp = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    expectClose(
      loss,
      y.map((t) => 3 * t * sp(-z) + (1 - t) * sp(z)),
      1e-12,
    );
  });
});

describe('binary cross entropy on probabilities at the edges', () => {
  const eps = 1e-7;
  const clip = (q: number) => Math.min(Math.max(q, eps), 1 - eps);
  it.each([0, 5e-324, 1e-300, 1e-7, 0.25, 0.5, 1 - 1e-16, 1])(
    'q = %s against y = 0 and y = 1 (Keras clipping to [1e-7, 1 − 1e-7])',
    (q) => {
      const loss = L.binaryCrossentropy([[0], [1]], [[q], [q]], { reduction: 'none' });
      expectClose(loss, [-Math.log(1 - clip(q)), -Math.log(clip(q))], 1e-9);
    },
  );

  it('the gradient inside the clip range is (q − y) / (q(1 − q)) / K', () => {
    const q = [0.2, 0.7];
    const y = [1, 0];
    const { grad } = valueAndGrad((p) => L.binaryCrossentropy([y], p, { reduction: 'sum' }), [q]);
    expectClose(
      grad,
      q.map((v, i) => (v - y[i]) / (v * (1 - v)) / 2),
      1e-9,
    );
  });

  it.each([NaN, -1e-300, 1 + 1e-15, Infinity, -Infinity])('a probability of %s is refused (NOT_PROBABILITIES), not clipped', (q) => {
    refuses(() => L.binaryCrossentropy([1], [q]), 'NOT_PROBABILITIES', 'fromLogits');
  });
});

describe('autograd ops at extreme values', () => {
  const g = (f: (x: Tensor) => Tensor, x: number[]) => A.valueAndGrad((t: Tensor) => A.sum(f(t)))(x);

  it('sigmoid at ±1e4 and ±1e300: values 0/1, gradient σ(1−σ) = 0 (no NaN)', () => {
    const { value, grads } = g(A.sigmoid, [-1e300, -1e4, 1e4, 1e300]);
    expectClose(value, 2);
    expectClose(grads[0], [0, 0, 0, 0], 0, 0);
  });

  it('tanh at ±1e4: gradient 1 − tanh² = 0', () => {
    expectClose(g(A.tanh, [-1e4, 1e4]).grads[0], [0, 0], 0, 0);
  });

  it('softplus at 1e4 is 1e4 (no overflow), gradient σ(z)', () => {
    const { value, grads } = g(A.softplus, [1e4, -1e4, 0]);
    expectClose(value, 1e4 + Math.log(2), 1e-15);
    expectClose(grads[0], [1, 0, 0.5], 1e-15, 1e-300);
  });

  it('logSumExp of [1e308, 1e308] is 1e308 + log 2 (finite), gradient [½, ½]', () => {
    const { value, grads } = A.valueAndGrad((t: Tensor) => A.logSumExp(t))([1e308, 1e308]);
    expectClose(value, 1e308, 1e-15);
    expectClose(grads[0], [0.5, 0.5], 1e-15);
  });

  it('logSoftmax at gaps of 1e4 matches z − lse(z)', () => {
    const z = [1e4, 0, -1e4];
    const l = lse(z);
    expectClose(
      A.logSoftmax(z),
      z.map((v) => v - l),
      1e-15,
    );
  });

  it('softmax with −Infinity entries (masking) gives them probability 0 and the rest a softmax', () => {
    const p = A.softmax([-Infinity, 1, 2, -Infinity]);
    expectClose(p, [0, ...softmaxRow([1, 2]), 0], 1e-15);
  });

  it('exp(710) is Infinity and log(0) is −Infinity: IEEE, not a finite wrong number', () => {
    expect(flat(A.exp([710]))[0]).toBe(Infinity);
    expect(flat(A.log([0]))[0]).toBe(-Infinity);
    expect(flat(A.log1p([-1]))[0]).toBe(-Infinity);
  });

  it('−0 keeps its sign through neg and mul, as IEEE says', () => {
    expect(Object.is(flat(A.neg([0]))[0], -0)).toBe(true);
    expect(Object.is(flat(A.mul([-0], 1))[0], -0)).toBe(true);
  });

  it('pow(x, 0) at x = 0 is 1 with gradient 0 (PyTorch), d/de pow(0, e) is 0 for e > 0', () => {
    const { value, grads } = A.valueAndGrad((x: Tensor, e: Tensor) => A.sum(A.pow(x, e)))([0, 0], [0, 2]);
    expectClose(value, 1);
    expectClose(grads[0], [0, 0], 0, 0);
    expectClose(grads[1], [0, 0], 0, 0);
  });

  it('relu at 0 has gradient 0 (PyTorch convention)', () => {
    expectClose(g(A.relu, [0, -0, 1e-300]).grads[0], [0, 0, 1], 0, 0);
  });

  it('sqrt at 0: value 0, gradient +Infinity (IEEE, like PyTorch), not NaN', () => {
    const { value, grads } = g(A.sqrt, [0]);
    expectClose(value, 0);
    expect(flat(grads[0])[0]).toBe(Infinity);
  });

  it('abs at 0 has gradient 0 (sign(0))', () => {
    expectClose(g(A.abs, [0, -2, 3]).grads[0], [0, -1, 1], 0, 0);
  });

  it('max with ties at ±Infinity shares the gradient', () => {
    const { value, grads } = A.valueAndGrad((t: Tensor) => A.max(t))([Infinity, 1, Infinity]);
    expect(value.item()).toBe(Infinity);
    expectClose(grads[0], [0.5, 0, 0.5]);
  });

  it('sum of [1e308, 1e308] overflows to Infinity in float64 (IEEE), gradient ones', () => {
    const { value, grads } = g((t) => t, [1e308, 1e308]);
    expect(value.item()).toBe(Infinity);
    expectClose(grads[0], [1, 1]);
  });

  it('matmul of subnormals is exact', () => {
    expectClose(A.matmul([[5e-324, 0]], [[1], [1]]), [5e-324], 0, 0);
  });
});

describe('NaN and Infinity never become a finite wrong loss', () => {
  const finiteOrRefused = (f: () => Tensor) =>
    refusesOr(f, (r) => {
      for (const v of flat(r as Tensor)) expect(Number.isFinite(v), `got the finite number ${v} from a NaN/Infinity input`).toBe(false);
    });
  it.each([
    ['NaN logit, sparse', () => L.sparseSoftmaxCrossEntropyWithLogits([0], [[NaN, 0]])],
    ['NaN logit, dense', () => L.softmaxCrossEntropyWithLogits([[1, 0]], [[NaN, 0]])],
    ['NaN logit, sigmoid', () => L.sigmoidCrossEntropyWithLogits([1], [NaN])],
    ['+Infinity logit on the label, sparse', () => L.sparseSoftmaxCrossEntropyWithLogits([0], [[Infinity, 0]])],
    ['+Infinity logit elsewhere, sparse', () => L.sparseSoftmaxCrossEntropyWithLogits([1], [[Infinity, 0]])],
    ['NaN probability, categorical', () => L.categoricalCrossentropy([[1, 0]], [[NaN, 0.5]])],
    ['NaN target, sigmoid', () => L.sigmoidCrossEntropyWithLogits([NaN], [0.3])],
    ['NaN target, softmax', () => L.softmaxCrossEntropyWithLogits([[NaN, 1]], [[0, 0]])],
  ])('%s', (_what, f) => finiteOrRefused(f));
});

describe('focal losses at saturation (finite, correct-limit gradients)', () => {
  it.each([0, 0.25, 0.5, 1, 2])('binaryFocalCrossentropy with gamma %s at logits ±40 and ±1e4 has finite gradients', (gamma) => {
    const z = [40, -40, 1e4, -1e4];
    const y = [1, 0, 1, 0];
    const { value, grads } = A.valueAndGrad((p: Tensor) => L.binaryFocalCrossentropy(y, p, { fromLogits: true, gamma, reduction: 'sum' }))(
      z,
    );
    expect(Number.isFinite(value.item())).toBe(true);
    for (const v of flat(grads[0])) expect(Number.isFinite(v)).toBe(true);
    // every example is classified right with near certainty: the loss and its gradient are (almost) 0
    expect(Math.abs(value.item())).toBeLessThan(1e-15);
    for (const v of flat(grads[0])) expect(Math.abs(v)).toBeLessThan(1e-15);
  });

  it.each([0, 0.5, 2])('binaryFocalCrossentropy with gamma %s on probabilities exactly 0 and 1 stays finite', (gamma) => {
    const { value, grads } = A.valueAndGrad((p: Tensor) => L.binaryFocalCrossentropy([1, 0, 0, 1], p, { gamma, reduction: 'sum' }))([
      1, 0, 1, 0,
    ]);
    expect(Number.isFinite(value.item())).toBe(true);
    for (const v of flat(grads[0])) expect(Number.isFinite(v)).toBe(true);
  });
});
