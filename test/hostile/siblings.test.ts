// Hostile inputs, round two: the siblings of the issue-9 findings. Each probe
// was a silent wrong number, a raw TypeError or a misleading message before;
// each now gives the right number (against a hand-written reference) or an
// XentError that names the function, the argument and the fix.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import * as O from '@xent/optim';
import { expectClose, flat, refuses, softmaxCeRow } from './helpers.js';

describe('NaN propagates through relu (NumPy maximum, PyTorch relu)', () => {
  it('relu(NaN) is NaN, not the valid activation 0', () => {
    expectClose(A.relu(T.tensor([NaN, -0, -1, 2])), [NaN, 0, 0, 2]);
    expectClose(T.relu(T.tensor([NaN])), [NaN]);
  });
  it('a NaN input to an MLP-style relu layer makes the loss NaN, never a finite wrong loss', () => {
    const h = A.relu(A.matmul(T.tensor([[NaN, 1]]), T.tensor([[1], [1]])));
    expect(Number.isNaN(L.sigmoidCrossEntropyWithLogits([[1]], h).item())).toBe(true);
  });
});

describe("'mean' with weights whose sum overflows", () => {
  const z = [
    [0, 1],
    [1, 0],
  ];
  const l = softmaxCeRow([0, 1], z[0]); // both rows give the same loss
  it('sampleWeight [1e308, 1e308] gives the mean of the rows (Σ wℓ / Σ w), not Σ/∞ = 0', () => {
    const { value, grads } = A.valueAndGrad((x: T.Tensor) =>
      L.sparseSoftmaxCrossEntropyWithLogits([1, 0], x, { sampleWeight: [1e308, 1e308] }),
    )(z);
    expectClose(value, l, 1e-15);
    const ref = A.valueAndGrad((x: T.Tensor) => L.sparseSoftmaxCrossEntropyWithLogits([1, 0], x))(z);
    expectClose(grads[0], flat(ref.grads[0]), 1e-14, 1e-16);
  });
  it('unequal huge weights keep their ratio: [1e308, 5e307] equals [1, 0.5]', () => {
    const zz = [
      [0, 2],
      [1, 0],
    ];
    const big = L.sparseSoftmaxCrossEntropyWithLogits([1, 0], zz, { sampleWeight: [1e308, 5e307] });
    const small = L.sparseSoftmaxCrossEntropyWithLogits([1, 0], zz, { sampleWeight: [1, 0.5] });
    expectClose(big, flat(small), 1e-14);
  });
  it('classWeights [1e308, 1e308] (the divisor Σ c_y overflows) give the unweighted mean', () => {
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits([1, 0], z, { classWeights: [1e308, 1e308] }), l, 1e-15);
  });
  it('binaryCrossentropy with sampleWeight [1e308, 1e308] is log 2 at q = ½', () => {
    expectClose(L.binaryCrossentropy([1, 0], [0.5, 0.5], { sampleWeight: [1e308, 1e308] }), Math.LN2, 1e-15);
  });
  it('sampleWeight × classWeights overflowing for one example still gives the mean (the weights are scaled first)', () => {
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits([1, 0], z, { classWeights: [1e200, 1e200], sampleWeight: [1e200, 1e200] }), l, 1e-15);
  });
  it('float32 logits with sampleWeight [1e-300] give the loss itself (the weight used to underflow to 0 in float32: loss 0)', () => {
    const loss = L.softmaxCrossEntropyWithLogits([[1, 0]], T.tensor([[1, 2]], { dtype: 'float32' }), { sampleWeight: [1e-300] });
    expect(loss.dtype).toBe('float32');
    expectClose(loss, softmaxCeRow([1, 0], [1, 2]), 1e-6);
  });
  it('float32 with weights [1e-300, 1]: the tiny weight drops out, the mean is the second row', () => {
    const zz = T.tensor(z, { dtype: 'float32' });
    expectClose(L.sparseSoftmaxCrossEntropyWithLogits([0, 0], zz, { sampleWeight: [1e-300, 1] }), softmaxCeRow([1, 0], z[1]), 1e-6);
  });
});

