// torch.compile rows, written as a user writes them: the elementwise chain compiled (one fused
// kernel; jax-js runs its eager ops as in the elementwise section), the MLP training step with
// nn.Sequential + CrossEntropyLoss + Adam compiled as a whole, and the seed's per-sample gradients
// compiled (jax-js: jit). Tracing happens in setup, so the rows time cache hits; the notes give the
// compile time and the fixed cost of a cache hit.
import * as torch from '../../src/index.js';
import { nn, optim, type Tensor } from '../../src/index.js';
import { jax, randomArray, type Case, type Row, type Section } from '../harness.js';
import { C, D, H, jaxStepSetup, mlpProblem } from './mlp.js';
import { jaxSetup } from './per_sample.js';

const ms = { unit: 'ms', better: 'lower' as const, metric: (s: number) => s * 1e3 };
const figures: { stepCompileMs?: number; perSampleCompileMs?: number } = {};

function tanhChain(n: number): Case {
  return {
    name: `compiled tanh(x)·2+1, 1e7 float32 (torchfn: compile, one fused kernel; jax-js: eager ops)`,
    unit: 'GB/s',
    better: 'higher',
    metric: (s) => (8 * n) / s / 1e9,
    setup: {
      torchfn: () => {
        torch.manualSeed(2);
        const x = torch.randn([n]);
        const f = torch.compile((v: Tensor) => v.tanh().mul(2).add(1));
        f(x).dispose();
        return { run: () => void f(x).dispose() };
      },
      'jax-js': () => {
        const np = jax.numpy;
        const x = np.array(randomArray(n, 3));
        return {
          run: async () => (await jax.blockUntilReady(np.tanh(x.ref).mul(2).add(1))).dispose(),
          dispose: () => x.dispose(),
        };
      },
    },
  };
}

function mlpCompiledStep() {
  const B = 256;
  const p = mlpProblem(B);
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(D, H), new nn.ReLU(), new nn.Linear(H, C));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = torch.tensor(p.x, { shape: [B, D] });
  const y = torch.tensor(p.y);
  const step = torch.compile((xb: Tensor, yb: Tensor) => {
    opt.zeroGrad();
    const loss = lossFn.call(model.call(xb) as Tensor, yb);
    loss.backward();
    opt.step();
    return loss;
  });
  step(x, y);
  figures.stepCompileMs = step.compileInfo.latest?.compileMs;
  step(x, y);
  return { run: () => void step(x, y) };
}

function perSampleCompiled(batch: number) {
  return () => {
    const p = mlpProblem(batch, 5);
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(D, H), new nn.ReLU(), new nn.Linear(H, C));
    const params = Object.fromEntries(model.namedParameters());
    const x = torch.tensor(p.x, { shape: [batch, D] });
    const y = torch.tensor(p.y);
    const lossOne = (ps: Record<string, Tensor>, xi: Tensor, yi: Tensor) =>
      torch.crossEntropy(torch.func.functionalCall(model, ps, [xi.unsqueeze(0)]) as Tensor, yi.unsqueeze(0));
    const perSample = torch.compile(torch.func.vmap(torch.func.grad(lossOne), { inDims: [null, 0, 0] }));
    perSample(params, x, y);
    figures.perSampleCompileMs = perSample.compileInfo.latest?.compileMs;
    return { run: () => void perSample(params, x, y) };
  };
}

/** µs per call of a compiled one-op function on a 1-element tensor (a cache hit), and of the eager op. */
function hitOverhead(): [number, number] {
  const s = torch.randn([1]);
  const f = torch.compile((v: Tensor) => v.add(1));
  f(s);
  const time = (g: () => unknown) => {
    for (let i = 0; i < 2000; i++) g();
    const t0 = performance.now();
    for (let i = 0; i < 20000; i++) g();
    return ((performance.now() - t0) / 20000) * 1000;
  };
  return [time(() => f(s)), time(() => s.add(1))];
}

export const section: Section = {
  id: 'compiled',
  title: 'torch.compile',
  cases: (): Case[] => [
    tanhChain(1e7),
    {
      name: `compiled MLP ${D}→${H}→${C} train step, batch 256: compile(zeroGrad, nn.Sequential + CrossEntropyLoss, backward, Adam.step) (jax-js: jit SGD step)`,
      ...ms, budgetMs: 2000, setup: { torchfn: mlpCompiledStep, 'jax-js': jaxStepSetup },
    },
    {
      name: 'compiled per-sample grads, seed code (compile(vmap(grad)) over nn.Sequential + functionalCall), batch 64 (jax-js: jit(vmap(grad)))',
      ...ms, budgetMs: 2000, setup: { torchfn: perSampleCompiled(64), 'jax-js': jaxSetup(64, 'vmap') },
    },
  ],
};

/** Lines for under the table: compile times and the cost of a cache hit. */
export function notes(rows: readonly Row[]): string[] {
  if (!rows.some((r) => r.section === section.title)) return [];
  const [hit, op] = hitOverhead();
  const f = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} ms`);
  return [
    `torch.compile: tracing and optimizing took ${f(figures.stepCompileMs)} for the MLP train step and ${f(figures.perSampleCompileMs)} for the per-sample gradients; a cache hit of a one-op function costs ${hit.toFixed(1)} µs per call against ${op.toFixed(1)} µs for the eager op.`,
  ];
}
