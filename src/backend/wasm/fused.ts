// compile's fused elementwise programs as one generated SIMD loop: each step of the program is
// emitted with the same per-op emitters the single-op kernels use, on v128 locals, so a chain like
// tanh(x)·2 + 1 reads x once and writes once. Broadcasting, strides and threads come from the
// elementwise kernel runner.
import type { DType } from '../../core/dtype.js';
import type { FusedProgram, View } from '../backend.js';
import { free, type WasmBuf } from './buffers.js';
import { contiguousStrides, numel } from '../../core/shape.js';
import type { Fn, Op } from './asm.js';
import { FLOAT_BINARY, FLOAT_UNARY, copy, run, vecBody, type Target } from './elementwise.js';

const P = { float32: 'f32x4', float64: 'f64x2' } as const;
type FloatLane = keyof typeof P;
const CMP = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const LOGIC: Record<string, Op> = { logicalAnd: 'v128.and', logicalOr: 'v128.or', logicalXor: 'v128.xor' };

/**
 * Whether every step has a vector emitter in `dt` lanes. Bool steps (comparisons, logical ops, isnan,
 * literals) are lane masks of the same width: all ones for true, as the SIMD comparisons give them.
 */
function vectorizable(program: FusedProgram, dt: FloatLane): boolean {
  const dts = program.steps.map((s) => s.dtype);
  return program.steps.every((s) => {
    if (s.op === 'input') return s.dtype === dt;
    if (s.op === 'literal') return s.dtype === dt || s.dtype === 'bool';
    const args = s.args.map((a) => dts[a]);
    if (s.op === 'where') return s.dtype === dt && args[0] === 'bool' && args[1] === dt && args[2] === dt;
    if (s.op === 'cast') return s.dtype === dt && (args[0] === dt || args[0] === 'bool');
    if (s.op === 'unary') {
      if (s.fn === 'isnan') return args[0] === dt;
      if (s.fn === 'logicalNot') return args[0] === 'bool';
      return s.dtype === dt && FLOAT_UNARY[s.fn] !== undefined;
    }
    if (CMP.has(s.fn)) return args.every((a) => a === dt);
    if (LOGIC[s.fn] !== undefined) return args.every((a) => a === 'bool');
    return s.dtype === dt && FLOAT_BINARY[s.fn] !== undefined;
  });
}

/** The program as one loop, or null when it has steps without a vector emitter (the caller runs those step by step). */
export function fused(program: FusedProgram, inputs: readonly View<WasmBuf>[], outShape: readonly number[], outDtype: DType, into?: Target): WasmBuf | null {
  if (!fusable(program, outDtype)) return null;
  const dt = outDtype;
  // An input strided along its last dim (a transposed gradient) would put the whole loop on the
  // one-lane path: a tiled transposing copy first costs far less.
  const temps: WasmBuf[] = [];
  const ins = inputs.map((x) => {
    const r = x.shape.length;
    if (r < 2 || x.shape[r - 1] === 1 || x.strides[r - 1] === 1 || x.strides[r - 1] === 0 || numel(x.shape) < STRIDED_COPY_MIN) return x;
    const c = copy(x, x.dtype);
    if (c === null) return x;
    temps.push(c);
    return { buf: c, dtype: x.dtype, shape: x.shape, strides: contiguousStrides([...x.shape]), offset: 0 };
  });
  try {
    return runProgram(program, dt, ins, outShape, into);
  } finally {
    for (const t of temps) free(t);
  }
}

/** Elements from which a strided input is copied contiguous before the loop. */
const STRIDED_COPY_MIN = 4096;

/** Whether `program` runs as one generated loop with results of `dt`. */
export function fusable(program: FusedProgram, dt: DType): dt is FloatLane {
  return (dt === 'float32' || dt === 'float64') && vectorizable(program, dt);
}

function runProgram(program: FusedProgram, dt: FloatLane, inputs: readonly View<WasmBuf>[], outShape: readonly number[], into?: Target): WasmBuf | null {
  const p = P[dt];
  const splat = (f: Fn, v: number) => (dt === 'float32' ? f.f32x4(v) : f.f64x2(v));
  return run(`f:${program.key}`, dt, outShape, inputs, vecBody(dt, (f, xs) => {
    const at: number[] = [];
    const dts = program.steps.map((s) => s.dtype);
    for (const s of program.steps) {
      if (s.op === 'input' || (s.op === 'cast' && dts[s.args[0]] === dt)) {
        at.push(s.op === 'input' ? xs[s.index]! : at[s.args[0]]!);
        continue;
      }
      if (s.op === 'literal') {
        if (s.dtype === 'bool') f.i32(s.value ? -1 : 0).op('i32x4.splat');
        else splat(f, s.value);
      } else if (s.op === 'cast') {
        f.get(at[s.args[0]]!);
        splat(f, 1);
        f.op('v128.and');
      } else if (s.op === 'where') {
        f.get(at[s.args[1]]!).get(at[s.args[2]]!).get(at[s.args[0]]!).op('v128.bitselect');
      } else if (s.op === 'unary') {
        const x = at[s.args[0]]!;
        if (s.fn === 'isnan') f.get(x).get(x).op(`${p}.ne` as Op);
        else if (s.fn === 'logicalNot') f.get(x).op('v128.not');
        else FLOAT_UNARY[s.fn]!(f, dt, x);
      } else {
        f.get(at[s.args[0]]!).get(at[s.args[1]]!);
        if (CMP.has(s.fn)) f.op(`${p}.${s.fn}` as Op);
        else if (LOGIC[s.fn] !== undefined) f.op(LOGIC[s.fn]!);
        else FLOAT_BINARY[s.fn]!(f, dt);
      }
      const l = f.local('v128');
      f.set(l);
      at.push(l);
    }
    f.get(at[at.length - 1]!);
  }), into);
}
