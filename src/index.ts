// torchfn: PyTorch's programming model in TypeScript. `import * as torch from 'torchfn'`.
import './tensor.js';

export { Tensor } from './tensor.js';
export type { TensorLike } from './tensor.js';
export { float32, float64, int32, bool, type DType } from './core/dtype.js';
export * from './core/errors.js';
export { RemovableHandle } from './core/handle.js';
export { treeFlatten, treeUnflatten, treeMap } from './core/pytree.js';
export { getBackend, setBackend, registerBackend } from './backend/index.js';
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
export { detach } from './transforms/detach.js';

import * as autogradNs from './ops/autograd.js';
export const autograd = { grad: autogradNs.grad, backward: autogradNs.backward };

export * from './ops/nn/index.js';
export * as func from './func/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as safetensors from './io/index.js';
