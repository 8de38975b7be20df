// The rest of torch.linalg: matrixExp (a primitive), and composites of existing ops: matrixPower,
// multiDot (with the cheapest multiplication order), cross, vecdot, vander, diagonal, tensorinv,
// tensorsolve and householderProduct. Gradients and batching come from their parts.
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normDim } from '../core/shape.js';
import { Tensor, deviceOf, fromHost, lax } from '../primitives/index.js';
import { matrixExp as matrixExpPrim } from '../primitives/linalg_expm.js';
import { eyeOf } from '../primitives/linalg_lu.js';
import { broadcastTensors, diagonal as diagonalOp, movedim, narrow, stack } from './shape.js';
import { matmul } from './linalg.js';
import { sum } from './reduce.js';
import { inv, solve } from './linalg_core.js';
import { checkMatrix, checkSquareMatrix, options } from './linalg_common.js';
import { checkTensor, promote } from './scalars.js';

/**
 * The exponential e^A = sum A^k / k! of each square matrix of A [..., n, n] (torch.linalg.matrix_exp),
 * by scaling and squaring with Padé approximants; its derivative is the upper-right block of the
 * exponential of [[A, dA], [0, A]], as PyTorch's.
 * @example
 * torch.linalg.matrixExp(torch.tensor([[0, 1], [-1, 0]]));  // a rotation by 1 radian
 */
export function matrixExp(A: Tensor): Tensor {
  checkSquareMatrix('linalg.matrix_exp', A);
  return matrixExpPrim(A);
}

/**
 * A^n for each square matrix of A [..., n, n] and an integer n (torch.linalg.matrix_power), by
 * repeated squaring; n = 0 gives the identity, n < 0 powers of inv(A) (a singular A throws).
 * @example
 * torch.linalg.matrixPower(torch.tensor([[1, 1], [1, 0]]), 10);  // Fibonacci: [[89, 55], [55, 34]]
 */
export function matrixPower(A: Tensor, n: number): Tensor {
  const fn = 'linalg.matrix_power';
  checkTensor(fn, 'A', A);
  if (!Number.isInteger(n)) throw new ValueError(`${fn}: n must be an integer, got ${String(n)}`);
  if (A.ndim < 2) throw new ShapeError(`${fn}: The input tensor A must have at least 2 dimensions.`);
  const [r, c] = A.shape.slice(-2) as [number, number];
  if (r !== c) throw new ShapeError(`${fn}: A must be batches of square matrices, but they are ${r} by ${c} matrices`);
  // n = 0: the identity, still connected to A (with a zero gradient, as PyTorch's).
  if (n === 0) return lax.where(fromHost(new Array<number>(r * r).fill(1), [r, r], 'bool', deviceOf(A)), eyeOf(r, A.dtype, deviceOf(A)), A);
  let base = n < 0 ? inv(A) : A;
  let k = Math.abs(n);
  let acc: Tensor | null = null;
  for (;;) {
    if (k & 1) acc = acc === null ? base : lax.matmul(acc, base);
    k = Math.floor(k / 2);
    if (k === 0) break;
    base = lax.matmul(base, base);
  }
  return acc!;
}

/**
 * The product of two or more matrices (torch.linalg.multi_dot), multiplied in the order that needs
 * the fewest scalar multiplications; the first may be a 1-D row vector and the last a 1-D column
 * vector, the others are 2-D.
 * @example
 * torch.linalg.multiDot([A, B, C, v]);  // A @ B @ C @ v, cheapest order
 */