describe('Adam with a gradient whose square overflows', () => {
  it('|g| = 1e200 is NON_FINITE_GRADIENT before anything changes (v = ∞ would freeze the entry: m̂/∞ = 0)', () => {
    const w = A.param(T.tensor([1, 2]), 'w');
    const v = A.param(T.tensor([3]), 'v');
    const opt = new O.Adam([v, w], { lr: 0.1 });
    v.grad = T.tensor([1]);
    w.grad = T.tensor([1e200, -1]);
    refuses(() => opt.step(), 'NON_FINITE_GRADIENT', "'w'", '1e+200', 'clipGradNorm');
    expect(flat(w)).toEqual([1, 2]);
    expect(flat(v)).toEqual([3]);
    expect(opt.stateOf(v)).toBeUndefined();
  });
  it('Adam with L2 weight decay: a huge parameter times λ that overflows v is refused too', () => {
    const w = A.param(T.tensor([1e200]));
    const opt = new O.Adam([w], { weightDecay: 1 });
    w.grad = T.tensor([0]);
    refuses(() => opt.step(), 'NON_FINITE_GRADIENT');
    expect(flat(w)).toEqual([1e200]);
  });
  it('|g| = 1e150 still steps: the first Adam step moves each entry by lr·sign(g)', () => {
    const w = A.param(T.tensor([1, 2]));
    const opt = new O.Adam([w], { lr: 0.1 });
    w.grad = T.tensor([1e150, -1e150]);
    opt.step();
    expectClose(w, [0.9, 2.1], 1e-12);
  });
  it('the optimizer parameter list cannot be changed behind its state (frozen)', () => {
    const w = A.param(T.tensor([1]));
    const opt = new O.SGD([w], { lr: 1 });
    expect(Object.isFrozen(opt.params)).toBe(true);
  });
});

describe('rand over a range wider than the float range', () => {
  it('rand with lo = −1e308, hi = 1e308 stays inside [lo, hi] (hi − lo overflows)', () => {
    const r = flat(T.rand([64], 3, { lo: -1e308, hi: 1e308 }));
    for (const v of r) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(-1e308);
      expect(v).toBeLessThanOrEqual(1e308);
    }
  });
  it('an ordinary range gives the same stream as before: lo + (hi − lo)·u', () => {
    const u = flat(T.rand([4], 7));
    expectClose(
      T.rand([4], 7, { lo: -2, hi: 6 }),
      u.map((x) => -2 + 8 * x),
      0,
      0,
    );
  });
});

