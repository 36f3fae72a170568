// The README's Python blocks run under real PyTorch (see python.ts), after the TypeScript block just
// before each, which writes the file the Python block opens; each must print its ```text block.
// `safetensors.torch.load_file` comes from shim/ (the safetensors package is not in Debian); every
// other line is the document's own. Both programs see the same scratch TMPDIR, so Node's tmpdir()
// and Python's tempfile.gettempdir() name the same folder.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSnippets, tidy } from '../snippets.js';
import { PYTHON } from './python.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'xent-readme-torch-'));
const beside = join(root, '.snippet-torch-readme.ts'); // in the repository, so '@xent/*' resolve
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(beside, { force: true });
});

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const python = extractSnippets(readme, 'python');
const typescript = extractSnippets(readme, 'ts').filter((s) => !s.fragment);

describe('README.md: Python blocks under PyTorch', () => {
  it('has one', () => expect(python.length).toBeGreaterThan(0));

  it.each(python.map((s) => [s.line, s] as const))('the block at line %i prints what the document shows', async (line, block) => {
    const env = { ...process.env, TMPDIR: scratch, PYTHONPATH: [join(here, 'shim'), here].join(':') };
    const before = typescript.filter((s) => s.line < line).at(-1);
    expect(before, 'a TypeScript block before it').toBeDefined();
    writeFileSync(beside, before!.code);
    await run(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=@xent/source', beside], { cwd: scratch, env, timeout: 60_000 });
    const { stdout } = await run(PYTHON, ['-c', block.code], { cwd: scratch, env, timeout: 60_000 }).catch(
      (e: { stderr?: string; message: string }) => {
        throw new Error(`README.md line ${line} failed:\n${e.stderr ?? e.message}`);
      },
    );
    expect(block.expected, 'a ```text block after it').not.toBeNull();
    expect(tidy(stdout)).toBe(tidy(block.expected!));
  });
});
