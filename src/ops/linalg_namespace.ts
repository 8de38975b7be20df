// torch.linalg: every function of the namespace, re-exported from the files that hold them
// (`export * as linalg` in src/index.ts).
export { inv, det, slogdet, solve, type SolveOptions } from './linalg_core.js';
export {
  cholesky, choleskyEx, qr, eigh, eigvalsh, svd, svdvals,
  type CholeskyOptions, type CholeskyExOptions, type CholeskyExResult, type QrMode, type QrOptions, type QrResult,
  type EighOptions, type EighResult, type SvdOptions, type SvdResult,
} from './linalg_decomp.js';
export {
  solveTriangular, lu, luFactor, luFactorEx, luSolve, invEx, solveEx,
  type SolveTriangularOptions, type LuOptions, type LuResult, type LuFactorResult, type LuFactorExResult,
  type LuFactorExOptions, type LuSolveOptions, type InvExResult, type ExOptions, type SolveExResult, type SolveExOptions,
} from './linalg_solvers.js';
export { pinv, lstsq, type PinvOptions, type LstsqDriver, type LstsqOptions, type LstsqResult } from './linalg_lstsq.js';
export {
  vectorNorm, matrixNorm, norm, cond, matrixRank,
  type VectorNormOptions, type MatrixNormOptions, type MatrixOrd, type NormOptions, type MatrixRankOptions,
} from './linalg_norms.js';
export {
  matrixExp, matrixPower, multiDot, cross, vecdot, vander, diagonal, tensorinv, tensorsolve, householderProduct,
  type DimOption, type VanderOptions, type DiagonalOptions, type TensorinvOptions, type TensorsolveOptions,
} from './linalg_misc.js';
export { matmul } from './linalg.js';
export { LinAlgError } from '../core/linalg_errors.js';
