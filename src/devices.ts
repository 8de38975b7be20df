// Devices at the top of the API: torch.webgpu (starting the WebGPU backend, waiting for it) and the
// default device. Tensors carry their device (`t.device`) and move with `t.to(device)`; see the
// "Devices" section of the README.
import { checkDevice, deviceAvailable, startWebGPU, synchronizeDevice, getDefaultDevice, setDefaultDevice, type Device } from './primitives/index.js';

export { getDefaultDevice, setDefaultDevice };
export type { Device };

/** Options of `torch.webgpu.init`. */
export interface WebGPUInitOptions {
  /** A `GPUDevice` to compute on, instead of requesting one from `navigator.gpu` (or Node's `webgpu` package). */
  device?: unknown;
}

/**
 * torch.webgpu: the WebGPU device. Start it once with `await torch.webgpu.init()`; tensors then move
 * there with `t.to('webgpu')` (or are made there with `{ device: 'webgpu' }`). The host cannot read GPU
 * memory synchronously: read results with `await t.data()` / `await t.itemAsync()`.
 * @example
 * if (await torch.webgpu.init()) {
 *   const x = torch.randn([1024, 1024], { device: 'webgpu' });
 *   const y = x.matmul(x).sum();
 *   console.log(await y.itemAsync());
 * }
 */
export const webgpu = {
  /**
   * Starts the WebGPU backend and resolves to whether a WebGPU device is available. Idempotent: later
   * calls resolve to the first call's answer (without starting anything again).
   * @example const ok = await torch.webgpu.init();
   */
  async init(options?: WebGPUInitOptions): Promise<boolean> {
    if (deviceAvailable('webgpu')) return true;
    return (await startWebGPU(options)) !== null;
  },
  /**
   * Whether a WebGPU device is ready (synchronous; false until `await torch.webgpu.init()` found one).
   * @example torch.webgpu.isAvailable()
   */
  isAvailable(): boolean {
    return deviceAvailable('webgpu');
  },
  /**
   * Resolves once all work queued on the WebGPU device has finished and every tensor moved to 'cpu'
   * (`t.to('cpu')`, gradients of CPU tensors moved there) has arrived, so it can be read synchronously.
   * @example const h = g.cpu(); await torch.webgpu.synchronize(); h.item();
   */
  async synchronize(): Promise<void> {
    await synchronizeDevice('webgpu');
  },
};

/**
 * Whether tensors can be made on `device` now ('cpu' always; 'webgpu' after a successful
 * `await torch.webgpu.init()`).
 * @example torch.isDeviceAvailable('webgpu')
 */
export function isDeviceAvailable(device: Device): boolean {
  return deviceAvailable(checkDevice('isDeviceAvailable', 'device', device));
}
