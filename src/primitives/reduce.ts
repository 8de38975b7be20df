// Reductions over a set of axes (the output drops them; keepdim is a reshape above), arg-reductions
// and cumsum.
import type { ReduceOp } from '../backend/backend.js';
import { runKernel } from './concrete.js';
import { bind, definePrimitive, NO_DERIVATIVE, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

export interface AxesParams {
  axes: number[];
}
export interface AxisParams {
  axis: number;
}

export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
function droppedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}
/** Re-inserts the reduced axes of a reduction result and broadcasts it back to the input shape. */
function expandBack(y: Tensor, xShape: number[], axes: number[]): Tensor {
  return L.broadcastTo(L.reshape(y, keptShape(xShape, axes)), xShape);
}

function reduction(
  op: ReduceOp,
  vjp: (g: Tensor, x: Tensor, out: Tensor, axes: number[]) => Tensor,
  jvp: (t: Tensor, x: Tensor, out: Tensor, axes: number[]) => Tensor,
): Primitive<AxesParams> {
  const p: Primitive<AxesParams> = definePrimitive<AxesParams>({
    name: op,
    saves: op === 'sum' ? [] : [0, 'out'],
    abstract: ([x], { axes }) => ({ shape: droppedShape(x!.shape, axes), dtype: x!.dtype }),
    impl: ([x], { axes }, av) => runKernel([x!], av, (be, [xv]) => be.reduce(op, xv!, axes, av.dtype)),
    vjp: (g, [x], out, { axes }) => [vjp(g, x!, out, axes)],
    jvp: ([t], [x], out, { axes }) => (t ? jvp(t, x!, out, axes) : null),
    batch: ([x], [bd], { axes }) => [bind(p, [L.moveDim(x!, bd!, 0)], { axes: axes.map((a) => a + 1) }), 0],
  });
  return p;
}

export const sumP = reduction(
  'sum',
  (g, x, _o, axes) => expandBack(g, x.shape, axes),
  (t, _x, _o, axes) => L.sum(t, axes),
);

function extremumWeights(x: Tensor, out: Tensor, axes: number[]): Tensor {
  // Ties share the gradient evenly, as amax/amin do in PyTorch.
  const mask = L.cast(L.eq(x, expandBack(out, x.shape, axes)), x.dtype);
  return L.div(mask, expandBack(L.sum(mask, axes), x.shape, axes));
}
const extremum = (op: 'max' | 'min') =>
  reduction(
    op,
    (g, x, out, axes) => L.mul(expandBack(g, x.shape, axes), extremumWeights(x, out, axes)),
    (t, x, out, axes) => L.sum(L.mul(t, extremumWeights(x, out, axes)), axes),
  );
export const maxP = extremum('max');
export const minP = extremum('min');

/** d prod / d x_i: prod of the others, exact when x holds zeros. */
function prodGrad(x: Tensor, out: Tensor, axes: number[]): Tensor {
  const zero = L.scalarLike(x, 0);
  const isZero = L.eq(x, zero);
  const nz = L.sum(L.cast(isZero, x.dtype), axes);
  const prodNonZero = L.prod(L.where(isZero, L.onesLike(x), x), axes);
  const pnz = expandBack(prodNonZero, x.shape, axes);
  const nzb = expandBack(nz, x.shape, axes);
  const noZeros = L.div(expandBack(out, x.shape, axes), L.where(isZero, L.onesLike(x), x));
  // With one zero x0, d/dx_j (j nonzero) = x0 * pnz / x_j: zero in value but still a function of x0,
  // so second derivatives stay right.
  const x0 = expandBack(L.sum(L.where(isZero, x, L.zerosLike(x)), axes), x.shape, axes);
  const oneZero = L.where(isZero, pnz, L.div(L.mul(x0, pnz), L.where(isZero, L.onesLike(x), x)));
  const one = L.scalarLike(x, 1);
  return L.where(L.eq(nzb, zero), noZeros, L.where(L.eq(nzb, one), oneZero, L.zerosLike(x)));
}
export const prodP = reduction(
  'prod',
  (g, x, out, axes) => L.mul(expandBack(g, x.shape, axes), prodGrad(x, out, axes)),
  (t, x, out, axes) => L.sum(L.mul(t, prodGrad(x, out, axes)), axes),
);

function argReduction(op: 'argmax' | 'argmin'): Primitive<AxisParams> {
  const p: Primitive<AxisParams> = definePrimitive<AxisParams>({
    name: op,
    ...NO_DERIVATIVE,
    abstract: ([x], { axis }) => ({ shape: droppedShape(x!.shape, [axis]), dtype: 'int32' }),
    impl: ([x], { axis }, av) => runKernel([x!], { shape: av.shape, dtype: 'int32' }, (be, [xv]) => be.argReduce(op, xv!, axis)),
    batch: ([x], [bd], { axis }) => [bind(p, [L.moveDim(x!, bd!, 0)], { axis: axis + 1 }), 0],
  });
  return p;
}
export const argmaxP = argReduction('argmax');
export const argminP = argReduction('argmin');

export const cumsumP: Primitive<AxisParams> = definePrimitive<AxisParams>({
  name: 'cumsum',
  abstract: ([x]) => ({ shape: x!.shape, dtype: x!.dtype }),
  impl: ([x], { axis }, av) => runKernel([x!], av, (be, [xv]) => be.cumsum(xv!, axis, av.dtype)),
  vjp: (g, _x, _o, { axis }) => [L.flip(L.cumsum(L.flip(g, [axis]), axis), [axis])],
  jvp: ([t], _x, _o, { axis }) => (t ? L.cumsum(t, axis) : null),
  batch: ([x], [bd], { axis }) => [bind(cumsumP, [L.moveDim(x!, bd!, 0)], { axis: axis + 1 }), 0],
});

export interface SortParams {
  axis: number;
  descending: boolean;
}

/** Sorting permutation along an axis; values are gathered with it, so gradients follow the gather. */
export const argsortP: Primitive<SortParams> = definePrimitive<SortParams>({
  name: 'argsort',
  ...NO_DERIVATIVE,
  abstract: ([x]) => ({ shape: x!.shape, dtype: 'int32' }),
  impl: ([x], { axis, descending }, av) => runKernel([x!], { shape: av.shape, dtype: 'int32' }, (be, [xv]) => be.argsort(xv!, axis, descending)),
  batch: ([x], [bd], p) => [bind(argsortP, [L.moveDim(x!, bd!, 0)], { ...p, axis: p.axis + 1 }), 0],
});
