/// <reference lib="esnext.disposable" preserve="true" />
// The user-facing Tensor: PyTorch's methods (camelCase) attached to the primitive layer's value class.
import type { DType } from './core/dtype.js';
import { checkDType, isFloating } from './core/dtype.js';
import { AutogradError, CompileError, DTypeError, DeviceError, ShapeError, TorchTypeError, TransformError, fmtShape } from './core/errors.js';
import { broadcastShapes, numel, shapesEqual } from './core/shape.js';
import type { RemovableHandle } from './core/handle.js';
import { DTYPES } from './core/dtype.js';
import {
  Tensor, checkDevice, currentTracing, devicePut, deviceOf, innermost, isGradEnabled, lax, readHost, readHostAsync, readableNow, release, type Device, type Node, type TensorHook,
} from './primitives/index.js';
import type { BatchLevel } from './transforms/levels_impl.js';
import { assignInPlace } from './transforms/inplace.js';
import type { TraceLevel } from './transforms/trace_level.js';
import { detach } from './transforms/detach.js';
import * as E from './ops/elementwise.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';
import * as LA from './ops/linalg.js';
import * as SO from './ops/sort.js';
import * as A from './ops/autograd.js';
import * as C from './ops/creation.js';
import * as EV from './ops/everyday.js';
import { index, indexPut_, type Index } from './ops/indexing.js';
import { softmax, logSoftmax } from './ops/softmax.js';
import { formatTensor, parameterTensors } from './ops/format.js';
import type { TensorLike } from './ops/scalars.js';

export { Tensor };
export type { TensorLike };

/**
 * What `Tensor.tolist()` returns: a number (a boolean for a bool tensor) for a 0-d tensor, else
 * nested arrays of them, one level per dimension.
 */
export type NestedList = number | boolean | NestedList[];

type Dims = R.Dims;
type RO = R.ReduceOptions;

declare module './primitives/value.js' {
  interface Tensor {
    /**
     * Whether autograd records operations on this tensor (PyTorch's `requires_grad`); change it with
     * `requiresGrad_()`.
     */
    readonly requiresGrad: boolean;
    /**
     * The gradient accumulated by `backward()` (`.grad`): set on leaves that require grad and on
     * tensors that called `retainGrad()`, null until then. Assigning checks the shape.
     * @example loss.backward(); w.grad!.shape
     */
    grad: Tensor | null;
    /**
     * The autograd node that produced this tensor (`grad_fn`); null for leaves and tensors made without
     * grad.
     */
    readonly gradFn: Node | null;
    /**
     * True when the tensor was not produced by a recorded operation (`is_leaf`): user-created tensors
     * and parameters.
     */
    readonly isLeaf: boolean;
    /** The tensor with all its dims reversed (PyTorch's `.T`; the plain transpose for 2-D). */
    readonly T: Tensor;
    /** The last two dims transposed (PyTorch's `.mT`), for batches of matrices. */
    readonly mT: Tensor;
    /**
     * The device the data lives on: 'cpu' (served by the wasm or js backend) or 'webgpu'. Operations run
     * on their inputs' device; move a tensor with `to(device)`.
     * @example torch.zeros([2]).device // 'cpu'
     */
    readonly device: Device;
    /** The number of elements (product of the shape). */
    numel(): number;
    /** The shape as a fresh array (PyTorch's `size()`). */
    size(): number[];
    /**
     * The size of one dim (negative counts from the end).
     * @example x.size(-1)
     */
    size(dim: number): number;
    /** The number of dimensions (also `ndim`). */
    dim(): number;
    /**
     * The value of a one-element tensor as a number (bool tensors give 0 or 1). Reads the data
     * synchronously: an error under vmap, and a DeviceError on 'webgpu' (use `await itemAsync()`).
     * @example loss.item()
     */
    item(): number;
    /**
     * `item()` on any device: the value of a one-element tensor, once the device has computed it.
     * @example const loss = await lossTensor.itemAsync();
     */
    itemAsync(): Promise<number>;
    /**
     * `tolist()` on any device, once the device has computed the values.
     * @example const rows = await x.tolistAsync();
     */
    tolistAsync(): Promise<NestedList>;
    /**
     * The data as nested arrays of numbers (booleans for bool tensors), as PyTorch's `tolist()`; a
     * plain number for a 0-d tensor. Synchronous: on 'webgpu' use `await tolistAsync()`.
     * @example torch.tensor([[1, 2], [3, 4]]).tolist() // [[1, 2], [3, 4]]
     */
    tolist(): NestedList;
    /**
     * A fresh host copy of the data in row-major order, as a typed array matching the dtype (Uint8Array
     * for bool). Synchronous: on 'webgpu' it is a DeviceError; use `await data()`.
     */
    toArray(): Float32Array | Float64Array | Int32Array | Uint8Array;
    /**
     * The data as a typed array, like `toArray()`, once the device has computed it: works on every
     * device (the way to read a 'webgpu' tensor).
     * @example const values = await y.data();
     */
    data(): Promise<Float32Array | Float64Array | Int32Array | Uint8Array>;
    /**
     * PyTorch's repr: `tensor([...])` with dtype, device and grad_fn / requires_grad suffixes. A tensor
     * whose values cannot be read synchronously ('webgpu') prints its size instead of its values.
     * @example String(torch.tensor([1.5, 2])) // 'tensor([1.5000, 2.0000])'
     */
    toString(): string;
    /**
     * Frees the tensor's memory now instead of at garbage collection (storage shared with views is
     * freed when the last holder goes); the tensor can no longer be read.
     */
    dispose(): void;
    /** Calls `dispose()`, so `using x = ...` frees the tensor at the end of the block. */
    [Symbol.dispose](): void;
    /**
     * A copy converted to `dtype` (this tensor itself when the dtype already matches).
     * @example x.to('float64')
     */
    to(dtype: DType): Tensor;
    /**
     * This tensor on `device` (itself when it is there already), as PyTorch's `to(device)`: the move is
     * recorded by autograd, so gradients flow back to the source device. Moving to 'webgpu' needs
     * `await torch.webgpu.init()` first, and float64 cannot go there. Moving from 'webgpu' to 'cpu' cannot
     * wait for the device, so the copy arrives asynchronously (as PyTorch's `non_blocking=True`): read it
     * with `await t.data()`, or `await torch.webgpu.synchronize()` before using it synchronously.
     * @example const g = x.to('webgpu'); const back = g.to('cpu');
     */
    to(device: Device, dtype?: DType): Tensor;
    /**
     * Device and dtype at once, either optional (PyTorch's keyword form).
     * @example x.to({ device: 'webgpu', dtype: 'float32' })
     */
    to(opts: { device?: Device; dtype?: DType }): Tensor;
    /**
     * `other`'s device and dtype.
     * @example x.to(y)
     */
    to(other: Tensor): Tensor;
    /**
     * `to('cpu')`.
     * @example const host = t.cpu(); await torch.webgpu.synchronize(); host.item();
     */
    cpu(): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')` (floats truncate toward zero). */
    int(): Tensor;
    /** `to('bool')`: true where the element is non-zero. */
    bool(): Tensor;
    /** Whether the dtype is float32 or float64. */
    isFloatingPoint(): boolean;

