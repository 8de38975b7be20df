// Accuracy of the generated SIMD math kernels (src/backend/wasm/vmath.ts): 10^6 points per op and
// dtype (pow float64: 5 * 10^5, its reference is the slowest), a deterministic mix of wide-range,
// typical-range, log-uniform and random-bit inputs, plus fixed edge cases and their neighbours.
//
// float32 is measured against Math.fround(Math.X(x)) (or the float64 references below, rounded):
// JS's Math is within about 1 float64 ulp, 2^-29 of a float32 ulp, so that is the correctly rounded
// float32 result but for double-rounding ties, and the bound is 2 float32 ulp (counted as the number
// of floats between). float64 is measured against double-double references written here (exp, expm1,
// log, log1p, tanh, sigmoid, erf, pow: about 100 bits, so their own error is nothing next to an ulp),
// with the 4-ulp bound; where the reference is JS's Math itself (trig, inverse trig, sinh, cosh,
// atan2), Math can be up to one ulp off, so the bound checked against it is 3 ulp, which keeps the
// true error within 4. Special values (NaN, ±inf, signed zeros) must match exactly; pow follows C99
// (pow(1, NaN) = 1, pow(-1, ±inf) = 1), where JS's Math.pow says NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MATH_OPS, MATH_OPS2, emitMath, emitMath2, mathKernel, mathKernel2, type MathOp, type MathOp2, type VDType } from '../src/backend/wasm/vmath.js';
import { Fn } from '../src/backend/wasm/asm.js';
import { instantiate } from '../src/backend/wasm/memory.js';
import { ensureBytes, memory } from '../src/backend/wasm/memory.js';
import { mulberry } from './support/samples.js';


// ------------------------------------------------------------------------------------------------
// Double-double arithmetic. Results are the high part; the low part of the last result is left in
// `L` (no allocation per operation: the references run on millions of points).

let L = 0;
const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  L = a - (s - bb) + (b - bb);
  return s;
}
function fastTwoSum(a: number, b: number): number {
  const s = a + b;
  L = b - (s - a);
  return s;
}
function twoProd(a: number, b: number): number {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  L = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}
function ddAdd(ah: number, al: number, bh: number, bl: number): number {
  let s = twoSum(ah, bh);
  let e = L;
  const t = twoSum(al, bl);
  const f = L;
  e += t;
  s = fastTwoSum(s, e);
  e = L + f;
  return fastTwoSum(s, e);
}
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  return fastTwoSum(p, L + (ah * bl + al * bh));
}
function ddDiv(ah: number, al: number, bh: number, bl: number): number {
  const q1 = ah / bh;
  let p = twoProd(q1, bh);
  let pl = L + q1 * bl;
  let r = ddAdd(ah, al, -p, -pl);
  let rl = L;
  const q2 = r / bh;
  p = twoProd(q2, bh);
  pl = L + q2 * bl;
  r = ddAdd(r, rl, -p, -pl);
  rl = L;
  const q3 = r / bh;
  const s = fastTwoSum(q1, q2);
  return ddAdd(s, L, q3, 0);
}

/** x 2^k in two steps, so that 2^k itself need not be a finite double. */
const scale2 = (x: number, k: number): number => x * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));

/** A reference value (h + l) * 2^e: the scale keeps extreme results out of double-double's range. */
interface Ref {
  h: number;
  l: number;
  e: number;
}
const R = (h: number, l: number, e = 0): Ref => ({ h, l, e });

const LN2H = 0.6931471805599453;
const LN2L = 2.3190468138462996e-17;
const TWO_SQRTPI_H = 1.1283791670955126;
const TWO_SQRTPI_L = 1.533545961316588e-17;
const INV_SQRTPI = 0.5641895835477563;

/** Double-double constants c[k] = num(k) / den(k), as [hi, lo] pairs. */
function ddTable(n: number, num: (k: number) => number, den: (k: number) => number): Float64Array {
  const t = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    t[2 * k] = ddDiv(num(k), 0, den(k), 0);
    t[2 * k + 1] = L;
  }
  return t;
}
/** 1/k! for k = 0..13 (built by division chains so every entry is a full double-double). */
const INV_FACT = (() => {
  const t = new Float64Array(28);
  t[0] = 1;
  for (let k = 1; k < 14; k++) {
    t[2 * k] = ddDiv(t[2 * k - 2]!, t[2 * k - 1]!, k, 0);
    t[2 * k + 1] = L;
  }
  return t;
})();
/** 2/(2n+3), the ratio of consecutive terms of erf's positive series (times x^2). */
const ERF_RATIO = ddTable(200, () => 2, (n) => 2 * n + 3);

