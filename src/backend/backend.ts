// The Backend interface: memory and kernels. Kernels know nothing of autograd or transforms;
// they read strided views and return new contiguous buffers (row-major).
import type { DType, TypedArray } from '../core/dtype.js';

/** A strided window over a buffer. Strides may be 0 (broadcast) or negative (flip). */
export interface View {
  readonly buf: TypedArray;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos'
  | 'tan' | 'tanh' | 'sigmoid' | 'erf' | 'floor' | 'ceil' | 'round' | 'relu' | 'logicalNot'
  | 'reciprocal' | 'square' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'isnan';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2' | 'remainder'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

export interface Conv2dGeom {
  kh: number; kw: number; sh: number; sw: number; dh: number; dw: number;
}

export interface Backend {
  readonly name: string;
  /** Zero-filled buffer. */
  alloc(dtype: DType, size: number): TypedArray;
  /** Buffer holding `data` converted to `dtype`. */
  fromArray(dtype: DType, data: ArrayLike<number>): TypedArray;

  /** Elementwise f(x), computed in double precision and stored as `outDtype`. */
  unary(op: UnaryOp, x: View, outDtype: DType): TypedArray;
  /** Elementwise f(a, b); a and b broadcast (right-aligned) to `outShape`. Comparisons store 0/1. */
  binary(op: BinaryOp, a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray;
  /** cond ? a : b, all three broadcast to `outShape`. */
  where(cond: View, a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray;
  /** Reduces over `axes` (sorted, unique); output shape is x.shape without those axes. max/min propagate NaN. */
  reduce(op: ReduceOp, x: View, axes: readonly number[], outDtype: DType): TypedArray;
  /** Index (int32) of the first max/min along `axis`; output shape is x.shape without `axis`. */
  argReduce(op: 'argmax' | 'argmin', x: View, axis: number): Int32Array;
  /** Indices (int32) that sort each slice along `axis`, stably; NaN sorts as the largest value. */
  argsort(x: View, axis: number, descending: boolean): Int32Array;
  /** Inclusive cumulative sum along `axis`, same shape. */
  cumsum(x: View, axis: number, outDtype: DType): TypedArray;
  /** Batched matmul: a [...ba, m, k] @ b [...bb, k, n]; batch dims broadcast to outShape[:-2]. */
  matmul(a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray;
  /** Contiguous copy of a strided view (also the cast: the copy is stored as `outDtype`). */
  copy(x: View, outDtype: DType): TypedArray;
  /** Writes `src` (broadcast to dst.shape, converted to dst.dtype) into the strided window `dst`. */
  copyInto(dst: View, src: View): void;
  /** torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1; out shape = index.shape. */
  gather(x: View, dim: number, index: View): TypedArray;
  /** A copy of x with src added (or written, when `accumulate` is false) at index along dim; index.shape <= src.shape. */
  scatter(x: View, dim: number, index: View, src: View, accumulate: boolean): TypedArray;
  /** torch.index_select with a 1-D int32 index. */
  indexSelect(x: View, dim: number, index: View): TypedArray;
  /** Concatenation along `dim`; outShape given. */
  concat(xs: readonly View[], dim: number, outShape: readonly number[], outDtype: DType): TypedArray;
  /** Constant padding: pads[d] = [before, after] (non-negative) for every dim. */
  pad(x: View, pads: readonly (readonly [number, number])[], value: number): TypedArray;
  /** im2col: x [N, C, H, W] -> [N, C*kh*kw, oh*ow], no padding (pad first). */
  unfold(x: View, g: Conv2dGeom): TypedArray;
  /** col2im, the transpose of unfold: cols [N, C*kh*kw, oh*ow] -> [N, C, H, W], overlaps summed. */
  fold(cols: View, C: number, H: number, W: number, g: Conv2dGeom): TypedArray;
}
