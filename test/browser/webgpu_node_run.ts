// Child process of webgpu_kernels.test.ts: the kernel checks in Node through the optional `webgpu`
// package (Dawn). A separate process, so that a native failure cannot take the test runner down.
// Prints one JSON line: { adapter, results, finalization }.
import { createWebGPUBackend } from '../../src/backend/webgpu/index.js';
import { runChecks } from './webgpu_checks.js';
import { finalizationCheck } from './webgpu_finalization.js';

const gpu = await createWebGPUBackend();
if (gpu === null) {
  process.stdout.write(`${JSON.stringify({ adapter: false, results: [] })}\n`);
} else {
  const smallGrid = await createWebGPUBackend({ device: gpu.gpuDevice, maxWorkgroupsPerDimension: 6 });
  const results = await runChecks(gpu, smallGrid ?? undefined);
  const finalization = await finalizationCheck(gpu);
  process.stdout.write(`${JSON.stringify({ adapter: true, results, finalization })}\n`);
}
process.exit(0);
