// Triangular primitives: `solveTriangular` (A X = B with A upper or lower triangular, optionally with
// a unit diagonal; batch dims broadcast) and `cholesky` (lower factor L of the symmetric part of A).
// Derivatives are PyTorch's:
//   X = A⁻¹B:  gB = A⁻ᵀ g, gA = -gB Xᵀ restricted to A's triangle; dX = A⁻¹(dB - dA X).
//   L = chol(A) (Murray 2016): gA = L⁻ᵀ Φ L⁻¹ with Φ = ½(P + tril(P, -1)ᵀ), P = tril(Lᵀ g);
//   dL = L Ψ(L⁻¹ dA L⁻ᵀ), Ψ(X) = tril(X) with its diagonal halved.
// cholesky factors (A + Aᵀ)/2, so both rules are exact for every entry of A; torch.linalg.cholesky
// passes it the symmetric matrix of the triangle the user names.
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { LinAlgError } from '../core/linalg_errors.js';
import { broadcastShapes } from '../core/shape.js';
import { runKernel } from './concrete.js';
import { alignForBroadcast } from './elementwise.js';
import { checkSquare } from './linalg_lu.js';
import { diagEmbed, diagOf, scale, sym, tril, triu } from './linalg_util.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Which triangle of A a triangular solve reads, and whether its diagonal is taken as ones. */
export interface TriangularParams {
  upper: boolean;
  unitriangular: boolean;
}

/** X with A X = B for triangular A (no checks beyond the shapes; a zero pivot gives inf / NaN). */
export const solveTri = (a: Tensor, b: Tensor, upper: boolean, unitriangular = false): Tensor =>
  bind(solveTriangularP, [a, b], { upper, unitriangular });

/** X with X A = B for triangular A, through the transposed left solve. */
export const solveTriRight = (a: Tensor, b: Tensor, upper: boolean, unitriangular = false): Tensor =>
  L.mT(solveTri(L.mT(a), L.mT(b), !upper, unitriangular));

/** The part of a matrix a triangular solve reads. */
const triangle = (x: Tensor, p: TriangularParams): Tensor => (p.upper ? triu(x, p.unitriangular ? 1 : 0) : tril(x, p.unitriangular ? -1 : 0));

export const solveTriangularP: Primitive<TriangularParams> = definePrimitive<TriangularParams>({
  name: 'solveTriangular',
  saves: [0, ['out', 0]],
  abstract: ([a, b]) => {
    const fn = 'linalg.solve_triangular';
    const n = checkSquare(fn, a!);
    if (b!.ndim < 2 || b!.shape[b!.ndim - 2] !== n) {
      const [bn, k] = b!.ndim < 2 ? [b!.shape[0] ?? 1, 1] : b!.shape.slice(-2);
      throw new ShapeError(`${fn}: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${bn}x${k}); A ${fmtShape(a!.shape)}, B ${fmtShape(b!.shape)}`);
    }
    if (a!.dtype !== b!.dtype) {
      throw new DTypeError(`${fn}: Expected A and B to have the same dtype, but found A of type ${a!.dtype} and B of type ${b!.dtype} instead`);
    }
    const batch = broadcastShapes(fn, a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return { shape: [...batch, n, b!.shape[b!.ndim - 1]!], dtype: a!.dtype };
  },
  impl: ([a, b], p, av) =>
    runKernel([a!, b!], av, (be, [va, vb]) => be.triangularSolve(va!, vb!, av.shape, av.dtype, p.upper, p.unitriangular)),
  vjp: (g, [a, b], x, p, needs) => {
    const gb = solveTri(L.mT(a!), g, !p.upper, p.unitriangular);
    return [
      needs?.[0] === false ? null : L.sumTo(triangle(L.neg(L.matmul(gb, L.mT(x))), p), a!.shape),
      needs?.[1] === false ? null : L.sumTo(gb, b!.shape),
    ];
  },
  jvp: ([ta, tb], [a], x, p) => {
    if (ta === null && tb === null) return null;
    const ax = ta === null ? null : L.matmul(triangle(ta, p), x);
    const rhs = ax === null ? tb! : tb === null ? L.neg(ax) : L.sub(tb, ax);
    return L.broadcastTo(solveTri(a!, rhs, p.upper, p.unitriangular), x.shape);
  },
  batch: (inputs, bdims, p) => [bind(solveTriangularP, alignForBroadcast(inputs, bdims), p), 0],
});

/** Whether a failed factorisation throws (linalg.cholesky) or leaves a zero diagonal (cholesky_ex). */
export interface CholeskyParams {
  check: boolean;
}

export const cholesky = (a: Tensor, check = true): Tensor => bind(choleskyP, [a], { check });

export const choleskyP: Primitive<CholeskyParams> = definePrimitive<CholeskyParams>({
  name: 'cholesky',
  saves: ['out'],
  abstract: ([a]) => {
    checkSquare('linalg.cholesky', a!);
    return { shape: a!.shape, dtype: a!.dtype };
  },
  impl: ([a], p, av) => {
    try {
      return runKernel([a!], av, (be, [va]) => be.cholesky(va!, p.check, av.dtype));
    } catch (e) {
      if (!(e instanceof LinAlgError)) throw e;
      const batch = e.batchIndex >= 0 ? `(Batch element ${e.batchIndex}): ` : '';
      throw new LinAlgError(
        `linalg.cholesky: ${batch}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${e.info} is not positive-definite).`,
        e.info, e.batchIndex,
      );
    }
  },
  vjp: (g, _inputs, l) => {
    const pm = tril(L.matmul(L.mT(l), g));
    const phi = scale(L.add(pm, L.mT(tril(pm, -1))), 0.5);
    // L⁻ᵀ Φ L⁻¹: a left solve with Lᵀ (upper), then a right solve with L (lower).
    return [solveTriRight(l, solveTri(L.mT(l), phi, true), false)];
  },
  jvp: ([ta], _inputs, l) => {
    if (ta === null) return null;
    // X = L⁻¹ sym(dA) L⁻ᵀ, then dL = L (tril(X) - diag(X) / 2).
    const x = solveTriRight(L.mT(l), solveTri(l, sym(ta), false), true);
    return L.matmul(l, L.sub(tril(x), scale(diagEmbed(diagOf(x)), 0.5)));
  },
  batch: ([a], [bd], p) => [bind(choleskyP, [L.moveDim(a!, bd!, 0)], p), 0],
});
