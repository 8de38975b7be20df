// A Stryker ignorer for the sampled run (test/mutation/sample.config.mjs). Each sampled mutant's location
// is given to Stryker as a mutate range, but a range also takes every mutant nested inside it (a block's
// statements, a call's arguments): four times the sample on this code base. This ignorer skips the nodes
// strictly inside a sampled location that do not themselves contain one, so each range runs only the
// mutants placed on the sampled node itself.
import { readFileSync } from 'node:fs';
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const sample = JSON.parse(readFileSync('reports/mutation/sample.json', 'utf8'));

// The ignorer sees nodes, not file names. Files are transformed one after another, each starting at its
// Program node, so the Program node's span (the file's length and last line) says which file follows.
const rangesByFingerprint = new Map();
for (const [file, ranges] of Object.entries(groupByFile(sample.mutants))) {
  const text = readFileSync(file, 'utf8');
  const key = `${text.length}:${text.split('\n').length}`;
  if (rangesByFingerprint.has(key)) throw new Error(`sample-ignorer: ${file} has the same length and line count as another sampled file`);
  rangesByFingerprint.set(key, ranges);
}

function groupByFile(mutants) {
  const out = {};
  for (const m of mutants) (out[m.file] ??= []).push(m.range);
  return out;
}

const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
const includes = (outer, inner) => before(outer.start, inner.start) && before(inner.end, outer.end);
const same = (a, b) => includes(a, b) && includes(b, a);

let current = [];
export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'outside-sample', {
    shouldIgnore(path) {
      const { node } = path;
      if (node.type === 'Program') {
        current = rangesByFingerprint.get(`${node.end}:${node.loc.end.line}`) ?? [];
        return undefined;
      }
      const loc = node.loc;
      if (!loc) return undefined;
      const nested = current.some((r) => includes(r, loc) && !same(r, loc));
      if (nested && !current.some((r) => includes(loc, r))) return 'nested inside a sampled mutant, not sampled itself';
      return undefined;
    },
  }),
];
