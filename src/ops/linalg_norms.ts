// torch.linalg's norms and the quantities built on them: vectorNorm, matrixNorm, norm, cond and
// matrixRank. Composites of reductions, svdvals / eigvalsh and invEx, so their gradients are those
// PyTorch's composites have (the 2-norm's gradient at 0 is 0, ties of max / min share the gradient).
import { DTypeError, ShapeError, ValueError, fmtValue } from '../core/errors.js';
import { isPlainObject } from '../core/options.js';
import { normDim, normDims, numel } from '../core/shape.js';
import type { DType } from '../core/dtype.js';
import { Tensor, lax } from '../primitives/index.js';
import { amax, amin, norm as pnorm, sum } from './reduce.js';
import * as E from './elementwise.js';
import { movedim } from './shape.js';
import { eigvalsh, svdvals } from './linalg_decomp.js';
import { invEx } from './linalg_solvers.js';
import { rankOf } from './linalg_lstsq.js';
import { boolOpt, checkMatrix, checkSquareMatrix, epsOf, options } from './linalg_common.js';
import { checkTensor } from './scalars.js';

/** Options of {@link vectorNorm}. */
export interface VectorNormOptions {
  /** The order: any number, Infinity (max |x|), -Infinity (min |x|) or 0 (count of nonzeros); default 2. */
  ord?: number;
  /** The dims to reduce (default all). */
  dim?: number | number[] | null;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Convert x to this float dtype first. */
  dtype?: DType;
}

/** Options of {@link matrixNorm}. */
export interface MatrixNormOptions {
  /** 'fro' (default), 'nuc', Infinity, -Infinity, 1, -1, 2 or -2. */
  ord?: MatrixOrd;
  /** The two dims holding the matrices (default [-2, -1]). */
  dim?: [number, number];
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Convert A to this float dtype first. */
  dtype?: DType;
}

/** The matrix norms: Frobenius, nuclear, max / min absolute row (±inf) or column (±1) sum, largest / smallest singular value (±2). */
export type MatrixOrd = 'fro' | 'nuc' | number;

/** Options of {@link norm}. */
export interface NormOptions {
  /** The order: a vector order, or a matrix order (strings, or numbers over two dims). */
  ord?: MatrixOrd | null;
  /** One dim (vector norm) or two (matrix norm); default: the whole input as a vector (ord unset) or its 1 / 2 dims. */
  dim?: number | number[] | null;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Convert A to this float dtype first. */
  dtype?: DType;
}

/** Reads `(ord?, dim?, keepdim?)` or one options object. */
function parseArgs<O extends { ord?: unknown; dim?: unknown; keepdim?: unknown; dtype?: DType }>(fn: string, args: unknown[]): Partial<O> {
  if (args.length === 1 && isPlainObject(args[0])) return options(fn, args[0] as O, ['ord', 'dim', 'keepdim', 'dtype']);
  const [ord, dim, keepdim, rest] = args;
  const extra = options(fn, rest as { dtype?: DType } | undefined, ['dtype']);
  return { ord, dim, keepdim, ...extra } as Partial<O>;
}

