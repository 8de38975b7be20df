// Rows written as a PyTorch user writes them (nn.Module, functionalCall, optimizers), not on
// hand-laid tensors: the MLP step with nn.Sequential + nn.CrossEntropyLoss + optim.Adam, the seed's
// per-sample gradients (an nn.Sequential of nn.Linear through functionalCall under vmap(grad)), beside
// TF.js-WASM's loop and jax-js's jit(vmap(grad)) of the per_sample section, and a training step of
// the digits CNN. jax-js's figure in the MLP row is its jit-compiled SGD step
// (mlp section): a cheaper update than Adam, so the comparison leans its way.
import * as torch from '../../src/index.js';
import { nn, optim, type Tensor } from '../../src/index.js';
import { makeDigitsCNN, loadDigits } from '../../examples/digits_cnn.js';
import { type Case, type Section } from '../harness.js';
import { C, D, H, jaxStepSetup, mlpProblem } from './mlp.js';
import { jaxSetup, tfjsSetup } from './per_sample.js';

const B = 256;

/** The MLP training step as a user writes it: nn.Sequential, nn.CrossEntropyLoss, optim.Adam. */
export function mlpModuleStepFn(): () => Tensor {
  const p = mlpProblem(B);
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(D, H), new nn.ReLU(), new nn.Linear(H, C));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = torch.tensor(p.x, { shape: [B, D] });
  const y = torch.tensor(p.y);
  return () => {
    opt.zeroGrad();
    const loss = lossFn.call(model.call(x), y) as Tensor;
    loss.backward();
    opt.step();
    return loss;
  };
}

export function mlpModuleStep() {
  const step = mlpModuleStepFn();
  return { run: () => void step() };
}

/** The seed's per-sample gradients (nn.Sequential of nn.Linear through functionalCall, vmap(grad)) and their arguments. */
export function perSampleSeedFn(batch: number) {
  const p = mlpProblem(batch, 5);
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(D, H), new nn.ReLU(), new nn.Linear(H, C));
  const params = Object.fromEntries(model.namedParameters());
  const x = torch.tensor(p.x, { shape: [batch, D] });
  const y = torch.tensor(p.y);
  const lossOne = (ps: Record<string, Tensor>, xi: Tensor, yi: Tensor) =>
    torch.crossEntropy(torch.func.functionalCall(model, ps, [xi.unsqueeze(0)]) as Tensor, yi.unsqueeze(0));
  const perSample = torch.func.vmap(torch.func.grad(lossOne), { inDims: [null, 0, 0] });
  return { perSample, args: [params, x, y] as const };
}

export function perSampleSeed(batch: number) {
  return () => {
    const { perSample, args } = perSampleSeedFn(batch);
    return { run: () => void perSample(...args) };
  };
}

function cnnStep() {
  const data = loadDigits();
  torch.manualSeed(0);
  const model = makeDigitsCNN();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const xb = data.xTrain.index('0:64');
  const yb = data.yTrain.index('0:64');
  return {
    run() {
      opt.zeroGrad();
      torch.crossEntropy(model.call(xb) as Tensor, yb).backward();
      opt.step();
    },
  };
}

const ms = { unit: 'ms', better: 'lower' as const, metric: (s: number) => s * 1e3 };

export const section: Section = {
  id: 'user_code',
  title: 'user-written code',
  cases: (): Case[] => [
    { name: `MLP ${D}→${H}→${C} train step, batch ${B}: nn.Sequential + CrossEntropyLoss + Adam (jax-js: jit SGD step)`, ...ms, budgetMs: 2000, setup: { torchfn: mlpModuleStep, 'jax-js': jaxStepSetup } },
    ...[64, 256].map((b) => ({
      name: `per-sample grads, seed code (nn.Sequential + functionalCall, vmap(grad)), batch ${b} (TF.js: loop of tf.grads; jax-js: jit(vmap(grad)))`,
      ...ms,
      budgetMs: 2000,
      setup: { torchfn: perSampleSeed(b), 'tfjs-wasm': tfjsSetup(b, 'tfjs-wasm', false), 'jax-js': jaxSetup(b, 'vmap') },
    })),
    { name: 'digits CNN train step (conv2d, maxPool2d, linear; Adam), batch 64', ...ms, budgetMs: 2000, setup: { torchfn: cnnStep } },
  ],
};
