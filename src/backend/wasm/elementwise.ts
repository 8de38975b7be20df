// Elementwise kernels (unary, binary) as generated SIMD loops: the iteration space is simplified
// (size-1 dims dropped, mergeable dims merged) to at most four dims; the innermost one runs f32x4 /
// f64x2 / i32x4 lanes when every operand is contiguous (stride 1) or broadcast (stride 0) there,
// one lane at a time otherwise. Broadcast and scalar operands are never materialized. One op
// emitter per op works on a v128, so the per-lane path is the same code on one lane.
import type { DType } from '../../core/dtype.js';
import type { BinaryOp, UnaryOp, View } from '../backend.js';
import { broadcastStrides, simplify } from '../cpu/strided.js';
import { Fn, type MemOp, type Op } from './asm.js';
import { ELEM_BYTES, SMALL_BYTES, WasmBuf, acquire, settle } from './buffers.js';
import { compile, instantiateModule } from './memory.js';
import { getNumThreads, parallelRun, shouldSplit } from './threads.js';
import { MATH_OPS, emitMath } from './vmath.js';

type Lane = 'float32' | 'float64' | 'int32';
const P = { float32: 'f32x4', float64: 'f64x2', int32: 'i32x4' } as const;
const S = { float32: 'f32', float64: 'f64', int32: 'i32' } as const;
const LANES = { float32: 4, float64: 2, int32: 4 } as const;

type Emit = (f: Fn, dt: Lane) => void;
const v = (op: string): Emit => (f, dt) => f.op(`${P[dt]}.${op}` as Op);

const FLOAT_BINARY: Partial<Record<BinaryOp, Emit>> = {
  add: v('add'), sub: v('sub'), mul: v('mul'), div: v('div'), maximum: v('max'), minimum: v('min'),
};
const INT_BINARY: Partial<Record<BinaryOp, Emit>> = {
  add: v('add'), sub: v('sub'), mul: v('mul'), maximum: v('max_s'), minimum: v('min_s'),
};

