// Batched matmul: packed panels + 4x4 register-tiled micro-kernel (float64 accumulation), batch broadcasting.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';
import { broadcastStrides, sizeOf } from './strided.js';

const MR = 4;
const NR = 4;
const KC = 256; // k-block: a 4 x KC panel of A and of B stay in L1
const NC = 256; // n-block: a KC x NC block of packed B stays in L2

/** One strided matrix operand: element (i, j) lives at buf[off + i * rs + j * cs]. */
interface Mat {
  buf: TypedArray;
  off: number;
  rs: number;
  cs: number;
}

/** Packs A (m x k) into row panels of MR rows, k-major within a panel: Ap[ip*MR*k + p*MR + r]. Pads with 0. */
function packA(a: Mat, m: number, k: number, Ap: Float64Array): void {
  const { buf, off, rs, cs } = a;
  const mp = Math.ceil(m / MR);
  for (let ip = 0; ip < mp; ip++) {
    const base = ip * MR * k;
    for (let r = 0; r < MR; r++) {
      const i = ip * MR + r;
      let q = base + r;
      if (i < m) {
        let src = off + i * rs;
        for (let p = 0; p < k; p++) {
          Ap[q] = buf[src]!;
          q += MR;
          src += cs;
        }
      } else {
        for (let p = 0; p < k; p++) {
          Ap[q] = 0;
          q += MR;
        }
      }
    }
  }
}

/** Packs B (k x n) into column panels of NR columns, k-major within a panel: Bp[jp*NR*k + p*NR + c]. Pads with 0. */
function packB(b: Mat, k: number, n: number, Bp: Float64Array): void {
  const { buf, off, rs, cs } = b;
  const np = Math.ceil(n / NR);
  const panel = NR * k;
  for (let p = 0; p < k; p++) {
    let src = off + p * rs;
    const rowBase = p * NR;
    for (let j = 0; j < n; j++) {
      Bp[(j >> 2) * panel + rowBase + (j & 3)] = buf[src]!;
      src += cs;
    }
    for (let j = n; j < np * NR; j++) Bp[(j >> 2) * panel + rowBase + (j & 3)] = 0;
  }
}

/** C (mp*MR x np*NR, row-major, zeroed) += Ap @ Bp. */
function gemmPacked(Ap: Float64Array, Bp: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  const mp = Math.ceil(m / MR);
  const np = Math.ceil(n / NR);
  const ldc = np * NR;
  const ncp = NC / NR;
  for (let jc = 0; jc < np; jc += ncp) {
    const jEnd = Math.min(jc + ncp, np);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = Math.min(KC, k - pc);
      for (let ip = 0; ip < mp; ip++) {
        const aBase = ip * MR * k + pc * MR;
        for (let jp = jc; jp < jEnd; jp++) {
          let pa = aBase;
          let pb = jp * NR * k + pc * NR;
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          for (let p = 0; p < kb; p++) {
            const a0 = Ap[pa]!, a1 = Ap[pa + 1]!, a2 = Ap[pa + 2]!, a3 = Ap[pa + 3]!;
            const b0 = Bp[pb]!, b1 = Bp[pb + 1]!, b2 = Bp[pb + 2]!, b3 = Bp[pb + 3]!;
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            pa += MR;
            pb += NR;
          }
          let q = ip * MR * ldc + jp * NR;
          C[q] += c00; C[q + 1] += c01; C[q + 2] += c02; C[q + 3] += c03; q += ldc;
          C[q] += c10; C[q + 1] += c11; C[q + 2] += c12; C[q + 3] += c13; q += ldc;
          C[q] += c20; C[q + 1] += c21; C[q + 2] += c22; C[q + 3] += c23; q += ldc;
          C[q] += c30; C[q + 1] += c31; C[q + 2] += c32; C[q + 3] += c33;
        }
      }
    }
  }
}

/** Small/skinny products straight from the strided operands, written to out[oOff + i*n + j]. */
function gemmSmall(a: Mat, b: Mat, m: number, n: number, k: number, out: TypedArray, oOff: number, toBool: boolean): void {
  const ab = a.buf, bb = b.buf;
  if (n < NR || m * n * k <= 512) {
    // Dot products.
    for (let i = 0; i < m; i++) {
      const ai = a.off + i * a.rs;
      for (let j = 0; j < n; j++) {
        let s = 0;
        let pa = ai;
        let pb = b.off + j * b.cs;
        for (let p = 0; p < k; p++) {
          s += ab[pa]! * bb[pb]!;
          pa += a.cs;
          pb += b.rs;
        }
        out[oOff + i * n + j] = toBool ? (s !== 0 ? 1 : 0) : s;
      }
    }
    return;
  }
  if (k <= 4 && !toBool) {
    // Outer-product-like (per-sample gradients): each output element is a sum of at most 4 products,
    // written once, with no accumulator row to fill and copy.
    const acs = a.cs, brs = b.rs, bcs = b.cs;
    for (let i = 0; i < m; i++) {
      const ai = a.off + i * a.rs;
      const o = oOff + i * n;
      if (k === 1) {
        const av = ab[ai]!;
        let pb = b.off;
        for (let j = 0; j < n; j++) {
          out[o + j] = av * bb[pb]!;
          pb += bcs;
        }
      } else {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += ab[ai + p * acs]! * bb[b.off + p * brs + j * bcs]!;
          out[o + j] = sum;
        }
      }
    }
    return;
  }
  // Few rows: accumulate rows of B into a float64 row.
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    let pa = a.off + i * a.rs;
    for (let p = 0; p < k; p++) {
      const av = ab[pa]!;
      pa += a.cs;
      let pb = b.off + p * b.rs;
      const cs = b.cs;
      if (cs === 1) {
        for (let j = 0; j < n; j++) acc[j] += av * bb[pb + j]!;
      } else {
        for (let j = 0; j < n; j++) {
          acc[j] += av * bb[pb]!;
          pb += cs;
        }
      }
    }
    const o = oOff + i * n;
    if (toBool) for (let j = 0; j < n; j++) out[o + j] = acc[j] !== 0 ? 1 : 0;
    else for (let j = 0; j < n; j++) out[o + j] = acc[j]!;
  }
}

