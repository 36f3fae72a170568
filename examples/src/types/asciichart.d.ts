// Types for `asciichart` (a CommonJS package that ships none): only what lib/chart.ts uses.
declare module 'asciichart' {
  interface PlotConfig {
    height?: number;
    offset?: number;
    padding?: string;
    min?: number;
    max?: number;
    /** ANSI colour codes, one per series. */
    colors?: string[];
    format?: (x: number, i: number) => string;
  }
  interface AsciiChart {
    plot(series: number[] | number[][], config?: PlotConfig): string;
    readonly blue: string;
    readonly green: string;
    readonly yellow: string;
    readonly magenta: string;
    readonly red: string;
    readonly cyan: string;
    readonly reset: string;
  }
  const asciichart: AsciiChart;
  export default asciichart;
}
