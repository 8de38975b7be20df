// The sampled run: `npm run mutate:sample` after `node test/mutation/sample.mjs COUNT SEED` (see MUTATION.md).
// Each sampled mutant's location becomes a mutate range; test/mutation/sample-ignorer.mjs keeps the
// mutants nested inside a range from running. test/mutation/sample-score.mjs reads the report.
import { readFileSync } from 'node:fs';
import base from '../../stryker.config.mjs';

const sample = JSON.parse(readFileSync('reports/mutation/sample.json', 'utf8'));
const range = ({ file, range: { start, end } }) => `${file}:${start.line}:${start.column}-${end.line}:${end.column}`;

export default {
  ...base,
  mutate: [...new Set(sample.mutants.map(range))],
  plugins: ['@stryker-mutator/*', './test/mutation/sample-ignorer.mjs'],
  ignorers: ['outside-sample'],
  incremental: false,
  reporters: ['progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/sample-run.json' },
};
