// Elementwise kernels (unary, binary, where, copies and casts) as generated SIMD loops: the
// iteration space is simplified (size-1 dims dropped, mergeable dims merged) to at most six dims; the innermost one runs f32x4 /
// f64x2 / i32x4 lanes when every operand is contiguous (stride 1) or broadcast (stride 0) there,
// one lane at a time otherwise. Broadcast and scalar operands are never materialized. One op
// emitter per op works on a v128, so the per-lane path is the same code on one lane.
import type { DType } from '../../core/dtype.js';
import type { BinaryOp, UnaryOp, View } from '../backend.js';
import { broadcastStrides, simplify } from '../cpu/strided.js';
import { contiguousStrides, numel } from '../../core/shape.js';
import { Fn, type Op } from './asm.js';
import { LOAD, SCALAR, STORE } from './dtype_ops.js';
import { ELEM_BYTES, SMALL_BYTES, WasmBuf, acquire, settle } from './buffers.js';
import { kernelFor, type Kernel } from './memory.js';
import { getNumThreads, parallelRun, shouldSplit, splitBounds } from './threads.js';
import { MATH_OPS, MATH_OPS2, emitMath, emitMath2 } from './vmath.js';
import { tiledCopy } from './transpose.js';

export type Lane = 'float32' | 'float64' | 'int32';
const P = { float32: 'f32x4', float64: 'f64x2', int32: 'i32x4' } as const;
const LANES = { float32: 4, float64: 2, int32: 4 } as const;

type Emit = (f: Fn, dt: Lane) => void;
const v = (op: string): Emit => (f, dt) => f.op(`${P[dt]}.${op}` as Op);

export const FLOAT_BINARY: Partial<Record<BinaryOp, Emit>> = {
  add: v('add'), sub: v('sub'), mul: v('mul'), div: v('div'), maximum: v('max'), minimum: v('min'),
};
for (const m of MATH_OPS2) FLOAT_BINARY[m] = (f, dt) => emitMath2(f, m, dt as 'float32' | 'float64');
const INT_BINARY: Partial<Record<BinaryOp, Emit>> = {
  add: v('add'), sub: v('sub'), mul: v('mul'), maximum: v('max_s'), minimum: v('min_s'),
};

/** Emitters that take x as a local (some need it twice). */
type UEmit = (f: Fn, dt: Lane, x: number) => void;
const zero = (f: Fn, dt: Lane) => (dt === 'int32' ? f.i32(0).op('i32x4.splat') : dt === 'float32' ? f.f32x4(0) : f.f64x2(0));
const one = (f: Fn, dt: Lane) => (dt === 'float32' ? f.f32x4(1) : f.f64x2(1));
const uv = (op: string): UEmit => (f, dt, x) => f.get(x).op(`${P[dt]}.${op}` as Op);
export const FLOAT_UNARY: Partial<Record<UnaryOp, UEmit>> = {
  neg: uv('neg'), abs: uv('abs'), sqrt: uv('sqrt'), floor: uv('floor'), ceil: uv('ceil'), round: uv('nearest'),
  // max(x, 0): NaN propagates (as torch.relu) and -0 gives +0, the reference's relu to the bit.
  relu: (f, dt, x) => { f.get(x); zero(f, dt); f.op(`${P[dt]}.max` as Op); },
  square: (f, dt, x) => f.get(x).get(x).op(`${P[dt]}.mul` as Op),
  reciprocal: (f, dt, x) => { one(f, dt); f.get(x).op(`${P[dt]}.div` as Op); },
  rsqrt: (f, dt, x) => { one(f, dt); f.get(x).op(`${P[dt]}.sqrt` as Op, `${P[dt]}.div` as Op); },
};
for (const m of MATH_OPS) FLOAT_UNARY[m] = (f, dt, x) => { f.get(x); emitMath(f, m, dt as 'float32' | 'float64'); };
const INT_UNARY: Partial<Record<UnaryOp, UEmit>> = {
  neg: uv('neg'), abs: uv('abs'), square: (f, _dt, x) => f.get(x).get(x).op('i32x4.mul'),
  relu: (f, _dt, x) => { f.get(x); zero(f, 'int32'); f.op('i32x4.max_s'); },
};

/** 'v' contiguous, 's' broadcast, 'g' any other inner stride. */
type Mode = 'v' | 's' | 'g';
const RANK = 6;


