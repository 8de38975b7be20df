// The device registry as the layers above see it: which devices exist, the default one, the checks
// creation functions make, starting WebGPU and waiting for a device. Re-exported here so that nothing
// above primitives/ imports backend/.
import { backendFor, deviceAvailable, type Device } from '../backend/index.js';
import { allArrived } from './host_transfer.js';

export {
  checkDevice, checkDeviceDType, deviceAvailable, getDefaultDevice, setDefaultDevice, registerDeviceBackend, unregisterDeviceBackend,
} from '../backend/index.js';
export { startWebGPU } from '../backend/webgpu_loader.js';

/**
 * Resolves once every kernel queued on `device` has finished and every copy from it to the host has
 * landed (so tensors moved to 'cpu' can be read synchronously).
 */
export async function synchronizeDevice(device: Device): Promise<void> {
  if (deviceAvailable(device)) await backendFor(device).synchronize?.();
  await allArrived();
}
