// A progress bar per epoch (cli-progress). It is drawn only on a terminal:
// when stdout is piped or --json is on, every method is a no-op.
import cliProgress from 'cli-progress';

export interface EpochProgress {
  /** A new bar for `epoch` of `epochs`, counting `total` batches. */
  start(epoch: number, epochs: number, total: number): void;
  /** One more batch done, with its loss. */
  tick(loss: number): void;
  /** Removes the bar (the epoch's summary line is printed in its place). */
  stop(): void;
}

const silent: EpochProgress = { start() {}, tick() {}, stop() {} };

/** A bar on stdout when `enabled` and stdout is a terminal; otherwise a no-op. */
export function epochProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stdout): EpochProgress {
  if (!enabled || !stream.isTTY) return silent;
  let bar: cliProgress.SingleBar | null = null;
  let done = 0;
  return {
    start(epoch, epochs, total) {
      done = 0;
      bar = new cliProgress.SingleBar(
        {
          format: `epoch ${String(epoch).padStart(String(epochs).length)}/${epochs} {bar} {value}/{total} batches | loss {loss}`,
          barsize: 30,
          clearOnComplete: true,
          hideCursor: true,
          stream,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { loss: '  –   ' });
    },
    tick(loss) {
      done++;
      bar?.update(done, { loss: loss.toFixed(4) });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