/**
 * How an op computes: `vec` on v128 locals when inputs and output share one lane dtype (null: per
 * element only), `lane` on scalar locals of each input's own type, leaving the output scalar.
 */
interface Body {
  vec: ((f: Fn, xs: number[]) => void) | null;
  lane: (f: Fn, xs: number[]) => void;
}

/** A vector op as a Body: its per-element form runs the same code on one splatted lane. */
export function vecBody(dt: Lane, vec: (f: Fn, xs: number[]) => void): Body {
  const extract = dt === 'float64' ? 'f64x2.extract_lane' : dt === 'float32' ? 'f32x4.extract_lane' : 'i32x4.extract_lane';
  return {
    vec,
    lane: (f, xs) => {
      const vs = xs.map((x) => {
        const v = f.local('v128');
        f.get(x).op(`${P[dt]}.splat` as Op).set(v);
        return v;
      });
      vec(f, vs);
      f.lane(extract, 0);
    },
  };
}

interface Plan {
  shape: number[];
  /** Byte strides of the output, then of each input, padded to RANK dims. */
  strides: number[][];
  /** Innermost-dim mode of the output, then of each input. */
  modes: Mode[];
}

/** The iteration space of writing `out` (a window: its shape, element strides, dtype) from `inputs`. */
function plan(out: { shape: readonly number[]; strides: readonly number[]; dtype: DType }, inputs: readonly View[]): Plan | null {
  const views = [out, ...inputs];
  const s = simplify(out.shape, [out.strides, ...inputs.map((x) => broadcastStrides('elementwise', x, out.shape))]);
  if (s.shape.length > RANK) return null;
  const pad = RANK - s.shape.length;
  const shape = [...new Array<number>(pad).fill(1), ...s.shape];
  const strides = s.strides.map((st, i) => [...new Array<number>(pad).fill(0), ...st].map((x) => x * ELEM_BYTES[views[i]!.dtype]));
  const modes = strides.map((st, i) => (st[RANK - 1] === ELEM_BYTES[views[i]!.dtype] ? 'v' : st[RANK - 1] === 0 ? 's' : 'g') as Mode);
  return { shape, strides, modes };
}


/** Whether the innermost dim runs in vectors: a vector body, one lane dtype throughout, contiguous output, no strided input. */
const vectorized = (body: Body, ins: readonly DType[], out: DType, modes: readonly Mode[]) =>
  body.vec !== null && out !== 'bool' && ins.every((d) => d === out) && modes[0] === 'v' && !modes.includes('g');

/** A kernel over the planned space: args (out, in0.., n0..n5, byte strides of out (6), of in0 (6)..). */
function kernel(key: string, ins: readonly DType[], outDt: DType, modes: readonly Mode[], body: Body): Kernel {
  return kernelFor(`ew:${key}`, () => {
    const nops = modes.length; // the output, then the inputs
    const es = ELEM_BYTES[outDt];
    const allVec = vectorized(body, ins, outDt, modes);
    const lanes = allVec ? LANES[outDt as Lane] : 1;
    const f = new Fn(new Array(nops + RANK + nops * RANK).fill('i32'));
    const n = (d: number) => nops + d;
    const st = (i: number, d: number) => nops + RANK + i * RANK + d;
    const inner = RANK - 1;
    const idx = Array.from({ length: inner }, () => f.local('i32'));
    const j = f.local('i32');
    const p = modes.map(() => f.local('i32'));
    const xs = ins.map(() => f.local('v128'));
    const scalars = ins.map((d) => f.local(SCALAR[d]));
    const vecEnd = f.local('i32');
    const loadAt = (i: number, dt: DType) => f.get(p[i]!).mem(LOAD[dt]);

    // Vector part of the inner dim: rounded down to whole vectors (none when not vectorized).
    if (allVec) f.get(n(inner)).i32(-lanes).op('i32.and').set(vecEnd);
    else f.i32(0).set(vecEnd);
    f.nest(idx, n, () => {
      for (let i = 0; i < nops; i++) f.address(p[i]!, i, idx, (e) => st(i, e));
      if (allVec) {
        f.forLoop(j, (g) => g.i32(0), (g) => g.get(vecEnd), lanes, () => {
          ins.forEach((dt, i) => {
            if (modes[i + 1] === 'v') f.get(p[i + 1]!).mem('v128.load').get(p[i + 1]!).i32(16).op('i32.add').set(p[i + 1]!);
            else loadAt(i + 1, dt).op(`${P[outDt as Lane]}.splat` as Op);
            f.set(xs[i]!);
          });
          f.get(p[0]!);
          body.vec!(f, xs);
          f.mem('v128.store').get(p[0]!).i32(16).op('i32.add').set(p[0]!);
        });
      }
      f.forLoop(j, (g) => g.get(vecEnd), (g) => g.get(n(inner)), 1, () => {
        ins.forEach((dt, i) => {
          loadAt(i + 1, dt).set(scalars[i]!);
          f.get(p[i + 1]!).get(st(i + 1, inner)).op('i32.add').set(p[i + 1]!);
        });
        f.get(p[0]!);
        body.lane(f, scalars);
        f.mem(STORE[outDt]).get(p[0]!).get(st(0, inner)).op('i32.add').set(p[0]!);
      });
    });
    return f;
  });
}

