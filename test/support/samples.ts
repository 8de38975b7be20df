// Random valid inputs for every primitive of the registry, keyed by primitive name; the property tests
// of test/primitives.test.ts walk the registry and fail for a primitive that has no entry here.
//
// A sample fixes the shapes, dtypes and params of one call; its values come from a seeded generator
// per input, so `make(k)` draws fresh values with the same constraints (vmap stacks several draws).
// Generators keep away from the points where a primitive is not differentiable (kinks, ties, integer
// boundaries of floor/round/remainder) and inside each primitive's domain.
import fc from 'fast-check';
import * as torch from '../../src/index.js';
import type { DType } from '../../src/index.js';
import { lax, type Tensor } from '../../src/primitives/index.js';
import { linalgSamples } from './linalg_samples.js';
import type { FusedProgram } from '../../src/backend/backend.js';
import { fusedProgram } from '../../src/compile/fuse.js';

export type Rng = () => number;

/** A deterministic uniform [0, 1) generator (mulberry32). */
export function mulberry(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values (logical row-major order) for a tensor of `shape`. */
export type Gen = (rng: Rng, shape: readonly number[]) => number[];

export interface InputSpec {
  shape: number[];
  dtype: DType;
  gen: Gen;
  /** A float64 input the derivative checks perturb. */
  diff: boolean;
}

export interface Sample {
  prim: string;
  params: unknown;
  specs: InputSpec[];
  seed: number;
  /** Draw 0 of the inputs. */
  inputs: Tensor[];
  /** Draw k of the inputs: same shapes, dtypes and constraints, fresh values. */
  make(k: number): Tensor[];
  /** Which inputs are differentiable float64 inputs. */
  diff: boolean[];
  describe(): string;
  /** The same sample with its float64 inputs in float32 (for checks that need no derivatives). */
  asFloat32(): Sample;
}

export function tensorOf(vals: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const data =
    dtype === 'float64' ? Float64Array.from(vals)
    : dtype === 'float32' ? Float32Array.from(vals)
    : dtype === 'int32' ? Int32Array.from(vals)
    : Uint8Array.from(vals, (v) => (v ? 1 : 0));
  return torch.tensor(data, { dtype, shape: [...shape] });
}

function fmtParams(p: unknown): string {
  return JSON.stringify(p, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v));
}

export type Layout = 'contiguous' | 'transposed' | 'offset';

/** The same logical values in a strided view: dims reversed over a contiguous copy, or sliced out of a bigger buffer. */
export function withLayout(x: Tensor, layout: Layout): Tensor {
  const n = x.ndim;
  if (layout === 'transposed' && n >= 2) {
    const rev = x.shape.map((_, i) => n - 1 - i);
    const y = lax.copyOf(lax.permute(x, rev)); // contiguous, dims reversed
    return lax.permute(y, rev);
  }
  if (layout === 'offset' && n >= 1) {
    const pad = tensorOf(new Array<number>(numel([1, ...x.shape.slice(1)])).fill(7), [1, ...x.shape.slice(1)], x.dtype);
    const big = lax.concat([pad, x], 0);
    return lax.slice(big, { dim: 0, start: 1, end: x.shape[0]! + 1, step: 1 });
  }
  return x;
}

/** `params32`: the params of the float32 variant, for params that name dtypes (compile's fused programs). */
export function makeSample(prim: string, specs: InputSpec[], params: unknown, seed: number, params32: unknown = params): Sample {
  const key = (k: number, i: number) => seed * 31 + k * 7919 + i * 104729;
  const layoutOf = (k: number, i: number): Layout => {
    const r = mulberry(key(k, i) ^ 0x2c1b3c6d)();
    return r < 0.5 ? 'contiguous' : r < 0.75 ? 'transposed' : 'offset';
  };
  const make = (k: number) =>
    specs.map((s, i) => withLayout(tensorOf(s.gen(mulberry(key(k, i)), s.shape), s.shape, s.dtype), layoutOf(k, i)));
  const mark = { contiguous: '', transposed: ' transposed', offset: ' offset' };
  const describe = () =>
    `${prim}(${specs.map((s, i) => `${s.dtype}[${s.shape.join(',')}]${mark[s.shape.length >= 2 || (s.shape.length === 1 && layoutOf(0, i) === 'offset') ? layoutOf(0, i) : 'contiguous']}`).join(', ')}; params=${fmtParams(params)}; seed=${seed})`;
  return {
    prim,
    params,
    specs,
    seed,
    inputs: make(0),
    make,
    diff: specs.map((s) => s.diff),
    describe,
    asFloat32: () =>
      makeSample(prim, specs.map((sp) => (sp.dtype === 'float64' ? { ...sp, dtype: 'float32' as DType, diff: false } : sp)), params32, seed),
    [fc.toStringMethod]: describe,
  } as Sample;
}

