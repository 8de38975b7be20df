// torch.compile rows, written as a user writes them: the elementwise chain compiled (one fused
// kernel; jax-js runs its eager ops as in the elementwise section), the MLP training step with
// nn.Sequential + CrossEntropyLoss + Adam compiled as a whole, and the seed's per-sample gradients
// compiled (jax-js: jit). Tracing happens in setup, so the rows time cache hits; the notes give the
// compile time and the fixed cost of a cache hit.
import * as torch from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { type Case, type Row, type Section } from '../harness.js';
import { elementwiseCase } from './elementwise.js';
import { mlpModuleStepFn, perSampleSeedFn } from './user_code.js';
import { C, D, H, jaxStepSetup } from './mlp.js';
import { jaxSetup } from './per_sample.js';

const ms = { unit: 'ms', better: 'lower' as const, metric: (s: number) => s * 1e3 };
const figures: { stepCompileMs?: number; perSampleCompileMs?: number } = {};

function tanhChain(n: number): Case {
  const eager = elementwiseCase(n, '1e7');
  return {
    ...eager,
    name: `compiled tanh(x)·2+1, 1e7 float32 (torchfn: compile, one fused kernel; jax-js: eager ops)`,
    setup: {
      torchfn: () => {
        torch.manualSeed(2);
        const x = torch.randn([n]);
        const f = torch.compile((v: Tensor) => v.tanh().mul(2).add(1));
        f(x).dispose();
        return { run: () => void f(x).dispose() };
      },
      'jax-js': eager.setup['jax-js'],
    },
  };
}

export function mlpCompiledStep() {
  const step = torch.compile(mlpModuleStepFn());
  step();
  figures.stepCompileMs = step.compileInfo.latest?.compileMs;
  step();
  return { run: () => void step() };
}

function perSampleCompiled(batch: number) {
  return () => {
    const { perSample, args } = perSampleSeedFn(batch);
    const compiled = torch.compile(perSample);
    compiled(...args);
    figures.perSampleCompileMs = compiled.compileInfo.latest?.compileMs;
    return { run: () => void compiled(...args) };
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
