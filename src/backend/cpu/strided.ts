// Shared strided-iteration machinery: broadcasting strides, dim sorting/collapsing, row iteration and loop codegen.
import type { DType, TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';

/** Strides of `v` broadcast (right-aligned) to `shape`: 0 for new or size-1-expanded dims. */
export function broadcastStrides(fn: string, v: Pick<View, 'shape' | 'strides'>, shape: readonly number[]): number[] {
  const r = shape.length;
  const vr = v.shape.length;
  if (vr > r) throw new Error(`${fn}: cannot broadcast shape [${v.shape.join(', ')}] to [${shape.join(', ')}]`);
  const out = new Array<number>(r).fill(0);
  for (let i = 0; i < vr; i++) {
    const d = v.shape[i]!;
    const o = shape[r - vr + i]!;
    if (d === o) out[r - vr + i] = d === 1 ? 0 : v.strides[i]!;
    else if (d === 1) out[r - vr + i] = 0;
    else throw new Error(`${fn}: cannot broadcast shape [${v.shape.join(', ')}] to [${shape.join(', ')}]`);
  }
  return out;
}

export { contiguousStrides as rowMajor, numel as sizeOf } from '../../core/shape.js';
import { numel as sizeOf } from '../../core/shape.js';

export interface Layout {
  shape: number[];
  strides: number[][];
}

/**
 * Simplifies an iteration space shared by several operands: drops size-1 dims, optionally orders dims by
 * decreasing |stride| of operand `sortBy` (for memory locality), and merges adjacent dims that are
 * mergeable for every operand. The result visits the same (operand offsets) set in a possibly different order.
 */
export function simplify(shape: readonly number[], strides: readonly (readonly number[])[], sortBy = -1): Layout {
  const nops = strides.length;
  let dims: number[] = [];
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) dims.push(d);
  if (sortBy >= 0 && dims.length > 1) {
    const key = strides[sortBy]!;
    // Stable insertion sort by |stride| descending.
    const ds = dims.slice();
    for (let i = 1; i < ds.length; i++) {
      const d = ds[i]!;
      const k = Math.abs(key[d]!);
      let j = i - 1;
      while (j >= 0 && Math.abs(key[ds[j]!]!) < k) {
        ds[j + 1] = ds[j]!;
        j--;
      }
      ds[j + 1] = d;
    }
    dims = ds;
  }
  const outShape: number[] = [];
  const outStrides: number[][] = [];
  for (let k = 0; k < nops; k++) outStrides.push([]);
  for (const d of dims) {
    const n = outShape.length;
    if (n > 0) {
      const inner = shape[d]!;
      let ok = true;
      for (let k = 0; k < nops; k++) {
        if (outStrides[k]![n - 1] !== strides[k]![d]! * inner) {
          ok = false;
          break;
        }
      }
      if (ok) {
        outShape[n - 1] = outShape[n - 1]! * inner;
        for (let k = 0; k < nops; k++) outStrides[k]![n - 1] = strides[k]![d]!;
        continue;
      }
    }
    outShape.push(shape[d]!);
    for (let k = 0; k < nops; k++) outStrides[k]!.push(strides[k]![d]!);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Iterates over all "rows" (all dims but the innermost) of an iteration space, maintaining the base offset of
 * each operand incrementally (no index decomposition). Usage:
 *   for (let r = 0; r < it.rows; r++) { ...tight loop over it.inner with it.innerStrides from it.base...; it.step(); }
 */
export class Rows {
  readonly rows: number;
  readonly inner: number;
  readonly innerStrides: number[];
  readonly base: number[];
  private readonly shape: number[];
  private readonly strides: number[][];
  private readonly cnt: Int32Array;

  constructor(shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[], sortBy = -1) {
    const L = simplify(shape, strides, sortBy);
    const nd = L.shape.length;
    const n = sizeOf(shape);
    this.inner = nd === 0 ? 1 : L.shape[nd - 1]!;
    this.rows = n === 0 ? 0 : n / this.inner;
    this.innerStrides = L.strides.map((s) => (nd === 0 ? 0 : s[nd - 1]!));
    this.base = offsets.slice();
    this.shape = L.shape.slice(0, Math.max(nd - 1, 0));
    this.strides = L.strides.map((s) => s.slice(0, Math.max(nd - 1, 0)));
    this.cnt = new Int32Array(this.shape.length);
  }

  step(): void {
    const shape = this.shape;
    const cnt = this.cnt;
    const base = this.base;
    const strides = this.strides;
    const nops = base.length;
    for (let d = shape.length - 1; d >= 0; d--) {
      const c = cnt[d]! + 1;
      if (c < shape[d]!) {
        cnt[d] = c;
        for (let k = 0; k < nops; k++) base[k] = base[k]! + strides[k]![d]!;
        return;
      }
      cnt[d] = 0;
      const back = shape[d]! - 1;
      for (let k = 0; k < nops; k++) base[k] = base[k]! - strides[k]![d]! * back;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Loop code generation. A generated kernel has the signature
//   (shape, b0, s0, o0, b1, s1, o1, ...) => void
// where operand k is buffer bK with strides sK and offset oK over the (already simplified) iteration `shape`.
// `body` is a statement using pK (the current offset of operand k), e.g. "b0[p0] = b1[p1] + b2[p2];".

/** Helpers visible by name inside generated kernels. */
export type Helpers = Record<string, unknown>;

export interface LoopSpec {
  nops: number;
  /** Statement executed per element, using bK and pK. */
  body: string;
  /**
   * Reduction mode: operand 0 is the accumulator; `acc` is an associative expression of `a` (accumulated value)
   * and `v` (= b1[p1]). Adds a fast path that keeps the accumulators in registers when operand 0's inner stride
   * is 0 (the innermost dim is reduced).
   */
  acc?: string;
}

export function genLoopSource(spec: LoopSpec): string {
  const ops = Array.from({ length: spec.nops }, (_, k) => k);
  const params = ['shape', ...ops.flatMap((k) => [`b${k}`, `s${k}`, `o${k}`])].join(', ');
  const all = (f: (k: number) => string, sep = ' ') => ops.map(f).join(sep);
  // V8 re-checks typed arrays on every loop iteration, so the inner loops are unrolled by 4.
  // Contiguous rows index operand 0 absolutely and the others by a fixed delta from it.
  const contigAt = (j: string) => `{ const p0 = ${j}; ${all((k) => (k === 0 ? '' : `const p${k} = ${j} + d${k};`))} ${spec.body} }`;
  // Fully contiguous operands at offset 0 (the common case): plain indices.
  const flatAt = (j: string) => `{ ${all((k) => `const p${k} = ${j};`)} ${spec.body} }`;
  const stridedStep = `{ ${spec.body} ${all((k) => `p${k} += t${k};`)} }`;
  let reduceFast = '';
  if (spec.acc !== undefined) {
    const others = ops.filter((k) => k !== 0);
    reduceFast = `
      if (t0 === 0) {
        let a = b0[q0];
        if (${others.map((k) => `t${k} === 1`).join(' && ')}) {
          let i = 0;
          if (inner >= 8) {
            // Four independent accumulators break the add-latency chain.
            let a1 = b1[q1 + 1], a2 = b1[q1 + 2], a3 = b1[q1 + 3];
            a = f(a, b1[q1]);
            for (i = 4; i + 4 <= inner; i += 4) {
              const p = q1 + i;
              a = f(a, b1[p]); a1 = f(a1, b1[p + 1]); a2 = f(a2, b1[p + 2]); a3 = f(a3, b1[p + 3]);
            }
            a = f(f(a, a1), f(a2, a3));
          }
          for (; i < inner; i++) a = f(a, b1[q1 + i]);
        } else {
          ${others.map((k) => `let p${k} = q${k};`).join(' ')}
          for (let i = 0; i < inner; i++) { a = f(a, b1[p1]); ${others.map((k) => `p${k} += t${k};`).join(' ')} }
        }
        b0[q0] = a;
      } else `;
  }
  // One operand broadcast along the row (a scalar or a row vector), the others contiguous: its offset is
  // fixed for the whole row, so it is not stepped per element.
  const broadcastRow = ops
    .filter((z) => z > 0)
    .map((z) => {
      const at = (j: string) => `{ const p0 = ${j}; ${all((k) => (k === 0 || k === z ? '' : `const p${k} = ${j} + d${k};`))} ${spec.body} }`;
      return `if (${all((k) => (k === z ? `t${k} === 0` : `t${k} === 1`), ' && ')}) {
      ${all((k) => (k === 0 || k === z ? '' : `const d${k} = q${k} - q0;`))}
      const p${z} = q${z};
      let i = q0;
      const e = q0 + inner;
      for (; i + 4 <= e; i += 4) { ${at('i')} ${at('i + 1')} ${at('i + 2')} ${at('i + 3')} }
      for (; i < e; i++) ${at('i')}
    } else `;
    })
    .join('');
  const accFn = spec.acc !== undefined ? `const f = (a, v) => ${spec.acc};` : '';
  return `
return function kernel(${params}) {
  ${accFn}
  const nd = shape.length;
  if (nd === 0) { ${all((k) => `const p${k} = o${k};`)} ${spec.body} return; }
  let n = 1;
  for (let d = 0; d < nd; d++) n *= shape[d];
  if (n === 0) return;
  const last = nd - 1;
  const inner = shape[last];
  ${all((k) => `const t${k} = s${k}[last];`)}
  const contig = ${all((k) => `t${k} === 1`, ' && ')};
  if (nd === 1 && contig && ${all((k) => `o${k} === 0`, ' && ')}) {
    let i = 0;
    for (; i + 4 <= n; i += 4) { ${flatAt('i')} ${flatAt('i + 1')} ${flatAt('i + 2')} ${flatAt('i + 3')} }
    for (; i < n; i++) ${flatAt('i')}
    return;
  }
  ${all((k) => `let q${k} = o${k};`)}
  const cnt = new Int32Array(nd);
  const rows = n / inner;
  for (let r = 0; r < rows; r++) {
    ${reduceFast}${broadcastRow}if (contig) {
      ${all((k) => (k === 0 ? '' : `const d${k} = q${k} - q0;`))}
      let i = q0;
      const e = q0 + inner;
      for (; i + 4 <= e; i += 4) { ${contigAt('i')} ${contigAt('i + 1')} ${contigAt('i + 2')} ${contigAt('i + 3')} }
      for (; i < e; i++) ${contigAt('i')}
    } else {
      ${all((k) => `let p${k} = q${k};`)}
      let i = 0;
      for (; i + 4 <= inner; i += 4) { ${stridedStep} ${stridedStep} ${stridedStep} ${stridedStep} }
      for (; i < inner; i++) ${stridedStep}
    }
    for (let d = last - 1; d >= 0; d--) {
      const c = cnt[d] + 1;
      if (c < shape[d]) { cnt[d] = c; ${all((k) => `q${k} += s${k}[d];`)} break; }
      cnt[d] = 0;
      const back = shape[d] - 1;
      ${all((k) => `q${k} -= s${k}[d] * back;`)}
    }
  }
};`;
}

export type Kernel = (shape: readonly number[], ...args: any[]) => void;

const kernelCache = new Map<string, Kernel>();

/**
 * Returns a compiled loop kernel for `spec`, cached under `key`. The key must include the dtypes of every
 * operand so that each compiled function sees a single typed-array type per operand (monomorphic loads/stores).
 * `spec` may be a function, called only on a cache miss, for specs that cost something to build.
 */
export function getKernel(key: string, spec: LoopSpec | (() => LoopSpec), helpers: Helpers = {}): Kernel {
  let k = kernelCache.get(key);
  if (k === undefined) {
    const names = Object.keys(helpers);
    const src = genLoopSource(typeof spec === 'function' ? spec() : spec);
    const make = new Function(...names, src) as (...h: unknown[]) => Kernel;
    k = make(...names.map((n) => helpers[n]));
    kernelCache.set(key, k);
  }
  return k;
}

/** Runs `kernel` over `shape` for the given operands (buffer, strides, offset), simplifying the layout first. */
export function runKernel(
  kernel: Kernel,
  shape: readonly number[],
  bufs: readonly TypedArray[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  sortBy = -1,
): void {
  const L = simplify(shape, strides, sortBy);
  const args: unknown[] = [];
  for (let k = 0; k < bufs.length; k++) args.push(bufs[k], L.strides[k], offsets[k]);
  kernel(L.shape, ...args);
}

/** Expression converting a double `e` into a value suitable for storing into `dtype` (bool is 0/1). */
export function storeExpr(dtype: DType, e: string): string {
  return dtype === 'bool' ? `((${e}) !== 0 ? 1 : 0)` : e;
}

export function isContiguousView(v: Pick<View, 'shape' | 'strides'>): boolean {
  let acc = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i]!;
    if (d !== 1 && v.strides[i] !== acc) return false;
    acc *= d;
  }
  return true;
}
