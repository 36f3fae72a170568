import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  Rng,
  Tensor,
  arange,
  broadcastShapes,
  cast,
  equal,
  fromFlat,
  greater,
  greaterEqual,
  less,
  lessEqual,
  notEqual,
  clone,
  contiguous,
  eye,
  full,
  oneHot,
  ones,
  onesLike,
  rand,
  randn,
  readFlat,
  tensor,
  transpose,
  zeros,
  zerosLike,
  type DType,
} from '@xent/tensor';
import { allocate, makeView } from '@xent/tensor/internal';
import { expectXentError, flat, nest, prod, roundTo, shapeArb, valuesArb } from '../../../test/utils.js';

describe('tensor() from nested arrays', () => {
  it('infers shape and keeps values in row-major order (any rank, float64 default)', () => {
    fc.assert(
      fc.property(
        // Nested arrays can only show an axis of size 0 as the last one ([] is shape [0], [[], []] is [2, 0]).
        shapeArb(0, 4, 4, 0)
          .filter((s) => !s.slice(0, -1).includes(0))
          .chain((shape) => fc.tuple(fc.constant(shape), valuesArb(prod(shape), -10, 10))),
        ([shape, values]) => {
          const t = tensor(nest(values, shape));
          expect(t.dtype).toBe('float64');
          expect(t.shape).toEqual(shape);
          expect(t.rank).toBe(shape.length);
          expect(t.size).toBe(prod(shape));
          expect(Array.from(t.values())).toEqual(values);
          expect(t.toArray()).toEqual(nest(values, shape));
        },
      ),
    );
  });

  it('reads a concrete 2×3 array element by element', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(Array.from(t.values())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.view.get(1, 0)).toBe(4);
    expect(t.view.get(0, 2)).toBe(3);
  });

  it('honours dtype: float32 rounds, int32 takes whole numbers and refuses anything it would change', () => {
    const f = tensor([0.1, -2.7, 1e-3], { dtype: 'float32' });
    expect(f.dtype).toBe('float32');
    expect(f.view.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f.values())).toEqual([Math.fround(0.1), Math.fround(-2.7), Math.fround(1e-3)]);
    const i = tensor(
      [
        [1, -1],
        [3, 0],
      ],
      { dtype: 'int32' },
    );
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([
      [1, -1],
      [3, 0],
    ]);
    // 1.9 would silently become the label 1, NaN the label 0: refused, naming the entry; cast() truncates on request.
    expect(() => tensor([[1.9, -1.9]], { dtype: 'int32' })).toThrow(/values\[0\]\[0\] is 1\.9/);
    expect(() => tensor([NaN], { dtype: 'int32' })).toThrow(/values\[0\] is NaN/);
    expect(cast(tensor([1.9, -1.9]), 'int32').toArray()).toEqual([1, -1]);
  });

  it('makes scalars and empty tensors', () => {
    const s = tensor(3.5);
    expect(s.shape).toEqual([]);
    expect(s.size).toBe(1);
    expect(s.item()).toBe(3.5);
    expect(s.toArray()).toBe(3.5);
    const e = tensor([]);
    expect(e.shape).toEqual([0]);
    expect(e.size).toBe(0);
    expect(e.toArray()).toEqual([]);
    const e2 = tensor([[], []]);
    expect(e2.shape).toEqual([2, 0]);
    expect(e2.toArray()).toEqual([[], []]);
  });
});

