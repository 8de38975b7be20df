// The wasm backend's own kernels. Each takes the cases it has generated code for and passes the
// others to `ref` (the reference kernels on wasm memory); PARTIAL_KERNELS says which cases those are.
import { resultDtype, type Backend, type FusedEpilogue, type View } from '../backend.js';
import type { DType } from '../../core/dtype.js';
import { free, type WasmBuf } from './buffers.js';
import { contiguousStrides } from '../../core/shape.js';
import * as E from './elementwise.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';
import * as Lay from './layout.js';
import * as Idx from './index_ops.js';
import * as Scan from './scan.js';
import { fused } from './fused.js';
import { fusedReduce } from './fused_reduce.js';

export const PARTIAL_KERNELS: Readonly<Record<string, string>> = {
  'unary, binary, copy (small)': 'operands of at most 4 KiB that live on the host run the reference loop there: faster than a wasm call at that size',
  unary: `native for float32/float64 ${E.UNARY_NATIVE.float.join(', ')} and int32 ${E.UNARY_NATIVE.int32.join(', ')}; int32-to-float ops (e.g. exp of an int32 tensor) run the reference`,
  binary: `native for float32/float64 ${E.BINARY_NATIVE.float.join(', ')} and int32 ${E.BINARY_NATIVE.int32.join(', ')} (logical ops on any dtypes); remainder, int32 pow and bool arithmetic run the reference`,
  copy: 'native for copies and casts, except float to int32 (the reference wraps as JavaScript does)',
  where: 'native for a bool condition and operands of the output dtype',
  'gather, indexSelect, scatter': 'native above 4 KiB for rank 1 to 6 with int32 indices; invalid indices or shapes (the reference reports them), bool accumulation and smaller cases run the reference',
  'argReduce, cumsum': 'native for float32, float64 and int32 inputs up to rank 6 (cumsum: float outputs); bool inputs, empty axes (the reference reports them), 0-d inputs and small host-resident cases run the reference',
  'concat, pad, unfold, fold': 'native above 4 KiB of output (fold: float32/float64); smaller outputs, float-to-int32 casts and invalid geometry (the reference reports it) run the reference',
  copyInto: 'native from another buffer (except float to int32); a copy within one buffer (possibly overlapping) runs the reference',
  matmul: 'native for float32 and float64; int32 runs the reference',
  fused: 'one generated SIMD loop for float32/float64 programs (arithmetic, math, comparisons, where, casts from bool) above 4 KiB; int32 steps, casts between number types and small host-resident operands run the reference loop (also one pass)',
  reduce: 'native for float32 and float64 (output in the input dtype) over up to 4 merged dims; integer and bool inputs, empty inputs and dtype changes run the reference',
  fusedReduce: 'tiles of the prologue by the fused loop, each folded into the accumulator by the reduce kernel, for float32/float64 programs above 4 KiB; other programs and smaller inputs run the reference (the prologue whole, then the reduction)',
  'matmul, fusedReduce (epilogue)': 'the epilogue runs in place over the result right after the kernel wrote it, as its own generated loop (not inside the GEMM micro-kernel)',
};

export function nativeKernels(ref: Backend<WasmBuf>): Partial<Backend<WasmBuf>> {
  const native: Partial<Backend<WasmBuf>> = {
    unary: (op, x, dt) => E.unary(op, x, dt) ?? ref.unary(op, x, dt),
    binary: (op, a, b, shape, dt) => E.binary(op, a, b, shape, dt) ?? ref.binary(op, a, b, shape, dt),
    copy: (x, dt) => E.copy(x, dt) ?? ref.copy(x, dt),
    argReduce: (op, x, axis) => Scan.argReduce(op, x, axis) ?? ref.argReduce(op, x, axis),
    cumsum: (x, axis, dt) => Scan.cumsum(x, axis, dt) ?? ref.cumsum(x, axis, dt),
    gather: (x, dim, index) => Idx.gather(x, dim, index) ?? ref.gather(x, dim, index),
    indexSelect: (x, dim, index) => Idx.indexSelect(x, dim, index) ?? ref.indexSelect(x, dim, index),
    scatter: (x, dim, index, src, acc) => Idx.scatter(x, dim, index, src, acc) ?? ref.scatter(x, dim, index, src, acc),
    concat: (xs, dim, shape, dt) => Lay.concat(xs, dim, shape, dt) ?? ref.concat(xs, dim, shape, dt),
    pad: (x, pads, value) => Lay.pad(x, pads, value) ?? ref.pad(x, pads, value),
    unfold: (x, g) => Lay.unfold(x, g) ?? ref.unfold(x, g),
    fold: (cols, C, H, W, g) => Lay.fold(cols, C, H, W, g) ?? ref.fold(cols, C, H, W, g),
    copyInto: (dst, src) => void (E.copyInto(dst, src) || ref.copyInto(dst, src)),
    where: (c, a, b, shape, dt) => E.where(c, a, b, shape, dt) ?? ref.where(c, a, b, shape, dt),
    matmul: (a, b, shape, dt, epi) => withEpilogue(matmul(a, b, shape, dt) ?? ref.matmul(a, b, shape, dt), dt, epi?.shape ?? shape, epi),
    reduce: (op, x, axes, dt) => reduce(op, x, axes, dt) ?? ref.reduce(op, x, axes, dt),
    fusedReduce: (op, pro, inputs, shape, axes, epi) => {
      const r = fusedReduce(op, pro, inputs, shape, axes);
      if (r === null) return ref.fusedReduce(op, pro, inputs, shape, axes, epi);
      return withEpilogue(r, r.dtype, shape.filter((_, d) => !axes.includes(d)), epi);
    },
    fused: (program, inputs, shape, dt) => fused(program, inputs, shape, dt) ?? ref.fused(program, inputs, shape, dt),
    fusedInto: (program, inputs, into) => void (fused(program, inputs, into.shape, into.dtype, into) ?? ref.fusedInto(program, inputs, into)),
  };
  return native;

  /**
   * A kernel's result with its epilogue applied: in place, right after the kernel wrote it (still in
   * cache for results up to L2's size), when the epilogue keeps its dtype.
   */
  function withEpilogue(out: WasmBuf, dt: DType, shape: readonly number[], epi: FusedEpilogue<WasmBuf> | null | undefined): WasmBuf {
    if (!epi) return out;
    const view: View<WasmBuf> = { buf: out, dtype: dt, shape, strides: contiguousStrides(shape), offset: 0 };
    const epiDtype = resultDtype(epi.program);
    if (epiDtype === dt) {
      native.fusedInto!(epi.program, [view, ...epi.inputs], view);
      return out;
    }
    const r = native.fused!(epi.program, [view, ...epi.inputs], shape, epiDtype);
    free(out);
    return r;
  }
}
