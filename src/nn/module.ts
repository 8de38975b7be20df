// nn.Module: parameters, buffers and submodules registered by assignment (a Proxy routes
// `this.x = value` through PyTorch's __setattr__ rules), PyTorch's dotted names, stateDict /
// loadStateDict, train/eval, dtype conversion, the module repr, and `call` running the hooks
// around `forward` in PyTorch's order (torch/nn/modules/module.py, _call_impl).
import { classNameOf } from '../core/names.js';
import { checkOptions } from '../core/options.js';
import { DTYPES, checkDType, isFloating, type DType } from '../core/dtype.js';
import { TorchfnError, ValueError } from '../core/errors.js';
import type { RemovableHandle } from '../core/handle.js';
import { isPlainObject } from '../core/pytree.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../tensor.js';
import { checkDevice, checkDeviceDType, replaceData, type Device } from '../primitives/index.js';
import { noGrad } from '../ops/autograd.js';
import { zerosLike } from '../ops/creation.js';
import { BackwardHookState } from './backward_hook.js';
import { callObserver } from './call_observer.js';
import {
  addHook, anyGlobalHooks, globalHooks, warn,
  type AnyHook, type BackwardHook, type BackwardPreHook, type ForwardHook, type ForwardHookWithKwargs,
  type ForwardPreHook, type ForwardPreHookWithKwargs, type HookMap, type HookOutput, type Kwargs,
} from './hooks.js';
import { Parameter, isParameter } from './parameter.js';
import { addIndent } from './repr.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A plain object of tensors keyed by dotted names, as PyTorch's state_dict. */
export type StateDict = Record<string, Tensor>;

const NAMED_KEYS = ['prefix', 'recurse', 'removeDuplicate'];

/** Options of namedParameters / namedBuffers. */
export interface NamedOptions {
  /** Prepended to every name (with a dot). */
  prefix?: string;
  /** Include submodules (default true). */
  recurse?: boolean;
  /** Yield a tensor shared by several modules once (default true). */
  removeDuplicate?: boolean;
}

/** What loadStateDict reports (PyTorch's `_IncompatibleKeys`); both lists are empty after a strict load. */
export interface LoadStateDictResult {
  /** Keys the module expects that the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict that the module does not have. */
  unexpectedKeys: string[];
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `Tensor(${v.dtype})`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

const torchSize = (s: readonly number[]) => `torch.Size([${s.join(', ')}])`;

const proxyHandler: ProxyHandler<Module> = {
  set(target, key, value, receiver) {
    if (typeof key === 'string' && target._setAttr(key, value, false)) return true;
    return Reflect.set(target, key, value, receiver);
  },
  defineProperty(target, key, desc) {
    if (typeof key === 'string' && 'value' in desc && target._setAttr(key, desc.value, true)) return true;
    return Reflect.defineProperty(target, key, desc);
  },
  deleteProperty(target, key) {
    if (typeof key === 'string') {
      target._parameters.delete(key);
      target._buffers.delete(key);
      target._nonPersistentBuffers.delete(key);
      target._modules.delete(key);
    }
    return Reflect.deleteProperty(target, key);
  },
};

/**
 * Base class for all neural network modules (torch.nn.Module). Assigning a Parameter, a Module, or
 * (to a registered buffer name) a Tensor to an attribute registers it, as in PyTorch.
 * `module.call(...args)` runs the hooks and `forward`; `module.forward(...args)` runs forward alone.
 * A trailing plain-object argument of `call` is the call's keyword arguments (for `withKwargs` hooks).
 * @example
 * class MLP extends nn.Module {
 *   declare fc1: nn.Linear;
 *   declare fc2: nn.Linear;
 *   constructor() {
 *     super();
 *     this.fc1 = new nn.Linear(4, 8);
 *     this.fc2 = new nn.Linear(8, 2);
 *   }
 *   override forward(x: Tensor): Tensor {
 *     return this.fc2.call(this.fc1.call(x).relu());
 *   }
 * }
 * const model = new MLP();
 * Object.keys(model.stateDict()); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
export class Module {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static readonly displayName: string = 'Module';
  /** Training mode (train()) or evaluation mode (eval()). */
  training = true;
  /** Registered parameters by local name (null for a placeholder such as an absent bias). @internal */
  _parameters = new Map<string, Tensor | null>();
  /** Registered buffers by local name. @internal */
  _buffers = new Map<string, Tensor | null>();
  /** Names of the buffers left out of stateDict. @internal */
  _nonPersistentBuffers = new Set<string>();
  /** Child modules by local name. @internal */
  _modules = new Map<string, Module | null>();
  /** @internal */
  _forwardPreHooks: HookMap = new Map();
  /** @internal */
  _forwardPreHooksWithKwargs = new Set<number>();
  /** @internal */
  _forwardHooks: HookMap = new Map();
  /** @internal */
  _forwardHooksWithKwargs = new Set<number>();
  /** @internal */
  _forwardHooksAlwaysCalled = new Set<number>();
  /** @internal */
  _backwardPreHooks: HookMap = new Map();
  /** @internal */
  _backwardHooks: HookMap = new Map();
  /** registerBackwardHook's (PyTorch's legacy, non-full) hooks. @internal */
  _legacyBackwardHooks: HookMap = new Map();
  /** The object behind the Proxy: definitions on it bypass the registration rules. @internal */
  readonly _raw: Module;

