// Bundled by webgpu_library.test.ts (esbuild, straight from src/) and loaded by webgpu_library.html in
// headless Chromium: starts the real WebGPU backend with `torch.webgpu.init()` and runs the library on
// it (every primitive of the registry with its vjp, jvp and vmap rules, torch.func golden cases, a
// training loop, eager and compiled), comparing each result with the same computation on 'cpu' in the
// same page. Nothing is asserted here: each check is reported back to Node, which asserts it as its own
// subtest, so one failing kernel does not hide the others.
import fc from 'fast-check';
import * as torch from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { bind, lax, registry, type Primitive } from '../../src/primitives/index.js';
import { backendFor } from '../../src/backend/index.js';
import type { WebGPUBackend } from '../../src/backend/webgpu/index.js';
import { mulberry, numel, samples, tensorOf, type Sample } from '../support/samples.js';

const { func, nn, optim } = torch;

/** One check as the page reports it; `status` 'unavailable' means a typed "not implemented on webgpu" error. */
export interface LibraryCheck {
  /** 'primitive' (registry walk), 'golden' (PyTorch's numbers), 'training', or 'device' (read discipline). */
  group: 'primitive' | 'golden' | 'training' | 'device';
  /** Primitive name, golden file, or topic. */
  subject: string;
  /** What was checked: 'forward', 'vjp', 'jvp', 'vmap', 'vmap commands', a golden case name, ... */
  name: string;
  /** 'skip': the check does not apply to the samples drawn (vjp of a comparison). */
  status: 'pass' | 'fail' | 'unavailable' | 'skip';
  /** Why it failed (the sample, the element, both values), why it was skipped, or how close it came. */
  detail: string;
  /** Time the page spent on it. */
  ms: number;
}

/** A tensor as the golden fixtures write it (test/fixtures/golden, made by PyTorch). */
interface Spec { shape: number[]; dtype: string; data: (number | boolean)[] }
/** One golden case: named inputs and expected values, as test/support/golden.ts reads them. */
type GoldenCase = { name: string; what: string } & Record<string, unknown>;

/** What the Node test passes in: the golden files it read, and the fast-check seed of the primitive samples. */
export interface LibraryInput {
  /** The cases of each golden file, by file name without '.json'. */
  golden: Record<string, GoldenCase[]>;
  /** fast-check seed of the primitive samples. */
  seed: number;
  /** Samples per primitive. */
  numRuns: number;
}

/** The page's answer; `expectedSyncReads` counts the synchronous reads the page made on purpose (item(), tolist()). */
export interface LibraryOutput {
  /** Whether `torch.webgpu.init()` found an adapter (no checks ran otherwise). */
  adapter: boolean;
  /** Chromium offers an adapter but `torch.webgpu.init()` resolved to false. */
  initFailed?: boolean;
  checks: LibraryCheck[];
  expectedSyncReads: number;
  /** Time the page spent in all. */
  ms: number;
}

declare global {
  interface Window { runLibraryChecks: (input: LibraryInput) => Promise<LibraryOutput> }
}

/** The DeviceError of a backend method that WebGPU does not have yet (src/backend/webgpu/linalg.ts). */
const UNAVAILABLE = /is not implemented on device 'webgpu'/;

// ---- comparing -------------------------------------------------------------------------------------------

/**
 * float32 tolerance, the same for every primitive: both devices compute in float32 but with different
 * instructions and summation orders. The worst error seen (FC_RUNS=5) is about 4e-7, transcendental
 * primitives included, so no primitive needs a looser one; the margin covers other adapters' math.
 */
const TOL = 1e-4;

/** The largest |webgpu - cpu| / (1 + |cpu|) seen since the last reset: how close a passing check came to its tolerance. */
let worst = 0;

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(9));

/** Reads a result tensor (any device) as numbers. */
async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

/**
 * Compares `got` (computed on webgpu, expected to live on `device`) with `want` (computed on cpu):
 * device, shape, dtype, then every element (exact for int32/bool, within tol for floats).
 * Returns null when they agree, else what differs.
 */