// ---- value generators ------------------------------------------------------------------------------

const fill = (shape: readonly number[], f: (i: number) => number) => Array.from({ length: numel(shape) }, (_, i) => f(i));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const randInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive

/** Uniform in [lo, hi]. */
export const U = (lo: number, hi: number): Gen => (rng, s) => fill(s, () => lo + (hi - lo) * rng());
/** |x| in [lo, hi], random sign: away from a kink or pole at 0. */
export const away = (lo: number, hi: number): Gen => (rng, s) => fill(s, () => (rng() < 0.5 ? -1 : 1) * (lo + (hi - lo) * rng()));
/** Integer plus a fraction in [0.1, 0.4] or [0.6, 0.9]: away from the jumps of floor, ceil and round. */
export const fracSafe: Gen = (rng, s) => fill(s, () => randInt(rng, -3, 2) + (rng() < 0.5 ? 0.1 : 0.6) + 0.3 * rng());
/** Integer plus a fraction in [0.3, 0.7]. */
const midFrac: Gen = (rng, s) => fill(s, () => randInt(rng, -3, 2) + 0.3 + 0.4 * rng());
/** Pairwise distinct values at least 0.2 apart (no ties for max/min/argmax). */
export const distinct: Gen = (rng, s) => {
  const n = numel(s);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm.map((p) => (p - n / 2) * 0.3 + (rng() - 0.5) * 0.1);
};
/** Odd and even multiples of 0.25 (jittered by 0.05): any odd value and any even one are >= 0.15 apart. */
const gridOdd: Gen = (rng, s) => fill(s, () => 0.25 * (2 * randInt(rng, -6, 5) + 1) + (rng() - 0.5) * 0.1);
const gridEven: Gen = (rng, s) => fill(s, () => 0.25 * 2 * randInt(rng, -6, 6) + (rng() - 0.5) * 0.1);
/** Integers in [lo, hi]. */
export const ints = (lo: number, hi: number): Gen => (rng, s) => fill(s, () => randInt(rng, lo, hi));
export const bools: Gen = (rng, s) => fill(s, () => (rng() < 0.5 ? 1 : 0));
/** Uniform values with some exact zeros (prod's zero-handling branches). */
const withZeros = (lo: number, hi: number, p: number): Gen => (rng, s) => fill(s, () => (rng() < p ? 0 : lo + (hi - lo) * rng()));
/** Some NaN and infinities among ordinary values. */
const nanMix: Gen = (rng, s) => fill(s, () => pick(rng, [NaN, Infinity, -Infinity, 0, 1.5, -2, rng()]));
/** Index values for scatter without accumulation: distinct along `dim` in every fiber, in [0, size). */
const uniqueAlong = (dim: number, size: number): Gen => (rng, s) => {
  const out = new Array<number>(numel(s)).fill(0);
  const strides = s.map((_, i) => numel(s.slice(i + 1)));
  const len = s[dim]!;
  for (let base = 0; base < out.length; base++) {
    if (Math.floor(base / strides[dim]!) % len !== 0) continue; // first element of a fiber along dim
    const perm = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    for (let k = 0; k < len; k++) out[base + k * strides[dim]!] = perm[k]!;
  }
  return out;
};

/**
 * Batches of strictly diagonally dominant matrices [..., n, n] (off-diagonal entries in [-1, 1],
 * diagonal of random sign and size > n): well conditioned, with a determinant far from 0.
 */
