// torch.nn.functional: composites of the primitives (so autograd, vmap and jvp reach them for free),
// exported at the top level of the package as in `torch.conv2d`, and as `nn.functional` by ../../nn.
export { linear, bilinear } from './linear.js';
export { conv1d, conv2d, convTranspose2d, type Conv1dOptions, type Conv2dOptions, type ConvTranspose2dOptions } from './conv.js';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pool.js';
export { dropout, type DropoutOptions } from './dropout.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { layerNorm, batchNorm, groupNorm, normalize, type BatchNormOptions, type NormalizeOptions } from './norm.js';
export {
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  nllLoss,
  crossEntropy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  klDiv,
  type LossOptions,
  type NllLossOptions,
  type CrossEntropyOptions,
  type BinaryCrossEntropyOptions,
  type BceWithLogitsOptions,
  type KlDivOptions,
} from './loss.js';
export {
  marginRankingLoss, hingeEmbeddingLoss, softMarginLoss, tripletMarginLoss, cosineEmbeddingLoss, poissonNllLoss, gaussianNllLoss,
  multilabelSoftMarginLoss, type MarginOptions, type TripletMarginOptions, type PoissonNllOptions, type GaussianNllOptions,
} from './loss_more.js';
export { relu6, hardsigmoid, hardswish, glu } from './activation.js';
export { oneHot } from './one_hot.js';
export { conv3d, type Conv3dOptions, type Triple } from './conv3d.js';
export { instanceNorm, localResponseNorm, type InstanceNormOptions, type LocalResponseNormOptions } from './norm_more.js';
export { maxPool1d, maxPool1dWithIndices, avgPool1d, adaptiveAvgPool1d, type MaxPool1dOptions, type AvgPool1dOptions } from './pool1d.js';
export { interpolate, type InterpolateOptions } from './interpolate.js';
export {
  selu, celu, softsign, softmin, tanhshrink, softshrink, hardshrink, threshold, prelu, cosineSimilarity, pairwiseDistance, pixelShuffle,
  pixelUnshuffle, type CosineSimilarityOptions, type PairwiseDistanceOptions,
} from './activation_more.js';
export type { Pair, Reduction } from './_util.js';
// Activations and softmax that live with the elementwise ops, re-exported so that this module is
// the whole of nn.functional.
export { softmax, logSoftmax } from '../softmax.js';
export { relu, leakyRelu, elu, gelu, silu, mish, softplus, sigmoid, tanh, hardtanh, logSigmoid } from '../elementwise.js';
export { pad } from '../shape.js';
