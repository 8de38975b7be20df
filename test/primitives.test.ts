// Property tests generated from the primitive registry: every registered primitive must have a sample
// generator (test/support/samples.ts), and each one is checked, on random shapes, params and strided
// (transposed / offset) inputs, for
//   a. vjp (eager autograd) against central finite differences, also with one leaf in several slots,
//   b. jvp (func.jvp, over a random subset of the inputs) against finite differences,
//   c. <ct, J t> == <J^T ct, t> (func.jvp against func.vjp),
//   d. vmap against a loop over examples: random in-dims (negative ones too), unbatched inputs, random
//      out dim, float32 as well as float64; nested vmap against a nested loop; vmap of the primitive's
//      jvp and of its vjp against loops (the batching rules of the derivative rules),
//   e. second order: H v by reverse-over-reverse, forward-over-reverse, reverse-over-forward and
//      forward-over-forward against finite differences of the gradient (rules are differentiable),
// plus vmap randomness, tie/kink conventions (where finite differences say nothing), and composite
// properties (jacfwd == jacrev == FD, hessian, vmap(grad) == loop of grad, chunked vmap == vmap).
//
// FC_SEED=<n> reruns with another fast-check seed, FC_RUNS=<factor> scales the number of runs (test/support/runs.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import { bind, registry, type Primitive, type Tensor } from '../src/primitives/index.js';
import { mulberry, numel, samples, tensorOf, type Rng, type Sample } from './support/samples.js';
import { fcSeed, runs } from './support/runs.js';
import { throwsExactly } from './support/throws.js';

const { func } = torch;

const SEED = fcSeed(20240611);
const RUNS = { vjp: runs(20), jvp: runs(20), consistency: runs(20), vmap: runs(30), nested: runs(15), transformed: runs(15), second: runs(12) };

const fcOpts = (numRuns: number) => ({ numRuns, seed: SEED, includeErrorInReport: true });

// ---- helpers --------------------------------------------------------------------------------------

const vals = (t: Tensor): number[] => Array.from(t.toArray() as ArrayLike<number>);
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const absDot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + Math.abs(x * b[i]!), 0);
const randn = (rng: Rng, n: number) => Array.from({ length: n }, () => 2 * rng() - 1);
const isFloat = (d: string) => d === 'float32' || d === 'float64';

function call(prim: Primitive, inputs: Tensor[], params: unknown): Tensor {
  return bind(prim, [...inputs], params);
}

/** The prim's output dtype/shape for a sample. */
function outAval(prim: Primitive, s: Sample) {
  return prim.abstract(s.inputs, s.params);
}

/** Whether derivative checks apply: a differentiable prim with a float64 output and a float64 input. */
function differentiable(prim: Primitive, s: Sample): boolean {
  return !prim.nondiff && !prim.random && s.diff.some((d) => d) && outAval(prim, s).dtype === 'float64';
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}

