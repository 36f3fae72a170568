// A checkpoint is one safetensors file holding a model, and optionally the
// state of its optimizer and learning-rate schedule:
//
//   tensors   the model's state dict under its own names ('0.weight', …), so
//             safetensors.torch.load_file(path) gives what torch's
//             model.load_state_dict() takes; optimizer buffers under
//             'optimizer.state.<index>.<key>' ('optimizer.state.0.exp_avg')
//   metadata  'format': 'pt'; 'xent.optimizer' and 'xent.scheduler': JSON of
//             the non-tensor parts (param_groups, Adam's step counts, the
//             schedule's epoch); plus the caller's own string metadata
//
// packCheckpoint / unpackCheckpoint work on bytes (browser-safe); the file
// helpers saveCheckpoint / loadCheckpoint are in '@xent/nn/node'.
import { Tensor, XentError } from '@xent/tensor';
import { checkArgCount, customOption, describe, parseOptions } from '@xent/tensor/internal';
import { Module, assignInPlace, planLoad } from './module.js';
import { checkPlainObject, ownEntries } from './dict.js';
import { parseSafetensors, toSafetensors, type TensorDict } from './safetensors.js';

/** Anything with PyTorch-style optimizer state (every optimizer in @xent/optim). */
export interface StatefulOptimizer {
  /** A copy of the state: per-parameter buffers and counters by index, and the parameter groups (PyTorch's shape). */
  stateDict(): { state: Record<number, Record<string, Tensor | number>>; param_groups: object[] };
  /** Restores what stateDict() returned; throws an XentError, changing nothing, when it does not fit. */
  loadStateDict(sd: { state: Record<number, Record<string, Tensor | number>>; param_groups: never[] }): void;
}

/** Anything with a JSON-able state (the schedules in @xent/optim). */
export interface StatefulScheduler {
  /** The schedule's position as a JSON-able object (PyTorch's scheduler.state_dict()). */
  stateDict(): object;
  /** Restores what stateDict() returned; throws an XentError, changing nothing, when it does not fit. */
  loadStateDict(sd: never): void;
}

/** What a checkpoint holds. */
export interface CheckpointContents {
  model: Module;
  optimizer?: StatefulOptimizer;
  scheduler?: StatefulScheduler;
  /** Your own strings (epoch, data set, …); keys starting with 'xent.' and 'format' are reserved. */
  metadata?: Record<string, string>;
}

/** Where a checkpoint is loaded into. */
export interface CheckpointTargets {
  model: Module;
  optimizer?: StatefulOptimizer;
  scheduler?: StatefulScheduler;
}

/** What a checkpoint can check of an optimizer or schedule it is given: the two methods (what they return is checked where it is read). */
interface Stateful {
  stateDict(): unknown;
  loadStateDict(sd: unknown): void;
}

/** Any value: the parts are checked by name below; the schemas only refuse a misspelt part ('optimiser'), which was silently not saved or loaded. */
const part = customOption<unknown, unknown>(undefined, (v) => v);
const TARGET_PARTS = { model: part, optimizer: part, scheduler: part };
const CONTENT_PARTS = { ...TARGET_PARTS, metadata: part };

const OPT_PREFIX = 'optimizer.state.';
const OPT_KEY = 'xent.optimizer';
const SCHED_KEY = 'xent.scheduler';
/** Metadata keys the checkpoint uses itself: 'format' and every 'xent.' key (as CheckpointContents says). */
const isReserved = (key: string): boolean => key === 'format' || key.startsWith('xent.');

/**
 * The bytes of a checkpoint (a safetensors file, see the file header) for
 * the model and, when given, the optimizer and schedule. Names that would
 * collide, reserved metadata keys, metadata that is not a plain object of
 * strings, and an optimizer or schedule without stateDict() are XentErrors.
 */
export function packCheckpoint(contents: CheckpointContents): Uint8Array {
  checkArgCount('packCheckpoint', arguments.length, 1, 'pass one object, e.g. packCheckpoint({ model, optimizer, scheduler, metadata })');
  return pack('packCheckpoint', contents);
}

