// More activation and distance modules (torch/nn/modules/{activation,pixelshuffle,distance}.py), thin
// modules over ../ops/nn/activation_more.ts and the hard* / glu functions.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import { full } from '../ops/creation.js';
import {
  celu, cosineSimilarity, glu, hardshrink, hardsigmoid, hardswish, pairwiseDistance, pixelShuffle, pixelUnshuffle, prelu, selu,
  softmin, softshrink, softsign, tanhshrink, threshold, interpolate, type CosineSimilarityOptions, type InterpolateOptions,
  type PairwiseDistanceOptions,
} from '../ops/nn/index.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyFloat } from './repr.js';

/** scale · elu(x, α) with PyTorch's SELU constants. @example new nn.SELU().call(x) */
export class SELU extends Module {
  static override readonly displayName: string = 'SELU';
  override forward(input: Tensor): Tensor {
    return selu(input);
  }
}

/** x / (1 + |x|). */
export class Softsign extends Module {
  static override readonly displayName: string = 'Softsign';
  override forward(input: Tensor): Tensor {
    return softsign(input);
  }
}

/** x − tanh(x). */
export class Tanhshrink extends Module {
  static override readonly displayName: string = 'Tanhshrink';
  override forward(input: Tensor): Tensor {
    return tanhshrink(input);
  }
}

/** x · relu6(x + 3) / 6. */
export class Hardswish extends Module {
  static override readonly displayName: string = 'Hardswish';
  override forward(input: Tensor): Tensor {
    return hardswish(input);
  }
}

/** relu6(x + 3) / 6. */
export class Hardsigmoid extends Module {
  static override readonly displayName: string = 'Hardsigmoid';
  override forward(input: Tensor): Tensor {
    return hardsigmoid(input);
  }
}

/** max(0, x) + min(0, α(e^(x/α) − 1)). @example new nn.CELU(2) */
export class CELU extends Module {
  static override readonly displayName: string = 'CELU';
  /** @param alpha α (default 1). */
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return celu(input, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** softmax(−x) along dim. @example new nn.Softmin(1) */
export class Softmin extends Module {
  static override readonly displayName: string = 'Softmin';
  /** @param dim The dim the result sums to 1 along. */
  constructor(readonly dim: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return softmin(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** x ∓ λ beyond ±λ, 0 between. @example new nn.Softshrink(0.5) */
export class Softshrink extends Module {
  static override readonly displayName: string = 'Softshrink';
  /** @param lambd λ ≥ 0 (default 0.5). */
  constructor(readonly lambd = 0.5) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return softshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return String(this.lambd);
  }
}

/** x where |x| > λ, else 0. @example new nn.Hardshrink(0.5) */
export class Hardshrink extends Module {
  static override readonly displayName: string = 'Hardshrink';
  /** @param lambd λ ≥ 0 (default 0.5). */
  constructor(readonly lambd = 0.5) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return hardshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return String(this.lambd);
  }
}

/** x where x > threshold, else value. @example new nn.Threshold(0.1, 20) */
export class Threshold extends Module {
  static override readonly displayName: string = 'Threshold';
  /** @param threshold The cut-off. @param value What replaces x at or below it. */
  constructor(readonly threshold: number, readonly value: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return threshold(input, this.threshold, this.value);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}

/** max(0, x) + a · min(0, x) with a learnable slope a (one, or one per channel), initialised to `init`. */
export class PReLU extends Module {
  static override readonly displayName: string = 'PReLU';
  /** The slopes a, [numParameters]. */
  declare weight: Tensor;
  /** 1, or the number of channels (one slope each). */
  readonly numParameters: number;
  /** @param opts numParameters (1 or the channel count, default 1), init (default 0.25), dtype. */
  constructor(opts: { numParameters?: number; init?: number; dtype?: 'float32' | 'float64' } = {}) {
    checkOptions('nn.PReLU', opts, ['numParameters', 'init', 'dtype']);
    super();
    this.numParameters = opts.numParameters ?? 1;
    this.weight = Parameter(full([this.numParameters], opts.init ?? 0.25, { dtype: opts.dtype ?? 'float32' }));
  }
  override forward(input: Tensor): Tensor {
    return prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** Gated linear unit along dim (default -1). */
export class GLU extends Module {
  static override readonly displayName: string = 'GLU';
  /** @param dim The dim split in halves (default -1). */
  constructor(readonly dim = -1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return glu(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** [*, C·r², H, W] → [*, C, H·r, W·r]. @example new nn.PixelShuffle(2) */
export class PixelShuffle extends Module {
  static override readonly displayName: string = 'PixelShuffle';
  /** @param upscaleFactor r. */
  constructor(readonly upscaleFactor: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/** [*, C, H·r, W·r] → [*, C·r², H, W]. @example new nn.PixelUnshuffle(2) */
export class PixelUnshuffle extends Module {
  static override readonly displayName: string = 'PixelUnshuffle';
  /** @param downscaleFactor r. */
  constructor(readonly downscaleFactor: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

/** Cosine similarity along dim (default 1). @example new nn.CosineSimilarity({ dim: 1 }).call(a, b) */
export class CosineSimilarity extends Module {
  static override readonly displayName: string = 'CosineSimilarity';
  /** @param opts dim (default 1) and eps (default 1e-8). */
  constructor(readonly opts: CosineSimilarityOptions = {}) {
    checkOptions('nn.CosineSimilarity', opts, ['dim', 'eps']);
    super();
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.opts);
  }
}

/** p-norm of x₁ − x₂ + ε along the last dim. @example new nn.PairwiseDistance().call(a, b) */
export class PairwiseDistance extends Module {
  static override readonly displayName: string = 'PairwiseDistance';
  /** @param opts p (default 2), eps (default 1e-6), keepdim (default false). */
  constructor(readonly opts: PairwiseDistanceOptions = {}) {
    checkOptions('nn.PairwiseDistance', opts, ['p', 'eps', 'keepdim']);
    super();
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.opts);
  }
}



/** Upsamples with interpolate: nearest (default), linear or bilinear. @example new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }) */
export class Upsample extends Module {
  static override readonly displayName: string = 'Upsample';
  /** @param opts size or scaleFactor, mode, alignCorners (as interpolate). */
  constructor(readonly opts: InterpolateOptions) {
    checkOptions('nn.Upsample', opts, ['size', 'scaleFactor', 'mode', 'alignCorners']);
    super();
  }
  override forward(input: Tensor): Tensor {
    return interpolate(input, this.opts);
  }
  override extraRepr(): string {
    const { size, scaleFactor, mode = 'nearest' } = this.opts;
    const tuple = (v: number | number[], f: (n: number) => string) => (Array.isArray(v) ? `(${v.map(f).join(', ')})` : f(v));
    const info = scaleFactor !== undefined ? `scale_factor=${tuple(scaleFactor, pyFloat)}` : `size=${tuple(size!, String)}`;
    return `${info}, mode='${mode}'`;
  }
}