describe('typed arrays whose memory goes away', () => {
  const transfer = (b: ArrayBufferView) => structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] });
  it('tensor() of a Float64Array whose buffer was transferred is refused (not an empty tensor)', () => {
    const b = new Float64Array([1, 2]);
    transfer(b);
    refuses(() => T.tensor(b), 'INVALID_ARGUMENT', 'transferred');
  });
  it('a loss given such logits is refused naming the argument (not NOT_DISTRIBUTION of an empty row)', () => {
    const b = new Float64Array([1, 2]);
    transfer(b);
    refuses(() => L.sparseSoftmaxCrossEntropyWithLogits([0], b as never), 'INVALID_ARGUMENT', 'logits', 'transferred');
  });
  it('an op on a tensor whose shared array was transferred after creation is refused, not a TypeError', () => {
    const b = new Float64Array([1, 2]);
    const x = T.tensor(b);
    transfer(b);
    refuses(() => A.add(x, 1), 'INVALID_ARGUMENT', 'transferred');
    refuses(() => A.sum(A.transpose(x))); // a view of it: an XentError too
  });
  it('matmul, concat and copyInto refuse such a tensor (matmul gave NaN, the others raw TypeErrors); it prints as having no data', () => {
    const lost = () => {
      const b = new Float64Array([1, 2, 3, 4]);
      const x = T.tensor(b).reshape([2, 2]);
      transfer(b);
      return x;
    };
    const eye = T.tensor([
      [1, 0],
      [0, 1],
    ]);
    refuses(() => T.matmul(lost(), eye), 'INVALID_ARGUMENT', 'transferred');
    refuses(() => T.matmul(eye, lost()), 'INVALID_ARGUMENT', 'transferred');
    refuses(() => A.matmul(eye, lost()), 'INVALID_ARGUMENT', 'transferred');
    refuses(() => T.concat([eye, lost()], 0), 'INVALID_ARGUMENT', 'transferred');
    refuses(() => T.copyInto(lost(), eye), 'INVALID_ARGUMENT', 'transferred');
    refuses(() => T.copyInto(T.clone(eye), lost()), 'INVALID_ARGUMENT', 'transferred');
    expect(lost().toString()).toBe('tensor(<no data: its typed array was transferred>, shape=[2, 2], dtype=float64)');
  });
  it('a tensor made from a resizable buffer owns a copy: shrinking the buffer later changes nothing', () => {
    type Resizable = ArrayBuffer & { resize(n: number): void };
    const ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(16, { maxByteLength: 64 });
    const b = new Float64Array(ab);
    b.set([3, 4]);
    const x = T.tensor(b);
    ab.resize(8);
    expect(x.toArray()).toEqual([3, 4]);
  });
  it('a SharedArrayBuffer-backed array is read by value', () => {
    const b = new Float64Array(new SharedArrayBuffer(16));
    b.set([0.25, 0.75]);
    expectClose(L.binaryCrossentropy([1, 0], b as never), (-Math.log(0.25) - Math.log(0.25)) / 2, 1e-15);
  });
});

describe('autograd misuse, round two', () => {
  it('grad of grad is refused: the inner gradients are constants, so the outer one would be 0 (d²/dx² x³ = 6x = 12)', () => {
    const inner = (y: T.Tensor) => A.sum(A.mul(y, A.mul(y, y)));
    refuses(() => A.grad((x: T.Tensor) => A.sum(A.grad(inner)(x)[0]))(T.tensor([2])), 'INVALID_ARGUMENT', 'grad(grad(f))');
  });
  it('grad inside another grad on arguments that are constants still works', () => {
    const [g] = A.grad((x: T.Tensor) => A.mul(A.sum(x), A.grad((c: T.Tensor) => A.sum(A.mul(c, c)))(T.tensor([3]))[0].item()))(
      T.tensor([1, 2]),
    );
    expectClose(g, [6, 6]);
  });
  it('after a refused nested grad, an ordinary grad works (the nesting count is restored)', () => {
    expect(() => A.grad((x: T.Tensor) => A.sum(A.grad((y: T.Tensor) => A.sum(y))(x)[0]))([1])).toThrow();
    expectClose(A.grad((x: T.Tensor) => A.sum(A.mul(x, x)))([3])[0], [6]);
  });
  it('valueAndGrad with an unknown or misspelt option is INVALID_OPTION (not ignored)', () => {
    refuses(() => A.valueAndGrad((x: T.Tensor) => A.sum(x), { foo: 1 } as never), 'INVALID_OPTION', "'foo'");
    refuses(() => A.grad((x: T.Tensor) => A.sum(x), { retainGraph: true } as never), 'INVALID_OPTION', "'retainGraph'");
  });
  it('backward({ dy: a string }) names backward and dy', () => {
    const w = A.param(T.tensor([1, 2]));
    refuses(() => A.mul(w, 2).backward({ dy: 'a' } as never), 'INVALID_ARGUMENT', /^backward: dy is a string/);
    expect(w.grad).toBeNull();
  });
  it.each([
    ['a number', 5],
    ['an array', [1, 2]],
    ['undefined', undefined],
  ])('detach(%s) is refused naming detach', (_l, v) => {
    refuses(() => A.detach(v as never), 'INVALID_ARGUMENT', /^detach: t is/);
  });
  it('param(t, 5): a name that is neither a string nor an options object is refused', () => {
    refuses(() => A.param(T.tensor([1]), 5 as never), undefined, /^param:/);
  });
  it('param options: an unknown name or a non-boolean copy is INVALID_OPTION', () => {
    refuses(() => A.param(T.tensor([1]), 'w', { cpy: false } as never), 'INVALID_OPTION', "'copy'");
    refuses(() => A.param(T.tensor([1]), 'w', { copy: 'no' } as never), 'INVALID_OPTION', 'copy');
  });
  it('param(t, undefined, { copy: false }) shares t as documented', () => {
    const t = T.tensor([1, 2]);
    const w = A.param(t, undefined, { copy: false });
    A.noGrad(() => T.copyInto(w, T.tensor([5, 6])));
    expect(flat(t)).toEqual([5, 6]);
  });
});

