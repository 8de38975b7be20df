// FuncOptimizer (torchopt.FuncOptimizer): a gradient transformation driven by a loss. step(loss,
// params) takes the gradients of the loss w.r.t. the params (torch.autograd.grad, keeping the graph
// by default so that outer losses differentiate through the steps) and returns new params.
import { ValueError } from '../../core/errors.js';
import { treeUnflatten } from '../../core/pytree.js';
import { Tensor } from '../../tensor.js';
import { grad as autogradGrad } from '../../ops/autograd.js';
import { zerosLike } from '../../ops/creation.js';
import type { GradientTransformation } from './transform.js';
import { applyUpdates } from './update.js';
import { tensorLeaves } from './tree.js';

/** Options of FuncOptimizer. */
export interface FuncOptimizerOptions {
  /** Keep the graph of the gradients (differentiable steps, for meta-learning). Default true, as torchopt. */
  createGraph?: boolean;
}

/**
 * Drives a gradient transformation from losses; its state is created at the first step.
 * @example
 * const opt = new optim.functional.FuncOptimizer(optim.functional.adam({ lr: 0.1 }));
 * let params = { w: metaW.mul(1) };            // tensors that require grad
 * for (let k = 0; k < 3; k++) params = opt.step(innerLoss(params), params);
 * outerLoss(params).backward();                // meta-gradient in metaW.grad
 */
export class FuncOptimizer<S = unknown> {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static readonly displayName: string = 'FuncOptimizer';
  /** The transformation's state; undefined until the first step. */
  state: S | undefined = undefined;
  /** Whether the gradients keep their graph (differentiable steps). */
  readonly createGraph: boolean;

  /**
   * @param transform The gradient transformation to drive (its updates are added to the params).
   * @param opts createGraph (default true).
   */
  constructor(readonly transform: GradientTransformation<S>, opts: FuncOptimizerOptions = {}) {
    if (!transform || typeof transform.init !== 'function' || typeof transform.update !== 'function') {
      throw new ValueError('FuncOptimizer: expected a gradient transformation (an object with init and update)');
    }
    this.createGraph = opts.createGraph ?? true;
  }

  /**
   * One step: gradients of `loss` w.r.t. the tensors of `params` (unused ones count as zero), the
   * transformation's update, and the new params. The state advances only when the step succeeds.
   */
  step<T>(loss: Tensor, params: T): T {
    if (!(loss instanceof Tensor)) throw new ValueError(`FuncOptimizer.step: loss must be a Tensor, got ${typeof loss}`);
    const [leaves, def] = tensorLeaves('FuncOptimizer.step', 'params', params);
    leaves.forEach((p, i) => {
      if (!p.requiresGrad) throw new ValueError(`FuncOptimizer.step: params leaf ${i} does not require grad`);
    });
    const grads = autogradGrad(loss, leaves, { createGraph: this.createGraph, retainGraph: this.createGraph, allowUnused: true });
    const gradTree = treeUnflatten(def, grads.map((g, i) => g ?? zerosLike(leaves[i]!))) as T;
    const state = this.state ?? this.transform.init(params);
    const [updates, next] = this.transform.update(gradTree, state, params);
    const out = applyUpdates(params, updates);
    this.state = next;
    return out;
  }

  /** The current state (undefined before the first step). */
  stateDict(): S | undefined {
    return this.state;
  }

  /** Replaces the state (as returned by stateDict()). */
  loadStateDict(state: S | undefined): void {
    this.state = state;
  }
}
