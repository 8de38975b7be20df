// Lists every mutant of the five folders, with its location, in reports/mutation/all-mutants.json: the
// population test/mutation/sample.mjs draws from. `npx stryker run test/mutation/list.config.mjs` (about
// 3 minutes): each mutant "runs" a no-op command, so every one is reported as survived; only the list
// matters. Static mutants are included, as the full run would report them (ignored).
import count from './count.config.mjs';

export default {
  ...count,
  dryRunOnly: false,
  concurrency: 2,
  reporters: ['json'],
  jsonReporter: { fileName: 'reports/mutation/all-mutants.json' },
};