    /**
     * `this + alpha * other`, broadcasting, with PyTorch's type promotion (`alpha` defaults to 1).
     * @example x.add(1) ; x.add(y, { alpha: -0.5 })
     */
    add(other: TensorLike, opts?: { alpha?: number }): Tensor;
    /**
     * `this - alpha * other`, broadcasting (`alpha` defaults to 1).
     * @example x.sub(y)
     */
    sub(other: TensorLike, opts?: { alpha?: number }): Tensor;
    /**
     * Elementwise product, broadcasting.
     * @example x.mul(2)
     */
    mul(other: TensorLike): Tensor;
    /**
     * True division, broadcasting: integer inputs give float32 (PyTorch's `div` without rounding_mode).
     * @example x.div(y)
     */
    div(other: TensorLike): Tensor;
    /**
     * Elementwise power `this ** exponent`.
     * @example x.pow(2)
     */
    pow(exponent: TensorLike): Tensor;
    /** Python-style modulus: the result has the sign of the divisor (PyTorch's `remainder`, `%`). */
    remainder(other: TensorLike): Tensor;
    /** Elementwise maximum of two tensors (NaN propagates). */
    maximum(other: TensorLike): Tensor;
    /** Elementwise minimum of two tensors (NaN propagates). */
    minimum(other: TensorLike): Tensor;
    /** Elementwise `==`, as a bool tensor. */
    eq(other: TensorLike): Tensor;
    /** Elementwise `!=`, as a bool tensor. */
    ne(other: TensorLike): Tensor;
    /** Elementwise `<`, as a bool tensor. */
    lt(other: TensorLike): Tensor;
    /** Elementwise `<=`, as a bool tensor. */
    le(other: TensorLike): Tensor;
    /**
     * Elementwise `>`, as a bool tensor.
     * @example x.gt(0)
     */
    gt(other: TensorLike): Tensor;
    /** Elementwise `>=`, as a bool tensor. */
    ge(other: TensorLike): Tensor;
    /** Elementwise logical and (non-zero is true), as a bool tensor (`logical_and`). */
    logicalAnd(other: TensorLike): Tensor;
    /** Elementwise logical or, as a bool tensor (`logical_or`). */
    logicalOr(other: TensorLike): Tensor;
    /** Elementwise logical exclusive or, as a bool tensor (`logical_xor`). */
    logicalXor(other: TensorLike): Tensor;
    /** Elementwise logical not, as a bool tensor (`logical_not`). */
    logicalNot(): Tensor;
    /** `-this`. */
    neg(): Tensor;
    /** Elementwise absolute value. */
    abs(): Tensor;
    /** Elementwise sign: -1, 0 or 1. */
    sign(): Tensor;
    /** Elementwise `e ** x` (integers compute in float32). */
    exp(): Tensor;
    /** Elementwise natural logarithm. */
    log(): Tensor;
    /** Elementwise `log(1 + x)`, accurate for small x. */
    log1p(): Tensor;
    /** Elementwise `exp(x) - 1`, accurate for small x. */
    expm1(): Tensor;
    /** Elementwise square root. */
    sqrt(): Tensor;
    /** Elementwise `1 / sqrt(x)`. */
    rsqrt(): Tensor;
    /** Elementwise `x * x`. */
    square(): Tensor;
    /** Elementwise `1 / x`. */
    reciprocal(): Tensor;
    /** Elementwise sine. */
    sin(): Tensor;
    /** Elementwise cosine. */
    cos(): Tensor;
    /** Elementwise tangent. */
    tan(): Tensor;
    /** Elementwise hyperbolic tangent. */
    tanh(): Tensor;
    /** Elementwise logistic sigmoid `1 / (1 + exp(-x))`. */
    sigmoid(): Tensor;
    /** Elementwise `max(x, 0)`. */
    relu(): Tensor;
    /** GELU: exact (erf form) by default, or with `{ approximate: 'tanh' }` the tanh approximation. */
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    /**
     * `log(1 + exp(beta * x)) / beta`, linear where `beta * x > threshold` (defaults beta 1, threshold
     * 20).
     */
    softplus(opts?: { beta?: number; threshold?: number }): Tensor;
    /** Elementwise error function. */
    erf(): Tensor;
    /** Elementwise floor. */
    floor(): Tensor;
    /** Elementwise ceiling. */
    ceil(): Tensor;
    /** Elementwise rounding, halves to even (as `torch.round`). */
    round(): Tensor;
    /** A bool tensor, true where the element is NaN. */
    isnan(): Tensor;
    /**
     * Clamps into `[min, max]` (either bound optional): `x.clamp(min, max)` or `x.clamp({ min, max })`.
     * The gradient passes where min <= x <= max.
     * @example x.clamp(0, 1) ; x.clamp({ min: 0 })
     */
    clamp(opts: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike): Tensor;
    /**
     * `condition ? this : other`, broadcasting all three (PyTorch's `Tensor.where`).
     * @example x.where(x.gt(0), 0)
     */
    where(condition: Tensor, other: TensorLike): Tensor;
    /**
     * A copy with `value` where `mask` (a bool tensor broadcast to this shape) is true (`masked_fill`).
     * @example scores.maskedFill(mask, -Infinity)
     */
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    /** In-place `maskedFill`: writes `value` where `mask` is true and returns this (`masked_fill_`). */
    maskedFill_(mask: Tensor, value: TensorLike): Tensor;
    /**
     * Softmax along `dim`: `exp(x) / sum(exp(x))`, computed stably.
     * @example logits.softmax(-1)
     */
    softmax(dim: number): Tensor;
    /**
     * `log(softmax(x))` along `dim`, computed stably (`log_softmax`).
     * @example logits.logSoftmax(1)
     */
    logSoftmax(dim: number): Tensor;

