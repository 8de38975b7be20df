// torch.linalg's decompositions: cholesky / choleskyEx, qr, eigh / eigvalsh, svd / svdvals, over batches
// of matrices [..., m, n] in float32 / float64. Each unpacks the packed result of its primitive
// (primitives/linalg_tri.ts, linalg_qr.ts, linalg_eigh.ts, linalg_svd.ts), so every transform reaches
// it. PyTorch's namedtuples become plain objects with the same field names.
import { ValueError } from '../core/errors.js';
import { Tensor, deviceOf, lax } from '../primitives/index.js';
import { cholesky as choleskyPrim } from '../primitives/linalg_tri.js';
import { qrP, qrParts } from '../primitives/linalg_qr.js';
import { eighP, eighParts } from '../primitives/linalg_eigh.js';
import { svdP, svdParts } from '../primitives/linalg_svd.js';
import { cols, diagOf } from '../primitives/linalg_util.js';
import { bind } from '../primitives/primitive.js';
import { detach } from '../transforms/detach.js';
import { boolOpt, checkMatrix, checkSquareMatrix, emptyOf, firstTrue1Based, fromTriangle, options } from './linalg_common.js';

/** Options of {@link cholesky} and {@link choleskyEx}. */
export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (A = Uᵀ U), read from A's upper triangle (default false). */
  upper?: boolean;
}

/**
 * The Cholesky factor of each symmetric positive-definite matrix of A [..., n, n]
 * (torch.linalg.cholesky): lower L with A = L Lᵀ, or with `upper` the upper U = Lᵀ. Only the lower
 * (upper) triangle of A is read. A matrix that is not positive-definite throws a LinAlgError naming
 * the order of the first leading minor that is not. The gradient is PyTorch's (a symmetric matrix).
 * @example
 * const L = torch.linalg.cholesky(torch.tensor([[4, 2], [2, 3]]));  // [[2, 0], [1, 1.4142]]
 */
export function cholesky(A: Tensor, opts?: CholeskyOptions): Tensor {
  const o = options('linalg.cholesky', opts, ['upper']);
  checkSquareMatrix('linalg.cholesky', A);
  const upper = boolOpt('linalg.cholesky', 'upper', o.upper, false);
  const l = choleskyPrim(fromTriangle(A, upper), true);
  return upper ? lax.mT(l) : l;
}

/** Options of {@link choleskyEx}. */
export interface CholeskyExOptions extends CholeskyOptions {
  /** Throw a LinAlgError for a matrix that is not positive-definite, as cholesky does (default false). */
  checkErrors?: boolean;
}

/** The result of {@link choleskyEx}: the factor and, per matrix, LAPACK's info. */
export interface CholeskyExResult {
  /** The Cholesky factor (its diagonal is zero from the failing order on when info > 0). */
  L: Tensor;
  /** int32 [...]: 0, or the order of the first leading minor that is not positive-definite. */
  info: Tensor;
}

/**
 * Cholesky without the error (torch.linalg.cholesky_ex): `{ L, info }`, where info is 0 for a
 * positive-definite matrix and otherwise the order of its first leading minor that is not (the
 * factor then has a zero diagonal from there on). With `checkErrors` it throws as cholesky does.
 * @example
 * const { L, info } = torch.linalg.choleskyEx(torch.tensor([[1, 2], [2, 1]]));  // info = 2
 */
export function choleskyEx(A: Tensor, opts?: CholeskyExOptions): CholeskyExResult {
  const o = options('linalg.cholesky_ex', opts, ['upper', 'checkErrors']);
  checkSquareMatrix('linalg.cholesky', A);
  const upper = boolOpt('linalg.cholesky_ex', 'upper', o.upper, false);
  const check = boolOpt('linalg.cholesky_ex', 'checkErrors', o.checkErrors, false);
  const l = choleskyPrim(fromTriangle(A, upper), check);
  const info = firstTrue1Based(lax.le(detach(diagOf(l)), lax.scalarLike(l, 0)));
  return { L: upper ? lax.mT(l) : l, info };
}

/** The modes of {@link qr}: Q of m x min(m, n) ('reduced'), m x m ('complete'), or R only ('r'). */
export type QrMode = 'reduced' | 'complete' | 'r';

/** Options of {@link qr}. */
export interface QrOptions {
  /** 'reduced' (default), 'complete' or 'r' (R only; Q is an empty tensor). */
  mode?: QrMode;
}

/** The result of {@link qr}. */
export interface QrResult {
  /** [..., m, k] with orthonormal columns (k = min(m, n), or m in mode 'complete'); empty in mode 'r'. */
  Q: Tensor;
  /** [..., k, n], upper triangular. */
  R: Tensor;
}

/**
 * The QR decomposition A = Q R of each matrix of A [..., m, n] (torch.linalg.qr), by Householder
 * reflections with LAPACK's signs (so Q and R match PyTorch's). Differentiable for full-rank A in
 * the modes 'reduced' and 'r', and in 'complete' when m <= n (as PyTorch: the extra columns of Q are
 * not determined by A).
 * @example
 * const { Q, R } = torch.linalg.qr(torch.tensor([[3, 1], [4, 2]]));  // R = [[-5, -2.2], [0, -0.4]]
 */
export function qr(A: Tensor, opts?: QrOptions): QrResult {
  const o = options('linalg.qr', opts, ['mode']);
  const [m, n] = checkMatrix('linalg.qr', A);
  const mode = o.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r') {
    throw new ValueError(`linalg.qr: qr received unrecognized mode '${String(mode)}' but expected one of 'reduced' (default), 'r', or 'complete'`);
  }
  const complete = mode === 'complete';
  const [Q, R] = qrParts(bind(qrP, [A], { complete }), m, n, complete);
  return { Q: mode === 'r' ? emptyOf(A.dtype, deviceOf(A)) : Q, R };
}