function floatInput(fn: string, x: unknown, dtype: DType | undefined): Tensor {
  let t = checkTensor(fn, 'A', x);
  if (dtype !== undefined) {
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(`${fn}: dtype must be float32 or float64, got ${String(dtype)}`);
    t = lax.cast(t, dtype);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new DTypeError(`${fn}: Expected a floating point tensor as input. Got ${t.dtype}`);
  return t;
}

function vectorNormOf(fn: string, x: Tensor, ord: number, dims: number[], keepdim: boolean): Tensor {
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new ValueError(`${fn}: ord must be a number, got ${fmtValue(ord)}`);
  const reducedEmpty = dims.some((d) => x.shape[d] === 0) || (x.ndim === 0 ? false : numel(x.shape) === 0);
  if (ord === Infinity || ord === -Infinity) {
    if (reducedEmpty) throw new ValueError(`${fn} cannot compute the ${ord > 0 ? '' : '-'}inf norm on an empty tensor because the operation does not have an identity`);
    return (ord > 0 ? amax : amin)(E.abs(x), dims, keepdim);
  }
  if (ord === 0) return sum(lax.cast(E.ne(x, 0), x.dtype), dims, keepdim);
  return pnorm(x, ord, dims, keepdim);
}

/**
 * The vector norm of x over `dim` (all elements by default) (torch.linalg.vector_norm): ord 2 (default),
 * any p, Infinity, -Infinity or 0. Arguments positional `(x, ord, dim, keepdim)` or as one options
 * object. The gradient of the 2-norm at 0 is 0, as PyTorch's.
 * @example
 * torch.linalg.vectorNorm(torch.tensor([3, -4]));              // 5
 * torch.linalg.vectorNorm(x, { ord: 1, dim: -1, keepdim: true });
 */
export function vectorNorm(x: Tensor, opts?: VectorNormOptions): Tensor;
export function vectorNorm(x: Tensor, ord?: number, dim?: number | number[] | null, keepdim?: boolean, opts?: { dtype?: DType }): Tensor;
export function vectorNorm(x: Tensor, ...args: unknown[]): Tensor {
  const fn = 'linalg.vector_norm';
  const o = parseArgs<VectorNormOptions>(fn, args);
  const t = floatInput(fn, x, o.dtype);
  const dims = normDims(fn, o.dim, t.ndim);
  return vectorNormOf(fn, t, o.ord ?? 2, dims, boolOpt(fn, 'keepdim', o.keepdim, false));
}

function matrixNormOf(fn: string, A: Tensor, ord: MatrixOrd, dim: readonly number[], keepdim: boolean): Tensor {
  if (A.ndim < 2) throw new ShapeError(`${fn}: The input tensor A must have at least 2 dimensions.`);
  if (!Array.isArray(dim) || dim.length !== 2) throw new ValueError(`${fn}: dim must be a 2-tuple. Got ${fmtValue(dim)}`);
  const d0 = normDim(fn, dim[0]!, A.ndim);
  const d1 = normDim(fn, dim[1]!, A.ndim);
  if (d0 === d1) throw new ValueError(`${fn}: dims must be different. Got (${dim[0]}, ${dim[1]})`);
  const keep = (r: Tensor) => (keepdim ? lax.reshape(r, A.shape.map((s, i) => (i === d0 || i === d1 ? 1 : s))) : r);
  if (ord === 'fro') return vectorNormOf(fn, A, 2, [Math.min(d0, d1), Math.max(d0, d1)], keepdim);
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    const s = svdvals(movedim(A, [d0, d1], [-2, -1]));
    if (ord === 'nuc') return keep(sum(s, -1));
    if (s.shape[s.ndim - 1] === 0) throw new ValueError(`${fn}: the ${ord}-norm of an empty matrix is not defined (max / min over no singular values)`);
    return keep((ord === 2 ? amax : amin)(s, -1));
  }
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // ±1: extreme absolute column sum (sum over rows d0); ±inf: extreme absolute row sum.
    const [sumDim, extDim] = ord === 1 || ord === -1 ? [d0, d1] : [d1, d0];
    const sums = sum(E.abs(A), sumDim, true);
    if (sums.shape[extDim] === 0) throw new ValueError(`${fn}: the ${ord}-norm of an empty matrix is not defined`);
    const r = (ord > 0 ? amax : amin)(sums, extDim, true);
    return keepdim ? r : lax.reshape(r, A.shape.filter((_, i) => i !== d0 && i !== d1));
  }
  throw new ValueError(`${fn}: Order ${String(ord)} not supported.`);
}

/**
 * The matrix norm of each matrix of A [..., m, n] (torch.linalg.matrix_norm): 'fro' (default),
 * 'nuc' (sum of singular values), Infinity / -Infinity (max / min absolute row sum), 1 / -1
 * (column sum), 2 / -2 (largest / smallest singular value). Arguments positional
 * `(A, ord, dim, keepdim)` or as one options object.
 * @example
 * torch.linalg.matrixNorm(torch.tensor([[1, -2], [3, 4]]), 1);  // 6
 */
export function matrixNorm(A: Tensor, opts?: MatrixNormOptions): Tensor;
export function matrixNorm(A: Tensor, ord?: MatrixOrd, dim?: [number, number], keepdim?: boolean, opts?: { dtype?: DType }): Tensor;
export function matrixNorm(A: Tensor, ...args: unknown[]): Tensor {
  const fn = 'linalg.matrix_norm';
  const o = parseArgs<MatrixNormOptions>(fn, args);
  const t = floatInput(fn, A, o.dtype);
  return matrixNormOf(fn, t, o.ord ?? 'fro', o.dim ?? [-2, -1], boolOpt(fn, 'keepdim', o.keepdim, false));
}

/**
 * A vector or matrix norm (torch.linalg.norm): with a two-element `dim`, or a string `ord`, or
 * `ord` given for a 2-D input, a matrix norm; otherwise a vector norm (of the whole input flattened
 * when neither ord nor dim is given). Arguments positional `(A, ord, dim, keepdim)` or as one
 * options object.
 * @example
 * torch.linalg.norm(torch.tensor([[1, 2], [3, 4]]));          // 5.4772 (Frobenius)
 * torch.linalg.norm(torch.tensor([[1, 2], [3, 4]]), 'nuc');   // 5.8310
 */
