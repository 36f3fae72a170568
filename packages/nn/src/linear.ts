// Linear: y = x·Wᵀ + b, with W of shape [out, in] and b of shape [out] —
// torch.nn.Linear's layout, so its state dict loads into PyTorch unchanged.
//
//   x [..., in] → y [..., out],   yᵢⱼ = Σₖ xᵢₖ·Wⱼₖ + bⱼ
//   ∂L/∂W = (∂L/∂y)ᵀ·x,   ∂L/∂b = Σᵢ ∂L/∂yᵢ,   ∂L/∂x = ∂L/∂y·W   (autograd derives them)
import { MAX_ELEMENTS, Rng, Tensor, XentError, readFlat, zeros } from '@xent/tensor';
import { checkArgCount, describe, parseOptions, sameShape, type OptionsOf } from '@xent/tensor/internal';
import { add, matmul, param, reshape, toTensor, transpose, type Input } from '@xent/autograd';
import { INITIALIZERS, LAYER_OPTIONS } from './init.js';
import { FORWARD_CALL, Module } from './module.js';

const LINEAR_SCHEMA = LAYER_OPTIONS;

/** Options of Linear: bias (default true), init (default 'glorotUniform'; the bias starts at zero), rng (default new Rng(0)), dtype. */
export type LinearOptions = OptionsOf<typeof LINEAR_SCHEMA>;

/** Checks a whole number ≥ 1 (a layer size). */
export function checkSize(owner: string, what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${what} is ${typeof n === 'number' ? n : describe(n)}; pass a whole number ≥ 1.`);
  }
  return n;
}

/** Checks that a weight [out, in] fits in one tensor (at most MAX_ELEMENTS values). */
export function checkWeightSize(owner: string, inFeatures: number, outFeatures: number): void {
  if (inFeatures * outFeatures > MAX_ELEMENTS) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: a weight of ${outFeatures}×${inFeatures} = ${inFeatures * outFeatures} values is more than the ${MAX_ELEMENTS} one tensor may hold; use smaller layers.`,
    );
  }
}

/** Refuses an initialiser's result that is not a finite tensor of the weight's shape and dtype (NaN weights train to NaN, silently). */
function checkInitialWeight(w: unknown, shape: [number, number], dtype: string): asserts w is Tensor {
  const want = `a Tensor of shape [${shape.join(', ')}] and dtype ${dtype}`;
  if (!(w instanceof Tensor) || w.dtype !== dtype || !sameShape(w.shape, shape)) {
    const got = w instanceof Tensor ? `shape [${w.shape.join(', ')}] ${w.dtype}` : describe(w);
    throw new XentError('INVALID_OPTION', `Linear: the initialiser returned ${got}; it must return ${want}.`);
  }
  const values = readFlat(w);
  const i = values.findIndex((v) => !Number.isFinite(v));
  if (i >= 0)
    throw new XentError(
      'INVALID_OPTION',
      `Linear: the initialiser returned ${values[i]} at flat index ${i}; it must return finite values (check its scale).`,
    );
}

/**
 * Runs `draw`, and if it throws puts `rng` back where it was: a refused layer (an initialiser that
 * returns a wrong shape, or throws, after drawing) must not advance the caller's generator.
 */
export function keepRngOnFailure<T>(rng: Rng, draw: () => T): T {
  const saved = rng['state']; // Rng's whole position is its private 32-bit state (bracket access: ours, in @xent/tensor)
  try {
    return draw();
  } catch (e) {
    rng['state'] = saved;
    throw e;
  }
}

/** A fully connected layer y = x·Wᵀ + b (weight [out, in], bias [out]). */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  /**
   * `new Linear(inFeatures, outFeatures, { bias = true, init = 'glorotUniform', rng, dtype })`.
   * A size that is not a whole number ≥ 1, a weight larger than one tensor may hold, an unknown
   * option or initialiser, or an initialiser that returns anything but finite values of shape
   * [out, in] and the layer's dtype is an XentError.
   */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkArgCount('Linear', arguments.length, 3, "pass every option in the options, e.g. { bias: false, init: 'heUniform' }");
    this.inFeatures = checkSize('Linear', 'inFeatures', inFeatures);
    this.outFeatures = checkSize('Linear', 'outFeatures', outFeatures);
    checkWeightSize('Linear', inFeatures, outFeatures);
    const o = parseOptions('Linear', options, LINEAR_SCHEMA);
    const dtype = o.dtype;
    const rng = o.rng ?? new Rng(0);
    const w = keepRngOnFailure(rng, () => {
      const drawn: unknown = (o.init ?? INITIALIZERS.glorotUniform)([outFeatures, inFeatures], rng, dtype);
      checkInitialWeight(drawn, [outFeatures, inFeatures], dtype);
      return drawn;
    });
    this.registerParameter('weight', param(w, 'weight'));
    if (o.bias) this.registerParameter('bias', param(zeros([outFeatures], dtype), 'bias'));
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
  forward(input: Input): Tensor {
    checkArgCount('Linear.forward', arguments.length, 1, FORWARD_CALL);
    const x = toTensor(input, 'Linear.forward', 'x');
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
