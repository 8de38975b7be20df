// Jacobians as vmaps of vjp (jacrev) or jvp (jacfwd) over a basis, and hessian = jacfwd(jacrev).
import { checkOptions } from '../core/options.js';
import { ValueError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import { treeFlatten, treeUnflatten, type TreeDef } from '../core/pytree.js';
import { Tensor, deviceOf, fromHost, lax, type Device } from '../primitives/index.js';
import { arrayFor, type DType } from '../core/dtype.js';
import { vjpImpl } from './grad.js';
import { jvpImpl } from './jvp.js';
import { vmap } from './vmap.js';
import type { Randomness } from '../transforms/levels_impl.js';
import { checkArgnums, replaceArgs, selectArgs, tensorLeaves, type Argnums } from './wrap.js';
import type { Jacobian, SelectArgs, TreeLike } from './types.js';

/**
 * Options of {@link jacrev} and {@link jacfwd}.
 * @typeParam N - the type of `argnums`; a literal (`1`, `[0, 2]`) types the result precisely.
 */
export interface JacOptions<N extends Argnums = Argnums> {
  /**
   * Which positional arguments to differentiate: one index (default 0), or a tuple of indices,
   * giving a tuple of Jacobians per output. Negative indices count from the end.
   */
  argnums?: N;
  /** f returns `[output, aux]`; the result is `[jacobian, aux]`. */
  hasAux?: boolean;
  /** jacrev: vjps computed per chunk of this many output elements (null: all at once). */
  chunkSize?: number | null;
  /** jacfwd: randomness under the inner vmap, as vmap's option (default 'error'). */
  randomness?: Randomness;
}

/** Rows of the identity of size n on `device`, split into pieces shaped [n, ...shapes[k]]. */
function basis(n: number, shapes: number[][], dtype: DType, device: Device): Tensor[] {
  const buf = arrayFor(dtype, n * n);
  for (let i = 0; i < n; i++) buf[i * n + i] = 1;
  const eye = fromHost(buf, [n, n], dtype, device, 'jacobian');
  let start = 0;
  return shapes.map((s) => {
    const m = numel(s);
    const piece = lax.slice(eye, { dim: 1, start, end: start + m, step: 1 });
    start += m;
    return lax.reshape(lax.copyOf(piece), [n, ...s]);
  });
}

/** Assembles jac[out][in] from per-output blocks of shape [sum(in sizes) or sum(out sizes), ...]. */
function nest(outDef: TreeDef, inDef: TreeDef, block: (o: number, i: number) => Tensor, nOut: number, nIn: number): unknown {
  const rows: unknown[] = [];
  for (let o = 0; o < nOut; o++) {
    const cols: Tensor[] = [];
    for (let i = 0; i < nIn; i++) cols.push(block(o, i));
    rows.push(treeUnflatten(inDef, cols));
  }
  return treeUnflatten(outDef, rows);
}

/**
 * The Jacobian by reverse mode: one vjp per output element, vmapped (torch.func.jacrev). Each block
 * has shape `out.shape + in.shape`. For a Tensor-to-Tensor function the result is a Tensor; for
 * pytree outputs or inputs it is nested output structure outside, input structure inside
 * (`jac[out][in]`, see {@link Jacobian}); tuple `argnums` give a tuple per output. With
 * `hasAux: true`, f returns `[output, aux]` and the result is `[jacobian, aux]`.
 * @example
 * torch.func.jacrev(torch.sin)(x) // diag(cos x)
 * @example
 * const [ja, jb] = torch.func.jacrev((a: Tensor, b: Tensor) => a.mul(b), { argnums: [0, 1] })(a, b);
 * @typeParam A - f's parameter types; the returned function takes the same arguments.
 * @typeParam R - f's output type (a pytree of Tensors).
 * @typeParam N - the type of `argnums` (default 0); a literal index or tuple of indices.
 * @typeParam Aux - the type of the aux value f returns with `hasAux: true`.
 */
export function jacrev<A extends any[], R extends TreeLike, Aux, const N extends Argnums = 0>(
  f: (...args: A) => readonly [R, Aux],
  opts: JacOptions<N> & { hasAux: true },
): (...args: A) => [Jacobian<R, SelectArgs<A, N>>, Aux];
export function jacrev<A extends any[], R extends TreeLike, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts?: JacOptions<N> & { hasAux?: false },
): (...args: A) => Jacobian<R, SelectArgs<A, N>>;
export function jacrev(f: (...args: any[]) => unknown, opts: JacOptions = {}): (...args: any[]) => unknown {
  return jacrevImpl(f, opts);
}

