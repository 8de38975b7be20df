// The web example's model, data split and Grad-CAM: the same CNN, split and Grad-CAM as the Node
// examples (../digits_cnn.ts, ../grad_cam.ts), written again here because those modules read the data
// with node:fs and so cannot go into a browser bundle. Nothing here touches the DOM or Node: the
// training worker (train_worker.ts) runs it.
import * as torch from '../../src/index.js';
import { nn } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

/** examples/data/digits.json: 8×8 digits, pixel values 0..16, flat arrays. */
export interface DigitsFile {
  what: string;
  n: number;
  shape: [number, number];
  images: number[];
  labels: number[];
}

export interface Split {
  /** [N, 1, 8, 8] float32 in [0, 1]. */
  xTrain: Tensor;
  /** [N] int32 labels 0..9. */
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

/** A deterministic PRNG (mulberry32), as ../digits_cnn.ts. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher–Yates shuffle of 0..n-1. */
export function shuffled(n: number, rand: () => number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

/** The 80/20 train/test split of ../digits_cnn.ts (seed 1234), so the test digits are the same. */
export function splitDigits(raw: DigitsFile): Split {
  const [h, w] = raw.shape;
  if (raw.images.length !== raw.n * h * w || raw.labels.length !== raw.n) {
    throw new Error(`digits.json: expected ${raw.n} images of ${h}×${w} and ${raw.n} labels`);
  }
  const images = torch.tensor(Float32Array.from(raw.images, (v) => v / 16), { shape: [raw.n, 1, h, w] });
  const labels = torch.tensor(Int32Array.from(raw.labels));
  const order = shuffled(raw.n, mulberry32(1234));
  const nTrain = Math.round(raw.n * 0.8);
  const take = (ids: Int32Array) => {
    const idx = torch.tensor(ids);
    return [images.indexSelect(0, idx), labels.indexSelect(0, idx)] as const;
  };
  const [xTrain, yTrain] = take(order.slice(0, nTrain));
  const [xTest, yTest] = take(order.slice(nTrain));
  return { xTrain, yTrain, xTest, yTest };
}

/** The CNN's layers, by name. */
export type DigitsCNN = nn.Sequential & {
  conv1: nn.Conv2d;
  relu1: nn.ReLU;
  pool: nn.MaxPool2d;
  conv2: nn.Conv2d;
  relu2: nn.ReLU;
  gap: nn.AdaptiveAvgPool2d;
  flatten: nn.Flatten;
  fc: nn.Linear;
};

/** conv 1→16 3×3, ReLU, 2×2 max-pool, conv 16→32 3×3, ReLU, global average pool, Linear(32, 10): ../digits_cnn.ts's model. */
export function makeDigitsCNN(): DigitsCNN {
  return new nn.Sequential(
    new Map<string, nn.Module>([
      ['conv1', new nn.Conv2d(1, 16, 3, { padding: 1 })],
      ['relu1', new nn.ReLU()],
      ['pool', new nn.MaxPool2d(2)],
      ['conv2', new nn.Conv2d(16, 32, 3, { padding: 1 })],
      ['relu2', new nn.ReLU()],
      ['gap', new nn.AdaptiveAvgPool2d(1)],
      ['flatten', new nn.Flatten()],
      ['fc', new nn.Linear(32, 10)],
    ]),
  ) as DigitsCNN;
}

/** Fraction of rows of `x` classified as `y` (no autograd, no hooks). */
export function accuracy(model: nn.Module, x: Tensor, y: Tensor): number {
  return torch.noGrad(() => (model.forward(x) as Tensor).argmax(1).eq(y).float().mean().item());
}

/** The [out, in] matrix of 1-D linear interpolation with align_corners=False (as ../grad_cam.ts). */
function interpMatrix(outSize: number, inSize: number): Tensor {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const src = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const f = src - i0;
    m[i * inSize + i0]! += 1 - f;
    m[i * inSize + i1]! += f;
  }
  return torch.tensor(m, { shape: [outSize, inSize] });
}

export interface GradCam {
  /** The predicted class and the softmax probabilities of all ten. */
  pred: number;
  probs: Float32Array;
  /** The Grad-CAM of the predicted class, 8×8 (upsampled bilinearly from relu2's 4×4), ≥ 0. */
  cam: Float32Array;
}

/**
 * Grad-CAM (Selvaraju et al., 2017) of one image [1, 1, 8, 8]: a forward hook on relu2 keeps its
 * output A, a full backward hook keeps ∂score/∂A for the predicted class's score; then
 * cam = relu(Σ_k mean_hw(∂score/∂A_k) · A_k), upsampled to 8×8.
 */
export function gradCam(model: DigitsCNN, x: Tensor): GradCam {
  let acts: Tensor | undefined;
  let grads: Tensor | undefined;
  const hf = model.relu2.registerForwardHook((_m, _args, out: Tensor) => {
    acts = out;
  });
  const hb = model.relu2.registerFullBackwardHook((_m, _gradInput, gradOutput) => {
    grads = gradOutput[0]!;
  });
  try {
    const logits = model.call(x);
    const pred = logits.argmax(1).item();
    logits.select(1, pred).sum().backward();
    if (!acts || !grads) throw new Error('Grad-CAM: the hooks on relu2 did not fire');
    const A = acts.detach();
    const G = grads;
    return torch.noGrad(() => {
      const cam4 = G.mean([2, 3], true).mul(A).sum(1).relu().select(0, 0); // [4, 4]
      const cam = interpMatrix(8, 4).matmul(cam4).matmul(interpMatrix(8, 4).t());
      return {
        pred,
        probs: logits.detach().softmax(1).select(0, 0).toArray() as Float32Array,
        cam: cam.contiguous().toArray() as Float32Array,
      };
    });
  } finally {
    hf.remove();
    hb.remove();
    for (const p of model.parameters()) p.grad = null;
  }
}
