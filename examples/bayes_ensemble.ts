// Demo section: a Bayesian ensemble. S weight samples of a small MLP are drawn around a mean
// (w = μ + σ·ε), and nested vmap — over the samples (outer) and over the inputs (inner, one example
// at a time) — gives every prediction; their mean and variance over the samples are the predictive
// mean and variance. Checked against a double loop.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { items, onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func } = torch;
const S = 16, N = 24, IN = 2, H = 12;
type W = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
const opts = { dtype: 'float64' } as const;

// float64 on cpu ('webgpu' has none): nested vmap is checked against a double loop to 1e-12.
export const run = (opts: { seed?: number } = {}) => onCpu('float64, checked to 1e-12', () => runFloat64(opts));

async function runFloat64({ seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const mu: W = { w1: torch.randn([H, IN], opts), b1: torch.randn([H], opts).mul(0.1), w2: torch.randn([1, H], opts).mul(0.3), b2: torch.zeros([1], opts) };
  const sigma = 0.2;
  const samples = Object.fromEntries(Object.entries(mu).map(([k, v]) => [k, v.unsqueeze(0).add(torch.randn([S, ...v.shape], opts).mul(sigma))])) as W;
  const x = torch.linspace(-3, 3, N, opts).unsqueeze(1).mul(torch.tensor([1, -0.5], opts)); // [N, 2]

  // One weight sample, one input → one scalar prediction.
  const predict = (w: W, xi: Tensor) => xi.matmul(w.w1.mT).add(w.b1).tanh().matmul(w.w2.mT).add(w.b2).squeeze(0);
  const all = func.vmap(func.vmap(predict, { inDims: [null, 0] }), { inDims: [0, null] })(samples, x); // [S, N]
  const mean = all.mean(0);
  const variance = all.var({ dim: 0, correction: 0 });

  const rows: Tensor[] = [];
  for (let s = 0; s < S; s++) {
    const ws = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, (v as Tensor).index(s)])) as W;
    rows.push(torch.stack([...x].map((xi) => predict(ws, xi))));
  }
  const loop = torch.stack(rows);
  const [dAll, dMean, dVar] = (await items([
    all.sub(loop).abs().max(),
    mean.sub(loop.mean(0)).abs().max(),
    variance.sub(loop.var({ dim: 0, correction: 0 })).abs().max(),
  ])) as [number, number, number];
  const v = (await variance.tolistAsync()) as number[];
  console.log(`  ${S} weight samples of an MLP ${IN}→${H}→1 (σ = ${sigma}); ${N} inputs; vmap(vmap(predict)) → [${all.shape.join(', ')}]`);
  console.log(`  predictive variance at x[0], x[mid], x[end]: ${v[0]!.toFixed(4)}, ${v[N >> 1]!.toFixed(4)}, ${v[N - 1]!.toFixed(4)}`);
  console.log(`  max |vmap − loop|: predictions ${dAll.toExponential(2)}, mean ${dMean.toExponential(2)}, variance ${dVar.toExponential(2)}`);
  const ok = dAll < 1e-12 && dMean < 1e-12 && dVar < 1e-12 && Math.min(...v) > 0;
  console.log(`  check: nested vmap = double loop to 1e-12, variances positive: ${ok ? 'OK' : 'FAILED'}`);
  return { ok, summary: `Bayesian ensemble (${S} samples × ${N} inputs): nested vmap mean/variance vs loop ${Math.max(dAll, dMean, dVar).toExponential(1)}` };
}

export const section: Section = { title: 'Bayesian ensemble: predictive mean and variance with nested vmap', run: () => run() };
