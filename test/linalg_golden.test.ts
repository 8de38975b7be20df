// torch.linalg against PyTorch 1.13 (test/fixtures/golden/linalg.json, written by
// test/fixtures/gen_linalg.py): values, gradients of a weighted sum of the outputs (outputs unique
// only up to sign enter it squared, and are compared after aligning signs), and error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

interface T {
  shape: number[];
  data: number[];
  dtype?: string;
}
interface Case {
  name: string;
  fn: string;
  opts: Record<string, unknown>;
  inputs: Record<string, T>;
  outputs: Record<string, T>;
  weights: Record<string, T>;
  squared: string[];
  grads: Record<string, T>;
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/linalg.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  errors: { name: string; type: string; message: string }[];
};

const LA = torch.linalg;
const num = (v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const toTensor = (t: T) =>
  torch.tensor(t.dtype === 'int32' || t.dtype === 'int64' ? Int32Array.from(t.data) : Float64Array.from(t.data), { dtype: t.dtype === 'int32' || t.dtype === 'int64' ? 'int32' : 'float64', shape: t.shape });

type Run = (xs: Tensor[], o: Record<string, any>) => Record<string, Tensor>;
const RUN: Record<string, Run> = {
  cholesky: ([A], o) => ({ L: LA.cholesky(A!, o) }),
  qr: ([A], o) => ({ ...LA.qr(A!, o) }),
  eigh: ([A], o) => ({ ...LA.eigh(A!, o) }),
  eigvalsh: ([A], o) => ({ out: LA.eigvalsh(A!, o) }),
  svd: ([A], o) => ({ ...LA.svd(A!, o) }),
  svdvals: ([A]) => ({ out: LA.svdvals(A!) }),
  solveTriangular: ([A, B], o) => ({ out: LA.solveTriangular(A!, B!, o as { upper: boolean }) }),
  lu: ([A]) => ({ ...LA.lu(A!) }),
  luFactor: ([A]) => ({ ...LA.luFactor(A!) }),
  luSolve: ([LU, piv, B], o) => ({ out: LA.luSolve(LU!, piv!, B!, o) }),
  invEx: ([A]) => ({ ...LA.invEx(A!) }),
  solveEx: ([A, B]) => ({ ...LA.solveEx(A!, B!) }),
  lstsq: ([A, B], o) => ({ ...LA.lstsq(A!, B!, o) }),
  pinv: ([A], o) => ({ out: LA.pinv(A!, o) }),
  matrixExp: ([A]) => ({ out: LA.matrixExp(A!) }),
  matrixPower: ([A], o) => ({ out: LA.matrixPower(A!, o.n) }),
  matrixNorm: ([A], o) => ({ out: LA.matrixNorm(A!, { ...o, ord: num(o.ord) } as torch.linalg.MatrixNormOptions) }),
  vectorNorm: ([x], o) => ({ out: LA.vectorNorm(x!, { ...o, ord: num(o.ord) } as torch.linalg.VectorNormOptions) }),
  norm: ([A], o) => ({ out: LA.norm(A!, o) }),
  cond: ([A], o) => ({ out: LA.cond(A!, (num(o.p) ?? null) as torch.linalg.MatrixOrd | null) }),
  matrixRank: ([A]) => ({ out: LA.matrixRank(A!) }),
  cross: ([x, y]) => ({ out: LA.cross(x!, y!) }),
  vecdot: ([x, y]) => ({ out: LA.vecdot(x!, y!) }),
  vander: ([x], o) => ({ out: LA.vander(x!, o) }),
  diagonal: ([A], o) => ({ out: LA.diagonal(A!, o) }),
  multiDot: (xs) => ({ out: LA.multiDot(xs) }),
  tensorinv: ([A], o) => ({ out: LA.tensorinv(A!, o) }),
  tensorsolve: ([A, B]) => ({ out: LA.tensorsolve(A!, B!) }),
  householderProduct: ([A, tau]) => ({ out: LA.householderProduct(A!, tau!) }),
};

function assertClose(what: string, got: ArrayLike<number>, want: readonly number[], tol: number): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, PyTorch has ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!));
    if (!ok) assert.fail(`${what}[${i}]: ${got[i]} vs PyTorch ${want[i]}\n  got  ${Array.from(got).map((x) => x.toPrecision(10)).join(', ')}\n  want ${want.map((x) => x.toPrecision(10)).join(', ')}`);
  }
}

