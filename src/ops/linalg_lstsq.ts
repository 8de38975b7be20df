// torch.linalg's pseudo-inverse and least squares: pinv (a primitive with PyTorch's pinv_backward /
// pinv_jvp) and lstsq, whose solution is pinv(A) B, so its gradient is PyTorch's
// linalg_lstsq_backward (which differentiates exactly that expression).
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { DTypeError } from '../core/errors.js';
import { Tensor, deviceOf, lax } from '../primitives/index.js';
import { pinvP } from '../primitives/linalg_pinv.js';
import { bind } from '../primitives/primitive.js';
import { detach } from '../transforms/detach.js';
import { amax, sum } from './reduce.js';
import { svdvals } from './linalg_decomp.js';
import { boolOpt, checkMatrix, emptyOf, epsOf, fromTriangle, isVectorRhs, options } from './linalg_common.js';
import { checkTensor } from './scalars.js';

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Absolute cut-off for singular values (default 0). */
  atol?: number;
  /**
   * Relative cut-off (times the largest singular value); default eps * max(m, n) when atol is not
   * given, else 0 (PyTorch's rule).
   */
  rtol?: number;
  /** A is symmetric: read its lower triangle only (default false). */
  hermitian?: boolean;
}

function tolerances(fn: string, o: { atol?: number; rtol?: number }, A: Tensor): { atol: number; rtol: number } {
  for (const k of ['atol', 'rtol'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new ValueError(`${fn}: ${k} must be a non-negative number, got ${String(v)}`);
  }
  const [m, n] = A.shape.slice(-2) as [number, number];
  const atol = o.atol ?? 0;
  const rtol = o.rtol ?? (o.atol !== undefined && o.atol > 0 ? 0 : epsOf(A.dtype) * Math.max(m, n));
  return { atol, rtol };
}

/**
 * The Moore-Penrose pseudo-inverse of each matrix of A [..., m, n] (torch.linalg.pinv), [..., n, m],
 * through the SVD: singular values at or below max(atol, rtol * largest) count as zero. Its gradient
 * is PyTorch's closed form in A and pinv(A) (valid where the rank does not change).
 * @example
 * torch.linalg.pinv(torch.tensor([[1, 2], [2, 4], [0, 0]]));  // rank 1: [[0.04, 0.08, 0], [0.08, 0.16, 0]]
 */
export function pinv(A: Tensor, opts?: PinvOptions): Tensor {
  const fn = 'linalg.pinv';
  const o = options(fn, opts, ['atol', 'rtol', 'hermitian']);
  checkTensor(fn, 'A', A);
  const hermitian = boolOpt(fn, 'hermitian', o.hermitian, false);
  if (A.ndim < 2 || (A.dtype !== 'float32' && A.dtype !== 'float64')) return bind(pinvP, [A], { atol: 0, rtol: 0 }); // the primitive's error
  if (hermitian && A.shape[A.ndim - 1] !== A.shape[A.ndim - 2]) {
    throw new ShapeError(`${fn}: A must be batches of square matrices with hermitian=true, but they are ${A.shape[A.ndim - 2]} by ${A.shape[A.ndim - 1]} matrices`);
  }
  return bind(pinvP, [hermitian ? fromTriangle(A, false) : A], tolerances(fn, o, A));
}

/** The LAPACK drivers of {@link lstsq}: they differ only in which extra results they fill. */
export type LstsqDriver = 'gels' | 'gelsy' | 'gelsd' | 'gelss';

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /** Singular values below rcond times the largest count as zero (default eps * max(m, n)). */
  rcond?: number;
  /**
   * Which of PyTorch's CPU drivers to imitate (default 'gelsy'): every one gives the minimum-norm
   * solution here; 'gels' has no rank, 'gelsy' no residuals, only 'gelsd' / 'gelss' singular values.
   */
  driver?: LstsqDriver;
}

/** The result of {@link lstsq}: PyTorch's namedtuple fields. */
export interface LstsqResult {
  /** [..., n, k] (or [..., n] for a vector right-hand side): the minimum-norm least-squares solution. */
  solution: Tensor;
  /** Shape [..., k]: the squared residual norm of each column, when m > n and the driver is not 'gelsy'; else empty (no gradient, as in PyTorch). */
  residuals: Tensor;
  /** int32 [...]: the numerical rank of A (empty for driver 'gels'). */
  rank: Tensor;
  /** Shape [..., min(m, n)]: the singular values of A for the drivers 'gelsd' and 'gelss'; else empty (no gradient, as in PyTorch). */
  singularValues: Tensor;
}