export function norm(A: Tensor, opts?: NormOptions): Tensor;
export function norm(A: Tensor, ord?: MatrixOrd | null, dim?: number | number[] | null, keepdim?: boolean, opts?: { dtype?: DType }): Tensor;
export function norm(A: Tensor, ...args: unknown[]): Tensor {
  const fn = 'linalg.norm';
  const o = parseArgs<NormOptions>(fn, args);
  const t = floatInput(fn, A, o.dtype);
  const keepdim = boolOpt(fn, 'keepdim', o.keepdim, false);
  const ord = o.ord ?? null;
  const dim = o.dim ?? null;
  if (dim !== null) {
    const dims = typeof dim === 'number' ? [dim] : dim;
    if (!Array.isArray(dims) || (dims.length !== 1 && dims.length !== 2)) {
      throw new ValueError(`${fn}: If dim is specified, it must be of length 1 or 2. Got ${fmtValue(dim)}`);
    }
    if (dims.length === 2 || typeof ord === 'string') return matrixNormOf('linalg.matrix_norm', t, ord ?? 'fro', dims, keepdim);
    return vectorNormOf('linalg.vector_norm', t, ord ?? 2, [normDim(fn, dims[0]!, t.ndim)], keepdim);
  }
  if (ord === null) return vectorNormOf('linalg.vector_norm', t, 2, normDims(fn, null, t.ndim), keepdim);
  if (t.ndim !== 1 && t.ndim !== 2) throw new ShapeError(`${fn}: If dim is not specified but ord is, the input must be 1D or 2D. Got ${t.ndim}D.`);
  if (typeof ord === 'string') return matrixNormOf('linalg.matrix_norm', t, ord, [-2, -1], keepdim);
  return t.ndim === 1 ? vectorNormOf('linalg.vector_norm', t, ord, [0], keepdim) : matrixNormOf('linalg.matrix_norm', t, ord, [-2, -1], keepdim);
}

const COND_ORDS: readonly MatrixOrd[] = ['fro', 'nuc', Infinity, -Infinity, 1, -1];

/**
 * The condition number of each matrix of A [..., m, n] in the norm `p` (torch.linalg.cond): the ratio
 * of extreme singular values for p = 2 (default) / -2 (any shape); for 'fro', 'nuc', ±1, ±inf
 * (square A) norm(A) * norm(inv(A)), Infinity for a singular A with a numeric p.
 * @example
 * torch.linalg.cond(torch.tensor([[1, 0], [0, 1e-3]]));  // 1000
 */
export function cond(A: Tensor, p: MatrixOrd | null = null): Tensor {
  const fn = 'linalg.cond';
  checkTensor(fn, 'A', A);
  if (p === null || p === 2 || p === -2) {
    const [m, n] = checkMatrix(fn, A);
    const s = svdvals(A);
    const k = Math.min(m, n);
    if (k === 0) throw new ValueError(`${fn}: the condition number of an empty matrix is not defined`);
    const first = lax.slice(s, { dim: s.ndim - 1, start: 0, end: 1, step: 1 });
    const last = lax.slice(s, { dim: s.ndim - 1, start: k - 1, end: k, step: 1 });
    const r = p === -2 ? lax.div(last, first) : lax.div(first, last);
    return lax.reshape(r, r.shape.slice(0, -1));
  }
  if (!COND_ORDS.includes(p)) throw new ValueError(`${fn} got an invalid norm type: ${String(p)}`);
  checkSquareMatrix(`linalg.cond(ord=${String(p)})`, A);
  const { inverse, info } = invEx(A);
  const r = lax.mul(matrixNormOf(fn, A, p, [-2, -1], false), matrixNormOf(fn, inverse, p, [-2, -1], false));
  if (typeof p === 'string') return r;
  return lax.where(lax.gt(info, lax.scalarLike(info, 0)), lax.scalarLike(r, Infinity), r);
}

/** Options of {@link matrixRank}. */
export interface MatrixRankOptions {
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Relative tolerance, times the largest singular value; default eps * max(m, n) when atol is not given, else 0. */
  rtol?: number;
  /** A is symmetric: use the eigenvalues of its lower triangle (default false). */
  hermitian?: boolean;
}

/**
 * The numerical rank of each matrix of A [..., m, n] (torch.linalg.matrix_rank): the number of
 * singular values above max(atol, rtol * largest), as int32 (PyTorch's is int64).
 * @example
 * torch.linalg.matrixRank(torch.tensor([[1, 2], [2, 4]]));  // 1
 */
export function matrixRank(A: Tensor, opts?: MatrixRankOptions): Tensor {
  const fn = 'torch.linalg.matrix_rank';
  const o = options(fn, opts, ['atol', 'rtol', 'hermitian']);
  checkTensor(fn, 'input', A);
  if (A.ndim < 2) throw new ShapeError(`${fn}: The input tensor input must have at least 2 dimensions.`);
  const [m, n] = checkMatrix(fn, A, 'input');
  for (const k of ['atol', 'rtol'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new ValueError(`${fn}: ${k} must be a non-negative number, got ${String(v)}`);
  }
  const atol = o.atol ?? 0;
  const rtol = o.rtol ?? (atol > 0 ? 0 : epsOf(A.dtype) * Math.max(m, n));
  const s = boolOpt(fn, 'hermitian', o.hermitian, false) ? E.abs(eigvalsh(A)) : svdvals(A);
  return rankOf(s, rtol, atol);
}
