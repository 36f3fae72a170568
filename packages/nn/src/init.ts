// Weight initialisers, seeded by an Rng from @xent/tensor. For a weight of
// shape [out, in] (PyTorch's Linear layout) fanIn = in and fanOut = out:
//
//   glorotUniform  U(−a, a),  a = √(6 / (fanIn + fanOut))     (Glorot & Bengio 2010; Keras' default)
//   glorotNormal   N(0, σ²),  σ = √(2 / (fanIn + fanOut))     (torch.nn.init.xavier_normal_)
//   heUniform      U(−a, a),  a = √(6 / fanIn)                (He et al. 2015, for ReLU)
//   heNormal       N(0, σ²),  σ = √(2 / fanIn)                (torch.nn.init.kaiming_normal_)
//   zeros          0
import { Rng, XentError, rand, randn, zeros, type Tensor } from '@xent/tensor';
import { booleanOption, choiceOption, customOption, describe, fmtShape } from '@xent/tensor/internal';

/** The float dtypes a parameter can have. */
export type FloatDType = 'float64' | 'float32';

/** Makes a tensor of `shape` ([out, in] for a weight, [out] for a bias), drawing from `rng`. */
export type Initializer = (shape: readonly number[], rng: Rng, dtype: FloatDType) => Tensor;

/** The initialisers by name (the `init` option of Linear and MLP takes a name or a function). */
export type InitName = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'zeros';

/** fanIn and fanOut of a shape: [out, in] → (in, out); a vector [n] → (n, n). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape))
    throw new XentError('INVALID_ARGUMENT', `init: shape is ${describe(shape)}; pass [out, in] with whole sizes ≥ 1.`);
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new XentError('INVALID_ARGUMENT', `init: shape ${fmtShape(shape)} has no fans; pass [out, in] with whole sizes ≥ 1.`);
  }
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  // [out, in, ...rest]: every trailing axis counts into both fans (a convolution's receptive field).
  const field = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * field, fanOut: shape[0] * field };
}

/** U(−a, a) with a = √(6 / (fanIn + fanOut)). */
export const glorotUniform: Initializer = (shape, rng, dtype) => {
  const { fanIn, fanOut } = fans(shape);
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return rand(shape, rng, { lo: -a, hi: a, dtype });
};

/** N(0, σ²) with σ = √(2 / (fanIn + fanOut)). */
export const glorotNormal: Initializer = (shape, rng, dtype) => {
  const { fanIn, fanOut } = fans(shape);
  return randn(shape, rng, { std: Math.sqrt(2 / (fanIn + fanOut)), dtype });
};

/** U(−a, a) with a = √(6 / fanIn). */
export const heUniform: Initializer = (shape, rng, dtype) => {
  const a = Math.sqrt(6 / fans(shape).fanIn);
  return rand(shape, rng, { lo: -a, hi: a, dtype });
};

/** N(0, σ²) with σ = √(2 / fanIn). */
export const heNormal: Initializer = (shape, rng, dtype) => randn(shape, rng, { std: Math.sqrt(2 / fans(shape).fanIn), dtype });

/** All zeros (draws nothing from the rng). */
export const zerosInit: Initializer = (shape, _rng, dtype) => zeros(shape, dtype);

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

/** The options of Linear and MLP (and the toy data sets' rng), each declared once; rng and init are undefined when not given. */
export const LAYER_OPTIONS = {
  /** The weight initialiser: a name or a function (shape, rng, dtype) => Tensor. */
  init: customOption<InitName | Initializer, Initializer | undefined>(undefined, (v, fail) =>
    isInitializer(v)
      ? v
      : isInitName(v)
        ? INITIALIZERS[v]
        : fail(`one of ${Object.keys(INITIALIZERS).join(', ')} or a function (shape, rng, dtype) => Tensor`),
  ),
  /** The generator the initialiser draws from (default a fresh new Rng(0)). */
  rng: customOption<Rng, Rng | undefined>(undefined, (v, fail) =>
    v instanceof Rng ? v : fail('an Rng from @xent/tensor, e.g. new Rng(42)'),
  ),
  /** 'float64' (default) or 'float32'. */
  dtype: choiceOption<FloatDType>(['float64', 'float32'], 'float64'),
  /** Add a learned bias (default true). */
  bias: booleanOption(true),
};
