// Counts mutants without running any test: `npx stryker run test/mutation/count.config.mjs [--mutate GLOB]`.
// The dry run uses a no-op command, so it takes seconds; the count is in the "Instrumented ..." log line.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  testRunner: 'command',
  commandRunner: { command: 'true' },
  coverageAnalysis: 'off',
  ignoreStatic: false,
  dryRunOnly: true,
  incremental: false,
  reporters: ['clear-text'],
};