/** packCheckpoint, with `owner` (packCheckpoint or saveCheckpoint) named in its errors. */
export function pack(owner: string, contents: CheckpointContents): Uint8Array {
  checkPlainObject(owner, 'the contents', contents, 'pass { model, optimizer?, scheduler?, metadata? }');
  // The parsed parts, not `contents.x`: a name inherited from a polluted Object.prototype is not a part.
  const { model, optimizer, scheduler, metadata = {} } = parseOptions(owner, contents, CONTENT_PARTS);
  checkModel(owner, model);
  checkStateful(owner, 'optimizer', optimizer);
  checkStateful(owner, 'scheduler', scheduler);
  checkPlainObject(owner, "option 'metadata'", metadata, 'pass a plain object of strings');
  const entries = ownEntries(metadata).map(([k, v]): [string, string] => {
    if (isReserved(k))
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: the metadata key '${k}' is reserved ('format' and keys starting with 'xent.'); pick another name.`,
      );
    if (typeof v !== 'string')
      throw new XentError('INVALID_ARGUMENT', `${owner}: metadata '${k}' is ${typeof v}; values must be strings (JSON.stringify them).`);
    return [k, v];
  });
  const tensors: TensorDict = { ...model.stateDict() };
  for (const name of Object.keys(tensors)) {
    if (name.startsWith('optimizer.')) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: the model has a parameter '${name}', which collides with the optimizer's names; pick another name for the child module.`,
      );
    }
  }
  const meta: Record<string, string> = { format: 'pt', ...Object.fromEntries(entries) };
  if (optimizer !== undefined) {
    // Checked as read: an object that merely has the two methods gave a raw TypeError here.
    const sd = optimizer.stateDict();
    const fix = 'pass an optimizer from @xent/optim (stateDict() gives { state: { index: { key: value } }, param_groups })';
    checkPlainObject(owner, "the optimizer's stateDict()", sd, fix);
    checkPlainObject(owner, "the optimizer's stateDict().state", sd.state, fix);
    const rest: Record<string, Record<string, unknown>> = {};
    for (const [i, entry] of ownEntries(sd.state)) {
      checkPlainObject(owner, `the optimizer's stateDict().state[${i}]`, entry, fix);
      rest[i] = {};
      for (const [key, v] of ownEntries(entry)) {
        if (v instanceof Tensor) tensors[`${OPT_PREFIX}${i}.${key}`] = v;
        else rest[i][key] = v;
      }
    }
    meta[OPT_KEY] = JSON.stringify({ state: rest, param_groups: sd.param_groups });
  }
  if (scheduler !== undefined) meta[SCHED_KEY] = JSON.stringify(scheduler.stateDict());
  return toSafetensors(tensors, meta);
}

/**
 * Loads checkpoint bytes into the model and, when given, the optimizer and
 * schedule; returns the caller's metadata. The model is loaded strictly
 * (missing or unexpected names, other shapes or dtypes are refused). If any
 * part fails, the parts already loaded are restored and the parameters are
 * not written at all: a failed load changes nothing. Optimizer state in the
 * file is ignored when no optimizer is given.
 */
export function unpackCheckpoint(bytes: Uint8Array, targets: CheckpointTargets): Record<string, string> {
  checkArgCount('unpackCheckpoint', arguments.length, 2, 'pass (bytes, { model, optimizer, scheduler })');
  return unpack('unpackCheckpoint', bytes, targets);
}

