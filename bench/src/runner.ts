// The benchmark runner: warm-up, an agreement check, interleaved timed rounds
// and the statistics. It knows nothing about xent, TensorFlow.js or any one
// workload; workloads (src/workloads/*.ts) describe themselves with the types below.

import { getGc } from './gc.js';

export type FloatDType = 'float32' | 'float64';

/** What an implementation hands back for the agreement check: any flat array of numbers. */
export type Values = ArrayLike<number>;

/**
 * Who an implementation is. Exactly one per workload is `'xent'` (the subject);
 * every ratio in the tables is xent's time divided by another implementation's.
 * `'variant'` is xent too, through another entry point or with other options
 * (the bare fused op under a public loss, `validate: false`, param + backward
 * beside valueAndGrad): a baseline from the same library, never the reference.
 */
export type ImplKind = 'xent' | 'variant' | 'tfjs' | 'loop';

/** One way of doing a workload's computation, on data the workload's setup() prepared. */
export interface Impl {
  /** Row label, short and unique within the workload: 'xent', 'tfjs', 'loop: naive i-k-j'. */
  name: string;
  kind: ImplKind;
  /**
   * The precision this implementation really computes in, when it is not the
   * workload's (TensorFlow.js has no float64, so it runs float32 in a float64
   * workload). Picks the tolerance of the agreement check; shown in the table.
   */
  dtype?: FloatDType;
  /** One line shown under the table, e.g. why this row computes in float32. */
  note?: string;
  /**
   * The timed work, once. It must finish the whole computation before it
   * returns (or before its promise settles): TensorFlow.js results are read
   * with dataSync() in here. It should keep its output for result().
   */
  run(): unknown;
  /** The output of the latest run(), row-major. Not timed. */
  result(): Values;
}

/** The data and implementations of one workload, made by Workload.setup(). */
export interface Prepared {
  impls: Impl[];
  /** Frees what setup() made (TensorFlow.js tensors) and may check for leaks; throwing fails the workload. */
  dispose?(): void;
  /**
   * Untimed checks run after the timed rounds (heap flat over 20 epochs of
   * training): each outcome is reported under the table, and one that fails
   * fails the workload (CheckError) like a disagreement does.
   */
  checks?: Check[];
}

/** An untimed property of xent a workload verifies besides its timings. */
export interface Check {
  /** What is checked, e.g. 'heap over 20 epochs of xent softmax regression'. */
  name: string;
  /** Gets the run's options: a quick run may check less (fewer epochs). */
  run(opts: RunOptions): CheckResult | Promise<CheckResult>;
}

export interface CheckResult {
  ok: boolean;
  /** The measurements and the verdict in one line, for the report. */
  text: string;
}

/**
 * A goal for xent: median(xent) / median(baseline) ≤ maxRatio.
 * "xent at least 3× faster than tfjs" is { baseline: 'tfjs', maxRatio: 1 / 3 };
 * "within 1.3× of the loop" is { baseline: 'loop: …', maxRatio: 1.3 }.
 */
export interface Goal {
  /** Name of the implementation xent is compared with. */
  baseline: string;
  /**
   * Name of the implementation in the numerator, when it is not the xent row:
   * a 'variant' (e.g. the loss with validate: false against the bare fused op).
   */
  subject?: string;
  maxRatio: number;
  /** Wording for the report; made from the numbers when absent. */
  text?: string;
}

/**
 * got agrees with ref when, at every index, |got − ref| ≤ rtol·|ref| + atol·max|ref|:
 * relative for the large entries, and absolute, in units of the output's largest
 * magnitude, for entries near zero (where sums cancel and relative error means nothing).
 */
export interface Tolerance {
  rtol: number;
  /** Absolute part, as a fraction of max|ref| (so one tolerance fits outputs of any scale). */
  atol: number;
}

/** Agreement tolerances by the precision of the less precise of the two implementations compared. */
export const DEFAULT_TOLERANCE: Record<FloatDType, Tolerance> = {
  float64: { rtol: 1e-9, atol: 1e-12 },
  float32: { rtol: 1e-4, atol: 1e-5 },
};

