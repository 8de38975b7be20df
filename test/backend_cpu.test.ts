// CPU backend kernels against naive index-decomposition references on random shapes, strides and dtypes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mulberry as mulberry32 } from './support/samples.js';
import { runs } from './support/runs.js';
import { jsBackend as B } from '../src/backend/cpu/index.js';
import type { BinaryOp, Conv2dGeom, ReduceOp, UnaryOp } from '../src/backend/backend.js';
import type { View } from '../src/backend/cpu/view.js';
import { arrayFor, type DType, type TypedArray } from '../src/core/dtype.js';

// ------------------------------------------------------------------------------------------------
// Random generation helpers

type Rng = () => number;


const randInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 1, -1];

function randValue(rng: Rng, dtype: DType, specials = true): number {
  if (dtype === 'bool') return rng() < 0.5 ? 1 : 0;
  if (dtype === 'int32') return randInt(rng, -10, 10);
  if (specials && rng() < 0.1) return pick(rng, SPECIALS);
  return (rng() * 2 - 1) * 4;
}

interface ViewOpts {
  broadcast?: boolean; // allow 0 strides
  specials?: boolean;
  layout?: boolean; // permuted / stepped / flipped / offset layouts (default true)
  value?: (idx: number[]) => number; // logical values (default random)
}

