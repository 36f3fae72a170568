// URL state: a link reproduces the view (encode ∘ decode is the identity on
// normalised states) and no fragment, however mangled, breaks the page.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeState, defaultAppState, encodeState } from '../src/url.js';
import { normalizeCeState, MISTAKES, LOGIT_MAX } from '../src/ce/state.js';
import { normalizeBpState } from '../src/backprop/model.js';
import { normalizeTrainState, LEARNING_RATES, DATASETS } from '../src/train/state.js';

describe('URL state', () => {
  it('an empty fragment gives the defaults', () => {
    expect(decodeState('')).toEqual(defaultAppState());
    expect(decodeState('#')).toEqual(defaultAppState());
  });

  it('encodes readably and round-trips the defaults', () => {
    const hash = encodeState(defaultAppState());
    expect(hash).toContain('ce.z=2,1,-1');
    expect(hash).toContain('tr.d=moons');
    expect(decodeState(`#${hash}`)).toEqual(defaultAppState());
  });

  it('round-trips any normalised state exactly', () => {
    const ce = fc
      .record({
        outcomes: fc.constantFrom('binary', 'classes', 'labels'),
        count: fc.integer({ min: 2, max: 10 }),
        form: fc.constantFrom('logits', 'probabilities'),
        target: fc.constantFrom('index', 'onehot', 'soft', 'multihot'),
        logits: fc.array(fc.double({ min: -LOGIT_MAX, max: LOGIT_MAX, noNaN: true }), { maxLength: 10 }),
        label: fc.integer({ min: 0, max: 9 }),
        soft: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        hot: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 10 }),
        mistake: fc.constantFrom(...MISTAKES.map((m) => m.id)),
      })
      .map((s) => normalizeCeState(s as Parameters<typeof normalizeCeState>[0]));
    const bp = fc
      .record({
        x: fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })),
        label: fc.integer(),
        step: fc.nat(20),
      })
      .map((s) => normalizeBpState(s));
    const train = fc
      .record({
        dataset: fc.constantFrom(...DATASETS),
        hidden: fc.array(fc.integer({ min: 1, max: 32 }), { maxLength: 3 }),
        activation: fc.constantFrom('relu', 'tanh', 'sigmoid'),
        loss: fc.constantFrom('softmax', 'sigmoid', 'single'),
        optimizer: fc.constantFrom('sgd', 'momentum', 'adam'),
        lr: fc.constantFrom(...LEARNING_RATES),
        seed: fc.nat(1000),
      })
      .map((s) => normalizeTrainState(s as Parameters<typeof normalizeTrainState>[0]));
    fc.assert(
      fc.property(ce, bp, train, (c, b, t) => {
        const state = { ce: c, bp: b, train: t };
        expect(decodeState(`#${encodeState(state)}`)).toEqual(state);
      }),
    );
  });

  it('a link with unequal hidden sizes gets the first for every layer: the panel shows one size, and trains what it shows', () => {
    expect(normalizeTrainState({ hidden: [4, 32] }).hidden).toEqual([4, 4]);
    expect(normalizeTrainState({ hidden: [0, 999, -1] }).hidden).toEqual([1, 1, 1]);
    expect(normalizeTrainState({ hidden: [] }).hidden).toEqual([]);
  });

  it('never throws on a mangled fragment and always yields an in-range state', () => {
    const key = fc.constantFrom(
      'ce.o',
      'ce.n',
      'ce.f',
      'ce.t',
      'ce.z',
      'ce.y',
      'ce.s',
      'ce.h',
      'ce.m',
      'bp.x',
      'bp.y',
      'bp.s',
      'tr.d',
      'tr.h',
      'tr.lr',
      'tr.seed',
      'x',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 12 })), { maxLength: 8 }), (pairs) => {
        const hash = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const s = decodeState(hash);
        const n = s.ce.outcomes === 'binary' ? 1 : s.ce.count;
        expect(s.ce.logits).toHaveLength(n);
        for (const z of s.ce.logits) expect(Math.abs(z)).toBeLessThanOrEqual(LOGIT_MAX);
        expect(s.ce.count).toBeGreaterThanOrEqual(2);
        expect(s.ce.count).toBeLessThanOrEqual(10);
        expect(Number.isInteger(s.bp.step)).toBe(true);
        expect(LEARNING_RATES).toContain(s.train.lr);
        expect(DATASETS).toContain(s.train.dataset);
      }),
    );
  });

  it('a step past the last is the last (11: 4 forward, 6 backward, the update), in the state and so in the rewritten link', () => {
    for (const s of ['999', '1e300', String(Number.MAX_SAFE_INTEGER)]) {
      const state = decodeState(`bp.s=${s}`);
      expect(state.bp.step).toBe(11);
      expect(encodeState(state)).toContain('bp.s=11&');
    }
    expect(normalizeBpState({ step: 10.6 }).step).toBe(11);
    expect(normalizeBpState({ step: 10.4 }).step).toBe(10);
  });

  it('snaps logits to the slider grid and clamps them', () => {
    const s = decodeState('ce.o=classes&ce.n=3&ce.z=1.234567,99,-nan');
    expect(s.ce.logits).toEqual([1.23, 10, 0]);
  });

  it('keeps a target form only where the outcomes allow it', () => {
    expect(decodeState('ce.o=binary&ce.t=multihot').ce.target).toBe('index');
    expect(decodeState('ce.o=labels&ce.t=index').ce.target).toBe('multihot');
    expect(decodeState('ce.o=classes&ce.t=onehot').ce.target).toBe('onehot');
  });
});
