// The graph compile works on: values (shape and dtype, by id) and nodes (a primitive, its params,
// input value ids, one output id), like a jaxpr or an FX graph. Constants are tensors read when the
// graph runs; captured tensors written in place and new .grad values are extra results the runner
// applies after a run. `traceGraph` builds one by running a function on the tracing level.
import { CompileError } from '../core/errors.js';
import { treeFlatten, treeUnflatten, type TreeDef } from '../core/pytree.js';
import { Tensor, deviceOf, getRngState, knownValue, type Device, logCreations, setRngState, withTracing, type AbstractValue, type Primitive } from '../primitives/index.js';
import { TraceLevel } from '../transforms/trace_level.js';

/** One node: `out = prim(inputs, params)`. */
export interface GraphNode {
  /** The primitive called. */
  prim: Primitive;
  /** Its params (axes, shapes, a fused program...). */
  params: unknown;
  /** Value ids of its inputs. */
  inputs: number[];
  /** Value id of its output. */
  out: number;
}

/** A traced program. */
export interface Graph {
  /** Shape and dtype of every value, by id. */
  values: AbstractValue[];
  /** The device of every value, by id (passes fuse only values of one device). */
  devices: Device[];
  /** Value ids of the tensor arguments, in the order of the flattened arguments. */
  inputs: number[];
  /** Constant values: tensors captured from outside (read when the graph runs) or made while tracing. */
  consts: Map<number, Tensor>;
  /** Constants that stand for a tensor's .grad as it is when the graph runs (gradient accumulation). */
  gradReads: Map<number, Tensor>;
  /** Constants made while tracing (nobody outside holds them, so passes may fold them). */
  owned: Set<number>;
  /** The nodes in execution order. */
  nodes: GraphNode[];
  /** Value ids of the tensor results, in the order of the flattened result. */
  outputs: number[];
  /** Captured tensors written in place, with the value written (applied after a run). */
  writes: [Tensor, number][];
  /** Tensors whose .grad a run sets, with the value (null: cleared). */
  grads: [Tensor, number | null][];
  /** JavaScript state updates to repeat after each run. */
  hooks: (() => void)[];
}

/** What a traced call returned, with the tensor results replaced by graph outputs. */
export interface Traced {
  graph: Graph;
  /** The result's structure; its tensor leaves are `OUTPUT`, other leaves are kept as traced. */
  outDef: TreeDef;
  outLeaves: unknown[];
  /** Conditions the run depends on beyond the arguments' shapes (a .grad being present or absent). */
  guards: (() => boolean)[];
}

/** Marks a tensor leaf of a traced result. */
export const OUTPUT: unique symbol = Symbol('output');

/** Runs fn on tracers standing for the tensor leaves of args and records what it computes. */
export function traceGraph(fn: (...args: any[]) => unknown, args: readonly unknown[]): Traced {
  const [leaves, argDef] = treeFlatten([...args]);
  return withTracing(new TraceLevel(), (level) => {
    const ins = leaves.map((l) => (l instanceof Tensor ? level.input(l.shape, l.dtype, deviceOf(l)) : l));
    // Tracing leaves no trace: .grad fields and the generator come back as they were, so the run that
    // follows draws the numbers an eager call would.
    const rng = getRngState();
    try {
      return record(level, fn, argDef, ins);
    } catch (e) {
      for (const u of level.undo.reverse()) u();
      throw e;
    } finally {
      for (const [x, before] of level.gradBefore) x._grad = before;
      setRngState(rng);
    }
  });
}

function record(level: TraceLevel, fn: (...args: any[]) => unknown, argDef: TreeDef, ins: unknown[]): Traced {
  const [out, created] = logCreations(() => fn(...(treeUnflatten(argDef, ins) as unknown[])));
  if (out instanceof Promise) throw new CompileError('compile: the function returned a Promise; compile traces synchronous functions');
  const [outLeaves, outDef] = treeFlatten(out);
  const outputs: number[] = [];
  const kept = outLeaves.map((o) => {
    if (!(o instanceof Tensor)) return o;
    outputs.push(level.idOf(o));
    return OUTPUT;
  });
  const made = new Set(created);
  // A tensor made while tracing and written in place is the function's own scratch: each run starts
  // it from its value at creation, so its writes are not applied outside.
  const writes = [...level.written].filter(([x]) => !made.has(x)).map(([x, t]) => [x, level.idOf(t)] as [Tensor, number]);
  const grads: [Tensor, number | null][] = [];
  // Every .grad the trace touched: the run assumes it is present (or absent) as it was, and reads
  // its value at run time where the trace read it.
  const guards: (() => boolean)[] = [...level.guards];
  const gradReads = new Map<number, Tensor>();
  const constIds = new Map<Tensor, number>();
  for (const [id, t] of level.consts) constIds.set(t, id);
  for (const [x, before] of level.gradBefore) {
    const had = before !== null;
    guards.push(() => (x._grad !== null) === had);
    const read = had ? constIds.get(before) : undefined;
    if (read !== undefined) gradReads.set(read, x);
    if (x._grad !== before) grads.push([x, x._grad === null ? null : level.idOf(x._grad)]);
  }
  const owned = new Set<number>();
  for (const [id, t] of level.consts) if (made.has(t)) owned.add(id);
  const graph: Graph = {
    values: level.values, devices: level.devices, inputs: level.inputIds, consts: level.consts, gradReads, owned, nodes: level.nodes, outputs, writes, grads, hooks: level.hooks,
  };
  return { graph, outDef, outLeaves: kept, guards };
}

const fmt = (v: AbstractValue) => `${v.dtype}[${v.shape.join(', ')}]`;

function fmtParams(p: unknown): string {
  if (p === undefined) return '';
  if ((p as { steps?: unknown }).steps !== undefined && typeof (p as { key?: unknown }).key === 'string') return (p as { key: string }).key;
  const s = JSON.stringify(p, (_k, v) => (v instanceof Tensor ? `tensor${fmt(v)}` : v));
  return s === undefined || s === '{}' ? '' : s;
}

/**
 * The graph as text, one line per node with its output's dtype and shape (FX's print_readable).
 * @example console.log(printGraph(g))
 */
export function printGraph(g: Graph, name = 'graph'): string {
  const lines: string[] = [];
  const v = (id: number) => `%${id}`;
  lines.push(`${name}(${g.inputs.map((id) => `${v(id)}: ${fmt(g.values[id]!)}`).join(', ')}):`);
  for (const [id, t] of g.consts) {
    const value = g.owned.has(id) ? knownValue(t) : undefined;
    const what = g.gradReads.has(id) ? '.grad of a captured tensor' : !g.owned.has(id) ? 'captured' : value !== undefined ? `constant ${value}` : 'constant';
    lines.push(`  ${v(id)}: ${fmt(g.values[id]!)} = ${what}`);
  }
  for (const n of g.nodes) {
    const p = fmtParams(n.params);
    lines.push(`  ${v(n.out)}: ${fmt(g.values[n.out]!)} = ${n.prim.name}(${n.inputs.map(v).join(', ')}${p ? `; ${p}` : ''})`);
  }
  for (const [, id] of g.writes) lines.push(`  write captured <- ${v(id)}`);
  for (const [, id] of g.grads) lines.push(`  set .grad <- ${id === null ? 'null' : v(id)}`);
  lines.push(`  return (${g.outputs.map(v).join(', ')})`);
  return lines.join('\n');
}
