// torch.func: composable function transforms.
export { vmap, type VmapOptions, type InDims } from './vmap.js';
export { grad, gradAndValue, vjp, type GradOptions, type VjpFn } from './grad.js';
export { jvp, linearize, type JvpOptions } from './jvp.js';
export { jacrev, jacfwd, hessian, type JacOptions } from './jacobian.js';
export { functionalize, type RemoveMode } from './functionalize.js';
export {
  functionalCall, stackModuleState, replaceAllBatchNormModules_, type ModuleLike, type FunctionalCallOptions, type ModuleOutput,
  type ModuleArgs, type TensorDict,
} from './functional_call.js';
export type { Argnums } from './wrap.js';
export type { ArgAt, ArgFromEnd, SelectArgs, Jacobian, Cotangents, TreeLike } from './types.js';
export type { Randomness } from '../transforms/levels_impl.js';
