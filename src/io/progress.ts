// The progress bar on stderr (cli-progress draws it): bytes read of the total, records, MB/s and
// time left. Bytes are counted as read from the inputs, so a .gz input's bar follows its
// compressed size.

import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';

export interface Progress {
  /** `bytes` more were read */
  read(bytes: number): void;
  /** one more record was made */
  record(): void;
  /** the last drawing, then a new line (before an error message, or at the end) */
  stop(): void;
}

export const noProgress: Progress = { read() {}, record() {}, stop() {} };

export interface ProgressChoice {
  /** --progress (true), --no-progress (false), neither (undefined) */
  flag: boolean | undefined;
  stderrIsTTY: boolean;
  /** stdout is a terminal (the records would be drawn over), rather than a file or pipe */
  stdoutIsTTY: boolean;
  /** the inputs' total size in bytes, when every input is a file */
  total: number | undefined;
}

/**
 * Never when stderr is not a terminal. By default, only when the size is known (else there is no
 * "time left") and the output is not on that terminal too — curl's rule, so records and bar do not mix.
 */
export function wantsProgress({ flag, stderrIsTTY, stdoutIsTTY, total }: ProgressChoice): boolean {
  if (!stderrIsTTY || flag === false) return false;
  return flag === true || (total !== undefined && !stdoutIsTTY);
}

const MB = 1024 * 1024;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${(bytes / 1024 / MB).toFixed(2)} GB`;
}

export function progressBar(stream: Writable, total: number | undefined): Progress {
  const format = total === undefined
    ? '{done} read | {records} records | {speed} MB/s'
    : '{bar} {percentage}% | {done} of {size} | {records} records | {speed} MB/s | {eta_formatted} left';
  const bar = new cliProgress.SingleBar({ stream, format, barsize: 24, etaBuffer: 40, gracefulExit: false, hideCursor: false }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  let bytes = 0;
  let records = 0;
  const payload = () => ({
    done: size(bytes),
    size: size(total ?? 0),
    records: records.toLocaleString('en-US'),
    speed: (bytes / MB / Math.max((performance.now() - started) / 1000, 1e-3)).toFixed(1),
  });
  bar.start(total ?? 0, 0, payload());
  return {
    read(more) {
      bytes += more;
      bar.update(bytes, payload());
    },
    record() {
      records++;
    },
    stop() {
      bar.update(bytes, payload());
      bar.stop();
    },
  };
}
