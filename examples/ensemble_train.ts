// Demo section: training an ensemble of 8 digit classifiers in ONE vmap. The models' parameters are
// stacked (stackModuleState) and a whole training step — per-model loss, func.grad, the
// optim.functional Adam update and applyUpdates — is written for one model and vmapped over the model
// dim. Each model starts from its own random init and sees its own random minibatch every step.
// optim.functional.vmapDims gives the in/out dims of Adam's state (tensors: dim 0; the step count:
// shared). Checked against training one model alone on the same minibatches.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadDigits } from './digits.js';
import { progress } from './progress.js';
import { items } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn, optim } = torch;
const F = optim.functional;
type Params = Record<string, Tensor>;

const M = 8; // models
const B = 32; // minibatch per model
const N_TRAIN = 1500; // the rest of the 1797 digits are held out

export async function run({ steps = 300, lr = 0.01, seed = 0, logEvery = 50, replaySteps = 20 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const digits = loadDigits();
  const xAll = digits.images.flatten(1); // [1797, 64]
  const xTrain = xAll.index(`:${N_TRAIN}`);
  const yTrain = digits.labels.index(`:${N_TRAIN}`);
  const xTest = xAll.index(`${N_TRAIN}:`);
  const yTest = digits.labels.index(`${N_TRAIN}:`);

  const makeModel = () => new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10));
  const base = makeModel();
  const [stacked] = func.stackModuleState(Array.from({ length: M }, makeModel));
  // Plain tensors (no autograd history outside the transforms): the step returns fresh ones.
  let params: Params = Object.fromEntries(Object.entries(stacked).map(([k, v]) => [k, v.detach()]));

  const loss = (p: Params, x: Tensor, y: Tensor) => torch.crossEntropy(func.functionalCall(base, p, [x]) as Tensor, y);
  const tx = F.adam({ lr });
  // One model's step; vmapped below.
  const stepOne = (p: Params, s: unknown[], x: Tensor, y: Tensor): [Params, unknown[], Tensor] => {
    const [g, value] = func.gradAndValue(loss)(p, x, y) as [Params, Tensor];
    const [updates, next] = tx.update(g, s, p);
    return [F.applyUpdates(p, updates), next, value];
  };
  let state = tx.init(params);
  const dims = F.vmapDims(state);
  const step = func.vmap(stepOne, { inDims: [0, dims, 0, 0], outDims: [0, dims, 0] });
  // Every model on the whole training set / test set: [M] losses, [M, n, 10] logits.
  const lossAll = func.vmap(loss, { inDims: [0, null, null] });
  const logitsAll = func.vmap((p: Params, x: Tensor) => func.functionalCall(base, p, [x]) as Tensor, { inDims: [0, null] });

  const fmt = async (t: Tensor) => [...(await t.data())].map((v) => v.toFixed(3)).join(' ');
  const initial = torch.noGrad(() => lossAll(params, xTrain, yTrain));
  console.log(`  ${M} MLPs 64→32→10 (relu) stacked to ${Object.entries(params).map(([k, v]) => `${k} [${v.shape.join('×')}]`).join(', ')}`);
  console.log(`  one vmapped step = gradAndValue + adam({ lr: ${lr} }) update + applyUpdates for all ${M}; ${steps} steps, each model its own minibatch of ${B} from ${N_TRAIN} digits`);
  console.log(`  initial training losses: ${await fmt(initial)}`);

  const batches: Tensor[] = []; // kept for the replay check
  const bar = progress(steps, 'training');
  const t0 = performance.now();
  try {
    for (let k = 1; k <= steps; k++) {
      const idx = torch.randint(0, N_TRAIN, [M, B]);
      if (k <= replaySteps) batches.push(idx);
      const flat = idx.flatten();
      const xs = xTrain.indexSelect(0, flat).reshape(M, B, 64);
      const ys = yTrain.indexSelect(0, flat).reshape(M, B);
      let values: Tensor;
      [params, state, values] = step(params, state, xs, ys);
      if (k % logEvery === 0 || k === 1) bar.log(`  step ${String(k).padStart(4)}  minibatch losses ${await fmt(values)}`);
      if (k % 10 === 0) {
        bar.update(k, { loss: (await values.mean().itemAsync()).toExponential(2) });
        await bar.yield();
      }
    }
  } finally {
    bar.stop();
  }
  const secs = (performance.now() - t0) / 1000;

  const final = torch.noGrad(() => lossAll(params, xTrain, yTrain));
  const logits = torch.noGrad(() => logitsAll(params, xTest)); // [M, nTest, 10]
  const accEach = logits.argmax(-1).eq(yTest.unsqueeze(0)).float().mean(1);
  const accEnsemble = await logits.softmax(-1).mean(0).argmax(-1).eq(yTest).float().mean().itemAsync();
  console.log(`  trained in ${secs.toFixed(1)} s (${((secs * 1000) / steps).toFixed(2)} ms per step of all ${M} models)`);
  console.log(`  final training losses:   ${await fmt(final)}`);
  console.log(`  held-out accuracy (${yTest.size(0)} digits): members ${await fmt(accEach)}; ensemble (mean softmax) ${accEnsemble.toFixed(3)}`);

  // Replay: model 3 trained alone (no vmap) on the same first minibatches ends where its slice did.
  const m = 3;
  torch.manualSeed(seed);
  const [again] = func.stackModuleState(Array.from({ length: M }, makeModel)); // the same initial models
  let p: Params = Object.fromEntries(Object.entries(again).map(([k, v]) => [k, v.index(m).detach()]));
  let s = tx.init(p);
  let pv: Params = Object.fromEntries(Object.entries(again).map(([k, v]) => [k, v.detach()]));
  let sv = tx.init(pv);
  for (const idx of batches) {
    const flat = idx.flatten();
    const xs = xTrain.indexSelect(0, flat).reshape(M, B, 64);
    const ys = yTrain.indexSelect(0, flat).reshape(M, B);
    [p, s] = stepOne(p, s, xs.index(m), ys.index(m));
    [pv, sv] = step(pv, sv, xs, ys);
  }
  const replay = Math.max(0, ...(await items(Object.keys(p).map((k) => p[k]!.sub(pv[k]!.index(m)).abs().max()))));
  console.log(`  replay: model ${m} trained alone for ${batches.length} steps vs its slice of the vmapped ensemble, max |Δparam| = ${replay.toExponential(2)}`);

  const [finalV, initialV] = [[...(await final.data())], [...(await initial.data())]];
  const ratios = finalV.map((v, i) => v / initialV[i]!);
  const ok = ratios.every((r) => r < 0.2) && replay < 1e-5;
  console.log(`  check: every final loss < 20% of its initial (worst ${(100 * Math.max(...ratios)).toFixed(1)}%), replay < 1e-5: ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`ensemble training: loss ratios ${ratios.map((r) => r.toFixed(3))}, replay difference ${replay}`);
  const range = (v: number[]) => `${Math.min(...v).toFixed(3)}–${Math.max(...v).toFixed(3)}`;
  return { ok, summary: `${M}-model ensemble trained in one vmap: training losses ${range(initialV)} → ${range(finalV)}, ensemble accuracy ${accEnsemble.toFixed(3)}` };
}

export const section: Section = { title: 'optim.functional: an ensemble of 8 models trained in one vmap', run: () => run() };
