// Contract (issue 12, packages/nn/README.md, the README's "Save, resume, take it to PyTorch"): checkpoints are
// safetensors files holding the model under its own names and the optimizer's buffers as
// optimizer.state.<index>.<key>; saveCheckpoint writes atomically, loadCheckpoint returns the metadata and is
// all-or-nothing; resuming from a checkpoint gives the same bits as never stopping; an MLP learns the moons.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, fromFlat, tensor, type Tensor } from '@xent/tensor';
import { sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { Adam, AdamW, SGD, StepLR } from '@xent/optim';
import { MLP, makeMoons, packCheckpoint, unpackCheckpoint } from '@xent/nn';
import { loadCheckpoint, saveCheckpoint } from '@xent/nn/node';
import { expectXentError, flatOf, parseSafetensors, rowsOf } from './ref.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-contract-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = makeMoons({ n: 64, noise: 0.1, rng: new Rng(1) });
const x = fromFlat(data.x, [data.n, 2]);
const y = tensor(data.labels);
const step = (m: MLP, o: { zeroGrad(): void; step(): void }, steps: number, xs: Tensor = x, ys: Tensor = y) => {
  for (let s = 0; s < steps; s++) {
    o.zeroGrad();
    sparseSoftmaxCrossEntropyWithLogits(ys, m.forward(xs)).backward();
    o.step();
  }
};
const bits = (m: MLP) => m.parameters().map((p) => Array.from(new Uint8Array(Float64Array.from(flatOf(p)).buffer)));

describe('what a checkpoint file holds', () => {
  it('model tensors under their names and values, Adam state as optimizer.state.<i>.exp_avg / exp_avg_sq, metadata', () => {
    const m = new MLP([2, 4, 2], { rng: new Rng(0) });
    const opt = new Adam(m.parameters(), { lr: 0.01 });
    step(m, opt, 3);
    const path = join(dir, 'a.safetensors');
    saveCheckpoint(path, { model: m, optimizer: opt, metadata: { epoch: '3' } });
    const f = parseSafetensors(new Uint8Array(readFileSync(path)));
    for (const [name, p] of m.namedParameters()) {
      expect(f.entries[name]).toMatchObject({ dtype: 'F64', shape: [...p.shape] });
      expect(f.values[name]).toEqual(flatOf(p));
    }
    const sd = opt.stateDict();
    for (let i = 0; i < 4; i++) {
      for (const key of ['exp_avg', 'exp_avg_sq']) {
        const name = `optimizer.state.${i}.${key}`;
        expect(f.keys).toContain(name);
        expect(f.values[name]).toEqual(flatOf(sd.state[i]![key] as Tensor));
      }
    }
    expect(f.metadata?.['epoch']).toBe('3');
    // the model's own names are a PyTorch state dict once the optimizer entries are filtered out
    expect(f.keys.filter((k) => !k.startsWith('optimizer.'))).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('SGD with momentum: optimizer.state.<i>.momentum_buffer, equal to the optimizer’s own buffers', () => {
    const m = new MLP([2, 3, 2], { rng: new Rng(41) });
    const opt = new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
    step(m, opt, 2);
    const f = parseSafetensors(packCheckpoint({ model: m, optimizer: opt }));
    const sd = opt.stateDict();
    expect(f.keys.filter((k) => k.startsWith('optimizer.'))).toEqual([0, 1, 2, 3].map((i) => `optimizer.state.${i}.momentum_buffer`));
    for (let i = 0; i < 4; i++)
      expect(f.values[`optimizer.state.${i}.momentum_buffer`]).toEqual(flatOf(sd.state[i]!['momentum_buffer'] as Tensor));
  });

  it('saveCheckpoint leaves only the file behind (temp file renamed) and overwrites an existing one', () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const path = join(sub, 'm.safetensors');
    writeFileSync(path, 'old contents');
    const m = new MLP([2, 3, 2], { rng: new Rng(2) });
    saveCheckpoint(path, { model: m });
    expect(readdirSync(sub)).toEqual(['m.safetensors']);
    expect(parseSafetensors(new Uint8Array(readFileSync(path))).values['0.weight']).toEqual(flatOf(m.parameters()[0]!));
  });

  it('packCheckpoint gives the same bytes saveCheckpoint writes; unpackCheckpoint returns the metadata', () => {
    const m = new MLP([2, 3, 2], { rng: new Rng(3) });
    const path = join(dir, 'p.safetensors');
    saveCheckpoint(path, { model: m, metadata: { tag: 'x' } });
    const bytes = packCheckpoint({ model: m, metadata: { tag: 'x' } });
    expect(Array.from(new Uint8Array(readFileSync(path)))).toEqual(Array.from(bytes));
    const m2 = new MLP([2, 3, 2], { rng: new Rng(4) });
    expect(unpackCheckpoint(bytes, { model: m2 })).toEqual({ tag: 'x' });
    expect(m2.parameters().map(flatOf)).toEqual(m.parameters().map(flatOf));
  });
});

describe('resume is exact', () => {
  it.each([
    ['Adam', (m: MLP) => new Adam(m.parameters(), { lr: 0.02 })],
    ['SGD with momentum', (m: MLP) => new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 })],
    ['AdamW', (m: MLP) => new AdamW(m.parameters(), { lr: 0.02, weightDecay: 0.1 })],
  ] as const)('%s: 6 steps straight = 3, save, load into fresh objects, 3 more (bitwise)', (_, makeOpt) => {
    const straight = new MLP([2, 8, 2], { rng: new Rng(5) });
    step(straight, makeOpt(straight), 6);

    const first = new MLP([2, 8, 2], { rng: new Rng(5) });
    const opt1 = makeOpt(first);
    step(first, opt1, 3);
    const path = join(dir, 'resume.safetensors');
    saveCheckpoint(path, { model: first, optimizer: opt1 });

    const resumed = new MLP([2, 8, 2], { rng: new Rng(99) });
    const opt2 = makeOpt(resumed);
    loadCheckpoint(path, { model: resumed, optimizer: opt2 });
    step(resumed, opt2, 3);
    expect(bits(resumed)).toEqual(bits(straight));
    // and a run that skips the optimizer state is not the same (so the state in the file matters)
    const noState = new MLP([2, 8, 2], { rng: new Rng(98) });
    loadCheckpoint(path, { model: noState });
    step(noState, makeOpt(noState), 3);
    expect(bits(noState)).not.toEqual(bits(straight));
  });
});

