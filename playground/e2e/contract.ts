// The playground's promises, checked black-box in headless Chromium on the BUILT
// app (playground/README.md and issue 13): every number the page shows is read
// back from the page and compared with values computed here from the plain
// formulas (softmax, sigmoid, −Σ P log Q, softmax − P, σ − P, x·W + b, the SGD
// step), never with xent or the playground's own code; the controls, the
// keyboard, the link, and hostile links (refused or snapped, never NaN).
//
//   pnpm playground:build && pnpm --filter @xent/playground exec tsx e2e/contract.ts [words]
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assert, fresh as freshIn, runSuite, type Check } from './harness.js';
import { launchChromium } from '../../scripts/chromium.mjs';

const checks: Check[] = [];
const check = (name: string, run: () => Promise<void>): void => void checks.push({ name, run });
let browser: Browser;
let base: string;
const fresh = (): Promise<{ context: BrowserContext; page: Page; problems: string[] }> => freshIn(browser);

// ------------------------------------------------------------------ the formulas, written out

const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
/** softmax(z)_c = e^{z_c − max z} / Σ_k e^{z_k − max z} */
function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = sum(e);
  return e.map((v) => v / s);
}
/** σ(z) = 1 / (1 + e^{−z}) */
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** −Σ_c P_c log Q_c, with 0 · log 0 = 0 */
const crossEntropy = (P: number[], Q: number[]): number => -sum(P.map((p, c) => (p === 0 ? 0 : p * Math.log(Q[c]))));
/** one binary term: −p log q − (1 − p) log(1 − q) */
const binaryTerm = (p: number, q: number): number => crossEntropy([p, 1 - p], [q, 1 - q]);
const oneHot = (y: number, n: number): number[] => Array.from({ length: n }, (_, c) => (c === y ? 1 : 0));

/** |got − want| ≤ tol · max(1, |want|), and both finite. */
function near(got: number, want: number, what: string, tol = 1e-12): void {
  assert(Number.isFinite(got) && Number.isFinite(want), `${what}: page ${got}, expected ${want} (not finite)`);
  assert(
    Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)),
    `${what}: page ${got}, expected ${want} (|diff| ${Math.abs(got - want)})`,
  );
}
function allNear(got: number[], want: number[], what: string, tol = 1e-12): void {
  assert(got.length === want.length, `${what}: page shows ${got.length} values, expected ${want.length}`);
  got.forEach((g, i) => near(g, want[i], `${what}[${i}]`, tol));
}
/** A rounded display (4 significant digits on the page) against the exact value. */
const shown = (got: number[], want: number[], what: string): void => allNear(got, want, what, 1e-3);

// ------------------------------------------------------------------ reading the page

const attr = async (page: Page, testid: string, name = 'data-value'): Promise<string> => {
  const v = await page.getAttribute(`[data-testid="${testid}"]`, name);
  assert(v !== null, `no ${name} on [data-testid="${testid}"]`);
  return v;
};
const inputs = (page: Page, selector: string): Promise<number[]> =>
  page.$$eval(selector, (els) => els.map((e) => Number((e as HTMLInputElement).value)));