/** Flips the sign of each column ('eigenvectors', 'U') or row ('Vh') of `got` to match `want`. */
function alignSigns(key: string, got: Float64Array, shape: number[], want: readonly number[]): Float64Array {
  const [r, c] = shape.slice(-2) as [number, number];
  const out = Float64Array.from(got);
  const byRow = key === 'Vh';
  for (let b = 0; b < got.length / (r * c); b++) {
    for (let v = 0; v < (byRow ? r : c); v++) {
      const idx = Array.from({ length: byRow ? c : r }, (_, k) => b * r * c + (byRow ? v * c + k : k * c + v));
      const dot = idx.reduce((s, i) => s + got[i]! * want[i]!, 0);
      if (dot < 0) for (const i of idx) out[i] = -out[i]!;
    }
  }
  return out;
}

test(`torch.linalg values and gradients match PyTorch ${'1.13'} (${golden.cases.length} cases)`, () => {
  assert.ok(golden.cases.length >= 80);
  for (const c of golden.cases) {
    const run = RUN[c.fn];
    assert.ok(run, `no runner for ${c.fn}`);
    const names = Object.keys(c.inputs);
    const leaves = names.map((k) => {
      const t = toTensor(c.inputs[k]!);
      return c.grads[k] ? t.requiresGrad_() : t;
    });
    const outs = run(leaves, c.opts);
    for (const [k, want] of Object.entries(c.outputs)) {
      const got = outs[k];
      assert.ok(got, `${c.name}: no output ${k}`);
      assert.deepEqual(got.shape, want.shape, `${c.name}: shape of ${k}`);
      let vals: Float64Array = Float64Array.from(got.toArray() as ArrayLike<number>);
      if (c.squared.includes(k)) vals = alignSigns(k, vals, got.shape, want.data);
      // Complete QR's and full SVD's extra columns are any orthonormal completion: compare only the first k.
      if (c.name === 'qr complete' && k === 'Q') {
        const [m, n] = c.inputs.A!.shape as [number, number];
        const q = got.narrow(1, 0, n);
        assertClose(`${c.name}: Q[:, :${n}]`, q.contiguous().toArray() as Float64Array, want.data.filter((_, i) => i % m < n), 1e-10);
        assertClose(`${c.name}: QᵀQ`, q.mT.matmul(got).toArray() as Float64Array, Array.from(torch.eye(n, m, { dtype: 'float64' }).toArray()), 1e-12);
        continue;
      }
      assertClose(`${c.name}: ${k}`, vals, want.data, 1e-10);
    }
    const gradNames = names.filter((k) => c.grads[k]);
    if (gradNames.length === 0) continue;
    let loss = torch.scalar(0, 'float64');
    for (const [k, w] of Object.entries(c.weights)) {
      const o = c.squared.includes(k) ? outs[k]!.square() : outs[k]!;
      loss = loss.add(o.mul(toTensor({ ...w, dtype: 'float64' })).sum());
    }
    assert.ok(loss.requiresGrad, `${c.name}: the loss does not require grad`);
    const grads = torch.autograd.grad(loss, gradNames.map((k) => leaves[names.indexOf(k)]!), { allowUnused: true });
    gradNames.forEach((k, i) => {
      const g = grads[i];
      assert.ok(g, `${c.name}: no gradient for ${k}`);
      assertClose(`${c.name}: grad ${k}`, g.toArray() as Float64Array, c.grads[k]!.data, 1e-9);
    });
  }
});

