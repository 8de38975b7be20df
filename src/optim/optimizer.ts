// The base of the stateful optimizers (torch.optim.Optimizer): parameter groups with per-group
// options, per-parameter state, zeroGrad, step(closure), addParamGroup and stateDict/loadStateDict.
// A subclass supplies its option checks and a pure per-parameter update; the base runs the updates
// of all parameters first and writes them (in place, under noGrad) only when every one succeeded,
// so a step either applies to all parameters or throws before changing any.
import { classNameOf } from '../core/names.js';
import { CompileError, DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { currentTrace, isCompiling } from '../compile/compile.js';
import { untracked } from '../primitives/value.js';
import { scalar } from '../primitives/concrete.js';
import { zeros } from '../ops/creation.js';
import { isPlainObject } from '../core/pytree.js';
import { Tensor } from '../tensor.js';
import { enableGrad, noGrad } from '../ops/autograd.js';
import { checkOptions } from '../core/options.js';

/** Per-parameter state: tensors (moment buffers) and numbers (the step count). */
export type ParamState = Record<string, Tensor | number>;

/** Keys the learning-rate schedulers add to a group (PyTorch's initial_lr, max_lr, ...). */
export interface GroupExtras {
  /** The learning rate a scheduler started from (PyTorch's initial_lr). */
  initialLr?: number;
  /** OneCycleLR's peak learning rate (max_lr). */
  maxLr?: number;
  /** OneCycleLR's final learning rate (min_lr). */
  minLr?: number;
  /** OneCycleLR's upper momentum bound (max_momentum). */
  maxMomentum?: number;
  /** OneCycleLR's lower momentum bound (base_momentum). */
  baseMomentum?: number;
  /** A free-form name for the group. */
  name?: string;
}
const EXTRA_KEYS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum', 'name'] as const;

/** The options every optimizer has. */
export interface BaseOptions {
  /** The learning rate. */
  lr: number;
}

/** A parameter group: its tensors and its own copy of every option (mutable: schedulers set `lr`). */
export type ParamGroup<O> = O & GroupExtras & {
  /** The group's parameters. */
  params: Tensor[];
};

/** A group as given to a constructor or addParamGroup: options left out take the optimizer's defaults. */
export type ParamGroupSpec<O> = Partial<O> & GroupExtras & {
  /** The group's parameters: tensors or [name, tensor] pairs. */
  params: Iterable<Tensor> | Iterable<[string, Tensor]>;
};

/** What an optimizer accepts: tensors, [name, tensor] pairs (namedParameters()), or parameter groups. */
export type ParamsArg<O> = Iterable<Tensor> | Iterable<[string, Tensor]> | Iterable<ParamGroupSpec<O>>;

/** What Optimizer.stateDict returns and loadStateDict takes (torch.optim's state_dict layout). */
export interface OptimizerStateDict<O> {
  /** State by parameter index (parameters numbered through the groups in order). */
  state: Record<number, ParamState>;
  /** Each group's options, with `params` as parameter indices. */
  paramGroups: (O & GroupExtras & {
    /** The group's parameters as indices into `state`'s numbering. */
    params: number[];
  })[];
}

/** A function that re-evaluates the model and returns the loss, for Optimizer.step(closure). */
export type Closure = () => Tensor | number;

/** The name of a value for error messages. */
function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (x instanceof Tensor) return 'Tensor';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

function asTensorList(cls: string, items: Iterable<unknown>): Tensor[] {
  if (items instanceof Tensor) {
    throw new ValueError(`${cls}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor`);
  }
  if (items === null || typeof items !== 'object' || typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new ValueError(`${cls}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(items)}`);
  }
  return [...items].map((x, i) => {
    // [name, tensor] pairs, as namedParameters() gives them.
    const t = Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' ? x[1] : x;
    if (!(t instanceof Tensor)) throw new ValueError(`${cls}: optimizer can only optimize Tensors, but parameter ${i} is ${typeName(t)}`);
    if (!t.isLeaf) throw new ValueError(`${cls}: can't optimize a non-leaf Tensor (parameter ${i})`);
    return t;
  });
}

/**
 * Base class of torch.optim's optimizers. Subclasses give their defaults, a check of their options
 * and `updateParam`, a pure function from (param, grad, group, state) to (new param, new state).
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static readonly displayName: string = 'Optimizer';
  /** The options each group falls back to. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, each with its own options (schedulers change their `lr`). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created lazily at a parameter's first update. */
  readonly state = new Map<Tensor, ParamState>();

  /**
   * `params`: tensors, [name, tensor] pairs, or parameter groups (plain objects with `params` and
   * per-group options); `defaults`: the full options, which groups override. A parameter may be in
   * one group only and must be a leaf.
   */
  constructor(params: ParamsArg<O>, defaults: O) {
    const cls = classNameOf(this);
    this.checkOptions(defaults);
    this.defaults = Object.freeze({ ...defaults });
    if (params instanceof Tensor || params === null || typeof params !== 'object') {
      throw new ValueError(`${cls}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ValueError(`${cls}: optimizer got an empty parameter list`);
    const specs = isPlainObject(list[0]) ? (list as ParamGroupSpec<O>[]) : [{ params: list } as unknown as ParamGroupSpec<O>];
    const built: ParamGroup<O>[] = [];
    for (const spec of specs) built.push(this.makeGroup(spec, built));
    this.paramGroups.push(...built);
  }

  /** The option names this optimizer knows (the keys of its defaults). */
  get optionNames(): string[] {
    return Object.keys(this.defaults);
  }

  /** Throws a ValueError for an invalid option value (torch.optim's wording). */
  protected abstract checkOptions(options: O): void;

  /**
   * The update of one parameter, computed out of place (the base writes it back): returns the new
   * parameter value and the parameter's new state. Must not mutate `state`.
   */
  protected abstract updateParam(p: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState | undefined): [Tensor, ParamState];

  /** A validated group (does not touch `this`' groups); `pending` are groups being added alongside. */
  private makeGroup(spec: ParamGroupSpec<O>, pending: readonly ParamGroup<O>[]): ParamGroup<O> {
    const cls = classNameOf(this);
    if (!isPlainObject(spec)) throw new ValueError(`${cls}: a parameter group must be a plain object with a 'params' key, got ${typeName(spec)}`);
    if (!('params' in spec)) throw new ValueError(`${cls}: a parameter group must have a 'params' key`);
    checkOptions(cls, spec, ['params', ...Object.keys(this.defaults), ...EXTRA_KEYS], 'parameter group key');
    const params = asTensorList(cls, spec.params as Iterable<unknown>);
    if (new Set(params).size !== params.length) {
      throw new ValueError(`${cls}: optimizer contains a parameter group with duplicate parameters`);
    }
    const seen = new Set<Tensor>();
    for (const g of [...this.paramGroups, ...pending]) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p))) throw new ValueError(`${cls}: some parameters appear in more than one parameter group`);
    const group = { ...this.defaults, ...spec, params } as ParamGroup<O>;
    for (const [k, v] of Object.entries(group)) if (Array.isArray(v) && k !== 'params') (group as unknown as Record<string, unknown>)[k] = [...v];
    const { params: _p, ...options } = group;
    this.checkOptions(options as unknown as O);
    return group;
  }

  /**
   * Adds a parameter group (e.g. layers unfrozen during fine-tuning); missing options take the defaults.
   * @example opt.addParamGroup({ params: head.parameters(), lr: 0.01 })
   */
  addParamGroup(group: ParamGroupSpec<O>): void {
    this.paramGroups.push(this.makeGroup(group, []));
  }

  /**
   * Resets the gradients: to null (setToNone, the default, as PyTorch) or to zeros.
   * @example opt.zeroGrad() ; opt.zeroGrad({ setToNone: false })
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    checkOptions(`${classNameOf(this)}.zeroGrad()`, opts, ['setToNone']);
    const setToNone = opts.setToNone ?? true;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const gr = p.grad;
        if (gr === null) continue;
        if (setToNone) p.grad = null;
        else if (gr.requiresGrad) p.grad = noGrad(() => gr.detach().clone().zero_());
        else noGrad(() => gr.zero_());
      }
    }
  }

  /**
   * One optimization step over every parameter that has a gradient. `closure` (re-evaluating the
   * loss, with grad mode on) is called first and its value returned.
   * @example opt.step()
   * @example const loss = opt.step(() => { opt.zeroGrad(); const l = lossFn(); l.backward(); return l; })
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      const work = this.collect();
      if (isCompiling()) return this.tracedStep(work);
      // Compute everything first; write only when every update succeeded.
      const results = work.map(([p, g, group]) => this.updateParam(p, g, group, this.state.get(p)));
      results.forEach(([value, state], i) => {
        const p = work[i]![0];
        p.copy_(value);
        this.state.set(p, state);
        // A compiled step counts with a tensor; keep it in line with eager steps.
        const counter = this.counters.get(p);
        if (counter !== undefined && typeof state.step === 'number') counter.fill_(state.step);
      });
    });
    return loss;
  }

  /** Step counts as 0-d float64 tensors, for the steps torch.compile traces. */
  private readonly counters = new Map<Tensor, Tensor>();

  /** The parameters that have a gradient, with it and their group, checked. */
  private collect(): [Tensor, Tensor, ParamGroup<O>][] {
    const cls = classNameOf(this);
    const work: [Tensor, Tensor, ParamGroup<O>][] = [];
    this.paramGroups.forEach((group, gi) => {
      group.params.forEach((p, pi) => {
        const g = p.grad;
        if (g === null) return;
        const where = `parameter ${pi} of group ${gi}`;
        if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
          throw new ShapeError(`${cls}.step(): the gradient of ${where} has shape ${fmtShape(g.shape)}, the parameter ${fmtShape(p.shape)}`);
        }
        if (g.dtype !== p.dtype) throw new DTypeError(`${cls}.step(): the gradient of ${where} has dtype ${g.dtype}, the parameter ${p.dtype}`);
        if (!p.isFloatingPoint()) throw new DTypeError(`${cls}.step(): ${where} has dtype ${p.dtype}; only floating point parameters can be optimized`);
        work.push([p, g, group]);
      });
    });
    return work;
  }

  /**
   * step() while torch.compile traces: the state lives in tensors that the compiled program updates
   * in place (made now, outside the trace, at a parameter's first step), step counts enter the
   * program as tensors, and the group options it read become guards, so a changed learning rate
   * compiles anew instead of running with the old one.
   */
  private tracedStep(work: [Tensor, Tensor, ParamGroup<O>][]): void {
    const trace = currentTrace()!;
    const options = () => JSON.stringify(this.paramGroups.map(({ params: _p, ...o }) => o));
    const snapshot = options();
    trace.guards.push(() => options() === snapshot);
    for (const [p, g, group] of work) {
      const old = this.state.get(p);
      // The program reads and writes this state object's tensors: an eager step or loadStateDict that
      // replaces it compiles anew.
      trace.guards.push(() => this.state.get(p) === old);
      let counter: Tensor | undefined;
      if (old !== undefined && typeof old.step === 'number') {
        counter = this.counters.get(p);
        if (counter === undefined) this.counters.set(p, (counter = untracked(() => scalar(old.step as number, 'float64'))));
      }
      const [value, next] = this.updateParam(p, g, group, counter === undefined ? old : { ...old, step: counter });
      p.copy_(value);
      if (old === undefined) {
        const made: ParamState = {};
        for (const [k, v] of Object.entries(next)) made[k] = v instanceof Tensor ? untracked(() => zeros(v.shape, { dtype: v.dtype, device: v.device })).copy_(v) : v;
        this.state.set(p, made);
        trace.undo.push(() => this.state.delete(p));
        continue;
      }
      for (const [k, v] of Object.entries(next)) {
        const into = k === 'step' ? counter : old[k];
        if (!(v instanceof Tensor) || !(into instanceof Tensor)) {
          throw new CompileError(`${classNameOf(this)}.step(): state '${k}' changed kind under torch.compile; call step() once outside compile`);
        }
        into.copy_(v);
      }
      if (counter !== undefined) trace.hooks.push(() => void (old.step = (old.step as number) + 1));
    }
  }

  /**
   * A snapshot of the optimizer: state by parameter index and each group's options (tensors cloned).
   * @example const saved = opt.stateDict(); ... opt.loadStateDict(saved)
   */
  stateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const ids = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') copy[k] = Array.isArray(v) ? [...v] : v;
      return { ...copy, params: ids } as O & GroupExtras & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = cloneState(s);
    }
    return { state, paramGroups };
  }

  /**
   * Restores a stateDict(): group options and per-parameter state (tensors copied, cast to each
   * parameter's dtype). Checks everything before changing anything.
   */
  loadStateDict(sd: OptimizerStateDict<O>): void {
    const cls = classNameOf(this);
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object' || sd.state === null) {
      throw new ValueError(`${cls}.loadStateDict(): expected {state, paramGroups}`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(`${cls}.loadStateDict(): loaded state dict has a different number of parameter groups (${sd.paramGroups.length} vs ${this.paramGroups.length})`);
    }
    const byIndex: Tensor[] = [];
    sd.paramGroups.forEach((sg, gi) => {
      const mine = this.paramGroups[gi]!;
      if (!Array.isArray(sg.params) || sg.params.length !== mine.params.length) {
        throw new ValueError(`${cls}.loadStateDict(): loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${gi})`);
      }
      sg.params.forEach((id, k) => (byIndex[id] = mine.params[k]!));
    });
    const newGroups = sd.paramGroups.map((sg, gi) => {
      const { params: _ids, ...opts } = sg;
      checkOptions(cls, opts, [...Object.keys(this.defaults), ...EXTRA_KEYS], 'parameter group key');
      const g = { ...this.paramGroups[gi]!, ...opts, params: this.paramGroups[gi]!.params } as ParamGroup<O>;
      const { params: _q, ...check } = g;
      this.checkOptions(check as unknown as O);
      return g;
    });
    const newState = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = byIndex[Number(key)];
      if (!p) throw new ValueError(`${cls}.loadStateDict(): state for parameter index ${key}, which no group holds`);
      const ns: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor) {
          if (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i])) {
            throw new ShapeError(`${cls}.loadStateDict(): state '${k}' of parameter ${key} has shape ${fmtShape(v.shape)}, the parameter ${fmtShape(p.shape)}`);
          }
          ns[k] = noGrad(() => v.detach().to(p.dtype).clone());
        } else ns[k] = v;
      }
      newState.set(p, ns);
    }
    newGroups.forEach((g, i) => (this.paramGroups[i] = g));
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }

  /**
   * torch.optim's repr: the class name, then each parameter group's options in sorted order.
   * @example console.log(String(new optim.SGD(model.parameters(), 0.1))) // SGD (\nParameter Group 0\n    dampening: 0 ...
   */
  toString(): string {
    const lines = [`${classNameOf(this)} (`];
    this.paramGroups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`);
      for (const k of Object.keys(g).filter((k) => k !== 'params').sort()) lines.push(`    ${k}: ${pyValue((g as unknown as Record<string, unknown>)[k])}`);
    });
    lines.push(')');
    return lines.join('\n');
  }

  /** Node's console.log shows the repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A value as Python prints it in torch.optim's repr (True, None, tuples). */
