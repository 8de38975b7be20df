// optim.functional: pure gradient transformations (optax / torchopt style) that compose with
// func.grad and func.vmap, schedules, applyUpdates and FuncOptimizer.
export type {
  GradientTransformation, Schedule, ScalarOrSchedule, EmptyState, CountState, ScaleByAdamOptions,
  ScaleByAdamState, ScaleByRmsState, ScaleByStddevState, ScaleByRssState, TraceState,
} from './transform.js';
export {
  identity, scale, scaleBySchedule, scaleByLearningRate, addDecayedWeights, scaleByAdam, scaleByRms,
  scaleByStddev, scaleByRss, trace,
} from './transform.js';
export { clip, clipByGlobalNorm, globalNorm } from './clip.js';
export { chain } from './chain.js';
export {
  constantSchedule, linearSchedule, exponentialDecay, cosineDecaySchedule, piecewiseConstantSchedule,
  joinSchedules, warmupCosineDecaySchedule,
} from './schedule.js';
export { sgd, adam, adamw, rmsprop, adagrad, type SgdOptions, type AdamOptions, type RmspropOptions, type AdagradOptions } from './alias.js';
export { applyUpdates, vmapDims, type VmapDims } from './update.js';
export { FuncOptimizer, type FuncOptimizerOptions } from './func_optimizer.js';
