// torch.linalg's solvers and factorisations built on LU and triangular solves: solveTriangular, lu,
// luFactor / luFactorEx, luSolve, invEx, solveEx, over batches of matrices in float32 / float64.
// Composites of the primitives `solveTriangular`, `luFactor` and `luPermutation`, so gradients follow
// PyTorch's formulas (linalg_lu_backward, the triangular-solve rules) and every transform applies.
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { LinAlgError } from '../core/linalg_errors.js';
import { Tensor, deviceOf, lax } from '../primitives/index.js';
import { luFactorP, luParts, luPermutationP, permutationMatrix } from '../primitives/linalg_lu_factor.js';
import { solveTri } from '../primitives/linalg_tri.js';
import { cols, diagOf, rows } from '../primitives/linalg_util.js';
import { eyeOf } from '../primitives/linalg_lu.js';
import { bind } from '../primitives/primitive.js';
import { detach } from '../transforms/detach.js';
import { valuesIfConcrete } from './nn/_util.js';
import { boolOpt, checkMatrix, checkSquareMatrix, firstTrue1Based, isVectorRhs, options } from './linalg_common.js';
import { checkTensor } from './scalars.js';

/** Options of {@link solveTriangular}. */
export interface SolveTriangularOptions {
  /** Whether A is upper (true) or lower (false) triangular: required, as in PyTorch. */
  upper: boolean;
  /** Solve A X = B (true, default) or X A = B (false). */
  left?: boolean;
  /** Take A's diagonal as ones without reading it (default false). */
  unitriangular?: boolean;
}

/**
 * The solution X of A X = B (or X A = B with `left: false`) for triangular A [..., n, n]
 * (torch.linalg.solve_triangular); only the named triangle of A is read, B is [..., n, k] (or
 * [..., k, n]), batch dims broadcast. No singularity check: a zero on the diagonal gives inf / NaN.
 * @example
 * torch.linalg.solveTriangular(torch.tensor([[2, 1], [0, 4]]), torch.tensor([[3], [8]]), { upper: true });  // [[0.5], [2]]
 */
export function solveTriangular(A: Tensor, B: Tensor, opts: SolveTriangularOptions): Tensor {
  const fn = 'linalg.solve_triangular';
  const o = options(fn, opts, ['upper', 'left', 'unitriangular']);
  if (typeof o.upper !== 'boolean') throw new ValueError(`${fn}: missing required option 'upper' (a boolean)`);
  const left = boolOpt(fn, 'left', o.left, true);
  const unit = boolOpt(fn, 'unitriangular', o.unitriangular, false);
  checkSquareMatrix(fn, A);
  checkMatrix(fn, B, 'B');
  if (left) return solveTri(A, B, o.upper, unit);
  if (B.shape[B.ndim - 1] !== A.shape[A.ndim - 1]) {
    const [n] = A.shape.slice(-1);
    throw new ShapeError(`${fn}: Incompatible shapes of A and B for the equation XA = B (${B.shape[B.ndim - 2]}x${B.shape[B.ndim - 1]} and ${n}x${n})`);
  }
  return lax.mT(solveTri(lax.mT(A), lax.mT(B), !o.upper, unit));
}

/** Options of {@link lu}, {@link luFactor} and {@link luFactorEx}. */
export interface LuOptions {
  /** Partial pivoting (default true; false is not implemented on the CPU, as in PyTorch). */
  pivot?: boolean;
}

function checkPivot(fn: string, opts: LuOptions | undefined, extra: string[] = []): Partial<LuOptions & { checkErrors: boolean }> {
  const o = options(fn, opts as (LuOptions & { checkErrors?: boolean }) | undefined, ['pivot', ...extra]);
  if (!boolOpt(fn, 'pivot', o.pivot, true)) throw new ValueError(`${fn}: LU without pivoting is not implemented on the CPU`);
  return o;
}

