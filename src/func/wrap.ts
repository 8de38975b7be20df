// Shared plumbing of the transforms: argnums, wrapping pytree leaves into a level, unwrapping results.
import { ValueError } from '../core/errors.js';
import { treeFlatten, treeUnflatten, type TreeDef } from '../core/pytree.js';
import { Tensor, type Level } from '../primitives/index.js';

/**
 * The `argnums` option of the transforms: the index of the argument to differentiate, or a tuple
 * of indices; negative indices count from the end.
 */
export type Argnums = number | readonly number[];

export function checkArgnums(fn: string, argnums: Argnums, nargs: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  if (list.length === 0) throw new ValueError(`${fn}: argnums must be non-empty`);
  const norm = list.map((a) => {
    if (!Number.isInteger(a)) throw new ValueError(`${fn}: argnums must be int or Tuple[int, ...], got: ${String(a)}`);
    if (a < -nargs || a >= nargs) {
      throw new ValueError(`${fn}: Got argnum=${a}, but only ${nargs} positional inputs`);
    }
    return a < 0 ? a + nargs : a;
  });
  if (new Set(norm).size !== norm.length) throw new ValueError(`${fn}: argnums elements must be unique, got (${list.join(', ')})`);
  return norm;
}

/** The differentiated arguments as one pytree (a single arg, or an array of them for tuple argnums). */
export function selectArgs(args: unknown[], argnums: Argnums, idx: number[]): unknown {
  return typeof argnums === 'number' ? args[idx[0]!] : idx.map((i) => args[i]);
}

export function replaceArgs(args: unknown[], argnums: Argnums, idx: number[], tree: unknown): unknown[] {
  const out = [...args];
  if (typeof argnums === 'number') out[idx[0]!] = tree;
  else idx.forEach((i, k) => (out[i] = (tree as unknown[])[k]));
  return out;
}

export function tensorLeaves(fn: string, tree: unknown): [Tensor[], TreeDef] {
  const [leaves, def] = treeFlatten(tree);
  for (const l of leaves) {
    if (!(l instanceof Tensor)) throw new ValueError(`${fn}: Thing passed to transform API must be Tensor, got ${l === null ? 'null' : typeof l}`);
  }
  return [leaves as Tensor[], def];
}

/** The value of t as seen outside `level`. */
export function unwrap(t: unknown, level: Level): unknown {
  return t instanceof Tensor && t._level === level ? t._inner! : t;
}

export function unwrapTree(tree: unknown, level: Level): unknown {
  const [leaves, def] = treeFlatten(tree);
  return treeUnflatten(def, leaves.map((l) => unwrap(l, level)));
}

/** Splits `out` into (output, aux) when hasAux. */
export function splitAux(fn: string, out: unknown, hasAux: boolean): [unknown, unknown] {
  if (!hasAux) return [out, undefined];
  if (!Array.isArray(out) || out.length !== 2) {
    throw new ValueError(`${fn}: output of function f should be a tuple: (output, aux) if has_aux is True`);
  }
  return [out[0], out[1]];
}

export function checkAux(fn: string, aux: unknown): void {
  const [leaves] = treeFlatten(aux);
  for (const l of leaves) {
    if (!(l instanceof Tensor)) throw new ValueError(`${fn}: Expected tensors, got unsupported type ${l === null ? 'null' : typeof l}`);
  }
}

/** Trailing options object of a variadic transform call (vjp, linearize): recognised by its keys. */
export function trailingOptions<O extends object>(args: unknown[], keys: readonly string[]): [unknown[], Partial<O>] {
  const last = args[args.length - 1];
  if (
    last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype &&
    Object.keys(last).length > 0 && Object.entries(last).every(([k, v]) => keys.includes(k) && !(v instanceof Tensor))
  ) {
    return [args.slice(0, -1), last as Partial<O>];
  }
  return [args, {}];
}
