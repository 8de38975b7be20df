// The WebGPU rows: the CPU sections' code with every library's tensors on its WebGPU device
// (torchfn: torch.setDefaultDevice('webgpu'); TF.js: tfjs-backend-webgpu; jax-js: its webgpu device),
// timed until the device has finished. On a software adapter (SwiftShader) the matmuls and the
// per-sample batch are smaller (TF.js's loop of 256 gradients takes minutes there): those rows check
// that the path works, not how fast a GPU is.
import { GPU_ENGINES, type Case, type Section } from '../harness.js';
import { matmulCase } from './matmul.js';
import { C, D, H, jaxStepSetup, tfjsStep } from './mlp.js';
import { jaxSetup, tfjsSetup } from './per_sample.js';
import { mlpModuleStep, perSampleSeed } from './user_code.js';
import { mlpCompiledStep } from './compiled.js';

const B = 256;
const ms = { unit: 'ms', better: 'lower' as const, metric: (s: number) => s * 1e3, budgetMs: 3000 };

let software = false;
/** Set once the adapter is known (bench/webgpu.ts). */
export const setSoftwareAdapter = (s: boolean) => void (software = s);

function matmul(n: number): Case {
  const m = matmulCase(n);
  return { ...m, setup: { 'torchfn-webgpu': m.setup.torchfn, 'tfjs-webgpu': m.setup['tfjs-wasm'], 'jax-js-webgpu': m.setup['jax-js'] } };
}

export const section: Section = {
  id: 'webgpu',
  title: 'WebGPU',
  engines: GPU_ENGINES,
  cases: (): Case[] => [
    ...(software ? [256, 512] : [1024, 4096]).map(matmul),
    {
      name: `MLP ${D}→${H}→${C} train step, batch ${B}: nn.Sequential + CrossEntropyLoss + Adam (TF.js: variableGrads SGD step; jax-js: jit SGD step)`,
      ...ms,
      setup: { 'torchfn-webgpu': mlpModuleStep, 'tfjs-webgpu': tfjsStep('tfjs-webgpu'), 'jax-js-webgpu': jaxStepSetup },
    },
    {
      name: `compiled MLP ${D}→${H}→${C} train step, batch ${B}: compile(zeroGrad, nn.Sequential + CrossEntropyLoss, backward, Adam.step) (jax-js: jit SGD step)`,
      ...ms,
      setup: { 'torchfn-webgpu': mlpCompiledStep, 'jax-js-webgpu': jaxStepSetup },
    },
    perSample(software ? 64 : B),
  ],
};

function perSample(b: number): Case {
  return {
    name: `per-sample grads, seed code (nn.Sequential + functionalCall, vmap(grad)), batch ${b} (TF.js: loop of tf.grads; jax-js: jit(vmap(grad)))`,
    ...ms,
    setup: { 'torchfn-webgpu': perSampleSeed(b), 'tfjs-webgpu': tfjsSetup(b, 'tfjs-webgpu', false), 'jax-js-webgpu': jaxSetup(b, 'vmap') },
  };
}
