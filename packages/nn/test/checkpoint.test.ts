// Checkpoints on disk: model + optimizer + schedule in one safetensors file,
// written atomically, loaded all-or-nothing — and resuming from one is exact.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, fromFlat, tensor, type Tensor } from '@xent/tensor';
import { mean, sparseSoftmaxCrossEntropyWithLogits } from '@xent/autograd';
import { Adam, SGD, StepLR } from '@xent/optim';
import {
  Linear,
  MLP,
  fromSafetensors,
  makeSpirals,
  packCheckpoint,
  safetensorsMetadata,
  unpackCheckpoint,
  type ToyDataset,
} from '@xent/nn';
import { loadCheckpoint, saveCheckpoint } from '@xent/nn/node';
import { expectXentError } from '../../../test/utils.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = makeSpirals({ n: 120, noise: 0.05, classes: 3, rng: new Rng(11) });

/** One epoch of mini-batches of 16 in an order fixed by (seed, epoch), so any epoch can be replayed alone. */
function trainEpoch(model: MLP, opt: Adam | SGD, ds: ToyDataset, epoch: number): void {
  const perm = new Rng(1000 + epoch).permutation(ds.n);
  for (let s = 0; s < ds.n; s += 16) {
    const idx = perm.subarray(s, Math.min(s + 16, ds.n));
    const x = fromFlat(Float64Array.from(Array.from(idx).flatMap((i) => [ds.x[2 * i], ds.x[2 * i + 1]])), [idx.length, 2]);
    const y = tensor(Int32Array.from(idx, (i) => ds.labels[i]));
    opt.zeroGrad();
    mean(sparseSoftmaxCrossEntropyWithLogits(y, model.forward(x))).backward();
    opt.step();
  }
}

const fresh = () => {
  const model = new MLP([2, 16, 16, 3], { rng: new Rng(5) });
  const opt = new Adam(model.parameters(), { lr: 0.02, weightDecay: 1e-4 });
  const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
  return { model, opt, sched };
};

const bits = (ps: Tensor[]) => ps.map((p) => Buffer.from(Float64Array.from(p.values()).buffer).toString('hex'));

