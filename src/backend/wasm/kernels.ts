// The wasm backend's own kernels. Each takes the cases it has generated code for and passes the
// others to `ref` (the reference kernels on wasm memory); PARTIAL_KERNELS says which cases those are.
import type { Backend } from '../backend.js';
import type { WasmBuf } from './buffers.js';

export const PARTIAL_KERNELS: Readonly<Record<string, string>> = {};

export function nativeKernels(ref: Backend<WasmBuf>): Partial<Backend<WasmBuf>> {
  void ref;
  return {};
}
