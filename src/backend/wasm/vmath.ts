// Vectorized elementwise math (exp, log, tanh, erf, trig, ...) as WebAssembly SIMD code emitters.
// Every function is evaluated on f64x2 lanes: float64 with real double algorithms (Cody–Waite
// reductions, minimax polynomials fitted for this file by a Remez exchange, exact exponent
// arithmetic on the bits), float32 by promoting each half of the f32x4 to f64x2, running the same
// algorithm with shorter polynomials (an error far below float32's ulp) and demoting, which makes the
// single rounding at the end the only one float32 sees. No FMA (relaxed SIMD is not everywhere), no
// tables (kernels own no memory): every polynomial is a Horner chain on constants, and constants can
// be hoisted out of a kernel's loop into locals through a ConstPool.
import { Fn, type Op } from './asm.js';
import { instantiate } from './memory.js';

export type VDType = 'float32' | 'float64';
export type MathOp =
  | 'exp' | 'expm1' | 'log' | 'log1p' | 'tanh' | 'sigmoid';

/** Which precision the f64x2 evaluation must reach: float64's own, or just far below float32's ulp. */
type Prec = 'f32' | 'f64';

// ------------------------------------------------------------------------------------------------
// Constants

const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);
const u8buf = new Uint8Array(f64buf.buffer);

function bytes64(b: bigint): number[] {
  u64buf[0] = BigInt.asUintN(64, b);
  const one = Array.from(u8buf);
  return [...one, ...one];
}
const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
function bytes32(b: number): number[] {
  const one = [b & 255, (b >>> 8) & 255, (b >>> 16) & 255, b >>> 24];
  return [...one, ...one, ...one, ...one];
}
const bitsOf = (x: number): bigint => {
  f64buf[0] = x;
  return u64buf[0]!;
};

/** 1.5 * 2^52: adding it rounds to an integer, which then sits in the low mantissa bits. */
const MAGIC = 6755399441055744;
const MAGIC_BITS = 0x4338000000000000n;
const BIAS = 0x3ff0000000000000n; // exponent field of 1.0: bits(2^n) = n << 52 + BIAS
const SIGN = 0x8000000000000000n;
const EXP_MASK = 0xfff0000000000000n;
const MANT = 0x000fffffffffffffn;
const SQRT_HALF_BITS = 0x3fe6a09e667f3bcdn;

const LOG2E = 1.4426950408889634;
// ln2 = L2HI + L2LO, L2HI with 32 significant bits so that k * L2HI is exact for |k| < 2^21.
const L2HI = 0.6931471806019545;
const L2LO = -4.2009150726810846e-11;

// expm1(r) = r + r^2 P(r) on |r| <= ln2/2 (weighted by its share of expm1; 2^-59 and 2^-31).
const EXPM1_P64 = [
  0.5, 0.16666666666666677, 0.041666666666666574, 0.008333333333321659, 0.0013888888888930603,
  0.00019841269886048386, 2.4801587235078366e-5, 2.7557244294298655e-6, 2.7557349451365057e-7,
  2.5109005454816348e-8, 2.0891671107686058e-9,
];
const EXPM1_P32 = [
  0.5000000045447256, 0.16666666519716808, 0.041666357381098175, 0.008333350290051339, 0.001394084052175954,
  0.00019868888611438635,
];
// log(1+f) = 2s + s z Q(z), s = f/(2+f), z = s^2 <= 0.0295 (Q relative 2^-51 and 2^-29).
const LOG_Q64 = [
  0.666666666666667, 0.3999999999989905, 0.285714286261619, 0.2222221110673713, 0.18182891031134427,
  0.15331662015974756, 0.14617147361374308,
];
const LOG_Q32 = [0.6666666655398955, 0.40000122170031227, 0.28550789153764294, 0.23331223361519177];

// ------------------------------------------------------------------------------------------------
// Emission context

/**
 * Loop-invariant v128 constants of one function, kept in locals: a v128.const or splat inside a
 * loop is rematerialized on every iteration (several instructions each), a local is a register or
 * one load. `hoist` writes their initialisation where the loop has not started yet.
 */
export class ConstPool {
  private readonly consts = new Map<string, { bytes: number[]; local: number }>();
  constructor(private readonly f: Fn) {}

