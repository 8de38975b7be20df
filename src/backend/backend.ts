// The Backend interface: memory and kernels. Kernels know nothing of autograd or transforms;
// they read strided views and return new contiguous buffers (row-major). A buffer is opaque above
// backend/: only its own backend looks inside it (a JS typed array for the reference backend, a
// region of WebAssembly memory for the wasm backend, a GPU buffer later).
import type { DType, TypedArray } from '../core/dtype.js';

/** A strided window over a buffer. Strides may be 0 (broadcast) or negative (flip). */
export interface View<B = unknown> {
  /** The backend's opaque buffer. */
  readonly buf: B;
  /** The element type. */
  readonly dtype: DType;
  /** The logical shape. */
  readonly shape: readonly number[];
  /** Elements (not bytes) to step in the buffer per index of each dim. */
  readonly strides: readonly number[];
  /** Index of the element at position [0, 0, ...]. */
  readonly offset: number;
}

/** The elementwise one-input kernels a backend implements. */
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos'
  | 'tan' | 'tanh' | 'sigmoid' | 'erf' | 'floor' | 'ceil' | 'round' | 'relu' | 'logicalNot'
  | 'reciprocal' | 'square' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'isnan';

/** The elementwise two-input kernels a backend implements (comparisons and logical ops store 0 / 1). */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2' | 'remainder'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor';

/** The reductions a backend implements. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/** The window geometry of unfold / fold: kernel size, stride and dilation over H and W. */
export interface Conv2dGeom {
  /** Kernel height. */
  kh: number;
  /** Kernel width. */
  kw: number;
  /** Stride over H. */
  sh: number;
  /** Stride over W. */
  sw: number;
  /** Dilation over H. */
  dh: number;
  /** Dilation over W. */
  dw: number;
}

/** A fused program's input: the `index`-th tensor handed to the kernel. */
export interface FusedInput {
  /** The step kind. */
  readonly op: 'input';
  /** Which input. */
  readonly index: number;
  /** Its dtype. */
  readonly dtype: DType;
}
/** A scalar constant of a fused program. */
export interface FusedLiteral {
  /** The step kind. */
  readonly op: 'literal';
  /** The constant (0 or 1 for bool). */
  readonly value: number;
  /** Its dtype. */
  readonly dtype: DType;
}
/** A one-input kernel of a fused program. */
export interface FusedUnary {
  /** The step kind. */
  readonly op: 'unary';
  /** The kernel. */
  readonly fn: UnaryOp;
  /** The step it reads. */
  readonly args: readonly [number];
  /** Its result's dtype. */
  readonly dtype: DType;
}
/** A two-input kernel of a fused program (broadcasting). */
export interface FusedBinary {
  /** The step kind. */
  readonly op: 'binary';
  /** The kernel. */
  readonly fn: BinaryOp;
  /** The steps it reads. */
  readonly args: readonly [number, number];
  /** Its result's dtype. */
  readonly dtype: DType;
}
/** where(cond, a, b) in a fused program. */
export interface FusedWhere {
  /** The step kind. */
  readonly op: 'where';
  /** The steps of cond, a and b. */
  readonly args: readonly [number, number, number];
  /** Its result's dtype. */
  readonly dtype: DType;
}
/** A cast to `dtype` in a fused program. */
export interface FusedCast {
  /** The step kind. */
  readonly op: 'cast';
  /** The step it converts. */
  readonly args: readonly [number];
  /** The dtype it converts to. */
  readonly dtype: DType;
}
/** One step of a fused elementwise program: an input, a scalar literal, or an op over earlier steps. */
export type FusedStep = FusedInput | FusedLiteral | FusedUnary | FusedBinary | FusedWhere | FusedCast;

/**
 * A chain of elementwise ops that compile fused into one kernel: steps in dependency order, each
 * step's args index earlier steps; the last step is the result. Every step broadcasts as its op does,
 * so the result has the broadcast shape of all inputs.
 */
export interface FusedProgram {
  /** The steps, the result last. */
  readonly steps: readonly FusedStep[];
  /** A string naming the program exactly (kernel caches key on it). */
  readonly key: string;
}

/**
 * Elementwise work applied to a kernel's result before it is stored (a bias and activation after a
 * matmul, a division after a sum): `program`'s input 0 is that result, inputs 1.. are `inputs`,
 * broadcast to the result's shape; the stored dtype is the program's last step's.
 */
