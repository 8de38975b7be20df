// Demo section: MAML (Finn et al., 2017) for few-shot sine regression, with torch.func.
// A task is y = A·sin(x + φ), A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [-5, 5]. Adapting to a task is a few SGD
// steps written functionally, p ← p − α·∇L_support(p), on K = 10 support points; the meta-loss is
// the loss on held-out query points after adapting, averaged over a meta-batch of tasks (vmapped).
// func.grad of the meta-loss flows back through the inner steps (second order), and the meta-params
// are updated by optim.functional's Adam. Afterwards, adapting the meta-learned init to new tasks
// must beat adapting a random init.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { progress } from './progress.js';
import { items } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn, optim } = torch;
const F = optim.functional;
type Params = Record<string, Tensor>;

const K = 10; // support points per task (10-shot)
const Q = 10; // query points per task during meta-training

class Regressor extends nn.Module {
  declare net: torch.nn.Sequential;
  constructor() {
    super();
    this.net = new nn.Sequential(new nn.Linear(1, 40), new nn.ReLU(), new nn.Linear(40, 40), new nn.ReLU(), new nn.Linear(40, 1));
  }
  override forward(x: Tensor): Tensor {
    return this.net.call(x) as Tensor;
  }
}

/** `n` tasks with `m` points each: x [n, m, 1], y [n, m, 1]; also the amplitudes and phases. */
function sampleTasks(n: number, m: number, amp?: Tensor, phase?: Tensor) {
  const A = amp ?? torch.rand([n, 1, 1]).mul(4.9).add(0.1);
  const phi = phase ?? torch.rand([n, 1, 1]).mul(Math.PI);
  const x = torch.rand([n, m, 1]).mul(10).sub(5);
  return { x, y: x.add(phi).sin().mul(A), A, phi };
}

export interface MamlOptions {
  metaSteps?: number;
  metaBatch?: number;
  innerSteps?: number;
  innerLr?: number;
  metaLr?: number;
  seed?: number;
  logEvery?: number;
}

