// Poly-1 cross entropy with logits (Leng et al. 2022, "PolyLoss"; optax poly_loss_cross_entropy),
// per example along the class axis, with q = softmax(z):
//   ℓ = −Σ_c P_c log q_c + ε·Σ_c P_c (1 − q_c)          (ε = polyEpsilon, any real; default 2)
//   d/dz = (Σ_c P_c)·q − P + ε·q⊙(pt − P),   pt = Σ_c P_c q_c     (the fused op of @xent/autograd)
// P are the targets after label smoothing and class weights, as in softmaxCrossEntropyWithLogits,
// so ε = 0 is exactly that loss; the options are its options plus polyEpsilon.
import { polyCrossEntropyWithLogits as fusedPoly } from '@xent/autograd';
import { type Tensor, type TensorLike } from '@xent/tensor';
import { numberOption, type OptionsOf } from '@xent/tensor/internal';
import { distributionTargetLoss, softmaxSchema } from './categoricalCrossEntropy.js';
import { lossOptions } from './options.js';
import { noExtraArguments } from './validate.js';

const polyEpsilon = numberOption(2, '(−∞, ∞)', 'the weight of Σ P(1 − softmax(z)), default 2');
const parse = lossOptions('polyCrossEntropyWithLogits', { ...softmaxSchema, polyEpsilon });

/** Options of polyCrossEntropyWithLogits: polyEpsilon (ε, any finite real, default 2) and those of softmaxCrossEntropyWithLogits. */
export type PolyCrossEntropyOptions = OptionsOf<typeof parse.schema>;

/**
 * Poly-1 cross entropy: per example −Σ_c y_c log softmax(z)_c + ε·Σ_c y_c(1 − softmax(z)_c) for
 * distribution targets y (one-hot or soft) and logits z, through one fused op with its analytic
 * gradient. Throws SHAPE_MISMATCH, SINGLE_CLASS_SOFTMAX, NOT_DISTRIBUTION, DTYPE, INVALID_OPTION.
 */
export function polyCrossEntropyWithLogits(targets: TensorLike, logits: TensorLike, options?: PolyCrossEntropyOptions): Tensor {
  noExtraArguments('polyCrossEntropyWithLogits', arguments.length);
  const { polyEpsilon, ...o } = parse(options);
  const poly = { values: (P: Tensor, z: Tensor) => fusedPoly(P, z, { polyEpsilon }) };
  return distributionTargetLoss('polyCrossEntropyWithLogits', targets, logits, { ...o, fromLogits: true, epsilon: 0 }, poly);
}
