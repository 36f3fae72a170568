// Contract §3: the three fused cross-entropy ops of @xent/autograd, arguments (targets, logits):
// values and gradients (softmax − P)·dy and (σ − P)·dy (posWeight), stability at |z| = 1e4,
// targets not differentiable; checked against naive float64 formulas, finite differences and
// PyTorch's float64 numbers (the 'none'-reduction cases of torch-cases.json, which are exactly these ops).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import {
  expectClose,
  expectXent,
  finiteDiff,
  flat,
  logSumExp,
  makeRandom,
  nest,
  shapeOf,
  sigmoid,
  softmaxRow,
  softplus,
  uniform,
  type Nested,
} from './ref.js';

const arr = (t: T.Tensor): Nested => t.toArray() as Nested;

interface TorchCase {
  id: string;
  loss: string;
  targetsDtype: 'int32' | 'float';
  targets: Nested;
  predictions: Nested;
  options: { reduction?: string; posWeight?: number[] };
  value: Nested;
  grad: Nested;
}
const fixture = fileURLToPath(new URL('../../../packages/losses/test/fixtures/torch-cases.json', import.meta.url));
const torchCases = (JSON.parse(readFileSync(fixture, 'utf8')) as { cases: TorchCase[] }).cases.filter(
  (c) => c.options.reduction === 'none',
);

/** Rows of a row-major [r, c] array. */
const rows = (v: number[], c: number): number[][] => Array.from({ length: v.length / c }, (_, i) => v.slice(i * c, i * c + c));

/** Naive −Σ p log softmax(z) per row. */
const softmaxCE = (p: number[], z: number[], c: number): number[] => {
  const pr = rows(p, c);
  return rows(z, c).map((zr, i) => {
    const l = logSumExp(zr);
    return -zr.reduce((s, zc, k) => s + pr[i][k] * (zc - l), 0);
  });
};

/** Naive −[w·p log σ(z) + (1−p) log(1 − σ(z))], elementwise, with log σ(z) = −softplus(−z). */
const sigmoidCE = (p: number[], z: number[], w: number[] = []): number[] =>
  z.map((zi, i) => (w[i] ?? 1) * p[i] * softplus(-zi) + (1 - p[i]) * softplus(zi));

