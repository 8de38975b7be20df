// torch.optim.AdamW: Adam with decoupled weight decay (p *= 1 − lr·wd before the Adam step).
import { ADAM_DEFAULTS, Adam, type AdamOptions } from './adam.js';
import { optimizerOptions } from './validate.js';
import type { ParamsArg } from './optimizer.js';

/**
 * AdamW (torch.optim.AdamW, default weightDecay 1e-2): p·(1 − lr·wd), then the Adam step without L2.
 * Equals optax.adamw.
 * @example const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  static override readonly displayName: string = 'AdamW';
  /**
   * `params`: tensors, [name, tensor] pairs or parameter groups; `options`: any of AdamOptions (a
   * number is the learning rate), the rest take the defaults.
   */
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> | number = {}) {
    super(params, { weightDecay: 1e-2, ...optimizerOptions('AdamW', options, Object.keys(ADAM_DEFAULTS)) });
  }

  protected override get decoupledWeightDecay(): boolean {
    return true;
  }
}
