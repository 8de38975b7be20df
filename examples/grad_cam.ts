// Demo section: Grad-CAM (Selvaraju et al., 2017) on the small digits CNN, with module hooks.
// A forward hook keeps the last conv layer's feature maps A (the output of its ReLU: channels
// k = 1..32, 4×4 each) and a full backward hook keeps ∂score/∂A, that module's gradOutput, for the
// predicted class's score. Then
//   w_k = mean over (h, w) of ∂score/∂A_k,   cam = relu(Σ_k w_k · A_k),
// upsampled from 4×4 to the 8×8 input with bilinear interpolation (torch.interpolate).
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { check, firstOfEachClass, maxAbsDiff, trainedDigitsCNN } from './digits_cnn.js';
import { upsampleBilinear } from './digits_model.js';
import { outPath, shown, tileOf, writeGrid, type Tile } from './png.js';
import type { Section, SectionResult } from './section.js';

export async function run(): Promise<SectionResult> {
  const { model, data } = await trainedDigitsCNN((l) => console.log(l));
  const layer = model.relu2; // the last conv layer's (rectified) output, as Grad-CAM uses
  const layerName = 'relu2';

  // What the hooks capture. A stays attached to the graph, for the torch.autograd.grad check below.
  const saved: { A?: Tensor; gradA?: Tensor; backwardCalls: number } = { backwardCalls: 0 };
  const hf = layer.registerForwardHook((_m, _args, out: Tensor) => {
    saved.A = out;
  });
  const hb = layer.registerFullBackwardHook((_m, _gradInput, gradOutput) => {
    saved.backwardCalls++;
    saved.gradA = gradOutput[0]!;
  });

  const ids = await firstOfEachClass(data.yTest);
  const x = data.xTest.indexSelect(0, torch.tensor(ids, { dtype: 'int32' })); // one test digit of each class, [10, 1, 8, 8]
  const logits = model.call(x);
  const pred = logits.argmax(1);
  // The digits are independent in the batch, so the gradient of the summed scores gives every
  // digit the gradient of its own score.
  const score = logits.gather(1, pred.unsqueeze(1)).sum();
  const [viaAutograd] = torch.autograd.grad(score, saved.A!, { retainGraph: true });
  score.backward();
  hf.remove();
  hb.remove();
  for (const p of model.parameters()) p.grad = null;

  const acts = saved.A!;
  const grads = saved.gradA!;
  console.log(`  hooks on ${layerName}: forward hook kept A [${acts.shape.join(', ')}], full backward hook kept ∂score/∂A [${grads.shape.join(', ')}] (${saved.backwardCalls} call)`);
  console.log(`  predicted classes for digits 0..9: ${((await pred.tolistAsync()) as number[]).join(' ')}`);

  const cam4 = torch.noGrad(() => {
    const weights = grads.mean([2, 3], true); // [N, K, 1, 1]
    return weights.mul(acts.detach()).sum(1).relu(); // [N, 4, 4]
  });
  const cam = upsampleBilinear(cam4, 8, 8); // [N, 8, 8]

  check(grads.shape.join() === acts.shape.join(), 'gradOutput has the shape of the layer output');
  const gErr = await maxAbsDiff(grads, viaAutograd!);
  check(gErr < 1e-6, `the backward hook's gradOutput equals torch.autograd.grad(score, A) (max |diff| ${gErr.toExponential(1)})`);
  // Past relu2 the network is global average pool → fc, so ∂score_c/∂A_k = fc.weight[c, k] / (H·W) at
  // every position: the Grad-CAM weights are the classifier's own, and Grad-CAM is CAM (Zhou et al.).
  const [H, W] = acts.shape.slice(2) as [number, number];
  const analytic = torch.noGrad(() => model.fc.weight.indexSelect(0, pred).div(H * W).reshape([-1, acts.size(1), 1, 1]).expand(acts.shape));
  const aErr = await maxAbsDiff(grads, analytic);
  check(aErr < 1e-7, `gradOutput = fc.weight[class, k] / ${H * W} (max |diff| ${aErr.toExponential(1)})`);
  const minCam = await cam.min().itemAsync();
  check(minCam >= 0, `the CAM is non-negative (min ${minCam.toFixed(4)})`);
  check(Boolean(await cam4.amax([1, 2]).gt(0).all().itemAsync()), 'every digit has a non-zero CAM');
  // Interpolation weights sum to 1 per output pixel exactly when a constant map stays constant.
  const flat = upsampleBilinear(torch.ones([1, 4, 4]), 8, 8);
  check((await maxAbsDiff(flat, torch.ones([1, 8, 8]))) < 1e-6, 'interpolation weights sum to 1 per output pixel');

  // PNG: 10 columns (digits 0..9); rows: input, CAM (heat, 0..max), CAM over the input.
  const inputs: Tile[] = await Promise.all(ids.map((_, i) => tileOf(x.select(0, i), { range: [0, 1] })));
  const heat = async (i: number): Promise<Tile> => {
    const c = cam.select(0, i);
    return tileOf(c, { cmap: 'heat', range: [0, await c.max().itemAsync()] });
  };
  const heats = await Promise.all(ids.map((_, i) => heat(i)));
  const rows: Tile[][] = [
    inputs,
    heats,
    ids.map((_, i) => ({ ...inputs[i]!, overlay: { ...heats[i]!, alpha: 0.85 } })),
  ];
  const file = writeGrid(outPath('grad_cam.png'), rows, { cell: 64, gap: 4 });
  console.log(`  wrote ${shown(file)}: columns = digits 0..9; rows = input, Grad-CAM of the predicted class (4×4 → 8×8 bilinear), CAM over the input`);

  return { ok: true, summary: `Grad-CAM: hook gradient = autograd.grad (max |diff| ${gErr.toExponential(1)}), CAM ≥ 0, PNG in out/` };
}

export const section: Section = { title: 'Grad-CAM with a forward hook and a full backward hook', run };