describe('tensor() from flat arrays and typed arrays', () => {
  it('reshapes a flat array with `shape`', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 4, 4).chain((shape) =>
          fc.tuple(fc.constant(shape), valuesArb(prod(shape), -10, 10), fc.constantFrom<DType>('float64', 'float32', 'int32')),
        ),
        ([shape, raw, dtype]) => {
          const values = dtype === 'int32' ? raw.map((v) => Math.trunc(v) + 0) : raw; // int32 takes whole numbers only
          const t = tensor(values, { shape, dtype });
          expect(t.shape).toEqual(shape);
          expect(t.dtype).toBe(dtype);
          expect(flat(t)).toEqual(roundTo(values, dtype));
          expect(t.toArray()).toEqual(nest(roundTo(values, dtype), shape));
        },
      ),
    );
  });

  it('takes the dtype of a typed array and wraps it without a copy', () => {
    const f32 = new Float32Array([1, 2, 3, 4, 5, 6]);
    const a = tensor(f32, { shape: [2, 3] });
    expect(a.dtype).toBe('float32');
    expect(a.view.data).toBe(f32);
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);

    const f64 = new Float64Array([0.5, 1.5]);
    const b = tensor(f64);
    expect(b.dtype).toBe('float64');
    expect(b.shape).toEqual([2]);
    expect(b.view.data).toBe(f64);

    const i32 = new Int32Array([2, 0, 1]);
    const c = tensor(i32);
    expect(c.dtype).toBe('int32');
    expect(c.view.data).toBe(i32);
  });

  it('copies a typed array when another dtype is asked for', () => {
    const f64 = new Float64Array([0.1, 2.9]);
    const a = tensor(f64, { dtype: 'float32' });
    expect(a.dtype).toBe('float32');
    expect(a.view.data).not.toBe(f64);
    expect(Array.from(a.values())).toEqual([Math.fround(0.1), Math.fround(2.9)]);
    const b = tensor(new Float64Array([0, 2]), { dtype: 'int32' });
    expect(Array.from(b.values())).toEqual([0, 2]);
    expect(() => tensor(f64, { dtype: 'int32' })).toThrow(/values\[0\] is 0\.1/);
  });

  it('from a Tensor: same tensor, a dtype conversion, or a reshaped copy', () => {
    const t = tensor([
      [1.25, 2],
      [3, 4],
    ]);
    expect(tensor(t)).toBe(t);
    const f = tensor(t, { dtype: 'float32' });
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual([
      [1.25, 2],
      [3, 4],
    ]);
    const r = tensor(t, { shape: [4] });
    expect(r.shape).toEqual([4]);
    expect(r.toArray()).toEqual([1.25, 2, 3, 4]);
    expect(r.view.data).not.toBe(t.view.data);
    expect(() => tensor(t, { shape: [4], dtype: 'int32' })).toThrow(/values\[0\] is 1\.25/);
    const both = tensor(tensor([1, 2, 3, 4]), { shape: [2, 2], dtype: 'int32' });
    expect(both.dtype).toBe('int32');
    expect(both.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // From a strided view: values in logical order.
    expect(tensor(transpose(t), { shape: [4] }).toArray()).toEqual([1.25, 3, 2, 4]);
  });
});