describe('softmaxCrossEntropyWithLogits(targets, logits)', () => {
  const rand = makeRandom(11);
  const C = 4;
  const z = uniform(rand, 3 * C, -3, 3);
  const p = rows(uniform(rand, 3 * C, 0, 1), C).flatMap((r) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => v / s);
  });
  const dy = [0.7, -1.3, 2];

  it('per row over the last axis: value −Σ p log softmax(z)', () => {
    const out = A.softmaxCrossEntropyWithLogits(T.tensor(p, { shape: [3, C] }), T.tensor(z, { shape: [3, C] }));
    expect(out.shape).toEqual([3]);
    expectClose(arr(out), softmaxCE(p, z, C), 1e-14, 1e-13);
  });

  it('gradient (softmax(z) − P)·dy, and it matches finite differences', () => {
    const logits = A.param(T.tensor(z, { shape: [3, C] }));
    A.backward(A.softmaxCrossEntropyWithLogits(T.tensor(p, { shape: [3, C] }), logits), { dy: T.tensor(dy) });
    const closed = rows(z, C).flatMap((zr, i) => softmaxRow(zr).map((s, k) => (s - p[i * C + k]) * dy[i]));
    expectClose(flat(arr(logits.grad!)), closed, 1e-15, 1e-13);
    const numeric = finiteDiff((zz) => softmaxCE(p, zz, C).reduce((s, l, i) => s + l * dy[i], 0), z);
    expectClose(flat(arr(logits.grad!)), numeric, 1e-8, 1e-6);
  });

  it('leading axes are examples: [2, 2, C] logits give [2, 2] losses', () => {
    const out = A.softmaxCrossEntropyWithLogits(
      T.tensor(p.slice(0, 2 * C).concat(p.slice(0, 2 * C)), { shape: [2, 2, C] }),
      T.tensor(z.slice(0, 2 * C).concat(z.slice(0, 2 * C)), { shape: [2, 2, C] }),
    );
    expect(out.shape).toEqual([2, 2]);
    const l = softmaxCE(p.slice(0, 2 * C), z.slice(0, 2 * C), C);
    expectClose(arr(out), [l, l], 1e-14, 1e-13);
  });

  it('targets and logits may be nested arrays (README: [[0,1,0]] against [[2,0,0]])', () => {
    const z0 = A.param(T.tensor([[2, 0, 0]]));
    const loss = A.sum(A.softmaxCrossEntropyWithLogits([[0, 1, 0]], z0));
    expectClose(loss.item(), Math.log(Math.exp(2) + 2), 0, 1e-14);
    loss.backward();
    const s = softmaxRow([2, 0, 0]);
    expectClose(arr(z0.grad!), [[s[0], s[1] - 1, s[2]]], 1e-15, 1e-13);
    expect(loss.item().toFixed(4)).toBe('2.2395');
  });

  it('soft targets that do not sum to 1: the gradient is still the derivative of the forward', () => {
    const q = [0.2, 0.5, 0.9];
    const zz = [0.3, -1, 2];
    const { value, grads } = A.valueAndGrad((t: T.Tensor) => A.sum(A.softmaxCrossEntropyWithLogits(q, t)))(T.tensor(zz));
    expectClose(value.item(), softmaxCE(q, zz, 3)[0], 1e-14, 1e-13);
    expectClose(
      flat(arr(grads[0])),
      finiteDiff((v) => softmaxCE(q, v, 3)[0], zz),
      1e-8,
      1e-6,
    );
  });

  it('stable at |z| = 1e4: exact values, finite gradients', () => {
    const zz = [
      [1e4, -1e4, 0],
      [-1e4, -1e4, -1e4],
      [1e4, 1e4, -1e4],
    ];
    const pp = [
      [0, 1, 0],
      [1, 0, 0],
      [0.5, 0, 0.5],
    ];
    const logits = A.param(T.tensor(zz));
    const out = A.softmaxCrossEntropyWithLogits(pp, logits);
    // row 0: lse = 1e4, −log softmax_1 = 2e4; row 1: log 3; row 2: lse = 1e4 + log 2, loss = 0.5·log 2 + 0.5·(2e4 + log 2)
    expectClose(arr(out), [2e4, Math.log(3), Math.log(2) + 1e4], 0, 1e-15);
    A.backward(out, { dy: T.ones([3]) });
    const g = flat(arr(logits.grad!));
    expect(g.every(Number.isFinite)).toBe(true);
    expectClose(g, [1, -1, 0, 1 / 3 - 1, 1 / 3, 1 / 3, 0, 0.5, -0.5], 1e-15, 1e-12);
  });

  it('float32 logits stay float32 and are finite at 1e4', () => {
    const out = A.softmaxCrossEntropyWithLogits([[0, 1]], T.tensor([[1e4, -1e4]], { dtype: 'float32' }));
    expect(out.dtype).toBe('float32');
    expectClose(arr(out), [2e4], 0, 1e-6);
  });
});

