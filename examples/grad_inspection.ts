// Demo section: inspecting and changing a network with hooks.
//  1. Tensor hooks log gradients during one backward pass: a forward hook on every layer registers
//     a tensor hook (`out.registerHook`) on that layer's output, and each parameter gets a tensor
//     hook of its own; each logs the norm of the gradient flowing through it.
//  2. A forward hook that returns `output·2` replaces a layer's output, which changes everything
//     downstream; removing its handle restores the original computation exactly.
import * as torch from '../src/index.js';
import type { RemovableHandle, Tensor } from '../src/index.js';
import { check, maxAbsDiff, trainedDigitsCNN } from './digits_cnn.js';
import { items } from './device.js';
import type { Section, SectionResult } from './section.js';

const fmt = (v: number) => v.toExponential(3);
const row = async (t: Tensor) => ((await t.tolistAsync()) as number[]).map((v) => v.toFixed(2).padStart(6)).join(' ');

export async function run(): Promise<SectionResult> {
  const { model, data } = await trainedDigitsCNN((l) => console.log(l));
  const x = data.xTest.narrow(0, 0, 64);
  const y = data.yTest.narrow(0, 0, 64);
  const layers = model.namedChildren();

  // ---- 1. gradient norms, logged by tensor hooks during one backward pass ----
  // The hooks keep the norms as tensors (a hook cannot wait for a device); they are read after backward.
  const handles: RemovableHandle[] = [];
  const outNormT = new Map<string, Tensor>();
  const outShape = new Map<string, number[]>();
  const paramNormT = new Map<string, Tensor>();
  const fired: string[] = []; // the order the output hooks fire in
  let logitsGrad: Tensor | null = null;
  for (const [name, m] of layers) {
    handles.push(m.registerForwardHook((_m, _args, out: Tensor) => {
      outShape.set(name, out.shape);
      out.registerHook((g) => {
        fired.push(name);
        outNormT.set(name, g.norm());
        if (name === 'fc') logitsGrad = g;
        // returning nothing leaves the gradient as it is
      });
    }));
    for (const [pname, p] of m.namedParameters()) {
      handles.push(p.registerHook((g) => void paramNormT.set(`${name}.${pname}`, g.norm())));
    }
  }
  const logits = model.call(x);
  const loss = torch.crossEntropy(logits, y);
  for (const p of model.parameters()) p.grad = null;
  loss.backward();
  for (const h of handles) h.remove();
  const read = async (m: Map<string, Tensor>) => {
    const values = await items([...m.values()]);
    return new Map([...m.keys()].map((k, i) => [k, values[i]!]));
  };
  const outNorm = await read(outNormT);
  const paramNorm = await read(paramNormT);

  console.log(`  one backward pass of the cross-entropy loss (${x.size(0)} test digits, loss ${(await loss.itemAsync()).toFixed(4)}):`);
  console.log(`    ${'layer'.padEnd(8)} ${'output shape'.padEnd(16)} ${'‖∂L/∂out‖'.padStart(10)}   ${'‖∂L/∂weight‖'.padStart(11)}  ${'‖∂L/∂bias‖'.padStart(10)}`);
  for (const [name] of layers) {
    const w = paramNorm.get(`${name}.weight`);
    const b = paramNorm.get(`${name}.bias`);
    console.log(
      `    ${name.padEnd(8)} ${`[${outShape.get(name)!.join(', ')}]`.padEnd(16)} ${fmt(outNorm.get(name)!).padStart(10)}   ${(w === undefined ? '-' : fmt(w)).padStart(11)}  ${(b === undefined ? '-' : fmt(b)).padStart(10)}`,
    );
  }
  console.log(`  output hooks fired in the order: ${fired.join(' → ')}`);

  check(fired.join() === layers.map(([n]) => n).reverse().join(), 'output hooks fire in reverse layer order (backward runs from the loss)');
  const named = model.namedParameters();
  const gradNorms = await items(named.map(([, p]) => p.grad!.norm()));
  const paramErr = Math.max(...named.map(([n], i) => Math.abs(paramNorm.get(n)! - gradNorms[i]!) / Math.max(1e-12, gradNorms[i]!)));
  check(paramNorm.size === model.parameters().length && paramErr < 1e-6, `every parameter hook saw its .grad (relative error ${paramErr.toExponential(1)})`);
  // Cross-entropy with mean reduction: ∂L/∂logits = (softmax(logits) − onehot(y)) / B.
  const expected = torch.noGrad(() => logits.softmax(1).sub(torch.zeros([x.size(0), 10]).scatter(1, y.unsqueeze(1), 1)).div(x.size(0)));
  const lgErr = await maxAbsDiff(logitsGrad!, expected);
  check(lgErr < 1e-6, `the hook on fc's output saw (softmax − onehot)/B (max |diff| ${lgErr.toExponential(1)})`);
  for (const p of model.parameters()) p.grad = null;

  // ---- 2. a forward hook that replaces an output ----
  const x1 = x.narrow(0, 0, 1);
  const layer = model.conv2;
  const base = torch.noGrad(() => model.call(x1));
  console.log(`  logits of one digit (label ${await y.select(0, 0).itemAsync()}), hook on conv2 returning output·2:`);
  console.log(`    before the hook   ${await row(base.select(0, 0))}`);
  const handle = layer.registerForwardHook((_m, _args, out: Tensor) => out.mul(2));
  const hooked = torch.noGrad(() => model.call(x1));
  console.log(`    with the hook     ${await row(hooked.select(0, 0))}`);
  handle.remove();
  const after = torch.noGrad(() => model.call(x1));
  console.log(`    after remove()    ${await row(after.select(0, 0))}`);

  // What the hook should do: conv2's output doubled, then the rest of the network as usual.
  const manual = torch.noGrad(() => {
    let h: Tensor = x1;
    let downstream = false;
    for (const [name, m] of layers) {
      h = m.forward(h) as Tensor;
      if (name === 'conv2') {
        h = h.mul(2);
        downstream = true;
      }
    }
    return downstream ? h : null;
  })!;
  const changed = await maxAbsDiff(hooked, base);
  check(changed > 1e-3, `the hook changes the downstream logits (max |change| ${changed.toFixed(3)})`);
  const hookErr = await maxAbsDiff(hooked, manual);
  check(hookErr < 1e-5, `hooked logits = the layers run by hand with conv2's output doubled (max |diff| ${hookErr.toExponential(1)})`);
  // relu, the average pool and flatten commute with ·2 and fc(2h) = 2·W·h + b, so here the hook gives
  // exactly 2·logits − fc.bias:
  const homog = await maxAbsDiff(hooked, base.mul(2).sub(model.fc.bias!));
  check(homog < 1e-5, `hooked logits = 2·before − fc.bias (max |diff| ${homog.toExponential(1)})`);
  const restored = await maxAbsDiff(after, base);
  check(restored === 0, 'after handle.remove() the logits equal the originals exactly');
  check(layer._forwardHooks.size === 0, 'no forward hook left on conv2');

  return { ok: true, summary: `gradient inspection: ${paramNorm.size} parameter + ${outNorm.size} output hooks logged; output·2 hook applied and removed exactly` };
}

export const section: Section = { title: 'Gradient inspection with tensor hooks; a forward hook that changes the output', run };
