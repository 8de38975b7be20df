// im2col (unfold) and its transpose (fold) for NCHW images: convolution and pooling are composites of
// these with matmul and reductions, so every transform reaches them through two linear primitives.
import type { Conv2dGeom } from '../backend/backend.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { runKernel } from './concrete.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

export function convOutSize(size: number, k: number, s: number, d: number): number {
  return Math.floor((size - d * (k - 1) - 1) / s) + 1;
}

/** Folds the batch dim into N (dim 0) and back: convolution batches as a bigger batch of images. */
function foldBatch(x: Tensor, bd: number): Tensor {
  const f = L.moveDim(x, bd, 0);
  return L.reshape(f, [f.shape[0]! * f.shape[1]!, ...f.shape.slice(2)]);
}

export const unfoldP: Primitive<Conv2dGeom> = definePrimitive<Conv2dGeom>({
  name: 'unfold',
  abstract: ([x], g) => {
    if (x!.ndim !== 4) throw new ShapeError(`unfold(): expected a 4-D input (N, C, H, W), got ${fmtShape(x!.shape)}`);
    const [n, c, h, w] = x!.shape as [number, number, number, number];
    const oh = convOutSize(h, g.kh, g.sh, g.dh);
    const ow = convOutSize(w, g.kw, g.sw, g.dw);
    if (oh <= 0 || ow <= 0) {
      throw new ShapeError(`unfold(): kernel ${g.kh}x${g.kw} (dilation ${g.dh}x${g.dw}) is larger than the padded input ${h}x${w}`);
    }
    return { shape: [n, c * g.kh * g.kw, oh * ow], dtype: x!.dtype };
  },
  impl: ([x], g, av) => runKernel([x!], av, (be, [xv]) => be.unfold(xv!, g)),
  vjp: (gr, [x], _o, g) => [L.fold(gr, x!.shape[1]!, x!.shape[2]!, x!.shape[3]!, g)],
  jvp: ([t], _x, _o, g) => (t ? L.unfold(t, g) : null),
  batch: ([x], [bd], g) => {
    const b = x!.shape[bd!]!;
    const y = bind(unfoldP, [foldBatch(x!, bd!)], g);
    return [L.reshape(y, [b, y.shape[0]! / b, ...y.shape.slice(1)]), 0];
  },
});

export interface FoldParams extends Conv2dGeom {
  C: number;
  H: number;
  W: number;
}

export const foldP: Primitive<FoldParams> = definePrimitive<FoldParams>({
  name: 'fold',
  abstract: ([cols], p) => {
    const L_ = convOutSize(p.H, p.kh, p.sh, p.dh) * convOutSize(p.W, p.kw, p.sw, p.dw);
    if (cols!.ndim !== 3 || cols!.shape[1] !== p.C * p.kh * p.kw || cols!.shape[2] !== L_) {
      throw new ShapeError(`fold(): expected columns of shape [N, ${p.C * p.kh * p.kw}, ${L_}], got ${fmtShape(cols!.shape)}`);
    }
    return { shape: [cols!.shape[0]!, p.C, p.H, p.W], dtype: cols!.dtype };
  },
  impl: ([cols], p, av) => runKernel([cols!], av, (be, [colsv]) => be.fold(colsv!, p.C, p.H, p.W, p)),
  vjp: (g, _c, _o, p) => [L.unfold(g, p)],
  jvp: ([t], _c, _o, p) => (t ? L.fold(t, p.C, p.H, p.W, p) : null),
  batch: ([cols], [bd], p) => {
    const b = cols!.shape[bd!]!;
    const y = bind(foldP, [foldBatch(cols!, bd!)], p);
    return [L.reshape(y, [b, y.shape[0]! / b, ...y.shape.slice(1)]), 0];
  },
});
