// The "one cross entropy" view model against naive loops: every helper the
// panel lists gives −Σ P log Q, the gradient bars are softmax(z) − P or
// σ(z) − P, chooseLoss's pick is marked, and each mistake gets xent's code.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ceView, targetRow } from '../src/ce/model.js';
import { mistakeView } from '../src/ce/mistakes.js';
import { normalizeCeState, type CeState } from '../src/ce/state.js';

/** Naive reference: softmax by the definition, with the max subtracted. */
function softmax(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const sig = (z: number): number => 1 / (1 + Math.exp(-z));

/** The loss of the example by the textbook formula: −Σ P log Q (classes) or the mean binary cross entropy (binary, labels). */
function reference(s: CeState): { loss: number; grad: number[] } {
  const t = targetRow(s);
  if (s.outcomes === 'classes') {
    const q = softmax(s.logits);
    return { loss: -t.reduce((a, p, c) => a + (p === 0 ? 0 : p * Math.log(q[c])), 0), grad: q.map((qc, c) => qc - t[c]) };
  }
  const terms = s.logits.map((z, k) => -(t[k] === 0 ? 0 : t[k] * Math.log(sig(z))) - (t[k] === 1 ? 0 : (1 - t[k]) * Math.log(1 - sig(z))));
  return { loss: terms.reduce((a, b) => a + b, 0) / terms.length, grad: s.logits.map((z, k) => sig(z) - t[k]) };
}

const states = fc
  .record({
    outcomes: fc.constantFrom('binary' as const, 'classes' as const, 'labels' as const),
    count: fc.integer({ min: 2, max: 10 }),
    form: fc.constantFrom('logits' as const, 'probabilities' as const),
    target: fc.constantFrom('index' as const, 'onehot' as const, 'soft' as const, 'multihot' as const),
    logits: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 10, maxLength: 10 }),
    label: fc.integer({ min: 0, max: 9 }),
    soft: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
    hot: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 10, maxLength: 10 }),
  })
  .map((s) => normalizeCeState(s));

