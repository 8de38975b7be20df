// torch.linalg's solvers, least squares, norms and matrix functions through the public functions:
// residuals and closed forms, the *Ex variants' info, lstsq against the normal equations (and the
// minimum-norm solution of a rank-deficient problem), norms against their definitions, matrixExp
// identities, gradients against float64 finite differences, vmap against a loop, and argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { func, type Tensor } from '../src/index.js';
import { mulberry } from './support/samples.js';

const LA = torch.linalg;
const f64 = (x: number[][] | number[]) => torch.tensor(x as never, { dtype: 'float64' });
function randn(seed: number, shape: number[]): Tensor {
  const rng = mulberry(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Float64Array.from({ length: n }, () => 2 * rng() - 1), { dtype: 'float64', shape });
}
const wellConditioned = (seed: number, batch: number[], n: number) => randn(seed, [...batch, n, n]).add(torch.eye(n, { dtype: 'float64' }).mul(n));
const maxAbs = (t: Tensor) => (t.numel() === 0 ? 0 : t.abs().max().item());
function close(a: Tensor | number, b: Tensor | number, tol: number, what: string): void {
  const ta = typeof a === 'number' ? torch.scalar(a, 'float64') : a;
  const tb = typeof b === 'number' ? torch.scalar(b, 'float64') : b;
  assert.deepEqual(ta.shape, tb.shape, `${what}: shapes`);
  const d = maxAbs(ta.to('float64').sub(tb.to('float64')));
  assert.ok(d <= tol * (1 + maxAbs(tb.to('float64'))), `${what}: max difference ${d} > ${tol}`);
}
function fdGrad(f: (x: Tensor) => Tensor, x: Tensor, eps = 1e-6): Tensor {
  const base = Float64Array.from(x.toArray() as ArrayLike<number>);
  const g = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const at = (d: number) => {
      const v = Float64Array.from(base);
      v[i]! += d;
      return f(torch.tensor(v, { dtype: 'float64', shape: x.shape })).item();
    };
    g[i] = (at(eps) - at(-eps)) / (2 * eps);
  }
  return torch.tensor(g, { dtype: 'float64', shape: x.shape });
}

test('solveTriangular: left and right, upper and lower, unit diagonal, broadcasting; only the triangle is read', () => {
  const A = wellConditioned(1, [2], 4);
  const B = randn(2, [3, 1, 4, 2]);
  for (const upper of [true, false]) {
    const T = upper ? torch.triu(A) : torch.tril(A);
    const X = LA.solveTriangular(A, B, { upper });
    assert.deepEqual(X.shape, [3, 2, 4, 2]);
    close(T.matmul(X), B.expand([3, 2, 4, 2]), 1e-12, `left upper=${upper}`);
    const Xr = LA.solveTriangular(A, B.mT, { upper, left: false });
    close(Xr.matmul(T), B.mT.expand([3, 2, 2, 4]), 1e-12, `right upper=${upper}`);
    const U1 = (upper ? torch.triu(A, 1) : torch.tril(A, -1)).add(torch.eye(4, { dtype: 'float64' }));
    close(U1.matmul(LA.solveTriangular(A, B, { upper, unitriangular: true })), B.expand([3, 2, 4, 2]), 1e-12, 'unitriangular');
  }
  assert.throws(() => LA.solveTriangular(A, B, {} as never), /missing required option 'upper'/);
  assert.throws(() => LA.solveTriangular(torch.eye(3, { dtype: 'float64' }), torch.zeros([2, 1], { dtype: 'float64' }), { upper: true }), torch.ShapeError);
});