export interface Throughput {
  /** Work per run, in base units (flops for matmul, elements for softmax). */
  perRun: number;
  /** Column header, e.g. 'GFLOP/s'. */
  unit: string;
  /** Base units per displayed unit, e.g. 1e9 for GFLOP/s. */
  scale: number;
}

/** A time-per-item column: the median divided by the items of one run (µs per op of an autograd chain). */
export interface PerItem {
  /** Items per run, e.g. 10000 ops. */
  perRun: number;
  /** What one item is, for the column header 'per op'. */
  unit: string;
}

/** A named computation timed side by side in several implementations. */
export interface Workload {
  /** Unique, kebab-case; the CLI selects by it: `pnpm bench matmul` runs every name containing 'matmul'. */
  name: string;
  /** One sentence: what is computed, shapes, dtype. */
  description: string;
  /** The workload's precision: xent's dtype and the default of its implementations. */
  dtype: FloatDType;
  goals?: Goal[];
  /** Adds a throughput column (GFLOP/s, Melem/s). */
  throughput?: Throughput;
  /** Adds a time-per-item column (µs per op). */
  perItem?: PerItem;
  /** Overrides DEFAULT_TOLERANCE per precision. */
  tolerance?: Partial<Record<FloatDType, Tolerance>>;
  /** Extra lines printed under the table. */
  notes?: string[];
  /** Caps the timed phase of this workload (seconds) below RunOptions.maxSeconds, for slow runs (a training epoch); minRounds still holds. */
  maxSeconds?: number;
  /** Makes the (seeded) data and the implementations. Called once per run of the workload, untimed. */
  setup(): Prepared | Promise<Prepared>;
}

export interface RunOptions {
  /** Timed rounds at most; each round runs every implementation once, in a rotated order. */
  rounds: number;
  /** Rounds at least, even past maxSeconds. */
  minRounds: number;
  /** No new round starts once the timed phase has taken this long. */
  maxSeconds: number;
  /** Untimed runs per implementation before timing, at least … */
  warmupRuns: number;
  /** … and at least this many milliseconds of them (lets the JIT settle). */
  warmupMs: number;
  /** Fast implementations are called several times per sample so a sample lasts at least this long. */
  minSampleMs: number;
  /** Progress lines (to stderr in the CLI); silent when absent. */
  log?: (line: string) => void;
  /** A smoke test (--quick): untimed checks may do less work (the heap check runs 5 epochs, not 20). */
  quick?: boolean;
  /** Epochs of the training workloads' heap check (--heap-epochs), overriding the workload's count and --quick's. */
  heapEpochs?: number;
}

export const FULL_RUN: RunOptions = { rounds: 40, minRounds: 12, maxSeconds: 40, warmupRuns: 3, warmupMs: 400, minSampleMs: 10 };
export const QUICK_RUN: RunOptions = { rounds: 5, minRounds: 3, maxSeconds: 6, warmupRuns: 1, warmupMs: 60, minSampleMs: 5, quick: true };

export interface ImplStats {
  name: string;
  kind: ImplKind;
  dtype: FloatDType;
  note?: string;
  /** Milliseconds per run, one entry per timed sample. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** Runs per sample (1 unless the implementation is faster than minSampleMs). */
  inner: number;
}

export interface AgreementRow {
  impl: string;
  reference: string;
  tolerance: Tolerance;
  /** max|ref|, the scale of the atol part. */
  scale: number;
  /** max |got − ref|. */
  maxAbs: number;
  /** max |got − ref| / |ref| over the entries with |ref| ≥ 1e-3·max|ref| (near-zero entries would only show cancellation). */
  maxRel: number;
  /** max |got − ref| / allowed: the share of the tolerance used; ok when ≤ 1. */
  used: number;
  /** Index where `used` is reached (−1 when all are equal). */
  worst: number;
  ok: boolean;
  /** The two values at `worst`. */
  worstRef?: number;
  worstGot?: number;
  /** Set when the two outputs do not even have the same length. */
  lengthMismatch?: { ref: number; got: number };
}

