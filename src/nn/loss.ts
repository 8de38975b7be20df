// Loss modules (torch/nn/modules/loss.py): `forward(input, target)` over the functional losses;
// class weights are registered as buffers (`weight`, `pos_weight`) as in PyTorch.
import type { Tensor } from '../tensor.js';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, huberLoss, klDiv, l1Loss, mseLoss, nllLoss, smoothL1Loss,
  type Reduction,
} from '../ops/nn/index.js';
import { Module } from './module.js';

export interface LossModuleOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** PyTorch's _Loss: holds the reduction. */
abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(opts: LossModuleOptions) {
    super();
    this.reduction = opts.reduction ?? 'mean';
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** PyTorch's _WeightedLoss: an optional per-class `weight` buffer. */
abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;
  constructor(opts: LossModuleOptions & { weight?: Tensor | null }) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
  }
}

/** Mean squared error. @example new nn.MSELoss().call(pred, target) */
export class MSELoss extends Loss {
  constructor(opts: LossModuleOptions = {}) {
    super(opts);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. @example new nn.L1Loss({ reduction: 'sum' }).call(pred, target) */
export class L1Loss extends Loss {
  constructor(opts: LossModuleOptions = {}) {
    super(opts);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Smooth L1 (quadratic below beta). @example new nn.SmoothL1Loss({ beta: 0.5 }).call(pred, target) */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(opts: LossModuleOptions & { beta?: number } = {}) {
    super(opts);
    this.beta = opts.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber loss (quadratic up to delta). @example new nn.HuberLoss({ delta: 2 }).call(pred, target) */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts: LossModuleOptions & { delta?: number } = {}) {
    super(opts);
    this.delta = opts.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

export interface NLLLossOptions extends LossModuleOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

/** Negative log-likelihood of log-probabilities. @example new nn.NLLLoss().call(logProbs, labels) */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(opts: NLLLossOptions = {}) {
    super(opts);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * Cross entropy of logits against class indices or class probabilities.
 * @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).call(logits, labels)
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts: NLLLossOptions & { labelSmoothing?: number } = {}) {
    super(opts);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Binary cross entropy of probabilities. @example new nn.BCELoss().call(torch.sigmoid(logits), labels) */
export class BCELoss extends WeightedLoss {
  constructor(opts: LossModuleOptions & { weight?: Tensor | null } = {}) {
    super(opts);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Sigmoid + binary cross entropy, stably; `posWeight` is registered as the `pos_weight` buffer.
 * @example new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([3.0]) }).call(logits, labels)
 */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(opts: LossModuleOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('pos_weight', opts.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction });
  }
}

/**
 * KL divergence with log-probability inputs; reduction 'batchmean' gives the true KL divergence.
 * @example new nn.KLDivLoss({ reduction: 'batchmean' }).call(logProbs, probs)
 */
export class KLDivLoss extends Module {
  readonly reduction: Reduction | 'batchmean';
  readonly logTarget: boolean;
  constructor(opts: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
