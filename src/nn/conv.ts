// Conv1d, Conv2d and ConvTranspose2d (torch/nn/modules/conv.py): PyTorch's parameter shapes,
// default initialization, padding modes and repr.
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { empty } from '../ops/creation.js';
import { pad as padOp, type PadMode } from '../ops/shape.js';
import { conv1d, conv2d, convTranspose2d } from '../ops/nn/index.js';
import * as init from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyTuple } from './repr.js';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface ConvOptions<N extends number[]> {
  stride?: number | N;
  /** An int or tuple, or 'valid' (none) / 'same' (output size = input size, stride 1 only). */
  padding?: number | N | 'valid' | 'same';
  dilation?: number | N;
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
  dtype?: DType;
}

export interface ConvTransposeOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  outputPadding?: number | [number, number];
  groups?: number;
  bias?: boolean;
  dilation?: number | [number, number];
  paddingMode?: 'zeros';
  dtype?: DType;
}

function tuple(cls: string, arg: string, v: unknown, n: number, min: number): number[] {
  const t = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? [...(v as number[])] : [];
  if (t.length !== n || t.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < min)) {
    throw new ValueError(`${cls}(): ${arg} must be an int >= ${min} or a tuple of ${n} such ints, got ${JSON.stringify(v)}`);
  }
  return t;
}

/** Shared state and initialization of the convolution layers (PyTorch's _ConvNd). */
abstract class ConvNd extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'valid' | 'same';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
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

  /** Re-draws weight (kaiming_uniform_, a = sqrt(5)) and bias (U(-1/sqrt(fanIn), 1/sqrt(fanIn))). @example conv.resetParameters() */
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
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], opts: ConvOptions<[number]> = {}) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize as number | number[], false, opts);
  }

  override forward(input: Tensor): Tensor {
    const o = { stride: this.stride[0]!, dilation: this.dilation[0]!, groups: this.groups };
    if (this.paddingMode !== 'zeros') return conv1d(this.padInput(input), this.weight, this.bias, { ...o, padding: 0 });
    const padding = typeof this.padding === 'string' ? this.padding : this.padding[0]!;
    return conv1d(input, this.weight, this.bias, { ...o, padding });
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
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], opts: ConvOptions<[number, number]> = {}) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, false, opts);
  }

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
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], opts: ConvTransposeOptions = {}) {
    super('ConvTranspose2d', 2, inChannels, outChannels, kernelSize, true, opts);
    for (let i = 0; i < 2; i++) {
      if (this.outputPadding[i]! >= Math.max(this.stride[i]!, this.dilation[i]!)) {
        throw new ValueError(
          `ConvTranspose2d(): output padding must be smaller than either stride or dilation, but got output_padding=${pyTuple(this.outputPadding)}, stride=${pyTuple(this.stride)}, dilation=${pyTuple(this.dilation)}`,
        );
      }
    }
  }

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
