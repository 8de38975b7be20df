// Conv1d, Conv2d, Conv3d and ConvTranspose1d/2d/3d (torch/nn/modules/conv.py): PyTorch's parameter shapes,
// default initialization, padding modes and repr.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape, fmtValue } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { empty } from '../ops/creation.js';
import { pad as padOp, type PadMode } from '../ops/shape.js';
import { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d } from '../ops/nn/index.js';
import * as init from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyTuple } from './repr.js';

/**
 * How a convolution layer pads its input: with zeros (default), or by reflecting, replicating or
 * wrapping around the edges.
 */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

const CONV_KEYS = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'dtype'];

/** Options of nn.Conv1d / nn.Conv2d; `N` is the per-dim tuple type ([number] or [number, number]). */
export interface ConvOptions<N extends number[]> {
  /** Step of the kernel (default 1). */
  stride?: number | N;
  /** An int or tuple, or 'valid' (none) / 'same' (output size = input size, stride 1 only). */
  padding?: number | N | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: number | N;
  /** Split channels into this many independent groups; both channel counts must divide by it (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** How the padding is filled (default 'zeros'). */
  paddingMode?: PaddingMode;
  /** dtype of weight and bias (default 'float32'). */
  dtype?: DType;
}

/** Options of nn.ConvTranspose2d. */
export interface ConvTransposeOptions {
  /** Upsampling step (default 1). */
  stride?: number | [number, number];
  /** `dilation * (k - 1) - padding` zeros are implicitly added to both sides of the input (default 0). */
  padding?: number | [number, number];
  /** Extra size added on one side of the output; smaller than stride or dilation (default 0). */
  outputPadding?: number | [number, number];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | [number, number];
  /** Only 'zeros' is supported, as in PyTorch. */
  paddingMode?: 'zeros';
  /** dtype of weight and bias (default 'float32'). */
  dtype?: DType;
}

function tuple(cls: string, arg: string, v: unknown, n: number, min: number): number[] {
  const t = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? [...(v as number[])] : [];
  if (t.length !== n || t.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < min)) {
    throw new ValueError(`${cls}(): ${arg} must be an int >= ${min} or a tuple of ${n} such ints, got ${fmtValue(v)}`);
  }
  return t;
}

/** Shared state and initialization of the convolution layers (PyTorch's _ConvNd). */
abstract class ConvNd extends Module {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static override readonly displayName: string = 'ConvNd';
  /** The kernels: [out, in/groups, ...kernelSize], or [in, out/groups, ...kernelSize] when transposed. */
  declare weight: Parameter;
  /** One bias per output channel, or null with `bias: false`. */
  declare bias: Parameter | null;
  /** Input channels C_in. */
  readonly inChannels: number;
  /** Output channels C_out. */
  readonly outChannels: number;
  /** Kernel size per spatial dim. */
  readonly kernelSize: number[];
  /** Stride per spatial dim. */
  readonly stride: number[];
  /** Padding per spatial dim, or 'valid' / 'same'. */
  readonly padding: number[] | 'valid' | 'same';
  /** Dilation per spatial dim. */
  readonly dilation: number[];
  /** Output padding per spatial dim (transposed convolutions; zeros otherwise). */
  readonly outputPadding: number[];
  /** Number of channel groups. */
  readonly groups: number;
  /** How the padding is filled. */
  readonly paddingMode: PaddingMode;
  /** Whether this is a transposed convolution. */
  readonly transposed: boolean;

