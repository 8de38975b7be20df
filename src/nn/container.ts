// Containers (torch/nn/modules/container.py): Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict.
// registered under '0', '1', ... (or the given names), so stateDict keys match PyTorch's.
import { IndexError, TorchfnError, ValueError } from '../core/errors.js';
import { isPlainObject } from '../core/pytree.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Parameter, isParameter } from './parameter.js';
import { addIndent } from './repr.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

function normIndex(cls: string, idx: number, n: number): number {
  if (!Number.isInteger(idx) || idx < -n || idx >= n) throw new IndexError(`${cls}: index ${idx} is out of range (length ${n})`);
  return idx < 0 ? idx + n : idx;
}

function entriesOf(cls: string, x: unknown): [string, Module][] {
  const list: [string, unknown][] = x instanceof Map ? [...x] : isPlainObject(x) ? Object.entries(x) : [...(x as Iterable<[string, unknown]>)];
  for (const [k, m] of list) {
    if (!(m instanceof Module)) throw new ValueError(`${cls}: value for key '${k}' is not a Module (got ${typeof m})`);
  }
  return list as [string, Module][];
}

/** Re-registers `mods` under '0', '1', ... (after an insertion or a removal). */
function renumber(owner: Module, mods: Module[]): void {
  for (const k of [...owner._modules.keys()]) delete (owner as unknown as Record<string, unknown>)[k];
  mods.forEach((m, i) => owner.registerModule(String(i), m));
}

/**
 * Modules run in order, each one's output feeding the next (through `call`, so their hooks run).
 * Give modules as arguments (named '0', '1', ...) or one Map / plain object of named modules.
 * @example
 * const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.Flatten(), new
 * nn.Linear(144, 10));
 * Object.keys(model.stateDict()) // ['0.weight', '0.bias', '3.weight', '3.bias']
 * model.get(0) // the Conv2d; also model[0]
 */
export class Sequential extends Module {
  static override readonly displayName: string = 'Sequential';
  /** The module at a position, by its name '0', '1', ... (as PyTorch's `seq[0]`). */
  [index: number]: Module;

  /** The modules in order (named '0', '1', ...), or one Map / plain object of named modules. */
  constructor(...modules: Module[] | [Map<string, Module> | Record<string, Module>]) {
    super();
    if (modules.length === 1 && !(modules[0] instanceof Module)) {
      for (const [k, m] of entriesOf('Sequential', modules[0])) this.registerModule(k, m);
    } else {
      (modules as Module[]).forEach((m, i) => {
        if (!(m instanceof Module)) throw new ValueError(`Sequential: argument ${i} is not a Module (got ${typeof m})`);
        this.registerModule(String(i), m);
      });
    }
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** The module at `idx` (negative counts from the end). @example seq.get(-1) */
  get(idx: number): Module {
    const i = normIndex('Sequential', idx, this._modules.size);
    return [...this._modules.values()][i]!;
  }

  /** A Sequential of modules start..end (names kept). @example seq.slice(0, 2) */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(new Map([...this._modules].slice(start, end) as [string, Module][]));
  }

  /** Appends a module (named by its position); returns this. @example seq.append(new nn.ReLU()) */
  append(module: Module): this {
    this.registerModule(String(this._modules.size), module);
    return this;
  }

  /**
   * Inserts a module at `index`, renumbering the ones after; returns this.
   * @example seq.insert(0, new nn.Flatten())
   */
  insert(index: number, module: Module): this {
    const mods = [...this._modules.values()] as Module[];
    const n = mods.length;
    if (!Number.isInteger(index) || index < -n || index > n) throw new IndexError(`Sequential.insert: index ${index} is out of range (length ${n})`);
    mods.splice(index < 0 ? index + n : index, 0, module);
    renumber(this, mods);
    return this;
  }

  /**
   * Appends every module of `modules`; returns this.
   * @example seq.extend([new nn.ReLU(), new nn.Linear(4, 2)])
   */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Removes and returns the module at `idx`, renumbering the rest. @example seq.pop(-1) */
  pop(idx = -1): Module {
    const mods = [...this._modules.values()] as Module[];
    const i = normIndex('Sequential', idx, mods.length);
    const [m] = mods.splice(i, 1);
    renumber(this, mods);
    return m!;
  }

  /** Iterates over the modules in order. */
  *[Symbol.iterator](): IterableIterator<Module> {
    for (const m of this._modules.values()) if (m) yield m;
  }

  /** Runs the modules in order (through `call`, so their hooks run), each on the previous one's output. */
  override forward(input: Tensor): Tensor {
    let x: Tensor = input;
    for (const m of this) x = m.call(x) as Tensor;
    return x;
  }
}

/**
 * A list of submodules, registered under '0', '1', ...; it has no forward of its own.
 * @example
 * this.layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 * for (const layer of this.layers) x = layer.call(x);
 */