    /**
     * In place `this += alpha * other` (`alpha` defaults to 1); returns this. Like the other in-place
     * ops (a trailing `_`), it overwrites this tensor's storage, which its views see, and autograd
     * records it.
     * @example p.add_(g, { alpha: -lr })
     */
    add_(other: TensorLike, opts?: { alpha?: number }): Tensor;
    /** In place `this -= alpha * other`; returns this. */
    sub_(other: TensorLike, opts?: { alpha?: number }): Tensor;
    /** In place `this *= other`; returns this. */
    mul_(other: TensorLike): Tensor;
    /** In place `this /= other`; returns this (an integer tensor cannot hold the float result: an error). */
    div_(other: TensorLike): Tensor;
    /** In place `this **= other`; returns this. */
    pow_(other: TensorLike): Tensor;
    /**
     * In-place `clamp`; returns this.
     * @example w.clamp_(-1, 1)
     */
    clamp_(opts: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike): Tensor;
    /** In place `this = -this`; returns this. */
    neg_(): Tensor;
    /** In-place ReLU; returns this. */
    relu_(): Tensor;
    /** In-place square root; returns this. */
    sqrt_(): Tensor;
    /** In-place exponential; returns this. */
    exp_(): Tensor;
    /** Fills with zeros in place; returns this. */
    zero_(): Tensor;
    /** Fills with `value` (a number, or a tensor broadcast to this shape) in place; returns this. */
    fill_(value: TensorLike): Tensor;
    /**
     * Copies `src` into this tensor in place, broadcasting and converting to this dtype; returns this.
     * @example target.copy_(source)
     */
    copy_(src: TensorLike): Tensor;
    /**
     * Fills in place with samples from U(low, high) (defaults 0 and 1) from the seeded generator; not
     * recorded by autograd. Returns this.
     */
    uniform_(low?: number, high?: number): Tensor;
    /**
     * Fills in place with samples from N(mean, std²) (defaults 0 and 1) from the seeded generator; not
     * recorded by autograd. Returns this.
     */
    normal_(mean?: number, std?: number): Tensor;
    /** In place `this += value * a * b` (`value` defaults to 1); returns this. */
    addcmul_(a: Tensor, b: Tensor, opts?: { value?: number }): Tensor;
    /** In place `this += value * a / b` (`value` defaults to 1); returns this. */
    addcdiv_(a: Tensor, b: Tensor, opts?: { value?: number }): Tensor;
    /** In-place linear interpolation `this += weight * (end - this)`; returns this. */
    lerp_(end: Tensor, weight: number): Tensor;
    /** In place `this = maximum(this, other)`; returns this. */
    maximum_(other: TensorLike): Tensor;
    /**
     * Writes `value` at `indices` in place, PyTorch's `x[indices] = value` (`index_put_`); returns this.
     * @example x.indexPut_(['0:2', 1], 5)
     */
    indexPut_(indices: Index[], value: Tensor | number): Tensor;