  constructor(
    cls: string, n: number, inChannels: number, outChannels: number, kernelSize: number | number[], transposed: boolean,
    o: { stride?: unknown; padding?: unknown; dilation?: unknown; outputPadding?: unknown; groups?: number; bias?: boolean; paddingMode?: PaddingMode; dtype?: DType },
  ) {
    super();
    this.inChannels = checkFeatures(cls, 'in_channels', inChannels);
    this.outChannels = checkFeatures(cls, 'out_channels', outChannels);
    const groups = o.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new ValueError(`${cls}(): groups must be a positive integer, got ${groups}`);
    if (inChannels % groups !== 0) throw new ValueError(`${cls}(): in_channels must be divisible by groups (in_channels=${inChannels}, groups=${groups})`);
    if (outChannels % groups !== 0) throw new ValueError(`${cls}(): out_channels must be divisible by groups (out_channels=${outChannels}, groups=${groups})`);
    this.groups = groups;
    this.kernelSize = tuple(cls, 'kernel_size', kernelSize, n, 1);
    this.stride = tuple(cls, 'stride', o.stride ?? 1, n, 1);
    this.dilation = tuple(cls, 'dilation', o.dilation ?? 1, n, 1);
    this.outputPadding = tuple(cls, 'output_padding', o.outputPadding ?? 0, n, 0);
    const padding = o.padding ?? 0;
    if (typeof padding === 'string') {
      if (padding !== 'valid' && padding !== 'same') {
        throw new ValueError(`${cls}(): Invalid padding string '${padding}', should be one of ['valid', 'same']`);
      }
      if (padding === 'same' && this.stride.some((s) => s !== 1)) {
        throw new ValueError(`${cls}(): padding='same' is not supported for strided convolutions`);
      }
      this.padding = padding;
    } else {
      this.padding = tuple(cls, 'padding', padding, n, 0);
    }
    const mode = o.paddingMode ?? 'zeros';
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(mode)) {
      throw new ValueError(`${cls}(): padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='${mode}'`);
    }
    if (transposed && mode !== 'zeros') throw new ValueError(`${cls}(): Only "zeros" padding mode is supported for ${cls}`);
    this.paddingMode = mode;
    this.transposed = transposed;
    const dtype = o.dtype ?? 'float32';
    const wShape = transposed
      ? [inChannels, outChannels / groups, ...this.kernelSize]
      : [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = Parameter(empty(wShape, { dtype }));
    if (o.bias ?? true) this.bias = Parameter(empty([outChannels], { dtype }));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /**
   * Re-draws weight (kaiming_uniform_, a = sqrt(5)) and bias (U(-1/sqrt(fanIn), 1/sqrt(fanIn))).
   * @example conv.resetParameters()
   */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  /** [before, after] padding per spatial dim, for the non-'zeros' padding modes. */
  protected explicitPads(): [number, number][] {
    if (this.padding === 'valid') return this.kernelSize.map(() => [0, 0]);
    if (this.padding === 'same') {
      return this.kernelSize.map((k, i) => {
        const total = this.dilation[i]! * (k - 1);
        const left = Math.floor(total / 2);
        return [left, total - left];
      });
    }
    return this.padding.map((p) => [p, p]);
  }

  /** The input padded with paddingMode (last dim first, as F.pad), when that mode is not 'zeros'. */
  protected padInput(x: Tensor): Tensor {
    const flat = this.explicitPads().reverse().flat();
    return padOp(x, flat, this.paddingMode as PadMode);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((d) => d !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += `, bias=${py(false)}`;
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * 1-D convolution over x [N, C, L] (or [C, L]) with weight [out, in/groups, k].
 * @example
 * const conv = new nn.Conv1d(3, 8, 5, { padding: 2 });
 * conv.call(torch.randn([2, 3, 16])).shape // [2, 8, 16]
 */
export class Conv1d extends ConvNd {
  static override readonly displayName: string = 'Conv1d';
  /**
   * Weight and bias are drawn as PyTorch does (kaiming_uniform_ with a = sqrt(5); bias U(±1/sqrt(fanIn))).
   * Options: stride, padding, dilation, groups, bias (true), paddingMode ('zeros'), dtype.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], opts: ConvOptions<[number]> = {}) {
    checkOptions('nn.Conv1d', opts, CONV_KEYS);
    super('Conv1d', 1, inChannels, outChannels, kernelSize as number | number[], false, opts);
  }

  /** conv1d of `input` [N, C_in, L] (or [C_in, L]) with this layer's weight, bias and geometry. */
  override forward(input: Tensor): Tensor {
    const o = { stride: this.stride[0]!, dilation: this.dilation[0]!, groups: this.groups };
    if (this.paddingMode !== 'zeros') return conv1d(this.padInput(input), this.weight, this.bias, { ...o, padding: 0 });
    const padding = typeof this.padding === 'string' ? this.padding : this.padding[0]!;
    return conv1d(input, this.weight, this.bias, { ...o, padding });
  }
}

/**
 * 3-D convolution over x [N, C, D, H, W] (or [C, D, H, W]) with weight [out, in/groups, kD, kH, kW].
 * @example new nn.Conv3d(2, 4, 3, { padding: 1 }).call(torch.randn([1, 2, 5, 6, 6])).shape // [1, 4, 5, 6, 6]
 */
export class Conv3d extends ConvNd {
  static override readonly displayName: string = 'Conv3d';
  /**
   * Weight and bias are drawn as PyTorch does (kaiming_uniform_ with a = sqrt(5); bias U(±1/sqrt(fanIn))).
   * Options: stride, padding (numbers, or 'valid'), dilation, groups, bias (true), paddingMode ('zeros'), dtype.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number, number], opts: ConvOptions<[number, number, number]> = {}) {
    checkOptions('nn.Conv3d', opts, CONV_KEYS);
    if (opts.padding === 'same') throw new ValueError("Conv3d(): padding='same' is not supported yet; give the padding numbers");
    super('Conv3d', 3, inChannels, outChannels, kernelSize as number | number[], false, opts);
  }

  /** conv3d of `input` [N, C_in, D, H, W] (or [C_in, D, H, W]) with this layer's weight, bias and geometry. */
  override forward(input: Tensor): Tensor {
    const o = { stride: this.stride as [number, number, number], dilation: this.dilation as [number, number, number], groups: this.groups };
    if (this.paddingMode !== 'zeros') return conv3d(this.padInput(input), this.weight, this.bias, { ...o, padding: 0 });
    const padding = this.padding === 'valid' ? 'valid' : (this.padding as [number, number, number]);
    return conv3d(input, this.weight, this.bias, { ...o, padding });
  }
}

/**
 * 2-D convolution over x [N, C, H, W] (or [C, H, W]) with weight [out, in/groups, kH, kW].
 * @example
 * const conv = new nn.Conv2d(1, 4, 3);             // Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1))
 * conv.call(torch.randn([2, 1, 8, 8])).shape       // [2, 4, 6, 6]
 * new nn.Conv2d(3, 16, [3, 5], { stride: 2, padding: 1, paddingMode: 'reflect' });
 */
export class Conv2d extends ConvNd {
  static override readonly displayName: string = 'Conv2d';
  /**
   * Weight and bias are drawn as PyTorch does (kaiming_uniform_ with a = sqrt(5); bias U(±1/sqrt(fanIn))).
   * Options: stride, padding, dilation, groups, bias (true), paddingMode ('zeros'), dtype.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], opts: ConvOptions<[number, number]> = {}) {
    checkOptions('nn.Conv2d', opts, CONV_KEYS);
    super('Conv2d', 2, inChannels, outChannels, kernelSize, false, opts);
  }

  /** conv2d of `input` [N, C_in, H, W] (or [C_in, H, W]) with this layer's weight, bias and geometry. */
  override forward(input: Tensor): Tensor {
    const o = { stride: this.stride as [number, number], dilation: this.dilation as [number, number], groups: this.groups };
    if (this.paddingMode !== 'zeros') return conv2d(this.padInput(input), this.weight, this.bias, { ...o, padding: 0 });
    const padding = typeof this.padding === 'string' ? this.padding : (this.padding as [number, number]);
    return conv2d(input, this.weight, this.bias, { ...o, padding });
  }
}

/**
 * Transposed 2-D convolution with weight [in, out/groups, kH, kW]; `forward(x, outputSize?)`
 * picks the outputPadding that gives outputSize (the last two entries are used).
 * @example
 * const up = new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * up.call(torch.randn([1, 4, 5, 5])).shape // [1, 2, 10, 10]
 */
export class ConvTranspose2d extends ConvNd {
  static override readonly displayName: string = 'ConvTranspose2d';
  /** Options: stride, padding, outputPadding, groups, bias (true), dilation, dtype. */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], opts: ConvTransposeOptions = {}) {
    checkOptions('nn.ConvTranspose2d', opts, [...CONV_KEYS, 'outputPadding']);
    super('ConvTranspose2d', 2, inChannels, outChannels, kernelSize, true, opts);
    for (let i = 0; i < 2; i++) {
      if (this.outputPadding[i]! >= Math.max(this.stride[i]!, this.dilation[i]!)) {
        throw new ValueError(
          `ConvTranspose2d(): output padding must be smaller than either stride or dilation, but got output_padding=${pyTuple(this.outputPadding)}, stride=${pyTuple(this.stride)}, dilation=${pyTuple(this.dilation)}`,
        );
      }
    }
  }

  /**
   * convTranspose2d of `input` [N, C_in, H, W]; with `outputSize` (the last two entries used) the
   * output padding is chosen to reach that size, a ValueError when no valid one does.
   */
  override forward(input: Tensor, outputSize?: number[]): Tensor {
    let outputPadding = this.outputPadding as [number, number];
    const pad = this.padding as [number, number];
    if (outputSize !== undefined) {
      const want = outputSize.slice(-2);
      if (want.length !== 2) throw new ShapeError(`ConvTranspose2d.forward(): output_size must have 2 or more elements (got ${fmtShape(outputSize)})`);
      outputPadding = [0, 1].map((i) => {
        const inSize = input.shape[input.ndim - 2 + i]!;
        const min = (inSize - 1) * this.stride[i]! - 2 * pad[i]! + this.dilation[i]! * (this.kernelSize[i]! - 1) + 1;
        const op = want[i]! - min;
        if (op < 0 || op >= Math.max(this.stride[i]!, this.dilation[i]!)) {
          throw new ValueError(
            `ConvTranspose2d.forward(): requested an output size of ${fmtShape(want)}, but valid sizes range from [${min}, ${min + Math.max(this.stride[i]!, this.dilation[i]!) - 1}] in dim ${i} (for an input of ${fmtShape(input.shape.slice(-2))})`,
          );
        }
        return op;
      }) as [number, number];
    }
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride as [number, number], padding: pad, outputPadding, groups: this.groups, dilation: this.dilation as [number, number],
    });
  }
}

