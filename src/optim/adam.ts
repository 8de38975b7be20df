// torch.optim.Adam: bias-corrected moments, eps outside the root, L2 weight decay (or AdamW's
// decoupled decay), amsgrad keeping the max of the raw second moment, maximize.
import { nameOfClass } from '../core/names.js';
import type { Tensor } from '../tensor.js';
import { zerosLike } from '../ops/creation.js';
import { Optimizer, addcdiv, addcmul, divide, lerp, nextStep, oneMinusPow, type ParamGroup, type ParamState, type ParamsArg } from './optimizer.js';
import { checkBetas, checkBoolean, checkEps, checkLr, checkWeightDecay, optimizerOptions } from './validate.js';

/** Options of optim.Adam and optim.AdamW (each may be given per parameter group). */
export interface AdamOptions {
  /** The learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay: an L2 term added to the gradient for Adam, decoupled for AdamW (default 0; AdamW 1e-2). */
  weightDecay: number;
  /** AMSGrad: divide by the running maximum of the second moment (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export const ADAM_DEFAULTS: Readonly<AdamOptions> = Object.freeze({
  lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false,
});

/**
 * One Adam update of `p` (PyTorch's single-tensor path). `decoupled`: AdamW's p·(1 − lr·wd) instead
 * of adding wd·p to the gradient.
 */
export function adamUpdate(p: Tensor, grad: Tensor, group: AdamOptions, state: ParamState | undefined, decoupled: boolean): [Tensor, ParamState] {
  const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = group;
  let g = maximize ? grad.neg() : grad;
  if (weightDecay !== 0) {
    if (decoupled) p = p.mul(1 - lr * weightDecay);
    else g = g.add(p, { alpha: weightDecay });
  }
  const step = nextStep(state);
  const expAvg = lerp((state?.expAvg as Tensor | undefined) ?? zerosLike(p), g, 1 - beta1);
  const expAvgSq = addcmul(((state?.expAvgSq as Tensor | undefined) ?? zerosLike(p)).mul(beta2), g, g, 1 - beta2);
  const biasCorrection1 = oneMinusPow(beta1, step, p.dtype);
  const bc2 = oneMinusPow(beta2, step, p.dtype);
  const biasCorrection2Sqrt = typeof bc2 === 'number' ? Math.sqrt(bc2) : bc2.sqrt();
  const stepSize = divide(lr, biasCorrection1);
  const next: ParamState = { step, expAvg, expAvgSq };
  let v = expAvgSq;
  if (amsgrad) {
    v = ((state?.maxExpAvgSq as Tensor | undefined) ?? zerosLike(p)).maximum(expAvgSq);
    next.maxExpAvgSq = v;
  }
  const denom = v.sqrt().div(biasCorrection2Sqrt).add(eps);
  return [addcdiv(p, expAvg, denom, typeof stepSize === 'number' ? -stepSize : stepSize.neg()), next];
}

/**
 * Adam, with torch.optim.Adam's update: m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * p −= lr/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + eps). weightDecay is L2 (added to g); see AdamW.
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 0.1, betas: [0.9, 0.999], weightDecay: 0 });
 */
export class Adam extends Optimizer<AdamOptions> {
  static override readonly displayName: string = 'Adam';
  /**
   * `params`: tensors, [name, tensor] pairs or parameter groups; `options`: any of AdamOptions (a
   * number is the learning rate), the rest take the defaults.
   */
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> | number = {}) {
    super(params, { ...ADAM_DEFAULTS, ...optimizerOptions(nameOfClass(new.target), options, Object.keys(ADAM_DEFAULTS)) });
  }

  /** AdamW's decoupled weight decay. */
  protected get decoupledWeightDecay(): boolean {
    return false;
  }

  protected checkOptions(o: AdamOptions): void {
    checkLr(o.lr);
    checkEps(o.eps);
    checkBetas(o.betas);
    checkWeightDecay(o.weightDecay);
    checkBoolean('amsgrad', o.amsgrad);
    checkBoolean('maximize', o.maximize);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState | undefined): [Tensor, ParamState] {
    return adamUpdate(p, grad, group, state, this.decoupledWeightDecay);
  }
}
