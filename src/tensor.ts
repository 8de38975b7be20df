/// <reference lib="esnext.disposable" preserve="true" />
// The user-facing Tensor: PyTorch's methods (camelCase) attached to the primitive layer's value class.
import type { DType } from './core/dtype.js';
import { checkDType, isFloating } from './core/dtype.js';
import { AutogradError, DTypeError, ShapeError, TransformError, fmtShape } from './core/errors.js';
import { broadcastShapes, numel, shapesEqual } from './core/shape.js';
import type { RemovableHandle } from './core/handle.js';
import { Tensor, deviceOf, innermost, isGradEnabled, lax, readHost, release, type Node, type TensorHook } from './primitives/index.js';
import type { BatchLevel } from './transforms/levels_impl.js';
import { assignInPlace } from './transforms/inplace.js';
import { detach } from './transforms/detach.js';
import * as E from './ops/elementwise.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';
import * as LA from './ops/linalg.js';
import * as SO from './ops/sort.js';
import * as A from './ops/autograd.js';
import * as C from './ops/creation.js';
import { index, indexPut_, type Index } from './ops/indexing.js';
import { softmax, logSoftmax } from './ops/softmax.js';
import { formatTensor } from './ops/format.js';
import type { TensorLike } from './ops/scalars.js';

export { Tensor };
export type { TensorLike };

type Dims = R.Dims;
type RO = R.ReduceOptions;

declare module './primitives/value.js' {
  interface Tensor {
    readonly requiresGrad: boolean;
    grad: Tensor | null;
    readonly gradFn: Node | null;
    readonly isLeaf: boolean;
    readonly T: Tensor;
    readonly mT: Tensor;
    readonly device: string;
    numel(): number;
    size(): number[];
    size(dim: number): number;
    dim(): number;
    item(): number;
    tolist(): unknown;
    toArray(): Float32Array | Float64Array | Int32Array | Uint8Array;
    data(): Promise<Float32Array | Float64Array | Int32Array | Uint8Array>;
    toString(): string;
    dispose(): void;
    [Symbol.dispose](): void;
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    bool(): Tensor;
    isFloatingPoint(): boolean;

    add(other: TensorLike, opts?: { alpha?: number }): Tensor;
    sub(other: TensorLike, opts?: { alpha?: number }): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    remainder(other: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    logicalAnd(other: TensorLike): Tensor;
    logicalOr(other: TensorLike): Tensor;
    logicalXor(other: TensorLike): Tensor;
    logicalNot(): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    softplus(opts?: { beta?: number; threshold?: number }): Tensor;
    erf(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    isnan(): Tensor;
    clamp(opts: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike): Tensor;
    where(condition: Tensor, other: TensorLike): Tensor;
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    maskedFill_(mask: Tensor, value: TensorLike): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;

    add_(other: TensorLike, opts?: { alpha?: number }): Tensor;
    sub_(other: TensorLike, opts?: { alpha?: number }): Tensor;
    mul_(other: TensorLike): Tensor;
    div_(other: TensorLike): Tensor;
    pow_(other: TensorLike): Tensor;
    clamp_(opts: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike): Tensor;
    neg_(): Tensor;
    relu_(): Tensor;
    sqrt_(): Tensor;
    exp_(): Tensor;
    zero_(): Tensor;
    fill_(value: TensorLike): Tensor;
    copy_(src: TensorLike): Tensor;
    uniform_(low?: number, high?: number): Tensor;
    normal_(mean?: number, std?: number): Tensor;
    addcmul_(a: Tensor, b: Tensor, opts?: { value?: number }): Tensor;
    addcdiv_(a: Tensor, b: Tensor, opts?: { value?: number }): Tensor;
    lerp_(end: Tensor, weight: number): Tensor;
    maximum_(other: TensorLike): Tensor;
    indexPut_(indices: Index[], value: Tensor | number): Tensor;

    sum(dim?: Dims | RO, keepdim?: boolean): Tensor;
    mean(dim?: Dims | RO, keepdim?: boolean): Tensor;
    prod(dim?: Dims | RO, keepdim?: boolean): Tensor;
    amax(dim?: Dims | RO, keepdim?: boolean): Tensor;
    amin(dim?: Dims | RO, keepdim?: boolean): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): R.ValuesIndices;
    max(other: Tensor): Tensor;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): R.ValuesIndices;
    min(other: Tensor): Tensor;
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    var(dim?: Dims | R.VarOptions, keepdim?: boolean): Tensor;
    std(dim?: Dims | R.VarOptions, keepdim?: boolean): Tensor;
    logsumexp(dim?: Dims | RO, keepdim?: boolean): Tensor;
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor;
    cumsum(dim: number): Tensor;
    sort(dim?: number | SO.SortOptions, descending?: boolean): R.ValuesIndices;
    argsort(dim?: number | SO.SortOptions, descending?: boolean): Tensor;
    topk(k: number, opts?: SO.TopkOptions): R.ValuesIndices;
    any(dim?: Dims, keepdim?: boolean): Tensor;
    all(dim?: Dims, keepdim?: boolean): Tensor;

