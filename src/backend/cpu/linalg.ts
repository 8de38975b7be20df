// LU factorisation with partial pivoting (LAPACK getrf's algorithm, float64 arithmetic) over batches
// of square matrices [..., n, n], and the two kernels built on it: linear solve (getrs) and the sign /
// log-|det| pair. Batch dims broadcast; operands are read through their strides.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import { LinAlgError } from '../../core/linalg_errors.js';
import type { View } from './view.js';
import { broadcastStrides, sizeOf } from './strided.js';

/** Offsets of every batch element of `v` (its leading dims broadcast to `batch`), in row-major batch order. */
export function batchOffsets(fn: string, v: View, batch: readonly number[]): number[] {
  const r = v.shape.length;
  return offsetsOf(v.offset, broadcastStrides(fn, { shape: v.shape.slice(0, r - 2), strides: v.strides.slice(0, r - 2) }, batch), batch);
}

/** Offsets of each matrix (the last two dims) of `v`, in row-major batch order. */
export function matrixOffsets(v: View): number[] {
  const r = v.shape.length;
  return offsetsOf(v.offset, v.strides.slice(0, r - 2), v.shape.slice(0, r - 2));
}

function offsetsOf(start: number, st: readonly number[], batch: readonly number[]): number[] {
  const nb = sizeOf(batch);
  const out = new Array<number>(nb);
  const cnt = new Array<number>(batch.length).fill(0);
  let off = start;
  for (let e = 0; e < nb; e++) {
    out[e] = off;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++cnt[d]! < batch[d]!) {
        off += st[d]!;
        break;
      }
      cnt[d] = 0;
      off -= st[d]! * (batch[d]! - 1);
    }
  }
  return out;
}

/** Copies the n x m matrix at `off` of v into a row-major float64 array. */
export function load(v: View, off: number, n: number, m: number, dst: Float64Array): void {
  const r = v.shape.length;
  const rs = v.strides[r - 2]!;
  const cs = v.strides[r - 1]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) dst[i * m + j] = v.buf[off + i * rs + j * cs]!;
}

/**
 * In-place LU with partial pivoting of the row-major n x n matrix `a`: afterwards a = L\U (unit L),
 * perm[i] = the original row now at row i. Returns 0, or the 1-based index of the first exactly zero
 * pivot (LAPACK's info; the factorisation stops there), and the number of row swaps.
 */