/**
 * The least-squares solution X minimising ||A X - B|| for A [..., m, n] and B [..., m, k] (or a batch
 * of vectors [..., m]) (torch.linalg.lstsq), batch dims broadcast: `{ solution, residuals, rank,
 * singularValues }`. The solution is pinv(A) B, the minimum-norm one (as every PyTorch CPU driver
 * gives for a full-rank A), and its gradient is PyTorch's. Residuals are the squared column norms of
 * A X - B; unlike PyTorch they are also given for a rank-deficient A (PyTorch leaves them empty).
 * @example
 * const A = torch.tensor([[1, 1], [1, 2], [1, 3]]);
 * const { solution } = torch.linalg.lstsq(A, torch.tensor([[1], [2], [2]]));  // intercept 2/3, slope 1/2
 */
export function lstsq(A: Tensor, B: Tensor, opts?: LstsqOptions): LstsqResult {
  const fn = 'torch.linalg.lstsq';
  const o = options(fn, opts, ['rcond', 'driver']);
  checkTensor(fn, 'A', A);
  checkTensor(fn, 'B', B);
  if (A.ndim < 2) throw new ShapeError(`${fn}: input must have at least 2 dimensions.`);
  checkMatrix(fn, A);
  if (B.dtype !== A.dtype) throw new DTypeError(`${fn}: Expected input and other to have the same dtype, but got input's dtype ${A.dtype} and other's dtype ${B.dtype}`);
  const driver = o.driver ?? 'gelsy';
  if (!['gels', 'gelsy', 'gelsd', 'gelss'].includes(driver)) {
    throw new ValueError(`${fn}: parameter \`driver\` should be one of (gels, gelsy, gelsd, gelss), got ${String(driver)}`);
  }
  const [m, n] = A.shape.slice(-2) as [number, number];
  const vector = isVectorRhs(A, B);
  if (B.ndim === 0 || (vector ? B.shape[B.ndim - 1] : B.shape[B.ndim - 2]) !== m) {
    throw new ShapeError(`${fn}: input.size(-2) should match other.size(-2); A ${fmtShape(A.shape)}, B ${fmtShape(B.shape)}`);
  }
  if (o.rcond !== undefined && (typeof o.rcond !== 'number' || Number.isNaN(o.rcond))) throw new ValueError(`${fn}: rcond must be a number, got ${String(o.rcond)}`);
  const rtol = o.rcond !== undefined && o.rcond > 0 ? o.rcond : epsOf(A.dtype) * Math.max(m, n);
  const rhs = vector ? lax.reshape(B, [...B.shape, 1]) : B;
  const X = lax.matmul(bind(pinvP, [A], { atol: 0, rtol }), rhs);
  const solution = vector ? lax.reshape(X, X.shape.slice(0, -1)) : X;
  // As in PyTorch, only the solution is differentiable.
  const residuals = driver !== 'gelsy' && m > n ? detach(residualsOf(A, X, rhs, vector)) : emptyOf(A.dtype, deviceOf(A));
  let rank = emptyOf('int32', deviceOf(A));
  let singularValues = emptyOf(A.dtype, deviceOf(A));
  if (driver !== 'gels') {
    const s = svdvals(detach(A));
    if (driver === 'gelsd' || driver === 'gelss') singularValues = s;
    rank = rankOf(s, rtol, 0);
  }
  return { solution, residuals, rank, singularValues };
}

function residualsOf(A: Tensor, X: Tensor, rhs: Tensor, vector: boolean): Tensor {
  const r = lax.sub(lax.matmul(A, X), rhs);
  const sq = sum(lax.mul(r, r), -2);
  return vector ? lax.reshape(sq, sq.shape.slice(0, -1)) : sq;
}

/** int32 count of the values s [..., k] (singular values, or |eigenvalues|) above max(atol, rtol * max(s)). */
export function rankOf(s: Tensor, rtol: number, atol: number): Tensor {
  const k = s.shape[s.ndim - 1]!;
  if (k === 0) return lax.broadcastTo(lax.cast(lax.scalarLike(s, 0), 'int32'), s.shape.slice(0, -1));
  const rel = lax.mul(amax(s, -1, true), lax.scalarLike(s, rtol));
  const tol = lax.where(lax.gt(rel, lax.scalarLike(s, atol)), rel, lax.broadcastTo(lax.scalarLike(s, atol), rel.shape));
  return sum(lax.cast(lax.gt(s, tol), 'int32'), -1);
}
