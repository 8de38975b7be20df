// Symmetric eigendecomposition over batches [..., n, n]: Householder reduction to tridiagonal form,
// then the implicit QL method with shifts (float64 arithmetic; backward stable, eigenvalues accurate
// to a few ulps of the largest one, as LAPACK's steqr). It decomposes the symmetric part (A + Aᵀ) / 2,
// so its value is a smooth function of every entry. Eigenvalues ascending, as LAPACK's
// syevd; each eigenvector's sign is fixed so its entry of largest magnitude is positive (LAPACK fixes
// none: compare eigenvectors up to sign).
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';
import { sizeOf } from './strided.js';
import { matrixOffsets, load } from './linalg.js';

/**
 * Householder reduction of the symmetric row-major n x n matrix `a` (overwritten) to tridiagonal form
 * T = Qᵀ A Q: diagonal into d, subdiagonal into e (e[k] = T[k+1][k], e[n-1] = 0), and Qᵀ into qt
 * (row j of qt is column j of Q). Row-oriented, so every inner loop runs over contiguous memory.
 */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array, qt: Float64Array): void {
  qt.fill(0);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  e.fill(0);
  const p = new Float64Array(n);
  const v = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    // Reflect x = A[k+1.., k] (= row k right of the diagonal, by symmetry) onto beta e_1.
    const alpha = a[k * n + k + 1]!;
    let xnorm = 0;
    for (let j = k + 2; j < n; j++) xnorm = Math.hypot(xnorm, a[k * n + j]!);
    if (xnorm === 0) {
      e[k] = alpha;
      continue;
    }
    const beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    v[k + 1] = 1;
    for (let j = k + 2; j < n; j++) v[j] = a[k * n + j]! * scale;
    e[k] = beta;
    // Trailing block B = A[k+1.., k+1..]: B <- H B H = B - v wᵀ - w vᵀ, p = tau B v, w = p - (tau/2)(vᵀp) v.
    let vp = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += a[i * n + j]! * v[j]!;
      p[i] = tau * s;
      vp += v[i]! * p[i]!;
    }
    const half = 0.5 * tau * vp;
    for (let i = k + 1; i < n; i++) p[i]! -= half * v[i]!;
    for (let i = k + 1; i < n; i++) {
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = k + 1; j < n; j++) a[i * n + j]! -= vi * p[j]! + wi * v[j]!;
    }
    // Q <- Q H: column j of Q is row j of qt, so (Q H)ᵀ = H qt updates the rows k+1.. of qt.
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += v[j]! * qt[j * n + c]!;
      s *= tau;
      if (s !== 0) for (let j = k + 1; j < n; j++) qt[j * n + c]! -= s * v[j]!;
    }
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]!;
  if (n >= 2) e[n - 2] = a[(n - 2) * n + n - 1]!;
  e[n - 1] = 0;
}

/**
 * Eigenvalues of the symmetric tridiagonal (d, e) by the implicit QL method with Wilkinson-type shifts
 * (into d), applying each plane rotation to the rows of zt (the transposed eigenvector matrix).
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, zt: Float64Array, n: number): void {
  for (let l = 0; l < n; l++) {
    for (let iter = 0; ; iter++) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) + dd === dd) break;
      }
      if (m === l || iter === 60) break;
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        // Rotate eigenvector columns i and i + 1 (rows of zt).
        for (let k = 0; k < n; k++) {
          const zi = zt[i * n + k]!;
          const zj = zt[(i + 1) * n + k]!;
          zt[(i + 1) * n + k] = s * zi + c * zj;
          zt[i * n + k] = c * zi - s * zj;
        }
      }
      if (underflow) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * Eigen-decomposition of the symmetric row-major n x n matrix `s` (overwritten): eigenvalues ascending
 * into `w`, eigenvectors as the columns of the row-major `v`, each with its largest entry positive.
 * Householder tridiagonalisation, then implicit QL.
 */
export function symmetricEigen(s: Float64Array, n: number, w: Float64Array, v: Float64Array): void {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const zt = new Float64Array(n * n);
  tridiagonalize(s, n, d, e, zt);
  tridiagonalQl(d, e, zt, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  order.forEach((src, j) => {
    w[j] = d[src]!;
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(zt[src * n + i]!) > Math.abs(zt[src * n + big]!)) big = i;
    const sign = zt[src * n + big]! < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) v[i * n + j] = sign * zt[src * n + i]!;
  });
}

/**
 * Batched eigendecomposition of the symmetric part of a [..., n, n]: output [..., n + 1, n] holding
 * the eigenvalues (ascending) in row 0 and the eigenvectors as the columns of rows 1..n.
 */
export function eigh(a: View, outDtype: DType): TypedArray {
  const r = a.shape.length;
  const n = a.shape[r - 1]!;
  const batch = a.shape.slice(0, r - 2);
  const nb = sizeOf(batch);
  const per = (n + 1) * n;
  const out = arrayFor(outDtype, nb * per);
  if (nb === 0 || n === 0) return out;
  const offs = matrixOffsets(a);
  const S = new Float64Array(n * n);
  const W = new Float64Array(n);
  const V = new Float64Array(n * n);
  for (let e = 0; e < nb; e++) {
    load(a, offs[e]!, n, n, S);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const x = 0.5 * (S[i * n + j]! + S[j * n + i]!);
        S[i * n + j] = x;
        S[j * n + i] = x;
      }
    }
    symmetricEigen(S, n, W, V);
    out.set(W, e * per);
    out.set(V, e * per + n);
  }
  return out;
}