  local(bytes: number[]): number {
    const key = bytes.join(',');
    let c = this.consts.get(key);
    if (!c) {
      c = { bytes, local: this.f.local('v128') };
      this.consts.set(key, c);
    }
    return c.local;
  }

  /** Inserts the constants' initialisation at byte `at` of the function's code (before their loop). */
  hoist(at: number): void {
    const g = new Fn([]);
    for (const { bytes, local } of this.consts.values()) {
      vconst(g, bytes);
      g.set(local);
    }
    this.f.code.splice(at, 0, ...g.code);
  }
}

/** v128.const and i8x16.shuffle carry 16-byte immediates, which Fn's tables do not model. */
function vconst(f: Fn, bytes: readonly number[]): void {
  f.code.push(0xfd, 0x0c, ...bytes);
}
function shuffle(f: Fn, lanes: readonly number[]): void {
  f.code.push(0xfd, 0x0d, ...lanes);
}

/** A value: one local per interleaved vector (constants repeat one local). */
type V = readonly number[];
type Body = (e: E, x: V) => V;

/**
 * Emits f64x2 arithmetic on K independent vectors at once, each op for all K before the next: the
 * chains of a polynomial are long (latency, not throughput, bounds one vector), and interleaving
 * them lets the core overlap K chains without relying on V8 to schedule. Values live in locals,
 * which V8 turns into SSA registers.
 */
class E {
  /** Float and integer lane prefixes: f64x2/i64x2, or f32x4/i32x4 for native float32 code. */
  readonly t: 'f64x2' | 'f32x4';
  readonly it: 'i64x2' | 'i32x4';
  constructor(
    readonly f: Fn,
    readonly prec: Prec,
    readonly K: number,
    readonly pool: ConstPool,
    lanes: 'f64x2' | 'f32x4' = 'f64x2',
  ) {
    this.t = lanes;
    this.it = lanes === 'f64x2' ? 'i64x2' : 'i32x4';
  }

  fresh(): number[] {
    return Array.from({ length: this.K }, () => this.f.local('v128'));
  }
  private cst(bytes: number[]): V {
    return new Array<number>(this.K).fill(this.pool.local(bytes));
  }
  /** Float splat constant (rounded to float32 in f32x4 code). */
  k(x: number): V {
    if (this.t === 'f64x2') return this.cst(bytes64(bitsOf(x)));
    f32buf[0] = x;
    return this.cst(bytes32(u32buf[0]!));
  }
  /** Integer splat constant of the lane width. */
  kb(b: bigint): V {
    return this.cst(this.t === 'f64x2' ? bytes64(b) : bytes32(Number(BigInt.asUintN(32, b))));
  }
  un(op: Op, a: V): V {
    const r = this.fresh();
    for (let i = 0; i < this.K; i++) this.f.get(a[i]!).op(op).set(r[i]!);
    return r;
  }
  bin(op: Op, a: V, b: V): V {
    const r = this.fresh();
    for (let i = 0; i < this.K; i++) this.f.get(a[i]!).get(b[i]!).op(op).set(r[i]!);
    return r;
  }
  /** a where mask bits are set, b elsewhere. */
  sel(a: V, b: V, mask: V): V {
    const r = this.fresh();
    for (let i = 0; i < this.K; i++) this.f.get(a[i]!).get(b[i]!).get(mask[i]!).op('v128.bitselect').set(r[i]!);
    return r;
  }
  private shift(op: Op, a: V, n: number): V {
    const r = this.fresh();
    for (let i = 0; i < this.K; i++) this.f.get(a[i]!).i32(n).op(op).set(r[i]!);
    return r;
  }
  private fop = (name: string, a: V, b?: V): V =>
    b ? this.bin(`${this.t}.${name}` as Op, a, b) : this.un(`${this.t}.${name}` as Op, a);
  add = (a: V, b: V) => this.fop('add', a, b);
  sub = (a: V, b: V) => this.fop('sub', a, b);
  mul = (a: V, b: V) => this.fop('mul', a, b);
  div = (a: V, b: V) => this.fop('div', a, b);
  /** min/max that return a when a is NaN (x86's minpd/maxpd order): NaN inputs go through clamps. */
  min = (a: V, b: V) => this.fop('pmin', a, b);
  max = (a: V, b: V) => this.fop('pmax', a, b);
  abs = (a: V) => this.fop('abs', a);
  neg = (a: V) => this.fop('neg', a);
  sqrt = (a: V) => this.fop('sqrt', a);
  nearest = (a: V) => this.fop('nearest', a);
  eq = (a: V, b: V) => this.fop('eq', a, b);
  ne = (a: V, b: V) => this.fop('ne', a, b);
  lt = (a: V, b: V) => this.fop('lt', a, b);
  le = (a: V, b: V) => this.fop('le', a, b);
  gt = (a: V, b: V) => this.fop('gt', a, b);
  ge = (a: V, b: V) => this.fop('ge', a, b);
  and = (a: V, b: V) => this.bin('v128.and', a, b);
  or = (a: V, b: V) => this.bin('v128.or', a, b);
  xor = (a: V, b: V) => this.bin('v128.xor', a, b);
  iadd = (a: V, b: V) => this.bin(`${this.it}.add`, a, b);
  isub = (a: V, b: V) => this.bin(`${this.it}.sub`, a, b);
  shl = (a: V, n: number) => this.shift(`${this.it}.shl`, a, n);
  shr = (a: V, n: number) => this.shift(`${this.it}.shr_s`, a, n);