const logits = (page: Page): Promise<number[]> => inputs(page, '[data-testid^="logit-"]');
const grad = async (page: Page): Promise<number[]> => JSON.parse(await attr(page, 'grad', 'data-values')) as number[];
const losses = (page: Page): Promise<Record<string, number>> =>
  page.$$eval('[data-testid^="loss-"][data-value]', (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-testid')!.slice('loss-'.length), Number(e.getAttribute('data-value'))])),
  );
/** The prediction/target table: one row per outcome, columns Q, P, −P log Q (as displayed). */
async function table(page: Page): Promise<{ Q: number[]; P: number[]; terms: number[] }> {
  const rows = await page.$$eval('#ce table.terms tbody tr', (trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td.num')).map((td) => Number(td.textContent))),
  );
  return { Q: rows.map((r) => r[0]), P: rows.map((r) => r[1]), terms: rows.map((r) => r[2]) };
}
/** Every helper's loss equals `want`, and the table's sum says so too. */
async function expectLoss(page: Page, want: number, what: string): Promise<void> {
  const got = await losses(page);
  assert(Object.keys(got).length > 0, `${what}: no helper's loss shown`);
  for (const [k, v] of Object.entries(got)) near(v, want, `${what}: ${k}`);
  near(Number(await attr(page, 'ce-loss-sum')), want, `${what}: loss = Σ terms`);
  // chooseLoss's pick is named; it may be a helper the panel does not list (two classes: one sigmoid unit).
  const choice = await attr(page, 'choice');
  assert(/^[a-zA-Z]+$/.test(choice), `${what}: chooseLoss's pick is ${JSON.stringify(choice)}`);
  if (choice in got) near(got[choice], want, `${what}: chooseLoss's pick`);
}
/** No NaN, Infinity or undefined anywhere in the page's text or data attributes. */
async function noNonsense(page: Page, what: string): Promise<void> {
  const bad = await page.evaluate(() => {
    const texts = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('*')))
      for (const a of Array.from(el.attributes)) if (a.name.startsWith('data-') || a.name === 'value') texts.push(a.value);
    return texts.filter((t) => /\b(NaN|undefined)\b|Infinity/.test(t)).map((t) => t.slice(0, 120));
  });
  assert(bad.length === 0, `${what}: the page shows ${bad.join(' | ')}`);
}
const setRange = (page: Page, id: string, v: number): Promise<void> => page.locator(`#${id}`).fill(String(v));

// ------------------------------------------------------------------ one cross entropy

