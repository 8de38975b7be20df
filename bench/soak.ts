// `npm run soak [-- steps]`: trains an MLP as a PyTorch user writes it (nn.Sequential, CrossEntropyLoss,
// Adam; no dispose, no yielding to the event loop) and prints heap, RSS and wasm memory every 1,000
// steps. Memory must stay flat. test/memory.test.ts runs a short version under a small budget.
import * as torch from '../src/index.js';
import { nn, optim, type Tensor } from '../src/index.js';

export interface SoakReport {
  step: number;
  heapMB: number;
  rssMB: number;
  wasmMB: number;
  collections: number;
  evictions: number;
  loss: number;
}

export function soak(steps: number, every: number, report: (r: SoakReport) => void, batch = 64): void {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = torch.randn([batch, 64]);
  const y = torch.randint(0, 10, [batch]);
  for (let step = 1; step <= steps; step++) {
    opt.zeroGrad();
    const loss = lossFn.call(model.call(x), y) as Tensor;
    loss.backward();
    opt.step();
    if (step % every === 0) {
      const m = process.memoryUsage();
      const w = torch.backends.wasm.memoryStats();
      report({
        step, heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20, wasmMB: w.memoryBytes / 2 ** 20,
        collections: w.collections, evictions: w.evictions, loss: loss.item(),
      });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const steps = Number(process.argv[2] ?? 10000);
  console.log(`soak: ${steps} training steps on the ${torch.backends.current()} backend, no dispose`);
  soak(steps, 1000, (r) =>
    console.log(`step ${r.step}: loss ${r.loss.toFixed(4)}, heap ${r.heapMB.toFixed(1)} MB, rss ${r.rssMB.toFixed(1)} MB, wasm memory ${r.wasmMB.toFixed(1)} MB, collections ${r.collections}, evictions ${r.evictions}`));
}
