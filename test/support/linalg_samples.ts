// Samples of the torch.linalg primitives for the registry-driven property tests (merged into
// `samples` of test/support/samples.ts). Each matrix is built with the structure its primitive needs
// to be differentiable there, with margins large enough for float64 finite differences: symmetric
// positive-definite matrices for cholesky, well-separated eigenvalues / singular values for eigh / svd,
// full rank for qr / pinv, pivots that stay put under small perturbations for luFactor.
import fc from 'fast-check';
import { makeSample, shapeA, degradeA, numel, type Gen, type InputSpec, type Rng, type SampleFn } from './samples.js';

const seedA = fc.integer({ min: 1, max: 0x7fffffff });
const sizeA = (max: number, zero: boolean) =>
  zero ? fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1, max }) }) : fc.integer({ min: 1, max });
const f64 = (shape: number[], gen: Gen): InputSpec => ({ shape, dtype: 'float64', gen, diff: true });

/** A generator filling each m x n matrix of a batch [..., m, n] with `make`. */
const perMatrix = (make: (rng: Rng, m: number, n: number) => number[]): Gen => (rng, s) => {
  const m = s[s.length - 2] ?? 1;
  const n = s[s.length - 1] ?? 1;
  const count = m * n === 0 ? 0 : numel(s) / (m * n);
  const out: number[] = [];
  for (let e = 0; e < count; e++) out.push(...make(rng, m, n));
  return out;
};

const uniform = (rng: Rng, len: number, lo = -1, hi = 1) => Array.from({ length: len }, () => lo + (hi - lo) * rng());

/** k orthonormal columns of length m (row-major m x k), by Gram-Schmidt on random vectors. */
function orthonormal(rng: Rng, m: number, k: number): number[][] {
  const cols: number[][] = [];
  while (cols.length < k) {
    const v = uniform(rng, m);
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        const d = c.reduce((s, x, i) => s + x * v[i]!, 0);
        for (let i = 0; i < m; i++) v[i]! -= d * c[i]!;
      }
    }
    const nrm = Math.hypot(...v);
    if (nrm > 0.1) cols.push(v.map((x) => x / nrm));
  }
  return cols;
}

/** U diag(s) Vᵀ for random orthonormal U (m x k), V (n x k) and the given s (length k). */
function withSpectrum(rng: Rng, m: number, n: number, s: number[]): number[] {
  const k = s.length;
  const u = orthonormal(rng, m, k);
  const v = orthonormal(rng, n, k);
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) out[i * n + j]! += u[t]![i]! * s[t]! * v[t]![j]!;
  return out;
}

/** Values spaced at least `gap` apart starting near `lo` (shuffled order does not matter). */
const spaced = (rng: Rng, k: number, lo: number, gap: number) => Array.from({ length: k }, (_, i) => lo + i * gap + 0.3 * gap * rng());

/** Symmetric positive-definite: M Mᵀ + n I. */
const spd = perMatrix((rng, n) => {
  const m = uniform(rng, n * n);
  const out = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    for (let t = 0; t < n; t++) out[i * n + j]! += m[i * n + t]! * m[j * n + t]!;
    if (i === j) out[i * n + j]! += n;
  }
  return out;
});
/** Diagonally dominant (triangles well conditioned too). */
const dominant = perMatrix((rng, m, n) => uniform(rng, m * n).map((x, idx) => (Math.floor(idx / n) === idx % n ? (rng() < 0.5 ? -1 : 1) * (n + 0.5 + rng()) : x)));
/** Symmetric Q diag(w) Qᵀ with eigenvalues w at least 0.8 apart. */
const separatedSym = perMatrix((rng, n) => {
  const q = orthonormal(rng, n, n);
  const w = spaced(rng, n, -0.5 * n, 0.8);
  const out = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < n; t++) out[i * n + j]! += q[t]![i]! * w[t]! * q[t]![j]!;
  return out;
});
/** Singular values from 1 up, at least 0.8 apart. */
const separatedSvd = perMatrix((rng, m, n) => withSpectrum(rng, m, n, spaced(rng, Math.min(m, n), 1, 0.8)));
/** A diagonally dominant matrix with its rows shuffled: partial pivoting has clear winners. */
const pivoted = perMatrix((rng, m, n) => {
  const base = uniform(rng, m * n).map((x, idx) => (Math.floor(idx / n) === idx % n ? (rng() < 0.5 ? -1 : 1) * (m + n + rng()) : x));
  const order = Array.from({ length: m }, (_, i) => i).sort(() => rng() - 0.5);
  return order.flatMap((r) => base.slice(r * n, r * n + n));
});
/** LAPACK pivots: position i of the last dim holds an integer in [i + 1, m]. */
const pivotsGen = (m: number): Gen => (rng, s) => {
  const k = s[s.length - 1] ?? 0;
  return Array.from({ length: numel(s) }, (_, idx) => {
    const i = idx % Math.max(k, 1);
    return i + 1 + Math.floor(rng() * (m - i));
  });
};

