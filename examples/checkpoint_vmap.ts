// Demo section: activation checkpointing inside vmap(grad). Per-sample gradients of an 8-layer MLP,
// once plainly and once with each layer pair under torch.utils.checkpoint, which keeps only the
// segment inputs and recomputes the rest during backward. The gradients agree to float64 rounding.
// The memory: an outer pair of saved-tensor hooks (torch.autograd.graph.savedTensorsHooks) sees every
// tensor the graph keeps for backward outside checkpointed segments (inside one, the checkpoint's own
// hooks take over), so its byte count is what the graph holds, per example, besides the segment inputs.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { items, onCpu } from './device.js';
import type { Section, SectionResult } from './section.js';

const { func, utils } = torch;
const LAYERS = 8, WIDTH = 64, BATCH = 16;
const f64 = { dtype: 'float64' } as const;
type Params = { w: Tensor[]; b: Tensor[] };

const layer = (h: Tensor, w: Tensor, b: Tensor) => h.matmul(w).add(b).tanh();

// float64 on cpu ('webgpu' has none): the gradients are checked to agree to 1e-12, and the bytes
// counted are float64's.
export const run = (opts: { seed?: number } = {}) => onCpu('float64, checked to 1e-12', () => runFloat64(opts));

async function runFloat64({ seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const params: Params = {
    w: Array.from({ length: LAYERS }, () => torch.randn([WIDTH, WIDTH], f64).div(Math.sqrt(WIDTH))),
    b: Array.from({ length: LAYERS }, () => torch.randn([WIDTH], f64).mul(0.1)),
  };
  const xs = torch.randn([BATCH, WIDTH], f64);
  const ys = torch.randn([BATCH], f64);

  const lossOf = (checkpointed: boolean) => (p: Params, x: Tensor, y: Tensor) => {
    let h = x;
    for (let i = 0; i < LAYERS; i += 2) {
      const pair = (t: Tensor) => layer(layer(t, p.w[i]!, p.b[i]!), p.w[i + 1]!, p.b[i + 1]!);
      h = checkpointed ? utils.checkpoint(pair, h, { useReentrant: false }) : pair(h);
    }
    return h.sum().sub(y).square();
  };
  const perSample = (checkpointed: boolean) => {
    let held = 0;
    const count = (t: Tensor) => {
      held += t.numel() * 8; // float64
      return t;
    };
    const g = torch.autograd.graph.savedTensorsHooks(count, (t: Tensor) => t, () =>
      func.vmap(func.grad(lossOf(checkpointed)), { inDims: [null, 0, 0] })(params, xs, ys),
    );
    return { g, held };
  };
  const plain = perSample(false);
  const ckpt = perSample(true);
  const diffs = (['w', 'b'] as const).flatMap((k) => plain.g[k].map((t, i) => t.sub(ckpt.g[k][i]!).abs().max()));
  const maxDiff = Math.max(0, ...(await items(diffs)));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`  per-sample grads of ${LAYERS} tanh layers (${WIDTH} wide), batch ${BATCH}: max |plain − checkpointed| ${maxDiff.toExponential(1)}`);
  const inputs = (LAYERS / 2) * WIDTH * 8; // each checkpoint keeps its segment's input
  console.log(`  saved for backward, per example: plain ${kb(plain.held)}, checkpointed ${kb(ckpt.held)} + ${kb(inputs)} of segment inputs`);
  const ok = maxDiff < 1e-12 && ckpt.held + inputs < 0.5 * plain.held && plain.g.w[0]!.shape.join() === `${BATCH},${WIDTH},${WIDTH}`;
  return { ok, summary: `checkpoint in vmap(grad): grads equal (${maxDiff.toExponential(1)}), saved per example ${kb(plain.held)} → ${kb(ckpt.held + inputs)}` };
}

export const section: Section = { title: 'Activation checkpointing inside vmap(grad), and the memory it saves', run };
