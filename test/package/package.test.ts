// The package as a user gets it: `npm pack`, installed from the tarball into a fresh project, a strict
// TypeScript consumer checked under a Node tsconfig and a browser-style one (lib dom, no @types/node),
// then run; and a minified esbuild bundle that must keep PyTorch's class names and tree-shake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const repo = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'torchfn-pack-'));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

// `npm test` builds first; packing without scripts reuses that build instead of building again.
const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)) as { filename: string; files: { path: string }[] }[];
const tarball = join(work, packed[0]!.filename);
const project = join(work, 'consumer');
mkdirSync(project);
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);

const CONSUMER = `
import * as torch from 'torchfn';
import { nn, optim, func } from 'torchfn';

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  fc2 = new nn.Linear(8, 3);
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc2.call(torch.relu(this.fc1.call(x)));
  }
}
torch.manualSeed(0);
const net = new Net();
const x = torch.randn(16, 4);
const y = torch.tensor(Int32Array.from({ length: 16 }, (_, i) => i % 3));
const opt = new optim.Adam(net.parameters(), 0.05);
let first = 0;
let last = 0;
for (let step = 0; step < 60; step++) {
  opt.zeroGrad();
  const loss = torch.crossEntropy(net.call(x), y);
  loss.backward();
  opt.step();
  if (step === 0) first = loss.item();
  last = loss.item();
}
const [g, v] = func.gradAndValue((t: torch.Tensor) => t.pow(2).sum())(torch.tensor([1, 2, 3]));
const shape: number[] = g.shape;
const ok = last < first && g.tolist().toString() === '2,4,6' && v.item() === 14 && shape[0] === 3;
console.log(JSON.stringify({ ok, first, last, repr: String(net) }));
`;

test('npm pack ships the build, the sources its maps point to, and the licence, and nothing else', () => {
  const files = packed[0]!.files.map((f) => f.path);
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'LICENSE', 'README.md', 'package.json', 'src/index.ts']) assert.ok(files.includes(f), `${f} missing from the package`);
  for (const f of files) assert.match(f, /^(dist|src)\/|^(LICENSE|README\.md|package\.json)$/, `unexpected file ${f} in the package`);
  const map = JSON.parse(readFileSync(join(project, 'node_modules/torchfn/dist/index.js.map'), 'utf8')) as { sources: string[] };
  for (const s of map.sources) assert.ok(files.includes(join('dist', s).replace(/\\/g, '/').replace(/^dist\/\.\.\//, '')), `source map points to ${s}, which is not shipped`);
  // The thread pool's two worker scripts are exported, so bundlers can emit them next to the bundle.
  for (const spec of ['torchfn/thread_worker.js', 'torchfn/js_tasks.js']) {
    const url = run('node', ['--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(spec)}))`], project).trim();
    assert.match(url, /node_modules\/torchfn\/dist\/backend\/wasm\/(thread_worker|js_tasks)\.js$/);
  }
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies?: object };
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'runtime dependencies: the library needs none');
});

test('a strict consumer type-checks under a Node tsconfig and a browser-style tsconfig, and runs', () => {
  writeFileSync(join(project, 'main.ts'), CONSUMER);
  const base = { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false, outDir: 'out' };
  writeFileSync(join(project, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { ...base, lib: ['es2022'], types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] }, files: ['main.ts'] }));
  writeFileSync(join(project, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: { ...base, lib: ['dom', 'es2022'], types: [], noEmit: true }, files: ['main.ts'] }));
  for (const cfg of ['tsconfig.node.json', 'tsconfig.browser.json']) {
    try {
      run('node', [tsc, '-p', cfg], project);
    } catch (e) {
      assert.fail(`tsc -p ${cfg} failed:\n${(e as { stdout: string }).stdout}`);
    }
  }
  const out = JSON.parse(run('node', ['out/main.js'], project)) as { ok: boolean; first: number; last: number; repr: string };
  assert.ok(out.ok, `consumer run: ${JSON.stringify(out)}`);
  assert.match(out.repr, /^Net\(\n {2}\(fc1\): Linear\(in_features=4, out_features=8, bias=True\)/);
});

test('a minified bundle keeps PyTorch class names, and importing one function tree-shakes', async () => {
  const entry = join(project, 'bundle.js');
  writeFileSync(entry, `import { nn, optim, ones } from 'torchfn';
const m = new nn.Sequential(new nn.Linear(4, 2), new nn.ReLU());
console.log(String(m));
console.log(String(new optim.SGD(m.parameters(), 0.5)).split('\\n')[0]);
console.log(String(ones([2]).add(1)));`);
  const full = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const out = join(project, 'bundle.min.mjs');
  writeFileSync(out, full.outputFiles[0]!.contents);
  assert.equal(run('node', [out], project).trim(), [
    'Sequential(',
    '  (0): Linear(in_features=4, out_features=2, bias=True)',
    '  (1): ReLU()',
    ')',
    'SGD (',
    'tensor([2., 2.])',
  ].join('\n'));

  const onesEntry = join(project, 'ones.js');
  writeFileSync(onesEntry, `import { ones } from 'torchfn';\nconsole.log(String(ones([2]).mul(3)));`);
  const small = await build({ entryPoints: [onesEntry], bundle: true, minify: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const smallOut = join(project, 'ones.min.mjs');
  writeFileSync(smallOut, small.outputFiles[0]!.contents);
  assert.equal(run('node', [smallOut], project).trim(), 'tensor([3., 3.])');
  // nn, optim, func, safetensors and the module system are not reachable from `ones`.
  const sizes = { ones: small.outputFiles[0]!.contents.length, full: full.outputFiles[0]!.contents.length };
  assert.ok(sizes.ones < 0.8 * sizes.full, `tree shaking: ${JSON.stringify(sizes)}`);
});

test.after(() => {
  if (!process.env.TORCHFN_KEEP_PACK) rmSync(work, { recursive: true, force: true });
});
