// torch.linalg's inv, det, slogdet and solve: values against closed forms (2x2 / 3x3 formulas,
// A·inv(A) = I, det of a triangular matrix, solve residuals), PyTorch's errors, gradients against
// float64 finite differences, jvp against vjp, and vmap against a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { func, type Tensor } from '../src/index.js';
import { mulberry } from './support/samples.js';

const f64 = (x: number[] | number[][] | number[][][]) => torch.tensor(x as never, { dtype: 'float64' });

/** A random well-conditioned (diagonally dominant) float64 batch [...batch, n, n]. */
function wellConditioned(seed: number, batch: number[], n: number): Tensor {
  const rng = mulberry(seed);
  const nb = batch.reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let e = 0; e < nb; e++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data.push(i === j ? (rng() < 0.5 ? -1 : 1) * (n + 0.5 + rng()) : 2 * rng() - 1);
  }
  return torch.tensor(Float64Array.from(data), { dtype: 'float64', shape: [...batch, n, n] });
}
function randn(seed: number, shape: number[]): Tensor {
  const rng = mulberry(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Float64Array.from({ length: n }, () => 2 * rng() - 1), { dtype: 'float64', shape });
}
function close(a: Tensor | number, b: Tensor | number, tol: number, what = ''): void {
  const x = typeof a === 'number' ? [a] : (a.toArray() as ArrayLike<number>);
  const y = typeof b === 'number' ? [b] : (b.toArray() as ArrayLike<number>);
  if (typeof a !== 'number' && typeof b !== 'number') assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  assert.equal(x.length, y.length, `${what}: sizes`);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i]! - y[i]!) <= tol * (1 + Math.abs(y[i]!)), `${what}: element ${i}: ${x[i]} vs ${y[i]}`);
}

/** Central finite-difference gradient of the scalar function f at x (float64). */
function fdGrad(f: (x: Tensor) => Tensor, x: Tensor, eps = 1e-6): Tensor {
  const base = Float64Array.from(x.toArray() as ArrayLike<number>);
  const g = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const p = Float64Array.from(base);
    const m = Float64Array.from(base);
    p[i]! += eps;
    m[i]! -= eps;
    const fp = f(torch.tensor(p, { dtype: 'float64', shape: x.shape })).item();
    const fm = f(torch.tensor(m, { dtype: 'float64', shape: x.shape })).item();
    g[i] = (fp - fm) / (2 * eps);
  }
  return torch.tensor(g, { dtype: 'float64', shape: x.shape });
}

test('inv, det and slogdet of 2x2 and 3x3 matrices match the closed forms', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float32' ? 1e-5 : 1e-12;
    const [a, b, c, d] = [4, 7, 2, 6];
    const A = torch.tensor([[a, b], [c, d]], { dtype });
    const dt = a * d - b * c;
    close(torch.linalg.det(A), dt, tol, 'det 2x2');
    close(torch.linalg.inv(A), torch.tensor([[d / dt, -b / dt], [-c / dt, a / dt]], { dtype }), tol, 'inv 2x2');
    assert.equal(torch.linalg.inv(A).dtype, dtype);
    const M = [[2, -1, 3], [0.5, 4, 1], [1, 2, -3]];
    const det3 = M[0]![0]! * (M[1]![1]! * M[2]![2]! - M[1]![2]! * M[2]![1]!) - M[0]![1]! * (M[1]![0]! * M[2]![2]! - M[1]![2]! * M[2]![0]!) + M[0]![2]! * (M[1]![0]! * M[2]![1]! - M[1]![1]! * M[2]![0]!);
    const B = torch.tensor(M, { dtype });
    close(torch.linalg.det(B), det3, tol, 'det 3x3');
    const [sign, lad] = torch.linalg.slogdet(B);
    close(sign, Math.sign(det3), 0, 'slogdet sign');
    close(lad, Math.log(Math.abs(det3)), tol, 'slogdet logabsdet');
    // Cofactor formula for the 3x3 inverse: inv = adj / det.
    const cof = (i: number, j: number) => {
      const r = [0, 1, 2].filter((k) => k !== i);
      const s = [0, 1, 2].filter((k) => k !== j);
      return (-1) ** (i + j) * (M[r[0]!]![s[0]!]! * M[r[1]!]![s[1]!]! - M[r[0]!]![s[1]!]! * M[r[1]!]![s[0]!]!);
    };
    const adjT = [0, 1, 2].map((i) => [0, 1, 2].map((j) => cof(j, i) / det3));
    close(torch.linalg.inv(B), torch.tensor(adjT, { dtype }), tol, 'inv 3x3');
  }
  // A row swap flips the sign; a negative determinant.
  const [s, l] = torch.linalg.slogdet(f64([[1, 2], [3, 4]]));
  assert.equal(s.item(), -1);
  close(l, Math.log(2), 1e-14);
});

