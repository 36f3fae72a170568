// Learning-rate schedules, used like PyTorch's torch.optim.lr_scheduler:
//
//   const opt = new SGD(params, { lr: 0.1 });
//   const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
//   for (let epoch = 0; epoch < 100; epoch++) { train(opt); sched.step(); }
//
// A schedule starts at epoch e = 0 keeping the lr it finds, with η₀ = the lr the first schedule on
// that optimizer found (PyTorch's initial_lr). Each step() advances e by one and sets opt.lr from
// the lr it finds there, as PyTorch's chainable get_lr() does, so a second schedule on the same
// optimizer, or an lr set by hand, is carried on rather than undone:
//
//   StepLR:            lr ← lr · γ          when stepSize divides e (else unchanged)
//   CosineAnnealingLR: lr ← η_min + (lr − η_min) · (1 + cos(π·e/T_max)) / (1 + cos(π·(e−1)/T_max)),
//                      and at the top of each period (e − 1 − T_max a multiple of 2·T_max, where
//                      that quotient is 0/0) lr ← lr + (η₀ − η_min)(1 − cos(π/T_max)) / 2
//
// When nothing else changes the lr these give the closed forms lrAt(e) (PyTorch's
// _get_closed_form_lr), up to rounding:
//
//   StepLR:            η(e) = η₀ · γ^⌊e / stepSize⌋
//   CosineAnnealingLR: η(e) = η_min + (η₀ − η_min) · (1 + cos(π·e / T_max)) / 2
//
// (Past T_max the cosine keeps going, rising back to η₀ at 2·T_max, as in PyTorch; stop
// stepping at T_max to hold η_min.) A schedule written by extending LRScheduler with only a
// closed form cannot chain: its step() refuses when opt.lr is not the value it set last.
import { XentError } from '@xent/tensor';
import { checkArgCount, checkOption, formatValue, numberOption, requiredOption, type OptionsOf } from '@xent/tensor/internal';
import type { Optimizer } from './optimizer.js';
import { scheduleOptions } from './options.js';
import type { SchedulerStateDict } from './state.js';

/** What a schedule drives: anything with a mutable learning rate (every Optimizer). */
export type LrTarget = Pick<Optimizer, 'lr'>;

const SCHEDULED_LR = numberOption(0, '[0, ∞)', 'the schedule overflowed or went negative: use a gamma nearer 1, a lower etaMin');

/** lrAt's argument: one epoch, a whole number ≥ 0 (lrAt(NaN) gave NaN, lrAt(-1) an lr above η₀, lrAt(3, 1) dropped the 1). */
function checkEpoch(where: string, epoch: unknown, n: number): void {
  checkArgCount(where, n, 1, 'pass the epoch only');
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0) {
    throw new XentError('INVALID_ARGUMENT', `${where}: epoch is ${formatValue(epoch)}; pass a whole number ≥ 0.`);
  }
}

/**
 * PyTorch's param_group['initial_lr']: the lr the first schedule created on an optimizer found. Every
 * schedule on that optimizer takes it as η₀ (baseLr), also one created after another has changed the lr.
 */
const initialLrs = new WeakMap<LrTarget, number>();

/** The base of the schedules: the epoch count, the lr set last, and step(). */
export abstract class LRScheduler {
  readonly optimizer: LrTarget;
  /** η₀: the optimizer's lr when the first schedule on it was created (PyTorch's initial_lr). */
  readonly baseLr: number;
  private epoch = 0;
  private last: number;

  /** The class name used in error messages. */
  readonly name: string;

