// The wasm GEMM against a naive float64 loop: random sizes, operand layouts (transposed, padded,
// strided, broadcast rows and batches), batch and row ranges, for both float dtypes. Unused slots of
// the operand buffers hold NaN, so reading outside an operand's elements shows up in the result, and
// sentinels around C and after the scratch catch writes outside the requested rows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gemm, gemmScratchBytes, relaxedSimd, type Operand } from '../src/backend/wasm/gemm.js';
import { ensureBytes, memory } from '../src/backend/wasm/memory.js';
import { mulberry } from './support/samples.js';
import { runs } from './support/runs.js';

type DT = 'float32' | 'float64';
type Layout = 'row' | 'col' | 'padded' | 'strided' | 'bcastRow';
const LAYOUTS: Layout[] = ['row', 'col', 'padded', 'strided', 'bcastRow'];

interface Case {
  dtype: DT;
  batch: number;
  m: number;
  n: number;
  k: number;
  la: Layout;
  lb: Layout;
  bcastA: boolean;
  bcastB: boolean;
  /** Fractions picking the batch and row subranges. */
  range: [number, number, number, number];
  /** Byte misalignment of the scratch pointer (multiple of the element size). */
  skew: number;
  seed: number;
}

/** Element strides of a rows x cols operand in a layout, and the index extent of one batch. */
function strides(layout: Layout, rows: number, cols: number): { rs: number; cs: number; extent: number } {
  const s = {
    row: { rs: cols, cs: 1 },
    col: { rs: 1, cs: rows },
    padded: { rs: cols + 3, cs: 1 },
    strided: { rs: 2 * cols + 1, cs: 2 },
    bcastRow: { rs: 0, cs: 1 },
  }[layout];
  return { ...s, extent: rows === 0 || cols === 0 ? 1 : (rows - 1) * s.rs + (cols - 1) * s.cs + 1 };
}

const SENTINEL = -7.25;

/** Runs one case; returns a message describing the first mismatch, or null. */
function runCase(c: Case): string | null {
  const { dtype, batch, m, n, k } = c;
  const size = dtype === 'float32' ? 4 : 8;
  const Arr = dtype === 'float32' ? Float32Array : Float64Array;
  const rng = mulberry(c.seed);
  const sa = strides(c.la, m, k);
  const sb = strides(c.lb, k, n);
  const aBatch = c.bcastA ? 0 : sa.extent + 2;
  const bBatch = c.bcastB ? 0 : sb.extent + 2;
  const aLen = (batch - 1) * aBatch + sa.extent;
  const bLen = (batch - 1) * bBatch + sb.extent;
  const cLen = batch * m * n;
  const GUARD = 16;
  // Layout in elements: [A][B][guard C guard][scratch guard].
  const aOff = 64;
  const bOff = aOff + aLen + 8;
  const cOff = bOff + bLen + 8 + GUARD;
  const sOff = cOff + cLen + GUARD + 8;
  const scratchBytes = gemmScratchBytes(dtype, m, n, k);
  const sPtr = sOff * size + c.skew;
  const end = sPtr + scratchBytes;
  ensureBytes(end + GUARD * size + 64);
  const mem = new Arr(memory.buffer);
  mem.fill(NaN, aOff, aOff + aLen);
  mem.fill(NaN, bOff, bOff + bLen);
  mem.fill(SENTINEL, cOff - GUARD, cOff + cLen + GUARD);
  const endEl = Math.ceil(end / size);
  mem.fill(SENTINEL, endEl, endEl + GUARD);
  const val = () => rng() * 2 - 1;
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) mem[aOff + bi * aBatch + i * sa.rs + p * sa.cs] = val();
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) mem[bOff + bi * bBatch + p * sb.rs + j * sb.cs] = val();
  }
  const a: Operand = { ptr: aOff * size, batchStride: aBatch, rowStride: sa.rs, colStride: sa.cs };
  const b: Operand = { ptr: bOff * size, batchStride: bBatch, rowStride: sb.rs, colStride: sb.cs };
  const [f0, f1, f2, f3] = c.range;
  const b0 = Math.floor(f0 * batch), b1 = b0 + Math.ceil(f1 * (batch - b0));
  const r0 = Math.floor(f2 * m), r1 = r0 + Math.ceil(f3 * (m - r0));

  gemm(dtype, m, n, k, a, b, cPtr(cOff, size), b0, b1, r0, r1, sPtr);

  const out = new Arr(memory.buffer);
  // eps: machine epsilon of the dtype (2u). The computed dot product, however blocked, split into
  // accumulators or fused, is a reordering of k products and k additions, so its error is at most
  // gamma_k * S ~ k u S with S = sum |a||b| (Higham, Accuracy and Stability, 3.1); float32 adds one
  // rounding of the result (u |C| <= u S), and the float64 reference is off by up to k u64 S. The sum
  // of these stays under k eps S; c = 2 leaves room for the bound's second-order terms.
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  const C = 2;
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const got = out[cOff + (bi * m + i) * n + j]!;
        if (bi < b0 || bi >= b1 || i < r0 || i >= r1) {
          if (got !== SENTINEL) return `wrote C[${bi}, ${i}, ${j}] outside the range: ${got}`;
          continue;
        }
        let ref = 0, absSum = 0;
        for (let p = 0; p < k; p++) {
          const x = out[aOff + bi * aBatch + i * sa.rs + p * sa.cs]!;
          const y = out[bOff + bi * bBatch + p * sb.rs + j * sb.cs]!;
          ref += x * y;
          absSum += Math.abs(x * y);
        }
        const tol = C * k * eps * absSum;
        if (!(Math.abs(got - ref) <= tol)) return `C[${bi}, ${i}, ${j}] = ${got}, want ${ref} (tol ${tol})`;
      }
    }
  }
  for (let g = 0; g < GUARD; g++) {
    if (out[cOff - 1 - g] !== SENTINEL || out[cOff + cLen + g] !== SENTINEL) return 'wrote next to C';
    if (out[endEl + g] !== SENTINEL) return 'wrote past the scratch';
  }
  return null;
}