describe('ceView', () => {
  it('every helper listed agrees with −Σ P log Q computed by hand', () => {
    fc.assert(
      fc.property(states, (s) => {
        const v = ceView(s);
        const ref = reference(s);
        expect(v.helpers.length).toBeGreaterThanOrEqual(2);
        // Logits helpers are exact to rounding; probability helpers clip Q to [1e-7, 1 − 1e-7] (Keras), |z| ≤ 6 keeps Q inside.
        const tol = s.form === 'logits' ? 1e-12 : 1e-9;
        for (const h of v.helpers) {
          expect(h.error, h.name).toBeNull();
          expect(Math.abs(h.value! - ref.loss), `${h.name}: ${h.value} vs ${ref.loss}`).toBeLessThanOrEqual(tol * Math.max(1, ref.loss));
        }
        expect(v.loss).toBeCloseTo(ref.loss, 12);
      }),
    );
  });

  it('meanOver says which loss the table shows: the mean over K labels (K = 2 included), else the sum of the terms', () => {
    fc.assert(
      fc.property(states, (s) => {
        const v = ceView(s);
        expect(v.meanOver).toBe(s.outcomes === 'labels' ? s.count : null);
        const total = v.rows.reduce((a, r) => a + r.term, 0);
        expect(v.loss).toBeCloseTo(total / (v.meanOver ?? 1), 12);
      }),
    );
  });

  it('the gradient bars are softmax(z) − P or σ(z) − P, from autograd and from the closed form', () => {
    fc.assert(
      fc.property(states, (s) => {
        const v = ceView(s);
        const ref = reference(s);
        expect(v.grad).toHaveLength(s.logits.length);
        v.grad.forEach((g, i) => expect(Math.abs(g - ref.grad[i])).toBeLessThan(1e-12));
        v.gradClosedForm.forEach((g, i) => expect(Math.abs(g - ref.grad[i])).toBeLessThan(1e-12));
      }),
    );
  });

  it('the per-class terms add up to the loss (mean over labels for K labels)', () => {
    fc.assert(
      fc.property(states, (s) => {
        const v = ceView(s);
        const total = v.rows.reduce((a, r) => a + r.term, 0);
        expect(v.loss).toBeCloseTo(s.outcomes === 'labels' ? total / s.count : total, 12);
        for (const r of v.rows) expect(r.term).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('lists the expected helpers and marks chooseLoss’s pick', () => {
    const names = (p: Partial<CeState>): string[] => ceView(normalizeCeState(p)).helpers.map((h) => h.name);
    expect(names({ outcomes: 'classes', target: 'index' })).toEqual([
      'softmaxCrossEntropyWithLogits',
      'categoricalCrossentropy',
      'sparseSoftmaxCrossEntropyWithLogits',
      'sparseCategoricalCrossentropy',
    ]);
    expect(names({ outcomes: 'classes', target: 'soft' })).toEqual(['softmaxCrossEntropyWithLogits', 'categoricalCrossentropy']);
    expect(names({ outcomes: 'classes', form: 'probabilities', target: 'soft' })).toEqual(['categoricalCrossentropy', 'crossEntropy']);
    expect(names({ outcomes: 'labels' })).toEqual(['multiLabelCrossEntropy', 'sigmoidCrossEntropyWithLogits', 'binaryCrossentropy']);
    expect(names({ outcomes: 'binary' })).toContain('sigmoidCrossEntropyWithLogits');

    const pick = (p: Partial<CeState>): string | undefined => ceView(normalizeCeState(p)).helpers.find((h) => h.chosen)?.name;
    expect(pick({ outcomes: 'classes', target: 'index' })).toBe('sparseSoftmaxCrossEntropyWithLogits');
    expect(pick({ outcomes: 'classes', target: 'onehot' })).toBe('softmaxCrossEntropyWithLogits');
    expect(pick({ outcomes: 'classes', form: 'probabilities', target: 'soft' })).toBe('categoricalCrossentropy');
    expect(pick({ outcomes: 'binary', target: 'index' })).toBe('sigmoidCrossEntropyWithLogits');
    expect(pick({ outcomes: 'binary', form: 'probabilities' })).toBe('binaryCrossentropy');
    expect(pick({ outcomes: 'labels' })).toBe('multiLabelCrossEntropy');
  });

  it('stays finite at |z| = 10 (the slider ends)', () => {
    const v = ceView(normalizeCeState({ outcomes: 'classes', count: 4, logits: [10, -10, 10, -10], label: 1 }));
    expect(v.loss).toBeCloseTo(20 + Math.log(2 + 2 * Math.exp(-20)), 12); // lse(z) − z₁
    for (const h of v.helpers) expect(Number.isFinite(h.value)).toBe(true);
  });
});

describe('mistakeView', () => {
  const m = (p: Partial<CeState>) => mistakeView(normalizeCeState(p));

  it('softmax over one output: xent refuses with SINGLE_CLASS_SOFTMAX; silently the loss and gradient are 0', () => {
    const v = m({ mistake: 'singleOutput', outcomes: 'binary', logits: [2.5], label: 0 })!;
    expect(v.refusal?.code).toBe('SINGLE_CLASS_SOFTMAX');
    expect(v.silent.value).toBe(0);
    expect(v.silent.grad).toEqual([0]);
    expect(v.right.value).toBeCloseTo(Math.log1p(Math.exp(2.5)), 12);
  });

  it('multi-hot into softmax is NOT_DISTRIBUTION; PyTorch order is refused; logits as probabilities is NOT_PROBABILITIES', () => {
    expect(m({ mistake: 'multiHotSoftmax' })!.refusal?.code).toBe('NOT_DISTRIBUTION');
    expect(m({ mistake: 'torchOrder' })!.refusal?.code).toBe('NOT_DISTRIBUTION');
    expect(m({ mistake: 'logitsAsProbs' })!.refusal?.code).toBe('NOT_PROBABILITIES');
  });

  it('probabilities passed as logits run (no check can tell) and give the flattened loss', () => {
    const v = m({ mistake: 'probsAsLogits', logits: [2, 1, -1], label: 0 })!;
    expect(v.refusal).toBeNull();
    const q = softmax([2, 1, -1]);
    expect(v.silent.value).toBeCloseTo(-Math.log(softmax(q)[0]), 12);
    expect(v.silent.value).toBeGreaterThan(v.right.value);
  });

  it("the right call is the panel's own problem's helper: multiLabelCrossEntropy for K labels (the softmax form would be the multi-hot mistake), sigmoid CE for binary", () => {
    const z = [1.5, -0.5, 2];
    for (const mistake of ['probsAsLogits', 'logitsAsProbs', 'torchOrder'] as const) {
      const labels = m({ mistake, outcomes: 'labels', count: 3, target: 'multihot', hot: [1, 0, 1], logits: z })!;
      expect(labels.right.call).toBe('multiLabelCrossEntropy([t], [z])');
      const bce = [1, 0, 1].map((t, k) => -(t * Math.log(sig(z[k])) + (1 - t) * Math.log(1 - sig(z[k]))));
      expect(labels.right.value).toBeCloseTo((bce[0] + bce[1] + bce[2]) / 3, 12);
      const binary = m({ mistake, outcomes: 'binary', target: 'index', label: 1, logits: [0.8] })!;
      expect(binary.right.call).toBe('sigmoidCrossEntropyWithLogits([y], [z])');
      expect(binary.right.value).toBeCloseTo(-Math.log(sig(0.8)), 12);
      const classes = m({ mistake, outcomes: 'classes', count: 3, target: 'index', label: 2, logits: z })!;
      expect(classes.right.value).toBeCloseTo(-Math.log(softmax(z)[2]), 12);
    }
  });

  it('none shows nothing', () => {
    expect(m({ mistake: 'none' })).toBeNull();
  });
});

describe('chooseLoss in the panel', () => {
  it('for two exclusive classes it recommends one sigmoid unit, which the softmax list does not hold', () => {
    const v = ceView(normalizeCeState({ outcomes: 'classes', count: 2 }));
    expect('name' in v.choice && v.choice.name).toBe('sigmoidCrossEntropyWithLogits');
    expect(v.helpers.some((h) => h.chosen)).toBe(false);
  });

  it('K labels with probabilities: binaryCrossentropy per label', () => {
    const v = ceView(normalizeCeState({ outcomes: 'labels', form: 'probabilities' }));
    expect('name' in v.choice && v.choice.name).toBe('binaryCrossentropy');
    expect(v.helpers.find((h) => h.chosen)?.name).toBe('binaryCrossentropy');
  });
});
