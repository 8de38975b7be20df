// Messages between the page (app.ts) and the training worker (train_worker.ts).

export type ToWorker =
  | { type: 'train'; steps: number; batch: number; lr: number; seed: number }
  | { type: 'cam'; index: number };

export interface MemoryStats {
  residentBuffers: number;
  usedBytes: number;
  memoryBytes: number;
  budget: number;
  collections: number;
  evictions: number;
  evictedBytes: number;
}

export type FromWorker =
  | { type: 'ready'; backend: string; threads: number; nTrain: number; nTest: number; testLabels: Int32Array; steps: number }
  | { type: 'loss'; step: number; loss: number; ms: number }
  | { type: 'done'; steps: number; seconds: number; trainAcc: number; testAcc: number; memory: MemoryStats }
  | { type: 'cam'; index: number; label: number; pred: number; probs: Float32Array; image: Float32Array; cam: Float32Array }
  | { type: 'error'; message: string; stack: string };
