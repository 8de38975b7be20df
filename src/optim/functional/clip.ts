// Clipping transformations (optax.clip, optax.clip_by_global_norm), branch-free so that they
// differentiate and vmap: the choice between clipped and unclipped is a `where`, not an `if`.
import { ValueError } from '../../core/errors.js';
import { Tensor } from '../../tensor.js';
import { where } from '../../ops/elementwise.js';
import { treeUnflatten } from '../../core/pytree.js';
import type { EmptyState, GradientTransformation } from './transform.js';
import { mapTrees, tensorLeaves } from './tree.js';

/**
 * Clips every element of the updates to [−maxDelta, maxDelta].
 * @example optim.functional.clip(1.0)
 */
export function clip(maxDelta: number): GradientTransformation<EmptyState> {
  if (typeof maxDelta !== 'number' || !(maxDelta >= 0)) throw new ValueError(`clip: maxDelta must be a number >= 0, got ${String(maxDelta)}`);
  return {
    init: () => ({}),
    update: <T>(u: T, s: EmptyState) => [mapTrees('clip', ['updates'], [u], (x) => x.clamp({ min: -maxDelta, max: maxDelta })) as T, s],
  };
}

/**
 * The L2 norm of all leaves of a tree together, as a 0-d tensor. Its gradient is 0 (not NaN) where
 * every leaf is 0.
 * @example optim.functional.globalNorm({ a: torch.tensor([3]), b: torch.tensor([4]) }) // 5
 */
export function globalNorm(tree: unknown): Tensor {
  const [leaves] = tensorLeaves('globalNorm', 'updates', tree);
  if (leaves.length === 0) throw new ValueError('globalNorm: the tree has no tensor leaves');
  let sq: Tensor | null = null;
  for (const l of leaves) {
    const s = l.mul(l).sum();
    sq = sq === null ? s : sq.add(s);
  }
  const pos = sq!.gt(0);
  return where(pos, where(pos, sq!, 1).sqrt(), 0);
}

/**
 * Scales all updates by maxNorm / ‖updates‖ when their global norm is at least maxNorm
 * (optax.clip_by_global_norm): [3, 4] becomes [0.6, 0.8] with maxNorm 1.
 * @example optim.functional.chain(optim.functional.clipByGlobalNorm(1), optim.functional.sgd({ lr: 0.05 }))
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyState> {
  if (typeof maxNorm !== 'number' || !(maxNorm > 0)) throw new ValueError(`clipByGlobalNorm: maxNorm must be a number > 0, got ${String(maxNorm)}`);
  return {
    init: () => ({}),
    update: <T>(u: T, s: EmptyState): [T, EmptyState] => {
      const [leaves, def] = tensorLeaves('clipByGlobalNorm', 'updates', u);
      if (leaves.length === 0) return [u, s];
      const norm = globalNorm(u);
      const trigger = norm.lt(maxNorm);
      // The divisor is 1 where the norm is small, so the unused branch never divides by zero.
      const safe = where(trigger, 1, norm);
      const out = leaves.map((t) => where(trigger, t, t.div(safe.to(t.dtype)).mul(maxNorm)));
      return [treeUnflatten(def, out) as T, s];
    },
  };
}
