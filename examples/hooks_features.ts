// Demo section: feature extraction with forward hooks. A small CNN is trained briefly on the 8×8
// digits (torch.optim.Adam, minibatches), then a forward hook on each conv layer stores the layer's
// output, detached, in a dictionary keyed by the layer's name — PyTorch's usual recipe:
//
//   activations = {}
//   def save(name): return lambda m, args, out: activations.__setitem__(name, out.detach())
//   for name, m in model.named_modules(): if isinstance(m, nn.Conv2d): m.register_forward_hook(save(name))
//
// The feature maps of a few digits are written as a PNG grid, and the stored activation is checked
// against running the submodules by hand up to that layer.
import * as torch from '../src/index.js';
import { nn } from '../src/index.js';
import type { RemovableHandle, Tensor } from '../src/index.js';
import { check, firstOfEachClass, maxAbsDiff, trainedDigitsCNN } from './digits_cnn.js';
import { outPath, shown, tileOf, writeGrid, type Tile } from './png.js';
import type { Section, SectionResult } from './section.js';

export async function run(): Promise<SectionResult> {
  const { model, data, epochs, trainAcc, testAcc, seconds } = await trainedDigitsCNN((l) => console.log(l));
  console.log(`  trained ${epochs} epochs in ${seconds.toFixed(1)} s: train accuracy ${(trainAcc * 100).toFixed(1)}%, test accuracy ${(testAcc * 100).toFixed(1)}% (chance 10%)`);
  check(testAcc > 0.8, `test accuracy ${(testAcc * 100).toFixed(1)}% > 80%`);

  // The feature extractor: one forward hook per conv layer, all writing into one dictionary.
  const activations: Record<string, Tensor> = {};
  const handles: RemovableHandle[] = [];
  for (const [name, m] of model.namedModules()) {
    if (!(m instanceof nn.Conv2d)) continue;
    handles.push(m.registerForwardHook((_m, _args, out: Tensor) => {
      activations[name] = out.detach();
    }));
  }

  const ids = await firstOfEachClass(data.yTest);
  const x = data.xTest.indexSelect(0, torch.tensor(ids, { dtype: 'int32' })); // one test digit of each class, [10, 1, 8, 8]
  const logits = model.call(x);
  for (const h of handles) h.remove();

  for (const [name, a] of Object.entries(activations)) console.log(`  activations['${name}']: shape [${a.shape.join(', ')}], requiresGrad ${a.requiresGrad}`);
  console.log(`  predictions for digits 0..9: ${((await logits.argmax(1).tolistAsync()) as number[]).join(' ')}`);

  // Checks: the stored maps are detached copies of what the forward pass computed.
  for (const name of ['conv1', 'conv2']) {
    // Run the children in order with forward() (no hooks) up to and including `name`.
    let h: Tensor = x;
    for (const [child, m] of model.namedChildren()) {
      h = m.forward(h) as Tensor;
      if (child === name) break;
    }
    const stored = activations[name];
    check(stored !== undefined, `the hook stored activations['${name}']`);
    const diff = await maxAbsDiff(stored!, h);
    check(diff === 0, `activations['${name}'] equals the submodules run by hand up to ${name} (max |diff| ${diff})`);
    check(!stored!.requiresGrad && h.requiresGrad, `activations['${name}'] is detached (the live output requires grad)`);
  }
  const kept = { ...activations };
  model.call(x.flip(3)); // a different input: a hook still registered would overwrite the entries
  check(Object.entries(activations).every(([k, v]) => v === kept[k]), 'after handle.remove() the hooks no longer fire');

  // PNGs: a row per digit, the input then each feature map (normalized per map, upscaled).
  const written: string[] = [];
  for (const name of ['conv1', 'conv2']) {
    const a = activations[name]!;
    const rows: Tile[][] = await Promise.all(ids.map((_, i) => Promise.all([
      tileOf(x.select(0, i), { range: [0, 1] }),
      ...Array.from({ length: a.size(1) }, (_, k) => tileOf(a.select(0, i).select(0, k))),
    ])));
    const file = writeGrid(outPath(`features_${name}.png`), rows, { cell: 40, gap: 3 });
    written.push(file);
    console.log(`  wrote ${shown(file)}: rows = digits 0..9; column 1 = input, then the ${a.size(1)} ${name} maps (${a.size(2)}×${a.size(3)}, each normalized to its own min..max)`);
  }

  return { ok: true, summary: `feature extraction: CNN test accuracy ${(testAcc * 100).toFixed(1)}%, hooked activations match, ${written.length} PNGs in out/` };
}

export const section: Section = { title: 'Feature extraction with forward hooks (8×8 digits CNN)', run };