describe('creation helpers', () => {
  it('zeros / ones / full with any shape and dtype', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 4, 4, 0),
        fc.constantFrom<DType>('float64', 'float32', 'int32'),
        fc.integer({ min: -5, max: 5 }),
        (shape, dtype, v) => {
          const z = zeros(shape, dtype);
          const o = ones(shape, dtype);
          const f = full(shape, v, dtype);
          for (const [t, val] of [
            [z, 0],
            [o, 1],
            [f, v],
          ] as const) {
            expect(t.shape).toEqual(shape);
            expect(t.dtype).toBe(dtype);
            expect(flat(t)).toEqual(new Array(prod(shape)).fill(val));
          }
        },
      ),
    );
    expect(zeros([2]).dtype).toBe('float64');
    expect(full([2], 0.1, 'float32').toArray()).toEqual([Math.fround(0.1), Math.fround(0.1)]);
  });

  it('zerosLike / onesLike copy shape and dtype', () => {
    const t = tensor([[1, 2, 3]], { dtype: 'float32' });
    const z = zerosLike(t);
    const o = onesLike(t);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe('float32');
    expect(z.toArray()).toEqual([[0, 0, 0]]);
    expect(o.dtype).toBe('float32');
    expect(o.toArray()).toEqual([[1, 1, 1]]);
  });

  it('eye(n) and eye(n, m)', () => {
    for (let n = 0; n <= 5; n++) {
      for (let m = 0; m <= 5; m++) {
        const t = eye(n, m);
        expect(t.shape).toEqual([n, m]);
        const expected = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
        expect(t.toArray()).toEqual(expected);
      }
    }
    expect(eye(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(eye(2, 2, 'float32').dtype).toBe('float32');
  });

  it('arange like numpy.arange', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(0, 0).shape).toEqual([0]);
    expect(arange(3, 1).shape).toEqual([0]);
    expect(arange(0, 3, 1, 'int32').dtype).toBe('int32');
    fc.assert(
      fc.property(
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (a, b, s, down) => {
          const step = down ? -s : s;
          const expected: number[] = [];
          for (let x = a; down ? x > b : x < b; x += step) expected.push(x);
          expect(arange(a, b, step).toArray()).toEqual(expected);
        },
      ),
    );
  });

  it('oneHot from int32 labels, float labels and nested arrays', () => {
    expect(oneHot([2, 0, 1], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const labels = tensor(
      [
        [1, 0],
        [3, 2],
      ],
      { dtype: 'int32' },
    );
    const oh = oneHot(labels, 4);
    expect(oh.shape).toEqual([2, 2, 4]);
    expect(oh.dtype).toBe('float64');
    expect(oh.toArray()).toEqual([
      [
        [0, 1, 0, 0],
        [1, 0, 0, 0],
      ],
      [
        [0, 0, 0, 1],
        [0, 0, 1, 0],
      ],
    ]);
    expect(oneHot(tensor([1], { dtype: 'float32' }), 2, 'float32').dtype).toBe('float32');
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((depth) => fc.tuple(fc.constant(depth), fc.array(fc.integer({ min: 0, max: depth - 1 }), { maxLength: 8 }))),
        ([depth, ys]) => {
          const t = oneHot(ys, depth);
          expect(t.shape).toEqual([ys.length, depth]);
          expect(t.toArray()).toEqual(ys.map((y) => Array.from({ length: depth }, (_, c) => (c === y ? 1 : 0))));
        },
      ),
    );
  });
});

