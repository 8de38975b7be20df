// The reference backend's fused elementwise kernel: the program becomes one generated loop whose
// body computes every step in a local, rounded to its step's dtype (Math.fround for float32, ToInt32
// for int32, 0/1 for bool) exactly as storing it in that dtype's array would, so the result equals
// the ops run one at a time, bit for bit, without their intermediate arrays.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import { resultDtype, type FusedEpilogue, type FusedProgram, type ReduceOp } from '../backend.js';
import { copyInto } from './copy.js';
import { reduce } from './reduce.js';
import type { View } from './view.js';
import { mathHelpers } from './math.js';
import { broadcastStrides, getKernel, rowMajor, runKernel, sizeOf } from './strided.js';
import { binaryExpr, isInt, unaryExpr } from './elementwise.js';

/** `e` (a double) as the value a `dtype` array would hold. */
function rounded(dtype: DType, e: string): string {
  if (dtype === 'float32') return `Math.fround(${e})`;
  if (dtype === 'int32') return `((${e}) | 0)`;
  if (dtype === 'bool') return `((${e}) !== 0 ? 1 : 0)`;
  return e;
}

function body(program: FusedProgram): string {
  const lines: string[] = ['let x = 0, y = 0;'];
  const dt = program.steps.map((s) => s.dtype);
  program.steps.forEach((s, i) => {
    let e: string;
    if (s.op === 'input') e = `b${s.index + 1}[p${s.index + 1}]`;
    else if (s.op === 'literal') e = rounded(s.dtype, String(s.value));
    else if (s.op === 'where') e = `(v${s.args[0]} !== 0 ? v${s.args[1]} : v${s.args[2]})`;
    else if (s.op === 'cast') e = rounded(s.dtype, `v${s.args[0]}`);
    else if (s.op === 'unary') {
      lines.push(`x = v${s.args[0]};`);
      e = rounded(s.dtype, unaryExpr(s.fn, isInt(dt[s.args[0]]!) && s.dtype === 'int32'));
    } else {
      lines.push(`x = v${s.args[0]}; y = v${s.args[1]};`);
      e = rounded(s.dtype, binaryExpr(s.fn, isInt(dt[s.args[0]]!) && isInt(dt[s.args[1]]!) && s.dtype === 'int32'));
    }
    lines.push(`const v${i} = ${e};`);
  });
  lines.push(`b0[p0] = v${program.steps.length - 1};`);
  return `{ ${lines.join(' ')} }`;
}

export function fused(program: FusedProgram, inputs: readonly View[], outShape: readonly number[], outDtype: DType): TypedArray {
  const out = arrayFor(outDtype, sizeOf(outShape));
  // The program's key names its inputs' dtypes, so it names the kernel.
  const kernel = getKernel(`f:${program.key}`, () => ({ nops: inputs.length + 1, body: body(program) }), mathHelpers);
  runKernel(
    kernel, outShape, [out, ...inputs.map((x) => x.buf)], [rowMajor(outShape), ...inputs.map((x) => broadcastStrides('fused', x, outShape))],
    [0, ...inputs.map((x) => x.offset)],
  );
  return out;
}

const whole = (buf: TypedArray, dtype: DType, shape: readonly number[]): View => ({ buf, dtype, shape, strides: rowMajor(shape), offset: 0 });

/** The reference runs the program whole and copies the result into the window. */
export function fusedInto(program: FusedProgram, inputs: readonly View[], into: View): void {
  const dtype = resultDtype(program);
  copyInto(into, whole(fused(program, inputs, into.shape, dtype), dtype, into.shape));
}

/** An epilogue applied to a kernel's result (the reference materializes the result first). */
export function applyEpilogue(result: TypedArray, dtype: DType, shape: readonly number[], epilogue: FusedEpilogue<TypedArray> | null | undefined): TypedArray {
  if (!epilogue) return result;
  return fused(epilogue.program, [whole(result, dtype, shape), ...epilogue.inputs], shape, resultDtype(epilogue.program));
}

/** The reference evaluates the prologue whole, reduces, then applies the epilogue. */
export function fusedReduce(op: ReduceOp, prologue: FusedProgram, inputs: readonly View[], inShape: readonly number[], axes: readonly number[], epilogue: FusedEpilogue<TypedArray> | null): TypedArray {
  const dtype = resultDtype(prologue);
  const outShape = inShape.filter((_, d) => !axes.includes(d));
  const r = reduce(op, whole(fused(prologue, inputs, inShape, dtype), dtype, inShape), axes, dtype);
  return applyEpilogue(r, dtype, outShape, epilogue);
}