function factor(fn: string, A: Tensor) {
  checkTensor(fn, 'A', A);
  if (A.ndim < 2) throw new ShapeError(`${fn}: Expected tensor with 2 or more dimensions. Got size: ${fmtShape(A.shape)} instead`);
  if (A.dtype !== 'float32' && A.dtype !== 'float64') throw new DTypeError(`${fn}: Expected a floating point tensor as input. Got ${A.dtype}`);
  const [m, n] = A.shape.slice(-2) as [number, number];
  return { m, n, parts: luParts(bind(luFactorP, [A], undefined), m, n) };
}

/** The result of {@link lu}: A = P L U. */
export interface LuResult {
  /** [..., m, m] permutation matrix. */
  P: Tensor;
  /** [..., m, k] unit lower triangular (k = min(m, n)). */
  L: Tensor;
  /** [..., k, n] upper triangular. */
  U: Tensor;
}

/**
 * The LU decomposition with partial pivoting A = P L U of each matrix of A [..., m, n]
 * (torch.linalg.lu). Never throws: a singular matrix has a zero on U's diagonal. Gradients (through L
 * and U) are PyTorch's, for square, wide and tall A.
 * @example
 * const { P, L, U } = torch.linalg.lu(torch.tensor([[1, 2], [3, 4]]));  // L = [[1, 0], [1/3, 1]]
 */
export function lu(A: Tensor, opts?: LuOptions): LuResult {
  checkPivot('linalg.lu', opts);
  const { parts } = factor('linalg.lu', A);
  return { P: permutationMatrix(detach(parts.perm), A.dtype), L: parts.l, U: parts.u };
}

/** The result of {@link luFactor}. */
export interface LuFactorResult {
  /** Shape [..., m, n]: L (unit diagonal not stored) below the diagonal, U on and above it. */
  LU: Tensor;
  /** int32 [..., min(m, n)]: LAPACK's 1-based pivots (row i was swapped with row pivots[i] - 1). */
  pivots: Tensor;
}

/** The result of {@link luFactorEx}. */
export interface LuFactorExResult extends LuFactorResult {
  /** int32 [...]: 0, or the 1-based index of the first zero on U's diagonal. */
  info: Tensor;
}

/** Options of {@link luFactorEx}. */
export interface LuFactorExOptions extends LuOptions {
  /** Throw a LinAlgError when U has a zero on its diagonal, as luFactor does (default false). */
  checkErrors?: boolean;
}

function factorEx(fn: string, A: Tensor): LuFactorExResult {
  const { m, n, parts } = factor(fn, A);
  const k = Math.min(m, n);
  const LU = parts.lu;
  const diag = detach(diagOf(k === m && k === n ? LU : cols(rows(LU, 0, k), 0, k)));
  return { LU, pivots: lax.cast(detach(parts.pivots), 'int32'), info: firstTrue1Based(lax.eq(diag, lax.scalarLike(diag, 0))) };
}

/** Throws `make(batchIndex, info)` for the first nonzero info, when the values can be read (not under vmap). */
function throwOnInfo(info: Tensor, make: (prefix: string, info: number) => string): void {
  const v = valuesIfConcrete(info);
  if (v === null) return;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 0) throw new LinAlgError(make(info.ndim > 0 ? `(Batch element ${i}): ` : '', v[i]!), v[i]!, info.ndim > 0 ? i : -1);
  }
}

/**
 * The compact LU factorisation with partial pivoting of each matrix of A [..., m, n]
 * (torch.linalg.lu_factor): `{ LU, pivots }`, the input of luSolve. Throws a LinAlgError when U has a
 * zero on its diagonal (checked outside vmap; use luFactorEx to get `info` instead).
 * @example
 * const { LU, pivots } = torch.linalg.luFactor(A);
 * const X = torch.linalg.luSolve(LU, pivots, B);
 */
export function luFactor(A: Tensor, opts?: LuOptions): LuFactorResult {
  checkPivot('linalg.lu_factor', opts);
  const { LU, pivots, info } = factorEx('linalg.lu_factor', A);
  throwOnInfo(info, (b, i) =>
    `torch.linalg.lu_factor: ${b}U[${i},${i}] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)`);
  return { LU, pivots };
}