export class ModuleList extends Module {
  static override readonly displayName: string = 'ModuleList';
  /** The module at a position, by its name '0', '1', ... (as PyTorch's `layers[0]`). */
  [index: number]: Module;

  /** The modules, registered as '0', '1', ... */
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** The module at `idx` (negative counts from the end). @example layers.get(0) */
  get(idx: number): Module {
    const i = normIndex('ModuleList', idx, this._modules.size);
    return this._modules.get(String(i))!;
  }

  /** Replaces the module at `idx`. @example layers.set(0, new nn.Identity()) */
  set(idx: number, module: Module): void {
    const i = normIndex('ModuleList', idx, this._modules.size);
    this.registerModule(String(i), module);
  }

  /** A ModuleList of modules start..end. @example layers.slice(1) */
  slice(start?: number, end?: number): ModuleList {
    return new ModuleList([...this].slice(start, end));
  }

  /** Appends a module; returns this. @example layers.append(new nn.Linear(4, 2)) */
  append(module: Module): this {
    if (!(module instanceof Module)) throw new ValueError(`ModuleList.append: expected a Module, got ${typeof module}`);
    this.registerModule(String(this._modules.size), module);
    return this;
  }

  /** Appends every module of `modules`; returns this. @example layers.extend(more) */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts a module before `index`. @example layers.insert(0, new nn.Flatten()) */
  insert(index: number, module: Module): void {
    const mods = [...this];
    const n = mods.length;
    const i = Math.max(0, Math.min(n, index < 0 ? index + n : index));
    mods.splice(i, 0, module);
    renumber(this, mods);
  }

  /** Removes and returns the module at `idx`. @example layers.pop() */
  pop(idx = -1): Module {
    const mods = [...this];
    const i = normIndex('ModuleList', idx, mods.length);
    const [m] = mods.splice(i, 1);
    renumber(this, mods);
    return m!;
  }

  /** Iterates over the modules in order. */
  *[Symbol.iterator](): IterableIterator<Module> {
    for (const m of this._modules.values()) if (m) yield m;
  }

  /** Always throws: a ModuleList is a container; iterate over it and call its modules. */
  override forward(..._args: unknown[]): never {
    throw new TorchfnError('ModuleList has no forward(): iterate over it and call its modules');
  }

  /** PyTorch's ModuleList repr, folding runs of identical modules into `(0-2): 3 x Linear(...)`. @internal */
  override _childLines(): string[] {
    const reprs = [...this].map((m) => m.toString());
    const lines: string[] = [];
    let start = 0;
    for (let i = 1; i <= reprs.length; i++) {
      if (i < reprs.length && reprs[i] === reprs[start]) continue;
      const b = reprs[start]!;
      const end = i - 1;
      lines.push(addIndent(start === end ? `(${start}): ${b}` : `(${start}-${end}): ${end - start + 1} x ${b}`, 2));
      start = i;
    }
    return lines;
  }
}

/**
 * Submodules by name; it has no forward of its own. Iterating yields the keys (as PyTorch).
 * @example
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 10), box: new nn.Linear(8, 4) });
 * heads.get('cls').call(x); Object.keys(heads.stateDict()) // ['cls.weight', 'cls.bias', 'box.weight',
 * 'box.bias']
 */
export class ModuleDict extends Module {
  static override readonly displayName: string = 'ModuleDict';
  /** The modules from a Map, a plain object or [key, module] pairs. */
  constructor(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]> = []) {
    super();
    this.update(modules);
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** The module under `key`. @example heads.get('cls') */
  get(key: string): Module {
    const m = this._modules.get(key);
    if (!m) throw new ValueError(`ModuleDict: no module under key '${key}'`);
    return m;
  }

  /** Registers `module` under `key`. @example heads.set('seg', new nn.Conv2d(8, 2, 1)) */
  set(key: string, module: Module): void {
    this.registerModule(key, module);
  }

  /** Whether a module is registered under `key`. @example heads.has('cls') */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Removes and returns the module under `key`. @example heads.pop('box') */
  pop(key: string): Module {
    const m = this.get(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }

  /** Removes every module. @example heads.clear() */
  clear(): void {
    for (const k of [...this._modules.keys()]) delete (this as unknown as Record<string, unknown>)[k];
  }

  /** The keys, in insertion order. @example [...heads.keys()] */
  keys(): string[] {
    return [...this._modules.keys()];
  }

  /** The modules, in insertion order. @example heads.values().length */
  values(): Module[] {
    return [...this._modules.values()].filter((m): m is Module => m !== null);
  }

  /** `[key, module]` pairs, in insertion order. @example for (const [k, m] of heads.items()) ... */
  items(): [string, Module][] {
    return [...this._modules].filter((e): e is [string, Module] => e[1] !== null);
  }

  /**
   * Adds or replaces modules from a Map, a plain object or [key, module] pairs.
   * @example heads.update({ aux: new nn.Linear(8, 1) })
   */
  update(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]>): void {
    for (const [k, m] of entriesOf('ModuleDict', modules)) this.registerModule(k, m);
  }

  /** Iterates over the keys (as iterating a PyTorch ModuleDict does). */
  *[Symbol.iterator](): IterableIterator<string> {
    yield* this._modules.keys();
  }

  /** Always throws: a ModuleDict is a container; call its modules by key. */
  override forward(..._args: unknown[]): never {
    throw new TorchfnError('ModuleDict has no forward(): call its modules by key');
  }
}

