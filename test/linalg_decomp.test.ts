// torch.linalg's decompositions (cholesky, qr, eigh, svd, lu) through the public functions: the
// defining identities on random batches in float32 and float64 (larger sizes too), empty matrices,
// gradients against float64 finite differences (with PyTorch's symmetric-gradient convention for the
// functions that read one triangle), jvp against vjp, vmap against a loop, the degenerate cases
// PyTorch documents, and the argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { func, type Tensor } from '../src/index.js';
import { mulberry } from './support/samples.js';

const LA = torch.linalg;
const f64 = (x: number[][]) => torch.tensor(x, { dtype: 'float64' });

function randn(seed: number, shape: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const rng = mulberry(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Float64Array.from({ length: n }, () => 2 * rng() - 1), { dtype: 'float64', shape }).to(dtype);
}
const spd = (seed: number, batch: number[], n: number, dtype: 'float32' | 'float64' = 'float64') => {
  const m = randn(seed, [...batch, n, n]);
  const p = m.matmul(m.mT); // exactly symmetric after averaging (a GEMM may round the two triangles differently)
  return p.add(p.mT).mul(0.5).add(torch.eye(n, { dtype: 'float64' }).mul(n)).to(dtype);
};
const symm = (seed: number, batch: number[], n: number) => {
  const m = randn(seed, [...batch, n, n]);
  return m.add(m.mT);
};
const maxAbs = (t: Tensor) => (t.numel() === 0 ? 0 : t.abs().max().item());
const eyeLike = (n: number, t: Tensor) => torch.eye(n, { dtype: t.dtype });

function close(a: Tensor, b: Tensor, tol: number, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  const d = maxAbs(a.sub(b));
  assert.ok(d <= tol * (1 + maxAbs(b)), `${what}: max difference ${d} > ${tol}`);
}

/** Central finite-difference gradient of a scalar f at x (float64), along symmetric perturbations when `symmetric`. */
function fdGrad(f: (x: Tensor) => Tensor, x: Tensor, symmetric = false, eps = 1e-6): Tensor {
  const base = Float64Array.from(x.toArray() as ArrayLike<number>);
  const n = x.shape[x.ndim - 1]!;
  const g = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const at = (d: number) => {
      const v = Float64Array.from(base);
      v[i]! += d;
      if (symmetric) {
        const [r, c] = [Math.floor(i / n) % n, i % n];
        if (r !== c) v[i - (r * n + c) + c * n + r]! += d; // the mirrored entry moves too
      }
      return f(torch.tensor(v, { dtype: 'float64', shape: x.shape })).item();
    };
    g[i] = (at(eps) - at(-eps)) / (2 * eps);
    if (symmetric && Math.floor(i / n) % n !== i % n) g[i]! /= 2; // split over the two mirrored entries
  }
  return torch.tensor(g, { dtype: 'float64', shape: x.shape });
}

test('cholesky: L Lᵀ = A, lower triangular with a positive diagonal, upper = Lᵀ, float32 and float64, up to 40 x 40', () => {
  for (const [dtype, tol] of [['float64', 1e-12], ['float32', 1e-5]] as const) {
    for (const n of [1, 3, 8, 40]) {
      const A = spd(n, [2], n, dtype);
      const L = LA.cholesky(A);
      assert.equal(L.dtype, dtype);
      close(L.matmul(L.mT), A, tol, `${dtype} L Lᵀ, n=${n}`);
      assert.equal(maxAbs(torch.triu(L, 1)), 0);
      assert.ok(torch.diagonal(L, 0, -2, -1).min().item() > 0);
      close(LA.cholesky(A, { upper: true }), L.mT, 0, 'upper');
    }
  }
  assert.deepEqual(LA.cholesky(torch.zeros([3, 0, 0])).shape, [3, 0, 0]);
});

test('cholesky reads one triangle; its gradient is PyTorch\'s symmetric one (finite differences along symmetric perturbations)', () => {
  const A = spd(5, [], 4);
  const junk = torch.triu(randn(6, [4, 4]), 1); // written above the diagonal: never read with the default
  close(LA.cholesky(A.add(junk)), LA.cholesky(A), 0, 'lower triangle only');
  close(LA.cholesky(A.add(junk.mT), { upper: true }), LA.cholesky(A, { upper: true }), 0, 'upper triangle only');
  const W = randn(7, [4, 4]);
  const f = (x: Tensor) => LA.cholesky(x).mul(W).sum();
  const g = func.grad(f)(A);
  close(g, g.mT, 1e-14, 'the gradient is symmetric');
  close(g, fdGrad(f, A, true), 1e-7, 'vs finite differences');
  const fu = (x: Tensor) => LA.cholesky(x, { upper: true }).mul(W).sum();
  close(func.grad(fu)(A), fdGrad(fu, A, true), 1e-7, 'upper vs finite differences');
});