  /** c[0] + z (c[1] + z (c[2] + ...)) */
  horner(z: V, c: readonly number[]): V {
    let p = this.k(c[c.length - 1]!);
    for (let i = c.length - 2; i >= 0; i--) p = this.add(this.mul(p, z), this.k(c[i]!));
    return p;
  }
  /** The sign bit of x on |y|'s bits (y >= 0 or -0 on input). */
  withSign(y: V, x: V): V {
    return this.or(y, this.and(x, this.t === 'f64x2' ? this.kb(SIGN) : this.kb(0x80000000n)));
  }
}

// ------------------------------------------------------------------------------------------------
// The exponential family. Each function takes its argument (f64x2 lanes) and returns the result.

/** t = x log2e + MAGIC (n = round(x / ln2) in its low bits) and r = x - n ln2. */
function reduceLn2(e: E, x: V): { t: V; r: V } {
  const t = e.add(e.mul(x, e.k(LOG2E)), e.k(MAGIC));
  const n = e.sub(t, e.k(MAGIC));
  // float32's need is 2^-30 or so: one product is enough (|n ln2| rounds at 2^-46).
  const r = e.prec === 'f32' ? e.sub(x, e.mul(n, e.k(Math.LN2))) : e.sub(e.sub(x, e.mul(n, e.k(L2HI))), e.mul(n, e.k(L2LO)));
  return { t, r };
}

/** expm1 on the reduced argument: r + r^2 P(r). */
function expm1Poly(e: E, r: V): V {
  return e.add(r, e.mul(e.mul(r, r), e.horner(r, e.prec === 'f64' ? EXPM1_P64 : EXPM1_P32)));
}

/**
 * The halves s1 = 2^floor(n/2), s2 = 2^(n - floor(n/2)) of 2^n (n in t's low bits): each a normal
 * double for |n| < 2046, where 2^n itself would overflow or be subnormal.
 */
function splitScale(e: E, t: V): { s1: V; s2: V; k2: V } {
  const kk = e.shl(t, 52);
  const k1 = e.and(e.shr(kk, 1), e.kb(EXP_MASK));
  const k2 = e.isub(kk, k1);
  return { s1: e.iadd(k1, e.kb(BIAS)), s2: e.iadd(k2, e.kb(BIAS)), k2 };
}

/**
 * exp(x) for x already clamped: to [-746, 710] with `split` (results down in the subnormals and up
 * to overflow), or to a range where 2^n stays a normal double without it. `half` scales by 1/2
 * before 2^n, so exp(x)/2 stays finite where exp(x) would not (sinh, cosh).
 */
function expCore(e: E, x: V, split: boolean, half = false): V {
  const { t, r } = reduceLn2(e, x);
  let p = e.add(expm1Poly(e, r), e.k(1));
  if (half) p = e.mul(p, e.k(0.5));
  // Multiplying by 2^n (not adding n to p's exponent bits) keeps NaN payloads from turning finite.
  if (!split) return e.mul(p, e.iadd(e.shl(t, 52), e.kb(BIAS)));
  const { s1, s2 } = splitScale(e, t);
  return e.mul(e.mul(p, s1), s2);
}

/**
 * expm1(x) for x clamped to [-45, 710] (split) or to where 2^n is normal. 2^n q + (2^n - 1) has
 * one rounding besides q's own, and 2^n - 1 is exact for |n| <= 53; past that the -1 is noise.
 */