/** Where a kernel writes: a new contiguous buffer, or a window (any strides) of an existing one. */
export type Target = { buf: WasmBuf; shape: readonly number[]; strides: readonly number[]; offset: number };

/** Runs `body` over outShape into a new buffer (returned), or into the window `into`. */
export function run(key: string, outDt: DType, outShape: readonly number[], inputs: readonly View<WasmBuf>[], body: Body, into?: Target): WasmBuf | null {
  const es = ELEM_BYTES[outDt];
  const n = numel(outShape);
  if (smallOnHost(outShape, outDt, into === undefined ? inputs : [...inputs, into])) return null;
  const window = into ?? { buf: null, shape: outShape, strides: contiguousStrides(outShape), offset: 0 };
  const pl = plan({ ...window, dtype: outDt }, inputs);
  if (pl === null) return null;
  const out = into?.buf ?? new WasmBuf(outDt, n);
  acquire(inputs.map((x) => x.buf), [out]);
  if (n > 0) {
    const ins = inputs.map((x) => x.dtype);
    const k = kernel(`${key}:${ins.join(',')}:${pl.modes.join('')}`, ins, outDt, pl.modes, body);
    const ptrs = [out.ptr + window.offset * es, ...inputs.map((x) => x.buf.ptr + x.offset * ELEM_BYTES[x.dtype])];
    const parts = shouldSplit(n * NS_PER_ELEMENT) ? 2 * getNumThreads() : 1;
    const unit = vectorized(body, ins, outDt, pl.modes) ? LANES[outDt as Lane] : 1;
    if (parts === 1) k.k(...ptrs, ...pl.shape, ...pl.strides.flat());
    else parallelRun(k.mod, 'k', split(pl, ptrs, parts, unit));
  }
  settle();
  return out;
}

/** A rough cost per element (the transcendental ops cost more, the memory-bound ones less). */
const NS_PER_ELEMENT = 0.5;

/**
 * Kernel arguments for `parts` tasks over disjoint slices of the outermost dim long enough to split
 * (the innermost one in whole vectors). ptrs: the output's, then the inputs'.
 */
function split(pl: Plan, ptrs: readonly number[], parts: number, unit: number): number[][] {
  const d = pl.shape.findIndex((len) => len >= parts);
  if (d < 0) return [[...ptrs, ...pl.shape, ...pl.strides.flat()]];
  const cuts = splitBounds(pl.shape[d]!, parts, d === RANK - 1 ? unit : 1);
  const tasks: number[][] = [];
  for (let q = 0; q < parts; q++) {
    const [lo, hi] = [cuts[q]!, cuts[q + 1]!];
    if (hi <= lo) continue;
    const shape = [...pl.shape];
    shape[d] = hi - lo;
    tasks.push([...ptrs.map((ptr, i) => ptr + lo * pl.strides[i]![d]!), ...shape, ...pl.strides.flat()]);
  }
  return tasks;
}

const laneOf = (d: DType): Lane | null => (d === 'bool' ? null : d);

const CMP: Partial<Record<BinaryOp, string>> = { eq: 'eq', ne: 'ne', lt: 'lt', le: 'le', gt: 'gt', ge: 'ge' };
/** x != 0 of a scalar local, as an i32 0/1 (NaN counts as true, as the reference's `x !== 0`). */
function truthy(f: Fn, dt: DType, x: number): void {
  const t = SCALAR[dt];
  f.get(x);
  if (t === 'f32') f.f32(0).op('f32.ne');
  else if (t === 'f64') f.f64(0).op('f64.ne');
  else f.i32(0).op('i32.ne');
}
const LOGICAL: Partial<Record<BinaryOp, Op>> = { logicalAnd: 'i32.and', logicalOr: 'i32.or', logicalXor: 'i32.xor' };

