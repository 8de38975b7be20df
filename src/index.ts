// torchfn: PyTorch's programming model in TypeScript. `import * as torch from 'torchfn'`.
import './tensor.js';

export { Tensor } from './tensor.js';
export type { TensorLike, NestedList } from './tensor.js';
export { float32, float64, int32, bool, type DType, type TypedArray } from './core/dtype.js';
export * from './core/errors.js';
export { RemovableHandle } from './core/handle.js';
export { treeFlatten, treeUnflatten, treeMap, type TreeDef } from './core/pytree.js';
export { getBackend, setBackend, registerBackend } from './backend/index.js';
export type { Backend, Device, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeom, FusedProgram, FusedStep, FusedInput, FusedLiteral, FusedUnary, FusedBinary, FusedWhere, FusedCast, FusedEpilogue } from './backend/index.js';
export { backends, setNumThreads, getNumThreads } from './backend/api.js';
export { webgpu, getDefaultDevice, setDefaultDevice, isDeviceAvailable, type WebGPUInitOptions } from './devices.js';
export { manualSeed, getRngState, setRngState, type RngState } from './primitives/random.js';
export { countKernels, registry as primitives } from './primitives/primitive.js';
export type { Primitive, AbstractValue, SaveSpec, Saved, BatchResult } from './primitives/primitive.js';

export * from './ops/creation.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export { variance as var } from './ops/reduce.js';
export * from './ops/shape.js';
export * from './ops/linalg.js';
export * from './ops/softmax.js';
export * from './ops/sort.js';
export * from './ops/everyday.js';
export { save, load, type StateDictLike } from './io/serialization.js';
export { index, indexPut_, nonzero, nonzeroAsync, slice, type Index, type Slice } from './ops/indexing.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabledMode as setGradEnabled } from './ops/autograd.js';
export type { BackwardOpts, GradOpts } from './ops/autograd.js';
export type { Node, TensorHook } from './primitives/autograd_meta.js';
export { detach } from './transforms/detach.js';

import * as autogradNs from './ops/autograd.js';
import * as autogradFnNs from './ops/autograd_function.js';
export type { Function as AutogradFunction } from './ops/autograd_function.js';
export type { FunctionCtx, VmapInfo, SavedTensorsStats } from './ops/autograd_function.js';
/**
 * torch.autograd: gradients without touching `.grad` (grad), backward over tensors (backward),
 * custom differentiable operations (Function) and saved-tensor hooks (graph).
 */
export const autograd = {
  /**
   * Gradients of `outputs` with respect to `inputs` (torch.autograd.grad), returned instead of
   * accumulated into `.grad`; null for an unused input with `allowUnused`.
   * @example const [dx] = torch.autograd.grad(y, x, { createGraph: true })
   */
  grad: autogradNs.grad,
  /**
   * `tensor.backward(gradient, opts)` as a function (torch.autograd.backward).
   * @example torch.autograd.backward(loss)
   */
  backward: autogradNs.backward,
  /**
   * Base class of custom differentiable operations (torch.autograd.Function): static forward,
   * setupContext, backward, and optionally jvp and vmap (or generateVmapRule); call `MyFn.apply(...)`.
   * @example class Exp extends torch.autograd.Function { ... }; Exp.apply(x)
   */
  Function: autogradFnNs.Function,
  /** torch.autograd.graph: saved-tensor hooks and what the live graphs hold. */
  graph: {
    /**
     * Runs fn with pack/unpack hooks on every tensor saved for backward (saved_tensors_hooks).
     * @example torch.autograd.graph.savedTensorsHooks(pack, unpack, () => model.call(x))
     */
    savedTensorsHooks: autogradFnNs.savedTensorsHooks,
    /**
     * Bytes and storages held by saved tensors of live graphs.
     * @example torch.autograd.graph.savedTensorsStats().bytes
     */
    savedTensorsStats: autogradFnNs.savedTensorsStats,
  },
};

export * from './ops/nn/index.js';
export * as func from './func/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as safetensors from './io/index.js';
export * as utils from './utils/index.js';
export * as profiler from './profiler/index.js';
export {
  compile, compiler, aotFunction, printGraph, type CompileOptions, type Compiled, type CompileInfo, type CompiledGraphInfo, type Graph, type GraphNode,
  type GraphCompiler, type AotOptions, type ModuleLike,
} from './compile/index.js';
export { LinAlgError } from './core/linalg_errors.js';
/**
 * torch.linalg: decompositions (cholesky, qr, eigh, svd, lu), solvers (solve, lstsq, solveTriangular,
 * luSolve), inverses, determinants, norms, matrix functions and the rest, over batches of matrices in
 * float32 / float64, all differentiable and batchable.
 */
export * as linalg from './ops/linalg_namespace.js';