test('choleskyEx: info per matrix, no throw; checkErrors throws; PyTorch\'s batch message', () => {
  const bad = f64([[1, 2], [2, 1]]);
  const batch = torch.stack([torch.eye(2, { dtype: 'float64' }), bad, f64([[-1, 0], [0, 1]])]);
  const { L, info } = LA.choleskyEx(batch);
  assert.deepEqual(info.tolist(), [0, 2, 1]);
  assert.equal(info.dtype, 'int32');
  close(L.select(0, 0), torch.eye(2, { dtype: 'float64' }), 0, 'good factor');
  assert.throws(() => LA.choleskyEx(batch, { checkErrors: true }), (e: Error) => e instanceof torch.LinAlgError && /Batch element 1/.test(e.message));
  assert.throws(() => LA.cholesky(batch), (e: Error) =>
    e instanceof torch.LinAlgError && (e as torch.LinAlgError).info === 2 && (e as torch.LinAlgError).batchIndex === 1);
  // Under vmap the kernel still sees every matrix: the error names the flat batch element.
  assert.throws(() => func.vmap((a: Tensor) => LA.cholesky(a))(batch), torch.LinAlgError);
});

test('qr: Q R = A, QᵀQ = I, R upper triangular, for tall, wide and square batches; modes', () => {
  for (const [m, n] of [[6, 3], [3, 6], [5, 5], [30, 12]] as const) {
    for (const [dtype, tol] of [['float64', 1e-12], ['float32', 2e-5]] as const) {
      const A = randn(m * 10 + n, [2, m, n], dtype);
      const { Q, R } = LA.qr(A);
      const k = Math.min(m, n);
      assert.deepEqual(Q.shape, [2, m, k]);
      assert.deepEqual(R.shape, [2, k, n]);
      close(Q.matmul(R), A, tol, `QR = A ${m}x${n} ${dtype}`);
      close(Q.mT.matmul(Q), eyeLike(k, Q).expand([2, k, k]), tol, 'QᵀQ = I');
      assert.equal(maxAbs(torch.tril(R, -1)), 0);
      const full = LA.qr(A, { mode: 'complete' });
      assert.deepEqual(full.Q.shape, [2, m, m]);
      close(full.Q.matmul(full.R), A, tol, 'complete');
      close(full.Q.mT.matmul(full.Q), eyeLike(m, Q).expand([2, m, m]), tol, 'complete QᵀQ = I');
      const r = LA.qr(A, { mode: 'r' });
      assert.deepEqual(r.Q.shape, [0]);
      close(r.R, R, 0, "mode 'r'");
    }
  }
  assert.throws(() => LA.qr(randn(1, [3, 3]), { mode: 'full' as never }), /qr received unrecognized mode 'full'/);
  assert.throws(() => LA.qr(randn(1, [3, 3]), { mod: 'r' } as never), /unknown option 'mod' \(did you mean 'mode'\?\)/);
});

test('eigh: A V = V diag(w), VᵀV = I, ascending, both triangles; larger matrices; float32', () => {
  for (const n of [1, 2, 5, 24]) {
    const A = symm(n, [3], n);
    const { eigenvalues: w, eigenvectors: V } = LA.eigh(A);
    close(A.matmul(V), V.mul(w.unsqueeze(-2)), 1e-11, `A V = V w, n=${n}`);
    close(V.mT.matmul(V), eyeLike(n, V).expand([3, n, n]), 1e-12, 'orthonormal');
    if (n > 1) assert.ok(w.narrow(-1, 1, n - 1).sub(w.narrow(-1, 0, n - 1)).min().item() >= 0, 'ascending');
    close(LA.eigvalsh(A), w, 0, 'eigvalsh');
  }
  const A = randn(3, [4, 4]);
  close(LA.eigvalsh(A, { UPLO: 'U' }), LA.eigvalsh(torch.triu(A).add(torch.triu(A, 1).mT)), 0, "UPLO 'U'");
  close(LA.eigvalsh(A), LA.eigvalsh(torch.tril(A).add(torch.tril(A, -1).mT)), 0, "UPLO 'L'");
  const w32 = LA.eigvalsh(symm(9, [], 4).to('float32'));
  assert.equal(w32.dtype, 'float32');
  close(w32.to('float64'), LA.eigvalsh(symm(9, [], 4)), 1e-5, 'float32');
  // A known spectrum: [[2, 1], [1, 2]] has eigenvalues 1 and 3.
  close(LA.eigvalsh(f64([[2, 1], [1, 2]])), torch.tensor([1, 3], { dtype: 'float64' }), 1e-15, '2x2');
  assert.throws(() => LA.eigh(randn(1, [2, 2]), { UPLO: 'X' as never }), /linalg\.eigh: Expected UPLO argument to be 'L' or 'U', but got X/);
});

