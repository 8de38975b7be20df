// Backends by name, and the one new tensors on device 'cpu' are made with. Dispatch of a kernel
// follows its inputs' storage (primitives/concrete.ts); this default only places new tensors.
import type { DType } from '../core/dtype.js';
import { DTypeError, DeviceError, ValueError } from '../core/errors.js';
import type { Backend, Device } from './backend.js';
import { jsBackend } from './cpu/index.js';
import { wasmBackend } from './wasm/index.js';
import { simdAvailable } from './wasm/memory.js';

export type { Backend, Device, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeom, FusedProgram, FusedStep, FusedInput, FusedLiteral, FusedUnary, FusedBinary, FusedWhere, FusedCast, FusedEpilogue } from './backend.js';

const backends = new Map<string, Backend>([['js', jsBackend], ['wasm', wasmBackend]]);

/** TORCHFN_BACKEND=js|wasm picks the CPU backend (tests run the suite once per backend); wasm otherwise. */
function initial(): Backend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TORCHFN_BACKEND;
  if (env !== undefined && env !== '') {
    const b = backends.get(env);
    if (b === undefined) throw new Error(`TORCHFN_BACKEND: unknown backend '${env}' (known: ${[...backends.keys()].join(', ')})`);
    return b;
  }
  return simdAvailable ? wasmBackend : jsBackend;
}
let active: Backend = initial();

/** The backend new tensors on device 'cpu' are made with ('wasm' where WebAssembly SIMD runs, else 'js'). */
export function getBackend(): Backend {
  return active;
}

/** Adds (or replaces) a backend under its `name`, for setBackend to select. */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

/** The names of the registered backends. */
export function backendNames(): string[] {
  return [...backends.keys()];
}

/**
 * Makes new CPU tensors on the backend registered as `name` (an Error for an unknown name); existing
 * tensors stay where they are. Also `torch.backends.use(name)`.
 * @example torch.setBackend('js')
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend(): unknown backend '${name}' (known: ${[...backends.keys()].join(', ')})`);
  active = b;
}

// Devices other than 'cpu' have one backend each, registered once it is known to work (torch.webgpu.init
// registers the WebGPU backend; Node tests register a stand-in).
const deviceBackends = new Map<Device, Backend>();

/**
 * Serves `b.device` (other than 'cpu') with `b` from now on; tensors already on that device keep
 * their backend. Internal: torch.webgpu.init() calls it, and tests register a stand-in device.
 */
export function registerDeviceBackend(b: Backend): void {
  if (b.device === 'cpu') throw new ValueError(`registerDeviceBackend(): backend '${b.name}' serves 'cpu'; use registerBackend for CPU backends`);
  deviceBackends.set(b.device, b);
}

/** Forgets the backend of `device` (tests undo registerDeviceBackend with it). */
export function unregisterDeviceBackend(device: Device): void {
  deviceBackends.delete(device);
  if (defaultDevice === device) defaultDevice = 'cpu';
}

/** Whether `device` has a backend now ('cpu' always has). */
export function deviceAvailable(device: Device): boolean {
  return device === 'cpu' || deviceBackends.has(device);
}

const DEVICES: readonly Device[] = ['cpu', 'webgpu'];

/**
 * `device` checked as a device name (also 'cuda' and 'mps' are refused by name, so a PyTorch habit
 * gets a clear error); `fn` and `arg` name the caller in the error.
 */
export function checkDevice(fn: string, arg: string, device: unknown): Device {
  if (typeof device === 'string' && (DEVICES as readonly string[]).includes(device)) return device as Device;
  throw new DeviceError(`${fn}(): argument '${arg}' must be one of ${DEVICES.map((d) => `'${d}'`).join(', ')}, got ${typeof device === 'string' ? `'${device}'` : String(device)}`);
}

/** The backend new tensors on `device` are made with; a DeviceError naming `fn` when none serves it yet. */
export function backendFor(device: Device, fn = 'backendFor'): Backend {
  if (device === 'cpu') return active;
  const b = deviceBackends.get(device);
  if (b === undefined) {
    throw new DeviceError(`${fn}(): device '${device}' is not available: call (and await) torch.${device}.init() first, and check that it returned true`);
  }
  return b;
}

// WGSL has no 64-bit floats, so neither has a WebGPU device (PyTorch's MPS refuses float64 the same way).
const UNSUPPORTED: Readonly<Record<Device, readonly DType[]>> = { cpu: [], webgpu: ['float64'] };

/** Throws PyTorch-MPS-style DTypeError naming `fn` when `device` cannot hold `dtype`. */
export function checkDeviceDType(fn: string, device: Device, dtype: DType): void {
  if (UNSUPPORTED[device].includes(dtype)) throw new DTypeError(`${fn}(): ${dtype} is not supported on device '${device}'`);
}

/** Whether the host can read this device's memory synchronously (only 'cpu' can). */
export function readsSynchronously(device: Device): boolean {
  return device === 'cpu';
}

let defaultDevice: Device = 'cpu';

/**
 * The device creation functions use when no `device` option is given (torch.get_default_device).
 * @example torch.getDefaultDevice() // 'cpu'
 */
export function getDefaultDevice(): Device {
  return defaultDevice;
}

/**
 * Makes creation functions (`tensor`, `zeros`, `randn`, new modules' parameters...) put new tensors on
 * `device` when no `device` option is given (torch.set_default_device). The device must be available.
 * @example
 * if (await torch.webgpu.init()) torch.setDefaultDevice('webgpu');
 */
export function setDefaultDevice(device: Device): void {
  const d = checkDevice('setDefaultDevice', 'device', device);
  backendFor(d, 'setDefaultDevice');
  defaultDevice = d;
}