/** True when rows (batch..., i) of A sit at a constant stride rs, so the batch folds into M. */
function rowsFold(asb: readonly number[], batchShape: readonly number[], rs: number, m: number): boolean {
  let expect = rs * m;
  for (let d = batchShape.length - 1; d >= 0; d--) {
    if (batchShape[d] !== 1 && asb[d] !== expect) return false;
    expect *= batchShape[d]!;
  }
  return true;
}

export function matmul(a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray {
  const ar = a.shape.length;
  const br = b.shape.length;
  const r = outShape.length;
  if (ar < 2 || br < 2 || r < 2) throw new Error(`matmul: operands must have at least 2 dims, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const m = a.shape[ar - 2]!;
  const k = a.shape[ar - 1]!;
  const n = b.shape[br - 1]!;
  if (b.shape[br - 2] !== k || outShape[r - 2] !== m || outShape[r - 1] !== n) {
    throw new Error(
      `matmul: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not multiply into [${outShape.join(', ')}]`,
    );
  }
  const batchShape = outShape.slice(0, r - 2);
  const nb = sizeOf(batchShape);
  const out = arrayFor(outDtype, nb * m * n);
  if (out.length === 0 || k === 0) return out; // empty, or k = 0: all zeros
  const aBatch = { ...a, shape: a.shape.slice(0, ar - 2), strides: a.strides.slice(0, ar - 2) };
  const bBatch = { ...b, shape: b.shape.slice(0, br - 2), strides: b.strides.slice(0, br - 2) };
  const asb = broadcastStrides('matmul', aBatch, batchShape);
  const bsb = broadcastStrides('matmul', bBatch, batchShape);
  const A: Mat = { buf: a.buf, off: a.offset, rs: a.strides[ar - 2]!, cs: a.strides[ar - 1]! };
  if (nb > 1 && bsb.every((s) => s === 0) && rowsFold(asb, batchShape, A.rs, m)) {
    // B is shared by every batch and A's batches stack into one tall matrix: a single GEMM.
    return matmul({ ...a, shape: [nb * m, k], strides: [A.rs, A.cs] }, { ...b, shape: [k, n], strides: [b.strides[br - 2]!, b.strides[br - 1]!] }, [nb * m, n], outDtype);
  }
  const B: Mat = { buf: b.buf, off: b.offset, rs: b.strides[br - 2]!, cs: b.strides[br - 1]! };
  const toBool = outDtype === 'bool';
  // Skinny k (outer products, as in per-sample gradients) is memory-bound: rank-k row updates beat packing.
  const small = m < MR || n < NR || m * n * k <= 512 || k <= 4;

  const mp = Math.ceil(m / MR);
  const np = Math.ceil(n / NR);
  const ldc = np * NR;
  let Ap: Float64Array | null = null;
  let Bp: Float64Array | null = null;
  let C: Float64Array | null = null;
  if (!small) {
    Ap = new Float64Array(mp * MR * k);
    Bp = new Float64Array(np * NR * k);
    C = new Float64Array(mp * MR * ldc);
  }
  let lastA = -1;
  let lastB = -1;
  const cnt = new Array<number>(batchShape.length).fill(0);
  let aOff = a.offset;
  let bOff = b.offset;
  for (let t = 0; t < nb; t++) {
    A.off = aOff;
    B.off = bOff;
    const oOff = t * m * n;
    if (small) {
      gemmSmall(A, B, m, n, k, out, oOff, toBool);
    } else {
      if (aOff !== lastA) {
        packA(A, m, k, Ap!);
        lastA = aOff;
      }
      if (bOff !== lastB) {
        packB(B, k, n, Bp!);
        lastB = bOff;
      }
      C!.fill(0);
      gemmPacked(Ap!, Bp!, C!, m, n, k);
      for (let i = 0; i < m; i++) {
        const src = i * ldc;
        const dst = oOff + i * n;
        if (toBool) for (let j = 0; j < n; j++) out[dst + j] = C![src + j] !== 0 ? 1 : 0;
        else for (let j = 0; j < n; j++) out[dst + j] = C![src + j]!;
      }
    }
    // Advance the batch counters, updating offsets incrementally.
    for (let d = batchShape.length - 1; d >= 0; d--) {
      if (++cnt[d]! < batchShape[d]!) {
        aOff += asb[d]!;
        bOff += bsb[d]!;
        break;
      }
      cnt[d] = 0;
      aOff -= asb[d]! * (batchShape[d]! - 1);
      bOff -= bsb[d]! * (batchShape[d]! - 1);
    }
  }
  return out;
}