test('A · inv(A) = I within 1e-12 in float64 for random well-conditioned batches', () => {
  for (const n of [1, 2, 5, 8]) {
    const A = wellConditioned(n, [3, 2], n);
    const eye = torch.eye(n, { dtype: 'float64' });
    close(torch.matmul(A, torch.linalg.inv(A)), eye.expand([3, 2, n, n]), 1e-12, `A inv(A), n=${n}`);
    close(torch.matmul(torch.linalg.inv(A), A), eye.expand([3, 2, n, n]), 1e-12, `inv(A) A, n=${n}`);
  }
});

test('det of a triangular matrix is the product of its diagonal; det of a batch; empty matrices', () => {
  const L = f64([[2, 0, 0, 0], [1, -3, 0, 0], [5, 2, 0.5, 0], [-1, 4, 7, 1.5]]);
  close(torch.linalg.det(L), 2 * -3 * 0.5 * 1.5, 1e-14, 'lower');
  close(torch.linalg.det(L.mT), 2 * -3 * 0.5 * 1.5, 1e-14, 'upper (a transposed view)');
  const batch = wellConditioned(7, [4], 3);
  const dets = torch.linalg.det(batch);
  assert.deepEqual(dets.shape, [4]);
  for (let i = 0; i < 4; i++) close(dets.select(0, i), torch.linalg.det(batch.select(0, i)), 1e-14, `batch ${i}`);
  // Singular: det 0, slogdet (0, -inf); the empty matrix has det 1.
  const S = f64([[1, 2], [2, 4]]);
  assert.equal(torch.linalg.det(S).item(), 0);
  const [s, l] = torch.linalg.slogdet(S);
  assert.equal(s.item(), 0);
  assert.equal(l.item(), -Infinity);
  assert.equal(torch.linalg.det(torch.zeros([0, 0], { dtype: 'float64' })).item(), 1);
  assert.deepEqual(torch.linalg.inv(torch.zeros([2, 0, 0])).shape, [2, 0, 0]);
});

test('solve: residual A X - B is ~0; vector and matrix right-hand sides; PyTorch broadcasting', () => {
  const A = wellConditioned(11, [2, 3], 4);
  const B = randn(12, [2, 3, 4, 5]);
  const X = torch.linalg.solve(A, B);
  assert.deepEqual(X.shape, [2, 3, 4, 5]);
  close(torch.matmul(A, X), B, 1e-12, 'matrix residual');
  // b of shape A.shape[:-1] is a batch of vectors.
  const b = randn(13, [2, 3, 4]);
  const x = torch.linalg.solve(A, b);
  assert.deepEqual(x.shape, [2, 3, 4]);
  close(torch.matmul(A, x.unsqueeze(-1)).squeeze(-1), b, 1e-12, 'vector residual');
  // 1-D b broadcasts over A's batch.
  const v = randn(14, [4]);
  const xv = torch.linalg.solve(A, v);
  assert.deepEqual(xv.shape, [2, 3, 4]);
  close(torch.matmul(A, xv.unsqueeze(-1)).squeeze(-1), v.expand([2, 3, 4]), 1e-12, '1-D residual');
  // Batch dims broadcast: A [3, 4, 4] with B [2, 1, 4, 2].
  const A2 = wellConditioned(15, [3], 4);
  const B2 = randn(16, [2, 1, 4, 2]);
  const X2 = torch.linalg.solve(A2, B2);
  assert.deepEqual(X2.shape, [2, 3, 4, 2]);
  close(torch.matmul(A2, X2), B2.expand([2, 3, 4, 2]), 1e-12, 'broadcast residual');
  // Closed form: [[3, 1], [1, 2]] x = [9, 8] -> [2, 3]; float32 too.
  close(torch.linalg.solve(torch.tensor([[3, 1], [1, 2]], { dtype: 'float32' }), torch.tensor([9, 8], { dtype: 'float32' })), torch.tensor([2, 3], { dtype: 'float32' }), 1e-6, 'float32');
});

