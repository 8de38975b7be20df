// torch.compile: trace on the first call per input signature, run the passes, and replay the
// optimized graph on later calls. The signature is the arguments' pytree structure, each tensor's
// shape, dtype and device, every non-tensor leaf's value, and a module's training flags; what the
// function closes over is read while tracing (a number, a branch), as PyTorch's guards would, except
// that captured tensors stay live constants. Composition: under grad, vmap or jvp the graph's
// primitives go through the enclosing levels; compile(grad(f)) and compile(vmap(f)) trace the
// transformed program, so its forward, backward and batching all fuse.
import { CompileError, ValueError } from '../core/errors.js';
import { treeFlatten, treeUnflatten, type TreeDef } from '../core/pytree.js';
import { checkOptions } from '../core/options.js';
import { Tensor, currentTracing, deviceOf, isGradEnabled } from '../primitives/index.js';
import { noGrad } from '../ops/autograd.js';
import { isFloating } from '../core/dtype.js';
import type { TraceLevel } from '../transforms/trace_level.js';
import { OUTPUT, printGraph, traceGraph, type Graph, type Traced } from './graph.js';
import { eliminateCommonSubexpressions, eliminateDeadCode, foldScalarConstants, transposeMatmuls } from './passes.js';
import { fuseElementwise } from './fuse.js';
import { lastUses, runGraph } from './run.js';
import { fuseKernels } from './fuse_kernels.js';
import { planInPlaceWrites } from './inplace_writes.js';
import { buildJoint, runWithAutograd, slotsOf, type Joint } from './aot.js';

/** Options of torch.compile. */
export interface CompileOptions {
  /**
   * When the function cannot be traced (it reads tensor values, say): true throws the CompileError;
   * false (default) warns once and runs that signature eagerly (PyTorch's graph break, for the whole
   * function).
   */
  fullgraph: boolean;
  /** Fuse elementwise chains into generated kernels (default true). */
  fusion: boolean;
  /** Compiled graphs kept per function before further signatures run eagerly with a warning (default 8). */
  cacheSizeLimit: number;
}

const DEFAULTS: CompileOptions = { fullgraph: false, fusion: true, cacheSizeLimit: 8 };

/** One compiled signature. */
interface Entry {
  traced: Traced | null;
  /** The traced graph after the passes that precede fusion: what autograd through it is built from. */
  unfused: Graph | null;
  /** Nodes in the traced graph before the passes. */
  tracedNodes: number;
  frees: number[][];
  /** Fused nodes that store their result straight into the captured tensor they update. */
  inPlace: Map<number, Tensor>;
  /** Milliseconds spent tracing and optimizing. */
  compileMs: number;
  /** Forward and backward graphs by the set of slots that require grad. */
  joints: Map<string, [Joint, number[][], number[][]]>;
  /** A compiled module's state when traced (see moduleState). */
  moduleState: unknown[];
}

/** A signature that runs eagerly (a graph break, or guards that kept failing). */
const eagerEntry = (compileMs: number): Entry => ({ traced: null, unfused: null, tracedNodes: 0, frees: [], inPlace: new Map(), compileMs, joints: new Map(), moduleState: [] });

interface ModuleInternals {
  training: boolean;
  _forwardPreHooks?: Map<unknown, unknown>;
  _forwardHooks?: Map<unknown, unknown>;
  _backwardHooks?: Map<unknown, unknown>;
  _backwardPreHooks?: Map<unknown, unknown>;
  _parameters?: Map<string, unknown>;
  _buffers?: Map<string, unknown>;
}

const sameState = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** What a compiled function knows about its compiled signatures (for tests, the demo and debugging). */
export interface CompileInfo {
  /** Signatures compiled so far (graph breaks included). */
  compiled: number;
  /** Calls that replayed a compiled graph. */
  hits: number;
  /** The latest compiled graph before and after the passes, node counts, and time spent. */
  latest: CompiledGraphInfo | null;
}

