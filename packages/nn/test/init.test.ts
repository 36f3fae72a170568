// The initialisers check their own arguments under their own names (glorotUniform([2, 3], 'x') said "rand: rng
// is …", a function the user never called), refuse an argument past the third (JavaScript would drop it), and
// Linear and MLP take a seed for rng as rand and randn do (it was refused: "it must be an Rng").
import { describe, expect, it } from 'vitest';
import { Rng, rand, randn, type Tensor } from '@xent/tensor';
import { Linear, MLP, fans, glorotNormal, glorotUniform, heNormal, heUniform, zerosInit } from '@xent/nn';
import { callWith, expectXentError } from '../../../test/utils.js';

const INITS = { glorotUniform, glorotNormal, heUniform, heNormal, zerosInit };

describe('the initialisers name themselves in their refusals', () => {
  it.each(Object.entries(INITS))('%s', (name, init) => {
    expectXentError(
      callWith(init, [2, 3], 'x', 'float64'),
      'INVALID_ARGUMENT',
      `${name}: rng is a string ("x"); pass an Rng or a whole-number seed, e.g. new Rng(42) or 42.`,
    );
    expectXentError(callWith(init, [2, 3], 1.5, 'float64'), 'INVALID_ARGUMENT', `${name}: rng is the number 1.5;`);
    expectXentError(
      callWith(init, [2, 3], new Rng(0), 'int32'),
      'DTYPE',
      `${name}: dtype is 'int32'; weights are floats — pass 'float64' (default) or 'float32'.`,
    );
    expectXentError(
      callWith(init, [1e5, 1e5], new Rng(0), 'float64'),
      'INVALID_ARGUMENT',
      `${name}: shape [100000, 100000] holds 10000000000 elements; the limit is 268435456`,
    );
    expectXentError(
      callWith(init, [0, 2], new Rng(0), 'float64'),
      'INVALID_ARGUMENT',
      `${name}: shape [0, 2] has no fans; pass [out, in] with whole sizes ≥ 1.`,
    );
    expectXentError(
      callWith(init, [2, 3], new Rng(0), 'float64', 0.5),
      'INVALID_ARGUMENT',
      `${name}: takes at most 3 arguments, got 4; pass (shape, rng, dtype), e.g. ${name}([out, in], new Rng(0), 'float64').`,
    );
  });
  it('each has its own name and three parameters, as before it checked its arguments', () => {
    for (const [name, init] of Object.entries(INITS)) expect([init.name, init.length]).toEqual([name, 3]);
  });
  it('a refused call draws nothing from the rng', () => {
    const rng = new Rng(3);
    expect(callWith(glorotUniform, [2, 3], rng, 'int32')).toThrow();
    expect(rng.next()).toBe(new Rng(3).next());
  });
  it('fans names fans, and takes the shape only', () => {
    expectXentError(callWith(fans, null), 'INVALID_ARGUMENT', 'fans: shape is null; pass [out, in] with whole sizes ≥ 1.');
    expectXentError(
      callWith(fans, [3, 5], [2]),
      'INVALID_ARGUMENT',
      'fans: takes at most 1 argument, got 2; pass the shape only, e.g. fans([out, in]).',
    );
    expect(fans([3, 5])).toEqual({ fanIn: 5, fanOut: 3 });
  });
});

describe('a seed for rng, as rand and randn take', () => {
  const a = Math.sqrt(6 / (3 + 2)); // glorot for [2, 3]
  it('an initialiser given a seed draws what rand/randn draw from that seed', () => {
    expect(glorotUniform([2, 3], 7).toArray()).toEqual(rand([2, 3], 7, { lo: -a, hi: a }).toArray());
    expect(heNormal([2, 3], 7, 'float32').toArray()).toEqual(randn([2, 3], 7, { std: Math.sqrt(2 / 3), dtype: 'float32' }).toArray());
    expect(glorotUniform([2, 3], 7).dtype).toBe('float64');
  });
  it('Linear: rng: 7 gives the weights of rng: new Rng(7), of rand with seed 7', () => {
    const w = new Linear(3, 2, { rng: 7 }).weight.toArray();
    expect(w).toEqual(new Linear(3, 2, { rng: new Rng(7) }).weight.toArray());
    expect(w).toEqual(rand([2, 3], 7, { lo: -a, hi: a }).toArray());
    expect(w).not.toEqual(new Linear(3, 2, { rng: 8 }).weight.toArray());
  });
  it('MLP: one generator from the seed for every layer, in order', () => {
    const weights = (m: MLP) => m.parameters().map((p: Tensor) => p.toArray());
    expect(weights(new MLP([3, 4, 2], { rng: 11 }))).toEqual(weights(new MLP([3, 4, 2], { rng: new Rng(11) })));
  });
  it('a seed that is not a whole number is still refused, naming the layer', () => {
    expectXentError(
      () => new Linear(3, 2, { rng: 1.5 }),
      'INVALID_OPTION',
      "Linear: option 'rng' is 1.5; it must be an Rng from @xent/tensor or a whole-number seed (as rand takes), e.g. new Rng(42) or 42.",
    );
    expectXentError(() => new MLP([3, 2], { rng: '7' as never }), 'INVALID_OPTION', "MLP: option 'rng' is '7'");
  });
});
