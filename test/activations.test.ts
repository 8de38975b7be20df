// Activation functions against independent closed forms: each reference below is written in plain
// JavaScript Math in float64 (never the library function it checks). For every activation, in both
// its functional form (torch.nn.functional) and its module form (nn.X().call), on float64 inputs:
//   - values, at moderate points and at extremes (|x| up to 800: no overflow, NaN or lost precision
//     where the closed form is finite), and
//   - gradients (eager autograd of <c, f(x)>) against central finite differences of the closed form,
//     at points kept 1e-3 away from the activation's kinks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { mulberry } from './support/samples.js';

const { nn } = torch;
const F = nn.functional;
type T = torch.Tensor;

// ---- closed forms ----------------------------------------------------------------------------------

/** erf by its Taylor series (|x| < 2.5) or the continued fraction of erfc (beyond). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 9) return Math.sign(x);
  let f = ax;
  for (let n = 2000; n >= 1; n--) f = ax + n / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}
/** log(1 + e^x) without overflow. */
const log1pExp = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (beta: number, threshold: number) => (x: number) => (beta * x > threshold ? x : log1pExp(beta * x) / beta);
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
const geluErf = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const clampRef = (lo: number, hi: number) => (x: number) => Math.min(hi, Math.max(lo, x));

/** Softmax / log-softmax of a [R, C] row-major array along `dim`. */
function softmaxRef(xs: number[], shape: [number, number], dim: 0 | 1, log: boolean): number[] {
  const [R, C] = shape;
  const out = new Array<number>(xs.length);
  const lines = dim === 1 ? R : C;
  const len = dim === 1 ? C : R;
  const at = (l: number, k: number) => (dim === 1 ? l * C + k : k * C + l);
  for (let l = 0; l < lines; l++) {
    let m = -Infinity;
    for (let k = 0; k < len; k++) m = Math.max(m, xs[at(l, k)]!);
    let s = 0;
    for (let k = 0; k < len; k++) s += Math.exp(xs[at(l, k)]! - m);
    for (let k = 0; k < len; k++) {
      const z = xs[at(l, k)]! - m;
      out[at(l, k)] = log ? z - Math.log(s) : Math.exp(z) / s;
    }
  }
  return out;
}

interface Case {
  name: string;
  fn: (x: T) => T;
  mod: () => { call(x: T): T };
  /** The closed form over a [R, C] row-major array. */
  ref: (xs: number[], shape: [number, number]) => number[];
  /** Points where the derivative jumps: finite differences stay away from them. */
  kinks?: number[];
}

const ew = (f: (x: number) => number) => (xs: number[]) => xs.map(f);

const CASES: Case[] = [
  { name: 'elu (alpha 1)', fn: (x) => F.elu(x), mod: () => new nn.ELU(), ref: ew((x) => (x > 0 ? x : Math.expm1(x))), kinks: [0] },
  { name: 'elu (alpha 0.7)', fn: (x) => F.elu(x, 0.7), mod: () => new nn.ELU(0.7), ref: ew((x) => (x > 0 ? x : 0.7 * Math.expm1(x))), kinks: [0] },
  { name: 'leakyRelu (0.01)', fn: (x) => F.leakyRelu(x), mod: () => new nn.LeakyReLU(), ref: ew((x) => (x > 0 ? x : 0.01 * x)), kinks: [0] },
  { name: 'leakyRelu (0.2)', fn: (x) => F.leakyRelu(x, 0.2), mod: () => new nn.LeakyReLU(0.2), ref: ew((x) => (x > 0 ? x : 0.2 * x)), kinks: [0] },
  { name: 'silu', fn: (x) => F.silu(x), mod: () => new nn.SiLU(), ref: ew((x) => x * sigmoid(x)) },
  { name: 'mish', fn: (x) => F.mish(x), mod: () => new nn.Mish(), ref: ew((x) => x * Math.tanh(log1pExp(x))) },
  { name: 'logSigmoid', fn: (x) => F.logSigmoid(x), mod: () => new nn.LogSigmoid(), ref: ew((x) => -log1pExp(-x)) },
  { name: 'hardtanh (-1, 1)', fn: (x) => F.hardtanh(x), mod: () => new nn.Hardtanh(), ref: ew(clampRef(-1, 1)), kinks: [-1, 1] },
  { name: 'hardtanh (-0.5, 1.5)', fn: (x) => F.hardtanh(x, -0.5, 1.5), mod: () => new nn.Hardtanh(-0.5, 1.5), ref: ew(clampRef(-0.5, 1.5)), kinks: [-0.5, 1.5] },
  { name: "gelu (approximate 'tanh')", fn: (x) => F.gelu(x, { approximate: 'tanh' }), mod: () => new nn.GELU({ approximate: 'tanh' }), ref: ew(geluTanh) },
  { name: 'gelu (exact)', fn: (x) => F.gelu(x), mod: () => new nn.GELU(), ref: ew(geluErf) },
  { name: 'softplus (defaults)', fn: (x) => F.softplus(x), mod: () => new nn.Softplus(), ref: ew(softplus(1, 20)), kinks: [20] },
  { name: 'softplus (beta 2, threshold 3)', fn: (x) => F.softplus(x, { beta: 2, threshold: 3 }), mod: () => new nn.Softplus({ beta: 2, threshold: 3 }), ref: ew(softplus(2, 3)), kinks: [1.5] },
  { name: 'softplus (beta 0.5, threshold 1)', fn: (x) => F.softplus(x, { beta: 0.5, threshold: 1 }), mod: () => new nn.Softplus({ beta: 0.5, threshold: 1 }), ref: ew(softplus(0.5, 1)), kinks: [2] },
  { name: 'relu6', fn: (x) => F.relu6(x), mod: () => new nn.ReLU6(), ref: ew(clampRef(0, 6)), kinks: [0, 6] },
  { name: 'sigmoid', fn: (x) => F.sigmoid(x), mod: () => new nn.Sigmoid(), ref: ew(sigmoid) },
  { name: 'tanh', fn: (x) => F.tanh(x), mod: () => new nn.Tanh(), ref: ew(Math.tanh) },
  { name: 'softmax (dim 1)', fn: (x) => F.softmax(x, 1), mod: () => new nn.Softmax(1), ref: (xs, s) => softmaxRef(xs, s, 1, false) },
  { name: 'softmax (dim 0)', fn: (x) => F.softmax(x, 0), mod: () => new nn.Softmax(0), ref: (xs, s) => softmaxRef(xs, s, 0, false) },
  { name: 'logSoftmax (dim 1)', fn: (x) => F.logSoftmax(x, 1), mod: () => new nn.LogSoftmax(1), ref: (xs, s) => softmaxRef(xs, s, 1, true) },
  { name: 'logSoftmax (dim -2)', fn: (x) => F.logSoftmax(x, -2), mod: () => new nn.LogSoftmax(-2), ref: (xs, s) => softmaxRef(xs, s, 0, true) },
];

