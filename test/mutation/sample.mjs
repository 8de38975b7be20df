// Draws a uniform random sample of the five folders' mutants for test/mutation/sample.config.mjs:
//   node test/mutation/sample.mjs [count=150] [seed=1] [part/parts=1/1]
// reads reports/mutation/all-mutants.json (written by test/mutation/list.config.mjs) and writes
// reports/mutation/sample.json. Static mutants stay in the population: the sampled run reports them as
// ignored, as the full run would, and the score leaves them out as the full run's score does. A part
// (2/3: the second third of the draw) lets a long sample run as several shorter runs, each with its own
// report, scored together.
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';

const count = Number(process.argv[2] ?? 150);
const seed = Number(process.argv[3] ?? 1);
const [part, parts] = (process.argv[4] ?? '1/1').split('/').map(Number);
const report = JSON.parse(readFileSync('reports/mutation/all-mutants.json', 'utf8'));

const population = Object.entries(report.files)
  .sort(([a], [b]) => a.localeCompare(b))
  .flatMap(([file, { mutants }]) => mutants.map((m) => ({ file, ...m })));

// A seeded draw with fast-check's generator, unbiased (its default favours small values), so the seed alone
// reproduces it.
const [order] = fc.sample(fc.shuffledSubarray(population.map((_, i) => i), { minLength: count, maxLength: count }), { seed, numRuns: 1, unbiased: true });
const from = Math.round(((part - 1) * count) / parts);
const to = Math.round((part * count) / parts);
const mutants = order.slice(from, to).map((i) => {
  const m = population[i];
  // Report columns are 1-based; Stryker's `file:line:column-line:column` ranges take 0-based columns.
  const { start, end } = m.location;
  const range = { start: { line: start.line, column: start.column - 1 }, end: { line: end.line, column: end.column - 1 } };
  return { file: m.file, id: m.id, mutatorName: m.mutatorName, replacement: m.replacement, location: m.location, range };
});
writeFileSync('reports/mutation/sample.json', JSON.stringify({ seed, count, part, parts, population: population.length, mutants }, null, 1));
console.log(`sampled ${count} of ${population.length} mutants (seed ${seed}); part ${part}/${parts}, ${mutants.length} mutants, in reports/mutation/sample.json`);
