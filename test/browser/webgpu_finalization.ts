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
  const pool = () => (backendFor('webgpu') as WebGPUBackend).poolStats();
  const at: { created: number; reused: number }[] = [];
  for (let i = 1; i <= steps; i++) {
    opt.zeroGrad();
    const loss = torch.mseLoss(model.call(x) as Tensor, y);
    loss.backward();
    opt.step();
    if (i % 10 === 0) await torch.webgpu.synchronize();
    if (i % (steps / 3) === 0) at.push(pool());
  }
  // Of the buffers the last third of the loop asks for, the pool must create only a few: the rest come
  // back through the registry's callbacks. Without them nearly every request creates one (only the
  // library's own temporaries are released explicitly). How many it creates still varies with when the
  // collector runs (0 to 4% of requests seen; 91% without the registry), so the bound is 20%.
  const [, twoThirds, end] = at as [typeof at[0], typeof at[0], typeof at[0]];
  const created = end.created - twoThirds.created;
  const requests = created + end.reused - twoThirds.reused;
  return {
    method: 'finalization',
    name: `training loop without dispose(), ${steps} steps`,
    ratio: created / requests / 0.2,
    detail: `buffers created: ${at.map((c, k) => `${c.created} after ${((k + 1) * steps) / 3} steps`).join(', ')}; the last third created ${created} of the ${requests} it asked for`,
    ms: performance.now() - t0,
  };
}
