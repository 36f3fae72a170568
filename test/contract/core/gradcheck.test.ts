// Contract §3: gradCheck(f, inputs, opts): float64 central differences of ⟨dy, f(x)⟩ with a seeded random dy;
// defaults eps 1e-6, atol 1e-5, rtol 1e-3; a failure names the op, the input, the worst index, analytic and numeric.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { expectClose, expectXent, type Nested } from './ref.js';

let unique = 0;
/** y = x ⊙ k with a backward that returns dy ⊙ m (m = k is right; any other m is a planted error). */
function scaled(k: number[], m: number[], shape: number[]) {
  const name = `planted${unique++}`;
  const kt = T.tensor(k, { shape });
  const mt = T.tensor(m, { shape });
  return {
    name,
    op: A.defineOp({
      name,
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, kt), saved: undefined }),
      backward: (dy) => [T.mul(dy, mt)],
    }),
  };
}

const numbersIn = (msg: string): number[] => (msg.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);

describe('gradCheck passes right gradients and reports what it checked', () => {
  it('a right backward passes: { ok: true, checked = number of float input elements }', () => {
    const { op } = scaled([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], [2, 3]);
    const r = A.gradCheck((x) => op(x), [T.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], { shape: [2, 3] })]);
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(6);
    expect(r.maxAbsError).toBeLessThan(1e-5);
  });

  it('int32 inputs (labels) are not checked', () => {
    const r = A.gradCheck(
      (y, z) => A.sparseSoftmaxCrossEntropyWithLogits(y, z),
      [
        T.tensor([1, 0], { dtype: 'int32' }),
        T.tensor([
          [0.1, 0.2, 0.3],
          [1, -1, 0.5],
        ]),
      ],
    );
    expect(r.checked).toBe(6);
  });

  it('every listed differentiable op passes gradCheck', () => {
    const x = T.tensor([
      [0.3, -1.2, 0.7],
      [1.9, -0.4, 1.1],
    ]);
    const pos = T.tensor([
      [0.3, 1.2, 0.7],
      [1.9, 0.4, 1.1],
    ]);
    const fs: [string, (...xs: T.Tensor[]) => T.Tensor, T.Tensor[]][] = [
      ['add', (a, b) => A.add(a, b), [x, T.tensor([1, 2, 3])]],
      ['sub', (a, b) => A.sub(a, b), [x, T.tensor([[1], [2]])]],
      ['mul', (a, b) => A.mul(a, b), [x, pos]],
      ['div', (a, b) => A.div(a, b), [x, pos]],
      ['neg', (a) => A.neg(a), [x]],
      ['exp', (a) => A.exp(a), [x]],
      ['log', (a) => A.log(a), [pos]],
      ['log1p', (a) => A.log1p(a), [pos]],
      ['sigmoid', (a) => A.sigmoid(a), [x]],
      ['tanh', (a) => A.tanh(a), [x]],
      ['relu', (a) => A.relu(a), [x]],
      ['softplus', (a) => A.softplus(a), [x]],
      ['matmul', (a, b) => A.matmul(a, b), [x, T.transpose(pos)]],
      ['sum', (a) => A.sum(a, 1), [x]],
      ['mean', (a) => A.mean(a), [x]],
      ['max', (a) => A.max(a, 0), [x]],
      ['logSumExp', (a) => A.logSumExp(a), [x]],
      ['softmax', (a) => A.softmax(a), [x]],
      ['logSoftmax', (a) => A.logSoftmax(a), [x]],
      ['reshape', (a) => A.reshape(a, [3, 2]), [x]],
      ['transpose', (a) => A.transpose(a), [x]],
      ['broadcastTo', (a) => A.broadcastTo(a, [4, 2, 3]), [x]],
      ['gather', (a) => A.gather(a, T.tensor([1, 1, 0], { dtype: 'int32' }), 0), [x]],
      [
        'softmaxCE',
        (p, z) => A.softmaxCrossEntropyWithLogits(p, z),
        [
          T.tensor([
            [0.2, 0.3, 0.5],
            [1, 0, 0],
          ]),
          x,
        ],
      ],
      [
        'sigmoidCE',
        (p, z) => A.sigmoidCrossEntropyWithLogits(p, z),
        [
          T.tensor([
            [0.2, 0.3, 0.5],
            [1, 0, 0],
          ]),
          x,
        ],
      ],
    ];
    for (const [name, f, inputs] of fs) {
      // targets of the fused ops are not differentiable: check the logits only
      const r = A.gradCheck(f, inputs, name.endsWith('CE') ? { wrt: [1] } : {});
      expect(r.ok, name).toBe(true);
    }
  });

  it('a recorded tensor f closes over is a constant: its graph is neither needed nor touched', () => {
    const w = A.param(T.tensor([0.5, -1]));
    const h = A.exp(w);
    A.sum(h).backward(); // frees h's graph
    expect(A.gradCheck((t) => A.mul(t, h), [T.tensor([1, 2])]).ok).toBe(true);
    const v = A.param(T.tensor([0.5, -1]));
    const k = A.tanh(v);
    expect(A.gradCheck((t) => A.mul(A.square(t), k), [T.tensor([1, 2])]).ok).toBe(true);
    A.sum(k).backward(); // k's graph survived the check
    expectClose(v.grad!.toArray() as Nested, [1 - Math.tanh(0.5) ** 2, 1 - Math.tanh(-1) ** 2], 1e-15, 1e-13);
  });

  it('float inputs are checked in float64: a float32 input passes on a smooth function', () => {
    const r = A.gradCheck((a) => A.exp(a), [T.tensor([0.5, -0.25, 1], { dtype: 'float32' })]);
    expect(r.ok).toBe(true);
  });
});

