// StrykerJS mutation testing (`npm run mutate`; see MUTATION.md). Not part of CI: a full run takes many hours.
//
// One folder or file: `npm run mutate -- --mutate 'src/func/**/*.ts'` (the --mutate flag replaces the list below).

// The reference (plain TypeScript) backend is the one under test: src/backend/cpu is what runs when
// TORCHFN_BACKEND=js. Set here as well as in the npm script so that `npx stryker run` behaves the same;
// the test-runner child processes inherit it. FC_RUNS is left alone (default property-test run counts).
process.env.TORCHFN_BACKEND ??= 'js';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  packageManager: 'npm',
  mutate: [
    'src/primitives/**/*.ts',
    'src/transforms/**/*.ts',
    'src/func/**/*.ts',
    'src/ops/**/*.ts',
    'src/backend/cpu/**/*.ts',
    '!src/**/*.d.ts',
  ],

  // node:test files run one process per file through the TAP runner; tsx loads the TypeScript.
  testRunner: 'tap',
  tap: {
    testFiles: ['test/*.test.ts'],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  // The TAP runner reports one "test" per test file, so perTest coverage means: a mutant runs only the
  // test files whose code reached it during the dry run.
  coverageAnalysis: 'perTest',
  // Mutants in module-level code (registries, tables) are reached by every file; running the whole suite
  // for each would dominate the run time. They are reported as ignored instead.
  ignoreStatic: true,
  // No type checker: tsx does not type-check, so mutants that would not compile still run (and are
  // nearly always killed at once). The TypeScript checker would double the per-mutant cost here.
  disableTypeChecks: true,

  // The machine has 2 cores shared with other work. Raise with `--concurrency 2` on an idle machine.
  concurrency: 1,
  // Test files take seconds to minutes; a mutant's budget is its covering files' dry-run time * factor + ms.
  timeoutFactor: 2,
  timeoutMS: 15000,
  dryRunTimeoutMinutes: 30,

  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 90, low: 85, break: null },

  // The sandbox copy needs src/, test/ and bench/ (test/memory.test.ts imports bench/soak.ts).
  ignorePatterns: ['dist', 'out', 'docs', 'examples', 'scratch', 'reports', '*.log'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