/**
 * The compact LU factorisation without the error (torch.linalg.lu_factor_ex): `{ LU, pivots, info }`
 * with info the 1-based index of the first zero on U's diagonal (0 when there is none).
 * @example
 * const { info } = torch.linalg.luFactorEx(torch.zeros([2, 2]));  // info = 1
 */
export function luFactorEx(A: Tensor, opts?: LuFactorExOptions): LuFactorExResult {
  const o = checkPivot('linalg.lu_factor_ex', opts, ['checkErrors']);
  const r = factorEx('linalg.lu_factor_ex', A);
  if (boolOpt('linalg.lu_factor_ex', 'checkErrors', o.checkErrors, false)) {
    throwOnInfo(r.info, (b, i) => `linalg.lu_factor_ex: ${b}U[${i},${i}] is zero: the matrix is singular`);
  }
  return r;
}

/** Options of {@link luSolve}. */
export interface LuSolveOptions {
  /** Solve A X = B (true, default) or X A = B (false). */
  left?: boolean;
  /** Solve with Aᵀ instead of A (default false). */
  adjoint?: boolean;
}

/**
 * The solution X of A X = B (or X A = B, or with Aᵀ) given A's compact LU factorisation
 * (torch.linalg.lu_solve): LU [..., n, n] and pivots int32 [..., n] from luFactor, B [..., n, k];
 * batch dims broadcast. Differentiable in LU and B.
 * @example
 * const { LU, pivots } = torch.linalg.luFactor(A);
 * const X = torch.linalg.luSolve(LU, pivots, B);  // = torch.linalg.solve(A, B)
 */
export function luSolve(LU: Tensor, pivots: Tensor, B: Tensor, opts?: LuSolveOptions): Tensor {
  const fn = 'linalg.lu_solve';
  const o = options(fn, opts, ['left', 'adjoint']);
  const left = boolOpt(fn, 'left', o.left, true);
  const adjoint = boolOpt(fn, 'adjoint', o.adjoint, false);
  const n = checkSquareMatrix(fn, LU, 'LU');
  checkMatrix(fn, B, 'B');
  checkTensor(fn, 'pivots', pivots);
  if (pivots.dtype !== 'int32') throw new DTypeError(`${fn}: pivots must be an int32 tensor, got ${pivots.dtype}`);
  if (pivots.ndim !== LU.ndim - 1 || pivots.shape[pivots.ndim - 1] !== n) {
    throw new ShapeError(`${fn}: pivots of shape ${fmtShape(pivots.shape)} do not match LU of shape ${fmtShape(LU.shape)} (expected [..., ${n}])`);
  }
  if (LU.dtype !== B.dtype) throw new DTypeError(`${fn}: Expected LU and B to have the same dtype, but got ${LU.dtype} and ${B.dtype}`);
  const [bm, bk] = B.shape.slice(-2) as [number, number];
  if ((left ? bm : bk) !== n) {
    throw new ShapeError(`${fn}: Incompatible shapes of A and B for the equation ${left ? 'AX = B' : 'XA = B'} (${n}x${n} and ${bm}x${bk})`);
  }
  const P = permutationMatrix(lax.cast(bind(luPermutationP, [pivots], { m: n }), LU.dtype), LU.dtype);
  // A = P L U. Left: X = U⁻¹ L⁻¹ Pᵀ B; adjoint: Aᵀ X = B gives X = P L⁻ᵀ U⁻ᵀ B. X A = B is Aᵀ Xᵀ = Bᵀ.
  const solveA = (rhs: Tensor, transposed: boolean): Tensor =>
    transposed
      ? lax.matmul(P, solveTri(lax.mT(LU), solveTri(lax.mT(LU), rhs, false), true, true))
      : solveTri(LU, solveTri(LU, lax.matmul(lax.mT(P), rhs), false, true), true);
  return left ? solveA(B, adjoint) : lax.mT(solveA(lax.mT(B), !adjoint));
}