/** expm1 of a double-double r with |r| <= 0.36: Taylor on r / 256, then e(2y) = e(y) (e(y) + 2). */
function expm1Small(rh: number, rl: number): number {
  const yh = rh / 256;
  const yl = rl / 256;
  // y + y^2 (1/2! + y (1/3! + ... + y / 13!))
  let ph = INV_FACT[26]!;
  let pl = INV_FACT[27]!;
  for (let k = 12; k >= 2; k--) {
    ph = ddMul(ph, pl, yh, yl);
    ph = ddAdd(ph, L, INV_FACT[2 * k]!, INV_FACT[2 * k + 1]!);
    pl = L;
  }
  ph = ddMul(ph, pl, yh, yl);
  ph = ddMul(ph, L, yh, yl);
  let sh = ddAdd(ph, L, yh, yl);
  let sl = L;
  for (let i = 0; i < 8; i++) {
    const ph = ddAdd(sh, sl, 2, 0);
    const pl = L;
    sh = ddMul(sh, sl, ph, pl);
    sl = L;
  }
  L = sl;
  return sh;
}

/** x = n ln2 + r; returns n and leaves r in (rH, rL). */
let rH = 0;
let rL = 0;
function reduce(xh: number, xl: number): number {
  const n = Math.round(xh / LN2H);
  const p = twoProd(n, LN2H);
  const pl = L + n * LN2L;
  rH = ddAdd(xh, xl, -p, -pl);
  rL = L;
  return n;
}

function expRef(xh: number, xl = 0): Ref {
  if (Number.isNaN(xh)) return R(NaN, 0);
  if (xh > 720) return R(Infinity, 0);
  if (xh < -760) return R(0, 0);
  const n = reduce(xh, xl);
  const m = expm1Small(rH, rL);
  const h = ddAdd(1, 0, m, L);
  return R(h, L, n);
}

function expm1Ref(x: number): Ref {
  if (Number.isNaN(x)) return R(NaN, 0);
  if (x > 720) return R(Infinity, 0);
  if (x < -80) return R(-1, Math.exp(x));
  if (Math.abs(x) < 2 ** -60) return R(x, (x * x) / 2);
  const n = reduce(x, 0);
  const m = expm1Small(rH, rL);
  if (n > 60) {
    const h = ddAdd(1, 0, m, L);
    return R(h, L, n);
  }
  // 2^n m + (2^n - 1), with 2^n - 1 exact as the pair (2^n, -1).
  const s = 2 ** n;
  const ml = L;
  const a = ddAdd(m * s, ml * s, s, 0);
  const h = ddAdd(a, L, -1, 0);
  return R(h, L);
}

function log1pRef(x: number): Ref {
  if (Number.isNaN(x) || x < -1) return R(NaN, 0);
  if (x === -1) return R(-Infinity, 0);
  if (x === Infinity) return R(Infinity, 0);
  if (x === 0) return R(x, 0);
  if (Math.abs(x) < 0.5) {
    // Newton on expm1(y) = x: y - (expm1(y) - x) / (expm1(y) + 1), all relative to y.
    const y = Math.log1p(x);
    const m = expm1Ref(y);
    const d = ddAdd(m.h, m.l, -x, 0);
    const dl = L;
    const q = ddDiv(d, dl, ddAdd(m.h, m.l, 1, 0), L);
    const h = ddAdd(y, 0, -q, -L);
    return R(h, L);
  }
  const uh = twoSum(1, x);
  return logOf(uh, L);
}

/** log of a double-double u > 0 away from 1: y + (u / exp(y) - 1), y = Math.log(u). */
function logOf(uh: number, ul: number): Ref {
  const y = Math.log(uh);
  const E = expRef(y);
  const q = ddDiv(scale2(uh, -E.e), scale2(ul, -E.e), E.h, E.l);
  const t = ddAdd(q, L, -1, 0);
  const h = ddAdd(y, 0, t, L);
  return R(h, L);
}

function logRef(x: number): Ref {
  if (Number.isNaN(x) || x < 0) return R(NaN, 0);
  if (x === 0) return R(-Infinity, 0);
  if (x === Infinity) return R(Infinity, 0);
  if (x >= 0.5 && x <= 2) return log1pRef(x - 1);
  return logOf(x, 0);
}