export interface GoalResult {
  text: string;
  /** The numerator's implementation: the xent row unless the goal names a subject. */
  subject: string;
  baseline: string;
  maxRatio: number;
  /** median(subject) / median(baseline). */
  ratio: number;
  met: boolean;
}

export interface WorkloadResult {
  name: string;
  description: string;
  dtype: FloatDType;
  throughput?: Throughput;
  perItem?: PerItem;
  notes: string[];
  rows: ImplStats[];
  agreement: AgreementRow[];
  goals: GoalResult[];
  /** Outcomes of the workload's untimed checks (all passed: a failed one throws CheckError). */
  checks?: (CheckResult & { name: string })[];
  rounds: number;
  seconds: number;
}

/** Thrown when an untimed check of a workload fails (the heap grows from epoch to epoch, …). */
export class CheckError extends Error {
  constructor(
    readonly workload: string,
    readonly checks: (CheckResult & { name: string })[],
  ) {
    super(
      `${workload}: check failed:\n` +
        checks
          .filter((c) => !c.ok)
          .map((c) => `  ${c.name}: ${c.text}`)
          .join('\n'),
    );
    this.name = 'CheckError';
  }
}

/** Thrown (loudly) when implementations disagree: their timings would be meaningless. */
export class AgreementError extends Error {
  constructor(
    readonly workload: string,
    readonly rows: AgreementRow[],
    readonly phase: 'before timing' | 'after timing',
  ) {
    const bad = rows.filter((r) => !r.ok);
    super(
      `${workload}: implementations disagree (${phase}):\n` +
        bad
          .map((r) =>
            r.lengthMismatch
              ? `  ${r.impl} gave ${r.lengthMismatch.got} values, ${r.reference} gave ${r.lengthMismatch.ref}`
              : `  ${r.impl} vs ${r.reference}: max abs diff ${fmtSci(r.maxAbs)}, max rel diff ${fmtSci(r.maxRel)}, ` +
                `${fmtNum(r.used)}× the tolerance at index ${r.worst} (${r.impl} ${r.worstGot}, ${r.reference} ${r.worstRef}); ` +
                `tolerance ${fmtSci(r.tolerance.rtol)}·|ref| + ${fmtSci(r.tolerance.atol)}·${fmtSci(r.scale)}`,
          )
          .join('\n'),
    );
    this.name = 'AgreementError';
  }
}

// ---------------------------------------------------------------- statistics

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

// ---------------------------------------------------------------- agreement

/**
 * Compares got with ref elementwise under `tolerance` (see Tolerance). NaN must
 * meet NaN and an infinity the same infinity; anything else there fails.
 */
export function compareValues(ref: Values, got: Values, tolerance: Tolerance): Omit<AgreementRow, 'impl' | 'reference'> {
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const a = Math.abs(ref[i]);
    if (a > scale && a !== Infinity) scale = a;
  }
  if (ref.length !== got.length) {
    return {
      tolerance,
      scale,
      maxAbs: Infinity,
      maxRel: Infinity,
      used: Infinity,
      worst: -1,
      ok: false,
      lengthMismatch: { ref: ref.length, got: got.length },
    };
  }
  const floor = tolerance.atol * scale;
  const relFloor = 1e-3 * scale;
  let maxAbs = 0;
  let maxRel = 0;
  let used = 0;
  let worst = -1;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    const g = got[i];
    if (r === g || (r !== r && g !== g)) continue; // equal (infinities included) or both NaN
    // NaN, or an infinity on one side only, makes d NaN or ∞: never within tolerance.
    const d = Math.abs(g - r);
    const bad = !Number.isFinite(d);
    const u = bad ? Infinity : d / (floor + tolerance.rtol * Math.abs(r));
    if (bad || d > maxAbs) maxAbs = bad ? Infinity : d;
    if (bad || (Math.abs(r) >= relFloor && d / Math.abs(r) > maxRel)) maxRel = bad ? Infinity : d / Math.abs(r);
    // u is NaN only for 0/0 (a difference with a zero tolerance): count that as outside.
    if (u > used || u !== u || worst < 0) {
      used = u !== u ? Infinity : u;
      worst = i;
    }
  }
  const row: Omit<AgreementRow, 'impl' | 'reference'> = { tolerance, scale, maxAbs, maxRel, used, worst, ok: used <= 1 };
  if (worst >= 0) {
    row.worstRef = ref[worst];
    row.worstGot = got[worst];
  }
  return row;
}

