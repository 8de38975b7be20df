export * from './dtype.js';
export * from './errors.js';
export * from './pytree.js';
export * from './shape.js';
export * from './handle.js';