/** Figures of one compiled signature. */
export interface CompiledGraphInfo {
  /** Primitive calls recorded while tracing. */
  tracedNodes: number;
  /** Nodes after the passes. */
  nodes: number;
  /** Of those, fused kernels (elementwise chains, and matmuls and reductions with what they absorbed). */
  fusedNodes: number;
  /** Fused nodes that store their result straight into the captured tensor they update (an optimizer's parameters and moments). */
  inPlaceWrites: number;
  /** Milliseconds spent tracing and optimizing (the backward graph's included once built). */
  compileMs: number;
  /** The graph as text (printGraph). */
  graph: string;
  /** The backward graph as text, once a call needed gradients through the graph. */
  backward: string | null;
}

/**
 * A compiled function: callable like the original, with its graphs for inspection.
 * @typeParam F - the original function's type.
 */
export type Compiled<F extends (...args: any[]) => any> = F & {
  /** Compilation figures of this function. */
  readonly compileInfo: CompileInfo;
  /** The graph of the latest compiled signature, one line per node (FX's print_readable). */
  printGraph(): string;
};

/** What compile accepts as a module: an nn.Module (anything with call, forward and modules). */
export interface ModuleLike {
  /** The computation without hooks. */
  forward: (...args: any[]) => unknown;
  /** The computation with hooks (what the compiled function runs). */
  call: (...args: any[]) => unknown;
  /** The module and its submodules. */
  modules: () => Iterable<unknown>;
}
const isModule = (x: unknown): x is ModuleLike =>
  typeof x === 'object' && x !== null && typeof (x as ModuleLike).call === 'function' && typeof (x as ModuleLike).modules === 'function';

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
/** The structure of a pytree as a short string (containers and key names). */
function defKey(d: TreeDef): string {
  if (d.kind === 'leaf') return '.';
  const inner = d.children.map(defKey).join(',');
  if (d.kind === 'array') return `[${inner}]`;
  return `${d.kind === 'map' ? 'M' : ''}{${JSON.stringify(d.keys)}${inner}}`;
}

function leafKey(v: unknown): string {
  if (v instanceof Tensor) return `T${v.dtype}[${v.shape.join(',')}]@${deviceOf(v)}`;
  if (v === null || v === undefined || typeof v !== 'object' && typeof v !== 'function') return `${typeof v}:${String(v)}`;
  let id = objectIds.get(v as object);
  if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
  return `obj#${id}`;
}

/** Runs the passes that the options ask for on a freshly traced graph. */
export function optimize(g: Graph, fusion: boolean): void {
  eliminateDeadCode(g);
  foldScalarConstants(g);
  eliminateCommonSubexpressions(g);
  transposeMatmuls(g);
  eliminateCommonSubexpressions(g);
  eliminateDeadCode(g);
  if (fusion) fuse(g);
}

function fuse(g: Graph): void {
  fuseElementwise(g);
  fuseKernels(g);
  eliminateDeadCode(g);
}

/** A copy of g that later passes on g leave alone (they replace node lists and prune constants). */
const copyGraph = (g: Graph): Graph => ({ ...g, consts: new Map(g.consts), owned: new Set(g.owned), nodes: [...g.nodes] });

/**
 * Compiles a function or module (torch.compile): the first call with a new signature traces it into
 * a graph of primitives (through modules, hooks, grad, vmap and eager backward()), removes dead and
 * repeated nodes, folds scalar constants and fuses elementwise chains into generated kernels; later
 * calls with that signature replay the graph. Tensors the function captures (parameters, buffers)
 * are read at each call and in-place writes to them are applied, as in eager mode; anything else it
 * closes over is read once while tracing. It composes with every transform both ways:
 * `compile(vmap(grad(f)))`, `grad(compile(f))`, `vmap(compile(f))`, and `.backward()` through a
 * compiled module's output.
 * @example
 * const f = torch.compile((x: Tensor) => x.tanh().mul(2).add(1));
 * f(torch.randn([1000])); // traces and fuses into one kernel
 * f(torch.randn([1000])); // replays
 * @example
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const fast = torch.compile(model);
 * fast(torch.randn([16, 4])).sum().backward(); // gradients reach model's parameters
 * @typeParam F - the function's type, kept by the compiled function.
 */