    /**
     * Sum over `dim` (one dim, a list, or all when omitted), dropping the reduced dims unless
     * `keepdim`; options `{ dim, keepdim, dtype }` may replace the arguments. Integer and bool inputs
     * sum as int32.
     * @example x.sum() ; x.sum(1, true) ; x.sum({ dim: [0, 1] })
     */
    sum(dim?: Dims | RO, keepdim?: R.KeepdimOr): Tensor;
    /**
     * Mean over `dim` (all when omitted), optionally `keepdim`; floating-point inputs only (or pass `{
     * dtype }`).
     * @example x.mean(-1)
     */
    mean(dim?: Dims | RO, keepdim?: R.KeepdimOr): Tensor;
    /** Product over `dim` (all when omitted), optionally `keepdim`. */
    prod(dim?: Dims | RO, keepdim?: R.KeepdimOr): Tensor;
    /** Maximum over `dim` (all when omitted), without indices; the gradient is shared evenly among ties. */
    amax(dim?: Dims | RO, keepdim?: R.KeepdimOr): Tensor;
    /** Minimum over `dim` (all when omitted), without indices; the gradient is shared evenly among ties. */
    amin(dim?: Dims | RO, keepdim?: R.KeepdimOr): Tensor;
    /** The largest element, as a 0-d tensor. */
    max(): Tensor;
    /**
     * `[values, indices]` of the maximum along `dim` (also `.values` / `.indices`, as PyTorch's named tuple).
     * @example const { values, indices } = x.max(1)
     */
    max(dim: number, keepdim?: boolean): R.ValuesIndices;
    /** Elementwise maximum with `other`, as `maximum`. */
    max(other: Tensor): Tensor;
    /** The smallest element, as a 0-d tensor. */
    min(): Tensor;
    /** `[values, indices]` of the minimum along `dim` (also `.values` / `.indices`). */
    min(dim: number, keepdim?: boolean): R.ValuesIndices;
    /** Elementwise minimum with `other`, as `minimum`. */
    min(other: Tensor): Tensor;
    /**
     * Index (int32) of the first maximum along `dim`; over the flattened tensor when `dim` is omitted
     * or null.
     * @example logits.argmax(-1)
     */
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    /**
     * Index (int32) of the first minimum along `dim`; over the flattened tensor when `dim` is omitted
     * or null.
     */
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    /**
     * Variance over `dim` (all when omitted) with Bessel's correction (`correction` 1 by default; `{
     * correction: 0 }` or `{ unbiased: false }` for the population variance).
     * @example x.var({ dim: 0, correction: 0 })
     */
    var(dim?: Dims | R.VarOptions, keepdim?: R.KeepdimOr<R.VarOptions>): Tensor;
    /**
     * Standard deviation, the square root of `var` with the same options.
     * @example x.std(1, true)
     */
    std(dim?: Dims | R.VarOptions, keepdim?: R.KeepdimOr<R.VarOptions>): Tensor;
    /**
     * `log(sum(exp(x)))` over `dim` (all when omitted), computed stably.
     * @example x.logsumexp(-1)
     */
    logsumexp(dim?: Dims | RO, keepdim?: R.KeepdimOr): Tensor;
    /**
     * Vector p-norm over `dim` (all when omitted): p = 2 (default), 1, Infinity, -Infinity, any other
     * non-zero number, or 'fro'.
     * @example x.norm() ; x.norm(1, -1, true)
     */
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor;
    /**
     * Cumulative sum along `dim`.
     * @example x.cumsum(0)
     */
    cumsum(dim: number): Tensor;
    /**
     * Values sorted along `dim` (default -1, ascending; stable, NaN largest) with their indices, as
     * `[values, indices]`; `sort({ dim, descending })` works too.
     * @example const { values, indices } = x.sort(-1, true)
     */
    sort(dim?: number | SO.SortOptions, descending?: boolean): R.ValuesIndices;
    /**
     * Indices (int32) that sort along `dim` (default -1), stably.
     * @example x.argsort(0, true)
     */
    argsort(dim?: number | SO.SortOptions, descending?: boolean): Tensor;
    /**
     * The `k` largest values along `dim` (default -1) in sorted order, with indices; `{ largest: false
     * }` for the smallest.
     * @example scores.topk(3).indices
     */
    topk(k: number, opts?: SO.TopkOptions): R.ValuesIndices;
    /** True where any element over `dim` (all when omitted) is non-zero, as a bool tensor. */
    any(dim?: Dims, keepdim?: boolean): Tensor;
    /** True where every element over `dim` (all when omitted) is non-zero, as a bool tensor. */
    all(dim?: Dims, keepdim?: boolean): Tensor;