test('luFactor + luSolve = solve (left, right, adjoint); luFactorEx / invEx / solveEx report info instead of throwing', () => {
  const A = wellConditioned(3, [2], 4);
  const B = randn(4, [2, 4, 3]);
  const { LU, pivots } = LA.luFactor(A);
  assert.equal(pivots.dtype, 'int32');
  close(LA.luSolve(LU, pivots, B), LA.solve(A, B), 1e-12, 'left');
  close(LA.luSolve(LU, pivots, B, { adjoint: true }), LA.solve(A.mT, B), 1e-12, 'adjoint');
  close(LA.luSolve(LU, pivots, B.mT, { left: false }).matmul(A), B.mT, 1e-12, 'right');
  close(LA.solve(A, B.mT, { left: false }), LA.luSolve(LU, pivots, B.mT, { left: false }), 1e-12, 'solve left=false');
  close(LA.luSolve(LU, pivots, B.mT, { left: false, adjoint: true }).matmul(A.mT), B.mT, 1e-12, 'right adjoint');
  // The pivots are LAPACK's: [[1, 2], [3, 4]] swaps its rows first.
  assert.deepEqual(LA.luFactor(f64([[1, 2], [3, 4]])).pivots.tolist(), [2, 2]);
  const S = torch.stack([f64([[1, 2], [3, 4]]), f64([[1, 2], [2, 4]])]);
  assert.deepEqual(LA.luFactorEx(S).info.tolist(), [0, 2]);
  const { inverse, info } = LA.invEx(S);
  assert.deepEqual(info.tolist(), [0, 2]);
  close(inverse.select(0, 0), LA.inv(f64([[1, 2], [3, 4]])), 1e-14, 'invEx');
  assert.throws(() => LA.invEx(S, { checkErrors: true }), (e: Error) => e instanceof torch.LinAlgError && /Batch element 1/.test(e.message));
  const r = LA.solveEx(A, B.select(-1, 0));
  close(r.result, LA.solve(A, B.select(-1, 0)), 1e-12, 'solveEx vectors');
  assert.deepEqual(r.info.tolist(), [0, 0]);
  assert.throws(() => LA.luFactor(S), (e: Error) => e instanceof torch.LinAlgError && /\(Batch element 1\): U\[2,2\] is zero/.test(e.message));
  assert.throws(() => LA.lu(A, { pivot: false }), /LU without pivoting is not implemented on the CPU/);
  assert.throws(() => LA.luSolve(LU, pivots.to('float64'), B), torch.DTypeError);
});

test('solver gradients against finite differences: solveTriangular, luSolve, invEx, lstsq, pinv, matrixExp', () => {
  const A = wellConditioned(5, [], 3);
  const B = randn(6, [3, 2]);
  const W = randn(7, [3, 2]);
  const { LU, pivots } = LA.luFactor(A);
  const fns: [string, (x: Tensor) => Tensor, Tensor][] = [
    ['solveTriangular A', (x) => LA.solveTriangular(x, B, { upper: true }).mul(W).sum(), A],
    ['solveTriangular B', (x) => LA.solveTriangular(A, x, { upper: false, unitriangular: true }).mul(W).sum(), B],
    ['luSolve LU', (x) => LA.luSolve(x, pivots, B).mul(W).sum(), LU],
    ['luSolve B adjoint', (x) => LA.luSolve(LU, pivots, x, { adjoint: true }).mul(W).sum(), B],
    ['invEx', (x) => LA.invEx(x).inverse.mul(randn(8, [3, 3])).sum(), A],
    ['lstsq A', (x) => LA.lstsq(x, randn(9, [5, 2])).solution.mul(W).sum(), randn(10, [5, 3])],
    ['lstsq wide A', (x) => LA.lstsq(x, randn(9, [2, 2])).solution.mul(W).sum(), randn(11, [2, 3])],
    ['pinv', (x) => LA.pinv(x).mul(randn(12, [4, 3])).sum(), randn(13, [3, 4])],
    ['pinv hermitian', (x) => LA.pinv(x.add(x.mT), { hermitian: true }).mul(randn(14, [3, 3])).sum(), randn(15, [3, 3])],
    ['matrixExp', (x) => LA.matrixExp(x).mul(randn(16, [3, 3])).sum(), randn(17, [3, 3]).mul(2)],
    ['matrixPower -2', (x) => LA.matrixPower(x, -2).mul(randn(18, [3, 3])).sum(), A],
  ];
  for (const [name, f, x] of fns) close(func.grad(f)(x), fdGrad(f, x), 1e-6, name);
});

