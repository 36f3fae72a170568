// Hostile inputs, round three: the 0.2 kernels (WebAssembly SIMD and the JS loops behind
// XENT_BACKEND=js) and the fused cross-entropy ops that call them. The same call on both
// backends must give the same bits (elementwise, reductions, float64 matmul to 1e-12 relative,
// float32 cross entropy to float32 precision: docs/DESIGN.md, "Numerical choices") at NaN,
// ±Infinity, −0, subnormals, float32 max, |logit| = 1e4, empty and one-element tensors, sizes
// around every kernel threshold and non-contiguous views; products are checked against a naive
// float64 loop, gradients against central differences; bad arguments are XentErrors.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { makeView } from '@xent/tensor/internal';
import { availableBackends } from '../utils.js';
import { refuses } from './helpers.js';

type Float = 'float64' | 'float32';
const BACKENDS = availableBackends();
const initial = T.getBackend();
afterEach(() => T.setBackend(initial));

/** f() on every backend this engine has (wasm and js, or js alone). */
function onEach<R>(f: () => R): R[] {
  return BACKENDS.map((b) => {
    T.setBackend(b);
    try {
      return f();
    } finally {
      T.setBackend(initial);
    }
  });
}

/** The hostile values: specials, subnormals (float64 and float32), float32's largest, |x| = 1e4. */
const SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  5e-324,
  1e-310,
  1.5e-45,
  1e-40,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  1e4,
  -1e4,
  1.1,
  -2.5,
];

function data(dtype: Float, n: number, f: (i: number) => number): Float64Array | Float32Array {
  const d = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = f(i);
  return d;
}
const hostile = (dtype: Float, shape: number[], seed: number): T.Tensor =>
  T.fromFlat(
    data(
      dtype,
      shape.reduce((a, b) => a * b, 1),
      (i) => SPECIALS[(i * seed + 3) % SPECIALS.length] * (1 + (i % 5)),
    ),
    shape,
  );

/** hostile() for float dtypes; for int32 its finite values (non-finite ones as 3), clipped to ±1e4 and cast. */
const hostileOrInt = (dtype: Float | 'int32', shape: number[], seed: number): T.Tensor => {
  if (dtype !== 'int32') return hostile(dtype, shape, seed);
  const finite = T.readFlat(hostile('float64', shape, seed)).map((v) => (Number.isFinite(v) ? v : 3));
  return T.cast(T.clip(T.tensor(finite, { shape }), -1e4, 1e4), 'int32');
};

/** Every backend's result has the first one's shape, dtype and values, bit for bit (−0 and NaN included). */
function sameOnEachBackend(f: () => T.Tensor): void {
  const [first, ...rest] = onEach(() => {
    const t = f();
    return { shape: t.shape, dtype: t.dtype, values: T.readFlat(t) };
  });
  for (const r of rest) {
    expect([r.shape, r.dtype]).toEqual([first.shape, first.dtype]);
    expect(r.values.length).toBe(first.values.length);
    for (let i = 0; i < r.values.length; i++)
      if (!Object.is(r.values[i], first.values[i])) expect(r.values[i], `[${i}]`).toBe(first.values[i]);
  }
}

/** |a − b| ≤ tol·(1 + |b|) entry by entry, NaN only against NaN, ±Infinity only against itself (the first miss is reported). */
function expectNear(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    const ok = Number.isFinite(b[i]) && Number.isFinite(a[i]) ? Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])) : Object.is(a[i], b[i]);
    if (!ok) expect(a[i], `${what} [${i}]: ${a[i]} vs ${b[i]}`).toBe(b[i]);
  }
}