const f64 = (x: number[][] | number[]) => torch.tensor(x, { dtype: 'float64' });
const ERRORS: Record<string, () => unknown> = {
  'cholesky not positive-definite': () => LA.cholesky(f64([[1, 2], [2, 1]])),
  'cholesky batch': () => LA.cholesky(torch.stack([torch.eye(2, { dtype: 'float64' }), f64([[1, 2], [2, 1]])])),
  'cholesky non-square': () => LA.cholesky(torch.zeros([2, 3], { dtype: 'float64' })),
  'cholesky 1-D': () => LA.cholesky(torch.zeros([3], { dtype: 'float64' })),
  'qr mode': () => LA.qr(torch.zeros([3, 3], { dtype: 'float64' }), { mode: 'foo' as never }),
  'qr complete backward': () => LA.qr(torch.randn([3, 2], { dtype: 'float64', requiresGrad: true }), { mode: 'complete' }).Q.sum().backward(),
  'eigh non-square': () => LA.eigh(torch.zeros([2, 3], { dtype: 'float64' })),
  'svd 1-D': () => LA.svd(torch.zeros([3], { dtype: 'float64' })),
  'lstsq shapes': () => LA.lstsq(torch.zeros([3, 2], { dtype: 'float64' }), torch.zeros([4, 1], { dtype: 'float64' })),
  'matrix_norm ord': () => LA.matrixNorm(torch.zeros([3, 3], { dtype: 'float64' }), 3),
  'matrix_norm dims': () => LA.matrixNorm(torch.zeros([3, 3], { dtype: 'float64' }), { dim: [0, 0] }),
  'norm 3-D with ord': () => LA.norm(torch.zeros([2, 2, 2], { dtype: 'float64' }), 2),
  'vector_norm inf of empty': () => LA.vectorNorm(torch.zeros([0], { dtype: 'float64' }), Infinity),
  'matrix_exp non-square': () => LA.matrixExp(torch.zeros([2, 3], { dtype: 'float64' })),
  'lu_factor singular': () => LA.luFactor(torch.zeros([2, 2], { dtype: 'float64' })),
  'solve_triangular shapes': () => LA.solveTriangular(torch.eye(3, { dtype: 'float64' }), torch.zeros([2, 1], { dtype: 'float64' }), { upper: true }),
  'cross length': () => LA.cross(torch.zeros([2, 4], { dtype: 'float64' }), torch.zeros([2, 4], { dtype: 'float64' })),
  'multi_dot one tensor': () => LA.multiDot([torch.zeros([3, 3], { dtype: 'float64' })]),
  'multi_dot 3-D': () => LA.multiDot([torch.zeros([3, 3], { dtype: 'float64' }), torch.zeros([2, 3, 3], { dtype: 'float64' })]),
  'multi_dot mismatch': () => LA.multiDot([torch.zeros([3, 3], { dtype: 'float64' }), torch.zeros([2, 3], { dtype: 'float64' })]),
  'matrix_power singular': () => LA.matrixPower(torch.zeros([2, 2], { dtype: 'float64' }), -1),
  'cond ord': () => LA.cond(torch.eye(3, { dtype: 'float64' }), 3),
  'tensorinv ind': () => LA.tensorinv(torch.zeros([4, 6, 8, 3], { dtype: 'float64' }), { ind: 0 }),
};

test("errors carry PyTorch's messages (with the function named where PyTorch leaves it out)", () => {
  for (const e of golden.errors) {
    if (e.name === 'qr r backward') {
      // An extension: mode 'r' stays differentiable here (Q is computed anyway).
      const x = torch.randn([3, 2], { dtype: 'float64', requiresGrad: true });
      LA.qr(x, { mode: 'r' }).R.sum().backward();
      assert.ok(x.grad);
      continue;
    }
    const thunk = ERRORS[e.name];
    assert.ok(thunk, `no TypeScript call for the error case '${e.name}'`);
    assert.throws(thunk, (err: Error) => {
      assert.ok(err instanceof torch.TorchfnError, `${e.name}: ${err.constructor.name} is not a TorchfnError`);
      if (e.type === '_LinAlgError') assert.ok(err instanceof torch.LinAlgError, `${e.name}: expected a LinAlgError, got ${err.name}`);
      assert.ok(err.message.includes(e.message), `${e.name}:\n  ours    ${err.message}\n  PyTorch ${e.message}`);
      return true;
    });
  }
});
