// The `luFactor` primitive: LU with partial pivoting of [..., m, n] (k = min(m, n)), A = P L U, packed
// flat as [..., m*n + m + k]: the compact LU (unit-lower L below the diagonal, U on and above), the
// permutation (perm[i] = the row of A at row i of L U) and LAPACK's pivots, the last two as floats
// (piecewise constant: zero derivative). It never throws: a zero pivot shows as a zero on U's diagonal.
// Derivatives are PyTorch's linalg_lu_backward / linalg_lu_jvp, on the square, wide and tall cases:
//   square: gA = P L⁻ᵀ [tril(Lᵀ gL, -1) + triu(gU Uᵀ)] U⁻ᵀ;  X = L⁻¹ Pᵀ dA U⁻¹, dL = L tril(X, -1),
//           dU = triu(X) U.
// `luPermutation` (no derivative) turns LAPACK pivots into the permutation they encode.
import { DTypeError, IndexError, ShapeError, fmtShape } from '../core/errors.js';
import { deviceOf, fromHost, runKernel } from './concrete.js';
import { cols, rows, tril, triu, unpackFlat } from './linalg_util.js';
import { solveTri, solveTriRight } from './linalg_tri.js';
import { bind, definePrimitive, NO_DERIVATIVE, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** The pieces of luFactor's packed output for an m x n input. */
export interface LuParts {
  /** The compact LU [..., m, n]. */
  lu: Tensor;
  /** perm[i] = the row of A at row i of L U, as floats [..., m]. */
  perm: Tensor;
  /** LAPACK's 1-based pivots, as floats [..., k]. */
  pivots: Tensor;
  /** Unit-lower L [..., m, k]. */
  l: Tensor;
  /** Upper U [..., k, n]. */
  u: Tensor;
}

export function luParts(out: Tensor, m: number, n: number): LuParts {
  const k = Math.min(m, n);
  const lu = unpackFlat(out, 0, [m, n]);
  const l = L.add(tril(cols(lu, 0, k), -1), eyeRect(m, k, lu));
  return { lu, perm: unpackFlat(out, m * n, [m]), pivots: unpackFlat(out, m * n + m, [k]), l, u: triu(rows(lu, 0, k)) };
}

/** The m x k matrix with ones on its main diagonal, in x's dtype. */
function eyeRect(m: number, k: number, x: Tensor): Tensor {
  const data = new Array<number>(m * k).fill(0);
  for (let i = 0; i < Math.min(m, k); i++) data[i * k + i] = 1;
  return fromHost(data, [m, k], x.dtype, deviceOf(x));
}

/** The permutation matrix P [..., m, m] with A = P L U, from perm [..., m] (any float dtype). */
export function permutationMatrix(perm: Tensor, dtype: Tensor['dtype']): Tensor {
  const m = perm.shape[perm.ndim - 1]!;
  const idx = fromHost(Array.from({ length: m }, (_, i) => i), [m, 1], perm.dtype, deviceOf(perm));
  // P[r, i] = 1 where perm[i] == r.
  return L.cast(L.eq(L.reshape(perm, [...perm.shape.slice(0, -1), 1, m]), idx), dtype);
}

/** gA of A = P L U from the cotangents of L (m x k) and U (k x n). */
export function luVjp(gl: Tensor, gu: Tensor, p: Tensor, l: Tensor, u: Tensor, m: number, n: number): Tensor {
  const k = Math.min(m, n);
  const last = l.ndim - 1;
  let ga: Tensor;
  if (m === n) {
    ga = L.add(tril(L.matmul(L.mT(l), gl), -1), triu(L.matmul(gu, L.mT(u))));
    ga = solveTriRight(L.mT(u), ga, false);
    ga = solveTri(L.mT(l), ga, true, true);
  } else if (m < n) {
    const u1 = cols(u, 0, k);
    ga = L.sub(L.matmul(L.mT(l), gl), L.matmul(triu(gu), L.mT(u)));
    ga = solveTriRight(L.mT(u1), tril(ga, -1), false);
    ga = L.concat([L.add(ga, triu(cols(gu, 0, k))), cols(gu, k, n)], last);
    ga = solveTri(L.mT(l), ga, true, true);
  } else {
    const l1 = rows(l, 0, k);
    ga = L.sub(L.matmul(gu, L.mT(u)), L.matmul(L.mT(l), tril(gl, -1)));
    ga = solveTri(L.mT(l1), triu(ga), true, true);
    ga = L.concat([L.add(ga, tril(rows(gl, 0, k), -1)), rows(gl, k, m)], last - 1);
    ga = solveTriRight(L.mT(u), ga, false);
  }
  return L.matmul(p, ga);
}

/** [dL (m x k), dU (k x n)] of A = P L U for the tangent dA. */
export function luJvp(da: Tensor, p: Tensor, l: Tensor, u: Tensor, m: number, n: number): [Tensor, Tensor] {
  const k = Math.min(m, n);
  const last = l.ndim - 1;
  const pda = L.matmul(L.mT(p), da);
  if (m === n) {
    const x = solveTriRight(u, solveTri(l, pda, false, true), true);
    return [L.matmul(l, tril(x, -1)), L.matmul(triu(x), u)];
  }
  if (m < n) {
    const dk = solveTri(l, pda, false, true);
    const u1 = cols(u, 0, k);
    const x = solveTriRight(u1, cols(dk, 0, k), true);
    const lowX = tril(x, -1);
    const du2 = L.sub(cols(dk, k, n), L.matmul(lowX, cols(u, k, n)));
    return [L.matmul(l, lowX), L.concat([L.matmul(triu(x), u1), du2], last)];
  }
  const dk = solveTriRight(u, pda, true);
  const l1 = rows(l, 0, k);
  const x = solveTri(l1, rows(dk, 0, k), false, true);
  const upX = triu(x);
  const dl2 = L.sub(rows(dk, k, m), L.matmul(rows(l, k, m), upX));
  return [L.concat([L.matmul(l1, tril(x, -1)), dl2], last - 1), L.matmul(upX, u)];
}

export const luFactorP: Primitive<void> = definePrimitive<void>({
  name: 'luFactor',
  saves: ['out'],
  abstract: ([a]) => {
    if (a!.ndim < 2) throw new ShapeError(`linalg.lu_factor: Expected tensor with 2 or more dimensions. Got size: ${fmtShape(a!.shape)} instead`);
    if (a!.dtype !== 'float32' && a!.dtype !== 'float64') throw new DTypeError(`linalg.lu_factor: Expected a floating point tensor as input. Got ${a!.dtype}`);
    const [m, n] = a!.shape.slice(-2) as [number, number];
    return { shape: [...a!.shape.slice(0, -2), m * n + m + Math.min(m, n)], dtype: a!.dtype };
  },
  impl: ([a], _p, av) => runKernel([a!], av, (be, [va]) => be.luFactor(va!, av.dtype)),
  vjp: (g, [a], out) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const k = Math.min(m, n);
    const { l, u, perm } = luParts(out, m, n);
    const glu = unpackFlat(g, 0, [m, n]);
    // The compact LU holds L below the diagonal of its first k columns and U on and above it.
    const gl = tril(cols(glu, 0, k), -1);
    const gu = triu(rows(glu, 0, k));
    return [luVjp(gl, gu, permutationMatrix(perm, a!.dtype), l, u, m, n)];
  },
  jvp: ([ta], [a], out) => {
    if (ta === null) return null;
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const k = Math.min(m, n);
    const { l, u, perm } = luParts(out, m, n);
    const [dl, du] = luJvp(ta, permutationMatrix(perm, a!.dtype), l, u, m, n);
    // Back into the compact layout: dL's strict lower part (padded to n columns) plus dU (padded to m rows).
    const r = dl.ndim;
    const pads = (dim: number, after: number) => dl.shape.map((_, i) => (i === dim ? [0, after] : [0, 0]) as [number, number]);
    const dlFull = L.pad(tril(dl, -1), pads(r - 1, n - k), 0);
    const duFull = L.pad(du, pads(r - 2, m - k), 0);
    const dlu = L.add(dlFull, duFull);
    const flat = L.reshape(dlu, [...dlu.shape.slice(0, -2), m * n]);
    return L.pad(flat, flat.shape.map((_, i) => (i === flat.ndim - 1 ? [0, m + k] : [0, 0]) as [number, number]), 0);
  },
  batch: ([a], [bd]) => [bind(luFactorP, [L.moveDim(a!, bd!, 0)], undefined), 0],
});