/**
 * Parameters in a list, registered as '0', '1', ... (PyTorch's ParameterList); tensors given to it
 * become Parameters.
 * @example
 * const ws = new nn.ParameterList([torch.randn([4, 4]), torch.randn([4])]);
 * Object.keys(model.stateDict()) // [..., 'ws.0', 'ws.1']
 */
export class ParameterList extends Module {
  static override readonly displayName: string = 'ParameterList';
  /** The parameters (tensors become Parameters), registered as '0', '1', ... */
  constructor(params: Iterable<Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }

  /** Number of parameters. */
  get length(): number {
    return this._parameters.size;
  }

  /** The parameter at `idx` (negative counts from the end). @example ws.get(-1) */
  get(idx: number): Tensor {
    const i = normIndex('ParameterList', idx, this._parameters.size);
    return this._parameters.get(String(i))!;
  }

  /**
   * Replaces the parameter at `idx` (a tensor becomes a Parameter).
   * @example ws.set(0, torch.zeros([4, 4]))
   */
  set(idx: number, param: Tensor): void {
    const i = normIndex('ParameterList', idx, this._parameters.size);
    this.registerParameter(String(i), asParameter('ParameterList', param));
  }

  /** Appends a parameter (a tensor becomes a Parameter); returns this. @example ws.append(torch.ones([4])) */
  append(param: Tensor): this {
    this.registerParameter(String(this._parameters.size), asParameter('ParameterList', param));
    return this;
  }

  /** Appends every tensor of `params`; returns this. */
  extend(params: Iterable<Tensor>): this {
    for (const p of params) this.append(p);
    return this;
  }

  /** Iterates over the parameters in order. */
  *[Symbol.iterator](): IterableIterator<Tensor> {
    for (const p of this._parameters.values()) if (p) yield p;
  }

  /** Always throws: a ParameterList is a container; index it and use its parameters. */
  override forward(..._args: unknown[]): never {
    throw new TorchfnError('ParameterList has no forward(): index it and use its parameters');
  }

  override extraRepr(): string {
    return [...this].map((p, i) => `(${i}): Parameter containing: [${p.dtype} of size ${p.shape.join('x')}]`).join('\n');
  }
}

/**
 * Parameters by name (PyTorch's ParameterDict).
 * @example const scales = new nn.ParameterDict({ scale: torch.ones([1]), shift: torch.zeros([1]) })
 */
export class ParameterDict extends Module {
  static override readonly displayName: string = 'ParameterDict';
  /** The parameters from a Map, a plain object or [key, tensor] pairs (tensors become Parameters). */
  constructor(params: Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]> = []) {
    super();
    this.update(params);
  }

  /** Number of parameters. */
  get length(): number {
    return this._parameters.size;
  }

  /** The parameter under `key`; an IndexError when there is none. @example scales.get('scale') */
  get(key: string): Tensor {
    const p = this._parameters.get(key);
    if (!p) throw new IndexError(`ParameterDict: no parameter named '${key}' (keys: ${[...this._parameters.keys()].join(', ')})`);
    return p;
  }

  /** Registers `param` (a tensor becomes a Parameter) under `key`. */
  set(key: string, param: Tensor): void {
    this.registerParameter(key, asParameter('ParameterDict', param));
  }

  /** Whether a parameter is registered under `key`. */
  has(key: string): boolean {
    return this._parameters.has(key);
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this._parameters.keys()];
  }

  /** The parameters, in insertion order. */
  values(): Tensor[] {
    return [...this._parameters.values()].filter((p): p is Tensor => p !== null);
  }

  /** `[key, parameter]` pairs, in insertion order. */
  items(): [string, Tensor][] {
    return this.keys().map((k) => [k, this._parameters.get(k)!]);
  }

  /** Adds or replaces parameters from a Map, a plain object or [key, tensor] pairs. */
  update(params: Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]>): void {
    const list: [string, Tensor][] = params instanceof Map ? [...params] : isPlainObject(params) ? Object.entries(params as Record<string, Tensor>) : [...(params as Iterable<[string, Tensor]>)];
    for (const [k, v] of list) this.set(k, v);
  }

  /** Always throws: a ParameterDict is a container; look its parameters up by name. */
  override forward(..._args: unknown[]): never {
    throw new TorchfnError('ParameterDict has no forward(): look its parameters up by name');
  }
}

function asParameter(cls: string, t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(`${cls}: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
  return isParameter(t) ? t : Parameter(t);
}
