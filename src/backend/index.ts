// The active backend. Kernels are reached only through it, so adding a backend never edits primitives.
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';

export type { Backend, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeom } from './backend.js';

const backends = new Map<string, Backend>([['cpu', cpuBackend]]);
let active: Backend = cpuBackend;

export function getBackend(): Backend {
  return active;
}

export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend(): unknown backend '${name}' (known: ${[...backends.keys()].join(', ')})`);
  active = b;
}
