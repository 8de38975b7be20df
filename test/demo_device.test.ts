// The demo's sections with 'webgpu' as the default device, on the stand-in device of
// test/support/fake_device.ts (the reference kernels behind a backend that cannot be read
// synchronously): each section passes its own check, reads nothing synchronously, and, unless it
// says it runs on cpu (its float64 checks), computes on the device. The real
// WebGPU kernels are checked by test/browser/webgpu_*.test.ts; this checks the examples' code path.
// The stand-in computes with the reference backend whatever TORCHFN_BACKEND is, so one backend's run
// of the suite is enough.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { counts, installFakeWebGPU, resetCounts, uninstallFakeWebGPU } from './support/fake_device.js';
import type { Section } from '../examples/section.js';

const SECTIONS = [
  'sine_fit', 'compile_sine', 'per_sample', 'ensemble', 'laplacian', 'jacobians', 'functional_adam', 'ensemble_train', 'maml',
  'hooks_features', 'grad_inspection', 'grad_cam', 'lora', 'neural_ode', 'bayes_ensemble', 'profiler_step', 'checkpoint_vmap',
  'torchopt_loop', 'lstsq_fit', 'lstm_adding',
];
/** Sections whose checks need float64: they run on cpu and say so. */
const ON_CPU = new Set(['laplacian', 'jacobians', 'lora', 'neural_ode', 'bayes_ensemble', 'checkpoint_vmap', 'lstsq_fit']);

const skip = process.env.TORCHFN_BACKEND === 'wasm' && process.env.TORCHFN_WASM_SMALL_BYTES === undefined ? false : 'runs once, in the wasm pass of the suite (the stand-in device computes with the reference backend)';

before(() => {
  installFakeWebGPU();
  torch.setDefaultDevice('webgpu');
});
after(() => {
  torch.setDefaultDevice('cpu');
  uninstallFakeWebGPU();
});

for (const name of SECTIONS) {
  test(`demo section ${name} on a device that cannot be read synchronously`, { skip }, async () => {
    const { section } = (await import(`../examples/${name}.js`)) as { section: Section };
    resetCounts();
    const log: string[] = [];
    const write = console.log;
    console.log = (...a: unknown[]) => void log.push(a.join(' '));
    let r;
    try {
      r = await section.run();
    } finally {
      console.log = write;
    }
    assert.ok(r.ok, r.summary);
    assert.equal(counts.syncReads, 0, 'a synchronous read of a device tensor');
    assert.equal(torch.getDefaultDevice(), 'webgpu', 'the section left the default device changed');
    const saysCpu = log.some((l) => l.includes('(on cpu, not webgpu'));
    assert.equal(saysCpu, ON_CPU.has(name), saysCpu ? 'the section ran on cpu' : 'the section should say it runs on cpu');
    assert.equal(counts.calls > 0, !ON_CPU.has(name), ON_CPU.has(name) ? 'a section on cpu computed on the device' : 'the section computed nothing on the device');
  });
}
