// The plain-TypeScript CPU backend: assembles the kernel families into a `Backend`.
import type { Backend } from '../backend.js';
import { unfold, fold } from './conv.js';
import { alloc, copy, copyInto, fromArray } from './copy.js';
import { binary, unary, where } from './elementwise.js';
import { concat, gather, indexSelect, pad, scatter } from './index_ops.js';
import { matmul } from './matmul.js';
import { argReduce, cumsum, reduce } from './reduce.js';
import { argsort } from './sort.js';

export const cpuBackend: Backend = {
  name: 'cpu',
  alloc,
  fromArray,
  unary,
  binary,
  where,
  reduce,
  argReduce,
  cumsum,
  argsort,
  matmul,
  copy,
  copyInto,
  gather,
  scatter,
  indexSelect,
  concat,
  pad,
  unfold,
  fold,
};
