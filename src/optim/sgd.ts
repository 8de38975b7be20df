// torch.optim.SGD: momentum (first buffer = g), dampening, Nesterov, L2 weight decay, maximize.
import type { Tensor } from '../tensor.js';
import { ValueError } from '../core/errors.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsArg } from './optimizer.js';
import { checkBoolean, checkLr, checkMomentum, checkNonNegative, checkWeightDecay, optimizerOptions } from './validate.js';

/** Options of optim.SGD (each may be given per parameter group). */
export interface SGDOptions {
  /** Default 1e-3 (PyTorch 2.x). */
  lr: number;
  /** Momentum factor μ (default 0: plain SGD). */
  momentum: number;
  /** Dampening of the momentum: buf = μ·buf + (1 − dampening)·g (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient: g + wd·p (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export const SGD_DEFAULTS: Readonly<SGDOptions> = Object.freeze({
  lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false,
});

/**
 * Stochastic gradient descent, with torch.optim.SGD's update:
 * g = ±grad + wd·p; buf = g at the first step, then momentum·buf + (1 − dampening)·g;
 * g = g + momentum·buf (nesterov) or buf; p −= lr·g.
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDOptions> {
  static override readonly displayName: string = 'SGD';
  /**
   * `params`: tensors, [name, tensor] pairs or parameter groups; `options`: any of SGDOptions (a number
   * is the learning rate), the rest take the defaults.
   */
  constructor(params: ParamsArg<SGDOptions>, options: Partial<SGDOptions> | number = {}) {
    super(params, { ...SGD_DEFAULTS, ...optimizerOptions('SGD', options, Object.keys(SGD_DEFAULTS)) });
  }

  protected checkOptions(o: SGDOptions): void {
    checkLr(o.lr);
    checkMomentum(o.momentum);
    checkNonNegative('dampening value', o.dampening);
    checkWeightDecay(o.weightDecay);
    checkBoolean('nesterov', o.nesterov);
    checkBoolean('maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError('Nesterov momentum requires a momentum and zero dampening');
    }
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>, state: ParamState | undefined): [Tensor, ParamState] {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
    const next: ParamState = {};
    if (momentum !== 0) {
      const prev = state?.momentumBuffer as Tensor | undefined;
      const buf = prev === undefined ? g.clone() : prev.mul(momentum).add(g, { alpha: 1 - dampening });
      next.momentumBuffer = buf;
      g = nesterov ? g.add(buf, { alpha: momentum }) : buf;
    }
    return [p.add(g, { alpha: -lr }), next];
  }
}
