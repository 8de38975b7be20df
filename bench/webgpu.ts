// The WebGPU engines of `npm run bench`. In Node they need the `webgpu` package (Dawn, a dev
// dependency) and a Vulkan driver: a GPU's, or, on a machine without one, the SwiftShader driver
// Debian's chromium ships (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json), a CPU
// emulation that checks the path but says nothing about GPU speed. tfjs-backend-webgpu and jax-js
// look for `navigator.gpu`, which Node lacks: the package's GPU object is put there for them (before
// tfjs-backend-webgpu loads: it registers itself only when it sees one).
import * as torch from '../src/index.js';
import { jax, tf } from './harness.js';

/** Availability of each GPU engine (null: ready, else why not) and the adapter the rows ran on. */
export interface GpuStatus {
  avail: Record<'torchfn-webgpu' | 'tfjs-webgpu' | 'jax-js-webgpu', string | null>;
  /** e.g. "nvidia hopper" or "google swiftshader (software)"; null without an adapter. */
  adapter: string | null;
  /** A CPU emulation (SwiftShader, a fallback adapter): the section runs smaller cases. */
  software: boolean;
}

// Dawn frees the GPU when the object create() returned is garbage collected: held for the process's life.
let gpu: GPU | undefined;

async function installNavigatorGpu(): Promise<string | null> {
  const nav = ((globalThis as unknown as { navigator?: Record<string, unknown> }).navigator ??= {});
  if (nav.gpu) return null;
  let mod: { create(flags: string[]): GPU; globals: object };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    return `the webgpu package does not load: ${(e as Error).message.split('\n')[0]}`;
  }
  Object.assign(globalThis, mod.globals);
  gpu = mod.create([]);
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  // jax-js reads the user agent to tell browsers apart.
  if (typeof nav.userAgent !== 'string') Object.defineProperty(nav, 'userAgent', { value: `Node.js/${process.version}`, configurable: true });
  return null;
}

export async function initWebGPU(): Promise<GpuStatus> {
  const none = (why: string): GpuStatus => ({ avail: { 'torchfn-webgpu': why, 'tfjs-webgpu': why, 'jax-js-webgpu': why }, adapter: null, software: false });
  const missing = await installNavigatorGpu();
  if (missing) return none(missing);
  const nav = (globalThis as unknown as { navigator: { gpu: GPU } }).navigator;
  const adapter = await nav.gpu.requestAdapter();
  if (!adapter) return none('no WebGPU adapter here (Node: the webgpu package found no Vulkan driver)');
  const info = adapter.info;
  const software = info.architecture === 'swiftshader' || (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const why = (e: unknown) => (e as Error).message.split('\n')[0]!;
  const avail: GpuStatus['avail'] = { 'torchfn-webgpu': null, 'tfjs-webgpu': null, 'jax-js-webgpu': null };
  avail['torchfn-webgpu'] = (await torch.webgpu.init()) ? null : 'torch.webgpu.init() found no device';
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) avail['tfjs-webgpu'] = "tf.setBackend('webgpu') returned false";
  } catch (e) {
    avail['tfjs-webgpu'] = `tf.setBackend('webgpu') failed: ${why(e)}`;
  }
  try {
    if (!(await jax.init('webgpu')).includes('webgpu')) avail['jax-js-webgpu'] = 'jax-js found no webgpu device';
  } catch (e) {
    avail['jax-js-webgpu'] = `jax-js webgpu failed: ${why(e)}`;
  }
  const name = [info.vendor, info.architecture, info.description].filter((s) => s).join(' ');
  return { avail, adapter: `${name}${software ? ' (software: a CPU emulation, not a GPU)' : ''}`, software };
}
