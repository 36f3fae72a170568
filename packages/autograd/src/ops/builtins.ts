// The built-in ops: one typed table (tfjs's register_all_gradients list). The registry
// entries (registerBuiltins in index.ts) and the Tensor methods (methods.ts) are derived
// from it; each entry is the op's function, and `.op` its definition.
import { add, div, mul, pow, sub, where } from './arithmetic.js';
import { matmul } from './matmul.js';
import { polyCrossEntropyWithLogits } from './polyCrossEntropy.js';
import { logSoftmax, logSumExp, max, mean, softmax, sum } from './reduce.js';
import { broadcastTo, concat, expandDims, gather, reshape, squeeze, transpose } from './shape.js';
import { sigmoidCrossEntropyWithLogits } from './sigmoidCrossEntropy.js';
import { softmaxCrossEntropyWithLogits } from './softmaxCrossEntropy.js';
import { sparseSoftmaxCrossEntropyWithLogits } from './sparseSoftmaxCrossEntropy.js';
import { abs, clip, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh } from './unary.js';

/** Every built-in op by name: its function, with its OpDef as `.op`. */
export const BUILTINS = {
  // arithmetic (broadcasting)
  add,
  sub,
  mul,
  div,
  pow,
  where,
  // elementwise
  neg,
  exp,
  log,
  log1p,
  sqrt,
  square,
  abs,
  sigmoid,
  tanh,
  relu,
  softplus,
  clip,
  // reductions and the softmax family
  sum,
  mean,
  max,
  logSumExp,
  softmax,
  logSoftmax,
  // shapes
  reshape,
  transpose,
  broadcastTo,
  expandDims,
  squeeze,
  gather,
  concat,
  // linear algebra
  matmul,
  // fused cross entropies with analytic gradients
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  polyCrossEntropyWithLogits,
} as const;

/** The built-ins whose first argument is not "the tensor" (targets, a condition, a list): no Tensor method. */
export const FUNCTION_ONLY = [
  'where',
  'concat',
  'softmaxCrossEntropyWithLogits',
  'sparseSoftmaxCrossEntropyWithLogits',
  'sigmoidCrossEntropyWithLogits',
  'polyCrossEntropyWithLogits',
] as const;
