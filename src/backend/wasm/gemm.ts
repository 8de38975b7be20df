// Batched GEMM on wasm memory: Goto-style blocking (kc x nc panels of B, mc x kc blocks of A, packed
// from arbitrary element strides so transposed and broadcast operands need no prior copy) driving the
// generated register-tiled micro-kernels of gemm_kernel.ts. JS runs only the outer block loops.
import { Fn, assemble } from './asm.js';
import { memory, MAX_PAGES, shared } from './memory.js';
import { gemmKernels, type FloatDType, type GemmKernels, type KernelConfig } from './gemm_kernel.js';

export interface Operand {
  ptr: number;
  batchStride: number;
  rowStride: number;
  colStride: number;
}

function probeRelaxed(): boolean {
  try {
    const f = new Fn(['v128', 'v128', 'v128'], ['v128']);
    f.get(0).get(1).get(2).op('f32x4.relaxed_madd');
    const g = new Fn(['v128', 'v128', 'v128'], ['v128']);
    g.get(0).get(1).get(2).op('f64x2.relaxed_madd');
    const bytes = assemble({ funcs: [{ name: 'f', fn: f }, { name: 'g', fn: g }], shared, maxPages: MAX_PAGES });
    return WebAssembly.validate(bytes.buffer as ArrayBuffer);
  } catch {
    return false;
  }
}

let relaxed = probeRelaxed();
// Node 20's V8 (11.3) has relaxed SIMD behind a flag; it shipped in V8 11.4, so newer runtimes pass the
// first probe and no flag is touched. Guarded so the module loads unchanged in a browser.
if (!relaxed && typeof process !== 'undefined' && process.versions?.node) {
  try {
    const v8 = await import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxed = probeRelaxed();
  } catch {
    // The kernels then use mul + add.
  }
}

/** Whether f32x4/f64x2.relaxed_madd validated here; the kernels then use it (FMA where the CPU has one). */
export const relaxedSimd: boolean = relaxed;

interface Plan {
  cfg: KernelConfig;
  /** Upper bounds of the blocks, from which the scratch layout follows. */
  KC: number;
  MC: number;
  NC: number;
}

// Blocking: a kc x nr B micro-panel (8 KiB) stays in L1 across the row panels of A, the mc x kc block
// of A (~100 KiB) in L2, and the kc x nc block of B is streamed from L2/L3 once per A block.
const PLANS: Record<FloatDType, Plan> = {
  float32: { cfg: { dtype: 'float32', mr: 4, nv: 2, fma: relaxedSimd }, KC: 256, MC: 96, NC: 1024 },
  float64: { cfg: { dtype: 'float64', mr: 4, nv: 2, fma: relaxedSimd }, KC: 256, MC: 48, NC: 512 },
};

/** k up to this runs as row sweeps (see gemm_kernel's sweep): outer products are bound by C's stores. */
const SWEEP_K = 4;
/** Up to this many rows, B with contiguous rows is swept in place rather than packed. */
const SWEEP_ROWS = 4;
/** Up to this many rows, A @ B^T runs as dot products (reading B once per row) instead of packing B. */
const DOT_ROWS = 4;

const SIZE: Record<FloatDType, number> = { float32: 4, float64: 8 };
const ALIGN = 64;
const roundUp = (x: number, q: number) => Math.ceil(x / q) * q;

/** Splits `total` into equal-ish blocks of at most `max`, rounded up to multiples of `q`. */
function block(total: number, max: number, q: number): number {
  const parts = Math.ceil(total / max);
  return Math.min(max, roundUp(Math.ceil(total / parts), q));
}

interface Blocks {
  kc: number;
  mc: number;
  nc: number;
  aBytes: number;
  bBytes: number;
  tmpBytes: number;
}

