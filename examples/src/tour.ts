// A tour of the cross entropies, for teaching. No training here: one small
// batch, looked at four ways.
//
//   1. The six helpers and crossEntropy compute the same number when each is
//      given the batch in its own representation (labels or one-hot, logits
//      or probabilities, two classes or one binary logit).
//   2. Which one to use: chooseLoss's table.
//   3. The classic mistake: softmax over a single output unit. softmax of one
//      number is e^z / e^z = 1, so the model says "yes" with certainty to
//      every example; the loss −t·log 1 is 0 and so is its gradient, and
//      training never moves. xent's losses refuse it (SINGLE_CLASS_SOFTMAX).
//   4. The recorded graph of one training step, where the gradient that
//      reaches the logits can be read off as (softmax(z) − P)/N.
//
// Run: pnpm --filter @xent/examples tour [--seed 7] [--json]
import { Rng, XentError, oneHot, tensor, type Tensor } from '@xent/tensor';
import { add, graphTable, logSoftmax, matmul, mean, mul, neg, noGrad, param, sigmoid, softmax, sub, sum } from '@xent/autograd';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  chooseLoss,
  crossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
  type ChooseLossSpec,
} from '@xent/losses';
import { SGD } from '@xent/optim';
import { baseCommand, intArg, isMain, main, parseWith, type CliIO, type CliResult } from './lib/cli.js';
import { makeOutput, type Output } from './lib/output.js';
import { withDefaults } from './lib/options.js';

export interface TourOptions {
  seed: number;
  json: boolean;
  quiet: boolean;
}

export const defaults: TourOptions = { seed: 7, json: false, quiet: false };

export interface HelperValue {
  helper: string;
  targets: string;
  predictions: string;
  value: number;
}

export interface TourResult {
  example: 'tour';
  seed: number;
  /** The reference mean −log softmax(z)_y, computed by hand in plain numbers. */
  reference: number;
  helpers: HelperValue[];
  /** Largest |helper − reference|. */
  maxDifference: number;
  agree: boolean;
  chooser: { query: ChooseLossSpec; name: string }[];
  singleClassSoftmax: { loss: number; maxAbsGradient: number; errorCode: string | null };
  graphStep: { lossBefore: number; lossAfter: number; maxGradientMismatch: number };
}

const TOLERANCE = 1e-12;

// ---------------------------------------------------------------- 1. seven ways, one number

