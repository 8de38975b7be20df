// torch.linalg's LU-based functions: inv, det, slogdet and solve, over batches of square matrices
// [..., n, n] in float32 / float64. They compose the two primitives of primitives/linalg_lu.ts, so
// every transform (grad, jvp, vmap, their nestings) works on them.
import { ShapeError, fmtShape } from '../core/errors.js';
import { Tensor, deviceOf, lax } from '../primitives/index.js';
import { checkSquare, eyeOf, slogdetP, solve as solvePrim } from '../primitives/linalg_lu.js';
import { bind } from '../primitives/primitive.js';
import { checkTensor } from './scalars.js';
import { checkOptions } from '../core/options.js';

/** Component `i` (0 = sign, 1 = logabsdet) of slogdet's packed [..., 2] result. */
function part(packed: Tensor, i: number): Tensor {
  const r = packed.ndim;
  return lax.reshape(lax.slice(packed, { dim: r - 1, start: i, end: i + 1, step: 1 }), packed.shape.slice(0, -1));
}

/**
 * The inverse of each square matrix of A [..., n, n] (torch.linalg.inv), by LU with partial
 * pivoting. A singular matrix throws a LinAlgError naming the zero diagonal element of U.
 * @example
 * const Ainv = torch.linalg.inv(torch.tensor([[4, 7], [2, 6]]));  // [[0.6, -0.7], [-0.2, 0.4]]
 */
export function inv(A: Tensor): Tensor {
  checkTensor('linalg.inv', 'A', A);
  const n = checkSquare('linalg.inv', A);
  return solvePrim(A, eyeOf(n, A.dtype, deviceOf(A)), { fn: 'linalg.inv' });
}

/**
 * The sign and the natural log of the absolute value of the determinant of each square matrix of
 * A [..., n, n] (torch.linalg.slogdet), as `[sign, logabsdet]`, both of shape [...]. A singular
 * matrix gives sign 0 and logabsdet -Infinity.
 * @example
 * const [sign, logabsdet] = torch.linalg.slogdet(torch.tensor([[1, 2], [3, 4]]));  // -1, log(2)
 */
export function slogdet(A: Tensor): [sign: Tensor, logabsdet: Tensor] {
  checkTensor('linalg.slogdet', 'A', A);
  checkSquare('linalg.slogdet', A);
  const packed = bind(slogdetP, [A], undefined);
  return [part(packed, 0), part(packed, 1)];
}

/**
 * The determinant of each square matrix of A [..., n, n] (torch.linalg.det), computed as
 * sign * exp(logabsdet) from an LU factorisation; its gradient is det(A) * inv(A)ᵀ.
 * @example
 * torch.linalg.det(torch.tensor([[1, 2], [3, 4]])).item();  // -2
 */
export function det(A: Tensor): Tensor {
  checkTensor('linalg.det', 'A', A);
  checkSquare('linalg.det', A);
  const [sign, lad] = slogdet(A);
  return lax.mul(sign, lax.exp(lad));
}

/** Options of {@link solve}. */
export interface SolveOptions {
  /** Solve A X = B (true, default) or X A = B (false; B is then a batch of matrices [..., k, n]). */
  left?: boolean;
}

/**
 * The solution X of A X = B (torch.linalg.solve) for A [..., n, n]. B is a batch of vectors
 * [..., n] when it is 1-D or has A's shape without its last dim, else a batch of matrices
 * [..., n, k]; batch dims broadcast. With `left: false` it solves X A = B. A singular A throws a
 * LinAlgError.
 * @example
 * const x = torch.linalg.solve(torch.tensor([[3, 1], [1, 2]]), torch.tensor([9, 8]));  // [2, 3]
 */
export function solve(A: Tensor, B: Tensor, opts?: SolveOptions): Tensor {
  checkTensor('linalg.solve', 'A', A);
  checkTensor('linalg.solve', 'B', B);
  checkOptions('linalg.solve', opts, ['left']);
  const n = checkSquare('linalg.solve', A);
  if (B.ndim === 0) throw new ShapeError(`linalg.solve: The input tensor B must have at least 1 dimensions, got ${fmtShape(B.shape)}`);
  if (opts?.left === false) {
    // X A = B is Aᵀ Xᵀ = Bᵀ.
    if (B.ndim < 2) throw new ShapeError(`linalg.solve: with left=false, B must be a batch of matrices [..., k, ${n}], got ${fmtShape(B.shape)}`);
    return lax.mT(solvePrim(lax.mT(A), lax.mT(B), { fn: 'linalg.solve' }));
  }
  const vector = B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.every((d, i) => d === A.shape[i]));
  if (!vector) return solvePrim(A, B, { fn: 'linalg.solve' });
  if (B.shape[B.ndim - 1] !== n) {
    throw new ShapeError(`linalg.solve: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${B.shape[B.ndim - 1]}x1); A ${fmtShape(A.shape)}, B ${fmtShape(B.shape)}`);
  }
  const X = solvePrim(A, lax.reshape(B, [...B.shape, 1]), { fn: 'linalg.solve' });
  return lax.reshape(X, X.shape.slice(0, -1));
}