describe('elementwise kernels and reductions: the same bits on wasm and js, around every SIMD threshold', () => {
  // 256 is where the SIMD kernels start, 2^16 where float64 + and × go back to JS, 2^22 the largest on SIMD;
  // odd tails of the 2- and 4-lane vectors on either side.
  const SIZES = [1, 3, 255, 256, 257, 259, 1023, 65535, 65536, 65537, 65539];
  for (const dtype of ['float64', 'float32'] as const)
    it.each(SIZES)(`${dtype}, %i elements of NaN, ±∞, −0, subnormals, float32 max, ±1e4`, (n) => {
      const x = hostile(dtype, [n], 7);
      const y = hostile(dtype, [n], 5);
      sameOnEachBackend(() => T.add(x, y));
      sameOnEachBackend(() => T.mul(x, y));
      sameOnEachBackend(() => T.greater(x, y));
      sameOnEachBackend(() => T.relu(x));
      sameOnEachBackend(() => T.add(x, -0));
      sameOnEachBackend(() => T.mul(x, NaN));
      sameOnEachBackend(() => T.greater(x, 0));
      sameOnEachBackend(() => T.sum(T.reshape(x, [1, n]), 0));
    });

  it('the largest size on SIMD (2^22) and one past it, float32', () => {
    for (const n of [2 ** 22, 2 ** 22 + 1]) {
      const x = hostile('float32', [n], 7);
      sameOnEachBackend(() => T.relu(x));
      sameOnEachBackend(() => T.add(x, x));
    }
  });

  const PAIRS: [number[], number[]][] = [
    [[20, 16], [16]],
    [[16], [20, 16]],
    [
      [20, 16],
      [1, 16],
    ],
    [
      [20, 16],
      [20, 1],
    ],
    [
      [4, 8, 16],
      [8, 16],
    ],
    [
      [4, 8, 16],
      [4, 1, 16],
    ],
    [[300], []],
    [[0, 300], [300]],
    [
      [2, 300],
      [0, 1, 300],
    ],
    [
      [256, 1],
      [1, 256],
    ],
    [[3, 100], [100]],
  ];
  it.each(PAIRS)('broadcast %j ∘ %j, every dtype pair (int32 read as float64)', (sa, sb) => {
    for (const da of ['float64', 'float32', 'int32'] as const)
      for (const db of ['float64', 'float32', 'int32'] as const) {
        const a = hostileOrInt(da, sa, 7);
        const b = hostileOrInt(db, sb, 5);
        for (const op of [T.add, T.mul, T.sub, T.greater]) sameOnEachBackend(() => op(a, b));
      }
  });

  it('non-contiguous views: transposes, slices, zero-stride broadcasts', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const base = hostile(dtype, [40, 30], 7);
      const views = [
        T.transpose(base),
        T.slice(base, [
          [3, 37],
          [1, 29],
        ]),
        T.broadcastTo(T.slice(base, [[0, 1]]), [40, 30]),
        T.expandDims(base, 0),
      ];
      // Column sums over leading axes of contiguous data (the SIMD kernel from 256 elements): the same order, the same bits.
      for (const [shape, axes] of [
        [[40, 30], [0]],
        [[300, 7], [0]],
        [
          [3, 100, 7],
          [0, 1],
        ],
        [[2, 2, 65], [0]],
      ] as const)
        sameOnEachBackend(() => T.sum(hostile(dtype, [...shape], 7), [...axes]));
      for (const v of views) {
        sameOnEachBackend(() => T.relu(v));
        sameOnEachBackend(() => T.add(v, v));
        sameOnEachBackend(() => T.mul(v, T.slice(hostile(dtype, v.shape, 5), [])));
        sameOnEachBackend(() => T.sum(v, 0));
        sameOnEachBackend(() => T.sum(v, -1));
      }
    }
  });
});