/** Small operands that all live on the host: the reference loop beats a wasm call (REFERENCE_KERNELS). */
function smallOnHost(shape: readonly number[], dt: DType, views: readonly { buf: WasmBuf }[]): boolean {
  let n = ELEM_BYTES[dt];
  for (const d of shape) n *= d;
  if (n > SMALL_BYTES) return false;
  for (const v of views) if (v.buf.ptr >= 0) return false;
  return true;
}

export function binary(op: BinaryOp, a: View<WasmBuf>, b: View<WasmBuf>, outShape: readonly number[], outDtype: DType): WasmBuf | null {
  if (smallOnHost(outShape, outDtype, [a, b])) return null;
  const logical = LOGICAL[op];
  if (logical !== undefined) {
    if (outDtype !== 'bool') return null;
    return run(`b:${op}`, 'bool', outShape, [a, b], { vec: null, lane: (f, [x, y]) => { truthy(f, a.dtype, x!); truthy(f, b.dtype, y!); f.op(logical); } });
  }
  if (a.dtype !== b.dtype || a.dtype === 'bool') return null;
  const cmp = CMP[op];
  if (cmp !== undefined) {
    if (outDtype !== 'bool') return null;
    const t = SCALAR[a.dtype];
    const sop = (t === 'i32' && cmp !== 'eq' && cmp !== 'ne' ? `i32.${cmp}_s` : `${t}.${cmp}`) as Op;
    return run(`b:${op}`, 'bool', outShape, [a, b], { vec: null, lane: (f, [x, y]) => f.get(x!).get(y!).op(sop) });
  }
  const dt = laneOf(outDtype);
  if (dt === null || a.dtype !== dt) return null;
  const e = (dt === 'int32' ? INT_BINARY : FLOAT_BINARY)[op];
  if (e === undefined) return null;
  return run(`b:${op}`, dt, outShape, [a, b], vecBody(dt, (f, [x, y]) => {
    f.get(x!).get(y!);
    e(f, dt);
  }));
}

export function unary(op: UnaryOp, x: View<WasmBuf>, outDtype: DType): WasmBuf | null {
  if (smallOnHost(x.shape, outDtype, [x])) return null;
  if (op === 'isnan' || op === 'logicalNot') {
    if (outDtype !== 'bool') return null;
    const t = SCALAR[x.dtype];
    return run(`u:${op}`, 'bool', x.shape, [x], {
      vec: null,
      lane: op === 'isnan'
        ? (f, [v]) => (t === 'i32' ? f.i32(0) : f.get(v!).get(v!).op(`${t as 'f32' | 'f64'}.ne`))
        : (f, [v]) => { truthy(f, x.dtype, v!); f.op('i32.eqz'); },
    });
  }
  const dt = laneOf(outDtype);
  if (dt === null || x.dtype !== dt) return null;
  if (op === 'sign') {
    // x > 0 ? 1 : x < 0 ? -1 : x + 0 (as the reference: -0 gives +0, NaN stays NaN)
    const t = SCALAR[dt] as 'f32' | 'f64' | 'i32';
    const k = (f: Fn, v: number) => (t === 'f32' ? f.f32(v) : t === 'f64' ? f.f64(v) : f.i32(v));
    return run('u:sign', dt, x.shape, [x], {
      vec: null,
      lane: (f, [v]) => {
        k(f, 1);
        k(f, -1);
        f.get(v!);
        if (t !== 'i32') {
          k(f, 0);
          f.op(`${t}.add`);
        }
        f.get(v!);
        k(f, 0);
        f.op(t === 'i32' ? 'i32.lt_s' : `${t}.lt`, 'select');
        f.get(v!);
        k(f, 0);
        f.op(t === 'i32' ? 'i32.gt_s' : `${t}.gt`, 'select');
      },
    });
  }
  const e = (dt === 'int32' ? INT_UNARY : FLOAT_UNARY)[op];
  if (e === undefined) return null;
  return run(`u:${op}`, dt, x.shape, [x], vecBody(dt, (f, [xl]) => e(f, dt, xl!)));
}

/**
 * The body that stores a `from` element as a `to` element, or null for float to int32 (the
 * reference wraps as JavaScript's ToInt32 does).
 */
