// @xent/nn: modules on top of @xent/autograd — Module, Linear, Sequential,
// activations, MLP — weight initialisers, the toy 2-D data sets, and
// checkpoints in the safetensors format. Browser-safe: the file helpers
// (saveCheckpoint / loadCheckpoint) live in '@xent/nn/node'.
export { Module, withParameters, assignInPlace, type StateDict, type LoadStateDictOptions } from './module.js';
export {
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  zerosInit,
  fans,
  INITIALIZERS,
  type Initializer,
  type InitName,
  type FloatDType,
} from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export { ReLU, Tanh, Sigmoid, ACTIVATIONS, type ActivationName } from './activations.js';
export { Sequential } from './sequential.js';
export { MLP, type MLPOptions } from './mlp.js';
export {
  makeMoons,
  makeCircles,
  makeSpirals,
  makeXor,
  toyDataset,
  TOY_DATASETS,
  type ToyDataset,
  type ToyDatasetName,
  type ToyOptions,
  type CirclesOptions,
  type SpiralsOptions,
} from './datasets.js';
export {
  toSafetensors,
  fromSafetensors,
  readSafetensors,
  safetensorsMetadata,
  SAFETENSORS_DTYPES,
  MAX_HEADER_BYTES,
  type TensorDict,
} from './safetensors.js';
export {
  packCheckpoint,
  unpackCheckpoint,
  type CheckpointContents,
  type CheckpointTargets,
  type StatefulOptimizer,
  type StatefulScheduler,
} from './checkpoint.js';
