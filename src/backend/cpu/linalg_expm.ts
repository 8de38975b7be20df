// The matrix exponential over batches [..., n, n] by scaling and squaring with Padé approximants of
// degree 3, 5, 7, 9 or 13 (Higham, "The scaling and squaring method for the matrix exponential
// revisited", 2005), float64 arithmetic. The degree and the number of squarings follow from the
// 1-norm of each matrix, so every batch element gets its own.
import type { DType, TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';
import { mapMatrices } from './linalg.js';

/** Padé coefficients b_0..b_m of degree 3, 5, 7, 9 and 13 (Higham 2005). */
export const PADE: Record<number, readonly number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
    10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};
/** The largest 1-norm for which degree m needs no scaling (Higham's theta_m, double precision). */
export const THETA: readonly [number, number][] = [[3, 1.495585217958292e-2], [5, 2.539398330063230e-1], [7, 9.504178996162932e-1], [9, 2.097847961257068], [13, 5.371920351148152]];

function mm(a: Float64Array, b: Float64Array, n: number): Float64Array<ArrayBufferLike> {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k]!;
      if (x === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j]! += x * b[k * n + j]!;
    }
  }
  return c;
}

/** sum_i c_i M_i plus c_I times the identity. */
function combo(n: number, terms: [number, Float64Array][], cI: number): Float64Array {
  const out = new Float64Array(n * n);
  for (const [c, m] of terms) for (let i = 0; i < n * n; i++) out[i]! += c * m[i]!;
  for (let i = 0; i < n; i++) out[i * n + i]! += cI;
  return out;
}

/** Solves P X = Q in place of Q (LU with partial pivoting; P is overwritten). */
function solveInPlace(p: Float64Array, q: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let piv = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(p[i * n + j]!) > Math.abs(p[piv * n + j]!)) piv = i;
    if (piv !== j) {
      for (let c = 0; c < n; c++) {
        [p[piv * n + c], p[j * n + c]] = [p[j * n + c]!, p[piv * n + c]!];
        [q[piv * n + c], q[j * n + c]] = [q[j * n + c]!, q[piv * n + c]!];
      }
    }
    const d = p[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      const l = p[i * n + j]! / d;
      if (l === 0) continue;
      for (let c = j + 1; c < n; c++) p[i * n + c]! -= l * p[j * n + c]!;
      for (let c = 0; c < n; c++) q[i * n + c]! -= l * q[j * n + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const u = p[i * n + j]!;
      if (u !== 0) for (let c = 0; c < n; c++) q[i * n + c]! -= u * q[j * n + c]!;
    }
    const d = p[i * n + i]!;
    for (let c = 0; c < n; c++) q[i * n + c]! /= d;
  }
}

/** exp of the row-major n x n matrix a (overwritten). */
export function expmOf(a: Float64Array, n: number): Float64Array {
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let col = 0;
    for (let i = 0; i < n; i++) col += Math.abs(a[i * n + j]!);
    norm = Math.max(norm, col);
  }
  if (!Number.isFinite(norm)) return new Float64Array(n * n).fill(NaN);
  let degree = 13;
  let s = 0;
  const fit = THETA.find(([, t]) => norm <= t);
  if (fit) degree = fit[0];
  else {
    s = Math.max(0, Math.ceil(Math.log2(norm / THETA[4]![1])));
    const scale = 2 ** -s;
    for (let i = 0; i < n * n; i++) a[i]! *= scale;
  }
  const b = PADE[degree]!;
  const A2 = mm(a, a, n);
  let U: Float64Array;
  let V: Float64Array;
  if (degree === 13) {
    const A4 = mm(A2, A2, n);
    const A6 = mm(A4, A2, n);
    const inner = mm(A6, combo(n, [[b[13]!, A6], [b[11]!, A4], [b[9]!, A2]], 0), n);
    U = mm(a, combo(n, [[1, inner], [b[7]!, A6], [b[5]!, A4], [b[3]!, A2]], b[1]!), n);
    const innerV = mm(A6, combo(n, [[b[12]!, A6], [b[10]!, A4], [b[8]!, A2]], 0), n);
    V = combo(n, [[1, innerV], [b[6]!, A6], [b[4]!, A4], [b[2]!, A2]], b[0]!);
  } else {
    const powers: Float64Array[] = [A2];
    for (let p = 4; p < degree; p += 2) powers.push(mm(powers[powers.length - 1]!, A2, n));
    // U = A (sum_j b_{2j+1} A^{2j}), V = sum_j b_{2j} A^{2j}, j >= 1 in the sums over powers.
    U = mm(a, combo(n, powers.map((P, j) => [b[2 * j + 3]!, P]), b[1]!), n);
    V = combo(n, powers.map((P, j) => [b[2 * j + 2]!, P]), b[0]!);
  }
  const P = new Float64Array(n * n);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    P[i] = V[i]! - U[i]!;
    Q[i] = V[i]! + U[i]!;
  }
  solveInPlace(P, Q, n);
  let R: Float64Array = Q;
  for (let i = 0; i < s; i++) R = mm(R, R, n);
  return R;
}

/** Batched matrix exponential of a [..., n, n]. */
export function matrixExp(a: View, outDtype: DType): TypedArray {
  const n = a.shape[a.shape.length - 1]!;
  return mapMatrices('matrixExp', a, outDtype, (A) => expmOf(A, n));
}
