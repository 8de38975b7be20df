// JS tasks the thread pool can run (module id 0): kernels whose driver is JavaScript around generated
// micro-kernels, as the GEMM's blocking loops. A worker imports this file with the shared memory
// injected, so the GEMM it runs works on the caller's memory. Arguments are numbers only.
import { gemm } from './gemm.js';

/** gemm(dtype 0 = float32 / 1 = float64, m, n, k, A ptr/batch/row/col strides, B likewise, C, b0, b1, r0, r1, scratch, c0, c1). */
function gemmTask(...a: number[]): void {
  gemm(
    a[0] === 1 ? 'float64' : 'float32', a[1]!, a[2]!, a[3]!,
    { ptr: a[4]!, batchStride: a[5]!, rowStride: a[6]!, colStride: a[7]! },
    { ptr: a[8]!, batchStride: a[9]!, rowStride: a[10]!, colStride: a[11]! },
    a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, a[18]!, a[19]!,
  );
}

export const JS_TASK_NAMES = ['gemm'] as const;
export const JS_TASKS: readonly ((...a: number[]) => void)[] = [gemmTask];