describe('sparseSoftmaxCrossEntropyWithLogits(labels, logits)', () => {
  const rand = makeRandom(12);
  const C = 5;
  const z = uniform(rand, 4 * C, -3, 3);
  const labels = [4, 0, 2, 2];
  const dy = [1, -0.5, 2, 0.25];
  const naive = (zz: number[]): number[] => rows(zz, C).map((r, i) => logSumExp(r) - r[labels[i]]);

  it('value −log softmax(z)_y and gradient (softmax(z) − onehot(y))·dy, for int32 and whole-number float labels', () => {
    for (const lab of [T.tensor(labels, { dtype: 'int32' }), T.tensor(labels), labels]) {
      const logits = A.param(T.tensor(z, { shape: [4, C] }));
      const out = A.sparseSoftmaxCrossEntropyWithLogits(lab, logits);
      expect(out.shape).toEqual([4]);
      expectClose(arr(out), naive(z), 1e-14, 1e-13);
      A.backward(out, { dy: T.tensor(dy) });
      const closed = rows(z, C).flatMap((r, i) => softmaxRow(r).map((s, k) => (s - (k === labels[i] ? 1 : 0)) * dy[i]));
      expectClose(flat(arr(logits.grad!)), closed, 1e-15, 1e-13);
      const numeric = finiteDiff((v) => naive(v).reduce((s, l, i) => s + l * dy[i], 0), z);
      expectClose(flat(arr(logits.grad!)), numeric, 1e-8, 1e-6);
    }
  });

  it('agrees with the dense op on one-hot targets', () => {
    const onehot = labels.flatMap((y) => Array.from({ length: C }, (_, k) => (k === y ? 1 : 0)));
    const a = A.sparseSoftmaxCrossEntropyWithLogits(T.tensor(labels, { dtype: 'int32' }), T.tensor(z, { shape: [4, C] }));
    const b = A.softmaxCrossEntropyWithLogits(T.tensor(onehot, { shape: [4, C] }), T.tensor(z, { shape: [4, C] }));
    expectClose(arr(a), arr(b), 1e-14, 1e-13);
  });

  it('ignoreIndex: those rows give 0 and no gradient', () => {
    const logits = A.param(T.tensor(z, { shape: [4, C] }));
    const out = A.sparseSoftmaxCrossEntropyWithLogits(T.tensor([4, -100, 2, -100], { dtype: 'int32' }), logits, { ignoreIndex: -100 });
    const full = naive(z);
    expectClose(arr(out), [full[0], 0, full[2], 0], 1e-14, 1e-13);
    A.sum(out).backward();
    const g = rows(flat(arr(logits.grad!)), C);
    expect(g[1].every((v) => v === 0)).toBe(true);
    expect(g[3].every((v) => v === 0)).toBe(true);
    expectClose(
      g[0],
      softmaxRow(rows(z, C)[0]).map((s, k) => s - (k === 4 ? 1 : 0)),
      1e-15,
      1e-13,
    );
  });

  it('stable at |z| = 1e4', () => {
    const logits = A.param(
      T.tensor([
        [1e4, -1e4, 0],
        [-1e4, 1e4, 1e4],
      ]),
    );
    const out = A.sparseSoftmaxCrossEntropyWithLogits([1, 0], logits);
    expectClose(arr(out), [2e4, 2e4 + Math.log(2)], 0, 1e-15);
    A.sum(out).backward();
    expectClose(
      arr(logits.grad!),
      [
        [1, -1, 0],
        [-1, 0.5, 0.5],
      ],
      1e-15,
      1e-12,
    );
  });

  it('a label outside [0, C) or a non-integer label is refused: LABEL_OUT_OF_RANGE', () => {
    const logits = A.param(T.tensor(z, { shape: [4, C] }));
    expectXent(() => A.sparseSoftmaxCrossEntropyWithLogits([0, 5, 1, 1], logits), 'LABEL_OUT_OF_RANGE', '5');
    expectXent(() => A.sparseSoftmaxCrossEntropyWithLogits([0, 1.5, 1, 1], logits), 'LABEL_OUT_OF_RANGE', '1.5');
    expect(logits.grad).toBeNull();
  });
});

