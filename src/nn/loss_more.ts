// More loss modules (torch/nn/modules/loss.py), each holding its options and calling
// ../ops/nn/loss_more.ts.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import {
  cosineEmbeddingLoss, gaussianNllLoss, hingeEmbeddingLoss, marginRankingLoss, multilabelSoftMarginLoss, poissonNllLoss, softMarginLoss,
  tripletMarginLoss, type GaussianNllOptions, type MarginOptions, type PoissonNllOptions, type Reduction, type TripletMarginOptions,
} from '../ops/nn/index.js';
import { Module } from './module.js';

/** max(0, −y·(x₁ − x₂) + margin). @example new nn.MarginRankingLoss({ margin: 0.1 }).call(a, b, y) */
export class MarginRankingLoss extends Module {
  static override readonly displayName: string = 'MarginRankingLoss';
  /** @param opts margin (default 0), reduction. */
  constructor(readonly opts: MarginOptions = {}) {
    checkOptions('nn.MarginRankingLoss', opts, ['margin', 'reduction']);
    super();
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, this.opts);
  }
}

/** x for y = 1, max(0, margin − x) for y = −1. */
export class HingeEmbeddingLoss extends Module {
  static override readonly displayName: string = 'HingeEmbeddingLoss';
  /** @param opts margin (default 1), reduction. */
  constructor(readonly opts: MarginOptions = {}) {
    checkOptions('nn.HingeEmbeddingLoss', opts, ['margin', 'reduction']);
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, this.opts);
  }
}

/** Options of SoftMarginLoss. */
export interface SoftMarginOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** log(1 + exp(−y·x)). */
export class SoftMarginLoss extends Module {
  static override readonly displayName: string = 'SoftMarginLoss';
  /** @param opts reduction. */
  constructor(readonly opts: SoftMarginOptions = {}) {
    checkOptions('nn.SoftMarginLoss', opts, ['reduction']);
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, this.opts);
  }
}

/** max(d(a, p) − d(a, n) + margin, 0). @example new nn.TripletMarginLoss({ margin: 0.5 }).call(a, p, n) */
export class TripletMarginLoss extends Module {
  static override readonly displayName: string = 'TripletMarginLoss';
  /** @param opts margin (default 1), p (2), eps (1e-6), swap (false), reduction. */
  constructor(readonly opts: TripletMarginOptions = {}) {
    checkOptions('nn.TripletMarginLoss', opts, ['margin', 'p', 'eps', 'swap', 'reduction']);
    super();
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, this.opts);
  }
}

/** 1 − cos for y = 1, max(0, cos − margin) for y = −1. */
export class CosineEmbeddingLoss extends Module {
  static override readonly displayName: string = 'CosineEmbeddingLoss';
  /** @param opts margin (default 0), reduction. */
  constructor(readonly opts: MarginOptions = {}) {
    checkOptions('nn.CosineEmbeddingLoss', opts, ['margin', 'reduction']);
    super();
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, this.opts);
  }
}

/** Poisson negative log-likelihood. @example new nn.PoissonNLLLoss({ logInput: true }) */
export class PoissonNLLLoss extends Module {
  static override readonly displayName: string = 'PoissonNLLLoss';
  /** @param opts logInput (default true), full (false), eps (1e-8), reduction. */
  constructor(readonly opts: PoissonNllOptions = {}) {
    checkOptions('nn.PoissonNLLLoss', opts, ['logInput', 'full', 'eps', 'reduction']);
    super();
  }
  override forward(logInput: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(logInput, target, this.opts);
  }
}

/** Gaussian negative log-likelihood with a predicted variance. */
export class GaussianNLLLoss extends Module {
  static override readonly displayName: string = 'GaussianNLLLoss';
  /** @param opts full (default false), eps (1e-6), reduction. */
  constructor(readonly opts: GaussianNllOptions = {}) {
    checkOptions('nn.GaussianNLLLoss', opts, ['full', 'eps', 'reduction']);
    super();
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, this.opts);
  }
}

/** Multilabel one-versus-all loss on logits. */
export class MultiLabelSoftMarginLoss extends Module {
  static override readonly displayName: string = 'MultiLabelSoftMarginLoss';
  /** The per-class weight, a buffer as in PyTorch (null for none). */
  declare weight: Tensor | null;
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** @param opts weight (per class), reduction. */
  constructor(opts: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    checkOptions('nn.MultiLabelSoftMarginLoss', opts, ['weight', 'reduction']);
    super();
    this.registerBuffer('weight', opts.weight ?? null);
    this.reduction = opts.reduction ?? 'mean';
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
