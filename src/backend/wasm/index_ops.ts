// gather, indexSelect (a gather whose index is broadcast along the other dims) and scatter /
// scatter-add as generated loops in which one operand's address along `dim` comes from the index.
// Indices are checked in JS first; a bad index, bad shapes, bool accumulation and ranks above 6 are
// the reference's (it reports them), so this file only ever computes valid cases.
import { contiguousStrides, numel } from '../../core/shape.js';
import type { View } from '../backend.js';
import { jsBackend } from '../cpu/index.js';
import { Fn } from './asm.js';
import { LOAD, STORE } from './dtype_ops.js';
import { ELEM_BYTES, SMALL_BYTES, WasmBuf, acquire, settle, typed } from './buffers.js';
import { copy } from './elementwise.js';
import { kernelFor } from './memory.js';

type Kind = 'gather' | 'scatter' | 'scatterAdd';
const RANK = 6;
const ADD = { float32: 'f32.add', float64: 'f64.add', int32: 'i32.add' } as const;

const cache = new Map<string, (...a: number[]) => void>();

/**
 * k(out, idx, src, n0..n5, out strides (6), idx strides (6), src strides (6)), strides in bytes;
 * `sd` is the byte stride along dim of the operand addressed by the index (src for a gather, out
 * for a scatter), whose own stride along dim is 0.
 */
function kernel(kind: Kind, dt: View['dtype'], sd: number): (...a: number[]) => void {
  return kernelFor(`index:${kind}:${dt}:${sd}`, () => {
    const f = new Fn(new Array(3 + RANK * 4).fill('i32'));
    const n = (d: number) => 3 + d;
    const st = (op: number, d: number) => 3 + RANK + op * RANK + d;
    const idx = Array.from({ length: RANK }, () => f.local('i32'));
    const p = [0, 1, 2].map(() => f.local('i32'));
    const at = f.local('i32');
    const load = LOAD[dt];
    const store = STORE[dt];
    const outer = idx.slice(0, RANK - 1);
    const d = RANK - 1;
    f.nest(outer, n, () => {
      for (let o = 0; o < 3; o++) f.address(p[o]!, o, outer, (e) => st(o, e));
      f.forLoop(idx[d]!, (g) => g.i32(0), (g) => g.get(n(d)), 1, () => {
        // at = (the indexed operand's pointer) + index * sd
        f.get(kind === 'gather' ? p[2]! : p[0]!).get(p[1]!).mem('i32.load').i32(sd).op('i32.mul', 'i32.add').set(at);
        if (kind === 'gather') f.get(p[0]!).get(at).mem(load).mem(store);
        else if (kind === 'scatter') f.get(at).get(p[2]!).mem(load).mem(store);
        else f.get(at).get(at).mem(load).get(p[2]!).mem(load).op(ADD[dt as keyof typeof ADD]).mem(store);
        for (let o = 0; o < 3; o++) f.get(p[o]!).get(st(o, RANK - 1)).op('i32.add').set(p[o]!);
      });
    });
    return f;
  }).k;
}

const pad = (xs: readonly number[], fill: number) => [...new Array<number>(RANK - xs.length).fill(fill), ...xs];

/** Whether every index (read on the host) lies in [0, size). */
function inRange(index: View<WasmBuf>, size: number): boolean {
  if (index.dtype !== 'int32') return false;
  const host = jsBackend.read({ ...index, buf: typed(index.buf) });
  for (let i = 0; i < host.length; i++) if (!(host[i]! >= 0 && host[i]! < size)) return false;
  return true;
}

/** Runs kernel `kind` over `shape` with the three operands' element strides. */
function launch(kind: Kind, dt: View['dtype'], sd: number, shape: readonly number[], ops: readonly [WasmBuf, number, readonly number[]][], outFirst: WasmBuf): void {
  acquire(ops.slice(1).map(([b]) => b), [outFirst]);
  const es = [ELEM_BYTES[dt], 4, ELEM_BYTES[dt]];
  kernel(kind, dt, sd * ELEM_BYTES[dt])(
    ...ops.map(([b, off], o) => b.ptr + off * es[o]!),
    ...pad(shape, 1),
    ...ops.flatMap(([, , s], o) => pad(s, 0).map((x) => x * es[o]!)),
  );
  settle();
}

export function gather(x: View<WasmBuf>, dim: number, index: View<WasmBuf>): WasmBuf | null {
  const rank = x.shape.length;
  if (rank === 0 || rank > RANK || index.shape.length !== rank || !(dim >= 0 && dim < rank)) return null;
  if (index.shape.some((s, d) => d !== dim && s > x.shape[d]!)) return null;
  const n = numel(index.shape);
  if (n * ELEM_BYTES[x.dtype] <= SMALL_BYTES || !inRange(index, x.shape[dim]!)) return null;
  const out = new WasmBuf(x.dtype, n);
  const xs = x.strides.map((s, d) => (d === dim ? 0 : s));
  launch('gather', x.dtype, x.strides[dim]!, index.shape, [[out, 0, contiguousStrides(index.shape)], [index.buf, index.offset, index.strides], [x.buf, x.offset, xs]], out);
  return out;
}

export function indexSelect(x: View<WasmBuf>, dim: number, index: View<WasmBuf>): WasmBuf | null {
  const rank = x.shape.length;
  if (rank === 0 || rank > RANK || index.shape.length > 1 || !(dim >= 0 && dim < rank)) return null;
  const K = index.shape.length === 0 ? 1 : index.shape[0]!;
  const shape = x.shape.map((s, d) => (d === dim ? K : s));
  const n = numel(shape);
  if (n * ELEM_BYTES[x.dtype] <= SMALL_BYTES || !inRange(index, x.shape[dim]!)) return null;
  const out = new WasmBuf(x.dtype, n);
  const is = shape.map((_, d) => (d === dim && index.shape.length === 1 ? index.strides[0]! : 0));
  const xs = x.strides.map((s, d) => (d === dim ? 0 : s));
  launch('gather', x.dtype, x.strides[dim]!, shape, [[out, 0, contiguousStrides(shape)], [index.buf, index.offset, is], [x.buf, x.offset, xs]], out);
  return out;
}

export function scatter(x: View<WasmBuf>, dim: number, index: View<WasmBuf>, src: View<WasmBuf>, accumulate: boolean): WasmBuf | null {
  const rank = x.shape.length;
  if (rank === 0 || rank > RANK || index.shape.length !== rank || src.shape.length !== rank || !(dim >= 0 && dim < rank)) return null;
  if (src.dtype !== x.dtype || (accumulate && x.dtype === 'bool')) return null;
  if (index.shape.some((s, d) => (d !== dim && s > x.shape[d]!) || s > src.shape[d]!)) return null;
  if (numel(x.shape) * ELEM_BYTES[x.dtype] <= SMALL_BYTES || !inRange(index, x.shape[dim]!)) return null;
  const out = copy(x, x.dtype);
  if (out === null) return null;
  const os = contiguousStrides(x.shape);
  const sd = os[dim]!;
  os[dim] = 0;
  // One thread, in the index's row-major order: with repeated indices the last write wins, as the reference.
  launch(accumulate ? 'scatterAdd' : 'scatter', x.dtype, sd, index.shape, [[out, 0, os], [index.buf, index.offset, index.strides], [src.buf, src.offset, src.strides]], out);
  return out;
}