describe('float32 models', () => {
  it('are saved as F32 and load into float32 models only', () => {
    const m = new MLP([2, 3, 2], { dtype: 'float32', rng: new Rng(30) });
    const bytes = packCheckpoint({ model: m });
    const f = parseSafetensors(bytes);
    expect(f.keys.map((k) => f.entries[k]!.dtype)).toEqual(['F32', 'F32', 'F32', 'F32']);
    expect(f.values['0.weight']).toEqual(flatOf(m.parameters()[0]!));
    const m32 = new MLP([2, 3, 2], { dtype: 'float32', rng: new Rng(31) });
    unpackCheckpoint(bytes, { model: m32 });
    expect(m32.parameters().map(flatOf)).toEqual(m.parameters().map(flatOf));
    const m64 = new MLP([2, 3, 2], { rng: new Rng(32) });
    const before = m64.parameters().map(flatOf);
    expectXentError(() => unpackCheckpoint(bytes, { model: m64 }));
    expect(m64.parameters().map(flatOf)).toEqual(before);
  });
});

describe('schedules in checkpoints', () => {
  it('Adam + StepLR: 6 steps straight = 3, save, load optimizer and schedule into fresh objects, 3 more (bitwise, same lr)', () => {
    const run = (m: MLP, o: Adam, s: StepLR, n: number) => {
      for (let i = 0; i < n; i++) {
        step(m, o, 1);
        s.step();
      }
    };
    const straight = new MLP([2, 8, 2], { rng: new Rng(12) });
    const o0 = new Adam(straight.parameters(), { lr: 0.05 });
    run(straight, o0, new StepLR(o0, { stepSize: 2, gamma: 0.5 }), 6);

    const first = new MLP([2, 8, 2], { rng: new Rng(12) });
    const o1 = new Adam(first.parameters(), { lr: 0.05 });
    const s1 = new StepLR(o1, { stepSize: 2, gamma: 0.5 });
    run(first, o1, s1, 3);
    const path = join(dir, 'sched.safetensors');
    saveCheckpoint(path, { model: first, optimizer: o1, scheduler: s1, metadata: { epoch: '3' } });

    const resumed = new MLP([2, 8, 2], { rng: new Rng(13) });
    const o2 = new Adam(resumed.parameters(), { lr: 0.05 });
    const s2 = new StepLR(o2, { stepSize: 2, gamma: 0.5 });
    expect(loadCheckpoint(path, { model: resumed, optimizer: o2, scheduler: s2 })).toEqual({ epoch: '3' });
    expect(o2.lr).toBe(0.05 * 0.5); // η₀·γ^⌊3/2⌋
    run(resumed, o2, s2, 3);
    expect(o2.lr).toBe(o0.lr);
    expect(o2.lr).toBe(0.05 * 0.5 ** 3);
    expect(bits(resumed)).toEqual(bits(straight));
  });

  it('a schedule and an optimizer that do not fit: refused, schedule, optimizer and model as they were', () => {
    const m = new MLP([2, 3, 2], { rng: new Rng(14) });
    const o = new Adam(m.parameters(), { lr: 0.01 });
    const s = new StepLR(o, { stepSize: 2, gamma: 0.5 });
    step(m, o, 3);
    s.step();
    const bytes = packCheckpoint({ model: m, optimizer: o, scheduler: s });

    const m3 = new MLP([2, 3, 2], { rng: new Rng(15) });
    const o3 = new SGD(m3.parameters(), { lr: 0.01 }); // another optimizer kind
    const s3 = new StepLR(o3, { stepSize: 2, gamma: 0.5 });
    const before = { p: m3.parameters().map(flatOf), o: JSON.stringify(o3.stateDict()), s: JSON.stringify(s3.stateDict()), lr: o3.lr };
    expectXentError(() => unpackCheckpoint(bytes, { model: m3, optimizer: o3, scheduler: s3 }));
    expect({ p: m3.parameters().map(flatOf), o: JSON.stringify(o3.stateDict()), s: JSON.stringify(s3.stateDict()), lr: o3.lr }).toEqual(
      before,
    );
  });

  it('asking for optimizer state a checkpoint does not hold is refused', () => {
    const m = new MLP([2, 3, 2], { rng: new Rng(16) });
    const bytes = packCheckpoint({ model: m });
    const m2 = new MLP([2, 3, 2], { rng: new Rng(17) });
    const before = m2.parameters().map(flatOf);
    expectXentError(() => unpackCheckpoint(bytes, { model: m2, optimizer: new Adam(m2.parameters(), { lr: 0.01 }) }));
    expect(m2.parameters().map(flatOf)).toEqual(before);
  });
});

