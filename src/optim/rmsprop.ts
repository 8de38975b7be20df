// torch.optim.RMSprop: running mean of g² (alpha), optional centering by the running mean of g,
// eps added after the root, optional momentum buffer, L2 weight decay, maximize.
import type { Tensor } from '../tensor.js';
import { zerosLike } from '../ops/creation.js';
import { Optimizer, addcdiv, addcmul, lerp, nextStep, type ParamGroup, type ParamState, type ParamsArg } from './optimizer.js';
import { checkBoolean, checkEps, checkLr, checkMomentum, checkNonNegative, checkWeightDecay, optimizerOptions } from './validate.js';

/** Options of optim.RMSprop (each may be given per parameter group). */
export interface RMSpropOptions {
  /** The learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the running mean of g² (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by an estimate of the variance of g instead of its raw second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export const RMSPROP_DEFAULTS: Readonly<RMSpropOptions> = Object.freeze({
  lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false,
});

/**
 * RMSprop, with torch.optim.RMSprop's update: v = α·v + (1 − α)·g²; avg = √(v − ḡ²) (centered, ḡ the
 * running mean of g) or √v, plus eps; with momentum buf = μ·buf + g/avg, p −= lr·buf, else p −= lr·g/avg.
 * @example const opt = new optim.RMSprop(model.parameters(), { lr: 0.01, centered: true, momentum: 0.5 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  static override readonly displayName: string = 'RMSprop';
  /**
   * `params`: tensors, [name, tensor] pairs or parameter groups; `options`: any of RMSpropOptions (a
   * number is the learning rate), the rest take the defaults.
   */
  constructor(params: ParamsArg<RMSpropOptions>, options: Partial<RMSpropOptions> | number = {}) {
    super(params, { ...RMSPROP_DEFAULTS, ...optimizerOptions('RMSprop', options, Object.keys(RMSPROP_DEFAULTS)) });
  }

  protected checkOptions(o: RMSpropOptions): void {
    checkLr(o.lr);
    checkEps(o.eps);
    checkMomentum(o.momentum);
    checkWeightDecay(o.weightDecay);
    checkNonNegative('alpha value', o.alpha);
    checkBoolean('centered', o.centered);
    checkBoolean('maximize', o.maximize);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>, state: ParamState | undefined): [Tensor, ParamState] {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    const step = nextStep(state);
    if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
    const squareAvg = addcmul(((state?.squareAvg as Tensor | undefined) ?? zerosLike(p)).mul(alpha), g, g, 1 - alpha);
    const next: ParamState = { step, squareAvg };
    let avg: Tensor;
    if (centered) {
      const gradAvg = lerp((state?.gradAvg as Tensor | undefined) ?? zerosLike(p), g, 1 - alpha);
      next.gradAvg = gradAvg;
      avg = addcmul(squareAvg, gradAvg, gradAvg, -1).sqrt();
    } else {
      avg = squareAvg.sqrt();
    }
    avg = avg.add(eps);
    if (momentum > 0) {
      const buf = addcdiv(((state?.momentumBuffer as Tensor | undefined) ?? zerosLike(p)).mul(momentum), g, avg);
      next.momentumBuffer = buf;
      return [p.add(buf, { alpha: -lr }), next];
    }
    return [addcdiv(p, g, avg, -lr), next];
  }
}
