// Cholesky factorisation (potrf) and triangular solves (trsm, left side) on the GPU, in f32.
import type { DType } from '../../core/dtype.js';
import { checkGpuDType, errorReporter,  type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings,  LINEAR_MAIN, numel } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';
import { batchLayout, checkSquare, ld, RW, withBatch } from './linalg_common.js';

/** Backend.cholesky: lower factor of the symmetric part, per matrix; `check` reports LinAlgError. */
export function cholesky(ctx: GpuContext, a: GView, check: boolean, outDtype: DType): GpuStorage {
  checkGpuDType('cholesky', a.dtype);
  checkGpuDType('cholesky', outDtype);
  checkSquare('cholesky', a);
  const r = a.shape.length;
  const n = a.shape[r - 1]!;
  const batch = a.shape.slice(0, r - 2);
  const nb = numel(batch);
  const out = ctx.alloc(nb * n * n);
  if (nb * n === 0) return out;
  const L = batchLayout('cholesky', [a], [2], batch);
  const b = withBatch(nb, [n, a.strides[r - 2]!, a.strides[r - 1]!, a.offset, check ? 1 : 0, batch.length > 0 ? 1 : 0], L, ['ao']);
  const access: Access[] = ['write', 'read', 'atomic'];
  const k = ctx.kernel(`cholesky:${a.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access.slice(0, 2))}${errorReporter('cholesky', 3)}${RW}
fn at(ao: i32, r: u32, c: u32) -> f32 { return ${ld('b1', 'ao + i32(r) * P(2u) + i32(c) * P(3u)', a.dtype)}; }
${LINEAR_MAIN}
  let n = u32(P(1u));
  var ao = P(4u);
  var br = i;
  ${b.code}
  let wb = i * n * n;
  for (var r: u32 = 0u; r < n; r++) {
    for (var c: u32 = 0u; c < n; c++) {
      var v = 0.0;
      if (c < r) { v = 0.5 * (at(ao, r, c) + at(ao, c, r)); } else if (c == r) { v = at(ao, r, r); }
      S(wb + r * n + c, v);
    }
  }
  for (var j: u32 = 0u; j < n; j++) {
    var d = W(wb + j * n + j);
    for (var t: u32 = 0u; t < j; t++) { d -= W(wb + j * n + t) * W(wb + j * n + t); }
    if (!(d > 0.0) || isnan_f(d)) {
      for (var c: u32 = j; c < n; c++) { for (var r: u32 = 0u; r < n; r++) { S(wb + r * n + c, 0.0); } }
      if (P(5u) != 0) { report(i32(j + 1u), select(-1, i32(i), P(6u) != 0), 0); }
      return;
    }
    let ljj = sqrt(d);
    S(wb + j * n + j, ljj);
    for (var r: u32 = j + 1u; r < n; r++) {
      var s = W(wb + r * n + j);
      for (var t: u32 = 0u; t < j; t++) { s -= W(wb + r * n + t) * W(wb + j * n + t); }
      S(wb + r * n + j, s / ljj);
    }
  }
}`);
  ctx.dispatch(k, access, [out.buffer, a.buf.buffer, ctx.errorFlag], b.params, Math.ceil(nb / 256));
  return out;
}

/** Backend.triangularSolve: substitution, a thread per (matrix, right-hand column). */
export function triangularSolve(
  ctx: GpuContext, a: GView, b: GView, outShape: readonly number[], outDtype: DType, upper: boolean, unitriangular: boolean,
): GpuStorage {
  for (const d of [a.dtype, b.dtype, outDtype]) checkGpuDType('triangularSolve', d);
  checkSquare('triangularSolve', a);
  const r = outShape.length;
  const n = outShape[r - 2]!, k = outShape[r - 1]!;
  const batch = outShape.slice(0, r - 2);
  const nb = numel(batch);
  const out = ctx.alloc(nb * n * k);
  if (nb * n * k === 0) return out;
  const L = batchLayout('triangularSolve', [a, b], [2, 2], batch);
  const ar = a.shape.length, rb = b.shape.length;
  const bp = withBatch(nb * k, [n, k, a.strides[ar - 2]!, a.strides[ar - 1]!, a.offset, b.strides[rb - 2]!, b.strides[rb - 1]!, b.offset], L, ['ao', 'bo']);
  const access: Access[] = ['write', 'read', 'read'];
  const kernel = ctx.kernel(`trsm:${a.dtype}:${b.dtype}:${upper}:${unitriangular}:${bp.cap}`, access, bp.vec4s, () => `${WGSL_MATH}${bindings(access)}${RW}
${LINEAR_MAIN}
  let n = u32(P(1u)); let k = u32(P(2u));
  let e = i / k; let c = i % k;
  var ao = P(5u); var bo = P(8u);
  var br = e;
  ${bp.code}
  let ob = e * n * k + c;
  for (var r: u32 = 0u; r < n; r++) { S(ob + r * k, ${ld('b2', 'bo + i32(r) * P(6u) + i32(c) * P(7u)', b.dtype)}); }
  for (var t: u32 = 0u; t < n; t++) {
    let r = ${upper ? 'n - 1u - t' : 't'};
    var x = W(ob + r * k);
    for (var j: u32 = ${upper ? 'r + 1u' : '0u'}; j < ${upper ? 'n' : 'r'}; j++) {
      // Zero entries are skipped, as the reference does (0 * inf would make NaN).
      let v = ${ld('b1', 'ao + i32(r) * P(3u) + i32(j) * P(4u)', a.dtype)};
      if (v != 0.0) { x -= v * W(ob + j * k); }
    }
    ${unitriangular ? '' : `x = x / ${ld('b1', 'ao + i32(r) * (P(3u) + P(4u))', a.dtype)};`}
    S(ob + r * k, x);
  }
}`);
  ctx.dispatch(kernel, access, [out.buffer, a.buf.buffer, b.buf.buffer], bp.params, Math.ceil((nb * k) / 256));
  return out;
}

