// A terminal line chart of the loss curve (asciichart), squeezed to a width
// that fits a terminal by averaging neighbouring points.
import asciichart from 'asciichart';

export interface ChartOptions {
  /** Rows of the plot area (default 10). */
  height?: number;
  /** Most points drawn (default 60): a longer curve is averaged down to this many. */
  width?: number;
  /** ANSI colour (default: only when stdout is a terminal). */
  color?: boolean;
  /** A caption printed above the chart. */
  title?: string;
}

/** Averages consecutive points into at most `width` buckets: the curve's shape survives, the noise of single batches does not. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return values.slice();
  const out: number[] = [];
  for (let k = 0; k < width; k++) {
    const lo = Math.floor((k * values.length) / width);
    const hi = Math.floor(((k + 1) * values.length) / width);
    let s = 0;
    for (let i = lo; i < hi; i++) s += values[i];
    out.push(s / (hi - lo));
  }
  return out;
}

/** One curve drawn with box characters, y labels on the left; '' for an empty curve. */
export function lossChart(values: readonly number[], options: ChartOptions = {}): string {
  const data = downsample(
    values.filter((v) => Number.isFinite(v)),
    options.width ?? 60,
  );
  if (data.length === 0) return '';
  const color = options.color ?? Boolean(process.stdout.isTTY);
  const chart = asciichart.plot(data, {
    height: options.height ?? 10,
    colors: color ? [asciichart.cyan] : undefined,
    format: (x) => x.toFixed(3).padStart(9),
  });
  return options.title ? `${options.title}\n${chart}` : chart;
}
