// `npm run demo`: the main job. Builds the package (see package.json), then runs each section in
// order and exits non-zero if any section's check fails. A new section is one file in examples/
// exporting `section: Section`, added to the list below.
// The device: `npm run demo -- --device webgpu` or TORCHFN_DEVICE=webgpu (default 'cpu'). Without a
// WebGPU adapter the sections run on cpu, and the demo says so.
import * as torch from '../src/index.js';
import { requestedDevice, UsageError } from './device.js';
import * as sineFit from './sine_fit.js';
import * as perSample from './per_sample.js';
import * as ensemble from './ensemble.js';
import * as laplacian from './laplacian.js';
import * as jacobians from './jacobians.js';
import * as functionalAdam from './functional_adam.js';
import * as ensembleTrain from './ensemble_train.js';
import * as maml from './maml.js';
import * as hooksFeatures from './hooks_features.js';
import * as gradInspection from './grad_inspection.js';
import * as gradCam from './grad_cam.js';
import * as lora from './lora.js';
import * as neuralOde from './neural_ode.js';
import * as bayesEnsemble from './bayes_ensemble.js';
import * as profilerStep from './profiler_step.js';
import * as checkpointVmap from './checkpoint_vmap.js';
import * as torchoptLoop from './torchopt_loop.js';
import * as lstmAdding from './lstm_adding.js';
import * as compileSine from './compile_sine.js';
import * as lstsqFit from './lstsq_fit.js';
import type { Section } from './section.js';

const sections: Section[] = [
  sineFit.section,
  compileSine.section,
  perSample.section,
  ensemble.section,
  laplacian.section,
  jacobians.section,
  functionalAdam.section,
  ensembleTrain.section,
  maml.section,
  hooksFeatures.section,
  gradInspection.section,
  gradCam.section,
  lora.section,
  neuralOde.section,
  bayesEnsemble.section,
  profilerStep.section,
  checkpointVmap.section,
  torchoptLoop.section,
  lstsqFit.section,
  lstmAdding.section,
];

/** The device the sections run on: the one asked for, or 'cpu' when there is no WebGPU adapter. */
async function chooseDevice(): Promise<torch.Device> {
  const asked = requestedDevice(process.argv.slice(2), process.env);
  if (asked === 'webgpu') {
    if (!(await torch.webgpu.init())) {
      console.log(`No WebGPU adapter here (torch.webgpu.init() found none): running the sections on cpu.`);
      return 'cpu';
    }
    torch.setDefaultDevice('webgpu');
    console.log(`Running the sections on webgpu (tensors and modules are made there by default).`);
  }
  return torch.getDefaultDevice();
}

async function main(): Promise<number> {
  let device: torch.Device;
  try {
    device = await chooseDevice();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`demo: ${e.message}`);
    return 2;
  }
  const results: { title: string; ok: boolean; summary: string }[] = [];
  for (const [i, s] of sections.entries()) {
    console.log(`\n== ${i + 1}. ${s.title} ==`);
    const t0 = performance.now();
    try {
      const r = await s.run();
      results.push({ title: s.title, ...r });
    } catch (e) {
      console.error(e);
      results.push({ title: s.title, ok: false, summary: `threw: ${(e as Error).message}` });
    }
    console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  console.log('\n== Summary ==');
  for (const [i, r] of results.entries()) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${i + 1}. ${r.summary}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed === 0 ? `\nAll ${results.length} section(s) passed on ${device}.` : `\n${failed} of ${results.length} section(s) failed on ${device}.`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