export interface FusedEpilogue<B = unknown> {
  /** The steps. */
  readonly program: FusedProgram;
  /** The program's inputs after the first. */
  readonly inputs: readonly View<B>[];
  /**
   * The shape the epilogue sees the result in, when a reshape of it (same size; a convolution's
   * product seen as an image): the inputs broadcast to it, and the result comes back in it.
   */
  readonly shape?: readonly number[];
}

/** The dtype of a fused program's result: its last step's. */
export const resultDtype = (p: FusedProgram): DType => p.steps[p.steps.length - 1]!.dtype;

/** The devices a tensor can live on; each backend serves one. */
export type Device = 'cpu' | 'webgpu';

/**
 * Memory and kernels of one device, the interface registerBackend takes. `B` is the backend's opaque
 * buffer type. Kernels know nothing of autograd or transforms: they read strided views and return
 * new contiguous (row-major) buffers.
 */
export interface Backend<B = any> {
  /** 'wasm' or 'js' (the reference) on device 'cpu'. */
  readonly name: string;
  /** The device whose tensors this backend holds. */
  readonly device: Device;
  /** Buffer of `size` elements, all `value`. */
  full(dtype: DType, size: number, value: number): B;
  /** Buffer holding `data` converted to `dtype`. */
  fromArray(dtype: DType, data: ArrayLike<number>): B;
  /** A fresh host copy of the view's elements in row-major order (synchronous). */
  read(x: View<B>): TypedArray;
  /** Gives the buffer's memory back at once (dispose, or a temporary nobody can see any more). */
  free(buf: B): void;
  /** Ties the buffer's lifetime to `owner` (its storage): once owner is garbage, the memory returns. */
  adopt?(owner: object, buf: B): void;
  /**
   * A fresh host copy of the view's elements, row-major, once the device has computed them. Devices whose
   * memory the host cannot read synchronously (webgpu) implement this and make `read` throw.
   */
  readAsync?(x: View<B>): Promise<TypedArray>;
  /** Resolves once every kernel queued so far has finished on the device. */
  synchronize?(): Promise<void>;

