// Runs a Python program of this folder under real PyTorch: Debian's python3-torch (1.13), which
// `.ci/run` installs. Input goes in as JSON on stdin and the program's one JSON value comes back from
// stdout. Floats cross as JSON numbers: JS and Python both print the shortest string that reads back
// to the same float64, so no value is rounded on the way (non-finite values are avoided by the tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The interpreter that has torch: XENT_TORCH_PYTHON, else Debian's /usr/bin/python3. */
export const PYTHON = process.env.XENT_TORCH_PYTHON ?? '/usr/bin/python3';

/** Runs `test/torch/<script>` with `input` as JSON on stdin; returns the JSON it prints, or throws with its stderr. */
export function runTorch<T>(script: string, input: unknown): T {
  const path = fileURLToPath(new URL(script, import.meta.url));
  // spawnSync blocks vitest's own timeout, so the child has its own.
  const run = spawnSync(PYTHON, [path], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  if (run.error || run.status !== 0) {
    const why = run.error?.message ?? run.stderr;
    const fix = /No module named 'torch'|ENOENT/.test(why) ? ' — install Debian’s PyTorch: apt-get install python3-torch' : '';
    throw new Error(`${PYTHON} ${script} failed${fix}:\n${why}`);
  }
  return JSON.parse(run.stdout) as T;
}