describe('sigmoidCrossEntropyWithLogits(targets, logits, posWeight?)', () => {
  const rand = makeRandom(13);
  const z = uniform(rand, 6, -4, 4);
  const p = uniform(rand, 6, 0, 1);
  const dy = uniform(rand, 6, -2, 2);

  it('elementwise value max(z,0) − z·p + log1p(e^−|z|), gradient (σ(z) − P)·dy', () => {
    const logits = A.param(T.tensor(z, { shape: [2, 3] }));
    const out = A.sigmoidCrossEntropyWithLogits(T.tensor(p, { shape: [2, 3] }), logits);
    expect(out.shape).toEqual([2, 3]);
    const closedValue = z.map((zi, i) => Math.max(zi, 0) - zi * p[i] + Math.log1p(Math.exp(-Math.abs(zi))));
    expectClose(flat(arr(out)), closedValue, 1e-14, 1e-13);
    expectClose(flat(arr(out)), sigmoidCE(p, z), 1e-14, 1e-13);
    A.backward(out, { dy: T.tensor(dy, { shape: [2, 3] }) });
    expectClose(
      flat(arr(logits.grad!)),
      z.map((zi, i) => (sigmoid(zi) - p[i]) * dy[i]),
      1e-15,
      1e-13,
    );
  });

  it('posWeight: −[pw·y log σ(z) + (1−y) log(1−σ(z))], gradient (σ(1 + (pw−1)y) − pw·y)·dy, broadcast per class', () => {
    const pw = [0.5, 2, 3.5];
    const w6 = [...pw, ...pw];
    const logits = A.param(T.tensor(z, { shape: [2, 3] }));
    const out = A.sigmoidCrossEntropyWithLogits(T.tensor(p, { shape: [2, 3] }), logits, T.tensor(pw));
    expectClose(flat(arr(out)), sigmoidCE(p, z, w6), 1e-14, 1e-13);
    A.backward(out, { dy: T.tensor(dy, { shape: [2, 3] }) });
    const closed = z.map((zi, i) => (sigmoid(zi) * (1 + (w6[i] - 1) * p[i]) - w6[i] * p[i]) * dy[i]);
    expectClose(flat(arr(logits.grad!)), closed, 1e-15, 1e-13);
    const numeric = finiteDiff((v) => sigmoidCE(p, v, w6).reduce((s, l, i) => s + l * dy[i], 0), z);
    expectClose(flat(arr(logits.grad!)), numeric, 1e-8, 1e-6);
  });

  it('stable at |z| = 1e4, with and without posWeight', () => {
    const zz = [1e4, -1e4, 1e4, -1e4, 0];
    const pp = [0, 1, 1, 0, 0.5];
    const logits = A.param(T.tensor(zz));
    const out = A.sigmoidCrossEntropyWithLogits(pp, logits);
    expectClose(arr(out), [1e4, 1e4, 0, 0, Math.log(2)], 1e-300, 1e-15);
    A.sum(out).backward();
    expectClose(arr(logits.grad!), [1, -1, 0, 0, 0], 1e-300, 1e-15);
    const weighted = A.sigmoidCrossEntropyWithLogits(pp, zz, T.tensor([3, 3, 3, 3, 3]));
    expectClose(arr(weighted), [1e4, 3e4, 0, 0, 2 * Math.log(2)], 1e-300, 1e-15);
  });
});