async function mismatch(got: unknown, want: unknown, device: string, tol: number, path = 'out'): Promise<string | null> {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${path}: ${Array.isArray(got) ? got.length : typeof got} outputs on webgpu, ${want.length} on cpu`;
    for (let i = 0; i < want.length; i++) {
      const m = await mismatch(got[i], want[i], device, tol, `${path}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  if (!(want instanceof torch.Tensor)) return got === want ? null : `${path}: ${String(got)} on webgpu, ${String(want)} on cpu`;
  if (!(got instanceof torch.Tensor)) return `${path}: not a tensor on webgpu`;
  if (got.device !== device) return `${path}: on device '${got.device}', expected '${device}'`;
  if (got.shape.join(',') !== want.shape.join(',')) return `${path}: shape [${got.shape}] on webgpu, [${want.shape}] on cpu`;
  if (got.dtype !== want.dtype) return `${path}: dtype ${got.dtype} on webgpu, ${want.dtype} on cpu`;
  const [a, b] = [await values(got), await values(want)];
  const exact = want.dtype === 'int32' || want.dtype === 'bool';
  for (let i = 0; i < b.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    const ok = Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) || exact ? x === y : Math.abs(x - y) <= tol * (1 + Math.abs(y));
    if (ok && Number.isFinite(y) && !exact) worst = Math.max(worst, Math.abs(x - y) / (1 + Math.abs(y)));
    if (!ok) {
      const near = (v: number[]) => v.slice(Math.max(0, i - 2), i + 3).map(fmt).join(', ');
      return `${path}[${i}] (of ${b.length}, shape [${want.shape}], ${want.dtype}): ${fmt(x)} on webgpu, ${fmt(y)} on cpu, |diff| ${Math.abs(x - y).toPrecision(3)} > ${tol} * (1 + |cpu|); around it: webgpu [${near(a)}] cpu [${near(b)}]`;
    }
  }
  return null;
}

const errText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
const isUnavailable = (e: unknown) => e instanceof torch.DeviceError && UNAVAILABLE.test(e.message);

// ---- the primitive registry ------------------------------------------------------------------------------

type Kind = 'forward' | 'vjp' | 'jvp' | 'vmap' | 'vmap commands';
const KINDS: Kind[] = ['forward', 'vjp', 'jvp', 'vmap', 'vmap commands'];

/** The batch sizes whose GPU command counts must agree: a per-example loop in a kernel would differ. */
const LOOP_SIZES = [2, 5] as const;
const gpuCommands = () => (backendFor('webgpu') as WebGPUBackend).commandCount();

/** The params of the float32 sample: dtypes named in cast's and random's params become float32 (WGSL has no f64). */
function params32(s: Sample): unknown {
  const p = s.params as Record<string, unknown> | undefined;
  if (p !== null && typeof p === 'object' && p.dtype === 'float64') return { ...p, dtype: 'float32' };
  return p;
}

/** How one sample of `prim` runs on each device: the cpu reference, and the webgpu run with its inputs' device. */
interface Plan {
  prim: Primitive;
  s: Sample;
  /** Which inputs are differentiable (the float64 sample's marks; asFloat32 clears them). */
  diff: boolean[];
  cpuParams: unknown;
  gpuParams: unknown;
  /** Moves a cpu input to where the webgpu run takes it ('webgpu', except devicePut's source). */
  place(x: Tensor): Tensor;
  /** The sample's inputs as the webgpu run takes them: moved, then strided on the device as `layouts` says. */
  gpuInputs(): Tensor[];
  /** Per input: the layout it has on the device (the kernels must read strided views as well as the cpu's do). */
  layouts: Layout[];
}

type Layout = 'contiguous' | 'transposed' | 'offset';

/**
 * x moved to webgpu, then given `layout` there: dims reversed over a contiguous copy, or sliced one row
 * into a bigger buffer (a non-zero offset). The cpu's own strided views do not survive `.to()`, which
 * copies row-major, so the device views are made on the device.
 */
