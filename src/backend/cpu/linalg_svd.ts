// Reduced singular value decomposition over batches [..., m, n] by one-sided (Hestenes) Jacobi
// rotations, float64 arithmetic: A = U diag(S) Vᵀ with k = min(m, n) singular values, descending.
// Each pair of singular vectors gets a fixed sign (the entry of largest magnitude of u positive;
// LAPACK fixes none, so compare singular vectors up to sign). Columns of U for zero singular values
// are completed to an orthonormal set. Also the pseudo-inverse, built on the same decomposition.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';
import { sizeOf } from './strided.js';
import { matrixOffsets, load } from './linalg.js';

/**
 * SVD of the row-major m x n matrix `a` with m >= n: u (m x n), s (n), v (n x n), all row-major,
 * singular values descending. The rotations work on transposed copies, so that every column they
 * touch is contiguous.
 */
function jacobiTall(a: Float64Array, m: number, n: number, u: Float64Array, s: Float64Array, v: Float64Array): void {
  const at = new Float64Array(n * m); // row j = column j of A
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
  const vt = new Float64Array(n * n); // row j = column j of V
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  // Columns count as orthogonal once their cosine is below sqrt(m) ulps (LAPACK gesvj's tolerance).
  const tol = Math.sqrt(m) * 2.3e-16;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const po = p * m;
      for (let q = p + 1; q < n; q++) {
        const qo = q * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = at[po + i]!;
          const y = at[qo + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || !(Math.abs(gamma) > tol * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        for (let i = 0; i < m; i++) {
          const x = at[po + i]!;
          const y = at[qo + i]!;
          at[po + i] = c * x - sn * y;
          at[qo + i] = sn * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = vt[p * n + i]!;
          const y = vt[q * n + i]!;
          vt[p * n + i] = c * x - sn * y;
          vt[q * n + i] = sn * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let t = 0;
    for (let i = 0; i < m; i++) t = Math.hypot(t, at[j * m + i]!);
    return t;
  });
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  u.fill(0);
  const zero: number[] = [];
  order.forEach((src, j) => {
    const sj = norms[src]!;
    s[j] = sj;
    for (let i = 0; i < n; i++) v[i * n + j] = vt[src * n + i]!;
    if (sj > 0) for (let i = 0; i < m; i++) u[i * n + j] = at[src * m + i]! / sj;
    else zero.push(j);
  });
  for (const j of zero) completeColumn(u, m, n, j);
  for (let j = 0; j < n; j++) {
    let big = 0;
    for (let i = 0; i < m; i++) if (Math.abs(u[i * n + j]!) > Math.abs(u[big * n + j]!)) big = i;
    if (u[big * n + j]! < 0) {
      for (let i = 0; i < m; i++) u[i * n + j] = -u[i * n + j]!;
      for (let i = 0; i < n; i++) v[i * n + j] = -v[i * n + j]!;
    }
  }
}

/**
 * Fills column j of the row-major m x n matrix u with a unit vector orthogonal to its other nonzero
 * columns: the unit basis vector with the largest residual after two Gram-Schmidt passes.
 */
function completeColumn(u: Float64Array, m: number, n: number, j: number): void {
  let best: Float64Array | null = null;
  let bestNorm = -1;
  for (let e = 0; e < m; e++) {
    const x = new Float64Array(m);
    x[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < n; c++) {
        if (c === j) continue;
        let d = 0;
        for (let i = 0; i < m; i++) d += u[i * n + c]! * x[i]!;
        if (d !== 0) for (let i = 0; i < m; i++) x[i]! -= d * u[i * n + c]!;
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm = Math.hypot(nrm, x[i]!);
    if (nrm > bestNorm) {
      bestNorm = nrm;
      best = x;
    }
  }
  for (let i = 0; i < m; i++) u[i * n + j] = best![i]! / bestNorm;
}

/**
 * SVD of the row-major m x n matrix `a`: u (m x k), s (k), v (n x k), row-major, k = min(m, n). A
 * wide matrix is decomposed through its transpose.
 */
export function svdOf(a: Float64Array, m: number, n: number, u: Float64Array, s: Float64Array, v: Float64Array): void {
  if (m >= n) {
    jacobiTall(a, m, n, u, s, v);
    return;
  }
  const at = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
  // Aᵀ = U' S V'ᵀ, so A = V' S U'ᵀ: U = V', V = U'.
  jacobiTall(at, n, m, v, s, u);
}

/**
 * Batched reduced SVD of a [..., m, n]: output [..., m + 1 + n, k] holding U (rows 0..m-1), the
 * singular values (row m) and V (rows m+1..m+n; V, not Vᵀ), k = min(m, n).
 */
export function svd(a: View, outDtype: DType): TypedArray {
  const r = a.shape.length;
  const [m, n] = a.shape.slice(r - 2) as [number, number];
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const per = (m + 1 + n) * k;
  const out = arrayFor(outDtype, nb * per);
  if (nb === 0 || k === 0) return out;
  const offs = matrixOffsets(a);
  const A = new Float64Array(m * n);
  const U = new Float64Array(m * k);
  const S = new Float64Array(k);
  const V = new Float64Array(n * k);
  for (let e = 0; e < nb; e++) {
    load(a, offs[e]!, m, n, A);
    svdOf(A, m, n, U, S, V);
    out.set(U, e * per);
    out.set(S, e * per + m * k);
    out.set(V, e * per + (m + 1) * k);
  }
  return out;
}

/**
 * Batched Moore-Penrose pseudo-inverse of a [..., m, n] -> [..., n, m] through the SVD: singular
 * values at or below max(atol, rtol * largest) count as zero.
 */
export function pinv(a: View, rtol: number, atol: number, outDtype: DType): TypedArray {
  const r = a.shape.length;
  const [m, n] = a.shape.slice(r - 2) as [number, number];
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const out = arrayFor(outDtype, nb * n * m);
  if (nb === 0 || k === 0) return out;
  const offs = matrixOffsets(a);
  const A = new Float64Array(m * n);
  const U = new Float64Array(m * k);
  const S = new Float64Array(k);
  const V = new Float64Array(n * k);
  const P = new Float64Array(n * m);
  for (let e = 0; e < nb; e++) {
    load(a, offs[e]!, m, n, A);
    svdOf(A, m, n, U, S, V);
    const cut = Math.max(atol, rtol * S[0]!);
    P.fill(0);
    for (let j = 0; j < k; j++) {
      if (!(S[j]! > cut)) continue;
      const inv = 1 / S[j]!;
      for (let i = 0; i < n; i++) {
        const vij = V[i * k + j]! * inv;
        if (vij === 0) continue;
        for (let c = 0; c < m; c++) P[i * m + c]! += vij * U[c * k + j]!;
      }
    }
    out.set(P, e * n * m);
  }
  return out;
}
