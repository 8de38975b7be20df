// BatchNorm1d/2d (running statistics as buffers, including num_batches_tracked), LayerNorm and
// GroupNorm (torch/nn/modules/batchnorm.py, normalization.py).
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from '../ops/autograd.js';
import { checkTensor } from '../ops/scalars.js';
import { ones, zeros } from '../ops/creation.js';
import { batchNorm, groupNorm, layerNorm } from '../ops/nn/index.js';
import * as init from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyFloat, pyTuple } from './repr.js';

/** Options of nn.BatchNorm1d / nn.BatchNorm2d. */
export interface BatchNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Weight of the new batch statistic in the running average; null: cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn weight and bias (default true). */
  affine?: boolean;
  /** Keep running_mean / running_var / num_batches_tracked buffers (default true). */
  trackRunningStats?: boolean;
  /** dtype of the parameters and running statistics (default 'float32'). */
  dtype?: DType;
}

/** Every norm layer's affine parameters: weight = 1 and bias = 0 of `shape`, or null ones when not affine. */
function affineParams(m: Module, shape: number[], dtype: DType, affine: boolean, withBias = true): void {
  m.registerParameter('weight', affine ? Parameter(ones(shape, { dtype })) : null);
  m.registerParameter('bias', affine && withBias ? Parameter(zeros(shape, { dtype })) : null);
}

function resetAffine(weight: Tensor | null, bias: Tensor | null): void {
  if (weight) init.ones_(weight);
  if (bias) init.zeros_(bias);
}

/** PyTorch's _BatchNorm: shared by BatchNorm1d and BatchNorm2d. */
abstract class BatchNorm extends Module {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static override readonly displayName: string = 'BatchNorm';
  /** Per-channel scale γ, initialized to ones (null when not affine). */
  declare weight: Parameter | null;
  /** Per-channel shift β, initialized to zeros (null when not affine). */
  declare bias: Parameter | null;
  /** Buffer: running average of the batch means (null without trackRunningStats). */
  declare running_mean: Tensor | null;
  /** Buffer: running average of the unbiased batch variances (null without trackRunningStats). */
  declare running_var: Tensor | null;
  /** Buffer: the number of training batches seen, int32 (null without trackRunningStats). */
  declare num_batches_tracked: Tensor | null;
  /** The number of channels C. */
  readonly numFeatures: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Weight of the new batch statistic in the running average; null: cumulative average. */
  momentum: number | null;
  /** Whether weight and bias are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in eval mode). */
  readonly trackRunningStats: boolean;

  constructor(cls: string, numFeatures: number, opts: BatchNormOptions) {
    checkOptions(`nn.${cls}`, opts, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);
    super();
    this.numFeatures = checkFeatures(cls, 'num_features', numFeatures);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const dtype = opts.dtype ?? 'float32';
    affineParams(this, [numFeatures], dtype, this.affine);
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], { dtype }));
      this.registerBuffer('running_var', ones([numFeatures], { dtype }));
      this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  /** The running mean buffer (running_mean). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  /** The running variance buffer (running_var). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  /** The number of training batches seen (num_batches_tracked, int32). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  /**
   * Zeroes running_mean and num_batches_tracked, fills running_var with ones.
   * @example bn.resetRunningStats()
   */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }

  /** Resets running statistics, weight (ones) and bias (zeros). @example bn.resetParameters() */
  resetParameters(): void {
    this.resetRunningStats();
    resetAffine(this.weight, this.bias);
  }

  /** Throws a ValueError unless `input` has the number of dims this layer takes. */
  protected abstract checkInputDim(input: Tensor): void;

  /** @internal */
  override _optionalStateKeys(): readonly string[] {
    return ['num_batches_tracked'];
  }

  /**
   * Normalizes each channel: in training mode with the batch statistics (over N and the spatial
   * dims), updating the running statistics; in eval mode with the running statistics. Then
   * `y = x̂ * weight + bias`.
   */
  override forward(input: Tensor): Tensor {
    checkTensor(`${this.constructor.name}.forward`, 'input', input);
    this.checkInputDim(input);
    let factor: number | Tensor = this.momentum ?? 0;
    const counting = this.training && this.trackRunningStats && this.num_batches_tracked !== null;
    // The cumulative average's 1 / (n + 1) is computed where the count lives, never read back.
    if (counting) factor = this.momentum === null ? noGrad(() => this.num_batches_tracked!.add(1).reciprocal()) : this.momentum;
    const bnTraining = this.training || (this.running_mean === null && this.running_var === null);
    const useStats = !this.training || this.trackRunningStats;
    const out = batchNorm(
      input,
      useStats ? this.running_mean : null,
      useStats ? this.running_var : null,
      this.weight,
      this.bias,
      { training: bnTraining, momentum: factor, eps: this.eps },
    );
    // Counted once the batch went through, so a rejected input leaves the module as it was.
    if (counting) noGrad(() => this.num_batches_tracked!.add_(1));
    return out;
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalization over [N, C] or [N, C, L] inputs, per channel.
 * @example
 * const bn = new nn.BatchNorm1d(4);
 * bn.call(torch.randn([8, 4]));  // training: batch statistics, running stats updated
 * bn.eval().call(torch.randn([2, 4])); // running statistics
 */
export class BatchNorm1d extends BatchNorm {
  static override readonly displayName: string = 'BatchNorm1d';
  /**
   * `numFeatures` is the channel count C; options eps (1e-5), momentum (0.1), affine, trackRunningStats
   * (true), dtype.
   */
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, opts);
  }
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new ValueError(`BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input of size ${fmtShape(input.shape)})`);
  }
}

