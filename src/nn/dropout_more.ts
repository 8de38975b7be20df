// The dropout modules beyond Dropout (torch/nn/modules/dropout.py): channel-wise Dropout1d/2d/3d and
// the SELU-preserving AlphaDropout / FeatureAlphaDropout; active in training mode, the identity in eval.
import { ValueError, fmtValue } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { alphaDropout, dropout1d, dropout2d, dropout3d, featureAlphaDropout } from '../ops/nn/index.js';
import { Module } from './module.js';
import { py, pyFloat } from './repr.js';

/** PyTorch's _DropoutNd: the probability p, checked, and its repr. */
abstract class DropoutNd extends Module {
  /** The probability of zeroing an element (or a channel). */
  readonly p: number;
  constructor(cls: string, p: number) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${cls}(): dropout probability has to be between 0 and 1, but got ${fmtValue(p)}`);
    this.p = p;
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${py(false)}`;
  }
}

/**
 * Zeroes whole channels of [N, C, L] (or [C, L]) with probability p while training.
 * @example new nn.Dropout1d(0.2).call(torch.randn([4, 8, 16]))
 */
export class Dropout1d extends DropoutNd {
  static override readonly displayName: string = 'Dropout1d';
  /** @param p The probability of zeroing a channel (default 0.5). */
  constructor(p = 0.5) {
    super('Dropout1d', p);
  }
  /** dropout1d of `input` in training mode, `input` itself in eval mode. */
  override forward(input: Tensor): Tensor {
    return dropout1d(input, this.p, this.training);
  }
}

/**
 * Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability p while training.
 * @example new nn.Dropout2d(0.1).call(torch.randn([4, 8, 5, 5]))
 */
export class Dropout2d extends DropoutNd {
  static override readonly displayName: string = 'Dropout2d';
  /** @param p The probability of zeroing a channel (default 0.5). */
  constructor(p = 0.5) {
    super('Dropout2d', p);
  }
  /** dropout2d of `input` in training mode, `input` itself in eval mode. */
  override forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training);
  }
}

/**
 * Zeroes whole channels of [N, C, D, H, W] (or [C, D, H, W]) with probability p while training.
 * @example new nn.Dropout3d(0.1).call(torch.randn([2, 4, 3, 5, 5]))
 */
export class Dropout3d extends DropoutNd {
  static override readonly displayName: string = 'Dropout3d';
  /** @param p The probability of zeroing a channel (default 0.5). */
  constructor(p = 0.5) {
    super('Dropout3d', p);
  }
  /** dropout3d of `input` in training mode, `input` itself in eval mode. */
  override forward(input: Tensor): Tensor {
    return dropout3d(input, this.p, this.training);
  }
}

/**
 * Dropout for SELU networks: keeps zero mean and unit variance (see alphaDropout).
 * @example new nn.Sequential(new nn.Linear(8, 8), new nn.SELU(), new nn.AlphaDropout(0.1))
 */
export class AlphaDropout extends DropoutNd {
  static override readonly displayName: string = 'AlphaDropout';
  /** @param p The probability of dropping an element (default 0.5). */
  constructor(p = 0.5) {
    super('AlphaDropout', p);
  }
  /** alphaDropout of `input` in training mode, `input` itself in eval mode. */
  override forward(input: Tensor): Tensor {
    return alphaDropout(input, this.p, this.training);
  }
}

/**
 * AlphaDropout of whole channels.
 * @example new nn.FeatureAlphaDropout(0.2).call(torch.selu(torch.randn([2, 4, 5, 5])))
 */
export class FeatureAlphaDropout extends DropoutNd {
  static override readonly displayName: string = 'FeatureAlphaDropout';
  /** @param p The probability of dropping a channel (default 0.5). */
  constructor(p = 0.5) {
    super('FeatureAlphaDropout', p);
  }
  /** featureAlphaDropout of `input` in training mode, `input` itself in eval mode. */
  override forward(input: Tensor): Tensor {
    return featureAlphaDropout(input, this.p, this.training);
  }
}
