// The progress bar on stderr (cli-progress draws it): bytes read of the total, records, MB/s and
// time left. Bytes are counted as read from the inputs, so a .gz input's bar follows its
// compressed size.

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

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** The bar (cli-progress is loaded only when a bar is drawn). */
export async function progressBar(stream: Writable, total: number | undefined): Promise<Progress> {
  const { default: cliProgress } = await import('cli-progress');
  const format = total === undefined
    ? '{done} read | {records} records | {speed} MB/s'
    : '{bar} {percentage}% | {done} of {size} | {records} records | {speed} MB/s | {left} left';
  const bar = new cliProgress.SingleBar({ stream, format, barsize: 24, gracefulExit: false, hideCursor: false }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  let bytes = 0;
  let records = 0;
  const payload = () => {
    const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
    return {
      done: size(bytes),
      size: size(total ?? 0),
      records: records.toLocaleString('en-US'),
      speed: (bytes / MB / seconds).toFixed(1),
      // At the average rate so far; nothing to go on before the first chunk.
      left: bytes === 0 ? '?' : duration((Math.max((total ?? 0) - bytes, 0) * seconds) / bytes),
    };
  };
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
