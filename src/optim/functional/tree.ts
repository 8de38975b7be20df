// Pytree plumbing for the gradient transformations: flatten a tree of tensors (checking the
// leaves), and map a function over the leaves of several trees of the same structure.
import { ValueError } from '../../core/errors.js';
import { treeDefEqual, treeFlatten, treeUnflatten, type TreeDef } from '../../core/pytree.js';
import { Tensor } from '../../tensor.js';

/** The tensor leaves of `tree` and its structure; any other leaf is an error naming `what`. */
export function tensorLeaves(fn: string, what: string, tree: unknown): [Tensor[], TreeDef] {
  const [leaves, def] = treeFlatten(tree);
  leaves.forEach((l, i) => {
    if (!(l instanceof Tensor)) {
      throw new ValueError(`${fn}: every leaf of ${what} must be a Tensor, but leaf ${i} is ${l === null ? 'null' : typeof l}`);
    }
  });
  return [leaves as Tensor[], def];
}

/**
 * Maps `f` over the leaves of trees that share one structure (the first tree's); returns a tree of
 * that structure. `names` label the trees in errors.
 */
export function mapTrees(fn: string, names: readonly string[], trees: readonly unknown[], f: (...leaves: Tensor[]) => Tensor): unknown {
  return treeUnflatten(...zipLeaves(fn, names, trees, f));
}

/** Like mapTrees, but returns the mapped leaves and the structure. */
export function zipLeaves(fn: string, names: readonly string[], trees: readonly unknown[], f: (...leaves: Tensor[]) => Tensor): [TreeDef, Tensor[]] {
  const flat = trees.map((t, i) => tensorLeaves(fn, names[i]!, t));
  const [first, def] = flat[0]!;
  flat.forEach(([leaves, d], i) => {
    if (i === 0) return;
    if (leaves.length !== first.length || !treeDefEqual(d, def)) {
      throw new ValueError(`${fn}: ${names[i]} must have the same tree structure as ${names[0]} (${leaves.length} vs ${first.length} leaves)`);
    }
  });
  return [def, first.map((_, k) => f(...flat.map(([leaves]) => leaves[k]!)))];
}
