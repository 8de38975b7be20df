// Runs a graph: each node is one `bind`, so on concrete tensors it is one kernel call (a fused node
// one generated loop), and under grad, vmap or jvp the enclosing levels apply their rules to the same
// primitives. On concrete values with no autograd to record, an intermediate's memory goes back to
// the pool right after its last use, so buffers are reused across the graph.
import { numel } from '../core/shape.js';
import { Tensor, bind, fusedInto, isGradEnabled, release, reserve, runConcrete, type RandomParams } from '../primitives/index.js';
import type { FusedProgram } from '../backend/backend.js';
import { noGrad } from '../ops/autograd.js';
import { assignInPlace, markWritten } from '../transforms/inplace.js';
import type { Graph } from './graph.js';

/** The graph's constants as a run reads them, in the order of g.consts (a .grad read at run time where the trace read one). */
export function constValues(g: Graph): Tensor[] {
  return [...g.consts].map(([id, t]) => g.gradReads.get(id)?._grad ?? t);
}

/** For each node, the intermediates whose last use it is (freed after it when nothing records autograd). */
export function lastUses(g: Graph): number[][] {
  const keep = new Set<number>([...g.outputs, ...g.inputs, ...g.consts.keys()]);
  for (const [, id] of g.writes) keep.add(id);
  for (const [, id] of g.grads) if (id !== null) keep.add(id);
  const last = new Map<number, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((id) => last.set(id, i)));
  const out: number[][] = g.nodes.map(() => []);
  for (const [id, i] of last) if (!keep.has(id)) out[i]!.push(id);
  return out;
}

const concreteAndConstant = (t: Tensor) => t._level === null && !t._requiresGrad;

/**
 * Runs g's nodes on the tensor arguments (flattened) and returns every value by id. `consts`, when
 * given, replaces the graph's constants (in the order of g.consts), as compile's autograd does.
 */
export function execute(g: Graph, args: readonly Tensor[], frees: number[][] | null, consts?: readonly Tensor[], inPlace?: Map<number, Tensor>): (Tensor | undefined)[] {
  const env = new Array<Tensor | undefined>(g.values.length);
  g.inputs.forEach((id, i) => (env[id] = args[i]));
  const values = consts ?? constValues(g);
  let c = 0;
  for (const id of g.consts.keys()) env[id] = values[c++];
  const recycle = frees !== null && (!isGradEnabled() || (args.every(concreteAndConstant) && [...g.consts.values()].every(concreteAndConstant)));
  // Tensors that must outlive the run, and results a primitive returned as its own input (shared by two ids).
  const outer = new Set<Tensor>([...args, ...g.consts.values()]);
  const nodes = g.nodes;
  // An argument sharing a planned tensor's memory would see the write early: no in-place writes then.
  const writable = recycle && inPlace !== undefined && inPlace.size > 0 && ![...inPlace.values()].some((x) => args.some((a) => a._storage === x._storage));
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    const ins = n.inputs.map((id) => env[id]!);
    const into = writable ? inPlace.get(k) : undefined;
    if (into !== undefined) {
      fusedInto(n.params as FusedProgram, ins, into);
      env[n.out] = into;
      continue;
    }
    const params = n.prim.random ? { ...(n.params as RandomParams), ...reserve(numel((n.params as RandomParams).shape)) } : n.params;
    const r = recycle ? runConcrete(n.prim, ins, params, g.values[n.out]!) : bind(n.prim, ins, params);
    env[n.out] = r;
    if (!recycle) continue;
    if (ins.includes(r)) outer.add(r);
    for (const id of frees![k]!) {
      const t = env[id]!;
      if (t._level === null && !outer.has(t) && t._gradFn === null) release(t);
      env[id] = undefined;
    }
  }
  return env;
}

/** Applies a run's writes to captured tensors and its .grad results. */
export function applyEffects(g: Graph, writes: readonly Tensor[], grads: readonly (Tensor | null)[]): void {
  if (g.writes.length > 0) noGrad(() => g.writes.forEach(([x], i) => (writes[i] === x ? markWritten(x) : assignInPlace('compile', x, writes[i]!))));
  g.grads.forEach(([x], i) => (x._grad = grads[i]!));
  for (const h of g.hooks) h();
}

/** The values of a run's writes and .grad results (null: cleared), in the order of g.writes and g.grads. */
export function effectsOf(g: Graph, env: readonly (Tensor | undefined)[]): [Tensor[], (Tensor | null)[]] {
  return [g.writes.map(([, id]) => env[id]!), g.grads.map(([, id]) => (id === null ? null : env[id]!))];
}

/** Runs g on the tensor arguments (flattened), applies its writes and .grad results, returns its outputs. */
export function runGraph(g: Graph, args: readonly Tensor[], frees: number[][] | null, inPlace?: Map<number, Tensor>): Tensor[] {
  const env = execute(g, args, frees, undefined, inPlace);
  const [writes, grads] = effectsOf(g, env);
  const oldGrads = frees === null ? [] : g.grads.map(([x]) => x._grad);
  applyEffects(g, writes, grads);
  if (frees !== null) releaseCopied(g, env, writes, args, oldGrads);
  return g.outputs.map((id) => env[id]!);
}

/**
 * Gives back at once the memory of what nobody can reach after the run: values that were only copied
 * into captured tensors (an optimizer's new parameters and moments), and the .grad tensors the run
 * replaced that never escaped to user code (read through the `grad` getter). Waiting for the garbage
 * collector would have every call take fresh memory for them, and first touches of fresh memory
 * (page faults) cost more than the kernels that fill it.
 */
function releaseCopied(g: Graph, env: readonly (Tensor | undefined)[], writes: readonly Tensor[], args: readonly Tensor[], oldGrads: readonly (Tensor | null)[]): void {
  const reachable = new Set<Tensor | null | undefined>([
    ...args, ...g.consts.values(), ...g.writes.map(([x]) => x), ...g.outputs.map((id) => env[id]),
    ...g.grads.map(([x]) => x._grad),
  ]);
  const free = (t: Tensor) => !reachable.has(t) && t._level === null && t._gradFn === null && !t._requiresGrad;
  for (const t of new Set(writes)) if (free(t)) release(t);
  for (const t of new Set(oldGrads)) if (t !== null && !t._escaped && free(t)) release(t);
}