describe('the default tolerances: atol 1e-5, rtol 1e-3', () => {
  // Large gradients (×1000): the atol term is negligible, the verdict is rtol's.
  it('a relative error of 5e-4 passes, 2e-3 fails', () => {
    const k = [1000, -2000, 1500];
    const ok = scaled(
      k,
      k.map((v) => v * (1 + 5e-4)),
      [3],
    );
    expect(A.gradCheck((x) => ok.op(x), [T.tensor([0.1, 0.2, 0.3])]).ok).toBe(true);
    const bad = scaled(
      k,
      k.map((v) => v * (1 + 2e-3)),
      [3],
    );
    expectXent(() => A.gradCheck((x) => bad.op(x), [T.tensor([0.1, 0.2, 0.3])]), 'GRADCHECK_FAILED');
    expect(A.gradCheck((x) => bad.op(x), [T.tensor([0.1, 0.2, 0.3])], { rtol: 3e-3 }).ok).toBe(true);
  });

  // A zero true gradient: the verdict is atol's (the planted error is dy·m, |dy| unknown but seeded, so
  // bracket: m tiny passes, m large fails, and a larger atol rescues the large one).
  it('atol bounds the error where the true gradient is 0', () => {
    const tiny = scaled([0, 0], [1e-7, 1e-7], [2]);
    expect(A.gradCheck((x) => tiny.op(x), [T.tensor([1, 2])]).ok).toBe(true);
    const big = scaled([0, 0], [1e-3, 1e-3], [2]);
    expectXent(() => A.gradCheck((x) => big.op(x), [T.tensor([1, 2])]), 'GRADCHECK_FAILED');
    expect(A.gradCheck((x) => big.op(x), [T.tensor([1, 2])], { atol: 1e-1 }).ok).toBe(true);
  });

  // f(x) = x + k·x³ at x = 0: the central difference is 1 + k·ε² exactly, so only a backward that
  // returns 1 + k·(1e-6)² matches it — which pins the default step to ε = 1e-6.
  it('the default finite-difference step is 1e-6', () => {
    const k = 1e10;
    const cubic = (pred: number) =>
      A.defineOp({
        name: `cubic${unique++}`,
        inputs: ['x'],
        forward: ([x]) => ({ out: T.add(x, T.mul(k, T.mul(x, T.mul(x, x)))), saved: undefined }),
        backward: (dy) => [T.mul(dy, 1 + k * pred * pred)],
      });
    const x0 = [T.tensor([0, 0])];
    const at1e6 = cubic(1e-6);
    expect(A.gradCheck((x) => at1e6(x), x0).ok).toBe(true);
    const at1e5 = cubic(1e-5);
    expectXent(() => A.gradCheck((x) => at1e5(x), x0), 'GRADCHECK_FAILED');
    expect(A.gradCheck((x) => at1e5(x), x0, { eps: 1e-5 }).ok).toBe(true);
  });
});

