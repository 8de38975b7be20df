// Demo section: Jacobians and a Hessian with torch.func. jacrev builds the Jacobian from one vjp per
// output (vmapped), jacfwd from one jvp per input; they must agree with each other and with the
// Jacobian worked out by hand. hessian is jacfwd(jacrev(g)); it must be symmetric and equal
// jacrev(jacrev(g)). float64 throughout.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func } = torch;
const f64 = (v: number[] | number[][]) => torch.tensor(v, { dtype: 'float64' });

/** f: R³ → R², f(x) = [x₀·sin(x₁) + x₂², exp(x₀ − x₂)·x₁]. */
const f = (x: Tensor): Tensor => {
  const [x0, x1, x2] = [x.index(0), x.index(1), x.index(2)];
  return torch.stack([x0.mul(x1.sin()).add(x2.square()), x0.sub(x2).exp().mul(x1)]);
};

/** Its Jacobian, by hand. */
function jacobianByHand([a, b, c]: number[]): number[][] {
  const e = Math.exp(a - c);
  return [
    [Math.sin(b), a * Math.cos(b), 2 * c],
    [e * b, e, -e * b],
  ];
}

/** g: R³ → R, g(x) = x₀²·x₁ + x₁·sin(x₂) + exp(x₀·x₂) + ‖x‖⁴ / 4. */
const g = (x: Tensor): Tensor => {
  const [x0, x1, x2] = [x.index(0), x.index(1), x.index(2)];
  return x0.square().mul(x1).add(x1.mul(x2.sin())).add(x0.mul(x2).exp()).add(x.square().sum().square().div(4));
};

/** Its Hessian, by hand (the ‖x‖⁴/4 term contributes ‖x‖²·I + 2·x·xᵀ). */
function hessianByHand([a, b, c]: number[]): number[][] {
  const e = Math.exp(a * c);
  const n2 = a * a + b * b + c * c;
  const hac = e * (1 + a * c) + 2 * a * c;
  return [
    [2 * b + c * c * e + n2 + 2 * a * a, 2 * a + 2 * a * b, hac],
    [2 * a + 2 * a * b, n2 + 2 * b * b, Math.cos(c) + 2 * b * c],
    [hac, Math.cos(c) + 2 * b * c, -b * Math.sin(c) + a * a * e + n2 + 2 * c * c],
  ];
}

async function show(name: string, m: Tensor): Promise<void> {
  const rows = (await m.tolistAsync()) as number[][];
  rows.forEach((r, i) => console.log(`  ${(i === 0 ? name : '').padEnd(22)}[${r.map((v) => v.toFixed(5).padStart(9)).join(' ')} ]`));
}

const maxDiff = (a: Tensor, b: Tensor) => a.sub(b).abs().max().itemAsync();

// float64 on cpu ('webgpu' has none): the checks compare with the formulas by hand to 1e-12.
export const run = () => onCpu('float64, checked to 1e-12', runFloat64);

async function runFloat64(): Promise<SectionResult> {
  const x = f64([0.5, -1.2, 0.8]);
  const xv = [...(await x.data())];
  console.log(`  x = [${xv.join(', ')}]`);
  console.log('  f(x) = [x₀·sin(x₁) + x₂², exp(x₀ − x₂)·x₁]: R³ → R²');
  const jr = func.jacrev(f)(x) as Tensor;
  const jf = func.jacfwd(f)(x) as Tensor;
  const jh = f64(jacobianByHand(xv));
  await show('jacrev(f)(x) =', jr);
  const dJ = await maxDiff(jr, jf);
  const dHand = await maxDiff(jr, jh);
  console.log(`  max |jacrev − jacfwd| = ${dJ.toExponential(2)}, max |jacrev − by hand| = ${dHand.toExponential(2)}`);

  console.log('  g(x) = x₀²·x₁ + x₁·sin(x₂) + exp(x₀·x₂) + ‖x‖⁴/4: R³ → R');
  const H = func.hessian(g)(x) as Tensor;
  const Hrr = func.jacrev(func.jacrev(g))(x) as Tensor;
  await show('hessian(g)(x) =', H);
  const dSym = await maxDiff(H, H.t());
  const dRR = await maxDiff(H, Hrr);
  const dHHand = await maxDiff(H, f64(hessianByHand(xv)));
  // Also the gradient: jacrev of a scalar function is grad.
  const dGrad = await maxDiff(func.jacrev(g)(x) as Tensor, func.grad(g)(x) as Tensor);
  console.log(`  max |H − Hᵀ| = ${dSym.toExponential(2)}, max |hessian − jacrev(jacrev(g))| = ${dRR.toExponential(2)}, max |jacrev(g) − grad(g)| = ${dGrad.toExponential(2)}`);
  console.log(`  max |hessian − by hand| = ${dHHand.toExponential(2)}`);

  const ok = dJ < 1e-12 && dHand < 1e-12 && dSym < 1e-12 && dRR < 1e-12 && dGrad < 1e-12 && dHHand < 1e-12;
  console.log(`  check: all < 1e-12 ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`Jacobians: ${JSON.stringify({ dJ, dHand, dSym, dRR, dGrad, dHHand })}`);
  return { ok, summary: `jacrev = jacfwd (${dJ.toExponential(1)}), Hessian symmetric (${dSym.toExponential(1)}) = jacrev(jacrev) (${dRR.toExponential(1)})` };
}

export const section: Section = { title: 'torch.func: Jacobians (jacrev, jacfwd) and a Hessian', run };