const wellConditioned: Gen = (rng, s) => {
  const n = s[s.length - 1] ?? 1;
  return fill(s, (i) => (Math.floor(i / n) % n === i % n ? (rng() < 0.5 ? -1 : 1) * (n + 0.5 + rng()) : 2 * rng() - 1));
};
const f64 = (shape: number[], gen: Gen = U(-2, 2)): InputSpec => ({ shape, dtype: 'float64', gen, diff: true });
const nd = (shape: number[], dtype: DType, gen: Gen): InputSpec => ({ shape, dtype, gen, diff: false });
const genFor = (dtype: DType): Gen => (dtype === 'bool' ? bools : dtype === 'int32' ? ints(-3, 3) : fracSafe);

// ---- structure arbitraries ---------------------------------------------------------------------------

const seedA = fc.integer({ min: 1, max: 0x7fffffff });
/** A size 1..maxDim, or (1 time in 10, when `zero`) an empty dim of size 0. */
const sizeA = (maxDim: number, zero: boolean) =>
  zero
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1, max: maxDim }) })
    : fc.integer({ min: 1, max: maxDim });
/** A shape of rank minRank..maxRank with sizes 1..maxDim (some 0 unless zero = false). */
export const shapeA = (minRank = 0, maxRank = 3, maxDim = 3, zero = true) =>
  fc.array(sizeA(maxDim, zero), { minLength: minRank, maxLength: maxRank });
/** No empty dims: for reductions without identity and for index operands. */
const fullShapeA = (minRank = 0, maxRank = 3, maxDim = 3) => shapeA(minRank, maxRank, maxDim, false);
/** A shape that broadcasts to `full`: some leading dims dropped, some dims set to 1. */
export const degradeA = (full: number[]) =>
  fc
    .tuple(
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: full.length })),
      fc.array(fc.integer({ min: 0, max: 3 }).map((v) => v === 0), { minLength: full.length, maxLength: full.length }),
    )
    .map(([drop, ones]) => full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
/** Two (or n) shapes broadcasting together. */
const bcastA = (n: number) => shapeA().chain((full) => fc.tuple(...Array.from({ length: n }, () => degradeA(full))));
/** A sorted subset of 0..rank-1. */
const axesA = (rank: number) =>
  fc.array(fc.boolean(), { minLength: rank, maxLength: rank }).map((bs) => bs.flatMap((b, i) => (b ? [i] : [])));
const axisOf = (shape: number[]) => fc.integer({ min: 0, max: shape.length - 1 });

export type SampleFn = () => fc.Arbitrary<Sample>;

const unary = (name: string, gen: Gen = U(-2, 2)): SampleFn => () =>
  fc.tuple(shapeA(), seedA).map(([s, seed]) => makeSample(name, [f64(s, gen)], undefined, seed));

const binary = (name: string, ga: Gen = U(-2, 2), gb: Gen = U(-2, 2)): SampleFn => () =>
  fc.tuple(bcastA(2), seedA).map(([[a, b], seed]) => makeSample(name, [f64(a, ga), f64(b, gb)], undefined, seed));

/** Comparisons: ties are common (small integers), in float64 or int32. */
const compare = (name: string): SampleFn => () =>
  fc.tuple(bcastA(2), fc.constantFrom<DType>('float64', 'int32'), seedA).map(([[a, b], dt, seed]) =>
    makeSample(name, [nd(a, dt, ints(-2, 2)), nd(b, dt, ints(-2, 2))], undefined, seed));

const logical = (name: string): SampleFn => () =>
  fc.tuple(bcastA(2), fc.constantFrom<DType>('bool', 'float64', 'int32'), seedA).map(([[a, b], dt, seed]) =>
    makeSample(name, [nd(a, dt, dt === 'bool' ? bools : ints(0, 2)), nd(b, dt, dt === 'bool' ? bools : ints(0, 2))], undefined, seed));

const reduction = (name: string, gen: Gen, zero = true): SampleFn => () =>
  shapeA(0, 3, 3, zero).chain((s) => fc.tuple(fc.constant(s), axesA(s.length), seedA)).map(([s, axes, seed]) =>
    makeSample(name, [f64(s, gen)], { axes }, seed));

const alongAxis = (name: string, gen: Gen, diff: boolean, zero = true): SampleFn => () =>
  shapeA(1, 3, 3, zero).chain((s) => fc.tuple(fc.constant(s), axisOf(s), seedA)).map(([s, axis, seed]) =>
    makeSample(name, [diff ? f64(s, gen) : nd(s, 'float64', gen)], { axis }, seed));

/** A random factorisation of n into a shape of rank 0..4 (with some 1s). */
function factorShape(n: number, rng: Rng): number[] {
  if (n === 0) {
    const rank = randInt(rng, 1, 3);
    const out = Array.from({ length: rank }, () => randInt(rng, 1, 3));
    out[randInt(rng, 0, rank - 1)] = 0;
    return out;
  }
  const primes: number[] = [];
  for (let m = n, p = 2; m > 1; ) {
    if (m % p === 0) {
      primes.push(p);
      m /= p;
    } else p++;
  }
  const rank = n === 1 ? randInt(rng, 0, 2) : randInt(rng, 1, Math.min(4, primes.length + 1));
  const out = new Array<number>(rank).fill(1);
  for (const p of primes) out[randInt(rng, 0, rank - 1)]! *= p;
  return out;
}

const geomA = fc.record({
  kh: fc.integer({ min: 1, max: 2 }), kw: fc.integer({ min: 1, max: 2 }),
  sh: fc.integer({ min: 1, max: 2 }), sw: fc.integer({ min: 1, max: 2 }),
  dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
});
const outSize = (size: number, k: number, s: number, d: number) => Math.floor((size - d * (k - 1) - 1) / s) + 1;
/** N, C, H, W and a geometry whose kernel fits. */
const imageA = fc.tuple(geomA, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))
  .map(([g, N, C, eh, ew]) => ({ g, N, C, H: g.dh * (g.kh - 1) + 1 + eh, W: g.dw * (g.kw - 1) + 1 + ew }));