function onDevice(x: Tensor, layout: Layout): Tensor {
  const g = x.to('webgpu');
  const n = g.ndim;
  if (layout === 'transposed' && n >= 2) {
    const rev = g.shape.map((_, i) => n - 1 - i);
    return lax.permute(lax.copyOf(lax.permute(g, rev)), rev);
  }
  if (layout === 'offset' && n >= 1) {
    const rest = g.shape.slice(1);
    const pad = tensorOf(new Array<number>(numel(rest)).fill(7), [1, ...rest], g.dtype).to('webgpu');
    return lax.slice(lax.concat([pad, g], 0), { dim: 0, start: 1, end: g.shape[0]! + 1, step: 1 });
  }
  return g;
}

function planFor(prim: Primitive, s64: Sample): Plan {
  const s = s64.asFloat32();
  const cpuParams = params32(s);
  if (prim.name === 'devicePut') {
    // The move itself is what runs on the device: cpu -> webgpu (the sample's cpu -> cpu is the reference).
    const layouts = s.inputs.map((): Layout => 'contiguous');
    return { prim, s, diff: s64.diff, cpuParams, gpuParams: { device: 'webgpu', from: 'cpu' }, place: (x) => x, gpuInputs: () => s.inputs, layouts };
  }
  const gpuParams = prim.random ? { ...(cpuParams as object), device: 'webgpu' } : cpuParams;
  const rng = mulberry(s.seed ^ 0x3c6ef372);
  const layouts = s.inputs.map((): Layout => {
    const r = rng();
    return r < 0.5 ? 'contiguous' : r < 0.75 ? 'transposed' : 'offset';
  });
  const gpuInputs = () => s.inputs.map((x, i) => onDevice(x, layouts[i]!));
  return { prim, s, diff: s64.diff, cpuParams, gpuParams, place: (x) => x.to('webgpu'), gpuInputs, layouts };
}

/** Random float32 values of `shape` on cpu (cotangents, tangents), the same for both runs. */
function randomLike(shape: readonly number[], seed: number): Tensor {
  const rng = mulberry(seed);
  return tensorOf(Array.from({ length: numel(shape) }, () => 2 * rng() - 1), shape, 'float32');
}

