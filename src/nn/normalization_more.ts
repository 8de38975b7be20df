// InstanceNorm1d / 2d / 3d and LocalResponseNorm (torch/nn/modules/{instancenorm,normalization}.py).
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { ones, zeros } from '../ops/creation.js';
import { instanceNorm, localResponseNorm, type LocalResponseNormOptions } from '../ops/nn/index.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyFloat } from './repr.js';

/** Options of the InstanceNorm modules (PyTorch's defaults: no affine, no running statistics). */
export interface InstanceNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of new statistics in the running ones (default 0.1). */
  momentum?: number;
  /** Learn a per-channel weight and bias (default false). */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode (default false). */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default float32). */
  dtype?: DType;
}

/** PyTorch's _InstanceNorm: one instance-and-channel at a time, over the spatial dims. */
abstract class InstanceNorm extends Module {
  /** C, the number of channels. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Weight of new statistics in the running ones. */
  readonly momentum: number;
  /** Whether weight and bias are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** The per-channel scale (affine), else null. */
  declare weight: Tensor | null;
  /** The per-channel shift (affine), else null. */
  declare bias: Tensor | null;
  /** Running mean (trackRunningStats), else null. */
  declare running_mean: Tensor | null;
  /** Running variance (trackRunningStats), else null. */
  declare running_var: Tensor | null;

  constructor(private readonly cls: string, private readonly spatialDims: number, numFeatures: number, opts: InstanceNormModuleOptions) {
    checkOptions(`nn.${cls}`, opts, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);
    super();
    this.numFeatures = checkFeatures(cls, 'num_features', numFeatures);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.affine = opts.affine ?? false;
    this.trackRunningStats = opts.trackRunningStats ?? false;
    const dtype = opts.dtype ?? 'float32';
    this.registerParameter('weight', this.affine ? Parameter(ones([numFeatures], { dtype })) : null);
    this.registerParameter('bias', this.affine ? Parameter(zeros([numFeatures], { dtype })) : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([numFeatures], { dtype }) : null);
    if (this.trackRunningStats) this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }));
  }

  override forward(input: Tensor): Tensor {
    const rank = this.spatialDims + 2;
    if (input.ndim !== rank && input.ndim !== rank - 1) {
      throw new ShapeError(`${this.cls}: expected ${rank - 1}D (unbatched) or ${rank}D (batched) input, got ${fmtShape(input.shape)}`);
    }
    const batched = input.ndim === rank ? input : input.unsqueeze(0);
    const useInputStats = this.training || !this.trackRunningStats;
    const y = instanceNorm(batched, {
      runningMean: this.running_mean, runningVar: this.running_var, weight: this.weight, bias: this.bias,
      useInputStats, momentum: this.momentum, eps: this.eps,
    });
    return input.ndim === rank ? y : y.squeeze(0);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/** Instance normalization of [N, C, L] (or [C, L]). @example new nn.InstanceNorm1d(16) */
export class InstanceNorm1d extends InstanceNorm {
  static override readonly displayName: string = 'InstanceNorm1d';
  /** @param numFeatures C. @param opts eps, momentum, affine, trackRunningStats, dtype. */
  constructor(numFeatures: number, opts: InstanceNormModuleOptions = {}) {
    super('InstanceNorm1d', 1, numFeatures, opts);
  }
}

/** Instance normalization of [N, C, H, W] (or [C, H, W]). @example new nn.InstanceNorm2d(3, { affine: true }) */
export class InstanceNorm2d extends InstanceNorm {
  static override readonly displayName: string = 'InstanceNorm2d';
  /** @param numFeatures C. @param opts eps, momentum, affine, trackRunningStats, dtype. */
  constructor(numFeatures: number, opts: InstanceNormModuleOptions = {}) {
    super('InstanceNorm2d', 2, numFeatures, opts);
  }
}

/** Instance normalization of [N, C, D, H, W] (or [C, D, H, W]). @example new nn.InstanceNorm3d(4, { affine: true }) */
export class InstanceNorm3d extends InstanceNorm {
  static override readonly displayName: string = 'InstanceNorm3d';
  /** @param numFeatures C. @param opts eps, momentum, affine, trackRunningStats, dtype. */
  constructor(numFeatures: number, opts: InstanceNormModuleOptions = {}) {
    super('InstanceNorm3d', 3, numFeatures, opts);
  }
}

/** Local response normalization across channels. @example new nn.LocalResponseNorm(5) */
export class LocalResponseNorm extends Module {
  static override readonly displayName: string = 'LocalResponseNorm';
  /** @param size Channels in each window. @param opts alpha (1e-4), beta (0.75), k (1). */
  constructor(readonly size: number, readonly opts: LocalResponseNormOptions = {}) {
    checkOptions('nn.LocalResponseNorm', opts, ['alpha', 'beta', 'k']);
    super();
  }
  override forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, this.opts);
  }
  override extraRepr(): string {
    const { alpha = 1e-4, beta = 0.75, k = 1 } = this.opts;
    return `${this.size}, alpha=${pyFloat(alpha)}, beta=${pyFloat(beta)}, k=${pyFloat(k)}`;
  }
}
