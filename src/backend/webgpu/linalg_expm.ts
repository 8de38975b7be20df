// The matrix exponential on the GPU: scaling and squaring with Padé approximants (Higham 2005), f32.
import type { DType } from '../../core/dtype.js';
import { checkGpuDType,  type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings,  LINEAR_MAIN, numel } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';
import { batchLayout, checkSquare, ld, withBatch } from './linalg_common.js';
// The reference's degrees and thresholds (Higham's theta_m for double precision: conservative for f32,
// so each matrix gets the degree the reference gives it).
import { PADE, THETA } from '../cpu/linalg_expm.js';

/**
 * Backend.matrixExp: scaling and squaring with Padé approximants, per matrix (one thread each); the
 * degree and the number of squarings follow each matrix's 1-norm, as in the reference.
 */
export function matrixExp(ctx: GpuContext, a: GView, outDtype: DType): GpuStorage {
  checkGpuDType('matrixExp', a.dtype);
  checkGpuDType('matrixExp', outDtype);
  checkSquare('matrixExp', a);
  const rank = a.shape.length;
  const n = a.shape[rank - 1]!;
  const batch = a.shape.slice(0, rank - 2);
  const nb = numel(batch);
  const out = ctx.alloc(nb * n * n);
  if (nb * n === 0) return out;
  // Scratch per matrix: eight n x n slots: 0 A, 1 A2, 2 A4, 3 A6, 4 U, 5 V, 6 T, 7 T2.
  const scratch = ctx.alloc(nb * 8 * n * n);
  const L = batchLayout('matrixExp', [a], [2], batch);
  const b = withBatch(nb, [n, a.strides[rank - 2]!, a.strides[rank - 1]!, a.offset], L, ['ao']);
  const access: Access[] = ['write', 'write', 'read'];
  const lit = (v: number) => `${v.toExponential()}`;
  const coef = (m: number) => `array<f32, 14>(${[...PADE[m]!, ...new Array<number>(14 - PADE[m]!.length).fill(0)].map(lit).join(', ')})`;
  const k = ctx.kernel(`matrix_exp:${a.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access)}
var<private> NN: u32;
var<private> BASE: u32;
fn X(slot: u32, i: u32) -> f32 { return bitcast<f32>(b1[BASE + slot * NN * NN + i]); }
fn SX(slot: u32, i: u32, v: f32) { b1[BASE + slot * NN * NN + i] = bitcast<u32>(v); }
// dst = x @ y (slots).
fn mm(dst: u32, x: u32, y: u32) {
  let n = NN;
  for (var r: u32 = 0u; r < n; r++) {
    for (var c: u32 = 0u; c < n; c++) {
      var s = 0.0;
      for (var t: u32 = 0u; t < n; t++) { s += X(x, r * n + t) * X(y, t * n + c); }
      SX(dst, r * n + c, s);
    }
  }
}
// dst = c1 s1 + c2 s2 + c3 s3 + c4 s4 + cI I (a slot index >= 8 means "no term").
fn combo(dst: u32, c1: f32, s1: u32, c2: f32, s2: u32, c3: f32, s3: u32, c4: f32, s4: u32, cI: f32) {
  let n = NN;
  for (var i: u32 = 0u; i < n * n; i++) {
    var v = select(0.0, cI, i % (n + 1u) == 0u);
    if (s1 < 8u) { v += c1 * X(s1, i); }
    if (s2 < 8u) { v += c2 * X(s2, i); }
    if (s3 < 8u) { v += c3 * X(s3, i); }
    if (s4 < 8u) { v += c4 * X(s4, i); }
    SX(dst, i, v);
  }
}
${LINEAR_MAIN}
  let n = u32(P(1u));
  NN = n;
  BASE = i * 8u * n * n;
  var ao = P(4u);
  var br = i;
  ${b.code}
  var norm = 0.0;
  for (var c: u32 = 0u; c < n; c++) {
    var col = 0.0;
    for (var r: u32 = 0u; r < n; r++) {
      let v = ${ld('b2', 'ao + i32(r) * P(2u) + i32(c) * P(3u)', a.dtype)};
      SX(0u, r * n + c, v);
      col += abs(v);
    }
    norm = fmax_p(norm, col);
  }
  let ob = i * n * n;
  if (isnan_f(norm) || isinf_f(norm)) {
    for (var t: u32 = 0u; t < n * n; t++) { b0[ob + t] = bitcast<u32>(nan_f()); }
    return;
  }
  var degree = 13u;
  var sq = 0u;
  ${THETA.map(([m, t], j) => `${j === 0 ? '' : 'else '}if (norm <= ${lit(t)}) { degree = ${m}u; }`).join('\n  ')}
  else {
    sq = u32(max(0.0, ceil(log2(norm / ${lit(THETA[4]![1])}))));
    let scale = ldexp(1.0, -i32(sq));
    for (var t: u32 = 0u; t < n * n; t++) { SX(0u, t, X(0u, t) * scale); }
  }
  const NONE = 99u;
  mm(1u, 0u, 0u);
  if (degree == 13u) {
    let b = ${coef(13)};
    mm(2u, 1u, 1u);
    mm(3u, 2u, 1u);
    combo(6u, b[13], 3u, b[11], 2u, b[9], 1u, 0.0, NONE, 0.0);
    mm(7u, 3u, 6u);
    combo(6u, 1.0, 7u, b[7], 3u, b[5], 2u, b[3], 1u, b[1]);
    mm(4u, 0u, 6u);
    combo(6u, b[12], 3u, b[10], 2u, b[8], 1u, 0.0, NONE, 0.0);
    mm(7u, 3u, 6u);
    combo(5u, 1.0, 7u, b[6], 3u, b[4], 2u, b[2], 1u, b[0]);
  } else {
    var b: array<f32, 14>;
    if (degree == 3u) { b = ${coef(3)}; }
    else if (degree == 5u) { b = ${coef(5)}; }
    else if (degree == 7u) { b = ${coef(7)}; }
    else { b = ${coef(9)}; }
    // Powers A2 (slot 1), A4 (2), A6 (3), A8 (7) as the degree needs.
    if (degree >= 5u) { mm(2u, 1u, 1u); }
    if (degree >= 7u) { mm(3u, 2u, 1u); }
    if (degree >= 9u) { mm(7u, 3u, 1u); }
    let s4 = select(NONE, 2u, degree >= 5u);
    let s6 = select(NONE, 3u, degree >= 7u);
    let s8 = select(NONE, 7u, degree >= 9u);
    combo(6u, b[3], 1u, b[5], s4, b[7], s6, b[9], s8, b[1]);
    mm(4u, 0u, 6u);
    combo(5u, b[2], 1u, b[4], s4, b[6], s6, b[8], s8, b[0]);
  }
  // Solve (V - U) R = (V + U) by LU with partial pivoting: P in slot 6, Q in slot 7.
  combo(6u, 1.0, 5u, -1.0, 4u, 0.0, NONE, 0.0, NONE, 0.0);
  combo(7u, 1.0, 5u, 1.0, 4u, 0.0, NONE, 0.0, NONE, 0.0);
  for (var j: u32 = 0u; j < n; j++) {
    var piv = j;
    for (var r: u32 = j + 1u; r < n; r++) { if (abs(X(6u, r * n + j)) > abs(X(6u, piv * n + j))) { piv = r; } }
    if (piv != j) {
      for (var c: u32 = 0u; c < n; c++) {
        let p1 = X(6u, piv * n + c); SX(6u, piv * n + c, X(6u, j * n + c)); SX(6u, j * n + c, p1);
        let q1 = X(7u, piv * n + c); SX(7u, piv * n + c, X(7u, j * n + c)); SX(7u, j * n + c, q1);
      }
    }
    let d = X(6u, j * n + j);
    for (var r: u32 = j + 1u; r < n; r++) {
      let l = X(6u, r * n + j) / d;
      if (l == 0.0) { continue; }
      for (var c: u32 = j + 1u; c < n; c++) { SX(6u, r * n + c, X(6u, r * n + c) - l * X(6u, j * n + c)); }
      for (var c: u32 = 0u; c < n; c++) { SX(7u, r * n + c, X(7u, r * n + c) - l * X(7u, j * n + c)); }
    }
  }
  for (var t: u32 = 0u; t < n; t++) {
    let r = n - 1u - t;
    for (var j: u32 = r + 1u; j < n; j++) {
      let u = X(6u, r * n + j);
      if (u != 0.0) { for (var c: u32 = 0u; c < n; c++) { SX(7u, r * n + c, X(7u, r * n + c) - u * X(7u, j * n + c)); } }
    }
    let d = X(6u, r * n + r);
    for (var c: u32 = 0u; c < n; c++) { SX(7u, r * n + c, X(7u, r * n + c) / d); }
  }
  // Square s times, alternating slots 7 and 6.
  var cur = 7u;
  for (var t: u32 = 0u; t < sq; t++) {
    let nxt = select(7u, 6u, cur == 7u);
    mm(nxt, cur, cur);
    cur = nxt;
  }
  for (var t: u32 = 0u; t < n * n; t++) { b0[ob + t] = bitcast<u32>(X(cur, t)); }
}`);
  ctx.dispatch(k, access, [out.buffer, scratch.buffer, a.buf.buffer], b.params, Math.ceil(nb / 256));
  ctx.release(scratch);
  return out;
}

