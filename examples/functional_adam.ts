// Demo section: the sine fit again, written the torch.func / torchopt way. The model is an nn.Module
// used as a pure function of its parameters (func.functionalCall), the optimizer is optim.functional's
// Adam driven by a FuncOptimizer, and training is the loop
//     loss = mse(functionalCall(model, params, x), y);  params = optimizer.step(loss, params)
// which returns new parameter tensors instead of updating any in place.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { trainWithProgress } from './progress.js';
import type { Section, SectionResult } from './section.js';

const { func, nn, optim } = torch;
type Params = Record<string, Tensor>;

const TWO_PI = 2 * Math.PI;
const target = (x: Tensor) => x.add(TWO_PI).sin().mul(2);

/** 1→16→16→1 tanh MLP; inputs in [0, 2π] are scaled to [-1, 1] first. */
class SineMLP extends nn.Module {
  declare net: torch.nn.Sequential;
  constructor() {
    super();
    this.net = new nn.Sequential(new nn.Linear(1, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 1));
  }
  override forward(x: Tensor): Tensor {
    return this.net.call(x.div(Math.PI).sub(1)) as Tensor;
  }
}

export async function run({ steps = 2000, lr = 0.01, seed = 0, logEvery = 250 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const xTrain = torch.linspace(0, TWO_PI, 256).unsqueeze(1); // [256, 1]
  const yTrain = target(xTrain);
  const xTest = torch.rand([200, 1]).mul(TWO_PI);
  const yTest = target(xTest);

  const model = new SineMLP();
  // The parameters live outside the module, as a plain dict of leaf tensors.
  let params: Params = Object.fromEntries([...model.namedParameters()].map(([k, v]) => [k, v.detach().requiresGrad_()]));
  const mse = (p: Params, x: Tensor, y: Tensor) => (func.functionalCall(model, p, [x]) as Tensor).sub(y).square().mean();
  console.log(`  SineMLP (nn.Module) 1→16→16→1 tanh, params {${Object.keys(params).join(', ')}}`);
  console.log(`  optim.functional.adam({ lr: ${lr} }) in a FuncOptimizer (createGraph: false: plain training, no meta-gradients), ${steps} steps`);

  const optimizer = new optim.functional.FuncOptimizer(optim.functional.adam({ lr }), { createGraph: false });
  const t0 = performance.now();
  await trainWithProgress(steps, logEvery, 'training', () => {
    const loss = mse(params, xTrain, yTrain);
    params = optimizer.step(loss, params);
    // The new params are p + update, so they still hang off the old ones; cut that link so that
    // each step's graph stays one step long (torchopt's examples do the same).
    params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.detach().requiresGrad_()]));
    return loss;
  });
  const secs = (performance.now() - t0) / 1000;
  const testLoss = await torch.noGrad(() => mse(params, xTest, yTest)).itemAsync();
  const ok = testLoss < 0.01;
  console.log(`  trained in ${secs.toFixed(1)} s (${((secs * 1000) / steps).toFixed(2)} ms/step); Adam state after: count ${(optimizer.state as { count: number }[])[0]?.count}`);
  console.log(`  test loss on ${xTest.size(0)} held-out points ${testLoss.toExponential(3)} (goal < 1e-2) ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`functional Adam sine fit: test loss ${testLoss} ≥ 0.01`);
  return { ok, summary: `sine fit with functionalCall + FuncOptimizer(adam): test MSE ${testLoss.toExponential(2)} (< 1e-2 required)` };
}

export const section: Section = { title: 'optim.functional: the sine fit with functionalCall and FuncOptimizer(adam)', run: () => run() };