export function multiDot(tensors: Tensor[]): Tensor {
  const fn = 'multi_dot()';
  if (!Array.isArray(tensors)) throw new ValueError(`${fn}: expected an array of tensors`);
  tensors.forEach((t, i) => checkTensor('linalg.multi_dot', `tensors[${i}]`, t));
  const k = tensors.length;
  if (k < 2) throw new ValueError(`${fn}: expected at least 2 tensors but got ${k}`);
  const first = tensors[0]!;
  const last = tensors[k - 1]!;
  if (first.ndim !== 1 && first.ndim !== 2) throw new ShapeError(`${fn}: the first tensor must be 1D or 2D but got ${first.ndim}D`);
  if (last.ndim !== 1 && last.ndim !== 2) throw new ShapeError(`${fn}: the last tensor must be 1D or 2D but got ${last.ndim}D`);
  for (let i = 1; i < k - 1; i++) {
    if (tensors[i]!.ndim !== 2) throw new ShapeError(`${fn}: tensor ${i} must be 2D but got ${tensors[i]!.ndim}D`);
  }
  const dtype = tensors[0]!.dtype;
  for (const t of tensors) if (t.dtype !== dtype) throw new DTypeError(`${fn}: all tensors must have the same dtype, but tensor 0 is ${dtype} and another is ${t.dtype}`);
  const mats = tensors.map((t, i) => (t.ndim === 2 ? t : i === 0 ? lax.reshape(t, [1, t.shape[0]!]) : lax.reshape(t, [t.shape[0]!, 1])));
  for (let i = 0; i + 1 < k; i++) {
    if (mats[i]!.shape[1] !== mats[i + 1]!.shape[0]) {
      throw new ShapeError(`${fn}: tensors ${i} and ${i + 1} with shapes ${fmtShape(tensors[i]!.shape)} and ${fmtShape(tensors[i + 1]!.shape)} cannot be multiplied`);
    }
  }
  // Matrix-chain order: cost[i][j] = cheapest product of mats i..j, split[i][j] its last split.
  const p = [mats[0]!.shape[0]!, ...mats.map((m) => m.shape[1]!)];
  const cost = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const split = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let len = 2; len <= k; len++) {
    for (let i = 0; i + len - 1 < k; i++) {
      const j = i + len - 1;
      cost[i]![j] = Infinity;
      for (let s = i; s < j; s++) {
        const c = cost[i]![s]! + cost[s + 1]![j]! + p[i]! * p[s + 1]! * p[j + 1]!;
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          split[i]![j] = s;
        }
      }
    }
  }
  const product = (i: number, j: number): Tensor => (i === j ? mats[i]! : lax.matmul(product(i, split[i]![j]!), product(split[i]![j]! + 1, j)));
  let out = product(0, k - 1);
  if (first.ndim === 1 && last.ndim === 1) out = lax.reshape(out, []);
  else if (first.ndim === 1) out = lax.reshape(out, [out.shape[1]!]);
  else if (last.ndim === 1) out = lax.reshape(out, [out.shape[0]!]);
  return out;
}

/** Options of {@link cross} and {@link vecdot}. */
export interface DimOption {
  /** The dim to work along (default -1). */
  dim?: number;
}

/**
 * The cross product of 3-vectors along `dim` (torch.linalg.cross); x and y broadcast.
 * @example
 * torch.linalg.cross(torch.tensor([1, 0, 0]), torch.tensor([0, 1, 0]));  // [0, 0, 1]
 */
export function cross(x: Tensor, y: Tensor, opts?: DimOption): Tensor {
  const fn = 'linalg.cross';
  const o = options(fn, opts, ['dim']);
  checkTensor(fn, 'input', x);
  checkTensor(fn, 'other', y);
  if (x.ndim !== y.ndim) throw new ShapeError(`${fn}: inputs must have the same number of dimensions, got ${x.ndim} and ${y.ndim}`);
  const [a, b] = broadcastTensors(...promote(fn, x, y)) as [Tensor, Tensor];
  const dim = normDim(fn, o.dim ?? -1, a.ndim);
  if (x.shape[dim] !== 3 || y.shape[dim] !== 3) throw new ShapeError(`${fn}: inputs dimension ${o.dim ?? -1} must have length 3. Got ${x.shape[dim]} and ${y.shape[dim]}`);
  const at = (t: Tensor, i: number) => narrow(t, dim, i, 1);
  const term = (i: number, j: number) => lax.sub(lax.mul(at(a, i), at(b, j)), lax.mul(at(a, j), at(b, i)));
  return lax.concat([term(1, 2), term(2, 0), term(0, 1)], dim);
}

/**
 * The dot product of vectors along `dim` (torch.linalg.vecdot); x and y broadcast.
 * @example
 * torch.linalg.vecdot(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, 1]));  // [3, 7]
 */