/** Runs one kind of check on one sample: null when it agrees, 'n/a' when it does not apply, else the mismatch. */
async function runKind(kind: Kind, p: Plan): Promise<string | null | 'n/a'> {
  const { prim, s } = p;
  const tol = TOL;
  const call = (params: unknown) => (...xs: Tensor[]) => bind(prim, xs, params);
  const cpuIn = s.inputs;
  const gpuIn = p.gpuInputs;
  const out = prim.abstract(cpuIn, p.cpuParams);
  const differentiable = !prim.nondiff && !prim.random && p.diff.some((d) => d) && out.dtype === 'float32';
  const diffIdx = p.diff.flatMap((d, i) => (d ? [i] : []));
  const withDiff = (xs: Tensor[], params: unknown) => (...d: Tensor[]) => {
    const ys = [...xs];
    diffIdx.forEach((i, k) => (ys[i] = d[k]!));
    return bind(prim, ys, params);
  };

  if (kind === 'forward') {
    const want = call(p.cpuParams)(...cpuIn);
    const gi = gpuIn();
    const got = call(p.gpuParams)(...gi);
    if (prim.random) return mismatch(got, want, 'webgpu', 0); // host-generated: the same numbers exactly
    const m = await mismatch(got, want, 'webgpu', tol);
    if (m !== null || prim.name !== 'devicePut') return m;
    // And back: webgpu -> cpu arrives asynchronously; data() waits for it.
    const back = bind(prim, [got], { device: 'cpu', from: 'webgpu' });
    return mismatch(back, want, 'cpu', 0, 'moved back to cpu');
  }
  if (kind === 'vjp') {
    if (!differentiable) return 'n/a';
    const ct = randomLike(out.shape, s.seed ^ 0x1234567);
    const run = (xs: Tensor[], params: unknown, c: Tensor) => {
      const [o, vjpFn] = func.vjp(withDiff(xs, params), ...diffIdx.map((i) => xs[i]!)) as [Tensor, (ct: Tensor) => Tensor[]];
      return [o, ...vjpFn(c)];
    };
    const want = run(cpuIn, p.cpuParams, ct);
    const gi = gpuIn();
    const got = run(gi, p.gpuParams, ct.to('webgpu'));
    // The output lives on webgpu; each cotangent on the device of its input (devicePut's is the cpu).
    for (let k = 0; k < want.length; k++) {
      const dev = k === 0 ? 'webgpu' : gi[diffIdx[k - 1]!]!.device;
      const m = await mismatch(got[k], want[k], dev, tol, k === 0 ? 'out' : `cotangent of input ${diffIdx[k - 1]}`);
      if (m !== null) return m;
    }
    return null;
  }
  if (kind === 'jvp') {
    if (!differentiable) return 'n/a';
    const ts = diffIdx.map((i, k) => randomLike(cpuIn[i]!.shape, s.seed ^ (0x2345678 + k)));
    const want = func.jvp(withDiff(cpuIn, p.cpuParams), diffIdx.map((i) => cpuIn[i]!), ts) as [Tensor, Tensor];
    const gi = gpuIn();
    const got = func.jvp(withDiff(gi, p.gpuParams), diffIdx.map((i) => gi[i]!), ts.map(p.place)) as [Tensor, Tensor];
    return (await mismatch(got[0], want[0], 'webgpu', tol, 'primal out')) ?? mismatch(got[1], want[1], 'webgpu', tol, 'tangent out');
  }
  if (cpuIn.length === 0) return 'n/a';
  if (kind === 'vmap commands') {
    // The same vmap at two batch sizes, inputs moved to the device before counting.
    const counts = LOOP_SIZES.map((B) => {
      const draws = Array.from({ length: B }, (_, k) => s.make(k));
      const xs = cpuIn.map((_, i) => p.place(torch.stack(draws.map((d) => d[i]!.contiguous()))));
      const before = gpuCommands();
      func.vmap(call(p.gpuParams))(...xs);
      return gpuCommands() - before;
    });
    return counts[0] === counts[1] ? null : `GPU commands depend on the batch size (a per-example loop?): ${LOOP_SIZES.map((B, i) => `B=${B}: ${counts[i]}`).join(', ')}`;
  }
  // vmap over two stacked draws with different values (draws 1 and 2 of the sample).
  const draws = [s.make(1), s.make(2)];
  const stacked = cpuIn.map((_, i) => torch.stack(draws.map((d) => d[i]!.contiguous())));
  const want = func.vmap(call(p.cpuParams))(...stacked);
  const got = func.vmap(call(p.gpuParams))(...stacked.map(p.place));
  return mismatch(got, want, 'webgpu', tol, 'vmap out');
}

/** The sample (its cpu layouts) and the layouts its inputs had on the device. */
const sampleText = (p: Plan) => `${p.s.describe()} [webgpu input layouts: ${p.layouts.join(', ') || 'none'}]`;

