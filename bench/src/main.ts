// pnpm bench [--quick] [--rounds N] [--heap-epochs N] [--write] [--list] [workload …]
// Runs the selected workloads one after another in this one process, prints a
// markdown table per workload, and writes bench/RESULTS.md after a full run.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { goalsMarkdown, machineInfo, machineLine, resultsMarkdown, workloadMarkdown } from './report.js';
import { AgreementError, CheckError, FULL_RUN, QUICK_RUN, runWorkload, type RunOptions, type WorkloadResult } from './runner.js';
import { tfVersion } from './tfjs.js';
import { allWorkloads, selectWorkloads } from './workloads/index.js';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

const HELP = `usage: pnpm bench [options] [workload …]

  workload      an exact name, or a part of names: 'matmul', 'softmax-f32', 'f64'
                (default: all)
  --quick       few rounds and a short warm-up (about a minute for everything)
  --rounds N    at most N timed rounds per workload
  --heap-epochs N
                epochs of the training workloads' heap check (default 20, 5 with --quick)
  --list        print the workloads and exit
  --write       write bench/RESULTS.md even for a --quick or partial run
                (a full run of every workload always writes it)
  -h, --help    this text`;

/** A mistake on the command line: reported in one line, exit code 2. */
class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        quick: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        'heap-epochs': { type: 'string' },
        list: { type: 'boolean', default: false },
        write: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function main(): Promise<number> {
  // pnpm may forward a lone '--' before the script's arguments.
  const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
  const { values, positionals } = parse(argv);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const all = allWorkloads();
  if (values.list) {
    const width = Math.max(...all.map((w) => w.name.length));
    for (const w of all) console.log(`${w.name.padEnd(width)}  ${w.description}`);
    return 0;
  }
  let selected;
  try {
    selected = selectWorkloads(all, positionals);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }

  const opts: RunOptions = { ...(values.quick ? QUICK_RUN : FULL_RUN), log: (line) => console.error(`  … ${line}`) };
  if (values.rounds !== undefined) {
    const n = Number(values.rounds);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--rounds needs a positive integer, got '${values.rounds}'`);
    opts.rounds = n;
    opts.minRounds = Math.min(opts.minRounds, n);
  }
  if (values['heap-epochs'] !== undefined) {
    const n = Number(values['heap-epochs']);
    if (!Number.isInteger(n) || n < 2) throw new UsageError(`--heap-epochs needs an integer ≥ 2, got '${values['heap-epochs']}'`);
    opts.heapEpochs = n;
  }
  const mode = values.quick ? 'quick run' : 'full run';
  const command = ['pnpm bench', ...argv].join(' ');
  const machine = machineInfo([`TensorFlow.js ${tfVersion()} (cpu and wasm backends)`]);
  console.log(`# xent benchmarks (${mode})\n\nMachine: ${machineLine(machine)}\n`);

  const loadStart = os.loadavg()[0];
  if (loadStart > 1)
    console.error(`note: 1-minute load average is ${loadStart.toFixed(2)}; other processes compete for the CPUs and will add noise.`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results: WorkloadResult[] = [];
  for (const w of selected) {
    console.error(`▶ ${w.name}`);
    const r = await runWorkload(w, opts);
    results.push(r);
    console.log(workloadMarkdown(r));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuShare = (cpu.user + cpu.system) / 1e6 / seconds;

  const goals = goalsMarkdown(results);
  if (goals) console.log(`## Goals\n\n${goals}`);
  const missed = results.flatMap((r) => r.goals).filter((g) => !g.met).length;
  console.log(`${results.length} workload(s) in ${seconds.toFixed(0)} s; ${missed === 0 ? 'every goal met' : `${missed} goal(s) missed`}.`);
  if (cpuShare < 0.9)
    console.log(
      `This process got ${(cpuShare * 100).toFixed(0)}% of the wall time on the CPU: other processes competed, the numbers are noisy.`,
    );

  const complete = !values.quick && selected.length === all.length;
  if (complete || values.write) {
    writeFileSync(RESULTS, resultsMarkdown(results, { machine, mode, options: opts, command, loadAtStart: loadStart, cpuShare }));
    console.log(`Wrote ${RESULTS}.`);
  } else {
    console.log(`RESULTS.md not updated (${values.quick ? 'quick' : 'partial'} run; pass --write to update it).`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`pnpm bench: ${err.message} (see --help)`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof AgreementError) console.error(`\n✖ ${err.message}\nNo timings are reported for implementations that disagree.`);
    else if (err instanceof CheckError) console.error(`\n✖ ${err.message}`);
    else console.error(`\n✖ ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
