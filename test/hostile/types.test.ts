// Hostile inputs, wrong types: every public function that takes a tensor is
// handed undefined, null, a string, a boolean, an object, a Date, a bigint, a
// function, a Map — as the whole argument and as one entry of an array. Each
// must be refused with an XentError naming the argument and the value's type,
// never coerced (null → 0, '2' → 2, true → 1) and never a raw TypeError.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import { refuses } from './helpers.js';

const BAD: [string, unknown, RegExp][] = [
  ['undefined', undefined, /undefined/],
  ['null', null, /null/],
  ['a numeric string', '2', /string/],
  ['a boolean', true, /boolean/],
  ['a plain object', { value: 2 }, /object/],
  ['a Date', new Date(0), /Date/],
  ['a bigint', 3n, /bigint/],
  ['a function', () => 2, /function/],
  ['a Map', new Map([[0, 1]]), /Map/],
];

const x = () => T.tensor([0.25, 0.5, 0.75]);
const z2 = () =>
  T.tensor([
    [1, 2, 3],
    [0, -1, 1],
  ]);

/** Each entry: a function name and a call that puts the bad value `v` in one argument (named in the message). */
const CALLS: [string, string, (v: unknown) => unknown][] = [
  ['tensor', 'values', (v) => T.tensor(v as never)],
  ['oneHot', 'labels', (v) => T.oneHot(v as never, 3)],
  ['add', 'b', (v) => A.add(x(), v as never)],
  ['sub', 'a', (v) => A.sub(v as never, x())],
  ['mul', 'b', (v) => A.mul(x(), v as never)],
  ['div', 'a', (v) => A.div(v as never, x())],
  ['pow', 'exponent', (v) => A.pow(x(), v as never)],
  ['exp', 'x', (v) => A.exp(v as never)],
  ['log', 'x', (v) => A.log(v as never)],
  ['sigmoid', 'x', (v) => A.sigmoid(v as never)],
  ['sum', 'x', (v) => A.sum(v as never)],
  ['softmax', 'x', (v) => A.softmax(v as never)],
  ['logSoftmax', 'x', (v) => A.logSoftmax(v as never)],
  ['matmul', 'b', (v) => A.matmul(z2(), v as never)],
  ['param', 't', (v) => A.param(v as never)],
  ['binaryCrossentropy', 'predictions', (v) => L.binaryCrossentropy([1, 0, 1], v as never)],
  ['binaryCrossentropy', 'targets', (v) => L.binaryCrossentropy(v as never, x())],
  ['sigmoidCrossEntropyWithLogits', 'logits', (v) => L.sigmoidCrossEntropyWithLogits([1, 0, 1], v as never)],
  ['categoricalCrossentropy', 'targets', (v) => L.categoricalCrossentropy(v as never, [[0.2, 0.8]])],
  ['softmaxCrossEntropyWithLogits', 'logits', (v) => L.softmaxCrossEntropyWithLogits([[0, 1]], v as never)],
  ['sparseSoftmaxCrossEntropyWithLogits', 'targets', (v) => L.sparseSoftmaxCrossEntropyWithLogits(v as never, z2())],
  ['sparseCategoricalCrossentropy', 'predictions', (v) => L.sparseCategoricalCrossentropy([0, 1], v as never)],
  ['multiLabelCrossEntropy', 'targets', (v) => L.multiLabelCrossEntropy(v as never, z2())],
  ['crossEntropy', 'predictions', (v) => L.crossEntropy([[0.5, 0.5]], v as never)],
  ['klDivergence', 'targets', (v) => L.klDivergence(v as never, [[0.5, 0.5]])],
  ['binaryFocalCrossentropy', 'predictions', (v) => L.binaryFocalCrossentropy([1, 0, 1], v as never)],
];

describe.each(CALLS)('%s(%s = a bad value)', (name, _arg, call) => {
  it.each(BAD)('%s is refused with its type', (_label, v, type) => {
    refuses(() => call(v), undefined, new RegExp(`^${name}`), type);
  });
});