describe('matmul: against a naive float64 loop on both backends', () => {
  /** C = A·B summed in float64 in k order, from the values as stored. */
  function naive(a: T.Tensor, b: T.Tensor): number[] {
    const [M, K] = a.shape;
    const N = b.shape[1];
    const A2 = a.toArray() as number[][];
    const B2 = b.toArray() as number[][];
    const out: number[] = [];
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A2[i][k] * B2[k][j];
        out.push(s);
      }
    return out;
  }
  const SHAPES = [
    [0, 3, 4],
    [3, 0, 4],
    [3, 4, 0],
    [1, 1, 1],
    [1, 100, 1],
    [1, 5000, 1],
    [7, 1, 9],
    [1, 1000, 7],
    [5, 3, 1],
    [17, 33, 9],
    [65, 1, 65],
    [3, 20000, 2],
    [9, 9, 9],
    [64, 64, 64],
    [16, 16, 16], // M·K·N = 4096: the first product on the wasm kernels in float64
    [15, 16, 17], // 4080: the last on the JS kernel
    [17, 16, 15], // 4080
  ];
  const ints = (n: number, m: number): number[] => Array.from({ length: n }, (_, i) => ((i * m) % 11) - 5);
  it.each(SHAPES)('[%i, %i]·[%i, ·], every dtype pair, row-major and transposed operands', (M, K, N) => {
    for (const da of ['float64', 'float32', 'int32'] as const)
      for (const db of ['float64', 'float32', 'int32'] as const) {
        const a = T.tensor(ints(M * K, 7), { shape: [M, K], dtype: da });
        const b = T.tensor(ints(K * N, 5), { shape: [K, N], dtype: db });
        const at = T.transpose(T.tensor(ints(M * K, 7), { shape: [K, M], dtype: da }));
        const bt = T.transpose(T.tensor(ints(K * N, 5), { shape: [N, K], dtype: db }));
        // Small whole numbers: every product and sum is exact, in float32 too, so all must be equal.
        const want = naive(a, b);
        for (const c of onEach(() => T.matmul(a, b))) expect(Array.from(T.readFlat(c))).toEqual(want);
        for (const c of onEach(() => T.matmul(at, bt)))
          expect(Array.from(T.readFlat(c))).toEqual(naive(T.contiguous(at), T.contiguous(bt)));
        // int32 does not vote: float32 stays float32 unless a float64 joins (docs/DESIGN.md, "Numerical choices").
        const floats = [da, db].filter((d) => d !== 'int32');
        const dtype = floats.length > 0 && floats.every((d) => d === 'float32') ? 'float32' : 'float64';
        for (const c of onEach(() => T.matmul(a, b))) expect([c.shape, c.dtype]).toEqual([[M, N], dtype]);
      }
  });

  it('large K with values that cancel: float64 within 1e-12 of the naive sum on both backends', () => {
    const K = 100_003;
    const a = T.tensor(
      Array.from({ length: 2 * K }, (_, i) => Math.sin(i) * 1e3),
      { shape: [2, K] },
    );
    const b = T.tensor(
      Array.from({ length: K * 3 }, (_, i) => Math.cos(i)),
      { shape: [K, 3] },
    );
    const want = naive(a, b);
    for (const c of onEach(() => T.matmul(a, b))) expectNear(T.readFlat(c), want, 1e-9, 'large K');
  });

  it('strided and broadcast operands, aliasing of one tensor on both sides, batches with a shared operand', () => {
    const a = T.tensor(
      Array.from({ length: 40 * 30 }, (_, i) => Math.sin(i)),
      { shape: [40, 30] },
    );
    const cases: [T.Tensor, T.Tensor][] = [
      [a, T.transpose(a)],
      [T.transpose(a), a],
      [
        T.slice(a, [
          [3, 37],
          [1, 29],
        ]),
        T.slice(T.transpose(a), [
          [2, 30],
          [5, 9],
        ]),
      ],
      [T.broadcastTo(T.slice(a, [[0, 1]]), [300, 30]), T.transpose(a)],
      [
        a,
        T.broadcastTo(
          T.slice(T.transpose(a), [
            [0, 30],
            [0, 1],
          ]),
          [30, 7],
        ),
      ],
    ];
    for (const [x, y] of cases) {
      const want = naive(T.contiguous(x), T.contiguous(y));
      for (const c of onEach(() => T.matmul(x, y))) expectNear(T.readFlat(c), want, 1e-12, `${x.shape}·${y.shape}`);
    }
    const batch = T.broadcastTo(a, [3, 40, 30]);
    for (const c of onEach(() => T.matmul(batch, T.transpose(a)))) {
      const want = naive(a, T.contiguous(T.transpose(a)));
      expectNear(T.readFlat(c), [...want, ...want, ...want], 1e-12, 'batch');
    }
  });

  it('gradients of products that use one tensor twice (x·x, x·xᵀ, xᵀ·x) match central differences on both backends', () => {
    const rnd = (shape: number[], seed: number): T.Tensor => {
      const r = new T.Rng(seed);
      return T.tensor(
        Array.from({ length: shape[0] * shape[1] }, () => r.uniform(-1, 1)),
        { shape },
      );
    };
    onEach(() => {
      for (const n of [3, 20]) {
        expect(A.gradCheck((x: T.Tensor) => A.matmul(x, x), [rnd([n, n], 1)]).ok).toBe(true);
        expect(A.gradCheck((x: T.Tensor) => A.matmul(x, A.transpose(x)), [rnd([n, n + 3], 2)]).ok).toBe(true);
        expect(A.gradCheck((x: T.Tensor) => A.matmul(A.transpose(x), x), [rnd([n + 5, n], 3)]).ok).toBe(true);
      }
    });
  });

  it('NaN and ±Infinity stay in their row and column on both backends', () => {
    const a = T.tensor([
      [1, NaN, 2],
      [0, 1, 0],
      [Infinity, 0, 1],
    ]);
    const b = T.tensor([
      [1, 0],
      [0, 0],
      [0, 1],
    ]);
    for (const c of onEach(() => T.matmul(a, b))) {
      const v = Array.from(T.readFlat(c));
      expect(v.slice(2)).toEqual([0, 0, Infinity, NaN]); // 0·Infinity in the sum of row 3, column 2 is NaN (IEEE)
      expect(v.slice(0, 2).every(Number.isNaN)).toBe(true);
    }
  });

  it('refuses operands that are not tensors with INVALID_ARGUMENT naming matmul (was a raw TypeError)', () => {
    const a = T.tensor([[1]]);
    refuses(() => T.matmul([[1]] as unknown as T.Tensor, a), 'INVALID_ARGUMENT', /^matmul: the first argument is an array/);
    refuses(() => T.matmul(a, undefined as unknown as T.Tensor), 'INVALID_ARGUMENT', /^matmul: the second argument is undefined/);
    refuses(() => T.matmul(null as unknown as T.Tensor, a), 'INVALID_ARGUMENT', /null/);
  });
});

