// @xent/autograd: a tape-based reverse-mode autograd. Ops and their gradients
// enter through one registry; the fused cross-entropy ops live there too.
import './ops/index.js';
import './methods.js';

export { type OpDef, type BackwardContext, type ForwardContext, type AnyOpDef, registerOp, getOp, listOps } from './op.js';
export { defineOp, type OpFunction } from './define.js';
export { type Input, toTensor } from './convert.js';
export { type Node, type GradientsOptions, applyOp, gradients, backward, noGrad, enableGrad, isGradEnabled } from './engine.js';
export { param, detach, zeroGrad, grad, valueAndGrad, type ValueAndGrad, type GradOptions } from './api.js';
export { BUILTIN_OPS } from './ops/index.js';
export { add, sub, mul, div, pow, where } from './ops/arithmetic.js';
export { neg, exp, log, log1p, sqrt, square, abs, sigmoid, tanh, relu, softplus, clip } from './ops/unary.js';
export { sum, mean, max, logSumExp, softmax, logSoftmax, type ReduceOptions } from './ops/reduce.js';
export { reshape, transpose, broadcastTo, expandDims, squeeze, gather, concat } from './ops/shape.js';
export { matmul } from './ops/matmul.js';
export { softmaxCrossEntropyWithLogits } from './ops/softmaxCrossEntropy.js';
export { sparseSoftmaxCrossEntropyWithLogits, type SparseAttrs } from './ops/sparseSoftmaxCrossEntropy.js';
export { sigmoidCrossEntropyWithLogits, type SigmoidAttrs } from './ops/sigmoidCrossEntropy.js';
export { gradCheck, directionalGradCheck, type GradCheckOptions, type GradCheckResult } from './gradcheck.js';
export { graphTable, toDot, type GraphOptions } from './graph.js';
