// Demo section: the Laplacian of a scalar MLP u: R → R (as in physics-informed networks), with
// vmap(grad(grad(u))): grad of grad is the second derivative at one point, vmap evaluates it at every
// point of a grid in one batched call. Checked against central finite differences. float64, so the
// finite differences themselves are accurate to ~1e-8.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn } = torch;

/** The 1→5→5→1 net of the torch.func docs: x ↦ lin3(tanh(lin2(lin1(x)))), a scalar per point. */
class SimpleNN extends nn.Module {
  declare seq: torch.nn.Sequential;
  constructor() {
    super();
    this.seq = new nn.Sequential(new nn.Linear(1, 5), new nn.Linear(5, 5), new nn.Tanh(), new nn.Linear(5, 1));
  }
  override forward(x: Tensor): Tensor {
    return (this.seq.call(x.reshape(-1, 1)) as Tensor).squeeze();
  }
}

// float64 on cpu ('webgpu' has none): the second differences divide rounding errors by h² = 1e-8,
// so float32 finite differences would be off by far more than the 1e-6 checked.
export const run = (opts: { seed?: number; points?: number } = {}) => onCpu('float64 finite differences', () => runFloat64(opts));

async function runFloat64({ seed = 0, points = 41 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const model = new SimpleNN().double();
  const params = Object.fromEntries([...model.namedParameters()].map(([k, v]) => [k, v.detach()]));
  // u(x) for a 0-d x gives a 0-d output, so grad applies directly.
  const u = (x: Tensor): Tensor => func.functionalCall(model, params, [x]) as Tensor;

  const xs = torch.linspace(-3, 3, points, { dtype: 'float64' });
  const t0 = performance.now();
  const d2 = func.vmap(func.grad(func.grad(u)))(xs) as Tensor; // u''(x) at every point
  const ms = performance.now() - t0;
  const d1 = func.vmap(func.grad(u))(xs) as Tensor;
  const values = u(xs);

  // Central differences, batched: (u(x+h) − 2u(x) + u(x−h)) / h² and (u(x+h) − u(x−h)) / 2h.
  const h = 1e-4;
  const up = u(xs.add(h));
  const um = u(xs.sub(h));
  const fd2 = up.sub(values.mul(2)).add(um).div(h * h);
  const fd1 = up.sub(um).div(2 * h);
  const err2 = await d2.sub(fd2).abs().max().itemAsync();
  const err1 = await d1.sub(fd1).abs().max().itemAsync();

  console.log(`  u: R → R, the 1→5→5→1 tanh MLP, float64; vmap(grad(grad(u))) at ${points} points of [-3, 3] in ${ms.toFixed(1)} ms`);
  console.log(`  ${['x', 'u(x)', "u'(x)", "u''(x)", "u'' by FD"].map((c) => c.padStart(10)).join('  ')}`);
  const rows = [0, 10, 20, 30, 40].filter((i) => i < points);
  const columns = (await Promise.all([xs, values, d1, d2, fd2].map((t) => t.tolistAsync()))) as number[][];
  for (const i of rows) console.log(`  ${columns.map((c) => c[i]!.toFixed(6).padStart(10)).join('  ')}`);
  const ok = err2 < 1e-6 && err1 < 1e-6;
  console.log(`  max |u'' − finite diff.| = ${err2.toExponential(2)}, max |u' − finite diff.| = ${err1.toExponential(2)} (goal < 1e-6) ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`Laplacian: autodiff and finite differences differ by ${err2} (first derivative ${err1})`);
  return { ok, summary: `Laplacian vmap(grad(grad(u))): max |u'' − FD| ${err2.toExponential(1)}` };
}

export const section: Section = { title: "torch.func: the Laplacian of a scalar MLP with vmap(grad(grad(u)))", run: () => run() };
