// Applying updates to parameters, purely; and the vmap dims of a params/state pytree.
import { treeMap } from '../../core/pytree.js';
import { Tensor } from '../../tensor.js';
import { mapTrees } from './tree.js';
import type { InDims } from '../../func/vmap.js';

/**
 * The dims {@link vmapDims} gives for a pytree of type T: T's structure with `number` at each
 * Tensor leaf and `null` at every other leaf (any in/out dims where T is not known).
 * @typeParam T - the pytree's type.
 */
export type VmapDims<T> =
  unknown extends T ? InDims
  : T extends Tensor ? number
  : T extends ReadonlyMap<infer K, infer V> ? Map<K, VmapDims<V>>
  : T extends readonly unknown[] ? { -readonly [I in keyof T]: VmapDims<T[I]> }
  : T extends object ? { -readonly [P in keyof T]: VmapDims<T[P]> }
  : null;

/**
 * params + updates, leaf by leaf, as a new pytree (in each parameter's dtype); nothing is mutated.
 * @example params = optim.functional.applyUpdates(params, updates)
 */
export function applyUpdates<T>(params: T, updates: T): T {
  return mapTrees('applyUpdates', ['params', 'updates'], [params, updates], (p, u) => {
    const r = p.add(u);
    return r.dtype === p.dtype ? r : r.to(p.dtype);
  }) as T;
}

/**
 * in_dims / out_dims for func.vmap over a params or optimizer-state pytree: `dim` at every tensor
 * leaf, null elsewhere (the step count, a plain number, is shared by all batch members).
 * @example
 * const state = tx.init(stackedParams);
 * const dims = optim.functional.vmapDims(state);
 * func.vmap(step, { inDims: [0, dims, 0, 0], outDims: [0, dims] })(stackedParams, state, xs, ys);
 */
export function vmapDims<T>(tree: T, dim = 0): VmapDims<T> {
  return treeMap(tree, (leaf) => (leaf instanceof Tensor ? dim : null)) as VmapDims<T>;
}
