// Every registered op passes gradCheck (central differences in float64 with a
// random dy) on random inputs kept away from kinks. The table below must have
// an entry for every op in the registry: a new op without one fails the suite.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Tensor, tensor } from '@xent/tensor';
import {
  BUILTINS,
  abs,
  add,
  broadcastTo,
  clip,
  concat,
  detach,
  directionalGradCheck,
  div,
  exp,
  expandDims,
  gather,
  gradCheck,
  listOps,
  log,
  log1p,
  logSoftmax,
  logSumExp,
  matmul,
  max,
  mean,
  mul,
  neg,
  param,
  polyCrossEntropyWithLogits,
  pow,
  relu,
  reshape,
  sigmoid,
  sigmoidCrossEntropyWithLogits,
  softmax,
  softmaxCrossEntropyWithLogits,
  softplus,
  sparseSoftmaxCrossEntropyWithLogits,
  sqrt,
  square,
  squeeze,
  sub,
  sum,
  tanh,
  transpose,
  where,
  type Node,
} from '@xent/autograd';
import {
  anyTensorArb,
  awayFromZeroArb,
  distinctArb,
  distributionsArb,
  normals,
  operandShapeArb,
  prod,
  shapeArb,
  t64,
  tensorArb,
  valuesArb,
} from '../../../test/utils.js';

/** One gradCheck problem: the function (whose last op is the op under test), its inputs, and which inputs to check. */
interface Instance {
  f: (...xs: Tensor[]) => Tensor;
  inputs: Tensor[];
  wrt?: number[];
}

interface GradCase {
  label: string;
  arb: fc.Arbitrary<Instance>;
  /** Runs of the property (a fixed instance runs once). */
  numRuns?: number;
  /** gradCheck's tight mode (eps 1e-5, atol 1e-7, rtol 1e-5) for smooth ops. */
  tight?: boolean;
}

const fixed = (label: string, inst: Instance, tight = false): GradCase => ({ label, arb: fc.constant(inst), numRuns: 1, tight });

// ---------------------------------------------------------------- builders

type Binary = (a: Tensor, b: Tensor) => Tensor;

/** Binary op cases: equal random shapes, random broadcasting operands, and one fixed case with size-1 and prepended axes on both sides. */
function binaryCases(
  f: Binary,
  left: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
  right: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
): GradCase[] {
  return [
    {
      label: 'same shape',
      arb: shapeArb(0, 3)
        .chain((s) => fc.tuple(tensorArb(s, left), tensorArb(s, right)))
        .map(([a, b]) => ({ f, inputs: [a, b] })),
      numRuns: 15,
    },
    {
      label: 'broadcasting (size-1 and prepended axes)',
      arb: shapeArb(1, 3)
        .chain((out) => fc.tuple(operandShapeArb(out), operandShapeArb(out)))
        .chain(([sa, sb]) => fc.tuple(tensorArb(sa, left), tensorArb(sb, right)))
        .map(([a, b]) => ({ f, inputs: [a, b] })),
      numRuns: 25,
    },
    {
      label: '[2,1,4] with [3,1] → [2,3,4]',
      arb: fc.tuple(tensorArb([2, 1, 4], left), tensorArb([3, 1], right)).map(([a, b]) => ({ f, inputs: [a, b] })),
      numRuns: 3,
    },
    {
      label: 'scalar with [2,3]',
      arb: fc.tuple(tensorArb([], left), tensorArb([2, 3], right)).map(([a, b]) => ({ f, inputs: [a, b] })),
      numRuns: 3,
    },
  ];
}

/** Unary op cases on random shapes with values from `arb`. */
function unaryCases(f: (x: Tensor) => Tensor, arb: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n), tight = false): GradCase[] {
  return [{ label: 'random shape', arb: anyTensorArb(arb).map((x) => ({ f, inputs: [x] })), numRuns: 15, tight }];
}

type Axes = number | number[] | undefined;
const AXES_3D: Axes[] = [undefined, 0, 1, 2, -1, [0, 2]];
const fmtAxes = (a: Axes) => (a === undefined ? 'all axes' : `axes ${JSON.stringify(a)}`);

