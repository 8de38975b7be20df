// unfold (im2col) and fold (col2im) for NCHW without padding. fold is written as a gather: each output
// pixel sums the kh * kw column entries that land on it, so overlapping windows need no atomics.
import { ShapeError, ValueError } from '../../core/errors.js';
import type { Conv2dGeom } from '../backend.js';
import { checkGpuDType, type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings, isIntDType, kindOf, LINEAR_MAIN, load, storeWord, toDType, toKind, vec4s, wgslType } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';

function checkGeom(fn: string, g: Conv2dGeom): void {
  for (const key of ['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const) {
    const v = g[key];
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`${fn}: ${key} must be a positive integer, got ${v}`);
  }
}

function outSize(fn: string, size: number, k: number, s: number, d: number): number {
  const o = Math.floor((size - d * (k - 1) - 1) / s) + 1;
  if (o < 1) throw new ShapeError(`${fn}: input size ${size} is too small for kernel ${k} with dilation ${d}`);
  return o;
}

/** Backend.unfold. */
export function unfold(ctx: GpuContext, x: GView, g: Conv2dGeom): GpuStorage {
  checkGpuDType('unfold', x.dtype);
  checkGeom('unfold', g);
  if (x.shape.length !== 4) throw new ShapeError(`unfold: expected a 4-D [N, C, H, W] input, got [${x.shape.join(', ')}]`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const { kh, kw, sh, sw, dh, dw } = g;
  const oh = outSize('unfold', H, kh, sh, dh);
  const ow = outSize('unfold', W, kw, sw, dw);
  const n = N * C * kh * kw * oh * ow;
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const params = [n, C, kh, kw, oh, ow, sh, sw, dh, dw, x.offset, ...x.strides];
  const access: Access[] = ['write', 'read'];
  const k = ctx.kernel('unfold', access, vec4s(params.length), () => `${bindings(access)}
${LINEAR_MAIN}
  var r = i;
  let ox = i32(r % u32(P(5u))); r = r / u32(P(5u));
  let oy = i32(r % u32(P(4u))); r = r / u32(P(4u));
  let j = i32(r % u32(P(3u))); r = r / u32(P(3u));
  let ii = i32(r % u32(P(2u))); r = r / u32(P(2u));
  let c = i32(r % u32(P(1u)));
  let nn = i32(r / u32(P(1u)));
  let y = oy * P(6u) + ii * P(8u);
  let xx = ox * P(7u) + j * P(9u);
  b0[i] = b1[u32(P(10u) + nn * P(11u) + c * P(12u) + y * P(13u) + xx * P(14u))];
}`);
  ctx.dispatch(k, access, [out.buffer, x.buf.buffer], params, Math.ceil(n / 256));
  return out;
}

/** Backend.fold: overlapping windows summed. */
export function fold(ctx: GpuContext, cols: GView, C: number, H: number, W: number, g: Conv2dGeom): GpuStorage {
  checkGpuDType('fold', cols.dtype);
  checkGeom('fold', g);
  const { kh, kw, sh, sw, dh, dw } = g;
  const oh = outSize('fold', H, kh, sh, dh);
  const ow = outSize('fold', W, kw, sw, dw);
  if (cols.shape.length !== 3 || cols.shape[1] !== C * kh * kw || cols.shape[2] !== oh * ow) {
    throw new ShapeError(`fold: expected cols of shape [N, ${C * kh * kw}, ${oh * ow}], got [${cols.shape.join(', ')}]`);
  }
  const N = cols.shape[0]!;
  const n = N * C * H * W;
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const k = isIntDType(cols.dtype) ? 'i' : 'f';
  const params = [n, C, H, W, kh, kw, oh, ow, sh, sw, dh, dw, cols.offset, ...cols.strides];
  const access: Access[] = ['write', 'read'];
  const kernel = ctx.kernel(`fold:${cols.dtype}`, access, vec4s(params.length), () => `${WGSL_MATH}${bindings(access)}
${LINEAR_MAIN}
  var r = i;
  let x = i32(r % u32(P(3u))); r = r / u32(P(3u));
  let y = i32(r % u32(P(2u))); r = r / u32(P(2u));
  let c = i32(r % u32(P(1u)));
  let nn = i32(r / u32(P(1u)));
  let kh = P(4u); let kw = P(5u); let oh = P(6u); let ow = P(7u);
  let sh = P(8u); let sw = P(9u); let dh = P(10u); let dw = P(11u);
  var acc: ${wgslType(k)} = ${k === 'f' ? '0.0' : '0'};
  for (var a: i32 = 0; a < kh; a++) {
    let yy = y - a * dh;
    if (yy < 0) { break; }
    if (yy % sh != 0 || yy / sh >= oh) { continue; }
    for (var b: i32 = 0; b < kw; b++) {
      let xx = x - b * dw;
      if (xx < 0) { break; }
      if (xx % sw != 0 || xx / sw >= ow) { continue; }
      let row = (c * kh + a) * kw + b;
      let col = (yy / sh) * ow + xx / sw;
      acc = acc + ${toKind(load('b1', 'u32(P(12u) + nn * P(13u) + row * P(14u) + col * P(15u))', cols.dtype), kindOf(cols.dtype), k)};
    }
  }
  b0[i] = ${storeWord(toDType('acc', k, cols.dtype), cols.dtype)};
}`);
  ctx.dispatch(kernel, access, [out.buffer, cols.buf.buffer], params, Math.ceil(n / 256));
  return out;
}