/** Emitters that take x as a local (some need it twice). */
type UEmit = (f: Fn, dt: Lane, x: number) => void;
const zero = (f: Fn, dt: Lane) => (dt === 'int32' ? f.i32(0).op('i32x4.splat') : dt === 'float32' ? f.f32x4(0) : f.f64x2(0));
const one = (f: Fn, dt: Lane) => (dt === 'float32' ? f.f32x4(1) : f.f64x2(1));
const uv = (op: string): UEmit => (f, dt, x) => f.get(x).op(`${P[dt]}.${op}` as Op);
const FLOAT_UNARY: Partial<Record<UnaryOp, UEmit>> = {
  neg: uv('neg'), abs: uv('abs'), sqrt: uv('sqrt'), floor: uv('floor'), ceil: uv('ceil'), round: uv('nearest'),
  // pmax(0, x) = 0 < x ? x : 0, the reference's relu to the bit (NaN and -0 give +0).
  relu: (f, dt, x) => { zero(f, dt); f.get(x).op(`${P[dt]}.pmax` as Op); },
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
const RANK = 4;

interface Plan {
  shape: number[];
  /** Byte strides per input, padded to RANK dims. */
  strides: number[][];
  modes: Mode[];
}

function plan(outShape: readonly number[], inputs: readonly View[], es: number): Plan | null {
  const all = [outShape.map((_, i) => outShape.slice(i + 1).reduce((a, d) => a * d, 1)), ...inputs.map((x) => broadcastStrides('elementwise', x, outShape))];
  const s = simplify(outShape, all);
  if (s.shape.length > RANK) return null;
  const pad = RANK - s.shape.length;
  const shape = [...new Array<number>(pad).fill(1), ...s.shape];
  const strides = s.strides.slice(1).map((st) => [...new Array<number>(pad).fill(0), ...st].map((x) => x * es));
  const modes = strides.map((st) => (st[RANK - 1] === es ? 'v' : st[RANK - 1] === 0 ? 's' : 'g') as Mode);
  return { shape, strides, modes };
}

interface Kernel {
  mod: WebAssembly.Module;
  k: (...args: number[]) => void;
}
const cache = new Map<string, Kernel>();

/**
 * A kernel over the planned space: args (out, in0.., n0..n3, strides of in0 (4), in1 (4)..); `body`
 * takes the inputs as v128 locals and leaves the result v128.
 */
function kernel(key: string, dt: Lane, modes: readonly Mode[], body: (f: Fn, xs: number[]) => void): Kernel {
  let k = cache.get(key);
  if (k !== undefined) return k;
  const nin = modes.length;
  const es = ELEM_BYTES[dt];
  const lanes = LANES[dt];
  const f = new Fn(new Array(1 + nin + RANK + nin * RANK).fill('i32'));
  const out = 0;
  const inp = (i: number) => 1 + i;
  const n = (d: number) => 1 + nin + d;
  const st = (i: number, d: number) => 1 + nin + RANK + i * RANK + d;
  const idx = [0, 1, 2].map(() => f.local('i32'));
  const j = f.local('i32');
  const po = f.local('i32');
  const p = modes.map(() => f.local('i32'));
  const xs = modes.map(() => f.local('v128'));
  const vecEnd = f.local('i32');
  const allVec = !modes.includes('g');
  const load: MemOp = dt === 'float64' ? 'f64.load' : dt === 'float32' ? 'f32.load' : 'i32.load';
  const store: MemOp = dt === 'float64' ? 'f64.store' : dt === 'float32' ? 'f32.store' : 'i32.store';
  const splat = `${P[dt]}.splat` as Op;
  const extract = dt === 'float64' ? 'f64x2.extract_lane' : dt === 'float32' ? 'f32x4.extract_lane' : 'i32x4.extract_lane';

  f.get(out).set(po);
  // Vector part of the inner dim: n3 rounded down to whole vectors (none when some input is strided).
  if (allVec) f.get(n(3)).i32(-lanes).op('i32.and').set(vecEnd);
  else f.i32(0).set(vecEnd);
  const outer = (d: number) => {
    if (d === 3) {
      // p_i = in_i + idx0*s_i0 + idx1*s_i1 + idx2*s_i2
      for (let i = 0; i < nin; i++) {
        f.get(inp(i));
        for (let e = 0; e < 3; e++) f.get(idx[e]!).get(st(i, e)).op('i32.mul', 'i32.add');
        f.set(p[i]!);
      }
      if (allVec) {
        f.forLoop(j, (g) => g.i32(0), (g) => g.get(vecEnd), lanes, () => {
          for (let i = 0; i < nin; i++) {
            f.get(p[i]!);
            if (modes[i] === 'v') f.mem('v128.load').get(p[i]!).i32(16).op('i32.add').set(p[i]!);
            else f.mem(load).op(splat);
            f.set(xs[i]!);
          }
          f.get(po);
          body(f, xs);
          f.mem('v128.store').get(po).i32(16).op('i32.add').set(po);
        });
      }
      f.forLoop(j, (g) => g.get(vecEnd), (g) => g.get(n(3)), 1, () => {
        for (let i = 0; i < nin; i++) {
          f.get(p[i]!).mem(load).op(splat).set(xs[i]!);
          f.get(p[i]!).get(st(i, 3)).op('i32.add').set(p[i]!);
        }
        f.get(po);
        body(f, xs);
        f.lane(extract, 0).mem(store).get(po).i32(es).op('i32.add').set(po);
      });
      return;
    }
    f.forLoop(idx[d]!, (g) => g.i32(0), (g) => g.get(n(d)), 1, () => outer(d + 1));
  };
  outer(0);
  const mod = compile([{ name: 'k', fn: f }]);
  k = { mod, k: instantiateModule(mod).k as (...args: number[]) => void };
  cache.set(key, k);
  return k;
}

function run(key: string, dt: Lane, outShape: readonly number[], inputs: readonly View<WasmBuf>[], body: (f: Fn, xs: number[]) => void): WasmBuf | null {
  const es = ELEM_BYTES[dt];
  const n = outShape.reduce((a, d) => a * d, 1);
  // All on the host and small: a wasm call would cost more than the reference loop (REFERENCE_KERNELS).
  if (n * es <= SMALL_BYTES && inputs.every((x) => x.buf.ptr < 0)) return null;
  const pl = plan(outShape, inputs, es);
  if (pl === null) return null;
  const out = new WasmBuf(dt, n);
  acquire(inputs.map((x) => x.buf), [out]);
  if (n > 0) {
    const k = kernel(`${key}:${pl.modes.join('')}`, dt, pl.modes, body);
    const ptrs = inputs.map((x) => x.buf.ptr + x.offset * es);
    const parts = shouldSplit(n * NS_PER_ELEMENT) ? 2 * getNumThreads() : 1;
    if (parts === 1) k.k(out.ptr, ...ptrs, ...pl.shape, ...pl.strides.flat());
    else parallelRun(k.mod, 'k', split(pl, out.ptr, ptrs, es, parts, LANES[dt]));
  }
  settle();
  return out;
}

/** A rough cost per element (the transcendental ops cost more, the memory-bound ones less). */
const NS_PER_ELEMENT = 0.5;

/**
 * Kernel arguments for `parts` tasks over disjoint slices of the outermost dim long enough to split
 * (the innermost one in whole vectors).
 */
function split(pl: Plan, out: number, ptrs: readonly number[], es: number, parts: number, lanes: number): number[][] {
  const d = pl.shape.findIndex((len) => len >= parts);
  if (d < 0) return [[out, ...ptrs, ...pl.shape, ...pl.strides.flat()]];
  const len = pl.shape[d]!;
  const unit = d === RANK - 1 ? lanes : 1;
  const after = pl.shape.slice(d + 1).reduce((a, x) => a * x, 1);
  const tasks: number[][] = [];
  for (let p = 0; p < parts; p++) {
    const lo = Math.min(len, Math.round((p * len) / parts / unit) * unit);
    const hi = p === parts - 1 ? len : Math.min(len, Math.round(((p + 1) * len) / parts / unit) * unit);
    if (hi <= lo) continue;
    const shape = [...pl.shape];
    shape[d] = hi - lo;
    tasks.push([out + lo * after * es, ...ptrs.map((q, i) => q + lo * pl.strides[i]![d]!), ...shape, ...pl.strides.flat()]);
  }
  return tasks;
}

const laneOf = (d: DType): Lane | null => (d === 'bool' ? null : d);

export function binary(op: BinaryOp, a: View<WasmBuf>, b: View<WasmBuf>, outShape: readonly number[], outDtype: DType): WasmBuf | null {
  const dt = laneOf(outDtype);
  if (dt === null || a.dtype !== dt || b.dtype !== dt) return null;
  const e = (dt === 'int32' ? INT_BINARY : FLOAT_BINARY)[op];
  if (e === undefined) return null;
  return run(`b:${op}:${dt}`, dt, outShape, [a, b], (f, [x, y]) => {
    f.get(x!).get(y!);
    e(f, dt);
  });
}

export function unary(op: UnaryOp, x: View<WasmBuf>, outDtype: DType): WasmBuf | null {
  const dt = laneOf(outDtype);
  if (dt === null || x.dtype !== dt) return null;
  const e = (dt === 'int32' ? INT_UNARY : FLOAT_UNARY)[op];
  if (e === undefined) return null;
  return run(`u:${op}:${dt}`, dt, x.shape, [x], (f, [xl]) => e(f, dt, xl!));
}

/** Same-dtype strided copy (a cast is left to the reference). */
export function copy(x: View<WasmBuf>, outDtype: DType): WasmBuf | null {
  const dt = laneOf(outDtype);
  if (dt === null || x.dtype !== dt) return null;
  return run(`c:${dt}`, dt, x.shape, [x], (f, [xl]) => f.get(xl!));
}

export const UNARY_NATIVE = { float: Object.keys(FLOAT_UNARY), int32: Object.keys(INT_UNARY) };
export const BINARY_NATIVE = { float: Object.keys(FLOAT_BINARY), int32: Object.keys(INT_BINARY) };
