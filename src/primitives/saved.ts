// Saved tensors: the one point through which an autograd node keeps tensors for its backward
// (a primitive's vjp inputs/output as declared by its `saves`, a custom Function's
// ctx.saveForBackward). Saved-tensor hooks (PyTorch's torch.autograd.graph.saved_tensors_hooks)
// pack each tensor when it is saved and unpack it when backward reads it; the storage version
// check (in-place writes after saving) also lives here. Live records are tracked weakly so
// savedTensorsStats() can report the bytes the live graphs hold.
import { AutogradError } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { logCreations, type Storage, type Tensor } from './value.js';

/** A pair of saved-tensor hooks: `pack` runs when a tensor is saved, `unpack` when backward needs it. */
export interface SavedTensorsHooks {
  pack: (t: Tensor) => unknown;
  unpack: (packed: unknown) => Tensor;
}

const hookStack: SavedTensorsHooks[] = [];

/** The innermost active saved-tensor hooks, or null. */
export function currentSavedTensorsHooks(): SavedTensorsHooks | null {
  return hookStack.length ? hookStack[hookStack.length - 1]! : null;
}

/** Runs fn with `hooks` active for every tensor saved for backward meanwhile. */
export function withSavedTensorsHooks<R>(hooks: SavedTensorsHooks, fn: () => R): R {
  hookStack.push(hooks);
  try {
    return fn();
  } finally {
    hookStack.pop();
  }
}

/** The storage (and its in-place write count) under a value of any level. */
function bottom(t: Tensor): Tensor {
  while (t._storage === null && t._inner !== null) t = t._inner;
  return t;
}

export function storageVersion(t: Tensor): number {
  return bottom(t)._storage?.version ?? 0;
}

export function checkVersion(name: string, t: Tensor, expected: number): void {
  const now = storageVersion(t);
  if (now === expected) return;
  throw new AutogradError(
    `one of the variables needed for gradient computation has been modified by an inplace operation: [${t.dtype} [${t.shape.join(', ')}]], saved by ${name[0]!.toUpperCase()}${name.slice(1)}Backward0, is at version ${now}; expected version ${expected} instead. Hint: compute the value out of place (or clone() it) before modifying it.`,
  );
}

export const FREED_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call backward() or autograd.grad(). ' +
  'Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

const live = new Set<WeakRef<SavedTensors>>();
const finalizer = new FinalizationRegistry<WeakRef<SavedTensors>>((ref) => live.delete(ref));

/**
 * The tensors one autograd node saved for its backward: packed by the active saved-tensor hooks
 * when saved, unpacked (and checked against in-place writes) when backward reads them, dropped when
 * the graph is freed.
 */
export class SavedTensors {
  private packed: unknown[] | null;
  private readonly hooks: SavedTensorsHooks | null;
  private readonly versions: number[] | null;
  private readonly ref: WeakRef<SavedTensors> | null = null;

  /** @param owner The node's name, for error messages. */
  constructor(readonly owner: string, tensors: readonly Tensor[]) {
    this.hooks = currentSavedTensorsHooks();
    if (this.hooks) {
      const h = this.hooks;
      this.packed = tensors.map((t) => h.pack(t));
      this.versions = null;
    } else {
      this.packed = [...tensors];
      this.versions = tensors.map(storageVersion);
    }
    if (this.packed.length > 0) {
      this.ref = new WeakRef(this);
      live.add(this.ref);
      finalizer.register(this, this.ref, this);
    }
  }

  /** Whether saved tensors went through hooks (then the vjp must not keep the originals). */
  get hooked(): boolean {
    return this.hooks !== null;
  }

  get freed(): boolean {
    return this.packed === null;
  }

  /** The saved tensors, unpacked; throws once the graph was freed or a tensor was overwritten. */
  unpack(): Tensor[] {
    const packed = this.packed;
    if (packed === null) throw new AutogradError(FREED_MESSAGE);
    const h = this.hooks;
    if (h === null) {
      (packed as Tensor[]).forEach((t, i) => checkVersion(this.owner, t, this.versions![i]!));
      return packed as Tensor[];
    }
    // Tensors an unpack hook makes (a recomputation) belong to it, not to the backward rule that asked.
    return packed.map((p) => {
      const [t] = logCreations(() => h.unpack(p));
      if (t === null || typeof t !== 'object' || !('shape' in t) || !('dtype' in t)) {
        throw new AutogradError(`saved tensors hooks: the unpack hook must return a Tensor (got ${t === null ? 'null' : typeof t}) for a tensor saved by ${this.owner}`);
      }
      return t;
    });
  }

  /** Drops the saved tensors (the graph was freed by a backward pass without retainGraph). */
  free(): void {
    this.packed = null;
    if (this.ref) {
      live.delete(this.ref);
      finalizer.unregister(this);
    }
  }

  /** The tensors this record holds now (the packed values that are tensors). @internal */
  held(): Tensor[] {
    return (this.packed ?? []).filter((p): p is Tensor => p !== null && typeof p === 'object' && '_storage' in p && 'shape' in p);
  }
}

const ITEMSIZE: Record<DType, number> = { float64: 8, float32: 4, int32: 4, bool: 1 };

/** What the live graphs hold in saved tensors: how many distinct storages and their bytes. */
export interface SavedTensorsStats {
  /** Saved-tensor records (autograd nodes) that hold at least one tensor. */
  nodes: number;
  /** Distinct storages held. */
  storages: number;
  /** Bytes of those storages (the span each holder views, counted once per storage). */
  bytes: number;
}

/** Bytes held by saved tensors of live graphs (each storage counted once). */
export function savedTensorsStats(): SavedTensorsStats {
  const spans = new Map<Storage | Tensor, number>();
  let nodes = 0;
  for (const ref of live) {
    const rec = ref.deref();
    if (rec === undefined || rec.freed) {
      live.delete(ref);
      continue;
    }
    const held = rec.held();
    if (held.length) nodes++;
    for (const t of held) {
      const b = bottom(t);
      const key = b._storage ?? b;
      let extent = 0;
      if (b._storage !== null && b.shape.every((d) => d > 0)) {
        extent = b._offset + 1;
        b.shape.forEach((d, i) => (extent += (d - 1) * Math.abs(b._strides[i] ?? 0)));
      }
      const bytes = extent * ITEMSIZE[b.dtype];
      spans.set(key, Math.max(spans.get(key) ?? 0, bytes));
    }
  }
  let bytes = 0;
  for (const v of spans.values()) bytes += v;
  return { nodes, storages: spans.size, bytes };
}