describe('creation helpers refuse an argument they would drop', () => {
  // Each call used to run and lose what the extra argument meant: zerosLike(t, 'float32') gave t's float64,
  // zeros([2], 'float32', 5) ignored the 5, broadcastShapes(a, b, c) returned a and b's broadcast without c.
  const t = tensor([1, 2]);
  const call =
    (f: unknown, ...args: unknown[]) =>
    () =>
      (f as (...a: unknown[]) => unknown)(...args);
  const cases: [string, () => unknown, string][] = [
    ['tensor', call(tensor, [1], { dtype: 'float32' }, true), 'pass (values, { dtype, shape })'],
    ['zeros', call(zeros, [2], 'float32', 5), 'pass (shape, dtype)'],
    ['ones', call(ones, [2], 'float32', 5), 'pass (shape, dtype)'],
    ['full', call(full, [2], 3, 'float32', 5), 'pass (shape, value, dtype)'],
    ['eye', call(eye, 2, 2, 'float32', 1), 'pass (n, m, dtype)'],
    ['arange', call(arange, 0, 5, 1, 'int32', 7), 'pass (start, stop, step, dtype)'],
    ['oneHot', call(oneHot, [1], 3, 'float32', 1), 'pass (labels, depth, dtype)'],
    ['rand', call(rand, [2], 1, { lo: 0 }, 5), 'pass (shape, rng, { lo, hi, dtype })'],
    ['randn', call(randn, [2], 1, { std: 2 }, 5), 'pass (shape, rng, { mean, std, dtype })'],
    ['zerosLike', call(zerosLike, t, 'float32'), "t's dtype; for another, call zeros(t.shape, dtype)"],
    ['onesLike', call(onesLike, t, { dtype: 'float32' }), "t's dtype; for another, call ones(t.shape, dtype)"],
    ['broadcastShapes', call(broadcastShapes, [2, 1], [1, 3], 'where', [4, 1, 1]), 'broadcastShapes(broadcastShapes(a, b), c)'],
  ];
  it.each(cases)('%s', (name, run, fix) => {
    const max = { tensor: 2, zeros: 2, ones: 2, zerosLike: 1, onesLike: 1 }[name] ?? (name === 'arange' ? 4 : 3);
    expectXentError(run, 'INVALID_ARGUMENT', `${name}: takes at most ${max} argument${max > 1 ? 's' : ''}, got ${max + 1}; `, fix);
  });

  it('broadcastShapes(a, b, c) with c a shape is refused, not the broadcast of a and b', () => {
    expect(broadcastShapes([2, 1], [1, 3], 'here')).toEqual([2, 3]);
    expectXentError(
      call(broadcastShapes, [2, 1], [1, 3], [4, 1, 1]),
      'INVALID_ARGUMENT',
      'broadcastShapes: where is [4, 1, 1], not a function name',
      'broadcastShapes(broadcastShapes(a, b), c)',
    );
  });

  it("comparisons and fromFlat: less(a, b, out) left out unwritten, fromFlat(data, shape, dtype) kept the array's dtype", () => {
    for (const op of [less, greater, lessEqual, greaterEqual, equal, notEqual]) {
      const out = zeros([2]);
      expectXentError(
        call(op, tensor([1, 3]), tensor([2, 2]), out),
        'INVALID_ARGUMENT',
        'takes at most 2 arguments, got 3',
        'no out argument',
      );
    }
    expect(less(tensor([1, 3]), 2).toArray()).toEqual([1, 0]);
    expectXentError(
      call(fromFlat, new Float64Array([1, 2]), [2], 'float32'),
      'INVALID_ARGUMENT',
      'fromFlat: takes at most 2 arguments, got 3',
      'tensor(data, { dtype, shape }) converts',
    );
  });

  it('Rng refuses an argument past its own: rng.normal(5, 2) drew N(0, 1), rng.int(5, 10) drew from [0, 5)', () => {
    const rng = new Rng(7);
    const draws: [string, () => unknown, string][] = [
      ['Rng: takes at most 1 argument, got 2', () => new (Rng as new (...seed: number[]) => Rng)(1, 2), 'new Rng(0)'],
      ['Rng.next: takes no arguments, got 1', () => (rng.next as (x: number) => number)(1), 'rng.uniform(lo, hi)'],
      ['Rng.uniform: takes at most 2 arguments, got 3', () => (rng.uniform as (...x: number[]) => number)(0, 1, 2), 'pass (lo, hi)'],
      ['Rng.normal: takes no arguments, got 2', () => (rng.normal as (...x: number[]) => number)(5, 2), 'mean + std * rng.normal()'],
      ['Rng.int: takes at most 1 argument, got 2', () => (rng.int as (...x: number[]) => number)(5, 10), 'lo + rng.int(hi - lo)'],
      ['Rng.permutation: takes at most 1 argument, got 2', () => (rng.permutation as (...x: number[]) => unknown)(5, 1), 'n'],
    ];
    for (const [message, run, fix] of draws) expectXentError(run, 'INVALID_ARGUMENT', message, fix);
    // A refused call draws nothing: the stream goes on as an untouched generator's.
    expect(rng.next()).toBe(new Rng(7).next());
  });

  it('readFlat, contiguous and Tensor.item refuse an argument they would drop: readFlat(t, out) left out unwritten, t.item(1) gave the one value', () => {
    const t = transpose(tensor([[1, 2, 3]]));
    const out = new Float64Array(3);
    expectXentError(
      call(readFlat, t, out),
      'INVALID_ARGUMENT',
      'readFlat: takes at most 1 argument, got 2; pass the tensor only',
      'cast(t, dtype)',
    );
    expect(out).toEqual(new Float64Array(3));
    expectXentError(
      call(contiguous, t, 'float32'),
      'INVALID_ARGUMENT',
      'contiguous: takes at most 1 argument, got 2; pass the tensor only',
    );
    // NumPy's a.item(1) on a one-element array is an IndexError; PyTorch's item() takes no argument.
    const one = tensor([7]);
    expectXentError(
      call(one.item.bind(one), 1),
      'INVALID_ARGUMENT',
      'Tensor.item: takes no arguments, got 1; for entry i read t.values()[i]',
    );
    expect([Array.from(readFlat(t)), contiguous(t).toArray(), one.item()]).toEqual([[1, 2, 3], [[1], [2], [3]], 7]);
  });

  it('tensor, rand and randn refuse null as the options object, as the losses, optimizers and backward do', () => {
    // They read null as "no options"; elsewhere parseOptions refuses it.
    expectXentError(
      call(tensor, [1, 2], null),
      'INVALID_OPTION',
      'tensor: the options are null; options are an object, e.g. { dtype: …, shape: … }.',
    );
    expectXentError(
      call(rand, [2], 1, null),
      'INVALID_OPTION',
      'rand: the options are null; options are an object, e.g. { lo: …, hi: … }.',
    );
    expectXentError(
      call(randn, [2], 1, null),
      'INVALID_OPTION',
      'randn: the options are null; options are an object, e.g. { mean: …, std: … }.',
    );
    expect([tensor([1, 2], undefined).dtype, rand([2], 1, undefined).size, randn([2], 1).size]).toEqual(['float64', 2, 2]);
  });

  it('the same calls without the extra argument still work', () => {
    expect(zerosLike(tensor([1], { dtype: 'float32' })).dtype).toBe('float32');
    expect(eye(2, undefined, 'float32').toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(arange(0, 5, 1, 'int32').dtype).toBe('int32');
    expect(rand([2], 1, undefined).shape).toEqual([2]);
  });
});

describe('seeded randomness', () => {
  it('rand and randn repeat for the same seed (number or Rng) and differ across seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), shapeArb(1, 3, 5), (seed, shape) => {
        const a = rand(shape, seed);
        const b = rand(shape, new Rng(seed));
        expect(a.shape).toEqual(shape);
        expect(Array.from(a.values())).toEqual(Array.from(b.values()));
        const c = randn(shape, seed);
        const d = randn(shape, new Rng(seed));
        expect(Array.from(c.values())).toEqual(Array.from(d.values()));
      }),
    );
    const x = Array.from(rand([20], 1).values());
    const y = Array.from(rand([20], 2).values());
    expect(x).not.toEqual(y);
    // A shared generator moves on: two draws differ.
    const g = new Rng(7);
    expect(Array.from(rand([5], g).values())).not.toEqual(Array.from(rand([5], g).values()));
  });

  it('rand lies in [lo, hi) and randn has roughly the asked moments', () => {
    const u = Array.from(rand([2000], 42, { lo: -2, hi: 3 }).values());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    const um = u.reduce((s, v) => s + v, 0) / u.length;
    expect(Math.abs(um - 0.5)).toBeLessThan(0.15);

    const n = Array.from(randn([4000], 42, { mean: 1, std: 2 }).values());
    const m = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - m) ** 2, 0) / n.length);
    expect(Math.abs(m - 1)).toBeLessThan(0.15);
    expect(Math.abs(sd - 2)).toBeLessThan(0.15);
    expect(n.every(Number.isFinite)).toBe(true);

    expect(rand([3], 1, { dtype: 'float32' }).dtype).toBe('float32');
    expect(randn([3], 1, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('Rng: next in [0,1), int in [0,n), permutation is a permutation, all replayable', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    for (let i = 0; i < 200; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = a.int(7);
      expect(k).toBe(b.int(7));
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    const p = new Rng(5).permutation(50);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(new Rng(5).permutation(50))).toEqual(Array.from(p));
    // mulberry32 reference value for seed 0 (first draw).
    expect([new Rng(0).next()]).toEqual([0.26642920868471265]);
    const r = new Rng(123456789);
    expect([r.next(), r.next(), r.next()]).toEqual([0.2577907438389957, 0.9707721115555614, 0.7853280142880976]);
  });
});