  protected constructor(name: string, optimizer: LrTarget) {
    this.name = name;
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${name}: the first argument must be an optimizer (new SGD(…), new Adam(…), …) whose lr it schedules.`,
      );
    }
    const lr = optimizer.lr;
    try {
      optimizer.lr = lr; // a schedule sets lr at every step: find out now that it can (the same value, no change)
    } catch {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${name}: the optimizer's lr cannot be set (a getter without a setter, or a frozen object); a schedule sets lr at every step — pass an optimizer (new SGD(…), …) or an object with a writable lr.`,
      );
    }
    this.optimizer = optimizer;
    this.baseLr = initialLrs.get(optimizer) ?? lr;
    this.last = lr;
  }

  /**
   * Sets the optimizer's lr for epoch 0 (chainedLr(0, lr)) and, for the first schedule on it, records
   * η₀; called at the end of each subclass constructor, so a schedule that fails to build records nothing.
   */
  protected start(): void {
    this.last = checkOption(this.name, 'the lr of epoch 0', this.chainedLr(0, this.optimizer.lr), SCHEDULED_LR);
    if (!initialLrs.has(this.optimizer)) initialLrs.set(this.optimizer, this.baseLr);
    this.optimizer.lr = this.last;
  }

  /** The closed form η(e) for epoch e ≥ 0. */
  abstract lrAt(epoch: number): number;

  /**
   * The lr of epoch e from `lr`, the optimizer's lr now (PyTorch's chainable get_lr()). This
   * default has no chainable form: it refuses an lr that something else changed (by hand, another
   * schedule, the optimizer's state loaded without the schedule's), since η(e) would silently
   * undo it, and otherwise gives lrAt(e). StepLR and CosineAnnealingLR override it and chain.
   */
  protected chainedLr(epoch: number, lr: number): number {
    if (lr !== this.last) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.name}.step: the optimizer's lr is ${formatValue(lr)}, but this schedule set ${this.last}: something else changed it (lr set by hand, another schedule on the same optimizer, or the optimizer's state loaded without the schedule's). Setting η(epoch ${epoch}) would silently undo that: override chainedLr(epoch, lr) to carry it on, as StepLR and CosineAnnealingLR do, set lr before creating the schedule, or load the schedule's state with the optimizer's.`,
      );
    }
    return this.lrAt(epoch);
  }

  /**
   * Advances one epoch and sets the optimizer's lr from the lr it has now (chainedLr, as
   * PyTorch's step()); returns the new lr. A new lr that is not a finite number ≥ 0 (γ^k
   * overflowing) throws INVALID_OPTION and changes nothing.
   */
  step(): number {
    if (arguments.length > 0) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.name}.step takes no argument: it advances one epoch (PyTorch's deprecated step(epoch) jumps to that epoch instead). Call step() once per epoch.`,
      );
    }
    const lr = this.chainedLr(this.epoch + 1, this.optimizer.lr);
    checkOption(this.name, `the lr of epoch ${this.epoch + 1}`, lr, SCHEDULED_LR);
    this.optimizer.lr = lr;
    this.epoch += 1;
    this.last = lr;
    return lr;
  }

  /** Number of step() calls so far (PyTorch's last_epoch). */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** The lr this schedule set last (PyTorch's get_last_lr()). */
  get lastLr(): number {
    return this.last;
  }

  /**
   * The schedule's position, shaped like PyTorch's scheduler.state_dict():
   * `{ last_epoch, base_lrs: [η₀], _last_lr: [lr], …settings }` (StepLR adds
   * step_size and gamma, CosineAnnealingLR T_max and eta_min).
   */
  stateDict(): SchedulerStateDict {
    checkArgCount(`${this.name}.stateDict`, arguments.length, 0, 'it takes no argument');
    return { ...this.settings(), last_epoch: this.epoch, base_lrs: [this.baseLr], _last_lr: [this.last] };
  }

  /**
   * Restores a position saved by stateDict() into a schedule built with the
   * same settings (a different setting is an XentError, and nothing changes).
   * Like PyTorch, it does not touch the optimizer's lr: restore the
   * optimizer's own state for that.
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const owner = `${this.constructor.name}.loadStateDict`;
    checkArgCount(owner, arguments.length, 1, 'pass what stateDict() returned, only');
    if (sd === null || typeof sd !== 'object')
      throw new XentError('INVALID_ARGUMENT', `${owner}: the state dict is ${formatValue(sd)}; pass what stateDict() returned.`);
    const { last_epoch: epoch, base_lrs: base, _last_lr: last } = sd;
    const lrList = (v: unknown): v is [number] =>
      Array.isArray(v) && v.length === 1 && typeof v[0] === 'number' && Number.isFinite(v[0]) && v[0] >= 0;
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0 || !lrList(base) || !lrList(last)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: expected { last_epoch: whole number ≥ 0, base_lrs: [lr], _last_lr: [lr] }, found last_epoch ${formatValue(epoch)}, base_lrs ${formatValue(base)}, _last_lr ${formatValue(last)}.`,
      );
    }
    const mine = this.settings();
    const known = new Set([...Object.keys(mine), 'last_epoch', 'base_lrs', '_last_lr']);
    for (const k of Object.keys(sd)) {
      if (!known.has(k))
        throw new XentError(
          'INVALID_ARGUMENT',
          `${owner}: the saved state has '${k}', which ${this.constructor.name} does not; is it another schedule's state?`,
        );
    }
    for (const [k, v] of Object.entries(mine)) {
      if (!Object.is(sd[k], v)) {
        throw new XentError(
          'INVALID_ARGUMENT',
          `${owner}: the state was saved with ${k} = ${formatValue(sd[k])} but this schedule has ${v}; build it with the saved settings.`,
        );
      }
    }
    (this as { baseLr: number }).baseLr = base[0];
    initialLrs.set(this.optimizer, base[0]); // as PyTorch's optimizer state carries initial_lr to later schedules
    this.epoch = epoch;
    this.last = last[0];
  }

  /** The schedule's own settings in PyTorch's names (step_size, gamma, T_max, eta_min), stored in stateDict(). */
  protected settings(): Record<string, number> {
    return {};
  }
}

