// The demo's device: which one the sections run on (`--device webgpu` or TORCHFN_DEVICE=webgpu;
// 'cpu' by default), and the helpers the sections share so that one code path serves every device:
// reads are asynchronous everywhere (a 'webgpu' tensor cannot be read synchronously), and the
// float64 parts run on 'cpu' (which 'webgpu' lacks).
import * as torch from '../src/index.js';
import type { Device, Tensor } from '../src/index.js';

const DEVICES: readonly Device[] = ['cpu', 'webgpu'];

/** A bad `--device` / TORCHFN_DEVICE value: the demo prints the message and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The device asked for: `--device <d>` or `--device=<d>` among `argv`, else TORCHFN_DEVICE, else 'cpu'.
 * @example requestedDevice(process.argv.slice(2), process.env)
 */
export function requestedDevice(argv: readonly string[], env: NodeJS.ProcessEnv): Device {
  let value: string | undefined;
  let from = 'TORCHFN_DEVICE';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--device') {
      value = argv[++i];
      from = '--device';
      if (value === undefined) throw new UsageError(`--device needs a value: one of ${DEVICES.join(', ')}`);
    } else if (a.startsWith('--device=')) {
      value = a.slice('--device='.length);
      from = '--device';
    } else {
      throw new UsageError(`unknown argument '${a}' (usage: demo [--device ${DEVICES.join('|')}])`);
    }
  }
  value ??= env.TORCHFN_DEVICE || 'cpu';
  if (!(DEVICES as readonly string[]).includes(value)) throw new UsageError(`${from}: unknown device '${value}' (expected one of ${DEVICES.join(', ')})`);
  return value as Device;
}

/**
 * Runs `fn` with 'cpu' as the default device, for the parts 'webgpu' cannot run (float64); `why`
 * is printed when that moves the work off the demo's device, so the output says where it ran.
 */
export async function onCpu<T>(why: string, fn: () => Promise<T>): Promise<T> {
  const device = torch.getDefaultDevice();
  if (device === 'cpu') return fn();
  console.log(`  (on cpu, not ${device}: ${why})`);
  torch.setDefaultDevice('cpu');
  try {
    return await fn();
  } finally {
    torch.setDefaultDevice(device);
  }
}

/**
 * Waits for the work queued on the device, so wall-clock timings measure the work and not just
 * its queueing (on 'cpu' ops run as they are called: nothing to wait for).
 */
export async function synchronize(): Promise<void> {
  if (torch.webgpu.isAvailable()) await torch.webgpu.synchronize();
}

/** The values of several scalar tensors in one read (one wait for the device instead of one each). */
export async function items(ts: readonly Tensor[]): Promise<number[]> {
  if (ts.length === 0) return [];
  return [...(await torch.stack(ts.map((t) => t.detach().reshape([]))).data())];
}

/** max |a − b| over all elements (shapes must match). */
export async function maxAbsDiff(a: Tensor, b: Tensor): Promise<number> {
  if (a.shape.join() !== b.shape.join()) throw new Error(`maxAbsDiff: shapes [${a.shape}] and [${b.shape}] differ`);
  return torch.noGrad(() => a.sub(b).abs().max()).itemAsync();
}