  /** Elementwise f(x), computed in double precision and stored as `outDtype`. */
  unary(op: UnaryOp, x: View<B>, outDtype: DType): B;
  /** Elementwise f(a, b); a and b broadcast (right-aligned) to `outShape`. Comparisons store 0/1. */
  binary(op: BinaryOp, a: View<B>, b: View<B>, outShape: readonly number[], outDtype: DType): B;
  /** cond ? a : b, all three broadcast to `outShape`. */
  where(cond: View<B>, a: View<B>, b: View<B>, outShape: readonly number[], outDtype: DType): B;
  /**
   * Reduces over `axes` (sorted, unique); output shape is x.shape without those axes. max/min propagate
   * NaN.
   */
  reduce(op: ReduceOp, x: View<B>, axes: readonly number[], outDtype: DType): B;
  /**
   * reduce(op) over `axes` of the fused program `prologue` evaluated over `inputs` broadcast to
   * `inShape`, then the `epilogue` if any, without materializing the prologue's result as a whole.
   */
  fusedReduce(op: ReduceOp, prologue: FusedProgram, inputs: readonly View<B>[], inShape: readonly number[], axes: readonly number[], epilogue: FusedEpilogue<B> | null): B;
  /** Index (int32) of the first max/min along `axis`; output shape is x.shape without `axis`. */
  argReduce(op: 'argmax' | 'argmin', x: View<B>, axis: number): B;
  /** Indices (int32) that sort each slice along `axis`, stably; NaN sorts as the largest value. */
  argsort(x: View<B>, axis: number, descending: boolean): B;
  /** Inclusive cumulative sum along `axis`, same shape. */
  cumsum(x: View<B>, axis: number, outDtype: DType): B;
  /** Batched matmul: a [...ba, m, k] @ b [...bb, k, n]; batch dims broadcast to outShape[:-2]. */
  matmul(a: View<B>, b: View<B>, outShape: readonly number[], outDtype: DType, epilogue?: FusedEpilogue<B>): B;
  /**
   * Evaluates a fused elementwise program over the inputs broadcast to `outShape`, in one pass over
   * memory where the backend generates code for it, never materializing the intermediate steps there.
   */
  fused(program: FusedProgram, inputs: readonly View<B>[], outShape: readonly number[], outDtype: DType): B;
  /**
   * Evaluates a fused program as `fused` does but stores the result into the window `into` (of shape
   * outShape and the program's dtype): an in-place update. An input may be that same window (read at
   * each element before it is written) but no other view overlapping it.
   */
  fusedInto(program: FusedProgram, inputs: readonly View<B>[], into: View<B>): void;
  /** Contiguous copy of a strided view (also the cast: the copy is stored as `outDtype`). */
  copy(x: View<B>, outDtype: DType): B;
  /** Writes `src` (broadcast to dst.shape, converted to dst.dtype) into the strided window `dst`. */
  copyInto(dst: View<B>, src: View<B>): void;
  /** torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1; out shape = index.shape. */
  gather(x: View<B>, dim: number, index: View<B>): B;
  /**
   * A copy of x with src added (or written, when `accumulate` is false) at index along dim; index.shape
   * <= src.shape.
   */
  scatter(x: View<B>, dim: number, index: View<B>, src: View<B>, accumulate: boolean): B;
  /** torch.index_select with a 1-D int32 index. */
  indexSelect(x: View<B>, dim: number, index: View<B>): B;
  /** Concatenation along `dim`; outShape given. */
  concat(xs: readonly View<B>[], dim: number, outShape: readonly number[], outDtype: DType): B;
  /** Constant padding: pads[d] = [before, after] (non-negative) for every dim. */
  pad(x: View<B>, pads: readonly (readonly [number, number])[], value: number): B;
  /** im2col: x [N, C, H, W] -> [N, C*kh*kw, oh*ow], no padding (pad first). */
  unfold(x: View<B>, g: Conv2dGeom): B;
  /** col2im, the transpose of unfold: cols [N, C*kh*kw, oh*ow] -> [N, C, H, W], overlaps summed. */
  fold(cols: View<B>, C: number, H: number, W: number, g: Conv2dGeom): B;
  /**
   * Batched solve A X = B by LU with partial pivoting: a [...ba, n, n], b [...bb, n, k], batch dims
   * broadcast to outShape[:-2]. Throws LinAlgError (info = 1-based zero pivot) for a singular matrix.
   */
  linalgSolve(a: View<B>, b: View<B>, outShape: readonly number[], outDtype: DType): B;
  /** Batched (sign, log|det|) of a [..., n, n] by LU: output [..., 2]; (0, -Infinity) when singular. */
  slogdet(a: View<B>, outDtype: DType): B;
  /**
   * Batched lower Cholesky factor of the symmetric part of a [..., n, n]. With `check`, a matrix that is
   * not positive-definite throws LinAlgError (info = order of the failing leading minor); without, its
   * factor has a zero diagonal from that order on.
   */
  cholesky(a: View<B>, check: boolean, outDtype: DType): B;
  /**
   * Batched triangular solve A X = B (A upper or lower, optionally with a unit diagonal): a [...ba, n, n],
   * b [...bb, n, k], batch dims broadcast to outShape[:-2].
   */
  triangularSolve(a: View<B>, b: View<B>, outShape: readonly number[], outDtype: DType, upper: boolean, unitriangular: boolean): B;
  /** Batched Householder QR of a [..., m, n]: output [..., m*mq + mq*n], Q (m x mq) then R (mq x n); mq = m when `complete`, else min(m, n). */
  qr(a: View<B>, complete: boolean, outDtype: DType): B;
  /** Batched eigendecomposition of the symmetric part of a [..., n, n]: output [..., n + 1, n], eigenvalues (ascending) in row 0, eigenvectors as columns below. */
  eigh(a: View<B>, outDtype: DType): B;
  /** Batched reduced SVD of a [..., m, n]: output [..., m + 1 + n, k], U, then the singular values (descending), then V; k = min(m, n). */
  svd(a: View<B>, outDtype: DType): B;
  /** Batched pseudo-inverse of a [..., m, n] -> [..., n, m]; singular values <= max(atol, rtol * largest) count as zero. */
  pinv(a: View<B>, rtol: number, atol: number, outDtype: DType): B;
  /** Batched LU with partial pivoting of a [..., m, n] that never throws: output [..., m*n + m + k], compact LU, permutation, LAPACK pivots. */
  luFactor(a: View<B>, outDtype: DType): B;
  /** The permutations (int32 [..., m]) that LAPACK pivots (int32 [..., k], 1-based) encode. */
  luPermutation(pivots: View<B>, m: number): B;
  /** Batched matrix exponential of a [..., n, n]. */
  matrixExp(a: View<B>, outDtype: DType): B;
}
