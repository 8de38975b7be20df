// Matrix helpers over the last two dims shared by the linear-algebra primitives' rules (triangles,
// diagonals, symmetric parts, unpacking of packed results). Plain compositions of primitives, so the
// rules built from them stay differentiable and batchable.
import type { DType } from '../core/dtype.js';
import type { Device } from '../backend/backend.js';
import { deviceOf, fromHost, scalar, viewOf } from './concrete.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Constant bool [n, m] on `device`: true where col - row >= k (upper) or col - row <= k (lower). */
export function triMask(n: number, m: number, k: number, upper: boolean, device: Device): Tensor {
  const data = new Array<number>(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) data[i * m + j] = (upper ? j - i >= k : j - i <= k) ? 1 : 0;
  return fromHost(data, [n, m], 'bool', device);
}

const zero = (x: Tensor) => scalar(0, x.dtype, deviceOf(x));
const dims2 = (x: Tensor) => x.shape.slice(-2) as [number, number];

/** Elements on and below diagonal k of the last two dims, zeros elsewhere. */
export const tril = (x: Tensor, k = 0): Tensor => L.where(triMask(...dims2(x), k, false, deviceOf(x)), x, zero(x));
/** Elements on and above diagonal k of the last two dims, zeros elsewhere. */
export const triu = (x: Tensor, k = 0): Tensor => L.where(triMask(...dims2(x), k, true, deviceOf(x)), x, zero(x));

/** The main diagonal of the last two dims: [..., n, m] -> [..., min(n, m)]. */
export function diagOf(x: Tensor): Tensor {
  const [n, m] = dims2(x);
  const k = Math.min(n, m);
  const sq = n === k && m === k ? x : L.slice(L.slice(x, { dim: x.ndim - 2, start: 0, end: k, step: 1 }), { dim: x.ndim - 1, start: 0, end: k, step: 1 });
  return L.sum(L.where(eyeMask(k, deviceOf(x)), sq, zero(x)), [x.ndim - 1]);
}

/** Constant bool [n, n] on `device`, true on the diagonal. */
export function eyeMask(n: number, device: Device): Tensor {
  const data = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return fromHost(data, [n, n], 'bool', device);
}

/** [..., n] -> [..., n, n] with v on the diagonal. */
export function diagEmbed(v: Tensor): Tensor {
  const n = v.shape[v.ndim - 1]!;
  return L.where(eyeMask(n, deviceOf(v)), L.reshape(v, [...v.shape.slice(0, -1), 1, n]), zero(v));
}

/** (x + xᵀ) / 2 over the last two dims. */
export const sym = (x: Tensor): Tensor => L.mul(L.add(x, L.mT(x)), scalar(0.5, x.dtype, deviceOf(x)));

/** x - xᵀ over the last two dims. */
export const skew = (x: Tensor): Tensor => L.sub(x, L.mT(x));

/** Rows [start, end) of the last-but-one dim. */
export const rows = (x: Tensor, start: number, end: number): Tensor => L.slice(x, { dim: x.ndim - 2, start, end, step: 1 });
/** Columns [start, end) of the last dim. */
export const cols = (x: Tensor, start: number, end: number): Tensor => L.slice(x, { dim: x.ndim - 1, start, end, step: 1 });

/** The piece [offset, offset + prod(shape)) of the flat last dim of `packed`, as [..., ...shape]. */
export function unpackFlat(packed: Tensor, offset: number, shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const piece = L.slice(packed, { dim: packed.ndim - 1, start: offset, end: offset + size, step: 1 });
  return L.reshape(piece, [...packed.shape.slice(0, -1), ...shape]);
}

/** Flattens the last `rank` dims of each piece and concatenates them along the last dim. */
export function packFlat(pieces: readonly Tensor[], ranks: readonly number[]): Tensor {
  const flat = pieces.map((p, i) => {
    const r = ranks[i]!;
    const lead = p.shape.slice(0, p.ndim - r);
    return L.reshape(p, [...lead, p.shape.slice(p.ndim - r).reduce((a, b) => a * b, 1)]);
  });
  return L.concat(flat, flat[0]!.ndim - 1);
}

/** `x` multiplied by the number v (kept in x's dtype). */
export const scale = (x: Tensor, v: number): Tensor => L.mul(x, scalar(v, x.dtype, deviceOf(x)));

/** An all-zero tensor of `shape` and `dtype` on `device`. */
export const zeros = (shape: number[], dtype: DType, device: Device): Tensor => L.broadcastTo(scalar(0, dtype, device), shape);

/**
 * Row r of the last two dims of a concrete tensor, as a view of its storage (no kernel call): for
 * impls that return one row of a packed kernel result.
 */
export function rowView(packed: Tensor, r: number): Tensor {
  const nd = packed.ndim;
  const st = packed._strides;
  return viewOf(packed, [...packed.shape.slice(0, nd - 2), packed.shape[nd - 1]!], [...st.slice(0, nd - 2), st[nd - 1]!], packed._offset + r * st[nd - 2]!);
}