function castBody(from: DType, to: DType): Body | null {
  if (from === to && to !== 'bool') return vecBody(to as Lane, (f, [x]) => f.get(x!));
  if (to === 'bool') return { vec: null, lane: (f, [v]) => truthy(f, from, v!) };
  const a = SCALAR[from];
  const b = SCALAR[to];
  if (to === 'int32' && a !== 'i32') return null;
  const conv: Op | null = a === b ? null : a === 'i32' ? (b === 'f32' ? 'f32.convert_i32_s' : 'f64.convert_i32_s') : b === 'f32' ? 'f32.demote_f64' : 'f64.promote_f32';
  return { vec: null, lane: (f, [v]) => (conv === null ? f.get(v!) : f.get(v!).op(conv)) };
}

/** Whether copy / copyInto cast `from` to `to` themselves. */
export const castsNatively = (from: DType, to: DType): boolean => castBody(from, to) !== null;

/** Strided copy, also the cast (float to int32 runs the reference). */
export function copy(x: View<WasmBuf>, outDtype: DType): WasmBuf | null {
  if (smallOnHost(x.shape, outDtype, [x])) return null;
  const t = x.dtype === outDtype ? transposed(x) : null;
  if (t !== null) return t;
  const body = castBody(x.dtype, outDtype);
  return body === null ? null : run(`c:${outDtype}`, outDtype, x.shape, [x], body);
}

/** cond ? a : b with a bool condition and a, b of the output dtype. */
export function where(cond: View<WasmBuf>, a: View<WasmBuf>, b: View<WasmBuf>, outShape: readonly number[], outDtype: DType): WasmBuf | null {
  if (smallOnHost(outShape, outDtype, [cond, a, b])) return null;
  if (cond.dtype !== 'bool' || a.dtype !== outDtype || b.dtype !== outDtype) return null;
  return run('w', outDtype, outShape, [cond, a, b], { vec: null, lane: (f, [c, x, y]) => f.get(x!).get(y!).get(c!).op('select') });
}

export const UNARY_NATIVE = { float: [...Object.keys(FLOAT_UNARY), 'sign', 'isnan', 'logicalNot'], int32: [...Object.keys(INT_UNARY), 'sign', 'logicalNot'] };
export const BINARY_NATIVE = { float: [...Object.keys(FLOAT_BINARY), ...Object.keys(CMP), ...Object.keys(LOGICAL)], int32: [...Object.keys(INT_BINARY), ...Object.keys(CMP), ...Object.keys(LOGICAL)] };

/** Writes src (broadcast, cast) into dst's window (any strides) when src lives in another buffer. */
export function copyInto(dst: View<WasmBuf>, src: View<WasmBuf>): boolean {
  const body = src.buf === dst.buf ? null : castBody(src.dtype, dst.dtype);
  return body !== null && run(`c:${dst.dtype}`, dst.dtype, dst.shape, [src], body, dst) !== null;
}

/** dst += src over dst's window (float32/float64, src of dst's dtype); dst may be read and written in place. */
export function accumulateInto(dst: View<WasmBuf>, src: View<WasmBuf>): boolean {
  const dt = dst.dtype;
  if ((dt !== 'float32' && dt !== 'float64') || src.dtype !== dt) return false;
  return run(`acc:${dt}`, dt, dst.shape, [dst, src], vecBody(dt, (f, [x, y]) => f.get(x!).get(y!).op(`${P[dt]}.add` as Op)), dst) !== null;
}

/** A same-dtype copy that transposes its last two (merged) dims, by 32×32 tiles; null for any other layout. */
function transposed(x: View<WasmBuf>): WasmBuf | null {
  const es = ELEM_BYTES[x.dtype];
  const pl = plan({ shape: x.shape, strides: contiguousStrides(x.shape), dtype: x.dtype }, [x]);
  if (pl === null) return null;
  const [, sx] = pl.strides as [number[], number[]];
  if (sx[RANK - 1] === es || sx[RANK - 2] !== es || pl.shape[RANK - 2]! < 16 || pl.shape[RANK - 1]! < 16) return null;
  const out = new WasmBuf(x.dtype, numel(x.shape));
  acquire([x.buf], [out]);
  tiledCopy(es as 1 | 4 | 8)(out.ptr, x.buf.ptr + x.offset * es, ...pl.shape, ...pl.strides[0]!, ...sx);
  settle();
  return out;
}
