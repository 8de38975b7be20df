// Fused elementwise programs: the steps become one WGSL kernel in which every step is a local rounded
// to its dtype (f2i for int32, 0 / 1 for bool), so the result equals the ops run one at a time without
// their intermediate buffers. Programs with more inputs than the device binds at once run step by step.
import type { DType } from '../../core/dtype.js';
import type { FusedProgram } from '../backend.js';
import { broadcastShapes } from '../../core/shape.js';
import { checkGpuDType, type GpuContext, type GpuStorage } from './context.js';
import { broadcastTo, kindOf, rowMajor, toDType, type Kind } from './codegen.js';
import { binary, binaryExpr, copy, runMap, unary, unaryExpr, where, whereExpr, fill, type GView } from './elementwise.js';
import { scalarBits } from './codegen.js';

/** A WGSL literal of `dtype` (non-finite floats built at run time). */
function literal(v: number, dtype: DType): string {
  if (dtype === 'float32') {
    if (Number.isNaN(v)) return 'nan_f()';
    if (v === Infinity) return 'inf_f()';
    if (v === -Infinity) return '(-inf_f())';
    return `bitcast<f32>(${scalarBits('float32', v) >>> 0}u)`;
  }
  const i = scalarBits(dtype, v);
  return i === -2147483648 ? 'i32(-2147483647 - 1)' : `i32(${i})`;
}

function body(program: FusedProgram, inputs: readonly GView[], vals: readonly string[]): [string, Kind, string] {
  const dt = program.steps.map((s) => s.dtype);
  const lines: string[] = [];
  program.steps.forEach((s, i) => {
    let e: string;
    if (s.op === 'input') e = toDType(vals[s.index]!, kindOf(inputs[s.index]!.dtype), s.dtype);
    else if (s.op === 'literal') e = literal(s.value, s.dtype);
    else if (s.op === 'cast') e = toDType(`s${s.args[0]}`, kindOf(dt[s.args[0]]!), s.dtype);
    else {
      const [x, k] = s.op === 'unary'
        ? unaryExpr(s.fn, `s${s.args[0]}`, dt[s.args[0]]!, s.dtype)
        : s.op === 'binary'
          ? binaryExpr(s.fn, `s${s.args[0]}`, `s${s.args[1]}`, dt[s.args[0]]!, dt[s.args[1]]!, s.dtype)
          : whereExpr(`s${s.args[0]}`, `s${s.args[1]}`, `s${s.args[2]}`, dt[s.args[0]]!, dt[s.args[1]]!, dt[s.args[2]]!, s.dtype);
      e = toDType(x, k, s.dtype);
    }
    lines.push(`let s${i} = ${e};`);
  });
  const last = program.steps.length - 1;
  return [`s${last}`, kindOf(dt[last]!), lines.join('\n  ')];
}

/** Backend.fused. */
export function fused(ctx: GpuContext, program: FusedProgram, inputs: readonly GView[], outShape: readonly number[], outDtype: DType): GpuStorage {
  for (const s of program.steps) checkGpuDType('fused', s.dtype);
  if (inputs.length + 1 <= ctx.maxStorage) {
    return runMap(ctx, 'fused', `f:${program.key}`, inputs, outShape, outDtype, (vals) => body(program, inputs, vals));
  }
  return stepwise(ctx, program, inputs, outShape, outDtype);
}

/**
 * The program as one kernel that stores its result straight into the window `into`, when it can: one
 * kernel binds all inputs, and each input in the window's buffer is the window itself (an optimizer's
 * parameter read and rewritten in place). Returns false otherwise, writing nothing.
 */
export function fusedStraightInto(ctx: GpuContext, program: FusedProgram, inputs: readonly GView[], into: GView): boolean {
  for (const s of program.steps) checkGpuDType('fused', s.dtype);
  const wstr = into.strides.join(',');
  const sameWindow = (x: GView) =>
    x.buf.buffer !== into.buf.buffer || (x.offset === into.offset && broadcastTo('fused', into.shape, x.shape, x.strides).join(',') === wstr);
  if (inputs.length + 1 > ctx.maxStorage || !inputs.every(sameWindow)) return false;
  runMap(ctx, 'fused', `f:${program.key}`, inputs, into.shape, into.dtype, (vals) => body(program, inputs, vals), into);
  return true;
}

/** Runs the program one kernel per step (for programs with more inputs than one kernel can bind). */
function stepwise(ctx: GpuContext, program: FusedProgram, inputs: readonly GView[], outShape: readonly number[], outDtype: DType): GpuStorage {
  const views: GView[] = [];
  const temps: GpuStorage[] = [];
  const fresh = (buf: GpuStorage, dtype: DType, shape: readonly number[]): GView => {
    temps.push(buf);
    return { buf, dtype, shape, strides: rowMajor(shape), offset: 0 };
  };
  for (const s of program.steps) {
    if (s.op === 'input') views.push(inputs[s.index]!);
    else if (s.op === 'literal') views.push(fresh(fill(ctx, 1, scalarBits(s.dtype, s.value)), s.dtype, []));
    else if (s.op === 'cast') {
      const a = views[s.args[0]]!;
      views.push(fresh(copy(ctx, a, s.dtype), s.dtype, a.shape));
    } else if (s.op === 'unary') {
      const a = views[s.args[0]]!;
      views.push(fresh(unary(ctx, s.fn, a, s.dtype), s.dtype, a.shape));
    } else if (s.op === 'binary') {
      const a = views[s.args[0]]!, b = views[s.args[1]]!;
      const shape = broadcastShapes('fused', a.shape, b.shape);
      views.push(fresh(binary(ctx, s.fn, a, b, shape, s.dtype), s.dtype, shape));
    } else {
      const [c, a, b] = s.args.map((i) => views[i]!) as [GView, GView, GView];
      const shape = broadcastShapes('fused', c.shape, a.shape, b.shape);
      views.push(fresh(where(ctx, c, a, b, shape, s.dtype), s.dtype, shape));
    }
  }
  const result = views[views.length - 1]!;
  // The last step, broadcast to outShape and cast to outDtype, as a new buffer.
  const out = runMap(ctx, 'fused', 'c', [result], outShape, outDtype, ([v]) => [v!, kindOf(result.dtype)]);
  for (const t of temps) ctx.release(t);
  return out;
}