/** A reduction over each axis (and all, and a pair) of a [2,3,4] tensor, with and without keepDims. */
function reductionCases(red: (x: Tensor, axes: Axes, keepDims: boolean) => Tensor, arb: (n: number) => fc.Arbitrary<number[]>): GradCase[] {
  const cases: GradCase[] = [];
  for (const axes of AXES_3D) {
    for (const keepDims of [false, true]) {
      cases.push({
        label: `[2,3,4] over ${fmtAxes(axes)}${keepDims ? ', keepDims' : ''}`,
        arb: tensorArb([2, 3, 4], arb).map((x) => ({ f: (v: Tensor) => red(v, axes, keepDims), inputs: [x] })),
        numRuns: 3,
      });
    }
  }
  cases.push({
    label: 'random shape and axis',
    arb: shapeArb(1, 3)
      .chain((s) => fc.tuple(tensorArb(s, arb), fc.integer({ min: -s.length, max: s.length - 1 }), fc.boolean()))
      .map(([x, axis, keepDims]) => ({ f: (v: Tensor) => red(v, axis, keepDims), inputs: [x] })),
    numRuns: 15,
  });
  return cases;
}

/** An op along one axis (logSumExp, softmax, logSoftmax): every axis of a [2,3,4] tensor. */
function axisCases(fn: (x: Tensor, axis: number, keepDims: boolean) => Tensor, withKeepDims: boolean): GradCase[] {
  const cases: GradCase[] = [];
  for (const axis of [0, 1, 2, -1]) {
    for (const keepDims of withKeepDims ? [false, true] : [false]) {
      cases.push({
        label: `[2,3,4] along axis ${axis}${keepDims ? ', keepDims' : ''}`,
        arb: tensorArb([2, 3, 4], (n) => valuesArb(n, -5, 5)).map((x) => ({ f: (v: Tensor) => fn(v, axis, keepDims), inputs: [x] })),
        numRuns: 3,
        tight: true,
      });
    }
  }
  cases.push({
    label: 'random shape, last axis',
    arb: anyTensorArb((n) => valuesArb(n, -5, 5), 1, 3).map((x) => ({ f: (v: Tensor) => fn(v, -1, false), inputs: [x] })),
    numRuns: 10,
    tight: true,
  });
  return cases;
}

const unit = (n: number) => valuesArb(n, 0, 1);
const logits = (n: number) => valuesArb(n, -5, 5);
const clipValues = (n: number) =>
  fc.array(
    fc.double({ min: -3, max: 3, noNaN: true }).filter((v) => Math.abs(v + 1) > 0.01 && Math.abs(v - 1.5) > 0.01),
    { minLength: n, maxLength: n },
  );

// ---------------------------------------------------------------- the table