/** jacrev with untyped arguments and result, for hessian. */
function jacrevImpl(f: (...args: any[]) => unknown, opts: JacOptions): (...args: unknown[]) => unknown {
  checkOptions('jacrev()', opts, ['argnums', 'hasAux', 'chunkSize']);
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  if (opts.chunkSize !== undefined && opts.chunkSize !== null && !(opts.chunkSize > 0)) {
    throw new ValueError('jacrev: `chunk_size` should be greater than 0.');
  }
  return (...args: unknown[]): unknown => {
    const idx = checkArgnums('jacrev', argnums, args.length);
    const [inLeaves, inDef] = tensorLeaves('jacrev', selectArgs(args, argnums, idx));
    const g = (...diff: unknown[]) => f(...replaceArgs(args, argnums, idx, treeUnflatten(inDef, diff)));
    const res = vjpImpl(g, [...inLeaves, ...(hasAux ? [{ hasAux: true }] : [])]);
    const [output, vjpFn, aux] = res as [unknown, (ct: unknown) => Tensor[], unknown];
    const [outLeaves, outDef] = treeFlatten(output);
    const outs = outLeaves as Tensor[];
    const sizes = outs.map((o) => numel(o.shape));
    const n = sizes.reduce((a, b) => a + b, 0);
    const cts = basis(n, outs.map((o) => o.shape), outs[0]?.dtype ?? 'float32', outs[0] ? deviceOf(outs[0]) : 'cpu');
    const ctTree = treeUnflatten(outDef, cts);
    const grads = vmap((ct: unknown) => vjpFn(ct), { chunkSize: opts.chunkSize ?? null })(ctTree) as Tensor[];
    let starts = 0;
    const offsets = sizes.map((s) => ((starts += s), starts - s));
    const jac = nest(outDef, inDef, (o, i) => {
      const rows = lax.slice(grads[i]!, { dim: 0, start: offsets[o]!, end: offsets[o]! + sizes[o]!, step: 1 });
      return lax.reshape(rows, [...outs[o]!.shape, ...inLeaves[i]!.shape]);
    }, outs.length, inLeaves.length);
    return hasAux ? [jac, aux] : jac;
  };
}

/**
 * The Jacobian by forward mode: one jvp per input element, vmapped (torch.func.jacfwd). The result
 * has the same structure and shapes as {@link jacrev}'s: a Tensor for a Tensor-to-Tensor function,
 * `jac[out][in]` for pytrees, tuples for tuple `argnums`, `[jacobian, aux]` with `hasAux: true`.
 * @example
 * torch.func.jacfwd((x: Tensor) => x.pow(2))(x) // diag(2x)
 * @typeParam A - f's parameter types; the returned function takes the same arguments.
 * @typeParam R - f's output type (a pytree of Tensors).
 * @typeParam N - the type of `argnums` (default 0); a literal index or tuple of indices.
 * @typeParam Aux - the type of the aux value f returns with `hasAux: true`.
 */
