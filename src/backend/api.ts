// torch.backends: which backend computes on device 'cpu', the wasm backend's memory figures, and
// torch.setNumThreads / getNumThreads.
import { backendNames, getBackend, setBackend } from './index.js';
import { memoryStats, setMemoryBudget } from './wasm/buffers.js';
import { REFERENCE_KERNELS } from './wasm/index.js';
import { relaxedSimd } from './wasm/gemm.js';
import { threadInfo } from './wasm/threads.js';
export { getNumThreads, setNumThreads } from './wasm/threads.js';

/**
 * torch.backends: which backend computes on device 'cpu' and the wasm backend's settings.
 * @example
 * torch.backends.current();      // 'wasm' where WebAssembly SIMD runs, else 'js'
 * torch.backends.use('js');      // the plain TypeScript reference backend, for tests and debugging
 * torch.backends.wasm.memoryStats();
 */
export const backends = {
  /**
   * The backend new CPU tensors are made on: 'wasm' or 'js'. The TORCHFN_BACKEND environment variable
   * sets it at start-up.
   */
  current: (): string => getBackend().name,
  /**
   * Makes new CPU tensors on this backend; existing tensors stay where they are and are brought over
   * when mixed.
   */
  use: (name: 'wasm' | 'js'): void => setBackend(name),
  /** The names of the registered backends ('wasm', 'js', and any added with registerBackend). */
  available: (): string[] => backendNames(),
  /** The WebAssembly backend's memory figures and settings. */
  wasm: {
    /** Its memory figures: resident buffers, bytes used, the budget, collections and evictions. */
    memoryStats,
    /**
     * Fixes the bytes of wasm memory that buffers may occupy before garbage is collected and,
     * failing that, buffers move to host memory (default: 256 MiB, doubling up to 1 GiB as needed).
     */
    setMemoryBudget,
    /**
     * Kernels, or cases of one, that run the reference implementation on the wasm backend's memory, and
     * why.
     */
    referenceKernels: REFERENCE_KERNELS,
    /** Whether fused multiply-add (relaxed SIMD) is used by the GEMM. */
    relaxedSimd,
    /**
     * The worker-thread pool: threads requested (setNumThreads), running now (workers start on the first
     * large job, or with an explicit start), whether memory is shared (a cross-origin-isolated page in a
     * browser), and the error if a worker failed to start (the library then runs on the calling thread).
     */
    threads: threadInfo,
  },
};
