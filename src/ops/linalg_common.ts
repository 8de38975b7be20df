// Argument handling shared by the torch.linalg functions: matrix checks with PyTorch's wording, the
// symmetric matrix read from one triangle (with the gradient PyTorch gives), machine epsilon per
// dtype, the vector-or-matrix right-hand side rule of solve / lstsq, and LAPACK-style info from a
// factor's diagonal.
import type { DType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { Tensor, deviceOf, full, lax, scalar, type Device } from '../primitives/index.js';
import { tril, triu } from '../primitives/linalg_util.js';
import { detach } from '../transforms/detach.js';
import { argmax, sum } from './reduce.js';
import { checkTensor } from './scalars.js';

/** Checks that A is a float tensor with at least 2 dims; returns [m, n]. */
export function checkMatrix(fn: string, A: unknown, arg = 'A'): [number, number] {
  const t = checkTensor(fn, arg, A);
  if (t.ndim < 2) throw new ShapeError(`${fn}: The input tensor ${arg} must have at least 2 dimensions.`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new DTypeError(`${fn}: Expected a floating point tensor as input. Got ${t.dtype}`);
  return t.shape.slice(-2) as [number, number];
}

/** Checks that A is a batch of square float matrices; returns n. */
export function checkSquareMatrix(fn: string, A: unknown, arg = 'A'): number {
  const [m, n] = checkMatrix(fn, A, arg);
  if (m !== n) throw new ShapeError(`${fn}: ${arg} must be batches of square matrices, but they are ${m} by ${n} matrices`);
  return n;
}

/** Checks `opts` (undefined or a plain object with only the `known` keys) and returns it. */
export function options<T extends object>(fn: string, opts: T | undefined, known: readonly string[]): Partial<T> {
  checkOptions(fn, opts, known);
  return opts ?? {};
}

/** Checks a boolean option. */
export function boolOpt(fn: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ValueError(`${fn}: ${name} must be a boolean, got ${typeof v} ${String(v)}`);
  return v;
}

/**
 * The symmetric matrix holding A's lower (or upper) triangle, as LAPACK reads it, with the gradient
 * passed straight to A: PyTorch's eigh / cholesky gradients are the symmetric matrices of its formulas,
 * not the sums of both triangles into one. Equal to A when A is symmetric.
 */
export function fromTriangle(A: Tensor, upper: boolean): Tensor {
  const s = upper ? lax.add(triu(A), lax.mT(triu(A, 1))) : lax.add(tril(A), lax.mT(tril(A, -1)));
  // s's value exactly (A - A is 0), with A's derivative.
  return lax.add(detach(s), lax.sub(A, detach(A)));
}

/** Machine epsilon of a float dtype (torch.finfo(dtype).eps). */
export const epsOf = (dtype: DType): number => (dtype === 'float32' ? 1.1920928955078125e-7 : 2.220446049250313e-16);

/**
 * PyTorch's rule for a right-hand side: a batch of vectors when B is 1-D or has A's shape without
 * its last dim, else a batch of matrices.
 */
export function isVectorRhs(A: Tensor, B: Tensor): boolean {
  return B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.every((d, i) => d === A.shape[i]));
}

/** An empty 1-D tensor of `dtype` on `device` (PyTorch's placeholder for a result a driver does not compute). */
export const emptyOf = (dtype: DType, device: Device): Tensor => full([0], 0, dtype, device);

/** int32 [...]: 1 + the index of the first true element along the last dim, or 0 when there is none. */
export function firstTrue1Based(bad: Tensor): Tensor {
  const n = bad.shape[bad.ndim - 1]!;
  const lead = bad.shape.slice(0, -1);
  if (n === 0) return lax.broadcastTo(scalar(0, 'int32', deviceOf(bad)), lead);
  const asInt = lax.cast(bad, 'int32');
  const idx = lax.add(argmax(asInt, -1), lax.scalarLike(asInt, 1));
  return lax.where(lax.gt(sum(asInt, -1), lax.scalarLike(asInt, 0)), idx, lax.scalarLike(asInt, 0));
}