describe('shape arguments with messages that say what is wrong', () => {
  it('broadcastTo a negative size names the size, not "a tensor of -1 elements"', () => {
    refuses(() => A.broadcastTo(T.tensor([1]), [-1]), 'INVALID_ARGUMENT', /^broadcastTo: shape \[-1\] has -1/);
  });
  it('broadcastTo beyond 2^28 elements names the limit', () => {
    refuses(() => A.broadcastTo(T.tensor([1]), [2 ** 30]), 'INVALID_ARGUMENT', /^broadcastTo/, '2^28');
  });
  it('clip with a tensor bound says the bounds are numbers (not "lo must not exceed hi")', () => {
    refuses(() => A.clip(T.tensor([1, 2]), T.tensor([0]) as never, 1), 'INVALID_ARGUMENT', /^clip: lo is a Tensor/);
  });
});

describe('a tensor in JavaScript arithmetic and comparisons', () => {
  it('a scalar tensor compares as its value: loss < best is true for 0.5 < 1 (it was NaN < 1: always false)', () => {
    const loss = T.tensor(0.5) as unknown as number;
    expect(loss < 1).toBe(true);
    expect(Math.max(T.tensor(3) as unknown as number, 1)).toBe(3);
  });
  it('a tensor of several values used as a number is SHAPE_MISMATCH, not NaN', () => {
    refuses(() => (T.tensor([0.5, 2]) as unknown as number) < 1, 'SHAPE_MISMATCH', /^Tensor:/, 'item');
  });
  it('a recorded loss used as a number is refused while recording (w * 2 would silently drop the gradient)', () => {
    const w = A.param(T.tensor([2]));
    refuses(() => (w as unknown as number) * 2, 'NO_GRADIENT', 'item()');
    const loss = A.sum(A.mul(w, w));
    refuses(() => (loss as unknown as number) < 1, 'NO_GRADIENT');
    expect(A.noGrad(() => (loss as unknown as number) > 1)).toBe(true);
  });
  it('in strings a tensor still prints as toString()', () => {
    expect(`${T.tensor([1, 2])}`).toBe(T.tensor([1, 2]).toString());
    expect('loss ' + T.tensor(3)).toBe(`loss ${T.tensor(3).toString()}`);
  });
});

describe('graph printing options', () => {
  const y = () => A.mul(A.param(T.tensor([1])), 2);
  it.each([
    ['graphTable', (o: unknown) => A.graphTable(y(), o as never)],
    ['toDot', (o: unknown) => A.toDot(y(), o as never)],
  ])('%s: a misspelt option, a negative or NaN maxValues is INVALID_OPTION (it was ignored or printed "(1 values)")', (name, f) => {
    refuses(() => f({ maxValue: 3 }), 'INVALID_OPTION', new RegExp(`^${name}`), "'maxValues'");
    refuses(() => f({ maxValues: -1 }), 'INVALID_OPTION', 'maxValues');
    refuses(() => f({ maxValues: NaN }), 'INVALID_OPTION', 'maxValues');
    expect(f({ maxValues: 0 })).toContain('mul');
  });
});

