// Pytrees: nested arrays, plain objects and Maps whose leaves are tensors (or anything else
// that is not one of those containers). flatten/unflatten keep the container types.

export type TreeDef =
  | { kind: 'leaf' }
  | { kind: 'array'; children: TreeDef[] }
  | { kind: 'object'; keys: string[]; children: TreeDef[] }
  | { kind: 'map'; keys: unknown[]; children: TreeDef[] };

const LEAF: TreeDef = { kind: 'leaf' };

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

export function isContainer(x: unknown): boolean {
  return Array.isArray(x) || x instanceof Map || isPlainObject(x);
}

export function treeFlatten(tree: unknown): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const def = flattenInto(tree, leaves);
  return [leaves, def];
}

function flattenInto(x: unknown, leaves: unknown[]): TreeDef {
  if (Array.isArray(x)) return { kind: 'array', children: x.map((c) => flattenInto(c, leaves)) };
  if (x instanceof Map) {
    const keys = [...x.keys()];
    return { kind: 'map', keys, children: keys.map((k) => flattenInto(x.get(k), leaves)) };
  }
  if (isPlainObject(x)) {
    const keys = Object.keys(x);
    return { kind: 'object', keys, children: keys.map((k) => flattenInto(x[k], leaves)) };
  }
  leaves.push(x);
  return LEAF;
}

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
  if (i !== leaves.length) throw new Error(`treeUnflatten: expected ${i} leaves, got ${leaves.length}`);
  return out;
}

export function treeMap(tree: unknown, fn: (leaf: unknown) => unknown): unknown {
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
