// The padding modules (torch/nn/modules/padding.py): ConstantPad1d/2d/3d and ZeroPad1d/2d/3d, and
// ReflectionPad, ReplicationPad and CircularPad in 1, 2 and 3 dims, each the functional `pad` with the
// padding held by the module (an int for every side, or PyTorch's (left, right, top, bottom, front, back)).
import { ShapeError, ValueError, fmtShape, fmtValue } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { pad } from '../ops/shape.js';
import { Module } from './module.js';
import { pyTuple } from './repr.js';

type Mode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** The padding of an N-d padding module: one int for every side, or 2·N ints (last dim first). */
export type PadSpec = number | readonly number[];

/** PyTorch's _ConstantPadNd, _ReflectionPadNd, _ReplicationPadNd and CircularPadNd in one. */
abstract class PadNd extends Module {
  /** The padding of each side, last dim first: (left, right[, top, bottom[, front, back]]). */
  readonly padding: number[];
  /** The fill value of constant padding (0 for the other modes). */
  readonly value: number;

  constructor(cls: string, private readonly mode: Mode, private readonly dims: number, padding: PadSpec, value = 0) {
    super();
    this.value = value;
    const p = typeof padding === 'number' ? new Array<number>(2 * dims).fill(padding) : Array.isArray(padding) ? [...padding] : [];
    if (p.length !== 2 * dims || p.some((v) => !Number.isInteger(v))) {
      throw new ValueError(`${cls}(): padding must be an int or a tuple of ${2 * dims} ints, got ${fmtValue(padding)}`);
    }
    if (typeof value !== 'number') throw new ValueError(`${cls}(): value must be a number, got ${fmtValue(value)}`);
    this.padding = p;
  }

  /** `input` padded on its last N dims (an input of N + 1 dims is unbatched, N + 2 batched). */
  override forward(input: Tensor): Tensor {
    const cls = (this.constructor as typeof Module).displayName;
    if (this.mode !== 'constant' && input.ndim !== this.dims + 1 && input.ndim !== this.dims + 2) {
      throw new ShapeError(`${cls}: expected ${this.dims + 1}D or ${this.dims + 2}D input, got ${fmtShape(input.shape)}`);
    }
    return pad(input, this.padding, this.mode, this.value);
  }

  override extraRepr(): string {
    return this.mode === 'constant' && !(this instanceof ZeroPad1d || this instanceof ZeroPad2d || this instanceof ZeroPad3d)
      ? `padding=${pyTuple(this.padding)}, value=${this.value}`
      : pyTuple(this.padding);
  }
}

/**
 * Pads the last dim of [C, W] or [N, C, W] with a constant.
 * @example new nn.ConstantPad1d([1, 2], 3.5).call(torch.zeros([1, 2, 4])).shape // [1, 2, 7]
 */
export class ConstantPad1d extends PadNd {
  static override readonly displayName: string = 'ConstantPad1d';
  /** @param padding One int for both ends or [left, right]. @param value The fill value. */
  constructor(padding: PadSpec, value: number) {
    super('ConstantPad1d', 'constant', 1, padding, value);
  }
}

/**
 * Pads the last two dims with a constant.
 * @example new nn.ConstantPad2d([1, 1, 2, 0], 3.5).call(torch.zeros([1, 2, 2])).shape // [1, 4, 4]
 */
export class ConstantPad2d extends PadNd {
  static override readonly displayName: string = 'ConstantPad2d';
  /** @param padding One int for every side or [left, right, top, bottom]. @param value The fill value. */
  constructor(padding: PadSpec, value: number) {
    super('ConstantPad2d', 'constant', 2, padding, value);
  }
}

/**
 * Pads the last three dims with a constant.
 * @example new nn.ConstantPad3d(1, 0).call(torch.ones([1, 2, 2, 2])).shape // [1, 4, 4, 4]
 */
export class ConstantPad3d extends PadNd {
  static override readonly displayName: string = 'ConstantPad3d';
  /** @param padding One int for every side or [left, right, top, bottom, front, back]. @param value The fill value. */
  constructor(padding: PadSpec, value: number) {
    super('ConstantPad3d', 'constant', 3, padding, value);
  }
}

/**
 * Pads the last dim with zeros (PyTorch 2's ZeroPad1d).
 * @example new nn.ZeroPad1d(2).call(torch.ones([1, 3])) // [[0, 0, 1, 1, 1, 0, 0]]
 */
export class ZeroPad1d extends PadNd {
  static override readonly displayName: string = 'ZeroPad1d';
  /** @param padding One int for both ends or [left, right]. */
  constructor(padding: PadSpec) {
    super('ZeroPad1d', 'constant', 1, padding, 0);
  }
}

/**
 * Pads the last two dims with zeros.
 * @example new nn.ZeroPad2d([1, 1, 2, 0]).call(torch.ones([1, 3, 3])).shape // [1, 5, 5]
 */
export class ZeroPad2d extends PadNd {
  static override readonly displayName: string = 'ZeroPad2d';
  /** @param padding One int for every side or [left, right, top, bottom]. */
  constructor(padding: PadSpec) {
    super('ZeroPad2d', 'constant', 2, padding, 0);
  }
}

/**
 * Pads the last three dims with zeros (PyTorch 2's ZeroPad3d).
 * @example new nn.ZeroPad3d(1).call(torch.ones([1, 1, 2, 2, 2])).shape // [1, 1, 4, 4, 4]
 */