export async function run(opts: MamlOptions = {}): Promise<SectionResult> {
  const { metaSteps = 2000, metaBatch = 10, innerSteps = 1, innerLr = 0.01, metaLr = 3e-3, seed = 0, logEvery = 250 } = opts;
  torch.manualSeed(seed);
  const model = new Regressor();
  const detached = (m: torch.nn.Module): Params => Object.fromEntries([...m.namedParameters()].map(([k, v]) => [k, v.detach()]));

  const mse = (p: Params, x: Tensor, y: Tensor) => (func.functionalCall(model, p, [x]) as Tensor).sub(y).square().mean();
  /** `steps` functional SGD steps on (x, y), differentiable w.r.t. the starting params. */
  const adapt = (p: Params, x: Tensor, y: Tensor, steps: number): Params => {
    for (let s = 0; s < steps; s++) {
      const g = func.grad(mse)(p, x, y) as Params;
      p = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.sub(g[k]!.mul(innerLr))]));
    }
    return p;
  };
  /** One task's MAML loss: adapt on the support set, evaluate on the query set. */
  const taskLoss = (p: Params, xs: Tensor, ys: Tensor, xq: Tensor, yq: Tensor) => mse(adapt(p, xs, ys, innerSteps), xq, yq);
  /** The meta-loss: the mean over a meta-batch of tasks (vmapped over the tasks). */
  const metaLoss = (p: Params, xs: Tensor, ys: Tensor, xq: Tensor, yq: Tensor) =>
    (func.vmap(taskLoss, { inDims: [null, 0, 0, 0, 0] })(p, xs, ys, xq, yq) as Tensor).mean();
  const metaGrad = func.gradAndValue(metaLoss);

  let meta = detached(model);

  // Check once: the meta-gradient through vmap over the tasks equals the mean of the per-task
  // meta-gradients taken one task at a time (grad of vmap of grad, against a loop of grad of grad).
  const t = sampleTasks(metaBatch, K + Q);
  const split = (v: Tensor): [Tensor, Tensor] => [v.index(':', `:${K}`), v.index(':', `${K}:`)];
  const [[xs0, xq0], [ys0, yq0]] = [split(t.x), split(t.y)];
  const [gVmap] = metaGrad(meta, xs0, ys0, xq0, yq0) as [Params, Tensor];
  const perTask = Array.from({ length: metaBatch }, (_, i) => func.grad(taskLoss)(meta, xs0.index(i), ys0.index(i), xq0.index(i), yq0.index(i)) as Params);
  const dMeta = Math.max(0, ...(await items(Object.keys(meta).map((k) => gVmap[k]!.sub(torch.stack(perTask.map((g) => g[k]!)).mean(0)).abs().max()))));

  const tx = F.adam({ lr: metaLr });
  let state = tx.init(meta);
  console.log(`  regressor 1→40→40→1 (relu); tasks y = A·sin(x + φ); ${K}-shot support, ${Q} query points`);
  console.log(`  inner loop: ${innerSteps} SGD step(s), α = ${innerLr}, inside the meta-loss; meta-batch ${metaBatch} tasks (vmapped), ${metaSteps} meta-steps of adam({ lr: ${metaLr} })`);
  console.log(`  meta-gradient via vmap over ${metaBatch} tasks vs a loop over the tasks: max |Δ| = ${dMeta.toExponential(2)}`);

  const bar = progress(metaSteps, 'meta-training');
  const t0 = performance.now();
  const trend: number[] = [];
  let window: number[] = [];
  try {
    for (let k = 1; k <= metaSteps; k++) {
      const t = sampleTasks(metaBatch, K + Q);
      const xs = t.x.index(':', `:${K}`);
      const ys = t.y.index(':', `:${K}`);
      const xq = t.x.index(':', `${K}:`);
      const yq = t.y.index(':', `${K}:`);
      const [g, value] = metaGrad(meta, xs, ys, xq, yq) as [Params, Tensor];
      const [updates, next] = tx.update(g, state, meta);
      meta = F.applyUpdates(meta, updates);
      state = next;
      const v = await value.itemAsync();
      if (!Number.isFinite(v)) throw new Error(`meta-loss became ${v} at step ${k}`);
      window.push(v);
      if (k % logEvery === 0) {
        const avg = window.reduce((a, b) => a + b, 0) / window.length;
        trend.push(avg);
        bar.log(`  meta-step ${String(k).padStart(4)}  meta-loss (mean of the last ${window.length}) ${avg.toFixed(3)}`);
        window = [];
      }
      if (k % 10 === 0) {
        bar.update(k, { loss: v.toFixed(3) });
        await bar.yield();
      }
    }
  } finally {
    bar.stop();
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`  meta-trained in ${secs.toFixed(1)} s (${((secs * 1000) / metaSteps).toFixed(1)} ms per meta-step)`);

  // Evaluation on new tasks: adapt with K = 10 points, measure the MSE on 100 points of the task.
  const evalTasks = 25;
  const evalSteps = [0, 1, 5, 10];
  torch.manualSeed(seed + 1000);
  const support = sampleTasks(evalTasks, K);
  const query = sampleTasks(evalTasks, 100, support.A, support.phi);
  const random = detached(new Regressor()); // a fresh random init, same architecture
  const evaluate = async (init: Params) => {
    const means: number[] = [];
    for (const n of evalSteps) {
      const losses = Array.from({ length: evalTasks }, (_, i) => {
        const p = adapt(init, support.x.index(i), support.y.index(i), n);
        return torch.noGrad(() => mse(p, query.x.index(i), query.y.index(i)));
      });
      means.push((await items(losses)).reduce((a, b) => a + b, 0) / evalTasks);
    }
    return means;
  };
  const fromMeta = await evaluate(meta);
  const fromRandom = await evaluate(random);
  console.log(`  new tasks (${evalTasks}), adapted on ${K} points, MSE on 100 points of each, after n SGD steps (α = ${innerLr}):`);
  console.log(`    n                  ${evalSteps.map((n) => String(n).padStart(7)).join('')}`);
  console.log(`    MAML init          ${fromMeta.map((v) => v.toFixed(3).padStart(7)).join('')}`);
  console.log(`    random init        ${fromRandom.map((v) => v.toFixed(3).padStart(7)).join('')}`);

  const last = evalSteps.length - 1;
  const metaImproved = trend.length >= 2 && trend[trend.length - 1]! < trend[0]!;
  const ok = fromMeta[last]! < fromRandom[last]! && metaImproved && dMeta < 1e-5;
  console.log(`  check: after ${evalSteps[last]} steps MAML ${fromMeta[last]!.toFixed(3)} < random ${fromRandom[last]!.toFixed(3)}, meta-loss fell ${trend[0]!.toFixed(3)} → ${trend[trend.length - 1]!.toFixed(3)}, meta-gradient check < 1e-5: ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`MAML: adapted loss from the meta-learned init ${fromMeta[last]} vs random init ${fromRandom[last]}; meta-loss trend ${trend.map((v) => v.toFixed(3))}; meta-gradient vmap vs loop ${dMeta}`);
  return { ok, summary: `MAML sine, ${K}-shot, ${evalSteps[last]} steps: MSE ${fromMeta[last]!.toFixed(3)} from the meta-learned init vs ${fromRandom[last]!.toFixed(3)} from a random one` };
}

export const section: Section = { title: 'optim.functional + torch.func: MAML few-shot sine regression', run: () => run() };
