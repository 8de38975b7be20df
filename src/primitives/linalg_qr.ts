// The `qr` primitive: Householder QR of [..., m, n] with Q (m x mq) and R (mq x n) packed flat in one
// output [..., m*mq + mq*n] (mq = min(m, n), or m with `complete`). Derivatives are PyTorch's
// (linalg_qr_backward / linalg_qr_jvp), for the reduced factorisation of a full-rank A:
//   m >= n: gA = (gQ + Q copyltu(M)) R⁻ᵀ, M = R gRᵀ - gQᵀ Q, copyltu(M) = tril(M) + tril(M, -1)ᵀ;
//           X = Qᵀ dA R⁻¹, Ω = tril(X, -1) - tril(X, -1)ᵀ, dR = (X - Ω) R, dQ = dA R⁻¹ - Q (X - Ω).
//   m < n:  A = [A1 | A2], R = [R1 | R2] with A1 = Q R1 square and R2 = Qᵀ A2, so the square case
//           runs on A1 with gQ + A2 gR2ᵀ, and gA2 = Q gR2; dR2 = dQᵀ A2 + Qᵀ dA2.
// With `complete` and m > n, Q's extra columns are not determined by A: no derivative, as in PyTorch.
import { AutogradError, DTypeError, ShapeError } from '../core/errors.js';
import { runKernel } from './concrete.js';
import { cols, packFlat, tril, unpackFlat } from './linalg_util.js';
import { solveTriRight } from './linalg_tri.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Whether Q is m x m (mode 'complete') rather than m x min(m, n). */
export interface QrParams {
  complete: boolean;
}

/** Q and R of the packed output of qr on an [..., m, n] input. */
export function qrParts(out: Tensor, m: number, n: number, complete: boolean): [q: Tensor, r: Tensor] {
  const mq = complete ? m : Math.min(m, n);
  return [unpackFlat(out, 0, [m, mq]), unpackFlat(out, m * mq, [mq, n])];
}

const NOT_DIFFERENTIABLE = "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.";

function dims(a: Tensor): [number, number] {
  return a.shape.slice(-2) as [number, number];
}

/** copyltu(M) = tril(M) + tril(M, -1)ᵀ: the symmetric matrix with M's lower triangle. */
const copyltu = (m: Tensor): Tensor => L.add(tril(m), L.mT(tril(m, -1)));

/** The cotangent of A for a square-or-tall reduced QR (m >= n). */
function tallVjp(gq: Tensor, gr: Tensor, q: Tensor, r: Tensor): Tensor {
  const m = L.sub(L.matmul(r, L.mT(gr)), L.matmul(L.mT(gq), q));
  // (gQ + Q copyltu(M)) R⁻ᵀ: a right solve with Rᵀ (lower).
  return solveTriRight(L.mT(r), L.add(gq, L.matmul(q, copyltu(m))), false);
}

/** [dQ, dR] for a square-or-tall reduced QR. */
function tallJvp(da: Tensor, q: Tensor, r: Tensor): [Tensor, Tensor] {
  const z = solveTriRight(r, da, true); // dA R⁻¹
  const x = L.matmul(L.mT(q), z);
  const low = tril(x, -1);
  const xMinusOmega = L.add(L.sub(x, low), L.mT(low)); // triu(X) + tril(X, -1)ᵀ
  return [L.sub(z, L.matmul(q, xMinusOmega)), L.matmul(xMinusOmega, r)];
}

export const qrP: Primitive<QrParams> = definePrimitive<QrParams>({
  name: 'qr',
  // A wide A's trailing columns enter the vjp (gQ + A2 gR2ᵀ).
  saves: ['out', 0],
  abstract: ([a], p) => {
    if (a!.ndim < 2) throw new ShapeError('linalg.qr: The input tensor A must have at least 2 dimensions.');
    if (a!.dtype !== 'float32' && a!.dtype !== 'float64') throw new DTypeError(`linalg.qr: Expected a floating point tensor as input. Got ${a!.dtype}`);
    const [m, n] = dims(a!);
    const mq = p.complete ? m : Math.min(m, n);
    return { shape: [...a!.shape.slice(0, -2), m * mq + mq * n], dtype: a!.dtype };
  },
  impl: ([a], p, av) => runKernel([a!], av, (be, [va]) => be.qr(va!, p.complete, av.dtype)),
  vjp: (g, [a], out, p) => {
    const [m, n] = dims(a!);
    if (p.complete && m > n) throw new AutogradError(NOT_DIFFERENTIABLE);
    const [q, r] = qrParts(out, m, n, p.complete);
    const [gq, gr] = qrParts(g, m, n, p.complete);
    if (m >= n) return [tallVjp(gq, gr, q, r)];
    const [r1, a2] = [cols(r, 0, m), cols(a!, m, n)];
    const [gr1, gr2] = [cols(gr, 0, m), cols(gr, m, n)];
    const ga1 = tallVjp(L.add(gq, L.matmul(a2, L.mT(gr2))), gr1, q, r1);
    return [L.concat([ga1, L.matmul(q, gr2)], a!.ndim - 1)];
  },
  jvp: ([ta], [a], out, p) => {
    if (ta === null) return null;
    const [m, n] = dims(a!);
    if (p.complete && m > n) throw new AutogradError(NOT_DIFFERENTIABLE);
    const [q, r] = qrParts(out, m, n, p.complete);
    if (m >= n) return packFlat(tallJvp(ta, q, r), [2, 2]);
    const [dq, dr1] = tallJvp(cols(ta, 0, m), q, cols(r, 0, m));
    const dr2 = L.add(L.matmul(L.mT(dq), cols(a!, m, n)), L.matmul(L.mT(q), cols(ta, m, n)));
    return packFlat([dq, L.concat([dr1, dr2], ta.ndim - 1)], [2, 2]);
  },
  batch: ([a], [bd], p) => [bind(qrP, [L.moveDim(a!, bd!, 0)], p), 0],
});