const parseStepLR = scheduleOptions('StepLR', {
  /** Epochs between decays: a whole number ≥ 1. */
  stepSize: requiredOption(numberOption(1, '[1, ∞) whole'), 'pass the epochs between decays, e.g. new StepLR(opt, { stepSize: 30 })'),
  /** Factor γ ≥ 0 applied every stepSize epochs (default 0.1). */
  gamma: numberOption(0.1, '[0, ∞)', 'use e.g. gamma: 0.1 (the default)'),
});
/** Options of StepLR: η(e) = η₀ · γ^⌊e / stepSize⌋. */
export type StepLROptions = OptionsOf<typeof parseStepLR.schema>;

/** Step decay: lr ← lr · γ every stepSize epochs; alone, η(e) = η₀ · γ^⌊e / stepSize⌋. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: LrTarget, options: StepLROptions) {
    checkArgCount('StepLR', arguments.length, 2, 'pass every option in the options, e.g. { stepSize: 30, gamma: 0.1 }');
    super('StepLR', optimizer);
    const o = parseStepLR(options);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma;
    this.start();
  }

  lrAt(epoch: number): number {
    checkEpoch('StepLR.lrAt', epoch, arguments.length);
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }

  protected override chainedLr(epoch: number, lr: number): number {
    return epoch > 0 && epoch % this.stepSize === 0 ? lr * this.gamma : lr;
  }

  protected override settings(): Record<string, number> {
    return { step_size: this.stepSize, gamma: this.gamma };
  }
}

const parseCosine = scheduleOptions('CosineAnnealingLR', {
  /** Half-period T_max in epochs: a whole number ≥ 1 (the lr reaches etaMin at epoch T_max). */
  tMax: requiredOption(numberOption(1, '[1, ∞) whole'), 'pass the epochs to anneal over, e.g. new CosineAnnealingLR(opt, { tMax: 100 })'),
  /** The smallest lr η_min ≥ 0 (default 0). */
  etaMin: numberOption(0, '[0, ∞)', 'use e.g. etaMin: 0 (the default)'),
});
/** Options of CosineAnnealingLR: η(e) = η_min + (η₀ − η_min)(1 + cos(πe/T_max))/2. */
export type CosineAnnealingLROptions = OptionsOf<typeof parseCosine.schema>;

/** Cosine annealing (SGDR without restarts), chained as in PyTorch; alone, η(e) = η_min + (η₀ − η_min)(1 + cos(πe/T_max))/2. */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: LrTarget, options: CosineAnnealingLROptions) {
    checkArgCount('CosineAnnealingLR', arguments.length, 2, 'pass every option in the options, e.g. { tMax: 100, etaMin: 0 }');
    super('CosineAnnealingLR', optimizer);
    const o = parseCosine(options);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin;
    this.start();
  }

  lrAt(epoch: number): number {
    checkEpoch('CosineAnnealingLR.lrAt', epoch, arguments.length);
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }

  // PyTorch's operations in PyTorch's order, so that the lrs agree to the last bit (cos aside).
  protected override chainedLr(epoch: number, lr: number): number {
    const { tMax: T, etaMin: min } = this;
    if (epoch === 0) return lr;
    if ((epoch - 1 - T) % (2 * T) === 0) return lr + ((this.baseLr - min) * (1 - Math.cos(Math.PI / T))) / 2;
    return ((1 + Math.cos((Math.PI * epoch) / T)) / (1 + Math.cos((Math.PI * (epoch - 1)) / T))) * (lr - min) + min;
  }

  protected override settings(): Record<string, number> {
    return { T_max: this.tMax, eta_min: this.etaMin };
  }
}
