// Loss modules (torch/nn/modules/loss.py): `forward(input, target)` over the functional losses;
// class weights are registered as buffers (`weight`, `pos_weight`) as in PyTorch.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, huberLoss, klDiv, l1Loss, mseLoss, nllLoss, smoothL1Loss,
  type Reduction,
} from '../ops/nn/index.js';
import { Module } from './module.js';

/** The option every loss module takes. */
export interface LossModuleOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** PyTorch's _Loss: holds the reduction. */
abstract class Loss extends Module {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static override readonly displayName: string = 'Loss';
  /** How the per-element losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  constructor(opts: LossModuleOptions) {
    super();
    this.reduction = opts.reduction ?? 'mean';
  }
  /** The loss of `input` against `target`, combined by `reduction`. */
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** PyTorch's _WeightedLoss: an optional per-class `weight` buffer. */
abstract class WeightedLoss extends Loss {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static override readonly displayName: string = 'WeightedLoss';
  /** Buffer: a rescaling weight (per class for NLLLoss / CrossEntropyLoss; null: none). */
  declare weight: Tensor | null;
  constructor(opts: LossModuleOptions & { weight?: Tensor | null }) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
  }
}

/** Mean squared error. @example new nn.MSELoss().call(pred, target) */
export class MSELoss extends Loss {
  static override readonly displayName: string = 'MSELoss';
  /** Option: reduction (default 'mean'). */
  constructor(opts: LossModuleOptions = {}) {
    checkOptions('nn.MSELoss', opts, ['reduction']);
    super(opts);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. @example new nn.L1Loss({ reduction: 'sum' }).call(pred, target) */
export class L1Loss extends Loss {
  static override readonly displayName: string = 'L1Loss';
  /** Option: reduction (default 'mean'). */
  constructor(opts: LossModuleOptions = {}) {
    checkOptions('nn.L1Loss', opts, ['reduction']);
    super(opts);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Smooth L1 (quadratic below beta). @example new nn.SmoothL1Loss({ beta: 0.5 }).call(pred, target) */
export class SmoothL1Loss extends Loss {
  static override readonly displayName: string = 'SmoothL1Loss';
  /** Where the loss turns from quadratic to linear. */
  readonly beta: number;
  /** Options: reduction (default 'mean'), beta (default 1). */
  constructor(opts: LossModuleOptions & { beta?: number } = {}) {
    checkOptions('nn.SmoothL1Loss', opts, ['reduction', 'beta']);
    super(opts);
    this.beta = opts.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber loss (quadratic up to delta). @example new nn.HuberLoss({ delta: 2 }).call(pred, target) */
export class HuberLoss extends Loss {
  static override readonly displayName: string = 'HuberLoss';
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;
  /** Options: reduction (default 'mean'), delta (default 1). */
  constructor(opts: LossModuleOptions & { delta?: number } = {}) {
    checkOptions('nn.HuberLoss', opts, ['reduction', 'delta']);
    super(opts);
    this.delta = opts.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Options of nn.NLLLoss and nn.CrossEntropyLoss. */
export interface NLLLossOptions extends LossModuleOptions {
  /** A weight per class [C], registered as the `weight` buffer. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
}

/** Negative log-likelihood of log-probabilities. @example new nn.NLLLoss().call(logProbs, labels) */
export class NLLLoss extends WeightedLoss {
  static override readonly displayName: string = 'NLLLoss';
  /** Targets equal to this contribute nothing. */
  readonly ignoreIndex: number;
  /** Options: reduction (default 'mean'), weight, ignoreIndex (default -100). */
  constructor(opts: NLLLossOptions = {}) {
    checkOptions('nn.NLLLoss', opts, ['reduction', 'weight', 'ignoreIndex']);
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
  static override readonly displayName: string = 'CrossEntropyLoss';
  /** Targets equal to this contribute nothing. */
  readonly ignoreIndex: number;
  /** Amount s of label smoothing: the target becomes (1 - s) * target + s / C. */
  readonly labelSmoothing: number;
  /** Options: reduction (default 'mean'), weight, ignoreIndex (default -100), labelSmoothing (default 0). */
  constructor(opts: NLLLossOptions & { labelSmoothing?: number } = {}) {
    checkOptions('nn.CrossEntropyLoss', opts, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing']);
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
  static override readonly displayName: string = 'BCELoss';
  /** Options: reduction (default 'mean'), weight (broadcast to the input). */
  constructor(opts: LossModuleOptions & { weight?: Tensor | null } = {}) {
    checkOptions('nn.BCELoss', opts, ['reduction', 'weight']);
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
  static override readonly displayName: string = 'BCEWithLogitsLoss';
  /** Buffer: rescaling weight broadcast to the input (null: none). */
  declare weight: Tensor | null;
  /** Buffer: weight of the positive examples, usually one per class (null: 1). */
  declare pos_weight: Tensor | null;
  /** Options: reduction (default 'mean'), weight, posWeight. */
  constructor(opts: LossModuleOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    checkOptions('nn.BCEWithLogitsLoss', opts, ['reduction', 'weight', 'posWeight']);
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
  static override readonly displayName: string = 'KLDivLoss';
  /** 'mean' (over all elements), 'batchmean' (sum / batch size), 'sum' or 'none'. */
  readonly reduction: Reduction | 'batchmean';
  /** Whether the target is given as log-probabilities. */
  readonly logTarget: boolean;
  /**
   * Options: reduction (default 'mean', as PyTorch; 'batchmean' is the true KL divergence), logTarget
   * (default false).
   */
  constructor(opts: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}) {
    checkOptions('nn.KLDivLoss', opts, ['reduction', 'logTarget']);
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }
  /** The pointwise terms `target * (log target - input)`, combined by `reduction`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
