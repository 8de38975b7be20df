// The Tensor value that flows through primitives: either concrete (a strided view over a backend
// buffer) or a wrapper owned by one transform level (batched, dual, or a grad-level tensor with its
// own autograd history). User-facing methods are attached by ../tensor.ts.
import type { DType } from '../core/dtype.js';
import { TorchfnError } from '../core/errors.js';
import type { Backend, Device, View } from '../backend/backend.js';
import type { Level } from './levels.js';
import type { Node } from './autograd_meta.js';

/**
 * Backing memory shared by a tensor and its views: an opaque buffer of one backend. `version` counts
 * in-place writes; `holders` counts the tensors over it that were not disposed, so dispose() frees
 * the memory only when no other view still reads it.
 */
export class Storage {
  version = 0;
  holders = 0;
  // `backend` changes once, when a copy arriving from a device lands in host memory (host_transfer.ts).
  constructor(public buf: unknown, public backend: Backend) {
    backend.adopt?.(this, buf);
  }
}

/** How a view was made from its base, so an in-place write through it can be replayed for autograd. */
export interface ViewStep {
  prim: string;
  params: unknown;
}

/** Tensors made while a creation log is open (the backward engine frees a rule's temporaries). */
let creationLog: Tensor[] | null = null;

/** Runs fn and returns what it returned with every tensor created meanwhile. */
export function logCreations<R>(fn: () => R): [R, Tensor[]] {
  const prev = creationLog;
  const log: Tensor[] = [];
  creationLog = log;
  try {
    return [fn(), log];
  } finally {
    creationLog = prev;
  }
}

/**
 * Runs fn with the creation log suspended: what it makes is not a temporary of the enclosing rule
 * (compile keeps such tensors as state that outlives the trace, e.g. an optimizer's moments).
 */
export function untracked<R>(fn: () => R): R {
  const prev = creationLog;
  creationLog = null;
  try {
    return fn();
  } finally {
    creationLog = prev;
  }
}

/**
 * An n-dimensional array with eager autograd (torch.Tensor). Tensors are made by the factory
 * functions (`torch.tensor`, `zeros`, `randn`, ...) and by operations; the methods mirror PyTorch's
 * with camelCase names (`logSoftmax`, `maskedFill_`, `requiresGrad_`), a trailing `_` marking an
 * in-place op that overwrites this tensor and returns it. Keyword arguments become a trailing
 * options object (`x.add(y, { alpha: 2 })`).
 * @example
 * const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad!.tolist(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** The size of each dimension (PyTorch's `x.shape`, a plain array rather than torch.Size). */
  readonly shape: number[];
  /** The element type: 'float32', 'float64', 'int32' or 'bool'. */
  readonly dtype: DType;
  // concrete tensors
  /** @internal */
  _storage: Storage | null = null;
  /** @internal */
  _strides: number[] = [];
  /** @internal */
  _offset = 0;
  /** The tensor this one is a view of (PyTorch's ._base), with the steps that produced it. @internal */
  _base: Tensor | null = null;
  /** @internal */
  _viewSteps: ViewStep[] | null = null;
  /**
   * Storage version this view's autograd history reflects; a later write elsewhere makes it stale.
   * @internal
   */
  _viewVersion = 0;
  // wrappers
  /** @internal */
  _level: Level | null = null;
  /** @internal */
  _inner: Tensor | null = null;
  /**
   * @internal Whether user code may hold this tensor as a .grad (it was read through the `grad` getter or
   * assigned with its setter); a .grad that never escaped can be freed when a compiled step replaces it.
   */
  _escaped = false;
  /** @internal The device of a tensor that has no data and wraps nothing (a compile tracer). */
  _device: Device | null = null;
  /** @internal */
  _bdim = 0;
  /** @internal */
  _tangent: Tensor | null = null;
  // autograd, for the level this tensor lives on (eager for concrete tensors)
  /** @internal */
  _requiresGrad = false;
  /** @internal */
  _gradFn: Node | null = null;
  /** @internal */
  _grad: Tensor | null = null;
  /** @internal */
  _accNode: Node | null = null;
  /** @internal */
  _retainsGrad = false;

  /**
   * Low level: a tensor value with no data yet. User code makes tensors with the factory functions
   * (`torch.tensor`, `zeros`, ...) instead.
   */
  constructor(shape: number[], dtype: DType) {
    this.shape = shape;
    this.dtype = dtype;
    if (creationLog !== null) creationLog.push(this);
  }

  /** A tensor viewing `storage` with the given strides and offset. @internal */
  static concrete(shape: number[], dtype: DType, storage: Storage, strides: number[], offset: number): Tensor {
    const t = new Tensor(shape, dtype);
    t._storage = storage;
    storage.holders++;
    t._strides = strides;
    t._offset = offset;
    return t;
  }

  /** The number of dimensions (PyTorch's `x.ndim`, also `x.dim()`). */
  get ndim(): number {
    return this.shape.length;
  }

  /** The strided window for kernels; only for concrete tensors. @internal */
  _view(): View {
    const s = this._storage;
    if (s === null) throw new TorchfnError('this tensor was disposed (dispose() or a `using` block released its memory); it can no longer be used');
    return { buf: s.buf, dtype: this.dtype, shape: this.shape, strides: this._strides, offset: this._offset };
  }
}