function expm1Core(e: E, x: V, split: boolean): V {
  const { t, r } = reduceLn2(e, x);
  const q = expm1Poly(e, r);
  if (split) {
    // 2^n q + 2^n - 1 = s2 (s1 q + (s1 - 2^-n2))
    const { s1, s2, k2 } = splitScale(e, t);
    const inv2 = e.isub(e.kb(BIAS), k2);
    return e.mul(e.add(e.mul(s1, q), e.sub(s1, inv2)), s2);
  }
  const s = e.iadd(e.shl(t, 52), e.kb(BIAS));
  return e.add(e.mul(s, q), e.sub(s, e.k(1)));
}

function exp(e: E, x: V): V {
  if (e.prec === 'f64') return expCore(e, e.min(e.max(x, e.k(-746)), e.k(710)), true);
  return expCore(e, e.min(e.max(x, e.k(-110)), e.k(100)), false);
}

function expm1(e: E, x: V): V {
  const f64 = e.prec === 'f64';
  const v = expm1Core(e, e.min(e.max(x, e.k(f64 ? -45 : -20)), e.k(f64 ? 710 : 100)), f64);
  // r + r^2 P gives +0 at -0.
  return e.sel(x, v, e.eq(x, e.k(0)));
}

function tanh(e: E, x: V): V {
  // tanh|x| = m / (m + 2), m = expm1(2|x|): no cancellation anywhere; 1 from |x| = 19.1 on in double.
  const a = e.min(e.abs(x), e.k(e.prec === 'f64' ? 22 : 12));
  const m = expm1Core(e, e.add(a, a), false);
  return e.withSign(e.div(m, e.add(m, e.k(2))), x);
}

function sigmoid(e: E, x: V): V {
  // With t = exp(-|x|): 1/(1+t) for x >= 0, t/(1+t) below, so nothing overflows and the tiny
  // results for very negative x keep their precision down into the subnormals.
  const f64 = e.prec === 'f64';
  const t = expCore(e, e.max(e.neg(e.abs(x)), e.k(f64 ? -746 : -110)), f64);
  return e.div(e.sel(e.k(1), t, e.ge(x, e.k(0))), e.add(t, e.k(1)));
}

/**
 * log(x) = k ln2 + log(1+f), 1+f in [sqrt(1/2), sqrt(2)), from the bits of x; the part after the
 * split is fdlibm's arrangement (f exact, the correction small) with our own polynomial. `c` is an
 * extra term (log1p's rounding correction) added at the lowest order, `kAdj` is subtracted from k
 * (subnormal scaling).
 */
function logCore(e: E, x: V, c?: V, kAdj?: V): V {
  const d = e.isub(x, e.kb(SQRT_HALF_BITS));
  let kf = e.sub(e.iadd(e.shr(d, 52), e.kb(MAGIC_BITS)), e.k(MAGIC));
  if (kAdj) kf = e.sub(kf, kAdj);
  const f = e.sub(e.iadd(e.and(d, e.kb(MANT)), e.kb(SQRT_HALF_BITS)), e.k(1));
  const s = e.div(f, e.add(f, e.k(2)));
  const z = e.mul(s, s);
  const hfsq = e.mul(e.mul(f, f), e.k(0.5));
  const R = e.mul(z, e.horner(z, e.prec === 'f64' ? LOG_Q64 : LOG_Q32));
  // kf L2HI - ((hfsq - (s (hfsq + R) + kf L2LO [+ c])) - f)
  let lo = e.add(e.mul(s, e.add(hfsq, R)), e.mul(kf, e.k(L2LO)));
  if (c) lo = e.add(lo, c);
  return e.sub(e.mul(kf, e.k(L2HI)), e.sub(e.sub(hfsq, lo), f));
}

/** Where x is outside (lo, inf) or zero-like: log's special values around the pole `lo`. */
function logSpecials(e: E, x: V, v: V, pole: number, keepZero: boolean): V {
  // pole -> -inf, below it NaN, inf -> inf, NaN stays (and ±0 stays for log1p).
  let sp = e.sel(e.k(-Infinity), x, e.eq(x, e.k(pole)));
  sp = e.sel(e.k(NaN), sp, e.lt(x, e.k(pole)));
  let ok = e.and(e.gt(x, e.k(pole)), e.lt(x, e.k(Infinity)));
  if (keepZero) ok = e.and(ok, e.ne(x, e.k(0)));
  return e.sel(v, sp, ok);
}

