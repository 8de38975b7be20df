// The primitive table. Importing this module registers every primitive.
export * from './primitive.js';
export * from './value.js';
export * from './levels.js';
export * from './autograd_meta.js';
export * from './saved.js';
export * from './concrete.js';
export * as lax from './lax.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape_ops.js';
export * from './index_ops.js';
export * from './linalg.js';
export * from './conv.js';
export * from './random.js';
export * from './linalg_lu.js';