/** Options of nn.ConvTranspose1d / nn.ConvTranspose3d; `N` is the per-dim tuple type. */
export interface ConvTransposeNdOptions<N extends number[]> {
  /** Upsampling step (default 1). */
  stride?: number | N;
  /** `dilation * (k - 1) - padding` zeros are implicitly added to both sides of the input (default 0). */
  padding?: number | N;
  /** Extra size added on one side of the output; smaller than stride or dilation (default 0). */
  outputPadding?: number | N;
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | N;
  /** Only 'zeros' is supported, as in PyTorch. */
  paddingMode?: 'zeros';
  /** dtype of weight and bias (default 'float32'). */
  dtype?: DType;
}

/** PyTorch's _ConvTransposeNd._output_padding: the output padding that gives `outputSize` (its last n entries). */
function outputPaddingFor(cls: string, m: ConvNd, input: Tensor, outputSize: number[] | undefined): number[] {
  if (outputSize === undefined) return m.outputPadding;
  const n = m.kernelSize.length;
  const want = outputSize.slice(-n);
  if (want.length !== n) throw new ShapeError(`${cls}.forward(): output_size must have ${n} or ${n + 2} elements (got ${fmtShape(outputSize)})`);
  const pad = m.padding as number[];
  return want.map((w, i) => {
    const inSize = input.shape[input.ndim - n + i]!;
    const min = (inSize - 1) * m.stride[i]! - 2 * pad[i]! + m.dilation[i]! * (m.kernelSize[i]! - 1) + 1;
    const range = Math.max(m.stride[i]!, m.dilation[i]!);
    if (w - min < 0 || w - min >= range) {
      throw new ValueError(`${cls}.forward(): requested an output size of ${fmtShape(want)}, but valid sizes range from [${min}, ${min + range - 1}] in dim ${i} (for an input of ${fmtShape(input.shape.slice(-n))})`);
    }
    return w - min;
  });
}

