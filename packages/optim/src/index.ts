// @xent/optim: optimizers that update the leaves made by param() in place —
// SGD (momentum, Nesterov, weight decay), Adam, AdamW — their update rules as
// plain functions over typed arrays, learning-rate schedules, and gradient
// clipping by global norm. Shapes follow torch.optim.
export { Optimizer } from './optimizer.js';
export { SGD, sgdUpdate, type SGDOptions, type SGDHyper, type SGDState } from './sgd.js';
export {
  Adam,
  AdamW,
  adamUpdate,
  adamwUpdate,
  adamState,
  type AdamOptions,
  type AdamWOptions,
  type AdamHyper,
  type AdamState,
} from './adam.js';
export { LRScheduler, StepLR, CosineAnnealingLR, type LrTarget, type StepLROptions, type CosineAnnealingLROptions } from './schedules.js';
export { clipGradNorm, type ClipGradNormOptions } from './clip.js';
export { type FloatArray } from './params.js';
export { type OptimizerStateDict, type SchedulerStateDict, type ParamGroup, type StateValue } from './state.js';