describe('a bad entry inside an array is named with its position', () => {
  const ENTRIES: [string, unknown][] = [
    ['a string', 'x'],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', false],
    ['a bigint', 1n],
    ['an object', {}],
  ];
  it.each(ENTRIES)('tensor([[1, 2], [3, %s]])', (_label, v) => {
    refuses(
      () =>
        T.tensor([
          [1, 2],
          [3, v],
        ] as never),
      'INVALID_ARGUMENT',
      'values[1][1]',
    );
  });
  it.each(ENTRIES)('sparse labels [0, %s]', (_label, v) => {
    refuses(() => L.sparseSoftmaxCrossEntropyWithLogits([0, v] as never, z2()), 'INVALID_ARGUMENT', 'targets[1]');
  });
  it.each(ENTRIES)('logits with %s inside', (_label, v) => {
    refuses(() => L.softmaxCrossEntropyWithLogits([[1, 0]], [[0, v]] as never), 'INVALID_ARGUMENT', 'logits[0][1]');
  });
  it.each(ENTRIES)('an op constant [1, %s]', (_label, v) => {
    refuses(() => A.add(x(), [1, v, 2] as never), 'INVALID_ARGUMENT', 'add', '[1]');
  });
  it('a hole in sparse labels', () => {
    const labels = [0, 1];
    delete labels[0];
    refuses(() => L.sparseSoftmaxCrossEntropyWithLogits(labels, z2()), 'INVALID_ARGUMENT', 'targets[0]', 'hole');
  });
});

describe('typed arrays and views', () => {
  it('BigInt64Array labels are refused with the conversion', () => {
    refuses(
      () => L.sparseSoftmaxCrossEntropyWithLogits(new BigInt64Array([0n, 1n]) as never, z2()),
      'INVALID_ARGUMENT',
      'BigInt64Array',
      'Number',
    );
  });
  it('a DataView is refused', () => {
    refuses(() => A.mul(new DataView(new ArrayBuffer(24)) as never, 2), 'INVALID_ARGUMENT', 'DataView');
  });
  it('Uint8Array labels are read by value', () => {
    const loss = L.sparseSoftmaxCrossEntropyWithLogits(new Uint8Array([2, 0]) as never, z2(), { reduction: 'none' });
    const ref = [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, Math.log(1 + Math.exp(-1) + Math.exp(1)) - 0];
    expect(Math.abs(loss.values()[0] - ref[0])).toBeLessThan(1e-12);
    expect(Math.abs(loss.values()[1] - ref[1])).toBeLessThan(1e-12);
  });
  it('Float32Array rows nest', () => {
    const t = T.tensor([new Float32Array([1, 2]), new Float32Array([3, 4])] as never);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('dtypes and sizes', () => {
  it.each(['float16', 'int64', 'bfloat16', 'uint8', 'float', 'double'])('dtype %s is a DTYPE error', (d) => {
    refuses(() => T.zeros([2], d as never), 'DTYPE', `'${d}'`);
    refuses(() => T.tensor([1], { dtype: d as never }), 'DTYPE', `'${d}'`);
  });
  it.each([
    ['zeros([2, 1e10])', () => T.zeros([2, 1e10])],
    ['ones([1e9])', () => T.ones([1e9])],
    ['arange(0, Infinity)', () => T.arange(0, Infinity)],
    ['arange(0, 1e10)', () => T.arange(0, 1e10)],
    ['full([-1], 0)', () => T.full([-1], 0)],
    ['zeros([NaN])', () => T.zeros([NaN])],
    ['eye(1.5)', () => T.eye(1.5)],
    ['randn([3], 1, { std: NaN })', () => T.randn([3], 1, { std: NaN })],
  ])('%s names the argument and the limit', (_what, f) => {
    refuses(f, 'INVALID_ARGUMENT');
  });
  it('20,000-deep nested arrays stop at the rank limit', () => {
    let v: unknown = [0];
    for (let i = 0; i < 20_000; i++) v = [v];
    refuses(() => A.exp(v as never), 'INVALID_ARGUMENT', '32');
  });
  it.each([NaN, Infinity, 0.5, 2 ** 31])('int32 refuses %s instead of storing another label', (v) => {
    refuses(() => T.tensor([v], { dtype: 'int32' }), 'INVALID_ARGUMENT', 'int32');
  });
});
