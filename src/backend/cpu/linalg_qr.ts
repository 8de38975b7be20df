// Householder QR over batches of matrices [..., m, n] (LAPACK geqrf + orgqr, float64 arithmetic),
// with LAPACK's sign convention (dlarfg: R's diagonal element k is -sign(a_kk) times the column norm),
// so Q and R are the ones PyTorch returns. Q and R come back packed in one flat buffer per matrix.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';
import { sizeOf } from './strided.js';
import { matrixOffsets, load } from './linalg.js';

/**
 * QR of the row-major m x n matrix `a`: fills q (m x mq, mq = m when `complete`, else min(m, n)) and
 * r (mq x n, upper triangular). `a` is overwritten.
 */
export function householderQr(a: Float64Array, m: number, n: number, complete: boolean, q: Float64Array, r: Float64Array): void {
  const k = Math.min(m, n);
  const mq = complete ? m : k;
  const taus = new Float64Array(k);
  const vs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const alpha = a[j * n + j]!;
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, a[i * n + j]!);
    const v = new Float64Array(m - j);
    v[0] = 1;
    if (xnorm === 0) {
      taus[j] = 0;
    } else {
      const norm = Math.hypot(alpha, xnorm);
      const beta = alpha >= 0 ? -norm : norm;
      taus[j] = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      for (let i = j + 1; i < m; i++) v[i - j] = a[i * n + j]! * scale;
      a[j * n + j] = beta; // (column j below the diagonal is never read again: R takes the upper part)
      // Apply H = I - tau v vᵀ to the trailing columns.
      const tau = taus[j]!;
      for (let c = j + 1; c < n; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += v[i - j]! * a[i * n + c]!;
        s *= tau;
        if (s !== 0) for (let i = j; i < m; i++) a[i * n + c]! -= s * v[i - j]!;
      }
    }
    vs.push(v);
  }
  r.fill(0);
  for (let i = 0; i < Math.min(mq, m); i++) for (let c = i; c < n; c++) r[i * n + c] = a[i * n + c]!;
  // Q = H_0 H_1 ... H_{k-1} applied to the first mq columns of the identity, right to left.
  q.fill(0);
  for (let i = 0; i < mq; i++) q[i * mq + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const tau = taus[j]!;
    if (tau === 0) continue;
    const v = vs[j]!;
    for (let c = 0; c < mq; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i - j]! * q[i * mq + c]!;
      s *= tau;
      if (s !== 0) for (let i = j; i < m; i++) q[i * mq + c]! -= s * v[i - j]!;
    }
  }
}

/**
 * Batched QR of a [..., m, n]: output [..., m*mq + mq*n] holding Q (m x mq) then R (mq x n), both
 * row-major, where mq = m when `complete`, else min(m, n).
 */
export function qr(a: View, complete: boolean, outDtype: DType): TypedArray {
  const rank = a.shape.length;
  const [m, n] = a.shape.slice(rank - 2) as [number, number];
  const batch = a.shape.slice(0, rank - 2);
  const nb = sizeOf(batch);
  const mq = complete ? m : Math.min(m, n);
  const per = m * mq + mq * n;
  const out = arrayFor(outDtype, nb * per);
  if (nb === 0 || per === 0) return out;
  const offs = matrixOffsets(a);
  const A = new Float64Array(m * n);
  const Q = new Float64Array(m * mq);
  const R = new Float64Array(mq * n);
  for (let e = 0; e < nb; e++) {
    load(a, offs[e]!, m, n, A);
    householderQr(A, m, n, complete, Q, R);
    out.set(Q, e * per);
    out.set(R, e * per + m * mq);
  }
  return out;
}
