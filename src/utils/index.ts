// torch.utils: activation checkpointing.
export { checkpoint, checkpointSequential, CheckpointError, type CheckpointOptions } from './checkpoint.js';
