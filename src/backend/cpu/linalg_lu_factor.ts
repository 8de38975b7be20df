// LU factorisation with partial pivoting of batches of (possibly rectangular) matrices [..., m, n]
// (LAPACK getrf's algorithm, float64 arithmetic) that never throws: a zero pivot is recorded (PyTorch's
// lu_factor_ex `info`) and the factorisation goes on, as LAPACK's does. Also the permutation that a
// LAPACK pivot sequence encodes (lu_solve, lu_unpack).
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import { IndexError } from '../../core/errors.js';
import type { View } from './view.js';
import { sizeOf } from './strided.js';
import { matrixOffsets, load } from './linalg.js';

/**
 * Batched LU of a [..., m, n] (k = min(m, n)): output [..., m*n + m + k] holding, per matrix, the
 * compact LU (m x n row-major: unit-lower L below the diagonal, U on and above it), the permutation
 * (perm[i] = the row of A that is row i of L U) and LAPACK's 1-based pivots (row i was swapped with
 * row pivots[i] - 1 at step i).
 */
export function luFactor(a: View, outDtype: DType): TypedArray {
  const r = a.shape.length;
  const [m, n] = a.shape.slice(r - 2) as [number, number];
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const per = m * n + m + k;
  const out = arrayFor(outDtype, nb * per);
  if (nb === 0 || per === 0) return out;
  const offs = matrixOffsets(a);
  const A = new Float64Array(m * n);
  const perm = new Float64Array(m);
  const piv = new Float64Array(k);
  for (let e = 0; e < nb; e++) {
    load(a, offs[e]!, m, n, A);
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let j = 0; j < k; j++) {
      let p = j;
      let best = Math.abs(A[j * n + j]!);
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(A[i * n + j]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      piv[j] = p + 1;
      if (p !== j) {
        const t = perm[p]!;
        perm[p] = perm[j]!;
        perm[j] = t;
        for (let c = 0; c < n; c++) {
          const x = A[p * n + c]!;
          A[p * n + c] = A[j * n + c]!;
          A[j * n + c] = x;
        }
      }
      const d = A[j * n + j]!;
      if (d === 0) continue;
      for (let i = j + 1; i < m; i++) {
        const l = A[i * n + j]! / d;
        A[i * n + j] = l;
        if (l === 0) continue;
        for (let c = j + 1; c < n; c++) A[i * n + c]! -= l * A[j * n + c]!;
      }
    }
    out.set(A, e * per);
    out.set(perm, e * per + m * n);
    out.set(piv, e * per + m * n + m);
  }
  return out;
}

/**
 * The permutations LAPACK pivots encode: pivots int32 [..., k] (1-based) -> int32 [..., m] with
 * perm[i] = the original row that ends up at row i. Throws IndexError for a pivot outside [1, m].
 */
export function luPermutation(pivots: View, m: number): TypedArray {
  const r = pivots.shape.length;
  const k = pivots.shape[r - 1]!;
  const batch = pivots.shape.slice(0, r - 1);
  const nb = sizeOf(batch);
  const out = new Int32Array(nb * m);
  if (nb === 0 || m === 0) return out;
  const asMatrix: View = { ...pivots, shape: [...batch, 1, k], strides: [...pivots.strides.slice(0, r - 1), 0, pivots.strides[r - 1]!] };
  const offs = matrixOffsets(asMatrix);
  const P = new Float64Array(k);
  const perm = new Int32Array(m);
  for (let e = 0; e < nb; e++) {
    load(asMatrix, offs[e]!, 1, k, P);
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let i = 0; i < k; i++) {
      const p = P[i]! - 1;
      if (!(p >= 0 && p < m)) throw new IndexError(`pivots: pivot ${P[i]} at position ${i} is out of range [1, ${m}]`);
      const t = perm[p]!;
      perm[p] = perm[i]!;
      perm[i] = t;
    }
    out.set(perm, e * m);
  }
  return out;
}