/** The result of {@link invEx}. */
export interface InvExResult {
  /** The inverse (inf / NaN entries where info > 0). */
  inverse: Tensor;
  /** int32 [...]: 0, or the 1-based index of the first zero on U's diagonal. */
  info: Tensor;
}

/** Options of {@link invEx} and {@link solveEx}. */
export interface ExOptions {
  /** Throw a LinAlgError for a singular matrix (default false). */
  checkErrors?: boolean;
}

/**
 * The inverse without the error (torch.linalg.inv_ex): `{ inverse, info }`, through an LU
 * factorisation that never throws; info is the 1-based index of the first zero pivot (0 when A is
 * invertible).
 * @example
 * const { inverse, info } = torch.linalg.invEx(torch.tensor([[4, 7], [2, 6]]));  // info = 0
 */
export function invEx(A: Tensor, opts?: ExOptions): InvExResult {
  const o = options('linalg.inv_ex', opts, ['checkErrors']);
  const n = checkSquareMatrix('linalg.inv_ex', A);
  const { LU, pivots, info } = factorEx('linalg.inv_ex', A);
  if (boolOpt('linalg.inv_ex', 'checkErrors', o.checkErrors, false)) {
    throwOnInfo(info, (b, i) => `linalg.inv: ${b}The diagonal element ${i} is zero, the inversion could not be completed because the input matrix is singular.`);
  }
  return { inverse: luSolve(LU, pivots, lax.broadcastTo(eyeOf(n, A.dtype, deviceOf(A)), A.shape)), info };
}

/** The result of {@link solveEx}. */
export interface SolveExResult {
  /** The solution (inf / NaN entries where info > 0). */
  result: Tensor;
  /** int32 [...]: 0, or the 1-based index of the first zero pivot. */
  info: Tensor;
}

/** Options of {@link solveEx}. */
export interface SolveExOptions extends ExOptions {
  /** Solve A X = B (true, default) or X A = B (false). */
  left?: boolean;
}

/**
 * The solution of A X = B without the error (torch.linalg.solve_ex): `{ result, info }`; B a batch of
 * vectors [..., n] or matrices [..., n, k] as in solve, batch dims broadcast.
 * @example
 * const { result, info } = torch.linalg.solveEx(A, b);
 */
export function solveEx(A: Tensor, B: Tensor, opts?: SolveExOptions): SolveExResult {
  const fn = 'linalg.solve_ex';
  const o = options(fn, opts, ['checkErrors', 'left']);
  const left = boolOpt(fn, 'left', o.left, true);
  const n = checkSquareMatrix(fn, A);
  checkTensor(fn, 'B', B);
  if (B.ndim === 0) throw new ShapeError(`${fn}: The input tensor B must have at least 1 dimensions, got ${fmtShape(B.shape)}`);
  const { LU, pivots, info } = factorEx(fn, A);
  if (boolOpt(fn, 'checkErrors', o.checkErrors, false)) {
    throwOnInfo(info, (b) => `torch.linalg.solve_ex: ${b}The solver failed because the input matrix is singular.`);
  }
  const vector = left && isVectorRhs(A, B);
  if (!vector) checkMatrix(fn, B, 'B');
  const k = vector ? B.shape[B.ndim - 1]! : B.shape[B.ndim - (left ? 2 : 1)];
  if (k !== n) {
    // As PyTorch, a vector b shows as the k x 1 matrix it is solved as.
    const bs = vector ? `${k}x1` : `${B.shape[B.ndim - 2]}x${B.shape[B.ndim - 1]}`;
    throw new ShapeError(`${fn}: Incompatible shapes of A and B for the equation ${left ? 'AX = B' : 'XA = B'} (${n}x${n} and ${bs}); A ${fmtShape(A.shape)}, B ${fmtShape(B.shape)}`);
  }
  const rhs = vector ? lax.reshape(B, [...B.shape, 1]) : B;
  const X = luSolve(LU, pivots, rhs, { left });
  return { result: vector ? lax.reshape(X, X.shape.slice(0, -1)) : X, info };
}
