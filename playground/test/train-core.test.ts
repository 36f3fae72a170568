// The training core (what the worker runs), in Node: seeded and repeatable,
// moons learned quickly with the default configuration, the single-output
// mistake refused with SINGLE_CLASS_SOFTMAX, and the map's grid well formed.
import { describe, expect, it } from 'vitest';
import { GRID, createTrainer } from '../src/train/core.js';
import { defaultTrainState, normalizeTrainState } from '../src/train/state.js';

describe('createTrainer', () => {
  it('is repeatable: the same configuration gives the same data and losses', () => {
    const a = createTrainer(defaultTrainState());
    const b = createTrainer(defaultTrainState());
    expect(Array.from(a.data.x)).toEqual(Array.from(b.data.x));
    expect(a.step(5)).toBe(b.step(5));
    expect(a.steps).toBe(5);
  });

  it('learns moons to ≥ 0.97 training accuracy within 300 full-batch steps (defaults: 16-16 ReLU, softmax CE, Adam 0.03)', () => {
    const t = createTrainer(defaultTrainState());
    const start = t.accuracy();
    let steps = 0;
    while (t.accuracy() < 0.97 && steps < 300) steps += (t.step(10), 10);
    expect(t.accuracy()).toBeGreaterThanOrEqual(0.97);
    expect(start).toBeLessThan(0.97);
  });

  it('trains with one sigmoid per class too, and the loss falls', () => {
    const t = createTrainer(normalizeTrainState({ loss: 'sigmoid' }));
    const first = t.step(1);
    const later = t.step(100);
    expect(later).toBeLessThan(first);
    expect(t.accuracy()).toBeGreaterThan(0.9);
  });

  it('refuses the single-output mistake with SINGLE_CLASS_SOFTMAX and takes no step', () => {
    const t = createTrainer(normalizeTrainState({ loss: 'single' }));
    expect(t.refusal?.code).toBe('SINGLE_CLASS_SOFTMAX');
    expect(t.step(10)).toBeNaN();
    expect(t.steps).toBe(0);
  });

  it('gives a GRID × GRID map of classes and confidences in [1/C, 1]', () => {
    const t = createTrainer(normalizeTrainState({ dataset: 'xor' }));
    t.step(50);
    const g = t.grid();
    expect(g.cls.length).toBe(GRID * GRID);
    for (let k = 0; k < g.conf.length; k++) {
      expect(g.cls[k]).toBeLessThan(2);
      expect(g.conf[k]).toBeGreaterThanOrEqual(0.5 - 1e-6);
      expect(g.conf[k]).toBeLessThanOrEqual(1 + 1e-6);
    }
    // The extent covers every point.
    const { x0, y0, size } = t.extent;
    for (let i = 0; i < t.data.n; i++) {
      expect(t.data.x[2 * i]).toBeGreaterThanOrEqual(x0);
      expect(t.data.x[2 * i]).toBeLessThanOrEqual(x0 + size);
      expect(t.data.x[2 * i + 1]).toBeGreaterThanOrEqual(y0);
      expect(t.data.x[2 * i + 1]).toBeLessThanOrEqual(y0 + size);
    }
  });

  it('builds every data set, activation and optimizer', () => {
    for (const dataset of ['moons', 'circles', 'spirals', 'xor'] as const)
      for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
        const t = createTrainer(normalizeTrainState({ dataset, optimizer, activation: 'tanh', hidden: [4] }));
        expect(Number.isFinite(t.step(2))).toBe(true);
      }
    expect(Number.isFinite(createTrainer(normalizeTrainState({ hidden: [] })).step(1))).toBe(true);
  });
});
