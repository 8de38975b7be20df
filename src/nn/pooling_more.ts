// The pooling modules beyond pooling.ts (torch/nn/modules/pooling.py): MaxPool3d, AvgPool3d,
// AdaptiveMaxPool1d/2d/3d, AdaptiveAvgPool3d, MaxUnpool1d/2d/3d, LPPool1d/2d and FractionalMaxPool2d/3d.
// No parameters: each holds its configuration and calls the functional op.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import {
  adaptiveAvgPool3d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2dWithIndices, adaptiveMaxPool3dWithIndices, avgPool3d, fractionalMaxPool2dWithIndices,
  fractionalMaxPool3dWithIndices, lpPool1d, lpPool2d, maxPool3dWithIndices, maxUnpool1d, maxUnpool2d, maxUnpool3d, type AvgPool3dOptions, type MaxPool3dOptions,
  type Pair, type Triple,
} from '../ops/nn/index.js';
import type { ValuesIndices } from '../ops/reduce.js';
import { Module } from './module.js';
import { py, pyTuple } from './repr.js';

/** Options of nn.MaxPool3d: those of maxPool3d plus returnIndices. */
export interface MaxPool3dModuleOptions<R extends boolean = boolean> extends MaxPool3dOptions {
  /** Also return the flat index (into D·H·W) of each maximum: forward gives [values, indices]. */
  returnIndices?: R;
}

/** The output of a pooling module: values, or `[values, indices]` with returnIndices. */
export type PoolOutput<R extends boolean> = R extends true ? ValuesIndices : Tensor;

/**
 * 3-D max pooling.
 * @example
 * const pool = new nn.MaxPool3d(2); // MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
 * pool.call(torch.randn([1, 2, 4, 4, 4])).shape // [1, 2, 2, 2, 2]
 */
export class MaxPool3d<R extends boolean = false> extends Module {
  static override readonly displayName: string = 'MaxPool3d';
  /** Window size. */
  readonly kernelSize: Triple;
  /** Window step (the kernel size unless given). */
  readonly stride: Triple;
  /** Implicit -Infinity padding on both sides. */
  readonly padding: Triple;
  /** Spacing between window elements. */
  readonly dilation: Triple;
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: boolean;