/** unpackCheckpoint, with `owner` (unpackCheckpoint or loadCheckpoint) named in its errors. */
export function unpack(owner: string, bytes: Uint8Array, targets: CheckpointTargets): Record<string, string> {
  const { model, optimizer, scheduler } = checkTargets(owner, targets);
  const { tensors, metadata } = parseSafetensors(owner, bytes);
  const optTensors: [string, Tensor][] = [];
  for (const [name, t] of Object.entries(tensors)) if (name.startsWith(OPT_PREFIX)) optTensors.push([name.slice(OPT_PREFIX.length), t]);
  // fromEntries: a parameter named '__proto__' stays an entry (assigning it would set the prototype).
  const modelSd: TensorDict = Object.fromEntries(Object.entries(tensors).filter(([name]) => !name.startsWith(OPT_PREFIX)));
  const optSd = optimizer === undefined ? undefined : optimizerState(owner, metadata[OPT_KEY], optTensors);
  const schedSd = scheduler === undefined ? undefined : parseJson(owner, SCHED_KEY, metadata[SCHED_KEY], 'a schedule');
  // The model is checked first (its errors say most), the schedule and the optimizer are loaded
  // (and put back if the other fails), and only then are the parameters written: a write bumps
  // their versions, and a graph recorded before a failed load would then refuse its backward.
  const plan = planLoad(model, modelSd);
  const undo: (() => void)[] = [];
  try {
    if (scheduler !== undefined) {
      const saved = scheduler.stateDict();
      scheduler.loadStateDict(schedSd);
      undo.push(() => scheduler.loadStateDict(saved));
    }
    if (optimizer !== undefined) optimizer.loadStateDict(optSd);
  } catch (e) {
    for (const u of undo) u();
    throw e;
  }
  for (const [p, v] of plan.writes) assignInPlace(p, v);
  return Object.fromEntries(Object.entries(metadata).filter(([k]) => !isReserved(k)));
}

/** Checks the targets of a load (a plain object of a model and optionally an optimizer and a schedule, no other names) before anything is read. */
export function checkTargets(owner: string, targets: CheckpointTargets): { model: Module; optimizer?: Stateful; scheduler?: Stateful } {
  checkPlainObject(owner, 'the targets', targets, 'pass { model, optimizer?, scheduler? }');
  const { model, optimizer, scheduler } = parseOptions(owner, targets, TARGET_PARTS); // own names only (see pack)
  checkModel(owner, model);
  checkStateful(owner, 'optimizer', optimizer);
  checkStateful(owner, 'scheduler', scheduler);
  return { model, optimizer, scheduler };
}

function checkModel(owner: string, model: unknown): asserts model is Module {
  if (!(model instanceof Module)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: option 'model' must be a Module from @xent/nn (got ${describe(model)}); pass the model to save or load into.`,
    );
  }
}

/** An optimizer or schedule must have stateDict() and loadStateDict() (undefined means none). */
function checkStateful(owner: string, what: string, value: unknown): asserts value is Stateful | undefined {
  if (value === undefined) return;
  const o = value as { stateDict?: unknown; loadStateDict?: unknown } | null;
  if (o === null || typeof o !== 'object' || typeof o.stateDict !== 'function' || typeof o.loadStateDict !== 'function') {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: option '${what}' has no stateDict()/loadStateDict() (got ${describe(value)}); pass ${what === 'optimizer' ? 'an optimizer' : 'a schedule'} from @xent/optim, or leave it out.`,
    );
  }
}

function parseJson(owner: string, key: string, text: string | undefined, what: string): object {
  if (text === undefined)
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: the checkpoint holds no state for ${what} ('${key}' is missing); it was saved without one — pass no ${key === OPT_KEY ? 'optimizer' : 'scheduler'} to load it.`,
    );
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object') return v;
  } catch {
    // fall through to the error below
  }
  throw new XentError(
    'INVALID_ARGUMENT',
    `${owner}: the metadata '${key}' is not a JSON object; the checkpoint is corrupt — write it again.`,
  );
}

/** Rebuilds an optimizer state dict from the JSON part and the 'optimizer.state.<i>.<key>' tensors. */
function optimizerState(owner: string, text: string | undefined, tensors: [string, Tensor][]): object {
  const sd = parseJson(owner, OPT_KEY, text, 'an optimizer') as { state?: unknown; param_groups?: unknown };
  const state: Record<string, Record<string, unknown>> = {};
  if (sd.state !== null && typeof sd.state === 'object') Object.assign(state, sd.state);
  for (const [rest, t] of tensors) {
    const dot = rest.indexOf('.');
    const i = rest.slice(0, dot);
    if (dot < 1 || !/^\d+$/.test(i))
      throw new XentError(
        'INVALID_ARGUMENT',
        `${owner}: the tensor 'optimizer.state.${rest}' is not named optimizer.state.<index>.<key>; the checkpoint is corrupt — write it again.`,
      );
    state[i] = { ...(state[i] ?? {}), [rest.slice(dot + 1)]: t };
  }
  return { state, param_groups: sd.param_groups };
}
