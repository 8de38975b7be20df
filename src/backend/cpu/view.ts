// The reference backend's buffers are JS typed arrays.
import type { TypedArray } from '../../core/dtype.js';
import type { View as AnyView } from '../backend.js';

export type View = AnyView<TypedArray>;