function toleranceFor(w: Workload, a: FloatDType, b: FloatDType): Tolerance {
  const d: FloatDType = a === 'float32' || b === 'float32' ? 'float32' : 'float64';
  return w.tolerance?.[d] ?? DEFAULT_TOLERANCE[d];
}

/** Every implementation's latest result against the first implementation's (the reference). */
export function checkAgreement(w: Workload, impls: readonly Impl[]): AgreementRow[] {
  const [ref, ...rest] = impls;
  const refValues = ref.result();
  const refDtype = ref.dtype ?? w.dtype;
  return rest.map((impl) => ({
    impl: impl.name,
    reference: ref.name,
    ...compareValues(refValues, impl.result(), toleranceFor(w, refDtype, impl.dtype ?? w.dtype)),
  }));
}

// ---------------------------------------------------------------- timing

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** Runs impl once, awaiting it only when it returns a promise (sync work pays no microtask). */
async function runOnce(impl: Impl): Promise<void> {
  const r = impl.run();
  if (isThenable(r)) await r;
}

/** Milliseconds per call over `inner` back-to-back calls. */
async function timeCalls(impl: Impl, inner: number): Promise<number> {
  const t0 = performance.now();
  for (let j = 0; j < inner; j++) {
    const r = impl.run();
    if (isThenable(r)) await r;
  }
  return (performance.now() - t0) / inner;
}

function validate(w: Workload, impls: readonly Impl[]): void {
  const names = new Set<string>();
  for (const impl of impls) {
    if (names.has(impl.name)) throw new Error(`${w.name}: two implementations are named '${impl.name}'`);
    names.add(impl.name);
  }
  const subjects = impls.filter((i) => i.kind === 'xent');
  if (subjects.length !== 1) throw new Error(`${w.name}: needs exactly one implementation of kind 'xent', found ${subjects.length}`);
  if (impls[0].kind !== 'xent') throw new Error(`${w.name}: list the xent implementation first (it is the agreement reference)`);
  for (const g of w.goals ?? []) {
    if (!names.has(g.baseline))
      throw new Error(`${w.name}: goal baseline '${g.baseline}' is not an implementation (${[...names].join(', ')})`);
    if (g.subject !== undefined && !names.has(g.subject)) {
      throw new Error(`${w.name}: goal subject '${g.subject}' is not an implementation (${[...names].join(', ')})`);
    }
  }
}

/** 3 significant digits without trailing zeros: 3, 1.3, 0.333. */
function short(x: number): string {
  return String(Number(x.toPrecision(3)));
}

export function goalText(g: Goal): string {
  if (g.text) return g.text;
  const who = g.subject ?? 'xent';
  return g.maxRatio < 1
    ? `${who} ≥ ${short(1 / g.maxRatio)}× faster than ${g.baseline}`
    : `${who} within ${short(g.maxRatio)}× of ${g.baseline}`;
}

/**
 * Runs one workload: setup, one run of each implementation and the agreement
 * check (throws AgreementError), warm-up, interleaved timed rounds, the
 * agreement check again on the last results, dispose.
 */
