// Demo section: model ensembling with torch.func. Five MLPs of one class are stacked with
// stackModuleState (each parameter gains a leading model dim), and one vmap over that dim runs all
// five at once: inDims [0, 0, null] shares one minibatch, [0, 0, 0] gives each model its own.
// Checked against calling each model on its own.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadDigits } from './digits.js';
import { items } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn } = torch;
type Params = Record<string, Tensor>;

const M = 5; // models
const B = 32; // minibatch

export async function run({ seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const makeModel = () => new nn.Sequential(new nn.Flatten(), new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10));
  const models = Array.from({ length: M }, makeModel);
  const [params, buffers] = func.stackModuleState(models);
  console.log(`  ${M} MLPs 64→32→10 (relu) on 8×8 digits; stacked: ${Object.entries(params).map(([k, v]) => `${k} [${v.shape.join('×')}]`).join(', ')}`);

  // A "stateless" copy of the architecture to call with each model's slice of the stacked params.
  const base = makeModel();
  const fmodel = (p: Params, b: Params, x: Tensor) => func.functionalCall(base, [p, b], [x]) as Tensor;

  const digits = loadDigits();
  const x = digits.images.index(`:${B}`); // one minibatch shared by all models
  const xs = digits.images.index(`${B}:${B + M * B}`).reshape(M, B, 1, 8, 8); // a minibatch per model

  const same = func.vmap(fmodel, { inDims: [0, 0, null] })(params, buffers, x); // [M, B, 10]
  const each = func.vmap(fmodel, { inDims: [0, 0, 0] })(params, buffers, xs); // [M, B, 10]

  const [dSames, dEachs] = torch.noGrad(() => [
    models.map((m, i) => same.index(i).sub(m.call(x) as Tensor).abs().max()),
    models.map((m, i) => each.index(i).sub(m.call(xs.index(i)) as Tensor).abs().max()),
  ]);
  const dSame = Math.max(0, ...(await items(dSames!)));
  const dEach = Math.max(0, ...(await items(dEachs!)));

  // The members really are different models (stacking kept them apart): spread of their logits.
  const spread = await same.std(0).mean().itemAsync();

  console.log(`  vmap(fmodel, inDims [0, 0, null]) → [${same.shape.join(', ')}]; max |vmap − model_i(x)| = ${dSame.toExponential(2)}`);
  console.log(`  vmap(fmodel, inDims [0, 0, 0])    → [${each.shape.join(', ')}]; max |vmap − model_i(x_i)| = ${dEach.toExponential(2)}`);
  console.log(`  mean std of the logits across the ${M} members: ${spread.toFixed(3)} (distinct models, not one broadcast)`);
  const ok = dSame < 1e-5 && dEach < 1e-5 && spread > 1e-3;
  console.log(`  check: both differences < 1e-5, members distinct: ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`ensembling: vmap and the per-model calls differ (${dSame}, ${dEach})`);
  return { ok, summary: `ensemble of ${M} via stackModuleState + vmap: max |vmap − per-model| ${Math.max(dSame, dEach).toExponential(1)}` };
}

export const section: Section = { title: 'torch.func: ensembling 5 models with stackModuleState and vmap', run: () => run() };