test('lstsq: the normal equations, the minimum-norm solution of a rank-deficient problem, drivers, vectors, batches', () => {
  const A = randn(21, [2, 6, 3]);
  const B = randn(22, [2, 6, 2]);
  const r = LA.lstsq(A, B, { driver: 'gelsd' });
  const normal = LA.solve(A.mT.matmul(A), A.mT.matmul(B));
  close(r.solution, normal, 1e-12, 'AᵀA X = AᵀB');
  close(r.residuals, A.matmul(r.solution).sub(B).square().sum(-2), 1e-12, 'residuals');
  assert.deepEqual(r.rank.tolist(), [3, 3]);
  close(r.singularValues, LA.svdvals(A), 0, 'singular values');
  const gelsy = LA.lstsq(A, B);
  assert.deepEqual([gelsy.residuals.shape, gelsy.singularValues.shape], [[0], [0]]);
  assert.deepEqual(LA.lstsq(A, B, { driver: 'gels' }).rank.shape, [0]);
  // Rank deficient: the third column repeats the first; the minimum-norm solution is pinv(A) B.
  const a = randn(23, [5, 2]);
  const D = torch.cat([a, a.narrow(1, 0, 1)], 1);
  const b = randn(24, [5]);
  const x = LA.lstsq(D, b).solution;
  assert.deepEqual(x.shape, [3]);
  close(x, LA.pinv(D).matmul(b), 1e-12, 'minimum norm');
  close(x.select(0, 0), x.select(0, 2), 1e-12, 'the repeated column shares the weight');
  assert.equal(LA.lstsq(D, b).rank.item(), 2);
  // Wide: the minimum-norm exact solution.
  const Wd = randn(25, [2, 4]);
  const y = randn(26, [2, 1]);
  const xw = LA.lstsq(Wd, y).solution;
  close(Wd.matmul(xw), y, 1e-12, 'wide: exact');
  close(xw, Wd.mT.matmul(LA.solve(Wd.matmul(Wd.mT), y)), 1e-12, 'wide: minimum norm');
  assert.throws(() => LA.lstsq(A, randn(1, [2, 5, 2])), /input\.size\(-2\) should match other\.size\(-2\)/);
  assert.throws(() => LA.lstsq(A, B, { driver: 'lapack' as never }), /driver/);
});

test('pinv: the Penrose conditions, rank deficiency and tolerances, hermitian', () => {
  for (const shape of [[4, 3], [3, 4], [2, 5, 5]]) {
    const A = randn(shape.length * 31 + shape[0]!, shape);
    const P = LA.pinv(A);
    close(A.matmul(P).matmul(A), A, 1e-12, 'A P A = A');
    close(P.matmul(A).matmul(P), P, 1e-12, 'P A P = P');
    close(A.matmul(P).mT, A.matmul(P), 1e-12, 'A P symmetric');
  }
  const u = randn(3, [4, 1]);
  const R1 = u.matmul(u.mT);
  close(LA.pinv(R1), R1.div(u.square().sum().square()), 1e-12, 'rank 1');
  close(LA.pinv(f64([[1, 0], [0, 1e-3]]), { atol: 1e-2 }), f64([[1, 0], [0, 0]]), 0, 'atol cuts');
  close(LA.pinv(f64([[1, 0], [0, 1e-3]]), { rtol: 1e-2 }), f64([[1, 0], [0, 0]]), 0, 'rtol cuts');
  const S = randn(4, [3, 3]);
  close(LA.pinv(S, { hermitian: true }), LA.pinv(torch.tril(S).add(torch.tril(S, -1).mT)), 1e-12, 'hermitian reads the lower triangle');
  assert.throws(() => LA.pinv(torch.zeros([3])), torch.ShapeError);
  assert.throws(() => LA.pinv(S, { atol: -1 }), /atol must be a non-negative number/);
});

