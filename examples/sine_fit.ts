// Demo section 1: fit f(x) = 2·sin(x + 2π) on [0, 2π] with a 1→16→16→1 tanh MLP.
// Everything is written against the tensor API alone: parameters are leaf tensors with requiresGrad,
// the loss is built from matmul/add/tanh, `loss.backward()` fills `.grad`, and Adam is a dozen lines
// of in-place updates under `torch.noGrad`, as one would write it by hand in PyTorch.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { trainWithProgress } from './progress.js';
import type { Section, SectionResult } from './section.js';

const TWO_PI = 2 * Math.PI;
const target = (x: Tensor) => x.add(TWO_PI).sin().mul(2);

/** PyTorch's nn.Linear default init: U(-1/√fanIn, 1/√fanIn) for weight and bias. */
function linearParams(fanIn: number, fanOut: number): [Tensor, Tensor] {
  const bound = 1 / Math.sqrt(fanIn);
  const w = torch.rand([fanIn, fanOut]).mul(2 * bound).sub(bound).requiresGrad_();
  const b = torch.rand([fanOut]).mul(2 * bound).sub(bound).requiresGrad_();
  return [w, b];
}

/** A plain Adam (Kingma & Ba), same defaults as torch.optim.Adam. */
function adam(params: Tensor[], { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8 } = {}) {
  const [b1, b2] = betas as [number, number];
  const m = params.map((p) => torch.zerosLike(p));
  const v = params.map((p) => torch.zerosLike(p));
  let t = 0;
  return {
    step() {
      t += 1;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      torch.noGrad(() => {
        params.forEach((p, i) => {
          const g = p.grad;
          if (g === null) return;
          m[i]!.mul_(b1).add_(g, { alpha: 1 - b1 });
          v[i]!.mul_(b2).addcmul_(g, g, { value: 1 - b2 });
          const denom = v[i]!.sqrt().div(Math.sqrt(bc2)).add(eps);
          p.addcdiv_(m[i]!, denom, { value: -lr / bc1 });
        });
      });
    },
    zeroGrad() {
      for (const p of params) p.grad = null;
    },
  };
}

export interface SineFitOptions {
  steps?: number;
  lr?: number;
  seed?: number;
  logEvery?: number;
}

export async function run(opts: SineFitOptions = {}): Promise<SectionResult> {
  const { steps = 2000, lr = 0.01, seed = 0, logEvery = 100 } = opts;
  torch.manualSeed(seed);

  // 256 evenly spaced training points; 200 held-out points drawn uniformly (almost surely off the grid).
  const xTrain = torch.linspace(0, TWO_PI, 256).unsqueeze(1); // [256, 1]
  const yTrain = target(xTrain);
  const xTest = torch.rand([200, 1]).mul(TWO_PI);
  const yTest = target(xTest);

  const [w1, b1] = linearParams(1, 16);
  const [w2, b2] = linearParams(16, 16);
  const [w3, b3] = linearParams(16, 1);
  const params = [w1, b1, w2, b2, w3, b3];
  const nParams = params.reduce((n, p) => n + p.numel(), 0);

  // Inputs are scaled to [-1, 1] so the first tanh layer starts in its useful range.
  const model = (x: Tensor) => {
    const z = x.div(Math.PI).sub(1);
    const h1 = z.matmul(w1).add(b1).tanh();
    const h2 = h1.matmul(w2).add(b2).tanh();
    return h2.matmul(w3).add(b3);
  };
  const mse = (pred: Tensor, y: Tensor) => pred.sub(y).square().mean();

  console.log(`  MLP 1→16→16→1 (tanh), ${nParams} parameters, float32; ${xTrain.size(0)} training points, full batch`);
  console.log(`  Adam lr=${lr}, ${steps} steps, seed ${seed}`);

  const opt = adam(params, { lr });
  const t0 = performance.now();
  const losses = await trainWithProgress(steps, logEvery, 'training', () => {
    const loss = mse(model(xTrain), yTrain);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  });
  const last = losses[losses.length - 1]!;
  const secs = (performance.now() - t0) / 1000;

  const testLoss = await torch.noGrad(() => mse(model(xTest), yTest)).itemAsync();
  const ok = testLoss < 0.01;
  console.log(`  trained in ${secs.toFixed(1)} s (${((secs * 1000) / steps).toFixed(2)} ms/step)`);
  console.log(`  final train loss ${last.toExponential(3)}, test loss on ${xTest.size(0)} held-out points ${testLoss.toExponential(3)} (goal < 1e-2) ${ok ? 'OK' : 'FAILED'}`);
  return { ok, summary: `sine fit: test MSE ${testLoss.toExponential(2)} (< 1e-2 required)` };
}

export const section: Section = { title: 'Fit 2·sin(x + 2π) with a tanh MLP, hand-written Adam', run: () => run() };
