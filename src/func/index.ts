// torch.func: composable function transforms.
export { vmap, type VmapOptions, type InDims } from './vmap.js';
export { grad, gradAndValue, vjp, type GradOptions, type VjpFn } from './grad.js';
export { jvp, linearize, type JvpOptions } from './jvp.js';
export { jacrev, jacfwd, hessian, type JacOptions } from './jacobian.js';
export { functionalize } from './functionalize.js';
export { functionalCall, stackModuleState, replaceAllBatchNormModules_, type ModuleLike, type FunctionalCallOptions } from './functional_call.js';
