// torch.optim.Adagrad: accumulated g², decayed learning rate lr / (1 + (step − 1)·lrDecay).
import type { Tensor } from '../tensor.js';
import { fullLike } from '../ops/creation.js';
import { Optimizer, addcdiv, addcmul, nextStep, type ParamGroup, type ParamState, type ParamsArg } from './optimizer.js';
import { checkBoolean, checkEps, checkLr, checkNonNegative, checkWeightDecay, optimizerOptions } from './validate.js';

/** Options of optim.Adagrad (each may be given per parameter group). */
export interface AdagradOptions {
  /** The learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay per step: lr / (1 + (step − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export const ADAGRAD_DEFAULTS: Readonly<AdagradOptions> = Object.freeze({
  lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false,
});

/**
 * Adagrad, with torch.optim.Adagrad's update: sum += g²; clr = lr / (1 + (step − 1)·lrDecay);
 * p −= clr · g / (√sum + eps). The accumulator starts at initialAccumulatorValue.
 * @example const opt = new optim.Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  static override readonly displayName: string = 'Adagrad';
  /**
   * `params`: tensors, [name, tensor] pairs or parameter groups; `options`: any of AdagradOptions (a
   * number is the learning rate), the rest take the defaults.
   */
  constructor(params: ParamsArg<AdagradOptions>, options: Partial<AdagradOptions> | number = {}) {
    super(params, { ...ADAGRAD_DEFAULTS, ...optimizerOptions('Adagrad', options, Object.keys(ADAGRAD_DEFAULTS)) });
  }

  protected checkOptions(o: AdagradOptions): void {
    checkLr(o.lr);
    checkNonNegative('lr_decay value', o.lrDecay);
    checkWeightDecay(o.weightDecay);
    checkNonNegative('initial_accumulator_value value', o.initialAccumulatorValue);
    checkEps(o.eps);
    checkBoolean('maximize', o.maximize);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdagradOptions>, state: ParamState | undefined): [Tensor, ParamState] {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = group;
    const step = nextStep(state);
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
    const clr = typeof step === 'number' ? lr / (1 + (step - 1) * lrDecay) : step.sub(1).mul(lrDecay).add(1).reciprocal().mul(lr).to(p.dtype);
    const sum = addcmul((state?.sum as Tensor | undefined) ?? fullLike(p, initialAccumulatorValue), g, g, 1);
    const std = sum.sqrt().add(eps);
    return [addcdiv(p, g, std, typeof clr === 'number' ? -clr : clr.neg()), { step, sum }];
  }
}