const DTYPES4: DType[] = ['float64', 'float32', 'int32', 'bool'];

/** Programs of compile's fused primitive over two float64 inputs: arithmetic and math, and a where over a comparison. */
const F = 'float64' as const;
const asFloat32Program = (p: FusedProgram) => fusedProgram(p.steps.map((st) => (st.dtype === 'float64' ? { ...st, dtype: 'float32' } : st)));
const FUSED_PROGRAMS: FusedProgram[] = [
  fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'unary', fn: 'tanh', args: [0], dtype: F }, { op: 'input', index: 1, dtype: F },
    { op: 'binary', fn: 'mul', args: [1, 2], dtype: F }, { op: 'literal', value: 0.5, dtype: F }, { op: 'binary', fn: 'add', args: [3, 4], dtype: F },
  ]),
  fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'literal', value: 0, dtype: F }, { op: 'binary', fn: 'gt', args: [0, 1], dtype: 'bool' },
    { op: 'input', index: 1, dtype: F }, { op: 'binary', fn: 'mul', args: [0, 3], dtype: F }, { op: 'unary', fn: 'exp', args: [3], dtype: F },
    { op: 'where', args: [2, 4, 5], dtype: F }, { op: 'cast', args: [2], dtype: F }, { op: 'binary', fn: 'sub', args: [6, 7], dtype: F },
  ]),
];

/** Epilogues of compile's fusedMatmul (input 0 the product, input 1 a bias): bias + tanh, and bias + leaky ReLU. */
const EPILOGUES: FusedProgram[] = [
  fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'input', index: 1, dtype: F }, { op: 'binary', fn: 'add', args: [0, 1], dtype: F },
    { op: 'unary', fn: 'tanh', args: [2], dtype: F },
  ]),
  fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'input', index: 1, dtype: F }, { op: 'binary', fn: 'add', args: [0, 1], dtype: F },
    { op: 'literal', value: 0, dtype: F }, { op: 'binary', fn: 'gt', args: [2, 3], dtype: 'bool' }, { op: 'literal', value: 0.1, dtype: F },
    { op: 'binary', fn: 'mul', args: [2, 5], dtype: F }, { op: 'where', args: [4, 2, 6], dtype: F },
  ]),
];

