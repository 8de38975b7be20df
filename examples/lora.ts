// Demo section: LoRA with several adapters at once. A frozen base nn.Linear(W, b) and K low-rank
// adapters (A_k: [r, in], B_k: [out, r]) stacked on a leading adapter dim; y_k = base(x) + s·x A_kᵀ B_kᵀ.
// vmap over the adapter dim runs all K adapters in one batched call; func.grad with argnums [0, 1]
// gives the gradients with respect to A and B, checked against eager backward per adapter.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { items, onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, nn } = torch;
const K = 4, R = 2, IN = 16, OUT = 8, N = 32, SCALE = 0.5;

// float64 on cpu ('webgpu' has none): vmap and grad are checked against eager to 1e-12.
export const run = (opts: { seed?: number } = {}) => onCpu('float64, checked to 1e-12', () => runFloat64(opts));

async function runFloat64({ seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const base = new nn.Linear(IN, OUT, { dtype: 'float64' });
  base.requiresGrad_(false); // frozen
  const A = torch.randn([K, R, IN], { dtype: 'float64' }).mul(0.1);
  const B = torch.randn([K, OUT, R], { dtype: 'float64' }).mul(0.1);
  const x = torch.randn([N, IN], { dtype: 'float64' });
  const target = torch.randn([K, N, OUT], { dtype: 'float64' });

  const adapted = (a: Tensor, b: Tensor, xs: Tensor) => (base.call(xs) as Tensor).add(xs.matmul(a.mT).matmul(b.mT).mul(SCALE));
  const loss = (a: Tensor, b: Tensor, xs: Tensor, t: Tensor) => adapted(a, b, xs).sub(t).pow(2).mean();

  // Forward of all adapters at once, against a loop.
  const yAll = func.vmap(adapted, { inDims: [0, 0, null] })(A, B, x); // [K, N, OUT]
  const fwdDiffs = Array.from({ length: K }, (_, k) => yAll.index(k).sub(adapted(A.index(k), B.index(k), x)).abs().max());
  const dFwd = Math.max(0, ...(await items(fwdDiffs)));

  // Gradients w.r.t. A and B for every adapter: vmap(grad(loss, argnums [0, 1])).
  const [gA, gB] = func.vmap(func.grad(loss, { argnums: [0, 1] }), { inDims: [0, 0, null, 0] })(A, B, x, target);
  const gradDiffs: Tensor[] = [];
  for (let k = 0; k < K; k++) {
    const a = A.index(k).clone().requiresGrad_();
    const b = B.index(k).clone().requiresGrad_();
    loss(a, b, x, target.index(k)).backward();
    gradDiffs.push(gA.index(k).sub(a.grad!).abs().max(), gB.index(k).sub(b.grad!).abs().max());
  }
  const dGrad = Math.max(0, ...(await items(gradDiffs)));
  const baseUntouched = base.weight.grad === null;
  console.log(`  base Linear(${IN}→${OUT}) frozen; ${K} adapters of rank ${R}: A [${A.shape.join('×')}], B [${B.shape.join('×')}]`);
  console.log(`  vmap over adapters → [${yAll.shape.join(', ')}]; max |vmap − per-adapter| = ${dFwd.toExponential(2)}`);
  console.log(`  vmap(grad(loss, argnums [0, 1])) → dA [${gA.shape.join('×')}], dB [${gB.shape.join('×')}]; max |func − eager backward| = ${dGrad.toExponential(2)}; base weight grad untouched: ${baseUntouched}`);
  const ok = dFwd < 1e-12 && dGrad < 1e-12 && baseUntouched;
  console.log(`  check: forward and gradients agree to 1e-12 (float64): ${ok ? 'OK' : 'FAILED'}`);
  return { ok, summary: `LoRA ${K} adapters: vmap forward and grad(argnums) match eager (${Math.max(dFwd, dGrad).toExponential(1)})` };
}

export const section: Section = { title: 'LoRA: several low-rank adapters at once with vmap and grad(argnums)', run: () => run() };