test("PyTorch's errors: singular matrices, non-square and low-rank inputs, dtypes", () => {
  const S = f64([[1, 2, 3], [2, 4, 6], [1, 0, 1]]);
  assert.throws(() => torch.linalg.inv(f64([[1, 2], [2, 4]])), (e: Error) =>
    e instanceof torch.LinAlgError && e instanceof torch.TorchfnError && (e as torch.LinAlgError).info === 2 &&
    e.message === 'linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.');
  assert.throws(() => torch.linalg.inv(S), (e: Error) => e instanceof torch.linalg.LinAlgError && /linalg\.inv: The diagonal element \d is zero/.test(e.message));
  assert.throws(() => torch.linalg.inv(torch.stack([f64([[1, 0], [0, 1]]), f64([[0, 0], [0, 1]])])), (e: Error) =>
    e instanceof torch.LinAlgError && e.message === 'linalg.inv: (Batch element 1): The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular.');
  assert.throws(() => torch.linalg.solve(f64([[1, 2], [2, 4]]), f64([1, 1])), (e: Error) =>
    e instanceof torch.LinAlgError && e.message === 'torch.linalg.solve: The solver failed because the input matrix is singular.');
  for (const fn of ['inv', 'det'] as const) {
    assert.throws(() => torch.linalg[fn](torch.zeros([2, 3])), (e: Error) =>
      e instanceof torch.ShapeError && e.message === `linalg.${fn}: A must be batches of square matrices, but they are 2 by 3 matrices`);
    assert.throws(() => torch.linalg[fn](torch.zeros([3])), (e: Error) =>
      e instanceof torch.ShapeError && e.message === `linalg.${fn}: The input tensor A must have at least 2 dimensions.`);
  }
  assert.throws(() => torch.linalg.slogdet(torch.zeros([4, 2, 3])), torch.ShapeError);
  assert.throws(() => torch.linalg.solve(torch.zeros([3, 2]), torch.zeros([3])), torch.ShapeError);
  assert.throws(() => torch.linalg.solve(torch.eye(3), torch.zeros([4, 2])), (e: Error) => e instanceof torch.ShapeError && /Incompatible shapes of A and B/.test(e.message));
  assert.throws(() => torch.linalg.solve(torch.eye(3), torch.zeros([4])), torch.ShapeError);
  assert.throws(() => torch.linalg.inv(torch.tensor([[1, 0], [0, 1]], { dtype: 'int32' })), torch.DTypeError);
  assert.throws(() => torch.linalg.solve(torch.eye(2), torch.ones([2], { dtype: 'float64' })), torch.DTypeError);
});

