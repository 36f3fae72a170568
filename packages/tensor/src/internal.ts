// @xent/tensor/internal: the building blocks the other xent packages share, not part of the
// public API (their names and signatures may change between versions): the cross-entropy,
// row and matrix kernels, buffer and view helpers, version counters, message formatters
// and the option validator. Users import from '@xent/tensor'.
export { fmtShape, checkArgCount, SPREAD_FIX } from './errors.js';
export { sameShape, broadcastsTo, unravelIndex, fmtIndex, elementPositions } from './layout.js';
export { allocate, promote, promoteAll, isFloat } from './dtype.js';
export { FLOAT32_MAX, describe, formatValue, checkShape } from './input.js';
export { rowMajorStrides, isContiguous, makeView, formatTensor, clone, cast } from './tensor.js';
export { toTensorArg } from './create.js';
export { normalizeAxis, normalizeAxes, invertPermutation, broadcastTo as broadcastView } from './shape.js'; // broadcastView(t, shape, where) names the caller in its messages
export { type Rows, toRows, fromRows, logSumExpRows, softmaxRows, logSoftmaxRows, keepDimsOf } from './reduce.js';
export { matmulKernel, setParallelMatmul, type MatrixOperand, type ParallelMatmul } from './matmul.js';
export { versionOf, bumpVersion, writeClock, writtenSince, writeInto } from './version.js';
export {
  softmaxCrossEntropyKernel,
  sparseSoftmaxCrossEntropyKernel,
  sigmoidCrossEntropyKernel,
  polyCrossEntropyKernel,
} from './crossEntropyKernels.js';
export { wasmSoftmaxCrossEntropyBackward } from './wasm/crossEntropy.js';
export {
  type OptionSpec,
  type OptionSchema,
  type ParsedOptions,
  type OptionsOf,
  type OptionFail,
  type OptionHints,
  type OptionParser,
  optionFamily,
  customOption,
  booleanOption,
  numberOption,
  choiceOption,
  requiredOption,
  checkOption,
  parseOptions,
} from './options.js';
