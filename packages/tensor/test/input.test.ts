// What users hand to tensor() and the creation helpers: every odd value is an
// XentError naming the function, the argument and the value's type — never a
// coercion (null → 0, '2' → 2, NaN → the int32 label 0) and never a raw
// TypeError/RangeError from the engine.
import { describe, it, expect } from 'vitest';
import {
  MAX_ELEMENTS,
  Rng,
  XentError,
  add,
  arange,
  cast,
  clip,
  exp,
  eye,
  full,
  mul,
  oneHot,
  ones,
  rand,
  randn,
  reshape,
  sum,
  tensor,
  zeros,
  type XentErrorCode,
} from '@xent/tensor';

function refuses(f: () => unknown, code: XentErrorCode, ...fragments: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an XentError').toBeInstanceOf(XentError);
  const err = caught as XentError;
  expect(err.code).toBe(code);
  for (const f of fragments) expect(err.message).toMatch(f);
}

describe('tensor(): entries that are not numbers', () => {
  it.each([
    ['a string', [1, 'x'], 'values[1]', 'a string ("x")'],
    [
      'a boolean',
      [
        [1, 2],
        [true, 0],
      ],
      'values[1][0]',
      'a boolean (true)',
    ],
    ['a bigint', [1n], 'values[0]', 'a bigint (1n)'],
    ['null', [0, null], 'values[1]', 'null'],
    ['undefined', [undefined], 'values[0]', 'undefined'],
    ['an object', [{}], 'values[0]', 'a plain object'],
    ['a Date', [new Date(0)], 'values[0]', 'a Date'],
    ['a Tensor inside an array', [tensor(1)], 'values[0]', 'a Tensor'],
  ])('%s is named with its position and type', (_label, values, at, type) => {
    refuses(() => tensor(values as never), 'INVALID_ARGUMENT', 'tensor:', at, type);
  });

  it('a hole of a sparse array is named as one', () => {
    const holes = [1, 2, 3];
    delete holes[1];
    refuses(() => tensor(holes), 'INVALID_ARGUMENT', 'values[1]', 'hole');
  });

  it.each([
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a string', '3', 'a string'],
    ['a boolean', false, 'a boolean'],
    ['a Date', new Date(0), 'a Date'],
    ['a Map', new Map(), 'a Map'],
    ['a function', () => 1, 'a function'],
  ])('values as %s is refused', (_label, values, type) => {
    refuses(() => tensor(values as never), 'INVALID_ARGUMENT', 'tensor: values is', type);
  });

  it('DataView and BigInt arrays are refused with the conversion to use', () => {
    refuses(() => tensor(new DataView(new ArrayBuffer(8)) as never), 'INVALID_ARGUMENT', 'DataView', 'Float64Array');
    refuses(() => tensor(new BigInt64Array(2) as never), 'INVALID_ARGUMENT', 'BigInt64Array', 'Number');
    refuses(() => tensor(new BigUint64Array(2) as never), 'INVALID_ARGUMENT', 'BigUint64Array');
  });

  it('typed arrays of other kinds are read by value; typed rows may nest', () => {
    expect(tensor(new Uint8Array([1, 255])).toArray()).toEqual([1, 255]);
    expect(tensor(new Int16Array([-3, 4])).toArray()).toEqual([-3, 4]);
    const rows = tensor([new Float32Array([1, 2]), new Float32Array([3, 4])] as never);
    expect(rows.shape).toEqual([2, 2]);
    expect(rows.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('tensor(): values the dtype cannot hold', () => {
  it.each([NaN, Infinity, -Infinity, 0.5, -1.5, 2 ** 31, -(2 ** 31) - 1, 1e300])('int32 refuses %s', (v) => {
    refuses(() => tensor([0, v], { dtype: 'int32' }), 'INVALID_ARGUMENT', 'values[1]', 'int32');
    refuses(() => tensor(new Float64Array([v]), { dtype: 'int32' }), 'INVALID_ARGUMENT', 'int32');
    refuses(() => tensor(tensor([v]), { dtype: 'int32' }), 'INVALID_ARGUMENT', 'int32');
  });

  it('int32 keeps its extreme whole numbers exactly', () => {
    expect(tensor([2 ** 31 - 1, -(2 ** 31), -0], { dtype: 'int32' }).toArray()).toEqual([2147483647, -2147483648, 0]);
  });

  it('float32 refuses a finite value that would become Infinity, keeps Infinity and NaN', () => {
    refuses(() => tensor([1e39], { dtype: 'float32' }), 'INVALID_ARGUMENT', '1e+39', 'float32', 'float64');
    refuses(() => tensor(new Float64Array([-1e39]), { dtype: 'float32' }), 'INVALID_ARGUMENT', 'float32');
    const t = tensor([Infinity, NaN, 3.4e38], { dtype: 'float32' }).values();
    expect(t[0]).toBe(Infinity);
    expect(t[1]).toBeNaN();
    expect(t[2]).toBe(Math.fround(3.4e38));
  });
});

describe('tensor(): shapes, depth, options', () => {
  it('20,000-deep nesting and self-containing arrays stop at the rank limit', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    refuses(() => tensor(deep as never), 'INVALID_ARGUMENT', 'more than 32 levels');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    refuses(() => tensor(cyclic as never), 'INVALID_ARGUMENT', 'contains itself');
  });

  it('32 axes are fine', () => {
    let v: unknown = 7;
    for (let i = 0; i < 32; i++) v = [v];
    const t = tensor(v as never);
    expect(t.rank).toBe(32);
    expect(t.item()).toBe(7);
  });

  it.each(['float16', 'int64', 'bfloat16', 'Float64', 7, true])('dtype %s is a DTYPE error listing the three', (dtype) => {
    refuses(() => tensor([1], { dtype: dtype as never }), 'DTYPE', "'float64'", "'float32'", "'int32'");
  });

  it('an unknown option is refused with the nearest name; null as the options is refused, a null value is not given', () => {
    refuses(() => tensor([1], { dtpye: 'int32' } as never), 'INVALID_OPTION', "'dtpye'", "did you mean 'dtype'");
    refuses(() => tensor([1], 'int32' as never), 'INVALID_OPTION', "'int32'", 'an object');
    refuses(() => tensor([1, 2], null as never), 'INVALID_OPTION', 'tensor: the options are null; options are an object'); // as the losses
    expect(tensor([1, 2], { dtype: null, shape: undefined } as never).dtype).toBe('float64'); // null = not given
  });

  it.each([
    [[2, -2], '-2'],
    [[-2, -2], '-2'],
    [[2, 1.5], '1.5'],
    [[NaN], 'NaN'],
    [['2'], 'a string'],
  ])('options.shape %j is refused', (shape, found) => {
    refuses(() => tensor([1, 2, 3, 4], { shape: shape as never }), 'INVALID_ARGUMENT', 'options.shape', found);
  });

  it('a shape holding another count is a SHAPE_MISMATCH', () => {
    refuses(() => tensor([1, 2, 3], { shape: [2, 2] }), 'SHAPE_MISMATCH', '3 values', '[2, 2]');
  });
});

describe('creation helpers: sizes, limits, dtypes', () => {
  it('sizes past the limit name it instead of a RangeError', () => {
    refuses(() => zeros([2, 1e10]), 'INVALID_ARGUMENT', 'zeros', '20000000000', String(MAX_ELEMENTS));
    refuses(() => ones([2 ** 20, 2 ** 20]), 'INVALID_ARGUMENT', 'ones', 'limit');
    refuses(() => full([1e5, 1e5], 1), 'INVALID_ARGUMENT', 'full', 'limit');
    refuses(() => arange(0, 1e12), 'INVALID_ARGUMENT', 'arange', 'limit');
    refuses(() => oneHot([0, 1], 2 ** 28), 'INVALID_ARGUMENT', 'oneHot', 'limit');
    refuses(() => eye(1e5), 'INVALID_ARGUMENT', 'eye', 'limit');
  });

  it.each([
    [() => arange(0, Infinity), 'stop is Infinity'],
    [() => arange(NaN), 'stop is NaN'],
    [() => arange(-Infinity, 0), 'start is -Infinity'],
    [() => arange(0, 5, NaN), 'step is NaN'],
    [() => arange(0, 1, 0.5, 'int32'), 'int32'],
    [() => arange('3' as never), 'a string'],
  ])('arange refuses bad bounds (%#)', (f, fragment) => {
    refuses(f, 'INVALID_ARGUMENT', 'arange', fragment);
  });

  it('arange keeps its values right where it accepts them', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 0, -0.25).toArray()).toEqual([1, 0.75, 0.5, 0.25]);
    expect(arange(-3, 3, 2, 'int32').toArray()).toEqual([-3, -1, 1]);
  });

  it('full refuses a value its dtype cannot hold; zeros/ones refuse unknown dtypes', () => {
    refuses(() => full([2], NaN, 'int32'), 'INVALID_ARGUMENT', 'full', 'NaN');
    refuses(() => full([2], '3' as never), 'INVALID_ARGUMENT', 'full', 'a string');
    refuses(() => zeros([2], 'int64' as never), 'DTYPE', 'zeros', "'int64'", "'int32' for labels");
    refuses(() => ones([2], 'float16' as never), 'DTYPE', 'ones', "'float16'");
    refuses(() => zeros(3 as never), 'INVALID_ARGUMENT', 'zeros', 'the number 3', '[2, 3]');
    expect(full([2], NaN).values()[1]).toBeNaN();
  });

  it('rand/randn check the generator, the options and the dtype', () => {
    refuses(() => rand([2], 'seed' as never), 'INVALID_ARGUMENT', 'rand', 'rng');
    refuses(() => rand([2], 1.5), 'INVALID_ARGUMENT', 'rand', '1.5');
    refuses(() => rand([2], 1, { lo: 2, hi: 1 }), 'INVALID_OPTION', 'rand', 'lo');
    refuses(() => rand([2], 1, { lo: NaN }), 'INVALID_ARGUMENT', 'options.lo');
    refuses(() => rand([2], 1, { dtype: 'int32' }), 'DTYPE', 'rand');
    refuses(() => randn([2], 1, { std: -1 }), 'INVALID_OPTION', 'randn', 'std');
    refuses(() => randn([2], 1, { stdd: 1 } as never), 'INVALID_OPTION', "did you mean 'std'");
    const g = new Rng(3);
    const r = rand([3], 3, { lo: -1, hi: 1 }).values();
    for (let i = 0; i < 3; i++) expect(r[i]).toBe(g.uniform(-1, 1));
  });

  it('oneHot names the labels argument', () => {
    refuses(() => oneHot(['a'] as never, 2), 'INVALID_ARGUMENT', 'oneHot: labels[0]', 'a string');
    refuses(() => oneHot([0], '2' as never), 'INVALID_ARGUMENT', 'oneHot', 'depth');
  });
});

describe('kernels: operands, axes, shapes, casts', () => {
  const x = tensor([1, 2, 3]);

  it.each([
    ['a string', '2'],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['an array', [1, 2, 3]],
  ])('add/mul refuse %s as an operand (no coercion)', (type, v) => {
    refuses(() => add(x, v as never), 'INVALID_ARGUMENT', 'add', type);
    refuses(() => mul(v as never, x), 'INVALID_ARGUMENT', 'mul', type);
  });

  it('unary kernels and clip name themselves for a non-tensor', () => {
    refuses(() => exp(null as never), 'INVALID_ARGUMENT', 'exp', 'null');
    refuses(() => exp([1, 2] as never), 'INVALID_ARGUMENT', 'exp', 'an array');
    refuses(() => clip(x, '0' as never, 1), 'INVALID_ARGUMENT', 'clip', 'a string');
  });

  it('axes that are not numbers are refused', () => {
    refuses(() => sum(x, '0' as never), 'AXIS_OUT_OF_RANGE', 'sum', 'a string');
    refuses(() => sum(x, { axis: 0 } as never), 'AXIS_OUT_OF_RANGE', 'sum', 'a plain object');
    refuses(() => sum(x, [0.5]), 'AXIS_OUT_OF_RANGE', 'sum', '0.5');
  });

  it('reshape names a size that is not a whole number', () => {
    refuses(() => reshape(x, ['3'] as never), 'SHAPE_MISMATCH', 'reshape', 'axis 0', 'a string');
    refuses(() => reshape(x, [-3]), 'SHAPE_MISMATCH', 'reshape', '-3');
    refuses(() => reshape(x, 3 as never), 'SHAPE_MISMATCH', 'reshape', 'the number 3');
  });

  it('cast to int32 truncates, and refuses what int32 cannot hold', () => {
    expect(cast(tensor([2.9, -2.9, 2147483647.5]), 'int32').toArray()).toEqual([2, -2, 2147483647]);
    for (const v of [NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1]) {
      refuses(() => cast(tensor([0, v]), 'int32'), 'INVALID_ARGUMENT', 'cast', 'flat index 1', 'int32');
    }
  });
});