const CASES: Record<string, GradCase[]> = {
  add: binaryCases(add),
  sub: binaryCases(sub),
  mul: binaryCases(mul),
  div: binaryCases(
    div,
    (n) => valuesArb(n),
    (n) => awayFromZeroArb(n, 0.5, 3),
  ),
  // positive base (log a in d/db), moderate exponents
  pow: binaryCases(
    pow,
    (n) => valuesArb(n, 0.2, 3),
    (n) => valuesArb(n, -2, 2),
  ),
  where: [
    {
      label: 'broadcast condition, a and b',
      arb: shapeArb(1, 3)
        .chain((out) => fc.tuple(operandShapeArb(out), operandShapeArb(out), operandShapeArb(out)))
        .chain(([sc, sa, sb]) =>
          fc.tuple(
            fc.array(fc.constantFrom(0, 1), { minLength: prod(sc), maxLength: prod(sc) }).map((v) => t64(v, sc)),
            tensorArb(sa),
            tensorArb(sb),
          ),
        )
        .map(([c, a, b]) => ({ f: where, inputs: [c, a, b], wrt: [1, 2] })),
      numRuns: 25,
    },
    fixed('[3,1] condition, [2,1,4] a, [4] b', {
      f: where,
      inputs: [t64([1, 0, 1], [3, 1]), t64([0.5, -1, 2, 0.25, 3, -2, 1, 0.75], [2, 1, 4]), t64([1.5, -0.5, 0.3, 2], [4])],
      wrt: [1, 2],
    }),
  ],

  neg: unaryCases(neg),
  exp: unaryCases(exp, (n) => valuesArb(n, -3, 3), true),
  log: unaryCases(log, (n) => valuesArb(n, 0.1, 5)),
  log1p: unaryCases(log1p, (n) => valuesArb(n, -0.5, 3)),
  sqrt: unaryCases(sqrt, (n) => valuesArb(n, 0.1, 5)),
  square: unaryCases(square),
  abs: unaryCases(abs, (n) => awayFromZeroArb(n)),
  sigmoid: unaryCases(sigmoid, (n) => valuesArb(n, -8, 8), true),
  tanh: unaryCases(tanh, (n) => valuesArb(n, -3, 3), true),
  relu: unaryCases(relu, (n) => awayFromZeroArb(n)),
  softplus: unaryCases(softplus, (n) => valuesArb(n, -10, 10), true),
  clip: [
    {
      label: '[-1, 1.5], values away from the edges',
      arb: anyTensorArb(clipValues).map((x) => ({ f: (v: Tensor) => clip(v, -1, 1.5), inputs: [x] })),
      numRuns: 15,
    },
  ],

  sum: reductionCases(
    (x, axes, keepDims) => sum(x, axes, { keepDims }),
    (n) => valuesArb(n),
  ),
  mean: reductionCases(
    (x, axes, keepDims) => mean(x, axes, { keepDims }),
    (n) => valuesArb(n),
  ),
  // distinct values: no ties, so max is differentiable
  max: reductionCases((x, axes, keepDims) => max(x, axes, { keepDims }), distinctArb),
  logSumExp: axisCases((x, axis, keepDims) => logSumExp(x, axis, { keepDims }), true),
  softmax: axisCases((x, axis) => softmax(x, axis), false),
  logSoftmax: axisCases((x, axis) => logSoftmax(x, axis), false),

  reshape: [
    fixed('[2,3,4] → [4,6]', { f: (x) => reshape(x, [4, 6]), inputs: [t64(normals(24, 1), [2, 3, 4])] }),
    fixed('[2,3,4] → [6,-1]', { f: (x) => reshape(x, [6, -1]), inputs: [t64(normals(24, 2), [2, 3, 4])] }),
    {
      label: 'random shape → flat',
      arb: anyTensorArb().map((x) => ({ f: (v: Tensor) => reshape(v, [-1]), inputs: [x] })),
      numRuns: 10,
    },
  ],
  transpose: [
    fixed('[2,3,4] perm [2,0,1]', { f: (x) => transpose(x, [2, 0, 1]), inputs: [t64(normals(24, 3), [2, 3, 4])] }),
    fixed('[2,3,4] reversed (no perm)', { f: (x) => transpose(x), inputs: [t64(normals(24, 4), [2, 3, 4])] }),
    fixed('[3,2] perm [-1, 0]', { f: (x) => transpose(x, [-1, 0]), inputs: [t64(normals(6, 5), [3, 2])] }),
  ],
  broadcastTo: [
    fixed('[3,1] → [2,3,4]', { f: (x) => broadcastTo(x, [2, 3, 4]), inputs: [t64([0.5, -1, 2], [3, 1])] }),
    fixed('[4] → [3,4]', { f: (x) => broadcastTo(x, [3, 4]), inputs: [t64([0.5, -1, 2, 3], [4])] }),
    fixed('[2,3] → [2,3] (same shape)', { f: (x) => broadcastTo(x, [2, 3]), inputs: [t64(normals(6, 6), [2, 3])] }),
    {
      label: 'random operand shape',
      arb: shapeArb(1, 3)
        .chain((out) => operandShapeArb(out).map((s) => [out, s] as const))
        .chain(([out, s]) => tensorArb(s).map((x) => ({ f: (v: Tensor) => broadcastTo(v, out), inputs: [x] }))),
      numRuns: 15,
    },
  ],
  expandDims: [0, 1, -1].map((axis) =>
    fixed(`[2,3] at axis ${axis}`, { f: (x) => expandDims(x, axis), inputs: [t64(normals(6, 7 + axis), [2, 3])] }),
  ),
  squeeze: [
    fixed('[1,3,1] all size-1 axes', { f: (x) => squeeze(x), inputs: [t64([1, -2, 3], [1, 3, 1])] }),
    fixed('[1,3,1] axis 0', { f: (x) => squeeze(x, 0), inputs: [t64([1, -2, 3], [1, 3, 1])] }),
    fixed('[1,3,1] axes [-1]', { f: (x) => squeeze(x, [-1]), inputs: [t64([1, -2, 3], [1, 3, 1])] }),
  ],
  gather: [
    fixed('[4,3] rows [0,2,2,0,3] (repeats)', { f: (x) => gather(x, [0, 2, 2, 0, 3], 0), inputs: [t64(normals(12, 8), [4, 3])] }),
    fixed('[4,3] columns [2,2,0] (axis 1)', { f: (x) => gather(x, [2, 2, 0], 1), inputs: [t64(normals(12, 9), [4, 3])] }),
    fixed('[4,3] 2-D indices [[1,1],[0,3]]', {
      f: (x) =>
        gather(
          x,
          tensor(
            [
              [1, 1],
              [0, 3],
            ],
            { dtype: 'int32' },
          ),
          0,
        ),
      inputs: [t64(normals(12, 10), [4, 3])],
    }),
    fixed('[4,3] negative indices [-1,1,-1]', { f: (x) => gather(x, [-1, 1, -1], 0), inputs: [t64(normals(12, 11), [4, 3])] }),
    fixed('[2,3,2] axis 1 [1,1,2]', { f: (x) => gather(x, [1, 1, 2], 1), inputs: [t64(normals(12, 12), [2, 3, 2])] }),
    {
      label: 'random indices along axis 0',
      arb: fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
        .chain(([n, m]) => fc.tuple(tensorArb([n, m]), fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 6 })))
        .map(([x, idx]) => ({ f: (v: Tensor) => gather(v, idx, 0), inputs: [x] })),
      numRuns: 15,
    },
  ],
  concat: [
    fixed('[2,3] + [1,3] + [3,3] along axis 0', {
      f: (a, b, c) => concat([a, b, c], 0),
      inputs: [t64(normals(6, 13), [2, 3]), t64(normals(3, 14), [1, 3]), t64(normals(9, 15), [3, 3])],
    }),
    fixed('[2,1] + [2,3] along axis -1', { f: (a, b) => concat([a, b], -1), inputs: [t64([1, 2], [2, 1]), t64(normals(6, 16), [2, 3])] }),
    fixed('the same tensor twice', { f: (a) => concat([a, a], 1), inputs: [t64(normals(6, 17), [2, 3])] }),
  ],

  matmul: [
    {
      label: '[M,K]·[K,N] (N up to 6 reaches the blocked kernel)',
      arb: fc
        .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }))
        .chain(([m, k, n]) => fc.tuple(tensorArb([m, k]), tensorArb([k, n])))
        .map(([a, b]) => ({ f: matmul, inputs: [a, b] })),
      numRuns: 15,
      tight: true,
    },
    fixed(
      'batched [2,3,4]·[4,5] (shared 2-D b)',
      { f: matmul, inputs: [t64(normals(24, 18), [2, 3, 4]), t64(normals(20, 19), [4, 5])] },
      true,
    ),
    fixed(
      'batched [3,4]·[2,4,5] (shared 2-D a)',
      { f: matmul, inputs: [t64(normals(12, 20), [3, 4]), t64(normals(40, 21), [2, 4, 5])] },
      true,
    ),
    fixed('batched [2,3,4]·[2,4,2]', { f: matmul, inputs: [t64(normals(24, 22), [2, 3, 4]), t64(normals(16, 23), [2, 4, 2])] }, true),
    fixed(
      'batched [3,2,4]·[1,4,5] (b shared: a batch of 1)',
      { f: matmul, inputs: [t64(normals(24, 24), [3, 2, 4]), t64(normals(20, 25), [1, 4, 5])] },
      true,
    ),
    fixed(
      'batched [1,3,4]·[2,4,1] (a shared: a batch of 1; N = 1)',
      { f: matmul, inputs: [t64(normals(12, 26), [1, 3, 4]), t64(normals(8, 27), [2, 4, 1])] },
      true,
    ),
  ],

  softmaxCrossEntropyWithLogits: [
    {
      label: '[B,C] soft targets',
      arb: fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }))
        .chain(([b, c]) =>
          fc.tuple(
            distributionsArb(b, c).map((p) => t64(p, [b, c])),
            tensorArb([b, c], logits),
          ),
        )
        .map(([p, z]) => ({ f: softmaxCrossEntropyWithLogits, inputs: [p, z], wrt: [1] })),
      numRuns: 15,
      tight: true,
    },
    {
      label: '3-D logits [2,3,4]',
      arb: fc
        .tuple(
          distributionsArb(6, 4).map((p) => t64(p, [2, 3, 4])),
          tensorArb([2, 3, 4], logits),
        )
        .map(([p, z]) => ({ f: softmaxCrossEntropyWithLogits, inputs: [p, z], wrt: [1] })),
      numRuns: 5,
      tight: true,
    },
    fixed(
      '1-D logits [3]',
      { f: softmaxCrossEntropyWithLogits, inputs: [t64([0.2, 0.5, 0.3], [3]), t64([1, -2, 0.5], [3])], wrt: [1] },
      true,
    ),
  ],
  polyCrossEntropyWithLogits: [
    ...[2, 1, -1, 0.5].map((polyEpsilon) => ({
      label: `[B,C] soft targets, polyEpsilon ${polyEpsilon}`,
      arb: fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }))
        .chain(([b, c]) =>
          fc.tuple(
            distributionsArb(b, c).map((p) => t64(p, [b, c])),
            tensorArb([b, c], logits),
          ),
        )
        .map(([p, z]) => ({ f: (p: Tensor, z: Tensor) => polyCrossEntropyWithLogits(p, z, { polyEpsilon }), inputs: [p, z], wrt: [1] })),
      numRuns: 8,
      tight: true,
    })),
  ],
  sparseSoftmaxCrossEntropyWithLogits: [
    {
      label: '[B,C] int32 labels',
      arb: fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }))
        .chain(([b, c]) =>
          fc.tuple(
            fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: b, maxLength: b }).map((y) => tensor(y, { dtype: 'int32' })),
            tensorArb([b, c], logits),
          ),
        )
        .map(([y, z]) => ({ f: (l: Tensor, v: Tensor) => sparseSoftmaxCrossEntropyWithLogits(l, v), inputs: [y, z], wrt: [1] })),
      numRuns: 15,
      tight: true,
    },
    {
      label: '3-D logits [2,3,4] with ignoreIndex rows',
      arb: fc
        .tuple(fc.array(fc.constantFrom(0, 1, 2, 3, -100), { minLength: 6, maxLength: 6 }), tensorArb([2, 3, 4], logits))
        .map(([y, z]) => ({
          f: (l: Tensor, v: Tensor) => sparseSoftmaxCrossEntropyWithLogits(l, v, { ignoreIndex: -100 }),
          inputs: [tensor(y, { dtype: 'int32', shape: [2, 3] }), z],
          wrt: [1],
        })),
      numRuns: 5,
      tight: true,
    },
    fixed('float labels with a trailing axis of 1', {
      f: (l, v) => sparseSoftmaxCrossEntropyWithLogits(l, v),
      inputs: [t64([2, 0, 1], [3, 1]), t64(normals(9, 24), [3, 3])],
      wrt: [1],
    }),
  ],
  sigmoidCrossEntropyWithLogits: [
    {
      label: 'random shape, soft targets',
      arb: shapeArb(0, 3)
        .chain((s) =>
          fc.tuple(
            tensorArb(s, unit),
            tensorArb(s, (n) => valuesArb(n, -8, 8)),
          ),
        )
        .map(([p, z]) => ({ f: sigmoidCrossEntropyWithLogits, inputs: [p, z], wrt: [1] })),
      numRuns: 15,
      tight: true,
    },
    {
      label: '3-D logits [2,3,4] with posWeight [4]',
      arb: fc
        .tuple(tensorArb([2, 3, 4], unit), tensorArb([2, 3, 4], logits), valuesArb(4, 0.2, 5))
        .map(([p, z, w]) => ({ f: (a: Tensor, b: Tensor) => sigmoidCrossEntropyWithLogits(a, b, w), inputs: [p, z], wrt: [1] })),
      numRuns: 5,
      tight: true,
    },
  ],
};

