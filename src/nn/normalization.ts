// BatchNorm1d/2d (running statistics as buffers, including num_batches_tracked), LayerNorm and
// GroupNorm (torch/nn/modules/batchnorm.py, normalization.py).
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from '../ops/autograd.js';
import { ones, zeros } from '../ops/creation.js';
import { batchNorm, groupNorm, layerNorm } from '../ops/nn/index.js';
import * as init from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyFloat, pyTuple } from './repr.js';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch statistic in the running average; null: cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn weight and bias (default true). */
  affine?: boolean;
  /** Keep running_mean / running_var / num_batches_tracked buffers (default true). */
  trackRunningStats?: boolean;
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
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  readonly numFeatures: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(cls: string, numFeatures: number, opts: BatchNormOptions) {
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

  /** Zeroes running_mean and num_batches_tracked, fills running_var with ones. @example bn.resetRunningStats() */
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

  protected abstract checkInputDim(input: Tensor): void;

  override _optionalStateKeys(): readonly string[] {
    return ['num_batches_tracked'];
  }

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      noGrad(() => this.num_batches_tracked!.add_(1));
      factor = this.momentum === null ? 1 / this.num_batches_tracked.item() : this.momentum;
    }
    const bnTraining = this.training || (this.running_mean === null && this.running_var === null);
    const useStats = !this.training || this.trackRunningStats;
    return batchNorm(
      input,
      useStats ? this.running_mean : null,
      useStats ? this.running_var : null,
      this.weight,
      this.bias,
      { training: bnTraining, momentum: factor, eps: this.eps },
    );
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
 * const bn = new nn.BatchNorm2d(4); // BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * Object.keys(bn.stateDict()) // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, opts);
  }
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new ValueError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input of size ${fmtShape(input.shape)})`);
  }
}

export interface LayerNormOptions {
  eps?: number;
  /** Learn weight (and bias) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the bias too (default true). */
  bias?: boolean;
  dtype?: DType;
}

/**
 * Layer normalization over the trailing dims `normalizedShape`.
 * @example
 * const ln = new nn.LayerNorm(8); // LayerNorm((8,), eps=1e-05, elementwise_affine=True)
 * ln.call(torch.randn([2, 5, 8])).shape // [2, 5, 8]
 */
export class LayerNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | number[], opts: LayerNormOptions = {}) {
    super();
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

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}

export interface GroupNormOptions {
  eps?: number;
  /** Learn per-channel weight and bias (default true). */
  affine?: boolean;
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
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;

  constructor(numGroups: number, numChannels: number, opts: GroupNormOptions = {}) {
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

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${py(this.affine)}`;
  }
}
