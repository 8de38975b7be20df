// Plain functions over primitives, used by the rules of the table and by ops/. They take tensors of
// matching dtypes and normalized arguments; user-facing argument handling lives in ops/.
import type { Conv2dGeom } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { shapesEqual } from '../core/shape.js';
import type { Device } from '../backend/backend.js';
import { deviceOf, fromHost, full, scalar } from './concrete.js';
import { bind } from './primitive.js';
import type { Tensor } from './value.js';
import * as E from './elementwise.js';
import * as R from './reduce.js';
import * as S from './shape_ops.js';
import * as I from './index_ops.js';
import { matmulP } from './linalg.js';
import { foldP, unfoldP } from './conv.js';

// Constants are made on the device of the value they stand beside.
export const zerosLike = (x: Tensor): Tensor => full(x.shape, 0, x.dtype, deviceOf(x));
export const onesLike = (x: Tensor): Tensor => full(x.shape, 1, x.dtype, deviceOf(x));
export const scalarLike = (x: Tensor, v: number): Tensor => scalar(v, x.dtype, deviceOf(x));

export const neg = (x: Tensor) => bind(E.negP, [x], undefined);
export const abs = (x: Tensor) => bind(E.absP, [x], undefined);
export const sign = (x: Tensor) => bind(E.signP, [x], undefined);
export const exp = (x: Tensor) => bind(E.expP, [x], undefined);
export const log = (x: Tensor) => bind(E.logP, [x], undefined);
export const sin = (x: Tensor) => bind(E.sinP, [x], undefined);
export const cos = (x: Tensor) => bind(E.cosP, [x], undefined);
export const sinh = (x: Tensor) => bind(E.sinhP, [x], undefined);
export const cosh = (x: Tensor) => bind(E.coshP, [x], undefined);
export const rsqrt = (x: Tensor) => bind(E.rsqrtP, [x], undefined);
export const reciprocal = (x: Tensor) => bind(E.reciprocalP, [x], undefined);
export const floor = (x: Tensor) => bind(E.floorP, [x], undefined);

export const add = (a: Tensor, b: Tensor) => bind(E.addP, [a, b], undefined);
export const sub = (a: Tensor, b: Tensor) => bind(E.subP, [a, b], undefined);
export const mul = (a: Tensor, b: Tensor) => bind(E.mulP, [a, b], undefined);
export const div = (a: Tensor, b: Tensor) => bind(E.divP, [a, b], undefined);
export const pow = (a: Tensor, b: Tensor) => bind(E.powP, [a, b], undefined);
export const eq = (a: Tensor, b: Tensor) => bind(E.eqP, [a, b], undefined);
export const gt = (a: Tensor, b: Tensor) => bind(E.gtP, [a, b], undefined);
export const lt = (a: Tensor, b: Tensor) => bind(E.ltP, [a, b], undefined);
export const where = (c: Tensor, a: Tensor, b: Tensor) => bind(E.whereP, [c, a, b], undefined);
export const cast = (x: Tensor, dtype: DType) => (x.dtype === dtype ? x : bind(E.castP, [x], { dtype }));

export const sum = (x: Tensor, axes: number[]) => bind(R.sumP, [x], { axes });
export const prod = (x: Tensor, axes: number[]) => bind(R.prodP, [x], { axes });
export const cumsum = (x: Tensor, axis: number) => bind(R.cumsumP, [x], { axis });

export const reshape = (x: Tensor, shape: number[]) => (shapesEqual(x.shape, shape) ? x : bind(S.reshapeP, [x], { shape }));
export const permute = (x: Tensor, perm: number[]) => (perm.every((p, i) => p === i) ? x : bind(S.permuteP, [x], { perm }));
export const broadcastTo = (x: Tensor, shape: number[]) => (shapesEqual(x.shape, shape) ? x : bind(S.expandP, [x], { shape }));
export const slice = (x: Tensor, p: S.SliceParams) => bind(S.sliceP, [x], p);
export const sliceScatter = (base: Tensor, src: Tensor, p: S.SliceParams) => bind(S.sliceScatterP, [base, src], p);
export const flip = (x: Tensor, dims: number[]) => bind(S.flipP, [x], { dims });
export const concat = (xs: Tensor[], dim: number) => bind(S.concatP, xs, { dim });
export const pad = (x: Tensor, pads: [number, number][], value: number) => bind(S.padP, [x], { pads, value });

export const gather = (x: Tensor, index: Tensor, dim: number) => bind(I.gatherP, [x, index], { dim });
export const scatter = (x: Tensor, index: Tensor, src: Tensor, dim: number, accumulate: boolean) =>
  bind(I.scatterP, [x, index, src], { dim, accumulate });
export const indexSelect = (x: Tensor, index: Tensor, dim: number) => bind(I.indexSelectP, [x, index], { dim });

export const matmul = (a: Tensor, b: Tensor) => bind(matmulP, [a, b], undefined);
export const unfold = (x: Tensor, g: Conv2dGeom) => bind(unfoldP, [x], { kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, dh: g.dh, dw: g.dw });
export const fold = (cols: Tensor, C: number, H: number, W: number, g: Conv2dGeom) =>
  bind(foldP, [cols], { C, H, W, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, dh: g.dh, dw: g.dw });

export function moveDim(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return permute(x, perm);
}

export function mT(x: Tensor): Tensor {
  const n = x.ndim;
  return moveDim(x, n - 1, n - 2);
}

/** Sums a broadcast result back to `shape` (the vjp of broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(axes.length ? sum(g, axes) : g, [...shape]);
}

export const ge = (a: Tensor, b: Tensor) => bind(E.geP, [a, b], undefined);
export const le = (a: Tensor, b: Tensor) => bind(E.leP, [a, b], undefined);
export const copyOf = (x: Tensor) => bind(E.copyP, [x], undefined);
/** A 1-D int32 tensor of `values` (indices, mostly) on `device`: pass the device of the tensor it indexes. */
export const int32Tensor = (values: readonly number[], device?: Device): Tensor => fromHost(values, [values.length], 'int32', device);
