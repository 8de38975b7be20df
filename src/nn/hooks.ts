// Module hook types, the hook dictionaries (ordered Maps keyed by RemovableHandle id, as PyTorch's
// OrderedDicts), and the global hooks that fire for every module before its own hooks
// (torch.nn.modules.module.register_module_*_hook).
import { checkOptions } from '../core/options.js';
import { ValueError } from '../core/errors.js';
import { RemovableHandle } from '../core/handle.js';
import type { Tensor } from '../tensor.js';
import type { Module } from './module.js';
import type { ModuleArgs, ModuleOutput } from '../func/functional_call.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Keyword arguments of a call: the trailing plain-object argument of `module.call(...)`. */
export type Kwargs = Record<string, any>;

/**
 * The positional arguments that hooks of a module of type M see: its `forward`'s parameters, or
 * `unknown[]` where M's forward is not typed (the base `Module`, as for global hooks).
 * @typeParam M - the module's type.
 */
export type HookArgs<M> = 0 extends 1 & ModuleArgs<M>[number] ? unknown[] : ModuleArgs<M>;
/**
 * The output that forward hooks of a module of type M see: its `forward`'s return type (what
 * `module.call` returns), or `unknown` where M's forward is not typed (the base `Module`, as for
 * global hooks).
 * @typeParam M - the module's type.
 */
export type HookOutput<M> = 0 extends 1 & ModuleOutput<M> ? unknown : ModuleOutput<M>;

// The hook types below are method signatures (`{ hook(...): R }['hook']`), whose parameters are
// checked bivariantly: an unannotated hook parameter gets the precise type (unknown where the
// module's forward is untyped), and a hook on a plain `Module` may still annotate it (`out: Tensor`).

/** `(module, args) => newArgs | undefined`; a non-array return value becomes `[value]`. */
export type ForwardPreHook<M extends Module = Module> = {
  /** Sees the module and its positional arguments; returns replacement arguments, or nothing. */
  hook(module: M, args: HookArgs<M>): HookArgs<M> | HookArgs<M>[number] | undefined | null | void;
}['hook'];
/** `(module, args, kwargs) => [newArgs, newKwargs] | undefined` (registered with `withKwargs: true`). */
export type ForwardPreHookWithKwargs<M extends Module = Module> = {
  /** Sees the module, its positional and keyword arguments; returns replacements for both, or nothing. */
  hook(module: M, args: HookArgs<M>, kwargs: Kwargs): [HookArgs<M>, Kwargs] | undefined | null | void;
}['hook'];
/**
 * `(module, args, output) => newOutput | undefined`; `output` has the type of the module's
 * forward, {@link HookOutput} (`Out` adds undefined for hooks registered with `alwaysCall`, which
 * also run, with no output, after forward threw).
 */
export type ForwardHook<M extends Module = Module, Out = HookOutput<M>> = {
  /** Sees the module, its positional arguments and forward's output; returns a replacement output, or nothing. */
  hook(module: M, args: HookArgs<M>, output: Out): HookOutput<M> | undefined | null | void;
}['hook'];
/** `(module, args, kwargs, output) => newOutput | undefined` (registered with `withKwargs: true`). */
export type ForwardHookWithKwargs<M extends Module = Module, Out = HookOutput<M>> = {
  /** Sees the module, its positional and keyword arguments and forward's output; returns a replacement output, or nothing. */
  hook(module: M, args: HookArgs<M>, kwargs: Kwargs, output: Out): HookOutput<M> | undefined | null | void;
}['hook'];
/** `(module, gradOutput) => newGradOutput | undefined`. */
export type BackwardPreHook<M extends Module = Module> = (module: M, gradOutput: (Tensor | null)[]) => (Tensor | null)[] | undefined | null | void;
/** `(module, gradInput, gradOutput) => newGradInput | undefined`; gradInput has one slot per positional argument. */
export type BackwardHook<M extends Module = Module> = (
  module: M,
  gradInput: (Tensor | null)[],
  gradOutput: (Tensor | null)[],
) => (Tensor | null)[] | undefined | null | void;

