// Every kernel of the WebGPU backend against the reference backend (jsBackend) on random strided,
// broadcast, flipped and offset views, 0-d and empty shapes, int32 / bool inputs and NaN cases.
// Reports, per check, the largest error as a multiple of its tolerance (<= 1 passes). Runs wherever a
// WebGPU device exists: in Chromium through webgpu_entry.ts, or in Node given a device.
import type { DType, TypedArray } from '../../src/core/dtype.js';
import type { Backend, BinaryOp, Conv2dGeom, FusedProgram, FusedStep, ReduceOp, UnaryOp, View } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/cpu/index.js';
import type { WebGPUBackend, WebGPUBuffer } from '../../src/backend/webgpu/index.js';

/** One check's outcome: ratio = max error / tolerance (NaN mismatches count as Infinity). */
export interface CheckResult { method: string; name: string; ratio: number; detail: string; ms: number }

type G = WebGPUBuffer;
type J = TypedArray;
interface Tol { rtol: number; atol: number | Float64Array }
const EXACT: Tol = { rtol: 0, atol: 0 };

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(12345);
const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const rowMajor = (s: readonly number[]) => {
  const st = new Array<number>(s.length);
  let acc = 1;
  for (let d = s.length - 1; d >= 0; d--) { st[d] = acc; acc *= s[d]!; }
  return st;
};

type Gen = (i: number) => number;
const uni = (lo: number, hi: number): Gen => () => lo + (hi - lo) * rand();
const ints = (lo: number, hi: number): Gen => () => lo + Math.floor((hi - lo + 1) * rand());
const bits: Gen = () => (rand() < 0.5 ? 1 : 0);
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 0.5, 1.5, 2.5, -2.5, -0.5, 1, -1, 1e-7, -3e-6, 100];
const withSpecials = (g: Gen): Gen => (i) => (i < SPECIAL.length ? SPECIAL[i]! : g(i));
const defaultGen = (d: DType): Gen => (d === 'float32' ? uni(-3, 3) : d === 'int32' ? ints(-9, 9) : bits);

/** A layout of a logical shape in a larger buffer. */
type Layout = 'contig' | 'offset' | 'transposed' | 'flipped' | 'expanded';

/** A pair of identical views, one on each backend, holding the same values. */
interface Pair { g: View<G>; j: View<J>; dtype: DType; shape: number[] }

class Harness {
  results: CheckResult[] = [];
  private temps: G[] = [];
  constructor(readonly gpu: WebGPUBackend) {}

  /** A view of `shape` laid out as `layout`, values from `gen` (in logical row-major order). */
  view(dtype: DType, shape: number[], layout: Layout = 'contig', gen: Gen = defaultGen(dtype)): Pair {
    const r = shape.length;
    const n = numel(shape);
    const vals = Array.from({ length: n }, (_, i) => gen(i));
    let strides = rowMajor(shape);
    let offset = 0;
    let bufLen = n;
    if (layout === 'offset') { offset = 7; bufLen = n + 11; }
    if (layout === 'transposed' && r >= 2) {
      // Column-major: the first dim moves fastest.
      let acc = 1;
      strides = shape.map(() => 0);
      for (let d = 0; d < r; d++) { strides[d] = acc; acc *= shape[d]!; }
    }
    if (layout === 'flipped' && r >= 1) {
      strides[r - 1] = -1;
      offset = shape[r - 1]! - 1;
    }
    if (layout === 'expanded' && r >= 1) {
      // Dim 0 broadcast: every row reads the same memory; values follow memory.
      strides = rowMajor(shape);
      strides[0] = 0;
      bufLen = n / Math.max(shape[0]!, 1);
    }
    const buf = new Array<number>(Math.max(bufLen, 0)).fill(dtype === 'float32' ? 1234.5 : 77);
    const coords = new Array<number>(r).fill(0);
    for (let i = 0; i < n; i++) {
      let p = offset;
      for (let d = 0; d < r; d++) p += coords[d]! * strides[d]!;
      buf[p] = vals[i]!;
      for (let d = r - 1; d >= 0; d--) { if (++coords[d]! < shape[d]!) break; coords[d] = 0; }
    }
    if (dtype === 'bool') for (let i = 0; i < buf.length; i++) buf[i] = buf[i] ? 1 : 0;
    const gb = this.gpu.fromArray(dtype, buf);
    this.temps.push(gb);
    const jb = jsBackend.fromArray(dtype, buf);
    return { g: { buf: gb, dtype, shape, strides, offset }, j: { buf: jb, dtype, shape, strides, offset }, dtype, shape };
  }

  async compare(method: string, name: string, run: (b: Backend<any>, side: 'g' | 'j') => unknown, outDtype: DType, outShape: readonly number[], tol: Tol): Promise<void> {
    let detail = '';
    let ratio = 0;
    const t0 = performance.now();
    try {
      const jr = run(jsBackend, 'j') as J;
      const gbuf = run(this.gpu, 'g') as G;
      const gr = await this.gpu.readAsync({ buf: gbuf, dtype: outDtype, shape: outShape, strides: rowMajor(outShape), offset: 0 });
      this.gpu.free(gbuf);
      const ref = jsBackend.read({ buf: jr, dtype: outDtype, shape: outShape, strides: rowMajor(outShape), offset: 0 });
      if (gr.length !== ref.length) throw new Error(`length ${gr.length} != ${ref.length}`);
      let worst = -1;
      for (let i = 0; i < ref.length; i++) {
        const a = gr[i]!, b = ref[i]!;
        let e: number;
        if (Number.isNaN(b) || Number.isNaN(a)) e = Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
        else if (a === b) e = 0;
        else {
          const atol = typeof tol.atol === 'number' ? tol.atol : tol.atol[i]!;
          e = Math.abs(a - b) / (atol + tol.rtol * Math.abs(b));
          if (Number.isNaN(e)) e = Infinity;
        }
        if (e > ratio) { ratio = e; worst = i; }
      }
      detail = worst >= 0 ? `worst at ${worst}: webgpu ${gr[worst]} vs reference ${ref[worst]} (${ref.length} elements)` : `${ref.length} elements, all equal`;
    } catch (e) {
      ratio = Infinity;
      detail = `threw ${(e as Error).name}: ${(e as Error).message}`;
    }
    this.results.push({ method, name, ratio, detail, ms: performance.now() - t0 });
  }

  /** A check that is a yes/no fact. */
  fact(method: string, name: string, ok: boolean, detail: string): void {
    this.results.push({ method, name, ratio: ok ? 0 : Infinity, detail, ms: 0 });
  }

  freeTemps(): void {
    for (const t of this.temps) this.gpu.free(t);
    this.temps = [];
  }
}

const ARITH: Tol = { rtol: 2e-6, atol: 1e-7 };
const TRANS: Tol = { rtol: 4e-6, atol: 1e-6 };
const BUILTIN_TRIG: Tol = { rtol: 1e-5, atol: 2e-6 };

