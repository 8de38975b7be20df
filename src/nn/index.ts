// torch.nn: Module and Parameter, hooks, layers, losses, containers, nn.functional, nn.init and
// nn.utils. `import { nn } from 'torchfn'`.
export { Module, type StateDict, type NamedOptions, type LoadStateDictResult } from './module.js';
export { Parameter, isParameter, type ParameterConstructor } from './parameter.js';
export type {
  ForwardPreHook, ForwardPreHookWithKwargs, ForwardHook, ForwardHookWithKwargs, BackwardPreHook, BackwardHook, Kwargs,
  HookArgs, HookOutput,
} from './hooks.js';
export {
  registerModuleForwardPreHook, registerModuleForwardHook, registerModuleFullBackwardPreHook, registerModuleFullBackwardHook,
} from './hooks.js';
export { Identity, Linear, Bilinear, type LinearOptions } from './linear.js';
export { Conv1d, Conv2d, Conv3d, ConvTranspose2d, type ConvOptions, type ConvTransposeOptions, type PaddingMode } from './conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d } from './pooling.js';
export { Flatten, Unflatten } from './flatten.js';
export { Dropout } from './dropout.js';
export {
  BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, type BatchNormOptions, type LayerNormOptions, type GroupNormOptions,
} from './normalization.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export {
  RNNCellBase, RNNCell, LSTMCell, GRUCell, RNNBase, RNN, LSTM, GRU, type RNNMode, type RNNNonlinearity, type RNNCellOptions,
  type RNNCellWithNonlinearityOptions, type RNNBaseOptions, type RNNOptions, type LSTMOptions, type RNNForwardOptions,
} from './rnn.js';
export {
  MultiheadAttention, NonDynamicallyQuantizableLinear, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions,
} from './attention.js';
export {
  TransformerEncoderLayer, TransformerEncoder, type TransformerActivation, type TransformerEncoderLayerOptions,
  type TransformerEncoderLayerForwardOptions, type TransformerEncoderLayerConfig, type TransformerEncoderOptions,
  type TransformerEncoderForwardOptions, TransformerDecoderLayer, TransformerDecoder, Transformer,
  type TransformerDecoderLayerOptions, type TransformerDecoderLayerConfig, type TransformerDecoderLayerForwardOptions,
  type TransformerDecoderOptions, type TransformerDecoderForwardOptions, type TransformerOptions, type TransformerForwardOptions,
  type SquareSubsequentMaskOptions,
} from './transformer.js';
export {
  ReLU, ReLU6, LeakyReLU, GELU, SiLU, Mish, ELU, Softplus, Hardtanh, Tanh, Sigmoid, LogSigmoid, Softmax, LogSoftmax,
} from './activation.js';
export {
  SELU, CELU, Softsign, Softmin, Tanhshrink, Softshrink, Hardshrink, Threshold, PReLU, GLU, Hardswish, Hardsigmoid, PixelShuffle,
  PixelUnshuffle, CosineSimilarity, PairwiseDistance, Upsample,
} from './activation_more.js';
export {
  MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss, TripletMarginLoss, CosineEmbeddingLoss, PoissonNLLLoss, GaussianNLLLoss,
  MultiLabelSoftMarginLoss, type SoftMarginOptions,
} from './loss_more.js';
export { InstanceNorm1d, InstanceNorm2d, LocalResponseNorm, type InstanceNormModuleOptions } from './normalization_more.js';
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from './container.js';
export {
  MaxPool3d, AvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d, AdaptiveAvgPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, LPPool1d,
  LPPool2d, FractionalMaxPool2d, FractionalMaxPool3d, type MaxPool3dModuleOptions, type PoolOutput, type AdaptiveMaxPoolOptions,
  type MaxUnpoolModuleOptions, type LPPoolModuleOptions, type FractionalMaxPoolModuleOptions,
} from './pooling_more.js';
export {
  ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d,
  ReplicationPad2d, ReplicationPad3d, CircularPad1d, CircularPad2d, CircularPad3d, type PadSpec,
} from './padding.js';
export { ConvTranspose1d, ConvTranspose3d, type ConvTransposeNdOptions } from './conv.js';
export { RReLU, Softmax2d, ChannelShuffle, UpsamplingNearest2d, UpsamplingBilinear2d, Fold, Unfold, type Upsampling2dOptions } from './activation_extra.js';
export { Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from './dropout_more.js';
export { EmbeddingBag, type EmbeddingBagModuleOptions } from './embedding_bag.js';
export { CTCLoss, MultiMarginLoss, MultiLabelMarginLoss, TripletMarginWithDistanceLoss, type TripletMarginWithDistanceModuleOptions } from './loss_margin.js';
export { BatchNorm3d } from './normalization.js';
export { InstanceNorm3d } from './normalization_more.js';
export { CrossMapLRN2d, type CrossMapLRN2dOptions } from './cross_map_lrn.js';
export { AdaptiveLogSoftmaxWithLoss, type AdaptiveLogSoftmaxOptions, type ASMOutput } from './adaptive_log_softmax.js';
export {
  MSELoss, L1Loss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
  type LossModuleOptions, type NLLLossOptions,
} from './loss.js';
export * as init from './init.js';
export * as utils from './utils.js';
export * as functional from './functional.js';
/** Global module hooks, as torch.nn.modules.register_module_*_hook. */
export * as modules from './global_hooks.js';
