// Backends by name, and the one new tensors on device 'cpu' are made with. Dispatch of a kernel
// follows its inputs' storage (primitives/concrete.ts); this default only places new tensors.
import type { Backend } from './backend.js';
import { jsBackend } from './cpu/index.js';
import { wasmBackend } from './wasm/index.js';
import { simdAvailable } from './wasm/memory.js';

export type { Backend, Device, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeom, FusedProgram, FusedStep, FusedInput, FusedLiteral, FusedUnary, FusedBinary, FusedWhere, FusedCast } from './backend.js';

const backends = new Map<string, Backend>([['js', jsBackend], ['wasm', wasmBackend]]);

/** TORCHFN_BACKEND=js|wasm picks the CPU backend (tests run the suite once per backend); wasm otherwise. */
function initial(): Backend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TORCHFN_BACKEND;
  if (env !== undefined && env !== '') {
    const b = backends.get(env);
    if (b === undefined) throw new Error(`TORCHFN_BACKEND: unknown backend '${env}' (known: ${[...backends.keys()].join(', ')})`);
    return b;
  }
  return simdAvailable ? wasmBackend : jsBackend;
}
let active: Backend = initial();

/** The backend new tensors on device 'cpu' are made with ('wasm' where WebAssembly SIMD runs, else 'js'). */
export function getBackend(): Backend {
  return active;
}

/** Adds (or replaces) a backend under its `name`, for setBackend to select. */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

export function backendNames(): string[] {
  return [...backends.keys()];
}

/**
 * Makes new CPU tensors on the backend registered as `name` (an Error for an unknown name); existing
 * tensors stay where they are. Also `torch.backends.use(name)`.
 * @example torch.setBackend('js')
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend(): unknown backend '${name}' (known: ${[...backends.keys()].join(', ')})`);
  active = b;
}
