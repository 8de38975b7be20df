// Indexing primitives: gather, scatter (overwrite or accumulate) and indexSelect along one dim.
import { INT_HINT } from '../core/dtype.js';
import { DTypeError, IndexError, ShapeError, fmtShape } from '../core/errors.js';
import { runKernel } from './concrete.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

export interface IndexDimParams {
  dim: number;
}

function checkIndex(fn: string, index: Tensor): void {
  if (index.dtype !== 'int32') throw new DTypeError(`${fn}(): expected index to have dtype int32, got ${index.dtype}${INT_HINT}`);
}

/** Brings batch dims to the front; unbatched operands are broadcast to the batch size. */
function frontAll(xs: readonly Tensor[], bds: readonly (number | null)[], size: number): Tensor[] {
  return xs.map((x, i) => (bds[i] === null ? L.broadcastTo(x, [size, ...x.shape]) : L.moveDim(x, bds[i]!, 0)));
}

export const gatherP: Primitive<IndexDimParams> = definePrimitive<IndexDimParams>({
  name: 'gather',
  saves: [1],
  abstract: ([x, index], { dim }) => {
    checkIndex('gather', index!);
    if (index!.ndim !== x!.ndim || index!.shape.some((d, i) => i !== dim && d > x!.shape[i]!)) {
      throw new ShapeError(
        `gather(): Size does not match at dimension ${dim}: index ${fmtShape(index!.shape)} must have the same number of dims as input ${fmtShape(x!.shape)} and not be larger outside dim ${dim}`,
      );
    }
    return { shape: index!.shape, dtype: x!.dtype };
  },
  impl: ([x, index], { dim }, av) => runKernel([x!, index!], av, (be, [xv, indexv]) => be.gather(xv!, dim, indexv!)),
  vjp: (g, [x, index], _o, { dim }) => [L.scatter(L.zerosLike(x!), index!, g, dim, true), null],
  jvp: ([t], [, index], _o, { dim }) => (t ? L.gather(t, index!, dim) : null),
  batch: (xs, bds, { dim }, size) => {
    const [x, index] = frontAll(xs, bds, size);
    return [bind(gatherP, [x!, index!], { dim: dim + 1 }), 0];
  },
});

export interface ScatterParams {
  dim: number;
  accumulate: boolean;
}

export const scatterP: Primitive<ScatterParams> = definePrimitive<ScatterParams>({
  name: 'scatter',
  saves: [1],
  abstract: ([x, index, src], { dim }) => {
    checkIndex('scatter', index!);
    if (src!.dtype !== x!.dtype) throw new DTypeError(`scatter(): expected src dtype ${x!.dtype}, got ${src!.dtype}`);
    const bad =
      index!.ndim !== x!.ndim ||
      src!.ndim !== x!.ndim ||
      index!.shape.some((d, i) => d > src!.shape[i]! || (i !== dim && d > x!.shape[i]!));
    if (bad) {
      throw new ShapeError(
        `scatter(): index ${fmtShape(index!.shape)} must not be larger than src ${fmtShape(src!.shape)} and, outside dim ${dim}, than self ${fmtShape(x!.shape)}`,
      );
    }
    return { shape: x!.shape, dtype: x!.dtype };
  },
  impl: ([x, index, src], { dim, accumulate }, av) =>
    runKernel([x!, index!, src!], av, (be, [xv, indexv, srcv]) => be.scatter(xv!, dim, indexv!, srcv!, accumulate)),
  vjp: (g, [, index, src], _o, { dim, accumulate }) => {
    const gx = accumulate ? g : L.scatter(g, index!, L.zerosLike(src!), dim, false);
    let gs = L.gather(g, index!, dim);
    if (gs.shape.some((d, i) => d !== src!.shape[i])) gs = L.pad(gs, src!.shape.map((d, i) => [0, d - gs.shape[i]!] as [number, number]), 0);
    return [gx, null, gs];
  },
  jvp: ([tx, , ts], [x, index, src], _o, p) => {
    if (!tx && !ts) return null;
    return L.scatter(tx ?? L.zerosLike(x!), index!, ts ?? L.zerosLike(src!), p.dim, p.accumulate);
  },
  batch: (xs, bds, p, size) => {
    const [x, index, src] = frontAll(xs, bds, size);
    return [bind(scatterP, [x!, index!, src!], { ...p, dim: p.dim + 1 }), 0];
  },
});

export const indexSelectP: Primitive<IndexDimParams> = definePrimitive<IndexDimParams>({
  name: 'indexSelect',
  saves: [1],
  abstract: ([x, index], { dim }) => {
    checkIndex('indexSelect', index!);
    if (index!.ndim !== 1) throw new IndexError(`indexSelect(): index must be 1-D, got shape ${fmtShape(index!.shape)}`);
    const shape = [...x!.shape];
    shape[dim] = index!.shape[0]!;
    return { shape, dtype: x!.dtype };
  },
  impl: ([x, index], { dim }, av) => runKernel([x!, index!], av, (be, [xv, indexv]) => be.indexSelect(xv!, dim, indexv!)),
  vjp: (g, [x, index], _o, { dim }) => {
    const shape = g.shape.map((_, i) => (i === dim ? g.shape[i]! : 1));
    const idx = L.broadcastTo(L.reshape(index!, shape), g.shape);
    return [L.scatter(L.zerosLike(x!), idx, g, dim, true), null];
  },
  jvp: ([t], [, index], _o, { dim }) => (t ? L.indexSelect(t, index!, dim) : null),
  batch: ([x, index], [bx, bi], { dim }, size) => {
    if (bi === null) return [L.indexSelect(L.moveDim(x!, bx!, 0), index!, dim + 1), 0];
    // A batched index: each example selects its own rows, which is a gather over an expanded index.
    const xf = bx === null ? L.broadcastTo(x!, [size, ...x!.shape]) : L.moveDim(x!, bx!, 0);
    const idx = L.moveDim(index!, bi!, 0);
    const outShape = [...xf.shape];
    outShape[dim + 1] = idx.shape[1]!;
    const view = outShape.map((d, i) => (i === 0 || i === dim + 1 ? d : 1));
    return [L.gather(xf, L.broadcastTo(L.reshape(idx, view), outShape), dim + 1), 0];
  },
});