export function vecdot(x: Tensor, y: Tensor, opts?: DimOption): Tensor {
  const fn = 'linalg.vecdot';
  const o = options(fn, opts, ['dim']);
  checkTensor(fn, 'x', x);
  checkTensor(fn, 'y', y);
  const [a, b] = broadcastTensors(...promote(fn, x, y)) as [Tensor, Tensor];
  if (a.ndim === 0) throw new ShapeError(`${fn}: expected tensors with at least 1 dimension, got 0-d`);
  return sum(lax.mul(a, b), normDim(fn, o.dim ?? -1, a.ndim));
}

/** Options of {@link vander}. */
export interface VanderOptions {
  /** The number of columns (default x.shape[-1]). */
  N?: number;
}

/**
 * The Vandermonde matrix of x [..., n] (torch.linalg.vander): [..., n, N] with columns x^0, x^1, ...,
 * x^(N-1) (increasing powers, unlike numpy.vander), built by repeated products.
 * @example
 * torch.linalg.vander(torch.tensor([1, 2, 3]));  // [[1, 1, 1], [1, 2, 4], [1, 3, 9]]
 */
export function vander(x: Tensor, opts?: VanderOptions): Tensor {
  const fn = 'linalg.vander';
  const o = options(fn, opts, ['N']);
  checkTensor(fn, 'x', x);
  if (x.ndim === 0) throw new ShapeError(`${fn}: x must have at least one dimension, got a 0-d tensor`);
  const N = o.N ?? x.shape[x.ndim - 1]!;
  if (!Number.isInteger(N) || N <= 1) throw new ValueError(`${fn}: N must be greater than 1, got ${String(N)}`);
  const xs = x.dtype === 'bool' ? lax.cast(x, 'int32') : x;
  const cols: Tensor[] = [lax.onesLike(xs)];
  for (let i = 1; i < N; i++) cols.push(lax.mul(cols[i - 1]!, xs));
  return stack(cols, -1);
}

/** Options of {@link diagonal}. */
export interface DiagonalOptions {
  /** Which diagonal: 0 the main one (default), > 0 above it, < 0 below it. */
  offset?: number;
  /** The first dim of the matrices (default -2). */
  dim1?: number;
  /** The second dim of the matrices (default -1). */
  dim2?: number;
}

/**
 * The diagonals of the matrices of A (torch.linalg.diagonal: torch.diagonal with dims -2, -1 by
 * default), as a new last dim.
 * @example
 * torch.linalg.diagonal(torch.tensor([[1, 2], [3, 4]]));  // [1, 4]
 */
