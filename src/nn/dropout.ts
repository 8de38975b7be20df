// Dropout (torch/nn/modules/dropout.py): active in training mode, the identity in eval mode.
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { dropout } from '../ops/nn/index.js';
import { Module } from './module.js';
import { py, pyFloat } from './repr.js';

/**
 * Zeroes each element with probability p while training (scaling the rest by 1 / (1 - p)).
 * @example
 * const drop = new nn.Dropout(0.2); // Dropout(p=0.2, inplace=False)
 * drop.eval().call(x) === x
 */
export class Dropout extends Module {
  static override readonly displayName: string = 'Dropout';
  /** The probability of zeroing an element. */
  readonly p: number;
  /** @param p The probability of zeroing an element, in [0, 1] (default 0.5). */
  constructor(p = 0.5) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`Dropout(): dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
  }
  /**
   * In training mode, zeroes elements with probability p and scales the rest by 1 / (1 - p); in eval
   * mode returns `input`.
   */
  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${py(false)}`;
  }
}
