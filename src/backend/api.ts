// torch.backends: which backend computes on device 'cpu', the wasm backend's memory figures, and
// torch.setNumThreads / getNumThreads.
import { ValueError } from '../core/errors.js';
import { backendNames, getBackend, setBackend } from './index.js';
import { memoryStats, setMemoryBudget } from './wasm/buffers.js';
import { REFERENCE_KERNELS } from './wasm/index.js';
import { relaxedSimd } from './wasm/gemm.js';
import { getNumThreads as threads, setNumThreads as setThreads } from './wasm/threads.js';

/**
 * @example
 * torch.backends.current();      // 'wasm' where WebAssembly SIMD runs, else 'js'
 * torch.backends.use('js');      // the plain TypeScript reference backend, for tests and debugging
 * torch.backends.wasm.memoryStats();
 */
export const backends = {
  /** The backend new CPU tensors are made on: 'wasm' or 'js'. The TORCHFN_BACKEND environment variable sets it at start-up. */
  current: (): string => getBackend().name,
  /** Makes new CPU tensors on this backend; existing tensors stay where they are and are brought over when mixed. */
  use: (name: 'wasm' | 'js'): void => setBackend(name),
  available: (): string[] => backendNames(),
  wasm: {
    memoryStats,
    setMemoryBudget,
    /** Kernels, or cases of one, that run the reference implementation on the wasm backend's memory, and why. */
    referenceKernels: REFERENCE_KERNELS,
    /** Whether fused multiply-add (relaxed SIMD) is used by the GEMM. */
    relaxedSimd,
  },
};

/**
 * Threads the wasm backend's large kernels (GEMM, big elementwise ops) split over, the calling thread
 * included, as torch.set_num_threads. Default: the cores available; 1 where memory cannot be shared (a
 * browser page that is not cross-origin isolated).
 * @example torch.setNumThreads(1)
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads(): expected a positive integer, got ${n}`);
  setThreads(n);
}

/** @example torch.getNumThreads() // 2 on a 2-core machine */
export function getNumThreads(): number {
  return threads();
}