describe('the tensor kernels refuse a non-tensor first argument (was a raw TypeError deep inside)', () => {
  const KERNELS: [string, (x: never) => unknown][] = [
    ['sum', T.sum],
    ['mean', T.mean],
    ['max', T.max],
    ['min', T.min],
    ['logSumExp', T.logSumExp],
    ['softmax', T.softmax],
    ['logSoftmax', T.logSoftmax],
    ['reshape', (x) => T.reshape(x, [1])],
    ['transpose', T.transpose],
    ['permute', (x) => T.permute(x, [0])],
    ['expandDims', (x) => T.expandDims(x, 0)],
    ['squeeze', T.squeeze],
    ['slice', (x) => T.slice(x, [])],
    ['gather', (x) => T.gather(x, [0])],
    ['sumTo', (x) => T.sumTo(x, [1])],
    ['broadcastTo', (x) => T.broadcastTo(x, [1])],
    ['clone', T.clone],
    ['cast', (x) => T.cast(x, 'float32')],
    ['argmax', T.argmax],
    ['argmin', T.argmin],
    ['where', (x) => T.where(x, 1, 0)],
  ];
  const BAD: unknown[] = [[[1, 2]], undefined, null, 3, 'x', { shape: [2] }];
  it.each(KERNELS)('%s', (name, f) => {
    for (const bad of BAD)
      refuses(() => f(bad as never), 'INVALID_ARGUMENT', new RegExp(`^${name}: the first argument is `), /pass a Tensor/);
  });
  it('concat of something that is not an array of tensors', () => {
    for (const bad of [undefined, null, 3, [T.tensor([1]), 2], [undefined]])
      refuses(() => T.concat(bad as never), 'INVALID_ARGUMENT', /^concat: /, /array of Tensors/);
  });
});

