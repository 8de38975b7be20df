// Demo section: neural-ODE sensitivities. dy/dt = f(y) with f a small tanh MLP, integrated by
// fixed-step RK4 and by adaptive Dormand–Prince 5(4), both written with torchfn ops so the solution
// is differentiable through every step. The Jacobian ∂y(T)/∂y(0) by jacrev and by jacfwd is checked
// against float64 central finite differences, and vmap over a batch of initial states against a loop.
// Dormand–Prince picks its steps from the error estimate (plain numbers, as step-size control is not
// differentiated); the chosen steps are then replayed as a fixed schedule under the transforms.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { items, onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func } = torch;
const D = 3, H = 16, T = 1.0;
const opts = { dtype: 'float64' } as const;

// Dormand–Prince 5(4) tableau.
const AT = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

// float64 on cpu ('webgpu' has none): the central differences (eps 1e-6) the Jacobians are checked
// against to 1e-7 need it, as does the vmap = loop check to 1e-12.
export const run = (opts: { seed?: number } = {}) => onCpu('float64 finite differences', () => runFloat64(opts));

async function runFloat64({ seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const W1 = torch.randn([H, D], opts).mul(0.8), b1 = torch.randn([H], opts).mul(0.1);
  const W2 = torch.randn([D, H], opts).mul(0.4), b2 = torch.randn([D], opts).mul(0.1);
  const f = (y: Tensor) => y.matmul(W1.mT).add(b1).tanh().matmul(W2.mT).add(b2);

  const rk4 = (y0: Tensor, steps = 20) => {
    const h = T / steps;
    let y = y0;
    for (let i = 0; i < steps; i++) {
      const k1 = f(y);
      const k2 = f(y.add(k1.mul(h / 2)));
      const k3 = f(y.add(k2.mul(h / 2)));
      const k4 = f(y.add(k3.mul(h)));
      y = y.add(k1.add(k2.mul(2)).add(k3.mul(2)).add(k4).mul(h / 6));
    }
    return y;
  };

  /** One Dormand–Prince step: the 5th-order solution and the error estimate (5th − 4th order). */
  const dopriStep = (y: Tensor, h: number): [Tensor, Tensor] => {
    const k: Tensor[] = [];
    for (let s = 0; s < 7; s++) {
      let yi = y;
      AT[s]!.forEach((a, j) => { if (a !== 0) yi = yi.add(k[j]!.mul(a * h)); });
      k.push(f(yi));
    }
    let y5 = y, err = torch.zerosLike(y);
    for (let s = 0; s < 7; s++) {
      if (B5[s] !== 0) y5 = y5.add(k[s]!.mul(B5[s]! * h));
      err = err.add(k[s]!.mul((B5[s]! - B4[s]!) * h));
    }
    return [y5, err];
  };
  /** Adaptive step selection (rtol/atol as torchdiffeq's defaults scaled down): the accepted steps. */
  const dopriSchedule = async (y0: Tensor, rtol = 1e-7, atol = 1e-9): Promise<number[]> => {
    const hs: number[] = [];
    let t = 0, h = 0.1, y = y0, rejected = 0;
    while (t < T - 1e-12) {
      h = Math.min(h, T - t);
      const [yn, err] = dopriStep(y, h);
      const scale = y.abs().maximum(yn.abs()).mul(rtol).add(atol);
      const e = await err.div(scale).pow(2).mean().sqrt().itemAsync();
      if (e <= 1) {
        hs.push(h);
        t += h;
        y = yn;
      } else rejected++;
      h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(e, 1e-10), -1 / 5)));
    }
    console.log(`  Dormand–Prince: ${hs.length} accepted steps, ${rejected} rejected (h from ${Math.min(...hs).toFixed(4)} to ${Math.max(...hs).toFixed(4)})`);
    return hs;
  };

  const y0 = torch.tensor([0.5, -0.3, 0.8], opts);
  const hs = await dopriSchedule(y0);
  const dopri = (y: Tensor) => hs.reduce((acc, h) => dopriStep(acc, h)[0], y);

  const fd = (solve: (y: Tensor) => Tensor, y: Tensor, eps = 1e-6) => {
    const cols: Tensor[] = [];
    for (let j = 0; j < D; j++) {
      const e = torch.zeros([D], opts).indexPut_([torch.tensor([j], { dtype: 'int32' })], torch.tensor([eps], opts));
      cols.push(solve(y.add(e)).sub(solve(y.sub(e))).div(2 * eps));
    }
    return torch.stack(cols, 1); // J[i, j] = ∂y_i(T)/∂y0_j
  };

  let worst = 0;
  const report: string[] = [];
  for (const [name, solve] of [['RK4 (20 steps)', rk4], ['Dormand–Prince', dopri]] as const) {
    const Jr = func.jacrev(solve)(y0);
    const Jf = func.jacfwd(solve)(y0);
    const Jfd = fd(solve, y0);
    const [dR, dF, dRF] = await items([Jr.sub(Jfd).abs().max(), Jf.sub(Jfd).abs().max(), Jr.sub(Jf).abs().max()]) as [number, number, number];
    worst = Math.max(worst, dR, dF);
    report.push(`  ${name}: |jacrev − FD| = ${dR.toExponential(2)}, |jacfwd − FD| = ${dF.toExponential(2)}, |jacrev − jacfwd| = ${dRF.toExponential(2)}`);
  }
  const agree = await rk4(y0).sub(dopri(y0)).abs().max().itemAsync();
  console.log(`  f: tanh MLP ${D}→${H}→${D} (float64); y(0) = [${await y0.tolistAsync()}], y(T=${T}) = [${((await dopri(y0).tolistAsync()) as number[]).map((v) => v.toFixed(5))}]; |RK4 − DOPRI| = ${agree.toExponential(2)}`);
  report.forEach((l) => console.log(l));

  const Y0 = torch.randn([8, D], opts);
  const vm = func.vmap(dopri)(Y0);
  const looped = torch.stack([...Y0].map(dopri));
  const dV = await vm.sub(looped).abs().max().itemAsync();
  const Jb = func.vmap(func.jacrev(rk4))(Y0);
  const dJb = await Jb.sub(torch.stack([...Y0].map((y) => func.jacrev(rk4)(y)))).abs().max().itemAsync();
  console.log(`  vmap over 8 initial states: |vmap − loop| = ${dV.toExponential(2)} (solution), ${dJb.toExponential(2)} (vmap(jacrev) Jacobians)`);
  const ok = worst < 1e-7 && dV < 1e-12 && dJb < 1e-12 && agree < 1e-4;
  console.log(`  check: Jacobians within 1e-7 of finite differences, vmap = loop to 1e-12: ${ok ? 'OK' : 'FAILED'}`);
  return { ok, summary: `neural ODE (RK4, Dormand–Prince): jacrev/jacfwd vs FD ${worst.toExponential(1)}, vmap vs loop ${Math.max(dV, dJb).toExponential(1)}` };
}

export const section: Section = { title: 'Neural-ODE sensitivities: RK4 and Dormand–Prince through jacrev, jacfwd and vmap', run: () => run() };