test('norms against their definitions, keepdim and dims, gradients (0 at 0 for the 2-norm)', () => {
  const A = f64([[1, -2, 0], [3, 4, -1]]);
  close(LA.vectorNorm(A), Math.sqrt(31), 1e-15, '2-norm of all');
  close(LA.vectorNorm(A, 1, 1), f64([3, 8]), 0, '1-norm along dim 1');
  close(LA.vectorNorm(A, { ord: Infinity, dim: 0, keepdim: true }), f64([[3, 4, 1]]), 0, 'inf keepdim');
  close(LA.vectorNorm(A, -Infinity), 0, 0, '-inf');
  close(LA.vectorNorm(A, 0), 5, 0, '0: count of nonzeros');
  close(LA.vectorNorm(A, 3), Math.cbrt(1 + 8 + 27 + 64 + 1), 1e-15, 'p = 3');
  close(LA.matrixNorm(A), Math.sqrt(31), 1e-15, 'fro');
  close(LA.matrixNorm(A, 1), 6, 0, '1: max column sum');
  close(LA.matrixNorm(A, -1), 1, 0, '-1');
  close(LA.matrixNorm(A, Infinity), 8, 0, 'inf: max row sum');
  close(LA.matrixNorm(A, 'nuc'), LA.svdvals(A).sum(), 1e-15, 'nuc');
  close(LA.matrixNorm(A, 2), LA.svdvals(A).select(0, 0), 1e-15, '2');
  close(LA.matrixNorm(A, { ord: -2, keepdim: true }), LA.svdvals(A).select(0, 1).reshape([1, 1]), 1e-15, '-2 keepdim');
  const T3 = randn(5, [2, 3, 4]);
  close(LA.matrixNorm(T3, { ord: 'nuc', dim: [0, 2] }), torch.stack([0, 1, 2].map((i) => LA.matrixNorm(T3.select(1, i), 'nuc'))), 1e-13, 'dims [0, 2]');
  close(LA.norm(A), Math.sqrt(31), 1e-15, 'norm: flattened');
  close(LA.norm(A, 'nuc'), LA.matrixNorm(A, 'nuc'), 0, "norm 'nuc'");
  close(LA.norm(A, 2, 1), LA.vectorNorm(A, 2, 1), 0, 'norm with one dim');
  close(LA.norm(T3, { ord: 1, dim: [1, 2] }), LA.matrixNorm(T3, 1), 0, 'norm with two dims');
  assert.equal(LA.vectorNorm(torch.tensor([3, 4])).dtype, 'float32');
  close(LA.vectorNorm(torch.tensor([3, 4], { dtype: 'int32' }), { dtype: 'float64' }), 5, 0, 'dtype option');
  assert.throws(() => LA.vectorNorm(torch.tensor([3, 4], { dtype: 'int32' })), /Expected a floating point tensor as input/);
  // Gradients: the 2-norm at 0 has gradient 0 (PyTorch's subgradient); others against finite differences.
  assert.deepEqual(func.grad((x: Tensor) => LA.vectorNorm(x))(torch.zeros([3], { dtype: 'float64' })).tolist(), [0, 0, 0]);
  const X = randn(6, [3, 4]);
  for (const [name, f] of [
    ['vector 3', (x: Tensor) => LA.vectorNorm(x, 3, 1).sum()],
    ['fro', (x: Tensor) => LA.matrixNorm(x)],
    ['nuc', (x: Tensor) => LA.matrixNorm(x, 'nuc')],
    ['2', (x: Tensor) => LA.matrixNorm(x, 2)],
    ['inf', (x: Tensor) => LA.matrixNorm(x, Infinity)],
    ['cond', (x: Tensor) => LA.cond(x.narrow(1, 0, 3))],
    ['cond fro', (x: Tensor) => LA.cond(x.narrow(1, 0, 3), 'fro')],
  ] as const) close(func.grad(f)(X), fdGrad(f, X), 1e-6, name);
});

test('cond and matrixRank', () => {
  close(LA.cond(f64([[1, 0], [0, 1e-3]])), 1000, 1e-12, 'cond 2');
  close(LA.cond(f64([[1, 0], [0, 1e-3]]), -2), 1e-3, 1e-12, 'cond -2');
  const A = f64([[1, 2], [3, 4]]);
  close(LA.cond(A, 1), LA.matrixNorm(A, 1).mul(LA.matrixNorm(LA.inv(A), 1)), 1e-14, 'cond 1');
  assert.equal(LA.cond(torch.zeros([2, 2], { dtype: 'float64' }), 1).item(), Infinity);
  assert.ok(Number.isNaN(LA.cond(torch.zeros([2, 2], { dtype: 'float64' })).item()));
  assert.throws(() => LA.cond(randn(1, [2, 3]), 1), /linalg\.cond\(ord=1\): A must be batches of square matrices/);
  const low = randn(2, [5, 2]).matmul(randn(3, [2, 4]));
  assert.equal(LA.matrixRank(low).item(), 2);
  assert.equal(LA.matrixRank(low).dtype, 'int32');
  assert.equal(LA.matrixRank(f64([[1, 0], [0, 1e-3]]), { atol: 1e-2 }).item(), 1);
  assert.equal(LA.matrixRank(f64([[1, 0], [0, -1e-3]]), { hermitian: true }).item(), 2);
  assert.deepEqual(LA.matrixRank(torch.stack([torch.eye(3, { dtype: 'float64' }), torch.zeros([3, 3], { dtype: 'float64' })])).tolist(), [3, 0]);
});

