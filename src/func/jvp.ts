// Forward mode: jvp and linearize push a DualLevel; every primitive's jvp rule carries the tangents.
import { checkOptions } from '../core/options.js';
import { ValueError } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { treeDefEqual, treeFlatten, treeUnflatten } from '../core/pytree.js';
import { Tensor, lax, withLevel } from '../primitives/index.js';
import { DualLevel, makeDual } from '../transforms/levels_impl.js';
import { checkAux, splitAux, trailingOptions, unwrapTree } from './wrap.js';
import type { TreeLike } from './types.js';

/** Options of {@link jvp}. */
export interface JvpOptions {
  /** f returns `[output, aux]`; aux is returned as a third element, without a tangent. */
  hasAux?: boolean;
  /** Throw when an output does not depend on the primals (its tangent would be all zeros). */
  strict?: boolean;
}

function checkTensors(fn: string, what: string, leaves: unknown[]): Tensor[] {
  for (const l of leaves) {
    if (!(l instanceof Tensor)) throw new ValueError(`${fn}: Expected ${what} to be a tuple of tensors, got ${l === null ? 'null' : typeof l}`);
  }
  return leaves as Tensor[];
}

/**
 * `jvp(f, primals, tangents)` is `[output, tangentOut]`: f's output at the primals and its
 * directional derivative along the tangents, the Jacobian-vector product (torch.func.jvp).
 * `primals` and `tangents` are tuples of f's arguments; `tangentOut` is shaped like the output.
 * With `hasAux: true`, f returns `[output, aux]` and the result is `[output, tangentOut, aux]`.
 * @example
 * const [y, dy] = torch.func.jvp((x: Tensor) => x.pow(2), [x], [torch.onesLike(x)]); // [x², 2x]
 * @typeParam P - f's parameter types: the types of primals and of tangents.
 * @typeParam R - f's output type, also the type of the tangent out.
 * @typeParam Aux - the type of the aux value f returns with `hasAux: true`.
 */
export function jvp<P extends any[], R extends TreeLike, Aux>(
  f: (...args: P) => readonly [R, Aux],
  primals: P,
  tangents: P,
  opts: JvpOptions & { hasAux: true },
): [R, R, Aux];
export function jvp<P extends any[], R extends TreeLike>(f: (...args: P) => R, primals: P, tangents: P, opts?: JvpOptions & { hasAux?: false }): [R, R];
export function jvp(f: (...args: any[]) => unknown, primals: unknown[], tangents: unknown[], opts: JvpOptions = {}): unknown[] {
  return jvpImpl(f, primals, tangents, opts);
}

/** jvp with untyped arguments and result, for the other transforms (jacfwd, linearize). @internal */
export function jvpImpl(f: (...args: any[]) => unknown, primals: unknown[], tangents: unknown[], opts: JvpOptions = {}): unknown[] {
  checkOptions('jvp()', opts, ['hasAux', 'strict']);
  const fn = 'jvp(f, primals, tangents)';
  if (!Array.isArray(primals)) throw new ValueError(`${fn}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).`);
  if (!Array.isArray(tangents)) throw new ValueError(`${fn}: Expected tangents to be a tuple. E.g. it should be valid to call f(*tangents).`);
  const [pl, pdef] = treeFlatten(primals);
  const [tl, tdef] = treeFlatten(tangents);
  if (!treeDefEqual(pdef, tdef)) {
    throw new ValueError(`${fn}: Expected primals and tangents to have the same python structure. For example, if primals is a tuple of 3 tensors, tangents also must be. Got primals with structure ${pl.length} leaves and tangents with ${tl.length}`);
  }
  const ps = checkTensors(fn, 'primals', pl);
  const ts = checkTensors(fn, 'tangents', tl);
  ps.forEach((p, i) => {
    if (!shapesEqual(p.shape, ts[i]!.shape)) {
      throw new ValueError(`${fn}: Expected primals and tangents to have the same shape: primal ${i} has shape [${p.shape}] and tangent ${i} has shape [${ts[i]!.shape}]`);
    }
  });
  return withLevel(new DualLevel(), (level) => {
    const duals = ps.map((p, i) => makeDual(level, p, lax.cast(ts[i]!, p.dtype)));
    const out = f(...(treeUnflatten(pdef, duals) as unknown[]));
    const [output, aux] = splitAux(fn, out, opts.hasAux ?? false);
    const [ol, odef] = treeFlatten(output);
    const primalsOut: unknown[] = [];
    const tangentsOut: unknown[] = [];
    for (const o of ol) {
      if (!(o instanceof Tensor)) throw new ValueError(`${fn}: Expected f(*primals) to return only tensors, got unsupported type ${typeof o}`);
      if (o._level === level) {
        primalsOut.push(o._inner!);
        tangentsOut.push(o._tangent ?? lax.zerosLike(o._inner!));
      } else {
        if (opts.strict) {
          throw new ValueError(`${fn}: Strict mode: The output of f is independent of the inputs. This is not allowed with strict=True.`);
        }
        primalsOut.push(o);
        tangentsOut.push(lax.zerosLike(o));
      }
    }
    const res = [treeUnflatten(odef, primalsOut), treeUnflatten(odef, tangentsOut)];
    if (opts.hasAux) {
      checkAux(fn, aux);
      res.push(unwrapTree(aux, level));
    }
    return res;
  });
}

/**
 * `linearize(f, ...primals)` is `[output, jvpFn]`: f's output at the primals and a function that
 * takes tangents shaped like the primals and returns the Jacobian-vector product at the primals,
 * shaped like the output (torch.func.linearize).
 * @example
 * const [out, jvpFn] = torch.func.linearize(torch.sin, x);
 * jvpFn(t) // cos(x) * t
 * @typeParam P - f's parameter types: the types of the primals and of jvpFn's tangents.
 * @typeParam R - f's output type, also the type of jvpFn's result.
 */
export function linearize<P extends any[], R extends TreeLike>(f: (...args: P) => R, ...primals: P): [R, (...tangents: P) => R];
export function linearize(f: (...args: any[]) => unknown, ...primals: unknown[]): [unknown, (...tangents: unknown[]) => unknown] {
  const [ps] = trailingOptions(primals, []);
  const out = f(...ps);
  const [pl, pdef] = treeFlatten(ps);
  const jvpFn = (...tangents: unknown[]) => {
    const [tl, tdef] = treeFlatten(tangents);
    if (!treeDefEqual(pdef, tdef)) throw new ValueError('linearize: Expected tangents to have the same structure as primals');
    tl.forEach((t, i) => {
      const p = pl[i] as Tensor;
      if (!(t instanceof Tensor) || !shapesEqual(t.shape, p.shape)) {
        const s = t instanceof Tensor ? `[${t.shape}]` : typeof t;
        throw new ValueError(`linearize: tangent:${i} with shape ${s} in flattened pytree doesn't match the shape [${p.shape}] of the corresponding primal.`);
      }
    });
    return jvpImpl(f, ps, tangents)[1];
  };
  return [out, jvpFn];
}