function sevenWays(
  out: Output,
  rng: Rng,
): { reference: number; helpers: HelperValue[]; maxDifference: number; labels: Int32Array; d: number[] } {
  const N = 4;
  // Two classes (0 = "not a 7", 1 = "a 7"), one row of logits per example.
  const Z: number[][] = Array.from({ length: N }, () => [2 * rng.normal(), 2 * rng.normal()]);
  const labels = Int32Array.from({ length: N }, () => rng.int(2));
  const y = tensor(labels); //                         class indices [N]            int32
  const logits = tensor(Z); //                         logits [N, 2]
  const P = oneHot(y, 2); //                           one-hot targets [N, 2]
  const Q = noGrad(() => softmax(logits, -1)); //      probabilities [N, 2]
  // For two classes softmax(z)₁ = e^{z₁}/(e^{z₀}+e^{z₁}) = σ(z₁ − z₀): one binary logit d carries it all.
  const d = Z.map(([z0, z1]) => z1 - z0);
  const t = tensor(Array.from(labels)); //             binary targets [N]           float
  const dT = tensor(d); //                             binary logits [N]
  const q = noGrad(() => sigmoid(dT)); //              binary probabilities [N]

  // Reference, by hand: mean over the batch of lse(z) − z_y.
  let reference = 0;
  Z.forEach((z, i) => {
    const m = Math.max(...z);
    reference += m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[labels[i]];
  });
  reference /= N;

  const rows: [string, string, string, () => Tensor][] = [
    ['sparseSoftmaxCrossEntropyWithLogits', 'labels y [4]', 'logits z [4, 2]', () => sparseSoftmaxCrossEntropyWithLogits(y, logits)],
    ['softmaxCrossEntropyWithLogits', 'one-hot P [4, 2]', 'logits z [4, 2]', () => softmaxCrossEntropyWithLogits(P, logits)],
    ['sparseCategoricalCrossentropy', 'labels y [4]', 'softmax(z) [4, 2]', () => sparseCategoricalCrossentropy(y, Q)],
    ['categoricalCrossentropy', 'one-hot P [4, 2]', 'softmax(z) [4, 2]', () => categoricalCrossentropy(P, Q)],
    ['sigmoidCrossEntropyWithLogits', 'y as 0/1 [4]', 'logit z₁−z₀ [4]', () => sigmoidCrossEntropyWithLogits(t, dT)],
    ['binaryCrossentropy', 'y as 0/1 [4]', 'σ(z₁−z₀) [4]', () => binaryCrossentropy(t, q)],
    ['crossEntropy', 'distribution P [4, 2]', 'distribution Q [4, 2]', () => crossEntropy(P, Q)],
  ];
  const helpers = rows.map(([helper, targets, predictions, f]) => ({ helper, targets, predictions, value: noGrad(f).item() }));
  const maxDifference = Math.max(...helpers.map((h) => Math.abs(h.value - reference)));

  out.log('1. One batch, seven ways to write the same cross entropy');
  out.log(
    `   4 examples, 2 classes; logits z = ${JSON.stringify(Z.map((r) => r.map((v) => Number(v.toFixed(3)))))}, labels y = [${labels.join(', ')}]`,
  );
  out.log('   For two classes, softmax(z)₁ = σ(z₁ − z₀): one binary logit per example says the same thing.');
  out.log();
  const w = [36, 22, 22];
  out.log(`   ${'helper'.padEnd(w[0])}${'targets'.padEnd(w[1])}${'predictions'.padEnd(w[2])}${'mean loss'.padStart(20)}  |Δ reference|`);
  for (const h of helpers) {
    out.log(
      `   ${h.helper.padEnd(w[0])}${h.targets.padEnd(w[1])}${h.predictions.padEnd(w[2])}${h.value.toFixed(16).padStart(20)}  ${Math.abs(h.value - reference).toExponential(1)}`,
    );
  }
  out.log(`   ${'by hand: mean(lse(z) − z_y)'.padEnd(w[0] + w[1] + w[2])}${reference.toFixed(16).padStart(20)}`);
  out.log(
    maxDifference <= TOLERANCE
      ? `   → all seven agree (largest difference ${maxDifference.toExponential(1)}): one quantity, H(P‖Q) = −Σ_c P_c log Q_c, in different clothes.`
      : `   → they differ by up to ${maxDifference.toExponential(2)}!`,
  );
  return { reference, helpers, maxDifference, labels, d };
}

// ---------------------------------------------------------------- 2. the chooser

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function chooser(out: Output): { query: ChooseLossSpec; name: string }[] {
  const queries: ChooseLossSpec[] = [
    { classes: 2, predictions: 'probabilities', targets: 'indices' },
    { classes: 10, predictions: 'probabilities', targets: 'distributions' },
    { classes: 10, predictions: 'probabilities', targets: 'indices' },
    { classes: 2, predictions: 'logits', targets: 'indices' },
    { classes: 10, predictions: 'logits', targets: 'distributions' },
    { classes: 10, predictions: 'logits', targets: 'indices' },
    { classes: 4, predictions: 'logits', targets: 'distributions', multiLabel: true },
  ];
  out.log();
  out.log('2. Which one? chooseLoss({ classes, predictions, targets, multiLabel })');
  out.log();
  out.log(`   ${'outcomes'.padEnd(10)}${'predictions'.padEnd(15)}${'targets'.padEnd(15)}→ loss`);
  const rows = queries.map((query) => {
    const choice = chooseLoss(query);
    const outcomes = query.multiLabel ? `${query.classes} labels` : String(query.classes);
    const targets = query.multiLabel ? 'multi-hot' : query.targets;
    out.log(`   ${outcomes.padEnd(10)}${query.predictions.padEnd(15)}${targets.padEnd(15)}→ ${choice.name}`);
    for (const line of wrap(choice.why, 96)) out.log(`         ${line}`);
    return { query, name: choice.name };
  });
  out.log(
    '   Prefer logits: the *WithLogits helpers fuse the log and the softmax/sigmoid, so they stay exact where probabilities round to 0 or 1.',
  );
  return rows;
}

