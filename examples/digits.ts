// The 8×8 handwritten digits (UCI optical digits, as shipped by scikit-learn): 1797 images with pixel
// values 0..16 and labels 0..9, stored in examples/data/digits.json as flat arrays.
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

interface DigitsFile {
  what: string;
  n: number;
  shape: [number, number];
  images: number[];
  labels: number[];
}

export interface Digits {
  /** [n, 1, 8, 8] float32, scaled to [0, 1]. */
  images: Tensor;
  /** [n] int32, 0..9. */
  labels: Tensor;
  n: number;
}

let cached: Digits | null = null;

/** Loads examples/data/digits.json (once) as an NCHW float32 image tensor and int32 labels. */
export function loadDigits(): Digits {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(new URL('./data/digits.json', import.meta.url), 'utf8')) as DigitsFile;
  const [h, w] = raw.shape;
  if (raw.images.length !== raw.n * h * w || raw.labels.length !== raw.n) {
    throw new Error(`digits.json: expected ${raw.n} images of ${h}×${w} and ${raw.n} labels`);
  }
  const images = torch.tensor(Float32Array.from(raw.images, (v) => v / 16), { shape: [raw.n, 1, h, w] });
  const labels = torch.tensor(Int32Array.from(raw.labels));
  cached = { images, labels, n: raw.n };
  return cached;
}
