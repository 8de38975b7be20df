// Demo section: least squares with torch.linalg. Fits a cubic to 200 noisy points with
// torch.linalg.lstsq on the Vandermonde design matrix, and checks the solution against the normal
// equations AᵀA c = Aᵀy (solved by Cholesky) and against QR (R c = Qᵀy). Then the same fit for 16
// datasets at once under vmap, and the gradient of the coefficients with respect to the data, which
// must be pinv(A) (the solution is linear in y). float64 throughout.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const LA = torch.linalg;
const maxDiff = (a: Tensor, b: Tensor) => a.sub(b).abs().max().itemAsync();
const fmt = async (t: Tensor) => `[${((await t.tolistAsync()) as number[]).map((v) => v.toFixed(4)).join(', ')}]`;

// float64 on cpu ('webgpu' has none, nor these factorizations' tolerances in float32): the three
// solutions are checked to agree to 1e-10 and the Jacobian to 1e-12.
export const run = () => onCpu('float64 linear algebra, checked to 1e-10', runFloat64);

async function runFloat64(): Promise<SectionResult> {
  torch.manualSeed(0);
  const truth = torch.tensor([1.5, -2, 0, 0.7], { dtype: 'float64' });
  const x = torch.linspace(-1, 1, 200, { dtype: 'float64' });
  const A = LA.vander(x, { N: 4 }); // [200, 4]: columns 1, x, x², x³
  const y = A.matmul(truth).add(torch.randn([200], { dtype: 'float64' }).mul(0.05));

  const { solution: c, residuals, rank, singularValues } = LA.lstsq(A, y, { driver: 'gelsd' });
  console.log(`  y ≈ c₀ + c₁x + c₂x² + c₃x³ on 200 noisy points (true c = ${await fmt(truth)})`);
  console.log(`  lstsq: c = ${await fmt(c)}, rank ${await rank.itemAsync()}, residual ‖Ac − y‖² = ${(await residuals.itemAsync()).toFixed(4)}`);
  console.log(`  singular values of A: ${await fmt(singularValues)} (condition number ${(await LA.cond(A).itemAsync()).toFixed(1)})`);

  // The normal equations AᵀA c = Aᵀy, solved with a Cholesky factor: AᵀA = L Lᵀ.
  const L = LA.cholesky(A.mT.matmul(A));
  const z = LA.solveTriangular(L, A.mT.matmul(y).unsqueeze(-1), { upper: false });
  const cNormal = LA.solveTriangular(L.mT, z, { upper: true }).squeeze(-1);
  // QR: A = Q R, so R c = Qᵀy.
  const { Q, R } = LA.qr(A);
  const cQr = LA.solveTriangular(R, Q.mT.matmul(y).unsqueeze(-1), { upper: true }).squeeze(-1);
  const dNormal = await maxDiff(c, cNormal);
  const dQr = await maxDiff(c, cQr);
  const dTruth = await maxDiff(c, truth);
  console.log(`  max |lstsq − normal equations| = ${dNormal.toExponential(2)}, max |lstsq − QR| = ${dQr.toExponential(2)}, max |c − true c| = ${dTruth.toFixed(3)}`);

  // 16 datasets at once: vmap over the right-hand sides matches one batched call.
  const Y = A.matmul(truth).add(torch.randn([16, 200], { dtype: 'float64' }).mul(0.05));
  const viaVmap = torch.func.vmap((yi: Tensor) => LA.lstsq(A, yi).solution)(Y);
  const batched = LA.lstsq(A, Y.mT).solution.mT; // B [200, 16]: one column per dataset
  const dVmap = await maxDiff(viaVmap, batched);
  // The solution is pinv(A) y, so its Jacobian with respect to y is pinv(A).
  const J = torch.func.jacrev((yy: Tensor) => LA.lstsq(A, yy).solution)(y) as Tensor;
  const dJac = await maxDiff(J, LA.pinv(A));
  console.log(`  vmap over 16 datasets vs one batched call: ${dVmap.toExponential(2)}; max |∂c/∂y − pinv(A)| = ${dJac.toExponential(2)}`);

  const ok = dNormal < 1e-10 && dQr < 1e-10 && dTruth < 0.05 && dVmap < 1e-12 && dJac < 1e-12;
  console.log(`  check: lstsq = normal equations = QR (< 1e-10), close to the truth (< 0.05), vmap = batched, ∂c/∂y = pinv(A): ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`least squares: ${JSON.stringify({ dNormal, dQr, dTruth, dVmap, dJac })}`);
  return { ok, summary: `lstsq cubic fit = normal equations (${dNormal.toExponential(1)}) = QR (${dQr.toExponential(1)}); ∂c/∂y = pinv(A)` };
}

export const section: Section = { title: 'torch.linalg: least squares (lstsq vs the normal equations and QR)', run: () => run() };