describe('saveCheckpoint / loadCheckpoint', () => {
  it('resume is exact: 6 epochs straight = 3 epochs, save, load into new objects, 3 more (bit for bit)', () => {
    const a = fresh();
    for (let e = 0; e < 6; e++) {
      trainEpoch(a.model, a.opt, data, e);
      a.sched.step();
    }

    const b = fresh();
    for (let e = 0; e < 3; e++) {
      trainEpoch(b.model, b.opt, data, e);
      b.sched.step();
    }
    const path = join(dir, 'resume.safetensors');
    saveCheckpoint(path, { model: b.model, optimizer: b.opt, scheduler: b.sched, metadata: { epoch: '3' } });

    const c = fresh(); // freshly constructed: other initial weights until the load
    expect(bits(c.model.parameters())).not.toEqual(bits(b.model.parameters()));
    const meta = loadCheckpoint(path, { model: c.model, optimizer: c.opt, scheduler: c.sched });
    expect(meta).toEqual({ epoch: '3' });
    expect(c.opt.lr).toBe(b.opt.lr);
    for (let e = Number(meta.epoch); e < 6; e++) {
      trainEpoch(c.model, c.opt, data, e);
      c.sched.step();
    }
    expect(bits(c.model.parameters())).toEqual(bits(a.model.parameters()));
    expect(c.opt.lr).toBe(a.opt.lr);
    // And the run really moved: the weights differ from the 3-epoch ones.
    expect(bits(c.model.parameters())).not.toEqual(bits(b.model.parameters()));
  });

  it('writes a safetensors file with the model under its own names and the optimizer beside it', () => {
    const { model, opt, sched } = fresh();
    trainEpoch(model, opt, data, 0);
    const path = join(dir, 'layout.safetensors');
    saveCheckpoint(path, { model, optimizer: opt, scheduler: sched });
    const bytes = readFileSync(path);
    const t = fromSafetensors(bytes);
    expect(Object.keys(t).slice(0, 6)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    expect(t['0.weight'].shape).toEqual([16, 2]);
    expect(Object.keys(t)).toContain('optimizer.state.5.exp_avg_sq');
    const meta = safetensorsMetadata(bytes);
    expect(meta.format).toBe('pt');
    expect(JSON.parse(meta['xent.optimizer']).state['0'].step).toBe(8);
    expect(JSON.parse(meta['xent.scheduler'])).toMatchObject({ last_epoch: 0, step_size: 2 });
    // Saved without an optimizer: only the model's tensors.
    saveCheckpoint(path, { model });
    expect(Object.keys(fromSafetensors(readFileSync(path)))).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
  });

  it('writes atomically: no temporary files remain, an existing file is replaced whole', () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const path = join(sub, 'm.safetensors');
    writeFileSync(path, 'old');
    const model = new Linear(3, 2);
    saveCheckpoint(path, { model });
    saveCheckpoint(path, { model });
    expect(readdirSync(sub)).toEqual(['m.safetensors']);
    expect(Object.keys(fromSafetensors(readFileSync(path)))).toEqual(['weight', 'bias']);
    // A failing save (bad metadata) leaves the old file and no temporary file.
    expectXentError(() => saveCheckpoint(path, { model, metadata: { n: 1 as never } }));
    expect(readdirSync(sub)).toEqual(['m.safetensors']);
    expectXentError(() => saveCheckpoint(path, { model, metadata: { format: 'x' } }));
  });

  it('a failed load changes nothing: not the model, not the optimizer', () => {
    const src = fresh();
    trainEpoch(src.model, src.opt, data, 0);
    const path = join(dir, 'adam.safetensors');
    saveCheckpoint(path, { model: src.model, optimizer: src.opt });

    // Right model, wrong optimizer: the model load succeeds first and must be rolled back.
    const model = new MLP([2, 16, 16, 3], { rng: new Rng(9) });
    const sgd = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const before = bits(model.parameters());
    const e = expectXentError(() => loadCheckpoint(path, { model, optimizer: sgd }));
    expect(e.message).toMatch(/SGD\.loadStateDict/);
    expect(bits(model.parameters())).toEqual(before);
    expect(sgd.stateDict().state).toEqual({});

    // Wrong architecture.
    const other = new MLP([2, 8, 3]);
    const otherBefore = bits(other.parameters());
    expect(expectXentError(() => loadCheckpoint(path, { model: other })).message).toMatch(
      /'0.weight' has shape \[16, 2\], the parameter \[8, 2\]/,
    );
    expect(bits(other.parameters())).toEqual(otherBefore);

    // An optimizer requested from a file saved without one.
    const bare = join(dir, 'bare.safetensors');
    saveCheckpoint(bare, { model: src.model });
    const m2 = new MLP([2, 16, 16, 3], { rng: new Rng(9) });
    expect(expectXentError(() => loadCheckpoint(bare, { model: m2, optimizer: new Adam(m2.parameters()) })).message).toMatch(
      /saved without one/,
    );
    expect(bits(m2.parameters())).toEqual(before);
  });

  it('refuses files that are not checkpoints, and paths that do not exist', () => {
    const junk = join(dir, 'junk.safetensors');
    writeFileSync(junk, 'this is not a checkpoint at all');
    expectXentError(() => loadCheckpoint(junk, { model: new Linear(2, 2) }));
    expect(expectXentError(() => loadCheckpoint(join(dir, 'nope.safetensors'), { model: new Linear(2, 2) })).message).toMatch(
      /cannot read/,
    );
    expectXentError(() => saveCheckpoint('', { model: new Linear(2, 2) }));
    expectXentError(() => saveCheckpoint(join(dir, 'x.safetensors'), { model: {} as never }));
  });

  it('a misspelt part (optimiser) is refused, not silently left out of the save or the load', () => {
    const src = fresh();
    trainEpoch(src.model, src.opt, data, 0);
    const sub = mkdtempSync(join(dir, 'typo-'));
    const path = join(sub, 'typo.safetensors');
    const save = () => saveCheckpoint(path, { model: src.model, optimiser: src.opt } as never);
    expectXentError(save, 'INVALID_OPTION', 'saveCheckpoint', "'optimiser'", "did you mean 'optimizer'");
    expect(readdirSync(sub)).toEqual([]); // nothing written

    saveCheckpoint(path, { model: src.model, optimizer: src.opt, scheduler: src.sched });
    const c = fresh();
    const before = bits(c.model.parameters());
    // Before: the model was loaded and the optimizer silently kept its fresh state.
    expectXentError(
      () => loadCheckpoint(path, { model: c.model, optimizer: c.opt, Scheduler: c.sched } as never),
      'INVALID_OPTION',
      'loadCheckpoint',
      "did you mean 'scheduler'",
    );
    expectXentError(() => loadCheckpoint(path, { model: c.model, metadata: {} } as never), 'INVALID_OPTION', "'metadata'");
    expect(bits(c.model.parameters())).toEqual(before);
    expect(c.opt.stateDict().state).toEqual({});
  });

  it('parts inherited from a polluted Object.prototype are neither saved nor loaded into', () => {
    const src = fresh();
    trainEpoch(src.model, src.opt, data, 0);
    const proto = Object.prototype as Record<string, unknown>;
    const path = join(dir, 'polluted.safetensors');
    proto.optimizer = src.opt;
    proto.metadata = { epoch: '9' };
    try {
      saveCheckpoint(path, { model: src.model });
      // Before: the inherited optimizer and metadata were saved as if given.
      expect(Object.keys(fromSafetensors(readFileSync(path)))).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
      expect(safetensorsMetadata(readFileSync(path))).toEqual({ format: 'pt' });
      saveCheckpoint(path, { model: src.model, optimizer: src.opt });
      const c = fresh();
      proto.optimizer = c.opt;
      loadCheckpoint(path, { model: c.model }); // the inherited optimizer is not a target
      expect(c.opt.stateDict().state).toEqual({});
    } finally {
      delete proto.optimizer;
      delete proto.metadata;
    }
  });

  it('non-enumerable metadata is saved (and checked), a symbol key is refused: Object.entries skipped both silently', () => {
    const model = new Linear(2, 2);
    const metadata = { epoch: '3' };
    Object.defineProperty(metadata, 'run', { value: 'b' });
    expect(unpackCheckpoint(packCheckpoint({ model, metadata }), { model })).toEqual({ epoch: '3', run: 'b' });
    const reserved = {};
    Object.defineProperty(reserved, 'format', { value: 'x' });
    expectXentError(() => packCheckpoint({ model, metadata: reserved }), 'INVALID_ARGUMENT', "the metadata key 'format' is reserved");
    expectXentError(() => packCheckpoint({ model, metadata: { [Symbol('s')]: 'x' } as never }), 'INVALID_ARGUMENT', 'Symbol(s)');
  });

  it("an optimizer whose stateDict() is not PyTorch's { state, param_groups } is an XentError (a raw TypeError before)", () => {
    const model = new Linear(2, 2);
    const fake = (sd: unknown) => ({ stateDict: () => sd, loadStateDict: () => undefined }) as never;
    expectXentError(
      () => packCheckpoint({ model, optimizer: fake(null) }),
      'INVALID_ARGUMENT',
      "packCheckpoint: the optimizer's stateDict() is null",
    );
    expectXentError(() => packCheckpoint({ model, optimizer: fake({}) }), 'INVALID_ARGUMENT', 'stateDict().state is undefined');
    expectXentError(() => packCheckpoint({ model, optimizer: fake({ state: { 0: 3 } }) }), 'INVALID_ARGUMENT', 'stateDict().state[0] is 3');
    expectXentError(() => packCheckpoint({ model, optimizer: fake({ state: new Map() }) }), 'INVALID_ARGUMENT', 'a Map');
  });

  it('a path holding a NUL character is an XentError (it was a raw TypeError from the clean-up of the temporary file)', () => {
    const model = new Linear(2, 2);
    expectXentError(() => saveCheckpoint(join(dir, 'a\0b.safetensors'), { model }), 'INVALID_ARGUMENT', 'saveCheckpoint', 'NUL');
    expectXentError(() => loadCheckpoint(join(dir, 'a\0b.safetensors'), { model }), 'INVALID_ARGUMENT', 'loadCheckpoint', 'NUL');
  });
});
