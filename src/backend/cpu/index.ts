// The plain-TypeScript backend ('js' on device 'cpu'): the reference every other backend is tested
// against. Its buffers are JS typed arrays, which the garbage collector owns, so `free` has nothing to do.
import type { TypedArray } from '../../core/dtype.js';
import type { Backend } from '../backend.js';
import { unfold, fold } from './conv.js';
import { copy, copyInto, fromArray, full } from './copy.js';
import { binary, unary, where } from './elementwise.js';
import { concat, gather, indexSelect, pad, scatter } from './index_ops.js';
import { linalgSolve, slogdet } from './linalg.js';
import { cholesky, triangularSolve } from './linalg_chol.js';
import { eigh } from './linalg_eig.js';
import { matrixExp } from './linalg_expm.js';
import { luFactor, luPermutation } from './linalg_lu_factor.js';
import { qr } from './linalg_qr.js';
import { pinv, svd } from './linalg_svd.js';
import { matmul } from './matmul.js';
import { argReduce, cumsum, reduce } from './reduce.js';
import { argsort } from './sort.js';
import { applyEpilogue, fused, fusedInto, fusedReduce } from './fused.js';

export const jsBackend: Backend<TypedArray> = {
  name: 'js',
  device: 'cpu',
  full,
  fromArray,
  read: (x) => copy(x, x.dtype),
  free: () => {},
  unary,
  binary,
  where,
  reduce,
  fusedReduce,
  argReduce,
  cumsum,
  argsort,
  matmul: (a, b, outShape, outDtype, epilogue) => applyEpilogue(matmul(a, b, outShape, outDtype), outDtype, epilogue?.shape ?? outShape, epilogue),
  copy,
  copyInto,
  gather,
  scatter,
  indexSelect,
  concat,
  pad,
  unfold,
  fold,
  linalgSolve,
  slogdet,
  cholesky,
  triangularSolve,
  qr,
  eigh,
  svd,
  pinv,
  luFactor,
  luPermutation,
  matrixExp,
  fused,
  fusedInto,
};
