// The `eigh` primitive: eigendecomposition of the symmetric part (A + Aᵀ)/2 of [..., n, n], packed as
// [..., n + 1, n]: eigenvalues L (ascending) in row 0, eigenvectors V as the columns of rows 1..n; with
// `vectors: false` (eigvalsh) just the eigenvalues [..., n], the rules decomposing A again for V.
// Derivatives are PyTorch's (linalg_eig_backward / linalg_eig_jvp, hermitian case), with
// E_ij = L_j - L_i:
//   gA = V (skew(Vᵀ gV) / 2 / E + diag(gL)) Vᵀ        (off the diagonal; its diagonal is gL)
//   dP = Vᵀ sym(dA) V, dL = diag(dP), dV = V (dP / E with a zero diagonal).
// With `vectors: false` (eigvalsh): gA = V diag(gL) Vᵀ and dL as above, with no division, so
// repeated eigenvalues are fine. With eigenvectors, a repeated eigenvalue makes E_ij = 0
// and the gradient inf / NaN: the eigenvectors are not unique there, as PyTorch documents.
import { runKernel } from './concrete.js';
import { checkSquare } from './linalg_lu.js';
import { diagEmbed, diagOf, eyeMask, rowView, rows, skew, sym, scale } from './linalg_util.js';
import { deviceOf, scalar } from './concrete.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Whether the eigenvectors are part of the result (eigh) or only the eigenvalues (eigvalsh). */
export interface EighParams {
  vectors: boolean;
}

/** [eigenvalues [..., n], eigenvectors [..., n, n]] of eigh's packed output. */
export function eighParts(out: Tensor): [Tensor, Tensor] {
  const n = out.shape[out.ndim - 1]!;
  const w = rows(out, 0, 1);
  return [L.reshape(w, [...w.shape.slice(0, -2), n]), rows(out, 1, n + 1)];
}

/** E_ij = v_j - v_i with ones on the diagonal, for v [..., n]. */
export function gaps(v: Tensor): Tensor {
  const n = v.shape[v.ndim - 1]!;
  const lead = v.shape.slice(0, -1);
  const e = L.sub(L.reshape(v, [...lead, 1, n]), L.reshape(v, [...lead, n, 1]));
  return L.where(eyeMask(n, deviceOf(v)), scalar(1, v.dtype, deviceOf(v)), e);
}

/** V of A, decomposed again (the rules of eigvalsh need it). */
const vectorsOf = (a: Tensor): Tensor => eighParts(bind(eighP, [a], { vectors: true }))[1];

export const eighP: Primitive<EighParams> = definePrimitive<EighParams>({
  name: 'eigh',
  saves: ['out', 0],
  abstract: ([a], p) => {
    const n = checkSquare('linalg.eigh', a!);
    return { shape: [...a!.shape.slice(0, -2), ...(p.vectors ? [n + 1] : []), n], dtype: a!.dtype };
  },
  impl: ([a], p, av) => {
    const n = a!.shape[a!.ndim - 1]!;
    const packed = { shape: [...a!.shape.slice(0, -2), n + 1, n], dtype: av.dtype };
    const out = runKernel([a!], packed, (be, [va]) => be.eigh(va!, av.dtype));
    return p.vectors ? out : rowView(out, 0);
  },
  vjp: (g, [a], out, p) => {
    if (!p.vectors) {
      const v = vectorsOf(a!);
      return [L.matmul(v, L.matmul(diagEmbed(g), L.mT(v)))];
    }
    const [w, v] = eighParts(out);
    const [gw, gv] = eighParts(g);
    const inner = L.add(diagEmbed(gw), L.div(scale(skew(L.matmul(L.mT(v), gv)), 0.5), gaps(w)));
    return [L.matmul(v, L.matmul(inner, L.mT(v)))];
  },
  jvp: ([ta], [a], out, p) => {
    if (ta === null) return null;
    if (!p.vectors) {
      const v = vectorsOf(a!);
      return diagOf(L.matmul(L.mT(v), L.matmul(sym(ta), v)));
    }
    const [w, v] = eighParts(out);
    const dp = L.matmul(L.mT(v), L.matmul(sym(ta), v));
    const dw = diagOf(dp);
    const n = w.shape[w.ndim - 1]!;
    const dv = L.matmul(v, L.where(eyeMask(n, deviceOf(dp)), scalar(0, dp.dtype, deviceOf(dp)), L.div(dp, gaps(w))));
    return L.concat([L.reshape(dw, [...dw.shape.slice(0, -1), 1, n]), dv], out.ndim - 2);
  },
  batch: ([a], [bd], p) => [bind(eighP, [L.moveDim(a!, bd!, 0)], p), 0],
});