function checkOutputPadding(cls: string, m: ConvNd): void {
  m.outputPadding.forEach((op, i) => {
    if (op >= Math.max(m.stride[i]!, m.dilation[i]!)) {
      throw new ValueError(`${cls}(): output padding must be smaller than either stride or dilation, but got output_padding=${pyTuple(m.outputPadding)}, stride=${pyTuple(m.stride)}, dilation=${pyTuple(m.dilation)}`);
    }
  });
}

/**
 * Transposed 1-D convolution with weight [in, out/groups, k]; `forward(x, outputSize?)` picks the
 * outputPadding that gives outputSize.
 * @example
 * const up = new nn.ConvTranspose1d(4, 2, 3, { stride: 2 }); // ConvTranspose1d(4, 2, kernel_size=(3,), stride=(2,))
 * up.call(torch.randn([1, 4, 5])).shape // [1, 2, 11]
 */
export class ConvTranspose1d extends ConvNd {
  static override readonly displayName: string = 'ConvTranspose1d';
  /** Options: stride, padding, outputPadding, groups, bias (true), dilation, dtype; PyTorch's init. */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], opts: ConvTransposeNdOptions<[number]> = {}) {
    checkOptions('nn.ConvTranspose1d', opts, [...CONV_KEYS, 'outputPadding']);
    super('ConvTranspose1d', 1, inChannels, outChannels, kernelSize, true, opts);
    checkOutputPadding('ConvTranspose1d', this);
  }

  /** convTranspose1d of `input` [N, C_in, L] (or [C_in, L]); `outputSize` picks the output padding. */
  override forward(input: Tensor, outputSize?: number[]): Tensor {
    const op = outputPaddingFor('ConvTranspose1d', this, input, outputSize);
    return convTranspose1d(input, this.weight, this.bias, {
      stride: this.stride[0]!, padding: (this.padding as number[])[0]!, outputPadding: op[0]!, groups: this.groups, dilation: this.dilation[0]!,
    });
  }
}

