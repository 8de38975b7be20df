// The 8×8 handwritten digits (UCI optical digits, as shipped by scikit-learn): 1797 images with pixel
// values 0..16 and labels 0..9, stored in examples/data/digits.json as flat arrays.
import { readFileSync } from 'node:fs';
import { digitsFromJson, type DigitsData, type DigitsFile } from './digits_model.js';

export type Digits = DigitsData;

let cached: Digits | null = null;

/** Loads examples/data/digits.json (once) as an NCHW float32 image tensor and int32 labels. */
export function loadDigits(): Digits {
  cached ??= digitsFromJson(JSON.parse(readFileSync(new URL('./data/digits.json', import.meta.url), 'utf8')) as DigitsFile);
  return cached;
}
