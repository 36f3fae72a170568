// @xent/nn/node: checkpoint files on disk (Node only — the main entry never
// imports node:fs, so browser bundles stay free of it).
//
// saveCheckpoint writes the whole file to a temporary name in the same folder
// and renames it over the target: a crash mid-write leaves the old checkpoint
// intact, never a half-written one.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { XentError } from '@xent/tensor';
import { checkArgCount } from '@xent/tensor/internal';
import { checkTargets, pack, unpack, type CheckpointContents, type CheckpointTargets } from './checkpoint.js';

export type { CheckpointContents, CheckpointTargets, StatefulOptimizer, StatefulScheduler } from './checkpoint.js';

function checkPath(owner: string, path: unknown): string {
  if (typeof path !== 'string' || path === '')
    throw new XentError('INVALID_ARGUMENT', `${owner}: path must be a file name such as 'model.safetensors', got ${String(path)}.`);
  if (path.includes('\0'))
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: path ${JSON.stringify(path)} holds a NUL character, which no file name can; remove it.`,
    );
  return path;
}

/**
 * Saves the model (and the optimizer and schedule, when given) as one
 * safetensors file at `path`, atomically (temp file + rename). The model's
 * tensors keep their names, so PyTorch loads them with
 * model.load_state_dict(safetensors.torch.load_file(path)). A path that
 * cannot be written (a folder, a missing folder, no permission) is an
 * XentError, and any file already at `path` is left as it was.
 */
export function saveCheckpoint(path: string, contents: CheckpointContents): void {
  checkArgCount('saveCheckpoint', arguments.length, 2, 'pass (path, { model, optimizer, scheduler, metadata })');
  checkPath('saveCheckpoint', path);
  const bytes = pack('saveCheckpoint', contents);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new XentError(
      'INVALID_ARGUMENT',
      `saveCheckpoint: cannot write '${path}' (${(e as Error).message}); pass a path in a folder that exists and that you can write to. Nothing was written.`,
    );
  }
}

/**
 * Loads a checkpoint written by saveCheckpoint into the model (and the
 * optimizer and schedule, when given); returns the metadata saved with it.
 * A file that is not valid safetensors, or whose tensors do not fit the
 * model or optimizer, is an XentError and nothing is changed.
 */
export function loadCheckpoint(path: string, targets: CheckpointTargets): Record<string, string> {
  checkArgCount('loadCheckpoint', arguments.length, 2, 'pass (path, { model, optimizer, scheduler })');
  checkPath('loadCheckpoint', path);
  checkTargets('loadCheckpoint', targets); // a wrong target is reported whatever the file holds
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new XentError('INVALID_ARGUMENT', `loadCheckpoint: cannot read '${path}' (${(e as Error).message}); check the path.`);
  }
  return unpack('loadCheckpoint', bytes, targets);
}
