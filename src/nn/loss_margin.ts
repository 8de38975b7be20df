// Loss modules of torch/nn/modules/loss.py that loss.ts and loss_more.ts do not hold: CTCLoss,
// MultiMarginLoss, MultiLabelMarginLoss and TripletMarginWithDistanceLoss, over the functional losses.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import {
  ctcLoss, multiMarginLoss, multilabelMarginLoss, tripletMarginWithDistanceLoss, type CtcLossOptions, type MultiMarginOptions, type Reduction,
} from '../ops/nn/index.js';
import { PairwiseDistance } from './activation_more.js';
import { Module } from './module.js';

/**
 * The connectionist temporal classification loss (see ctcLoss).
 * @example
 * const ctc = new nn.CTCLoss({ blank: 0 });
 * const loss = ctc.call(logits.logSoftmax(2), targets, inputLengths, targetLengths);
 */
export class CTCLoss extends Module {
  static override readonly displayName: string = 'CTCLoss';
  /** The blank label. */
  readonly blank: number;
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** Whether infinite losses and their gradients become zero. */
  readonly zeroInfinity: boolean;
  /** @param opts blank (0), reduction ('mean'), zeroInfinity (false). */
  constructor(opts: CtcLossOptions = {}) {
    checkOptions('nn.CTCLoss', opts, ['blank', 'reduction', 'zeroInfinity']);
    super();
    this.blank = opts.blank ?? 0;
    this.reduction = opts.reduction ?? 'mean';
    this.zeroInfinity = opts.zeroInfinity ?? false;
  }
  /** ctcLoss of logProbs [T, N, C] against targets with the given lengths. */
  override forward(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | readonly number[] | number, targetLengths: Tensor | readonly number[] | number): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }
}

/**
 * Multi-class hinge loss (see multiMarginLoss); the class weight is a buffer, as in PyTorch.
 * @example new nn.MultiMarginLoss({ margin: 0.5 }).call(scores, labels)
 */
export class MultiMarginLoss extends Module {
  static override readonly displayName: string = 'MultiMarginLoss';
  /** The per-class weight, or null. */
  declare weight: Tensor | null;
  /** 1 or 2. */
  readonly p: 1 | 2;
  /** The margin. */
  readonly margin: number;
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** @param opts p (1), margin (1), weight, reduction ('mean'). */
  constructor(opts: MultiMarginOptions = {}) {
    checkOptions('nn.MultiMarginLoss', opts, ['p', 'margin', 'weight', 'reduction']);
    super();
    this.p = opts.p ?? 1;
    this.margin = opts.margin ?? 1;
    this.reduction = opts.reduction ?? 'mean';
    this.registerBuffer('weight', opts.weight ?? null);
  }
  /** multiMarginLoss of scores `input` [N, C] against int32 classes `target` [N]. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Multi-label hinge loss (see multilabelMarginLoss).
 * @example new nn.MultiLabelMarginLoss().call(scores, torch.tensor([[3, 0, -1, 1]], { dtype: 'int32' }))
 */
export class MultiLabelMarginLoss extends Module {
  static override readonly displayName: string = 'MultiLabelMarginLoss';
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** @param opts reduction ('mean'). */
  constructor(opts: { reduction?: Reduction } = {}) {
    checkOptions('nn.MultiLabelMarginLoss', opts, ['reduction']);
    super();
    this.reduction = opts.reduction ?? 'mean';
  }
  /** multilabelMarginLoss of `input` [N, C] against the −1-terminated class lists `target` [N, C]. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** Options of nn.TripletMarginWithDistanceLoss. */
export interface TripletMarginWithDistanceModuleOptions {
  /** The distance: a function or a module (default nn.PairwiseDistance()). */
  distanceFunction?: ((a: Tensor, b: Tensor) => Tensor) | Module | null;
  /** Default 1. */
  margin?: number;
  /** Use the positive–negative distance when it is smaller (default false). */
  swap?: boolean;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * Triplet loss with any distance (see tripletMarginWithDistanceLoss); a module distance is registered
 * as the submodule `distance_function`, as in PyTorch.
 * @example new nn.TripletMarginWithDistanceLoss({ distanceFunction: new nn.PairwiseDistance({ p: 1 }), margin: 0.5 })
 */
export class TripletMarginWithDistanceLoss extends Module {
  static override readonly displayName: string = 'TripletMarginWithDistanceLoss';
  /** The distance of two batches of embeddings. */
  readonly distanceFunction: (a: Tensor, b: Tensor) => Tensor;
  /** The margin. */
  readonly margin: number;
  /** Whether the positive–negative distance may replace the anchor–negative one. */
  readonly swap: boolean;
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** @param opts distanceFunction (nn.PairwiseDistance()), margin (1), swap (false), reduction ('mean'). */
  constructor(opts: TripletMarginWithDistanceModuleOptions = {}) {
    checkOptions('nn.TripletMarginWithDistanceLoss', opts, ['distanceFunction', 'margin', 'swap', 'reduction']);
    super();
    const d = opts.distanceFunction ?? new PairwiseDistance();
    if (d instanceof Module) {
      this.registerModule('distance_function', d);
      this.distanceFunction = (a, b) => d.call(a, b) as Tensor;
    } else this.distanceFunction = d;
    this.margin = opts.margin ?? 1;
    this.swap = opts.swap ?? false;
    this.reduction = opts.reduction ?? 'mean';
  }
  /** tripletMarginWithDistanceLoss of anchor, positive and negative. */
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, { distanceFunction: this.distanceFunction, margin: this.margin, swap: this.swap, reduction: this.reduction });
  }
}