test('matrixExp, matrixPower, multiDot, cross, vecdot, vander, diagonal, tensorinv, tensorsolve, householderProduct', () => {
  const Z = torch.zeros([3, 3], { dtype: 'float64' });
  close(LA.matrixExp(Z), torch.eye(3, { dtype: 'float64' }), 0, 'exp(0) = I');
  close(LA.matrixExp(torch.diag(f64([1, -2, 0.5]))), torch.diag(f64([1, -2, 0.5]).exp()), 1e-15, 'diagonal');
  for (const scale of [0.01, 1]) {
    const A = randn(7, [2, 4, 4]).mul(scale);
    close(LA.matrixExp(A).matmul(LA.matrixExp(A.neg())), torch.eye(4, { dtype: 'float64' }).expand([2, 4, 4]), 1e-12, `exp(A) exp(-A) = I at scale ${scale}`);
  }
  // A large skew-symmetric matrix (many squarings): exp is a rotation, exp(S) exp(S)ᵀ = I.
  const K = randn(8, [5, 5]).mul(30);
  const Q = LA.matrixExp(K.sub(K.mT));
  close(Q.matmul(Q.mT), torch.eye(5, { dtype: 'float64' }), 1e-10, 'exp of a skew-symmetric matrix is orthogonal');
  const N = f64([[0, 1, 2], [0, 0, 3], [0, 0, 0]]); // nilpotent: exp = I + N + N²/2
  close(LA.matrixExp(N), torch.eye(3, { dtype: 'float64' }).add(N).add(N.matmul(N).div(2)), 1e-15, 'nilpotent');
  close(LA.matrixPower(f64([[1, 1], [1, 0]]), 10), f64([[89, 55], [55, 34]]), 0, 'Fibonacci');
  const M = randn(8, [2, 3, 3]).add(torch.eye(3, { dtype: 'float64' }).mul(2));
  close(LA.matrixPower(M, 0), torch.eye(3, { dtype: 'float64' }).expand([2, 3, 3]), 0, 'n = 0');
  close(LA.matrixPower(M, -3).matmul(M.matmul(M).matmul(M)), torch.eye(3, { dtype: 'float64' }).expand([2, 3, 3]), 1e-12, 'n = -3');
  assert.throws(() => LA.matrixPower(M, 1.5), /n must be an integer/);
  const ms = [randn(9, [1, 5]), randn(10, [5, 30]), randn(11, [30, 2]), randn(12, [2])];
  close(LA.multiDot(ms), ms[0]!.matmul(ms[1]!).matmul(ms[2]!).matmul(ms[3]!), 1e-12, 'multiDot');
  close(LA.multiDot([randn(13, [4]), randn(14, [4, 3]), randn(15, [3])]), randn(13, [4]).matmul(randn(14, [4, 3])).matmul(randn(15, [3])), 1e-14, '1-D ends: a scalar');
  close(LA.cross(f64([[1, 0, 0], [0, 1, 0]]), f64([0, 1, 0]).expand([2, 3])), f64([[0, 0, 1], [0, 0, 0]]), 0, 'cross');
  close(LA.cross(f64([[1], [0], [0]]), f64([[0], [0], [1]]), { dim: 0 }), f64([[0], [-1], [0]]), 0, 'cross dim 0');
  close(LA.vecdot(f64([[1, 2], [3, 4]]), f64([1, 1])), f64([3, 7]), 0, 'vecdot');
  close(LA.vander(f64([1, 2, 3])), f64([[1, 1, 1], [1, 2, 4], [1, 3, 9]]), 0, 'vander');
  close(LA.vander(f64([2, 3]), { N: 4 }), f64([[1, 2, 4, 8], [1, 3, 9, 27]]), 0, 'vander N');
  close(LA.diagonal(randn(16, [2, 3, 3])), torch.diagonal(randn(16, [2, 3, 3]), 0, -2, -1), 0, 'diagonal');
  const T = randn(17, [4, 6, 8, 3]).add(0);
  const Tsq = T.reshape([24, 24]).add(torch.eye(24, { dtype: 'float64' }).mul(5)).reshape([4, 6, 8, 3]);
  const Tinv = LA.tensorinv(Tsq, { ind: 2 });
  assert.deepEqual(Tinv.shape, [8, 3, 4, 6]);
  close(torch.einsum('ijkl,klmn->ijmn', Tsq, Tinv).reshape([24, 24]), torch.eye(24, { dtype: 'float64' }), 1e-12, 'tensorinv');
  const TA = randn(18, [2, 3, 6]).reshape([6, 6]).add(torch.eye(6, { dtype: 'float64' }).mul(3)).reshape([2, 3, 6]);
  const TB = randn(19, [2, 3]);
  const X = LA.tensorsolve(TA, TB);
  close(torch.einsum('ijk,k->ij', TA, X), TB, 1e-12, 'tensorsolve');
  // householderProduct rebuilds Q from LAPACK-style reflectors: for a single reflector, I - tau v vᵀ.
  const V = f64([[9, 0], [0.5, 9], [-1, 2]]);
  const tau = f64([1.2, 0]);
  const v = f64([[1], [0.5], [-1]]);
  close(LA.householderProduct(V, tau), torch.eye(3, 2, { dtype: 'float64' }).sub(v.matmul(v.mT).mul(1.2).narrow(1, 0, 2)), 1e-15, 'one reflector');
  assert.throws(() => LA.cross(randn(1, [2, 4]), randn(2, [2, 4])), /inputs dimension -1 must have length 3/);
  assert.throws(() => LA.vander(randn(1, [3]), { N: 1 }), /N must be greater than 1/);
  assert.throws(() => LA.tensorinv(randn(1, [2, 3]), { ind: 1 }), /prod\(self\.shape\[ind:\]\) == prod\(self\.shape\[:ind\]\)/);
  assert.throws(() => LA.tensorsolve(randn(1, [2, 3, 6]), randn(2, [4])), /prod\(self\.shape\[other\.ndim:\]\)/);
});