/** A view of `shape` over a larger random buffer: permuted dims, steps, flips, 0-strides, an offset. */
function randomView(rng: Rng, shape: readonly number[], dtype: DType, opts: ViewOpts = {}): View {
  const r = shape.length;
  const layout = opts.layout ?? true;
  const perm = Array.from({ length: r }, (_, i) => i);
  if (layout && rng() < 0.5) {
    for (let i = r - 1; i > 0; i--) {
      const j = randInt(rng, 0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
  }
  const steps = shape.map(() => (layout && rng() < 0.25 ? 2 : 1));
  const bcast = shape.map(() => !!opts.broadcast && rng() < 0.25);
  const flips = shape.map(() => layout && rng() < 0.25);
  const ext = shape.map((s, d) => (bcast[d] ? 1 : Math.max(1, (s - 1) * steps[d]! + 1)));
  const strides = new Array<number>(r).fill(0);
  let acc = 1;
  for (let q = r - 1; q >= 0; q--) {
    const d = perm[q]!;
    strides[d] = bcast[d] ? 0 : acc * steps[d]!;
    acc *= ext[d]!;
  }
  const lead = layout && rng() < 0.5 ? randInt(rng, 1, 5) : 0;
  const total = lead + acc + (layout ? randInt(rng, 0, 3) : 0);
  let offset = lead;
  for (let d = 0; d < r; d++) {
    if (flips[d] && shape[d]! > 0) {
      offset += (shape[d]! - 1) * strides[d]!;
      strides[d] = -strides[d]!;
    }
  }
  const buf = arrayFor(dtype, total);
  for (let i = 0; i < total; i++) buf[i] = randValue(rng, dtype, opts.specials ?? true);
  if (opts.value) {
    for (const idx of indices(shape)) buf[offset + dot(idx, strides)] = opts.value(idx);
  }
  return { buf, dtype, shape: [...shape], strides, offset };
}

/** A shape broadcastable to `out`: some leading dims dropped, some dims set to 1. */
function broadcastableShape(rng: Rng, out: readonly number[]): number[] {
  const drop = rng() < 0.3 ? randInt(rng, 0, out.length) : 0;
  return out.slice(drop).map((s) => (rng() < 0.25 ? 1 : s));
}

// ------------------------------------------------------------------------------------------------
// Naive reference helpers (index decomposition)

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

function indices(shape: readonly number[]): number[][] {
  const n = numel(shape);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(unravel(i, shape));
  return out;
}

const at = (v: View, idx: readonly number[]) => v.buf[v.offset + dot(idx, v.strides)]!;

/** Reads v at an index of the broadcast shape `out` (right-aligned). */
function atB(v: View, idx: readonly number[], out: readonly number[]): number {
  const off = out.length - v.shape.length;
  let p = v.offset;
  for (let d = 0; d < v.shape.length; d++) if (v.shape[d] !== 1) p += idx[off + d]! * v.strides[d]!;
  return v.buf[p]!;
}

function castTo(dtype: DType, x: number): number {
  const t = arrayFor(dtype, 1);
  t[0] = dtype === 'bool' ? (x !== 0 ? 1 : 0) : x;
  return t[0]!;
}

const isFloat = (d: DType) => d === 'float32' || d === 'float64';
const rankOf: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
const promote = (a: DType, b: DType): DType => (rankOf[a] >= rankOf[b] ? a : b);
const toFloat = (d: DType): DType => (isFloat(d) ? d : 'float32');

const ctor: Record<DType, unknown> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};

function assertClose(actual: TypedArray, expected: readonly number[], dtype: DType, tol: number, msg: string): void {
  assert.ok(actual instanceof (ctor[dtype] as typeof Float32Array), `${msg}: wrong array type ${actual.constructor.name} for ${dtype}`);
  assert.equal(actual.length, expected.length, `${msg}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = castTo(dtype, expected[i]!);
    if (a === e || (a !== a && e !== e)) continue;
    if (tol > 0 && Math.abs(a - e) <= tol * (1 + Math.abs(e))) continue;
    assert.fail(`${msg}: at ${i} got ${a}, expected ${e}`);
  }
}

const tolFor = (d: DType, f64 = 1e-12) => (d === 'float64' ? f64 : d === 'float32' ? 2e-6 : 0);

// Shapes: dims mostly 1..5, sometimes 0.
const arbDim = fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 14 });
const arbShape = (min = 0, max = 4) => fc.array(arbDim, { minLength: min, maxLength: max });
const arbSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const RUNS = runs(100); // FC_RUNS scales it (test/support/runs.ts)

// ------------------------------------------------------------------------------------------------
// Reference math

function refErf(x: number): number {
  if (x !== x) return NaN;
  const ax = Math.abs(x);
  if (ax < 2) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
    }
    return (sum * 2) / Math.sqrt(Math.PI);
  }
  if (ax > 7) return Math.sign(x);
  let f = ax;
  for (let n = 3000; n >= 1; n--) f = ax + n / 2 / f; // continued fraction for erfc
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}

function refRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

const imulRef = (x: number, y: number) => Number(BigInt.asIntN(32, BigInt(x) * BigInt(y)));

const UNARY: Record<UnaryOp, { f: (x: number, int: boolean) => number; kind: 'float' | 'same' | 'bool'; tol?: number }> = {
  neg: { f: (x) => -x, kind: 'same' },
  abs: { f: Math.abs, kind: 'same' },
  sign: { f: (x) => (x !== x ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0), kind: 'same' },
  exp: { f: Math.exp, kind: 'float' },
  log: { f: Math.log, kind: 'float' },
  log1p: { f: Math.log1p, kind: 'float' },
  expm1: { f: Math.expm1, kind: 'float' },
  sqrt: { f: Math.sqrt, kind: 'float' },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), kind: 'float' },
  sin: { f: Math.sin, kind: 'float' },
  cos: { f: Math.cos, kind: 'float' },
  tan: { f: Math.tan, kind: 'float' },
  tanh: { f: Math.tanh, kind: 'float' },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), kind: 'float' },
  erf: { f: refErf, kind: 'float', tol: 1e-13 },
  floor: { f: Math.floor, kind: 'same' },
  ceil: { f: Math.ceil, kind: 'same' },
  round: { f: refRound, kind: 'same' },
  relu: { f: (x) => (x > 0 || x !== x ? x : 0), kind: 'same' }, // NaN propagates, as torch.relu
  logicalNot: { f: (x) => (x === 0 ? 1 : 0), kind: 'bool' },
  reciprocal: { f: (x) => 1 / x, kind: 'float' },
  square: { f: (x, int) => (int ? imulRef(x, x) : x * x), kind: 'same' },
  asin: { f: Math.asin, kind: 'float' },
  acos: { f: Math.acos, kind: 'float' },
  atan: { f: Math.atan, kind: 'float' },
  sinh: { f: Math.sinh, kind: 'float' },
  cosh: { f: Math.cosh, kind: 'float' },
  isnan: { f: (x) => (Number.isNaN(x) ? 1 : 0), kind: 'bool' },
};

const pyMod = (x: number, y: number) => {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
};

const BINARY: Record<BinaryOp, { f: (x: number, y: number, int: boolean) => number; kind: 'same' | 'float' | 'bool' }> = {
  add: { f: (x, y) => x + y, kind: 'same' },
  sub: { f: (x, y) => x - y, kind: 'same' },
  mul: { f: (x, y, int) => (int ? imulRef(x, y) : x * y), kind: 'same' },
  div: { f: (x, y) => x / y, kind: 'float' },
  // C99 / PyTorch: pow(1, y) = 1 and pow(-1, ±inf) = 1 (JavaScript's Math.pow gives NaN there).
  pow: { f: (x: number, y: number) => (x === 1 || (x === -1 && Math.abs(y) === Infinity) ? 1 : Math.pow(x, y)), kind: 'float' },
  maximum: { f: (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y), kind: 'same' },
  minimum: { f: (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y), kind: 'same' },
  atan2: { f: Math.atan2, kind: 'float' },
  remainder: { f: pyMod, kind: 'same' },
  eq: { f: (x, y) => +(x === y), kind: 'bool' },
  ne: { f: (x, y) => +(x !== y), kind: 'bool' },
  lt: { f: (x, y) => +(x < y), kind: 'bool' },
  le: { f: (x, y) => +(x <= y), kind: 'bool' },
  gt: { f: (x, y) => +(x > y), kind: 'bool' },
  ge: { f: (x, y) => +(x >= y), kind: 'bool' },
  logicalAnd: { f: (x, y) => +(x !== 0 && y !== 0), kind: 'bool' },
  logicalOr: { f: (x, y) => +(x !== 0 || y !== 0), kind: 'bool' },
  logicalXor: { f: (x, y) => +(x !== 0 !== (y !== 0)), kind: 'bool' },
};

const DTYPE_PAIRS: [DType, DType][] = [
  ['float32', 'float32'],
  ['float64', 'float64'],
  ['int32', 'int32'],
  ['bool', 'bool'],
  ['int32', 'float32'],
  ['bool', 'float64'],
  ['float32', 'float64'],
];

// ------------------------------------------------------------------------------------------------

describe('cpu backend: memory', () => {
  test('alloc and fromArray', () => {
    assert.deepEqual([...B.full('float32', 3, 0)], [0, 0, 0]);
    assert.ok(B.full('bool', 2, 0) instanceof Uint8Array);
    assert.deepEqual([...B.fromArray('int32', [1.7, -2.7, 3])], [1, -2, 3]);
    assert.deepEqual([...B.fromArray('bool', [0, 2, NaN, -0])], [0, 1, 1, 0]);
    assert.deepEqual([...B.fromArray('float64', new Float32Array([0.5, 2]))], [0.5, 2]);
  });
});

describe('cpu backend: elementwise', () => {
  test('unary ops match the reference on random strided views', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const op of Object.keys(UNARY) as UnaryOp[]) {
          const spec = UNARY[op];
          for (const dt of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
            if (spec.kind === 'same' && dt === 'bool') continue;
            const out = spec.kind === 'float' ? toFloat(dt) : spec.kind === 'bool' ? 'bool' : dt;
            const x = randomView(rng, shape, dt, { broadcast: true });
            const got = B.unary(op, x, out);
            const exp = indices(shape).map((i) => spec.f(at(x, i), dt === 'int32'));
            assertClose(got, exp, out, spec.tol ?? tolFor(out), `${op} ${dt}->${out} [${shape}]`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('binary ops broadcast and match the reference', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (outShape, seed) => {
        const rng = mulberry32(seed);
        for (const op of Object.keys(BINARY) as BinaryOp[]) {
          const spec = BINARY[op];
          for (const [da, db] of DTYPE_PAIRS) {
            const p = promote(da, db);
            const out = spec.kind === 'float' ? toFloat(p) : spec.kind === 'bool' ? 'bool' : p;
            const a = randomView(rng, broadcastableShape(rng, outShape), da, { broadcast: true });
            const b = randomView(rng, broadcastableShape(rng, outShape), db, { broadcast: true });
            const got = B.binary(op, a, b, outShape, out);
            const int = da !== 'float32' && da !== 'float64' && db !== 'float32' && db !== 'float64' && out === 'int32';
            const exp = indices(outShape).map((i) => spec.f(atB(a, i, outShape), atB(b, i, outShape), int));
            assertClose(got, exp, out, tolFor(out), `${op} ${da},${db}->${out} [${a.shape}]x[${b.shape}]->[${outShape}]`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('where broadcasts all three operands', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (outShape, seed) => {
        const rng = mulberry32(seed);
        for (const [dc, da, db] of [['bool', 'float32', 'float32'], ['float64', 'int32', 'float64'], ['bool', 'bool', 'bool']] as DType[][]) {
          const out = promote(da!, db!);
          const c = randomView(rng, broadcastableShape(rng, outShape), dc!, { broadcast: true });
          const a = randomView(rng, broadcastableShape(rng, outShape), da!, { broadcast: true });
          const b = randomView(rng, broadcastableShape(rng, outShape), db!, { broadcast: true });
          const got = B.where(c, a, b, outShape, out);
          const exp = indices(outShape).map((i) => (atB(c, i, outShape) !== 0 ? atB(a, i, outShape) : atB(b, i, outShape)));
          assertClose(got, exp, out, 0, `where ${dc},${da},${db}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('large contiguous and strided inputs (fast paths)', () => {
    const rng = mulberry32(7);
    const n = 10007;
    const a = randomView(rng, [n], 'float32', { layout: false });
    const b = randomView(rng, [n], 'float32', { layout: false });
    const got = B.binary('add', a, b, [n], 'float32');
    for (let i = 0; i < n; i++) assert.equal(got[i], Math.fround(a.buf[i]! + b.buf[i]!));
    const s: View = { ...b, shape: [1], strides: [1], offset: 3 };
    const got2 = B.binary('mul', a, s, [n], 'float64');
    for (let i = 0; i < n; i++) assert.equal(got2[i], a.buf[i]! * b.buf[3]!);
    const t = randomView(rng, [37, 53], 'float64');
    const got3 = B.unary('exp', { ...t, shape: [53, 37], strides: [t.strides[1]!, t.strides[0]!] }, 'float64');
    const tt: View = { ...t, shape: [53, 37], strides: [t.strides[1]!, t.strides[0]!] };
    assertClose(got3, indices([53, 37]).map((i) => Math.exp(at(tt, i))), 'float64', 0, 'exp transposed');
  });

  test('semantics of special values', () => {
    const v = (xs: number[], dtype: DType = 'float64'): View => ({
      buf: B.fromArray(dtype, xs), dtype, shape: [xs.length], strides: [1], offset: 0,
    });
    const u = (op: UnaryOp, xs: number[]) => [...B.unary(op, v(xs), 'float64')];
    assert.deepEqual(u('round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6]), [0, 2, 2, -0, -2, -2, 2, 3, -3]);
    assert.deepEqual(u('sign', [0, -0, 3, -2]).map((x) => x + 0), [0, 0, 1, -1]);
    assert.ok(Number.isNaN(u('sign', [NaN])[0]));
    assert.deepEqual(u('relu', [-1, 0, 2, NaN]), [0, 0, 2, NaN]);
    const sg = u('sigmoid', [-800, 800, 0, -40]);
    assert.deepEqual(sg.slice(0, 3), [0, 1, 0.5]);
    assert.ok(Math.abs(sg[3]! / 4.248354255291589e-18 - 1) < 1e-12, `sigmoid(-40) = ${sg[3]}`);
    const erfs = u('erf', [0.5, 1, 2, -3, 1e-10, 0, Infinity, -Infinity, 6]);
    const known = [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014, 1.1283791670955126e-10, 0, 1, -1, 1];
    erfs.forEach((e, i) => assert.ok(Math.abs(e - known[i]!) <= 1e-15 * Math.max(1e-10, Math.abs(known[i]!)) * 10, `erf #${i}: ${e}`));
    assert.deepEqual(u('rsqrt', [4, 0.25]), [0.5, 2]);
    assert.deepEqual([...B.unary('isnan', v([NaN, 1, Infinity]), 'bool')], [1, 0, 0]);
    const bin = (op: BinaryOp, xs: number[], ys: number[], dt: DType = 'float64') => [...B.binary(op, v(xs, dt), v(ys, dt), [xs.length], dt)];
    assert.deepEqual(bin('remainder', [-7, 7, -7.5, 5, -1], [3, -3, 2, 0.5, Infinity]), [2, -2, 0.5, 0, Infinity]);
    assert.deepEqual(bin('remainder', [-7, 7, 6], [3, -3, 3], 'int32'), [2, -2, 0]);
    const mx = bin('maximum', [NaN, 1, 2], [1, NaN, 3]);
    assert.ok(Number.isNaN(mx[0]) && Number.isNaN(mx[1]) && mx[2] === 3);
    assert.deepEqual(bin('mul', [123456789, -7], [987654321, 3], 'int32'), [imulRef(123456789, 987654321), -21]);
    assert.deepEqual([...B.binary('ne', v([NaN]), v([NaN]), [1], 'bool')], [1]);
    assert.deepEqual([...B.binary('logicalAnd', v([NaN, 0]), v([1, 1]), [2], 'bool')], [1, 0]);
  });

  test('erf is accurate to 1e-13 over a dense grid', () => {
    const xs: number[] = [];
    for (let i = -6000; i <= 6000; i++) xs.push(i / 1000 + 0.000317);
    const got = B.unary('erf', { buf: Float64Array.from(xs), dtype: 'float64', shape: [xs.length], strides: [1], offset: 0 }, 'float64');
    xs.forEach((x, i) => assert.ok(Math.abs(got[i]! - refErf(x)) < 1e-13, `erf(${x}) = ${got[i]} vs ${refErf(x)}`));
  });
});

// ------------------------------------------------------------------------------------------------

/** Integer products wrap modulo 2^32 (as C's int32 arithmetic), exactly, however large they get. */
function refReduce(op: ReduceOp, x: View, axes: number[]): { shape: number[]; vals: number[] } {
  const intProd = op === 'prod' && (x.dtype === 'int32' || x.dtype === 'bool');
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outShape = kept.map((d) => x.shape[d]!);
  const redShape = axes.map((d) => x.shape[d]!);
  const vals = indices(outShape).map((oi) => {
    let acc = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
    for (const ri of indices(redShape)) {
      const idx = new Array<number>(x.shape.length);
      kept.forEach((d, k) => (idx[d] = oi[k]!));
      axes.forEach((d, k) => (idx[d] = ri[k]!));
      const v = at(x, idx);
      if (op === 'sum') acc += v;
      else if (op === 'prod') acc = intProd ? Math.imul(acc, v) : acc * v;
      else if (v !== v || acc !== acc) acc = NaN;
      else acc = op === 'max' ? Math.max(acc, v) : Math.min(acc, v);
    }
    return acc;
  });
  return { shape: outShape, vals };
}

const randomAxes = (rng: Rng, rank: number) => Array.from({ length: rank }, (_, d) => d).filter(() => rng() < 0.5);

describe('cpu backend: reductions', () => {
  test('reduce sum/prod/max/min over random axes', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const op of ['sum', 'prod', 'max', 'min'] as ReduceOp[]) {
          for (const dt of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
            const out: DType = (op === 'sum' || op === 'prod') && !isFloat(dt) ? 'int32' : dt;
            const x = randomView(rng, shape, dt, { broadcast: true, specials: rng() < 0.3 });
            const axes = randomAxes(rng, shape.length);
            const ref = refReduce(op, x, axes);
            const redCount = numel(axes.map((d) => shape[d]!));
            if ((op === 'max' || op === 'min') && redCount === 0 && numel(ref.shape) > 0) {
              assert.throws(() => B.reduce(op, x, axes, out), Error);
              continue;
            }
            const got = B.reduce(op, x, axes, out);
            assertClose(got, ref.vals, out, tolFor(out, 1e-10), `${op} ${dt} [${shape}] axes [${axes}]`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('reduce edge cases', () => {
    const empty: View = { buf: new Float32Array(0), dtype: 'float32', shape: [0], strides: [1], offset: 0 };
    assert.deepEqual([...B.reduce('sum', empty, [0], 'float32')], [0]);
    assert.deepEqual([...B.reduce('prod', empty, [0], 'float32')], [1]);
    assert.throws(() => B.reduce('max', empty, [0], 'float32'), Error);
    const x: View = { buf: new Float64Array([1, NaN, 3, 4]), dtype: 'float64', shape: [2, 2], strides: [2, 1], offset: 0 };
    const mx = B.reduce('max', x, [1], 'float64');
    assert.ok(Number.isNaN(mx[0]) && mx[1] === 4);
    const mn = B.reduce('min', x, [0], 'float64');
    assert.ok(mn[0] === 1 && Number.isNaN(mn[1]));
    // A long contiguous trailing-axis reduction.
    const big = new Float64Array(100003).map((_, i) => (i % 7) - 3);
    const s = B.reduce('sum', { buf: big, dtype: 'float64', shape: [1, 100003], strides: [100003, 1], offset: 0 }, [1], 'float64');
    assert.equal(s[0], big.reduce((a, b) => a + b, 0));
  });

  test('argmax/argmin return the first extreme index (NaN is extreme)', () => {
    fc.assert(
      fc.property(arbShape(1), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const op of ['argmax', 'argmin'] as const) {
          for (const dt of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
            const x = randomView(rng, shape, dt, { broadcast: true, specials: rng() < 0.3 });
            const axis = randInt(rng, 0, shape.length - 1);
            const outShape = shape.filter((_, d) => d !== axis);
            if (shape[axis] === 0 && numel(outShape) > 0) {
              assert.throws(() => B.argReduce(op, x, axis), Error);
              continue;
            }
            const exp = indices(outShape).map((oi) => {
              let best = 0;
              let bv = NaN;
              for (let k = 0; k < shape[axis]!; k++) {
                const idx = [...oi.slice(0, axis), k, ...oi.slice(axis)];
                const v = at(x, idx);
                if (k === 0) { best = 0; bv = v; continue; }
                if (bv !== bv) break;
                if (v !== v || (op === 'argmax' ? v > bv : v < bv)) { best = k; bv = v; }
              }
              return best;
            });
            assertClose(B.argReduce(op, x, axis), exp, 'int32', 0, `${op} ${dt} [${shape}] axis ${axis}`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  // The scanned axis is long (6..40) half the time: a kernel bug that shows only on long rows
  // (checked: skipping the last element of rows longer than 7) is found at the default run count.
  test('cumsum along a random axis', () => {
    fc.assert(
      fc.property(arbShape(1, 3), arbSeed, fc.option(fc.integer({ min: 6, max: 40 }), { freq: 2 }), (shape0, seed, long) => {
        const rng = mulberry32(seed);
        for (const dt of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
          const out: DType = isFloat(dt) ? dt : 'int32';
          const axis = randInt(rng, 0, shape0.length - 1);
          const shape = long === null ? shape0 : shape0.map((d, i) => (i === axis ? long : d));
          const x = randomView(rng, shape, dt, { broadcast: true, specials: false });
          const exp = indices(shape).map((i) => {
            let s = 0;
            for (let k = 0; k <= i[axis]!; k++) s += at(x, [...i.slice(0, axis), k, ...i.slice(axis + 1)]);
            return s;
          });
          assertClose(B.cumsum(x, axis, out), exp, out, tolFor(out, 1e-12), `cumsum ${dt} [${shape}] axis ${axis}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

// ------------------------------------------------------------------------------------------------

function refMatmul(a: View, b: View, outShape: number[]): number[] {
  const r = outShape.length;
  const [m, n] = [outShape[r - 2]!, outShape[r - 1]!];
  const k = a.shape[a.shape.length - 1]!;
  const batch = outShape.slice(0, r - 2);
  const aB = { ...a, shape: a.shape.slice(0, -2), strides: a.strides.slice(0, -2) };
  const bB = { ...b, shape: b.shape.slice(0, -2), strides: b.strides.slice(0, -2) };
  const out: number[] = [];
  for (const bi of indices(batch)) {
    const ao = atOffset(aB, bi, batch);
    const bo = atOffset(bB, bi, batch);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += a.buf[ao + i * a.strides[a.shape.length - 2]! + p * a.strides[a.shape.length - 1]!]! *
            b.buf[bo + p * b.strides[b.shape.length - 2]! + j * b.strides[b.shape.length - 1]!]!;
        }
        out.push(s);
      }
    }
  }
  return out;
}

function atOffset(v: { shape: readonly number[]; strides: readonly number[]; offset: number }, idx: number[], out: number[]): number {
  const off = out.length - v.shape.length;
  let p = v.offset;
  for (let d = 0; d < v.shape.length; d++) if (v.shape[d] !== 1) p += idx[off + d]! * v.strides[d]!;
  return p;
}

describe('cpu backend: matmul', () => {
  test('batched, broadcast, strided matmul matches the triple loop', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 11 }),
        arbSeed,
        (batch, m, k, n, seed) => {
          const rng = mulberry32(seed);
          for (const dt of ['float32', 'float64', 'int32'] as DType[]) {
            const outShape = [...batch, m, n];
            const a = randomView(rng, [...broadcastableShape(rng, batch), m, k], dt, { broadcast: true, specials: false });
            const b = randomView(rng, [...broadcastableShape(rng, batch), k, n], dt, { broadcast: true, specials: false });
            const got = B.matmul(a, b, outShape, dt);
            assertClose(got, refMatmul(a, b, outShape), dt, tolFor(dt, 1e-12), `matmul ${dt} [${a.shape}]@[${b.shape}]`);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  test('larger products cross the k/n blocking and pad edges', () => {
    const rng = mulberry32(11);
    for (const [m, k, n, dt] of [[37, 300, 263, 'float64'], [64, 1, 16, 'float64'], [64, 3, 16, 'float32'], [5, 17, 9, 'float32'], [64, 64, 64, 'float32'], [1, 50, 70, 'float64'], [70, 50, 1, 'float64']] as const) {
      const a = randomView(rng, [2, m, k], dt, { specials: false });
      const b = randomView(rng, [k, n], dt, { specials: false });
      assertClose(B.matmul(a, b, [2, m, n], dt), refMatmul(a, b, [2, m, n]), dt, tolFor(dt, 1e-12), `matmul ${m}x${k}x${n}`);
    }
  });

  test('a bool product is 1 where the count of matching pairs is nonzero, on every kernel path', () => {
    const rng = mulberry32(21);
    // Sparse operands, so that outputs are a mix of 0 and 1: dot products (tiny), row accumulation
    // (few rows; k <= 4 with many columns also goes there for bool), and the packed kernel.
    for (const [m, k, n] of [[2, 3, 2], [2, 64, 8], [40, 4, 8], [9, 40, 12]]) {
      const density = Math.sqrt(1 - 0.5 ** (1 / k)); // an output is 0 with probability 1/2
      const bits = (r: number, c: number) => Uint8Array.from({ length: r * c }, () => (rng() < density ? 1 : 0));
      const a: View = { buf: bits(m, k), dtype: 'bool', shape: [m, k], strides: [k, 1], offset: 0 };
      const b: View = { buf: bits(k, n), dtype: 'bool', shape: [k, n], strides: [n, 1], offset: 0 };
      const want = refMatmul(a, b, [m, n]).map((s) => (s !== 0 ? 1 : 0));
      assert.ok(want.includes(0) && want.includes(1), `a mix of 0 and 1 for ${m}x${k}x${n}`);
      assert.deepEqual(Array.from(B.matmul(a, b, [m, n], 'bool')), want, `${m}x${k}x${n}`);
    }
  });

  test('transposed inputs', () => {
    const rng = mulberry32(5);
    const base = randomView(rng, [20, 30], 'float64', { layout: false, specials: false });
    const aT: View = { ...base, shape: [30, 20], strides: [1, 30] };
    const got = B.matmul(aT, base, [30, 30], 'float64');
    assertClose(got, refMatmul(aT, base, [30, 30]), 'float64', 1e-12, 'a^T a');
  });
});

// ------------------------------------------------------------------------------------------------

describe('cpu backend: copies', () => {
  test('copy is a contiguous copy and a cast', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const dt of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
          for (const out of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
            const x = randomView(rng, shape, dt, { broadcast: true, layout: rng() < 0.7 });
            assertClose(B.copy(x, out), indices(shape).map((i) => at(x, i)), out, 0, `copy ${dt}->${out} [${shape}]`);
          }
        }
      }),
      { numRuns: RUNS },
    );
    const f: View = { buf: new Float64Array([1.9, -1.9, 0.5, -0]), dtype: 'float64', shape: [4], strides: [1], offset: 0 };
    assert.deepEqual([...B.copy(f, 'int32')], [1, -1, 0, 0]);
    assert.deepEqual([...B.copy(f, 'bool')], [1, 1, 1, 0]);
  });

  test('copyInto writes a broadcast src into a strided window', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const [dd, ds] of DTYPE_PAIRS) {
          const dst = randomView(rng, shape, dd);
          const src = randomView(rng, broadcastableShape(rng, shape), ds, { broadcast: true });
          const before = Array.from(dst.buf);
          const exp = before.slice();
          for (const i of indices(shape)) exp[dst.offset + dot(i, dst.strides)] = castTo(dd, atB(src, i, shape));
          B.copyInto(dst, src);
          assertClose(dst.buf, exp, dd, 0, `copyInto ${ds}->${dd} [${shape}]`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('copyInto with overlapping src and dst in the same buffer', () => {
    const buf = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    B.copyInto(
      { buf, dtype: 'float32', shape: [9], strides: [1], offset: 1 },
      { buf, dtype: 'float32', shape: [9], strides: [1], offset: 0 },
    );
    assert.deepEqual([...buf], [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

// ------------------------------------------------------------------------------------------------

describe('cpu backend: indexing', () => {
  const arbPos = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

  test('gather', () => {
    fc.assert(
      fc.property(arbPos, arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const dt of ['float32', 'int32', 'bool'] as DType[]) {
          const dim = randInt(rng, 0, shape.length - 1);
          const x = randomView(rng, shape, dt, { broadcast: true });
          const ishape = shape.map((s, d) => (d === dim ? randInt(rng, 0, 5) : randInt(rng, 1, s)));
          const index = randomView(rng, ishape, 'int32', { value: () => randInt(rng, 0, shape[dim]! - 1) });
          const exp = indices(ishape).map((i) => at(x, i.map((v, d) => (d === dim ? at(index, i) : v))));
          assertClose(B.gather(x, dim, index), exp, dt, 0, `gather ${dt} [${shape}] dim ${dim} index [${ishape}]`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('scatter and scatter_add', () => {
    fc.assert(
      fc.property(arbPos, arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const [dt, ds] of [['float32', 'float32'], ['float64', 'float64'], ['int32', 'int32'], ['float32', 'float64']] as DType[][]) {
          for (const accumulate of [false, true]) {
            const dim = randInt(rng, 0, shape.length - 1);
            const x = randomView(rng, shape, dt!, { specials: false });
            const ishape = shape.map((s) => randInt(rng, 1, s));
            // Distinct indices along dim per fiber when writing (so the result is well defined).
            const perms = new Map<string, number[]>();
            const value = (i: number[]) => {
              if (accumulate) return randInt(rng, 0, shape[dim]! - 1);
              const key = i.filter((_, d) => d !== dim).join(',');
              let p = perms.get(key);
              if (!p) {
                p = Array.from({ length: shape[dim]! }, (_, q) => q).sort(() => rng() - 0.5);
                perms.set(key, p);
              }
              return p[i[dim]!]!;
            };
            const index = randomView(rng, ishape, 'int32', { value });
            const sshape = ishape.map((s, d) => (d === dim ? s + randInt(rng, 0, 1) : s));
            const src = randomView(rng, sshape, ds!, { broadcast: true, specials: false });
            const exp = indices(shape).map((i) => at(x, i));
            const xStr = [...shape.slice(1).map((_, d) => numel(shape.slice(d + 1))), 1];
            for (const i of indices(ishape)) {
              const t = i.slice();
              t[dim] = at(index, i);
              const p = dot(t, xStr);
              exp[p] = castTo(dt!, accumulate ? exp[p]! + at(src, i) : at(src, i));
            }
            const got = B.scatter(x, dim, index, src, accumulate);
            assertClose(got, exp, dt!, tolFor(dt!), `scatter(acc=${accumulate}) ${dt} [${shape}] dim ${dim} index [${ishape}]`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('indexSelect', () => {
    fc.assert(
      fc.property(arbPos, arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const dt of ['float64', 'int32', 'bool'] as DType[]) {
          const dim = randInt(rng, 0, shape.length - 1);
          const x = randomView(rng, shape, dt, { broadcast: true });
          const K = randInt(rng, 0, 6);
          const index = randomView(rng, [K], 'int32', { value: () => randInt(rng, 0, shape[dim]! - 1) });
          const oshape = shape.map((s, d) => (d === dim ? K : s));
          const exp = indices(oshape).map((i) => at(x, i.map((v, d) => (d === dim ? at(index, [v]) : v))));
          assertClose(B.indexSelect(x, dim, index), exp, dt, 0, `indexSelect ${dt} [${shape}] dim ${dim} K ${K}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('out-of-range indices throw naming the kernel, index and size', () => {
    const x: View = { buf: new Float32Array(6), dtype: 'float32', shape: [2, 3], strides: [3, 1], offset: 0 };
    const idx = (vals: number[], shape: number[]): View => ({
      buf: Int32Array.from(vals), dtype: 'int32', shape, strides: shape.length === 2 ? [shape[1]!, 1] : [1], offset: 0,
    });
    assert.throws(() => B.gather(x, 1, idx([0, 5], [1, 2])), (e: Error) => /gather/.test(e.message) && /5/.test(e.message) && /3/.test(e.message));
    assert.throws(() => B.scatter(x, 0, idx([-1], [1, 1]), x, true), (e: Error) => /scatter/.test(e.message) && /-1/.test(e.message) && /2/.test(e.message));
    assert.throws(() => B.indexSelect(x, 1, idx([1, 7], [2])), (e: Error) => /index_?select/i.test(e.message) && /7/.test(e.message) && /3/.test(e.message));
  });

  test('concat', () => {
    fc.assert(
      fc.property(arbShape(1), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        const dim = randInt(rng, 0, shape.length - 1);
        const count = randInt(rng, 1, 4);
        const dts: DType[] = ['float32', 'float64', 'int32', 'bool'];
        const xs = Array.from({ length: count }, () => {
          const s = shape.slice();
          s[dim] = randInt(rng, 0, 3);
          return randomView(rng, s, pick(rng, dts), { broadcast: true });
        });
        const out = pick(rng, dts);
        const oshape = shape.slice();
        oshape[dim] = xs.reduce((a, x) => a + x.shape[dim]!, 0);
        const exp = indices(oshape).map((i) => {
          let j = i[dim]!;
          for (const x of xs) {
            if (j < x.shape[dim]!) return at(x, i.map((v, d) => (d === dim ? j : v)));
            j -= x.shape[dim]!;
          }
          throw new Error('unreachable');
        });
        assertClose(B.concat(xs, dim, oshape, out), exp, out, 0, `concat dim ${dim} [${oshape}]`);
      }),
      { numRuns: RUNS },
    );
  });

  test('pad', () => {
    fc.assert(
      fc.property(arbShape(), arbSeed, (shape, seed) => {
        const rng = mulberry32(seed);
        for (const dt of ['float32', 'int32', 'bool'] as DType[]) {
          const x = randomView(rng, shape, dt, { broadcast: true });
          const pads = shape.map(() => [randInt(rng, 0, 2), randInt(rng, 0, 2)] as [number, number]);
          const value = dt === 'float32' ? pick(rng, [0, 1.5, -2, NaN]) : randInt(rng, 0, 3);
          const oshape = shape.map((s, d) => s + pads[d]![0] + pads[d]![1]);
          const exp = indices(oshape).map((i) => {
            const j = i.map((v, d) => v - pads[d]![0]);
            return j.every((v, d) => v >= 0 && v < shape[d]!) ? at(x, j) : value;
          });
          assertClose(B.pad(x, pads, value), exp, dt, 0, `pad ${dt} [${shape}] ${JSON.stringify(pads)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

// ------------------------------------------------------------------------------------------------

describe('cpu backend: unfold / fold', () => {
  const arbGeom = fc.record({
    N: fc.integer({ min: 1, max: 2 }),
    C: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    dh: fc.integer({ min: 1, max: 2 }),
    dw: fc.integer({ min: 1, max: 2 }),
    eh: fc.integer({ min: 0, max: 5 }),
    ew: fc.integer({ min: 0, max: 5 }),
  });

  test('unfold matches im2col and fold is its adjoint (col2im)', () => {
    fc.assert(
      fc.property(arbGeom, arbSeed, (p, seed) => {
        const rng = mulberry32(seed);
        const g: Conv2dGeom = { kh: p.kh, kw: p.kw, sh: p.sh, sw: p.sw, dh: p.dh, dw: p.dw };
        const H = p.dh * (p.kh - 1) + 1 + p.eh;
        const W = p.dw * (p.kw - 1) + 1 + p.ew;
        const oh = Math.floor((H - p.dh * (p.kh - 1) - 1) / p.sh) + 1;
        const ow = Math.floor((W - p.dw * (p.kw - 1) - 1) / p.sw) + 1;
        const R = p.C * p.kh * p.kw;
        const L = oh * ow;
        for (const dt of ['float32', 'float64'] as DType[]) {
          const x = randomView(rng, [p.N, p.C, H, W], dt, { specials: false });
          const exp = indices([p.N, R, L]).map(([n, r, l]) => {
            const c = Math.floor(r! / (p.kh * p.kw));
            const i = Math.floor(r! / p.kw) % p.kh;
            const j = r! % p.kw;
            const oy = Math.floor(l! / ow);
            const ox = l! % ow;
            return at(x, [n!, c, oy * p.sh + i * p.dh, ox * p.sw + j * p.dw]);
          });
          const cols = B.unfold(x, g);
          assertClose(cols, exp, dt, 0, `unfold ${JSON.stringify(p)}`);

          const y = randomView(rng, [p.N, R, L], dt, { specials: false });
          const fexp = new Array<number>(p.N * p.C * H * W).fill(0);
          for (const [n, r, l] of indices([p.N, R, L])) {
            const c = Math.floor(r! / (p.kh * p.kw));
            const i = Math.floor(r! / p.kw) % p.kh;
            const j = r! % p.kw;
            const yy = Math.floor(l! / ow) * p.sh + i * p.dh;
            const xx = (l! % ow) * p.sw + j * p.dw;
            fexp[((n! * p.C + c) * H + yy) * W + xx] += at(y, [n!, r!, l!]);
          }
          const folded = B.fold(y, p.C, H, W, g);
          assertClose(folded, fexp, dt, tolFor(dt), `fold ${JSON.stringify(p)}`);
          // Adjointness: <unfold(x), y> == <x, fold(y)>.
          let lhs = 0;
          let rhs = 0;
          indices([p.N, R, L]).forEach((i, q) => (lhs += cols[q]! * at(y, i)));
          indices([p.N, p.C, H, W]).forEach((i, q) => (rhs += at(x, i) * folded[q]!));
          assert.ok(Math.abs(lhs - rhs) <= 1e-4 * (1 + Math.abs(lhs)), `adjoint ${lhs} vs ${rhs}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('kernel contracts', () => {
  // The backend trusts the primitives' shape rules; these rows call it outside them, where a kernel
  // must refuse with the shapes rather than read or write out of bounds.
  const dense = (shape: number[], dtype: DType = 'float64'): View => {
    const n = shape.reduce((a, b) => a * b, 1);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    return { buf: arrayFor(dtype, n).map((_, i) => (dtype === 'int32' ? i % 2 : i + 1)) as TypedArray, dtype, shape, strides, offset: 0 };
  };
  const geom: Conv2dGeom = { kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1 };
  const rows: [string, () => unknown, string][] = [
    ['matmul of a vector', () => B.matmul(dense([3]), dense([3, 2]), [2], 'float64'), 'matmul: operands must have at least 2 dims, got [3] and [3, 2]'],
    ['matmul inner sizes', () => B.matmul(dense([2, 3]), dense([4, 2]), [2, 2], 'float64'), 'matmul: shapes [2, 3] and [4, 2] do not multiply into [2, 2]'],
    ['matmul output shape', () => B.matmul(dense([2, 3]), dense([3, 2]), [2, 3], 'float64'), 'matmul: shapes [2, 3] and [3, 2] do not multiply into [2, 3]'],
    ['matmul output rows', () => B.matmul(dense([2, 3]), dense([3, 2]), [3, 2], 'float64'), 'matmul: shapes [2, 3] and [3, 2] do not multiply into [3, 2]'],
    ['cat rank', () => B.concat([dense([2, 2]), dense([2])], 0, [4, 2], 'float64'), 'cat: tensor [2] does not match output rank 2'],
    ['cat total', () => B.concat([dense([2, 2]), dense([1, 2])], 0, [4, 2], 'float64'), 'cat: inputs sum to 3 along dim 0, expected 4'],
    ['cat dim', () => B.concat([dense([2, 2])], 2, [2, 2], 'float64'), 'cat: dim 2 out of range for rank 2'],
    ['cat dim not an integer', () => B.concat([dense([2, 2])], 0.5, [2, 2], 'float64'), 'cat: dim 0.5 out of range for rank 2'],
    ['lu pivot 0', () => B.luPermutation(dense([2], 'int32'), 2), 'pivots: pivot 0 at position 0 is out of range [1, 2]'],
    ['pad pairs', () => B.pad(dense([2, 2]), [[1, 1]], 0), 'pad: expected 2 [before, after] pairs, got 1'],
    ['reduce axis', () => B.reduce('sum', dense([2, 2]), [2], 'float64'), 'reduce: axis 2 out of range for rank 2'],
    ['max of nothing', () => B.reduce('max', dense([2, 0]), [1], 'float64'), 'max(): cannot reduce over an empty dimension (input shape [2, 0]) without an identity'],
    ['argmax axis', () => B.argReduce('argmax', dense([2, 2]), 2), 'argmax: axis 2 out of range for rank 2'],
    ['argmax axis -1', () => B.argReduce('argmax', dense([2, 2]), -1), 'argmax: axis -1 out of range for rank 2'],
    ['argmin of nothing', () => B.argReduce('argmin', dense([0, 2]), 0), 'argmin(): cannot reduce over an empty dimension of size 0 (axis 0)'],
    ['cumsum axis', () => B.cumsum(dense([2, 2]), -1, 'float64'), 'cumsum: axis -1 out of range for rank 2'],
    ['scatter src rank', () => B.scatter(dense([3, 3]), 0, dense([2, 2], 'int32'), dense([4]), false), 'scatter: src [4] must have the same number of dims as index [2, 2]'],
    ['scatterAdd src size', () => B.scatter(dense([3, 3]), 0, dense([2, 2], 'int32'), dense([2, 1]), true), 'scatterAdd: index [2, 2] is larger than src [2, 1] in dimension 1'],
    ['unfold kernel too big', () => B.unfold(dense([1, 1, 2, 4]), geom), 'unfold: input size 2 is too small for kernel 3 with dilation 1'],
    ['fold cols shape', () => B.fold(dense([1, 9, 5]), 1, 4, 4, geom), 'fold: expected cols of shape [N, 9, 4], got [1, 9, 5]'],
    ['fold cols channels', () => B.fold(dense([1, 8, 4]), 1, 4, 4, geom), 'fold: expected cols of shape [N, 9, 4], got [1, 8, 4]'],
    ['broadcast rank', () => B.binary('add', dense([2, 2]), dense([2]), [2], 'float64'), 'add: cannot broadcast shape [2, 2] to [2]'],
    ['broadcast size', () => B.binary('add', dense([3]), dense([2]), [2], 'float64'), 'add: cannot broadcast shape [3] to [2]'],
    ['unknown unary op', () => B.unary('nope' as UnaryOp, dense([2]), 'float64'), "unary: unknown op 'nope'"],
    ['unknown binary op', () => B.binary('nope' as BinaryOp, dense([2]), dense([2]), [2], 'float64'), "binary: unknown op 'nope'"],
  ];
  for (const [label, call, message] of rows) {
    test(`refuses: ${label}`, () => assert.throws(call, (e: Error) => {
      assert.equal(e.message, message);
      return true;
    }));
  }
});
