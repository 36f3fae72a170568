// The built-in ops, registered from this one explicit list (tfjs's register_all_gradients).
import { registerOp, type AnyOpDef } from '../op.js';
import { addOp, divOp, mulOp, powOp, subOp, whereOp } from './arithmetic.js';
import { matmulOp } from './matmul.js';
import { logSoftmaxOp, logSumExpOp, maxOp, meanOp, softmaxOp, sumOp } from './reduce.js';
import { broadcastToOp, concatOp, expandDimsOp, gatherOp, reshapeOp, squeezeOp, transposeOp } from './shape.js';
import { sigmoidCrossEntropyWithLogitsOp } from './sigmoidCrossEntropy.js';
import { softmaxCrossEntropyWithLogitsOp } from './softmaxCrossEntropy.js';
import { sparseSoftmaxCrossEntropyWithLogitsOp } from './sparseSoftmaxCrossEntropy.js';
import { absOp, clipOp, expOp, log1pOp, logOp, negOp, reluOp, sigmoidOp, softplusOp, sqrtOp, squareOp, tanhOp } from './unary.js';

export const BUILTIN_OPS: readonly AnyOpDef[] = [
  // arithmetic (broadcasting)
  addOp,
  subOp,
  mulOp,
  divOp,
  powOp,
  whereOp,
  // elementwise
  negOp,
  expOp,
  logOp,
  log1pOp,
  sqrtOp,
  squareOp,
  absOp,
  sigmoidOp,
  tanhOp,
  reluOp,
  softplusOp,
  clipOp,
  // reductions and the softmax family
  sumOp,
  meanOp,
  maxOp,
  logSumExpOp,
  softmaxOp,
  logSoftmaxOp,
  // shapes
  reshapeOp,
  transposeOp,
  broadcastToOp,
  expandDimsOp,
  squeezeOp,
  gatherOp,
  concatOp,
  // linear algebra
  matmulOp,
  // fused cross entropies with analytic gradients
  softmaxCrossEntropyWithLogitsOp,
  sparseSoftmaxCrossEntropyWithLogitsOp,
  sigmoidCrossEntropyWithLogitsOp,
];

for (const op of BUILTIN_OPS) registerOp(op);