function lu(a: Float64Array, n: number, perm: Int32Array): [info: number, swaps: number] {
  for (let i = 0; i < n; i++) perm[i] = i;
  let swaps = 0;
  for (let j = 0; j < n; j++) {
    let p = j;
    let best = Math.abs(a[j * n + j]!);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(a[i * n + j]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return [j + 1, swaps];
    if (p !== j) {
      swaps++;
      const t = perm[p]!;
      perm[p] = perm[j]!;
      perm[j] = t;
      for (let c = 0; c < n; c++) {
        const x = a[p * n + c]!;
        a[p * n + c] = a[j * n + c]!;
        a[j * n + c] = x;
      }
    }
    const piv = a[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      const l = a[i * n + j]! / piv;
      a[i * n + j] = l;
      if (l === 0) continue;
      for (let c = j + 1; c < n; c++) a[i * n + c]! -= l * a[j * n + c]!;
    }
  }
  return [0, swaps];
}

/**
 * Batched solve A X = B: a [...ba, n, n], b [...bb, n, k], batch dims broadcast to outShape[:-2].
 * Throws LinAlgError (info = the 1-based zero pivot, batchIndex = the flat batch element, -1 when
 * there is no batch) for a singular matrix.
 */
export function linalgSolve(a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray {
  const n = outShape[outShape.length - 2]!;
  const perm = new Int32Array(n);
  let X = new Float64Array(0);
  return mapSolves('linalgSolve', a, b, outShape, outDtype, (A, B, k, e, batched) => {
    if (X.length !== n * k) X = new Float64Array(n * k);
    const [info] = lu(A, n, perm);
    if (info > 0) {
      throw new LinAlgError(`The diagonal element ${info} is zero, the solve could not be completed because the input matrix is singular.`, info, batched ? e : -1);
    }
    // X = P B, then L Y = X (unit lower), then U X = Y.
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) X[i * k + c] = B[perm[i]! * k + c]!;
    substitute(A, X, n, k, false, true);
    substitute(A, X, n, k, true, false);
    return X;
  });
}

/**
 * Solves T X = X in place for the upper or lower triangle T of A (n×n, row-major; with `unit`, an implicit
 * unit diagonal), X n×k: back or forward substitution. A zero diagonal gives inf / NaN.
 */
export function substitute(A: Float64Array, X: Float64Array, n: number, k: number, upper: boolean, unit: boolean): void {
  for (let t = 0; t < n; t++) {
    const i = upper ? n - 1 - t : t;
    const [j0, j1] = upper ? [i + 1, n] : [0, i];
    for (let j = j0; j < j1; j++) {
      const v = A[i * n + j]!;
      if (v !== 0) for (let c = 0; c < k; c++) X[i * k + c]! -= v * X[j * k + c]!;
    }
    if (!unit) {
      const d = A[i * n + i]!;
      for (let c = 0; c < k; c++) X[i * k + c]! /= d;
    }
  }
}

/**
 * The batch loop of a solve: each (A n×n, B n×k) pair of a [...ba, n, n] and b [...bb, n, k] (batch dims
 * broadcast to outShape[:-2]) is loaded as float64 (the arrays are reused) and `each` returns the n×k
 * result for the output. `batched`: whether there are batch dims (LinAlgError's batchIndex).
 */
export function mapSolves(
  fn: string, a: View, b: View, outShape: readonly number[], outDtype: DType,
  each: (A: Float64Array, B: Float64Array, k: number, e: number, batched: boolean) => Float64Array,
): TypedArray {
  const r = outShape.length;
  const n = outShape[r - 2]!;
  const k = outShape[r - 1]!;
  const batch = outShape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const out = arrayFor(outDtype, nb * n * k);
  if (nb === 0 || n === 0 || k === 0) return out;
  const ao = batchOffsets(fn, a, batch);
  const bo = batchOffsets(fn, b, batch);
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * k);
  for (let e = 0; e < nb; e++) {
    load(a, ao[e]!, n, n, A);
    load(b, bo[e]!, n, k, B);
    out.set(each(A, B, k, e, batch.length > 0), e * n * k);
  }
  return out;
}

/**
 * The batch loop of a map from square matrices to square matrices: each n×n matrix of a [..., n, n]
 * is loaded as float64 (the array is reused) and `each` returns its n×n result for the output.
 */
export function mapMatrices(fn: string, a: View, outDtype: DType, each: (A: Float64Array, e: number, batched: boolean) => Float64Array): TypedArray {
  const r = a.shape.length;
  const n = a.shape[r - 1]!;
  const batch = a.shape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const out = arrayFor(outDtype, nb * n * n);
  if (nb === 0 || n === 0) return out;
  const offs = matrixOffsets(a);
  const A = new Float64Array(n * n);
  for (let e = 0; e < nb; e++) {
    load(a, offs[e]!, n, n, A);
    out.set(each(A, e, batch.length > 0), e * n * n);
  }
  return out;
}

/**
 * Batched sign and log|det| of a [..., n, n]: output [..., 2] holding (sign, logabsdet); a singular
 * matrix gives (0, -Infinity), an empty one (1, 0).
 */
export function slogdet(a: View, outDtype: DType): TypedArray {
  const r = a.shape.length;
  const n = a.shape[r - 1]!;
  const batch = a.shape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const out = arrayFor(outDtype, nb * 2);
  if (nb === 0) return out;
  const ao = matrixOffsets(a);
  const A = new Float64Array(n * n);
  const perm = new Int32Array(n);
  for (let e = 0; e < nb; e++) {
    load(a, ao[e]!, n, n, A);
    const [info, swaps] = lu(A, n, perm);
    let sign = swaps % 2 === 0 ? 1 : -1;
    let lad = 0;
    if (info > 0) {
      sign = 0;
      lad = -Infinity;
    } else {
      for (let i = 0; i < n; i++) {
        const d = A[i * n + i]!;
        if (d < 0) sign = -sign;
        else if (Number.isNaN(d)) sign = NaN;
        lad += Math.log(Math.abs(d));
      }
    }
    out[2 * e] = sign;
    out[2 * e + 1] = lad;
  }
  return out;
}