    /**
     * The same data in a new shape (one size may be -1, inferred): a view when the strides allow, else
     * a copy.
     * @example x.reshape(2, -1) ; x.reshape([2, -1])
     */
    reshape(...shape: (number | number[])[]): Tensor;
    /**
     * Like `reshape` but always a view sharing storage: an error when the strides do not allow one.
     * @example x.view(2, -1)
     */
    view(...shape: (number | number[])[]): Tensor;
    /**
     * Merges dims `startDim..endDim` (defaults 0 and -1, so all) into one.
     * @example x.flatten(1) // [N, C, H, W] -> [N, C*H*W]
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * Splits `dim` into `sizes` (one may be -1).
     * @example x.unflatten(1, [2, -1])
     */
    unflatten(dim: number, sizes: number[]): Tensor;
    /**
     * Removes size-1 dims: all of them, or only those listed in `dim` (others are left alone).
     * @example x.squeeze(0)
     */
    squeeze(dim?: number | number[]): Tensor;
    /**
     * Inserts a size-1 dim at `dim` (negative counts from the end of the result).
     * @example x.unsqueeze(0)
     */
    unsqueeze(dim: number): Tensor;
    /**
     * A view with the dims reordered.
     * @example x.permute(2, 0, 1)
     */
    permute(...dims: (number | number[])[]): Tensor;
    /**
     * A view with two dims swapped.
     * @example x.transpose(0, 1)
     */
    transpose(dim0: number, dim1: number): Tensor;
    /** Transpose of a tensor with at most 2 dims (1-D and 0-D come back as they are). */
    t(): Tensor;
    /**
     * A view with dims `source` moved to positions `destination`, the others keeping their order.
     * @example x.movedim(0, -1)
     */
    movedim(source: number | number[], destination: number | number[]): Tensor;
    /**
     * A broadcast view with size-1 dims repeated (no copy); -1 keeps a size, new leading dims may be added.
     * @example x.expand(3, -1)
     */
    expand(...sizes: (number | number[])[]): Tensor;
    /** `expand` to `other`'s shape (`expand_as`). */
    expandAs(other: Tensor): Tensor;
    /** `expand` to `shape` (`broadcast_to`). */
    broadcastTo(shape: number[]): Tensor;
    /** This tensor when already contiguous (row-major), else a contiguous copy. */
    contiguous(): Tensor;
    /** Whether the data is laid out row-major without gaps (`is_contiguous`). */
    isContiguous(): boolean;
    /** A copy with its own storage; gradients flow back to this tensor. */
    clone(): Tensor;
    /** A tensor sharing this storage but cut from the autograd graph (requiresGrad false). */
    detach(): Tensor;
    /**
     * The slice at `index` along `dim`, as a view with that dim removed (`x[:, i]` for dim 1).
     * @example x.select(1, 0)
     */
    select(dim: number, index: number): Tensor;
    /**
     * A view of `length` elements along `dim` from `start`.
     * @example x.narrow(0, 1, 2) // rows 1 and 2
     */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * PyTorch's `x[...]`: integers, slices ('1:3', '::2', `slice(1, 3)`), null (new axis), '...' and
     * index tensors (int32, or bool masks). Basic indexing gives a view, index tensors a copy.
     * @example x.index(0, '1:3') ; x.index('...', null) ; x.index(mask)
     */
    index(...indices: Index[]): Tensor;
    /**
     * Values along `dim` at the positions in `index` (int32, same number of dims): `out[i][j] =
     * x[index[i][j]][j]` for dim 0.
     * @example logp.gather(1, target.unsqueeze(1))
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy with `src` (a tensor or a number) written at the positions in `index` along `dim`
     * (out-of-place `scatter_`).
     */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    /** A copy with `src` added at the positions in `index` along `dim`, summing repeats (`scatter_add`). */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * The entries at `index` (a 1-D int32 tensor) along `dim`, as a copy (`index_select`).
     * @example emb.indexSelect(0, ids)
     */
    indexSelect(dim: number, index: Tensor): Tensor;
    /**
     * Splits along `dim` (default 0) into views of `size` elements each (the last may be smaller) or of
     * the listed sizes.
     * @example x.split(2) ; x.split([1, 3], 1)
     */
    split(sizeOrSections: number | number[], dim?: number): Tensor[];
    /** Splits along `dim` (default 0) into at most `chunks` views of equal size (the last may be smaller). */
    chunk(chunks: number, dim?: number): Tensor[];
    /** The slices along `dim` (default 0), each a view with that dim removed. */
    unbind(dim?: number): Tensor[];
    /** A copy with the order of elements reversed along `dims`. */
    flip(dims: number | number[]): Tensor;
    /**
     * Rolls elements along `dims` by `shifts` (wrapping around); over the flattened tensor when `dims`
     * is omitted.
     * @example x.roll(1, 0)
     */
    roll(shifts: number | number[], dims?: number | number[]): Tensor;
    /**
     * Tiles the tensor `reps[i]` times along each dim (PyTorch's `repeat`, numpy's `tile`).
     * @example x.repeat(2, 1)
     */
    repeat(...reps: (number | number[])[]): Tensor;
    /**
     * The upper triangle of the last two dims (elements on and above `diagonal`, default 0), zeros
     * elsewhere.
     */
    triu(diagonal?: number): Tensor;
    /**
     * The lower triangle of the last two dims (elements on and below `diagonal`, default 0), zeros
     * elsewhere.
     */
    tril(diagonal?: number): Tensor;
    /**
     * 1-D: the matrix with this on diagonal `diagonal`; 2-D: that diagonal as 1-D (torch.diag).
     * @example torch.tensor([1, 2]).diag() // tensor([[1, 0], [0, 2]])
     */
    diag(diagonal?: number): Tensor;
    /**
     * The diagonal over dims `dim1`, `dim2` (default 0, 1) at `offset`, as a new last dim
     * (torch.diagonal; a copy, not a view).
     * @example x.diagonal(0, -2, -1) // the diagonals of a batch of matrices
     */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /**
     * Elementwise `|this - other| <= atol + rtol * |other|` or equal (torch.isclose; rtol 1e-5,
     * atol 1e-8, equalNan false by default).
     * @example a.isclose(b, { atol: 1e-6 })
     */
    isclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor;
    /**
     * Whether every element is close to other's (torch.allclose), as a boolean.
     * @example a.allclose(b)
     */
    allclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
    /**
     * Same shape and values (torch.equal), as a boolean.
     * @example torch.tensor([1, 2]).equal(torch.tensor([1, 2])) // true
     */
    equal(other: Tensor): boolean;
    /**
     * Iterates over the first dim (`for (const row of t)`), as PyTorch; a 0-d tensor throws
     * TorchTypeError "iteration over a 0-d tensor".
     * @example for (const row of torch.eye(2)) console.log(row.tolist());
     */
    [Symbol.iterator](): IterableIterator<Tensor>;

