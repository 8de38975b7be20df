// Run counts of the property tests (fast-check), in one place.
//
//   FC_RUNS=<factor>  multiplies every property test's default number of runs (default 1; e.g.
//                     FC_RUNS=10 for a long local campaign, FC_RUNS=0.2 for a quick smoke run).
//                     Every count stays at least 1.
//   FC_SEED=<n>       reruns the property tests that take their seed from here with another seed.
//
// Every property test (fc.assert / fc.check) takes its numRuns from `runs(default)`, so `npm test`
// keeps its time at FC_RUNS=1 and a campaign needs no edit. The defaults are sized so the planted
// bugs the tests were checked against are found at FC_RUNS=1 (see each test's comment).

const raw = process.env.FC_RUNS;
const scale = raw === undefined || raw === '' ? 1 : Number(raw);
if (!Number.isFinite(scale) || scale <= 0) throw new Error(`FC_RUNS must be a positive number (a multiplier), got '${raw}'`);

/** The multiplier from FC_RUNS (1 when unset). */
export const RUNS_SCALE = scale;

/** A property test's number of runs: its default times FC_RUNS, at least 1. */
export function runs(defaultRuns: number): number {
  return Math.max(1, Math.round(defaultRuns * scale));
}

/** FC_SEED, or the given default. */
export function fcSeed(defaultSeed: number): number {
  const s = process.env.FC_SEED;
  return s === undefined || s === '' ? defaultSeed : Number(s);
}