const cPtr = (cOff: number, size: number) => cOff * size;

const arbDim = (max: number) =>
  fc.oneof({ arbitrary: fc.integer({ min: 1, max: 9 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max }), weight: 2 });

const arbCase = (dtype: DT): fc.Arbitrary<Case> =>
  fc.record({
    dtype: fc.constant(dtype),
    batch: fc.integer({ min: 1, max: 3 }),
    m: arbDim(40),
    n: arbDim(40),
    k: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 6 }), weight: 2 }, { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 3 }),
    la: fc.constantFrom(...LAYOUTS),
    lb: fc.constantFrom(...LAYOUTS),
    bcastA: fc.boolean(),
    bcastB: fc.boolean(),
    range: fc.oneof(
      { arbitrary: fc.constant<[number, number, number, number]>([0, 1, 0, 1]), weight: 1 },
      { arbitrary: fc.tuple(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true })), weight: 1 },
    ),
    skew: fc.constantFrom(0, 1, 3).map((s) => s * (dtype === 'float32' ? 4 : 8)),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });

const base = (dtype: DT, m: number, n: number, k: number, over: Partial<Case> = {}): Case => ({
  dtype, batch: 1, m, n, k, la: 'row', lb: 'row', bcastA: false, bcastB: false, range: [0, 1, 0, 1], skew: 0, seed: m * 7919 + n * 31 + k,
  ...over,
});

describe('wasm gemm', () => {
  test('relaxed SIMD probe gives a boolean', () => {
    assert.equal(typeof relaxedSimd, 'boolean');
  });

  for (const dtype of ['float32', 'float64'] as const) {
    test(`${dtype}: random sizes, layouts, broadcasts and ranges`, () => {
      fc.assert(
        fc.property(arbCase(dtype), (c) => {
          const msg = runCase(c);
          if (msg) throw new Error(msg);
        }),
        { numRuns: runs(150) },
      );
    });

    test(`${dtype}: fixed edge shapes`, () => {
      const cases: Case[] = [
        base(dtype, 1, 1, 1),
        base(dtype, 3, 5, 0), // k = 0: zeros
        base(dtype, 2, 3, 0, { batch: 2, range: [0.5, 1, 0.4, 0.5] }),
        base(dtype, 7, 1, 9), // column vector result (computed transposed)
        base(dtype, 7, 1, 9, { la: 'col', range: [0, 1, 0.3, 0.5] }),
        base(dtype, 1, 13, 300, { lb: 'col' }), // dot products over two k blocks worth of k
        base(dtype, 37, 29, 300), // k split into blocks: accumulation into C
        base(dtype, 37, 29, 300, { la: 'col', lb: 'col' }),
        base(dtype, 6, 45, 70), // B used in place, with a tail panel
        base(dtype, 100, 20, 11, { la: 'strided', range: [0, 1, 0.1, 0.9] }), // several mc blocks
        base(dtype, 9, 1100, 3, { lb: 'padded' }), // several nc blocks, k <= 4 row sweeps
        base(dtype, 12, 600, 20, { batch: 3, bcastB: true }), // packed B reused across batches
        base(dtype, 12, 600, 20, { batch: 3, bcastB: true, lb: 'col' }),
        base(dtype, 20, 1100, 5, { lb: 'col' }), // packed B over several nc blocks
        base(dtype, 17, 33, 1, { batch: 4, la: 'col' }), // outer products
        base(dtype, 20, 30, 257, { lb: 'bcastRow' }), // k blocks of unequal kc from one B address
      ];
      for (const c of cases) {
        const msg = runCase(c);
        assert.equal(msg, null, `${JSON.stringify(c)}: ${msg}`);
      }
    });
  }
});