/** Prologues of compile's fusedReduce over two inputs: exp(x)·y (for sums and products), x + y/1000 (for extrema, kept tie-free). */
const PROLOGUES: Record<'sum' | 'prod' | 'max', FusedProgram> = {
  sum: fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'unary', fn: 'exp', args: [0], dtype: F }, { op: 'input', index: 1, dtype: F },
    { op: 'binary', fn: 'mul', args: [1, 2], dtype: F },
  ]),
  prod: fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'unary', fn: 'exp', args: [0], dtype: F }, { op: 'input', index: 1, dtype: F },
    { op: 'binary', fn: 'mul', args: [1, 2], dtype: F },
  ]),
  max: fusedProgram([
    { op: 'input', index: 0, dtype: F }, { op: 'input', index: 1, dtype: F }, { op: 'literal', value: 0.001, dtype: F },
    { op: 'binary', fn: 'mul', args: [1, 2], dtype: F }, { op: 'binary', fn: 'add', args: [0, 3], dtype: F },
  ]),
};
/** fusedReduce's epilogue: tanh(r/2 + e), e an input of the reduced shape. */
const REDUCE_EPILOGUE = fusedProgram([
  { op: 'input', index: 0, dtype: F }, { op: 'literal', value: 0.5, dtype: F }, { op: 'binary', fn: 'mul', args: [0, 1], dtype: F },
  { op: 'input', index: 1, dtype: F }, { op: 'binary', fn: 'add', args: [2, 3], dtype: F }, { op: 'unary', fn: 'tanh', args: [4], dtype: F },
]);

