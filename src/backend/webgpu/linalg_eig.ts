// Symmetric eigendecomposition on the GPU: Householder tridiagonalisation, then implicit QL, in f32.
import type { DType } from '../../core/dtype.js';
import { checkGpuDType,  type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings,  LINEAR_MAIN, numel } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';
import { batchLayout, checkSquare, ld, withBatch, HYPOT } from './linalg_common.js';

/**
 * Backend.eigh: eigenvalues (ascending, row 0) and eigenvectors (columns of rows 1..n, largest entry
 * positive) of the symmetric part, per matrix: Householder tridiagonalisation then implicit QL, the
 * reference's algorithm in f32.
 */
export function eigh(ctx: GpuContext, a: GView, outDtype: DType): GpuStorage {
  checkGpuDType('eigh', a.dtype);
  checkGpuDType('eigh', outDtype);
  checkSquare('eigh', a);
  const rank = a.shape.length;
  const n = a.shape[rank - 1]!;
  const batch = a.shape.slice(0, rank - 2);
  const nb = numel(batch);
  const out = ctx.alloc(nb * (n + 1) * n);
  if (nb * n === 0) return out;
  // Scratch per matrix: A (n x n), Z^T (n x n), d, e, p, v, order (n each).
  const scratch = ctx.alloc(nb * (2 * n * n + 5 * n));
  const L = batchLayout('eigh', [a], [2], batch);
  const b = withBatch(nb, [n, a.strides[rank - 2]!, a.strides[rank - 1]!, a.offset], L, ['ao']);
  const access: Access[] = ['write', 'write', 'read'];
  const k = ctx.kernel(`eigh:${a.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access)}
var<private> NN: u32;
var<private> BA: u32; var<private> BZ: u32; var<private> BD: u32; var<private> BE: u32; var<private> BP: u32; var<private> BV: u32;
fn rd(i: u32) -> f32 { return bitcast<f32>(b1[i]); }
fn wr(i: u32, v: f32) { b1[i] = bitcast<u32>(v); }
${HYPOT}
fn tridiagonalize() {
  let n = NN;
  for (var i: u32 = 0u; i < n * n; i++) { wr(BZ + i, select(0.0, 1.0, i % (n + 1u) == 0u)); }
  for (var i: u32 = 0u; i < n; i++) { wr(BE + i, 0.0); }
  for (var k: u32 = 0u; k + 2u < n; k++) {
    let alpha = rd(BA + k * n + k + 1u);
    var xnorm = 0.0;
    for (var j: u32 = k + 2u; j < n; j++) { xnorm = hyp(xnorm, rd(BA + k * n + j)); }
    if (xnorm == 0.0) { wr(BE + k, alpha); continue; }
    let h = hyp(alpha, xnorm);
    let beta = select(h, -h, alpha >= 0.0);
    let tau = (beta - alpha) / beta;
    let scale = 1.0 / (alpha - beta);
    wr(BV + k + 1u, 1.0);
    for (var j: u32 = k + 2u; j < n; j++) { wr(BV + j, rd(BA + k * n + j) * scale); }
    wr(BE + k, beta);
    var vp = 0.0;
    for (var i: u32 = k + 1u; i < n; i++) {
      var s = 0.0;
      for (var j: u32 = k + 1u; j < n; j++) { s += rd(BA + i * n + j) * rd(BV + j); }
      wr(BP + i, tau * s);
      vp += rd(BV + i) * tau * s;
    }
    let half = 0.5 * tau * vp;
    for (var i: u32 = k + 1u; i < n; i++) { wr(BP + i, rd(BP + i) - half * rd(BV + i)); }
    for (var i: u32 = k + 1u; i < n; i++) {
      let vi = rd(BV + i); let wi = rd(BP + i);
      for (var j: u32 = k + 1u; j < n; j++) { wr(BA + i * n + j, rd(BA + i * n + j) - (vi * rd(BP + j) + wi * rd(BV + j))); }
    }
    for (var c: u32 = 0u; c < n; c++) {
      var s = 0.0;
      for (var j: u32 = k + 1u; j < n; j++) { s += rd(BV + j) * rd(BZ + j * n + c); }
      s *= tau;
      if (s != 0.0) { for (var j: u32 = k + 1u; j < n; j++) { wr(BZ + j * n + c, rd(BZ + j * n + c) - s * rd(BV + j)); } }
    }
  }
  for (var i: u32 = 0u; i < n; i++) { wr(BD + i, rd(BA + i * n + i)); }
  if (n >= 2u) { wr(BE + n - 2u, rd(BA + (n - 2u) * n + n - 1u)); }
  wr(BE + n - 1u, 0.0);
}
fn ql() {
  let n = NN;
  for (var l: u32 = 0u; l < n; l++) {
    for (var iter: u32 = 0u; ; iter++) {
      var m = l;
      for (; m + 1u < n; m++) {
        let dd = abs(rd(BD + m)) + abs(rd(BD + m + 1u));
        if (abs(rd(BE + m)) + dd == dd) { break; }
      }
      if (m == l || iter == 60u) { break; }
      var g = (rd(BD + l + 1u) - rd(BD + l)) / (2.0 * rd(BE + l));
      var r = hyp(g, 1.0);
      g = rd(BD + m) - rd(BD + l) + rd(BE + l) / (g + select(-r, r, g >= 0.0));
      var s = 1.0; var c = 1.0; var p = 0.0;
      var underflow = false;
      for (var ii: i32 = i32(m) - 1; ii >= i32(l); ii--) {
        let i = u32(ii);
        let f = s * rd(BE + i);
        let bb = c * rd(BE + i);
        r = hyp(f, g);
        wr(BE + i + 1u, r);
        if (r == 0.0) {
          wr(BD + i + 1u, rd(BD + i + 1u) - p);
          wr(BE + m, 0.0);
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = rd(BD + i + 1u) - p;
        r = (rd(BD + i) - g) * s + 2.0 * c * bb;
        p = s * r;
        wr(BD + i + 1u, g + p);
        g = c * r - bb;
        for (var k: u32 = 0u; k < n; k++) {
          let zi = rd(BZ + i * n + k); let zj = rd(BZ + (i + 1u) * n + k);
          wr(BZ + (i + 1u) * n + k, s * zi + c * zj);
          wr(BZ + i * n + k, c * zi - s * zj);
        }
      }
      if (underflow) { continue; }
      wr(BD + l, rd(BD + l) - p);
      wr(BE + l, g);
      wr(BE + m, 0.0);
    }
  }
}
${LINEAR_MAIN}
  let n = u32(P(1u));
  NN = n;
  BA = i * (2u * n * n + 5u * n);
  BZ = BA + n * n; BD = BZ + n * n; BE = BD + n; BP = BE + n; BV = BP + n;
  let BO = BV + n;
  var ao = P(4u);
  var br = i;
  ${b.code}
  for (var r: u32 = 0u; r < n; r++) {
    for (var c: u32 = 0u; c < n; c++) {
      let x = ${ld('b2', 'ao + i32(r) * P(2u) + i32(c) * P(3u)', a.dtype)};
      let y = ${ld('b2', 'ao + i32(c) * P(2u) + i32(r) * P(3u)', a.dtype)};
      wr(BA + r * n + c, select(0.5 * (x + y), x, r == c));
    }
  }
  tridiagonalize();
  ql();
  // Stable insertion sort of the eigenvalue order, ascending.
  for (var j: u32 = 0u; j < n; j++) {
    var t = j;
    let dj = rd(BD + j);
    loop {
      if (t == 0u) { break; }
      let prev = b1[BO + t - 1u];
      if (!(rd(BD + prev) > dj)) { break; }
      b1[BO + t] = prev;
      t--;
    }
    b1[BO + t] = j;
  }
  let ob = i * (n + 1u) * n;
  for (var j: u32 = 0u; j < n; j++) {
    let src = b1[BO + j];
    b0[ob + j] = bitcast<u32>(rd(BD + src));
    var big = 0u;
    for (var r: u32 = 0u; r < n; r++) { if (abs(rd(BZ + src * n + r)) > abs(rd(BZ + src * n + big))) { big = r; } }
    let sign = select(1.0, -1.0, rd(BZ + src * n + big) < 0.0);
    for (var r: u32 = 0u; r < n; r++) { b0[ob + n + r * n + j] = bitcast<u32>(sign * rd(BZ + src * n + r)); }
  }
}`);
  ctx.dispatch(k, access, [out.buffer, scratch.buffer, a.buf.buffer], b.params, Math.ceil(nb / 256));
  ctx.release(scratch);
  return out;
}