export function diagonal(A: Tensor, opts?: DiagonalOptions): Tensor {
  const o = options('linalg.diagonal', opts, ['offset', 'dim1', 'dim2']);
  checkTensor('linalg.diagonal', 'A', A);
  return diagonalOp(A, o.offset ?? 0, o.dim1 ?? -2, o.dim2 ?? -1);
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Options of {@link tensorinv}. */
export interface TensorinvOptions {
  /** How many leading dims form the output index of A as an operator (default 2). */
  ind?: number;
}

/**
 * The inverse of A seen as a linear map from its trailing dims A.shape[ind:] to its leading dims
 * A.shape[:ind] (torch.linalg.tensorinv): shape A.shape[ind:] + A.shape[:ind]; the two sizes must
 * be equal.
 * @example
 * const Ainv = torch.linalg.tensorinv(A.reshape([4, 6, 8, 3]), { ind: 2 });  // [8, 3, 4, 6]
 */
export function tensorinv(A: Tensor, opts?: TensorinvOptions): Tensor {
  const fn = 'linalg.tensorinv';
  const o = options(fn, opts, ['ind']);
  checkTensor(fn, 'A', A);
  const ind = o.ind ?? 2;
  if (!Number.isInteger(ind) || ind <= 0) throw new ValueError(`${fn}: Expected a strictly positive integer for 'ind', but got ${String(ind)}`);
  if (ind > A.ndim) throw new IndexError(`${fn}: ind = ${ind} is larger than the number of dims of A ${fmtShape(A.shape)}`);
  const front = A.shape.slice(0, ind);
  const back = A.shape.slice(ind);
  if (prod(front) !== prod(back)) {
    throw new ShapeError(`${fn}: Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got ${prod(back)} != ${prod(front)}`);
  }
  return lax.reshape(inv(lax.reshape(A, [prod(front), prod(back)])), [...back, ...front]);
}

/** Options of {@link tensorsolve}. */
export interface TensorsolveOptions {
  /** Dims of A moved to the end before solving (default none). */
  dims?: number[];
}

/**
 * The X with tensordot(A, X, X.ndim) = B (torch.linalg.tensorsolve): X has shape
 * A.shape[B.ndim:], and prod(A.shape[B.ndim:]) must equal prod(B.shape).
 * @example
 * const X = torch.linalg.tensorsolve(A, B);  // A [2, 3, 6], B [2, 3] -> X [6]
 */
export function tensorsolve(A: Tensor, B: Tensor, opts?: TensorsolveOptions): Tensor {
  const fn = 'linalg.tensorsolve';
  const o = options(fn, opts, ['dims']);
  checkTensor(fn, 'A', A);
  checkTensor(fn, 'B', B);
  let a = A;
  if (o.dims !== undefined) {
    const dims = o.dims.map((d) => normDim(fn, d, A.ndim));
    a = movedim(A, dims, dims.map((_, i) => A.ndim - dims.length + i));
  }
  const rest = a.shape.slice(B.ndim);
  if (a.ndim < B.ndim || prod(rest) !== prod(a.shape.slice(0, B.ndim))) {
    throw new ShapeError(`${fn}: Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got ${prod(rest)} != ${prod(a.shape.slice(0, B.ndim))}`);
  }
  const n = prod(rest);
  return lax.reshape(solve(lax.reshape(a, [n, n]), lax.reshape(B, [prod(B.shape)])), rest);
}

/**
 * The product H_1 H_2 ... H_k of Householder reflections H_i = I - tau_i v_i v_iᵀ (the first n
 * columns of it), with v_i the i-th column of A [..., m, n] below its diagonal and a 1 on it
 * (torch.linalg.householder_product, LAPACK's orgqr). tau is [..., k], k <= n <= m.
 * @example
 * const Q = torch.linalg.householderProduct(V, tau);
 */
export function householderProduct(A: Tensor, tau: Tensor): Tensor {
  const fn = 'torch.linalg.householder_product';
  const [m, n] = checkMatrix(fn, A, 'input');
  checkTensor(fn, 'tau', tau);
  if (m < n) throw new ShapeError(`${fn}: input.shape[-2] must be greater than or equal to input.shape[-1], got ${m} and ${n}`);
  if (tau.ndim !== A.ndim - 1 || tau.shape[tau.ndim - 1]! > n) {
    throw new ShapeError(`${fn}: tau must have shape [..., k] with k <= ${n} and A's batch dims, got ${fmtShape(tau.shape)} for input ${fmtShape(A.shape)}`);
  }
  if (tau.dtype !== A.dtype) throw new DTypeError(`${fn}: tau dtype ${tau.dtype} does not match input dtype ${A.dtype}`);
  const k = tau.shape[tau.ndim - 1]!;
  const lead = A.shape.slice(0, -2);
  // Q = H_0 ... H_{k-1} applied to the first n columns of the identity, from the right end.
  let q = lax.broadcastTo(lax.slice(eyeOf(m, A.dtype, deviceOf(A)), { dim: 1, start: 0, end: n, step: 1 }), [...lead, m, n]);
  for (let i = k - 1; i >= 0; i--) {
    const col = lax.slice(A, { dim: A.ndim - 1, start: i, end: i + 1, step: 1 }); // [..., m, 1]
    const below = lax.reshape(lax.cast(lax.int32Tensor(Array.from({ length: m }, (_, r) => (r > i ? 1 : 0)), deviceOf(A)), 'bool'), [m, 1]);
    const unit = lax.reshape(lax.cast(lax.int32Tensor(Array.from({ length: m }, (_, r) => (r === i ? 1 : 0)), deviceOf(A)), A.dtype), [m, 1]);
    const v = lax.where(below, col, unit); // [..., m, 1]: 1 at row i, A's column below it
    const t = lax.reshape(lax.slice(tau, { dim: tau.ndim - 1, start: i, end: i + 1, step: 1 }), [...tau.shape.slice(0, -1), 1, 1]);
    q = lax.sub(q, lax.mul(t, matmul(v, matmul(lax.mT(v), q))));
  }
  return q;
}
