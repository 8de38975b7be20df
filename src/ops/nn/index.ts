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
export { maxPool3d, maxPool3dWithIndices, avgPool3d, adaptiveAvgPool3d, type MaxPool3dOptions, type AvgPool3dOptions } from './pool3d.js';
export {
  adaptiveMaxPool1d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d, adaptiveMaxPool2dWithIndices, adaptiveMaxPool3d, adaptiveMaxPool3dWithIndices,
  type AdaptiveSize,
} from './pool_adaptive_max.js';
export { maxUnpool1d, maxUnpool2d, maxUnpool3d, lpPool1d, lpPool2d, type MaxUnpoolOptions, type LpPoolOptions } from './unpool.js';
export { fold, unfold, type FoldOptions } from './fold.js';
export { convTranspose1d, convTranspose3d, type ConvTranspose1dOptions, type ConvTranspose3dOptions } from './conv_transpose_nd.js';
export { affineGrid, gridSample, type AffineGridOptions, type GridSampleOptions } from './grid_sample.js';
export { embeddingBag, type EmbeddingBagOptions } from './embedding_bag.js';
export { ctcLoss, type CtcLossOptions } from './ctc_loss.js';
export { multiMarginLoss, multilabelMarginLoss, tripletMarginWithDistanceLoss, type MultiMarginOptions, type TripletMarginWithDistanceOptions } from './loss_margin.js';
export {
  dropout1d, dropout2d, dropout3d, alphaDropout, featureAlphaDropout, rrelu, gumbelSoftmax, type RreluOptions, type GumbelSoftmaxOptions,
} from './dropout_more.js';
export { channelShuffle, pdist, convTbc } from './shuffle_pdist_tbc.js';
export {
  fractionalMaxPool2d, fractionalMaxPool2dWithIndices, fractionalMaxPool3d, fractionalMaxPool3dWithIndices, type FractionalMaxPoolOptions,
} from './pool_fractional.js';
export { multiHeadAttentionForward, type MultiHeadAttentionForwardOptions } from './multi_head_attention.js';
