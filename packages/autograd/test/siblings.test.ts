// Misbehaviours found by probing the public API as a hostile user would (the siblings of issue #9's
// findings): each test failed before its fix. No silent wrong answer: a right number or an XentError.
import { afterEach, describe, expect, it } from 'vitest';
import * as K from '@xent/tensor';
import {
  applyOp,
  detach,
  enableGrad,
  getOp,
  grad,
  gradCheck,
  gradients,
  isGradEnabled,
  matmul,
  mean,
  mul,
  noGrad,
  param,
  polyCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sum,
  toTensor,
  transpose,
  valueAndGrad,
} from '@xent/autograd';
import { availableBackends, expectXentError, normals } from '../../../test/utils.js';

const initial = K.getBackend();
afterEach(() => K.setBackend(initial));

describe('matmul with one output column (the matrix–vector kernel)', () => {
  it('the gradient of mean(X·w) for w of shape [K, 1] is Xᵀ·1/M on every backend (the broadcast dy was read as stale memory)', () => {
    const [M, Kd] = [64, 100];
    const X = K.tensor(normals(M * Kd, 1), { shape: [M, Kd] });
    const rows = X.toArray() as number[][];
    // d mean(X·w)/dw_k = Σ_i X[i, k] / M, by a plain loop
    const expected = Array.from({ length: Kd }, (_, k) => rows.reduce((s, r) => s + r[k], 0) / M);
    for (const backend of availableBackends()) {
      K.setBackend(backend);
      {
        const [g] = grad((w: K.Tensor) => mean(matmul(X, w)))(K.zeros([Kd, 1]));
        expect(g.values()).toBeAllClose(expected, { rtol: 1e-12, atol: 1e-14 });
        const w = param(K.zeros([Kd, 1]));
        sum(matmul(X, w)).backward();
        expect(w.grad!.values()).toBeAllClose(
          expected.map((v) => v * M),
          { rtol: 1e-12, atol: 1e-12 },
        );
      }
    }
  });
});

describe('arguments the fused ops do not take are refused, not ignored', () => {
  const P = K.tensor([
    [0.2, 0.3, 0.5],
    [1, 0, 0],
  ]);
  const z = K.tensor([
    [1, 2, 3],
    [-1, 0, 4],
  ]);
  it('softmaxCrossEntropyWithLogits(P, z, { axis: 0 }) was computed over the last axis without a word', () => {
    type Loose = (...args: unknown[]) => K.Tensor;
    expectXentError(
      () => (softmaxCrossEntropyWithLogits as Loose)(P, z, { axis: 0 }),
      'INVALID_ARGUMENT',
      'softmaxCrossEntropyWithLogits:',
      'got 3',
    );
    expectXentError(() => (sigmoidCrossEntropyWithLogits as Loose)(P, z, 2, 3), 'INVALID_ARGUMENT', 'sigmoidCrossEntropyWithLogits:');
    expectXentError(
      () => (sparseSoftmaxCrossEntropyWithLogits as Loose)([2, 0], z, {}, 1),
      'INVALID_ARGUMENT',
      'sparseSoftmaxCrossEntropyWithLogits:',
    );
    expectXentError(() => (polyCrossEntropyWithLogits as Loose)(P, z, {}, 1), 'INVALID_ARGUMENT', 'polyCrossEntropyWithLogits:');
    expect(sigmoidCrossEntropyWithLogits(P, z, 2).shape).toEqual([2, 3]); // the arguments they take still work
    expect(sparseSoftmaxCrossEntropyWithLogits([2, 0], z, { ignoreIndex: 0 }).shape).toEqual([2]);
  });
});

describe('gradients names what it was given', () => {
  it('gradients(3) is INVALID_ARGUMENT, not a TypeError', () => {
    expectXentError(() => gradients(3 as unknown as K.Tensor), 'INVALID_ARGUMENT', 'gradients:', 'the number 3');
  });
});