  /**
   * An empty module; a subclass calls `super()` first, then assigns its parameters, buffers and
   * submodules.
   */
  constructor() {
    this._raw = this;
    for (const k of Object.keys(this)) Object.defineProperty(this, k, { enumerable: false });
    return new Proxy(this, proxyHandler);
  }

  /**
   * The module's computation (described with each layer); subclasses override it. Run a module with
   * `call(...)`, which also runs the hooks; `forward(...)` alone skips them. Its parameter and return
   * types are those of `call` (and of `func.functionalCall`); the base class's are unknown.
   */
  forward(..._args: any[]): unknown {
    throw new TorchfnError(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  // ------------------------------------------------------------------------------------------------
  // Attribute registration

  /**
   * PyTorch's __setattr__: returns true when it stored `value` as a parameter, buffer or submodule.
   * `fromDefine` is a class-field definition, where `undefined` must not clear a registered entry.
   * @internal
   */
  _setAttr(name: string, value: unknown, fromDefine: boolean): boolean {
    if (value === undefined && fromDefine && (this._parameters.has(name) || this._buffers.has(name) || this._modules.has(name))) return true;
    const v = value === undefined ? null : value;
    if (isParameter(v)) {
      this._buffers.delete(name);
      this._nonPersistentBuffers.delete(name);
      this._modules.delete(name);
      this._parameters.set(name, v);
      return this._own(name, v);
    }
    if (this._parameters.has(name)) {
      if (v !== null) {
        throw new ValueError(`cannot assign '${typeName(v)}' as parameter '${name}' (nn.Parameter or null expected)`);
      }
      this._parameters.set(name, null);
      return this._own(name, null);
    }
    if (v instanceof Module) {
      this._parameters.delete(name);
      this._buffers.delete(name);
      this._nonPersistentBuffers.delete(name);
      this._modules.set(name, v);
      return this._own(name, v);
    }
    if (this._modules.has(name)) {
      if (v !== null) throw new ValueError(`cannot assign '${typeName(v)}' as child module '${name}' (nn.Module or null expected)`);
      this._modules.set(name, null);
      return this._own(name, null);
    }
    if (this._buffers.has(name)) {
      if (v !== null && !(v instanceof Tensor)) throw new ValueError(`cannot assign '${typeName(v)}' as buffer '${name}' (Tensor or null expected)`);
      this._buffers.set(name, v as Tensor | null);
      return this._own(name, v);
    }
    return false;
  }

  private _own(name: string, value: unknown): true {
    this._store(name, value);
    return true;
  }

  /** Stores `value` as the plain attribute `name`, bypassing the registration rules. @internal */
  _store(name: string, value: unknown): void {
    Reflect.defineProperty(this._raw, name, { value, writable: true, enumerable: true, configurable: true });
  }

  private _checkNewName(kind: string, name: unknown, existing: Map<string, unknown>): string {
    if (typeof name !== 'string') throw new ValueError(`${kind} name should be a string. Got ${typeof name}`);
    if (name.includes('.')) throw new ValueError(`${kind} name can't contain ".", got "${name}"`);
    if (name === '') throw new ValueError(`${kind} name can't be empty string ""`);
    if (name in this && !existing.has(name) && (this as Record<string, unknown>)[name] !== undefined) throw new ValueError(`attribute '${name}' already exists`);
    return name;
  }

  /**
   * Registers a parameter (or a null placeholder, as an absent bias).
   * @example this.registerParameter('scale', nn.Parameter(torch.ones([4]))); this.registerParameter('bias', null);
   */
  registerParameter(name: string, param: Tensor | null): void {
    this._checkNewName('parameter', name, this._parameters);
    if (param !== null && !isParameter(param)) {
      throw new ValueError(`cannot assign '${typeName(param)}' object to parameter '${name}' (nn.Parameter or null required)`);
    }
    this._buffers.delete(name);
    this._modules.delete(name);
    this._parameters.set(name, param);
    this._store(name, param);
  }

  /**
   * Registers a buffer: state saved in stateDict (unless `persistent: false`) but not trained.
   * @example this.registerBuffer('running_mean', torch.zeros([4])); this.registerBuffer('mask', m, { persistent: false });
   */
  registerBuffer(name: string, tensor: Tensor | null, opts: { persistent?: boolean } = {}): void {
    checkOptions('registerBuffer()', opts, ['persistent']);
    this._checkNewName('buffer', name, this._buffers);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new ValueError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (Tensor or null required)`);
    }
    this._parameters.delete(name);
    this._modules.delete(name);
    this._buffers.set(name, tensor);
    if (opts.persistent === false) this._nonPersistentBuffers.add(name);
    else this._nonPersistentBuffers.delete(name);
    this._store(name, tensor);
  }

  /**
   * Registers a child module under `name`.
   * @example this.registerModule('encoder', new nn.Linear(4, 4));
   */
  registerModule(name: string, module: Module | null): void {
    this._checkNewName('module', name, this._modules);
    if (module !== null && !(module instanceof Module)) throw new ValueError(`${typeName(module)} is not a Module subclass`);
    this._parameters.delete(name);
    this._buffers.delete(name);
    this._modules.set(name, module);
    this._store(name, module);
  }

  /** Alias of registerModule. @example seq.addModule('act', new nn.ReLU()) */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  /**
   * Sets the parameter or buffer registered under a dotted name to `tensor` as is (no Parameter
   * wrapping) and returns the previous value; used by func.functionalCall to substitute and restore.
   * A name that is neither becomes (or, with `undefined`, stops being) a plain attribute; the
   * previous value is then returned as it was (possibly undefined or null).
   * @example const prev = model._swapTensor('0.weight', w); ...; model._swapTensor('0.weight', prev);
   */
  _swapTensor(name: string, tensor: Tensor | null | undefined): Tensor {
    const dot = name.lastIndexOf('.');
    const owner = dot < 0 ? (this as Module) : this.getSubmodule(name.slice(0, dot));
    const attr = name.slice(dot + 1);
    const target = owner as unknown as Record<string, unknown>;
    const prev = target[attr];
    if (prev !== undefined && prev !== null && !(prev instanceof Tensor)) {
      throw new ValueError(`_swapTensor(): attribute \`${name}\` is not a Tensor (it is ${typeName(prev)})`);
    }
    const map = owner._parameters.has(attr) ? owner._parameters : owner._buffers.has(attr) ? owner._buffers : null;
    if (map) {
      map.set(attr, tensor ?? null);
      owner._store(attr, tensor ?? null);
    } else if (tensor === undefined) {
      Reflect.deleteProperty(owner._raw, attr);
    } else {
      owner._store(attr, tensor);
    }
    return prev as Tensor;
  }

