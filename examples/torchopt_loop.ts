// Demo section: the torchopt loop as the seed writes it —
//     optimizer = FuncOptimizer(adam());  params = optimizer.step(loss, params)
// with the default options, for 500 steps. Each step's backward walks only the nodes between this
// step's loss and its params (PyTorch executes only what the requested gradients need), so the work
// per step is flat: the kernels launched by step 500 equal those of step 10, and the time per step
// does not grow.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { items } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn, optim } = torch;
type Params = Record<string, Tensor>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kernelTotal = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

export async function run({ steps = 500, seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(8, 32), new nn.Tanh(), new nn.Linear(32, 1));
  const x = torch.randn(64, 8);
  const y = x.sum(1, true).sin();
  let params: Params = Object.fromEntries(model.namedParameters());
  const optimizer = new optim.functional.FuncOptimizer(optim.functional.adam({ lr: 1e-2 }));
  const lossOf = (p: Params) => (func.functionalCall(model, p, [x]) as Tensor).sub(y).square().mean();

  const ms: number[] = [];
  const kernels: number[] = [];
  let firstLoss: Tensor | null = null;
  let lastLoss: Tensor | null = null;
  for (let step = 0; step < steps; step++) {
    const t0 = performance.now();
    const [loss, counts] = torch.countKernels(() => {
      const l = lossOf(params);
      params = optimizer.step(l, params);
      return l;
    });
    ms.push(performance.now() - t0);
    kernels.push(kernelTotal(counts));
    if (step === 0) firstLoss = loss;
    lastLoss = loss;
  }
  const [first, last] = (await items([firstLoss!, lastLoss!])) as [number, number];
  const early = median(ms.slice(50, 150));
  const late = median(ms.slice(steps - 100));
  console.log(`  loss ${first.toFixed(4)} → ${last.toFixed(4)}; kernels per step: step 10 ${kernels[10]}, step ${steps} ${kernels[steps - 1]}`);
  console.log(`  median ms per step: steps 50–150 ${early.toFixed(2)}, last 100 ${late.toFixed(2)} (ratio ${(late / early).toFixed(2)})`);
  // The kernel count is the exact check; the time ratio is loose because this machine's timings move.
  const ok = kernels[10] === kernels[steps - 1] && late < 2 * early && last < 0.5 * first;
  return { ok, summary: `torchopt loop, ${steps} steps: ${kernels[steps - 1]} kernels per step at the end as at step 10, median step ${early.toFixed(2)} → ${late.toFixed(2)} ms` };
}

export const section: Section = { title: 'The torchopt loop: FuncOptimizer(adam), 500 steps at a flat cost per step', run };