/** Matrix sizes: fast-check's bias to small numbers would rarely give tall or wide ones. */
const SIZES = [0, 1, 2, 3, 3, 3];
const RECT: [number, number][] = [[3, 2], [2, 3], [3, 1], [1, 3], [2, 1], [1, 2], [2, 2], [3, 3], [1, 1], [0, 2], [2, 0]];

const square = (name: string, gen: Gen, params: () => fc.Arbitrary<unknown>): SampleFn => () =>
  fc.tuple(shapeA(0, 2, 2), fc.constantFrom(...SIZES), params(), seedA).map(([batch, n, p, seed]) => makeSample(name, [f64([...batch, n, n], gen)], p, seed));

const rect = (name: string, gen: Gen, params: () => fc.Arbitrary<unknown>): SampleFn => () =>
  fc.tuple(shapeA(0, 2, 2), fc.constantFrom(...RECT), params(), seedA).map(([batch, [m, n], p, seed]) => makeSample(name, [f64([...batch, m, n], gen)], p, seed));

const vectorsA = () => fc.record({ vectors: fc.constantFrom(true, true, false) });

export const linalgSamples: Record<string, SampleFn> = {
  cholesky: square('cholesky', spd, () => fc.constant({ check: true })),
  solveTriangular: () =>
    fc.tuple(shapeA(0, 2, 2), fc.constantFrom(...SIZES), fc.constantFrom(...SIZES), fc.boolean(), fc.boolean())
      .chain(([batch, n, k, upper, unitriangular]) => fc.tuple(degradeA(batch), degradeA(batch), fc.constant([n, k]), fc.constant({ upper, unitriangular }), seedA))
      .map(([ba, bb, [n, k], p, seed]) => makeSample('solveTriangular', [f64([...ba, n!, n!], dominant), f64([...bb, n!, k!], (rng, s) => uniform(rng, numel(s), -2, 2))], p, seed)),
  qr: () =>
    fc.tuple(shapeA(0, 2, 2), fc.constantFrom(...RECT), fc.boolean(), seedA).map(([batch, [m, n], complete, seed]) =>
      // 'complete' has a derivative only when m <= n (then it equals 'reduced').
      makeSample('qr', [f64([...batch, m, n], separatedSvd)], { complete: complete && m <= n }, seed)),
  eigh: square('eigh', separatedSym, vectorsA),
  svd: rect('svd', separatedSvd, vectorsA),
  pinv: rect('pinv', separatedSvd, () => fc.constant({ rtol: 1e-10, atol: 0 })),
  matrixExp: square('matrixExp', (rng, s) => uniform(rng, numel(s), -1.5, 1.5), () => fc.constant(undefined)),
  luFactor: rect('luFactor', pivoted, () => fc.constant(undefined)),
  luPermutation: () =>
    fc.tuple(shapeA(0, 2, 2), sizeA(4, false), seedA).chain(([batch, m, seed]) => fc.tuple(fc.constant(batch), fc.constant(m), fc.integer({ min: 0, max: m }), fc.constant(seed)))
      .map(([batch, m, k, seed]) => makeSample('luPermutation', [{ shape: [...batch, k], dtype: 'int32', gen: pivotsGen(m), diff: false }], { m }, seed)),
};
