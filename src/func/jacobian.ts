// Jacobians as vmaps of vjp (jacrev) or jvp (jacfwd) over a basis, and hessian = jacfwd(jacrev).
import { ValueError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import { treeFlatten, treeUnflatten, type TreeDef } from '../core/pytree.js';
import { Tensor, fromHost, lax } from '../primitives/index.js';
import { arrayFor, type DType } from '../core/dtype.js';
import { vjp } from './grad.js';
import { jvp } from './jvp.js';
import { vmap } from './vmap.js';
import type { Randomness } from '../transforms/levels_impl.js';
import { checkArgnums, replaceArgs, selectArgs, tensorLeaves, type Argnums } from './wrap.js';

export interface JacOptions {
  argnums?: Argnums;
  hasAux?: boolean;
  chunkSize?: number | null;
  randomness?: Randomness;
}

/** Rows of the identity of size n, split into pieces shaped [n, ...shapes[k]]. */
function basis(n: number, shapes: number[][], dtype: DType): Tensor[] {
  const buf = arrayFor(dtype, n * n);
  for (let i = 0; i < n; i++) buf[i * n + i] = 1;
  const eye = fromHost(buf, [n, n], dtype);
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
 * Jacobian by reverse mode: one vjp per output element, vmapped. Shape out.shape + in.shape.
 * @example torch.func.jacrev(torch.sin)(x) // diag(cos x)
 */
export function jacrev(f: (...args: any[]) => unknown, opts: JacOptions = {}) {
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  if (opts.chunkSize !== undefined && opts.chunkSize !== null && !(opts.chunkSize > 0)) {
    throw new ValueError('jacrev: `chunk_size` should be greater than 0.');
  }
  return (...args: unknown[]): any => {
    const idx = checkArgnums('jacrev', argnums, args.length);
    const [inLeaves, inDef] = tensorLeaves('jacrev', selectArgs(args, argnums, idx));
    const g = (...diff: unknown[]) => f(...replaceArgs(args, argnums, idx, treeUnflatten(inDef, diff)));
    const res = vjp(g, ...inLeaves, ...(hasAux ? [{ hasAux: true }] : []));
    const [output, vjpFn, aux] = res as [unknown, (ct: unknown) => Tensor[], unknown];
    const [outLeaves, outDef] = treeFlatten(output);
    const outs = outLeaves as Tensor[];
    const sizes = outs.map((o) => numel(o.shape));
    const n = sizes.reduce((a, b) => a + b, 0);
    const cts = basis(n, outs.map((o) => o.shape), outs[0]?.dtype ?? 'float32');
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
 * Jacobian by forward mode: one jvp per input element, vmapped.
 * @example torch.func.jacfwd((x) => x.pow(2))(x) // diag(2x)
 */
export function jacfwd(f: (...args: any[]) => unknown, opts: JacOptions = {}) {
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  return (...args: unknown[]): any => {
    const idx = checkArgnums('jacfwd', argnums, args.length);
    const [inLeaves, inDef] = tensorLeaves('jacfwd', selectArgs(args, argnums, idx));
    const g = (...diff: unknown[]) => f(...replaceArgs(args, argnums, idx, treeUnflatten(inDef, diff)));
    const sizes = inLeaves.map((x) => numel(x.shape));
    const n = sizes.reduce((a, b) => a + b, 0);
    const tans = basis(n, inLeaves.map((x) => x.shape), inLeaves[0]?.dtype ?? 'float32');
    const push = (...ts: unknown[]) => {
      const r = jvp(g, inLeaves, ts, { hasAux });
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
 * Second derivatives: jacfwd(jacrev(f)).
 * @example torch.func.hessian((x) => x.pow(3).sum())(x) // diag(6x)
 */
export function hessian(f: (...args: any[]) => unknown, opts: { argnums?: Argnums } = {}) {
  return jacfwd(jacrev(f, { argnums: opts.argnums }), { argnums: opts.argnums });
}
