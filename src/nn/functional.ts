// nn.functional: the functional forms of the layers (PyTorch's torch.nn.functional), all
// composites of the primitives, so every transform reaches them.
export * from '../ops/nn/index.js';
export { softmax, logSoftmax } from '../ops/softmax.js';
export {
  relu, leakyRelu, elu, gelu, silu, mish, softplus, sigmoid, tanh, hardtanh, logSigmoid,
} from '../ops/elementwise.js';
export { pad } from '../ops/shape.js';
