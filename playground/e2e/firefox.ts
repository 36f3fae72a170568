// The built playground in a second browser engine: Debian's Firefox ESR (SpiderMonkey), driven by puppeteer-core
// over WebDriver BiDi (no browser is downloaded). The Chromium suites check everything; this one checks that a
// learner on Firefox gets the same page: it loads cleanly, a logit moved by keyboard gives @xent/losses' loss and
// the gradient softmax(z) − P, the backprop walk-through ends with ∂L/∂W = xᵀ(softmax(z) − P), the wrong helper
// is refused with its code, and training moons reaches ≥ 0.97.
import type { Browser, Page } from 'puppeteer-core';
import { sparseCategoricalCrossentropy, sparseSoftmaxCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from '@xent/losses';
import { oneHot, readFlat, softmax, tensor, type Tensor } from '@xent/tensor';
import { launchFirefox } from '../../scripts/firefox.mjs';
import { assert, runSuite, type Check } from './harness.js';

const TRAIN_TARGET = 0.97;
const TRAIN_BUDGET_MS = 20_000;

let browser: Browser;
let base: string;
const checks: Check[] = [];
const check = (name: string, run: () => Promise<void>): void => void checks.push({ name, run });

/** A new page whose console errors, page errors and failed requests are collected. */
async function open(hash = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console error: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`page error: ${String(e)}`));
  page.on('requestfailed', (r) => void problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  await page.goto(`${base}${hash}`);
  await page.waitForSelector('[data-testid="grad"]');
  return { page, problems };
}

const attr = (page: Page, testid: string, name: string): Promise<string | null> =>
  page.$eval(`[data-testid="${testid}"]`, (e, n) => e.getAttribute(n), name);
const close = (a: number, b: number, what: string): void => assert(Math.abs(a - b) <= 1e-12, `${what}: page ${a}, node ${b}`);
const item = (t: Tensor): number => readFlat(t)[0];

check('loads with no console error or failed request; every panel drawn', async () => {
  const { page, problems } = await open();
  for (const id of ['grad', 'bp-graph', 'train-accuracy']) assert(await page.$(`[data-testid="${id}"]`), `no [data-testid="${id}"]`);
  await new Promise((r) => setTimeout(r, 300));
  assert(problems.length === 0, problems.join('\n'));
  await page.close();
});

check('a logit moved by keyboard: the losses of @xent/losses and the gradient softmax(z) − P, to 1e-12', async () => {
  const { page, problems } = await open('#ce.o=classes&ce.n=4&ce.t=index&ce.z=0.5,-1,2,0&ce.y=1');
  await page.focus('[data-testid="logit-1"]');
  for (let i = 0; i < 23; i++) await page.keyboard.press('ArrowRight');
  await page.focus('[data-testid="logit-3"]');
  await page.keyboard.press('End');
  const z = await page.$$eval('[data-testid^="logit-"]', (els) => els.map((e) => Number((e as HTMLInputElement).value)));
  assert(JSON.stringify(z) === JSON.stringify([0.5, -0.77, 2, 10]), `logits after the keys: ${JSON.stringify(z)}`);
  const y = 1;
  const want: Record<string, number> = {
    softmaxCrossEntropyWithLogits: item(softmaxCrossEntropyWithLogits(oneHot([y], 4), [z])),
    sparseSoftmaxCrossEntropyWithLogits: item(sparseSoftmaxCrossEntropyWithLogits([y], [z])),
    sparseCategoricalCrossentropy: item(sparseCategoricalCrossentropy([y], [z], { fromLogits: true })),
  };
  for (const [helper, value] of Object.entries(want)) close(Number(await attr(page, `loss-${helper}`, 'data-value')), value, helper);
  const grad = JSON.parse((await attr(page, 'grad', 'data-values'))!) as number[];
  const q = Array.from(readFlat(softmax(tensor(z))));
  grad.forEach((g, c) => close(g, q[c] - (c === y ? 1 : 0), `∂ℓ/∂z[${c}] = softmax(z) − P`));
  assert(problems.length === 0, problems.join('\n'));
  await page.close();
});

check('backprop, all steps: ∂L/∂z = softmax(z) − P and ∂L/∂W = xᵀ ∂L/∂z', async () => {
  const { page, problems } = await open('#bp.x=1.5,-0.7&bp.y=0&bp.s=0');
  await page.click('[data-testid="bp-all"]');
  const node = async (label: string, which: 'data-value' | 'data-grad'): Promise<number[]> =>
    JSON.parse((await attr(page, `bp-node-${label}`, which))!) as number[];
  const z = await node('z', 'data-value');
  const dz = await node('z', 'data-grad');
  const q = Array.from(readFlat(softmax(tensor(z))));
  dz.forEach((g, c) => close(g, q[c] - (c === 0 ? 1 : 0), `∂L/∂z[${c}]`));
  const x = [1.5, -0.7];
  (await node('W', 'data-grad')).forEach((g, i) => close(g, x[Math.floor(i / 3)] * dz[i % 3], `∂L/∂W[${i}]`));
  assert((await page.$eval('[data-testid="bp-counter"]', (e) => e.textContent))!.includes('11 / 11'), 'all 11 steps taken');
  assert(problems.length === 0, problems.join('\n'));
  await page.close();
});

check('the wrong helper: softmax over one output is refused with SINGLE_CLASS_SOFTMAX', async () => {
  const { page, problems } = await open();
  await page.select('[data-testid="mistake"]', 'singleOutput');
  await page.waitForSelector('[data-testid="refusal"]');
  assert((await attr(page, 'refusal', 'data-code')) === 'SINGLE_CLASS_SOFTMAX', 'the refusal code');
  assert(problems.length === 0, problems.join('\n'));
  await page.close();
});

check(`training moons reaches ≥ ${TRAIN_TARGET} within ${TRAIN_BUDGET_MS / 1000} s`, async () => {
  const { page, problems } = await open('#tr.d=moons');
  const t0 = Date.now();
  await page.click('[data-testid="train-toggle"]');
  await page.waitForFunction(
    (target) => Number(document.querySelector('[data-testid="train-accuracy"]')?.getAttribute('data-value')) >= target,
    { timeout: TRAIN_BUDGET_MS, polling: 100 },
    TRAIN_TARGET,
  );
  console.log(`    moons: accuracy ${await attr(page, 'train-accuracy', 'data-value')} after ${Date.now() - t0} ms`);
  await page.click('[data-testid="train-toggle"]');
  assert(problems.length === 0, problems.join('\n'));
  await page.close();
});

await runSuite('playground firefox', checks, launchFirefox, (b, url) => {
  browser = b;
  base = url;
});