const UNARY: [UnaryOp, Gen, Tol][] = [
  ['neg', withSpecials(uni(-3, 3)), EXACT], ['abs', withSpecials(uni(-3, 3)), EXACT], ['sign', withSpecials(uni(-3, 3)), EXACT],
  ['exp', withSpecials(uni(-20, 20)), TRANS], ['log', withSpecials(uni(1e-3, 50)), TRANS], ['log1p', withSpecials(uni(-0.99, 5)), TRANS],
  ['expm1', withSpecials(uni(-2, 2)), TRANS], ['sqrt', withSpecials(uni(0, 50)), ARITH], ['rsqrt', uni(0.01, 50), ARITH],
  ['sin', uni(-6, 6), BUILTIN_TRIG], ['cos', uni(-6, 6), BUILTIN_TRIG], ['tan', uni(-1.3, 1.3), BUILTIN_TRIG],
  ['tanh', withSpecials(uni(-12, 12)), TRANS], ['sigmoid', withSpecials(uni(-30, 30)), TRANS], ['erf', withSpecials(uni(-5, 5)), TRANS],
  ['floor', withSpecials(uni(-5, 5)), EXACT], ['ceil', withSpecials(uni(-5, 5)), EXACT], ['round', withSpecials(uni(-5, 5)), EXACT],
  ['relu', withSpecials(uni(-3, 3)), EXACT], ['logicalNot', withSpecials(ints(-1, 1)), EXACT], ['reciprocal', withSpecials(uni(-3, 3)), ARITH],
  ['square', withSpecials(uni(-3, 3)), ARITH], ['asin', uni(-1, 1), BUILTIN_TRIG], ['acos', uni(-1, 1), BUILTIN_TRIG],
  ['atan', uni(-20, 20), BUILTIN_TRIG], ['sinh', withSpecials(uni(-10, 10)), TRANS], ['cosh', uni(-10, 10), TRANS],
  ['isnan', withSpecials(uni(-3, 3)), EXACT],
];
const BOOL_OUT = new Set<string>(['logicalNot', 'isnan', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

const BINARY: [BinaryOp, Gen, Gen, Tol][] = [
  ['add', uni(-3, 3), uni(-3, 3), ARITH], ['sub', uni(-3, 3), uni(-3, 3), ARITH], ['mul', uni(-3, 3), uni(-3, 3), ARITH],
  ['div', uni(-3, 3), uni(0.2, 3), ARITH], ['pow', uni(0.1, 4), uni(-3, 3), TRANS], ['maximum', withSpecials(uni(-3, 3)), uni(-3, 3), EXACT],
  ['minimum', withSpecials(uni(-3, 3)), uni(-3, 3), EXACT], ['atan2', uni(-3, 3), uni(-3, 3), BUILTIN_TRIG],
  ['remainder', uni(-20, 20), uni(-4, 4), { rtol: 1e-5, atol: 1e-5 }],
  ['eq', withSpecials(ints(-2, 2)), ints(-2, 2), EXACT], ['ne', withSpecials(ints(-2, 2)), ints(-2, 2), EXACT],
  ['lt', withSpecials(ints(-2, 2)), ints(-2, 2), EXACT], ['le', withSpecials(ints(-2, 2)), ints(-2, 2), EXACT],
  ['gt', withSpecials(ints(-2, 2)), ints(-2, 2), EXACT], ['ge', withSpecials(ints(-2, 2)), ints(-2, 2), EXACT],
  ['logicalAnd', withSpecials(ints(-1, 1)), ints(-1, 1), EXACT], ['logicalOr', withSpecials(ints(-1, 1)), ints(-1, 1), EXACT],
  ['logicalXor', withSpecials(ints(-1, 1)), ints(-1, 1), EXACT],
];

async function run(h: Harness): Promise<void> {
  const gpu = h.gpu;
  const C = (method: string, name: string, run: (b: Backend<any>, s: 'g' | 'j') => unknown, dt: DType, shape: readonly number[], tol: Tol) =>
    h.compare(method, name, run, dt, shape, tol);

  // --- memory ---
  for (const [dt, v] of [['float32', 1.5], ['int32', -7], ['bool', 1], ['float32', 0]] as const) {
    await C('full', `${dt} ${v}`, (b) => b.full(dt, 1000, v), dt, [1000], EXACT);
  }
  await C('full', 'size 0', (b) => b.full('float32', 0, 3), 'float32', [0], EXACT);
  for (const dt of ['float32', 'int32', 'bool'] as const) {
    const data = [1.5, -2, 0, 3.25, NaN, 2 ** 31 + 5, -7];
    await C('fromArray', dt, (b) => b.fromArray(dt, data), dt, [data.length], EXACT);
  }
  await C('fromArray', 'Float32Array, empty', (b) => b.fromArray('float32', new Float32Array(0)), 'float32', [0], EXACT);

  // --- unary ---
  for (const [op, gen, tol] of UNARY) {
    const outDt: DType = BOOL_OUT.has(op) ? 'bool' : 'float32';
    const x = h.view('float32', [257, 3], 'contig', gen);
    await C('unary', `${op} float32 [257, 3]`, (b, s) => b.unary(op, x[s], outDt), outDt, x.shape, tol);
  }
  for (const layout of ['offset', 'transposed', 'flipped', 'expanded'] as const) {
    const x = h.view('float32', [5, 6, 7], layout, uni(-2, 2));
    await C('unary', `exp ${layout} [5, 6, 7]`, (b, s) => b.unary('exp', x[s], 'float32'), 'float32', x.shape, TRANS);
  }
  for (const op of ['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'round'] as const) {
    const x = h.view('int32', [33, 4], 'flipped', ints(-50000, 50000));
    await C('unary', `${op} int32 -> int32`, (b, s) => b.unary(op, x[s], 'int32'), 'int32', x.shape, EXACT);
  }
  {
    const xi = h.view('int32', [40], 'contig', ints(-5, 5));
    await C('unary', 'exp int32 -> float32', (b, s) => b.unary('exp', xi[s], 'float32'), 'float32', xi.shape, TRANS);
    await C('unary', 'isnan int32 -> bool', (b, s) => b.unary('isnan', xi[s], 'bool'), 'bool', xi.shape, EXACT);
    await C('unary', 'reciprocal int32 -> int32', (b, s) => b.unary('reciprocal', xi[s], 'int32'), 'int32', xi.shape, EXACT);
    const xb = h.view('bool', [3, 5], 'transposed');
    await C('unary', 'logicalNot bool', (b, s) => b.unary('logicalNot', xb[s], 'bool'), 'bool', xb.shape, EXACT);
    const x0 = h.view('float32', [], 'contig', () => 0.7);
    await C('unary', 'tanh 0-d', (b, s) => b.unary('tanh', x0[s], 'float32'), 'float32', [], TRANS);
    const xe = h.view('float32', [0, 4]);
    await C('unary', 'exp empty [0, 4]', (b, s) => b.unary('exp', xe[s], 'float32'), 'float32', [0, 4], EXACT);
    const tiny = h.view('float32', [200], 'contig', (i) => (i % 2 ? 1 : -1) * 10 ** (-8 + (6 * i) / 200));
    for (const op of ['expm1', 'log1p', 'tanh', 'sinh', 'erf'] as const) {
      await C('unary', `${op} near 0 (relative accuracy)`, (b, s) => b.unary(op, tiny[s], 'float32'), 'float32', tiny.shape, { rtol: 4e-6, atol: 0 });
    }
  }

  // --- binary ---
  for (const [op, ga, gb, tol] of BINARY) {
    const outDt: DType = BOOL_OUT.has(op) ? 'bool' : 'float32';
    const a = h.view('float32', [3, 1, 50], 'contig', ga);
    const bb = h.view('float32', [4, 50], 'flipped', gb);
    await C('binary', `${op} float32 broadcast [3,1,50] x [4,50]`, (b, s) => b.binary(op, a[s], bb[s], [3, 4, 50], outDt), outDt, [3, 4, 50], tol);
  }
  for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'remainder', 'eq', 'lt', 'ge', 'logicalXor'] as const) {
    const outDt: DType = BOOL_OUT.has(op) ? 'bool' : 'int32';
    const a = h.view('int32', [6, 7], 'transposed', ints(-20, 20));
    const bb = h.view('int32', [7], 'offset', op === 'pow' ? ints(-2, 6) : ints(-5, 5));
    await C('binary', `${op} int32 [6,7] x [7]`, (b, s) => b.binary(op, a[s], bb[s], [6, 7], outDt), outDt, [6, 7], EXACT);
  }
  {
    const big = h.view('int32', [64], 'contig', ints(-(2 ** 31), 2 ** 31 - 1));
    const big2 = h.view('int32', [64], 'contig', ints(-(2 ** 31), 2 ** 31 - 1));
    for (const op of ['add', 'mul', 'sub'] as const) await C('binary', `${op} int32 wraps`, (b, s) => b.binary(op, big[s], big2[s], [64], 'int32'), 'int32', [64], EXACT);
    const a = h.view('int32', [5, 4], 'contig', ints(-9, 9));
    const f = h.view('float32', [4], 'contig', uni(-2, 2));
    await C('binary', 'mul int32 x float32 -> float32', (b, s) => b.binary('mul', a[s], f[s], [5, 4], 'float32'), 'float32', [5, 4], ARITH);
    const p = h.view('float32', [60], 'contig', ints(-4, 4));
    const e = h.view('float32', [60], 'contig', ints(-3, 5));
    await C('binary', 'pow negative base, integral exponent', (b, s) => b.binary('pow', p[s], e[s], [60], 'float32'), 'float32', [60], ARITH);
    const pb = h.view('bool', [8], 'contig');
    const pb2 = h.view('bool', [2, 8], 'expanded');
    await C('binary', 'logicalOr bool broadcast', (b, s) => b.binary('logicalOr', pb[s], pb2[s], [2, 8], 'bool'), 'bool', [2, 8], EXACT);
    const s0 = h.view('float32', [], 'contig', () => 2.5);
    const m = h.view('float32', [3, 4], 'transposed');
    await C('binary', 'sub 0-d scalar', (b, s) => b.binary('sub', m[s], s0[s], [3, 4], 'float32'), 'float32', [3, 4], ARITH);
    const z = h.view('float32', [0, 3]);
    await C('binary', 'add empty', (b, s) => b.binary('add', z[s], s0[s], [0, 3], 'float32'), 'float32', [0, 3], EXACT);
  }

  // --- where ---
  {
    const c = h.view('bool', [4, 1, 6]);
    const a = h.view('float32', [5, 6], 'transposed');
    const bb = h.view('float32', [6], 'flipped');
    await C('where', 'bool cond broadcast', (b, s) => b.where(c[s], a[s], bb[s], [4, 5, 6], 'float32'), 'float32', [4, 5, 6], EXACT);
    const cf = h.view('float32', [30], 'contig', withSpecials(ints(-1, 1)));
    const ai = h.view('int32', [30], 'offset');
    const bf = h.view('float32', [30], 'contig', uni(-1e9, 1e9));
    await C('where', 'float cond (NaN true), int32 / float32 -> int32', (b, s) => b.where(cf[s], ai[s], bf[s], [30], 'int32'), 'int32', [30], EXACT);
    await C('where', 'mixed -> float32', (b, s) => b.where(cf[s], ai[s], bf[s], [30], 'float32'), 'float32', [30], EXACT);
  }

  // --- copy / cast / copyInto ---
  {
    const x = h.view('float32', [7, 9, 5], 'transposed', withSpecials(uni(-3e9, 3e9)));
    await C('copy', 'transposed float32', (b, s) => b.copy(x[s], 'float32'), 'float32', x.shape, EXACT);
    await C('copy', 'cast float32 -> int32 (ToInt32: wraps, NaN -> 0)', (b, s) => b.copy(x[s], 'int32'), 'int32', x.shape, EXACT);
    await C('copy', 'cast float32 -> bool', (b, s) => b.copy(x[s], 'bool'), 'bool', x.shape, EXACT);
    const xo = h.view('float32', [9, 5], 'offset');
    await C('copy', 'contiguous with offset (buffer copy)', (b, s) => b.copy(xo[s], 'float32'), 'float32', xo.shape, EXACT);
    const xi = h.view('int32', [4, 5], 'flipped', ints(-(2 ** 31), 2 ** 31 - 1));
    await C('copy', 'cast int32 -> float32', (b, s) => b.copy(xi[s], 'float32'), 'float32', xi.shape, EXACT);
    const xb = h.view('bool', [3, 3], 'expanded');
    await C('copy', 'cast bool -> int32 (expanded)', (b, s) => b.copy(xb[s], 'int32'), 'int32', xb.shape, EXACT);
    const x0 = h.view('int32', [], 'contig', () => 5);
    await C('copy', '0-d', (b, s) => b.copy(x0[s], 'int32'), 'int32', [], EXACT);
    await C('copy', 'empty', (b, s) => b.copy(h.view('float32', [3, 0])[s], 'float32'), 'float32', [3, 0], EXACT);
    // copyInto: write a broadcast source into every other column of a fresh [6, 8] buffer, then read it all.
    const src = h.view('int32', [6, 1], 'contig', ints(-9, 9));
    await C('copyInto', 'strided window, broadcast source, int32 -> float32', (b, s) => {
      const buf = b.full('float32', 48, -1);
      b.copyInto({ buf, dtype: 'float32', shape: [6, 4], strides: [8, 2], offset: 1 }, src[s]);
      return buf;
    }, 'float32', [48], EXACT);
    await C('copyInto', 'overlapping source and destination (same buffer)', (b) => {
      const buf = b.fromArray('float32', Array.from({ length: 20 }, (_, i) => i));
      b.copyInto({ buf, dtype: 'float32', shape: [15], strides: [1], offset: 5 }, { buf, dtype: 'float32', shape: [15], strides: [1], offset: 0 });
      return buf;
    }, 'float32', [20], EXACT);
  }

  // --- reduce ---
  const REDS: ReduceOp[] = ['sum', 'prod', 'max', 'min'];
  for (const op of REDS) {
    const x = h.view('float32', [6, 40, 5], 'transposed', op === 'prod' ? uni(0.8, 1.25) : uni(-3, 3));
    for (const axes of [[0], [1], [0, 2], [0, 1, 2], []]) {
      const outShape = x.shape.filter((_, d) => !axes.includes(d));
      await C('reduce', `${op} over [${axes}] of transposed [6,40,5]`, (b, s) => b.reduce(op, x[s], axes, 'float32'), 'float32', outShape, { rtol: 1e-5, atol: 1e-5 });
    }
    const wide = h.view('float32', [3, 5000], 'flipped', op === 'prod' ? uni(0.999, 1.001) : uni(-3, 3));
    await C('reduce', `${op} over 5000 (workgroup tree)`, (b, s) => b.reduce(op, wide[s], [1], 'float32'), 'float32', [3], { rtol: 2e-5, atol: 1e-3 });
  }
  {
    const xn = h.view('float32', [4, 100], 'contig', (i) => (i === 17 || i === 333 ? NaN : rand()));
    for (const op of ['max', 'min', 'sum'] as const) await C('reduce', `${op} propagates NaN`, (b, s) => b.reduce(op, xn[s], [1], 'float32'), 'float32', [4], { rtol: 1e-5, atol: 1e-5 });
    const xi = h.view('int32', [7, 300], 'offset', ints(-1000, 1000));
    for (const op of REDS) await C('reduce', `${op} int32 -> int32`, (b, s) => b.reduce(op, xi[s], [1], 'int32'), 'int32', [7], EXACT);
    const xb = h.view('bool', [9, 70]);
    await C('reduce', 'sum bool -> int32', (b, s) => b.reduce('sum', xb[s], [0, 1], 'int32'), 'int32', [], EXACT);
    await C('reduce', 'prod bool -> bool (all)', (b, s) => b.reduce('prod', xb[s], [1], 'bool'), 'bool', [9], EXACT);
    const xe = h.view('float32', [3, 0]);
    await C('reduce', 'sum over an empty dim is 0', (b, s) => b.reduce('sum', xe[s], [1], 'float32'), 'float32', [3], EXACT);
    const x0 = h.view('float32', [], 'contig', () => 4);
    await C('reduce', 'sum of 0-d', (b, s) => b.reduce('sum', x0[s], [], 'float32'), 'float32', [], EXACT);
  }

  // --- argReduce ---
  for (const op of ['argmax', 'argmin'] as const) {
    const x = h.view('float32', [9, 300], 'transposed', ints(-20, 20));
    await C('argReduce', `${op} axis 1 (ties -> first)`, (b, s) => b.argReduce(op, x[s], 1), 'int32', [9], EXACT);
    await C('argReduce', `${op} axis 0`, (b, s) => b.argReduce(op, x[s], 0), 'int32', [300], EXACT);
    const xn = h.view('float32', [5, 40], 'flipped', (i) => (i % 37 === 5 ? NaN : Math.floor(rand() * 5)));
    await C('argReduce', `${op} NaN wins (first NaN)`, (b, s) => b.argReduce(op, xn[s], 1), 'int32', [5], EXACT);
    const xi = h.view('int32', [6, 7], 'offset', ints(-3, 3));
    await C('argReduce', `${op} int32`, (b, s) => b.argReduce(op, xi[s], 1), 'int32', [6], EXACT);
    const x0 = h.view('float32', [], 'contig', () => 1);
    await C('argReduce', `${op} 0-d`, (b, s) => b.argReduce(op, x0[s], 0), 'int32', [], EXACT);
  }

  // --- argsort ---
  for (const desc of [false, true]) {
    const x = h.view('float32', [6, 37], 'transposed', (i) => (i % 23 === 3 ? NaN : i % 29 === 1 ? -0 : Math.floor(rand() * 6) - 3));
    await C('argsort', `stable, NaN largest, ${desc ? 'descending' : 'ascending'}, axis 1`, (b, s) => b.argsort(x[s], 1, desc), 'int32', x.shape, EXACT);
    await C('argsort', `axis 0, ${desc ? 'descending' : 'ascending'}`, (b, s) => b.argsort(x[s], 0, desc), 'int32', x.shape, EXACT);
    const big = h.view('float32', [2, 3000], 'flipped', (i) => (i % 501 === 7 ? NaN : Math.floor(rand() * 100)));
    await C('argsort', `3000 per slice (global bitonic), ${desc ? 'descending' : 'ascending'}`, (b, s) => b.argsort(big[s], 1, desc), 'int32', big.shape, EXACT);
    const xi = h.view('int32', [4, 50], 'offset', ints(-(2 ** 31), 2 ** 31 - 1));
    await C('argsort', `int32 full range, ${desc ? 'descending' : 'ascending'}`, (b, s) => b.argsort(xi[s], 1, desc), 'int32', xi.shape, EXACT);
  }
  {
    const xb = h.view('bool', [3, 20]);
    await C('argsort', 'bool', (b, s) => b.argsort(xb[s], 1, false), 'int32', xb.shape, EXACT);
    await C('argsort', '0-d', (b, s) => b.argsort(h.view('float32', [])[s], 0, false), 'int32', [], EXACT);
  }

  // --- cumsum ---
  {
    const x = h.view('float32', [4, 300, 3], 'transposed', uni(-1, 1));
    for (const axis of [0, 1, 2]) await C('cumsum', `axis ${axis} of transposed [4,300,3]`, (b, s) => b.cumsum(x[s], axis, 'float32'), 'float32', x.shape, { rtol: 1e-5, atol: 2e-5 });
    const xi = h.view('int32', [5, 1000], 'flipped', ints(-1000, 1000));
    await C('cumsum', 'int32 axis 1 (chunked scan)', (b, s) => b.cumsum(xi[s], 1, 'int32'), 'int32', xi.shape, EXACT);
    const xb = h.view('bool', [10, 6]);
    await C('cumsum', 'bool -> int32', (b, s) => b.cumsum(xb[s], 0, 'int32'), 'int32', xb.shape, EXACT);
    await C('cumsum', '0-d', (b, s) => b.cumsum(h.view('float32', [], 'contig', () => 3)[s], 0, 'float32'), 'float32', [], EXACT);
  }

  // --- matmul ---
  const matmulCase = async (name: string, ash: number[], bsh: number[], outShape: number[], la: Layout = 'contig', lb: Layout = 'contig', dt: DType = 'float32') => {
    const a = h.view(dt, ash, la, dt === 'float32' ? uni(-1, 1) : ints(-5, 5));
    const bb = h.view(dt, bsh, lb, dt === 'float32' ? uni(-1, 1) : ints(-5, 5));
    const K = ash[ash.length - 1]!;
    let tol: Tol = EXACT;
    if (dt === 'float32') {
      // |error| <= K * 2^-23 * sum |a||b| (the reference computes |a| @ |b| for the bound).
      const absA = jsBackend.unary('abs', a.j, 'float32'), absB = jsBackend.unary('abs', bb.j, 'float32');
      const bound = jsBackend.matmul({ ...a.j, buf: absA, strides: rowMajor(ash), offset: 0 }, { ...bb.j, buf: absB, strides: rowMajor(bsh), offset: 0 }, outShape, 'float32');
      tol = { rtol: 0, atol: Float64Array.from(bound, (v) => K * 2 ** -23 * v + 1e-30) };
    }
    await C('matmul', name, (b, s) => b.matmul(a[s], bb[s], outShape, dt), dt, outShape, tol);
  };
  await matmulCase('256 x 256 x 256 (vec4 loads)', [256, 256], [256, 256], [256, 256]);
  await matmulCase('97 x 131 x 55 (ragged tiles)', [97, 131], [131, 55], [97, 55]);
  await matmulCase('batched broadcast [2,1,40,24] @ [3,24,36] (tiled)', [2, 1, 40, 24], [3, 24, 36], [2, 3, 40, 36]);
  await matmulCase('batched broadcast [2,1,16,24] @ [3,24,8] (thread per output)', [2, 1, 16, 24], [3, 24, 8], [2, 3, 16, 8], 'transposed');
  await matmulCase('transposed A, flipped B', [40, 70], [70, 30], [40, 30], 'transposed', 'flipped');
  await matmulCase('offset A, expanded B batch', [3, 20, 12], [3, 12, 16], [3, 20, 16], 'offset', 'expanded');
  await matmulCase('vector-like 1 x 64 @ 64 x 1', [1, 64], [64, 1], [1, 1]);
  await matmulCase('matrix-vector 1 x 50 @ 50 x 70, int32', [1, 50], [50, 70], [1, 70], 'contig', 'flipped', 'int32');
  await matmulCase('int32', [17, 9], [9, 21], [17, 21], 'contig', 'transposed', 'int32');
  await matmulCase('k = 0', [3, 0], [0, 4], [3, 4]);
  await matmulCase('batched outer products [5,70,1] @ [5,1,66] (k < 16: thread per output)', [5, 70, 1], [5, 1, 66], [5, 70, 66], 'offset', 'transposed');
  await matmulCase('k = 15, 64 x 64 (thread per output)', [64, 15], [15, 64], [64, 64]);
  // A batch against one matrix (vmap of x @ W) runs as one taller product when A's rows continue evenly.
  await matmulCase('vmapped vector @ matrix [6,1,40] @ [40,36] (one product)', [6, 1, 40], [40, 36], [6, 1, 36]);
  await matmulCase('column-major [4,1,24] @ [24,36] (one product, rows 1 apart)', [4, 1, 24], [24, 36], [4, 1, 36], 'transposed');
  await matmulCase('[5,20,24] @ [24,40] (one product over tile edges)', [5, 20, 24], [24, 40], [5, 20, 40]);
  await matmulCase('column-major [3,20,24] @ [24,36] (rows do not continue: batched)', [3, 20, 24], [24, 36], [3, 20, 36], 'transposed');
  await matmulCase('[3,5,7] @ [7,6], flipped A (one thread-per-output product)', [3, 5, 7], [7, 6], [3, 5, 6], 'flipped');

  // --- fused ---
  {
    const steps: FusedStep[] = [
      { op: 'input', index: 0, dtype: 'float32' }, { op: 'input', index: 1, dtype: 'float32' },
      { op: 'literal', value: 2, dtype: 'float32' },
      { op: 'binary', fn: 'mul', args: [0, 2], dtype: 'float32' },
      { op: 'binary', fn: 'add', args: [3, 1], dtype: 'float32' },
      { op: 'unary', fn: 'tanh', args: [4], dtype: 'float32' },
      { op: 'binary', fn: 'gt', args: [0, 1], dtype: 'bool' },
      { op: 'where', args: [6, 5, 1], dtype: 'float32' },
      { op: 'literal', value: NaN, dtype: 'float32' },
      { op: 'binary', fn: 'maximum', args: [7, 2], dtype: 'float32' },
      { op: 'input', index: 2, dtype: 'int32' },
      { op: 'cast', args: [10], dtype: 'float32' },
      { op: 'binary', fn: 'mul', args: [9, 11], dtype: 'float32' },
    ];
    const prog: FusedProgram = { steps, key: 'test:fused:1' };
    const a = h.view('float32', [4, 1, 9], 'contig', uni(-2, 2));
    const bb = h.view('float32', [5, 9], 'transposed', uni(-2, 2));
    const ci = h.view('int32', [9], 'flipped', ints(-3, 3));
    await C('fused', 'mul/add/tanh/gt/where/maximum/cast, broadcast', (b, s) => b.fused(prog, [a[s], bb[s], ci[s]], [4, 5, 9], 'float32'), 'float32', [4, 5, 9], TRANS);
    const isteps: FusedStep[] = [
      { op: 'input', index: 0, dtype: 'int32' }, { op: 'literal', value: 3, dtype: 'int32' },
      { op: 'binary', fn: 'mul', args: [0, 1], dtype: 'int32' }, { op: 'binary', fn: 'remainder', args: [2, 1], dtype: 'int32' },
      { op: 'cast', args: [3], dtype: 'bool' }, { op: 'unary', fn: 'logicalNot', args: [4], dtype: 'bool' },
      { op: 'cast', args: [5], dtype: 'int32' }, { op: 'binary', fn: 'add', args: [6, 2], dtype: 'int32' },
    ];
    const xi = h.view('int32', [3, 11], 'offset', ints(-100, 100));
    await C('fused', 'int32 / bool program', (b, s) => b.fused({ steps: isteps, key: 'test:fused:2' }, [xi[s]], [3, 11], 'int32'), 'int32', [3, 11], EXACT);
    // More inputs than most devices bind at once (8 storage buffers): the step-by-step fallback (or one kernel).
    const many: FusedStep[] = [];
    const ins: Pair[] = [];
    for (let k = 0; k < 10; k++) {
      many.push({ op: 'input', index: k, dtype: 'float32' });
      ins.push(h.view('float32', [k % 2 ? 6 : 1, 6], 'contig', uni(-1, 1)));
    }
    let acc = 0;
    for (let k = 1; k < 10; k++) { many.push({ op: 'binary', fn: k % 3 ? 'add' : 'mul', args: [acc, k], dtype: 'float32' }); acc = many.length - 1; }
    await C('fused', '10 inputs', (b, s) => b.fused({ steps: many, key: 'test:fused:3' }, ins.map((p) => p[s]), [6, 6], 'float32'), 'float32', [6, 6], ARITH);
  }

  // --- compile's fusions around kernels (fused_kernels.ts): in-place programs, reductions, epilogues ---
  {
    const addMul: FusedStep[] = [
      { op: 'input', index: 0, dtype: 'float32' }, { op: 'input', index: 1, dtype: 'float32' },
      { op: 'binary', fn: 'add', args: [0, 1], dtype: 'float32' }, { op: 'literal', value: 0.5, dtype: 'float32' },
      { op: 'binary', fn: 'mul', args: [2, 3], dtype: 'float32' },
    ];
    const prog: FusedProgram = { steps: addMul, key: 'test:fused:addmul' };
    const other = h.view('float32', [4, 5], 'transposed');
    await C('fusedInto', 'into a strided window that is also input 0', (b, s) => {
      const buf = b.fromArray('float32', Array.from({ length: 40 }, (_, i) => i * 0.25));
      const win = { buf, dtype: 'float32' as const, shape: [4, 5], strides: [10, 2], offset: 1 };
      b.fusedInto(prog, [win, other[s]], win);
      return buf;
    }, 'float32', [40], ARITH);
    await C('fusedInto', 'into a window of the buffer input 0 reads at other elements (copied first)', (b, s) => {
      const buf = b.fromArray('float32', Array.from({ length: 40 }, (_, i) => i * 0.25));
      const win = { buf, dtype: 'float32' as const, shape: [4, 5], strides: [10, 2], offset: 0 };
      b.fusedInto(prog, [{ ...win, offset: 1 }, other[s]], win);
      return buf;
    }, 'float32', [40], ARITH);
    const xr = h.view('float32', [6, 300], 'flipped', uni(-1, 1));
    const yr = h.view('float32', [300], 'contig', uni(-1, 1));
    const epi = (y: Pair, s: 'g' | 'j') => ({ program: { steps: [{ op: 'input', index: 0, dtype: 'float32' }, { op: 'unary', fn: 'tanh', args: [0], dtype: 'float32' }, { op: 'input', index: 1, dtype: 'float32' }, { op: 'binary', fn: 'add', args: [1, 2], dtype: 'float32' }] as FusedStep[], key: 'test:epi:tanhadd' }, inputs: [y[s]] });
    const bias6 = h.view('float32', [6], 'offset', uni(-1, 1));
    await C('fusedReduce', 'sum over axis 1 of (x + y) * 0.5, then tanh + bias', (b, s) => b.fusedReduce('sum', prog, [xr[s], yr[s]], [6, 300], [1], epi(bias6, s)), 'float32', [6], { rtol: 1e-5, atol: 1e-5 });
    const ma = h.view('float32', [33, 20], 'contig', uni(-1, 1)), mb = h.view('float32', [20, 40], 'contig', uni(-1, 1));
    const bias40 = h.view('float32', [40], 'contig', uni(-1, 1));
    await C('matmul', 'with an epilogue (tanh, + bias)', (b, s) => b.matmul(ma[s], mb[s], [33, 40], 'float32', epi(bias40, s)), 'float32', [33, 40], TRANS);
  }

  // --- gather / scatter / indexSelect ---
  {
    const x = h.view('float32', [4, 6, 5], 'transposed');
    const idx = h.view('int32', [4, 3, 5], 'contig', ints(0, 5));
    await C('gather', 'dim 1, transposed input', (b, s) => b.gather(x[s], 1, idx[s]), 'float32', [4, 3, 5], EXACT);
    const idx0 = h.view('int32', [2, 6, 5], 'flipped', ints(0, 3));
    await C('gather', 'dim 0, flipped index, smaller index shape', (b, s) => b.gather(x[s], 0, idx0[s]), 'float32', [2, 6, 5], EXACT);
    const xi = h.view('int32', [5], 'offset', ints(-9, 9));
    const gi = h.view('int32', [8], 'contig', ints(0, 4));
    await C('gather', 'int32 1-D', (b, s) => b.gather(xi[s], 0, gi[s]), 'int32', [8], EXACT);
    await C('gather', '0-d', (b, s) => b.gather(h.view('float32', [], 'contig', () => 3)[s], 0, h.view('int32', [], 'contig', () => 0)[s]), 'float32', [], EXACT);

    // Non-accumulating scatter with distinct targets per column (duplicates would race, as in PyTorch).
    const perm: number[] = [];
    for (let c = 0; c < 5; c++) { const p = [0, 1, 2, 3, 4, 5].sort(() => rand() - 0.5); perm.push(...p.slice(0, 3)); }
    const pidx = h.view('int32', [3, 5], 'transposed', (i) => perm[(i % 5) * 3 + Math.floor(i / 5)]!);
    const xs = h.view('float32', [6, 5], 'offset');
    const src = h.view('float32', [4, 5], 'flipped');
    await C('scatter', 'write, dim 0', (b, s) => b.scatter(xs[s], 0, pidx[s], src[s], false), 'float32', [6, 5], EXACT);
    const didx = h.view('int32', [4, 5], 'contig', ints(0, 2));
    await C('scatter', 'accumulate float32 with duplicates (CAS loop)', (b, s) => b.scatter(xs[s], 0, didx[s], src[s], true), 'float32', [6, 5], { rtol: 1e-6, atol: 1e-6 });
    const xsi = h.view('int32', [6, 5]);
    const srci = h.view('int32', [4, 5], 'contig', ints(-100, 100));
    await C('scatter', 'accumulate int32 with duplicates (atomicAdd)', (b, s) => b.scatter(xsi[s], 0, didx[s], srci[s], true), 'int32', [6, 5], EXACT);
    const xsb = h.view('bool', [6, 5]);
    const srcb = h.view('bool', [4, 5]);
    await C('scatter', 'accumulate bool (or)', (b, s) => b.scatter(xsb[s], 0, didx[s], srcb[s], true), 'bool', [6, 5], EXACT);
    const idx1 = h.view('int32', [6, 2], 'contig', ints(0, 4));
    const src1 = h.view('float32', [6, 2], 'transposed');
    await C('scatter', 'accumulate dim 1', (b, s) => b.scatter(xs[s], 1, idx1[s], src1[s], true), 'float32', [6, 5], { rtol: 1e-6, atol: 1e-6 });

    const sel = h.view('int32', [7], 'flipped', ints(0, 5));
    await C('indexSelect', 'dim 1 with repeats', (b, s) => b.indexSelect(x[s], 1, sel[s]), 'float32', [4, 7, 5], EXACT);
    const sel0 = h.view('int32', [5], 'contig', ints(0, 3));
    await C('indexSelect', 'dim 0', (b, s) => b.indexSelect(x[s], 0, sel0[s]), 'float32', [5, 6, 5], EXACT);
    await C('indexSelect', '0-d index', (b, s) => b.indexSelect(x[s], 2, h.view('int32', [], 'contig', () => 4)[s]), 'float32', [4, 6, 1], EXACT);
    await C('indexSelect', '0-d input', (b, s) => b.indexSelect(h.view('float32', [], 'contig', () => 9)[s], 0, h.view('int32', [3], 'contig', () => 0)[s]), 'float32', [3], EXACT);
  }

  // --- concat / pad ---
  {
    const a = h.view('float32', [3, 2, 4], 'transposed'), bb = h.view('float32', [3, 5, 4], 'flipped'), c = h.view('int32', [3, 1, 4], 'offset');
    await C('concat', 'dim 1, three strided inputs, int32 cast', (b, s) => b.concat([a[s], bb[s], c[s]], 1, [3, 8, 4], 'float32'), 'float32', [3, 8, 4], EXACT);
    const d = h.view('float32', [2, 2, 4], 'expanded');
    await C('concat', 'dim 0', (b, s) => b.concat([a[s], d[s]], 0, [5, 2, 4], 'float32'), 'float32', [5, 2, 4], EXACT);
    await C('concat', 'with an empty input', (b, s) => b.concat([a[s], h.view('float32', [3, 0, 4])[s]], 1, [3, 2, 4], 'float32'), 'float32', [3, 2, 4], EXACT);
    const p = h.view('float32', [3, 4], 'transposed');
    await C('pad', 'float32 value -1', (b, s) => b.pad(p[s], [[1, 2], [0, 3]], -1), 'float32', [6, 7], EXACT);
    const pi = h.view('int32', [2, 3], 'flipped');
    await C('pad', 'int32 value 5', (b, s) => b.pad(pi[s], [[0, 0], [2, 1]], 5), 'int32', [2, 6], EXACT);
    const pb = h.view('bool', [4]);
    await C('pad', 'bool value 1', (b, s) => b.pad(pb[s], [[3, 1]], 1), 'bool', [8], EXACT);
  }

  // --- unfold / fold ---
  {
    const g: Conv2dGeom = { kh: 3, kw: 2, sh: 2, sw: 1, dh: 1, dw: 2 };
    const x = h.view('float32', [2, 3, 9, 8], 'transposed');
    const oh = Math.floor((9 - 2 - 1) / 2) + 1, ow = Math.floor((8 - 2 - 1) / 1) + 1;
    await C('unfold', 'kh3 kw2 sh2 sw1 dh1 dw2, transposed input', (b, s) => b.unfold(x[s], g), 'float32', [2, 18, oh * ow], EXACT);
    const cols = h.view('float32', [2, 18, oh * ow], 'flipped');
    await C('fold', 'same geometry, overlaps summed', (b, s) => b.fold(cols[s], 3, 9, 8, g), 'float32', [2, 3, 9, 8], ARITH);
    const g2: Conv2dGeom = { kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1 };
    const ci = h.view('int32', [1, 18, 9], 'contig', ints(-5, 5));
    await C('fold', 'int32, 3x3 stride 1', (b, s) => b.fold(ci[s], 2, 5, 5, g2), 'int32', [1, 2, 5, 5], EXACT);
  }

  // --- linear algebra (f32 on the GPU against float64 in the reference) ---
  {
    const LIN: Tol = { rtol: 2e-5, atol: 2e-5 };
    const diagDominant = (n: number, batch: number) => {
      const vals: number[] = [];
      for (let e = 0; e < batch; e++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vals.push((i === j ? n : 0) + rand() - 0.5);
      return (i: number) => vals[i]!;
    };
    const a = h.view('float32', [2, 1, 5, 5], 'transposed', diagDominant(5, 2));
    const b = h.view('float32', [3, 5, 2], 'flipped', uni(-1, 1));
    await C('linalgSolve', 'broadcast batch [2,1,5,5] \\ [3,5,2], pivoting', (bk, s) => bk.linalgSolve(a[s], b[s], [2, 3, 5, 2], 'float32'), 'float32', [2, 3, 5, 2], LIN);
    const g = h.view('float32', [4, 6, 6], 'offset', uni(-1, 1));
    await C('slogdet', 'random [4,6,6]', (bk, s) => bk.slogdet(g[s], 'float32'), 'float32', [4, 2], LIN);
    const sing = h.view('float32', [2, 3, 3], 'contig', (i) => (i % 3 === 1 && i < 9 ? 0 : rand()));
    await C('slogdet', 'a zero column gives (0, -inf)', (bk, s) => bk.slogdet(sing[s], 'float32'), 'float32', [2, 2], LIN);
    const r1 = h.view('float32', [3, 5, 4], 'transposed', uni(-1, 1));
    await C('luFactor', 'tall [3,5,4]: LU, permutation, pivots', (bk, s) => bk.luFactor(r1[s], 'float32'), 'float32', [3, 5 * 4 + 5 + 4], LIN);
    const r2 = h.view('float32', [2, 4, 6], 'contig', uni(-1, 1));
    await C('luFactor', 'wide [2,4,6]', (bk, s) => bk.luFactor(r2[s], 'float32'), 'float32', [2, 4 * 6 + 4 + 4], LIN);
    const piv = h.view('int32', [3, 4], 'offset', (i) => (i % 4) + 1 + Math.floor(rand() * (6 - (i % 4))));
    await C('luPermutation', 'valid pivots, m = 6', (bk, s) => bk.luPermutation(piv[s], 6), 'int32', [3, 6], EXACT);
    // Symmetric positive-definite: X X^T + n I, one triangle perturbed (the kernel factors the symmetric part).
    const spd = (n: number, batch: number) => {
      const vals: number[] = [];
      for (let e = 0; e < batch; e++) {
        const X = Array.from({ length: n * n }, () => rand() - 0.5);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let v = i === j ? n : 0;
          for (let t = 0; t < n; t++) v += X[i * n + t]! * X[j * n + t]!;
          vals.push(v + (i < j ? 0.01 : 0));
        }
      }
      return (i: number) => vals[i]!;
    };
    const p = h.view('float32', [3, 5, 5], 'transposed', spd(5, 3));
    await C('cholesky', 'SPD [3,5,5]', (bk, s) => bk.cholesky(p[s], true, 'float32'), 'float32', [3, 5, 5], LIN);
    const np = h.view('float32', [4, 4], 'contig', (i) => (i === 10 ? -5 : i % 5 === 0 ? 2 : 0.1));
    await C('cholesky', 'not positive-definite, unchecked: zero columns from the failing order', (bk, s) => bk.cholesky(np[s], false, 'float32'), 'float32', [4, 4], LIN);
    for (const [upper, unit] of [[true, false], [false, false], [true, true], [false, true]] as const) {
      const t = h.view('float32', [2, 1, 6, 6], upper ? 'transposed' : 'contig', diagDominant(6, 2));
      const rhs = h.view('float32', [3, 6, 4], 'offset', uni(-1, 1));
      await C('triangularSolve', `${upper ? 'upper' : 'lower'}${unit ? ', unit diagonal' : ''}, broadcast batch`, (bk, s) => bk.triangularSolve(t[s], rhs[s], [2, 3, 6, 4], 'float32', upper, unit), 'float32', [2, 3, 6, 4], LIN);
    }
    for (const [shape, complete] of [[[2, 6, 4], false], [[2, 6, 4], true], [[3, 4, 7], false], [[5, 5], true]] as const) {
      const q = h.view('float32', [...shape], 'transposed', uni(-1, 1));
      const [m, n] = shape.slice(-2) as [number, number];
      const mq = complete ? m : Math.min(m, n);
      const nb = shape.length === 3 ? shape[0] : 1;
      await C('qr', `[${shape}] ${complete ? 'complete' : 'reduced'}`, (bk, s) => bk.qr(q[s], complete, 'float32'), 'float32', [nb * (m * mq + mq * n)], LIN);
    }
    for (const n of [1, 2, 6]) {
      const sy = h.view('float32', [3, n, n], 'transposed', uni(-1, 1));
      await C('eigh', `[3,${n},${n}] (symmetric part): values and vectors`, (bk, s) => bk.eigh(sy[s], 'float32'), 'float32', [3, n + 1, n], { rtol: 1e-4, atol: 1e-4 });
    }
    for (const [m, n] of [[6, 4], [3, 5], [4, 4]] as const) {
      const sv = h.view('float32', [2, m, n], 'transposed', uni(-1, 1));
      const k = Math.min(m, n);
      await C('svd', `[2,${m},${n}]: U, S, V`, (bk, s) => bk.svd(sv[s], 'float32'), 'float32', [2, m + 1 + n, k], { rtol: 1e-4, atol: 1e-4 });
      await C('pinv', `[2,${m},${n}]`, (bk, s) => bk.pinv(sv[s], 1e-5, 0, 'float32'), 'float32', [2, n, m], { rtol: 1e-4, atol: 1e-4 });
    }
    // Rank 1: zero singular values, U's columns completed, pinv drops them.
    const r1m = h.view('float32', [4, 3], 'contig', (i) => [1, 2, -1, 0.5][Math.floor(i / 3)]! * [2, -1, 3][i % 3]!);
    await C('svd', 'rank 1 [4,3]: completed U columns', (bk, s) => bk.svd(r1m[s], 'float32'), 'float32', [8, 3], { rtol: 1e-4, atol: 1e-4 });
    await C('pinv', 'rank 1 [4,3], rtol 1e-5', (bk, s) => bk.pinv(r1m[s], 1e-5, 0, 'float32'), 'float32', [3, 4], { rtol: 1e-4, atol: 1e-4 });
    // Norms across every Padé degree (3 ... 13) and into scaling and squaring.
    for (const scale of [0.002, 0.05, 0.3, 0.8, 1.5, 4]) {
      const e = h.view('float32', [2, 4, 4], 'transposed', uni(-scale, scale));
      await C('matrixExp', `entries within +-${scale}`, (bk, s) => bk.matrixExp(e[s], 'float32'), 'float32', [2, 4, 4], { rtol: 1e-5, atol: 1e-5 });
    }
    const big = h.view('float32', [3, 3], 'contig', uni(-3, 3));
    await C('matrixExp', 'entries within +-3 (squarings)', (bk, s) => bk.matrixExp(big[s], 'float32'), 'float32', [3, 3], { rtol: 1e-4, atol: 1e-4 });
    // Errors found on the GPU surface at the next read.
    const rejects = async (name: string, make: () => unknown, errName: string, text: string) => {
      const buf = make() as G;
      let msg = 'did not reject';
      let ok = false;
      try { await gpu.readAsync({ buf, dtype: 'float32', shape: [1], strides: [1], offset: 0 }); } catch (e) {
        msg = `${(e as Error).name}: ${(e as Error).message}`;
        ok = (e as Error).name === errName && msg.includes(text);
      }
      h.fact('errors', name, ok, msg);
    };
    const z = h.view('float32', [2, 3, 3], 'contig', (i) => (i >= 9 && i % 3 === 0 ? 0 : rand()));
    const zb = h.view('float32', [2, 3, 1]);
    await rejects('singular linalgSolve rejects the next read with LinAlgError', () => gpu.linalgSolve(z.g, zb.g, [2, 3, 1], 'float32'), 'LinAlgError', 'singular');
    await rejects('checked cholesky of an indefinite matrix rejects with LinAlgError', () => gpu.cholesky(np.g, true, 'float32'), 'LinAlgError', 'order 3');
    const badPiv = h.view('int32', [2], 'contig', (i) => [1, 9][i]!);
    await rejects('an out-of-range pivot rejects with IndexError', () => gpu.luPermutation(badPiv.g, 3), 'IndexError', 'pivot 9');
  }

  // --- errors and memory ---
  const throwsName = (f: () => unknown, name: string, text: string): [boolean, string] => {
    try { f(); return [false, 'did not throw']; } catch (e) {
      const err = e as Error;
      return [err.name === name && err.message.includes(text), `${err.name}: ${err.message}`];
    }
  };
  for (const [what, f] of [
    ['full', () => gpu.full('float64', 4, 1)], ['fromArray', () => gpu.fromArray('float64', [1, 2])],
    ['unary out', () => gpu.unary('exp', h.view('float32', [3]).g, 'float64')],
    ['copy cast', () => gpu.copy(h.view('float32', [3]).g, 'float64')],
  ] as const) {
    const [ok, detail] = throwsName(f, 'DTypeError', "float64 is not supported on device 'webgpu'; use float32");
    h.fact('errors', `float64 ${what} throws DTypeError`, ok, detail);
  }
  {
    const [ok, detail] = throwsName(() => gpu.read(h.view('float32', [3]).g), 'DeviceError', 'await tensor.data()');
    h.fact('errors', 'synchronous read throws DeviceError naming await tensor.data()', ok, detail);
    // An out-of-range index cannot throw inside the kernel; the next read reports it.
    const xg = h.view('float32', [5]).g;
    const bad = gpu.gather(xg, 0, h.view('int32', [3], 'contig', (i) => [0, 7, 1][i]!).g);
    let msg = 'did not reject';
    let ok3 = false;
    try { await gpu.readAsync({ buf: bad, dtype: 'float32', shape: [3], strides: [1], offset: 0 }); } catch (e) {
      msg = `${(e as Error).name}: ${(e as Error).message}`;
      ok3 = (e as Error).name === 'IndexError' && msg.includes('index 7');
    }
    h.fact('errors', 'out-of-range gather index rejects the next read with IndexError', ok3, msg);
    let ok4 = true;
    try { await gpu.synchronize(); } catch (e) { ok4 = false; msg = String(e); }
    h.fact('errors', 'the index error is reported once', ok4, ok4 ? 'synchronize resolved' : msg);
  }
  {
    await gpu.synchronize();
    const before = gpu.poolStats();
    const bufs = Array.from({ length: 5 }, () => gpu.full('float32', 3000, 1));
    for (const b of bufs) gpu.free(b);
    await gpu.synchronize();
    const again = Array.from({ length: 5 }, () => gpu.full('float32', 2900, 2));
    const after = gpu.poolStats();
    const vals = await gpu.readAsync({ buf: again[0]!, dtype: 'float32', shape: [2900], strides: [1], offset: 0 });
    for (const b of again) gpu.free(b);
    h.fact('pool', 'freed buffers are reused for the same size class', after.reused - before.reused >= 5 && vals.every((v) => v === 2),
      `reused ${after.reused - before.reused}, created ${after.created - before.created}`);
    let owner: object | null = {};
    gpu.adopt!(owner, gpu.full('float32', 10, 0));
    owner = null;
    h.fact('pool', 'adopt accepts an owner', true, 'registered with a FinalizationRegistry');
  }
}

/**
 * Launches larger than one grid dimension, on a backend limited to 6 workgroups per dimension: the 2-D
 * grid and the split batch loop, with inputs small enough for an emulated GPU.
 */
async function runGrid(h: Harness): Promise<void> {
  const C = (name: string, run: (b: Backend<any>, s: 'g' | 'j') => unknown, dt: DType, shape: readonly number[], tol: Tol) =>
    h.compare('grid', name, run, dt, shape, tol);
  const x = h.view('float32', [3000], 'flipped', uni(-2, 2));
  await C('unary over 12 workgroups', (b, s) => b.unary('exp', x[s], 'float32'), 'float32', [3000], TRANS);
  const wide = h.view('float32', [10, 2000], 'transposed', uni(-1, 1));
  await C('reduce, a workgroup per output', (b, s) => b.reduce('max', wide[s], [1], 'float32'), 'float32', [10], EXACT);
  await C('argReduce, a workgroup per output', (b, s) => b.argReduce('argmin', wide[s], 1), 'int32', [10], EXACT);
  const tall = h.view('float32', [3000, 5], 'offset', ints(-3, 3));
  await C('reduce, a thread per output', (b, s) => b.reduce('sum', tall[s], [1], 'float32'), 'float32', [3000], EXACT);
  await C('argReduce, a thread per output', (b, s) => b.argReduce('argmax', tall[s], 1), 'int32', [3000], EXACT);
  const rows = h.view('float32', [10, 300], 'contig', ints(-3, 3));
  await C('cumsum, a workgroup per slice', (b, s) => b.cumsum(rows[s], 1, 'float32'), 'float32', [10, 300], EXACT);
  await C('argsort, a workgroup per slice', (b, s) => b.argsort(rows[s], 1, false), 'int32', [10, 300], EXACT);
  const long = h.view('float32', [2, 3000], 'contig', ints(0, 50));
  await C('argsort, global passes', (b, s) => b.argsort(long[s], 1, true), 'int32', [2, 3000], EXACT);
  const a = h.view('float32', [7, 20, 16], 'contig', ints(-3, 3)), bb = h.view('float32', [7, 16, 20], 'contig', ints(-3, 3));
  await C('matmul, 7 batches in dispatches of 6', (b, s) => b.matmul(a[s], bb[s], [7, 20, 20], 'float32'), 'float32', [7, 20, 20], EXACT);
  const idx = h.view('int32', [3000], 'contig', ints(0, 2999));
  await C('gather over 12 workgroups', (b, s) => b.gather(x[s], 0, idx[s]), 'float32', [3000], EXACT);
}

/**
 * Runs every check on `gpu` and returns the results; with `smallGrid` (a backend on the same kind of
 * device created with maxWorkgroupsPerDimension: 6), also the 'grid' checks.
 */
export async function runChecks(gpu: WebGPUBackend, smallGrid?: WebGPUBackend): Promise<CheckResult[]> {
  const h = new Harness(gpu);
  await run(h);
  h.freeTemps();
  await gpu.synchronize();
  if (smallGrid !== undefined) {
    const g = new Harness(smallGrid);
    g.results = h.results;
    await runGrid(g);
    g.freeTemps();
    await smallGrid.synchronize();
  }
  return h.results;
}