function tanhRef(x: number): Ref {
  if (Number.isNaN(x)) return R(NaN, 0);
  const a = Math.abs(x);
  const sg = x < 0 || Object.is(x, -0) ? -1 : 1;
  if (a < 2 ** -30) return R(x, (-x * x * x) / 3);
  if (a > 40) return R(sg, -sg * 2 * Math.exp(-2 * a));
  const m = expm1Ref(2 * a);
  const mh = scale2(m.h, m.e);
  const ml = scale2(m.l, m.e);
  const h = ddDiv(mh, ml, ddAdd(mh, ml, 2, 0), L);
  return R(sg * h, sg * L);
}

function sigmoidRef(x: number): Ref {
  if (Number.isNaN(x)) return R(NaN, 0);
  const t = expRef(-Math.abs(x));
  const s = 2 ** Math.max(t.e, -1000);
  const dh = ddAdd(1, 0, t.h * s, t.l * s);
  const dl = L;
  if (x >= 0) {
    const h = ddDiv(1, 0, dh, dl);
    return R(h, L);
  }
  const h = ddDiv(t.h, t.l, dh, dl);
  return R(h, L, t.e);
}

function erfRef(x: number): Ref {
  if (Number.isNaN(x)) return R(NaN, 0);
  const a = Math.abs(x);
  const sg = x < 0 || Object.is(x, -0) ? -1 : 1;
  if (x === 0) return R(x, 0);
  if (a < 1e-150) {
    // 2/sqrt(pi) x, scaled up so the low part survives for subnormal x.
    const h = ddMul(TWO_SQRTPI_H, TWO_SQRTPI_L, x * 2 ** 600, 0);
    return R(h, L, -600);
  }
  if (a <= 3) {
    // erf x = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1 3 5 ... (2n+1)): positive terms only.
    const zh = twoProd(a, a);
    const zl = L;
    let th = a;
    let tl = 0;
    let sh = a;
    let sl = 0;
    for (let n = 0; n < 200; n++) {
      th = ddMul(th, tl, zh, zl);
      th = ddMul(th, L, ERF_RATIO[2 * n]!, ERF_RATIO[2 * n + 1]!);
      tl = L;
      sh = ddAdd(sh, sl, th, tl);
      sl = L;
      if (th < sh * 1e-34) break;
    }
    const E = expRef(-zh, -zl);
    const s = 2 ** E.e;
    let h = ddMul(sh, sl, E.h * s, E.l * s);
    h = ddMul(h, L, TWO_SQRTPI_H, TWO_SQRTPI_L);
    return R(sg * h, sg * L);
  }
  if (a > 30) return R(sg, 0);
  // erfc by its continued fraction, in double: erfc < 2.3e-5 here, so its relative error 1e-15
  // is below 2^-68 of erf.
  let k = 0;
  for (let n = 80; n >= 1; n--) k = n / 2 / (a + k);
  const erfc = (Math.exp(-a * a) * INV_SQRTPI) / (a + k);
  return R(sg, -sg * erfc);
}

/** erf in plain double arithmetic (relative error ~1e-15, plenty for float32): same series. */
function erfDouble(x: number): number {
  const a = Math.abs(x);
  if (Number.isNaN(x) || a === 0 || a > 30) return Number.isNaN(x) ? NaN : a === 0 ? x : Math.sign(x);
  if (a <= 3) {
    const z = a * a;
    let t = a;
    let s = a;
    for (let n = 0; n < 200 && t > s * 1e-17; n++) {
      t *= (2 * z) / (2 * n + 3);
      s += t;
    }
    return Math.sign(x) * s * Math.exp(-z) * TWO_SQRTPI_H;
  }
  let k = 0;
  for (let n = 80; n >= 1; n--) k = n / 2 / (a + k);
  return Math.sign(x) * (1 - (Math.exp(-a * a) * INV_SQRTPI) / (a + k));
}

const expo = (y: number): number => {
  let e = Math.floor(Math.log2(y));
  if (2 ** e > y) e--;
  else if (2 ** (e + 1) <= y) e++;
  return e;
};

