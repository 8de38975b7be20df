// "No hidden loops": vmap (and the transforms built on it) must batch, never loop over examples. A
// per-example loop makes the number of kernel calls grow with the batch size B, so every check here
// runs the same computation at two batch sizes and asserts identical kernel-call counts per name.
//
// 1. Registry-driven: every primitive of `torch.primitives` that has a batching rule, on a few of its
//    samples (test/support/samples.ts; a primitive without samples fails), under
//      vmap(prim), vmap(grad(<c, prim>)), vmap(jacrev(prim)), vmap(jacfwd(prim)),
//      jacrev(vmap(prim)) and jacfwd(vmap(prim))
//    (the last two also catch a jacobian that loops over basis vectors: the basis grows with B).
//    Counted twice: torch.countKernels (kernel calls, views excluded) and every concrete dispatch
//    seen by the dispatch observer (views included, so a looped view primitive is caught too).
// 2. Composite ops: every function exported by torch and torch.nn.functional is either in COMPOSITES
//    (sample arguments for one example) or in EXCEPT (one-line reason); a new export fails until it is
//    listed. Each composite is checked under vmap, vmap(grad) and jacrev/jacfwd of its vmap.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import { bind, registry, setDispatchObserver, type Primitive, type Tensor } from '../src/primitives/index.js';
import { mulberry, numel, samples, tensorOf, type Rng, type Sample } from './support/samples.js';
import { runs } from './support/runs.js';

const { func } = torch;
const SIZES = [2, 5] as const;
const SAMPLES_PER_PRIM = runs(3); // FC_RUNS scales it (test/support/runs.ts)

type Counts = Map<string, number>;

/** Kernel calls (countKernels) and concrete dispatches (views included) made by fn. */
function measure(fn: () => unknown): { kernels: Counts; dispatches: Counts } {
  const dispatches: Counts = new Map();
  const prev = setDispatchObserver({
    enter(prim, _inputs, level) {
      if (level === null) dispatches.set(prim.name, (dispatches.get(prim.name) ?? 0) + 1);
    },
    exit() {},
  });
  try {
    const [, kernels] = torch.countKernels(fn);
    return { kernels, dispatches };
  } finally {
    setDispatchObserver(prev);
  }
}