export const samples: Record<string, SampleFn> = {
  neg: unary('neg'),
  abs: unary('abs', away(0.1, 2)),
  sign: unary('sign', away(0.1, 2)),
  exp: unary('exp'),
  log: unary('log', U(0.3, 3)),
  log1p: unary('log1p', U(-0.5, 2)),
  expm1: unary('expm1'),
  sqrt: unary('sqrt', U(0.3, 3)),
  rsqrt: unary('rsqrt', U(0.3, 3)),
  sin: unary('sin', U(-3, 3)),
  cos: unary('cos', U(-3, 3)),
  tan: unary('tan', U(-1.2, 1.2)),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid', U(-3, 3)),
  erf: unary('erf'),
  relu: unary('relu', away(0.1, 2)),
  reciprocal: unary('reciprocal', away(0.3, 2)),
  square: unary('square'),
  asin: unary('asin', U(-0.9, 0.9)),
  acos: unary('acos', U(-0.9, 0.9)),
  atan: unary('atan', U(-3, 3)),
  sinh: unary('sinh'),
  cosh: unary('cosh'),
  floor: unary('floor', fracSafe),
  ceil: unary('ceil', fracSafe),
  round: unary('round', fracSafe),
  logicalNot: () =>
    fc.tuple(shapeA(), fc.constantFrom<DType>('bool', 'float64', 'int32'), seedA).map(([s, dt, seed]) =>
      makeSample('logicalNot', [nd(s, dt, dt === 'bool' ? bools : ints(0, 2))], undefined, seed)),
  isnan: () => fc.tuple(shapeA(), seedA).map(([s, seed]) => makeSample('isnan', [nd(s, 'float64', nanMix)], undefined, seed)),

  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div', U(-2, 2), away(0.5, 2)),
  pow: binary('pow', U(0.5, 2), U(-2, 2)),
  maximum: binary('maximum', gridOdd, gridEven),
  minimum: binary('minimum', gridEven, gridOdd),
  atan2: binary('atan2', U(-2, 2), U(0.3, 2)),
  // a/b stays 0.15 away from an integer: |a| < 3 with fraction in [0.3, 0.7], |b| in [0.95, 1.05].
  remainder: binary('remainder', midFrac, away(0.95, 1.05)),
  eq: compare('eq'),
  ne: compare('ne'),
  lt: compare('lt'),
  le: compare('le'),
  gt: compare('gt'),
  ge: compare('ge'),
  logicalAnd: logical('logicalAnd'),
  logicalOr: logical('logicalOr'),
  logicalXor: logical('logicalXor'),
  fused: () =>
    fc.tuple(bcastA(2), fc.integer({ min: 0, max: FUSED_PROGRAMS.length - 1 }), seedA).map(([[a, b], k, seed]) =>
      makeSample('fused', [f64(a, away(0.2, 2)), f64(b)], FUSED_PROGRAMS[k], seed, asFloat32Program(FUSED_PROGRAMS[k]!))),
  fusedMatmul: () =>
    fc.oneof(
      fc.tuple(shapeA(0, 2), sizeA(3, true), sizeA(3, true), sizeA(3, true), fc.integer({ min: 0, max: EPILOGUES.length - 1 }))
        .chain(([batch, m, k, n, e]) => fc.tuple(degradeA(batch), degradeA(batch), fc.constant([m, k, n, e]), seedA))
        .map(([ba, bb, [m, k, n, e], seed]) =>
          makeSample('fusedMatmul', [f64([...ba, m!, k!]), f64([...bb, k!, n!]), f64([n!])], { epilogue: EPILOGUES[e!]!, shape: null }, seed, { epilogue: asFloat32Program(EPILOGUES[e!]!), shape: null })),
      // A convolution's form: weights [C, k] @ columns [N, k, L], seen as an image [N, C, L, 1] with a bias [C, 1, 1].
      fc.tuple(sizeA(3, false), sizeA(3, false), sizeA(3, false), sizeA(3, false), fc.integer({ min: 0, max: EPILOGUES.length - 1 }), seedA)
        .map(([N, C, k, L, e, seed]) =>
          makeSample('fusedMatmul', [f64([C, k]), f64([N, k, L]), f64([C, 1, 1])], { epilogue: EPILOGUES[e]!, shape: [N, C, L, 1] }, seed, { epilogue: asFloat32Program(EPILOGUES[e]!), shape: [N, C, L, 1] })),
    ),
  fusedReduce: () =>
    fc.tuple(fc.constantFrom('sum', 'prod', 'max'), fc.boolean())
      .chain(([op, withEpilogue]) => shapeA(op === 'max' ? 1 : 0, 3, 3, op !== 'max').chain((s) => fc.tuple(fc.constant([op, withEpilogue, s] as const), axesA(s.length), seedA)))
      .map(([[op, withEpilogue, s], axes, seed]) => {
        const reduced = s.filter((_, d) => !axes.includes(d));
        const params = (p: (f: FusedProgram) => FusedProgram) => ({ op, axes, prologue: p(PROLOGUES[op]), nPrologue: 2, epilogue: withEpilogue ? p(REDUCE_EPILOGUE) : null });
        const inputs = [f64(s, op === 'max' ? distinct : U(-1, 1)), f64(s, op === 'prod' ? U(0.5, 1.5) : U(-2, 2)), ...(withEpilogue ? [f64(reduced)] : [])];
        return makeSample('fusedReduce', inputs, params((f) => f), seed, params(asFloat32Program));
      }),
  where: () =>
    fc.tuple(bcastA(3), seedA).map(([[c, a, b], seed]) =>
      makeSample('where', [nd(c, 'bool', bools), f64(a), f64(b)], undefined, seed)),
  cast: () =>
    // float64 -> float64 half of the time, so the derivative checks see enough differentiable casts.
    fc.tuple(shapeA(), fc.constantFrom('float64', 'float64', ...DTYPES4), fc.constantFrom('float64', 'float64', ...DTYPES4), seedA).map(([s, from, to, seed]) =>
      makeSample('cast', [{ shape: s, dtype: from, gen: genFor(from), diff: from === 'float64' }], { dtype: to }, seed)),
  copy: () =>
    fc.tuple(shapeA(), fc.constantFrom<DType>('float64', 'float64', 'int32', 'bool'), seedA).map(([s, dt, seed]) =>
      makeSample('copy', [{ shape: s, dtype: dt, gen: dt === 'float64' ? U(-2, 2) : genFor(dt), diff: dt === 'float64' }], undefined, seed)),
  // Between the CPU backends only: the device tests (test/devices.test.ts) move to a stand-in 'webgpu'.
  devicePut: () =>
    fc.tuple(shapeA(), fc.constantFrom<DType>('float64', 'float64', 'int32', 'bool'), seedA).map(([s, dt, seed]) =>
      makeSample('devicePut', [{ shape: s, dtype: dt, gen: dt === 'float64' ? U(-2, 2) : genFor(dt), diff: dt === 'float64' }], { device: 'cpu', from: 'cpu' }, seed)),

  sum: reduction('sum', U(-2, 2)),
  max: reduction('max', distinct, false),
  min: reduction('min', distinct, false),
  prod: reduction('prod', withZeros(-1.3, 1.3, 0.1)),
  argmax: alongAxis('argmax', distinct, false, false),
  argmin: alongAxis('argmin', distinct, false, false),
  argsort: () =>
    shapeA(1, 3, 3, true)
      .chain((s) => fc.tuple(fc.constant(s), axisOf(s), fc.boolean(), seedA))
      .map(([s, axis, descending, seed]) => makeSample('argsort', [nd(s, 'float64', distinct)], { axis, descending }, seed)),
  cumsum: alongAxis('cumsum', U(-2, 2), true),

  reshape: () =>
    fc.tuple(shapeA(), seedA).map(([s, seed]) =>
      makeSample('reshape', [f64(s)], { shape: factorShape(numel(s), mulberry(seed ^ 0x5bd1e995)) }, seed)),
  permute: () =>
    shapeA().chain((s) => {
      const dims = s.map((_, i) => i);
      return fc.tuple(fc.constant(s), fc.shuffledSubarray(dims, { minLength: dims.length, maxLength: dims.length }), seedA);
    }).map(([s, perm, seed]) => makeSample('permute', [f64(s)], { perm }, seed)),
  expand: () =>
    fc.tuple(shapeA(0, 3), shapeA(0, 1)).chain(([full, lead]) => {
      const target = [...lead, ...full];
      return fc.tuple(fc.constant(target), degradeA(full), seedA);
    }).map(([target, s, seed]) => makeSample('expand', [f64(s)], { shape: target }, seed)),
  slice: () =>
    shapeA(1, 3, 4).chain((s) => fc.tuple(fc.constant(s), sliceA(s), seedA))
      .map(([s, p, seed]) => makeSample('slice', [f64(s)], p, seed)),
  sliceScatter: () =>
    shapeA(1, 3, 4).chain((s) => fc.tuple(fc.constant(s), sliceA(s), seedA)).map(([s, p, seed]) => {
      const src = [...s];
      src[p.dim] = Math.max(0, Math.ceil((p.end - p.start) / p.step));
      return makeSample('sliceScatter', [f64(s), f64(src)], p, seed);
    }),
  flip: () =>
    shapeA().chain((s) => fc.tuple(fc.constant(s), axesA(s.length), seedA))
      .map(([s, dims, seed]) => makeSample('flip', [f64(s)], { dims }, seed)),
  concat: () =>
    shapeA(1).chain((s) =>
      fc.tuple(fc.constant(s), axisOf(s), fc.array(sizeA(3, true), { minLength: 1, maxLength: 3 }), seedA),
    ).map(([s, dim, sizes, seed]) =>
      makeSample('concat', sizes.map((n) => f64(s.map((d, i) => (i === dim ? n : d)))), { dim }, seed)),
  pad: () =>
    shapeA().chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: s.length, maxLength: s.length }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        seedA,
      ),
    ).map(([s, pads, value, seed]) => makeSample('pad', [f64(s)], { pads, value }, seed)),
  gather: () =>
    fullShapeA(1).chain((s) =>
      fc.tuple(
        fc.constant(s),
        axisOf(s),
        fc.tuple(...s.map((d) => fc.integer({ min: 1, max: d }))),
        fc.integer({ min: 1, max: 3 }),
        seedA,
      ),
    ).map(([s, dim, idx, along, seed]) => {
      const ishape = idx.map((d, i) => (i === dim ? along : d));
      return makeSample('gather', [f64(s), nd(ishape, 'int32', ints(0, s[dim]! - 1))], { dim }, seed);
    }),
  scatter: () =>
    fc.tuple(fullShapeA(1), fc.boolean()).chain(([s, accumulate]) =>
      fc.tuple(
        fc.constant(s),
        axisOf(s),
        fc.constant(accumulate),
        fc.tuple(...s.map(() => fc.integer({ min: 0, max: 2 }))), // src is bigger than index by this much
        fc.tuple(...s.map((d) => fc.integer({ min: 1, max: d }))),
        fc.integer({ min: 1, max: 3 }),
        seedA,
      ),
    ).map(([s, dim, accumulate, extra, idx, along, seed]) => {
      const ishape = idx.map((d, i) => (i === dim ? (accumulate ? along : Math.min(along, s[dim]!)) : d));
      const sshape = ishape.map((d, i) => d + extra[i]!);
      const igen = accumulate ? ints(0, s[dim]! - 1) : uniqueAlong(dim, s[dim]!);
      return makeSample('scatter', [f64(s), nd(ishape, 'int32', igen), f64(sshape)], { dim, accumulate }, seed);
    }),
  indexSelect: () =>
    fullShapeA(1).chain((s) => fc.tuple(fc.constant(s), axisOf(s), fc.integer({ min: 1, max: 4 }), seedA))
      .map(([s, dim, n, seed]) => makeSample('indexSelect', [f64(s), nd([n], 'int32', ints(0, s[dim]! - 1))], { dim }, seed)),
  matmul: () =>
    fc.tuple(shapeA(0, 2), sizeA(3, true), sizeA(3, true), sizeA(3, true))
      .chain(([batch, m, k, n]) => fc.tuple(degradeA(batch), degradeA(batch), fc.constant([m, k, n]), seedA))
      .map(([ba, bb, [m, k, n], seed]) => makeSample('matmul', [f64([...ba, m!, k!]), f64([...bb, k!, n!])], undefined, seed)),
  unfold: () =>
    fc.tuple(imageA, seedA).map(([{ g, N, C, H, W }, seed]) => makeSample('unfold', [f64([N, C, H, W])], g, seed)),
  fold: () =>
    fc.tuple(imageA, seedA).map(([{ g, N, C, H, W }, seed]) => {
      const L = outSize(H, g.kh, g.sh, g.dh) * outSize(W, g.kw, g.sw, g.dw);
      return makeSample('fold', [f64([N, C * g.kh * g.kw, L])], { ...g, C, H, W }, seed);
    }),
  linalgSolve: () =>
    fc.tuple(shapeA(0, 2, 2), sizeA(3, true), sizeA(3, true))
      .chain(([batch, n, k]) => fc.tuple(degradeA(batch), degradeA(batch), fc.constant([n, k]), seedA))
      .map(([ba, bb, [n, k], seed]) => makeSample('linalgSolve', [f64([...ba, n!, n!], wellConditioned), f64([...bb, n!, k!])], { fn: 'linalg.solve' }, seed)),
  slogdet: () =>
    fc.tuple(shapeA(0, 2, 2), sizeA(3, true), seedA).map(([batch, n, seed]) => makeSample('slogdet', [f64([...batch, n, n], wellConditioned)], undefined, seed)),
  random: () =>
    fc.tuple(
      shapeA(),
      fc.constantFrom('uniform', 'normal', 'randint'),
      fc.integer({ min: 0, max: 0xffffff }),
      fc.integer({ min: 0, max: 1000 }),
      seedA,
    ).map(([shape, kind, rseed, offset, seed]) =>
      makeSample('random', [], {
        kind, shape, dtype: kind === 'randint' ? 'int32' : 'float64', low: kind === 'randint' ? -3 : -1, high: 3, seed: rseed, offset,
      }, seed)),
  ...linalgSamples,
};

function sliceA(s: number[]) {
  return fc.integer({ min: 0, max: s.length - 1 }).chain((dim) =>
    fc.tuple(fc.integer({ min: 0, max: s[dim]! }), fc.integer({ min: 0, max: s[dim]! }), fc.integer({ min: 1, max: 3 })).map(
      ([a, b, step]) => ({ dim, start: Math.min(a, b), end: Math.max(a, b), step }),
    ),
  );
}