/** |got - ref| in ulps of the reference (float64); Infinity for a wrong special value. */
function ulpErr64(got: number, r: Ref): number {
  const v = scale2(r.h, r.e);
  if (Number.isNaN(r.h)) return Number.isNaN(got) ? 0 : Infinity;
  if (!Number.isFinite(r.h) || (r.h === 0 && r.l === 0)) return Object.is(got, r.h) ? 0 : Infinity;
  if (!Number.isFinite(got)) {
    // Overflow: the correctly rounded result is inf from DBL_MAX + half an ulp on.
    return Math.abs(v) >= 1.7976931348623157e308 * (1 + 2 ** -54) && got === Math.sign(v) * Infinity ? 0 : Infinity;
  }
  if (got === 0 && v !== 0 && Math.abs(v) >= 2 ** -1074) return Infinity;
  const g = scale2(got, -r.e);
  const d = g - r.h - r.l;
  const ulpExp = Math.max(-1074 - r.e, expo(Math.abs(r.h)) - 52);
  return Math.abs(d) / 2 ** ulpExp;
}

// float32 ordinals: the number of floats between two values is the difference of these.
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
function ord32(x: number): number {
  f32[0] = x;
  const i = i32[0]!;
  return i < 0 ? -(i & 0x7fffffff) : i;
}
function ulpErr32(got: number, ref: number): number {
  if (Number.isNaN(ref)) return Number.isNaN(got) ? 0 : Infinity;
  if (ref === 0 || !Number.isFinite(ref)) return Object.is(got, ref) ? 0 : Infinity;
  if (Number.isNaN(got)) return Infinity;
  return Math.abs(ord32(got) - ord32(ref));
}

// ------------------------------------------------------------------------------------------------
// Inputs


interface Spec {
  /** The range where the function does something (uniform samples). */
  wide: [number, number];
  /** Where typical data lives. */
  narrow: [number, number];
  edges: number[];
  ref64: (x: number) => Ref;
  ref32: (x: number) => number;
  /** ref64 is JS's Math (about 1 ulp itself): bound 3 ulp instead of 4. */
  math?: boolean;
}

const TRIG_EDGES = [
  1.5707963267948966, 3.141592653589793, 4.71238898038469, 6.283185307179586, 0.7853981633974483, 2.356194490192345,
  1e8, 1.05e8, 99999999.5, 1e10, 1e15, 1e22, 2 ** 52, 2 ** 53, 2 ** 60, 2 ** 100, 2 ** 500, 2 ** 1000, 1e300,
  6381956970095103 * 2 ** 797, 5.319372648326541e255, 2 ** 1023, 8.98846567431158e307, 355, 103993, 312689,
  33102, 1.7e38, 1e30, 16777216, 2 ** 127,
];
const TAN_PI_8 = 0.41421356237309503;
const ASIN_EDGES = [0.5, -0.5, 0.49999999999999994, 0.5000000000000001, 0.975, 0.9999999999999999, -0.9999999999999999,
  1.0000000000000002, 0.7071067811865476, 1e-8, 0.99999994, 0.5000001];
const HYP_EDGES = [710.4758600739439, 710.475860073944, 710.48, 709.78, 89.41598629223294, 89.416, 0.9999999999999999,
  1.0000000000000002, 22, 1e-8, -710.4758600739439];
const fromMath = (fn: (x: number) => number) => (x: number): Ref => R(fn(x), 0);

const F32_MIN_SUB = 1.401298464324817e-45;
const F32_MAX = 3.4028234663852886e38;
const COMMON_EDGES = [
  0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308,
  2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308, F32_MIN_SUB, -F32_MIN_SUB,
  1.1754943508222875e-38, 1.1754942106924411e-38, F32_MAX, -F32_MAX, 1, -1, 0.5, -0.5, 2, -2, 1e-10, -1e-10,
  1e-20, -1e-20, 1e-300, -1e-300, 1e300, -1e300, 1 + 2 ** -52, 1 - 2 ** -53, -1 + 2 ** -53, -1 - 2 ** -52,
  2 ** -27, 2 ** -54, 0.34657359027997264, -0.34657359027997264, 0.6931471805599453, 3, -3, 10, -10, 100, -100,
];

