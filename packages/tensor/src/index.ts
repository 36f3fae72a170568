// @xent/tensor: n-d tensors on ndarray views, NumPy broadcasting through
// zero-stride views, and the numeric kernels (no gradients) the rest of xent uses.
export { XentError, fmtShape, type XentErrorCode } from './errors.js';
export { sameShape, unravelIndex, fmtIndex } from './layout.js';
export { type DType, type TypedArray, MAX_ELEMENTS, allocate, promote, promoteAll, isFloat } from './dtype.js';
export { DTYPES, MAX_RANK, describe } from './input.js';
export {
  Tensor,
  type GradNode,
  type NestedArray,
  rowMajorStrides,
  isContiguous,
  readFlat,
  fromFlat,
  makeView,
  contiguous,
  clone,
  cast,
  formatTensor,
} from './tensor.js';
export {
  tensor,
  toTensorArg,
  type TensorLike,
  type RandomOptions,
  type TensorOptions,
  full,
  zeros,
  ones,
  zerosLike,
  onesLike,
  eye,
  arange,
  oneHot,
  rand,
  randn,
} from './create.js';
export { Rng } from './random.js';
export {
  normalizeAxis,
  normalizeAxes,
  broadcastShapes,
  broadcastTo,
  sumTo,
  reshape,
  transpose,
  permute,
  invertPermutation,
  expandDims,
  squeeze,
  slice,
  gather,
  concat,
} from './shape.js';
export {
  type Operand,
  neg,
  exp,
  log,
  log1p,
  expm1,
  abs,
  sqrt,
  square,
  reciprocal,
  sign,
  tanh,
  relu,
  sigmoid,
  softplus,
  logSigmoid,
  clip,
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  less,
  greater,
  lessEqual,
  greaterEqual,
  equal,
  notEqual,
  where,
} from './elementwise.js';
export {
  type ReduceOptions,
  type Rows,
  sum,
  mean,
  max,
  min,
  argmax,
  argmin,
  logSumExp,
  softmax,
  logSoftmax,
  toRows,
  fromRows,
  logSumExpRows,
  softmaxRows,
  logSoftmaxRows,
} from './reduce.js';
export { matmul, matmulKernel, type MatrixOperand } from './matmul.js';
export { getBackend, setBackend, type Backend } from './wasm/runtime.js';
export { softmaxCrossEntropyKernel, sparseSoftmaxCrossEntropyKernel, sigmoidCrossEntropyKernel } from './crossEntropyKernels.js';
export { type AllCloseOptions, type CloseReport, compareClose, allClose, maxAbsDiff, toBeAllClose } from './testing.js';
