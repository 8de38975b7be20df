// A stand-in for the GPU in Node tests (this machine has none): a Backend registered for device 'webgpu'
// that computes with the reference backend (jsBackend) but, like WebGPU, cannot be read synchronously:
// `read` throws and counts its calls, `readAsync` and `synchronize` resolve on a later tick. Tests that
// run models on it and then find `syncReads === 0` show that the library never reads a device tensor
// behind the user's back.
import type { TypedArray } from '../../src/core/dtype.js';
import type { Backend, View } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/cpu/index.js';
import { registerDeviceBackend, unregisterDeviceBackend } from '../../src/backend/index.js';

/** The fake device's read counters. */
export interface FakeDeviceCounts {
  /** Calls of the synchronous `read` (each one threw). */
  syncReads: number;
  /** Calls of `readAsync`. */
  asyncReads: number;
  /** Calls of `synchronize`. */
  synchronizes: number;
  /** Calls of every other method (kernels, allocation, uploads): the device was computed on. */
  calls: number;
}

export const counts: FakeDeviceCounts = { syncReads: 0, asyncReads: 0, synchronizes: 0, calls: 0 };

/** jsBackend's methods, each counting its calls in `counts.calls`. */
const counted = Object.fromEntries(
  Object.entries(jsBackend).map(([k, v]) => [k, typeof v === 'function' ? (...a: unknown[]) => (counts.calls++, (v as (...b: unknown[]) => unknown).apply(jsBackend, a)) : v]),
) as typeof jsBackend;

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export const fakeWebGPU: Backend<TypedArray> = {
  ...counted,
  name: 'fake-webgpu',
  device: 'webgpu',
  read(_x: View<TypedArray>): TypedArray {
    counts.syncReads++;
    throw new Error('fake webgpu: read() is synchronous and the device cannot be read synchronously');
  },
  async readAsync(x: View<TypedArray>): Promise<TypedArray> {
    counts.asyncReads++;
    const out = jsBackend.read(x); // copied now, as a queued copy would be, delivered later
    const failure = nextReadFailure;
    nextReadFailure = null;
    await tick();
    if (failure) throw failure;
    return out;
  },
  async synchronize(): Promise<void> {
    counts.synchronizes++;
    await tick();
  },
};

let nextReadFailure: Error | null = null;

/** The next `readAsync` rejects with `e`, as a copy from a lost or failing device would. */
export function failNextRead(e: Error): void {
  nextReadFailure = e;
}

/** Registers the fake as device 'webgpu' and zeroes its counters. */
export function installFakeWebGPU(): void {
  registerDeviceBackend(fakeWebGPU);
  resetCounts();
}

/** Removes it again (device 'webgpu' is then unavailable). */
export function uninstallFakeWebGPU(): void {
  unregisterDeviceBackend('webgpu');
}

export function resetCounts(): void {
  counts.syncReads = 0;
  counts.asyncReads = 0;
  counts.synchronizes = 0;
  counts.calls = 0;
}
