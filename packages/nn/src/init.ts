// Weight initialisers, seeded by an Rng from @xent/tensor. For a weight of
// shape [out, in] (PyTorch's Linear layout) fanIn = in and fanOut = out:
//
//   glorotUniform  U(−a, a),  a = √(6 / (fanIn + fanOut))     (Glorot & Bengio 2010; Keras' default)
//   glorotNormal   N(0, σ²),  σ = √(2 / (fanIn + fanOut))     (torch.nn.init.xavier_normal_)
//   heUniform      U(−a, a),  a = √(6 / fanIn)                (He et al. 2015, for ReLU)
//   heNormal       N(0, σ²),  σ = √(2 / fanIn)                (torch.nn.init.kaiming_normal_)
//   zeros          0
import { Rng, XentError, rand, randn, zeros, type Tensor } from '@xent/tensor';
import {
  booleanOption,
  checkArgCount,
  checkShape,
  choiceOption,
  customOption,
  describe,
  fmtShape,
  formatValue,
} from '@xent/tensor/internal';

/** The float dtypes a parameter can have. */
export type FloatDType = 'float64' | 'float32';

/** Makes a tensor of `shape` ([out, in] for a weight, [out] for a bias), drawing from `rng`. */
export type Initializer = (shape: readonly number[], rng: Rng, dtype: FloatDType) => Tensor;

/** The initialisers by name (the `init` option of Linear and MLP takes a name or a function). */
export type InitName = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'zeros';

/** fanIn and fanOut of a shape: [out, in] → (in, out); a vector [n] → (n, n). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  checkArgCount('fans', arguments.length, 1, 'pass the shape only, e.g. fans([out, in])');
  return fansOf(shape, 'fans');
}

/** fans, with `where` (the function called) naming the refusal of a shape without fans. */
function fansOf(shape: readonly number[], where: string): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape))
    throw new XentError('INVALID_ARGUMENT', `${where}: shape is ${describe(shape)}; pass [out, in] with whole sizes ≥ 1.`);
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new XentError('INVALID_ARGUMENT', `${where}: shape ${fmtShape(shape)} has no fans; pass [out, in] with whole sizes ≥ 1.`);
  }
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  // [out, in, ...rest]: every trailing axis counts into both fans (a convolution's receptive field).
  const field = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * field, fanOut: shape[0] * field };
}

/** An Rng as given, or a new Rng(seed) for a whole-number seed (as rand and randn take); undefined for anything else. */
function asRng(v: unknown): Rng | undefined {
  return v instanceof Rng ? v : typeof v === 'number' && Number.isSafeInteger(v) ? new Rng(v) : undefined;
}

/** A built-in initialiser: an Initializer that also takes a whole-number seed for rng (as rand does) and defaults dtype to 'float64'. */
type SeededInitializer = (shape: readonly number[], rng: Rng | number, dtype?: FloatDType) => Tensor;

/**
 * The initialiser `name`: its arguments are checked under its own name (a refusal from the rand or randn
 * it draws with would name those instead), then `draw` makes the tensor.
 */
function initializer(
  name: string,
  draw: (shape: readonly number[], rng: Rng, dtype: FloatDType, f: { fanIn: number; fanOut: number }) => Tensor,
): SeededInitializer {
  const init: SeededInitializer = function (shape, rng, given) {
    const dtype = given ?? 'float64';
    checkArgCount(name, arguments.length, 3, `pass (shape, rng, dtype), e.g. ${name}([out, in], new Rng(0), 'float64')`);
    checkShape(shape, name); // at most MAX_RANK axes and MAX_ELEMENTS values
    const f = fansOf(shape, name);
    const g = asRng(rng);
    if (g === undefined) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${name}: rng is ${describe(rng)}; pass an Rng or a whole-number seed, e.g. new Rng(42) or 42.`,
      );
    }
    if (dtype !== 'float64' && dtype !== 'float32') {
      throw new XentError('DTYPE', `${name}: dtype is ${formatValue(dtype)}; weights are floats — pass 'float64' (default) or 'float32'.`);
    }
    return draw(shape, g, dtype, f);
  };
  return Object.defineProperty(init, 'name', { value: name }); // glorotUniform.name is 'glorotUniform', as a declared function's
}

/** U(−a, a) with a = √(6 / (fanIn + fanOut)); rng an Rng or a seed. */
export const glorotUniform = initializer('glorotUniform', (shape, rng, dtype, { fanIn, fanOut }) => {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return rand(shape, rng, { lo: -a, hi: a, dtype });
});

/** N(0, σ²) with σ = √(2 / (fanIn + fanOut)); rng an Rng or a seed. */
export const glorotNormal = initializer('glorotNormal', (shape, rng, dtype, { fanIn, fanOut }) =>
  randn(shape, rng, { std: Math.sqrt(2 / (fanIn + fanOut)), dtype }),
);

/** U(−a, a) with a = √(6 / fanIn); rng an Rng or a seed. */
export const heUniform = initializer('heUniform', (shape, rng, dtype, { fanIn }) => {
  const a = Math.sqrt(6 / fanIn);
  return rand(shape, rng, { lo: -a, hi: a, dtype });
});

/** N(0, σ²) with σ = √(2 / fanIn); rng an Rng or a seed. */
export const heNormal = initializer('heNormal', (shape, rng, dtype, { fanIn }) => randn(shape, rng, { std: Math.sqrt(2 / fanIn), dtype }));

/** All zeros (draws nothing from the rng, which is still checked). */
export const zerosInit = initializer('zerosInit', (shape, _rng, dtype) => zeros(shape, dtype));

/** The initialisers by name. */
export const INITIALIZERS: Readonly<Record<InitName, Initializer>> = {
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  zeros: zerosInit,
};

const isInitializer = (v: unknown): v is Initializer => typeof v === 'function';
const isInitName = (v: unknown): v is InitName => typeof v === 'string' && Object.hasOwn(INITIALIZERS, v);

/** The options of Linear and MLP, each declared once; rng and init are undefined when not given. */
export const LAYER_OPTIONS = {
  /** The weight initialiser: a name or a function (shape, rng, dtype) => Tensor. */
  init: customOption<InitName | Initializer, Initializer | undefined>(undefined, (v, fail) =>
    isInitializer(v)
      ? v
      : isInitName(v)
        ? INITIALIZERS[v]
        : fail(`one of ${Object.keys(INITIALIZERS).join(', ')} or a function (shape, rng, dtype) => Tensor`),
  ),
  /** The generator the initialiser draws from: an Rng, or a whole-number seed for a new Rng(seed) (default a fresh new Rng(0)). */
  rng: customOption<Rng | number, Rng | undefined>(
    undefined,
    (v, fail) => asRng(v) ?? fail('an Rng from @xent/tensor or a whole-number seed (as rand takes), e.g. new Rng(42) or 42'),
  ),
  /** 'float64' (default) or 'float32'. */
  dtype: choiceOption<FloatDType>(['float64', 'float32'], 'float64'),
  /** Add a learned bias (default true). */
  bias: booleanOption(true),
};
