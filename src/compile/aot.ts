// Autograd for compiled graphs, as AOTAutograd does it: the joint program (forward, then the vjp of
// its float outputs with respect to the inputs that require grad) is traced once, and split into a
// forward graph that also returns the values the backward needs (residuals) and a backward graph
// from residuals and output cotangents to input gradients. Both go through the passes and fusion.
// At run time one autograd Function node links the outputs to the inputs: the forward runs without
// recording anything, the backward runs the compiled backward graph.
import { isFloating } from '../core/dtype.js';
import { Tensor, deviceOf, outputDevice, type Device } from '../primitives/index.js';
import { applyFunction, type FunctionSpec } from '../transforms/custom_function.js';
import { vjpImpl } from '../func/grad.js';
import { traceGraph, type Graph } from './graph.js';
import { applyEffects, constValues, effectsOf, execute } from './run.js';

/** The forward and backward graphs of one graph for one set of differentiable slots. */
export interface Joint {
  fw: Graph;
  bw: Graph;
  /** Outputs of fw: the graph's outputs, then its writes and .grad values, then the residuals. */
  nOut: number;
  nEffects: number;
  /** Which of the graph's outputs are floating point (those get cotangents). */
  floatOut: boolean[];
  /** Slot indices (inputs, then constants) the backward returns gradients for. */
  diff: number[];
}

/** The slots of a run: the tensor arguments, then the graph's constants. */
export function slotsOf(g: Graph, args: readonly Tensor[]): Tensor[] {
  return [...args, ...constValues(g)];
}

/**
 * Traces the joint program of g on `slots` (for their shapes) and splits it. `optimize` runs the
 * passes on each half.
 */
export function buildJoint(g: Graph, slots: readonly Tensor[], diff: number[], optimize: (g: Graph) => void): Joint {
  const nS = slots.length;
  const nArgs = g.inputs.length;
  const floatOut = g.outputs.map((id) => isFloating(g.values[id]!.dtype));
  const joint = (...xs: Tensor[]) => {
    const vals = xs.slice(0, nS);
    const cts = xs.slice(nS);
    const f = (...d: Tensor[]) => {
      const v = vals.slice();
      diff.forEach((s, k) => (v[s] = d[k]!));
      const env = execute(g, v.slice(0, nArgs), null, v.slice(nArgs));
      const outs = g.outputs.map((id) => env[id]!);
      const [w, gr] = effectsOf(g, env);
      return [outs.filter((_, i) => floatOut[i]), [outs.filter((_, i) => !floatOut[i]), w, gr]];
    };
    const [floatOuts, vjpFn, aux] = vjpImpl(f, [...diff.map((s) => vals[s]!), { hasAux: true }]);
    const [otherOuts, w, gr] = aux as [Tensor[], Tensor[], (Tensor | null)[]];
    const grads = vjpFn(cts) as Tensor[];
    let fi = 0;
    let oi = 0;
    const outs = floatOut.map((fl) => (fl ? (floatOuts as Tensor[])[fi++]! : otherOuts[oi++]!));
    return [outs, w, gr.filter((t): t is Tensor => t !== null), grads];
  };
  const cts = g.outputs.filter((_, i) => floatOut[i]).map((id) => {
    const v = g.values[id]!;
    return new Tensor([...v.shape], v.dtype);
  });
  // The cotangents live where the results do: on the slots' device.
  const device = outputDevice(slots, undefined);
  const jg = traceGraph(joint, [...slots.map((s) => standIn(s)), ...cts.map((c) => standIn(c, device))]).graph;
  const nOut = g.outputs.length;
  const nEffects = g.writes.length + g.grads.filter(([, id]) => id !== null).length;
  const ctIds = new Set(jg.inputs.slice(nS));
  const dep = new Set(ctIds);
  for (const n of jg.nodes) if (n.inputs.some((i) => dep.has(i))) dep.add(n.out);
  const fwNodes = jg.nodes.filter((n) => !dep.has(n.out));
  const bwNodes = jg.nodes.filter((n) => dep.has(n.out));
  const gradIds = jg.outputs.slice(nOut + nEffects);
  const residuals = [...new Set([...bwNodes.flatMap((n) => n.inputs), ...gradIds])].filter((id) => !dep.has(id) && !jg.consts.has(id));
  const part = (nodes: typeof jg.nodes, inputs: number[], outputs: number[]): Graph => ({
    values: jg.values, devices: jg.devices, inputs, consts: new Map(jg.consts), gradReads: new Map(), owned: new Set(jg.owned), nodes: nodes.map((n) => ({ ...n })), outputs, writes: [], grads: [], hooks: [],
  });
  const fw = part(fwNodes, jg.inputs.slice(0, nS), [...jg.outputs.slice(0, nOut + nEffects), ...residuals]);
  const bw = part(bwNodes, [...residuals, ...ctIds], gradIds);
  optimize(fw);
  optimize(bw);
  return { fw, bw, nOut, nEffects, floatOut, diff };
}

/** A tensor with x's shape and dtype for tracing (its values are never read). */
/** A tensor of x's shape, dtype and device, without data (a trace input). */
function standIn(x: Tensor, device: Device = deviceOf(x)): Tensor {
  const t = new Tensor([...x.shape], x.dtype);
  t._device = device;
  return t;
}

/**
 * Runs g with autograd through its joint: one Function node from the float outputs to the slots in
 * joint.diff. Returns the graph's outputs.
 */
export function runWithAutograd(g: Graph, joint: Joint, slots: Tensor[], fwFrees: number[][], bwFrees: number[][]): Tensor[] {
  const { nOut, nEffects, floatOut, diff } = joint;
  const spec: FunctionSpec = {
    name: 'CompiledFunction',
    generateVmapRule: false,
    forwardWithCtx: (ctx, args) => {
      const env = execute(joint.fw, args as Tensor[], fwFrees);
      const res = joint.fw.outputs.map((id) => env[id]!);
      const eff = res.slice(nOut, nOut + nEffects);
      let k = g.writes.length;
      applyEffects(g, eff.slice(0, g.writes.length), g.grads.map(([, id]) => (id === null ? null : eff[k++]!)));
      ctx.saveForBackward(...res.slice(nOut + nEffects));
      return res.slice(0, nOut);
    },
    backward: (ctx, grads) => {
      const cts = grads.filter((_, i) => floatOut[i]) as Tensor[];
      const env = execute(joint.bw, [...(ctx.savedTensors as Tensor[]), ...cts], bwFrees);
      const out: (Tensor | null)[] = slots.map(() => null);
      joint.bw.outputs.forEach((id, k) => (out[diff[k]!] = env[id]!));
      return out;
    },
  };
  return applyFunction(spec, slots) as Tensor[];
}
