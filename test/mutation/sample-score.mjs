// The score of a sampled run (test/mutation/sample.config.mjs) with its 95% interval:
//   node test/mutation/sample-score.mjs [more sample.json/sample-run.json pairs as sample:run ...]
// Only the sampled mutants count (the run also tests others placed on the same nodes). As in Stryker's
// score: killed and timed-out mutants are detected, survived and uncovered ones are not; static
// (ignored) mutants and mutants that broke the program at load (runtime/compile errors) are left out.
import { readFileSync } from 'node:fs';

const pairs = process.argv.length > 2 ? process.argv.slice(2).map((p) => p.split(':')) : [['reports/mutation/sample.json', 'reports/mutation/sample-run.json']];
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const rows = [];
for (const [samplePath, runPath] of pairs) {
  const sample = JSON.parse(readFileSync(samplePath, 'utf8'));
  const run = JSON.parse(readFileSync(runPath, 'utf8'));
  for (const s of sample.mutants) {
    const same = (m) =>
      m.mutatorName === s.mutatorName && m.replacement === s.replacement &&
      JSON.stringify(m.location) === JSON.stringify(s.location);
    const found = run.files[s.file]?.mutants.filter(same) ?? [];
    if (found.length !== 1) throw new Error(`${s.file}:${s.location.start.line} ${s.mutatorName}: ${found.length} matches in ${runPath}`);
    rows.push({ ...s, status: found[0].status });
  }
}

// Wilson score interval: stays inside [0, 1] and is honest for proportions near 1 with small samples.
function wilson(k, n, z = 1.96) {
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [centre - half, centre + half];
}
const pct = (x) => `${(100 * x).toFixed(1)}%`;

function line(label, rs) {
  const k = rs.filter((r) => DETECTED.has(r.status)).length;
  const n = k + rs.filter((r) => UNDETECTED.has(r.status)).length;
  const left = rs.length - n;
  if (n === 0) return `| ${label} | - | 0 | 0 | ${left} |`;
  const [lo, hi] = wilson(k, n);
  return `| ${label} | ${pct(k / n)} (${pct(lo)} to ${pct(hi)}) | ${k} | ${n - k} | ${left} |`;
}

console.log('| folder | score (95% interval) | detected | undetected | left out |');
console.log('| --- | --- | ---: | ---: | ---: |');
const folder = (f) => f.split('/').slice(0, f.startsWith('src/backend/') ? 3 : 2).join('/');
for (const f of [...new Set(rows.map((r) => folder(r.file)))].sort()) console.log(line(f, rows.filter((r) => folder(r.file) === f)));
console.log(line('**all**', rows));

const counts = {};
for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
console.log(`\nstatuses: ${JSON.stringify(counts)}`);
console.log('\nundetected:');
for (const r of rows.filter((r) => UNDETECTED.has(r.status))) {
  console.log(`- ${r.file}:${r.location.start.line}:${r.location.start.column} ${r.mutatorName} -> ${JSON.stringify(r.replacement).slice(0, 100)} (${r.status})`);
}