// ---- inputs -------------------------------------------------------------------------------------------

const SHAPE: [number, number] = [4, 9];
const N = SHAPE[0] * SHAPE[1];
/** Moderate points: fixed ones around every kink and scale used above, the rest random in [-7, 7]. */
const FIXED = [-6.5, -3.1, -2.05, -1.2, -0.9, -0.51, -0.2, -0.05, 0.04, 0.3, 0.49, 0.8, 1.1, 1.45, 1.55, 1.9, 2.1, 2.9, 3.3, 5.8, 6.2, 19.5, 20.5, -19.5];
function moderate(kinks: readonly number[] = []): number[] {
  const rng = mulberry(7);
  const xs = [...FIXED, ...Array.from({ length: N - FIXED.length }, () => 14 * rng() - 7)];
  // Keep 1e-3 away from every kink (finite differences straddling a kink say nothing).
  return xs.map((x) => {
    for (const k of kinks) if (Math.abs(x - k) < 1e-3) return k + (x < k ? -1e-3 : 1e-3);
    return x;
  });
}
/** Extremes: every finite closed form must come out finite and right, without overflow. */
const EXTREME = [-800, -100, -40, -30, -21, -1e-8, 0, 1e-8, 21, 30, 40, 100, 800, -7, 7, -0.5, 0.5, 3, -3, 1e-300, -1e-300, 15, -15, 60, -60, 500, -500, 2, -2, 0.1, -0.1, 10, -10, 1, -1, 5];

const f64 = (xs: number[]) => torch.tensor(Float64Array.from(xs), { dtype: 'float64', shape: [...SHAPE] });
const vals = (t: T) => Array.from(t.toArray() as ArrayLike<number>);

function assertClose(what: string, got: number[], want: number[], rtol: number, atol: number, xs: number[]): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= atol + rtol * Math.abs(w)) continue;
    assert.fail(`${what}: at x[${i}] = ${xs[i]}: got ${g}, want ${w} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Central differences of <c, ref(x)> in float64, element by element. */
function fdGrad(ref: Case['ref'], xs: number[], c: number[]): number[] {
  const h = 1e-6;
  const obj = (v: number[]) => ref(v, SHAPE).reduce((s, y, i) => s + c[i]! * y, 0);
  return xs.map((x, i) => {
    const up = xs.slice();
    const dn = xs.slice();
    up[i] = x + h;
    dn[i] = x - h;
    return (obj(up) - obj(dn)) / (2 * h);
  });
}

function autogradGrad(f: (x: T) => T, xs: number[], c: number[]): number[] {
  const x = f64(xs).requiresGrad_(true);
  const y = f(x);
  const [g] = torch.autograd.grad(y.mul(f64(c)).sum(), [x]);
  return vals(g!);
}

// ---- the tests ------------------------------------------------------------------------------------------

for (const k of CASES) {
  describe(k.name, () => {
    const forms: [string, (x: T) => T][] = [
      ['functional', k.fn],
      ['module', (x) => k.mod().call(x)],
    ];
    for (const [form, f] of forms) {
      test(`${form}: values match the closed form (moderate and extreme inputs)`, () => {
        for (const xs of [moderate(), EXTREME]) {
          const y = f(f64(xs));
          assert.equal(y.dtype, 'float64');
          assert.deepEqual(y.shape, SHAPE);
          assertClose(`${k.name} ${form}`, vals(y), k.ref(xs, SHAPE), 1e-12, 1e-14, xs);
        }
      });
      test(`${form}: gradient matches finite differences of the closed form`, () => {
        const xs = moderate(k.kinks);
        const rng = mulberry(11);
        const c = Array.from({ length: N }, () => 2 * rng() - 1);
        assertClose(`${k.name} ${form} gradient`, autogradGrad(f, xs, c), fdGrad(k.ref, xs, c), 1e-6, 1e-8, xs);
      });
    }
  });
}

test('the functional and module forms are one computation (same values bit for bit)', () => {
  const xs = moderate();
  for (const k of CASES) assert.deepEqual(vals(k.mod().call(f64(xs))), vals(k.fn(f64(xs))), k.name);
});
