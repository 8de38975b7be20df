// Flatten and Unflatten (torch/nn/modules/flatten.py).
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { pyTuple } from './repr.js';

/**
 * Flattens dims startDim..endDim into one (by default all but the batch dim).
 * @example new nn.Flatten().call(torch.zeros([2, 4, 3, 3])).shape // [2, 36]
 */
export class Flatten extends Module {
  static override readonly displayName: string = 'Flatten';
  /**
   * @param startDim The first dim to flatten (default 1, keeping the batch dim).
   * @param endDim The last dim to flatten (default -1).
   */
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  /** `input.flatten(startDim, endDim)`. */
  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Splits dim `dim` into `unflattenedSize`.
 * @example new nn.Unflatten(1, [2, 5]).call(torch.zeros([3, 10])).shape // [3, 2, 5]
 */
export class Unflatten extends Module {
  static override readonly displayName: string = 'Unflatten';
  /** The sizes `dim` is split into. */
  readonly unflattenedSize: number[];
  /**
   * @param dim The dim to split.
   * @param unflattenedSize Its new sizes (one may be -1).
   */
  constructor(readonly dim: number, unflattenedSize: number[]) {
    super();
    this.unflattenedSize = [...unflattenedSize];
  }
  /** `input.unflatten(dim, unflattenedSize)`. */
  override forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