    reshape(...shape: (number | number[])[]): Tensor;
    view(...shape: (number | number[])[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: number[]): Tensor;
    squeeze(dim?: number | number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    permute(...dims: (number | number[])[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    movedim(source: number | number[], destination: number | number[]): Tensor;
    expand(...sizes: (number | number[])[]): Tensor;
    expandAs(other: Tensor): Tensor;
    broadcastTo(shape: number[]): Tensor;
    contiguous(): Tensor;
    isContiguous(): boolean;
    clone(): Tensor;
    detach(): Tensor;
    select(dim: number, index: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    index(...indices: Index[]): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    split(sizeOrSections: number | number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    flip(dims: number | number[]): Tensor;
    roll(shifts: number | number[], dims?: number | number[]): Tensor;
    repeat(...reps: (number | number[])[]): Tensor;
    triu(diagonal?: number): Tensor;
    tril(diagonal?: number): Tensor;

    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;

    backward(gradient?: Tensor | null, opts?: A.BackwardOpts): void;
    registerHook(hook: TensorHook): RemovableHandle;
    retainGrad(): void;
    readonly retainsGrad: boolean;
    requiresGrad_(on?: boolean): Tensor;
  }
}

const P = Tensor.prototype as unknown as Record<string | symbol, unknown>;

function def(props: Record<string, (this: Tensor, ...a: never[]) => unknown>): void {
  for (const [k, f] of Object.entries(props)) {
    Object.defineProperty(P, k, { value: f, writable: true, configurable: true, enumerable: false });
  }
}
function getters(props: Record<string, PropertyDescriptor>): void {
  for (const [k, d] of Object.entries(props)) Object.defineProperty(P, k, { ...d, configurable: true, enumerable: false });
}

getters({
  requiresGrad: {
    get(this: Tensor) {
      if (this._level !== null && this._level.kind !== 'grad') return this._inner!.requiresGrad;
      return this._requiresGrad;
    },
    set(this: Tensor, on: boolean) {
      A.requiresGrad_(this, on);
    },
  },
  grad: {
    get(this: Tensor) {
      return this._grad;
    },
    set(this: Tensor, g: Tensor | null) {
      if (g !== null && !shapesEqual(g.shape, this.shape)) {
        throw new ShapeError(`assigned grad has data of a different size: ${fmtShape(g.shape)} vs ${fmtShape(this.shape)}`);
      }
      this._grad = g;
    },
  },
  gradFn: { get(this: Tensor) { return this._gradFn; } },
  isLeaf: { get(this: Tensor) { return this._gradFn === null; } },
  retainsGrad: { get(this: Tensor) { return this._retainsGrad; } },
  T: { get(this: Tensor) { return this.ndim <= 2 ? S.t(this) : S.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); } },
  mT: { get(this: Tensor) { return S.mT(this); } },
  device: { get(this: Tensor) { return deviceOf(this); } },
});

/** The concrete tensor holding this value's data; errors under vmap, where a value is per-example. */
function concreteOf(t: Tensor, what: string): Tensor {
  while (t._level !== null) {
    if (t._level.kind === 'batch' && t._level.alive) {
      if (what === 'item') {
        throw new TransformError(
          "vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling .item() on a Tensor, please try to rewrite what you're doing with other operations.",
        );
      }
      throw new TransformError(
        "vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. We don't support that yet, please shout over at https://github.com/pytorch/functorch/issues/257 .",
      );
    }
    t._level.sync(t);
    t = t._inner!;
  }
  if (t._storage === null) throw new TransformError(`${what}(): the tensor was disposed`);
  return t;
}

function readAll(t: Tensor, what: string): Float32Array | Float64Array | Int32Array | Uint8Array {
  const c = concreteOf(t, what);
  return readHost(c);
}

function nested(flat: ArrayLike<number>, shape: readonly number[], dtype: DType): unknown {
  const conv = (v: number) => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(flat[0]!);
  let i = 0;
  const build = (d: number): unknown[] => {
    const out: unknown[] = [];
    for (let k = 0; k < shape[d]!; k++) out.push(d === shape.length - 1 ? conv(flat[i++]!) : build(d + 1));
    return out;
  };
  return build(0);
}

function inplace(fn: string, x: Tensor, r: Tensor): Tensor {
  if (!shapesEqual(r.shape, x.shape)) {
    const b = broadcastShapes(fn, x.shape, r.shape);
    if (!shapesEqual(b, x.shape)) {
      throw new ShapeError(`${fn}(): output with shape ${fmtShape(x.shape)} doesn't match the broadcast shape ${fmtShape(b)}`);
    }
    r = lax.broadcastTo(r, x.shape);
  }
  if (isFloating(r.dtype) && !isFloating(x.dtype)) {
    throw new DTypeError(`${fn}(): result type ${r.dtype} can't be cast to the desired output type ${x.dtype}`);
  }
  return assignInPlace(fn, x, lax.cast(r, x.dtype));
}

/** Under vmap(randomness: 'different'), in-place random needs a batched self to hold per-example draws. */
function checkInplaceRandom(t: Tensor): void {
  const level = innermost('batch') as BatchLevel | null;
  if (level !== null && level.randomness === 'different' && t._level !== level) {
    throw new TransformError(
      'vmap: Cannot ask for different inplace randomness on an unbatched tensor. This will appear like same randomness. If this is necessary for your usage, please file an issue with functorch.',
    );
  }
}

/**
 * The value an in-place op reads, apart from the storage it overwrites: when the op is recorded for
 * autograd, its node must keep the old value, not the new one written over it.
 */
function old(t: Tensor): Tensor {
  return isGradEnabled() && (t._requiresGrad || t._level !== null) ? lax.copyOf(t) : t;
}

const alpha = (o: TensorLike, opts?: { alpha?: number }) => (opts?.alpha !== undefined && opts.alpha !== 1 ? E.mul(o, opts.alpha) : o);

def({
  numel(this: Tensor) { return numel(this.shape); },
  size(this: Tensor, dim?: number) { return dim === undefined ? [...this.shape] : this.shape[dim < 0 ? dim + this.ndim : dim]; },
  dim(this: Tensor) { return this.ndim; },
  item(this: Tensor) {
    const c = concreteOf(this, 'item');
    if (numel(c.shape) !== 1) throw new ShapeError(`item(): a Tensor with ${numel(c.shape)} elements cannot be converted to Scalar`);
    return readHost(c)[0]!;
  },
  toArray(this: Tensor) { return readAll(this, 'toArray'); },
  async data(this: Tensor) { return readAll(this, 'data'); },
  tolist(this: Tensor) { return nested(readAll(this, 'tolist'), this.shape, this.dtype); },
  toString(this: Tensor) {
    const c = concreteOf(this, 'toString');
    const suffix: string[] = [];
    if (this.dtype === 'float64' || this.dtype === 'int32') suffix.push(`dtype=torch.${this.dtype}`);
    if (this._gradFn) suffix.push(`grad_fn=<${this._gradFn.name[0]!.toUpperCase()}${this._gradFn.name.slice(1)}Backward0>`);
    else if (this._requiresGrad) suffix.push('requires_grad=True');
    return formatTensor(readAll(c, 'toString'), this.shape, this.dtype, suffix);
  },
  dispose(this: Tensor) {
    release(this);
    this._grad = null;
  },
  to(this: Tensor, dtype: DType) { return lax.cast(this, checkDType('to', 'dtype', dtype)); },
  float(this: Tensor) { return lax.cast(this, 'float32'); },
  double(this: Tensor) { return lax.cast(this, 'float64'); },
  int(this: Tensor) { return lax.cast(this, 'int32'); },
  bool(this: Tensor) { return lax.cast(this, 'bool'); },
  isFloatingPoint(this: Tensor) { return isFloating(this.dtype); },

  add(this: Tensor, o: TensorLike, opts?: { alpha?: number }) { return E.add(this, alpha(o, opts)); },
  sub(this: Tensor, o: TensorLike, opts?: { alpha?: number }) { return E.sub(this, alpha(o, opts)); },
  mul(this: Tensor, o: TensorLike) { return E.mul(this, o); },
  div(this: Tensor, o: TensorLike) { return E.div(this, o); },
  pow(this: Tensor, o: TensorLike) { return E.pow(this, o); },
  remainder(this: Tensor, o: TensorLike) { return E.remainder(this, o); },
  maximum(this: Tensor, o: TensorLike) { return E.maximum(this, o); },
  minimum(this: Tensor, o: TensorLike) { return E.minimum(this, o); },
  eq(this: Tensor, o: TensorLike) { return E.eq(this, o); },
  ne(this: Tensor, o: TensorLike) { return E.ne(this, o); },
  lt(this: Tensor, o: TensorLike) { return E.lt(this, o); },
  le(this: Tensor, o: TensorLike) { return E.le(this, o); },
  gt(this: Tensor, o: TensorLike) { return E.gt(this, o); },
  ge(this: Tensor, o: TensorLike) { return E.ge(this, o); },
  logicalAnd(this: Tensor, o: TensorLike) { return E.logicalAnd(this, o); },
  logicalOr(this: Tensor, o: TensorLike) { return E.logicalOr(this, o); },
  logicalXor(this: Tensor, o: TensorLike) { return E.logicalXor(this, o); },
  logicalNot(this: Tensor) { return E.logicalNot(this); },
  neg(this: Tensor) { return E.neg(this); },
  abs(this: Tensor) { return E.abs(this); },
  sign(this: Tensor) { return E.sign(this); },
  exp(this: Tensor) { return E.exp(this); },
  log(this: Tensor) { return E.log(this); },
  log1p(this: Tensor) { return E.log1p(this); },
  expm1(this: Tensor) { return E.expm1(this); },
  sqrt(this: Tensor) { return E.sqrt(this); },
  rsqrt(this: Tensor) { return E.rsqrt(this); },
  square(this: Tensor) { return E.square(this); },
  reciprocal(this: Tensor) { return E.reciprocal(this); },
  sin(this: Tensor) { return E.sin(this); },
  cos(this: Tensor) { return E.cos(this); },
  tan(this: Tensor) { return E.tan(this); },
  tanh(this: Tensor) { return E.tanh(this); },
  sigmoid(this: Tensor) { return E.sigmoid(this); },
  relu(this: Tensor) { return E.relu(this); },
  gelu(this: Tensor, o?: { approximate?: 'none' | 'tanh' }) { return E.gelu(this, o); },
  softplus(this: Tensor, o?: { beta?: number; threshold?: number }) { return E.softplus(this, o); },
  erf(this: Tensor) { return E.erf(this); },
  floor(this: Tensor) { return E.floor(this); },
  ceil(this: Tensor) { return E.ceil(this); },
  round(this: Tensor) { return E.round(this); },
  isnan(this: Tensor) { return E.isnan(this); },
  clamp(this: Tensor, o: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike) { return E.clamp(this, o, max); },
  where(this: Tensor, cond: Tensor, other: TensorLike) { return E.where(cond, this, other); },
  maskedFill(this: Tensor, mask: Tensor, value: TensorLike) { return E.maskedFill(this, mask, value); },
  maskedFill_(this: Tensor, mask: Tensor, value: TensorLike) { return inplace('maskedFill_', this, E.maskedFill(old(this), mask, value)); },
  softmax(this: Tensor, dim: number) { return softmax(this, dim); },
  logSoftmax(this: Tensor, dim: number) { return logSoftmax(this, dim); },

  add_(this: Tensor, o: TensorLike, opts?: { alpha?: number }) { return inplace('add_', this, E.add(old(this), alpha(o, opts))); },
  sub_(this: Tensor, o: TensorLike, opts?: { alpha?: number }) { return inplace('sub_', this, E.sub(old(this), alpha(o, opts))); },
  mul_(this: Tensor, o: TensorLike) { return inplace('mul_', this, E.mul(old(this), o)); },
  div_(this: Tensor, o: TensorLike) { return inplace('div_', this, E.div(old(this), o)); },
  pow_(this: Tensor, o: TensorLike) { return inplace('pow_', this, E.pow(old(this), o)); },
  maximum_(this: Tensor, o: TensorLike) { return inplace('maximum_', this, E.maximum(old(this), o)); },
  clamp_(this: Tensor, o: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike) { return inplace('clamp_', this, E.clamp(old(this), o, max)); },
  neg_(this: Tensor) { return inplace('neg_', this, E.neg(old(this))); },
  relu_(this: Tensor) { return inplace('relu_', this, E.relu(old(this))); },
  sqrt_(this: Tensor) { return inplace('sqrt_', this, E.sqrt(old(this))); },
  exp_(this: Tensor) { return inplace('exp_', this, E.exp(old(this))); },
  zero_(this: Tensor) { return inplace('zero_', this, lax.scalarLike(this, 0)); },
  fill_(this: Tensor, v: TensorLike) { return inplace('fill_', this, typeof v === 'object' ? v : lax.scalarLike(this, Number(v))); },
  copy_(this: Tensor, src: TensorLike) {
    const s = typeof src === 'object' ? lax.cast(src, this.dtype) : lax.scalarLike(this, Number(src));
    return inplace('copy_', this, s);
  },
  uniform_(this: Tensor, low = 0, high = 1) {
    checkInplaceRandom(this);
    return A.noGrad(() => inplace('uniform_', this, E.add(E.mul(C.rand(this.shape, { dtype: this.dtype }), high - low), low)));
  },
  normal_(this: Tensor, mean = 0, std = 1) {
    checkInplaceRandom(this);
    return A.noGrad(() => inplace('normal_', this, E.add(E.mul(C.randn(this.shape, { dtype: this.dtype }), std), mean)));
  },
  addcmul_(this: Tensor, a: Tensor, b: Tensor, o?: { value?: number }) { return inplace('addcmul_', this, E.add(old(this), E.mul(E.mul(a, b), o?.value ?? 1))); },
  addcdiv_(this: Tensor, a: Tensor, b: Tensor, o?: { value?: number }) { return inplace('addcdiv_', this, E.add(old(this), E.mul(E.div(a, b), o?.value ?? 1))); },
  lerp_(this: Tensor, end: Tensor, w: number) {
    const start = old(this);
    return inplace('lerp_', this, E.add(start, E.mul(E.sub(end, start), w)));
  },
  indexPut_(this: Tensor, indices: Index[], value: Tensor | number) { return indexPut_(this, indices, value); },

  sum(this: Tensor, d?: Dims | RO, k?: boolean) { return R.sum(this, d, k); },
  mean(this: Tensor, d?: Dims | RO, k?: boolean) { return R.mean(this, d, k); },
  prod(this: Tensor, d?: Dims | RO, k?: boolean) { return R.prod(this, d, k); },
  amax(this: Tensor, d?: Dims | RO, k?: boolean) { return R.amax(this, d, k); },
  amin(this: Tensor, d?: Dims | RO, k?: boolean) { return R.amin(this, d, k); },
  max(this: Tensor, d?: number | Tensor, k?: boolean) { return (R.max as (x: Tensor, d?: number | Tensor, k?: boolean) => unknown)(this, d, k); },
  min(this: Tensor, d?: number | Tensor, k?: boolean) { return (R.min as (x: Tensor, d?: number | Tensor, k?: boolean) => unknown)(this, d, k); },
  argmax(this: Tensor, d?: number | null, k?: boolean) { return R.argmax(this, d, k); },
  argmin(this: Tensor, d?: number | null, k?: boolean) { return R.argmin(this, d, k); },
  var(this: Tensor, d?: Dims | R.VarOptions, k?: boolean) { return R.variance(this, d, k); },
  std(this: Tensor, d?: Dims | R.VarOptions, k?: boolean) { return R.std(this, d, k); },
  logsumexp(this: Tensor, d?: Dims | RO, k?: boolean) { return R.logsumexp(this, d, k); },
  norm(this: Tensor, p?: number | 'fro', d?: Dims, k?: boolean) { return R.norm(this, p, d, k); },
  cumsum(this: Tensor, d: number) { return R.cumsum(this, d); },
  sort(this: Tensor, d?: number | SO.SortOptions, desc?: boolean) { return SO.sort(this, d, desc); },
  argsort(this: Tensor, d?: number | SO.SortOptions, desc?: boolean) { return SO.argsort(this, d, desc); },
  topk(this: Tensor, k: number, o?: SO.TopkOptions) { return SO.topk(this, k, o); },
  any(this: Tensor, d?: Dims, k?: boolean) { return R.any(this, d, k); },
  all(this: Tensor, d?: Dims, k?: boolean) { return R.all(this, d, k); },

  reshape(this: Tensor, ...s: (number | number[])[]) { return S.reshape(this, ...s); },
  view(this: Tensor, ...s: (number | number[])[]) { return S.view(this, ...s); },
  flatten(this: Tensor, a?: number, b?: number) { return S.flatten(this, a, b); },
  unflatten(this: Tensor, d: number, s: number[]) { return S.unflatten(this, d, s); },
  squeeze(this: Tensor, d?: number | number[]) { return S.squeeze(this, d); },
  unsqueeze(this: Tensor, d: number) { return S.unsqueeze(this, d); },
  permute(this: Tensor, ...d: (number | number[])[]) { return S.permute(this, ...d); },
  transpose(this: Tensor, a: number, b: number) { return S.transpose(this, a, b); },
  t(this: Tensor) { return S.t(this); },
  movedim(this: Tensor, s: number | number[], d: number | number[]) { return S.movedim(this, s, d); },
  expand(this: Tensor, ...s: (number | number[])[]) { return S.expand(this, ...s); },
  expandAs(this: Tensor, o: Tensor) { return S.expandAs(this, o); },
  broadcastTo(this: Tensor, s: number[]) { return S.broadcastTo(this, s); },
  contiguous(this: Tensor) { return S.contiguous(this); },
  isContiguous(this: Tensor) { return this._storage === null || S.contiguous(this) === this; },
  clone(this: Tensor) { return S.clone(this); },
  detach(this: Tensor) { return detach(this); },
  select(this: Tensor, d: number, i: number) { return S.select(this, d, i); },
  narrow(this: Tensor, d: number, s: number, l: number) { return S.narrow(this, d, s, l); },
  index(this: Tensor, ...ix: Index[]) { return index(this, ...ix); },
  gather(this: Tensor, d: number, i: Tensor) { return S.gather(this, d, i); },
  scatter(this: Tensor, d: number, i: Tensor, s: Tensor | number) { return S.scatter(this, d, i, s); },
  scatterAdd(this: Tensor, d: number, i: Tensor, s: Tensor) { return S.scatterAdd(this, d, i, s); },
  indexSelect(this: Tensor, d: number, i: Tensor) { return S.indexSelect(this, d, i); },
  split(this: Tensor, s: number | number[], d?: number) { return S.split(this, s, d); },
  chunk(this: Tensor, c: number, d?: number) { return S.chunk(this, c, d); },
  unbind(this: Tensor, d?: number) { return S.unbind(this, d); },
  flip(this: Tensor, d: number | number[]) { return S.flip(this, d); },
  roll(this: Tensor, s: number | number[], d?: number | number[]) { return S.roll(this, s, d); },
  repeat(this: Tensor, ...r: (number | number[])[]) { return S.repeat(this, ...r); },
  triu(this: Tensor, d?: number) { return S.triu(this, d); },
  tril(this: Tensor, d?: number) { return S.tril(this, d); },

  matmul(this: Tensor, o: Tensor) { return LA.matmul(this, o); },
  mm(this: Tensor, o: Tensor) { return LA.mm(this, o); },
  bmm(this: Tensor, o: Tensor) { return LA.bmm(this, o); },
  dot(this: Tensor, o: Tensor) { return LA.dot(this, o); },
  outer(this: Tensor, o: Tensor) { return LA.outer(this, o); },

  backward(this: Tensor, g?: Tensor | null, o?: A.BackwardOpts) { A.backward(this, g, o); },
  registerHook(this: Tensor, h: TensorHook) { return A.registerHook(this, h); },
  retainGrad(this: Tensor) { A.retainGrad(this); },
  requiresGrad_(this: Tensor, on?: boolean) { return A.requiresGrad_(this, on); },
});

Object.defineProperty(P, Symbol.dispose, {
  value(this: Tensor) {
    this.dispose();
  },
  configurable: true,
});

// `x > 0` on a one-element tensor reads its value, as Python's bool(x); under vmap that is
// data-dependent control flow, an error.
Object.defineProperty(P, Symbol.toPrimitive, {
  value(this: Tensor, hint: string) {
    if (hint === 'string') return this.toString();
    const c = concreteOf(this, 'control flow');
    if (numel(c.shape) !== 1) throw new AutogradError(`Boolean value of Tensor with more than one value is ambiguous (shape ${fmtShape(this.shape)})`);
    return readHost(c)[0]!;
  },
  configurable: true,
});
Object.defineProperty(P, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor) {
    try {
      return this.toString();
    } catch {
      return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype})`;
    }
  },
  configurable: true,
});
