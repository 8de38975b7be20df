// Modules of torch/nn/modules/{activation,channelshuffle,upsampling,fold}.py that activation.ts and
// activation_more.ts do not hold: RReLU, Softmax2d, ChannelShuffle, UpsamplingNearest2d,
// UpsamplingBilinear2d, Fold and Unfold; thin modules over the functional ops.
import { checkOptions } from '../core/options.js';
import { ShapeError, ValueError, fmtShape, fmtValue } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { channelShuffle, fold, interpolate, rrelu, softmax, unfold, type FoldOptions, type Pair } from '../ops/nn/index.js';
import { Module } from './module.js';
import { py, pyFloat } from './repr.js';

/**
 * Randomized leaky ReLU: a random negative slope in [lower, upper] per element while training, their
 * mean (lower + upper) / 2 in eval mode.
 * @example new nn.RReLU(0.1, 0.3).eval().call(torch.tensor([-1, 2])) // [-0.2, 2]
 */
export class RReLU extends Module {
  static override readonly displayName: string = 'RReLU';
  /** @param lower Lower bound of the slope (default 1/8). @param upper Upper bound (default 1/3). */
  constructor(readonly lower = 1 / 8, readonly upper = 1 / 3) {
    super();
    if (!(lower <= upper)) throw new ValueError(`RReLU(): Lower bound should be less than or equal to the upper bound (got lower=${lower}, upper=${upper})`);
  }
  /** rrelu of `input`, drawing slopes in training mode. */
  override forward(input: Tensor): Tensor {
    return rrelu(input, { lower: this.lower, upper: this.upper, training: this.training });
  }
  override extraRepr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}`;
  }
}

/**
 * Softmax over the channels (dim −3) of [N, C, H, W] or [C, H, W].
 * @example new nn.Softmax2d().call(torch.randn([2, 3, 4, 4])).sum(1) // all ones
 */
export class Softmax2d extends Module {
  static override readonly displayName: string = 'Softmax2d';
  /** softmax of `input` over dim −3. */
  override forward(input: Tensor): Tensor {
    if (input.ndim !== 3 && input.ndim !== 4) throw new ShapeError(`Softmax2d: expected input to be 3D or 4D, got ${input.ndim}D instead (${fmtShape(input.shape)})`);
    return softmax(input, -3);
  }
}

/**
 * Interleaves the channels of [N, C, *] from `groups` groups (ShuffleNet).
 * @example new nn.ChannelShuffle(2) // ChannelShuffle(groups=2)
 */
export class ChannelShuffle extends Module {
  static override readonly displayName: string = 'ChannelShuffle';
  /** @param groups The number of channel groups. */
  constructor(readonly groups: number) {
    super();
    if (!Number.isInteger(groups) || groups <= 0) throw new ValueError(`ChannelShuffle(): groups must be a positive integer, got ${fmtValue(groups)}`);
  }
  /** channelShuffle of `input`. */
  override forward(input: Tensor): Tensor {
    return channelShuffle(input, this.groups);
  }
  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}

/** Options of UpsamplingNearest2d / UpsamplingBilinear2d: size or scaleFactor. */
export interface Upsampling2dOptions {
  /** The output's [H, W] (or one number for both). */
  size?: number | [number, number];
  /** Multiplies H and W. */
  scaleFactor?: number | [number, number];
}

abstract class Upsampling2d extends Module {
  /** The output size or scale factor. */
  readonly opts: Upsampling2dOptions;
  constructor(cls: string, opts: Upsampling2dOptions, private readonly mode: 'nearest' | 'bilinear') {
    checkOptions(`nn.${cls}`, opts, ['size', 'scaleFactor']);
    super();
    this.opts = opts;
  }
  /** `input` [N, C, H, W] resampled. */
  override forward(input: Tensor): Tensor {
    return interpolate(input, { ...this.opts, mode: this.mode, ...(this.mode === 'bilinear' ? { alignCorners: true } : {}) });
  }
  override extraRepr(): string {
    const { size, scaleFactor } = this.opts;
    const f = (v: number | number[], g: (n: number) => string) => (Array.isArray(v) ? `(${v.map(g).join(', ')})` : g(v));
    return `${scaleFactor !== undefined ? `scale_factor=${f(scaleFactor, pyFloat)}` : `size=${f(size!, String)}`}, mode=${this.mode}`;
  }
}

/**
 * Nearest-neighbour 2-D upsampling (interpolate with mode 'nearest').
 * @example new nn.UpsamplingNearest2d({ scaleFactor: 2 }).call(torch.randn([1, 1, 2, 2])).shape // [1, 1, 4, 4]
 */
export class UpsamplingNearest2d extends Upsampling2d {
  static override readonly displayName: string = 'UpsamplingNearest2d';
  /** @param opts size or scaleFactor. */
  constructor(opts: Upsampling2dOptions) {
    super('UpsamplingNearest2d', opts, 'nearest');
  }
}

/**
 * Bilinear 2-D upsampling with aligned corners (interpolate with mode 'bilinear', alignCorners true).
 * @example new nn.UpsamplingBilinear2d({ size: 4 }).call(torch.randn([1, 1, 2, 2])).shape // [1, 1, 4, 4]
 */
export class UpsamplingBilinear2d extends Upsampling2d {
  static override readonly displayName: string = 'UpsamplingBilinear2d';
  /** @param opts size or scaleFactor. */
  constructor(opts: Upsampling2dOptions) {
    super('UpsamplingBilinear2d', opts, 'bilinear');
  }
}

const foldRepr = (o: FoldOptions) => `dilation=${py(o.dilation ?? 1)}, padding=${py(o.padding ?? 0)}, stride=${py(o.stride ?? 1)}`;

/**
 * Sliding blocks of [N, C, H, W] as columns [N, C·kH·kW, L] (im2col).
 * @example new nn.Unfold(2, { padding: 1 }).call(torch.randn([1, 2, 4, 4])).shape // [1, 8, 25]
 */
export class Unfold extends Module {
  static override readonly displayName: string = 'Unfold';
  /** @param kernelSize The block size. @param opts dilation, padding, stride. */
  constructor(readonly kernelSize: Pair, readonly opts: FoldOptions = {}) {
    checkOptions('nn.Unfold', opts, ['dilation', 'padding', 'stride']);
    super();
  }
  /** unfold of `input`. */
  override forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, ${foldRepr(this.opts)}`;
  }
}

/**
 * Columns [N, C·kH·kW, L] summed back into images [N, C, *outputSize] (col2im).
 * @example new nn.Fold([4, 5], 2).call(torch.randn([1, 8, 12])).shape // [1, 2, 4, 5]
 */
export class Fold extends Module {
  static override readonly displayName: string = 'Fold';
  /** @param outputSize The image's [H, W]. @param kernelSize The block size. @param opts dilation, padding, stride. */
  constructor(readonly outputSize: Pair, readonly kernelSize: Pair, readonly opts: FoldOptions = {}) {
    checkOptions('nn.Fold', opts, ['dilation', 'padding', 'stride']);
    super();
  }
  /** fold of `input`. */
  override forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}, kernel_size=${py(this.kernelSize)}, ${foldRepr(this.opts)}`;
  }
}
