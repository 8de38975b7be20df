// torchfn: PyTorch's programming model in TypeScript. `import * as torch from 'torchfn'`.
import './tensor.js';

export { Tensor } from './tensor.js';
export type { TensorLike, NestedList } from './tensor.js';
export { float32, float64, int32, bool, type DType, type TypedArray } from './core/dtype.js';
export * from './core/errors.js';
export { RemovableHandle } from './core/handle.js';
export { treeFlatten, treeUnflatten, treeMap, type TreeDef } from './core/pytree.js';
export { getBackend, setBackend, registerBackend } from './backend/index.js';
export type { Backend, Device, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeom } from './backend/index.js';
export { backends, setNumThreads, getNumThreads } from './backend/api.js';
export { manualSeed } from './primitives/random.js';
export { countKernels, registry as primitives } from './primitives/primitive.js';

export * from './ops/creation.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export { variance as var } from './ops/reduce.js';
export * from './ops/shape.js';
export * from './ops/linalg.js';
export * from './ops/softmax.js';
export * from './ops/sort.js';
export { index, indexPut_, nonzero, slice, type Index, type Slice } from './ops/indexing.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabledMode as setGradEnabled } from './ops/autograd.js';
export type { BackwardOpts, GradOpts } from './ops/autograd.js';
export type { Node, TensorHook } from './primitives/autograd_meta.js';
export { detach } from './transforms/detach.js';

import * as autogradNs from './ops/autograd.js';
/** torch.autograd: gradients without touching `.grad` (grad), and backward over tensors (backward). */
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
};

export * from './ops/nn/index.js';
export * as func from './func/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as safetensors from './io/index.js';
