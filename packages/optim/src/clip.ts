// Gradient clipping by global norm — PyTorch's torch.nn.utils.clip_grad_norm_:
//
//   total = ‖(g₁, g₂, …, g_k)‖_p      (the p-norm of all gradients as one vector;
//                                       p = 2 by default, p = Infinity: max |g|)
//   c     = maxNorm / (total + 1e-6)
//   if c < 1:  g_i ← c · g_i for every i (a new tensor each; gradients are never written in place)
//
// and returns `total`, the norm before clipping. The norm is computed as M·s with M = max |g| and
// s = ‖g/M‖_p, so huge or tiny gradients neither overflow nor underflow on the way; when M·s itself
// is past the float range (two gradients of 1.5e308), `total` is Infinity and each g is scaled as
// (g/M)·(maxNorm/s), the same c without forming it (PyTorch's c = maxNorm/∞ = 0 zeroes them all). Parameters whose .grad is null
// are skipped; a parameter listed twice is refused (as by the optimizers: PyTorch
// would count its gradient twice and scale it twice). Unlike PyTorch's default
// (which lets NaN spread into every gradient), a NaN or infinite gradient throws
// 'NON_FINITE_GRADIENT' naming the parameter, and no gradient is changed.
import { Tensor, XentError, fromFlat, type TypedArray } from '@xent/tensor';
import { allocate, checkArgCount, checkOption, numberOption, parseOptions, requiredOption, type OptionsOf } from '@xent/tensor/internal';
import { checkListedOnce, readGrads } from './params.js';

const MAX_NORM = requiredOption(numberOption(0, '[0, ∞)'), 'pass the largest allowed global norm, e.g. clipGradNorm(params, 1.0)');
const CLIP_SCHEMA = {
  /** The p of the p-norm: a number > 0 or Infinity (default 2). */
  normType: numberOption(2, '(0, ∞]', 'use normType: 2 (the default), 1, or Infinity'),
};
/** Options of clipGradNorm: which p-norm measures the gradients. */
export type ClipGradNormOptions = OptionsOf<typeof CLIP_SCHEMA>;

/**
 * ‖x‖_p over several arrays as the pair (M, s), ‖x‖_p = M·s with M = max |x| and s = ‖x/M‖_p ∈ [1, n^(1/p)]:
 * huge or tiny values neither overflow nor underflow (only the product M·s may).
 */
function globalNorm(arrays: readonly TypedArray[], p: number): { maxAbs: number; scaled: number } {
  let maxAbs = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i]));
  if (p === Infinity || maxAbs === 0) return { maxAbs, scaled: 1 };
  let acc = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const r = Math.abs(a[i]) / maxAbs;
      acc += p === 2 ? r * r : p === 1 ? r : r ** p;
    }
  }
  return { maxAbs, scaled: p === 2 ? Math.sqrt(acc) : p === 1 ? acc : acc ** (1 / p) };
}

/**
 * Scales the gradients of `params` (each replaced by a scaled copy) so that their global p-norm is at
 * most `maxNorm` (see the file header); returns the norm they had before (Infinity when that norm is past
 * the float range; the gradients are then still scaled to maxNorm).
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const owner = 'clipGradNorm';
  checkArgCount(
    owner,
    arguments.length,
    3,
    'pass (params, maxNorm, { normType }), e.g. clipGradNorm(model.parameters(), 1.0, { normType: 2 })',
  );
  const list = params instanceof Tensor ? [params] : params != null && typeof params[Symbol.iterator] === 'function' ? [...params] : null;
  if (list === null) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: params must be a parameter or an array of parameters (tensors with a .grad), got ${String(params)}.`,
    );
  }
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: params[${i}] is not a Tensor (got ${typeof p}); pass the tensors made with param().`,
      );
    }
  });
  checkListedOnce(owner, list, 'its gradient would count twice in the norm');
  checkOption(owner, 'maxNorm', maxNorm, MAX_NORM);
  const { normType } = parseOptions(owner, options, CLIP_SCHEMA);

  const flats = readGrads(owner, list, 'no gradient was changed');
  const present = flats.filter((g): g is TypedArray => g !== null);
  const { maxAbs, scaled: s } = globalNorm(present, normType);
  const total = maxAbs * s;
  const coef = maxNorm / (total + 1e-6);
  // g·c, or (g/M)·(maxNorm/s) when M·s overflows (then c = maxNorm/∞ would zero every gradient).
  const scale = Number.isFinite(total) ? (x: number) => x * coef : (x: number) => (x / maxAbs) * (maxNorm / s);
  if (coef < 1) {
    // A gradient tensor shared by several parameters is scaled once.
    const scaled = new Map<Tensor, Tensor>();
    list.forEach((param, i) => {
      const g = param.grad;
      const flat = flats[i];
      if (g === null || flat === null) return;
      const seen = scaled.get(g);
      if (seen !== undefined) {
        param.grad = seen;
        return;
      }
      // A new, scaled gradient: gradients are tensors like any other and are
      // never written in place (one may share memory with a saved buffer of the graph).
      const out = allocate(g.dtype, flat.length);
      for (let k = 0; k < flat.length; k++) out[k] = scale(flat[k]);
      param.grad = fromFlat(out, g.shape);
      scaled.set(g, param.grad);
    });
  }
  return total;
}
