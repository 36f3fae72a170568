// Every fenced TypeScript block in README.md runs here, so the README cannot
// drift from the code. A ```ts block followed directly by a ```text block
// must print exactly that text (console.log output, trailing spaces trimmed).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const dir = join(root, 'test', '.readme-snippets');

interface Snippet {
  code: string;
  expected: string | null;
  line: number;
}

export function extractSnippets(markdown: string): Snippet[] {
  const out: Snippet[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  const blocks: { lang: string; body: string; start: number; end: number }[] = [];
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    blocks.push({ lang: m[1], body: m[2], start: m.index, end: m.index + m[0].length });
  }
  blocks.forEach((b, i) => {
    if (b.lang !== 'ts' && b.lang !== 'typescript') return;
    const next = blocks[i + 1];
    const adjacent = next && next.lang === 'text' && markdown.slice(b.end, next.start).trim() === '';
    out.push({ code: b.body, expected: adjacent ? next.body : null, line: markdown.slice(0, b.start).split('\n').length });
  });
  return out;
}

const tidy = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

describe('README.md code blocks', () => {
  const snippets = extractSnippets(readme);
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has TypeScript examples', () => {
    expect(snippets.length).toBeGreaterThan(3);
  });

  snippets.forEach((s, i) => {
    it(`block ${i + 1} (README line ${s.line}) runs${s.expected !== null ? ' and prints what the README shows' : ''}`, async () => {
      const file = join(dir, `snippet-${i + 1}.ts`);
      writeFileSync(file, s.code);
      const lines: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(format(...args));
      });
      try {
        await import(pathToFileURL(file).href);
      } finally {
        spy.mockRestore();
      }
      if (s.expected !== null) expect(tidy(lines.join('\n'))).toBe(tidy(s.expected));
    });
  });
});
