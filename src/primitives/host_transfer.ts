// Copies to 'cpu' from a device the host cannot read synchronously (webgpu). Such a copy cannot finish
// inside a synchronous call (`t.to('cpu')`, the gradient of a cpu tensor moved to the device), so the
// cpu tensor it makes starts out in flight, as PyTorch's non_blocking copies do, which are valid after
// a synchronize: its storage is filled when the device's readAsync resolves. Using its values earlier
// is a DeviceError rather than garbage; `await t.data()` and `await torch.webgpu.synchronize()` wait.
import type { DType } from '../core/dtype.js';
import { DeviceError } from '../core/errors.js';
import { getBackend, type Backend, type Device, type View } from '../backend/index.js';
import { Storage } from './value.js';

/** The buffer of an in-flight storage: the transfer, not memory. */
interface InFlight {
  promise: Promise<void>;
  readonly from: Device;
  cancelled: boolean;
  error: unknown;
}

const pending = new Set<Promise<void>>();

function notArrived(from: Device, fn?: string): DeviceError {
  return new DeviceError(
    `${fn === undefined ? '' : `${fn}(): `}this cpu tensor is a copy from '${from}' that has not arrived yet (the host reads device memory ` +
      `asynchronously, so .to('cpu') results and gradients that backward() sends back to cpu tensors arrive later); ` +
      `\`await torch.${from}.synchronize()\` or \`await tensor.data()\` before using its values, or keep that computation on '${from}'`,
  );
}

/** The device an in-flight buffer among a kernel's arguments (views, lists of views) comes from. */
function sourceOf(args: readonly unknown[]): Device {
  for (const a of args.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
    const buf = (a as { buf?: Partial<InFlight> } | null)?.buf;
    if (buf?.from !== undefined) return buf.from;
  }
  return 'webgpu';
}

// Every kernel of this stand-in throws: a storage only has it until its values land on the CPU backend.
const base = {
  name: 'in-flight',
  device: 'cpu' as Device,
  adopt: undefined,
  readAsync: undefined,
  synchronize: undefined,
  free(buf: unknown): void {
    (buf as InFlight).cancelled = true;
  },
};
const arrivingBackend = new Proxy(base, {
  get(target, key) {
    if (key in target) return target[key as keyof typeof base];
    return (...args: unknown[]) => {
      throw notArrived(sourceOf(args));
    };
  },
}) as unknown as Backend;

/** Whether `s` still waits for its values. */
export function isArriving(s: Storage): boolean {
  return s.backend === arrivingBackend;
}

/** The DeviceError that reading an in-flight storage is, naming `fn`. */
export function arrivingError(s: Storage, fn: string): DeviceError {
  return notArrived((s.buf as InFlight).from, fn);
}

/** A cpu storage that will hold the row-major values of `view` (on `src`) once the device has sent them. */
export function arriving(src: Backend, view: View, dtype: DType): Storage {
  const rec: InFlight = { promise: Promise.resolve(), from: src.device, cancelled: false, error: undefined };
  const storage = new Storage(rec, arrivingBackend);
  const read = src.readAsync ? src.readAsync(view) : Promise.resolve().then(() => src.read(view));
  const done = read.then(
    (data) => {
      if (rec.cancelled) return;
      const cpu = getBackend();
      storage.buf = cpu.fromArray(dtype, data);
      storage.backend = cpu;
      cpu.adopt?.(storage, storage.buf);
    },
    // Kept for whoever awaits this tensor; a rejection nobody awaits must not crash the process.
    (e: unknown) => {
      rec.error = e;
    },
  );
  rec.promise = done;
  pending.add(done);
  void done.then(() => pending.delete(done));
  return storage;
}

/** Resolves once `s` holds its values (at once for an ordinary storage); rejects if the copy failed. */
export async function arrived(s: Storage): Promise<void> {
  if (!isArriving(s)) return;
  const rec = s.buf as InFlight;
  await rec.promise;
  if (rec.error !== undefined) throw rec.error;
}

/** Resolves once every copy to the host started so far has landed. */
export async function allArrived(): Promise<void> {
  await Promise.all([...pending]);
}