export function jacfwd<A extends any[], R extends TreeLike, Aux, const N extends Argnums = 0>(
  f: (...args: A) => readonly [R, Aux],
  opts: JacOptions<N> & { hasAux: true },
): (...args: A) => [Jacobian<R, SelectArgs<A, N>>, Aux];
export function jacfwd<A extends any[], R extends TreeLike, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts?: JacOptions<N> & { hasAux?: false },
): (...args: A) => Jacobian<R, SelectArgs<A, N>>;
export function jacfwd(f: (...args: any[]) => unknown, opts: JacOptions = {}): (...args: any[]) => unknown {
  return jacfwdImpl(f, opts);
}

/** jacfwd with untyped arguments and result, for hessian. */
function jacfwdImpl(f: (...args: any[]) => unknown, opts: JacOptions): (...args: unknown[]) => unknown {
  checkOptions('jacfwd()', opts, ['argnums', 'hasAux', 'randomness']);
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  return (...args: unknown[]): unknown => {
    const idx = checkArgnums('jacfwd', argnums, args.length);
    const [inLeaves, inDef] = tensorLeaves('jacfwd', selectArgs(args, argnums, idx));
    const g = (...diff: unknown[]) => f(...replaceArgs(args, argnums, idx, treeUnflatten(inDef, diff)));
    const sizes = inLeaves.map((x) => numel(x.shape));
    const n = sizes.reduce((a, b) => a + b, 0);
    const tans = basis(n, inLeaves.map((x) => x.shape), inLeaves[0]?.dtype ?? 'float32', inLeaves[0] ? deviceOf(inLeaves[0]) : 'cpu');
    const push = (...ts: unknown[]) => {
      const r = jvpImpl(g, inLeaves, ts, { hasAux });
      return hasAux ? [r[0], r[1], r[2]] : [r[0], r[1]];
    };
    const outDims = hasAux ? [null, 0, null] : [null, 0];
    const [output, tangentOut, aux] = vmap(push, { outDims, randomness: opts.randomness ?? 'error' })(...tans) as [unknown, unknown, unknown];
    const [outLeaves, outDef] = treeFlatten(output);
    const tl = treeFlatten(tangentOut)[0] as Tensor[];
    let starts = 0;
    const offsets = sizes.map((s) => ((starts += s), starts - s));
    const jac = nest(outDef, inDef, (o, i) => {
      const out = outLeaves[o] as Tensor;
      const rows = lax.slice(tl[o]!, { dim: 0, start: offsets[i]!, end: offsets[i]! + sizes[i]!, step: 1 });
      const inShape = inLeaves[i]!.shape;
      const r = lax.reshape(rows, [...inShape, ...out.shape]);
      const perm = [...out.shape.map((_, k) => inShape.length + k), ...inShape.map((_, k) => k)];
      return lax.permute(r, perm);
    }, outLeaves.length, inLeaves.length);
    return hasAux ? [jac, aux] : jac;
  };
}

/**
 * Second derivatives, `jacfwd(jacrev(f))` (torch.func.hessian). For a scalar function of a Tensor
 * of shape S the result is a Tensor of shape `[...S, ...S]`; in general the Jacobian of the
 * Jacobian, `hess[out][in][in]` (see {@link Jacobian}).
 * @example
 * torch.func.hessian((x: Tensor) => x.pow(3).sum())(x) // diag(6x)
 * @typeParam A - f's parameter types; the returned function takes the same arguments.
 * @typeParam R - f's output type (a pytree of Tensors).
 * @typeParam N - the type of `argnums` (default 0); a literal index or tuple of indices.
 */
export function hessian<A extends any[], R extends TreeLike, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts?: { argnums?: N },
): (...args: A) => Jacobian<Jacobian<R, SelectArgs<A, N>>, SelectArgs<A, N>>;
export function hessian(f: (...args: any[]) => unknown, opts: { argnums?: Argnums } = {}): (...args: any[]) => unknown {
  checkOptions('hessian()', opts, ['argnums']);
  return jacfwdImpl(jacrevImpl(f, { argnums: opts.argnums }), { argnums: opts.argnums });
}
