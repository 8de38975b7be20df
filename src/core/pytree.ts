// Pytrees: nested arrays, plain objects and Maps whose leaves are tensors (or anything else
// that is not one of those containers). flatten/unflatten keep the container types.
import { ValueError } from './errors.js';

/** The structure of a pytree without its leaves, as treeFlatten returns it and treeUnflatten takes it. */
export type TreeDef =
  | {
      /** A leaf. */
      kind: 'leaf';
    }
  | {
      /** An array. */
      kind: 'array';
      /** The structure of each element. */
      children: TreeDef[];
    }
  | {
      /** A plain object. */
      kind: 'object';
      /** Its keys, in order. */
      keys: string[];
      /** The structure of each value, in key order. */
      children: TreeDef[];
    }
  | {
      /** A Map. */
      kind: 'map';
      /** Its keys, in insertion order. */
      keys: unknown[];
      /** The structure of each value, in key order. */
      children: TreeDef[];
    };

const LEAF: TreeDef = { kind: 'leaf' };

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

export function isContainer(x: unknown): boolean {
  return Array.isArray(x) || x instanceof Map || isPlainObject(x);
}

/**
 * The leaves of a pytree (nested arrays, plain objects and Maps; anything else is a leaf) in order,
 * with its structure (torch.utils._pytree.tree_flatten).
 * @example const [leaves, def] = torch.treeFlatten({ a: x, b: [y, z] }); // leaves [x, y, z]
 */
export function treeFlatten(tree: unknown): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const def = flattenInto(tree, leaves, new Set(), 'treeFlatten');
  return [leaves, def];
}

/** Containers nested deeper than this are a mistake (or would overflow the stack): a ValueError. */
export const MAX_TREE_DEPTH = 1000;

/** `open` holds the containers being walked (a container inside itself is a cycle, a ValueError). */
function flattenInto(x: unknown, leaves: unknown[], open: Set<unknown>, fn: string): TreeDef {
  if (!isContainer(x)) {
    leaves.push(x);
    return LEAF;
  }
  if (open.has(x)) throw new ValueError(`${fn}(): the pytree contains itself (a cyclic array, object or Map)`);
  if (open.size >= MAX_TREE_DEPTH) throw new ValueError(`${fn}(): the pytree is nested deeper than ${MAX_TREE_DEPTH} levels`);
  open.add(x);
  try {
    if (Array.isArray(x)) return { kind: 'array', children: x.map((c) => flattenInto(c, leaves, open, fn)) };
    if (x instanceof Map) {
      const keys = [...x.keys()];
      return { kind: 'map', keys, children: keys.map((k) => flattenInto(x.get(k), leaves, open, fn)) };
    }
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    return { kind: 'object', keys, children: keys.map((k) => flattenInto(o[k], leaves, open, fn)) };
  } finally {
    open.delete(x);
  }
}

/**
 * Rebuilds a pytree of the structure `def` from `leaves` (the inverse of treeFlatten); the number of
 * leaves must match.
 * @example torch.treeUnflatten(def, leaves.map((t) => t.mul(2)))
 */
export function treeUnflatten(def: TreeDef, leaves: readonly unknown[]): unknown {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        return leaves[i++];
      case 'array':
        return d.children.map(build);
      case 'object': {
        const o: Record<string, unknown> = {};
        d.children.forEach((c, j) => (o[d.keys[j]!] = build(c)));
        return o;
      }
      case 'map': {
        const m = new Map<unknown, unknown>();
        d.children.forEach((c, j) => m.set(d.keys[j], build(c)));
        return m;
      }
    }
  };
  const out = build(def);
  if (i !== leaves.length) throw new ValueError(`treeUnflatten(): expected ${i} leaves, got ${leaves.length}`);
  return out;
}

/**
 * The same pytree with `fn` applied to every leaf.
 * @example torch.treeMap({ w: a, b: [c] }, (t) => (t as Tensor).detach())
 */
export function treeMap(tree: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (typeof fn !== 'function') throw new ValueError(`treeMap(): fn must be a function, got ${fn === null ? 'null' : typeof fn}`);
  const [leaves, def] = treeFlatten(tree);
  return treeUnflatten(def, leaves.map(fn));
}

export function treeDefEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  const bc = (b as typeof a).children;
  if (a.children.length !== bc.length) return false;
  if (a.kind !== 'array') {
    const bk = (b as typeof a).keys as unknown[];
    if (!a.keys.every((k, i) => k === bk[i])) return false;
  }
  return a.children.every((c, i) => treeDefEqual(c, bc[i]!));
}

/**
 * Expands `prefix` (a tree whose leaves apply to whole subtrees of `full`) to one value per leaf of
 * `full`. Returns null when the structures do not match.
 */
export function broadcastPrefix(prefix: unknown, full: unknown): unknown[] | null {
  const out: unknown[] = [];
  const go = (p: unknown, f: unknown): boolean => {
    if (!isContainer(p)) {
      const [leaves] = treeFlatten(f);
      for (let i = 0; i < leaves.length; i++) out.push(p);
      return true;
    }
    if (Array.isArray(p)) {
      if (!Array.isArray(f) || f.length !== p.length) return false;
      return p.every((c, i) => go(c, f[i]));
    }
    if (p instanceof Map) {
      if (!(f instanceof Map) || f.size !== p.size) return false;
      for (const k of f.keys()) if (!p.has(k) || !go(p.get(k), f.get(k))) return false;
      return true;
    }
    const po = p as Record<string, unknown>;
    if (!isPlainObject(f)) return false;
    const fk = Object.keys(f);
    if (fk.length !== Object.keys(po).length) return false;
    return fk.every((k) => k in po && go(po[k], f[k]));
  };
  return go(prefix, full) ? out : null;
}