/** Options of {@link eigh} and {@link eigvalsh}. */
export interface EighOptions {
  /** Which triangle of A is read: 'L' (lower, default) or 'U'. */
  UPLO?: 'L' | 'U';
}

/** The result of {@link eigh}. */
export interface EighResult {
  /** [..., n], ascending. */
  eigenvalues: Tensor;
  /** [..., n, n], the orthonormal eigenvectors as columns. */
  eigenvectors: Tensor;
}

function uploOf(fn: string, opts: EighOptions | undefined): boolean {
  const o = options(fn, opts, ['UPLO']);
  const uplo = o.UPLO ?? 'L';
  if (uplo !== 'L' && uplo !== 'U') throw new ValueError(`${fn}: Expected UPLO argument to be 'L' or 'U', but got ${String(uplo)}`);
  return uplo === 'U';
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of each symmetric matrix of A [..., n, n]
 * (torch.linalg.eigh), reading its lower triangle (or upper, with `UPLO: 'U'`), by Jacobi rotations.
 * Eigenvectors are unique only up to sign: each is returned with its largest-magnitude entry positive
 * (PyTorch's LAPACK fixes no sign). Gradients are PyTorch's; with eigenvectors in the loss they are
 * inf / NaN for repeated eigenvalues, where the eigenvectors are not unique (use eigvalsh for a loss
 * of the eigenvalues only).
 * @example
 * const { eigenvalues, eigenvectors } = torch.linalg.eigh(torch.tensor([[2, 1], [1, 2]]));  // [1, 3]
 */
export function eigh(A: Tensor, opts?: EighOptions): EighResult {
  const upper = uploOf('linalg.eigh', opts);
  checkSquareMatrix('linalg.eigh', A);
  const [eigenvalues, eigenvectors] = eighParts(bind(eighP, [fromTriangle(A, upper)], { vectors: true }));
  return { eigenvalues, eigenvectors };
}

/**
 * The eigenvalues (ascending) of each symmetric matrix of A [..., n, n] (torch.linalg.eigvalsh);
 * its gradient V diag(g) Vᵀ is defined for repeated eigenvalues too.
 * @example
 * torch.linalg.eigvalsh(torch.tensor([[2, 1], [1, 2]]));  // [1, 3]
 */
export function eigvalsh(A: Tensor, opts?: EighOptions): Tensor {
  const upper = uploOf('linalg.eigvalsh', opts);
  checkSquareMatrix('linalg.eigvalsh', A);
  return bind(eighP, [fromTriangle(A, upper)], { vectors: false });
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** U [..., m, m] and Vh [..., n, n] (default true, as PyTorch) instead of the reduced [..., m, k], [..., k, n]. */
  fullMatrices?: boolean;
}

/** The result of {@link svd}. */
export interface SvdResult {
  /** Left singular vectors as columns. */
  U: Tensor;
  /** [..., k] singular values, descending (k = min(m, n)). */
  S: Tensor;
  /** Right singular vectors as rows (Vᵀ). */
  Vh: Tensor;
}

/** An orthonormal basis [..., m, m - k] of the complement of the columns of q [..., m, k] (no gradient). */
function complementOf(q: Tensor): Tensor {
  const [m, k] = q.shape.slice(-2) as [number, number];
  const full = qrParts(bind(qrP, [detach(q)], { complete: true }), m, k, true)[0];
  return cols(full, k, m);
}

/**
 * The singular value decomposition A = U diag(S) Vh of each matrix of A [..., m, n]
 * (torch.linalg.svd), by one-sided Jacobi rotations. With `fullMatrices` (the default) U and Vh are
 * square: their extra columns / rows are an orthonormal completion that carries no gradient, as in
 * PyTorch. Singular vectors are unique only up to sign (each pair is returned with U's
 * largest-magnitude entry positive). Gradients are PyTorch's; with U or Vh in the loss they are
 * inf / NaN for repeated singular values (and, when m != n, a zero one), where U and V are not unique
 * (use svdvals for a loss of the singular values only).
 * @example
 * const { U, S, Vh } = torch.linalg.svd(A, { fullMatrices: false });  // A ≈ U diag(S) Vh
 */
export function svd(A: Tensor, opts?: SvdOptions): SvdResult {
  const o = options('linalg.svd', opts, ['fullMatrices']);
  const [m, n] = checkMatrix('linalg.svd', A);
  const full = boolOpt('linalg.svd', 'fullMatrices', o.fullMatrices, true);
  let [U, S, V] = svdParts(bind(svdP, [A], { vectors: true }), m, n);
  const k = Math.min(m, n);
  if (full && m > k) U = lax.concat([U, complementOf(U)], U.ndim - 1);
  if (full && n > k) V = lax.concat([V, complementOf(V)], V.ndim - 1);
  return { U, S, Vh: lax.mT(V) };
}

/**
 * The singular values (descending) of each matrix of A [..., m, n] (torch.linalg.svdvals); its
 * gradient U diag(g) Vᵀ is defined for repeated singular values too.
 * @example
 * torch.linalg.svdvals(torch.tensor([[3, 0], [0, -4]]));  // [4, 3]
 */
export function svdvals(A: Tensor): Tensor {
  checkMatrix('linalg.svd', A);
  return bind(svdP, [A], { vectors: false });
}