describe('a failure names the op, the input, the worst index, analytic and numeric', () => {
  it('one planted error at [1, 2] (analytic 3× the numeric)', () => {
    const k = [1, 1, 1, 1, 1, 1];
    const m = [1, 1, 1, 1, 1, 3];
    const { name, op } = scaled(k, m, [2, 3]);
    const msg = expectXent(
      () => A.gradCheck((x) => op(x), [T.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], { shape: [2, 3] })]),
      'GRADCHECK_FAILED',
      name,
      '[1, 2]',
    );
    expect(msg).toMatch(/analytic/i);
    expect(msg).toMatch(/numeric/i);
    const nums = numbersIn(msg);
    // some pair (a, n) in the message with a = 3n (|n| > 0)
    const found = nums.some((a) => nums.some((n) => n !== 0 && Math.abs(a - 3 * n) <= 1e-3 * Math.abs(a)));
    expect(found, msg).toBe(true);
  });

  it('names the input by its name or position when the function has several', () => {
    const good = scaled([2, 2], [2, 2], [2]);
    const bad = scaled([1, 1], [-1, -1], [2]);
    const msg = expectXent(
      () => A.gradCheck((a, b) => A.add(good.op(a), bad.op(b)), [T.tensor([1, 2]), T.tensor([3, 4])]),
      'GRADCHECK_FAILED',
    );
    expect(msg).toMatch(/input 1|inputs\[1\]|#1|second/);
  });

  it('a backward that forgets dy fails (the seeded dy is random, not ones)', () => {
    const name = `forgot${unique++}`;
    const forgot = A.defineOp({
      name,
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, 2), saved: undefined }),
      backward: () => [T.full([3], 2)],
    });
    expectXent(() => A.gradCheck((x) => forgot(x), [T.tensor([1, 2, 3])]), 'GRADCHECK_FAILED', name);
  });

  it('seed changes dy but a right backward passes every seed', () => {
    const { op } = scaled([3, -1], [3, -1], [2]);
    for (const seed of [0, 1, 7, 12345]) expect(A.gradCheck((x) => op(x), [T.tensor([1, 2])], { seed }).ok).toBe(true);
  });
});

describe('gradCheck also checks dy = 0 and reentrancy (autograd README)', () => {
  it('a backward that is not linear in dy (a constant added) fails at dy = 0 even where the values agree', () => {
    const name = `affine${unique++}`;
    // right at the seeded dy up to 1e-9, but not 0 at dy = 0
    const affine = A.defineOp({
      name,
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, 2), saved: undefined }),
      backward: (dy) => [T.add(T.mul(dy, 2), 1e-9)],
    });
    expectXent(() => A.gradCheck((x) => affine(x), [T.tensor([1, 2])]), 'GRADCHECK_FAILED', name, 'dy = 0');
  });

  it('a backward that changes its saved values (a second sweep differs) fails', () => {
    const name = `consuming${unique++}`;
    const consuming = A.defineOp<void, { k: number[] }>({
      name,
      inputs: ['x'],
      forward: ([x]) => ({ out: T.mul(x, 3), saved: { k: [3] } }),
      backward: (dy, saved) => {
        const g = T.mul(dy, saved.k[0]);
        saved.k[0] += 1e-3; // wrong: the saved state drifts on every use
        return [g];
      },
    });
    expectXent(() => A.gradCheck((x) => consuming(x), [T.tensor([1, 2])]), 'GRADCHECK_FAILED', name);
  });
});

describe('gradCheck options are checked', () => {
  const f = (x: T.Tensor): T.Tensor => A.exp(x);
  it('eps 0, negative tolerances, unknown options: INVALID_OPTION', () => {
    expectXent(() => A.gradCheck(f, [T.tensor([1])], { eps: 0 }), 'INVALID_OPTION', 'eps');
    expectXent(() => A.gradCheck(f, [T.tensor([1])], { atol: -1 }), 'INVALID_OPTION', 'atol');
    expectXent(() => A.gradCheck(f, [T.tensor([1])], { tolerance: 1 } as never), 'INVALID_OPTION', 'tolerance');
  });
  it('wrt selects inputs; out of range is refused', () => {
    const r = A.gradCheck((a, b) => A.mul(a, b), [T.tensor([1, 2]), T.tensor([3, 4, 5], { shape: [3, 1] })], { wrt: [1] });
    expect(r.checked).toBe(3);
    expect(() => A.gradCheck(f, [T.tensor([1])], { wrt: [3] })).toThrow(T.XentError);
  });
});