async function checkPrimitives(seed: number, numRuns: number, report: (c: LibraryCheck) => void): Promise<void> {
  for (const [name, prim] of registry) {
    const make = samples[name];
    if (!make) {
      report({ group: 'primitive', subject: name, name: 'forward', status: 'fail', detail: 'no sample generator in test/support/samples.ts', ms: 0 });
      continue;
    }
    const plans = fc.sample(make(), { numRuns, seed }).map((s64) => planFor(prim, s64));
    for (const kind of KINDS) {
      const t0 = performance.now();
      worst = 0;
      let status: LibraryCheck['status'] = 'skip';
      const notes: string[] = [];
      for (const p of plans) {
        let r: string | null | 'n/a';
        try {
          r = await runKind(kind, p);
        } catch (e) {
          if (isUnavailable(e)) {
            if (status !== 'fail') status = 'unavailable';
            notes.push(`${sampleText(p)}: ${errText(e)}`);
            continue;
          }
          r = `threw ${errText(e)}${e instanceof Error && e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
        }
        if (r === 'n/a') continue;
        if (r === null) {
          if (status === 'skip') status = 'pass';
          continue;
        }
        status = 'fail';
        notes.unshift(`${sampleText(p)}: ${r}`);
      }
      const detail = status === 'skip' ? `not applicable to the samples drawn (${plans.map((p) => p.s.describe()).join('; ')})` : status === 'pass' ? `${plans.length} samples, worst relative error ${worst.toPrecision(2)} (tolerance ${TOL})` : notes.join('\n');
      report({ group: 'primitive', subject: name, name: kind, status, detail, ms: performance.now() - t0 });
    }
  }
}

// ---- golden cases -----------------------------------------------------------------------------------------

/** PyTorch computed these in float64; float32 on the device keeps about 6 digits. */
const GOLDEN_TOL = 1e-4;

const isSpec = (x: unknown): x is Spec => typeof x === 'object' && x !== null && 'shape' in x && 'data' in x;

/** A golden tensor spec as a float32 (or int32/bool) tensor on webgpu. */
function G(spec: unknown): Tensor {
  if (!isSpec(spec)) throw new Error(`not a tensor spec: ${JSON.stringify(spec).slice(0, 80)}`);
  const dtype = spec.dtype.includes('int') ? 'int32' : spec.dtype.includes('bool') ? 'bool' : 'float32';
  return tensorOf(spec.data.map(Number), spec.shape, dtype).to('webgpu');
}

/** Compares a result (tensor, array, object or Map of tensors) with PyTorch's numbers; null when they agree. */
async function goldenMismatch(actual: unknown, expected: unknown, path = 'value'): Promise<string | null> {
  if (isSpec(expected)) {
    if (!(actual instanceof torch.Tensor)) return `${path}: expected a tensor, got ${typeof actual}`;
    if (actual.device !== 'webgpu') return `${path}: on device '${actual.device}', expected 'webgpu'`;
    if (actual.shape.join(',') !== expected.shape.join(',')) return `${path}: shape [${actual.shape}], PyTorch [${expected.shape}]`;
    const a = await values(actual);
    for (let i = 0; i < expected.data.length; i++) {
      const e = Number(expected.data[i]);
      if (!(Math.abs(a[i]! - e) <= GOLDEN_TOL * (1 + Math.abs(e)))) return `${path}[${i}]: ${fmt(a[i]!)} on webgpu, PyTorch ${fmt(e)} (tol ${GOLDEN_TOL} * (1 + |PyTorch|))`;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected an array of ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = await goldenMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  if (typeof expected === 'object' && expected !== null) {
    const act = actual instanceof Map ? Object.fromEntries(actual) : (actual as Record<string, unknown>);
    for (const [k, e] of Object.entries(expected)) {
      const m = await goldenMismatch(act[k], e, `${path}.${k}`);
      if (m !== null) return m;
    }
    return null;
  }
  return `${path}: unexpected expected value ${JSON.stringify(expected)}`;
}

type Tn = Tensor;
/** One golden check: the file, the case, and what to compute from it (result, expected) on webgpu. */
type GoldenRun = [file: string, name: string, run: (c: GoldenCase) => [unknown, unknown][]];

/** The cases of test/func_golden.test.ts, run in float32 on webgpu. */
const GOLDEN: GoldenRun[] = [
  ['grad', 'argnums_tuple', (c) => [[func.grad((x: Tn, y: Tn) => x.mul(y).sum().add(x.pow(2).sum()), { argnums: [0, 1] })(G(c.x), G(c.y)), c.expected]]],
  ['grad', 'has_aux', (c) => {
    const [g, aux] = func.grad((x: Tn) => [x.pow(3).sum(), x.mean()], { hasAux: true })(G(c.x)) as [Tn, Tn];
    return [[g, c.expected], [aux, c.expected_aux]];
  }],
  ['grad', 'grad_and_value', (c) => {
    const [g, v] = func.gradAndValue((x: Tn) => x.sin().pow(2).sum())(G(c.x)) as [Tn, Tn];
    return [[g, c.expected], [v, c.expected_value]];
  }],
  ['grad', 'grad_grad_tanh', (c) => [[func.vmap(func.grad(func.grad((x: Tn) => x.tanh())))(G(c.x)), c.expected]]],
  ['grad', 'dict_params', (c) => [[func.grad((p: Record<string, Tn>) => p.w!.mul(3).add(p.b!.pow(2)).sum())({ w: G(c.w), b: G(c.b) }), c.expected]]],
  ['grad', 'perturbation_confusion', (c) => {
    const one = torch.tensor(1, { device: 'webgpu' });
    return [[func.grad((x: Tn) => x.mul(func.grad((y: Tn) => x.mul(y))(one)))(G(c.x)), c.expected]];
  }],
  ['vmap', 'in_dims_none_0', (c) => [[func.vmap((w: Tn, x: Tn) => w.matmul(x), { inDims: [null, 0] })(G(c.w), G(c.x)), c.expected]]],
  ['vmap', 'in_dims_1_none', (c) => [[func.vmap((x: Tn, y: Tn) => x.mul(y), { inDims: [1, null] })(G(c.x), G(c.y)), c.expected]]],
  ['vmap', 'out_dims_1', (c) => [[func.vmap((x: Tn) => x.sin().mul(2), { outDims: 1 })(G(c.x)), c.expected]]],
  ['vmap', 'nested_dot', (c) => [[func.vmap(func.vmap(torch.dot))(G(c.x), G(c.y)), c.expected]]],
  ['vmap', 'tuple_out', (c) => [[func.vmap((x: Tn) => [x.sum(), x.mul(2)])(G(c.x)), c.expected]]],
  ['vmap', 'chunk_size_2', (c) => [[func.vmap((x: Tn) => x.exp().sum(0), { chunkSize: 2 })(G(c.x)), c.expected]]],
  ['vmap', 'dict_in_dims', (c) => [[func.vmap((d: Record<string, Tn>) => d.a!.mul(d.b!.sum()), { inDims: [{ a: 0, b: null }] })({ a: G(c.a), b: G(c.b) }), c.expected]]],
  ['vmap', 'negative_in_dim', (c) => [[func.vmap((x: Tn) => x.sum(), { inDims: -1 })(G(c.x)), c.expected]]],
  ['jacobians', 'jacrev_sin_x2', (c) => [[func.jacrev((x: Tn) => x.sin().mul(x.pow(2)))(G(c.x)), c.expected]]],
  ['jacobians', 'jacfwd_sin_x2', (c) => [[func.jacfwd((x: Tn) => x.sin().mul(x.pow(2)))(G(c.x)), c.expected]]],
  ['jacobians', 'jacrev_two_args', (c) => [[func.jacrev((x: Tn, y: Tn) => x.sin().mul(y).add(x.pow(2)), { argnums: [0, 1] })(G(c.x), G(c.y)), c.expected]]],
  ['jacobians', 'jacfwd_two_args', (c) => [[func.jacfwd((x: Tn, y: Tn) => x.sin().mul(y).add(x.pow(2)), { argnums: [0, 1] })(G(c.x), G(c.y)), c.expected]]],
  ['jacobians', 'hessian_quartic', (c) => [[func.hessian((x: Tn) => x.pow(4).sum().add(x.index(0).mul(x.index(1))))(G(c.x)), c.expected]]],
  ['jacobians', 'jacrev_matrix', (c) => [[func.jacrev((x: Tn) => x.matmul(x.T))(G(c.x)), c.expected]]],
  ['vjp_jvp', 'vjp_matmul_sin', (c) => {
    const [out, vjpFn] = func.vjp((x: Tn, y: Tn) => x.matmul(y).add(x.sin()), G(c.x), G(c.y)) as [Tn, (ct: Tn) => Tn[]];
    return [[out, c.expected_out], [vjpFn(G(c.ct)), c.expected]];
  }],
  ['vjp_jvp', 'jvp_matmul_sin', (c) => {
    const [o, t] = func.jvp((x: Tn, y: Tn) => x.matmul(y).add(x.sin()), [G(c.x), G(c.y)], [G(c.tx), G(c.ty)]) as [Tn, Tn];
    return [[o, c.expected_out], [t, c.expected]];
  }],
  ['vjp_jvp', 'linearize_sin', (c) => {
    const [o, jvpFn] = func.linearize((x: Tn) => x.sin(), G(c.x)) as [Tn, (t: Tn) => Tn];
    return [[o, c.expected_out], [[jvpFn(G(c.t1)), jvpFn(G(c.t2))], c.expected]];
  }],
];

async function checkGolden(golden: Record<string, GoldenCase[]>, report: (c: LibraryCheck) => void): Promise<void> {
  for (const [file, name, run] of GOLDEN) {
    const t0 = performance.now();
    let detail: string | null;
    try {
      const c = golden[file]?.find((x) => x.name === name);
      if (!c) throw new Error(`golden case ${file}.json ${name} was not passed to the page`);
      detail = null;
      for (const [got, want] of run(c)) detail ??= await goldenMismatch(got, want);
    } catch (e) {
      detail = `threw ${errText(e)}`;
    }
    report({ group: 'golden', subject: file, name, status: detail === null ? 'pass' : 'fail', detail: detail ?? 'agrees with PyTorch', ms: performance.now() - t0 });
  }
}

// ---- training ---------------------------------------------------------------------------------------------

/** A small 3-class problem: 48 points in 4-d labelled by the largest of three fixed linear scores. */
function problem(): { x: Tensor; y: Tensor } {
  torch.manualSeed(1234);
  const x = torch.randn([48, 4]);
  const w = torch.tensor([[1, -1, 0.5], [0.5, 1, -1], [-1, 0.5, 1], [0.3, -0.2, 0.1]]);
  return { x, y: x.matmul(w).argmax(1).to('int32') };
}

/** The model every training run starts from (same seed, made on cpu, then moved). */
function model(device: 'cpu' | 'webgpu'): InstanceType<typeof nn.Sequential> {
  torch.manualSeed(99);
  return new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3)).to(device);
}

/** Adam on cross-entropy for `steps` steps, eager or with the step compiled; the losses and final parameters. */
async function train(device: 'cpu' | 'webgpu', steps: number, compiled: boolean): Promise<{ losses: number[]; params: Tensor[] }> {
  const { x, y } = problem();
  const [xd, yd] = [x.to(device), y.to(device)];
  const net = model(device);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(net.parameters(), { lr: 0.03 });
  const step = () => {
    opt.zeroGrad();
    const loss = lossFn.call(net.call(xd) as Tensor, yd) as Tensor;
    loss.backward();
    opt.step();
    return loss.detach();
  };
  const run = compiled ? torch.compile(step) : step;
  const losses: Tensor[] = [];
  for (let i = 0; i < steps; i++) losses.push(run());
  // Read once at the end: the loop itself never waits for the device.
  return { losses: await Promise.all(losses.map((l) => l.itemAsync())), params: net.parameters().map((p) => p.detach()) };
}

async function checkTraining(report: (c: LibraryCheck) => void): Promise<void> {
  const timed = async (name: string, f: (note: (s: string) => void) => Promise<string | null>) => {
    const t0 = performance.now();
    let detail: string | null;
    let info = 'ok';
    try {
      detail = await f((s) => (info = s));
    } catch (e) {
      detail = `threw ${errText(e)}${e instanceof Error && e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
    }
    report({ group: 'training', subject: 'training', name, status: detail === null ? 'pass' : 'fail', detail: detail ?? info, ms: performance.now() - t0 });
  };
  const STEPS = 30;
  let gpu: { losses: number[]; params: Tensor[] } | null = null;
  await timed(`Adam, ${STEPS} steps on webgpu: the loss falls below half its start`, async (note) => {
    gpu = await train('webgpu', STEPS, false);
    const [first, last] = [gpu.losses[0]!, gpu.losses[STEPS - 1]!];
    note(`loss ${fmt(first)} -> ${fmt(last)}`);
    return last < 0.5 * first ? null : `loss ${fmt(first)} -> ${fmt(last)} (losses ${gpu.losses.map(fmt).join(', ')})`;
  });
  await timed(`Adam, ${STEPS} steps: webgpu losses and parameters equal the cpu run's within 1e-3 relative`, async () => {
    if (gpu === null) return 'the webgpu run failed';
    const g = gpu as { losses: number[]; params: Tensor[] };
    const cpu = await train('cpu', STEPS, false);
    for (let i = 0; i < STEPS; i++) {
      if (!(Math.abs(g.losses[i]! - cpu.losses[i]!) <= 1e-3 * (1 + Math.abs(cpu.losses[i]!)))) return `loss at step ${i}: ${fmt(g.losses[i]!)} on webgpu, ${fmt(cpu.losses[i]!)} on cpu`;
    }
    // Adam divides by sqrt(v): float32 rounding differences of the two devices grow over the steps.
    return mismatch(g.params, cpu.params, 'webgpu', 1e-3, 'parameter');
  });
  await timed('a compiled training step (torch.compile) agrees with the eager step on webgpu over 3 steps', async () => {
    const eager = await train('webgpu', 3, false);
    const comp = await train('webgpu', 3, true);
    for (let i = 0; i < 3; i++) {
      if (!(Math.abs(comp.losses[i]! - eager.losses[i]!) <= TOL * (1 + Math.abs(eager.losses[i]!)))) return `loss at step ${i}: ${fmt(comp.losses[i]!)} compiled, ${fmt(eager.losses[i]!)} eager`;
    }
    return mismatch(comp.params, eager.params, 'webgpu', TOL, 'parameter');
  });
}

// ---- reading the device -----------------------------------------------------------------------------------

/** Returns how many synchronous reads it made on purpose (each one must be a DeviceError). */
async function checkReads(report: (c: LibraryCheck) => void): Promise<number> {
  const t0 = performance.now();
  const x = torch.tensor([2.5]).to('webgpu').mul(2);
  const problems: string[] = [];
  let deliberate = 0;
  for (const [what, read] of [['item()', () => x.item()], ['tolist()', () => x.tolist()]] as const) {
    deliberate++;
    try {
      read();
      problems.push(`${what} on a webgpu tensor returned instead of throwing`);
    } catch (e) {
      if (!(e instanceof torch.DeviceError)) problems.push(`${what} threw ${errText(e)}, not a DeviceError`);
      else if (!/await tensor\.data\(\)|itemAsync/.test(e.message)) problems.push(`${what}'s DeviceError does not name the async call: ${e.message}`);
    }
  }
  try {
    const v = await x.itemAsync();
    if (v !== 5) problems.push(`await itemAsync() gave ${v}, expected 5`);
    const l = await x.tolistAsync();
    if (JSON.stringify(l) !== '[5]') problems.push(`await tolistAsync() gave ${JSON.stringify(l)}, expected [5]`);
  } catch (e) {
    problems.push(`the async reads threw ${errText(e)}`);
  }
  report({ group: 'device', subject: 'reads', name: 'item() and tolist() on webgpu throw a DeviceError naming the async call; itemAsync() and tolistAsync() work', status: problems.length ? 'fail' : 'pass', detail: problems.join('\n') || 'ok', ms: performance.now() - t0 });

  const t1 = performance.now();
  let detail: string | null;
  try {
    torch.manualSeed(3);
    const c = torch.randn([7]);
    torch.manualSeed(3);
    const g = torch.randn([7], { device: 'webgpu' });
    detail = await mismatch(g, c, 'webgpu', 0, 'randn');
  } catch (e) {
    detail = `threw ${errText(e)}`;
  }
  report({ group: 'device', subject: 'random', name: 'torch.randn with the same seed draws the same numbers on webgpu as on cpu', status: detail === null ? 'pass' : 'fail', detail: detail ?? 'ok', ms: performance.now() - t1 });
  return deliberate;
}

window.runLibraryChecks = async (input) => {
  const t0 = performance.now();
  if (!(await torch.webgpu.init())) {
    // Without an adapter the test skips; with one, init() returning false is the library's failure.
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = gpu !== undefined && (await gpu.requestAdapter()) !== null;
    return { adapter, initFailed: adapter, checks: [], expectedSyncReads: 0, ms: performance.now() - t0 };
  }
  const checks: LibraryCheck[] = [];
  const report = (c: LibraryCheck) => checks.push(c);
  await checkPrimitives(input.seed, input.numRuns, report);
  await checkGolden(input.golden, report);
  await checkTraining(report);
  const expectedSyncReads = await checkReads(report);
  return { adapter: true, initFailed: false, checks, expectedSyncReads, ms: performance.now() - t0 };
};