/**
 * Batch normalization over [N, C, H, W] inputs, per channel; buffers running_mean, running_var,
 * num_batches_tracked as in PyTorch's state_dict.
 * @example
 * const bn = new nn.BatchNorm2d(4); // BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True,
 * track_running_stats=True)
 * Object.keys(bn.stateDict()) // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 */
export class BatchNorm2d extends BatchNorm {
  static override readonly displayName: string = 'BatchNorm2d';
  /**
   * `numFeatures` is the channel count C; options eps (1e-5), momentum (0.1), affine, trackRunningStats
   * (true), dtype.
   */
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, opts);
  }
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new ValueError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input of size ${fmtShape(input.shape)})`);
  }
}

/**
 * Batch normalization over [N, C, D, H, W] inputs, per channel (the buffers as BatchNorm2d's).
 * @example
 * const bn = new nn.BatchNorm3d(4); // BatchNorm3d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * bn.call(torch.randn([2, 4, 3, 5, 5])).shape // [2, 4, 3, 5, 5]
 */
export class BatchNorm3d extends BatchNorm {
  static override readonly displayName: string = 'BatchNorm3d';
  /**
   * `numFeatures` is the channel count C; options eps (1e-5), momentum (0.1), affine, trackRunningStats
   * (true), dtype.
   */
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super('BatchNorm3d', numFeatures, opts);
  }
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 5) throw new ValueError(`BatchNorm3d: expected 5D input (got ${input.ndim}D input of size ${fmtShape(input.shape)})`);
  }
}

/** Options of nn.LayerNorm. */
export interface LayerNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Learn weight (and bias) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the bias too (default true). */
  bias?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/**
 * Layer normalization over the trailing dims `normalizedShape`.
 * @example
 * const ln = new nn.LayerNorm(8); // LayerNorm((8,), eps=1e-05, elementwise_affine=True)
 * ln.call(torch.randn([2, 5, 8])).shape // [2, 5, 8]
 */
export class LayerNorm extends Module {
  static override readonly displayName: string = 'LayerNorm';
  /** Elementwise scale of normalizedShape, initialized to ones (null without elementwiseAffine). */
  declare weight: Parameter | null;
  /** Elementwise shift of normalizedShape, initialized to zeros (null without elementwiseAffine or bias). */
  declare bias: Parameter | null;
  /** The trailing dims normalized over. */
  readonly normalizedShape: number[];
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether weight (and bias) are learned. */
  readonly elementwiseAffine: boolean;

  /**
   * `normalizedShape`: the trailing dim size(s) to normalize over; options eps (1e-5),
   * elementwiseAffine, bias (true), dtype.
   */
  constructor(normalizedShape: number | number[], opts: LayerNormOptions = {}) {
    checkOptions('nn.LayerNorm', opts, ['eps', 'elementwiseAffine', 'bias', 'dtype']);
    super();
    if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) {
      throw new ValueError(`LayerNorm(): normalized_shape must be an integer or an array of integers, got ${normalizedShape === null ? 'null' : typeof normalizedShape}`);
    }
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ShapeError(`LayerNorm(): normalized_shape must be non-negative integers, got ${fmtShape(this.normalizedShape)}`);
    }
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const dtype = opts.dtype ?? 'float32';
    affineParams(this, this.normalizedShape, dtype, this.elementwiseAffine, opts.bias ?? true);
  }

  /** weight = 1, bias = 0. @example ln.resetParameters() */
  resetParameters(): void {
    resetAffine(this.weight, this.bias);
  }

  /** Normalizes over the trailing `normalizedShape` dims (biased variance), then applies weight and bias. */
  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}

/** Options of nn.GroupNorm. */
export interface GroupNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Learn per-channel weight and bias (default true). */
  affine?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/**
 * Group normalization: channels split into numGroups groups, each normalized over its channels and
 * positions; per-channel affine.
 * @example
 * const gn = new nn.GroupNorm(2, 6); // GroupNorm(2, 6, eps=1e-05, affine=True)
 * gn.call(torch.randn([4, 6, 5, 5]));
 */
export class GroupNorm extends Module {
  static override readonly displayName: string = 'GroupNorm';
  /** Per-channel scale, initialized to ones (null when not affine). */
  declare weight: Parameter | null;
  /** Per-channel shift, initialized to zeros (null when not affine). */
  declare bias: Parameter | null;
  /** The number of groups the channels are split into. */
  readonly numGroups: number;
  /** The number of channels C (divisible by numGroups). */
  readonly numChannels: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether weight and bias are learned. */
  readonly affine: boolean;

  /** Splits `numChannels` into `numGroups` groups; options eps (1e-5), affine (true), dtype. */
  constructor(numGroups: number, numChannels: number, opts: GroupNormOptions = {}) {
    checkOptions('nn.GroupNorm', opts, ['eps', 'affine', 'dtype']);
    super();
    this.numGroups = checkFeatures('GroupNorm', 'num_groups', numGroups);
    this.numChannels = checkFeatures('GroupNorm', 'num_channels', numChannels);
    if (numGroups === 0 || numChannels % numGroups !== 0) {
      throw new ValueError(`GroupNorm(): num_channels must be divisible by num_groups (got num_channels=${numChannels}, num_groups=${numGroups})`);
    }
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    const dtype = opts.dtype ?? 'float32';
    affineParams(this, [numChannels], dtype, this.affine);
  }

  /** weight = 1, bias = 0. @example gn.resetParameters() */
  resetParameters(): void {
    resetAffine(this.weight, this.bias);
  }

  /**
   * Normalizes each group over its channels and positions of an [N, C, ...] input, then applies the
   * per-channel affine.
   */
  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${py(this.affine)}`;
  }
}