describe('fromFlat: the data the kernels can read, a shape of whole sizes', () => {
  it('a Uint8Array, a plain array or a BigInt64Array is INVALID_ARGUMENT (was tagged int32: written modulo 256, or bigints)', () => {
    for (const bad of [new Uint8Array([1, 2, 3]), [1, 2, 3], new BigInt64Array(3), new Uint8ClampedArray(3), null, undefined, 'abc'])
      refuses(() => T.fromFlat(bad as never, [3]), 'INVALID_ARGUMENT', /^fromFlat: data is /, /Float64Array, Float32Array or Int32Array/);
  });
  it('a shape with a fractional, negative or NaN size, or no shape, is SHAPE_MISMATCH ([1.5, 2] wrapped 3 values)', () => {
    for (const bad of [[1.5, 2], [-1, -3], [NaN], [Infinity], undefined, 3, '3'])
      refuses(() => T.fromFlat(new Float64Array(3), bad as never), 'SHAPE_MISMATCH', /^fromFlat: shape is /, /whole sizes/);
  });
  it('new Tensor(view) refuses the same data and sizes (makeView is exported for the packages)', () => {
    refuses(() => new T.Tensor(makeView(new Uint8Array(3) as never, [3])), 'INVALID_ARGUMENT', /^Tensor: data is /);
    refuses(() => new T.Tensor(makeView(new Float64Array(3), [1.5, 2])), 'SHAPE_MISMATCH', /^Tensor: shape is \[1\.5, 2\]/);
    expect(new T.Tensor(makeView(new Float64Array(6), [2, 3], [1, 2])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
  it('the three typed arrays, empty shapes and scalars still wrap without a copy', () => {
    const d = new Float32Array(6);
    const t = T.fromFlat(d, [2, 3]);
    expect([t.dtype, t.shape, t.view.data === d]).toEqual(['float32', [2, 3], true]);
    expect(T.fromFlat(new Int32Array(0), [2, 0]).shape).toEqual([2, 0]);
    expect(T.fromFlat(Float64Array.from([7]), []).item()).toBe(7);
  });
});

describe('sumTo: the target shape is checked (undefined and strings were raw TypeErrors, [1.5] an error naming fromFlat)', () => {
  it('a shape that is not an array of whole sizes ≥ 0 is an XentError naming sumTo', () => {
    const g = T.tensor([
      [1, 2],
      [3, 4],
    ]);
    for (const bad of [undefined, 'ab', [1.5], [NaN, 2], [-1, 2]]) refuses(() => T.sumTo(g, bad as never), undefined, /^sumTo: /);
    expect(T.sumTo(g, [1, 2]).toArray()).toEqual([[4, 6]]);
    expect(T.sumTo(g, [2, 2])).toBe(g);
  });
});

describe('slice: every bound is a whole number (NaN, 1.5, "1" were read as other indices, silently)', () => {
  const t = T.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('before: [[NaN, 2]] gave an empty [0, 3] view, [[0.5, 1.5]] row 0 and [["1", 2]] row 1; now each is INVALID_ARGUMENT', () => {
    for (const range of [
      [NaN, 2],
      [0, NaN],
      [0.5, 1.5],
      ['1', 2],
      [true, 2],
      [0, 2n],
    ]) {
      refuses(() => T.slice(t, [range as never]), 'INVALID_ARGUMENT', /^slice: the (start|end) for axis 0 is /, /whole numbers/);
    }
  });
  it('ranges that are not an array of [start, end] pairs', () => {
    for (const bad of [undefined, null, 5, [5], 'ab', [[0, 1], 3]])
      refuses(() => T.slice(t, bad as never), 'INVALID_ARGUMENT', /^slice: ranges is /);
  });
  it('whole numbers, negatives, ±Infinity, undefined and null bounds still mean what they meant', () => {
    expect(T.slice(t, [[1]]).toArray()).toEqual([[4, 5, 6]]);
    expect(T.slice(t, [[-1, undefined]]).toArray()).toEqual([[4, 5, 6]]);
    expect(T.slice(t, [[null as never, 1]]).toArray()).toEqual([[1, 2, 3]]);
    expect(
      T.slice(t, [
        [-Infinity, Infinity],
        [1, -1],
      ]).toArray(),
    ).toEqual([[2], [5]]);
    expect(T.slice(t, [[2, 1]]).shape).toEqual([0, 3]);
  });
});

describe('fused cross entropy: both backends, float32 and float64 in every combination', () => {
  const onehot = (cols: number) => (i: number) => (i % cols === (Math.floor(i / cols) * 3) % cols ? 1 : 0);
  const LOGITS: [string, (cols: number) => (i: number) => number][] = [
    ['masked −∞ logits (target 0 there)', (cols) => (i) => (i % cols === 1 ? -Infinity : (i % 7) - 3)],
    ['|logit| = 1e4', () => (i) => (i % 2 ? 1e4 : -1e4)],
    ['a NaN logit', () => (i) => (i === 5 ? NaN : i % 3)],
    ['a +∞ logit', () => (i) => (i === 5 ? Infinity : i % 3)],
    ['subnormals and −0', () => (i) => (i % 2 ? 1e-40 : -0)],
    ['±float32 max', () => (i) => (i % 2 ? 3.4028234663852886e38 : -3.4028234663852886e38)],
    ['smooth', () => (i) => Math.sin(i) * 3],
  ];
  const SHAPES = [
    [1, 2],
    [8, 8],
    [16, 10],
    [4, 17],
    [9, 7], // 63 logits: the JS loops
    [1, 64], // 64: the first on wasm
    [1, 65],
    [3, 33],
    [0, 5],
    [2, 1000],
  ];

  /** Loss values and the gradient of their sum, for op over [rows, cols] logits and targets of the given dtypes. */
  function lossAndGrad(op: string, dz: Float, dp: Float, rows: number, cols: number, zf: (i: number) => number, pf: (i: number) => number) {
    const z = A.param(T.fromFlat(data(dz, rows * cols, zf), [rows, cols]));
    const p = T.fromFlat(data(dp, rows * cols, pf), [rows, cols]);
    const labels = T.fromFlat(
      Int32Array.from({ length: rows }, (_, r) => (r * 3) % cols),
      [rows],
    );
    const loss =
      op === 'softmax'
        ? A.softmaxCrossEntropyWithLogits(p, z)
        : op === 'sparse'
          ? A.sparseSoftmaxCrossEntropyWithLogits(labels, z)
          : op === 'poly'
            ? A.polyCrossEntropyWithLogits(p, z)
            : A.sigmoidCrossEntropyWithLogits(p, z);
    const g = A.gradients(A.sum(loss)).get(z)!;
    return { loss: T.readFlat(loss), grad: T.readFlat(g) };
  }

  for (const op of ['softmax', 'sparse', 'sigmoid', 'poly'])
    for (const [dz, dp] of [
      ['float64', 'float64'],
      ['float32', 'float32'],
      ['float32', 'float64'],
      ['float64', 'float32'],
    ] as const)
      it.each(LOGITS)(`${op}, ${dz} logits and ${dp} targets: %s`, (_, zf) => {
        // float64 everywhere: 1e-12 relative; a float32 operand: float32 precision (the gradient is a
        // difference softmax − p, so its tolerance is relative to 1, not to the difference).
        const tol = dz === 'float32' || dp === 'float32' ? 3e-7 : 1e-12;
        for (const [rows, cols] of SHAPES) {
          for (const pf of [onehot(cols), () => 1 / cols, (i: number) => (i === 3 ? 0.5 : 0)]) {
            const [first, ...rest] = onEach(() => lossAndGrad(op, dz, dp, rows, cols, zf(cols), pf));
            for (const r of rest) {
              expectNear(r.loss, first.loss, tol, `${op} loss [${rows}, ${cols}]`);
              expectNear(r.grad, first.grad, tol, `${op} gradient [${rows}, ${cols}]`);
            }
          }
        }
      });

  it('posWeight at logits near the float range: finite where the loss is (was ∞: (1 + (w − 1)p)·(−z) overflowed before cancelling)', () => {
    // z < 0: ℓ = −(w·p)·z + (1 + (w − 1)p)·log1p(e^{z}), here (log1p(e^{z}) = 0) 0.75·|z|.
    for (const [dtype, big] of [
      ['float32', -3.4e38],
      ['float64', -1.7e308],
    ] as const)
      for (const n of [3, 80]) {
        const z = T.fromFlat(
          data(dtype, n, (i) => (i % 2 ? big : 2)),
          [n],
        );
        const p = T.fromFlat(
          data(dtype, n, () => 0.5),
          [n],
        );
        const w = T.fromFlat(
          data(dtype, 1, () => 1.5),
          [1],
        );
        for (const loss of onEach(() => T.readFlat(A.sigmoidCrossEntropyWithLogits(p, z, w)))) {
          const z1 = T.readFlat(z)[1];
          expect(loss[1], `${dtype} ${n}`).toBe(dtype === 'float32' ? Math.fround(-0.75 * z1) : -0.75 * z1);
          expectNear([loss[0]], [0.5 * 2 + 1.25 * Math.log1p(Math.exp(-2))], dtype === 'float32' ? 3e-7 : 1e-15, 'z = 2');
        }
      }
  });

  it('the softmax backward on both sides of its wasm limit (2^21 values), dy one value (mean) or one per row', () => {
    for (const rows of [2048, 2049]) {
      const cols = 1024;
      const z = T.fromFlat(
        data('float64', rows * cols, (i) => Math.sin(i) * 5),
        [rows, cols],
      );
      const p = T.fromFlat(
        data('float64', rows * cols, (i) => (i % cols === (i * 7) % 13 ? 1 : 0)),
        [rows, cols],
      );
      for (const reduce of [
        A.mean,
        (x: T.Tensor) =>
          A.sum(
            A.mul(
              x,
              T.fromFlat(
                data('float64', rows, (r) => r % 3),
                [rows],
              ),
            ),
          ),
      ]) {
        const [first, ...rest] = onEach(() => {
          const w = A.param(z);
          const g = A.gradients(reduce(A.softmaxCrossEntropyWithLogits(p, w))).get(w)!;
          return T.readFlat(g);
        });
        for (const r of rest) expectNear(r, first, 1e-12, `[${rows}, ${cols}]`);
      }
    }
  });

  it('gradients match central differences on both backends, at sizes on the wasm paths (≥ 64 logits) and off them', () => {
    const rnd = (n: number, seed: number, lo: number, hi: number): number[] => {
      const rng = new T.Rng(seed);
      return Array.from({ length: n }, () => rng.uniform(lo, hi));
    };
    for (const b of BACKENDS) {
      T.setBackend(b);
      for (const [R, C] of [
        [3, 4],
        [20, 5],
        [7, 33],
        [64, 2],
      ]) {
        const z = T.tensor(rnd(R * C, R, -3, 3), { shape: [R, C] });
        const p = T.tensor(rnd(R * C, C, 0, 1), { shape: [R, C] });
        const w = T.tensor(rnd(C, 7, 0.5, 3));
        const labels = T.tensor(
          Array.from({ length: R }, (_, i) => (i * 7) % C),
          { dtype: 'int32' },
        );
        expect(A.gradCheck((x: T.Tensor) => A.softmaxCrossEntropyWithLogits(p, x), [z]).ok).toBe(true);
        expect(A.gradCheck((x: T.Tensor) => A.sparseSoftmaxCrossEntropyWithLogits(labels, x), [z]).ok).toBe(true);
        expect(A.gradCheck((x: T.Tensor) => A.sigmoidCrossEntropyWithLogits(p, x), [z]).ok).toBe(true);
        expect(A.gradCheck((x: T.Tensor) => A.sigmoidCrossEntropyWithLogits(p, x, w), [z]).ok).toBe(true);
        expect(A.gradCheck((x: T.Tensor) => A.polyCrossEntropyWithLogits(p, x), [z]).ok).toBe(true);
      }
      T.setBackend(initial);
    }
  });

  it('labels out of range, NaN, ±Infinity, fractional or past int32: LABEL_OUT_OF_RANGE on both backends, off and on the wasm path', () => {
    for (const bad of [3, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 1e-300])
      for (const dtype of ['float64', 'float32'] as const)
        for (const rows of [2, 100]) {
          const y = Array.from({ length: rows }, (_, i) => (i === rows - 1 ? bad : i % 3));
          if (dtype === 'float32' && Math.fround(bad) === 0) continue; // 1e-300 is 0 in float32: a valid label
          const labels = T.fromFlat(dtype === 'float32' ? Float32Array.from(y) : Float64Array.from(y), [rows]);
          const logits = A.param(T.fromFlat(new Float64Array(rows * 3).fill(1), [rows, 3]));
          onEach(() =>
            refuses(() => A.sparseSoftmaxCrossEntropyWithLogits(labels, logits), 'LABEL_OUT_OF_RANGE', `labels[${rows - 1}] is ${bad}`),
          );
        }
  });

  it('an empty class axis (C = 0) is NOT_DISTRIBUTION naming the op, as in the losses (was a SHAPE_MISMATCH naming "tensor", or zeros)', () => {
    const z = T.zeros([2, 0]);
    onEach(() => {
      refuses(
        () => A.softmaxCrossEntropyWithLogits(T.zeros([2, 0]), z),
        'NOT_DISTRIBUTION',
        /^softmaxCrossEntropyWithLogits: the class axis of logits \[2, 0\] has size 0/,
      );
      refuses(() => A.polyCrossEntropyWithLogits(T.zeros([2, 0]), z), 'NOT_DISTRIBUTION', /^polyCrossEntropyWithLogits: /);
      refuses(
        () => A.sparseSoftmaxCrossEntropyWithLogits(T.tensor([-100, -100]), z, { ignoreIndex: -100 }),
        'NOT_DISTRIBUTION',
        /^sparseSoftmaxCrossEntropyWithLogits: /,
      );
    });
  });

  it('an empty batch (0 rows) and one element: empty and exact results on both backends', () => {
    for (const r of onEach(() =>
      lossAndGrad(
        'softmax',
        'float64',
        'float64',
        0,
        3,
        () => 0,
        () => 0,
      ),
    )) {
      expect([r.loss.length, r.grad.length]).toEqual([0, 0]);
    }
    for (const r of onEach(() => T.readFlat(A.sigmoidCrossEntropyWithLogits(T.tensor(1), T.tensor(0)))))
      expect(r[0]).toBeCloseTo(Math.LN2, 15);
  });
});

describe('XENT_BACKEND', () => {
  /** What a process with XENT_BACKEND=value prints for getBackend() and add([1], 1), or the error it refuses with. */
  function runWith(value: string): string {
    const code = [
      "import { add, getBackend, tensor } from '@xent/tensor';",
      'try { console.log(getBackend(), add(tensor([1]), 1).item()); } catch (e) { console.log(e.code, e.message); }',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--conditions=@xent/source', '--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, XENT_BACKEND: value },
      timeout: 30_000,
    });
    return r.stdout.trim();
  }
  it("a value other than 'js' or 'wasm' ('JS', 'gpu') is INVALID_OPTION saying what to set (it ran wasm, silently)", () => {
    for (const v of ['JS', 'gpu']) expect(runWith(v)).toBe(`INVALID_OPTION XENT_BACKEND: found '${v}'; set 'js' or 'wasm'.`);
    expect(runWith('js')).toBe('js 2');
    expect(runWith('')).toMatch(/^(wasm|js) 2$/);
  });
});