export function compile<F extends (...args: any[]) => any>(fn: F, options?: Partial<CompileOptions>): Compiled<F>;
export function compile<M extends ModuleLike>(module: M, options?: Partial<CompileOptions>): Compiled<M['forward']>;
export function compile(target: unknown, options: Partial<CompileOptions> = {}): Compiled<(...args: unknown[]) => unknown> {
  checkOptions('compile()', options, Object.keys(DEFAULTS));
  return compileWith('compile()', target, options, {});
}

/** A graph compiler of aotFunction: sees a graph after the passes and may return a replacement. */
export type GraphCompiler = (graph: Graph) => Graph | void;

/** compile with graph compilers for the forward (or inference) and backward graphs. */
export function compileWith(
  name: string, target: unknown, options: Partial<CompileOptions>, compilers: { fw?: GraphCompiler; bw?: GraphCompiler },
): Compiled<(...args: unknown[]) => unknown> {
  const opts = { ...DEFAULTS, ...options };
  if (!Number.isInteger(opts.cacheSizeLimit) || opts.cacheSizeLimit < 0) {
    throw new ValueError(`${name}: cacheSizeLimit must be a non-negative integer, got ${String(opts.cacheSizeLimit)}`);
  }
  const module = isModule(target) ? target : null;
  if (module === null && typeof target !== 'function') {
    throw new ValueError(`${name}: expected a function or a Module, got ${target === null ? 'null' : typeof target}`);
  }
  const fn = module !== null ? (...args: unknown[]) => module.call(...args) : (target as (...args: unknown[]) => unknown);
  const cache = new Map<string, Entry>();
  const retraces = new Map<string, number>();
  const info: CompileInfo = { compiled: 0, hits: 0, latest: null };
  let warned = false;
  const warn = (msg: string) => {
    if (!warned) console.warn(msg);
    warned = true;
  };

  /**
   * What a compiled module's graph was traced with: each submodule's training flag, its hook counts,
   * its parameter and buffer tensors. A change (eval(), a new hook, an assigned weight) retraces.
   */
  const moduleState = (): unknown[] => {
    if (module === null) return [];
    const out: unknown[] = [];
    for (const m of module.modules() as Iterable<ModuleInternals>) {
      out.push(m.training, m._forwardPreHooks?.size, m._forwardHooks?.size, m._backwardHooks?.size, m._backwardPreHooks?.size);
      if (m._parameters) out.push(...m._parameters.values());
      if (m._buffers) out.push(...m._buffers.values());
    }
    return out;
  };

  const build = (args: unknown[]): Entry => {
    const t0 = performance.now();
    let traced: Traced;
    try {
      traced = traceGraph(fn, args);
    } catch (e) {
      if (!(e instanceof CompileError) || opts.fullgraph) throw e;
      warn(`torch.compile: running ${fn.name || 'the function'} eagerly for this signature (graph break): ${e.message}`);
      return eagerEntry(performance.now() - t0);
    }
    const tracedNodes = traced.graph.nodes.length;
    optimize(traced.graph, false);
    // Autograd through the graph traces its unfused primitives (fusing each half after the split):
    // a fused node's derivative rule recomputes its parts, which the forward has just computed.
    const unfused = copyGraph(traced.graph);
    if (opts.fusion) fuse(traced.graph);
    if (compilers.fw) traced.graph = compilers.fw(traced.graph) ?? traced.graph;
    const entry: Entry = { traced, unfused, tracedNodes, frees: lastUses(traced.graph), inPlace: planInPlaceWrites(traced.graph), compileMs: performance.now() - t0, joints: new Map(), moduleState: moduleState() };
    const g = traced.graph;
    info.latest = {
      tracedNodes, nodes: g.nodes.length, fusedNodes: g.nodes.filter((n) => n.prim.name.startsWith('fused')).length, inPlaceWrites: entry.inPlace.size, compileMs: entry.compileMs,
      graph: printGraph(g, fn.name || 'graph'), backward: null,
    };
    return entry;
  };

  /**
   * Under enclosing transforms the graph's primitives go through their levels; on concrete values
   * that need autograd, through the joint forward/backward graphs; otherwise straight.
   */
  const run = (entry: Entry, g: Graph, tensors: Tensor[]): Tensor[] => {
    if (tensors.some((t) => t._level !== null)) {
      // Derivative levels would apply the fused nodes' rules, which recompute their parts: they get the plain primitives.
      const plainLevels = tensors.some((t) => t._level !== null && t._level.kind !== 'batch');
      return runGraph(plainLevels ? entry.unfused! : g, tensors, null);
    }
    // A function that ran backward() itself returns its results without history (its gradients are done).
    if (!isGradEnabled() || g.grads.length > 0) return noGrad(() => runGraph(g, tensors, entry.frees, entry.inPlace));
    const plain = entry.unfused!;
    const slots = slotsOf(plain, tensors);
    const diff = slots.flatMap((t, i) => (t._requiresGrad && isFloating(t.dtype) ? [i] : []));
    if (diff.length === 0 || !g.outputs.some((id) => isFloating(g.values[id]!.dtype))) return noGrad(() => runGraph(g, tensors, entry.frees, entry.inPlace));
    const key = diff.join(',');
    let j = entry.joints.get(key);
    if (j === undefined) {
      const t0 = performance.now();
      const joint = buildJoint(plain, slots, diff, (h) => optimize(h, opts.fusion));
      if (compilers.fw) joint.fw = compilers.fw(joint.fw) ?? joint.fw;
      if (compilers.bw) joint.bw = compilers.bw(joint.bw) ?? joint.bw;
      j = [joint, lastUses(joint.fw), lastUses(joint.bw)];
      entry.joints.set(key, j);
      if (info.latest !== null) {
        info.latest.compileMs += performance.now() - t0;
        info.latest.backward = printGraph(joint.bw, 'backward');
      }
    }
    return runWithAutograd(plain, j[0], slots, j[1], j[2]);
  };

  const compiled = (...args: unknown[]): unknown => {
    // Inside another compiled function's trace, this one is simply part of that graph.
    if (currentTracing() !== null) return fn(...args);
    const [leaves, def] = treeFlatten(args);
    let key = defKey(def);
    for (const l of leaves) key += `|${leafKey(l)}`;
    let entry = cache.get(key);
    if (entry !== undefined && entry.traced !== null && !(entry.traced.guards.every((g) => g()) && sameState(entry.moduleState, moduleState()))) {
      cache.delete(key);
      entry = undefined;
      // A guard that fails at every call (a learning rate changed each step) would retrace forever.
      const n = (retraces.get(key) ?? 0) + 1;
      retraces.set(key, n);
      if (n > opts.cacheSizeLimit) {
        warn(`torch.compile: ${fn.name || 'the function'} was recompiled ${n} times for one signature (a guard keeps failing: a changed learning rate, module or .grad); it runs eagerly from now on`);
        entry = eagerEntry(0);
        cache.set(key, entry);
      }
    }
    if (entry === undefined) {
      if (cache.size >= opts.cacheSizeLimit) {
        warn(`torch.compile: cacheSizeLimit (${opts.cacheSizeLimit}) reached for ${fn.name || 'the function'}; new signatures run eagerly`);
        return fn(...args);
      }
      entry = build(args);
      cache.set(key, entry);
      info.compiled++;
    } else {
      info.hits++;
    }
    const traced = entry.traced;
    if (traced === null) return fn(...args);
    const outs = run(entry, traced.graph, leaves.filter((l): l is Tensor => l instanceof Tensor));
    let k = 0;
    return treeUnflatten(traced.outDef, traced.outLeaves.map((l) => (l === OUTPUT ? outs[k++] : l)));
  };
  return Object.assign(compiled, {
    compileInfo: info,
    printGraph: () => {
      if (info.latest === null) throw new CompileError('printGraph(): nothing compiled yet; call the compiled function first');
      return info.latest.graph;
    },
  });
}

/**
 * The running trace's guards (conditions checked before each run), after-run hooks and undo actions,
 * for stateful APIs that keep JavaScript state beside tensors (optimizers). @internal
 */
export function currentTrace(): { guards: (() => boolean)[]; hooks: (() => void)[]; undo: (() => void)[] } | null {
  return currentTracing() as TraceLevel | null;
}

/** Whether code runs inside compile's tracing (torch.compiler.is_compiling). */
export function isCompiling(): boolean {
  return currentTracing() !== null;
}
