// functionalCall runs a module with substituted parameters and buffers (restored afterwards; the
// module's hooks still fire), and stackModuleState stacks the state of several models for vmap.
import { checkOptions } from '../core/options.js';
import { classNameOf } from '../core/names.js';
import { ValueError } from '../core/errors.js';
import { isPlainObject } from '../core/pytree.js';
import { Tensor } from '../primitives/index.js';
import { detach } from '../transforms/detach.js';
import { stack } from '../ops/shape.js';

/** What the transforms need of an nn.Module (func/ sits below nn/, so it names no class). */
export interface ModuleLike {
  /** Training mode (as nn.Module's). */
  training: boolean;
  /** Runs the module with its hooks (as nn.Module's `call`). */
  call(...args: unknown[]): unknown;
  /** The parameters with dotted names (as nn.Module's). */
  namedParameters(opts?: { removeDuplicate?: boolean }): Iterable<[string, Tensor]>;
  /** The buffers with dotted names (as nn.Module's). */
  namedBuffers(opts?: { removeDuplicate?: boolean }): Iterable<[string, Tensor]>;
  /** Sets the tensor registered under a dotted name, returning the previous one. */
  _swapTensor(name: string, t: Tensor): Tensor;
}

/**
 * The output type of a module type M: its `forward`'s return type (so `Module.call`'s), or, for a
 * module-like object without a `forward`, its `call`'s.
 * @example type Y = ModuleOutput<nn.Linear> // Tensor
 * @typeParam M - a module type.
 */
export type ModuleOutput<M> =
  M extends {
    /** The module's computation. */
    forward(...args: any): infer R;
  } ? R
  : M extends {
    /** Runs the module. */
    call(...args: any): infer R;
  } ? R
  : unknown;

/**
 * The positional arguments of a module type M: its `forward`'s parameters (those of `call`).
 * @example type X = ModuleArgs<nn.Bilinear> // [input1: Tensor, input2: Tensor]
 * @typeParam M - a module type.
 */
export type ModuleArgs<M> =
  M extends {
    /** The module's computation. */
    forward(...args: infer A): any;
  } ? A
  : M extends {
    /** Runs the module. */
    call(...args: infer A): any;
  } ? A
  : unknown[];

/** Named tensors, as a plain object or a Map: the parameters and buffers given to {@link functionalCall}. */
export type TensorDict = Record<string, Tensor> | Map<string, Tensor>;

/** Options of {@link functionalCall}. */
export interface FunctionalCallOptions {
  /** Keyword arguments, passed to the module as a trailing plain object. */
  kwargs?: Record<string, unknown>;
  /** Throw unless the dicts give exactly the module's parameters and buffers. */
  strict?: boolean;
  /** A value given for one of several names of one tensor applies to all of them (default true). */
  tieWeights?: boolean;
}

function entries(d: TensorDict): [string, Tensor][] {
  return d instanceof Map ? [...d.entries()] : Object.entries(d);
}

function quoted(keys: string[]): string {
  return keys.map((k) => `'${k}'`).join(', ');
}

/**
 * Calls `module` with the given tensors in place of its own parameters and buffers (restored
 * afterwards; the module's hooks still fire), as torch.func.functional_call. `args` is the tuple of
 * positional arguments, or the single argument itself. The result has the type of the module's
 * `forward` (a Tensor for nn.Linear, nn.Sequential and the other layers).
 * @example const out = torch.func.functionalCall(model, params, [x]); // model.forward's return type
 * @example torch.func.vmap((p: Params, x: Tensor) => torch.func.functionalCall(model, p, x), { inDims: [0, 0] })(stacked, xs)
 * @typeParam M - the module's type, whose `forward` types `args` and the result.
 */