/**
 * Transposed 3-D convolution with weight [in, out/groups, kD, kH, kW]; `forward(x, outputSize?)`
 * picks the outputPadding that gives outputSize.
 * @example
 * const up = new nn.ConvTranspose3d(4, 2, 2, { stride: 2 });
 * up.call(torch.randn([1, 4, 3, 3, 3])).shape // [1, 2, 6, 6, 6]
 */
export class ConvTranspose3d extends ConvNd {
  static override readonly displayName: string = 'ConvTranspose3d';
  /** Options: stride, padding, outputPadding, groups, bias (true), dilation, dtype; PyTorch's init. */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number, number], opts: ConvTransposeNdOptions<[number, number, number]> = {}) {
    checkOptions('nn.ConvTranspose3d', opts, [...CONV_KEYS, 'outputPadding']);
    super('ConvTranspose3d', 3, inChannels, outChannels, kernelSize, true, opts);
    checkOutputPadding('ConvTranspose3d', this);
  }

  /** convTranspose3d of `input` [N, C_in, D, H, W] (or unbatched); `outputSize` picks the output padding. */
  override forward(input: Tensor, outputSize?: number[]): Tensor {
    const t = (v: number[]) => v as [number, number, number];
    return convTranspose3d(input, this.weight, this.bias, {
      stride: t(this.stride), padding: t(this.padding as number[]), outputPadding: t(outputPaddingFor('ConvTranspose3d', this, input, outputSize)),
      groups: this.groups, dilation: t(this.dilation),
    });
  }
}