  // ------------------------------------------------------------------------------------------------
  // Traversal

  /**
   * All modules of the tree (this one first) with their dotted names.
   * @example for (const [name, m] of model.namedModules()) console.log(name, m._getName());
   */
  namedModules(opts: { prefix?: string; removeDuplicate?: boolean } = {}): [string, Module][] {
    checkOptions('namedModules()', opts, ['prefix', 'removeDuplicate']);
    const out: [string, Module][] = [];
    const memo = new Set<Module>();
    const removeDuplicate = opts.removeDuplicate ?? true;
    const walk = (m: Module, prefix: string) => {
      if (memo.has(m)) return;
      if (removeDuplicate) memo.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m._modules) {
        if (child) walk(child, prefix ? `${prefix}.${name}` : name);
      }
    };
    walk(this, opts.prefix ?? '');
    return out;
  }

  /** All modules of the tree, this one first. @example model.modules().length */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Direct children with their names. @example Object.fromEntries(seq.namedChildren()) */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, m] of this._modules) {
      if (m && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }

  /** Direct children. @example for (const c of model.children()) c.eval() */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private _namedMembers(get: (m: Module) => Iterable<[string, Tensor | null]>, opts: NamedOptions): [string, Tensor][] {
    const prefix = opts.prefix ?? '';
    const removeDuplicate = opts.removeDuplicate ?? true;
    const mods: [string, Module][] = opts.recurse ?? true ? this.namedModules({ prefix, removeDuplicate }) : [[prefix, this]];
    const memo = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [mp, m] of mods) {
      for (const [k, v] of get(m)) {
        if (v === null || memo.has(v)) continue;
        if (removeDuplicate) memo.add(v);
        out.push([mp ? `${mp}.${k}` : k, v]);
      }
    }
    return out;
  }

  /**
   * Parameters with PyTorch's dotted names; `Object.fromEntries` gives the params dict.
   * @example const params = Object.fromEntries(model.namedParameters()); // { '0.weight': ..., '0.bias': ... }
   */
  namedParameters(opts: NamedOptions = {}): [string, Tensor][] {
    checkOptions('namedParameters()', opts, NAMED_KEYS);
    return this._namedMembers((m) => m._parameters, opts);
  }

  /**
   * The parameters of this module and (with `recurse`, the default) its submodules, each once.
   * @example const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
   */
  parameters(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    if (typeof recurse !== 'boolean') checkOptions('parameters()', recurse, ['recurse']);
    const r = typeof recurse === 'boolean' ? recurse : recurse.recurse ?? true;
    return this.namedParameters({ recurse: r }).map(([, p]) => p);
  }

  /**
   * Buffers with dotted names.
   * @example Object.fromEntries(bn.namedBuffers()) // running_mean, running_var, num_batches_tracked
   */
  namedBuffers(opts: NamedOptions = {}): [string, Tensor][] {
    checkOptions('namedBuffers()', opts, NAMED_KEYS);
    return this._namedMembers((m) => m._buffers, opts);
  }

  /**
   * The buffers of this module and (with `recurse`, the default) its submodules.
   * @example model.buffers().length
   */
  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    if (typeof recurse !== 'boolean') checkOptions('buffers()', recurse, ['recurse']);
    const r = typeof recurse === 'boolean' ? recurse : recurse.recurse ?? true;
    return this.namedBuffers({ recurse: r }).map(([, b]) => b);
  }

  /**
   * The submodule at a dotted path ('' is this module).
   * @example model.getSubmodule('encoder.0')
   */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      if (!mod._modules.has(item)) {
        if (item in mod) throw new ValueError(`\`${item}\` is not an nn.Module (getSubmodule('${target}'))`);
        throw new ValueError(`${mod._getName()} has no attribute \`${item}\` (getSubmodule('${target}'))`);
      }
      const next = mod._modules.get(item);
      if (!next) throw new ValueError(`\`${item}\` is not an nn.Module (getSubmodule('${target}'))`);
      mod = next;
    }
    return mod;
  }

  /** The parameter at a dotted path. @example model.getParameter('0.weight') */
  getParameter(target: string): Tensor {
    const dot = target.lastIndexOf('.');
    const mod = this.getSubmodule(dot < 0 ? '' : target.slice(0, dot));
    const name = target.slice(dot + 1);
    const p = mod._parameters.get(name);
    if (!p) throw new ValueError(`${mod._getName()} has no parameter \`${name}\` (getParameter('${target}'))`);
    return p;
  }

  /** The buffer at a dotted path. @example bn.getBuffer('running_mean') */
  getBuffer(target: string): Tensor {
    const dot = target.lastIndexOf('.');
    const mod = this.getSubmodule(dot < 0 ? '' : target.slice(0, dot));
    const name = target.slice(dot + 1);
    const b = mod._buffers.get(name);
    if (!b) throw new ValueError(`${mod._getName()} has no buffer \`${name}\` (getBuffer('${target}'))`);
    return b;
  }

  // ------------------------------------------------------------------------------------------------
  // State

  /**
   * Parameters and persistent buffers by dotted name (detached, sharing storage, unless `keepVars`).
   * @example safetensors.saveFile(model.stateDict(), 'model.safetensors')
   */
  stateDict(opts: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    checkOptions('stateDict()', opts, ['prefix', 'keepVars']);
    const out: StateDict = {};
    const keep = opts.keepVars ?? false;
    const walk = (m: Module, prefix: string) => {
      for (const [k, p] of m._parameters) if (p) out[prefix + k] = keep ? p : p.detach();
      for (const [k, b] of m._buffers) if (b && !m._nonPersistentBuffers.has(k)) out[prefix + k] = keep ? b : b.detach();
      for (const [k, c] of m._modules) if (c) walk(c, `${prefix}${k}.`);
    };
    walk(this, opts.prefix ?? '');
    return out;
  }

  /**
   * State keys a module may lack in a checkpoint without being reported missing (BatchNorm's
   * num_batches_tracked). @internal
   */
  _optionalStateKeys(): readonly string[] {
    return [];
  }

  /**
   * Copies `stateDict` into the parameters and buffers. With `strict` (default) missing or
   * unexpected keys are an error; size mismatches always are. Nothing is modified when it throws.
   * With `assign`, the module takes the given tensors instead of copying into its own.
   * @example model.loadStateDict(safetensors.loadFile('model.safetensors'))
   */
  loadStateDict(stateDict: Record<string, Tensor> | Map<string, Tensor>, opts: { strict?: boolean; assign?: boolean } = {}): LoadStateDictResult {
    checkOptions('loadStateDict()', opts, ['strict', 'assign']);
    const strict = opts.strict ?? true;
    const dict: Record<string, unknown> = stateDict instanceof Map ? Object.fromEntries(stateDict) : stateDict;
    if (dict === null || typeof dict !== 'object') {
      throw new ValueError(`Expected state_dict to be dict-like, got ${typeName(stateDict)}.`);
    }
    const missing: string[] = [];
    const unexpected: string[] = [];
    const errors: string[] = [];
    const plan: [Module, string, 'param' | 'buffer', Tensor, Tensor][] = [];
    const keys = Object.keys(dict);
    const walk = (m: Module, prefix: string, local: string[]) => {
      const localState = new Map<string, [Tensor, 'param' | 'buffer']>();
      for (const [k, p] of m._parameters) if (p) localState.set(k, [p, 'param']);
      for (const [k, b] of m._buffers) if (b && !m._nonPersistentBuffers.has(k)) localState.set(k, [b, 'buffer']);
      const optional = m._optionalStateKeys();
      for (const [name, [cur, kind]] of localState) {
        const key = prefix + name;
        if (!(key in dict)) {
          if (!optional.includes(name)) missing.push(key);
          continue;
        }
        let input = dict[key];
        if (!(input instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected Tensor from checkpoint but received ${typeName(input)}`);
          continue;
        }
        if (cur.ndim === 0 && input.ndim === 1 && input.shape[0] === 1) input = input.reshape([]);
        const inp = input as Tensor;
        if (!shapesEqual(inp.shape, cur.shape)) {
          errors.push(
            `size mismatch for ${key}: copying a param with shape ${torchSize(inp.shape)} from checkpoint, the shape in current model is ${torchSize(cur.shape)}.`,
          );
          continue;
        }
        if (!opts.assign && !isFloating(cur.dtype) && isFloating(inp.dtype)) {
          errors.push(`While copying the parameter named "${key}", whose dtype is ${cur.dtype}, the checkpoint's ${inp.dtype} tensor cannot be cast to it.`);
          continue;
        }
        plan.push([m, name, kind, cur, inp]);
      }
      for (const key of local) {
        const rest = key.slice(prefix.length);
        const dot = rest.indexOf('.');
        if (dot >= 0) {
          if (!m._modules.has(rest.slice(0, dot))) unexpected.push(key);
        } else if (!localState.has(rest) && !optional.includes(rest)) {
          unexpected.push(key);
        }
      }
      for (const [name, child] of m._modules) {
        if (!child) continue;
        const cp = `${prefix}${name}.`;
        walk(child, cp, local.filter((k) => k.startsWith(cp)));
      }
    };
    walk(this, '', keys);
    if (strict) {
      if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) {
      throw new TorchfnError(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [m, name, kind, cur, inp] of plan) {
        if (opts.assign) {
          const v = kind === 'param' ? (isParameter(inp) ? inp : Parameter(inp, cur.requiresGrad)) : inp;
          if (kind === 'param') v._requiresGrad = cur.requiresGrad;
          (kind === 'param' ? m._parameters : m._buffers).set(name, v);
          m._store(name, v);
        } else {
          cur.copy_(inp);
        }
      }
    });
    return { missingKeys: missing, unexpectedKeys: unexpected };
  }

  // ------------------------------------------------------------------------------------------------
  // Modes and bulk operations

  /**
   * Sets training mode on this module and all submodules; returns this.
   * @example model.train(); model.train(false) // same as eval()
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('training mode is expected to be boolean');
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }

  /** Evaluation mode (dropout off, BatchNorm uses running statistics); returns this. @example model.eval() */
  eval(): this {
    return this.train(false);
  }

  /**
   * Resets the gradients of all parameters (to null by default, to zeros with `setToNone: false`).
   * @example model.zeroGrad()
   */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = true): void {
    const toNone = typeof setToNone === 'boolean' ? setToNone : setToNone.setToNone ?? true;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      p.grad = toNone ? null : zerosLike(p.grad);
    }
  }

  /**
   * Calls fn on every submodule (children first) and then on this module; returns this.
   * @example model.apply((m) => { if (m instanceof nn.Linear) nn.init.zeros_(m.bias!); })
   */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Sets requiresGrad on every parameter; returns this.
   * @example encoder.requiresGrad_(false) // freeze
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Converts floating-point parameters and buffers (and their grads) to `dtype`; returns this.
   * Parameters are replaced by new Parameters (torchfn dtypes are fixed), so build optimizers after.
   * @example const model = new nn.Linear(3, 2).to('float64');
   */
  to(dtype: DType): this;
  /**
   * Moves every parameter and buffer (and their grads) to `device` in place, as PyTorch's
   * `module.to(device)`: the Parameter objects stay the same (an optimizer made before keeps working),
   * only their data moves. Moving from 'webgpu' to 'cpu' arrives asynchronously: `await
   * torch.webgpu.synchronize()` before reading the values synchronously.
   * @example await torch.webgpu.init(); model.to('webgpu');
   */
  to(device: Device, dtype?: DType): this;
  /**
   * Device and dtype at once, either optional.
   * @example model.to({ device: 'webgpu', dtype: 'float32' })
   */
  to(opts: { device?: Device; dtype?: DType }): this;
  to(a: DType | Device | { device?: Device; dtype?: DType }, b?: DType): this {
    const isDType = typeof a === 'string' && (DTYPES as readonly string[]).includes(a);
    const o = typeof a === 'object' && a !== null ? a : isDType ? { dtype: a as DType } : { device: a as Device, dtype: b };
    if (o.device !== undefined) this.moveTo(checkDevice('Module.to', 'device', o.device), o.dtype);
    if (o.dtype === undefined) return this;
    const target = checkDType('Module.to', 'dtype', o.dtype);
    if (!isFloating(target)) throw new ValueError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${target}`);
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [k, p] of m._parameters) {
          if (!p || !isFloating(p.dtype) || p.dtype === target) continue;
          const np = Parameter(p.detach().to(target), p.requiresGrad);
          if (p.grad) np.grad = p.grad.to(target);
          m._parameters.set(k, np);
          m._store(k, np);
        }
        for (const [k, b] of m._buffers) {
          if (!b || !isFloating(b.dtype) || b.dtype === target) continue;
          const nb = b.to(target);
          m._buffers.set(k, nb);
          m._store(k, nb);
        }
      }
    });
    return this;
  }

  /**
   * `to('cpu')`: parameters and buffers back on the CPU, in place.
   * @example model.cpu(); await torch.webgpu.synchronize(); model.stateDict();
   */
  cpu(): this {
    return this.to('cpu');
  }

  /** Every parameter, buffer and grad onto `device`, keeping the tensor objects (PyTorch's `param.data = ...`). */
  private moveTo(device: Device, dtype: DType | undefined): void {
    // A float64 model goes to a device without float64 in the dtype asked for, converted on the CPU first.
    if (dtype !== undefined && device !== 'cpu') this.to(dtype);
    const moved = new Set<Tensor>();
    const all = this.modules().flatMap((m) => [...m._parameters.values(), ...m._buffers.values()]);
    // Checked before anything moves, so a refused dtype leaves the module where it was.
    for (const t of all) if (t) checkDeviceDType('Module.to', device, t.dtype);
    noGrad(() => {
      for (const m of this.modules()) {
        for (const t of [...m._parameters.values(), ...m._buffers.values()]) {
          if (!t || moved.has(t)) continue;
          moved.add(t);
          if (t.device !== device) replaceData(t, t.detach().to(device));
          const g = t.grad;
          if (g && g.device !== device) t.grad = g.detach().to(device);
        }
      }
    });
  }
  /** to('float64'). @example model.double() */
  double(): this {
    return this.to('float64');
  }

  /** to('float32'). @example model.float() */
  float(): this {
    return this.to('float32');
  }

  // ------------------------------------------------------------------------------------------------
  // Hooks

  /**
   * A hook run before forward: `(module, args) => newArgs | undefined` (a non-array result becomes
   * the single argument), or with `withKwargs` `(module, args, kwargs) => [newArgs, newKwargs] | undefined`.
   * @example using h = model.registerForwardPreHook((m, [x]) => [x.mul(0.5)]);
   */
  registerForwardPreHook(hook: ForwardPreHook<this>, opts?: { prepend?: boolean; withKwargs?: false }): RemovableHandle;
  registerForwardPreHook(hook: ForwardPreHookWithKwargs<this>, opts: { prepend?: boolean; withKwargs: true }): RemovableHandle;
  registerForwardPreHook(hook: AnyHook, opts: { prepend?: boolean; withKwargs?: boolean } = {}): RemovableHandle {
    checkOptions('registerForwardPreHook()', opts, ['prepend', 'withKwargs']);
    return addHook(this._forwardPreHooks, hook, opts.prepend ?? false, opts.withKwargs ? [this._forwardPreHooksWithKwargs] : []);
  }

  /**
   * A hook run after forward: `(module, args, output) => newOutput | undefined`, or with
   * `withKwargs` `(module, args, kwargs, output)`. With `alwaysCall` it also runs (output undefined)
   * when forward throws.
   * @example const h = lin.registerForwardHook((m, args, out) => out.mul(100)); ... h.remove();
   */
  registerForwardHook(hook: ForwardHook<this, HookOutput<this> | undefined>, opts: { prepend?: boolean; withKwargs?: false; alwaysCall: true }): RemovableHandle;
  registerForwardHook(hook: ForwardHookWithKwargs<this, HookOutput<this> | undefined>, opts: { prepend?: boolean; withKwargs: true; alwaysCall: true }): RemovableHandle;
  registerForwardHook(hook: ForwardHook<this>, opts?: { prepend?: boolean; withKwargs?: false; alwaysCall?: boolean }): RemovableHandle;
  registerForwardHook(hook: ForwardHookWithKwargs<this>, opts: { prepend?: boolean; withKwargs: true; alwaysCall?: boolean }): RemovableHandle;
  registerForwardHook(hook: AnyHook, opts: { prepend?: boolean; withKwargs?: boolean; alwaysCall?: boolean } = {}): RemovableHandle {
    checkOptions('registerForwardHook()', opts, ['prepend', 'withKwargs', 'alwaysCall']);
    const flags: Set<number>[] = [];
    if (opts.withKwargs) flags.push(this._forwardHooksWithKwargs);
    if (opts.alwaysCall) flags.push(this._forwardHooksAlwaysCalled);
    return addHook(this._forwardHooks, hook, opts.prepend ?? false, flags);
  }

  /**
   * A hook run when the gradient w.r.t. the module's output is known:
   * `(module, gradOutput) => newGradOutput | undefined`.
   * @example lin.registerFullBackwardPreHook((m, gout) => [gout[0]!.mul(2)]);
   */
  registerFullBackwardPreHook(hook: BackwardPreHook<this>, opts: { prepend?: boolean } = {}): RemovableHandle {
    checkOptions('registerFullBackwardPreHook()', opts, ['prepend']);
    return addHook(this._backwardPreHooks, hook, opts.prepend ?? false);
  }

  /**
   * A hook run when the gradients w.r.t. the module's inputs are known:
   * `(module, gradInput, gradOutput) => newGradInput | undefined`; gradInput has one slot per
   * positional argument (null for non-tensors), gradOutput one per output.
   * @example lin.registerFullBackwardHook((m, gin, gout) => [gin[0]!.mul(0.1)]);
   */
  registerFullBackwardHook(hook: BackwardHook<this>, opts: { prepend?: boolean } = {}): RemovableHandle {
    checkOptions('registerFullBackwardHook()', opts, ['prepend']);
    return addHook(this._backwardHooks, hook, opts.prepend ?? false);
  }

  /**
   * PyTorch's legacy (deprecated) backward hook: `(module, gradInput, gradOutput)` on the autograd node
   * of the module's output, so gradInput holds the gradients of the inputs of the forward's *last
   * operation* (which ones depends on how the forward is decomposed), not of the module's inputs. It
   * may return a replacement gradInput of the same length. Use registerFullBackwardHook instead; the
   * two kinds cannot be mixed on one module.
   * @example lin.registerBackwardHook((m, gin, gout) => gin.map((g) => g && g.mul(0.5)));
   */
  registerBackwardHook(hook: BackwardHook<this>): RemovableHandle {
    warn(
      'registerBackwardHook is deprecated (as PyTorch\'s register_backward_hook): its gradInput belongs to the last operation of forward, not to the module\'s inputs. Use registerFullBackwardHook.',
    );
    return addHook(this._legacyBackwardHooks, hook, false);
  }

  /** Wraps the backward of the output's last node so the legacy hooks see (and may replace) its gradients. */
  private _attachLegacyBackwardHooks(result: unknown): void {
    const node = result instanceof Tensor ? result.gradFn : null;
    const apply = node?.apply;
    if (!node || !apply) return;
    const hooks = [...this._legacyBackwardHooks.values()] as BackwardHook[];
    node.apply = (g: Tensor) => {
      let gradInput = apply(g);
      for (const hook of hooks) {
        const r = hook(this, gradInput, [g]);
        if (r === undefined || r === null) continue;
        if (!Array.isArray(r) || r.length !== gradInput.length) {
          throw new ValueError(`Backward hook returned an invalid number of grad_input, got ${Array.isArray(r) ? r.length : typeName(r)}, but expected ${gradInput.length}`);
        }
        gradInput = r;
      }
      return gradInput;
    };
  }

  /**
   * Runs the module: global and own forward pre-hooks, forward, global and own forward hooks, and
   * sets up full backward hooks (PyTorch's `model(x)`).
   * @example const y = model.call(x);
   */
  call(...input: Parameters<this['forward']>): ReturnType<this['forward']> {
    if (callObserver !== null) return callObserver(this, () => this._callUnobserved(input as unknown[])) as ReturnType<this['forward']>;
    if (
      this._forwardPreHooks.size === 0 && this._forwardHooks.size === 0 && this._backwardHooks.size === 0 &&
      this._backwardPreHooks.size === 0 && this._legacyBackwardHooks.size === 0 && !anyGlobalHooks()
    ) {
      return this.forward(...input) as ReturnType<this['forward']>;
    }
    return this._callImpl(input as unknown[]) as ReturnType<this['forward']>;
  }

  /** `call` without the profiler's span (the profiler runs this inside one). */
  private _callUnobserved(input: unknown[]): unknown {
    const noHooks = this._forwardPreHooks.size === 0 && this._forwardHooks.size === 0 && this._backwardHooks.size === 0 &&
      this._backwardPreHooks.size === 0 && this._legacyBackwardHooks.size === 0 && !anyGlobalHooks();
    return noHooks ? (this.forward as (...a: unknown[]) => unknown)(...input) : this._callImpl(input);
  }

  private _callImpl(input: unknown[]): unknown {
    const G = globalHooks;
    if (this._legacyBackwardHooks.size && (this._backwardHooks.size || this._backwardPreHooks.size || G.backward.size || G.backwardPre.size)) {
      throw new TorchfnError('Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.');
    }
    let args: unknown[] = input;
    let kwargs: Kwargs | null = null;
    if (input.length > 0 && isPlainObject(input[input.length - 1])) {
      args = input.slice(0, -1);
      kwargs = input[input.length - 1] as Kwargs;
    }
    const hadKwargs = kwargs !== null;
    const withKw = () => kwargs ?? {};
    const forwardArgs = () => (kwargs !== null && (hadKwargs || Object.keys(kwargs).length > 0) ? [...args, kwargs] : args);
    let result: unknown = undefined;
    const called = new Set<number>();
    try {
      for (const [id, hook] of [...G.forwardPre, ...this._forwardPreHooks]) {
        if (this._forwardPreHooksWithKwargs.has(id)) {
          const r = hook(this, args, withKw());
          if (r === undefined || r === null) continue;
          if (!Array.isArray(r) || r.length !== 2) {
            throw new ValueError(`forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${typeName(r)}.`);
          }
          args = Array.isArray(r[0]) ? r[0] : [r[0]];
          kwargs = r[1] ?? {};
        } else {
          const r = hook(this, args);
          if (r !== undefined && r !== null) args = Array.isArray(r) ? r : [r];
        }
      }
      let bw: BackwardHookState | null = null;
      if (this._backwardHooks.size || this._backwardPreHooks.size || G.backward.size || G.backwardPre.size) {
        bw = new BackwardHookState(
          this,
          [...G.backward.values(), ...this._backwardHooks.values()] as BackwardHook[],
          [...G.backwardPre.values(), ...this._backwardPreHooks.values()] as BackwardPreHook[],
        );
        args = bw.setupInputHook(args);
      }
      result = this.forward(...forwardArgs());
      for (const [id, hook] of [...G.forward, ...this._forwardHooks]) {
        if (this._forwardHooksAlwaysCalled.has(id) || G.forwardAlwaysCalled.has(id)) called.add(id);
        const r = this._forwardHooksWithKwargs.has(id) || G.forwardWithKwargs.has(id) ? hook(this, args, withKw(), result) : hook(this, args, result);
        if (r !== undefined && r !== null) result = r;
      }
      if (bw) {
        bw.checkInputsUnmodified();
        if (!(result instanceof Tensor || Array.isArray(result))) {
          warn(`For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but received ${typeName(result)}`);
        }
        result = bw.setupOutputHook(result);
      }
      if (this._legacyBackwardHooks.size) this._attachLegacyBackwardHooks(result);
      return result;
    } catch (e) {
      for (const [id, hook] of G.forward) {
        if (!G.forwardAlwaysCalled.has(id) || called.has(id)) continue;
        try {
          const r = G.forwardWithKwargs.has(id) ? hook(this, args, withKw(), result) : hook(this, args, result);
          if (r !== undefined && r !== null) result = r;
        } catch (e2) {
          warn(`global module forward hook with \`\`always_call=True\`\` raised an exception that was silenced as another error was raised in forward: ${String(e2)}`);
        }
      }
      for (const [id, hook] of this._forwardHooks) {
        if (!this._forwardHooksAlwaysCalled.has(id) || called.has(id)) continue;
        try {
          const r = this._forwardHooksWithKwargs.has(id) ? hook(this, args, withKw(), result) : hook(this, args, result);
          if (r !== undefined && r !== null) result = r;
        } catch (e2) {
          warn(`module forward hook with \`\`always_call=True\`\` raised an exception that was silenced as another error was raised in forward: ${String(e2)}`);
        }
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Representation

  /** The class name shown in reprs and errors. @example new nn.Linear(2, 3)._getName() // 'Linear' */
  _getName(): string {
    return classNameOf(this);
  }

  /**
   * The part of the repr inside the parentheses; layers override it.
   * @example lin.extraRepr() // 'in_features=2, out_features=3, bias=True'
   */
  extraRepr(): string {
    return '';
  }

  /**
   * PyTorch's module repr.
   * @example String(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()))
   * // Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)
   */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this._childLines();
    const lines = [...extraLines, ...childLines];
    let s = `${this._getName()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }

  /** `(name): repr` lines for the children. @internal */
  _childLines(): string[] {
    const out: string[] = [];
    for (const [k, m] of this._modules) out.push(`(${k}): ${addIndent(m ? m.toString() : 'None', 2)}`);
    return out;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