test('gradients match float64 finite differences (inv, det, slogdet, solve)', () => {
  const A = wellConditioned(21, [], 3);
  const B = randn(22, [3, 2]);
  const C = randn(23, [3, 3]);
  const fns: [string, (x: Tensor) => Tensor][] = [
    ['inv', (x) => torch.linalg.inv(x).mul(C).sum()],
    ['det', (x) => torch.linalg.det(x)],
    ['logabsdet', (x) => torch.linalg.slogdet(x)[1]],
    ['solve A', (x) => torch.linalg.solve(x, B).sin().sum()],
    ['solve B', (x) => torch.linalg.solve(A, x.narrow(1, 0, 2)).sin().sum()],
    ['solve vector', (x) => torch.linalg.solve(x, B.select(1, 0)).square().sum()],
  ];
  for (const [name, f] of fns) close(func.grad(f)(A), fdGrad(f, A), 1e-6, name);
  // PyTorch's closed forms: d det = det · inv(A)ᵀ, d inv with cotangent C = -inv(A)ᵀ C inv(A)ᵀ.
  const Ai = torch.linalg.inv(A);
  close(func.grad((x: Tensor) => torch.linalg.det(x))(A), torch.linalg.det(A).mul(Ai.mT), 1e-12, 'det closed form');
  close(func.grad(fns[0]![1])(A), Ai.mT.matmul(C).matmul(Ai.mT).neg(), 1e-12, 'inv closed form');
  // Eager autograd and grad of grad.
  const x = A.clone().requiresGrad_();
  torch.linalg.det(x).backward();
  close(x.grad!, torch.linalg.det(A).mul(Ai.mT), 1e-12, 'eager det');
  const hvp = func.grad((y: Tensor) => func.grad((z: Tensor) => torch.linalg.det(z))(y).mul(C).sum());
  close(hvp(A), fdGrad((y) => func.grad((z: Tensor) => torch.linalg.det(z))(y).mul(C).sum(), A), 1e-6, 'second order det');
});

test('jvp agrees with vjp: <ct, J t> == <Jᵀ ct, t>', () => {
  const A = wellConditioned(31, [2], 3);
  const B = randn(32, [2, 3, 2]);
  const tA = randn(33, [2, 3, 3]);
  const tB = randn(34, [2, 3, 2]);
  const cases: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['inv', (a) => torch.linalg.inv(a)],
    ['det', (a) => torch.linalg.det(a)],
    ['slogdet', (a) => torch.linalg.slogdet(a)[1]],
    ['solve', (a, b) => torch.linalg.solve(a, b)],
  ];
  for (const [name, f] of cases) {
    const [out, jt] = func.jvp(f, [A, B], [tA, tB]) as [Tensor, Tensor];
    const ct = randn(35, out.shape);
    const [, pull] = func.vjp(f, A, B);
    const [gA, gB] = pull(ct) as Tensor[];
    const lhs = jt.mul(ct).sum().item();
    const rhs = gA!.mul(tA).sum().item() + (gB ? gB.mul(tB).sum().item() : 0);
    close(lhs, rhs, 1e-10, name);
  }
});

test('vmap matches a loop (and vmap of grad, nested vmap, in-dims other than 0)', () => {
  const A = wellConditioned(41, [3, 2], 3); // vmap over dim 0 of 3
  const B = randn(42, [3, 2, 3]);
  const loop = (f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]) => torch.stack(Array.from({ length: 3 }, (_, i) => f(...xs.map((x) => x.select(0, i)))));
  const fs: [string, (...xs: Tensor[]) => Tensor][] = [
    ['inv', (a) => torch.linalg.inv(a)],
    ['det', (a) => torch.linalg.det(a)],
    ['logabsdet', (a) => torch.linalg.slogdet(a)[1]],
    ['solve vectors', (a, b) => torch.linalg.solve(a, b)],
    ['grad det', func.grad((a: Tensor) => torch.linalg.det(a).sum())],
    ['grad solve', func.grad((a: Tensor, b: Tensor) => torch.linalg.solve(a, b).sin().sum())],
  ];
  for (const [name, f] of fs) close(func.vmap(f)(A, B) as Tensor, loop(f, A, B), 1e-12, name);
  // in-dim 1 for A with an unbatched B: B broadcasts over the vmapped batch.
  const At = A.movedim(0, 1).contiguous();
  const b = randn(43, [3]);
  close(func.vmap((a: Tensor) => torch.linalg.solve(a, b), { inDims: 1 })(At), loop((a) => torch.linalg.solve(a, b), A), 1e-12, 'in-dim 1');
  close(func.vmap(func.vmap((a: Tensor) => torch.linalg.inv(a)))(A), torch.linalg.inv(A), 1e-12, 'nested');
  // A singular example under vmap still raises PyTorch's error.
  assert.throws(() => func.vmap((a: Tensor) => torch.linalg.inv(a))(torch.zeros([2, 2, 2], { dtype: 'float64' })), torch.LinAlgError);
});