export type AnyHook = (...a: any[]) => any;
export type HookMap = Map<number, AnyHook>;

/**
 * Adds `hook` to `map` (first when `prepend`), marks its id in each of `flags`, and returns the
 * handle that removes it from all of them. Removal drops every reference to the hook.
 */
export function addHook(map: HookMap, hook: AnyHook, prepend: boolean, flags: Set<number>[] = []): RemovableHandle {
  if (typeof hook !== 'function') throw new ValueError(`register hook: hook must be a function, got ${hook === null ? 'null' : typeof hook}`);
  const h: RemovableHandle = new RemovableHandle(() => {
    map.delete(h.id);
    for (const s of flags) s.delete(h.id);
  });
  if (prepend) {
    const rest = [...map];
    map.clear();
    map.set(h.id, hook);
    for (const [k, v] of rest) map.set(k, v);
  } else {
    map.set(h.id, hook);
  }
  for (const s of flags) s.add(h.id);
  return h;
}

/** The hooks every module runs before its own (PyTorch's _global_*_hooks). */
export const globalHooks = {
  forwardPre: new Map() as HookMap,
  forward: new Map() as HookMap,
  forwardWithKwargs: new Set<number>(),
  forwardAlwaysCalled: new Set<number>(),
  backwardPre: new Map() as HookMap,
  backward: new Map() as HookMap,
};

export function anyGlobalHooks(): boolean {
  const g = globalHooks;
  return g.forwardPre.size > 0 || g.forward.size > 0 || g.backwardPre.size > 0 || g.backward.size > 0;
}

/**
 * A forward pre-hook run by every module, before the module's own pre-hooks.
 * @example
 * using h = nn.modules.registerModuleForwardPreHook((m, args) => { console.log(m.constructor.name); });
 */
export function registerModuleForwardPreHook(hook: ForwardPreHook): RemovableHandle {
  return addHook(globalHooks.forwardPre, hook, false);
}

/**
 * A forward hook run by every module, before the module's own forward hooks.
 * @example
 * const h = nn.modules.registerModuleForwardHook((m, args, out) => out.mul(2)); ... h.remove();
 */
export function registerModuleForwardHook(hook: ForwardHook, opts?: { withKwargs?: false; alwaysCall?: boolean }): RemovableHandle;
export function registerModuleForwardHook(hook: ForwardHookWithKwargs, opts: { withKwargs: true; alwaysCall?: boolean }): RemovableHandle;
export function registerModuleForwardHook(hook: AnyHook, opts: { withKwargs?: boolean; alwaysCall?: boolean } = {}): RemovableHandle {
  checkOptions('registerModuleForwardHook()', opts, ['withKwargs', 'alwaysCall']);
  const flags: Set<number>[] = [];
  if (opts.withKwargs) flags.push(globalHooks.forwardWithKwargs);
  if (opts.alwaysCall) flags.push(globalHooks.forwardAlwaysCalled);
  return addHook(globalHooks.forward, hook, false, flags);
}

/**
 * A full backward pre-hook run for every module (before the module's own), on its gradOutput.
 * @example
 * const h = nn.modules.registerModuleFullBackwardPreHook((m, gout) => gout.map((g) => g && g.clamp(-1, 1)));
 */
export function registerModuleFullBackwardPreHook(hook: BackwardPreHook): RemovableHandle {
  return addHook(globalHooks.backwardPre, hook, false);
}

/**
 * A full backward hook run for every module (before the module's own), with gradInput and gradOutput.
 * @example
 * const h = nn.modules.registerModuleFullBackwardHook((m, gin, gout) => { seen.push(m); });
 */
export function registerModuleFullBackwardHook(hook: BackwardHook): RemovableHandle {
  return addHook(globalHooks.backward, hook, false);
}

const warned = new Set<string>();
/** A UserWarning, printed once per message (Python's default warning filter). */
export function warn(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  const proc = (globalThis as { process?: { emitWarning?: (m: string, t?: string) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(message, 'UserWarning');
  else console.warn(`UserWarning: ${message}`);
}
