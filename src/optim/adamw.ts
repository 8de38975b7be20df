// torch.optim.AdamW: Adam with decoupled weight decay (p *= 1 − lr·wd before the Adam step).
import { Adam, type AdamOptions } from './adam.js';
import type { ParamsArg } from './optimizer.js';

/**
 * AdamW (torch.optim.AdamW, default weightDecay 1e-2): p·(1 − lr·wd), then the Adam step without L2.
 * Equals optax.adamw.
 * @example const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options });
  }

  protected override get decoupledWeightDecay(): boolean {
    return true;
  }
}