function pyValue(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `(${v.map(pyValue).join(', ')})`;
  if (typeof v === 'function') return `<function ${v.name || 'lambda'}>`;
  // Python writes exponents with two digits (1e-08).
  return String(v).replace(/e([+-])(\d)$/, 'e$10$2');
}

function cloneState(s: ParamState): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) out[k] = v instanceof Tensor ? noGrad(() => v.detach().clone()) : v;
  return out;
}

/** PyTorch's lerp: self + w (end - self) for |w| < 0.5, end - (end - self)(1 - w) otherwise. */
export function lerp(self: Tensor, end: Tensor, w: number): Tensor {
  return Math.abs(w) < 0.5 ? self.add(end.sub(self).mul(w)) : end.sub(end.sub(self).mul(1 - w));
}
/** self + value * a * b, in PyTorch's order. */
export const addcmul = (self: Tensor, a: Tensor, b: Tensor, value = 1): Tensor => self.add((value === 1 ? a : a.mul(value)).mul(b));
/** self + value * a / b, in PyTorch's order. */
export const addcdiv = (self: Tensor, a: Tensor, b: Tensor, value: number | Tensor = 1): Tensor => self.add((value === 1 ? a : a.mul(value)).div(b));

/**
 * The step count after this update: a number, or under torch.compile a 0-d float64 tensor, so the
 * compiled program counts on (then the rules below compute with it as a tensor).
 */
export function nextStep(state: ParamState | undefined): number | Tensor {
  const s = state?.step;
  return s instanceof Tensor ? s.add(1) : ((s as number | undefined) ?? 0) + 1;
}

/** 1 − beta^step, as a number, or as a 0-d tensor of `dtype` for a tensor step. */
export function oneMinusPow(beta: number, step: number | Tensor, dtype: Tensor['dtype']): number | Tensor {
  if (typeof step === 'number') return 1 - beta ** step;
  return scalar(beta, 'float64').pow(step).neg().add(1).to(dtype);
}

/** a / b for numbers or 0-d tensors. */
export const divide = (a: number | Tensor, b: number | Tensor): number | Tensor =>
  typeof a === 'number' && typeof b === 'number' ? a / b : a instanceof Tensor ? a.div(b) : (b as Tensor).reciprocal().mul(a);