// ---------------------------------------------------------------- 3. the classic mistake

function singleClassSoftmax(out: Output, labels: Int32Array, d: number[]): TourResult['singleClassSoftmax'] {
  const N = labels.length;
  // "Is it a 7?" with ONE output unit per example: logits [N, 1], targets [N, 1].
  const z = param(tensor(d.map((v) => [v])), 'z');
  const t = tensor(Array.from(labels, (v) => [v]));
  // The mistake, composed by hand with autograd: cross entropy over a softmax across the class axis, which has size 1.
  //   log softmax(z) = z − log e^z = 0   ⇒   loss = −mean(Σ_c t_c · 0) = 0,   ∂loss/∂z = 0
  const probs = noGrad(() => softmax(z, -1));
  const loss = neg(mean(sum(mul(t, logSoftmax(z, -1)), -1)));
  loss.backward();
  const grad = z.grad ? Array.from(z.grad.values()) : new Array<number>(N).fill(0);
  const maxAbsGradient = Math.max(...grad.map(Math.abs));

  out.log();
  out.log('3. The classic mistake: softmax over a single output');
  out.log(`   One logit per example, z = [${d.map((v) => v.toFixed(3)).join(', ')}], targets t = [${labels.join(', ')}].`);
  out.log(
    `   softmax(z) over the class axis of size 1 = [${Array.from(probs.values(), (v) => v.toFixed(0)).join(', ')}] — every example is "a 7", with certainty.`,
  );
  out.log(`   −mean(t · logSoftmax(z)) = ${loss.item()}   and   ∂loss/∂z = [${grad.join(', ')}]`);
  out.log('   Loss 0 and gradient 0: the model looks perfect and never learns. ("always true")');

  let errorCode: string | null = null;
  try {
    softmaxCrossEntropyWithLogits(t, z);
  } catch (e) {
    if (!(e instanceof XentError)) throw e;
    errorCode = e.code;
    out.log();
    out.log('   xent refuses it:  softmaxCrossEntropyWithLogits(t, z) throws');
    out.log(`   XentError ${e.code}: ${e.message}`);
  }
  try {
    categoricalCrossentropy(
      t,
      noGrad(() => softmax(z, -1)),
    );
  } catch (e) {
    if (!(e instanceof XentError)) throw e;
    out.log(`   (categoricalCrossentropy(t, softmax(z)) throws ${e.code} too)`);
  }
  const fixed = sigmoidCrossEntropyWithLogits(t, z);
  z.grad = null;
  fixed.backward();
  const fixedGrad = z.grad as Tensor | null; // (TypeScript still thinks z.grad is the null assigned above)
  out.log(
    `   The fix, sigmoidCrossEntropyWithLogits(t, z): loss ${fixed.item().toFixed(6)}, ∂loss/∂z = (σ(z) − t)/N = [${Array.from(fixedGrad?.values() ?? [], (v) => v.toFixed(4)).join(', ')}]`,
  );
  return { loss: loss.item() + 0, maxAbsGradient, errorCode }; // + 0 turns −0 into 0
}

// ---------------------------------------------------------------- 4. the graph of one step