check('C classes: Q = softmax(z), P, −P log Q, every helper, the gradient softmax(z) − P (index, one-hot, soft)', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.o=classes&ce.n=5&ce.f=logits&ce.t=index&ce.z=1.5,-2.25,0.3,7.01,-9.99&ce.y=3`);
  await setRange(page, 'ce-z1', 4.44); // as a drag does
  await page.click('#ce-label-1');
  const z = await logits(page);
  allNear(z, [1.5, 4.44, 0.3, 7.01, -9.99], 'logits');
  const Q = softmax(z);
  for (const form of ['logits', 'probabilities']) {
    await page.click(`#ce-form-${form}`);
    for (const target of ['index', 'onehot', 'soft']) {
      await page.click(`#ce-target-${target}`);
      let P = oneHot(1, 5);
      if (target === 'soft') {
        await setRange(page, 'ce-soft0', 0.4);
        const s = await inputs(page, 'input[id^="ce-soft"]');
        P = s.map((v) => v / sum(s)); // the soft sliders are weights, P their normalised form
      }
      const what = `${form}/${target}`;
      const t = await table(page);
      shown(t.Q, Q, `${what}: Q`);
      shown(t.P, P, `${what}: P`);
      shown(
        t.terms,
        P.map((p, c) => (p === 0 ? 0 : -p * Math.log(Q[c]))),
        `${what}: −P log Q`,
      );
      await expectLoss(page, crossEntropy(P, Q), what);
      allNear(
        await grad(page),
        Q.map((q, c) => q - P[c]),
        `${what}: softmax(z) − P`,
      );
      await noNonsense(page, what);
    }
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('K labels: q = σ(z) per label, loss = mean of the binary terms, gradient σ(z) − t; the checkboxes set t', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.o=labels&ce.n=4&ce.z=-3.1,0.02,5.5,-0.75&ce.h=0110`);
  for (const form of ['logits', 'probabilities']) {
    await page.click(`#ce-form-${form}`);
    for (const flip of [null, 0, 2]) {
      if (flip !== null) await page.click(`#ce-hot${flip}`);
      const z = await logits(page);
      const t = await page.$$eval('input[id^="ce-hot"]', (els) => els.map((e) => ((e as HTMLInputElement).checked ? 1 : 0)));
      const what = `${form}, t = ${t.join('')}`;
      const q = z.map(sigmoid);
      const terms = t.map((p, k) => binaryTerm(p, q[k]));
      const tab = await table(page);
      shown(tab.Q, q, `${what}: q`);
      shown(tab.P, t, `${what}: t`);
      shown(tab.terms, terms, `${what}: terms`);
      await expectLoss(page, sum(terms) / terms.length, what);
      allNear(
        await grad(page),
        q.map((v, k) => v - t[k]),
        `${what}: σ(z) − t`,
      );
    }
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('binary (one unit): loss −y log σ(z) − (1 − y) log(1 − σ(z)) and gradient σ(z) − y, for y = 0, 1 and a soft p', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.o=binary&ce.z=-1.37`);
  const z = (await logits(page))[0];
  near(z, -1.37, 'the logit from the link');
  for (const y of [0, 1, 0.3]) {
    if (y === 0.3) {
      await page.click('#ce-target-soft');
      await setRange(page, 'ce-soft0', 0.3);
    } else await page.click(`#ce-label-${y}`);
    const q = sigmoid(z);
    const want = binaryTerm(y, q);
    await expectLoss(page, want, `y = ${y}`);
    allNear(await grad(page), [q - y], `y = ${y}: σ(z) − y`);
    const tab = await table(page);
    shown(tab.Q.slice().sort(), [q, 1 - q].sort(), `y = ${y}: q and 1 − q`);
    near(sum(tab.terms), want, `y = ${y}: Σ terms`, 1e-3);
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('extreme logits (C = 10, z = ±10): finite and exact', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.n=10&ce.z=10,-10,10,-10,10,-10,10,-10,10,-10&ce.y=1`);
  const Q = softmax(await logits(page));
  const P = oneHot(1, 10);
  await expectLoss(page, crossEntropy(P, Q), 'z = ±10');
  allNear(
    await grad(page),
    Q.map((q, c) => q - P[c]),
    'softmax(z) − P',
  );
  await noNonsense(page, 'z = ±10');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('keyboard: labelled sliders, → / ← step 0.01, Home / End reach −10 / 10, the count slider makes C from 2 to 10 sliders', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.z=2,1,-1&ce.y=0`);
  const unlabelled = await page.$$eval('input, select', (els) =>
    els
      .filter(
        (e) => !(e.id && document.querySelector(`label[for="${e.id}"]`)?.textContent?.trim()) && !e.closest('label')?.textContent?.trim(),
      )
      .map((e) => e.id || e.outerHTML.slice(0, 60)),
  );
  assert(unlabelled.length === 0, `controls without a label: ${unlabelled.join(', ')}`);
  await page.focus('[data-testid="logit-2"]');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  allNear(await logits(page), [2, 1, -0.98], 'after → → → ←');
  await page.focus('[data-testid="logit-0"]');
  await page.keyboard.press('Home');
  await page.focus('[data-testid="logit-1"]');
  await page.keyboard.press('End');
  const z = await logits(page);
  allNear(z, [-10, 10, -0.98], 'after Home, End');
  await expectLoss(page, crossEntropy(oneHot(0, 3), softmax(z)), 'after the keys');
  await page.focus('#ce-count');
  await page.keyboard.press('End');
  assert((await logits(page)).length === 10, 'End on the count slider gives 10 logit sliders');
  assert((await page.$$('input[name="ce-label"]')).length === 10, '10 classes to pick y from');
  await page.keyboard.press('Home');
  assert((await logits(page)).length === 2, 'Home on the count slider gives 2 logit sliders');
  await page.keyboard.press('ArrowRight');
  const z3 = await logits(page);
  assert(z3.length === 3, 'then → gives 3');
  await expectLoss(page, crossEntropy(oneHot(0, 3), softmax(z3)), 'C = 3 again');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

// ------------------------------------------------------------------ the wrong-helper switch

check('the wrong-helper switch: each refusal is shown, and each silently computed number is the wrong formula’s', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.o=classes&ce.n=4&ce.z=0.7,-2.3,3.1,1.05&ce.y=2&ce.h=1010`);
  const z = await logits(page);
  const y = 2;
  const P = oneHot(y, 4);
  const Q = softmax(z);
  const right = crossEntropy(P, Q);
  // Keras' categorical cross entropy on "probabilities": divide by the sum, clip to [1e-7, 1 − 1e-7].
  const keras = (p: number[], out: number[]): number => {
    const s = sum(out);
    return -sum(p.map((pc, c) => pc * Math.log(Math.min(Math.max(out[c] / s, 1e-7), 1 - 1e-7))));
  };
  // The multi-hot row the panel feeds to softmax is the one its wrong call shows.
  const multiHot = async (): Promise<number[]> =>
    JSON.parse(/\(\[(\[[\d, ]+\])\]/.exec((await page.textContent('#panel-ce .mistake code')) ?? '')?.[1] ?? 'null') as number[];
  const wrong: Record<string, { code: string | null; value: () => Promise<number>; right?: number }> = {
    singleOutput: { code: 'SINGLE_CLASS_SOFTMAX', value: async () => 0 }, // softmax of one number is 1
    probsAsLogits: { code: null, value: async () => crossEntropy(P, softmax(Q)), right }, // softmax applied twice
    logitsAsProbs: { code: 'NOT_PROBABILITIES', value: async () => keras(P, z), right },
    multiHotSoftmax: { code: 'NOT_DISTRIBUTION', value: async () => crossEntropy(await multiHot(), Q) }, // −Σ t log softmax(z)
    torchOrder: { code: 'NOT_DISTRIBUTION', value: async () => crossEntropy(z, softmax(P)), right }, // −Σ z log softmax(P)
  };
  for (const [mistake, { code, value, right: rightValue }] of Object.entries(wrong)) {
    await page.selectOption('[data-testid="mistake"]', mistake);
    const refusal = page.locator('#panel-ce [data-testid="refusal"]');
    if (code) {
      assert(
        (await refusal.getAttribute('data-code')) === code,
        `${mistake}: refusal ${await refusal.getAttribute('data-code')}, expected ${code}`,
      );
      assert(await refusal.isVisible(), `${mistake}: the refusal is visible`);
      assert(((await refusal.textContent()) ?? '').trim().length > 20, `${mistake}: the refusal explains itself`);
    } else assert((await refusal.count()) === 0, `${mistake}: xent cannot tell, nothing refused`);
    near(Number(await attr(page, 'silent-value')), await value(), `${mistake}: what the wrong call computes`);
    if (rightValue !== undefined) {
      const gives = /right call .* gives (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/.exec((await page.textContent('#panel-ce .mistake')) ?? '')?.[1];
      near(Number(gives), rightValue, `${mistake}: the right call's loss as shown`, 1e-5);
    }
    // The right numbers stay on the page next to the mistake.
    await expectLoss(page, crossEntropy(P, Q), `${mistake}: the right loss`);
    await noNonsense(page, mistake);
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

// ------------------------------------------------------------------ backprop

check('backprop: xW = x·W, z = xW + b, ℓ = −log softmax(z)_y, ∂z = softmax(z) − P, ∂b = ∂z, ∂W = xᵀ∂z, then W − η∂W', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#bp.x=-1.2,2.5&bp.y=1&bp.s=0`);
  const node = async (label: string, which: 'data-value' | 'data-grad'): Promise<number[] | null> =>
    JSON.parse((await page.getAttribute(`[data-testid="bp-node-${label}"]`, which))!) as number[] | null;
  const counter = async (): Promise<[number, number]> => {
    const m = /step (\d+) \/ (\d+)/.exec((await page.textContent('[data-testid="bp-counter"]')) ?? '');
    assert(m, 'the step counter reads "step k / n"');
    return [Number(m[1]), Number(m[2])];
  };
  const [, n] = await counter();
  assert((await node('L', 'data-value')) === null && (await node('W', 'data-grad')) === null, 'nothing computed at step 0');
  // Step by step: the counter climbs by one and no gradient appears before every value is known.
  for (let k = 1; k <= n; k++) {
    await page.click('[data-testid="bp-step"]');
    assert((await counter())[0] === k, `step ${k}`);
    if ((await node('L', 'data-value')) === null)
      assert((await node('z', 'data-grad')) === null, 'a gradient before the forward pass ended');
  }
  const x = (await node('x', 'data-value'))!;
  const W = (await node('W', 'data-value'))!;
  const b = (await node('b', 'data-value'))!;
  allNear(x, [-1.2, 2.5], 'x from the link');
  allNear((await node('P', 'data-value'))!, oneHot(1, 3), 'P = onehot(y)');
  // W is [2, 3] row-major: xW_c = Σ_i x_i W[i, c].
  const xW = [0, 1, 2].map((c) => x[0] * W[c] + x[1] * W[3 + c]);
  const z = xW.map((v, c) => v + b[c]);
  allNear((await node('xW', 'data-value'))!, xW, 'xW');
  allNear((await node('z', 'data-value'))!, z, 'z');
  const Q = softmax(z);
  const loss = -Math.log(Q[1]);
  allNear((await node('ℓ', 'data-value'))!, [loss], 'ℓ');
  allNear((await node('L', 'data-value'))!, [loss], 'L (one example)');
  const dz = Q.map((q, c) => q - (c === 1 ? 1 : 0));
  allNear((await node('z', 'data-grad'))!, dz, '∂L/∂z');
  allNear((await node('xW', 'data-grad'))!, dz, '∂L/∂(xW)');
  allNear((await node('b', 'data-grad'))!, dz, '∂L/∂b');
  allNear(
    (await node('W', 'data-grad'))!,
    [0, 1].flatMap((i) => dz.map((d) => x[i] * d)),
    '∂L/∂W',
  );
  // The update: "SGD, η = …" and the W, b and loss after it.
  const text = (await page.textContent('[data-testid="bp-text"]')) ?? '';
  const eta = Number(/η = ([\d.]+)/.exec(text)?.[1]);
  assert(eta > 0, `the step text names η: ${text}`);
  const W1 = W.map((w, i) => w - eta * x[Math.floor(i / 3)] * dz[i % 3]);
  const b1 = b.map((v, c) => v - eta * dz[c]);
  const z1 = [0, 1, 2].map((c) => x[0] * W1[c] + x[1] * W1[3 + c] + b1[c]);
  const after = (await page.textContent('[data-testid="bp-update"]')) ?? '';
  const vec = (name: string): number[] => JSON.parse(new RegExp(`${name} = (\\[[^\\]]*\\])`).exec(after)?.[1] ?? 'null') as number[];
  shown(vec('W'), W1, 'W after the step');
  shown(vec('b'), b1, 'b after the step');
  near(Number(/loss ([\d.e-]+)/.exec(after)?.[1]), -Math.log(softmax(z1)[1]), 'the loss after the step', 1e-3);
  // Back and reset.
  await page.click('[data-testid="bp-back"]');
  assert((await counter())[0] === n - 1, 'back one step');
  await page.click('[data-testid="bp-reset"]');
  assert((await counter())[0] === 0 && (await node('z', 'data-value')) === null, 'reset');
  // Another example from the controls: x₀ → 3 by End, y = 0.
  await page.focus('#bp-x0');
  await page.keyboard.press('End');
  await page.click('#bp-y0');
  await page.click('[data-testid="bp-all"]');
  const x2 = (await node('x', 'data-value'))!;
  const W2 = (await node('W', 'data-value'))!;
  const b2 = (await node('b', 'data-value'))!;
  allNear(x2, [3, 2.5], 'x after End on x₀');
  const z2 = [0, 1, 2].map((c) => x2[0] * W2[c] + x2[1] * W2[3 + c] + b2[c]);
  allNear(
    (await node('z', 'data-grad'))!,
    softmax(z2).map((q, c) => q - (c === 0 ? 1 : 0)),
    '∂L/∂z for y = 0',
  );
  await noNonsense(page, 'backprop');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

// ------------------------------------------------------------------ train

check(
  'train: step, play/pause, reset; accuracy in [0, 1] is the share of points classified right; a new configuration starts over',
  async () => {
    const { context, page, problems } = await fresh();
    await page.goto(`${base}#tr.d=xor&tr.h=8&tr.a=tanh&tr.o=sgd`);
    const stepCount = async (): Promise<number> => Number(((await page.textContent('#panel-train .stats span')) ?? '').replace(/\D/g, ''));
    const acc = async (): Promise<number> => Number(await attr(page, 'train-accuracy'));
    assert((await stepCount()) === 0, 'a fresh run is at step 0');
    for (let i = 0; i < 3; i++) await page.click('[data-testid="train-step"]');
    await page.waitForFunction(() => /\b3\b/.test(document.querySelector('#panel-train .stats span')?.textContent ?? ''));
    const a = await acc();
    assert(a >= 0 && a <= 1, `accuracy ${a}`);
    const stats = await page.textContent('#panel-train .stats');
    // 200 points: an accuracy is a count over 200.
    near(a * 200, Math.round(a * 200), 'accuracy × 200 is a whole number of points', 1e-9);
    await page.click('[data-testid="train-toggle"]');
    assert((await page.getAttribute('[data-testid="train-toggle"]', 'aria-pressed')) === 'true', 'playing');
    await page.waitForFunction(() => Number(document.querySelector('#panel-train .stats span')?.textContent?.replace(/\D/g, '')) > 20);
    await page.click('[data-testid="train-toggle"]');
    assert((await page.getAttribute('[data-testid="train-toggle"]', 'aria-pressed')) === 'false', 'paused');
    await page.waitForTimeout(150);
    const paused = await stepCount();
    await page.waitForTimeout(300);
    assert((await stepCount()) === paused, 'pause stops the steps');
    await page.click('[data-testid="train-reset"]');
    await page.waitForFunction(() => /^\D*0\D*$/.test(document.querySelector('#panel-train .stats span')?.textContent ?? ''));
    // The run is seeded: three steps after a reset land where the first three did.
    for (let i = 0; i < 3; i++) await page.click('[data-testid="train-step"]');
    await page.waitForFunction(() => /\b3\b/.test(document.querySelector('#panel-train .stats span')?.textContent ?? ''));
    const again = await page.textContent('#panel-train .stats');
    assert(again === stats && (await acc()) === a, `a reset run differs: ${stats} vs ${again}`);
    await page.click('#tr-data-circles');
    await page.waitForFunction(() => location.hash.includes('tr.d=circles'));
    await page.waitForFunction(() => /^\D*0\D*$/.test(document.querySelector('#panel-train .stats span')?.textContent ?? ''));
    await noNonsense(page, 'train');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
);

// ------------------------------------------------------------------ the link

check('the link reproduces every panel: logits, labels, soft targets, the mistake, the backprop step, the training set-up', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(base);
  await page.click('#ce-outcomes-labels');
  await page.focus('#ce-count');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // K = 6
  await setRange(page, 'ce-z4', -6.66);
  await setRange(page, 'ce-z5', 0.07);
  await page.click('#ce-hot4');
  await page.selectOption('[data-testid="mistake"]', 'torchOrder');
  await page.click('[data-testid="bp-step"]');
  await page.click('[data-testid="bp-step"]');
  await page.click('#tr-data-spirals');
  await page.click('#tr-act-sigmoid');
  await page.selectOption('#tr-opt', 'momentum');
  await page.focus('#tr-units');
  await page.keyboard.press('Home');
  const snapshot = async (p: Page): Promise<string> =>
    JSON.stringify({
      z: await logits(p),
      hot: await p.$$eval('input[id^="ce-hot"]', (els) => els.map((e) => (e as HTMLInputElement).checked)),
      losses: await losses(p),
      grad: await grad(p),
      silent: await p.getAttribute('[data-testid="silent-value"]', 'data-value'),
      bp: await p.textContent('[data-testid="bp-counter"]'),
      tr: await p.$$eval('#panel-train input, #panel-train select', (els) =>
        els.map(
          (e) => `${e.id}=${(e as HTMLInputElement).type === 'radio' ? (e as HTMLInputElement).checked : (e as HTMLInputElement).value}`,
        ),
      ),
    });
  await page.waitForFunction(() => location.hash.includes('tr.o=momentum') && location.hash.includes('bp.s=2'));
  const before = await snapshot(page);
  const z = await logits(page);
  assert(z.length === 6 && z[4] === -6.66 && z[5] === 0.07, `the logits set: ${JSON.stringify(z)}`);
  const url = page.url();
  const page2 = await context.newPage();
  await page2.goto(url);
  await page2.waitForSelector('[data-testid="grad"]');
  const after = await snapshot(page2);
  assert(after === before, `the link gives another view:\n${before}\n${after}`);
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('hostile links: out-of-range or malformed entries are snapped or replaced, never NaN, and the numbers stay exact', async () => {
  const { context, page, problems } = await fresh();
  const links = [
    'ce.n=99&ce.z=1.234567,50,NaN&ce.y=7',
    'ce.n=-3&ce.z=abc&ce.y=-1',
    'ce.n=2.5&ce.z=1e308,-1e308,Infinity&ce.y=1.5',
    'ce.t=soft&ce.s=0,0,0',
    'ce.t=soft&ce.s=-1,2,x',
    'ce.o=labels&ce.h=2x9&ce.z=,,',
    'ce.o=nonsense&ce.f=nonsense&ce.t=nonsense&ce.m=nonsense',
    'ce.o=binary&ce.t=soft&ce.s=7',
    'bp.x=NaN,1e9&bp.y=9&bp.s=999',
    'tr.d=nonsense&tr.h=0,999,-1&tr.lr=-5&tr.a=x&tr.l=x&tr.o=x&tr.seed=-1',
    '%E0%A4%A',
  ];
  // Numbers out of range are clamped into the control's range (and snapped to its grid), as the README says.
  const clamps: Record<string, (z: number[]) => Promise<void>> = {
    [links[0]]: async (z) => {
      allNear(z, [1.23, 10, 0, 0, 0, 0, 0, 0, 0, 0], `${links[0]}: C → 10, 1.234567 → 1.23, 50 → 10, NaN → 0`);
      assert(await page.isChecked('#ce-label-7'), `${links[0]}: y = 7 of 10`);
    },
    [links[1]]: async (z) => {
      assert(z.length === 2 && (await page.isChecked('#ce-label-0')), `${links[1]}: C → 2, y → 0`);
    },
    [links[8]]: async () => {
      assert(((await page.textContent('[data-testid="bp-counter"]')) ?? '').includes('step 11 / 11'), `${links[8]}: step → the last`);
      await page.waitForFunction(() => location.hash.includes('bp.s=11&'));
      assert(!page.url().includes('999'), `${links[8]}: the rewritten link keeps the clamped step: ${page.url()}`);
      allNear(await inputs(page, '#bp-x0, #bp-x1'), [1, 3], `${links[8]}: x₀ NaN → 1 (default), x₁ 1e9 → 3`);
    },
  };
  for (const link of links) {
    await page.goto('about:blank');
    await page.goto(`${base}#${link}`);
    await page.waitForSelector('[data-testid="grad"]');
    await noNonsense(page, link);
    const z = await logits(page);
    assert(z.length >= 1 && z.length <= 10, `${link}: ${z.length} logits`);
    for (const v of z)
      assert(v >= -10 && v <= 10 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `${link}: logit ${v} off the 0.01 grid in [−10, 10]`);
    // Whatever the page settled on, the numbers it shows are the formula's for what it shows.
    const tab = await table(page);
    const mode = await page.$eval('input[name="ce-outcomes"]:checked', (e) => (e as HTMLInputElement).value);
    if (mode === 'classes') {
      const P = tab.P;
      near(sum(P), 1, `${link}: P sums to 1`, 1e-3);
      const Q = softmax(z);
      shown(tab.Q, Q, `${link}: Q`);
      const g = await grad(page);
      const Pexact = g.map((v, c) => Q[c] - v); // P from the gradient, checked against the table's rounded P
      shown(Pexact, P, `${link}: softmax(z) − gradient = P`);
      await expectLoss(page, crossEntropy(Pexact, Q), link);
    }
    if ((await page.$('[data-testid="bp-node-x"]')) !== null) {
      const x = JSON.parse((await page.getAttribute('[data-testid="bp-node-x"]', 'data-value'))!) as number[] | null;
      if (x) for (const v of x) assert(Number.isFinite(v) && Math.abs(v) <= 3, `${link}: feature ${v} outside the slider's [−3, 3]`);
    }
    const lr = await inputs(page, '#tr-lr, #tr-layers, #tr-units');
    assert(lr.every(Number.isFinite), `${link}: training controls ${lr}`);
    const clamped = clamps[link];
    if (clamped) await clamped(z);
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('soft targets dragged to all zero: refused or replaced visibly, never 0/0', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(`${base}#ce.t=soft&ce.s=0.2,0.3,0.5`);
  for (const id of ['ce-soft0', 'ce-soft1', 'ce-soft2']) await setRange(page, id, 0);
  await noNonsense(page, 'all soft weights 0');
  const refused = (await page.$('#panel-ce [data-testid="refusal"]')) !== null;
  if (!refused) {
    const Q = softmax(await logits(page));
    const P = (await grad(page)).map((g, c) => Q[c] - g);
    near(sum(P), 1, 'P shown is a distribution', 1e-12);
    await expectLoss(page, crossEntropy(P, Q), 'all soft weights 0');
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

check('a seeded random walk over the controls: after every move the numbers are the formula’s for what the controls say', async () => {
  const { context, page, problems } = await fresh();
  await page.goto(base);
  let seed = 20261130;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32; // LCG, seeded
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const ids = (selector: string): Promise<string[]> => page.$$eval(selector, (els) => els.map((e) => e.id));
  const moves: string[] = [];
  for (let step = 0; step < 40; step++) {
    const kind = pick(['radio', 'radio', 'logit', 'logit', 'soft', 'hot', 'count', 'mistake']);
    let move = kind;
    if (kind === 'radio') {
      const id = pick(await ids('#ce input[type="radio"]:not(:checked)'));
      if (id) await page.click(`#${id}`);
      move = `click ${id}`;
    } else if (kind === 'logit') {
      const id = pick(await ids('[data-testid^="logit-"]'));
      const v = Math.round((rand() * 20 - 10) * 100) / 100;
      await setRange(page, id, v);
      move = `${id} = ${v}`;
    } else if (kind === 'soft' || kind === 'hot') {
      const id = pick(await ids(kind === 'soft' ? 'input[id^="ce-soft"]' : 'input[id^="ce-hot"]'));
      if (id && kind === 'soft') await setRange(page, id, Math.round(rand() * 100) / 100);
      else if (id) await page.click(`#${id}`);
      move = `${kind} ${id}`;
    } else if (kind === 'count') {
      const key = pick(['ArrowRight', 'ArrowLeft', 'Home', 'End', 'ArrowRight']);
      if (await page.$('#ce-count')) {
        await page.focus('#ce-count');
        await page.keyboard.press(key);
      }
      move = `count ${key}`;
    } else {
      const m = pick(['none', 'none', 'singleOutput', 'probsAsLogits', 'logitsAsProbs', 'multiHotSoftmax', 'torchOrder']);
      await page.selectOption('[data-testid="mistake"]', m);
      move = `mistake ${m}`;
    }
    moves.push(move);
    const what = `after ${moves.slice(-4).join(' → ')} (move ${step})`;
    const outcomes = await page.$eval('input[name="ce-outcomes"]:checked', (e) => (e as HTMLInputElement).value);
    const target = await page.$eval('input[name="ce-target"]:checked', (e) => (e as HTMLInputElement).value);
    const z = await logits(page);
    const soft = await inputs(page, 'input[id^="ce-soft"]');
    const y = Number(await page.$eval('input[name="ce-label"]:checked', (e) => (e as HTMLInputElement).value).catch(() => 'NaN'));
    const hot = await page.$$eval('input[id^="ce-hot"]', (els) => els.map((e) => ((e as HTMLInputElement).checked ? 1 : 0)));
    let want: number;
    let g: number[];
    if (outcomes === 'classes') {
      const P = target === 'soft' ? soft.map((v) => v / sum(soft)) : oneHot(y, z.length);
      const Q = softmax(z);
      want = crossEntropy(P, Q);
      g = Q.map((q, c) => q - P[c]);
    } else {
      const t = outcomes === 'binary' ? [target === 'soft' ? soft[0] : y] : target === 'soft' ? soft : hot;
      assert(t.length === z.length, `${what}: ${t.length} targets for ${z.length} logits`);
      const q = z.map(sigmoid);
      want = sum(t.map((v, k) => binaryTerm(v, q[k]))) / t.length;
      g = q.map((v, k) => v - t[k]);
    }
    await expectLoss(page, want, what);
    allNear(await grad(page), g, `${what}: gradient`);
    await noNonsense(page, what);
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

await runSuite('playground contract', checks, launchChromium, (b, url) => {
  browser = b;
  base = url;
});
