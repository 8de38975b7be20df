// Reductions with PyTorch's (dim, keepdim) conventions: sum, mean, prod, max/min, var/std,
// logsumexp, norm, cumsum.
import { DTypeError, IndexError, ValueError } from '../core/errors.js';
import { isFloating, type DType } from '../core/dtype.js';
import { normDim, normDims, numel } from '../core/shape.js';
import { Tensor, bind, lax, argmaxP, argminP, maxP, minP, prodP, sumP, cumsumP } from '../primitives/index.js';
import { detach } from '../transforms/detach.js';
import { checkTensor } from './scalars.js';
import { checkOptions } from '../core/options.js';
import * as E from './elementwise.js';

/**
 * The dims a reduction runs over: one dim, a list, or all of them (null / undefined). Negative dims
 * count from the end.
 */
export type Dims = number | number[] | null | undefined;
/** Options of the reductions, in place of the positional `(dim, keepdim)` arguments. */
export interface ReduceOptions {
  /** The dims to reduce (default all). */
  dim?: Dims;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Convert the input to this dtype first. */
  dtype?: DType;
}

const REDUCE_KEYS = ['dim', 'keepdim', 'dtype'] as const;

/** The rest of a reduction's options after a positional dim: `x.var(0, { correction: 0 })`, as PyTorch's `x.var(0, correction=0)`. */
export type KeepdimOr<O extends ReduceOptions = ReduceOptions> = boolean | Omit<O, 'dim'>;

function parse(fn: string, dimOrOpts: Dims | ReduceOptions, keepdim?: KeepdimOr, keys: readonly string[] = REDUCE_KEYS): ReduceOptions {
  if (dimOrOpts !== null && typeof dimOrOpts === 'object' && !Array.isArray(dimOrOpts)) {
    checkOptions(`${fn}()`, dimOrOpts, keys);
    if (keepdim !== undefined) throw new ValueError(`${fn}(): pass keepdim inside the options object, not after it`);
    return dimOrOpts;
  }
  if (keepdim !== undefined && typeof keepdim !== 'boolean') {
    checkOptions(`${fn}()`, keepdim, keys.filter((k) => k !== 'dim'));
    return { ...keepdim, dim: dimOrOpts as Dims };
  }
  return { dim: dimOrOpts as Dims, keepdim };
}

