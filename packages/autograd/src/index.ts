// @xent/autograd: a tape-based reverse-mode autograd. Ops and their gradients enter
// through one registry; the fused cross-entropy ops live there too (docs/DESIGN.md).
import { BUILTINS } from './ops/builtins.js';
import { registerBuiltins } from './registry.js';
import './methods.js';

registerBuiltins(Object.values(BUILTINS).map((f) => f.op));

export { type OpDef, type BackwardContext, type ForwardContext, type AnyOpDef } from './opDef.js';
export { registerOp, getOp, listOps } from './registry.js';
export { defineOp, checkedApplyOp as applyOp, type OpFunction, type BuiltinOp } from './defineOp.js';
export { type Input, checkedToTensor as toTensor } from './convert.js';
export { type Node, backward } from './engine.js';
export { checkedGradients as gradients } from './transforms.js';
export { type GradientsOptions } from './gradientValues.js';
export { noGrad, enableGrad, isGradEnabled } from './gradMode.js';
export { param, detach, zeroGrad, type ParamOptions } from './params.js';
export { grad, valueAndGrad, type ValueAndGrad, type GradOptions } from './transforms.js';
export { BUILTINS } from './ops/builtins.js';
export { type BuiltinMethods } from './methods.js';
export { add, sub, mul, div, pow, where } from './ops/arithmetic.js';
export { neg, exp, log, log1p, sqrt, square, abs, sigmoid, tanh, relu, softplus, clip } from './ops/unary.js';
export { sum, mean, max, logSumExp, softmax, logSoftmax } from './ops/reduce.js';
export type { ReduceOptions } from '@xent/tensor';
export { reshape, transpose, broadcastTo, expandDims, squeeze, gather, concat } from './ops/shape.js';
export { matmul } from './ops/matmul.js';
export { softmaxCrossEntropyWithLogits } from './ops/softmaxCrossEntropy.js';
export { sparseSoftmaxCrossEntropyWithLogits, type SparseAttrs } from './ops/sparseSoftmaxCrossEntropy.js';
export { sigmoidCrossEntropyWithLogits, type SigmoidAttrs } from './ops/sigmoidCrossEntropy.js';
export { polyCrossEntropyWithLogits, type PolyAttrs } from './ops/polyCrossEntropy.js';
export { gradCheck, directionalGradCheck, type GradCheckOptions, type GradCheckResult } from './gradcheck.js';
export { graphTable, toDot, type GraphOptions } from './printGraph.js';