describe('noGrad and enableGrad refuse a generator function, as an async one', () => {
  it('noGrad(function* () { … }) ran its body later, when iterated, while recording', () => {
    const w = param(K.tensor([2]));
    function* evaluate(): Generator<K.Tensor> {
      yield mul(w, w); // iterated after noGrad returned: recorded a graph
    }
    async function* stream(): AsyncGenerator<K.Tensor> {
      yield mul(w, w);
    }
    expectXentError(() => noGrad(evaluate as unknown as () => unknown), 'INVALID_ARGUMENT', 'noGrad:', 'generator');
    expectXentError(() => enableGrad(stream as unknown as () => unknown), 'INVALID_ARGUMENT', 'enableGrad:', 'generator');
    expect(isGradEnabled()).toBe(true);
    // plain, arrow, bound and method functions still run
    expect(noGrad(() => mul(w, w)).requiresGrad).toBe(false);
    expect(
      noGrad(function () {
        return mul(w, w);
      }).requiresGrad,
    ).toBe(false);
    expect(noGrad((() => mul(w, w)).bind(null)).requiresGrad).toBe(false);
    expect(
      enableGrad(
        {
          f() {
            return mul(w, w);
          },
        }.f,
      ).requiresGrad,
    ).toBe(true);
  });
});