    /**
     * Matrix product with PyTorch's `matmul` rules: 1-D operands are promoted and the added dim
     * removed, batch dims broadcast.
     * @example x.matmul(w.T)
     */
    matmul(other: Tensor): Tensor;
    /** Product of two 2-D matrices. */
    mm(other: Tensor): Tensor;
    /** Batched product of two 3-D tensors `[b, n, m] @ [b, m, p]`. */
    bmm(other: Tensor): Tensor;
    /** Inner product of two 1-D tensors, as a 0-d tensor. */
    dot(other: Tensor): Tensor;
    /** Outer product of two 1-D tensors. */
    outer(other: Tensor): Tensor;

    /**
     * Backpropagates from this tensor, accumulating into the `.grad` of every leaf that requires grad.
     * `gradient` may be omitted for a one-element tensor; `retainGraph` keeps the graph for another
     * pass, `createGraph` records the backward pass for higher-order gradients, `inputs` limits
     * accumulation to those tensors.
     * @example loss.backward() ; y.backward(torch.onesLike(y), { retainGraph: true })
     */
    backward(gradient?: Tensor | null, opts?: A.BackwardOpts): void;
    /**
     * Registers `hook(grad)`, called when this tensor's gradient is computed; a returned tensor
     * replaces the gradient. Returns a handle whose `remove()` unregisters it.
     * @example const h = x.registerHook((g) => g.mul(2)); ... h.remove()
     */
    registerHook(hook: TensorHook): RemovableHandle;
    /** Makes `backward()` keep `.grad` on this non-leaf tensor too (`retain_grad`). */
    retainGrad(): void;
    /** Whether `retainGrad()` was called on this non-leaf tensor (`retains_grad`). */
    readonly retainsGrad: boolean;
    /**
     * Sets `requiresGrad` in place (default true; floating-point tensors only, and only leaves can turn
     * it off); returns this.
     * @example const w = torch.randn([3, 2]).requiresGrad_()
     */
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
      if (this._level !== null && this._level.kind !== 'grad' && this._level.kind !== 'trace') return this._inner!.requiresGrad;
      return this._requiresGrad;
    },
    set(this: Tensor, on: boolean) {
      A.requiresGrad_(this, on);
    },
  },
  grad: {
    get(this: Tensor) {
      const tr = currentTracing();
      if (tr !== null) (tr as TraceLevel).touchGrad(this);
      if (this._grad !== null) this._grad._escaped = true;
      return this._grad;
    },
    set(this: Tensor, g: Tensor | null) {
      if (g !== null && !shapesEqual(g.shape, this.shape)) {
        throw new ShapeError(`assigned grad has data of a different size: ${fmtShape(g.shape)} vs ${fmtShape(this.shape)}`);
      }
      const tr = currentTracing();
      if (tr !== null) (tr as TraceLevel).touchGrad(this);
      if (g !== null) g._escaped = true;
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
    if (t._level.kind === 'trace' && t._level.alive) {
      throw new CompileError(
        `${what}(): cannot read the values of a tensor inside torch.compile: the compiled function is traced once and replayed, so control flow that depends on tensor values cannot be compiled. Compute it with tensor ops (where, maximum...), or call this function outside compile`,
      );
    }
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
  return readHost(c, what);
}

/** `to`'s overloads as [device, dtype]: a dtype name, a device name (and a dtype), an options object, a tensor. */
function toArgs(a: unknown, b: unknown): [unknown, unknown] {
  if (a instanceof Tensor) return [deviceOf(a), a.dtype];
  if (typeof a === 'string') {
    if ((DTYPES as readonly string[]).includes(a)) return [undefined, a];
    if (a !== 'cpu' && a !== 'webgpu') throw new DTypeError(`to(): expected a dtype (${DTYPES.join(', ')}) or a device (cpu, webgpu), got '${a}'`);
    return [a, b];
  }
  if (a !== null && typeof a === 'object') {
    const o = a as { device?: unknown; dtype?: unknown };
    return [o.device, o.dtype];
  }
  throw new DeviceError(`to(): expected a dtype, a device, { device, dtype } or a tensor, got ${a === null ? 'null' : typeof a}`);
}

function nested(flat: ArrayLike<number>, shape: readonly number[], dtype: DType): NestedList {
  const conv = (v: number) => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(flat[0]!);
  let i = 0;
  const build = (d: number): NestedList[] => {
    const out: NestedList[] = [];
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

Object.defineProperty(P, Symbol.iterator, {
  value: function* (this: Tensor): IterableIterator<Tensor> {
    if (this.ndim === 0) throw new TorchTypeError('iteration over a 0-d tensor');
    for (let i = 0; i < this.shape[0]!; i++) yield S.select(this, 0, i);
  },
  writable: true, configurable: true, enumerable: false,
});

const alpha = (o: TensorLike, opts?: { alpha?: number }) => (opts?.alpha !== undefined && opts.alpha !== 1 ? E.mul(o, opts.alpha) : o);

def({
  numel(this: Tensor) { return numel(this.shape); },
  size(this: Tensor, dim?: number) { return dim === undefined ? [...this.shape] : this.shape[dim < 0 ? dim + this.ndim : dim]; },
  dim(this: Tensor) { return this.ndim; },
  item(this: Tensor) {
    const c = concreteOf(this, 'item');
    if (numel(c.shape) !== 1) throw new ShapeError(`item(): a Tensor with ${numel(c.shape)} elements cannot be converted to Scalar`);
    return readHost(c, 'item')[0]!;
  },
  async itemAsync(this: Tensor) {
    const c = concreteOf(this, 'itemAsync');
    if (numel(c.shape) !== 1) throw new ShapeError(`itemAsync(): a Tensor with ${numel(c.shape)} elements cannot be converted to Scalar`);
    return (await readHostAsync(c))[0]!;
  },
  toArray(this: Tensor) { return readAll(this, 'toArray'); },
  async data(this: Tensor) { return readHostAsync(concreteOf(this, 'data')); },
  tolist(this: Tensor) { return nested(readAll(this, 'tolist'), this.shape, this.dtype); },
  async tolistAsync(this: Tensor) { return nested(await readHostAsync(concreteOf(this, 'tolistAsync')), this.shape, this.dtype); },
  toString(this: Tensor) {
    const c = concreteOf(this, 'toString');
    const suffix: string[] = [];
    const device = deviceOf(c);
    const readable = readableNow(c);
    if (!readable) suffix.push(`size=${fmtShape(this.shape)}`);
    if (device !== 'cpu') suffix.push(`device='${device}'`);
    if (this.dtype === 'float64' || this.dtype === 'int32') suffix.push(`dtype=torch.${this.dtype}`);
    if (this._gradFn) suffix.push(`grad_fn=<${this._gradFn.name[0]!.toUpperCase()}${this._gradFn.name.slice(1)}Backward0>`);
    else if (this._requiresGrad) suffix.push('requires_grad=True');
    // Values the host cannot read without waiting are left out (`await t.data()` reads them).
    const text = readable ? formatTensor(readAll(c, 'toString'), this.shape, this.dtype, suffix) : `tensor(..., ${suffix.join(', ')})`;
    return parameterTensors.has(this) ? `Parameter containing:\n${text}` : text;
  },
  dispose(this: Tensor) {
    release(this);
    this._grad = null;
  },
  to(this: Tensor, a: DType | Device | Tensor | { device?: Device; dtype?: DType }, b?: DType) {
    const [device, dtype] = toArgs(a, b);
    const d = device === undefined ? undefined : checkDevice('to', 'device', device);
    const t = dtype === undefined ? undefined : checkDType('to', 'dtype', dtype);
    // Cast where float64 can live (before leaving the CPU, after arriving on it).
    if (d === undefined || d === deviceOf(this)) return t === undefined ? this : lax.cast(this, t);
    if (d === 'cpu') return t === undefined ? devicePut(this, d) : lax.cast(devicePut(this, d), t);
    return devicePut(t === undefined ? this : lax.cast(this, t), d);
  },
  cpu(this: Tensor) { return devicePut(this, 'cpu'); },
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
    return A.noGrad(() => inplace('uniform_', this, E.add(E.mul(C.rand(this.shape, { dtype: this.dtype, device: deviceOf(this) }), high - low), low)));
  },
  normal_(this: Tensor, mean = 0, std = 1) {
    checkInplaceRandom(this);
    return A.noGrad(() => inplace('normal_', this, E.add(E.mul(C.randn(this.shape, { dtype: this.dtype, device: deviceOf(this) }), std), mean)));
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
  diag(this: Tensor, d?: number) { return S.diag(this, d); },
  diagonal(this: Tensor, o?: number, d1?: number, d2?: number) { return S.diagonal(this, o, d1, d2); },
  isclose(this: Tensor, o: Tensor, opts?: EV.CloseOptions) { return EV.isclose(this, o, opts); },
  allclose(this: Tensor, o: Tensor, opts?: EV.CloseOptions) { return EV.allclose(this, o, opts); },
  equal(this: Tensor, o: Tensor) { return EV.equal(this, o); },

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
    return readHost(c, 'Number')[0]!;
  },
  configurable: true,
});
/** The repr, or shape and dtype where values cannot be read (a tensor inside a transform). */
function safeRepr(t: Tensor): string {
  try {
    return t.toString();
  } catch {
    return `Tensor(shape=${fmtShape(t.shape)}, dtype=${t.dtype})`;
  }
}
Object.defineProperty(P, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor) {
    return safeRepr(this);
  },
  configurable: true,
});
// Browsers' DevTools ("custom formatters", on in Chrome's and Firefox's console settings) show the repr
// as the header of console.log(t) instead of the object's internal fields.
if (typeof window !== 'undefined') {
  const g = globalThis as { devtoolsFormatters?: object[] };
  (g.devtoolsFormatters ??= []).push({
    header: (x: unknown) => (x instanceof Tensor ? ['span', { style: 'white-space: pre' }, safeRepr(x)] : null),
    hasBody: () => false,
  });
}