test('svd: U diag(S) Vh = A, orthonormal factors, descending S, fullMatrices completions, float32', () => {
  for (const [m, n] of [[6, 3], [3, 6], [4, 4], [40, 9], [1, 5]] as const) {
    const A = randn(m + 100 * n, [2, m, n]);
    const k = Math.min(m, n);
    const { U, S, Vh } = LA.svd(A, { fullMatrices: false });
    assert.deepEqual([U.shape, S.shape, Vh.shape], [[2, m, k], [2, k], [2, k, n]]);
    close(U.mul(S.unsqueeze(-2)).matmul(Vh), A, 1e-12, `reconstruction ${m}x${n}`);
    close(U.mT.matmul(U), eyeLike(k, U).expand([2, k, k]), 1e-12, 'UᵀU');
    close(Vh.matmul(Vh.mT), eyeLike(k, U).expand([2, k, k]), 1e-12, 'Vh Vhᵀ');
    if (k > 1) assert.ok(S.narrow(-1, 1, k - 1).sub(S.narrow(-1, 0, k - 1)).max().item() <= 0, 'descending');
    close(LA.svdvals(A), S, 0, 'svdvals');
    const full = LA.svd(A);
    assert.deepEqual([full.U.shape, full.Vh.shape], [[2, m, m], [2, n, n]]);
    close(full.U.mT.matmul(full.U), eyeLike(m, U).expand([2, m, m]), 1e-12, 'full U orthogonal');
    close(full.Vh.matmul(full.Vh.mT), eyeLike(n, U).expand([2, n, n]), 1e-12, 'full Vh orthogonal');
    close(full.U.narrow(-1, 0, k), U, 0, 'full U starts with the reduced one');
  }
  // Rank-deficient: zero singular values, U still orthonormal.
  const u = randn(3, [5, 2]);
  const low = u.matmul(u.mT);
  const r = LA.svd(low, { fullMatrices: false });
  close(r.U.mT.matmul(r.U), eyeLike(5, low), 1e-12, 'rank-deficient U orthonormal');
  assert.ok(r.S.narrow(0, 2, 3).max().item() < 1e-13);
  close(LA.svdvals(f64([[3, 0], [0, -4]])), torch.tensor([4, 3], { dtype: 'float64' }), 1e-15, 'known values');
  assert.equal(LA.svdvals(randn(1, [3, 2], 'float32')).dtype, 'float32');
  assert.deepEqual(LA.svdvals(torch.zeros([2, 0, 3])).shape, [2, 0]);
});