describe('reading tensors back', () => {
  it('toArray gives logical order for strided views', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(transpose(t).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('item() on one-element tensors of any rank', () => {
    expect(tensor([[7]]).item()).toBe(7);
    expect(tensor(2, { dtype: 'int32' }).item()).toBe(2);
    expect(tensor([0.1], { dtype: 'float32' }).item()).toBe(Math.fround(0.1));
  });

  it('clone, contiguous and cast', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    const c = clone(t);
    expect(c.view.data).not.toBe(t.view.data);
    expect(c.toArray()).toEqual(t.toArray());
    expect(contiguous(t)).toBe(t);
    const tt = contiguous(transpose(t));
    expect(tt.view.stride).toEqual([2, 1]);
    expect(tt.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    const i = cast(tensor([1.7, -1.7, 2.5]), 'int32');
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([1, -1, 2]);
    const f = cast(tensor([0.1]), 'float32');
    expect(f.toArray()).toEqual([Math.fround(0.1)]);
    expect(cast(t, 'float64')).toBe(t);
  });

  it('makeView wraps data with row-major or given strides and an offset, for every rank and dtype', () => {
    for (const dtype of ['float64', 'float32', 'int32'] as const) {
      const data = allocate(dtype, 128);
      for (let i = 0; i < data.length; i++) data[i] = i;
      for (let rank = 0; rank <= 5; rank++) {
        const shape = Array.from({ length: rank }, (_, k) => 2 + (k % 2));
        const v = makeView(data, shape);
        expect(v.shape).toEqual(shape);
        expect(v.data).toBe(data);
        const t = new Tensor(v);
        expect(t.dtype).toBe(dtype);
        expect(flat(t)).toEqual(Array.from({ length: prod(shape) }, (_, i) => i));
      }
      // A transposed 2×3 window starting at 5: element (i, j) is data[5 + i + 4j].
      const w = new Tensor(makeView(data, [2, 3], [1, 4], 5));
      expect(w.toArray()).toEqual([
        [5, 9, 13],
        [6, 10, 14],
      ]);
      expect(new Tensor(makeView(data, [], [], 7)).item()).toBe(7);
    }
  });

  it('a Tensor can be built from a raw ndarray view and knows its dtype', () => {
    const t = tensor(new Float32Array(4), { shape: [2, 2] });
    const u = new Tensor(t.view);
    expect(u.dtype).toBe('float32');
    expect(u.shape).toEqual([2, 2]);
    expect(u.requiresGrad).toBe(false);
    expect(u.grad).toBeNull();
    expect(u.node).toBeNull();
    // shape is a copy: mutating it does not change the tensor.
    u.shape.push(9);
    expect(u.shape).toEqual([2, 2]);
  });
});

describe('toString (numpy-like)', () => {
  it('prints vectors, matrices, scalars and dtypes', () => {
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.], dtype=float64)');
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]], dtype=float64)');
    expect(tensor(3.5).toString()).toBe('tensor(3.5, dtype=float64)');
    expect(tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=int32)');
    expect(tensor([0.5, 0.25], { dtype: 'float32' }).toString()).toBe('tensor([ 0.5, 0.25], dtype=float32)');
    expect(String(tensor([1, -2.5, 10]))).toBe('tensor([  1., -2.5,  10.], dtype=float64)');
  });

  it('prints nan/inf, small and large numbers, and 3-D blocks separated by a blank line', () => {
    expect(tensor([NaN, Infinity, -Infinity]).toString()).toBe('tensor([ nan,  inf, -inf], dtype=float64)');
    expect(tensor([1e-5, 2e9, 1 / 3]).toString()).toBe('tensor([1.0000e-5, 2.0000e+9, 3.3333e-1], dtype=float64)'); // one notation for the whole tensor, as PyTorch
    expect(tensor([-0, 0]).toString()).toBe('tensor([-0.,  0.], dtype=float64)');
    expect(tensor([[[1, 2]], [[3, 4]]]).toString()).toBe('tensor([[[1., 2.]],\n\n        [[3., 4.]]], dtype=float64)');
    expect(tensor([]).toString()).toBe('tensor([], dtype=float64)');
  });

  it('prints strided views in logical order', () => {
    expect(
      transpose(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toString(),
    ).toBe('tensor([[1., 3.],\n        [2., 4.]], dtype=float64)');
  });

  it('elides long axes of big tensors with ... and stays fast on huge ones', () => {
    const s = arange(2000).toString();
    expect(s).toBe('tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], dtype=float64)');
    const m = zeros([100, 100]).toString();
    expect(m.split('\n').length).toBe(7);
    expect(m).toContain('...');
    // A tensor far too big to print in full (one million values).
    const big = zeros([1000, 1000]).toString();
    expect(big.split('\n').length).toBe(7);
    expect(big.startsWith('tensor([[0., 0., 0., ..., 0., 0., 0.],')).toBe(true);
  });
});
