// --save PATH and --resume PATH for the examples that train a @xent/nn model:
// one safetensors checkpoint with the model, the optimizer's state, and in its
// metadata the example's name and the number of epochs done. Resuming replays
// the batch order of those epochs (train's startEpoch), so `--epochs 6` in one
// go and `--epochs 3 --save c` then `--epochs 6 --resume c` end on the same bits.
import type { Command } from 'commander';
import { XentError } from '@xent/tensor';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { safetensorsMetadata, unpackCheckpoint, type Module } from '@xent/nn';
import { saveCheckpoint } from '@xent/nn/node';
import type { LRScheduler, Optimizer } from '@xent/optim';
import type { Output } from './output.js';
import { displayPath } from './plot.js';

/** The checkpoint flags' values. */
export interface CheckpointOptions {
  /** Write a checkpoint here after training (undefined: none). */
  save: string | undefined;
  /** Start from this checkpoint (undefined: from scratch). */
  resume: string | undefined;
}

/** Adds --save and --resume to a command. */
export function checkpointFlags(cmd: Command): void {
  cmd
    .option('--save <path>', 'after training, save model and optimizer to this safetensors file')
    .option('--resume <path>', 'continue from a checkpoint written by --save (up to --epochs in total)');
}

/** The --save / --resume values of a parsed command line. */
export function checkpointOptions(raw: Record<string, unknown>): CheckpointOptions {
  return { save: raw.save as string | undefined, resume: raw.resume as string | undefined };
}

/**
 * Loads `path` into the model, optimizer (and schedule) and returns the number of epochs
 * it was trained for. A checkpoint of another example, one trained for more epochs than
 * `epochs`, or one trained with another --lr than `lr` (the optimizer's state carries the
 * saved lr, so the run would report one lr and train with another) is an XentError (nothing is loaded).
 */
export function resumeFrom(
  path: string,
  example: string,
  epochs: number,
  lr: number,
  { model, optimizer, scheduler }: { model: Module; optimizer: Optimizer; scheduler?: LRScheduler },
  out: Output,
): number {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new XentError('INVALID_ARGUMENT', `--resume: cannot read '${path}' (${(e as Error).message}).`);
  }
  // Check what the file is before loading anything into the model.
  let meta: Record<string, string>;
  try {
    meta = safetensorsMetadata(bytes);
  } catch (e) {
    // Name the flag, not safetensorsMetadata (a function the user never called).
    if (!(e instanceof XentError)) throw e;
    throw new XentError(e.code, `--resume: '${path}' is not a checkpoint: ${e.message.replace(/^safetensorsMetadata: /, '')}`);
  }
  const done = Number(meta.epoch);
  if (meta.example !== example || !Number.isInteger(done) || done < 0) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `--resume: '${path}' was written by ${meta.example === undefined ? 'something else' : `the '${meta.example}' example`}, not '${example}'; resume from a checkpoint this example saved.`,
    );
  }
  if (done > epochs) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `--resume: '${path}' has ${done} epochs done, more than --epochs ${epochs}; pass --epochs ${done} or more.`,
    );
  }
  // Checkpoints written before the lr was saved have no 'lr': nothing to compare.
  if (meta.lr !== undefined && Number(meta.lr) !== lr) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `--resume: '${path}' was trained with --lr ${meta.lr}, not ${lr}; pass --lr ${meta.lr} to continue it (its optimizer state carries that lr).`,
    );
  }
  try {
    unpackCheckpoint(bytes, { model, optimizer, scheduler });
  } catch (e) {
    // The loader names its own parts ('0.weight' has shape …); say which flags decide them.
    if (!(e instanceof XentError)) throw e;
    throw new XentError(
      e.code,
      `--resume: '${path}' does not fit this run; pass the flags it was saved with (--hidden, --optimizer, --epochs, …). ${e.message}`,
    );
  }
  out.log(`resumed from ${displayPath(path)} after epoch ${done}`);
  return done;
}

/** Writes the checkpoint (atomically): model, optimizer, schedule, the example's name, the epochs done and the --lr. */
export function saveTo(
  path: string,
  example: string,
  epochs: number,
  lr: number,
  { model, optimizer, scheduler }: { model: Module; optimizer: Optimizer; scheduler?: LRScheduler },
  out: Output,
): void {
  saveCheckpoint(path, { model, optimizer, scheduler, metadata: { example, epoch: String(epochs), lr: String(lr) } });
  out.log(`saved model, optimizer${scheduler ? ' and schedule' : ''} after epoch ${epochs}: ${displayPath(path)}`);
}

/** Checks, before training, that --save can write where it points: its folder must exist, and the path must not be a folder. */
export function checkSavePath(path: string | undefined): void {
  if (path === undefined) return;
  const dir = dirname(resolve(path));
  let kind: 'folder' | 'file' | 'none' = 'none';
  try {
    kind = statSync(dir).isDirectory() ? 'folder' : 'file';
  } catch {
    kind = 'none';
  }
  if (kind !== 'folder') {
    const found = kind === 'file' ? 'is a file, not a folder' : 'does not exist';
    throw new XentError('INVALID_ARGUMENT', `--save: the folder '${dir}' ${found}; create it first or save elsewhere.`);
  }
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    // nothing there yet: the usual case
  }
  if (isFolder)
    throw new XentError(
      'INVALID_ARGUMENT',
      `--save: '${path}' is a folder; pass a file name such as '${join(path, 'model.safetensors')}'.`,
    );
}
