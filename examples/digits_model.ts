// The digits CNN and everything around it that runs anywhere (Node or a browser bundle: no file
// access here): parsing digits.json, the seeded 80/20 split, the model, accuracy, and the bilinear
// upsampling Grad-CAM uses. The Node sections load the file in ./digits.ts; the web example fetches it.
import * as torch from '../src/index.js';
import { nn } from '../src/index.js';
import type { Tensor } from '../src/index.js';

/** examples/data/digits.json: 8×8 digits (UCI optical digits), pixel values 0..16, flat arrays. */
export interface DigitsFile {
  what: string;
  n: number;
  shape: [number, number];
  images: number[];
  labels: number[];
}

export interface DigitsData {
  /** [n, 1, 8, 8] float32, scaled to [0, 1]. */
  images: Tensor;
  /** [n] int32, 0..9. */
  labels: Tensor;
  n: number;
}

/** The parsed file as an NCHW float32 image tensor and int32 labels. */
export function digitsFromJson(raw: DigitsFile): DigitsData {
  const [h, w] = raw.shape;
  if (raw.images.length !== raw.n * h * w || raw.labels.length !== raw.n) {
    throw new Error(`digits.json: expected ${raw.n} images of ${h}×${w} and ${raw.n} labels`);
  }
  const images = torch.tensor(Float32Array.from(raw.images, (v) => v / 16), { shape: [raw.n, 1, h, w] });
  const labels = torch.tensor(Int32Array.from(raw.labels));
  return { images, labels, n: raw.n };
}

export interface Digits {
  /** [N, 1, 8, 8] float32, pixel values scaled to [0, 1]. */
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  /** [N] int32 class labels 0..9. */
  yTest: Tensor;
}

/** A deterministic PRNG (mulberry32), for the train/test split and minibatch order. */
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

/** The 80/20 train/test split with a fixed seed (1234), the same everywhere. */
export function splitDigits({ images, labels, n }: DigitsData): Digits {
  const order = shuffled(n, mulberry32(1234));
  const nTrain = Math.round(n * 0.8);
  const take = (ids: Int32Array) => {
    const idx = torch.tensor(ids);
    return [images.indexSelect(0, idx), labels.indexSelect(0, idx)] as const;
  };
  const [xTrain, yTrain] = take(order.slice(0, nTrain));
  const [xTest, yTest] = take(order.slice(nTrain));
  return { xTrain, yTrain, xTest, yTest };
}

/** The CNN's layers, by name (a Sequential built from a Map keeps the names, as PyTorch's OrderedDict). */
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

/**
 * conv1 (1→16, 3×3) → ReLU → 2×2 max-pool → conv2 (16→32, 3×3) → ReLU → global average pool →
 * flatten → Linear(32, 10) logits. The global average pool makes Grad-CAM's channel weights the
 * classifier's own (Grad-CAM reduces to CAM, Zhou et al. 2016).
 */
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

/** Fraction of rows of `x` the model classifies as `y` (no autograd, no hooks). */
export async function accuracy(model: nn.Module, x: Tensor, y: Tensor): Promise<number> {
  const pred = torch.noGrad(() => (model.forward(x) as Tensor).argmax(1));
  return pred.eq(y).float().mean().itemAsync();
}

/**
 * Bilinear upsampling of maps [..., h, w] to [..., H, W] with PyTorch's `align_corners=False`
 * (torch.interpolate on the maps as one-channel images).
 */
export function upsampleBilinear(maps: Tensor, H: number, W: number): Tensor {
  const lead = maps.shape.slice(0, -2);
  const [h, w] = maps.shape.slice(-2) as [number, number];
  const images = maps.reshape([-1, 1, h, w]);
  return torch.interpolate(images, { size: [H, W], mode: 'bilinear' }).reshape([...lead, H, W]);
}
