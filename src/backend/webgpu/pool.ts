/// <reference types="@webgpu/types" />
// Recycles GPU buffers by size class. Creating a GPUBuffer is far slower than reusing one, and a training
// loop allocates the same sizes every step, so a freed buffer waits in its class for the next request.
// Freed buffers are quarantined until the next submit: a buffer that an unsubmitted command still reads
// must not be handed to `queue.writeBuffer`, which would run before that command.

/** The byte size a request for `bytes` is rounded up to: powers of two up to 1 MiB, then eighths of an octave. */
export function sizeClass(bytes: number): number {
  const b = Math.max(bytes, 256);
  const p = 2 ** Math.ceil(Math.log2(b));
  if (p <= 1 << 20) return p;
  const step = p / 16;
  return Math.ceil(b / step) * step;
}

/** Storage-buffer usage of every pooled buffer: kernels read and write it, copies move data in and out. */
const USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

/** A size-classed free list of storage buffers, with a quarantine that the next submit clears. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private quarantine: GPUBuffer[] = [];
  private pooledBytes = 0;
  /** Buffers handed out from the free lists (not created): lets tests see that recycling happens. */
  reused = 0;
  /** Buffers created. */
  created = 0;

  constructor(private readonly device: GPUDevice, private readonly maxPooledBytes = 512 * 2 ** 20) {}

  /** A storage buffer of at least `bytes` bytes (its size is the size class). */
  acquire(bytes: number): GPUBuffer {
    const cls = sizeClass(bytes);
    const list = this.free.get(cls);
    const buf = list?.pop();
    if (buf !== undefined) {
      this.pooledBytes -= cls;
      this.reused++;
      return buf;
    }
    this.created++;
    return this.device.createBuffer({ size: cls, usage: USAGE });
  }

  /** Gives `buf` back; it becomes reusable after the next submit. */
  release(buf: GPUBuffer): void {
    this.quarantine.push(buf);
  }

  /** Called right after a submit: quarantined buffers join the free lists (or are destroyed past the cap). */
  settle(): void {
    const q = this.quarantine;
    this.quarantine = [];
    for (const buf of q) {
      const cls = buf.size;
      if (this.pooledBytes + cls > this.maxPooledBytes) {
        buf.destroy();
        continue;
      }
      let list = this.free.get(cls);
      if (list === undefined) this.free.set(cls, (list = []));
      list.push(buf);
      this.pooledBytes += cls;
    }
  }

  /** Destroys every pooled buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
  }
}
