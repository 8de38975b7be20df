// compile's fusions around matmuls and reductions on WebGPU: composed from this backend's own
// kernels (the product, then the epilogue as one fused kernel in place; the prologue, then the
// reduction), each step a dispatch on the device. Fusing them into single WGSL kernels is left for later.
import type { DType } from '../../core/dtype.js';
import { resultDtype, type FusedEpilogue, type FusedProgram, type ReduceOp } from '../backend.js';
import { rowMajor } from './codegen.js';
import type { GpuContext, GpuStorage } from './context.js';
import { copyInto, type GView } from './elementwise.js';
import { fused, fusedStraightInto } from './fused.js';
import { reduce } from './reduce.js';

const whole = (buf: GpuStorage, dtype: DType, shape: readonly number[]): GView => ({ buf, dtype, shape, strides: rowMajor(shape), offset: 0 });

/** The program's result stored into the window `into`: by the kernel itself when it can, else copied there. */
export function fusedInto(ctx: GpuContext, program: FusedProgram, inputs: readonly GView[], into: GView): void {
  const dtype = resultDtype(program);
  if (dtype === into.dtype && fusedStraightInto(ctx, program, inputs, into)) return;
  const r = fused(ctx, program, inputs, into.shape, dtype);
  copyInto(ctx, into, whole(r, dtype, into.shape));
  ctx.release(r);
}

/** A kernel's result with its epilogue applied (a new buffer; the result's is released). */
export function withEpilogue(ctx: GpuContext, out: GpuStorage, dtype: DType, shape: readonly number[], epi: FusedEpilogue<GpuStorage> | null | undefined): GpuStorage {
  if (!epi) return out;
  const r = fused(ctx, epi.program, [whole(out, dtype, shape), ...(epi.inputs as GView[])], shape, resultDtype(epi.program));
  ctx.release(out);
  return r;
}

/** reduce(op) over `axes` of the prologue's result, then the epilogue. */
export function fusedReduce(ctx: GpuContext, op: ReduceOp, prologue: FusedProgram, inputs: readonly GView[], inShape: readonly number[], axes: readonly number[], epi: FusedEpilogue<GpuStorage> | null): GpuStorage {
  const dtype = resultDtype(prologue);
  const x = fused(ctx, prologue, inputs, inShape, dtype);
  const r = reduce(ctx, op, whole(x, dtype, inShape), axes, dtype);
  ctx.release(x);
  return withEpilogue(ctx, r, dtype, inShape.filter((_, d) => !axes.includes(d)), epi);
}