function graphOfOneStep(out: Output, rng: Rng): TourResult['graphStep'] {
  // Two examples, three features, three classes: z = x·W + b, L = mean_i −log softmax(z_i)_{y_i}.
  const x = tensor([0, 1].map(() => [rng.normal(), rng.normal(), rng.normal()]));
  x.name = 'x';
  const y = tensor(Int32Array.from([0, 2]));
  y.name = 'y';
  const W = param(tensor([0, 1, 2].map(() => [0, 1, 2].map(() => Number((0.5 * rng.normal()).toFixed(2))))), 'W');
  const b = param(tensor([0, 0, 0]), 'b');
  const z = add(matmul(x, W), b);
  const L = sparseSoftmaxCrossEntropyWithLogits(y, z);

  out.log();
  out.log('4. The recorded graph of one training step (graphTable from @xent/autograd)');
  out.log('   2 examples, 3 features, 3 classes: z = x·W + b, L = sparseSoftmaxCrossEntropyWithLogits(y, z), the mean over the batch');
  out.log();
  for (const line of graphTable(L, { maxValues: 9 }).split('\n')) out.log('   ' + line);
  // The gradient the graph shows for z, computed directly: (softmax(z) − onehot(y)) / N.
  const expected = noGrad(() => sub(softmax(z, -1), oneHot(y, 3)).values()).map((v) => v / 2);
  L.backward();
  // ∂L/∂b = Σ_i ∂L/∂z_i, so b.grad checks the z gradient column by column.
  const bGrad = b.grad ? Array.from(b.grad.values()) : [];
  const colSums = [0, 1, 2].map((c) => expected[c] + expected[3 + c]);
  const maxGradientMismatch = Math.max(...bGrad.map((g, c) => Math.abs(g - colSums[c])));
  out.log();
  out.log(`   softmax(z) − P, divided by N = 2: [${Array.from(expected, (v) => Number(v.toPrecision(4))).join(', ')}]`);
  out.log(
    "   — the gradient in the row of z = x·W + b (the add that feeds the loss): each example's entries sum to 0, and its true class gets the negative one.",
  );
  out.log('   Then ∂L/∂b = Σ_i ∂L/∂z_i and ∂L/∂W = xᵀ·∂L/∂z, as the rows of b and W show.');
  const lossBefore = L.item();
  const opt = new SGD([W, b], { lr: 0.5 });
  opt.step();
  const lossAfter = noGrad(() => sparseSoftmaxCrossEntropyWithLogits(y, add(matmul(x, W), b)).item());
  out.log(`   One SGD step (lr 0.5) on these gradients: loss ${lossBefore.toFixed(4)} → ${lossAfter.toFixed(4)}`);
  return { lossBefore, lossAfter, maxGradientMismatch };
}

// ---------------------------------------------------------------- run

export function run(options: Partial<TourOptions> = {}): TourResult {
  const o: TourOptions = withDefaults('tour', defaults, options);
  const out = makeOutput(o);
  const rng = new Rng(o.seed);
  const seven = sevenWays(out, rng);
  const chooserRows = chooser(out);
  const single = singleClassSoftmax(out, seven.labels, seven.d);
  const graphStep = graphOfOneStep(out, rng);
  const result: TourResult = {
    example: 'tour',
    seed: o.seed,
    reference: seven.reference,
    helpers: seven.helpers,
    maxDifference: seven.maxDifference,
    agree: seven.maxDifference <= TOLERANCE,
    chooser: chooserRows,
    singleClassSoftmax: single,
    graphStep,
  };
  out.log();
  out.log(
    `summary: the 7 cross entropies ${result.agree ? 'agree' : 'DISAGREE'} (largest difference ${result.maxDifference.toExponential(1)}); ` +
      `softmax over one output gives loss ${single.loss} and gradient ${single.maxAbsGradient}, which xent refuses with ${single.errorCode ?? 'no error'}.`,
  );
  out.json(result);
  return result;
}

export function parseArgs(argv: readonly string[], io?: CliIO): CliResult<TourOptions> {
  const cmd = baseCommand(
    'tour',
    'A tour of the cross entropies: seven ways to one number, the chooser, the single-output softmax mistake, a recorded graph.',
    io,
  )
    .option('--seed <n>', 'seed of the example batch', intArg(0), defaults.seed)
    .option('--json', 'print only the results, as one JSON line', false);
  return parseWith(cmd, argv, (raw) => ({ ...defaults, seed: raw.seed as number, json: raw.json === true }));
}

if (isMain(import.meta.url)) main(parseArgs, run);