function log(e: E, x: V): V {
  if (e.prec === 'f32') return logSpecials(e, x, logCore(e, x), 0, false);
  // Subnormals: scale by 2^54 first (float32's subnormals are normal doubles).
  const sub = e.lt(x, e.k(2.2250738585072014e-308));
  const xs = e.sel(e.mul(x, e.k(18014398509481984)), x, sub);
  return logSpecials(e, x, logCore(e, xs, undefined, e.and(sub, e.k(54))), 0, false);
}

function log1p(e: E, x: V): V {
  // u = 1 + x rounds; log1p(x) = log(u) + (x - (u - 1))/u to first order, and x - (u - 1) is exact.
  const u = e.add(x, e.k(1));
  const c = e.div(e.sub(x, e.sub(u, e.k(1))), u);
  return logSpecials(e, x, logCore(e, u, c), -1, true);
}

// ------------------------------------------------------------------------------------------------
// Native float32 (f32x4) versions, for the ops where twice the lanes pay for a more careful error
// budget: each part's float32 rounding errors are bounded below and the whole stays within 2 ulp.

const MAGIC32 = 12582912; // 1.5 * 2^23
// ln2 = LN2HI32 + LN2LO32, LN2HI32 with 16 bits so that n * LN2HI32 is exact.
const LN2HI32 = 0.693145751953125;
const LN2LO32 = 1.4286068203094172e-6;
// tanh a = a + a z P(z), z = a^2 <= 0.81 (relative 2^-29.8); exp r = 1 + r + r^2 Q(r) (2^-28.3).
const TANH32_P = [
  -0.3333332226353009, 0.13332978265777348, -0.053929301748740444, 0.02166354305366364, -0.008264544897415812,
  0.002582668802478548, -0.00045546032102235684,
];
const EXP32_Q = [0.4999999345097713, 0.16666520679094754, 0.04166838748938006, 0.008368711128031465, 0.001381461047681952];

/**
 * tanh in f32x4: the odd polynomial below |x| = 0.9, 1 - 2/(exp(2|x|) + 1) above. There q = 2/(e+1)
 * carries about 4 half-ulps of relative error (e's, the add's, the divide's) and q <= 0.29, so the
 * result is off by at most ~1.2 ulp before its own rounding; the polynomial part, by under one.
 */
function tanh32(e: E, x: V): V {
  const a = e.abs(x);
  const z = e.mul(a, a);
  const small = e.add(a, e.mul(e.mul(a, z), e.horner(z, TANH32_P)));
  const y = e.min(e.add(a, a), e.k(20));
  const t = e.add(e.mul(y, e.k(LOG2E)), e.k(MAGIC32));
  const n = e.sub(t, e.k(MAGIC32));
  const r = e.sub(e.sub(y, e.mul(n, e.k(LN2HI32))), e.mul(n, e.k(LN2LO32)));
  const p = e.add(e.add(r, e.mul(e.mul(r, r), e.horner(r, EXP32_Q))), e.k(1));
  const ex = e.mul(p, e.iadd(e.shl(t, 23), e.kb(0x3f800000n)));
  const big = e.sub(e.k(1), e.div(e.k(2), e.add(ex, e.k(1))));
  return e.withSign(e.sel(small, big, e.lt(a, e.k(0.9))), x);
}

const NATIVE32: Partial<Record<MathOp, Body>> = { tanh: tanh32 };

// ------------------------------------------------------------------------------------------------
// Public API

const BODIES: Record<MathOp, Body> = { exp, expm1, log, log1p, tanh, sigmoid };

export const MATH_OPS: readonly MathOp[] = Object.keys(BODIES) as MathOp[];

const LOW_TO_HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
const JOIN_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/**
 * op on the v128s in locals `xs` (f32x4 or f64x2 lanes), all interleaved; returns the locals that
 * hold the results. float32 vectors become two f64x2 halves each.
 */
