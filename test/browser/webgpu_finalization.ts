// Whether GPU memory comes back without dispose(): a training loop that never disposes anything, its
// tensors' buffers released only by the WebGPU backend's FinalizationRegistry. The host waits for the
// device every 10 steps (as a loop that reads its loss does); if the registry's callbacks ran only
// after the loop, the pool would create new buffers all the way through.
import * as torch from '../../src/index.js';
import { nn, optim, type Tensor } from '../../src/index.js';
import { backendFor } from '../../src/backend/index.js';
import type { WebGPUBackend } from '../../src/backend/webgpu/index.js';
import type { CheckResult } from './webgpu_checks.js';

export async function finalizationCheck(gpu: WebGPUBackend, steps = 1500): Promise<CheckResult> {
  const t0 = performance.now();
  if (!(await torch.webgpu.init({ device: gpu.gpuDevice }))) throw new Error('torch.webgpu.init failed on a working device');
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(16, 32), new nn.Tanh(), new nn.Linear(32, 1)).to('webgpu');
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const x = torch.randn([64, 16], { device: 'webgpu' });
  const y = x.sum(1, { keepdim: true }).sin();
  const poolCreated = () => (backendFor('webgpu') as WebGPUBackend).poolStats().created;
  const created: number[] = [];
  for (let i = 1; i <= steps; i++) {
    opt.zeroGrad();
    const loss = torch.mseLoss(model.call(x) as Tensor, y);
    loss.backward();
    opt.step();
    if (i % 10 === 0) await torch.webgpu.synchronize();
    if (i % (steps / 3) === 0) created.push(poolCreated());
  }
  // Without the registry's callbacks the pool would create buffers at the same pace in every third of the
  // loop. With them, the first full collection (a few hundred steps in) returns the garbage, and later
  // thirds create only what a longer interval between collections needs: under half of the first's.
  const [first, twoThirds, end] = created as [number, number, number];
  const limit = 0.5 * first;
  return {
    method: 'finalization',
    name: `training loop without dispose(), ${steps} steps`,
    ratio: (end - twoThirds) / limit,
    detail: `buffers created: ${created.map((c, k) => `${c} after ${((k + 1) * steps) / 3} steps`).join(', ')}`,
    ms: performance.now() - t0,
  };
}