/** The permutation size: how many rows the pivots act on. */
export interface LuPermutationParams {
  m: number;
}

export const luPermutationP: Primitive<LuPermutationParams> = definePrimitive<LuPermutationParams>({
  name: 'luPermutation',
  ...NO_DERIVATIVE,
  abstract: ([piv], { m }) => {
    if (piv!.dtype !== 'int32') throw new DTypeError(`lu pivots: expected pivots of dtype int32, got ${piv!.dtype}`);
    if (piv!.ndim < 1) throw new ShapeError(`lu pivots: expected pivots with at least 1 dimension, got ${fmtShape(piv!.shape)}`);
    const k = piv!.shape[piv!.ndim - 1]!;
    if (k > m) throw new IndexError(`lu pivots: ${k} pivots cannot act on ${m} rows`);
    return { shape: [...piv!.shape.slice(0, -1), m], dtype: 'int32' };
  },
  impl: ([piv], { m }, av) => {
    try {
      return runKernel([piv!], av, (be, [v]) => be.luPermutation(v!, m));
    } catch (e) {
      throw e instanceof IndexError ? new IndexError(`linalg.lu_solve: ${e.message}`) : e;
    }
  },
  batch: ([piv], [bd], p) => [bind(luPermutationP, [L.moveDim(piv!, bd!, 0)], p), 0],
});