test('eigh / svd gradients: finite differences, jvp == vjp, and the degenerate cases PyTorch documents', () => {
  const A = symm(11, [], 4);
  const W = randn(12, [4, 4]);
  const w = randn(13, [4]);
  // A gauge-invariant loss of the eigenvectors (squares), and one of the eigenvalues.
  const fv = (x: Tensor) => LA.eigh(x).eigenvectors.square().mul(W).sum();
  const fw = (x: Tensor) => LA.eigvalsh(x).mul(w).sum();
  close(func.grad(fv)(A), fdGrad(fv, A, true), 1e-6, 'eigenvectors');
  close(func.grad(fw)(A), fdGrad(fw, A, true), 1e-7, 'eigenvalues');
  const B = randn(14, [5, 3]);
  const W2 = randn(15, [5, 3]);
  const fs = (x: Tensor) => {
    const { U, S, Vh } = LA.svd(x, { fullMatrices: false });
    return U.square().mul(W2).sum().add(S.mul(w.narrow(0, 0, 3)).sum()).add(Vh.square().sum(0).mul(w.narrow(0, 1, 3)).sum());
  };
  close(func.grad(fs)(B), fdGrad(fs, B), 1e-6, 'svd');
  close(func.grad((x: Tensor) => LA.svdvals(x).sum())(B), fdGrad((x) => LA.svdvals(x).sum(), B), 1e-7, 'svdvals');
  // Repeated eigenvalues: eigvalsh's gradient is V diag(g) Vᵀ, finite; eigenvectors are not unique
  // there, so a loss of them has an infinite or NaN gradient, as in PyTorch.
  const I3 = torch.eye(3, { dtype: 'float64' });
  close(func.grad((x: Tensor) => LA.eigvalsh(x).mul(torch.tensor([1, 2, 3], { dtype: 'float64' })).sum())(I3).diagonal().sort().values, torch.tensor([1, 2, 3], { dtype: 'float64' }), 1e-12, 'eigvalsh at I');
  const gv = func.grad((x: Tensor) => LA.eigh(x).eigenvectors.mul(W.narrow(0, 0, 3).narrow(1, 0, 3)).sum())(I3);
  assert.ok(!Number.isFinite(maxAbs(gv)), 'eigenvector gradient at a repeated eigenvalue is inf / NaN');
  assert.ok(Number.isFinite(maxAbs(func.grad((x: Tensor) => LA.svdvals(x).sum())(I3))), 'svdvals at repeated singular values');
  // jvp == vjp for the public functions (the straight-through triangle included).
  const t = randn(16, [4, 4]);
  for (const [name, f, x] of [
    ['eigh', (y: Tensor) => LA.eigh(y).eigenvectors.square(), A],
    ['cholesky', (y: Tensor) => LA.cholesky(y), spd(17, [], 4)],
    ['qr', (y: Tensor) => LA.qr(y).R, randn(18, [4, 4])],
    ['lu', (y: Tensor) => LA.lu(y).U, randn(19, [4, 4])],
  ] as const) {
    const [out, jt] = func.jvp(f, [x], [t]) as [Tensor, Tensor];
    const ct = randn(20, out.shape);
    const [, pull] = func.vjp(f, x);
    const [g] = pull(ct) as Tensor[];
    const lhs = jt.mul(ct).sum().item();
    const rhs = g!.mul(t).sum().item();
    assert.ok(Math.abs(lhs - rhs) < 1e-9 * (1 + Math.abs(lhs)), `${name}: <ct, J t> = ${lhs}, <Jᵀ ct, t> = ${rhs}`);
  }
});

test('lu: P L U = A for square, tall and wide batches; gradients against finite differences', () => {
  for (const [m, n] of [[4, 4], [5, 3], [3, 5], [1, 1]] as const) {
    const A = randn(m * 7 + n, [2, m, n]);
    const { P, L, U } = LA.lu(A);
    const k = Math.min(m, n);
    assert.deepEqual([P.shape, L.shape, U.shape], [[2, m, m], [2, m, k], [2, k, n]]);
    close(P.matmul(L).matmul(U), A, 1e-12, `P L U ${m}x${n}`);
    assert.ok(maxAbs(L) <= 1 + 1e-12, 'partial pivoting: |L| <= 1');
    const W = randn(3, [m, k]);
    const W2 = randn(4, [k, n]);
    const f = (x: Tensor) => {
      const r = LA.lu(x);
      return r.L.mul(W).sum().add(r.U.mul(W2).sum());
    };
    close(func.grad(f)(A.select(0, 0)), fdGrad(f, A.select(0, 0)), 1e-7, `lu gradient ${m}x${n}`);
  }
});

test('vmap of the decompositions matches a loop; vmap(grad) too; nested vmap', () => {
  const A = spd(31, [3, 2], 3);
  const loop = (f: (x: Tensor) => Tensor, x: Tensor) => torch.stack(Array.from({ length: x.shape[0]! }, (_, i) => f(x.select(0, i))));
  const fs: [string, (x: Tensor) => Tensor][] = [
    ['cholesky', (x) => LA.cholesky(x)],
    ['qr', (x) => LA.qr(x).R],
    ['eigvalsh', (x) => LA.eigvalsh(x)],
    ['eigh vectors squared', (x) => LA.eigh(x).eigenvectors.square()],
    ['svd S', (x) => LA.svd(x).S],
    ['full svd U', (x) => LA.svd(x.narrow(-1, 0, 2)).U.narrow(-1, 0, 2).square()],
    ['lu U', (x) => LA.lu(x).U],
    ['grad eigvalsh', func.grad((x: Tensor) => LA.eigvalsh(x).square().sum())],
    ['grad cholesky', func.grad((x: Tensor) => LA.cholesky(x).sin().sum())],
  ];
  for (const [name, f] of fs) close(func.vmap(f)(A) as Tensor, loop(f, A), 1e-12, name);
  close(func.vmap(func.vmap((x: Tensor) => LA.svdvals(x)))(A), LA.svdvals(A), 1e-13, 'nested vmap');
  close(func.vmap((x: Tensor) => LA.cholesky(x), { inDims: 1 })(A.movedim(0, 1)), loop((x) => LA.cholesky(x), A), 1e-12, 'inDims 1');
});
