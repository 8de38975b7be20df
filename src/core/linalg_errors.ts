// The linear-algebra error (PyTorch's torch.linalg.LinAlgError): a matrix that cannot be factored or
// inverted. Kernels throw it with the LAPACK-style `info` (1-based index of the first zero pivot) and
// the flat batch element; the primitives rethrow it with the calling function's PyTorch wording.
import { TorchfnError } from './errors.js';

/**
 * A matrix the linear-algebra functions cannot handle: singular in `torch.linalg.inv`,
 * `torch.linalg.solve` or `torch.linalg.luFactor`, not positive-definite in `torch.linalg.cholesky`
 * (PyTorch's `torch.linalg.LinAlgError`).
 * @example
 * try { torch.linalg.inv(torch.zeros([2, 2])); } catch (e) { if (e instanceof torch.LinAlgError) console.log(e.info); }
 */
export class LinAlgError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'LinAlgError';
  /**
   * LAPACK's `info`: the 1-based index of the diagonal element of U that is exactly zero, or for
   * cholesky the order of the leading minor that is not positive-definite; 0 when unknown.
   */
  readonly info: number;
  /** Flat index of the failing matrix in the batch; -1 for an unbatched input. */
  readonly batchIndex: number;

  /**
   * @param message the error text.
   * @param info LAPACK's `info`: the 1-based index of the zero diagonal element of U.
   * @param batchIndex flat index of the failing matrix in the batch (-1 when unbatched).
   */
  constructor(message: string, info = 0, batchIndex = -1) {
    super(message);
    this.info = info;
    this.batchIndex = batchIndex;
  }
}
