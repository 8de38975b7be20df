// Vectorized elementwise math (exp, log, tanh, erf, trig, pow, ...) as WebAssembly SIMD code
// emitters. Functions are evaluated on f64x2 lanes: float64 with real double algorithms (Cody–Waite
// and table-free Payne–Hanek reductions, exact exponent arithmetic on the bits, double-double where
// a result needs more than double, as in pow's log), float32 by promoting each half of the f32x4 to
// f64x2, running the same algorithm with shorter polynomials (an error far below float32's ulp) and
// demoting, so the demotion is the one rounding that float32 sees; tanh, the hot one, also has a
// native f32x4 version with its own error budget. Polynomials are minimax fits (a weighted Remez
// exchange at 50 digits, rounded to double; each table says its fitted error). No FMA (relaxed SIMD
// is not everywhere), no tables in memory (kernels own none): every polynomial is a Horner chain on
// constants, which a ConstPool hoists out of a kernel's loop into locals.
import { Fn, type Op } from './asm.js';
import { instantiate } from './memory.js';

export type VDType = 'float32' | 'float64';
export type MathOp =
  | 'exp' | 'expm1' | 'log' | 'log1p' | 'tanh' | 'sigmoid' | 'erf'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh';
export type MathOp2 = 'pow' | 'atan2';

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