export async function runWorkload(w: Workload, opts: RunOptions): Promise<WorkloadResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  // Each workload starts from a collected heap, so the garbage of the ones
  // before it (tfjs, training data) is not collected on its time.
  const gc = getGc();
  gc?.();
  const prepared = await w.setup();
  gc?.();
  let disposed = false;
  try {
    const impls = prepared.impls;
    validate(w, impls);

    // 1. Agreement before anything is timed.
    for (const impl of impls) await runOnce(impl);
    const agreement = checkAgreement(w, impls);
    if (agreement.some((r) => !r.ok)) throw new AgreementError(w.name, agreement, 'before timing');
    log(`${w.name}: ${impls.length} implementations agree; warming up`);

    // 2. Warm-up, round-robin, until each has had warmupRuns runs and warmupMs of them.
    const warmRuns = impls.map(() => 1);
    const warmMs = impls.map(() => 0);
    const fastest = impls.map(() => Infinity);
    for (;;) {
      let pending = false;
      for (let i = 0; i < impls.length; i++) {
        if (warmRuns[i] >= opts.warmupRuns && warmMs[i] >= opts.warmupMs) continue;
        pending = true;
        const ms = await timeCalls(impls[i], 1);
        warmRuns[i]++;
        warmMs[i] += ms;
        fastest[i] = Math.min(fastest[i], ms);
      }
      if (!pending) break;
    }
    const inner = fastest.map((ms) =>
      ms >= opts.minSampleMs || !Number.isFinite(ms) ? 1 : Math.min(100_000, Math.ceil(opts.minSampleMs / Math.max(ms, 1e-4))),
    );

    // 3. Timed rounds, interleaved: A B C, B C A, C A B, … (rotation spreads any
    // position effect, e.g. GC debt left by the previous implementation).
    const samples: number[][] = impls.map(() => []);
    const t0 = performance.now();
    const maxMs = Math.min(opts.maxSeconds, w.maxSeconds ?? Infinity) * 1000;
    let rounds = 0;
    while (rounds < opts.rounds && (rounds < opts.minRounds || performance.now() - t0 < maxMs)) {
      for (let j = 0; j < impls.length; j++) {
        const i = (j + rounds) % impls.length;
        samples[i].push(await timeCalls(impls[i], inner[i]));
      }
      rounds++;
    }
    log(`${w.name}: ${rounds} rounds in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // 4. The last results must still agree (catches implementations that drift or clobber shared inputs).
    const after = checkAgreement(w, impls);
    if (after.some((r) => !r.ok)) throw new AgreementError(w.name, after, 'after timing');

    // 5. Untimed checks (heap growth, …).
    const checks: (CheckResult & { name: string })[] = [];
    for (const c of prepared.checks ?? []) {
      log(`${w.name}: checking ${c.name}`);
      checks.push({ name: c.name, ...(await c.run(opts)) });
    }
    if (checks.some((c) => !c.ok)) throw new CheckError(w.name, checks);

    const rows: ImplStats[] = impls.map((impl, i) => ({
      name: impl.name,
      kind: impl.kind,
      dtype: impl.dtype ?? w.dtype,
      note: impl.note,
      samples: samples[i],
      median: median(samples[i]),
      min: Math.min(...samples[i]),
      max: Math.max(...samples[i]),
      inner: inner[i],
    }));
    const xent = rows.find((r) => r.kind === 'xent')!;
    const goals: GoalResult[] = (w.goals ?? []).map((g) => {
      const base = rows.find((r) => r.name === g.baseline)!;
      const subject = g.subject === undefined ? xent : rows.find((r) => r.name === g.subject)!;
      const ratio = subject.median / base.median;
      const who = g.subject ?? 'xent';
      return { text: goalText(g), subject: who, baseline: g.baseline, maxRatio: g.maxRatio, ratio, met: ratio <= g.maxRatio };
    });
    disposed = true;
    prepared.dispose?.();
    return {
      name: w.name,
      description: w.description,
      dtype: w.dtype,
      throughput: w.throughput,
      perItem: w.perItem,
      notes: w.notes ?? [],
      rows,
      agreement: after,
      goals,
      checks,
      rounds,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (!disposed) {
      try {
        prepared.dispose?.();
      } catch {
        // the error already being thrown is the one to report
      }
    }
  }
}

// ---------------------------------------------------------------- number formatting (shared with report.ts)

/** 3 significant digits, no exponent for ordinary magnitudes: 1.23, 12.3, 123, 1234. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1 || Math.abs(Number(x.toPrecision(2))) >= 1) return x.toFixed(2);
  if (a >= 0.01) return x.toPrecision(2);
  return x.toExponential(1);
}

export function fmtSci(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(1);
}

/** A duration given in milliseconds, in µs, ms or s. */
export function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${fmtNum(ms * 1000)} µs`;
  if (ms < 1000) return `${fmtNum(ms)} ms`;
  return `${fmtNum(ms / 1000)} s`;
}
