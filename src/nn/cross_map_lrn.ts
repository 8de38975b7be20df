// CrossMapLRN2d (torch/nn/modules/normalization.py, the legacy Lua-Torch LRN): x · (k + α/size ·
// Σ_window x²)^(−β) over channel windows. The windows are PyTorch's own running sum, whose removal
// step starts one channel late (channel 0 is never removed), reproduced exactly as a constant [C, C]
// window matrix, so the op is one matmul over channels and every transform reaches it.
import { ShapeError, ValueError, fmtShape, fmtValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import { tensor } from '../ops/creation.js';
import { Module } from './module.js';
import { pyFloat } from './repr.js';

/** Row c: the channels whose squares PyTorch's CrossMapLRN2d sums for output channel c. */
function windowMatrix(channels: number, size: number): number[] {
  const prePad = Math.floor((size - 1) / 2 + 1);
  const prePadCrop = Math.min(prePad, channels);
  const m = new Array<number>(channels * channels).fill(0);
  for (let c = 0; c < prePadCrop; c++) m[c] = 1;
  for (let c = 1; c < channels; c++) {
    for (let j = 0; j < channels; j++) m[c * channels + j] = m[(c - 1) * channels + j]!;
    if (c < channels - prePad + 1) m[c * channels + c + prePad - 1]! += 1;
    if (c > prePad) m[c * channels + c - prePad]! -= 1;
  }
  return m;
}

/** Options of nn.CrossMapLRN2d. */
export interface CrossMapLRN2dOptions {
  /** Scale of the sum (default 1e-4). */
  alpha?: number;
  /** Exponent (default 0.75). */
  beta?: number;
  /** Additive constant (default 1). */
  k?: number;
}

/**
 * Local response normalization across channels of [N, C, H, W], PyTorch's CrossMapLRN2d (the legacy
 * form; nn.LocalResponseNorm is the usual one).
 * @example new nn.CrossMapLRN2d(3, { alpha: 1e-4 }).call(torch.randn([1, 8, 4, 4])).shape // [1, 8, 4, 4]
 */
export class CrossMapLRN2d extends Module {
  static override readonly displayName: string = 'CrossMapLRN2d';
  /** Scale of the sum. */
  readonly alpha: number;
  /** Exponent. */
  readonly beta: number;
  /** Additive constant. */
  readonly k: number;
  /** @param size Channels per window. @param opts alpha (1e-4), beta (0.75), k (1). */
  constructor(readonly size: number, opts: CrossMapLRN2dOptions = {}) {
    checkOptions('nn.CrossMapLRN2d', opts, ['alpha', 'beta', 'k']);
    super();
    if (!Number.isInteger(size) || size < 1) throw new ValueError(`CrossMapLRN2d(): size must be a positive integer, got ${fmtValue(size)}`);
    this.alpha = opts.alpha ?? 1e-4;
    this.beta = opts.beta ?? 0.75;
    this.k = opts.k ?? 1;
  }
  /** The normalized `input` [N, C, H, W]. */
  override forward(input: Tensor): Tensor {
    if (input.ndim !== 4) throw new ShapeError(`CrossMapLRN2d: expected a 4D input [N, C, H, W], got ${fmtShape(input.shape)}`);
    const c = input.shape[1]!;
    const m = tensor(windowMatrix(c, this.size), { dtype: input.dtype, device: input.device }).reshape([c, c]);
    // Σ over the window of each channel: [N, H, W, C] @ Mᵀ, channels back to dim 1.
    const sums = input.square().permute([0, 2, 3, 1]).matmul(m.t()).permute([0, 3, 1, 2]);
    return input.mul(sums.mul(this.alpha / this.size).add(this.k).pow(-this.beta));
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${this.k}`;
  }
}