const vconst = (f: Fn, bytes: readonly number[]) => f.v128(bytes);
const shuffle = (f: Fn, lanes: readonly number[]) => f.shuffle(lanes);

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
  /** While set, constants are materialized where used (rare slow paths: no hoisted locals). */
  inline = false;
  private cst(bytes: number[]): V {
    if (this.inline) {
      const l = this.f.local('v128');
      vconst(this.f, bytes);
      this.f.set(l);
      return new Array<number>(this.K).fill(l);
    }
    return new Array<number>(this.K).fill(this.pool.local(bytes));
  }
  /** A fresh, assignable copy of a. */
  copy(a: V): V {
    const r = this.fresh();
    this.assign(r, a);
    return r;
  }
  assign(dst: V, src: V): void {
    for (let i = 0; i < this.K; i++) this.f.get(src[i]!).set(dst[i]!);
  }
  /** if (any lane of any of the K masks is set) body() */
  ifAny(mask: V, body: () => void): void {
    this.f.get(mask[0]!);
    for (let i = 1; i < this.K; i++) this.f.get(mask[i]!).op('v128.or');
    this.f.op('v128.any_true').if();
    body();
    this.f.end();
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
  /** a & ~b */
  andnot = (a: V, b: V) => this.bin('v128.andnot', a, b);
  trunc = (a: V) => this.fop('trunc', a);
  iadd = (a: V, b: V) => this.bin(`${this.it}.add`, a, b);
  isub = (a: V, b: V) => this.bin(`${this.it}.sub`, a, b);
  ieq = (a: V, b: V) => this.bin(`${this.it}.eq`, a, b);
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

/**
 * v where x is in (pole, inf), the special values elsewhere: -inf at the pole, NaN below it, inf and
 * NaN themselves, and with keepZero ±0 itself (log1p's sign of zero).
 */
function logSpecials(e: E, x: V, v: V, pole: number, keepZero: boolean): V {
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
// erf

// erf x = x A(x^2) on |x| < 1 (relative 2^-55 / 2^-29.6).
const ERF_A64 = [
  1.1283791670955126, -0.3761263890318352, 0.11283791670944185, -0.02686617064311147, 0.005223977606118473,
  -0.000854832592931449, 0.00012055293576900626, -1.4924712302009862e-5, 1.6447131571279002e-6,
  -1.6206313758493216e-7, 1.3710980398028562e-8, -7.779468488959856e-10,
];
const ERF_A32 = [
  1.1283791657267102, -0.3761262582423137, 0.11283585148596591, -0.026853811934575526, 0.00518832768434805,
  -0.0008010193612767636, 7.853861311140253e-5,
];
// erf x = 1 - exp(-x^2) B(x - c) on [1, 6] about 3.5 (float64) or [1, 4] about 2.5 (float32): B
// approximates erfc(x) e^{x^2}, fitted for its error's share of erf (2^-56 / 2^-33.4).
const ERF_B64 = [
  0.15529365560718855, -0.041323577831076416, 0.010661133346235316, -0.0026730738032454465, 0.000652686537130322,
  -0.00015547287698977586, 3.6172278434855106e-5, -8.243012574782135e-6, 1.8495339716036373e-6,
  -3.772404308830566e-7, 1.011092154427615e-7, -2.386402680146088e-8, -1.1632604991612167e-8,
  -1.1063407846900609e-8, -1.7519931280556811e-9, 1.7525010102396057e-9, 1.6019205309387157e-9,
  6.381764702776306e-10, 1.4904412666315734e-10, 1.966395751891164e-11, 1.1869462574600604e-12,
];
const ERF_B32 = [
  0.21080631842043399, -0.07434752561770623, 0.024939390978559538, -0.007994589739629498, 0.00247275700903298,
  -0.0007498521909267971, 0.00017730666411068456, -7.286267261955499e-5, 3.177189264858694e-5,
  1.4073253495163737e-5, 7.114537651097683e-6,
];

function erf(e: E, x: V): V {
  const f64 = e.prec === 'f64';
  const a = e.abs(x);
  const small = e.mul(a, e.horner(e.mul(a, a), f64 ? ERF_A64 : ERF_A32));
  // Past 6 (4) erf is 1 in the format; the rounding of x^2 moves exp(-x^2) by x^2 2^-53 relative,
  // which erfc/erf scales down to under 0.2 ulp.
  const ac = e.min(a, e.k(f64 ? 6 : 4));
  const ex = expCore(e, e.neg(e.mul(ac, ac)), false);
  const big = e.sub(e.k(1), e.mul(ex, e.horner(e.sub(ac, e.k(f64 ? 3.5 : 2.5)), f64 ? ERF_B64 : ERF_B32)));
  return e.withSign(e.sel(small, big, e.lt(a, e.k(1))), x);
}

// ------------------------------------------------------------------------------------------------
// Trigonometric functions

const TWO_OVER_PI = 0.6366197723675814;
// pi/2 as a sum of 27-bit pieces (n * piece exact for n < 2^26) and a double rest: 169 bits, 107
// for float32's need.
const PIO2_64 = [1.570796325802803, 9.920935739593517e-10, 5.721188709663575e-18, 1.6446256892965207e-26, 4.3359050650618903e-35];
const PIO2_32 = [1.570796325802803, 9.920935739593517e-10, 5.721188726109832e-18];
const PIO2_HI = 1.5707963267948966;
const PIO2_LO = 6.123233995736766e-17;
/** Beyond this |x| the Cody–Waite pieces are not exact any more (n >= 2^26). */
const CW_LIMIT = 1e8;
// 2/pi in 24-bit chunks: 2/pi = sum C[k] 2^(-24 (k+1)).
const TWO_OVER_PI_24 = [
  10680707, 7228996, 1387004, 2578385, 16069853, 12639074, 9804092, 4427841, 16666979, 11263675, 12935607, 2387514,
  4345298, 14681673, 3074569, 13734428, 16653803, 1880361, 10960616, 8533493, 3062596, 8710556, 7349940, 6258241,
  3772886, 3769171, 3798172, 8675211, 12450088, 3874808, 9961438, 366607, 15675153, 9132554, 7151469, 3571407,
  2607881, 12013382, 4155038, 6285869, 7677882, 13102053, 15825725, 473591, 9065106, 15363067, 6271263, 9264392,
];
// sin r = r + r z S(z), cos r = 1 - z/2 + z^2 C(z), z = r^2 <= (pi/4)^2.
const SIN_S64 = [
  -0.1666666666666663, 0.008333333333322113, -0.00019841269829584852, 2.755731361970129e-6, -2.5050747490484807e-8,
  1.5896213893925345e-10,
];
const SIN_S32 = [-0.1666666664078664, 0.008333329303629632, -0.00019839311877337001, 2.718117871670186e-6];
const COS_C64 = [
  0.041666666666666595, -0.001388888888887305, 2.4801587288846547e-5, -2.7557314177766633e-7, 2.0875700628796096e-9,
  -1.1358525224420836e-11,
];
const COS_C32 = [0.04166666661947293, -0.0013888883498498908, 2.479945974014909e-5, -2.720572003960801e-7];

/**
 * Payne–Hanek for a >= CW_LIMIT, with no table lookups: a = ah + al (26 + 27 bits), and every
 * product ah C[k] 2^(-24(k+1)), al C[k] ... is exact; each reduced mod 4 is exact too, and the sum
 * of them all (the ones far above the binary point vanish mod 4 by themselves) is kept in three
 * doubles, so a * 2/pi mod 4 keeps its bits far past where r's ulp needs them, even for the
 * arguments closest to a multiple of pi/2 (|r| ~ 2^-61). Chunks past 32 run on a scaled by 2^-512 (their
 * scaled values would underflow); the products lost to underflow then are below what matters.
 */
function payneHanek(e: E, a: V): { r: V; rl: V; q: V } {
  const f64 = e.prec === 'f64';
  // A float32 argument has 24 significant bits (al = 0) and is below 2^128: 9 chunks reach 2^-216.
  const chunks = f64 ? 48 : 9;
  const ah = e.and(a, e.kb(0xfffffffff8000000n));
  const parts = f64 ? [ah, e.sub(a, ah)] : [ah];
  const scaled = f64 ? parts.map((p) => e.mul(p, e.k(2 ** -512))) : [];
  let hi = e.k(0);
  let lo = e.k(0);
  let lo2 = e.k(0);
  for (let k = 0; k < chunks; k++) {
    const big = k >= 32;
    const d = e.k(TWO_OVER_PI_24[k]! * 2 ** (-24 * (k + 1) + (big ? 512 : 0)));
    for (const part of big ? scaled : parts) {
      let p = e.mul(part, d);
      p = e.sub(p, e.mul(e.nearest(e.mul(p, e.k(0.25))), e.k(4)));
      // (hi, lo, lo2) += p, each step an exact two-sum.
      let s = e.add(hi, p);
      let bb = e.sub(s, hi);
      const err = e.add(e.sub(hi, e.sub(s, bb)), e.sub(p, bb));
      hi = s;
      s = e.add(lo, err);
      bb = e.sub(s, lo);
      lo2 = e.add(lo2, e.add(e.sub(lo, e.sub(s, bb)), e.sub(err, bb)));
      lo = s;
    }
  }
  const n = e.nearest(hi);
  const f1 = e.sub(hi, n);
  const F = e.add(f1, lo);
  const bb = e.sub(F, f1);
  const F2 = e.add(e.add(e.sub(f1, e.sub(F, bb)), e.sub(lo, bb)), lo2);
  const p = twoProd(e, F, e.k(PIO2_HI));
  const { s: r, l: rl } = twoSum(e, p.p, e.add(p.err, e.add(e.mul(F, e.k(PIO2_LO)), e.mul(F2, e.k(PIO2_HI)))));
  return { r, rl, q: e.add(n, e.k(MAGIC)) };
}

/**
 * a = |x| = n pi/2 + r + rl, |r| <= pi/4, n's low bits in q's. a - n P1 is exact; the two roundings
 * after it are caught by two-sums, so float64's r is good to ~2^-100 (rl is 0 for float32).
 */
function reduceHalfPi(e: E, a: V): { r: V; rl: V; q: V } {
  const t = e.add(e.mul(a, e.k(TWO_OVER_PI)), e.k(MAGIC));
  const n = e.sub(t, e.k(MAGIC));
  const P = e.prec === 'f64' ? PIO2_64 : PIO2_32;
  const r0 = e.sub(a, e.mul(n, e.k(P[0]!)));
  let corr = e.mul(n, e.k(P[2]!));
  for (const p of P.slice(3)) corr = e.add(corr, e.mul(n, e.k(p)));
  let r: V;
  let rl: V;
  if (e.prec === 'f64') {
    const s1 = twoSum(e, r0, e.neg(e.mul(n, e.k(P[1]!))));
    const s2 = twoSum(e, s1.s, e.neg(corr));
    r = e.copy(s2.s);
    rl = e.copy(e.add(s1.l, s2.l));
  } else {
    r = e.copy(e.sub(e.sub(r0, e.mul(n, e.k(P[1]!))), corr));
    rl = e.copy(e.k(0));
  }
  const q = e.copy(t);
  const far = e.gt(a, e.k(CW_LIMIT));
  e.ifAny(far, () => {
    e.inline = true;
    const slow = payneHanek(e, a);
    e.assign(r, e.sel(slow.r, r, far));
    e.assign(rl, e.sel(slow.rl, rl, far));
    e.assign(q, e.sel(slow.q, q, far));
    e.inline = false;
  });
  return { r, rl, q };
}

function trig(e: E, x: V, fn: 'sin' | 'cos' | 'tan'): V {
  const f64 = e.prec === 'f64';
  const { r, rl, q } = reduceHalfPi(e, e.abs(x));
  const z = e.mul(r, r);
  // 1 - z/2 rounds; its error (1 - w) - z/2 is exact and goes back in with the tail. rl enters to
  // first order (sin(r + rl) = sin r + rl cos r, ...) inside the tails, before the last rounding.
  const hz = e.mul(z, e.k(0.5));
  const w = e.sub(e.k(1), hz);
  let sTail = e.mul(e.mul(r, z), e.horner(z, f64 ? SIN_S64 : SIN_S32));
  let cTail = e.add(e.sub(e.sub(e.k(1), w), hz), e.mul(e.mul(z, z), e.horner(z, f64 ? COS_C64 : COS_C32)));
  if (f64) {
    sTail = e.add(sTail, e.mul(rl, w));
    cTail = e.sub(cTail, e.mul(rl, r));
  }
  const s = e.add(r, sTail);
  const c = e.add(w, cTail);
  const one = e.kb(1n);
  const odd = e.ieq(e.and(q, one), one);
  const sign = e.kb(SIGN);
  if (fn === 'tan') {
    // One correction step takes the divide's own rounding out: t + (num - t den) / den.
    const num = e.sel(e.neg(c), s, odd);
    const den = e.sel(s, c, odd);
    let t = e.div(num, den);
    if (f64) {
      const td = twoProd(e, t, den);
      t = e.add(t, e.div(e.sub(e.sub(num, td.p), td.err), den));
    }
    return e.xor(t, e.and(x, sign));
  }
  if (fn === 'sin') {
    const v = e.xor(e.sel(c, s, odd), e.and(e.shl(q, 62), sign));
    return e.xor(v, e.and(x, sign));
  }
  return e.xor(e.sel(s, c, odd), e.and(e.shl(e.iadd(q, one), 62), sign));
}
const sin = (e: E, x: V) => trig(e, x, 'sin');
const cos = (e: E, x: V) => trig(e, x, 'cos');
const tan = (e: E, x: V) => trig(e, x, 'tan');

// ------------------------------------------------------------------------------------------------
// Inverse trigonometric and hyperbolic functions

const PIO4_HI = 0.7853981633974483;
const PIO4_LO = 3.061616997868383e-17;
const PI_HI = 3.141592653589793;
const TAN_PI_8 = 0.41421356237309503;
const TAN_3PI_8 = 2.414213562373095;
// atan t = t + t z P(z), |t| <= tan(pi/8), z = t^2 (relative 2^-58.8 / 2^-30.5).
const ATAN_P64 = [
  -0.33333333333333204, 0.19999999999954868, -0.14285714280293352, 0.11111110787353007, -0.09090897852083597,
  0.07692061677448242, -0.06663118894300797, 0.05847987552030322, -0.05039713215596507, 0.038074251590330475,
  -0.017917214387241195,
];
const ATAN_P32 = [-0.3333331517547441, 0.19998470645500638, -0.1424351581570311, 0.10593676767472034, -0.06077857158488718];
// asin s = s + s z P(z), s <= 1/2, z = s^2 (2^-59.2 / 2^-31.8).
const ASIN_P64 = [
  0.1666666666666676, 0.07499999999970798, 0.04464285717461356, 0.03038194270771822, 0.022372214989121446,
  0.017351611992639748, 0.013980820746751192, 0.011398910909485587, 0.010780258970962448, 0.0037063883069334926,
  0.021707492039556527, -0.020999121427560014, 0.03262865848864218,
];
const ASIN_P32 = [
  0.16666659991282048, 0.07500504186034687, 0.044516954727052985, 0.03180772296672517, 0.014438585947531574,
  0.03751647815579991,
];
// sinh a = a + a z P(z), a < 1, z = a^2 (2^-56.6 / 2^-34.2).
const SINH_P64 = [
  0.16666666666666669, 0.008333333333333148, 0.00019841269841431873, 2.755731915707185e-6, 2.5052123136725876e-8,
  1.6057259768605444e-10, 7.758748802150536e-13,
];
const SINH_P32 = [0.16666666497561033, 0.008333350058167115, 0.00019836159778777968, 2.816951221938615e-6];

/** atan(a) for a >= 0 (or NaN, inf). */
function atanAbs(e: E, a: V): V {
  // a in (tan(pi/8), tan(3pi/8)]: pi/4 + atan((a-1)/(a+1)); above: pi/2 + atan(-1/a); one divide.
  const mid = e.gt(a, e.k(TAN_PI_8));
  const far = e.gt(a, e.k(TAN_3PI_8));
  const t = e.div(e.sel(e.k(-1), e.sel(e.sub(a, e.k(1)), a, mid), far), e.sel(a, e.sel(e.add(a, e.k(1)), e.k(1), mid), far));
  const offHi = e.sel(e.k(PIO2_HI), e.sel(e.k(PIO4_HI), e.k(0), mid), far);
  const offLo = e.sel(e.k(PIO2_LO), e.sel(e.k(PIO4_LO), e.k(0), mid), far);
  const z = e.mul(t, t);
  const tail = e.add(e.mul(e.mul(t, z), e.horner(z, e.prec === 'f64' ? ATAN_P64 : ATAN_P32)), offLo);
  return e.add(offHi, e.add(t, tail));
}

function atan(e: E, x: V): V {
  return e.withSign(atanAbs(e, e.abs(x)), x);
}

/**
 * atan2(y, x) from t = min(|x|,|y|) / max(|x|,|y|) in [0, 1]: then pi/2 - atan t (|y| > |x|) and
 * pi - that (x's sign bit set) never cancel more than 2x. 0/0 and inf/inf are t = 0 and t = 1, which
 * gives C's atan2(±0, ±0) and atan2(±inf, ±inf).
 */
function atan2(e: E, y: V, x: V): V {
  const ay = e.abs(y);
  const ax = e.abs(x);
  const swap = e.gt(ay, ax);
  const num = e.sel(ax, ay, swap);
  const den = e.sel(ay, ax, swap);
  let t = e.div(num, den);
  const inf = e.k(Infinity);
  t = e.sel(e.k(0), t, e.eq(den, e.k(0)));
  t = e.sel(e.k(1), t, e.and(e.eq(num, inf), e.eq(den, inf)));
  let v = atanAbs(e, t);
  v = e.sel(e.sub(e.k(PIO2_HI), e.sub(v, e.k(PIO2_LO))), v, swap);
  const negX = e.and(x, e.kb(SIGN));
  const flip = e.ieq(negX, e.kb(SIGN));
  v = e.sel(e.sub(e.k(PI_HI), e.sub(v, e.k(2 * PIO2_LO))), v, flip);
  return e.sel(e.k(NaN), e.withSign(v, y), e.or(e.ne(x, x), e.ne(y, y)));
}

/**
 * The shared part of asin and acos: for |x| <= 1/2, s = x and z = x^2; above, z = (1 - |x|)/2,
 * s = sqrt(z), and asin|x| = pi/2 - 2 asin(s). R = z P(z), so asin s = s + s R. w + c = sqrt(z) with
 * w's low 32 bits clear (w^2 exact): fdlibm's way to keep the sqrt's rounding out of pi/2 - 2s.
 */
function asinParts(e: E, x: V, a: V): { hiR: V; s: V; sq: V; R: V; w: V; c: V } {
  const hiR = e.gt(a, e.k(0.5));
  const z = e.sel(e.mul(e.sub(e.k(1), a), e.k(0.5)), e.mul(x, x), hiR);
  const sq = e.sqrt(z);
  const s = e.sel(sq, x, hiR);
  const R = e.mul(z, e.horner(z, e.prec === 'f64' ? ASIN_P64 : ASIN_P32));
  const w = e.and(sq, e.kb(0xffffffff00000000n));
  const c = e.div(e.sub(z, e.mul(w, w)), e.max(e.add(sq, w), e.k(2 ** -1000)));
  return { hiR, s, sq, R, w, c };
}

function asin(e: E, x: V): V {
  const a = e.abs(x);
  const { hiR, sq, R, w, c } = asinParts(e, x, a);
  const small = e.add(a, e.mul(a, R));
  // pi/4 - ((2 sq R - (PIO2_LO - 2c)) - (pi/4 - 2w))
  const two = e.k(2);
  const p = e.sub(e.mul(two, e.mul(sq, R)), e.sub(e.k(PIO2_LO), e.mul(two, c)));
  const big = e.sub(e.k(PIO4_HI), e.sub(p, e.sub(e.k(PIO4_HI), e.mul(two, w))));
  return e.withSign(e.sel(big, small, hiR), x);
}

function acos(e: E, x: V): V {
  const a = e.abs(x);
  const { hiR, sq, R, w, c } = asinParts(e, x, a);
  const two = e.k(2);
  // |x| <= 1/2: pi/2 - (x + x R); x > 1/2: 2 asin(s); x < -1/2: pi - 2 asin(s).
  const mid = e.sub(e.k(PIO2_HI), e.sub(x, e.sub(e.k(PIO2_LO), e.mul(x, R))));
  const pos = e.mul(two, e.add(w, e.add(c, e.mul(sq, R))));
  const neg = e.sub(e.k(PI_HI), e.mul(two, e.add(sq, e.sub(e.mul(sq, R), e.k(PIO2_LO)))));
  return e.sel(e.sel(pos, neg, e.gt(x, e.k(0))), mid, hiR);
}

/** exp(|x|)/2, finite up to where sinh and cosh overflow. */
function expHalf(e: E, a: V): V {
  const f64 = e.prec === 'f64';
  return expCore(e, e.min(a, e.k(f64 ? 711 : 100)), f64, true);
}

function sinh(e: E, x: V): V {
  const a = e.abs(x);
  const z = e.mul(a, a);
  const small = e.add(a, e.mul(e.mul(a, z), e.horner(z, e.prec === 'f64' ? SINH_P64 : SINH_P32)));
  // From 1 on e^a/2 - e^-a/2 cancels by at most 1.16x.
  const h = expHalf(e, a);
  const big = e.sub(h, e.div(e.k(0.25), h));
  return e.withSign(e.sel(small, big, e.lt(a, e.k(1))), x);
}

function cosh(e: E, x: V): V {
  const h = expHalf(e, e.abs(x));
  return e.add(h, e.div(e.k(0.25), h));
}

// ------------------------------------------------------------------------------------------------
// pow

// log(1+f) = 2s + (2/3) s^3 + s^5 T(z), z = s^2 (T relative 2^-53.8; its term is 2^-12.5 of the log).
const LOG_T64 = [
  0.4, 0.2857142857142937, 0.22222222221654542, 0.18181818335675026, 0.15384594934338433, 0.13334806136887592,
  0.1170619972838715, 0.11723543246857214,
];
const TWO_THIRDS_HI = 0.6666666666666666;
const TWO_THIRDS_LO = 3.700743415417188e-17;
const SPLITTER = 134217729; // 2^27 + 1

/** a b = p + err exactly (Dekker; |a|, |b| below 2^996 so the splits cannot overflow). */
function twoProd(e: E, a: V, b: V): { p: V; err: V } {
  const split = (v: V) => {
    const c = e.mul(v, e.k(SPLITTER));
    const h = e.sub(c, e.sub(c, v));
    return [h, e.sub(v, h)] as const;
  };
  const p = e.mul(a, b);
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const err = e.add(e.add(e.add(e.sub(e.mul(ah, bh), p), e.mul(ah, bl)), e.mul(al, bh)), e.mul(al, bl));
  return { p, err };
}

/** s + l = a + b exactly. */
function twoSum(e: E, a: V, b: V): { s: V; l: V } {
  const s = e.add(a, b);
  const bb = e.sub(s, a);
  return { s, l: e.add(e.sub(a, e.sub(s, bb)), e.sub(b, bb)) };
}

/**
 * log(a) as a double-double hi + lo, relative error about 2^-64, for finite a > 0: pow needs it,
 * since y log(a) up to ~745 must be good to 2^-54 absolute. s = f/(2+f) is carried as s + sl, and
 * 2s + (2/3)s^3 in double-double; only the s^5 tail is plain double.
 */
function logDD(e: E, a: V): { hi: V; lo: V } {
  const sub = e.lt(a, e.k(2.2250738585072014e-308));
  const x = e.sel(e.mul(a, e.k(18014398509481984)), a, sub);
  const d = e.isub(x, e.kb(SQRT_HALF_BITS));
  const kf = e.sub(e.sub(e.iadd(e.shr(d, 52), e.kb(MAGIC_BITS)), e.k(MAGIC)), e.and(sub, e.k(54)));
  const f = e.sub(e.iadd(e.and(d, e.kb(MANT)), e.kb(SQRT_HALF_BITS)), e.k(1));
  const t = e.add(f, e.k(2));
  const tl = e.add(e.sub(e.k(2), t), f);
  const s = e.div(f, t);
  const st = twoProd(e, s, t);
  const sl = e.div(e.sub(e.sub(e.sub(f, st.p), st.err), e.mul(s, tl)), t);
  // s^3 = (s + sl)^3 to double-double: z = s^2 + zl, then z s.
  const zz = twoProd(e, s, s);
  const zl = e.add(zz.err, e.mul(e.add(s, s), sl));
  const s3 = twoProd(e, zz.p, s);
  const s3l = e.add(s3.err, e.add(e.mul(zl, s), e.mul(zz.p, sl)));
  const c3 = twoProd(e, s3.p, e.k(TWO_THIRDS_HI));
  const c3l = e.add(c3.err, e.add(e.mul(s3l, e.k(TWO_THIRDS_HI)), e.mul(s3.p, e.k(TWO_THIRDS_LO))));
  const tail = e.mul(e.mul(s3.p, zz.p), e.horner(zz.p, LOG_T64));
  // k ln2 + 2s + c3 + tail
  const a1 = twoSum(e, e.mul(kf, e.k(L2HI)), e.add(s, s));
  const a2 = twoSum(e, a1.s, c3.p);
  const lo = e.add(e.add(e.add(a1.l, a2.l), e.add(e.add(sl, sl), c3l)), e.add(tail, e.mul(kf, e.k(L2LO))));
  const hi = e.add(a2.s, lo);
  return { hi, lo: e.sub(lo, e.sub(hi, a2.s)) };
}

/**
 * pow with C99's (and PyTorch's) special cases: pow(x, ±0) = 1 and pow(1, y) = 1 even for NaN,
 * pow(-1, ±inf) = 1, NaN for a negative finite x and a finite non-integer y, the sign of x for odd
 * integer y. |x|^y = exp(y log|x|), the product and the log in double-double for float64.
 */
function pow(e: E, x: V, y: V): V {
  const f64 = e.prec === 'f64';
  const ax = e.abs(x);
  let mag: V;
  if (f64) {
    const L = logDD(e, ax);
    // Past 2^900 any |y log|x|| (x != 1) overflows exp either way; below it the splits are safe.
    const yc = e.min(e.max(y, e.k(-(2 ** 900))), e.k(2 ** 900));
    const w = twoProd(e, yc, L.hi);
    // Where w is clamped the result is 0 or inf anyway; its low part must not drag r along.
    const wl = e.min(e.max(e.add(w.err, e.mul(yc, L.lo)), e.k(-1e-10)), e.k(1e-10));
    const wh = e.min(e.max(w.p, e.k(-746)), e.k(710));
    const t = e.add(e.mul(wh, e.k(LOG2E)), e.k(MAGIC));
    const n = e.sub(t, e.k(MAGIC));
    const r = e.add(e.sub(e.sub(wh, e.mul(n, e.k(L2HI))), e.mul(n, e.k(L2LO))), wl);
    const { s1, s2 } = splitScale(e, t);
    mag = e.mul(e.mul(e.add(expm1Poly(e, r), e.k(1)), s1), s2);
  } else {
    // float32: |y log|x|| < 110 matters, and double's log is good to 2^-52 of it.
    const w = e.mul(y, logCore(e, ax));
    mag = expCore(e, e.min(e.max(w, e.k(-110)), e.k(100)), false);
  }
  const zero = e.k(0);
  const inf = e.k(Infinity);
  const one = e.k(1);
  const yNeg = e.lt(y, zero);
  // |x| = 0 or inf, y = ±inf: 0 or inf by which side of 1 |x| is on and y's sign.
  mag = e.sel(e.sel(inf, zero, yNeg), mag, e.eq(ax, zero));
  mag = e.sel(e.sel(zero, inf, yNeg), mag, e.eq(ax, inf));
  const yInf = e.eq(e.abs(y), inf);
  mag = e.sel(e.sel(inf, zero, e.ieq(e.gt(ax, one), e.gt(y, zero))), mag, yInf);
  mag = e.sel(one, mag, e.and(yInf, e.eq(ax, one)));
  // Odd integer y: the sign of x; negative finite x with a finite non-integer y: NaN.
  const isInt = e.eq(e.trunc(y), y);
  const odd = e.and(isInt, e.ne(e.mul(e.trunc(e.mul(y, e.k(0.5))), e.k(2)), y));
  let v = e.xor(mag, e.and(e.and(x, e.kb(SIGN)), odd));
  const bad = e.andnot(e.and(e.and(e.lt(x, zero), e.ne(ax, inf)), e.lt(e.abs(y), inf)), isInt);
  v = e.sel(e.k(NaN), v, bad);
  v = e.sel(e.k(NaN), v, e.or(e.ne(x, x), e.ne(y, y)));
  return e.sel(one, v, e.or(e.eq(y, zero), e.eq(x, one)));
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

const BODIES: Record<MathOp, Body> = {
  exp, expm1, log, log1p, tanh, sigmoid, erf, sin, cos, tan, asin, acos, atan, sinh, cosh,
};
const BODIES2: Record<MathOp2, (e: E, a: V, b: V) => V> = { pow, atan2 };

/** The unary ops implemented, for both dtypes. */
export const MATH_OPS: readonly MathOp[] = Object.keys(BODIES) as MathOp[];
/** The binary ops implemented, for both dtypes: pow(a, b) = a^b, atan2(a, b) = atan2(y = a, x = b). */
export const MATH_OPS2: readonly MathOp2[] = Object.keys(BODIES2) as MathOp2[];

const LOW_TO_HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
const JOIN_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

type Run = (e: E, args: V[]) => V;

/**
 * `run` on the v128s in locals args[j][v] (argument j, vector v; f32x4 or f64x2 lanes), all vectors
 * interleaved; returns the locals that hold the results. float32 vectors become two f64x2 halves
 * each unless a native f32x4 version is given.
 */
function emitLocals(f: Fn, dtype: VDType, args: readonly (readonly number[])[], pool: ConstPool, run: Run, native?: Run): number[] {
  const count = args[0]!.length;
  if (dtype === 'float64') return [...run(new E(f, 'f64', count, pool), args as V[])];
  if (native) return [...native(new E(f, 'f32', count, pool, 'f32x4'), args as V[])];
  const halves = args.map((xs) =>
    xs.flatMap((x4) => {
      const lo = f.local('v128');
      const hi = f.local('v128');
      f.get(x4).op('f64x2.promote_low_f32x4').set(lo);
      f.get(x4).get(x4);
      shuffle(f, LOW_TO_HIGH);
      f.op('f64x2.promote_low_f32x4').set(hi);
      return [lo, hi];
    }),
  );
  const r = run(new E(f, 'f32', 2 * count, pool), halves);
  return Array.from({ length: count }, (_, i) => {
    const out = f.local('v128');
    f.get(r[2 * i]!).op('f32x4.demote_f64x2_zero');
    f.get(r[2 * i + 1]!).op('f32x4.demote_f64x2_zero');
    shuffle(f, JOIN_LOWS);
    f.set(out);
    return out;
  });
}

function runner(op: MathOp | MathOp2): { run: Run; native?: Run } {
  if (op in BODIES) {
    const body = BODIES[op as MathOp];
    const native = NATIVE32[op as MathOp];
    return { run: (e, [x]) => body(e, x!), native: native && ((e, [x]) => native(e, x!)) };
  }
  const body2 = BODIES2[op as MathOp2];
  if (!body2) throw new Error(`vmath: no ${op}`);
  return { run: (e, [a, b]) => body2(e, a!, b!) };
}

/** Stack form: pops `arity` v128s (first argument deepest), pushes the result. */
function emitStack(f: Fn, op: MathOp | MathOp2, arity: number, dtype: VDType, pool?: ConstPool): void {
  const start = f.code.length;
  const own = pool ?? new ConstPool(f);
  const args = Array.from({ length: arity }, () => [f.local('v128')]);
  for (let j = arity - 1; j >= 0; j--) f.set(args[j]![0]!);
  const { run, native } = runner(op);
  const [r] = emitLocals(f, dtype, args, own, run, native);
  f.get(r!);
  // The constants' set-up is stack-neutral, so it can go before the sets of the arguments.
  if (!pool) own.hoist(start);
}

/**
 * Emits code that takes a v128 (f32x4 or f64x2 lanes) from the top of the stack and leaves op(x) in
 * its place; allocates locals on f. Constants go through `pool` when given (hoist it before the
 * loop), else they are set up at this point of the code.
 */
export function emitMath(f: Fn, op: MathOp, dtype: VDType, pool?: ConstPool): void {
  emitStack(f, op, 1, dtype, pool);
}

/** emitMath for the binary ops: takes a then b (b on top), leaves op(a, b). */
export function emitMath2(f: Fn, op: MathOp2, dtype: VDType, pool?: ConstPool): void {
  emitStack(f, op, 2, dtype, pool);
}

export type MathKernel = (inPtr: number, outPtr: number, n: number) => void;
export type MathKernel2 = (aPtr: number, bPtr: number, outPtr: number, n: number) => void;
const kernels = new Map<string, (...ptrs: number[]) => void>();

/** Vectors per main-loop iteration: enough independent chains to keep the core busy. */
const UNROLL = { float32: 2, float64: 2 } as const;

/** A loop over n contiguous elements of `arity` inputs (params 0..arity-1) into params[arity]. */
function buildKernel(op: MathOp | MathOp2, arity: number, dtype: VDType): (...ptrs: number[]) => void {
  const key = `${op}:${dtype}`;
  const have = kernels.get(key);
  if (have) return have;
  const size = dtype === 'float32' ? 4 : 8;
  const u = UNROLL[dtype];
  const f = new Fn(Array.from({ length: arity + 2 }, () => 'i32' as const));
  const outP = arity;
  const nP = arity + 1;
  const pool = new ConstPool(f);
  const { run, native } = runner(op);
  const [i, end, uend, vend] = [f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32')];
  const start = f.code.length;
  f.get(nP).i32(size).op('i32.mul').tee(end);
  f.i32(-16 * u).op('i32.and').set(uend);
  f.get(end).i32(-16).op('i32.and').set(vend);
  const vectors = (count: number) => (g: Fn) => {
    const args = Array.from({ length: arity }, (_, a) =>
      Array.from({ length: count }, (_, j) => {
        const x = g.local('v128');
        g.get(a).get(i).op('i32.add').mem('v128.load', 16 * j).set(x);
        return x;
      }),
    );
    const rs = emitLocals(g, dtype, args, pool, run, native);
    rs.forEach((r, j) => g.get(outP).get(i).op('i32.add').get(r).mem('v128.store', 16 * j));
  };
  // u vectors at a time, then single vectors, then the last n mod lanes elements one at a time in
  // lane 0 of a zeroed vector (nothing past n is read or written).
  f.forLoop(i, (g) => g.i32(0), (g) => g.get(uend), 16 * u, vectors(u));
  if (u > 1) f.forLoop(i, (g) => g.get(uend), (g) => g.get(vend), 16, vectors(1));
  f.forLoop(i, (g) => g.get(vend), (g) => g.get(end), size, (g) => {
    const args = Array.from({ length: arity }, (_, a) => {
      const x = g.local('v128');
      g.get(a).get(i).op('i32.add').mem(size === 4 ? 'v128.load32_zero' : 'v128.load64_zero').set(x);
      return [x];
    });
    const [r] = emitLocals(g, dtype, args, pool, run, native);
    g.get(outP).get(i).op('i32.add').get(r!);
    if (size === 4) g.lane('f32x4.extract_lane', 0).mem('f32.store');
    else g.lane('f64x2.extract_lane', 0).mem('f64.store');
  });
  pool.hoist(start);
  const fn = instantiate([{ name: 'k', fn: f }]).k as (...ptrs: number[]) => void;
  kernels.set(key, fn);
  return fn;
}

/** op over n contiguous elements at inPtr into outPtr (byte addresses; in place allowed). */
export function mathKernel(op: MathOp, dtype: VDType): MathKernel {
  const fn = buildKernel(op, 1, dtype);
  return (inPtr, outPtr, n) => fn(inPtr, outPtr, n);
}

/** op(a[i], b[i]) over n contiguous elements (byte addresses; out may alias an input). */
export function mathKernel2(op: MathOp2, dtype: VDType): MathKernel2 {
  const fn = buildKernel(op, 2, dtype);
  return (aPtr, bPtr, outPtr, n) => fn(aPtr, bPtr, outPtr, n);
}
