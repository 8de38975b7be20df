// Convolution helpers: unfold (im2col) and fold (col2im, overlaps summed) for NCHW, no padding.
import { arrayFor, type TypedArray } from '../../core/dtype.js';
import { ShapeError } from '../../core/errors.js';
import type { Conv2dGeom } from '../backend.js';
import type { View } from './view.js';

function checkGeom(fn: string, g: Conv2dGeom): void {
  for (const key of ['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const) {
    const v = g[key];
    if (!Number.isInteger(v) || v < 1) throw new Error(`${fn}: ${key} must be a positive integer, got ${v}`);
  }
}

/** Output spatial size of a kernel sweep (no padding). */
function outSize(fn: string, size: number, k: number, s: number, d: number): number {
  const o = Math.floor((size - d * (k - 1) - 1) / s) + 1;
  if (o < 1) throw new ShapeError(`${fn}: input size ${size} is too small for kernel ${k} with dilation ${d}`);
  return o;
}

export function unfold(x: View, g: Conv2dGeom): TypedArray {
  checkGeom('unfold', g);
  if (x.shape.length !== 4) throw new Error(`unfold: expected a 4-D [N, C, H, W] input, got [${x.shape.join(', ')}]`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const { kh, kw, sh, sw, dh, dw } = g;
  const oh = outSize('unfold', H, kh, sh, dh);
  const ow = outSize('unfold', W, kw, sw, dw);
  const [xn, xc, xh, xw] = x.strides as [number, number, number, number];
  const L = oh * ow;
  const out = arrayFor(x.dtype, N * C * kh * kw * L);
  const xb = x.buf;
  const stepX = sw * xw; // input stride between consecutive output columns
  const stepY = sh * xh;
  let po = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const baseNC = x.offset + n * xn + c * xc;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let rowBase = baseNC + i * dh * xh + j * dw * xw;
          for (let oy = 0; oy < oh; oy++) {
            let p = rowBase;
            for (let ox = 0; ox < ow; ox++) {
              out[po++] = xb[p]!;
              p += stepX;
            }
            rowBase += stepY;
          }
        }
      }
    }
  }
  return out;
}

export function fold(cols: View, C: number, H: number, W: number, g: Conv2dGeom): TypedArray {
  checkGeom('fold', g);
  const { kh, kw, sh, sw, dh, dw } = g;
  const oh = outSize('fold', H, kh, sh, dh);
  const ow = outSize('fold', W, kw, sw, dw);
  const L = oh * ow;
  if (cols.shape.length !== 3 || cols.shape[1] !== C * kh * kw || cols.shape[2] !== L) {
    throw new Error(`fold: expected cols of shape [N, ${C * kh * kw}, ${L}], got [${cols.shape.join(', ')}]`);
  }
  const N = cols.shape[0]!;
  const [cn, cr, cl] = cols.strides as [number, number, number];
  const acc = new Float64Array(N * C * H * W);
  const cb = cols.buf;
  const stepY = sh * W;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const baseNC = (n * C + c) * H * W;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const row = (c * kh + i) * kw + j;
          let pc = cols.offset + n * cn + row * cr;
          let rowBase = baseNC + i * dh * W + j * dw;
          for (let oy = 0; oy < oh; oy++) {
            let p = rowBase;
            for (let ox = 0; ox < ow; ox++) {
              acc[p] += cb[pc]!;
              p += sw;
              pc += cl;
            }
            rowBase += stepY;
          }
        }
      }
    }
  }
  if (cols.dtype === 'float64') return acc;
  const out = arrayFor(cols.dtype, acc.length);
  if (cols.dtype === 'bool') for (let i = 0; i < acc.length; i++) out[i] = acc[i] !== 0 ? 1 : 0;
  else out.set(acc);
  return out;
}