const SPECS: Partial<Record<MathOp, Spec>> = {
  exp: {
    wide: [-750, 720],
    narrow: [-10, 10],
    edges: [709.782712893384, 709.7827128933841, 709.78, -745.1332191019411, -745.1332191019412, -708.3964185322641,
      -708.4, -744.44007192138126, 88.72283935546875, 88.72284, 88.7228, -103.97207708, -103.972, -87.3365447505531,
      -87.34, 1e-16, -1e-16, 710, -746],
    ref64: (x) => expRef(x),
    ref32: (x) => Math.fround(Math.exp(x)),
  },
  expm1: {
    wide: [-60, 720],
    narrow: [-2, 2],
    edges: [709.782712893384, 709.7827128933841, -37.42994775023705, -38.5, -45, -17.3, 88.72283935546875, 88.72284,
      0.34657359027997264, 0.3465735902799727, 1e-16, -1e-16, 1e-5, -1e-5],
    ref64: expm1Ref,
    ref32: (x) => Math.fround(Math.expm1(x)),
  },
  log: {
    wide: [0, 10],
    narrow: [0.25, 4],
    edges: [0.7071067811865476, 0.7071067811865475, 1.4142135623730951, 1.414213562373095, 0.9999999999999999,
      1.0000000000000002, 0.999, 1.001, 2.718281828459045],
    ref64: logRef,
    ref32: (x) => Math.fround(Math.log(x)),
  },
  log1p: {
    wide: [-1, 10],
    narrow: [-0.5, 1],
    edges: [-0.9999999999999999, -0.99999994, 0.41421356237309503, -0.2928932188134524, 1e-16, -1e-16, 2 ** -53,
      -(2 ** -53), 2 ** -60, 1e-8, -1e-8, 9007199254740992, 9007199254740994],
    ref64: log1pRef,
    ref32: (x) => Math.fround(Math.log1p(x)),
  },
  tanh: {
    wide: [-25, 25],
    narrow: [-3, 3],
    edges: [19.06, 19.07, 22, -22, 9.01, 9.1, -9.01, 0.55, -0.55, 1e-8, -1e-8, 2 ** -30, 0.17328679513998632],
    ref64: tanhRef,
    ref32: (x) => Math.fround(Math.tanh(x)),
  },
  sigmoid: {
    wide: [-760, 760],
    narrow: [-8, 8],
    edges: [-745, -745.1332191019411, -744, -708.4, -103.97, -104, -88, 36.04, 36.05, 37, 16.64, 17.33, 746, -746],
    ref64: sigmoidRef,
    ref32: (x) => Math.fround(x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  },
  erf: {
    wide: [-7, 7],
    narrow: [-2, 2],
    edges: [0.84375, 1, 1.25, 2.857142857142857, 3, 4, 5.9, 5.92, 5.93, 6, 3.9, 3.92, 4.1, -5.93, 1e-8, 2 ** -28],
    ref64: erfRef,
    ref32: (x) => Math.fround(erfDouble(x)),
  },
  sin: { wide: [-1e6, 1e6], narrow: [-7, 7], edges: TRIG_EDGES, ref64: fromMath(Math.sin), math: true, ref32: (x) => Math.fround(Math.sin(x)) },
  cos: { wide: [-1e6, 1e6], narrow: [-7, 7], edges: TRIG_EDGES, ref64: fromMath(Math.cos), math: true, ref32: (x) => Math.fround(Math.cos(x)) },
  tan: { wide: [-1e6, 1e6], narrow: [-7, 7], edges: TRIG_EDGES, ref64: fromMath(Math.tan), math: true, ref32: (x) => Math.fround(Math.tan(x)) },
  asin: { wide: [-1.1, 1.1], narrow: [-1, 1], edges: ASIN_EDGES, ref64: fromMath(Math.asin), math: true, ref32: (x) => Math.fround(Math.asin(x)) },
  acos: { wide: [-1.1, 1.1], narrow: [-1, 1], edges: ASIN_EDGES, ref64: fromMath(Math.acos), math: true, ref32: (x) => Math.fround(Math.acos(x)) },
  atan: {
    wide: [-100, 100], narrow: [-3, 3], edges: [TAN_PI_8, 2.414213562373095, 2.4142135623730954, 0.4142135623730951, 1e16, 1e300],
    ref64: fromMath(Math.atan), math: true, ref32: (x) => Math.fround(Math.atan(x)),
  },
  sinh: { wide: [-720, 720], narrow: [-3, 3], edges: HYP_EDGES, ref64: fromMath(Math.sinh), math: true, ref32: (x) => Math.fround(Math.sinh(x)) },
  cosh: { wide: [-720, 720], narrow: [-3, 3], edges: HYP_EDGES, ref64: fromMath(Math.cosh), math: true, ref32: (x) => Math.fround(Math.cosh(x)) },
};

function inputs(spec: Spec, dtype: VDType, n: number, seed: number): Float64Array {
  const rng = mulberry(seed);
  const out = new Float64Array(n);
  const edges = [...COMMON_EDGES, ...spec.edges];
  let k = 0;
  for (const x of edges) {
    out[k++] = x;
    // Neighbours of every edge case, one and a few ulps away.
    for (const d of [1, 2, 7]) {
      out[k++] = x * (1 + d * 2 ** (dtype === 'float32' ? -23 : -52));
      out[k++] = x * (1 - d * 2 ** (dtype === 'float32' ? -24 : -53));
    }
  }
  const maxExp = dtype === 'float32' ? 128 : 1024;
  const minExp = dtype === 'float32' ? -149 : -1074;
  const bits = new Uint32Array(2);
  const asF64 = new Float64Array(bits.buffer);
  const asF32 = new Float32Array(bits.buffer);
  for (; k < n; k++) {
    const u = rng();
    const v = rng();
    if (u < 0.35) out[k] = spec.wide[0] + v * (spec.wide[1] - spec.wide[0]);
    else if (u < 0.6) out[k] = spec.narrow[0] + v * (spec.narrow[1] - spec.narrow[0]);
    else if (u < 0.9) {
      // Log-uniform magnitude over the whole exponent range, either sign.
      const e = minExp + v * (maxExp - minExp);
      out[k] = (rng() < 0.5 ? -1 : 1) * 2 ** e * (1 + rng());
    } else {
      bits[0] = (rng() * 2 ** 32) >>> 0;
      bits[1] = (rng() * 2 ** 32) >>> 0;
      out[k] = dtype === 'float32' ? asF32[0]! : asF64[0]!;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------

// Backend-independent: `npm test` runs every file once per backend, and this one needs only one run.
const skip = process.env.TORCHFN_BACKEND === 'js' ? 'covered by the wasm run' : false;
const N = 1_000_000;
const IN = 1 << 16;
const OUT = IN + N * 8 + 64;
const IN2 = OUT + N * 8 + 64;
ensureBytes(IN2 + N * 8 + 64);

function run(op: MathOp, dtype: VDType, xs: Float64Array): Float64Array {
  const A = dtype === 'float32' ? Float32Array : Float64Array;
  const a = new A(memory.buffer, IN, xs.length);
  a.set(xs);
  mathKernel(op, dtype)(IN, OUT, xs.length);
  const o = new A(memory.buffer, OUT, xs.length);
  return Float64Array.from(o);
}

const results: string[] = [];

for (const op of MATH_OPS) {
  const spec = SPECS[op];
  if (!spec) continue;
  for (const dtype of ['float32', 'float64'] as const) {
    const bound = dtype === 'float32' ? 2 : spec.math ? 3 : 4;
    test(`${op} ${dtype}: within ${bound} ulp${dtype === 'float64' && spec.math ? ' of Math' : ''} on ${N} points`, { skip }, () => {
      let xs = inputs(spec, dtype, N, 1234 + op.length * 7 + (dtype === 'float32' ? 1 : 0));
      if (dtype === 'float32') xs = Float64Array.from(new Float32Array(xs));
      const got = run(op, dtype, xs);
      let worst = 0;
      let worstX = 0;
      const bad: string[] = [];
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        const g = got[i]!;
        let err: number;
        let want: number;
        if (dtype === 'float32') {
          want = spec.ref32(x);
          err = ulpErr32(g, want);
        } else {
          const r = spec.ref64(x);
          want = scale2(r.h, r.e);
          err = ulpErr64(g, r);
        }
        if (err > worst) {
          worst = err;
          worstX = x;
        }
        if (err > bound && bad.length < 8) bad.push(`${op}(${x}) = ${g}, want ${want} (${err} ulp)`);
      }
      results.push(`${op} ${dtype}: max ${worst.toFixed(3)} ulp at ${worstX}`);
      console.log(results[results.length - 1]);
      assert.deepEqual(bad, []);
    });
  }
}

test('tail lengths: no write past n, same values as the vector path', { skip }, () => {
  const xs = Array.from({ length: 16 }, (_, i) => (i - 7.3) * 0.37);
  const ys = Array.from({ length: 16 }, (_, i) => 1.5 - i * 0.23);
  for (const dtype of ['float32', 'float64'] as const) {
    const A = dtype === 'float32' ? Float32Array : Float64Array;
    for (const op of [...MATH_OPS, ...MATH_OPS2]) {
      const binary = (MATH_OPS2 as readonly string[]).includes(op);
      const call = (n: number) =>
        binary ? mathKernel2(op as MathOp2, dtype)(IN, IN2, OUT, n) : mathKernel(op as MathOp, dtype)(IN, OUT, n);
      new A(memory.buffer, IN, 16).set(xs);
      new A(memory.buffer, IN2, 16).set(ys);
      call(16);
      const full = Array.from(new A(memory.buffer, OUT, 16));
      for (let n = 0; n <= 9; n++) {
        const o = new A(memory.buffer, OUT, 16);
        o.fill(12345);
        call(n);
        for (let i = 0; i < 16; i++) {
          if (i < n) assert.ok(Object.is(o[i], full[i]), `${op} ${dtype} n=${n} i=${i}`);
          else assert.equal(o[i], 12345, `${op} ${dtype} n=${n} wrote element ${i}`);
        }
      }
    }
  }
});

test('emitMath / emitMath2 in a caller loop (constants set up in place) match the kernels', { skip }, () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const A = dtype === 'float32' ? Float32Array : Float64Array;
    const cases: [MathOp | MathOp2, boolean][] = [['exp', false], ['tanh', false], ['sin', false], ['pow', true], ['atan2', true]];
    for (const [op, binary] of cases) {
      // out[i] = op(a[i] (, b[i])) over 32 elements, one v128 per iteration.
      const f = new Fn(['i32', 'i32', 'i32']);
      const i = f.local('i32');
      f.forLoop(i, (g) => g.i32(0), (g) => g.i32(32 * A.BYTES_PER_ELEMENT), 16, (g) => {
        g.get(2).get(i).op('i32.add');
        g.get(0).get(i).op('i32.add').mem('v128.load');
        if (binary) {
          g.get(1).get(i).op('i32.add').mem('v128.load');
          emitMath2(g, op as MathOp2, dtype);
        } else emitMath(g, op as MathOp, dtype);
        g.mem('v128.store');
      });
      const k = instantiate([{ name: 'k', fn: f }]).k as (a: number, b: number, o: number) => void;
      new A(memory.buffer, IN, 32).set(Array.from({ length: 32 }, (_, j) => (j - 15.5) * 0.21));
      new A(memory.buffer, IN2, 32).set(Array.from({ length: 32 }, (_, j) => 2 - j * 0.13));
      k(IN, IN2, OUT);
      const mine = Array.from(new A(memory.buffer, OUT, 32));
      if (binary) mathKernel2(op as MathOp2, dtype)(IN, IN2, OUT, 32);
      else mathKernel(op as MathOp, dtype)(IN, OUT, 32);
      assert.deepEqual(mine, Array.from(new A(memory.buffer, OUT, 32)), `${op} ${dtype}`);
    }
  }
});

// ------------------------------------------------------------------------------------------------
// Binary ops

/** pow with C99's special cases (JS's Math.pow differs at pow(1, NaN), pow(±1, ±inf)). */
function cPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

const isOddInt = (y: number) => Number.isInteger(y) && Math.abs(y) < 2 ** 53 && Math.abs(y % 2) === 1;

function powRef(x: number, y: number): Ref {
  const c = cPow(x, y);
  const special = !Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0 || Math.abs(x) === 1 || y === 1;
  if (special || !Number.isFinite(c) || c === 0) return R(c, 0);
  // |x|^y = exp(y log|x|): log to ~2^-100, the product and the exp in double-double.
  const lg = logRef(Math.abs(x));
  if (Math.abs(y * lg.h) > 800) return R(c, 0);
  const wh = ddMul(y, 0, lg.h, lg.l);
  const r = expRef(wh, L);
  return x < 0 && isOddInt(y) ? R(-r.h, -r.l, r.e) : r;
}

interface Spec2 {
  gen: (rng: () => number) => [number, number];
  edges: number[][];
  ref64: (a: number, b: number) => Ref;
  ref32: (a: number, b: number) => number;
  math?: boolean;
}

const logUniform = (rng: () => number, lo: number, hi: number) => (rng() < 0.5 ? -1 : 1) * 2 ** (lo + rng() * (hi - lo));
const POW_X = [0, -0, 1, -1, 2, -2, 0.5, -0.5, Infinity, -Infinity, NaN, 5e-324, 1.7976931348623157e308, 1e-300, 10, -8, 0.9999999999999999,
  1.0000000000000002, 3, -3];
const POW_Y = [0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, Infinity, -Infinity, NaN, 1e300, -1e300, 1074, -1074, 1023.5, 2 ** 53, 2 ** 53 + 2,
  9007199254740991, 0.3333333333333333, 1e-300];
const ATAN2_V = [0, -0, 1, -1, Infinity, -Infinity, NaN, 5e-324, -5e-324, 1e300, -1e300, 1e-300, 2.5, -2.5, 1.7976931348623157e308];

const SPECS2: Record<MathOp2, Spec2> = {
  pow: {
    gen: (rng) => {
      const u = rng();
      if (u < 0.3) return [rng() * 4, (rng() - 0.5) * 40];
      // |y log x| up to ~700: where the double-double log earns its keep.
      if (u < 0.6) return [0.9 + rng() * 0.2, (rng() - 0.5) * 14000];
      if (u < 0.75) return [logUniform(rng, -1074, 1024), Math.round((rng() - 0.5) * 20)];
      if (u < 0.9) return [Math.abs(logUniform(rng, -200, 200)), logUniform(rng, -10, 3)];
      return [logUniform(rng, -1074, 1024), logUniform(rng, -30, 30)];
    },
    edges: [POW_X, POW_Y],
    ref64: powRef,
    ref32: (a, b) => Math.fround(cPow(a, b)),
  },
  atan2: {
    gen: (rng) => {
      const u = rng();
      if (u < 0.5) return [(rng() - 0.5) * 20, (rng() - 0.5) * 20];
      return [logUniform(rng, -1074, 1024), logUniform(rng, -1074, 1024)];
    },
    edges: [ATAN2_V, ATAN2_V],
    ref64: (a, b) => R(Math.atan2(a, b), 0),
    ref32: (a, b) => Math.fround(Math.atan2(a, b)),
    math: true,
  },
};

for (const op of MATH_OPS2) {
  const spec = SPECS2[op];
  for (const dtype of ['float32', 'float64'] as const) {
    const bound = dtype === 'float32' ? 2 : spec.math ? 3 : 4;
    // pow's float64 reference (a double-double log by Newton on exp, then exp) is the slowest.
    const n = op === 'pow' && dtype === 'float64' ? N / 2 : N;
    test(`${op} ${dtype}: within ${bound} ulp${dtype === 'float64' && spec.math ? ' of Math' : ''} on ${n} points`, { skip }, () => {
      const rng = mulberry(99 + op.length + (dtype === 'float32' ? 1 : 0));
      let as = new Float64Array(n);
      let bs = new Float64Array(n);
      let k = 0;
      for (const a of spec.edges[0]!) for (const b of spec.edges[1]!) [as[k], bs[k++]] = [a, b];
      for (; k < n; k++) [as[k], bs[k]] = spec.gen(rng);
      if (dtype === 'float32') {
        as = Float64Array.from(new Float32Array(as));
        bs = Float64Array.from(new Float32Array(bs));
      }
      const A = dtype === 'float32' ? Float32Array : Float64Array;
      new A(memory.buffer, IN, n).set(as);
      new A(memory.buffer, IN2, n).set(bs);
      mathKernel2(op, dtype)(IN, IN2, OUT, n);
      const got = new A(memory.buffer, OUT, n);
      let worst = 0;
      let worstAt = '';
      const bad: string[] = [];
      for (let i = 0; i < n; i++) {
        const a = as[i]!;
        const b = bs[i]!;
        const g = got[i]!;
        let err: number;
        let want: number;
        if (dtype === 'float32') {
          want = spec.ref32(a, b);
          err = ulpErr32(g, want);
        } else {
          const r = spec.ref64(a, b);
          want = scale2(r.h, r.e);
          err = ulpErr64(g, r);
        }
        if (err > worst) {
          worst = err;
          worstAt = `(${a}, ${b})`;
        }
        if (err > bound && bad.length < 8) bad.push(`${op}(${a}, ${b}) = ${g}, want ${want} (${err} ulp)`);
      }
      console.log(`${op} ${dtype}: max ${worst.toFixed(3)} ulp at ${worstAt}`);
      assert.deepEqual(bad, []);
    });
  }
}