test('vmap of the solvers and norms matches a loop', () => {
  const A = randn(41, [3, 4, 3]);
  const B = randn(42, [3, 4, 2]);
  const loop = (f: (a: Tensor, b: Tensor) => Tensor) => torch.stack([0, 1, 2].map((i) => f(A.select(0, i), B.select(0, i))));
  const fs: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['lstsq', (a, b) => LA.lstsq(a, b).solution],
    ['lstsq residuals', (a, b) => LA.lstsq(a, b, { driver: 'gelsd' }).residuals],
    ['pinv', (a) => LA.pinv(a)],
    ['matrixNorm nuc', (a) => LA.matrixNorm(a, 'nuc')],
    ['cond', (a) => LA.cond(a)],
    ['solveTriangular', (a, b) => LA.solveTriangular(a.narrow(0, 0, 3), b.narrow(0, 0, 3), { upper: true })],
    ['luSolve', (a, b) => {
      const sq = a.narrow(0, 0, 3).add(torch.eye(3, { dtype: 'float64' }).mul(3));
      const { LU, pivots } = LA.luFactor(sq);
      return LA.luSolve(LU, pivots, b.narrow(0, 0, 3));
    }],
    ['matrixExp', (a) => LA.matrixExp(a.narrow(0, 0, 3))],
    ['grad lstsq', func.grad((a: Tensor, b: Tensor) => LA.lstsq(a, b).solution.sin().sum())],
  ];
  for (const [name, f] of fs) close(func.vmap(f)(A, B) as Tensor, loop(f), 1e-12, name);
  assert.deepEqual(func.vmap((a: Tensor) => LA.matrixRank(a))(A).tolist(), [3, 3, 3]);
});
