// Markdown for the console and for bench/RESULTS.md.
import os from 'node:os';
import { fmtNum, fmtSci, fmtTime, type RunOptions, type WorkloadResult } from './runner.js';

export interface Machine {
  node: string;
  cpu: string;
  cpus: number;
  platform: string;
  /** ISO date and time of the run. */
  date: string;
  /** Extra items, e.g. 'tfjs 4.22.0 (cpu backend)'. */
  extra: string[];
}

export function machineInfo(extra: string[] = [], now: Date = new Date()): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: (cpus[0]?.model ?? 'unknown CPU').trim().replace(/\s+/g, ' '),
    cpus: cpus.length,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    extra,
  };
}

export function machineLine(m: Machine): string {
  return [`Node ${m.node}`, `${m.cpu} × ${m.cpus} CPUs`, m.platform, ...m.extra, m.date].join(' · ');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** One workload: heading, description, the table, agreement, goals and notes. */
export function workloadMarkdown(r: WorkloadResult): string {
  const xent = r.rows.find((row) => row.kind === 'xent');
  const hasNotes = r.rows.some((row) => row.note);
  const header = ['implementation', 'dtype', 'median', 'min – max'];
  if (r.throughput) header.push(r.throughput.unit);
  if (r.perItem) header.push(`per ${r.perItem.unit}`);
  header.push('xent ÷ this', 'samples');
  const align = header.map((_, i) => (i < 2 ? ':--' : '--:'));
  const lines: string[] = [];
  lines.push(`### ${r.name}`, '', r.description, '');
  lines.push(`| ${header.join(' | ')} |`, `|${align.join('|')}|`);
  const noteMarks = new Map<string, string>();
  for (const row of r.rows) {
    let label = row.kind === 'xent' ? `**${row.name}**` : row.name;
    if (row.note) {
      const mark = '¹²³⁴⁵⁶⁷⁸⁹'[noteMarks.size] ?? '*';
      noteMarks.set(row.name, mark);
      label += mark;
    }
    const cells = [cell(label), row.dtype, fmtTime(row.median), `${fmtTime(row.min)} – ${fmtTime(row.max)}`];
    if (r.throughput) cells.push(fmtNum(r.throughput.perRun / r.throughput.scale / (row.median / 1000)));
    if (r.perItem) cells.push(fmtTime(row.median / r.perItem.perRun));
    cells.push(xent ? `${fmtNum(xent.median / row.median)}×` : '–');
    cells.push(row.inner > 1 ? `${row.samples.length} × ${row.inner} runs` : `${row.samples.length}`);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  if (hasNotes) {
    for (const row of r.rows) if (row.note) lines.push(`${noteMarks.get(row.name)} ${row.note}  `);
    lines.push('');
  }
  const agree = r.agreement.map((a) => `${a.impl} ${fmtSci(a.maxAbs)} / ${fmtSci(a.maxRel)} / ${fmtPct(a.used)}`).join('; ');
  lines.push(
    `Agreement with ${r.agreement[0]?.reference ?? 'the reference'} (max abs diff / max rel diff / share of the tolerance used): ${agree || '–'}.`,
    '',
  );
  if (r.goals.length > 0) {
    lines.push('Goals:', '');
    for (const g of r.goals)
      lines.push(`- ${g.met ? '✅ met' : '❌ missed'}: ${g.text} — measured ${ratioWords(g.ratio, g.baseline, g.subject)}`);
    lines.push('');
  }
  if (r.checks?.length) {
    lines.push('Checks:', '');
    for (const c of r.checks) lines.push(`- ${c.ok ? '✅ passed' : '❌ failed'}: ${c.name} — ${c.text}`);
    lines.push('');
  }
  for (const n of r.notes) lines.push(`Note: ${n}`, '');
  return lines.join('\n');
}

function fmtPct(x: number): string {
  if (x === 0) return '0%';
  const p = x * 100;
  return p < 0.1 ? '<0.1%' : `${fmtNum(p)}%`;
}

/** 0.25 → "xent 4.00× faster than tfjs"; 1.4 → "xent 1.40× slower than …" (or the goal's subject instead of xent). */
export function ratioWords(ratio: number, baseline: string, subject = 'xent'): string {
  if (ratio <= 1) return `${subject} ${fmtNum(1 / ratio)}× faster than ${baseline} (time ratio ${fmtNum(ratio)})`;
  return `${subject} ${fmtNum(ratio)}× slower than ${baseline} (time ratio ${fmtNum(ratio)})`;
}

/** The goals of every workload in one table. */
export function goalsMarkdown(results: readonly WorkloadResult[]): string {
  const rows = results.flatMap((r) => r.goals.map((g) => ({ w: r.name, g })));
  if (rows.length === 0) return '';
  // The ratio is the goal's subject (xent unless the goal names another row) over its baseline.
  const lines = ['| workload | goal | subject ÷ baseline (time) | status |', '|:--|:--|--:|:--|'];
  for (const { w, g } of rows) {
    lines.push(`| ${w} | ${cell(g.text)} | ${fmtNum(g.ratio)} (needs ≤ ${fmtNum(g.maxRatio)}) | ${g.met ? '✅ met' : '❌ missed'} |`);
  }
  return lines.join('\n') + '\n';
}

export interface ReportOptions {
  machine: Machine;
  mode: string;
  options: RunOptions;
  command: string;
  /** 1-minute load average when the run started. */
  loadAtStart?: number;
  /** This process's CPU time (user + system) over the wall time of the run: about 1 when it had a core to itself. */
  cpuShare?: number;
}

/** The whole of bench/RESULTS.md. */
export function resultsMarkdown(results: readonly WorkloadResult[], o: ReportOptions): string {
  const parts = [
    '# xent benchmarks',
    '',
    `Machine: ${machineLine(o.machine)}`,
    '',
    ...(o.cpuShare !== undefined
      ? [
          `CPU time of the benchmark process / wall time: ${o.cpuShare.toFixed(2)}` +
            (o.loadAtStart !== undefined ? ` (1-minute load average at the start: ${o.loadAtStart.toFixed(2)})` : '') +
            (o.cpuShare < 0.9
              ? ' — other processes took CPU time from this run, so the medians are inflated and the spread is wide; the min column is the least disturbed.'
              : ' — the benchmark had a core to itself.'),
          '',
        ]
      : []),
    `Made by \`${o.command}\` (${o.mode}: ≤ ${o.options.rounds} interleaved rounds per workload, ` +
      `≥ ${o.options.warmupRuns} warm-up runs and ${o.options.warmupMs} ms per implementation; ` +
      `median and min – max over the samples). Ratios are xent's median time divided by the row's: ` +
      `below 1 xent is faster. The workloads run one after another in one process; within a workload the implementations ` +
      `take turns round by round on the same seeded data, after an agreement check. See README.md for the method.`,
    '',
    '## Goals',
    '',
    goalsMarkdown(results) || 'No goals.\n',
    '## Results',
    '',
    ...results.map(workloadMarkdown),
  ];
  return (
    parts
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}