// ---------------------------------------------------------------- the tests

describe('the gradCheck table covers every op', () => {
  it('has cases for every registered op (a new op without a case fails here)', () => {
    const registered = listOps();
    const builtins = Object.values(BUILTINS).map((f) => f.op.name);
    expect(registered).toEqual(expect.arrayContaining(builtins));
    expect(registered.filter((name) => !(CASES[name]?.length > 0))).toEqual([]);
    expect(builtins.filter((name) => !(CASES[name]?.length > 0))).toEqual([]);
  });

  it('has no cases for ops that do not exist', () => {
    expect(Object.keys(CASES).filter((name) => !listOps().includes(name))).toEqual([]);
  });
});

describe.each(Object.entries(CASES))('gradCheck %s', (opName, cases) => {
  it.each(cases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    let seed = 0;
    fc.assert(
      fc.property(c.arb, ({ f, inputs, wrt }) => {
        // The case really exercises the op: it is the op that produced the output.
        const leaves = inputs.map((x, i) => (x.dtype === 'int32' || (wrt && !wrt.includes(i)) ? x : param(detach(x))));
        const y = f(...leaves);
        expect(y.node, `${opName}: the output was not recorded`).not.toBeNull();
        expect((y.node as Node).op.name).toBe(opName);

        seed++;
        const checked = (wrt ?? inputs.map((_, i) => i).filter((i) => inputs[i].dtype !== 'int32')).reduce((n, i) => n + inputs[i].size, 0);
        const r = gradCheck(f, inputs, { wrt, tight: c.tight, seed });
        expect(r.ok).toBe(true);
        expect(r.checked).toBe(checked);
        const d = directionalGradCheck(f, inputs, { wrt, tight: c.tight, seed });
        expect(d.ok).toBe(true);
      }),
      { numRuns: c.numRuns ?? 10 },
    );
  });
});