describe('contiguous of a tensor that requires a gradient, while recording', () => {
  it('a copy (of a transposed param) is NO_GRADIENT, as clone: sum(w·contiguous(wᵀ)ᵀ) lost a gradient path without a word', () => {
    const w = param(
      K.tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expectXentError(() => K.contiguous(transpose(w)), 'NO_GRADIENT', 'contiguous:', 'detach');
    expect(K.contiguous(w)).toBe(w); // already contiguous: no copy, nothing lost
    expect(noGrad(() => K.contiguous(transpose(w))).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(K.contiguous(transpose(detach(w))).requiresGrad).toBe(false);
  });
});

describe('gradCheck options', () => {
  it('a seed beyond ±2⁵³ is INVALID_OPTION naming gradCheck (it was refused by Rng, under another name)', () => {
    const f = (x: K.Tensor) => sum(mul(x, x));
    expectXentError(() => gradCheck(f, [K.tensor([1])], { seed: 2 ** 60 }), 'INVALID_OPTION', 'gradCheck:', 'seed');
    expect(gradCheck(f, [K.tensor([1])], { seed: -7 }).ok).toBe(true);
  });
});

describe('a backward refused for a .grad set by hand changes nothing', () => {
  it('the graph is not freed: after fixing the .grad, the same backward runs (it gave GRAPH_FREED)', () => {
    const w = param(K.tensor([1, 2]));
    const v = param(K.tensor([3]));
    v.grad = K.tensor([1, 2, 3]); // the wrong shape
    const y = sum(mul(w, v));
    expectXentError(() => y.backward(), 'SHAPE_MISMATCH', 'backward:', '.grad');
    expect(w.grad).toBeNull();
    v.grad = null;
    y.backward();
    expect(w.grad!.toArray()).toEqual([3, 3]);
    expect(v.grad!.toArray()).toEqual([3]);
  });
});

describe('applyOp checks the definition it is given, as registerOp does', () => {
  it('a malformed or half definition, a non-array of inputs and a built-in without its attributes are INVALID_ARGUMENT (they were TypeErrors)', () => {
    const x = K.tensor([1, 2]);
    type Loose = (...a: unknown[]) => K.Tensor;
    const run = applyOp as Loose;
    expectXentError(() => run(null, [x], undefined), 'INVALID_ARGUMENT', 'applyOp:');
    expectXentError(() => run({ name: 'noInputs' }, [x], undefined), 'INVALID_ARGUMENT', 'applyOp:', "'noInputs'", 'inputs');
    const forwardOnly = { name: 'forwardOnly', inputs: ['x'], forward: ([a]: K.Tensor[]) => ({ out: K.mul(a, 1), saved: undefined }) };
    expectXentError(() => run(forwardOnly, [param(x)], undefined), 'INVALID_ARGUMENT', 'applyOp:', 'backward');
    expectXentError(() => run(getOp('add'), x, undefined), 'INVALID_ARGUMENT', 'applyOp:', 'pass an array');
    expectXentError(() => run(getOp('sum'), [x], undefined), 'INVALID_ARGUMENT', 'applyOp:', "'sum'", 'sum(…)');
    expect(applyOp(getOp('add')!, [x, x], undefined).toArray()).toEqual([2, 4]);
    expect(applyOp(getOp('sum')!, [x], { axes: undefined, keepDims: false }).item()).toBe(3);
  });
});

describe('toTensor refuses a dtype it would not apply', () => {
  // toTensor(x, 'float32') took 'float32' as the function its errors name and gave float64.
  const call =
    (...args: unknown[]) =>
    () =>
      (toTensor as (...a: unknown[]) => unknown)(...args);
  it.each([
    ['a dtype as where', call([1], 'float32'), "where/name is 'float32'"],
    ['a dtype as name', call([1], 'f', 'int32'), "where/name is 'int32'"],
    ['options as where', call([1], { dtype: 'float32' }), 'where/name is a plain object'],
  ])('%s', (_case, run, found) => {
    expectXentError(run, 'INVALID_ARGUMENT', 'toTensor: ', found, "toTensor keeps x's dtype", 'tensor(x, { dtype }) converts');
  });
  it('a fourth argument', () => {
    expectXentError(call([1], 'f', 'x', 'float32'), 'INVALID_ARGUMENT', 'toTensor: takes at most 3 arguments, got 4');
  });
  it('still converts, naming where and name in its errors', () => {
    expect(toTensor([1, 2]).dtype).toBe('float64');
    expectXentError(call('2', 'myLoss', 'targets'), 'INVALID_ARGUMENT', 'myLoss', 'targets');
  });
});

describe('grad names grad in its errors, and both transforms refuse a third argument', () => {
  // grad's refusals said 'valueAndGrad', a function the caller never called.
  const f = (x: K.Tensor) => sum(mul(x, x));
  it('an unknown option, an int32 argument, a result that is not a Tensor', () => {
    expectXentError(() => grad(f, { dyy: 1 } as never), 'INVALID_OPTION', "grad: unknown option 'dyy'");
    expectXentError(() => grad(f)(K.tensor([1], { dtype: 'int32' })), 'DTYPE', 'grad: argument 0 is int32');
    expectXentError(() => grad(() => 3 as never)(K.tensor([1])), 'INVALID_ARGUMENT', 'grad: the function must return a Tensor');
    expectXentError(() => valueAndGrad(f, { dyy: 1 } as never), 'INVALID_OPTION', "valueAndGrad: unknown option 'dyy'");
  });
  it('a third argument', () => {
    const call =
      (t: unknown, ...args: unknown[]) =>
      () =>
        (t as (...a: unknown[]) => unknown)(...args);
    expectXentError(call(grad, f, {}, [1]), 'INVALID_ARGUMENT', 'grad: takes at most 2 arguments, got 3', '{ dy }');
    expectXentError(call(valueAndGrad, f, {}, [1]), 'INVALID_ARGUMENT', 'valueAndGrad: takes at most 2 arguments, got 3');
  });
  it('still differentiates', () => {
    expect(grad(f)(K.tensor([3]))[0].toArray()).toEqual([6]);
  });
});

describe('gradients takes (y, options, where)', () => {
  // gradients(y, {}, 'f', 1e9) returned an empty Map: the fourth parameter was the engine's own cut-off.
  it('a fourth argument, or a where that is not a string, is refused', () => {
    const w = param(K.tensor([1, 2]));
    const call =
      (...args: unknown[]) =>
      () =>
        (gradients as (...a: unknown[]) => unknown)(...args);
    expectXentError(call(sum(mul(w, w)), {}, 'f', 1e9), 'INVALID_ARGUMENT', 'gradients: takes at most 3 arguments, got 4');
    expectXentError(call(sum(mul(w, w)), {}, 5), 'INVALID_ARGUMENT', 'gradients: where is 5', 'a string');
    expect(
      gradients(sum(mul(w, w)), {}, 'myStep')
        .get(w)
        ?.toArray(),
    ).toEqual([2, 4]);
  });
});
