// Bundled by webgpu_kernels.test.ts (esbuild) and loaded by webgpu.html in headless Chromium: creates
// the backend on navigator.gpu and exposes the checks of webgpu_checks.ts to the test.
import { createWebGPUBackend } from '../../src/backend/webgpu/index.js';
import { runChecks, type CheckResult } from './webgpu_checks.js';

declare global {
  interface Window { runWebGPUChecks: () => Promise<{ adapter: boolean; results: CheckResult[]; ms: number }> }
}

window.runWebGPUChecks = async () => {
  const t0 = performance.now();
  const gpu = await createWebGPUBackend();
  if (gpu === null) return { adapter: false, results: [], ms: 0 };
  const smallGrid = await createWebGPUBackend({ device: gpu.gpuDevice, maxWorkgroupsPerDimension: 6 });
  const results = await runChecks(gpu, smallGrid ?? undefined);
  return { adapter: true, results, ms: performance.now() - t0 };
};
