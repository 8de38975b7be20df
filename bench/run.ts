// `npm run bench`: torchfn beside TensorFlow.js (CPU and WASM backends) and jax-js (WASM), measured in the same process,
// and on WebGPU beside tfjs-backend-webgpu and jax-js's webgpu device when an adapter is present (bench/webgpu.ts).
//   npm run bench                      print the table
//   npm run bench -- --only matmul,mlp only those sections (ids below)
//   npm run bench -- --write           also replace the generated block of BENCHMARKS.md
// A new section is one file in bench/sections/ exporting `section: Section`, added to the list below.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINES, GPU_ENGINES, cellText, initJaxjs, initTfjs, loadAverage, machine, markdownTable, naNotes, runCase, tfjsWasmFlags, tf, type Engine, type Row, type Section } from './harness.js';
import * as torch from '../src/index.js';
import * as matmul from './sections/matmul.js';
import * as elementwise from './sections/elementwise.js';
import * as mlp from './sections/mlp.js';
import * as overhead from './sections/overhead.js';
import * as perSample from './sections/per_sample.js';
import * as userCode from './sections/user_code.js';
import * as compiled from './sections/compiled.js';
import * as webgpu from './sections/webgpu.js';
import { initWebGPU } from './webgpu.js';

const sections: Section[] = [matmul.section, elementwise.section, mlp.section, overhead.section, perSample.section, userCode.section, compiled.section, webgpu.section];

function parseArgs(argv: string[]): { only: Set<string> | null; write: boolean } {
  let only: Set<string> | null = null;
  let write = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--write') write = true;
    else if (a === '--only') only = new Set(argv[++i]?.split(',') ?? []);
    else if (a.startsWith('--only=')) only = new Set(a.slice(7).split(','));
    else throw new Error(`bench: unknown argument ${a} (use --only <ids>, --write); section ids: ${sections.map((s) => s.id).join(', ')}`);
  }
  const unknown = [...(only ?? [])].filter((id) => !sections.some((s) => s.id === id));
  if (unknown.length) throw new Error(`bench: no section ${unknown.join(', ')}; section ids: ${sections.map((s) => s.id).join(', ')}`);
  if (write && only) throw new Error('bench: --write records the whole table; run it without --only');
  return { only, write };
}

const JAX_VERSION = (JSON.parse(readFileSync(new URL('../node_modules/@jax-js/jax/package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const { only, write } = args;
  const m = machine();
  const tfStatus = await initTfjs();
  const gpu = only && !only.has(webgpu.section.id) ? null : await initWebGPU();
  webgpu.setSoftwareAdapter(gpu?.software ?? false);
  const avail: Partial<Record<Engine, string | null>> = { torchfn: null, 'torchfn-js': null, ...tfStatus, 'jax-js': await initJaxjs(), ...gpu?.avail };
  const wasmInfo = tfStatus['tfjs-wasm'] === null ? await tfjsWasmFlags() : tfStatus['tfjs-wasm'];
  const loadBefore = loadAverage();
  const header = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.os}; Node ${m.node}`,
    `Engines: torchfn (wasm backend: generated SIMD kernels, ${torch.backends.wasm.relaxedSimd ? 'with' : 'without'} relaxed-SIMD FMA, ${torch.getNumThreads()} threads unless a row says otherwise); torchfn-js (the same code on the plain TypeScript reference backend); @tensorflow/tfjs-core ${tf.version_core} with tfjs-backend-cpu and tfjs-backend-wasm (${wasmInfo}); @jax-js/jax ${JAX_VERSION} on its wasm device (eager ops, jit where noted), timed until results are ready`,
    ...(gpu ? [`WebGPU: ${gpu.adapter ?? `none (${gpu.avail['torchfn-webgpu']})`}; the same code on torchfn's webgpu device, tfjs-backend-webgpu and jax-js's webgpu device, timed until the device has finished`] : []),
  ];
  for (const h of header) console.log(h);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with node --expose-gc for steadier numbers; `npm run bench` does)');

  const rows: Row[] = [];
  const t0 = performance.now();
  for (const s of sections) {
    if (only && !only.has(s.id)) continue;
    for (const c of s.cases()) {
      process.stdout.write(`  ${c.name} ...`);
      const r = await runCase(s.title, c, avail, s.engines);
      rows.push(r);
      console.log(' ' + r.engines.map((e) => `${e} ${cellText(r.cells[e])}`).join(', '));
    }
  }
  const secs = (performance.now() - t0) / 1000;
  header.push(`Load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAverage()}. Run time ${secs.toFixed(0)} s.`);
  console.log(header[header.length - 1]);

  const losses = mlp.initialLosses();
  const lossVals = Object.values(losses) as number[];
  const lossNote = lossVals.length > 1
    ? `MLP sanity check, initial loss: ${Object.entries(losses).map(([k, v]) => `${k} ${v!.toFixed(6)}`).join(', ')}` +
      (Math.max(...lossVals) - Math.min(...lossVals) > 1e-4 ? ' — MISMATCH' : ' (agree)')
    : '';

  // One table per engine set: the CPU engines', then the WebGPU engines'.
  const table = [ENGINES, GPU_ENGINES]
    .map((set) => rows.filter((r) => r.engines === set))
    .filter((rs) => rs.length > 0)
    .map(markdownTable)
    .join('\n\n');
  const notes = naNotes(rows);
  console.log(`\n${table}\n`);
  for (const n of notes) console.log(n);
  if (lossNote) console.log(lossNote);
  const perSampleNotes = [...perSample.notes(rows), ...compiled.notes(rows)];
  for (const n of perSampleNotes) console.log(n);
  console.log(`(measured in ${secs.toFixed(0)} s; ↑ higher is better, ↓ lower is better; "vs" columns: > 1× means torchfn is faster)`);

  if (write) {
    const date = new Date().toISOString().slice(0, 10);
    const block = [
      '<!-- bench:start (generated by `npm run bench -- --write`; edit outside this block) -->',
      `Measured ${date} with \`npm run bench\`.`,
      '',
      ...header.map((h) => `- ${h}`),
      '',
      table,
      '',
      ...notes.map((n) => `- ${n}`),
      ...(lossNote ? [`- ${lossNote}`] : []),
      ...perSampleNotes.map((n) => `- ${n}`),
      '',
      '↑ higher is better, ↓ lower is better; the "vs" columns give torchfn\'s speed relative to that engine (> 1× means torchfn is faster).',
      '<!-- bench:end -->',
    ].join('\n');
    const path = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
    const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n<!-- bench:start --><!-- bench:end -->\n';
    const re = /<!-- bench:start[\s\S]*?<!-- bench:end -->/;
    const next = re.test(old) ? old.replace(re, () => block) : `${old.trimEnd()}\n\n${block}\n`;
    writeFileSync(path, next);
    console.log(`wrote ${path}`);
  }
}

await main();
