// Shared pieces of the generated WGSL: how each dtype sits in a u32 word, conversions with the
// reference backend's rounding, strided index arithmetic, and the host-side layout simplification that
// keeps the number of kernel variants (one per rank) small.
import type { DType } from '../../core/dtype.js';
import { contiguousStrides } from '../../core/shape.js';

/**
 * The two WGSL value kinds kernels compute in: 'f' = f32 (float32), 'i' = i32 (int32, and bool as
 * 0 / 1). Every buffer is an `array<u32>`; float32 and int32 are bitcast, bool holds 0u or 1u.
 */
export type Kind = 'f' | 'i';

/** The kind a dtype's values are computed in. */
export const kindOf = (d: DType): Kind => (d === 'float32' ? 'f' : 'i');
/** The WGSL type of a kind. */
export const wgslType = (k: Kind): string => (k === 'f' ? 'f32' : 'i32');
/** Whether a dtype holds integers (int32 or bool). */
export const isIntDType = (d: DType): boolean => d === 'int32' || d === 'bool';

/** A WGSL expression reading element `idx` (a u32 expression) of buffer `buf` as `dtype`'s kind. */
export function load(buf: string, idx: string, dtype: DType): string {
  if (dtype === 'float32') return `bitcast<f32>(${buf}[${idx}])`;
  if (dtype === 'int32') return `bitcast<i32>(${buf}[${idx}])`;
  return `i32(${buf}[${idx}])`;
}

/** Converts expression `e` of kind `from` to a value of `dtype` (rounded as storing into that dtype would). */
export function toDType(e: string, from: Kind, dtype: DType): string {
  if (dtype === 'float32') return from === 'f' ? e : `f32(${e})`;
  if (dtype === 'int32') return from === 'f' ? `f2i(${e})` : e;
  return from === 'f' ? `select(0, 1, nz_f(${e}))` : `select(0, 1, (${e}) != 0)`;
}

/** Converts expression `e` of kind `from` to kind `to` (f32 -> i32 truncates as ToInt32). */
export function toKind(e: string, from: Kind, to: Kind): string {
  if (from === to) return e;
  return to === 'f' ? `f32(${e})` : `f2i(${e})`;
}

/** The u32 word that stores `e` (already of `dtype`'s kind) as `dtype`. */
export function storeWord(e: string, dtype: DType): string {
  if (dtype === 'bool') return `u32(${e})`;
  return `bitcast<u32>(${e})`;
}

/** A WGSL boolean expression: `e` (of kind k) is nonzero as JavaScript sees it. */
export function nonzero(e: string, k: Kind): string {
  return k === 'f' ? `nz_f(${e})` : `((${e}) != 0)`;
}

/** The host word array of `dtype` for upload (bool -> Uint32Array of 0 / 1). */
export function hostWords(dtype: DType, data: ArrayLike<number>): Float32Array | Int32Array | Uint32Array {
  const n = data.length;
  if (dtype === 'float32') return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
  if (dtype === 'int32') {
    if (data instanceof Int32Array) return data;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(data[i]);
    return out;
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = Number(data[i]) !== 0 ? 1 : 0;
  return out;
}

/** The u32 bits of one value stored as `dtype`. */
export function scalarBits(dtype: DType, v: number): number {
  const w = hostWords(dtype, [v]);
  return new Int32Array(w.buffer, w.byteOffset, 1)[0]!;
}

/** A layout after simplification: common shape and one stride list per operand. */
export interface Layout {
  /** The merged iteration shape (row-major order of operand 0 preserved). */
  shape: number[];
  /** Strides per operand over `shape`. */
  strides: number[][];
}

/**
 * Drops size-1 dims and merges neighbouring dims that every operand walks as one, keeping the
 * row-major order of the iteration (so operand 0 may be the contiguous output).
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Layout {
  const out: Layout = { shape: [], strides: strides.map(() => []) };
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const r = out.shape.length;
    if (r > 0 && strides.every((s, k) => out.strides[k]![r - 1] === s[d]! * n)) {
      out.shape[r - 1] = out.shape[r - 1]! * n;
      strides.forEach((s, k) => (out.strides[k]![r - 1] = s[d]!));
      continue;
    }
    out.shape.push(n);
    strides.forEach((s, k) => out.strides[k]!.push(s[d]!));
  }
  return out;
}

/** Strides of a view broadcast (right-aligned) to `shape`: 0 on new or expanded dims. */
export function broadcastTo(fn: string, shape: readonly number[], vShape: readonly number[], vStrides: readonly number[]): number[] {
  const r = shape.length;
  const vr = vShape.length;
  if (vr > r) throw new Error(`${fn}: cannot broadcast shape [${vShape.join(', ')}] to [${shape.join(', ')}]`);
  const out = new Array<number>(r).fill(0);
  for (let i = 0; i < vr; i++) {
    const d = vShape[i]!;
    const o = shape[r - vr + i]!;
    if (d === o) out[r - vr + i] = d === 1 ? 0 : vStrides[i]!;
    else if (d !== 1) throw new Error(`${fn}: cannot broadcast shape [${vShape.join(', ')}] to [${shape.join(', ')}]`);
  }
  return out;
}

/** Row-major strides of `shape`. */
export const rowMajor = (shape: readonly number[]): number[] => contiguousStrides(shape);

/** Product of a shape. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * WGSL statements that set `i32` variables `<names[k]>` to operand k's element offset for linear index
 * `idx` (u32) of an iteration space of `rank` dims. The shape is at P(shapeAt...), operand k's offset at
 * P(opAt[k]) followed by its strides.
 */
export function offsetCode(idx: string, rank: number, shapeAt: number, opAt: readonly number[], names: readonly string[], tag = 'q'): string {
  const lines = opAt.map((at, k) => `var ${names[k]}: i32 = P(${at}u);`);
  if (rank > 0) lines.push(`var ${tag}r: u32 = ${idx};`);
  for (let d = rank - 1; d >= 0; d--) {
    if (d > 0) {
      lines.push(`let ${tag}s${d} = u32(P(${shapeAt + d}u));`);
      lines.push(`let ${tag}c${d} = i32(${tag}r % ${tag}s${d}); ${tag}r = ${tag}r / ${tag}s${d};`);
    } else {
      lines.push(`let ${tag}c0 = i32(${tag}r);`);
    }
    opAt.forEach((at, k) => lines.push(`${names[k]} += ${tag}c${d} * P(${at + 1 + d}u);`));
  }
  return lines.join('\n  ');
}

/** Prelude of a 1-D kernel: `i` = global linear index, returns when i >= P(0). */
export const LINEAR_MAIN = `@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = (wid.y * nwg.x + wid.x) * 256u + li;
  if (i >= u32(P(0u))) { return; }`;

/** Storage binding declarations: `b0`... at bindings 1... as arrays of u32 (atomic<u32> for 'atomic'). */
export function bindings(access: readonly ('read' | 'write' | 'atomic')[]): string {
  return access
    .map((a, k) => {
      const ty = a === 'atomic' ? 'array<atomic<u32>>' : 'array<u32>';
      return `@group(0) @binding(${k + 1}) var<storage, ${a === 'read' ? 'read' : 'read_write'}> b${k}: ${ty};`;
    })
    .join('\n') + '\n';
}

/** Number of vec4<i32> that hold `n` parameters (at least one). */
export const vec4s = (n: number): number => Math.max(1, Math.ceil(n / 4));