describe('upstream gradients of every layout reach the fused ops (sum, mean over an axis, weights)', () => {
  // Leading axes [2, 3], C = 4: losses of shape [2, 3] (softmax, sparse) or [2, 3, 4] (sigmoid), then a downstream function.
  const rand = makeRandom(14);
  const C = 4;
  const z = uniform(rand, 24, -3, 3);
  const soft = rows(uniform(rand, 24, 0.05, 1), C).flatMap((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
  const labels = [0, 3, 1, 2, 2, 1];
  const rowW = [0.5, -1, 2, 1.5, 0.25, -0.75];
  const downstream: [string, (l: T.Tensor) => T.Tensor, (l: number[]) => number][] = [
    ['sum', (l) => A.sum(l), (l) => l.reduce((a, b) => a + b, 0)],
    [
      'mean over axis 0, then weighted sum',
      (l) => A.sum(A.mul(A.mean(l, 0), [1, -2, 3])),
      (l) => [0, 1, 2].reduce((s, j) => s + ((l[j] + l[3 + j]) / 2) * [1, -2, 3][j], 0),
    ],
    ['weights per row', (l) => A.sum(A.mul(l, T.tensor(rowW, { shape: [2, 3] }))), (l) => l.reduce((s, v, i) => s + v * rowW[i], 0)],
    ['mean of all', (l) => A.mean(l), (l) => l.reduce((a, b) => a + b, 0) / 6],
  ];
  const perRow = {
    softmax: (zz: number[]) => softmaxCE(soft, zz, C),
    sparse: (zz: number[]) => rows(zz, C).map((r, i) => logSumExp(r) - r[labels[i]]),
    sigmoid: (zz: number[]) => rows(sigmoidCE(soft, zz), C).map((r) => r.reduce((a, b) => a + b, 0)), // summed per row first
  };
  const ops = {
    softmax: (t: T.Tensor) => A.softmaxCrossEntropyWithLogits(T.tensor(soft, { shape: [2, 3, C] }), t),
    sparse: (t: T.Tensor) => A.sparseSoftmaxCrossEntropyWithLogits(T.tensor(labels, { shape: [2, 3], dtype: 'int32' }), t),
    sigmoid: (t: T.Tensor) => A.sum(A.sigmoidCrossEntropyWithLogits(T.tensor(soft, { shape: [2, 3, C] }), t), -1),
  };
  for (const name of ['softmax', 'sparse', 'sigmoid'] as const) {
    for (const [label, down, naiveDown] of downstream) {
      it(`${name} → ${label}`, () => {
        const { value, grads } = A.valueAndGrad((t: T.Tensor) => down(ops[name](t)))(T.tensor(z, { shape: [2, 3, C] }));
        expectClose(value.item(), naiveDown(perRow[name](z)), 1e-13, 1e-12);
        expectClose(
          flat(arr(grads[0])),
          finiteDiff((zz) => naiveDown(perRow[name](zz)), z),
          1e-8,
          1e-6,
        );
      });
    }
  }
});

describe('large and odd sizes (the SIMD kernel paths) agree with the naive formulas', () => {
  for (const [rowsN, C, dtype] of [
    [257, 13, 'float64'],
    [1024, 10, 'float64'],
    [300, 7, 'float32'],
    [64, 1001, 'float64'],
  ] as const) {
    it(`[${rowsN}, ${C}] ${dtype}, uniform and per-row dy`, () => {
      const rand = makeRandom(rowsN * 31 + C);
      const round = (v: number): number => (dtype === 'float32' ? Math.fround(v) : v);
      const z = uniform(rand, rowsN * C, -6, 6).map(round);
      const p = rows(uniform(rand, rowsN * C, 0, 1), C)
        .flatMap((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)))
        .map(round);
      const labels = Array.from({ length: rowsN }, () => Math.floor(rand() * C));
      const dyRows = uniform(rand, rowsN, -2, 2).map(round);
      const tol = dtype === 'float32' ? 2e-5 : 1e-12;
      const zt = (): T.Tensor => A.param(T.tensor(z, { shape: [rowsN, C], dtype }));
      // softmax CE: mean (a uniform dy) and a per-row dy
      for (const perRow of [false, true]) {
        const logits = zt();
        const out = A.softmaxCrossEntropyWithLogits(T.tensor(p, { shape: [rowsN, C], dtype }), logits);
        const naive = softmaxCE(p, z, C);
        expectClose(arr(out), naive, tol, tol);
        if (perRow) A.backward(out, { dy: T.tensor(dyRows, { dtype }) });
        else A.mean(out).backward();
        const dyOf = (r: number): number => (perRow ? dyRows[r] : 1 / rowsN);
        const closed = rows(z, C).flatMap((zr, r) => softmaxRow(zr).map((sm, k) => (sm - p[r * C + k]) * dyOf(r)));
        expectClose(flat(arr(logits.grad!)), closed, tol, tol);
      }
      // sparse
      const logitsS = zt();
      const outS = A.sparseSoftmaxCrossEntropyWithLogits(T.tensor(labels, { dtype: 'int32' }), logitsS);
      expectClose(
        arr(outS),
        rows(z, C).map((r, i) => logSumExp(r) - r[labels[i]]),
        tol,
        tol,
      );
      A.backward(outS, { dy: T.tensor(dyRows, { dtype }) });
      const closedS = rows(z, C).flatMap((zr, r) => softmaxRow(zr).map((sm, k) => (sm - (k === labels[r] ? 1 : 0)) * dyRows[r]));
      expectClose(flat(arr(logitsS.grad!)), closedS, tol, tol);
      // sigmoid, elementwise
      const logitsG = zt();
      const outG = A.sigmoidCrossEntropyWithLogits(T.tensor(p, { shape: [rowsN, C], dtype }), logitsG);
      expectClose(flat(arr(outG)), sigmoidCE(p, z), tol, tol);
      A.sum(outG).backward();
      expectClose(
        flat(arr(logitsG.grad!)),
        z.map((zi, i) => sigmoid(zi) - p[i]),
        tol,
        tol,
      );
    });
  }
});

describe('targets are not differentiable', () => {
  const ops: [string, (t: T.Tensor, z: T.Tensor) => T.Tensor, Nested, Nested][] = [
    ['softmax', (t, z) => A.softmaxCrossEntropyWithLogits(t, z), [[0.2, 0.8]], [[1, -1]]],
    ['sigmoid', (t, z) => A.sigmoidCrossEntropyWithLogits(t, z), [[0.2, 0.8]], [[1, -1]]],
    ['sparse', (t, z) => A.sparseSoftmaxCrossEntropyWithLogits(t, z), [1], [[1, -1]]],
  ];
  for (const [name, op, t, z] of ops) {
    it(`${name}: a target that is a param gets no .grad, valueAndGrad gives zeros for it, the logits get theirs`, () => {
      const targets = A.param(T.tensor(t));
      const logits = A.param(T.tensor(z));
      A.sum(op(targets, logits)).backward();
      expect(targets.grad).toBeNull();
      expect(logits.grad).not.toBeNull();
      const { grads } = A.valueAndGrad((a: T.Tensor, b: T.Tensor) => A.sum(op(a, b)))(T.tensor(t), T.tensor(z));
      expect(grads[0].shape).toEqual(shapeOf(t));
      expect(flat(arr(grads[0])).every((v) => v === 0)).toBe(true);
    });
  }

  it('the registered ops declare their targets/labels non-differentiable (backward gives null there)', () => {
    for (const n of ['softmaxCrossEntropyWithLogits', 'sparseSoftmaxCrossEntropyWithLogits', 'sigmoidCrossEntropyWithLogits']) {
      const def = A.getOp(n)!;
      expect(def.differentiable?.[0]).toBe(false);
    }
  });
});

describe("PyTorch float64 reference: the 'none' reduction cases are the fused ops themselves", () => {
  const byOp: Record<string, (c: TorchCase, z: T.Tensor) => T.Tensor> = {
    softmaxCrossEntropyWithLogits: (c, z) => A.softmaxCrossEntropyWithLogits(c.targets, z),
    sparseSoftmaxCrossEntropyWithLogits: (c, z) => A.sparseSoftmaxCrossEntropyWithLogits(T.tensor(c.targets, { dtype: 'int32' }), z),
    sigmoidCrossEntropyWithLogits: (c, z) =>
      A.sigmoidCrossEntropyWithLogits(c.targets, z, c.options.posWeight ? T.tensor(c.options.posWeight) : undefined),
  };
  const selected = torchCases.filter((c) => c.loss in byOp && Object.keys(c.options).every((k) => k === 'reduction' || k === 'posWeight'));

  it('there are cases for each of the three ops', () => {
    for (const n of Object.keys(byOp)) expect(selected.filter((c) => c.loss === n).length).toBeGreaterThanOrEqual(3);
  });

  for (const c of selected) {
    it(c.id, () => {
      const z = A.param(T.tensor(c.predictions));
      const out = byOp[c.loss](c, z);
      expectClose(arr(out), c.value, 1e-12, 1e-10);
      A.sum(out).backward();
      expectClose(arr(z.grad!), c.grad, 1e-12, 1e-10);
    });
  }
});

describe('errors of the fused ops (§5)', () => {
  it('targets and logits of different shapes: SHAPE_MISMATCH naming both shapes; nothing modified', () => {
    const z = A.param(T.zeros([2, 3]));
    expectXent(() => A.softmaxCrossEntropyWithLogits(T.ones([2, 4]), z), 'SHAPE_MISMATCH', '[2, 4]', '[2, 3]');
    expectXent(() => A.sigmoidCrossEntropyWithLogits(T.ones([3, 2]), z), 'SHAPE_MISMATCH', '[3, 2]', '[2, 3]');
    expectXent(() => A.sparseSoftmaxCrossEntropyWithLogits(T.tensor([0, 1, 2], { dtype: 'int32' }), z), 'SHAPE_MISMATCH', '[3]', '[2, 3]');
    expect(z.grad).toBeNull();
    expect(z.toArray()).toEqual(nest([0, 0, 0, 0, 0, 0], [2, 3]));
  });

  it('integer-typed logits: DTYPE', () => {
    const zi = T.tensor([[1, 2, 3]], { dtype: 'int32' });
    expectXent(() => A.softmaxCrossEntropyWithLogits([[0, 1, 0]], zi), 'DTYPE');
    expectXent(() => A.sparseSoftmaxCrossEntropyWithLogits([1], zi), 'DTYPE');
    expectXent(() => A.sigmoidCrossEntropyWithLogits([[0, 1, 0]], zi), 'DTYPE');
  });
});
