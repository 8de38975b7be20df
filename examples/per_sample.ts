// Demo section: per-sample gradients of a small CNN on the 8×8 digits, with torch.func.
// The per-example loss is a pure function of (params, x_i, y_i) through functionalCall; grad of it
// gives one example's gradient, and vmap over the batch gives all of them in one batched call, with
// no Python-style loop hidden inside. Checked against a plain loop of grad over the examples.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadDigits } from './digits.js';
import { items, maxAbsDiff, synchronize } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn } = torch;
type Params = Record<string, Tensor>;

/** Conv(1→8, 3×3, pad 1) → ReLU → MaxPool 2×2 → Flatten → Linear(8·4·4 → 10). */
class DigitCNN extends nn.Module {
  declare conv: torch.nn.Conv2d;
  declare pool: torch.nn.MaxPool2d;
  declare fc: torch.nn.Linear;
  constructor() {
    super();
    this.conv = new nn.Conv2d(1, 8, 3, { padding: 1 });
    this.pool = new nn.MaxPool2d(2);
    this.fc = new nn.Linear(8 * 4 * 4, 10);
  }
  override forward(x: Tensor): Tensor {
    return this.fc.call(this.pool.call(this.conv.call(x).relu()).flatten(1));
  }
}

async function medianMs(f: () => unknown, reps = 3): Promise<number> {
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    await synchronize();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[reps >> 1]!;
}


export async function run({ batch = 64, seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const digits = loadDigits();
  const x = digits.images.index(`:${batch}`); // [B, 1, 8, 8], the first B digits
  const y = digits.labels.index(`:${batch}`); // [B]

  const model = new DigitCNN();
  const params: Params = Object.fromEntries([...model.namedParameters()].map(([k, v]) => [k, v.detach()]));
  const nParams = Object.values(params).reduce((n, p) => n + p.numel(), 0);
  console.log(`  CNN conv3×3(1→8) → relu → maxpool2 → linear(128→10), ${nParams} parameters; the first ${batch} of the ${digits.n} 8×8 digits`);

  // One example's loss, as a function of the parameters: the model sees a batch of one.
  const lossOne = (p: Params, xi: Tensor, yi: Tensor): Tensor =>
    torch.crossEntropy(func.functionalCall(model, p, [xi.unsqueeze(0)]) as Tensor, yi.unsqueeze(0));

  const perSampleGrads = func.vmap(func.grad(lossOne), { inDims: [null, 0, 0] });
  perSampleGrads(params, x.index(':2'), y.index(':2')); // warm-up (code generation, caches)

  const gradOne = func.grad(lossOne);
  const loop = () => {
    const out: Params[] = [];
    for (let i = 0; i < batch; i++) out.push(gradOne(params, x.index(i), y.index(i)) as Params);
    return out;
  };
  // Median of 3 timed runs each; kernel calls (one per primitive applied to concrete data) counted once.
  const [gv, kVmap] = torch.countKernels(() => perSampleGrads(params, x, y) as Params);
  const [perExample, kLoop] = torch.countKernels(loop);
  const msVmap = await medianMs(() => perSampleGrads(params, x, y));
  const msLoop = await medianMs(loop);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  let diff = 0;
  for (const k of Object.keys(params)) {
    const looped = torch.stack(perExample.map((g) => g[k]!));
    if (gv[k]!.shape.join() !== [batch, ...params[k]!.shape].join()) throw new Error(`per-sample ${k} has shape [${gv[k]!.shape}]`);
    diff = Math.max(diff, await maxAbsDiff(gv[k]!, looped));
  }
  // The mean of the per-sample gradients is the gradient of the mean loss over the batch.
  const batchLoss = (p: Params) => torch.crossEntropy(func.functionalCall(model, p, [x]) as Tensor, y);
  const gBatch = func.grad(batchLoss)(params) as Params;
  let diffMean = 0;
  for (const k of Object.keys(params)) diffMean = Math.max(diffMean, await maxAbsDiff(gv[k]!.mean(0), gBatch[k]!));

  // Per-example gradient norms (what DP-SGD clips), over all parameters.
  const sq = Object.values(gv).map((g) => g.reshape(batch, -1).square().sum(1));
  const norms = sq.reduce((a, b) => a.add(b)).sqrt();
  const [hi, lo] = await items([norms.max(), norms.min()]);
  const hiIdx = await norms.argmax().itemAsync();

  console.log(`  per-sample gradients: ${Object.entries(gv).map(([k, g]) => `${k} [${g.shape.join('×')}]`).join(', ')}`);
  console.log(`  vmap(grad(loss), inDims [null, 0, 0]) ${msVmap.toFixed(1)} ms; a loop of grad over the ${batch} examples ${msLoop.toFixed(1)} ms (medians of 3): vmap ${(msLoop / msVmap).toFixed(1)}× faster`);
  console.log(`  kernel calls: vmap ${total(kVmap)} for the whole batch; loop ${total(kLoop)} (${total(kLoop) / batch} per example)`);
  console.log(`  per-example gradient norm: min ${lo.toFixed(3)}, max ${hi.toFixed(3)} (example ${hiIdx}, a ${await y.index(hiIdx).itemAsync()})`);
  const ok = diff < 1e-5 && diffMean < 1e-5;
  console.log(`  max |vmap − loop| = ${diff.toExponential(2)} (goal < 1e-5); max |mean of per-sample − batch grad| = ${diffMean.toExponential(2)}  ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) throw new Error(`per-sample gradients: vmap and loop differ by ${diff} (mean vs batch ${diffMean})`);
  return { ok, summary: `per-sample grads (CNN, ${batch} digits): |vmap − loop| ${diff.toExponential(1)}, vmap ${msVmap.toFixed(0)} ms vs loop ${msLoop.toFixed(0)} ms` };
}

export const section: Section = { title: 'torch.func: per-sample gradients of a CNN on the digits, vmap(grad) vs a loop', run: () => run() };
