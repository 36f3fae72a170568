// The end-to-end scripts' shared harness: a tiny static server for the BUILT
// playground (playground/dist) on 127.0.0.1, Debian's /usr/bin/chromium driven
// by playwright-core (no browser is downloaded), and a runner that prints one
// `<suite>: N passed, M failed` line per script (.ci/run adds those up).
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The built app: `pnpm playground:build` writes it. */
export const DIST = resolve(HERE, '../dist');
/** Where screenshots go (git-ignored). */
export const OUT = resolve(HERE, '../test-output');

/** One named end-to-end check. */
export type Check = { name: string; run: () => Promise<void> };

/** Throws `message` unless `cond` holds. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** A static file server for dist on 127.0.0.1 (a free port); every 404 is recorded. */
function serve(root: string): Promise<{ server: Server; url: string; misses: string[] }> {
  const misses: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      misses.push(path);
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, misses })),
  );
}

/** Collects console errors, page errors and failed requests of a page. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

/** A new browser context with one watched page; a broken page fails fast instead of waiting 30 s per step. */
export async function fresh(
  browser: Browser,
  width = 1280,
  height = 900,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page, problems: watch(page) };
}

/**
 * Serves dist, launches a browser with `launch` (launchChromium, launchFirefox), hands both to `start`, runs the checks
 * whose name contains argv[2] (all without it) and prints `<suite>: N passed, M failed`; a failure (or nothing run)
 * sets a non-zero exit code.
 */
export async function runSuite<B extends { close(): Promise<void> }>(
  suite: string,
  checks: Check[],
  launch: () => Promise<B>,
  start: (browser: B, base: string) => void,
): Promise<void> {
  assert(existsSync(join(DIST, 'index.html')), `no build at ${DIST}: run pnpm playground:build first`);
  const s = await serve(DIST);
  const browser = await launch();
  start(browser, s.url);
  const only = process.argv[2];
  let failed = 0;
  let passed = 0;
  try {
    for (const c of checks) {
      if (only && !c.name.includes(only)) continue;
      const t0 = Date.now();
      try {
        await c.run();
        passed++;
        console.log(`  ✓ ${c.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`  ✗ ${c.name}\n    ${(e as Error).message.replace(/\n/g, '\n    ')}`);
      }
    }
  } finally {
    await browser.close();
    s.server.close();
  }
  if (s.misses.length) console.log(`  (404s served: ${[...new Set(s.misses)].join(', ')})`);
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
  // A filter that matches nothing in this suite is not a failure when another suite runs it.
  if (failed > 0 || (passed === 0 && !only)) process.exitCode = 1;
}
