// Counter-based random numbers: a value is a hash of (seed, counter), so any draw can be reproduced or
// widened (vmap with randomness 'different' draws [B, ...shape] at once) without a sequential state.
import { ValueError } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { arrayFor } from '../core/dtype.js';
import { numel } from '../core/shape.js';
import type { Device } from '../backend/backend.js';
import { runKernel } from './concrete.js';
import { definePrimitive, NO_DERIVATIVE, type Primitive } from './primitive.js';

export interface RandomParams {
  kind: 'uniform' | 'normal' | 'randint';
  shape: number[];
  dtype: DType;
  low: number;
  high: number;
  seed: number;
  /** First counter of this draw, reserved when the op is called. */
  offset: number;
  /** Where the draw is written ('cpu' when absent); values are generated on the host either way. */
  device?: Device;
}

let seed = 0x2545f491;
let counter = 0;

/**
 * Seeds the generator behind every random op (rand, randn, dropout, nn.init...), as
 * torch.manual_seed: the same seed reproduces the same draws.
 * @example torch.manualSeed(0); const a = torch.randn([3]);
 */
export function manualSeed(s: number): void {
  if (!Number.isSafeInteger(s)) throw new ValueError(`manualSeed(): seed must be an integer between -(2**53 - 1) and 2**53 - 1, got ${String(s)}`);
  // The generator keeps 32 bits; the high half is folded in so 0 and 2**32 give different streams.
  const hi = Math.floor(s / 2 ** 32);
  seed = ((s >>> 0) ^ 0x2545f491 ^ (hi === 0 ? 0 : hash(hi >>> 0, 0x6a09e667))) >>> 0;
  counter = 0;
}

/** Reserves n counters and returns the seed and first counter to use. */
export function reserve(n: number): { seed: number; offset: number } {
  const offset = counter;
  counter += n;
  return { seed, offset };
}

function hash(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ b, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in (0, 1) with 53 random bits, never exactly 0. */
function uniform53(s: number, i: number, stream: number): number {
  const lo = i >>> 0;
  const hi = Math.floor(i / 4294967296);
  const a = hash(s ^ stream, lo) ^ hi;
  const b = hash(a, lo ^ 0x68e31da4);
  return ((a >>> 5) * 67108864 + (b >>> 6) + 0.5) / 9007199254740992;
}

export function generate(p: RandomParams): ArrayLike<number> {
  const n = numel(p.shape);
  const out = arrayFor(p.dtype, n);
  for (let j = 0; j < n; j++) {
    const i = p.offset + j;
    const u = uniform53(p.seed, i, 0x1b873593);
    if (p.kind === 'uniform') out[j] = p.low + (p.high - p.low) * u;
    else if (p.kind === 'randint') out[j] = p.low + Math.floor(u * (p.high - p.low));
    else {
      const v = uniform53(p.seed, i, 0x7feb352d);
      out[j] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
  }
  return out;
}

export const randomP: Primitive<RandomParams> = definePrimitive<RandomParams>({
  name: 'random',
  random: true,
  ...NO_DERIVATIVE,
  abstract: (_x, p) => ({ shape: p.shape, dtype: p.dtype }),
  impl: (_x, p, av) => runKernel([], av, (be, []) => be.fromArray(p.dtype, generate(p)), p.device ?? 'cpu'),
  batch: () => {
    throw new Error('random: batched through the level, not a rule');
  },
});

/** The generator's state (seed and counter), for torch.getRngState / checkpoint's preserveRngState. */
export interface RngState {
  /** The 32-bit key manualSeed set. */
  seed: number;
  /** How many random values have been drawn since. */
  counter: number;
}

/**
 * The state of the generator behind every random op (torch.get_rng_state): restoring it with
 * setRngState replays the same draws.
 * @example const s = torch.getRngState(); const a = torch.rand([2]); torch.setRngState(s); // rand([2]) equals a again
 */
export function getRngState(): RngState {
  return { seed, counter };
}

/** Restores a state from getRngState (torch.set_rng_state). */
export function setRngState(state: RngState): void {
  if (!state || !Number.isInteger(state.seed) || !Number.isSafeInteger(state.counter) || state.counter < 0) {
    throw new ValueError('setRngState(): expected a state returned by getRngState()');
  }
  seed = state.seed >>> 0;
  counter = state.counter;
}
