// torch.optim: stateful optimizers (in-place updates under noGrad), learning-rate schedulers, and
// `functional`, the pure gradient transformations that compose with torch.func.
export {
  Optimizer, type BaseOptions, type ParamGroup, type ParamGroupSpec, type ParamsArg, type ParamState,
  type OptimizerStateDict, type GroupExtras, type Closure,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR, SequentialLR,
  type StepLROptions, type MultiStepLROptions, type ExponentialLROptions, type CosineAnnealingLROptions,
  type LinearLROptions, type OneCycleLROptions, type SequentialLROptions,
} from './lr_scheduler.js';
/** torch.optim.lr_scheduler. @example new optim.lrScheduler.StepLR(opt, { stepSize: 10 }) */
export * as lrScheduler from './lr_scheduler.js';
export * as functional from './functional/index.js';
