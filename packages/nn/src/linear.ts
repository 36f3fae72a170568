// Linear: y = x·Wᵀ + b, with W of shape [out, in] and b of shape [out] —
// torch.nn.Linear's layout, so its state dict loads into PyTorch unchanged.
//
//   x [..., in] → y [..., out],   yᵢⱼ = Σₖ xᵢₖ·Wⱼₖ + bⱼ
//   ∂L/∂W = (∂L/∂y)ᵀ·x,   ∂L/∂b = Σᵢ ∂L/∂yᵢ,   ∂L/∂x = ∂L/∂y·W   (autograd derives them)
import { Rng, XentError, zeros, type Tensor } from '@xent/tensor';
import { add, matmul, param, reshape, transpose } from '@xent/autograd';
import { resolveInit, type FloatDType, type InitName, type Initializer } from './init.js';
import { Module } from './module.js';

/** Options of Linear. */
export interface LinearOptions {
  /** Add a learned bias b (default true). */
  bias?: boolean;
  /** The weight initialiser: a name or a function (default 'glorotUniform'). The bias starts at zero. */
  init?: InitName | Initializer;
  /** The generator the initialiser draws from (default new Rng(0)). */
  rng?: Rng;
  /** 'float64' (default) or 'float32'. */
  dtype?: FloatDType;
}

const LINEAR_KEYS = new Set(['bias', 'init', 'rng', 'dtype']);

/** Checks a whole number ≥ 1 (a layer size). */
export function checkSize(owner: string, what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${what} is ${String(n)}; pass a whole number ≥ 1.`);
  }
  return n;
}

/** Checks the option keys and the dtype/rng options shared by Linear and MLP. */
export function checkLayerOptions(owner: string, options: object, keys: ReadonlySet<string>): { dtype: FloatDType; rng: Rng } {
  if (options === null || typeof options !== 'object') {
    throw new XentError('INVALID_OPTION', `${owner}: options must be an object, got ${String(options)}.`);
  }
  for (const k of Object.keys(options)) {
    if (!keys.has(k)) throw new XentError('INVALID_OPTION', `${owner}: unknown option '${k}'; the options are ${[...keys].join(', ')}.`);
  }
  const o = options as { dtype?: unknown; rng?: unknown };
  const dtype = o.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new XentError('INVALID_OPTION', `${owner}: option 'dtype' is ${JSON.stringify(dtype)}; use 'float64' (default) or 'float32'.`);
  }
  const rng = o.rng ?? new Rng(0);
  if (!(rng instanceof Rng))
    throw new XentError('INVALID_OPTION', `${owner}: option 'rng' must be an Rng from @xent/tensor, e.g. new Rng(42).`);
  return { dtype, rng };
}

/** A fully connected layer y = x·Wᵀ + b (weight [out, in], bias [out]). */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  /**
   * `new Linear(inFeatures, outFeatures, { bias = true, init = 'glorotUniform', rng, dtype })`.
   * A size that is not a whole number ≥ 1, an unknown option or initialiser is an XentError.
   */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = checkSize('Linear', 'inFeatures', inFeatures);
    this.outFeatures = checkSize('Linear', 'outFeatures', outFeatures);
    const { dtype, rng } = checkLayerOptions('Linear', options, LINEAR_KEYS);
    const init = resolveInit('Linear', options.init, 'glorotUniform');
    if (options.bias !== undefined && typeof options.bias !== 'boolean') {
      throw new XentError('INVALID_OPTION', `Linear: option 'bias' is ${String(options.bias)}; use true (default) or false.`);
    }
    const w = init([outFeatures, inFeatures], rng, dtype);
    if (w.dtype !== dtype || w.rank !== 2 || w.shape[0] !== outFeatures || w.shape[1] !== inFeatures) {
      throw new XentError(
        'INVALID_OPTION',
        `Linear: the initialiser returned shape [${w.shape}] ${w.dtype}; it must return [${outFeatures}, ${inFeatures}] ${dtype}.`,
      );
    }
    this.registerParameter('weight', param(w, 'weight'));
    if (options.bias !== false) this.registerParameter('bias', param(zeros([outFeatures], dtype), 'bias'));
  }

  /** W, shape [out, in]. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }

  /** b, shape [out], or null when built with { bias: false }. */
  get bias(): Tensor | null {
    return this.namedParameters().some(([n]) => n === 'bias') ? this.getParameter('bias') : null;
  }

  /** y = x·Wᵀ + b for x of shape [..., in] (a vector [in] gives [out]). */
  forward(x: Tensor): Tensor {
    const shape = x.shape;
    if (shape.length === 0 || shape[shape.length - 1] !== this.inFeatures) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `Linear.forward: the input has shape [${shape.join(', ')}]; its last axis must be inFeatures = ${this.inFeatures}.`,
      );
    }
    // Any leading axes are flattened into one batch axis for the single matmul, then restored.
    const rows = shape.length === 2 ? x : reshape(x, [-1, this.inFeatures]);
    const b = this.bias;
    const y = matmul(rows, transpose(this.weight));
    const out = b === null ? y : add(y, b);
    return shape.length === 2 ? out : reshape(out, [...shape.slice(0, -1), this.outFeatures]);
  }

  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