// ---------------------------------------------------------------- whole graphs

describe('gradCheck on composite graphs (views, broadcasting and fan-out between ops)', () => {
  const X = t64(normals(8, 40), [4, 2]);
  const P = t64([0.2, 0.5, 0.3, 1, 0, 0, 0, 0, 1, 0.1, 0.1, 0.8], [4, 3]);
  const labels = tensor([2, 0, 1, 1], { dtype: 'int32' });
  const W = t64(normals(6, 41), [2, 3]);
  const b = t64(normals(3, 42), [3]);

  const graphs: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
    [
      'softmax regression: Σ softmaxCE(P, X·W + b) w.r.t. W and b',
      (w, v) => sum(softmaxCrossEntropyWithLogits(P, add(matmul(X, w), v))),
      [W, b],
    ],
    [
      'mean sparse CE over transposed logits (a strided view)',
      (z) => mean(sparseSoftmaxCrossEntropyWithLogits(labels, transpose(z))),
      [t64(normals(12, 43, 2), [3, 4])],
    ],
    ['sigmoid CE with posWeight after matmul', (w) => sum(sigmoidCrossEntropyWithLogits(P, matmul(X, w), [1, 2, 0.5])), [W]],
    [
      'two-layer tanh network into logSoftmax',
      (w1, w2) => sum(mul(P, logSoftmax(matmul(tanh(matmul(X, w1)), w2)))),
      [t64(normals(6, 44), [2, 3]), t64(normals(9, 45), [3, 3])],
    ],
    ['reductions over non-contiguous views', (x) => add(sum(transpose(x), 0), logSumExp(transpose(x), 0)), [t64(normals(6, 46), [3, 2])]],
    [
      'softmax of a zero-stride (broadcast) view',
      (x) => softmax(mul(broadcastTo(x, [2, 3]), t64([1, 2, 3, -1, 0.5, 2], [2, 3])), 0),
      [t64(normals(3, 47), [3])],
    ],
    [
      'fan-out through gather, concat and reshape',
      (x) => reshape(concat([gather(x, [1, 1, 0], 0), mul(x, x)], 0), [-1]),
      [t64(normals(6, 48), [2, 3])],
    ],
    ['where with both branches from one input', (x) => where(t64([1, 0, 1], [3]), exp(x), mul(x, 3)), [t64(normals(6, 49), [2, 3])]],
  ];
  it.each(graphs)('%s', (_label, f, inputs) => {
    const r = gradCheck(f, inputs, { tight: true, seed: 99 });
    expect(r.checked).toBe(inputs.reduce((n, x) => n + x.size, 0));
    expect(directionalGradCheck(f, inputs, { tight: true, seed: 99 }).ok).toBe(true);
  });
});
