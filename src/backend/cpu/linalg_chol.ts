// Cholesky factorisation (LAPACK potrf's algorithm) and triangular solves (trsm, left side) over
// batches of matrices, in float64 arithmetic. Cholesky factors the symmetric part (A + Aᵀ) / 2, so its
// value is a smooth function of every entry (the primitive's derivative rules assume it); torch.linalg
// feeds it an exactly symmetric matrix built from the triangle the user chose.
import type { DType, TypedArray } from '../../core/dtype.js';
import { LinAlgError } from '../../core/linalg_errors.js';
import type { View } from './view.js';
import { mapMatrices, mapSolves, substitute } from './linalg.js';

/**
 * In-place lower Cholesky factor of the row-major symmetric n x n matrix `a` (only its lower triangle
 * is read; the strict upper triangle is zeroed). Returns 0, or LAPACK's info: the order k of the first
 * leading minor that is not positive-definite; columns k-1.. are then left zero.
 */
export function choleskyInPlace(a: Float64Array, n: number): number {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) {
      for (let c = j; c < n; c++) for (let i = 0; i < n; i++) a[i * n + c] = 0;
      for (let i = 0; i < n; i++) for (let c = i + 1; c < n; c++) a[i * n + c] = 0;
      return j + 1;
    }
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
  }
  for (let i = 0; i < n; i++) for (let c = i + 1; c < n; c++) a[i * n + c] = 0;
  return 0;
}

/**
 * Batched lower Cholesky factor L of the symmetric part of a [..., n, n]. With `check`, a matrix that
 * is not positive-definite throws LinAlgError (info = order of the failing leading minor, batchIndex =
 * flat batch element or -1); without, its factor has a zero diagonal from that order on.
 */
export function cholesky(a: View, check: boolean, outDtype: DType): TypedArray {
  const n = a.shape[a.shape.length - 1]!;
  return mapMatrices('cholesky', a, outDtype, (A, e, batched) => {
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = 0.5 * (A[i * n + j]! + A[j * n + i]!);
    const info = choleskyInPlace(A, n);
    if (info > 0 && check) {
      throw new LinAlgError(`the leading minor of order ${info} is not positive-definite`, info, batched ? e : -1);
    }
    return A;
  });
}

/**
 * Batched triangular solve A X = B: a [...ba, n, n] read only in its upper (or lower) triangle, with
 * an implicit unit diagonal when `unitriangular`; b [...bb, n, k]; batch dims broadcast to
 * outShape[:-2]. A zero diagonal element gives inf / NaN, as LAPACK's trsm (no check).
 */
export function triangularSolve(
  a: View, b: View, outShape: readonly number[], outDtype: DType, upper: boolean, unitriangular: boolean,
): TypedArray {
  const n = outShape[outShape.length - 2]!;
  return mapSolves('triangularSolve', a, b, outShape, outDtype, (A, X, k) => {
    substitute(A, X, n, k, upper, unitriangular);
    return X;
  });
}