const fmt = (m: Counts) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}:${v}`).join(' ') || '(none)';

/** Runs run(inputs(B)) for each batch size (inputs built outside the count) and asserts equal per-name counts. */
function assertNoLoop(what: string, inputs: (B: number) => Tensor[], run: (xs: Tensor[]) => unknown): void {
  const got = SIZES.map((B) => {
    const xs = inputs(B);
    return measure(() => run(xs));
  });
  const [a, b] = got as [ReturnType<typeof measure>, ReturnType<typeof measure>];
  for (const k of ['kernels', 'dispatches'] as const) {
    if (fmt(a[k]) !== fmt(b[k])) {
      assert.fail(`${what}: ${k} depend on the batch size (a per-example loop?)\n  B=${SIZES[0]}: ${fmt(a[k])}\n  B=${SIZES[1]}: ${fmt(b[k])}`);
    }
  }
}

const stackDraws = (draws: Tensor[]) => torch.stack(draws.map((x) => x.contiguous()));

// ---- 1. the primitive registry ------------------------------------------------------------------------

/** A few samples with non-empty inputs and output (an empty one has no kernel call to count). */
function samplesOf(name: string, prim: Primitive): Sample[] {
  const make = samples[name];
  if (!make) throw new Error(`primitive '${name}' has a batching rule but no samples in test/support/samples.ts`);
  const arb = make().filter((s) => s.inputs.every((x) => numel(x.shape) > 0) && numel(prim.abstract(s.inputs, s.params).shape) > 0);
  return fc.sample(arb, { seed: 20240611, numRuns: SAMPLES_PER_PRIM });
}

const differentiable = (prim: Primitive, s: Sample) =>
  !prim.nondiff && !prim.random && s.diff.some((d) => d) && prim.abstract(s.inputs, s.params).dtype === 'float64';

/** Per-example inputs for examples 0..B-1, stacked along dim 0. */
const batchedInputs = (s: Sample, B: number): Tensor[] => {
  const draws = Array.from({ length: B }, (_, k) => s.make(k));
  return s.specs.map((_, i) => stackDraws(draws.map((d) => d[i]!)));
};

function checkPrimitive(name: string, prim: Primitive, s: Sample): void {
  const call = (...xs: Tensor[]) => bind(prim, xs, s.params);
  const label = (mode: string) => `[${name}] ${mode} on ${s.describe()}`;
  if (prim.random) {
    // No inputs: a batched dummy argument carries the batch size, each example draws its own values.
    const f = (_d: Tensor) => call();
    assertNoLoop(label('vmap(randomness: different)'), (B) => [torch.zeros([B])], (xs) => func.vmap(f, { randomness: 'different' })(xs[0]!));
    return;
  }
  assertNoLoop(label('vmap'), (B) => batchedInputs(s, B), (xs) => func.vmap(call)(...xs));
  if (!differentiable(prim, s)) return;
  const argnums = s.diff.flatMap((d, i) => (d ? [i] : []));
  const outShape = prim.abstract(s.inputs, s.params).shape;
  const rng = mulberry(s.seed ^ 0x5eed);
  const c = tensorOf(Array.from({ length: numel(outShape) }, () => rng() - 0.5), outShape, 'float64');
  const scalarFn = (...xs: Tensor[]) => call(...xs).mul(c).sum();
  const opts = { argnums: argnums as number[] };
  assertNoLoop(label('vmap(grad)'), (B) => batchedInputs(s, B), (xs) => func.vmap(func.grad(scalarFn, opts))(...xs));
  assertNoLoop(label('vmap(jacrev)'), (B) => batchedInputs(s, B), (xs) => func.vmap(func.jacrev(call, opts))(...xs));
  assertNoLoop(label('vmap(jacfwd)'), (B) => batchedInputs(s, B), (xs) => func.vmap(func.jacfwd(call, opts))(...xs));
  assertNoLoop(label('jacrev(vmap)'), (B) => batchedInputs(s, B), (xs) => func.jacrev(func.vmap(call), opts)(...xs));
  assertNoLoop(label('jacfwd(vmap)'), (B) => batchedInputs(s, B), (xs) => func.jacfwd(func.vmap(call), opts)(...xs));
}

describe('no hidden loops: every primitive with a batching rule', () => {
  test('every primitive with a batching rule has samples', () => {
    const missing = [...registry].filter(([n, p]) => typeof p.batch === 'function' && !samples[n]).map(([n]) => n);
    assert.deepEqual(missing, [], `primitives with a batching rule but no samples in test/support/samples.ts: ${missing.join(', ')}`);
  });
  for (const [name, prim] of registry) {
    if (typeof prim.batch !== 'function') continue;
    test(`${name}: kernel calls do not grow with the batch size (vmap, vmap(grad), jacrev, jacfwd)`, () => {
      for (const s of samplesOf(name, prim)) checkPrimitive(name, prim, s);
    });
  }
});

// ---- 2. composite ops from the exports -------------------------------------------------------------------

/** Per-example argument builders; tensors built through them are stacked over the batch. */
interface Gen {
  /** float64 in [-2, 2]. */
  f(...shape: number[]): Tensor;
  /** float64 in [0.3, 3]. */
  pos(...shape: number[]): Tensor;
  /** float64 in [0.05, 0.95] (probabilities). */
  prob(...shape: number[]): Tensor;
  /** int32 in [lo, hi]. */
  int(lo: number, hi: number, ...shape: number[]): Tensor;
  bool(...shape: number[]): Tensor;
  /** float64 -1 or 1 (targets of the margin losses). */
  pm1(...shape: number[]): Tensor;
}

function genOf(rng: Rng): Gen {
  const t = (shape: number[], dtype: torch.DType, v: () => number) => tensorOf(Array.from({ length: numel(shape) }, v), shape, dtype);
  return {
    f: (...s) => t(s, 'float64', () => 4 * rng() - 2),
    pos: (...s) => t(s, 'float64', () => 0.3 + 2.7 * rng()),
    prob: (...s) => t(s, 'float64', () => 0.05 + 0.9 * rng()),
    int: (lo, hi, ...s) => t(s, 'int32', () => lo + Math.floor(rng() * (hi - lo + 1))),
    bool: (...s) => t(s, 'bool', () => (rng() < 0.5 ? 1 : 0)),
    pm1: (...s) => t(s, 'float64', () => (rng() < 0.5 ? -1 : 1)),
  };
}

interface Composite {
  args: (g: Gen) => unknown[];
  /** vmap options (randomness for dropout). */
  vmap?: { randomness: 'different' | 'same' };
  /** Skip the derivative modes (no float output, or not differentiable). */
  noGrad?: string;
}

/** A tensor shared by every example (passed unbatched, closed over). */
class Fixed {
  constructor(readonly t: Tensor) {}
}
const fixed = (t: Tensor) => new Fixed(t);
const IDX = tensorOf([2, 0], [2], 'int32');

const c = (args: (g: Gen) => unknown[], extra: Omit<Composite, 'args'> = {}): Composite => ({ args, ...extra });
const unaryF = c((g) => [g.f(3, 4)]);
const unaryPos = c((g) => [g.pos(3, 4)]);
const binaryF = c((g) => [g.f(3, 4), g.f(4)]);
const loss = c((g) => [g.f(3, 4), g.f(3, 4)]);
const noGrad = (args: (g: Gen) => unknown[], why: string) => c(args, { noGrad: why });
const INTOUT = 'integer or bool output';

/** A symmetric positive-definite 3 x 3 matrix (cholesky throws for any other). */
const spd3 = (g: Gen) => {
  const m = g.f(3, 3);
  return m.matmul(m.mT).add(torch.eye(3, { dtype: 'float64' }).mul(3));
};
const sym3 = (g: Gen) => {
  const m = g.f(3, 3);
  return m.add(m.mT);
};
/** torch.linalg's functions, as 'linalg.name'. */
const LINALG_COMPOSITES: Record<string, Composite> = {
  'linalg.inv': c((g) => [g.f(3, 3)]), 'linalg.det': c((g) => [g.f(3, 3)]), 'linalg.slogdet': c((g) => [g.f(3, 3)]),
  'linalg.solve': c((g) => [g.f(3, 3), g.f(3)]), 'linalg.matmul': c((g) => [g.f(3, 4), g.f(4, 2)]),
  'linalg.cholesky': c((g) => [spd3(g), { upper: true }]), 'linalg.choleskyEx': c((g) => [spd3(g)]),
  'linalg.qr': c((g) => [g.f(4, 3)]), 'linalg.eigh': c((g) => [sym3(g)]), 'linalg.eigvalsh': c((g) => [sym3(g), { UPLO: 'U' }]),
  'linalg.svd': c((g) => [g.f(4, 3)]), 'linalg.svdvals': c((g) => [g.f(3, 4)]),
  'linalg.solveTriangular': c((g) => [g.f(3, 3), g.f(2, 3), { upper: true, left: false }]),
  'linalg.lu': c((g) => [g.f(3, 4)]), 'linalg.luFactor': c((g) => [g.f(3, 3)]), 'linalg.luFactorEx': c((g) => [g.f(4, 3)]),
  'linalg.luSolve': c((g) => {
    const { LU, pivots } = torch.linalg.luFactor(g.f(3, 3));
    return [LU, pivots, g.f(3, 2), { adjoint: true }];
  }),
  'linalg.invEx': c((g) => [g.f(3, 3)]), 'linalg.solveEx': c((g) => [g.f(3, 3), g.f(3, 2)]),
  'linalg.lstsq': c((g) => [g.f(4, 3), g.f(4, 2), { driver: 'gelsd' }]), 'linalg.pinv': c((g) => [g.f(3, 4)]),
  'linalg.vectorNorm': c((g) => [g.f(3, 4), 3, -1]), 'linalg.matrixNorm': c((g) => [g.f(3, 4), 'nuc']),
  'linalg.norm': c((g) => [g.f(3, 4), 1]), 'linalg.cond': c((g) => [g.f(3, 3), 'fro']),
  'linalg.matrixRank': noGrad((g) => [g.f(3, 4)], INTOUT), 'linalg.matrixExp': c((g) => [g.f(3, 3)]),
  'linalg.matrixPower': c((g) => [g.f(3, 3), -3]), 'linalg.multiDot': c((g) => [[g.f(2, 3), g.f(3, 4), g.f(4)]]),
  'linalg.cross': c((g) => [g.f(4, 3), g.f(4, 3)]), 'linalg.vecdot': c((g) => [g.f(4, 3), g.f(3)]), 'linalg.vander': c((g) => [g.f(3)]),
  'linalg.diagonal': c((g) => [g.f(3, 4), { offset: 1 }]), 'linalg.tensorinv': c((g) => [g.f(2, 3, 6)]),
  'linalg.tensorsolve': c((g) => [g.f(2, 3, 6), g.f(2, 3)]), 'linalg.householderProduct': c((g) => [g.f(4, 3), g.f(2)]),
};

/** Sample arguments for one example, keyed by export name ('F.name' for torch.nn.functional where it differs). */
const COMPOSITES: Record<string, Composite> = {
  ...LINALG_COMPOSITES,
  // elementwise
  neg: unaryF, abs: unaryF, sign: noGrad((g) => [g.f(3, 4)], 'zero derivative everywhere'), relu: unaryF, square: unaryF,
  floor: noGrad((g) => [g.f(3, 4)], 'zero derivative'), ceil: noGrad((g) => [g.f(3, 4)], 'zero derivative'),
  round: noGrad((g) => [g.f(3, 4)], 'zero derivative'), trunc: noGrad((g) => [g.f(3, 4)], 'zero derivative'), frac: unaryF,
  exp: unaryF, exp2: unaryF, log: unaryPos, log2: unaryPos, log10: unaryPos, log1p: unaryPos, expm1: unaryF,
  sqrt: unaryPos, rsqrt: unaryPos, sin: unaryF, cos: unaryF, tan: c((g) => [g.prob(3, 4)]), tanh: unaryF, sigmoid: unaryF,
  erf: unaryF, reciprocal: unaryPos, asin: c((g) => [g.prob(3, 4)]), acos: c((g) => [g.prob(3, 4)]), atan: unaryF,
  sinh: unaryF, cosh: unaryF,
  add: binaryF, sub: binaryF, mul: binaryF, div: c((g) => [g.f(3, 4), g.pos(4)]), pow: c((g) => [g.pos(3, 4), g.f(4)]),
  maximum: binaryF, minimum: binaryF, atan2: binaryF, remainder: c((g) => [g.f(3, 4), g.pos(4)]),
  eq: noGrad((g) => [g.int(0, 2, 3, 4), g.int(0, 2, 4)], INTOUT), ne: noGrad((g) => [g.int(0, 2, 3, 4), g.int(0, 2, 4)], INTOUT),
  lt: noGrad((g) => [g.f(3, 4), g.f(4)], INTOUT), le: noGrad((g) => [g.f(3, 4), g.f(4)], INTOUT),
  gt: noGrad((g) => [g.f(3, 4), g.f(4)], INTOUT), ge: noGrad((g) => [g.f(3, 4), g.f(4)], INTOUT),
  logicalAnd: noGrad((g) => [g.bool(3, 4), g.bool(4)], INTOUT), logicalOr: noGrad((g) => [g.bool(3, 4), g.bool(4)], INTOUT),
  logicalXor: noGrad((g) => [g.bool(3, 4), g.bool(4)], INTOUT), logicalNot: noGrad((g) => [g.bool(3, 4)], INTOUT),
  isnan: noGrad((g) => [g.f(3, 4)], INTOUT), isclose: noGrad((g) => [g.f(3, 4), g.f(3, 4)], INTOUT),
  where: c((g) => [g.bool(3, 4), g.f(3, 4), g.f(4)]), maskedFill: c((g) => [g.f(3, 4), g.bool(3, 4), 0.5]),
  clamp: c((g) => [g.f(3, 4), { min: -0.5, max: 0.7 }]), cast: c((g) => [g.f(3, 4), 'float32'], { noGrad: 'float32 output' }),
  gelu: c((g) => [g.f(3, 4), { approximate: 'tanh' }]), softplus: c((g) => [g.f(3, 4), { beta: 2, threshold: 1 }]),
  silu: unaryF, mish: unaryF, leakyRelu: c((g) => [g.f(3, 4), 0.2]), elu: c((g) => [g.f(3, 4), 0.7]), logSigmoid: unaryF,
  hardtanh: c((g) => [g.f(3, 4), -0.5, 0.5]), relu6: c((g) => [g.f(3, 4)]), hardsigmoid: unaryF, hardswish: unaryF,
  glu: c((g) => [g.f(3, 4), -1]), selu: unaryF, celu: c((g) => [g.f(3, 4), 0.7]), softsign: unaryF, tanhshrink: unaryF,
  softmin: c((g) => [g.f(3, 4), 1]), softshrink: c((g) => [g.f(3, 4), 0.5]), hardshrink: c((g) => [g.f(3, 4), 0.5]),
  threshold: c((g) => [g.f(3, 4), 0.1, -1]), prelu: c((g) => [g.f(2, 3, 4), g.f(3)]),
  cosineSimilarity: c((g) => [g.f(3, 4), g.f(3, 4)]), pairwiseDistance: c((g) => [g.f(3, 4), g.f(3, 4)]),
  pixelShuffle: c((g) => [g.f(1, 8, 2, 3), 2]), pixelUnshuffle: c((g) => [g.f(1, 2, 4, 6), 2]), detach: noGrad((g) => [g.f(3, 4)], 'detached output'),
  // reductions and sorting
  sum: c((g) => [g.f(3, 4), 1]), mean: c((g) => [g.f(3, 4), 1]), prod: c((g) => [g.f(3, 4), 1]),
  amax: c((g) => [g.f(3, 4), 1]), amin: c((g) => [g.f(3, 4), 1]), max: c((g) => [g.f(3, 4), 1]), min: c((g) => [g.f(3, 4), 1]),
  var: c((g) => [g.f(3, 4), 1]), variance: c((g) => [g.f(3, 4), 1]), std: c((g) => [g.f(3, 4), 1]),
  logsumexp: c((g) => [g.f(3, 4), 1]), norm: c((g) => [g.f(3, 4), 2, [1]]), cumsum: c((g) => [g.f(3, 4), 1]),
  any: noGrad((g) => [g.bool(3, 4), 1], INTOUT), all: noGrad((g) => [g.bool(3, 4), 1], INTOUT),
  argmax: noGrad((g) => [g.f(3, 4), 1], INTOUT), argmin: noGrad((g) => [g.f(3, 4), 1], INTOUT),
  argsort: noGrad((g) => [g.f(3, 4), 1], INTOUT), sort: c((g) => [g.f(3, 4), 1]), topk: c((g) => [g.f(3, 4), 2]),
  extremeAlong: c((g) => [torch.argmax, g.f(3, 4), 1]),
  // shapes and indexing
  reshape: c((g) => [g.f(3, 4), [2, 6]]), view: c((g) => [g.f(3, 4), [12]]), flatten: c((g) => [g.f(2, 3, 4), 1]),
  unflatten: c((g) => [g.f(3, 4), 1, [2, 2]]), squeeze: c((g) => [g.f(3, 1, 4), 1]), unsqueeze: c((g) => [g.f(3, 4), 1]),
  permute: c((g) => [g.f(2, 3, 4), [2, 0, 1]]), transpose: c((g) => [g.f(3, 4), 0, 1]), t: c((g) => [g.f(3, 4)]),
  mT: c((g) => [g.f(2, 3, 4)]), movedim: c((g) => [g.f(2, 3, 4), 0, 2]), expand: c((g) => [g.f(3, 1), [3, 4]]),
  expandAs: c((g) => [g.f(3, 1), g.f(3, 4)]), broadcastTo: c((g) => [g.f(3, 1), [3, 4]]),
  broadcastTensors: c((g) => [g.f(3, 1), g.f(4)]), contiguous: c((g) => [g.f(3, 4).t()]), clone: unaryF,
  sliceDim: c((g) => [g.f(5, 4), 0, 1, 5, 2]), narrow: c((g) => [g.f(5, 4), 0, 1, 3]), select: c((g) => [g.f(5, 4), 1, 2]),
  cat: c((g) => [[g.f(3, 4), g.f(2, 4)], 0]), concat: c((g) => [[g.f(3, 4), g.f(3, 2)], 1]), stack: c((g) => [[g.f(3, 4), g.f(3, 4)], 1]),
  split: c((g) => [g.f(5, 4), 2, 0]), chunk: c((g) => [g.f(5, 4), 2, 1]), unbind: c((g) => [g.f(3, 4), 1]),
  flip: c((g) => [g.f(3, 4), [0, 1]]), roll: c((g) => [g.f(3, 4), 1, 1]), pad: c((g) => [g.f(1, 3, 4), [1, 2], 'reflect']),
  gather: c((g) => [g.f(3, 4), 1, g.int(0, 3, 3, 2)]), scatter: c((g) => [g.f(3, 4), 1, g.int(0, 3, 3, 1), g.f(3, 1)]),
  scatterAdd: c((g) => [g.f(3, 4), 1, g.int(0, 3, 3, 5), g.f(3, 5)]), indexSelect: c((g) => [g.f(3, 4), 1, g.int(0, 3, 5)]),
  repeat: c((g) => [g.f(3, 4), [2, 1]]), diagonal: c((g) => [g.f(3, 4)]), diagEmbed: c((g) => [g.f(3)]), diag: c((g) => [g.f(3)]),
  tril: c((g) => [g.f(3, 4)]), triu: c((g) => [g.f(3, 4), 1]),
  // The index tensors are shared by the batch (fixed): a batched index tensor cannot vmap yet (see BATCHED_INDEX).
  index: c((g) => [g.f(3, 4), torch.slice(null, null, 2), fixed(IDX)]),
  indexPut_: c((g) => [g.f(3, 4), [fixed(IDX)], g.f(2, 4)], { noGrad: 'in place' }),
  // linear algebra
  matmul: c((g) => [g.f(3, 4), g.f(4, 2)]), mm: c((g) => [g.f(3, 4), g.f(4, 2)]), bmm: c((g) => [g.f(2, 3, 4), g.f(2, 4, 2)]),
  dot: c((g) => [g.f(4), g.f(4)]), outer: c((g) => [g.f(3), g.f(4)]), einsum: c((g) => ['ij,jk->ik', g.f(3, 4), g.f(4, 2)]),
  softmax: c((g) => [g.f(3, 4), 1]), logSoftmax: c((g) => [g.f(3, 4), 1]),
  // nn.functional
  linear: c((g) => [g.f(3, 4), g.f(2, 4), g.f(2)]), bilinear: c((g) => [g.f(3, 2), g.f(3, 4), g.f(5, 2, 4), g.f(5)]),
  conv1d: c((g) => [g.f(1, 2, 6), g.f(3, 2, 3), g.f(3), { padding: 1, stride: 2 }]),
  conv2d: c((g) => [g.f(1, 2, 5, 5), g.f(3, 2, 3, 3), g.f(3), { padding: 1, stride: 2 }]),
  convTranspose2d: c((g) => [g.f(1, 2, 3, 3), g.f(2, 3, 2, 2), g.f(3), { stride: 2 }]),
  maxPool2d: c((g) => [g.f(1, 2, 4, 4), 2]), maxPool2dWithIndices: c((g) => [g.f(1, 2, 4, 4), 2]),
  avgPool2d: c((g) => [g.f(1, 2, 4, 4), 2]), maxPool1d: c((g) => [g.f(1, 2, 6), 2]), maxPool1dWithIndices: c((g) => [g.f(1, 2, 6), 2]),
  avgPool1d: c((g) => [g.f(1, 2, 6), 3, { stride: 2 }]), adaptiveAvgPool1d: c((g) => [g.f(1, 2, 7), 3]),
  interpolate: c((g) => [g.f(1, 2, 3, 4), { size: [5, 6], mode: 'bilinear' }]),
  conv3d: c((g) => [g.f(1, 2, 3, 4, 4), g.f(2, 2, 2, 2, 2)]),
  instanceNorm: c((g) => [g.f(2, 3, 4)]), localResponseNorm: c((g) => [g.f(1, 5, 3), 3, { alpha: 0.1 }]),
  oneHot: noGrad((g) => [g.int(0, 4, 3), 5], INTOUT), adaptiveAvgPool2d: c((g) => [g.f(1, 2, 5, 5), 2]),
  layerNorm: c((g) => [g.f(3, 4), 4, g.f(4), g.f(4)]), groupNorm: c((g) => [g.f(2, 4, 3), 2, g.f(4), g.f(4)]),
  batchNorm: c((g) => [g.f(3, 4), null, null, g.f(4), g.f(4), { training: true }]), normalize: c((g) => [g.f(3, 4)]),
  embedding: c((g) => [g.int(0, 4, 3), g.f(5, 2)]), dropout: c((g) => [g.f(3, 4), 0.5, true], { vmap: { randomness: 'different' } }),
  mseLoss: loss, l1Loss: loss, huberLoss: loss, smoothL1Loss: loss, klDiv: loss,
  binaryCrossEntropy: c((g) => [g.prob(3, 4), g.prob(3, 4)]), binaryCrossEntropyWithLogits: loss,
  crossEntropy: c((g) => [g.f(3, 4), g.int(0, 3, 3)]),
  marginRankingLoss: c((g) => [g.f(3), g.f(3), g.pm1(3)]), hingeEmbeddingLoss: c((g) => [g.f(3, 4), g.pm1(3, 4)]),
  softMarginLoss: c((g) => [g.f(3, 4), g.pm1(3, 4)]), tripletMarginLoss: c((g) => [g.f(3, 4), g.f(3, 4), g.f(3, 4)]),
  cosineEmbeddingLoss: c((g) => [g.f(3, 4), g.f(3, 4), g.pm1(3)]), poissonNllLoss: c((g) => [g.f(3, 4), g.pos(3, 4)]),
  gaussianNllLoss: c((g) => [g.f(3, 4), g.f(3, 4), g.pos(3, 4)]), multilabelSoftMarginLoss: c((g) => [g.f(3, 4), g.pm1(3, 4).relu()]), nllLoss: c((g) => [g.f(3, 4), g.int(0, 3, 3)]),
  // issue 15: pooling, unpooling, fold, transposed convolutions, sampling, bags, CTC, margins, random regularizers
  maxPool3d: c((g) => [g.f(1, 2, 4, 4, 3), 2]), maxPool3dWithIndices: c((g) => [g.f(1, 1, 3, 4, 4), 2, { padding: 1 }]),
  avgPool3d: c((g) => [g.f(1, 2, 4, 4, 3), 2, { stride: 1 }]), adaptiveAvgPool3d: c((g) => [g.f(1, 2, 5, 4, 3), [2, 3, null]]),
  adaptiveMaxPool1d: c((g) => [g.f(1, 2, 7), 3]), adaptiveMaxPool1dWithIndices: c((g) => [g.f(1, 2, 7), 3]),
  adaptiveMaxPool2d: c((g) => [g.f(1, 2, 5, 4), [2, 3]]), adaptiveMaxPool2dWithIndices: c((g) => [g.f(1, 2, 5, 4), 2]),
  adaptiveMaxPool3d: c((g) => [g.f(1, 1, 3, 4, 5), 2]), adaptiveMaxPool3dWithIndices: c((g) => [g.f(1, 1, 3, 4, 5), [1, 2, 3]]),
  maxUnpool1d: c((g) => [g.f(1, 2, 3), g.int(0, 5, 1, 2, 3), 2]), maxUnpool2d: c((g) => [g.f(1, 1, 2, 2), g.int(0, 15, 1, 1, 2, 2), 2]),
  maxUnpool3d: c((g) => [g.f(1, 1, 1, 2, 2), g.int(0, 15, 1, 1, 1, 2, 2), 2]),
  lpPool1d: c((g) => [g.pos(1, 2, 6), 2, 3, { stride: 2 }]), lpPool2d: c((g) => [g.pos(1, 2, 4, 4), 1.5, 2]),
  unfold: c((g) => [g.f(1, 2, 4, 4), 2, { padding: 1 }]), fold: c((g) => [g.f(1, 8, 9), [4, 4], 2]),
  convTranspose1d: c((g) => [g.f(1, 2, 4), g.f(2, 3, 3), g.f(3), { stride: 2 }]),
  convTranspose3d: c((g) => [g.f(1, 2, 2, 2, 2), g.f(2, 2, 2, 2, 2), g.f(2), { stride: 2, padding: 1 }]),
  convTbc: c((g) => [g.f(5, 1, 2), g.f(3, 2, 3), g.f(3), 1]),
  affineGrid: c((g) => [g.f(1, 2, 3), [1, 1, 3, 4]]),
  gridSample: c((g) => [g.f(1, 2, 3, 4), g.f(1, 2, 3, 2), { paddingMode: 'reflection' }]),
  embeddingBag: c((g) => [g.int(0, 4, 6), g.f(5, 3), { offsets: tensorOf([0, 2, 2], [3], 'int32'), mode: 'max' }]),
  ctcLoss: c((g) => [g.f(5, 2, 4).logSoftmax(-1), g.int(1, 3, 2, 2), [5, 4], [2, 1]]),
  multiMarginLoss: c((g) => [g.f(3, 4), g.int(0, 3, 3), { p: 2 }]), multilabelMarginLoss: c((g) => [g.f(3, 4), g.int(-1, 3, 3, 4)]),
  tripletMarginWithDistanceLoss: c((g) => [g.f(3, 4), g.f(3, 4), g.f(3, 4), { swap: true }]),
  channelShuffle: c((g) => [g.f(1, 4, 2, 2), 2]), pdist: c((g) => [g.f(4, 3)]),
  fractionalMaxPool2d: c((g) => [g.f(1, 2, 6, 6), 2, { outputSize: 3, randomSamples: g.prob(1, 2, 2) }]),
  fractionalMaxPool2dWithIndices: c((g) => [g.f(1, 2, 6, 5), 2, { outputRatio: 0.6, randomSamples: g.prob(1, 2, 2) }]),
  fractionalMaxPool3d: c((g) => [g.f(1, 1, 4, 4, 4), 2, { outputSize: 2, randomSamples: g.prob(1, 1, 3) }]),
  fractionalMaxPool3dWithIndices: c((g) => [g.f(1, 1, 4, 5, 4), 2, { outputSize: [2, 3, 2], randomSamples: g.prob(1, 1, 3) }]),
  dropout1d: c((g) => [g.f(2, 3, 4), 0.5], { vmap: { randomness: 'different' } }), dropout2d: c((g) => [g.f(2, 3, 2, 2), 0.5], { vmap: { randomness: 'different' } }),
  dropout3d: c((g) => [g.f(2, 1, 2, 2, 2), 0.5], { vmap: { randomness: 'different' } }),
  alphaDropout: c((g) => [g.f(3, 4), 0.3, true], { vmap: { randomness: 'different' } }),
  featureAlphaDropout: c((g) => [g.f(2, 3, 4), 0.3, true], { vmap: { randomness: 'different' } }),
  rrelu: c((g) => [g.f(3, 4), { training: true }], { vmap: { randomness: 'different' } }),
  gumbelSoftmax: c((g) => [g.f(3, 4), { hard: true }], { vmap: { randomness: 'different' } }),
  multiHeadAttentionForward: c((g) => [g.f(3, 1, 4), g.f(2, 1, 4), g.f(2, 1, 4), 4, 2, g.f(12, 4), g.f(12), null, null, false, 0, g.f(4, 4), g.f(4), { training: false }]),
};

/** Exports that are not composite ops on tensors, or that cannot vmap, with the reason. */
const EXCEPT: Record<string, string> = {
  arange: 'creation: no tensor input', empty: 'creation', emptyLike: 'creation: only the shape of its input',
  eye: 'creation', full: 'creation', fullLike: 'creation: only the shape of its input', linspace: 'creation',
  ones: 'creation', onesLike: 'creation: only the shape of its input', zeros: 'creation',
  zerosLike: 'creation: only the shape of its input', rand: 'creation', randLike: 'creation: only the shape of its input',
  randn: 'creation', randnLike: 'creation: only the shape of its input', randint: 'creation', randperm: 'creation',
  scalar: 'creation', tensor: 'creation from JS data',
  nonzero: 'data-dependent output shape: cannot vmap (as in PyTorch)',
  nonzeroAsync: 'async nonzero: data-dependent output shape, cannot vmap',
  getDefaultDevice: 'device state', setDefaultDevice: 'device state', isDeviceAvailable: 'device state',
  equal: 'returns a JS boolean: reads the values, cannot vmap', allclose: 'returns a JS boolean: reads the values, cannot vmap',
  isFloatingPoint: 'returns a JS boolean from the dtype; no kernel', slice: 'builds a Slice index object, no tensor',
  countKernels: 'test utility', getBackend: 'backend state', setBackend: 'backend state', registerBackend: 'backend state',
  getNumThreads: 'backend state', setNumThreads: 'backend state', manualSeed: 'RNG state', getRngState: 'RNG state',
  setRngState: 'RNG state', noGrad: 'grad mode', enableGrad: 'grad mode', isGradEnabled: 'grad mode',
  setGradEnabled: 'grad mode', save: 'serialization', load: 'serialization', treeFlatten: 'pytree utility',
  treeMap: 'pytree utility', treeUnflatten: 'pytree utility', fmtShape: 'message formatting', fmtValue: 'message formatting',
  compile: 'a function transform; compiled graphs under vmap are checked in test/compile.test.ts',
  aotFunction: 'a function transform (compile with graph compilers)', printGraph: 'formats a graph as text',
};

const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
const F = torch.nn.functional as unknown as Record<string, unknown>;
/** Every exported function: torch's, and nn.functional's where it is not the same function. */
const EXPORTS: [string, (...a: any[]) => unknown][] = [
  ...Object.entries(torch as unknown as Record<string, unknown>).filter(([, v]) => typeof v === 'function' && !isClass(v)).map(([k, v]) => [k, v] as [string, any]),
  ...Object.entries(F).filter(([k, v]) => typeof v === 'function' && v !== (torch as any)[k]).map(([k, v]) => [`F.${k}`, v] as [string, any]),
  ...Object.entries(torch.linalg as unknown as Record<string, unknown>).filter(([, v]) => typeof v === 'function' && !isClass(v)).map(([k, v]) => [`linalg.${k}`, v] as [string, any]),
];

/** Replaces every Tensor in a (nested array / plain object) argument list by a slot. */
function splitTensors(args: unknown[]): { tensors: Tensor[]; rebuild: (ts: Tensor[]) => unknown[] } {
  const tensors: Tensor[] = [];
  const walk = (v: unknown): unknown => {
    if (v instanceof torch.Tensor) return { slot: tensors.push(v) - 1 };
    if (v instanceof Fixed) return { lit: v.t };
    if (Array.isArray(v)) return v.map(walk);
    return { lit: v };
  };
  const tmpl = args.map(walk);
  const fill = (t: unknown, ts: Tensor[]): unknown => (Array.isArray(t) ? t.map((x) => fill(x, ts)) : 'slot' in (t as object) ? ts[(t as { slot: number }).slot] : (t as { lit: unknown }).lit);
  return { tensors, rebuild: (ts) => tmpl.map((t) => fill(t, ts)) };
}

/** Float leaves of an output pytree, reduced to one scalar. */
function scalarOf(out: unknown): Tensor {
  const [leaves] = torch.treeFlatten(out as never);
  const fl = (leaves as unknown[]).filter((x): x is Tensor => x instanceof torch.Tensor && x.dtype === 'float64');
  return fl.map((x) => x.sin().sum()).reduce((a, b) => a.add(b));
}

function checkComposite(name: string, fn: (...a: any[]) => unknown, spec: Composite): void {
  const per = (k: number) => splitTensors(spec.args(genOf(mulberry(1000 + k))));
  const { rebuild, tensors: t0 } = per(0);
  const f = (...ts: Tensor[]) => fn(...rebuild(ts));
  const batched = (B: number) => {
    const draws = Array.from({ length: B }, (_, k) => per(k).tensors);
    return t0.map((_, j) => stackDraws(draws.map((d) => d[j]!)));
  };
  const vopts = spec.vmap ?? {};
  if (spec.vmap) torch.manualSeed(0);
  assertNoLoop(`${name}: vmap`, batched, (xs) => func.vmap(f, vopts)(...xs));
  if (spec.noGrad || spec.vmap) return;
  const argnums = t0.flatMap((x, j) => (x.dtype === 'float64' ? [j] : []));
  if (argnums.length === 0) return;
  const opts = { argnums };
  const s = (...ts: Tensor[]) => scalarOf(f(...ts));
  assertNoLoop(`${name}: vmap(grad)`, batched, (xs) => func.vmap(func.grad(s, opts))(...xs));
  assertNoLoop(`${name}: jacrev(vmap)`, batched, (xs) => func.jacrev(func.vmap(s), opts)(...xs));
  assertNoLoop(`${name}: jacfwd(vmap)`, batched, (xs) => func.jacfwd(func.vmap(s), opts)(...xs));
}

describe('no hidden loops: composite ops users call under vmap', () => {
  test('every exported function is a listed composite or a listed exception', () => {
    const unlisted = EXPORTS.map(([k]) => k).filter((k) => !(k in COMPOSITES) && !(k in EXCEPT) && !(k.slice(2) in COMPOSITES && k.startsWith('F.')));
    assert.deepEqual(unlisted, [], `exports with neither sample arguments (COMPOSITES) nor a reason (EXCEPT) in test/no_loops.test.ts`);
    const stale = [...Object.keys(COMPOSITES), ...Object.keys(EXCEPT)].filter((k) => !EXPORTS.some(([e]) => e === k));
    assert.deepEqual(stale, [], 'entries for names that are no longer exported');
  });
  for (const [name, fn] of EXPORTS) {
    const spec = COMPOSITES[name] ?? (name.startsWith('F.') ? COMPOSITES[name.slice(2)] : undefined);
    if (!spec) continue;
    test(`${name}: kernel calls do not grow with the batch size`, () => checkComposite(name, fn, spec));
  }
  // A batched index tensor: its values cannot be read under vmap, so the bounds are checked by the kernel.
  test('index with a batched index tensor', () =>
    checkComposite('index', torch.index, c((g) => [g.f(3, 4), torch.slice(null, null, 2), g.int(0, 3, 2)])));
  test('indexPut_ with a batched index tensor', () =>
    checkComposite('indexPut_', torch.indexPut_, c((g) => [g.f(3, 4), [g.int(0, 2, 2)], g.f(2, 4)], { noGrad: 'in place' })));
});
