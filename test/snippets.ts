// The fenced code blocks of a Markdown document, for the tests that run them (test/snippets.test.ts runs
// every TypeScript block; test/torch/readme.test.ts runs the Python ones under real PyTorch).

/** One code block: its code, whether it is marked `fragment`, the ```text block right after it (its output), its line. */
export interface Snippet {
  code: string;
  fragment: boolean;
  expected: string | null;
  line: number;
}

/** The blocks of one language ('ts' also matches 'typescript'), each with the ```text block right after it, if any. */
export function extractSnippets(markdown: string, language: 'ts' | 'python' = 'ts'): Snippet[] {
  const names = language === 'ts' ? ['ts', 'typescript'] : [language];
  const fence = /```([^\n]*)\n([\s\S]*?)```/g;
  const blocks: { info: string[]; body: string; start: number; end: number }[] = [];
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    blocks.push({ info: m[1].trim().split(/\s+/), body: m[2], start: m.index, end: m.index + m[0].length });
  }
  const out: Snippet[] = [];
  blocks.forEach((b, i) => {
    if (!names.includes(b.info[0])) return;
    const next = blocks[i + 1];
    const adjacent = next && next.info[0] === 'text' && markdown.slice(b.end, next.start).trim() === '';
    out.push({
      code: b.body,
      fragment: b.info.includes('fragment'),
      expected: adjacent ? next.body : null,
      line: markdown.slice(0, b.start).split('\n').length,
    });
  });
  return out;
}

/** Output as compared: trailing spaces of each line and leading and trailing blank lines dropped. */
export const tidy = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