  /** Windows of `kernelSize`; options stride (kernelSize), padding (0), dilation (1), ceilMode, returnIndices. */
  constructor(kernelSize: Triple, opts: MaxPool3dModuleOptions<R> = {}) {
    checkOptions('nn.MaxPool3d', opts, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = opts.returnIndices ?? false;
  }

  /** maxPool3d of `input` [N, C, D, H, W] (or unbatched); with returnIndices, `[values, indices]`. */
  override forward(input: Tensor): PoolOutput<R> {
    const r = maxPool3dWithIndices(input, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
    return (this.returnIndices ? r : r.values) as PoolOutput<R>;
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${py(this.ceilMode)}`;
  }
}

/**
 * 3-D average pooling.
 * @example new nn.AvgPool3d(3, { stride: 2 }).call(torch.randn([1, 2, 5, 5, 5])).shape // [1, 2, 2, 2, 2]
 */
export class AvgPool3d extends Module {
  static override readonly displayName: string = 'AvgPool3d';
  /** Window size. */
  readonly kernelSize: Triple;
  /** The functional options (stride, padding, ceilMode, countIncludePad, divisorOverride). */
  readonly opts: AvgPool3dOptions;

  /** Windows of `kernelSize`; options stride (kernelSize), padding (0), ceilMode, countIncludePad (true), divisorOverride. */
  constructor(kernelSize: Triple, opts: AvgPool3dOptions = {}) {
    checkOptions('nn.AvgPool3d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
    super();
    this.kernelSize = kernelSize;
    this.opts = { ...opts };
  }

  /** avgPool3d of `input` [N, C, D, H, W] (or unbatched). */
  override forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, this.opts);
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.opts.stride ?? this.kernelSize)}, padding=${py(this.opts.padding ?? 0)}`;
  }
}

/** Shared by the adaptive max pools: output size and returnIndices. */
abstract class AdaptiveMaxPoolNd<S, R extends boolean> extends Module {
  /** The target size (null entries keep that input size). */
  readonly outputSize: S;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: boolean;
  constructor(outputSize: S, returnIndices: boolean) {
    super();
    this.outputSize = outputSize;
    this.returnIndices = returnIndices;
  }
  /** The pooled values and the flat indices of the maxima. */
  protected abstract pool(input: Tensor): ValuesIndices;
  /** The pooled `input`; with returnIndices, `[values, indices]`. */
  override forward(input: Tensor): PoolOutput<R> {
    const r = this.pool(input);
    return (this.returnIndices ? r : r.values) as PoolOutput<R>;
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/** Options of the adaptive max pooling modules. */
export interface AdaptiveMaxPoolOptions<R extends boolean = boolean> {
  /** Also return the flat index of each maximum (default false). */
  returnIndices?: R;
}

/**
 * Adaptive max pooling of [N, C, L] to outputSize windows.
 * @example new nn.AdaptiveMaxPool1d(4).call(torch.randn([2, 3, 10])).shape // [2, 3, 4]
 */
export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<number, R> {
  static override readonly displayName: string = 'AdaptiveMaxPool1d';
  /** @param outputSize The number of windows. @param opts returnIndices. */
  constructor(outputSize: number, opts: AdaptiveMaxPoolOptions<R> = {}) {
    checkOptions('nn.AdaptiveMaxPool1d', opts, ['returnIndices']);
    super(outputSize, opts.returnIndices ?? false);
  }
  /** adaptiveMaxPool1dWithIndices of `input`. */
  protected pool(input: Tensor): ValuesIndices {
    return adaptiveMaxPool1dWithIndices(input, this.outputSize);
  }
}

/**
 * Adaptive max pooling of [N, C, H, W] to outputSize (null keeps that input size).
 * @example new nn.AdaptiveMaxPool2d([2, null]).call(torch.randn([1, 3, 7, 9])).shape // [1, 3, 2, 9]
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPoolNd<number | [number | null, number | null], R> {
  static override readonly displayName: string = 'AdaptiveMaxPool2d';
  /** @param outputSize An int or [H, W] (null keeps that size). @param opts returnIndices. */
  constructor(outputSize: number | [number | null, number | null], opts: AdaptiveMaxPoolOptions<R> = {}) {
    checkOptions('nn.AdaptiveMaxPool2d', opts, ['returnIndices']);
    super(outputSize, opts.returnIndices ?? false);
  }
  /** adaptiveMaxPool2dWithIndices of `input`. */
  protected pool(input: Tensor): ValuesIndices {
    return adaptiveMaxPool2dWithIndices(input, this.outputSize);
  }
}

/**
 * Adaptive max pooling of [N, C, D, H, W] to outputSize (null keeps that input size).
 * @example new nn.AdaptiveMaxPool3d(2).call(torch.randn([1, 2, 5, 6, 7])).shape // [1, 2, 2, 2, 2]
 */
export class AdaptiveMaxPool3d<R extends boolean = false> extends AdaptiveMaxPoolNd<number | [number | null, number | null, number | null], R> {
  static override readonly displayName: string = 'AdaptiveMaxPool3d';
  /** @param outputSize An int or [D, H, W] (null keeps that size). @param opts returnIndices. */
  constructor(outputSize: number | [number | null, number | null, number | null], opts: AdaptiveMaxPoolOptions<R> = {}) {
    checkOptions('nn.AdaptiveMaxPool3d', opts, ['returnIndices']);
    super(outputSize, opts.returnIndices ?? false);
  }
  /** adaptiveMaxPool3dWithIndices of `input`. */
  protected pool(input: Tensor): ValuesIndices {
    return adaptiveMaxPool3dWithIndices(input, this.outputSize);
  }
}

/**
 * Adaptive average pooling of [N, C, D, H, W] to outputSize (null keeps that input size).
 * @example new nn.AdaptiveAvgPool3d(1).call(torch.randn([2, 8, 3, 4, 5])).shape // [2, 8, 1, 1, 1]
 */
export class AdaptiveAvgPool3d extends Module {
  static override readonly displayName: string = 'AdaptiveAvgPool3d';
  /** @param outputSize An int or [D, H, W] (null keeps that size). */
  constructor(readonly outputSize: number | [number | null, number | null, number | null]) {
    super();
  }
  /** adaptiveAvgPool3d of `input`. */
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool3d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/** Options of the MaxUnpool modules. */
export interface MaxUnpoolModuleOptions<T> {
  /** The stride of the pool (default: the kernel size). */
  stride?: T | null;
  /** The padding of the pool (default 0). */
  padding?: T;
}

const expand = (v: number | readonly number[], n: number): number[] => (typeof v === 'number' ? new Array<number>(n).fill(v) : [...v]);

abstract class MaxUnpoolNd extends Module {
  /** Kernel size per spatial dim. */
  readonly kernelSize: number[];
  /** Stride per spatial dim. */
  readonly stride: number[];
  /** Padding per spatial dim. */
  readonly padding: number[];
  constructor(n: number, kernelSize: number | readonly number[], opts: MaxUnpoolModuleOptions<number | readonly number[]>) {
    super();
    this.kernelSize = expand(kernelSize, n);
    this.stride = expand(opts.stride ?? kernelSize, n);
    this.padding = expand(opts.padding ?? 0, n);
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/**
 * The partial inverse of MaxPool1d: values written at the pool's indices, zeros elsewhere.
 * @example
 * const pool = new nn.MaxPool1d(2, { returnIndices: true }), unpool = new nn.MaxUnpool1d(2);
 * const [v, i] = torch.maxPool1dWithIndices(x, 2); unpool.call(v, i)
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  static override readonly displayName: string = 'MaxUnpool1d';
  /** @param kernelSize The pool's kernel. @param opts stride (kernelSize), padding (0). */
  constructor(kernelSize: number | [number], opts: MaxUnpoolModuleOptions<number | [number]> = {}) {
    checkOptions('nn.MaxUnpool1d', opts, ['stride', 'padding']);
    super(1, kernelSize, opts);
  }
  /** maxUnpool1d of `input` at `indices`; `outputSize` picks among the possible output lengths. */
  override forward(input: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    return maxUnpool1d(input, indices, this.kernelSize[0]!, { stride: this.stride[0]!, padding: this.padding[0]!, outputSize: outputSize ?? null });
  }
}

/**
 * The partial inverse of MaxPool2d: values written at the pool's flat indices, zeros elsewhere.
 * @example
 * const { values, indices } = torch.maxPool2dWithIndices(x, 2);
 * new nn.MaxUnpool2d(2).call(values, indices, x.shape)
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  static override readonly displayName: string = 'MaxUnpool2d';
  /** @param kernelSize The pool's kernel. @param opts stride (kernelSize), padding (0). */
  constructor(kernelSize: Pair, opts: MaxUnpoolModuleOptions<Pair> = {}) {
    checkOptions('nn.MaxUnpool2d', opts, ['stride', 'padding']);
    super(2, kernelSize, opts);
  }
  /** maxUnpool2d of `input` at `indices`; `outputSize` picks among the possible output sizes. */
  override forward(input: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    const p = (v: number[]) => v as [number, number];
    return maxUnpool2d(input, indices, p(this.kernelSize), { stride: p(this.stride), padding: p(this.padding), outputSize: outputSize ?? null });
  }
}

/**
 * The partial inverse of MaxPool3d.
 * @example
 * const { values, indices } = torch.maxPool3dWithIndices(x, 2);
 * new nn.MaxUnpool3d(2).call(values, indices)
 */
export class MaxUnpool3d extends MaxUnpoolNd {
  static override readonly displayName: string = 'MaxUnpool3d';
  /** @param kernelSize The pool's kernel. @param opts stride (kernelSize), padding (0). */
  constructor(kernelSize: Triple, opts: MaxUnpoolModuleOptions<Triple> = {}) {
    checkOptions('nn.MaxUnpool3d', opts, ['stride', 'padding']);
    super(3, kernelSize, opts);
  }
  /** maxUnpool3d of `input` at `indices`; `outputSize` picks among the possible output sizes. */
  override forward(input: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    const t = (v: number[]) => v as [number, number, number];
    return maxUnpool3d(input, indices, t(this.kernelSize), { stride: t(this.stride), padding: t(this.padding), outputSize: outputSize ?? null });
  }
}

/** Options of the LPPool modules. */
export interface LPPoolModuleOptions<T> {
  /** Window step (default: the kernel size). */
  stride?: T | null;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
}

/**
 * Power-average pooling over [N, C, L]: (Σ_window x^p)^(1/p).
 * @example new nn.LPPool1d(2, 3, { stride: 2 }) // LPPool1d(norm_type=2, kernel_size=3, stride=2, ceil_mode=False)
 */
export class LPPool1d extends Module {
  static override readonly displayName: string = 'LPPool1d';
  /** @param normType p. @param kernelSize The window length. @param opts stride, ceilMode. */
  constructor(readonly normType: number, readonly kernelSize: number, readonly opts: LPPoolModuleOptions<number> = {}) {
    checkOptions('nn.LPPool1d', opts, ['stride', 'ceilMode']);
    super();
  }
  /** lpPool1d of `input`. */
  override forward(input: Tensor): Tensor {
    return lpPool1d(input, this.normType, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${py(this.kernelSize)}, stride=${py(this.opts.stride ?? null)}, ceil_mode=${py(this.opts.ceilMode ?? false)}`;
  }
}

/**
 * Power-average pooling over [N, C, H, W].
 * @example new nn.LPPool2d(2, 3).call(torch.rand([1, 2, 6, 6])).shape // [1, 2, 2, 2]
 */
export class LPPool2d extends Module {
  static override readonly displayName: string = 'LPPool2d';
  /** @param normType p. @param kernelSize The window. @param opts stride, ceilMode. */
  constructor(readonly normType: number, readonly kernelSize: Pair, readonly opts: LPPoolModuleOptions<Pair> = {}) {
    checkOptions('nn.LPPool2d', opts, ['stride', 'ceilMode']);
    super();
  }
  /** lpPool2d of `input`. */
  override forward(input: Tensor): Tensor {
    return lpPool2d(input, this.normType, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${py(this.kernelSize)}, stride=${py(this.opts.stride ?? null)}, ceil_mode=${py(this.opts.ceilMode ?? false)}`;
  }
}

/** Options of the FractionalMaxPool modules: outputSize or outputRatio, and returnIndices. */
export interface FractionalMaxPoolModuleOptions<T, R extends boolean = boolean> {
  /** The output's spatial size. */
  outputSize?: T | null;
  /** The output's size as a fraction of the input's. */
  outputRatio?: number | number[] | null;
  /** Also return the flat index of each maximum (default false). */
  returnIndices?: R;
}

/**
 * Fractional max pooling of [N, C, H, W] (a fresh pseudo-random window layout per call).
 * @example new nn.FractionalMaxPool2d(3, { outputRatio: 0.5 }).call(torch.randn([1, 2, 10, 10])).shape // [1, 2, 5, 5]
 */
export class FractionalMaxPool2d<R extends boolean = false> extends Module {
  static override readonly displayName: string = 'FractionalMaxPool2d';
  /** @param kernelSize The window. @param opts outputSize or outputRatio, returnIndices. */
  constructor(readonly kernelSize: number | [number, number], readonly opts: FractionalMaxPoolModuleOptions<number | [number, number], R> = {}) {
    checkOptions('nn.FractionalMaxPool2d', opts, ['outputSize', 'outputRatio', 'returnIndices']);
    super();
  }
  /** fractionalMaxPool2d of `input`; with returnIndices, `[values, indices]`. */
  override forward(input: Tensor): PoolOutput<R> {
    const r = fractionalMaxPool2dWithIndices(input, this.kernelSize, { outputSize: this.opts.outputSize ?? null, outputRatio: this.opts.outputRatio ?? null });
    return (this.opts.returnIndices ? r : r.values) as PoolOutput<R>;
  }
}

/**
 * Fractional max pooling of [N, C, D, H, W].
 * @example new nn.FractionalMaxPool3d(2, { outputSize: 3 }).call(torch.randn([1, 2, 6, 6, 6])).shape // [1, 2, 3, 3, 3]
 */
export class FractionalMaxPool3d<R extends boolean = false> extends Module {
  static override readonly displayName: string = 'FractionalMaxPool3d';
  /** @param kernelSize The window. @param opts outputSize or outputRatio, returnIndices. */
  constructor(readonly kernelSize: Triple, readonly opts: FractionalMaxPoolModuleOptions<Triple, R> = {}) {
    checkOptions('nn.FractionalMaxPool3d', opts, ['outputSize', 'outputRatio', 'returnIndices']);
    super();
  }
  /** fractionalMaxPool3d of `input`; with returnIndices, `[values, indices]`. */
  override forward(input: Tensor): PoolOutput<R> {
    const r = fractionalMaxPool3dWithIndices(input, this.kernelSize, { outputSize: this.opts.outputSize ?? null, outputRatio: this.opts.outputRatio ?? null });
    return (this.opts.returnIndices ? r : r.values) as PoolOutput<R>;
  }
}