describe('a failed load changes nothing', () => {
  it('a checkpoint of another architecture: model and optimizer keep their values and state', () => {
    const other = new MLP([2, 5, 2], { rng: new Rng(6) });
    const path = join(dir, 'other.safetensors');
    saveCheckpoint(path, { model: other, optimizer: new Adam(other.parameters(), { lr: 0.01 }) });
    const m = new MLP([2, 4, 2], { rng: new Rng(7) });
    const opt = new Adam(m.parameters(), { lr: 0.01 });
    step(m, opt, 2);
    const before = m.parameters().map(flatOf);
    const optBefore = JSON.stringify(opt.stateDict(), (_, v: unknown) => (v instanceof Object && 'shape' in v ? flatOf(v as Tensor) : v));
    expectXentError(() => loadCheckpoint(path, { model: m, optimizer: opt }));
    expect(m.parameters().map(flatOf)).toEqual(before);
    expect(JSON.stringify(opt.stateDict(), (_, v: unknown) => (v instanceof Object && 'shape' in v ? flatOf(v as Tensor) : v))).toBe(
      optBefore,
    );
  });

  it('an optimizer of the wrong kind or shape refuses and leaves the model as it was', () => {
    const a = new MLP([2, 4, 2], { rng: new Rng(8) });
    const optA = new Adam(a.parameters(), { lr: 0.01 });
    step(a, optA, 2);
    const bytes = packCheckpoint({ model: a, optimizer: optA });
    const m = new MLP([2, 4, 2], { rng: new Rng(9) });
    const before = m.parameters().map(flatOf);
    expectXentError(() => unpackCheckpoint(bytes, { model: m, optimizer: new Adam(m.parameters(), { lr: 0.01, betas: [0.5, 0.9] }) }));
    expect(m.parameters().map(flatOf)).toEqual(before);
  });

  it('files that cannot be written or read: an XentError, no temp file left behind', () => {
    const sub = mkdtempSync(join(dir, 'fs-'));
    mkdirSync(join(sub, 'adir'));
    const m = new MLP([2, 2], { rng: new Rng(40) });
    const before = m.parameters().map(flatOf);
    expectXentError(() => saveCheckpoint(join(sub, 'missing', 'x.safetensors'), { model: m }));
    expectXentError(() => saveCheckpoint(join(sub, 'adir'), { model: m })); // the rename onto a folder fails
    expectXentError(() => saveCheckpoint(join(sub, 'y.safetensors'), { model: m, metadata: { epoch: 3 as unknown as string } }));
    expect(readdirSync(sub)).toEqual(['adir']);
    expectXentError(() => loadCheckpoint(join(sub, 'missing.safetensors'), { model: m }));
    expectXentError(() => loadCheckpoint(join(sub, 'adir'), { model: m }));
    expect(m.parameters().map(flatOf)).toEqual(before);
  });

  it('a corrupted file (truncated) is an XentError and loads nothing', () => {
    const a = new MLP([2, 4, 2], { rng: new Rng(10) });
    const bytes = packCheckpoint({ model: a });
    const m = new MLP([2, 4, 2], { rng: new Rng(11) });
    const before = m.parameters().map(flatOf);
    const path = join(dir, 'cut.safetensors');
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    expectXentError(() => loadCheckpoint(path, { model: m }));
    expect(m.parameters().map(flatOf)).toEqual(before);
  });
});

describe('an MLP learns the moons', () => {
  it('2-16-16-2 with Adam: 100 % training accuracy on 200 points (noise 0.1), counted by us', () => {
    const d = makeMoons({ n: 200, noise: 0.1, rng: new Rng(1) });
    const xs = fromFlat(d.x, [d.n, 2]);
    const m = new MLP([2, 16, 16, 2], { rng: new Rng(0) });
    step(m, new Adam(m.parameters(), { lr: 0.01 }), 200, xs, tensor(d.labels));
    const logits = rowsOf(m.forward(xs));
    const correct = logits.filter((z, i) => (z[1]! > z[0]! ? 1 : 0) === d.labels[i]).length;
    expect(correct).toBe(200);
  });
});