describe('probability clipping with an epsilon below the normal floats', () => {
  it.each([5e-324, 1e-320])('epsilon %s is INVALID_OPTION (1/ε overflows: the clipped gradient was 0·∞ = NaN)', (eps) => {
    refuses(() => L.binaryCrossentropy([1, 0], [0, 1], { epsilon: eps }), 'INVALID_OPTION', 'epsilon');
    refuses(() => L.categoricalCrossentropy([[1, 0]], [[0, 1]], { epsilon: eps }), 'INVALID_OPTION', 'epsilon');
  });
  it('the smallest normal epsilon clips q = 0 to it: value −log ε, gradient 0 (outside the clip range)', () => {
    const eps = 2.2250738585072014e-308;
    const { value, grads } = A.valueAndGrad((q: T.Tensor) => L.categoricalCrossentropy([[1, 0]], q, { epsilon: eps }))([[0, 1]]);
    expectClose(value, -Math.log(eps), 1e-15);
    expectClose(grads[0], [0, 0]);
  });
});

describe('the global grad switch', () => {
  it.each([
    ["'no'", 'no'],
    ['0', 0],
    ['undefined', undefined],
    ['null', null],
  ])('setGradEnabled(%s) is refused (a truthy string left recording on) and changes nothing', (_l, v) => {
    refuses(() => T.setGradEnabled(v as never), 'INVALID_ARGUMENT', /^setGradEnabled: on is/);
    expect(T.isGradEnabled()).toBe(true);
  });
  it('setGradEnabled(false) then true: recording off, then on again', () => {
    const prev = T.setGradEnabled(false);
    try {
      expect(A.mul(A.param(T.tensor([2])), 3).requiresGrad).toBe(false);
    } finally {
      T.setGradEnabled(prev);
    }
    expect(A.mul(A.param(T.tensor([2])), 3).requiresGrad).toBe(true);
  });
});

describe('tensor(w, { dtype | shape }) of a parameter', () => {
  it('converting a param while recording is NO_GRADIENT (the copy is a constant: sum(mul(w, tensor(w, f32))) got half the gradient)', () => {
    const w = A.param(T.tensor([[1, 2]]));
    refuses(() => T.tensor(w, { dtype: 'float32' }), 'NO_GRADIENT', /^tensor: values requires a gradient/, 'detach');
    refuses(() => T.tensor(w, { shape: [2, 1] }), 'NO_GRADIENT', 'reshape');
  });
  it('tensor(w) without a conversion is w itself, so the gradient flows: d/dw Σw² = 2w', () => {
    const w = A.param(T.tensor([1, 2]));
    A.sum(A.mul(w, T.tensor(w))).backward();
    expectClose(w.grad!, [2, 4]);
  });
  it('inside noGrad, or of detach(w), the conversion is allowed', () => {
    const w = A.param(T.tensor([1, 2]));
    expect(A.noGrad(() => T.tensor(w, { dtype: 'float32' })).dtype).toBe('float32');
    expect(flat(T.tensor(A.detach(w), { shape: [2, 1] }))).toEqual([1, 2]);
  });
});

describe('clone and cast of a tensor that requires a gradient', () => {
  // sum(w · clone(w)) silently gave dL/dw = w instead of 2w: the copy was a constant.
  it('are refused while recording (NO_GRADIENT, naming noGrad/detach), never a gradient silently halved', () => {
    const w = A.param(T.tensor([1, 2, 3]));
    refuses(() => A.sum(A.mul(w, T.clone(w))), 'NO_GRADIENT', 'clone');
    refuses(() => T.cast(w, 'float32'), 'NO_GRADIENT', 'cast');
    expect(w.grad).toBeNull();
  });
  it('work on detach(w) and inside noGrad, as a snapshot', () => {
    const w = A.param(T.tensor([1, 2, 3]));
    expectClose(T.clone(A.detach(w)), [1, 2, 3]);
    expectClose(
      A.noGrad(() => T.cast(w, 'float32')),
      [1, 2, 3],
    );
    const { grads } = A.valueAndGrad((x: T.Tensor) => A.sum(A.mul(x, x)))([1, 2, 3]);
    expectClose(grads[0], [2, 4, 6]);
  });
});
