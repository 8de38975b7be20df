// Starting the WebGPU backend on demand. The backend (./webgpu/) is imported only when asked for, so the
// CPU-only library never loads it, and a runtime where it cannot load reports "not available" instead
// of failing.
import type { Backend } from './backend.js';
import { registerDeviceBackend } from './index.js';

/** What ./webgpu/index.js provides: a backend for device 'webgpu', or null when there is no adapter. */
interface WebGPUModule {
  createWebGPUBackend(options?: { device?: unknown }): Promise<Backend | null>;
}

let started: Promise<Backend | null> | null = null;

async function start(options?: { device?: unknown }): Promise<Backend | null> {
  let mod: WebGPUModule;
  try {
    mod = await import('./webgpu/index.js');
  } catch {
    return null;
  }
  try {
    const b = await mod.createWebGPUBackend(options);
    if (b !== null) registerDeviceBackend(b);
    return b;
  } catch {
    return null;
  }
}

/**
 * Starts the WebGPU backend once (later calls share the first one's result) and registers it for
 * device 'webgpu'; resolves to it, or null when WebGPU is not available here.
 */
export function startWebGPU(options?: { device?: unknown }): Promise<Backend | null> {
  started ??= start(options);
  return started;
}