function blocks(dtype: FloatDType, m: number, n: number, k: number): Blocks {
  const P = PLANS[dtype];
  const size = SIZE[dtype];
  const nr = P.cfg.nv * (16 / size);
  const kc = block(Math.max(k, 1), P.KC, 1);
  const mc = block(Math.max(m, 1), P.MC, P.cfg.mr);
  const nc = block(Math.max(n, 1), P.NC, nr);
  return {
    kc, mc, nc,
    aBytes: roundUp(mc * kc * size, ALIGN),
    bBytes: roundUp(nc * kc * size, ALIGN),
    tmpBytes: roundUp(P.cfg.mr * nr * size, ALIGN),
  };
}

/** A column vector result is laid out like a row vector: compute C^T = B^T A^T, one row of tiles. */
const swapped = (m: number, n: number) => n === 1 && m > 1;

/** Bytes of scratch memory gemm needs for these sizes (packed panels and an edge tile). */
export function gemmScratchBytes(dtype: FloatDType, m: number, n: number, k: number): number {
  const bl = swapped(m, n) ? blocks(dtype, n, m, k) : blocks(dtype, m, n, k);
  return ALIGN + bl.aBytes + bl.bBytes + bl.tmpBytes;
}

/**
 * C[b] (contiguous [batch, m, n], at cPtr) = A[b] (m x k) @ B[b] (k x n), for b in [b0, b1), output
 * rows [r0, r1) and columns [c0, c1) (a column range packs only its part of B, so threads can split
 * wide products without each packing all of B; it is ignored when n = 1). Addresses are byte
 * addresses into `memory`, aligned to the element size; strides are in elements. scratchPtr must
 * have gemmScratchBytes(dtype, m, n, k) bytes.
 */
export function gemm(
  dtype: FloatDType, m: number, n: number, k: number, a: Operand, b: Operand, cPtr: number,
  b0: number, b1: number, r0: number, r1: number, scratchPtr: number, c0 = 0, c1 = n,
): void {
  if (b1 <= b0 || r1 <= r0 || n <= 0 || c1 <= c0) return;
  const size = SIZE[dtype];
  if (k <= 0) {
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    for (let bi = b0; bi < b1; bi++) {
      for (let r = r0; r < r1; r++) new Arr(memory.buffer, cPtr + ((bi * m + r) * n + c0) * size, c1 - c0).fill(0);
    }
    return;
  }
  if (swapped(m, n)) {
    // C[i, 0] for rows i in [r0, r1) is C^T[0, i]: the row range becomes a column range.
    const at: Operand = { ptr: b.ptr, batchStride: b.batchStride, rowStride: b.colStride, colStride: b.rowStride };
    const bt: Operand = { ptr: a.ptr, batchStride: a.batchStride, rowStride: a.colStride, colStride: a.rowStride };
    run(dtype, 1, m, k, at, bt, cPtr, m, b0, b1, 0, 1, r0, r1, scratchPtr);
  } else {
    run(dtype, m, n, k, a, b, cPtr, n, b0, b1, r0, r1, c0, c1, scratchPtr);
  }
}