export class ZeroPad3d extends PadNd {
  static override readonly displayName: string = 'ZeroPad3d';
  /** @param padding One int for every side or [left, right, top, bottom, front, back]. */
  constructor(padding: PadSpec) {
    super('ZeroPad3d', 'constant', 3, padding, 0);
  }
}

/**
 * Pads the last dim of [C, W] or [N, C, W] with its reflection (the edge not repeated).
 * @example new nn.ReflectionPad1d(2).call(torch.tensor([[[0, 1, 2, 3]]])) // [[[2, 1, 0, 1, 2, 3, 2, 1]]]
 */
export class ReflectionPad1d extends PadNd {
  static override readonly displayName: string = 'ReflectionPad1d';
  /** @param padding One int for both ends or [left, right], each smaller than the input size. */
  constructor(padding: PadSpec) {
    super('ReflectionPad1d', 'reflect', 1, padding);
  }
}

/**
 * Pads the last two dims of [C, H, W] or [N, C, H, W] with their reflection.
 * @example new nn.ReflectionPad2d([1, 1, 2, 0]).call(torch.randn([1, 1, 3, 3])).shape // [1, 1, 5, 5]
 */
export class ReflectionPad2d extends PadNd {
  static override readonly displayName: string = 'ReflectionPad2d';
  /** @param padding One int for every side or [left, right, top, bottom]. */
  constructor(padding: PadSpec) {
    super('ReflectionPad2d', 'reflect', 2, padding);
  }
}

/**
 * Pads the last three dims of [C, D, H, W] or [N, C, D, H, W] with their reflection.
 * @example new nn.ReflectionPad3d(1).call(torch.randn([1, 1, 2, 2, 2])).shape // [1, 1, 4, 4, 4]
 */
export class ReflectionPad3d extends PadNd {
  static override readonly displayName: string = 'ReflectionPad3d';
  /** @param padding One int for every side or [left, right, top, bottom, front, back]. */
  constructor(padding: PadSpec) {
    super('ReflectionPad3d', 'reflect', 3, padding);
  }
}

/**
 * Pads the last dim by repeating the edge value.
 * @example new nn.ReplicationPad1d([2, 1]).call(torch.tensor([[[1, 2, 3]]])) // [[[1, 1, 1, 2, 3, 3]]]
 */
export class ReplicationPad1d extends PadNd {
  static override readonly displayName: string = 'ReplicationPad1d';
  /** @param padding One int for both ends or [left, right]. */
  constructor(padding: PadSpec) {
    super('ReplicationPad1d', 'replicate', 1, padding);
  }
}

/**
 * Pads the last two dims by repeating the edge values.
 * @example new nn.ReplicationPad2d(1).call(torch.randn([1, 1, 3, 3])).shape // [1, 1, 5, 5]
 */
export class ReplicationPad2d extends PadNd {
  static override readonly displayName: string = 'ReplicationPad2d';
  /** @param padding One int for every side or [left, right, top, bottom]. */
  constructor(padding: PadSpec) {
    super('ReplicationPad2d', 'replicate', 2, padding);
  }
}

/**
 * Pads the last three dims by repeating the edge values.
 * @example new nn.ReplicationPad3d(1).call(torch.randn([1, 1, 2, 2, 2])).shape // [1, 1, 4, 4, 4]
 */
export class ReplicationPad3d extends PadNd {
  static override readonly displayName: string = 'ReplicationPad3d';
  /** @param padding One int for every side or [left, right, top, bottom, front, back]. */
  constructor(padding: PadSpec) {
    super('ReplicationPad3d', 'replicate', 3, padding);
  }
}

/**
 * Pads the last dim with the values from its other end, as if it were periodic (PyTorch 2's CircularPad1d).
 * @example new nn.CircularPad1d(1).call(torch.tensor([[[1, 2, 3]]])) // [[[3, 1, 2, 3, 1]]]
 */
export class CircularPad1d extends PadNd {
  static override readonly displayName: string = 'CircularPad1d';
  /** @param padding One int for both ends or [left, right], each at most the input size. */
  constructor(padding: PadSpec) {
    super('CircularPad1d', 'circular', 1, padding);
  }
}

/**
 * Pads the last two dims periodically (PyTorch 2's CircularPad2d).
 * @example new nn.CircularPad2d(1).call(torch.randn([1, 1, 3, 3])).shape // [1, 1, 5, 5]
 */
export class CircularPad2d extends PadNd {
  static override readonly displayName: string = 'CircularPad2d';
  /** @param padding One int for every side or [left, right, top, bottom]. */
  constructor(padding: PadSpec) {
    super('CircularPad2d', 'circular', 2, padding);
  }
}

/**
 * Pads the last three dims periodically (PyTorch 2's CircularPad3d).
 * @example new nn.CircularPad3d(1).call(torch.randn([1, 1, 2, 2, 2])).shape // [1, 1, 4, 4, 4]
 */
export class CircularPad3d extends PadNd {
  static override readonly displayName: string = 'CircularPad3d';
  /** @param padding One int for every side or [left, right, top, bottom, front, back]. */
  constructor(padding: PadSpec) {
    super('CircularPad3d', 'circular', 3, padding);
  }
}
