// torch.optim.SGD: momentum (first buffer = g), dampening, Nesterov, L2 weight decay, maximize.
import type { Tensor } from '../tensor.js';
import { ValueError } from '../core/errors.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsArg } from './optimizer.js';
import { checkBoolean, checkKnownKeys, checkLr, checkMomentum, checkNonNegative, checkWeightDecay } from './validate.js';

export interface SGDOptions {
  /** Default 1e-3 (PyTorch 2.x). */
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
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
  constructor(params: ParamsArg<SGDOptions>, options: Partial<SGDOptions> = {}) {
    checkKnownKeys('SGD', options, Object.keys(SGD_DEFAULTS));
    super(params, { ...SGD_DEFAULTS, ...options });
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