/** The blocked loops over rows [r0, r1) and columns [c0, c1) of each batch's C (row pitch ldc). */
function run(
  dtype: FloatDType, m: number, n: number, k: number, a: Operand, b: Operand, cPtr: number, ldc: number,
  b0: number, b1: number, r0: number, r1: number, c0: number, c1: number, scratchPtr: number,
): void {
  const P = PLANS[dtype];
  const K: GemmKernels = gemmKernels(P.cfg);
  const size = SIZE[dtype];
  const nr = K.nr;
  const bl = blocks(dtype, m, n, k);
  const base = roundUp(scratchPtr, ALIGN);
  const aBuf = base;
  const bBuf = aBuf + bl.aBytes;
  const tmp = bBuf + bl.bBytes;
  const ldcB = ldc * size;
  const aRs = a.rowStride * size, aCs = a.colStride * size;
  const bRs = b.rowStride * size, bCs = b.colStride * size;
  const rows = r1 - r0;
  /** Byte addresses of batch bi's A, B and C. */
  const bases = (bi: number) => [a.ptr + bi * a.batchStride * size, b.ptr + bi * b.batchStride * size, cPtr + bi * m * ldc * size] as const;
  const sweepB = b.colStride === 1 ? rows <= SWEEP_ROWS : k <= SWEEP_K;
  if (k <= SWEEP_K || sweepB) {
    let copiedSrc = -1, copiedNc = 0;
    for (let bi = b0; bi < b1; bi++) {
      const [aB, bB, cB] = bases(bi);
      for (let jc = c0; jc < c1; jc += bl.nc) {
        const nc = Math.min(bl.nc, c1 - jc);
        let bSrc = bB + jc * bCs, bPitch = bRs;
        if (b.colStride !== 1) {
          // k <= SWEEP_K here, so the k x nc copy fits the B block.
          if (bSrc !== copiedSrc || nc !== copiedNc) K.copy2d(bBuf, bSrc, bRs, bCs, k, nc);
          copiedSrc = bSrc;
          copiedNc = nc;
          bSrc = bBuf;
          bPitch = nc * size;
        }
        K.sweep(aB + r0 * aRs, aRs, aCs, bSrc, bPitch, cB + (r0 * ldc + jc) * size, ldcB, rows, nc, k);
      }
    }
    return;
  }
  if (rows <= DOT_ROWS && a.colStride === 1 && b.rowStride === 1 && b.colStride !== 1) {
    for (let bi = b0; bi < b1; bi++) {
      const [aB, bB, cB] = bases(bi);
      K.dot(aB + r0 * aRs, aRs, bB + c0 * bCs, bCs, cB + (r0 * ldc + c0) * size, ldcB, rows, c1 - c0, k);
    }
    return;
  }
  // B rows contiguous along n can feed the micro-kernel in place when few row panels would reuse a
  // packed copy; packing then costs as much as the multiply.
  const direct = b.colStride === 1 && r1 - r0 <= 2 * P.cfg.mr;
  // A packed B block is reused across batches when B is broadcast (batch stride 0) and fits one block;
  // its content is fixed by the source address and the block's extent.
  let packedSrc = -1, packedKc = 0, packedNc = 0;
  for (let bi = b0; bi < b1; bi++) {
    const [aB, bB, cB] = bases(bi);
    for (let jc = c0; jc < c1; jc += bl.nc) {
      const nc = Math.min(bl.nc, c1 - jc);
      for (let pc = 0; pc < k; pc += bl.kc) {
        const kc = Math.min(bl.kc, k - pc);
        const bSrc = bB + pc * bRs + jc * bCs;
        const accum = pc > 0 ? 1 : 0;
        let ncMain = nc;
        if (direct) {
          ncMain = nc - (nc % nr);
          if (ncMain < nc) K.packB(bBuf, bSrc + ncMain * bCs, bRs, bCs, kc, nc - ncMain);
        } else if (bSrc !== packedSrc || kc !== packedKc || nc !== packedNc) {
          K.packB(bBuf, bSrc, bRs, bCs, kc, nc);
          packedSrc = bSrc;
          packedKc = kc;
          packedNc = nc;
        }
        for (let ic = r0; ic < r1; ic += bl.mc) {
          const mc = Math.min(bl.mc, r1 - ic);
          K.packA(aBuf, aB + ic * aRs + pc * aCs, aRs, aCs, mc, kc);
          const cBlk = cB + (ic * ldc + jc) * size;
          if (direct) {
            if (ncMain > 0) K.macro(aBuf, bSrc, bRs, nr * size, cBlk, ldcB, mc, ncMain, kc, accum, tmp);
            if (ncMain < nc) {
              K.macro(aBuf, bBuf, nr * size, 0, cBlk + ncMain * size, ldcB, mc, nc - ncMain, kc, accum, tmp);
            }
          } else {
            K.macro(aBuf, bBuf, nr * size, kc * nr * size, cBlk, ldcB, mc, nc, kc, accum, tmp);
          }
        }
      }
    }
  }
}
