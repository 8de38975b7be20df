// A watcher of Module.call (the profiler's module spans). `callObserver` is null unless a profiler
// runs, so Module.call pays one null check.
import type { Module } from './module.js';

/** Runs `run` (the module's call) inside whatever span the observer opens for `module`. */
export type CallObserver = (module: Module, run: () => unknown) => unknown;

/** The installed observer, or null (read it through this live binding). */
export let callObserver: CallObserver | null = null;

/** Installs (or removes, with null) the module-call observer; returns the previous one. */
export function setCallObserver(o: CallObserver | null): CallObserver | null {
  const prev = callObserver;
  callObserver = o;
  return prev;
}