export function functionalCall<M extends ModuleLike>(
  module: M,
  paramsAndBuffers: TensorDict | TensorDict[],
  args: ModuleArgs<M> | ModuleArgs<M>[0],
  opts?: FunctionalCallOptions,
): ModuleOutput<M>;
export function functionalCall(module: ModuleLike, paramsAndBuffers: TensorDict | TensorDict[], args: unknown, opts: FunctionalCallOptions = {}): unknown {
  checkOptions('functionalCall()', opts, ['kwargs', 'strict', 'tieWeights']);
  const dicts = Array.isArray(paramsAndBuffers) ? paramsAndBuffers : [paramsAndBuffers];
  for (const d of dicts) {
    if (!(d instanceof Map) && !isPlainObject(d)) {
      throw new ValueError(`functionalCall(): Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got ${d === null ? 'null' : typeof d}`);
    }
  }
  const given = new Map<string, Tensor>();
  const dup: string[] = [];
  for (const d of dicts) {
    for (const [k, v] of entries(d)) {
      if (given.has(k)) dup.push(k);
      given.set(k, v);
    }
  }
  if (dup.length) throw new ValueError(`functionalCall(): [${quoted(dup)}] appeared in multiple dictionaries; behavior of functional call is ambiguous`);

  const own = [...module.namedParameters({ removeDuplicate: false }), ...module.namedBuffers({ removeDuplicate: false })];
  const names = new Set(own.map(([n]) => n));
  const subst = new Map(given);
  if (opts.tieWeights ?? true) {
    // Names bound to one tensor are tied: a value given for one of them applies to all.
    const groups = new Map<Tensor, string[]>();
    for (const [n, t] of own) groups.set(t, [...(groups.get(t) ?? []), n]);
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const provided = group.filter((n) => given.has(n));
      if (provided.length === 0) continue;
      const first = given.get(provided[0]!)!;
      if (provided.some((n) => given.get(n) !== first)) {
        throw new ValueError(`functionalCall(): functional_call got multiple values for keys [${quoted(provided)}], which are tied. Consider using tie_weights=False`);
      }
      for (const n of group) subst.set(n, first);
    }
  }
  if (opts.strict) {
    const unexpected = [...given.keys()].filter((k) => !names.has(k));
    const missing = [...names].filter((n) => !subst.has(n));
    if (unexpected.length || missing.length) {
      let msg = `Error(s) in reparametrizing for ${classNameOf(module)}:`;
      if (unexpected.length) msg += `\n\tUnexpected key(s): ${quoted(unexpected)}.`;
      if (missing.length) msg += `\n\tMissing key(s): ${quoted(missing)}.`;
      throw new ValueError(msg);
    }
  }
  const positional = args instanceof Tensor ? [args] : Array.isArray(args) ? args : [args];
  const callArgs = opts.kwargs ? [...positional, opts.kwargs] : positional;
  const restore: [string, Tensor][] = [];
  try {
    for (const [n, t] of subst) if (names.has(n)) restore.push([n, module._swapTensor(n, t)]);
    return module.call(...callArgs);
  } finally {
    for (let i = restore.length - 1; i >= 0; i--) module._swapTensor(restore[i]![0], restore[i]![1]);
  }
}

/**
 * Stacks the parameters and buffers of same-class models along a new leading dim, as fresh leaves.
 * @example const [params, buffers] = torch.func.stackModuleState(models)
 */
export function stackModuleState(models: ModuleLike[]): [Record<string, Tensor>, Record<string, Tensor>] {
  const fn = 'stack_module_state';
  if (models.length === 0) throw new ValueError(`${fn}: Expected at least one model, got 0.`);
  const first = models[0]!;
  if (!models.every((m) => m.training === first.training)) {
    throw new ValueError(`${fn}: Expected all models to have the same training/eval mode.`);
  }
  if (!models.every((m) => m.constructor === first.constructor)) {
    throw new ValueError(`${fn}: Expected all models to be of the same class.`);
  }
  const stackAll = (get: (m: ModuleLike) => Iterable<[string, Tensor]>, leaves: boolean) => {
    const all = models.map((m) => new Map(get(m)));
    const out: Record<string, Tensor> = {};
    for (const name of all[0]!.keys()) {
      const ts = all.map((m) => m.get(name)!);
      const rg = ts[0]!.requiresGrad;
      if (leaves && ts.some((t) => t.requiresGrad !== rg)) {
        throw new ValueError(`${fn}: Expected all models to have the same .requires_grad for parameter ${name}`);
      }
      const s = detach(stack(ts.map((t) => detach(t))));
      out[name] = leaves && rg ? s.requiresGrad_() : s;
    }
    return out;
  };
  return [stackAll((m) => m.namedParameters(), true), stackAll((m) => m.namedBuffers(), false)];
}

/**
 * Makes every batch norm under `root` use batch statistics only (running stats removed,
 * trackRunningStats false), so the model can run under vmap; returns root.
 * @example torch.func.replaceAllBatchNormModules_(model)
 * @typeParam M - the root module's type, returned as it is.
 */
export function replaceAllBatchNormModules_<M extends {
  /** Every module of the tree, root included (as nn.Module's). */
  modules(): object[];
}>(root: M): M {
  for (const m of root.modules()) {
    if (!('trackRunningStats' in m) || !('running_mean' in m)) continue;
    const bn = m as { running_mean: Tensor | null; running_var: Tensor | null; num_batches_tracked: Tensor | null; trackRunningStats: boolean };
    bn.running_mean = null;
    bn.running_var = null;
    bn.num_batches_tracked = null;
    bn.trackRunningStats = false;
  }
  return root;
}