function reduceWith(fn: string, prim: typeof sumP, x: Tensor, o: ReduceOptions): Tensor {
  checkTensor(fn, 'input', x);
  const axes = normDims(fn, o.dim, x.ndim);
  let r = bind(prim, [x], { axes });
  if (o.keepdim) r = lax.reshape(r, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  return r;
}

/**
 * Sum over `dim` (all dims when omitted), dropping the reduced dims unless `keepdim` (torch.sum).
 * Integer and bool inputs sum as int32.
 * @example x.sum() ; torch.sum(x, 1, true) ; x.sum({ dim: [0, 1] })
 */
export function sum(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: KeepdimOr): Tensor {
  checkTensor('sum', 'input', x);
  const o = parse('sum', dim, keepdim);
  let src = x;
  if (o.dtype) src = lax.cast(x, o.dtype);
  else if (!isFloating(x.dtype)) src = lax.cast(x, 'int32');
  return reduceWith('sum', sumP, src, o);
}

/**
 * Mean over `dim` (all dims when omitted), optionally keeping them; floating-point inputs only, unless
 * `dtype` is given.
 * @example x.mean(-1)
 */
export function mean(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: KeepdimOr): Tensor {
  checkTensor('mean', 'input', x);
  const o = parse('mean', dim, keepdim);
  const src = o.dtype ? lax.cast(x, o.dtype) : x;
  if (!isFloating(src.dtype)) {
    throw new DTypeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${src.dtype}`);
  }
  const axes = normDims('mean', o.dim, src.ndim);
  const n = axes.reduce((a, d) => a * src.shape[d]!, 1);
  return E.div(reduceWith('mean', sumP, src, o), n);
}

/**
 * Product over `dim` (all dims when omitted), optionally keeping them (bool inputs give int32).
 * @example x.prod(0)
 */
export function prod(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: KeepdimOr): Tensor {
  checkTensor('prod', 'input', x);
  const o = parse('prod', dim, keepdim);
  const src = o.dtype ? lax.cast(x, o.dtype) : x.dtype === 'bool' ? lax.cast(x, 'int32') : x;
  return reduceWith('prod', prodP, src, o);
}

function checkNonEmpty(fn: string, x: Tensor, axes: number[]): void {
  if (axes.some((a) => x.shape[a] === 0) || (axes.length === 0 && numel(x.shape) === 0)) {
    throw new IndexError(`${fn}(): Expected reduction dim to be specified for input.numel() == 0, or the reduced dimension to be non-empty; got shape [${x.shape}]`);
  }
}

/**
 * Maximum over `dim` (all dims when omitted), without indices; the gradient is shared evenly among
 * ties.
 * @example x.amax(-1, true)
 */
export function amax(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: KeepdimOr): Tensor {
  checkTensor('amax', 'input', x);
  const o = parse('amax', dim, keepdim);
  checkNonEmpty('amax', x, normDims('amax', o.dim, x.ndim));
  return reduceWith('amax', maxP, x, o);
}
/** Minimum over `dim` (all dims when omitted), without indices; the gradient is shared evenly among ties. */
export function amin(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: KeepdimOr): Tensor {
  checkTensor('amin', 'input', x);
  const o = parse('amin', dim, keepdim);
  checkNonEmpty('amin', x, normDims('amin', o.dim, x.ndim));
  return reduceWith('amin', minP, x, o);
}

function arg(fn: string, prim: typeof argmaxP, x: Tensor, dim?: number | null, keepdim = false): Tensor {
  checkTensor(fn, 'input', x);
  if (dim === undefined || dim === null) {
    const flat = lax.reshape(x, [numel(x.shape)]);
    checkNonEmpty(fn, flat, [0]);
    const r = bind(prim, [flat], { axis: 0 });
    return keepdim ? lax.reshape(r, x.shape.map(() => 1)) : r;
  }
  const axis = normDim(fn, dim, x.ndim);
  checkNonEmpty(fn, x, [axis]);
  const r = bind(prim, [x.ndim === 0 ? lax.reshape(x, [1]) : x], { axis: x.ndim === 0 ? 0 : axis });
  return keepdim ? lax.reshape(r, x.shape.map((d, i) => (i === axis ? 1 : d))) : r;
}
/**
 * Index (int32) of the first maximum along `dim`; over the flattened tensor when dim is omitted or
 * null.
 * @example logits.argmax(1)
 */
export const argmax = (x: Tensor, dim?: number | null, keepdim?: boolean) => arg('argmax', argmaxP, x, dim, keepdim);
/** Index (int32) of the first minimum along `dim`; over the flattened tensor when dim is omitted or null. */
export const argmin = (x: Tensor, dim?: number | null, keepdim?: boolean) => arg('argmin', argminP, x, dim, keepdim);

/** max(dim) and min(dim) return [values, indices] with .values and .indices, as PyTorch's named tuple. */
export type ValuesIndices = [Tensor, Tensor] & {
  /** The values (the first element). */
  values: Tensor;
  /** Their int32 indices along the dim (the second element). */
  indices: Tensor;
};
function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * max(x) -> the maximum; max(x, dim, keepdim?) -> [values, indices]; max(x, other) -> maximum.
 * @example const { values, indices } = x.max(1)
 */
export function max(x: Tensor): Tensor;
/** `[values, indices]` of the maximum along `dim`, keeping it with size 1 when `keepdim`. */
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
/** The elementwise maximum of x and other, as torch.maximum. */
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  checkTensor('max', 'input', x);
  if (dim instanceof Tensor) return E.maximum(x, dim);
  if (dim === undefined) return amax(x);
  return extremeAlong(argmax, x, dim, keepdim);
}

/**
 * Values at the arg-extreme along one dim, taken with gather so the gradient goes to that single
 * element (PyTorch's max(dim) and max_pool2d), where amax shares it among ties.
 */
export function extremeAlong(pick: typeof argmax, x: Tensor, dim: number, keepdim = false): ValuesIndices {
  const axis = normDim('max', dim, x.ndim);
  const idx = pick(x, axis, true);
  const values = x.ndim === 0 ? x : lax.gather(x, idx, axis);
  const drop = (t: Tensor) => (keepdim || x.ndim === 0 ? t : lax.reshape(t, x.shape.filter((_, i) => i !== axis)));
  return valuesIndices(drop(values), drop(idx));
}
/**
 * min(x) -> the minimum; min(x, dim, keepdim?) -> [values, indices]; min(x, other) -> minimum.
 * @example const { values, indices } = x.min(0)
 */
export function min(x: Tensor): Tensor;
/** `[values, indices]` of the minimum along `dim`, keeping it with size 1 when `keepdim`. */
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
/** The elementwise minimum of x and other, as torch.minimum. */
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  checkTensor('min', 'input', x);
  if (dim instanceof Tensor) return E.minimum(x, dim);
  if (dim === undefined) return amin(x);
  // Normalized here so that a bad dim names min, not the max of the shared helper.
  return extremeAlong(argmin, x, normDim('min', dim, x.ndim), keepdim);
}

/** Options of var / std: the reduction options plus Bessel's correction. */
export interface VarOptions extends ReduceOptions {
  /** Bessel's correction: 1 (default, unbiased) or 0. */
  correction?: number;
  /** The older spelling: false means correction 0 (ignored when `correction` is given). */
  unbiased?: boolean;
}

/**
 * Variance over `dim` (all dims when omitted) with Bessel's correction (default 1: the unbiased
 * estimate); exported as `torch.var`.
 * @example x.var({ dim: 0, correction: 0 })
 */
export function variance(x: Tensor, dim?: Dims | VarOptions, keepdim?: KeepdimOr<VarOptions>): Tensor {
  return varianceAs('var', x, dim, keepdim);
}

/** var's computation, with bad arguments reported under `fn` (var or std). */
function varianceAs(fn: string, x: Tensor, dim?: Dims | VarOptions, keepdim?: KeepdimOr<VarOptions>): Tensor {
  checkTensor(fn, 'input', x);
  const o: VarOptions = parse(fn, dim as Dims | ReduceOptions, keepdim as KeepdimOr, [...REDUCE_KEYS, 'correction', 'unbiased']);
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const axes = normDims(fn, o.dim, x.ndim);
  const n = axes.reduce((a, d) => a * x.shape[d]!, 1);
  const mu = mean(x, { dim: axes, keepdim: true });
  const d = E.sub(x, mu);
  return E.div(sum(E.mul(d, d), { dim: axes, keepdim: o.keepdim }), Math.max(0, n - correction));
}
/**
 * Standard deviation: the square root of `var` with the same arguments (default correction 1).
 * @example torch.std(x, 1, true)
 */
export const std = (x: Tensor, dim?: Dims | VarOptions, keepdim?: KeepdimOr<VarOptions>) => E.sqrt(varianceAs('std', x, dim, keepdim));

/** log(sum(exp(x))) computed stably. @example x.logsumexp(-1) */
export function logsumexp(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: KeepdimOr): Tensor {
  checkTensor('logsumexp', 'input', x);
  const o = parse('logsumexp', dim, keepdim);
  const axes = normDims('logsumexp', o.dim, x.ndim);
  let r: Tensor;
  if (axes.some((d) => x.shape[d] === 0)) {
    // An empty reduction: log(0) = -inf, as PyTorch.
    r = E.log(sum(E.exp(x), { dim: axes, keepdim: true }));
  } else {
    // The shift is the row max where finite, else 0: a max of +inf gives +inf (exp(inf) = inf), all
    // -inf gives -inf (log 0), as PyTorch; shifting by an infinite max would give inf - inf = NaN.
    const m = detach(amax(x, { dim: axes, keepdim: true }));
    const safe = E.where(E.isnan(E.sub(m, m)), 0, m);
    r = E.add(E.log(sum(E.exp(E.sub(x, safe)), { dim: axes, keepdim: true })), safe);
  }
  return o.keepdim ? r : lax.reshape(r, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Vector p-norm over dims (default all): p = 2, 1, Infinity, -Infinity, any number, or 'fro'. */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, keepdim = false): Tensor {
  checkTensor('norm', 'input', x);
  const o = { dim, keepdim };
  if (p === 'fro' || p === 2) return rootMasked(sum(E.mul(x, x), o), E.sqrt);
  if (p === 1) return sum(E.abs(x), o);
  if (p === Infinity) return amax(E.abs(x), o);
  if (p === -Infinity) return amin(E.abs(x), o);
  if (typeof p !== 'number' || p === 0) throw new ValueError(`norm(): unsupported p=${String(p)}`);
  return rootMasked(sum(E.pow(E.abs(x), p), o), (s) => E.pow(s, 1 / p));
}

/**
 * root(s), with the derivative masked to 0 where s == 0 (PyTorch's norm_backward gives the
 * subgradient 0 at x = 0, where root'(0) = inf times 0 would be NaN). Built from `where` on a safe
 * argument, so every transform (double backward, jvp, vmap) sees ordinary primitives.
 */
function rootMasked(s: Tensor, root: (s: Tensor) => Tensor): Tensor {
  const isZero = E.eq(s, 0);
  const r = root(E.where(isZero, 1, s));
  return E.where(isZero, 0, r);
}

/** Cumulative sum along `dim` (integer and bool inputs give int32). @example x.cumsum(0) */
export function cumsum(x: Tensor, dim: number): Tensor {
  checkTensor('cumsum', 'input', x);
  const src = isFloating(x.dtype) ? x : lax.cast(x, 'int32');
  if (src.ndim === 0) return src;
  return bind(cumsumP, [src], { axis: normDim('cumsum', dim, x.ndim) });
}

/**
 * True where any element over `dim` (all dims when omitted) is non-zero, as a bool tensor.
 * @example mask.any()
 */
export const any = (x: Tensor, dim?: Dims, keepdim?: boolean) => E.gt(sum(lax.cast(checkTensor('any', 'input', x), 'bool'), dim, keepdim), 0);
/**
 * True where every element over `dim` (all dims when omitted) is non-zero, as a bool tensor.
 * @example x.ge(0).all()
 */
export const all = (x: Tensor, dim?: Dims, keepdim?: boolean) => E.logicalNot(any(E.logicalNot(checkTensor('all', 'input', x)), dim, keepdim));