function emitMathLocals(f: Fn, op: MathOp, dtype: VDType, xs: readonly number[], pool: ConstPool): number[] {
  const body = BODIES[op];
  if (!body) throw new Error(`vmath: no ${op}`);
  if (dtype === 'float64') return [...body(new E(f, 'f64', xs.length, pool), xs)];
  const native = NATIVE32[op];
  if (native) return [...native(new E(f, 'f32', xs.length, pool, 'f32x4'), xs)];
  const halves: number[] = [];
  for (const x4 of xs) {
    const lo = f.local('v128');
    const hi = f.local('v128');
    f.get(x4).op('f64x2.promote_low_f32x4').set(lo);
    f.get(x4).get(x4);
    shuffle(f, LOW_TO_HIGH);
    f.op('f64x2.promote_low_f32x4').set(hi);
    halves.push(lo, hi);
  }
  const r = body(new E(f, 'f32', halves.length, pool), halves);
  return xs.map((_, i) => {
    const out = f.local('v128');
    f.get(r[2 * i]!).op('f32x4.demote_f64x2_zero');
    f.get(r[2 * i + 1]!).op('f32x4.demote_f64x2_zero');
    shuffle(f, JOIN_LOWS);
    f.set(out);
    return out;
  });
}

/**
 * Emits code that takes a v128 (f32x4 or f64x2 lanes) from the top of the stack and leaves op(x) in
 * its place; allocates locals on f. Constants go through `pool` when given (hoist it before the
 * loop), else they are set up at this point of the code.
 */
export function emitMath(f: Fn, op: MathOp, dtype: VDType, pool?: ConstPool): void {
  const start = f.code.length;
  const own = pool ?? new ConstPool(f);
  const x = f.local('v128');
  f.set(x);
  const [r] = emitMathLocals(f, op, dtype, [x], own);
  f.get(r!);
  // The constants' set-up is stack-neutral, so it can go before the set of x.
  if (!pool) own.hoist(start);
}

export type MathKernel = (inPtr: number, outPtr: number, n: number) => void;
const kernels = new Map<string, MathKernel>();

/** Vectors per main-loop iteration: enough independent chains to keep the core busy. */
const UNROLL = { float32: 2, float64: 2 } as const;

/** op over n contiguous elements at inPtr into outPtr (byte addresses; in place allowed). */
export function mathKernel(op: MathOp, dtype: VDType): MathKernel {
  const key = `${op}:${dtype}`;
  let k = kernels.get(key);
  if (k) return k;
  const size = dtype === 'float32' ? 4 : 8;
  const u = UNROLL[dtype];
  const f = new Fn(['i32', 'i32', 'i32']);
  const pool = new ConstPool(f);
  const [i, end, uend, vend] = [f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32')];
  const start = f.code.length;
  f.get(2).i32(size).op('i32.mul').tee(end);
  f.i32(-16 * u).op('i32.and').set(uend);
  f.get(end).i32(-16).op('i32.and').set(vend);
  const vectors = (count: number) => (g: Fn) => {
    const xs = Array.from({ length: count }, (_, j) => {
      const x = g.local('v128');
      g.get(0).get(i).op('i32.add').mem('v128.load', 16 * j).set(x);
      return x;
    });
    const rs = emitMathLocals(g, op, dtype, xs, pool);
    rs.forEach((r, j) => g.get(1).get(i).op('i32.add').get(r).mem('v128.store', 16 * j));
  };
  // u vectors at a time, then single vectors, then the last n mod lanes elements one at a time in
  // lane 0 of a zeroed vector (nothing past n is read or written).
  f.forLoop(i, (g) => g.i32(0), (g) => g.get(uend), 16 * u, vectors(u));
  if (u > 1) f.forLoop(i, (g) => g.get(uend), (g) => g.get(vend), 16, vectors(1));
  f.forLoop(i, (g) => g.get(vend), (g) => g.get(end), size, (g) => {
    const x = g.local('v128');
    g.get(0).get(i).op('i32.add').mem(size === 4 ? 'v128.load32_zero' : 'v128.load64_zero').set(x);
    const [r] = emitMathLocals(g, op, dtype, [x], pool);
    g.get(1).get(i).op('i32.add').get(r!);
    if (size === 4) g.lane('f32x4.extract_lane', 0).mem('f32.store');
    else g.lane('f64x2.extract_lane', 0).mem('f64.store');
  });
  pool.hoist(start);
  const ex = instantiate([{ name: 'k', fn: f }]);
  const fn = ex.k as (a: number, b: number, c: number) => void;
  k = (inPtr, outPtr, n) => fn(inPtr, outPtr, n);
  kernels.set(key, k);
  return k;
}
