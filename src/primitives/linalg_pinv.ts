// The `pinv` primitive: the Moore-Penrose pseudo-inverse P = A⁺ of [..., m, n] through the SVD
// (singular values at or below max(atol, rtol * largest) taken as zero). Its derivatives are closed
// forms in A and P, PyTorch's pinv_jvp / pinv_backward (valid where the rank is locally constant):
//   dP = -P dA P + P Pᵀ dAᵀ (I - A P) + (I - P A) dAᵀ Pᵀ P,
//   gA = -Pᵀ g Pᵀ + (I - A P) gᵀ P Pᵀ + Pᵀ P gᵀ (I - P A).
import { DTypeError, ShapeError } from '../core/errors.js';
import { runKernel } from './concrete.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** The cut-off of pinv: singular values <= max(atol, rtol * largest) count as zero. */
export interface PinvParams {
  rtol: number;
  atol: number;
}

/** X - A (P X): (I - A P) X without forming the identity. */
const minusAP = (a: Tensor, p: Tensor, x: Tensor) => L.sub(x, L.matmul(a, L.matmul(p, x)));
/** X - (X P) A: X (I - P A). */
const minusPAright = (x: Tensor, p: Tensor, a: Tensor) => L.sub(x, L.matmul(L.matmul(x, p), a));
/** X - (X A) P: X (I - A P). */
const minusAPright = (x: Tensor, a: Tensor, p: Tensor) => L.sub(x, L.matmul(L.matmul(x, a), p));
/** X - P (A X): (I - P A) X. */
const minusPA = (p: Tensor, a: Tensor, x: Tensor) => L.sub(x, L.matmul(p, L.matmul(a, x)));

export const pinvP: Primitive<PinvParams> = definePrimitive<PinvParams>({
  name: 'pinv',
  saves: [0, 'out'],
  abstract: ([a]) => {
    const what = `linalg.pinv(${a!.dtype}{[${a!.shape.join(', ')}]}): expected a tensor with 2 or more dimensions of float32 or float64 type`;
    if (a!.ndim < 2) throw new ShapeError(what);
    if (a!.dtype !== 'float32' && a!.dtype !== 'float64') throw new DTypeError(what);
    const [m, n] = a!.shape.slice(-2) as [number, number];
    return { shape: [...a!.shape.slice(0, -2), n, m], dtype: a!.dtype };
  },
  impl: ([a], p, av) => runKernel([a!], av, (be, [va]) => be.pinv(va!, p.rtol, p.atol, av.dtype)),
  vjp: (g, [a], pa) => {
    const pt = L.mT(pa);
    const gt = L.mT(g);
    const t1 = L.neg(L.matmul(pt, L.matmul(g, pt)));
    const t2 = L.matmul(minusAP(a!, pa, gt), L.matmul(pa, pt));
    const t3 = L.matmul(L.matmul(pt, pa), minusPAright(gt, pa, a!));
    return [L.add(L.add(t1, t2), t3)];
  },
  jvp: ([ta], [a], pa) => {
    if (ta === null) return null;
    const pt = L.mT(pa);
    const tat = L.mT(ta);
    const t1 = L.neg(L.matmul(pa, L.matmul(ta, pa)));
    const t2 = L.matmul(L.matmul(pa, pt), minusAPright(tat, a!, pa));
    const t3 = L.matmul(minusPA(pa, a!, tat), L.matmul(pt, pa));
    return L.add(L.add(t1, t2), t3);
  },
  batch: ([a], [bd], p) => [bind(pinvP, [L.moveDim(a!, bd!, 0)], p), 0],
});
