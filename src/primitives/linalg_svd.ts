// The `svd` primitive: reduced SVD A = U diag(S) Vᵀ of [..., m, n], k = min(m, n), packed as
// [..., m + 1 + n, k]: U (rows 0..m-1), S (row m, descending), V (rows m+1..m+n); with
// `vectors: false` (svdvals) just S [..., k], the rules decomposing A again for U and V. Derivatives are
// PyTorch's (svd_backward / linalg_svd_jvp), with E_ij = S_j² - S_i² (ones on the diagonal):
//   gA = U [(skew(Uᵀ gU) S + S skew(Vᵀ gV)) / E + diag(gS)] Vᵀ
//        + (I - UUᵀ) gU S⁻¹ Vᵀ (m > n) + U S⁻¹ gVᵀ (I - VVᵀ) (m < n);
//   dP = Uᵀ dA V, dS = diag(dP), dU = U ((dP S + S dPᵀ) / E) + (I - UUᵀ) dA V S⁻¹,
//   dV = V ((S dP + dPᵀ S) / E) + (I - VVᵀ) dAᵀ U S⁻¹   (the divisions with a zero diagonal).
// With `vectors: false` (svdvals): gA = U diag(gS) Vᵀ and dS = diag(Uᵀ dA V), fine for repeated
// singular values. With singular vectors, repeated singular values (E_ij = 0) or, for m != n, a zero
// one make the gradient inf / NaN: U and V are not unique there, as PyTorch documents.
import { DTypeError, ShapeError } from '../core/errors.js';
import { deviceOf, runKernel, scalar } from './concrete.js';
import { gaps } from './linalg_eigh.js';
import { diagEmbed, diagOf, eyeMask, rowView, rows, skew } from './linalg_util.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Whether U and V are part of the result (svd) or only the singular values (svdvals). */
export interface SvdParams {
  vectors: boolean;
}

/** [U [..., m, k], S [..., k], V [..., n, k]] of svd's packed output for an m x n input. */
export function svdParts(out: Tensor, m: number, n: number): [Tensor, Tensor, Tensor] {
  const k = out.shape[out.ndim - 1]!;
  const s = rows(out, m, m + 1);
  return [rows(out, 0, m), L.reshape(s, [...s.shape.slice(0, -2), k]), rows(out, m + 1, m + 1 + n)];
}

const row = (s: Tensor) => L.reshape(s, [...s.shape.slice(0, -1), 1, s.shape[s.ndim - 1]!]); // [..., 1, k]
const col = (s: Tensor) => L.reshape(s, [...s.shape, 1]); // [..., k, 1]
/** X with a zero diagonal, divided elementwise by E. */
const offDiagOver = (x: Tensor, e: Tensor) => L.where(eyeMask(x.shape[x.ndim - 1]!, deviceOf(x)), scalar(0, x.dtype, deviceOf(x)), L.div(x, e));
/** (I - Q Qᵀ) X for Q with orthonormal columns. */
const complement = (q: Tensor, x: Tensor) => L.sub(x, L.matmul(q, L.matmul(L.mT(q), x)));

/** [U, V] of A, decomposed again (the rules of svdvals need them). */
function vectorsOf(a: Tensor, m: number, n: number): [Tensor, Tensor] {
  const [u, , v] = svdParts(bind(svdP, [a], { vectors: true }), m, n);
  return [u, v];
}

export const svdP: Primitive<SvdParams> = definePrimitive<SvdParams>({
  name: 'svd',
  saves: ['out', 0],
  abstract: ([a], p) => {
    if (a!.ndim < 2) throw new ShapeError('linalg.svd: The input tensor A must have at least 2 dimensions.');
    if (a!.dtype !== 'float32' && a!.dtype !== 'float64') throw new DTypeError(`linalg.svd: Expected a floating point tensor as input. Got ${a!.dtype}`);
    const [m, n] = a!.shape.slice(-2) as [number, number];
    return { shape: [...a!.shape.slice(0, -2), ...(p.vectors ? [m + 1 + n] : []), Math.min(m, n)], dtype: a!.dtype };
  },
  impl: ([a], p, av) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const packed = { shape: [...a!.shape.slice(0, -2), m + 1 + n, Math.min(m, n)], dtype: av.dtype };
    const out = runKernel([a!], packed, (be, [va]) => be.svd(va!, av.dtype));
    return p.vectors ? out : rowView(out, m);
  },
  vjp: (g, [a], out, p) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    if (!p.vectors) {
      const [u, v] = vectorsOf(a!, m, n);
      return [L.matmul(u, L.matmul(diagEmbed(g), L.mT(v)))];
    }
    const [u, s, v] = svdParts(out, m, n);
    const [gu, gs, gv] = svdParts(g, m, n);
    const e = gaps(L.mul(s, s));
    const uhgu = skew(L.matmul(L.mT(u), gu));
    const vhgv = skew(L.matmul(L.mT(v), gv));
    const inner = L.add(diagEmbed(gs), L.div(L.add(L.mul(uhgu, row(s)), L.mul(col(s), vhgv)), e));
    let ga = L.matmul(u, L.matmul(inner, L.mT(v)));
    if (m > n) ga = L.add(ga, L.matmul(complement(u, L.div(gu, row(s))), L.mT(v)));
    if (m < n) ga = L.add(ga, L.matmul(u, L.mT(complement(v, L.div(gv, row(s))))));
    return [ga];
  },
  jvp: ([ta], [a], out, p) => {
    if (ta === null) return null;
    const [m, n] = a!.shape.slice(-2) as [number, number];
    if (!p.vectors) {
      const [u, v] = vectorsOf(a!, m, n);
      return diagOf(L.matmul(L.mT(u), L.matmul(ta, v)));
    }
    const [u, s, v] = svdParts(out, m, n);
    const dp = L.matmul(L.mT(u), L.matmul(ta, v));
    const ds = diagOf(dp);
    const e = gaps(L.mul(s, s));
    const dpS = L.mul(dp, row(s));
    const sdp = L.mul(col(s), dp);
    let du = L.matmul(u, offDiagOver(L.add(dpS, L.mT(dpS)), e));
    let dv = L.matmul(v, offDiagOver(L.add(sdp, L.mT(sdp)), e));
    if (m > n) du = L.add(du, complement(u, L.div(L.matmul(ta, v), row(s))));
    if (m < n) dv = L.add(dv, complement(v, L.div(L.matmul(L.mT(ta), u), row(s))));
    return L.concat([du, row(ds), dv], out.ndim - 2);
  },
  batch: ([a], [bd], p) => [bind(svdP, [L.moveDim(a!, bd!, 0)], p), 0],
});
