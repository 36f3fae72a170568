// Every fenced TypeScript block in the documents a user reads (README.md, each package's README,
// examples/README.md, docs/DESIGN.md) runs here, so the documents cannot drift from the code.
// A ```ts block followed directly by a ```text block must print exactly that text (its stdout,
// trailing spaces trimmed). A block marked ```ts fragment continues the prose around it (it uses
// names defined elsewhere) and is not run. Each block runs in its own process, written next to its
// document (so './src/…' imports resolve as the document says) and started in a scratch folder (so
// a block that writes a file, as the checkpoint example does, writes it there). Every runnable block also
// type-checks under the project's strict settings, as a user's TypeScript project would check it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSnippets, tidy } from './snippets.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const DOCUMENTS = [
  'README.md',
  'packages/tensor/README.md',
  'packages/autograd/README.md',
  'packages/losses/README.md',
  'packages/optim/README.md',
  'packages/nn/README.md',
  'examples/README.md',
  'docs/DESIGN.md',
];

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'xent-snippets-'));
const written: string[] = [];
afterAll(() => {
  for (const file of written) rmSync(file, { force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** Writes a block beside its document (so relative imports resolve as the document says) and returns the path. */
function writeBeside(document: string, line: number, code: string, kind: string): string {
  const file = join(root, dirname(document), `.snippet-${kind}-${document.replace(/\W/g, '_')}-${line}.ts`);
  written.push(file);
  writeFileSync(file, code);
  return file;
}

it('every runnable block type-checks (strict, as tsconfig.base.json)', async () => {
  // `export {}` makes each block a module, as it is when run: its names are its own, top-level await is allowed.
  const files = DOCUMENTS.flatMap((document) =>
    extractSnippets(readFileSync(join(root, document), 'utf8'))
      .filter((s) => !s.fragment)
      .map((s) => writeBeside(document, s.line, `${s.code}\nexport {};\n`, 'tc')),
  );
  const config = join(scratch, 'tsconfig.json');
  const compilerOptions = { noEmit: true, customConditions: ['@xent/source'], typeRoots: [join(root, 'node_modules', '@types')] };
  const ambient = readdirSync(join(root, 'examples/src/types')).map((f) => join(root, 'examples/src/types', f)); // what the examples import
  writeFileSync(config, JSON.stringify({ extends: join(root, 'tsconfig.base.json'), compilerOptions, files: [...files, ...ambient] }));
  const result = await run(process.execPath, [tsc, '-p', config], { cwd: root, timeout: 120_000 }).catch(
    (e: { stdout?: string; message: string }) => e,
  );
  expect('stdout' in result ? result.stdout : result.message).toBe('');
});

describe.each(DOCUMENTS)('%s: code blocks', (document) => {
  const snippets = extractSnippets(readFileSync(join(root, document), 'utf8'));

  it('has a TypeScript example that runs', () => {
    expect(snippets.filter((s) => !s.fragment).length).toBeGreaterThan(0);
  });

  it.concurrent.each(
    snippets.filter((s) => !s.fragment).map((s) => [s.line, s.expected === null ? 'runs' : 'prints what the document shows', s] as const),
  )('the block at line %i %s', async (line, _, s) => {
    const file = writeBeside(document, line, s.code, 'run');
    const cwd = mkdtempSync(join(scratch, 'run-'));
    const { stdout } = await run(tsx, ['--conditions=@xent/source', relative(cwd, file)], { cwd, timeout: 60_000 }).catch(
      (e: { stderr?: string; message: string }) => {
        throw new Error(`${document} line ${line} failed:\n${e.stderr ?? e.message}`);
      },
    );
    if (s.expected !== null) expect(tidy(stdout)).toBe(tidy(s.expected));
  });
});
