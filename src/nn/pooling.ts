// MaxPool2d, AvgPool2d and AdaptiveAvgPool2d (torch/nn/modules/pooling.py): no parameters, the
// functional ops with the configuration held by the module.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import {
  adaptiveAvgPool1d, adaptiveAvgPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d, maxPool2dWithIndices, type AvgPool1dOptions, type MaxPool1dOptions,
  type Pair,
} from '../ops/nn/index.js';
import type { ValuesIndices } from '../ops/reduce.js';
import type { AvgPool2dOptions, MaxPool2dOptions as FMaxPool2dOptions } from '../ops/nn/pool.js';

export type { AvgPool2dOptions };
import { Module } from './module.js';
import { py } from './repr.js';

/** Options of nn.MaxPool2d: those of maxPool2d plus returnIndices. */
export interface MaxPool2dOptions<R extends boolean = boolean> extends FMaxPool2dOptions {
  /** Also return the flat index (into H*W) of each maximum: forward gives [values, indices]. */
  returnIndices?: R;
}

/**
 * 2-D max pooling.
 * @example
 * const pool = new nn.MaxPool2d(2);      // MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1,
 * ceil_mode=False)
 * pool.call(torch.randn([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 */
export class MaxPool2d<R extends boolean = false> extends Module {
  static override readonly displayName: string = 'MaxPool2d';
  /** Window size. */
  readonly kernelSize: Pair;
  /** Window step (the kernel size unless given). */
  readonly stride: Pair;
  /** Implicit -Infinity padding on both sides. */
  readonly padding: Pair;
  /** Spacing between window elements. */
  readonly dilation: Pair;
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: boolean;

  /**
   * Windows of `kernelSize`; options stride (kernelSize), padding (0), dilation (1), ceilMode (false),
   * returnIndices (false).
   */
  constructor(kernelSize: Pair, opts: MaxPool2dOptions<R> = {}) {
    checkOptions('nn.MaxPool2d', opts, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
    super();
    this.returnIndices = opts.returnIndices ?? false;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = opts.ceilMode ?? false;
  }

  /** maxPool2d of `input` [N, C, H, W] (or [C, H, W]); with returnIndices, `[values, indices]`. */
  override forward(input: Tensor): R extends true ? ValuesIndices : Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    const out = this.returnIndices ? maxPool2dWithIndices(input, this.kernelSize, opts) : maxPool2d(input, this.kernelSize, opts);
    return out as R extends true ? ValuesIndices : Tensor;
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${py(this.ceilMode)}`;
  }
}


/**
 * 2-D average pooling.
 * @example
 * const pool = new nn.AvgPool2d(3, { stride: 2, padding: 1 }); // AvgPool2d(kernel_size=3, stride=2,
 * padding=1)
 */
export class AvgPool2d extends Module {
  static override readonly displayName: string = 'AvgPool2d';
  /** Window size. */
  readonly kernelSize: Pair;
  /** Window step (the kernel size unless given). */
  readonly stride: Pair;
  /** Implicit zero padding on both sides. */
  readonly padding: Pair;
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  /** Whether the zero padding counts in the divisor. */
  readonly countIncludePad: boolean;
  /** When set, every window sum is divided by this instead. */
  readonly divisorOverride: number | null;

  /**
   * Windows of `kernelSize`; options stride (kernelSize), padding (0), ceilMode (false),
   * countIncludePad (true), divisorOverride.
   */
  constructor(kernelSize: Pair, opts: AvgPool2dOptions = {}) {
    checkOptions('nn.AvgPool2d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  /** avgPool2d of `input` [N, C, H, W] (or [C, H, W]) with this configuration. */
  override forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

/**
 * Average pooling to a fixed output size (null keeps that input dim).
 * @example
 * new nn.AdaptiveAvgPool2d([1, 1]).call(torch.randn([2, 8, 5, 7])).shape // [2, 8, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  static override readonly displayName: string = 'AdaptiveAvgPool2d';
  /** The target [H, W] (one number for both; null keeps that input size). */
  readonly outputSize: number | [number | null, number | null];

  /** Pools to `outputSize`: a number for a square output, or [H, W] with null keeping that input size. */
  constructor(outputSize: number | [number | null, number | null]) {
    super();
    this.outputSize = outputSize;
  }

  /** Averages `input` [N, C, H, W] over windows chosen so the output is outputSize. */
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/** Max over windows along the last dim of [N, C, L]. @example new nn.MaxPool1d(3, { stride: 2 }) */
export class MaxPool1d extends Module {
  static override readonly displayName: string = 'MaxPool1d';
  /** @param kernelSize The window length. @param opts stride (default kernelSize), padding, dilation, ceilMode. */
  constructor(readonly kernelSize: number, readonly opts: MaxPool1dOptions = {}) {
    checkOptions('nn.MaxPool1d', opts, ['stride', 'padding', 'dilation', 'ceilMode']);
    super();
  }
  override forward(input: Tensor): Tensor {
    return maxPool1d(input, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${this.kernelSize}, stride=${o.stride ?? this.kernelSize}, padding=${o.padding ?? 0}, dilation=${o.dilation ?? 1}, ceil_mode=${o.ceilMode ? 'True' : 'False'}`;
  }
}

/** Mean over windows along the last dim of [N, C, L]. @example new nn.AvgPool1d(2) */
export class AvgPool1d extends Module {
  static override readonly displayName: string = 'AvgPool1d';
  /** @param kernelSize The window length. @param opts stride (default kernelSize), padding, ceilMode, countIncludePad. */
  constructor(readonly kernelSize: number, readonly opts: AvgPool1dOptions = {}) {
    checkOptions('nn.AvgPool1d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
    super();
  }
  override forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    // PyTorch's AvgPool1d keeps its sizes as 1-tuples.
    return `kernel_size=(${this.kernelSize},), stride=(${this.opts.stride ?? this.kernelSize},), padding=(${this.opts.padding ?? 0},)`;
  }
}

/** Averages the last dim down to outputSize windows. @example new nn.AdaptiveAvgPool1d(4) */
export class AdaptiveAvgPool1d extends Module {
  static override readonly displayName: string = 'AdaptiveAvgPool1d';
  /** @param outputSize The number of windows. */
  constructor(readonly outputSize: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}