function assertAllClose(what: string, got: readonly number[], want: readonly number[], rtol: number, atol: number): void {
  assert.equal(got.length, want.length, `${what}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    if (!close(got[i]!, want[i]!, rtol, atol)) {
      assert.fail(`${what}: element ${i}: got ${got[i]} want ${want[i]} (rtol ${rtol}, atol ${atol})\n  got  [${got.map((x) => x.toPrecision(8)).join(', ')}]\n  want [${want.map((x) => x.toPrecision(8)).join(', ')}]`);
    }
  }
}

const withVals = (x: Tensor, v: number[]) => tensorOf(v, x.shape, x.dtype);
const leafOf = (x: Tensor) => withVals(x, vals(x)).requiresGrad_(true);

/** x + eps * dir for each input (dir null = unchanged). */
function shifted(inputs: Tensor[], dirs: (number[] | null)[], eps: number): Tensor[] {
  return inputs.map((x, i) => {
    const d = dirs[i];
    if (!d) return x;
    return withVals(x, vals(x).map((v, k) => v + eps * d[k]!));
  });
}

const EPS = 1e-6;

/** Runs fn and prefixes any failure with the primitive and sample. */
function labelled(s: Sample, what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const err = new Error(`[${s.prim}] ${what} failed on ${s.describe()}:\n${msg}`);
    if (e instanceof Error) err.stack = `${err.message}\n${e.stack ?? ''}`;
    throw err;
  }
}

function sampleArb(name: string): fc.Arbitrary<Sample> {
  const make = samples[name];
  if (!make) throw new Error(`primitive '${name}' has no entry in test/support/samples.ts`);
  return make();
}

// ---- the properties ---------------------------------------------------------------------------------

/** a. Eager autograd's vjp against central differences of <ct, f(x)>, every element of every input. */
function checkVjp(prim: Primitive, s: Sample): void {
  if (!differentiable(prim, s)) return;
  const rng = mulberry(s.seed ^ 0x1234567);
  const leaves = s.inputs.map((x, i) => (s.diff[i] ? leafOf(x) : x));
  const out = call(prim, leaves, s.params);
  const ct = randn(rng, numel(out.shape));
  const dl = leaves.filter((_, i) => s.diff[i]);
  let grads: (Tensor | null)[];
  if (out.requiresGrad) {
    grads = torch.autograd.grad(out, dl, { gradOutputs: tensorOf(ct, out.shape, out.dtype), allowUnused: true });
  } else {
    grads = dl.map(() => null);
  }
  let k = 0;
  s.inputs.forEach((x, i) => {
    if (!s.diff[i]) return;
    const g = grads[k++];
    const n = numel(x.shape);
    const got = g ? vals(g) : new Array<number>(n).fill(0);
    if (g) assert.deepEqual(g.shape, x.shape, `grad of input ${i} has shape [${g.shape}], input [${x.shape}]`);
    const want: number[] = [];
    let mag = 0;
    for (let j = 0; j < n; j++) {
      const dir = new Array<number>(n).fill(0);
      dir[j] = 1;
      const dirs = s.inputs.map((_, q) => (q === i ? dir : null));
      const op = vals(call(prim, shifted(s.inputs, dirs, EPS), s.params));
      const om = vals(call(prim, shifted(s.inputs, dirs, -EPS), s.params));
      mag = Math.max(mag, absDot(op, ct));
      want.push((dot(op, ct) - dot(om, ct)) / (2 * EPS));
    }
    assertAllClose(`vjp (eager autograd) of input ${i} vs finite differences${out.requiresGrad ? '' : ' (output does not require grad)'}`, got, want, 1e-5, 1e-6 + 1e-9 * mag);
  });
}

/**
 * a'. The same leaf passed in several differentiable slots (e.g. mul(x, x)): eager autograd must add
 * the contributions of every slot. Vacuous when no two differentiable inputs share a shape.
 */
function checkAliasedVjp(prim: Primitive, s: Sample): void {
  if (!differentiable(prim, s)) return;
  const diffIdx = s.inputs.flatMap((_, i) => (s.diff[i] ? [i] : []));
  const key = (i: number) => s.inputs[i]!.shape.join(',');
  const first = diffIdx.find((i) => diffIdx.some((j) => j !== i && key(j) === key(i)));
  if (first === undefined) return;
  const slots = diffIdx.filter((j) => key(j) === key(first));
  const x = s.inputs[first]!;
  const leaf = leafOf(x);
  const out = call(prim, s.inputs.map((y, i) => (slots.includes(i) ? leaf : y)), s.params);
  const rng = mulberry(s.seed ^ 0x7654321);
  const ct = randn(rng, numel(out.shape));
  const [g] = out.requiresGrad ? torch.autograd.grad(out, [leaf], { gradOutputs: tensorOf(ct, out.shape, out.dtype), allowUnused: true }) : [null];
  const n = numel(x.shape);
  const base = s.inputs.map((y, i) => (slots.includes(i) ? x : y));
  const want: number[] = [];
  let mag = 0;
  for (let j = 0; j < n; j++) {
    const dir = new Array<number>(n).fill(0);
    dir[j] = 1;
    const dirs = base.map((_, i) => (slots.includes(i) ? dir : null));
    const op = vals(call(prim, shifted(base, dirs, EPS), s.params));
    const om = vals(call(prim, shifted(base, dirs, -EPS), s.params));
    mag = Math.max(mag, absDot(op, ct));
    want.push((dot(op, ct) - dot(om, ct)) / (2 * EPS));
  }
  assertAllClose(`vjp of one leaf passed as inputs ${slots} vs finite differences`, g ? vals(g) : new Array<number>(n).fill(0), want, 1e-5, 1e-6 + 1e-9 * mag);
}

function tangentsFor(s: Sample, rng: Rng): Tensor[] {
  return s.inputs.map((x, i) => (s.diff[i] ? tensorOf(randn(rng, numel(x.shape)), x.shape, 'float64') : tensorOf(new Array(numel(x.shape)).fill(0), x.shape, x.dtype)));
}

/**
 * Which inputs are primals of func.jvp / func.vjp: a random non-empty subset of the differentiable ones
 * (the others are closed over, so rules also see null tangents), plus, half the time, the
 * non-differentiable inputs with zero tangents.
 */
function primalSubset(s: Sample, rng: Rng): { idx: number[]; f: (prim: Primitive) => (...d: Tensor[]) => Tensor } {
  const diffIdx = s.inputs.flatMap((_, i) => (s.diff[i] ? [i] : []));
  let chosen = diffIdx.filter(() => rng() < 0.7);
  if (chosen.length === 0) chosen = [diffIdx[Math.floor(rng() * diffIdx.length)]!];
  const withInts = rng() < 0.5;
  const idx = s.inputs.flatMap((_, i) => (chosen.includes(i) || (withInts && !s.diff[i]) ? [i] : []));
  const f = (prim: Primitive) => (...d: Tensor[]) => {
    const xs = [...s.inputs];
    idx.forEach((i, k) => (xs[i] = d[k]!));
    return call(prim, xs, s.params);
  };
  return { idx, f };
}

/** b. func.jvp against central differences along the tangent. */
function checkJvp(prim: Primitive, s: Sample): void {
  if (!differentiable(prim, s)) return;
  const rng = mulberry(s.seed ^ 0x2345678);
  const ts = tangentsFor(s, rng);
  const { idx, f } = primalSubset(s, rng);
  const [out, tout] = func.jvp(f(prim), idx.map((i) => s.inputs[i]!), idx.map((i) => ts[i]!)) as [Tensor, Tensor];
  const want0 = vals(call(prim, s.inputs, s.params));
  assertAllClose(`jvp primal output vs direct call (primals: inputs ${idx})`, vals(out), want0, 0, 0);
  assert.deepEqual(tout.shape, out.shape, `jvp tangent shape [${tout.shape}] vs output [${out.shape}]`);
  const dirs = s.inputs.map((_, i) => (s.diff[i] && idx.includes(i) ? vals(ts[i]!) : null));
  const op = vals(call(prim, shifted(s.inputs, dirs, EPS), s.params));
  const om = vals(call(prim, shifted(s.inputs, dirs, -EPS), s.params));
  const fd = op.map((v, k) => (v - om[k]!) / (2 * EPS));
  const mag = Math.max(0, ...op.map(Math.abs));
  assertAllClose(`jvp tangent (primals: inputs ${idx}) vs finite differences`, vals(tout), fd, 1e-5, 1e-6 + 1e-9 * mag);
}

/** c. <ct, J t> (func.jvp) == <J^T ct, t> (func.vjp), over a random subset of the inputs. */
function checkConsistency(prim: Primitive, s: Sample): void {
  if (!differentiable(prim, s)) return;
  const rng = mulberry(s.seed ^ 0x3456789);
  const ts = tangentsFor(s, rng);
  const { idx, f } = primalSubset(s, rng);
  const diffIdx = idx.filter((i) => s.diff[i]);
  const [, tout] = func.jvp(f(prim), idx.map((i) => s.inputs[i]!), idx.map((i) => ts[i]!)) as [Tensor, Tensor];
  const ct = randn(rng, numel(tout.shape));
  const g = (...d: Tensor[]) => f(prim)(...idx.map((i) => (s.diff[i] ? d[diffIdx.indexOf(i)]! : s.inputs[i]!)));
  const [out, vjpFn] = func.vjp(g, ...diffIdx.map((i) => s.inputs[i]!)) as [Tensor, (ct: Tensor) => Tensor[]];
  const cts = vjpFn(tensorOf(ct, out.shape, out.dtype));
  assert.equal(cts.length, diffIdx.length, `func.vjp returned ${cts.length} cotangents for ${diffIdx.length} inputs`);
  const lhs = dot(ct, vals(tout));
  let rhs = 0;
  let mag = absDot(ct, vals(tout));
  diffIdx.forEach((i, k) => {
    const gi = cts[k]!;
    assert.deepEqual(gi.shape, s.inputs[i]!.shape, `func.vjp cotangent ${i} has shape [${gi.shape}], input [${s.inputs[i]!.shape}]`);
    rhs += dot(vals(gi), vals(ts[i]!));
    mag += absDot(vals(gi), vals(ts[i]!));
  });
  if (!close(lhs, rhs, 1e-10, 1e-12 + 1e-12 * mag)) {
    assert.fail(`<ct, J t> = ${lhs} (func.jvp) but <J^T ct, t> = ${rhs} (func.vjp), primals: inputs ${diffIdx}`);
  }
}

/** Logical-order data of `B` tensors of `shape` stacked along `dim` (0 <= dim <= shape.length). */
function stackVals(parts: number[][], shape: readonly number[], dim: number): number[] {
  const B = parts.length;
  const outer = numel(shape.slice(0, dim));
  const inner = numel(shape.slice(dim));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (let b = 0; b < B; b++) for (let k = 0; k < inner; k++) out.push(parts[b]![o * inner + k]!);
  return out;
}
const withDim = (shape: readonly number[], dim: number, B: number) => [...shape.slice(0, dim), B, ...shape.slice(dim)];

interface VmapPlan {
  B: number;
  /** Per input: null (unbatched) or a raw in-dim in [-(ndim+1), ndim]. */
  inDims: (number | null)[];
  /** Raw out dim in [-(rank+1), rank], shared by every output. */
  outDim: number;
}

/** A plan for one vmap level over inputs of the given ranks, at least one input batched. */
function vmapPlanA(ranks: number[], outRank: number): fc.Arbitrary<VmapPlan> {
  return fc.tuple(
    fc.integer({ min: 1, max: 3 }),
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: ranks.length, maxLength: ranks.length }),
    fc.array(fc.integer({ min: -4, max: 3 }), { minLength: ranks.length, maxLength: ranks.length }),
    fc.integer({ min: 0, max: Math.max(0, ranks.length - 1) }),
    fc.integer({ min: -(outRank + 1), max: outRank }),
  ).map(([B, nulls, raw, force, outDim]) => {
    // 1 in 4 inputs unbatched; in-dims wrapped into [-(rank+1), rank].
    const wrap = (v: number, r: number) => {
      const m = 2 * r + 2;
      return ((((v + r + 1) % m) + m) % m) - (r + 1);
    };
    const inDims = ranks.map((r, i): number | null => (nulls[i] === 0 ? null : wrap(raw[i]!, r)));
    if (!inDims.some((d) => d !== null)) inDims[force] = 0;
    return { B, inDims, outDim };
  });
}

/** Plans for `levels` nested vmaps (outermost first): ranks grow by one per batched level. */
function nestedPlansA(inRanks: number[], outRank: number, levels: number): fc.Arbitrary<VmapPlan[]> {
  if (levels === 0) return fc.constant([]);
  // Choose the innermost plan first, then the outer ones over the (possibly) grown ranks.
  return vmapPlanA(inRanks, outRank).chain((inner) => {
    const ranks = inRanks.map((r, i) => r + (inner.inDims[i] === null ? 0 : 1));
    return nestedPlansA(ranks, outRank + 1, levels - 1).map((outer) => [...outer, inner]);
  });
}

const normDim = (d: number, rank: number) => (d < 0 ? d + rank + 1 : d);

/**
 * The per-example function under nested vmaps: fn(inputs) -> outputs. For input i and example indices
 * idx (one per level, outermost first), the value is draw key(i, idx) of the sample, where levels that
 * do not batch input i contribute index 0. Checks vmap(...vmap(fn)) against the nested loop.
 */
function checkNestedVmap(s: Sample, plans: VmapPlan[], fn: (xs: Tensor[]) => Tensor[], what: string, rtol: number): void {
  const radix = plans.map((_, L) => plans.slice(L + 1).reduce((a, p) => a * p.B, 1));
  const cache = new Map<number, Tensor[]>();
  const draw = (k: number) => {
    if (!cache.has(k)) cache.set(k, s.make(k));
    return cache.get(k)!;
  };
  const exampleInputs = (idx: number[]) =>
    s.inputs.map((_, i) => draw(1 + plans.reduce((a, p, L) => a + (p.inDims[i] === null ? 0 : idx[L]! * radix[L]!), 0))[i]!);
  // Arguments: built innermost-out by stacking along each level's in-dim.
  const argOf = (i: number, idx: number[], L: number): { v: number[]; shape: number[] } => {
    if (L === plans.length) {
      const x = exampleInputs(idx)[i]!;
      return { v: vals(x), shape: x.shape };
    }
    const d = plans[L]!.inDims[i];
    if (d === null) return argOf(i, [...idx, 0], L + 1);
    const parts = Array.from({ length: plans[L]!.B }, (_, b) => argOf(i, [...idx, b], L + 1));
    const shape = parts[0]!.shape;
    const nd = normDim(d!, shape.length);
    return { v: stackVals(parts.map((p) => p.v), shape, nd), shape: withDim(shape, nd, plans[L]!.B) };
  };
  const args = s.inputs.map((x, i) => {
    const a = argOf(i, [], 0);
    return tensorOf(a.v, a.shape, x.dtype);
  });
  // Expected: the loop, stacked innermost-out along each level's out dim.
  const expectOf = (idx: number[], L: number): { v: number[]; shape: number[]; dtype: string }[] => {
    if (L === plans.length) return fn(exampleInputs(idx)).map((o) => ({ v: vals(o), shape: o.shape, dtype: o.dtype }));
    const parts = Array.from({ length: plans[L]!.B }, (_, b) => expectOf([...idx, b], L + 1));
    return parts[0]!.map((p0, k) => {
      const nd = normDim(plans[L]!.outDim, p0.shape.length);
      return { v: stackVals(parts.map((p) => p[k]!.v), p0.shape, nd), shape: withDim(p0.shape, nd, plans[L]!.B), dtype: p0.dtype };
    });
  };
  const want = expectOf([], 0);
  let g: (...xs: Tensor[]) => Tensor[] = (...xs) => fn(xs);
  for (let L = plans.length - 1; L >= 0; L--) g = func.vmap(g, { inDims: [...plans[L]!.inDims], outDims: plans[L]!.outDim });
  const got = g(...args);
  const msg = `${what} under ${plans.map((p) => `vmap(B=${p.B}, inDims=[${p.inDims.map(String)}], outDims=${p.outDim})`).join(' o ')}`;
  assert.equal(got.length, want.length, `${msg}: number of outputs`);
  want.forEach((w, k) => {
    const o = got[k]!;
    assert.deepEqual(o.shape, w.shape, `${msg}: output ${k} shape [${o.shape}], want [${w.shape}]`);
    assert.equal(o.dtype, w.dtype, `${msg}: output ${k} dtype`);
    if (isFloat(w.dtype)) assertAllClose(`${msg} vs loop over examples, output ${k}`, vals(o), w.v, w.dtype === 'float32' ? Math.max(rtol, 1e-6) : rtol, 1e-300);
    else assert.deepEqual(vals(o), w.v, `${msg} vs loop over examples, output ${k}`);
  });
}

type VmapTarget = 'prim' | 'jvp' | 'vjp';

/** The per-example function: the primitive itself, its jvp (fixed tangents) or its vjp (fixed cotangent). */
function targetFn(prim: Primitive, s: Sample, target: VmapTarget): (xs: Tensor[]) => Tensor[] {
  const f = (xs: Tensor[]) => call(prim, xs, s.params);
  if (target === 'prim') return (xs) => [f(xs)];
  const rng = mulberry(s.seed ^ 0x5678901);
  if (target === 'jvp') {
    const ts = tangentsFor(s, rng);
    return (xs) => [(func.jvp((...ys: Tensor[]) => f(ys), xs, ts) as [Tensor, Tensor])[1]];
  }
  const o = outAval(prim, s);
  const ct = tensorOf(randn(rng, numel(o.shape)), o.shape, 'float64');
  const diffIdx = s.inputs.flatMap((_, i) => (s.diff[i] ? [i] : []));
  return (xs) => {
    const g = (...d: Tensor[]) => {
      const ys = [...xs];
      diffIdx.forEach((i, k) => (ys[i] = d[k]!));
      return f(ys);
    };
    const [, vjpFn] = func.vjp(g, ...diffIdx.map((i) => xs[i]!)) as [Tensor, (ct: Tensor) => Tensor[]];
    return vjpFn(ct);
  };
}

/** d. vmap (levels deep) of the target equals the loop over examples. */
function vmapProperty(prim: Primitive, name: string, target: VmapTarget, levels: number) {
  const arb = sampleArb(name)
    .filter((s) => target === 'prim' || differentiable(prim, s))
    .chain((s) => (target === 'prim' ? fc.oneof({ weight: 2, arbitrary: fc.constant(s) }, { weight: 1, arbitrary: fc.constant(s.asFloat32()) }) : fc.constant(s)))
    .chain((s) => {
      const fn = targetFn(prim, s, target);
      const outRanks = fn(s.inputs).map((o) => o.ndim);
      return fc.tuple(fc.constant(s), nestedPlansA(s.inputs.map((x) => x.ndim), Math.min(...outRanks), levels));
    });
  const rtol = target === 'prim' && levels === 1 ? 1e-12 : 1e-10;
  const what = target === 'prim' ? name : `${target} of ${name}`;
  return fc.property(arb, ([s, plans]) =>
    labelled(s, `vmap (${levels} level${levels > 1 ? 's' : ''}) of ${target}`, () => checkNestedVmap(s, plans, targetFn(prim, s, target), what, rtol)));
}

/** Gradient of <ct, f(x)> w.r.t. the differentiable inputs (eager autograd), as leaves and grads. */
function gradAt(prim: Primitive, s: Sample, inputs: Tensor[], ct: number[], createGraph: boolean) {
  const leaves = inputs.map((x, i) => (s.diff[i] ? leafOf(x) : x));
  const out = call(prim, leaves, s.params);
  const dl = leaves.filter((_, i) => s.diff[i]);
  const grads = out.requiresGrad
    ? torch.autograd.grad(out, dl, { gradOutputs: tensorOf(ct, out.shape, out.dtype), allowUnused: true, createGraph })
    : dl.map(() => null);
  return { leaves: dl, grads, out };
}

/**
 * e. Second order. With H the Hessian of x -> <ct, f(x)> and v a direction, H v is computed four ways:
 * reverse-over-reverse (eager autograd with createGraph), forward-over-reverse (func.jvp of func.vjp),
 * reverse-over-forward (func.vjp of func.jvp) and, as v^T H v, forward-over-forward; each against
 * central differences of the gradient along v.
 */
function checkSecondOrder(prim: Primitive, s: Sample): void {
  if (!differentiable(prim, s)) return;
  const rng = mulberry(s.seed ^ 0x4567890);
  const o = call(prim, s.inputs, s.params);
  const ct = randn(rng, numel(o.shape));
  const ctT = tensorOf(ct, o.shape, 'float64');
  const diffIdx = s.inputs.flatMap((_, i) => (s.diff[i] ? [i] : []));
  const vs = diffIdx.map((i) => randn(rng, numel(s.inputs[i]!.shape)));
  const vT = diffIdx.map((i, k) => tensorOf(vs[k]!, s.inputs[i]!.shape, 'float64'));
  const dirs = s.inputs.map((_, i) => (s.diff[i] ? vs[diffIdx.indexOf(i)]! : null));
  const eps = 1e-5;
  const flatGrads = (inputs: Tensor[]) =>
    gradAt(prim, s, inputs, ct, false).grads.map((g, k) => (g ? vals(g) : new Array<number>(vs[k]!.length).fill(0)));
  const gp = flatGrads(shifted(s.inputs, dirs, eps));
  const gm = flatGrads(shifted(s.inputs, dirs, -eps));
  const fd = gp.map((p, k) => p.map((v, j) => (v - gm[k]![j]!) / (2 * eps)));
  const mag = Math.max(0, ...gp.flat().map(Math.abs));
  const check = (what: string, hv: (number[] | null)[]) =>
    hv.forEach((h, k) => assertAllClose(`${what} Hv, input ${diffIdx[k]}`, h ?? new Array<number>(vs[k]!.length).fill(0), fd[k]!, 1e-4, 1e-5 + 1e-8 * mag));

  // Reverse over reverse: vjp of the (graph-building) gradient with cotangent v.
  const { leaves, grads } = gradAt(prim, s, s.inputs, ct, true);
  const outs: Tensor[] = [];
  const seeds: Tensor[] = [];
  grads.forEach((g, k) => {
    if (g && g.requiresGrad) {
      outs.push(g);
      seeds.push(vT[k]!);
    }
  });
  const rr = outs.length ? torch.autograd.grad(outs, leaves, { gradOutputs: seeds, allowUnused: true }) : leaves.map(() => null);
  check('reverse-over-reverse (autograd.grad with createGraph)', rr.map((h) => (h ? vals(h) : null)));

  const f = (...d: Tensor[]) => {
    const xs = [...s.inputs];
    diffIdx.forEach((i, k) => (xs[i] = d[k]!));
    return call(prim, xs, s.params);
  };
  const primals = diffIdx.map((i) => s.inputs[i]!);

  // Forward over reverse: func.jvp of func.vjp's pullback.
  const pull = (...d: Tensor[]) => {
    const [, vjpFn] = func.vjp(f, ...d) as [Tensor, (ct: Tensor) => Tensor[]];
    return vjpFn(ctT);
  };
  const [, fr] = func.jvp(pull, primals, vT) as [Tensor[], Tensor[]];
  check('forward-over-reverse (func.jvp of func.vjp)', fr.map(vals));

  // Reverse over forward: func.vjp of x -> jvp(f, x, v) with cotangent ct.
  const push = (...d: Tensor[]) => (func.jvp(f, d, vT) as [Tensor, Tensor])[1];
  const [, vjpPush] = func.vjp(push, ...primals) as [Tensor, (ct: Tensor) => Tensor[]];
  check('reverse-over-forward (func.vjp of func.jvp)', vjpPush(ctT).map(vals));

  // Forward over forward: <ct, d/de J(x + e v) v> = v^T H v.
  const [, ff] = func.jvp(push, primals, vT) as [Tensor, Tensor];
  const got = dot(ct, vals(ff));
  const want = fd.reduce((a, h, k) => a + dot(h, vs[k]!), 0);
  const scale = fd.reduce((a, h, k) => a + absDot(h, vs[k]!), 0);
  if (!close(got, want, 1e-4, 1e-5 + 1e-4 * scale)) {
    assert.fail(`forward-over-forward (func.jvp of func.jvp): <ct, v^T H_f v> = ${got}, finite differences give ${want}`);
  }
}

// ---- registry-driven tests ---------------------------------------------------------------------------

test('every registered primitive has a sample generator', () => {
  const missing = [...registry.keys()].filter((name) => !(name in samples));
  assert.deepEqual(missing, [], `primitives without an entry in test/support/samples.ts: ${missing.join(', ')}`);
  const stale = Object.keys(samples).filter((name) => !registry.has(name));
  assert.deepEqual(stale, [], `samples for primitives that are not registered: ${stale.join(', ')}`);
});

test('every sample generator produces inputs the primitive accepts', () => {
  for (const [name, prim] of registry) {
    const arb = samples[name];
    if (!arb) continue;
    fc.assert(
      fc.property(arb(), (s) => labelled(s, 'abstract/impl', () => {
        const av = prim.abstract(s.inputs, s.params);
        const out = call(prim, s.inputs, s.params);
        assert.deepEqual(out.shape, av.shape, 'impl shape vs abstract shape');
        assert.equal(out.dtype, av.dtype, 'impl dtype vs abstract dtype');
      })),
      fcOpts(runs(10)),
    );
  }
});

for (const [name, prim] of registry) {
  describe(`primitive ${name}`, () => {
    const differentiable = !prim.random && !prim.nondiff;
    if (differentiable) {
      test(`${name}: vjp matches finite differences`, () => {
        fc.assert(fc.property(sampleArb(name), (s) => labelled(s, 'vjp vs FD', () => checkVjp(prim, s))), fcOpts(RUNS.vjp));
      });
      test(`${name}: vjp with one leaf in several input slots matches finite differences`, () => {
        fc.assert(fc.property(sampleArb(name), (s) => labelled(s, 'aliased vjp vs FD', () => checkAliasedVjp(prim, s))), fcOpts(RUNS.vjp));
      });
      test(`${name}: jvp matches finite differences`, () => {
        fc.assert(fc.property(sampleArb(name), (s) => labelled(s, 'jvp vs FD', () => checkJvp(prim, s))), fcOpts(RUNS.jvp));
      });
      test(`${name}: <ct, J t> == <J^T ct, t>`, () => {
        fc.assert(fc.property(sampleArb(name), (s) => labelled(s, 'vjp/jvp consistency', () => checkConsistency(prim, s))), fcOpts(RUNS.consistency));
      });
      test(`${name}: vmap of jvp and of vjp match loops`, () => {
        fc.assert(vmapProperty(prim, name, 'jvp', 1), fcOpts(RUNS.transformed));
        fc.assert(vmapProperty(prim, name, 'vjp', 1), fcOpts(RUNS.transformed));
      });
      test(`${name}: second-order (Hessian-vector products) match finite differences`, () => {
        fc.assert(fc.property(sampleArb(name), (s) => labelled(s, 'second order', () => checkSecondOrder(prim, s))), fcOpts(RUNS.second));
      });
    } else if (!prim.random) {
      // Comparisons, logical ops, isnan, argmax/argmin: their outputs carry no gradient.
      test(`${name}: output carries no gradient even from inputs that require it`, () => {
        fc.assert(fc.property(sampleArb(name), (s) => labelled(s, 'nondiff', () => {
          const inputs = s.inputs.map((x) => (x.dtype === 'float64' || x.dtype === 'float32' ? x.detach().requiresGrad_() : x));
          const out = call(prim, inputs, s.params);
          assert.equal(out.requiresGrad, false);
          assert.equal(out.gradFn, null);
        })), fcOpts(runs(5)));
      });
    }
    if (!prim.random) {
      test(`${name}: vmap matches a loop over examples`, () => {
        fc.assert(vmapProperty(prim, name, 'prim', 1), fcOpts(RUNS.vmap));
      });
      test(`${name}: nested vmap matches a nested loop`, () => {
        fc.assert(vmapProperty(prim, name, 'prim', 2), fcOpts(RUNS.nested));
      });
    }
  });
}

// ---- randomness under vmap ------------------------------------------------------------------------------

describe('random under vmap', () => {
  const randomP = registry.get('random')!;
  const paramsA = fc.record({
    kind: fc.constantFrom('uniform' as const, 'normal' as const),
    shape: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
    seed: fc.integer({ min: 0, max: 0xffffff }),
    offset: fc.integer({ min: 0, max: 1000 }),
  }).map((p) => ({ ...p, dtype: 'float64' as const, low: -1, high: 1 }));
  const B = 3;
  const xs = () => torch.zeros([B], { dtype: 'float64' });

  test("randomness 'same': every example gets the unbatched draw", () => {
    fc.assert(fc.property(paramsA, (p) => {
      const direct = vals(call(randomP, [], p));
      const f = (x: Tensor) => torch.add(x, call(randomP, [], p));
      const got = func.vmap(f, { randomness: 'same' })(xs()) as Tensor;
      const n = direct.length;
      for (let b = 0; b < B; b++) assert.deepEqual(vals(got).slice(b * n, (b + 1) * n), direct);
    }), fcOpts(runs(10)));
  });

  test("randomness 'different': examples differ, and the draw is reproducible under manualSeed", () => {
    fc.assert(fc.property(paramsA, fc.integer({ min: 0, max: 1e6 }), (p, seed) => {
      const f = (x: Tensor) => torch.add(x, call(randomP, [], p));
      torch.manualSeed(seed);
      const a = func.vmap(f, { randomness: 'different' })(xs()) as Tensor;
      torch.manualSeed(seed);
      const b = func.vmap(f, { randomness: 'different' })(xs()) as Tensor;
      assert.deepEqual(a.shape, [B, ...p.shape]);
      assert.deepEqual(vals(a), vals(b), 'same seed, different draws');
      const n = numel(p.shape);
      const rows = Array.from({ length: B }, (_, i) => vals(a).slice(i * n, (i + 1) * n).join(','));
      assert.equal(new Set(rows).size, B, `examples share values: ${rows.join(' | ')}`);
    }), fcOpts(runs(10)));
  });

  test("randomness 'error' (the default) throws", () => {
    const p = { kind: 'uniform', shape: [2], dtype: 'float64', low: 0, high: 1, seed: 1, offset: 0 };
    assert.throws(() => func.vmap((x: Tensor) => torch.add(x, call(randomP, [], p)))(xs()), /randomness/);
  });
});

// ---- tie and kink conventions (where finite differences say nothing) --------------------------------------

/** Multi-index helpers over row-major shapes. */
function unravel(j: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = j % shape[d]!;
    j = Math.floor(j / shape[d]!);
  }
  return idx;
}
const ravel = (idx: readonly number[], shape: readonly number[]) => idx.reduce((a, x, d) => a * shape[d]! + x, 0);
/** For each element of `out`, the element of a broadcast input of shape `inShape` it reads. */
function bcastMap(outShape: readonly number[], inShape: readonly number[]): number[] {
  const lead = outShape.length - inShape.length;
  return Array.from({ length: numel(outShape) }, (_, j) => {
    const o = unravel(j, outShape);
    return ravel(inShape.map((d, k) => (d === 1 ? 0 : o[k + lead]!)), inShape);
  });
}

describe('tie and kink conventions', () => {
  const ties = (name: 'maximum' | 'minimum') =>
    fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
      // Small integers, so ties are common; PyTorch splits the gradient of a tie in half.
      const arb = samples[name]!();
      const [s0] = fc.sample(arb, { seed, numRuns: 1 });
      const rng = mulberry(seed);
      const shapes = s0!.inputs.map((x) => x.shape);
      const [a, b] = shapes.map((sh) => tensorOf(Array.from({ length: numel(sh) }, () => Math.floor(rng() * 3) - 1), sh, 'float64'));
      const prim = registry.get(name)!;
      const out = call(prim, [a!, b!], undefined);
      const ct = randn(rng, numel(out.shape));
      const ma = bcastMap(out.shape, a!.shape);
      const mb = bcastMap(out.shape, b!.shape);
      const av = vals(a!);
      const bv = vals(b!);
      const wa = ct.map((_, j) => {
        const x = av[ma[j]!]!;
        const y = bv[mb[j]!]!;
        return x === y ? 0.5 : (name === 'maximum' ? x > y : x < y) ? 1 : 0;
      });
      const wantA = new Array<number>(av.length).fill(0);
      const wantB = new Array<number>(bv.length).fill(0);
      ct.forEach((c, j) => {
        wantA[ma[j]!] += c * wa[j]!;
        wantB[mb[j]!] += c * (1 - wa[j]!);
      });
      const la = leafOf(a!);
      const lb = leafOf(b!);
      const [ga, gb] = torch.autograd.grad(call(prim, [la, lb], undefined), [la, lb], { gradOutputs: tensorOf(ct, out.shape, 'float64') });
      const where = `${name}(${JSON.stringify(a!.tolist())}, ${JSON.stringify(b!.tolist())})`;
      assertAllClose(`${where}: grad of a`, vals(ga!), wantA, 1e-12, 1e-12);
      assertAllClose(`${where}: grad of b`, vals(gb!), wantB, 1e-12, 1e-12);
      const ta = randn(rng, av.length);
      const tb = randn(rng, bv.length);
      const [, t] = func.jvp((x: Tensor, y: Tensor) => call(prim, [x, y], undefined), [a!, b!], [tensorOf(ta, a!.shape, 'float64'), tensorOf(tb, b!.shape, 'float64')]) as [Tensor, Tensor];
      const wantT = wa.map((w, j) => w * ta[ma[j]!]! + (1 - w) * tb[mb[j]!]!);
      assertAllClose(`${where}: jvp`, vals(t), wantT, 1e-12, 1e-12);
    });
  test('maximum: ties split the gradient and the tangent in half', () => fc.assert(ties('maximum'), fcOpts(runs(20))));
  test('minimum: ties split the gradient and the tangent in half', () => fc.assert(ties('minimum'), fcOpts(runs(20))));

  const reduceTies = (name: 'max' | 'min') =>
    fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
      // amax/amin: the gradient is shared evenly by the tied extrema, and the tangent is their mean.
      const [s0] = fc.sample(samples[name]!(), { seed, numRuns: 1 });
      const { axes } = s0!.params as { axes: number[] };
      const shape = s0!.inputs[0]!.shape;
      const rng = mulberry(seed);
      const x = tensorOf(Array.from({ length: numel(shape) }, () => Math.floor(rng() * 3)), shape, 'float64');
      const prim = registry.get(name)!;
      const out = call(prim, [x], { axes });
      const xv = vals(x);
      const ov = vals(out);
      const outShape = out.shape;
      const group = xv.map((_, j) => ravel(unravel(j, shape).filter((_, d) => !axes.includes(d)), outShape));
      const isExt = xv.map((v, j) => v === ov[group[j]!]);
      const count = new Array<number>(ov.length).fill(0);
      isExt.forEach((e, j) => e && count[group[j]!]++);
      const ct = randn(rng, ov.length);
      const want = xv.map((_, j) => (isExt[j] ? ct[group[j]!]! / count[group[j]!]! : 0));
      const lx = leafOf(x);
      const [g] = torch.autograd.grad(call(prim, [lx], { axes }), [lx], { gradOutputs: tensorOf(ct, outShape, 'float64') });
      const where = `${name}(${JSON.stringify(x.tolist())}, axes=[${axes}])`;
      assertAllClose(`${where}: grad`, vals(g!), want, 1e-12, 1e-12);
      const tv = randn(rng, xv.length);
      const [, t] = func.jvp((y: Tensor) => call(prim, [y], { axes }), [x], [tensorOf(tv, shape, 'float64')]) as [Tensor, Tensor];
      const wantT = new Array<number>(ov.length).fill(0);
      tv.forEach((v, j) => isExt[j] && (wantT[group[j]!] += v / count[group[j]!]!));
      assertAllClose(`${where}: jvp`, vals(t), wantT, 1e-12, 1e-12);
    });
  test('max: tied extrema share the gradient evenly, the tangent is their mean', () => fc.assert(reduceTies('max'), fcOpts(runs(20))));
  test('min: tied extrema share the gradient evenly, the tangent is their mean', () => fc.assert(reduceTies('min'), fcOpts(runs(20))));

  test('kinks at 0 take PyTorch\'s one-sided choice: abs\'(0) = relu\'(0) = sign\'(0) = 0', () => {
    for (const name of ['abs', 'relu', 'sign']) {
      const x = tensorOf([0, 0.5, -0.5], [3], 'float64').requiresGrad_(true);
      const [g] = torch.autograd.grad(call(registry.get(name)!, [x], undefined), [x], { gradOutputs: tensorOf([1, 1, 1], [3], 'float64') });
      const want = { abs: [0, 1, -1], relu: [0, 1, 0], sign: [0, 0, 0] }[name]!;
      assert.deepEqual(vals(g!), want, `${name}: gradient at [0, 0.5, -0.5]`);
    }
  });

  // prod's vjp must stay a function of the zero entry when exactly one entry of a group is 0, or the
  // Hessian comes out asymmetric ([[0, 3, 2], [0, 0, 0], [0, 0, 0]] instead of PyTorch's).
  test('prod: Hessian at an input with one exact zero', () => {
    const x = tensorOf([0, 2, 3], [3], 'float64');
    const h = func.hessian((y: torch.Tensor) => y.prod())(x) as Tensor;
    assert.deepEqual(h.tolist(), [[0, 3, 2], [3, 0, 0], [2, 0, 0]], 'hessian of prod at [0, 2, 3]');
  });
});

// ---- composite properties -------------------------------------------------------------------------------

type Layer = (x: torch.Tensor, w: torch.Tensor) => torch.Tensor;
/** Shape-preserving layers on [r, n] with a constant [n, n] matrix. */
const LAYERS: [string, Layer][] = [
  ['sin', (x) => x.sin()],
  ['tanh', (x) => x.tanh()],
  ['matmul W', (x, w) => x.matmul(w)],
  ['tanh(x@W)*sum(sin x)', (x, w) => x.matmul(w).tanh().mul(x.sin().sum())],
  ['softmax', (x) => x.softmax(-1)],
  ['cumsum', (x) => x.cumsum(-1)],
  ['flip', (x) => x.flip(-1)],
  ['log(1+x^2)', (x) => x.pow(2).add(1).log()],
  ['x*sigmoid(x)', (x) => x.mul(x.sigmoid())],
  ['exp(-x^2)', (x) => x.square().neg().exp()],
  ['x*rsqrt(1+x^2)', (x) => x.mul(x.square().add(1).rsqrt())],
  ['maximum(x, 0.1x)', (x) => torch.maximum(x, x.mul(0.1))],
  ['x*amax', (x) => x.mul(x.amax(-1, true))],
  ['T@T', (x) => x.transpose(0, 1).matmul(x).sum(0, true).expand(x.shape)],
];

interface Program {
  layers: number[];
  r: number;
  n: number;
  seed: number;
  toString(): string;
}
const programA: fc.Arbitrary<Program> = fc
  .record({
    layers: fc.array(fc.integer({ min: 0, max: LAYERS.length - 1 }), { minLength: 1, maxLength: 4 }),
    r: fc.integer({ min: 1, max: 2 }),
    n: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
  })
  .map((p) => {
    const desc = () => `program[${p.layers.map((i) => LAYERS[i]![0]).join(' -> ')}] on [${p.r}, ${p.n}] seed=${p.seed}`;
    return { ...p, toString: desc, [fc.toStringMethod]: desc };
  });

function programFn(p: Program): { f: (x: torch.Tensor) => torch.Tensor; w: torch.Tensor } {
  const rng = mulberry(p.seed);
  const w = tensorOf(randn(rng, p.n * p.n), [p.n, p.n], 'float64');
  const f = (x: torch.Tensor) => p.layers.reduce((h, i) => LAYERS[i]![1](h, w), x);
  return { f, w };
}
const randT = (rng: Rng, shape: number[]) => tensorOf(randn(rng, numel(shape)).map((v) => 1.5 * v), shape, 'float64');

describe('composite properties', () => {
  test('jacfwd == jacrev on random compositions', () => {
    fc.assert(fc.property(programA, (p) => {
      const { f } = programFn(p);
      const x = randT(mulberry(p.seed + 1), [p.r, p.n]);
      const jf = func.jacfwd(f)(x) as Tensor;
      const jr = func.jacrev(f)(x) as Tensor;
      assert.deepEqual(jf.shape, [p.r, p.n, p.r, p.n]);
      assert.deepEqual(jr.shape, jf.shape);
      assertAllClose(`jacfwd vs jacrev of ${p}`, vals(jf), vals(jr), 1e-10, 1e-12);
    }), fcOpts(runs(25)));
  });

  test('jacrev matches finite differences on random compositions', () => {
    fc.assert(fc.property(programA, (p) => {
      const { f } = programFn(p);
      const x = randT(mulberry(p.seed + 1), [p.r, p.n]);
      const jr = vals(func.jacrev(f)(x) as Tensor);
      const n = p.r * p.n;
      const xv = vals(x);
      const cols: number[][] = [];
      for (let j = 0; j < n; j++) {
        const up = xv.slice();
        const dn = xv.slice();
        up[j]! += EPS;
        dn[j]! -= EPS;
        const a = vals(f(tensorOf(up, x.shape, 'float64')));
        const b = vals(f(tensorOf(dn, x.shape, 'float64')));
        cols.push(a.map((v, k) => (v - b[k]!) / (2 * EPS)));
      }
      const fd: number[] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) fd.push(cols[j]![i]!);
      assertAllClose(`jacrev vs FD of ${p}`, jr, fd, 1e-5, 1e-6);
    }), fcOpts(runs(15)));
  });

  test('hessian == jacrev(jacrev) and is symmetric', () => {
    fc.assert(fc.property(programA, (p) => {
      const { f } = programFn(p);
      const g = (x: torch.Tensor) => f(x).sum();
      const x = randT(mulberry(p.seed + 2), [p.r, p.n]);
      const h = vals(func.hessian(g)(x) as Tensor);
      const hh = vals(func.jacrev(func.jacrev(g))(x) as Tensor);
      assertAllClose(`hessian vs jacrev(jacrev) of ${p}`, h, hh, 1e-9, 1e-11);
      const n = p.r * p.n;
      const ht = h.map((_, k) => h[(k % n) * n + Math.floor(k / n)]!);
      assertAllClose(`hessian symmetry of ${p}`, h, ht, 1e-9, 1e-11);
    }), fcOpts(runs(10)));
  });

  test('vmap(grad(f)) equals a loop of grad(f), for in-dim 0 and 1', () => {
    fc.assert(fc.property(programA, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1 }), (p, B, inDim) => {
      const { f } = programFn(p);
      const g = (x: torch.Tensor) => f(x).sum();
      const rng = mulberry(p.seed + 3);
      const xs = Array.from({ length: B }, () => randT(rng, [p.r, p.n]));
      const loop = xs.map((x) => vals(func.grad(g)(x) as Tensor));
      const batched = tensorOf(stackVals(xs.map(vals), [p.r, p.n], inDim), withDim([p.r, p.n], inDim, B), 'float64');
      const got = func.vmap(func.grad(g), { inDims: inDim })(batched) as Tensor;
      assert.deepEqual(got.shape, [B, p.r, p.n]);
      assertAllClose(`vmap(grad) vs loop of grad for ${p}`, vals(got), loop.flat(), 1e-10, 1e-12);
    }), fcOpts(runs(20)));
  });

  test('vmap with chunkSize equals vmap without (also for jacrev)', () => {
    fc.assert(fc.property(programA, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), (p, B, chunk) => {
      const { f } = programFn(p);
      const xs = randT(mulberry(p.seed + 4), [B, p.r, p.n]);
      const whole = func.vmap(f)(xs) as Tensor;
      const chunked = func.vmap(f, { chunkSize: chunk })(xs) as Tensor;
      assert.deepEqual(chunked.shape, whole.shape);
      assertAllClose(`vmap chunkSize=${chunk} of ${p}`, vals(chunked), vals(whole), 1e-12, 1e-300);
      const x = xs.select(0, 0);
      const jr = func.jacrev(f)(x) as Tensor;
      const jc = func.jacrev(f, { chunkSize: chunk })(x) as Tensor;
      assertAllClose(`jacrev chunkSize=${chunk} of ${p}`, vals(jc), vals(jr), 1e-12, 1e-300);
    }), fcOpts(runs(15)));
  });
});

describe('primitive contracts', () => {
  // The ops check user input before they bind; compile's graphs and the batching rules bind
  // primitives directly, so each primitive's abstract rule still refuses what its kernel cannot do.
  const f = (shape: number[], dtype: 'float32' | 'float64' | 'int32' = 'float64') => tensorOf(new Array(numel(shape)).fill(0), shape, dtype);
  const geom = { kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1 };
  const rows: [string, string, Tensor[], unknown, string, string][] = [
    ['unfold of 3-D', 'unfold', [f([1, 2, 3])], geom, 'ShapeError', 'unfold(): expected a 4-D input (N, C, H, W), got [1, 2, 3]'],
    ['unfold kernel too big', 'unfold', [f([1, 1, 2, 4])], geom, 'ShapeError', 'unfold(): kernel 3x3 (dilation 1x1) is larger than the padded input 2x4'],
    ['unfold kernel too wide', 'unfold', [f([1, 1, 4, 2])], geom, 'ShapeError', 'unfold(): kernel 3x3 (dilation 1x1) is larger than the padded input 4x2'],
    ['fold columns', 'fold', [f([1, 9, 5])], { ...geom, C: 1, H: 4, W: 4 }, 'ShapeError', 'fold(): expected columns of shape [N, 9, 4], got [1, 9, 5]'],
    ['add of two dtypes', 'add', [f([2], 'float32'), f([2])], undefined, 'DTypeError', 'add(): expected both inputs to have the same dtype, got float32 and float64'],
    ['matmul of a vector', 'matmul', [f([3]), f([3, 2])], undefined, 'ShapeError', 'matmul(): both operands need >= 2 dims here, got [3] and [3, 2]'],
    ['matmul of two dtypes', 'matmul', [f([2, 3], 'float32'), f([3, 2])], undefined, 'DTypeError', 'matmul(): expected both operands to have the same dtype, got float32 and float64'],
    ['permute repeated', 'permute', [f([2, 3])], { perm: [0, 0] }, 'ShapeError', 'permute(): dims [0, 0] are not a permutation of the 2 dims of a tensor of shape [2, 3]'],
    ['permute out of range', 'permute', [f([2, 3])], { perm: [0, 2] }, 'ShapeError', 'permute(): dims [0, 2] are not a permutation of the 2 dims of a tensor of shape [2, 3]'],
    ['expand a non-singleton', 'expand', [f([2, 3])], { shape: [2, 4] }, 'ShapeError',
      'expand(): the expanded size of the tensor must match the existing size at non-singleton dimensions. Target sizes: [2, 4]. Tensor sizes: [2, 3]'],
    ['expand to fewer dims', 'expand', [f([2, 3])], { shape: [3] }, 'ShapeError',
      'expand(): the expanded size of the tensor must match the existing size at non-singleton dimensions. Target sizes: [3]. Tensor sizes: [2, 3]'],
    ['sliceScatter src', 'sliceScatter', [f([4, 3]), f([3, 3])], { dim: 0, start: 0, end: 4, step: 2 }, 'ShapeError', 'sliceScatter(): expected src to have shape [2, 3], got [3, 3]'],
    ['concat of two dtypes', 'concat', [f([2]), f([2], 'float32')], { dim: 0 }, 'DTypeError', 'cat(): expected all tensors to have dtype float64, got float32'],
    ['scatter of two dtypes', 'scatter', [f([3]), f([1], 'int32'), f([1], 'float32')], { dim: 0, accumulate: false }, 'DTypeError', 'scatter(): expected src dtype float64, got float32'],
    ['scatter index past src', 'scatter', [f([3, 3]), f([2, 2], 'int32'), f([2, 1])], { dim: 0, accumulate: true }, 'ShapeError',
      'scatter(): index [2, 2] must not be larger than src [2, 1] and, outside dim 0, than self [3, 3]'],
    ['solve with B of the wrong rows', 'linalgSolve', [f([3, 3]), f([2, 4])], { fn: 'linalg.solve' }, 'ShapeError',
      'linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x4); A [3, 3], B [2, 4]'],
    ['solve with B a vector', 'linalgSolve', [f([3, 3]), f([2])], { fn: 'linalg.solve' }, 'ShapeError',
      'linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1); A [3, 3], B [2]'],
    ['triangular solve with B of the wrong rows', 'solveTriangular', [f([3, 3]), f([2, 4])], { upper: true, unitriangular: false }, 'ShapeError',
      'linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x4); A [3, 3], B [2, 4]'],
    ['triangular solve with B a vector', 'solveTriangular', [f([3, 3]), f([2])], { upper: true, unitriangular: false }, 'ShapeError',
      'linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1); A [3, 3], B [2]'],
    ['triangular solve of two dtypes', 'solveTriangular', [f([3, 3]), f([3, 1], 'float32')], { upper: true, unitriangular: false }, 'DTypeError',
      'linalg.solve_triangular: Expected A and B to have the same dtype, but found A of type float64 and B of type float32 instead'],
    ['indexSelect with a 2-D index', 'indexSelect', [f([3]), f([1, 1], 'int32')], { dim: 0 }, 'IndexError', 'indexSelect(): index must be 1-D, got shape [1, 1]'],
    ['qr of a vector', 'qr', [f([3])], { complete: false }, 'ShapeError', 'linalg.qr: The input tensor A must have at least 2 dimensions.'],
    ['qr of int32', 'qr', [f([2, 2], 'int32')], { complete: false }, 'DTypeError', 'linalg.qr: Expected a floating point tensor as input. Got int32'],
    ['lu pivots float', 'luPermutation', [f([2])], { m: 2 }, 'DTypeError', 'lu pivots: expected pivots of dtype int32, got float64'],
    ['lu pivots 0-d', 'luPermutation', [f([], 'int32')], { m: 2 }, 'ShapeError', 'lu pivots: expected pivots with at least 1 dimension, got []'],
    ['lu pivots too many', 'luPermutation', [f([3], 'int32')], { m: 2 }, 'IndexError', 'lu pivots: 3 pivots cannot act on 2 rows'],
  ];
  for (const [label, name, inputs, params, error, message] of rows) {
    test(`refuses: ${label}`, () => throwsExactly(() => call(registry.get(name)!, inputs, params), error, message));
  }
});
