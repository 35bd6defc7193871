import { sampleValue } from '../../support/metrics-text.js';
import type { ServerProcess } from './server-process.js';

export const MiB = 1024 * 1024;

/** One line of figures for the run's summary, outside Jest's console decoration. */
export function report(line: string): void {
  process.stderr.write(`  stress | ${line}\n`);
}

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MiB`;
}

/** One sample from the server's /metrics (0 when absent). */
export async function metric(
  server: ServerProcess,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const { text } = await server.get('/metrics');
  return sampleValue(text, name, labels) ?? 0;
}

export interface WatchedRun {
  /** Highest RSS sampled. */
  maxRss: number;
  /** Why the run stopped early: the RSS limit or the server's exit. */
  failure?: string;
  /** Whole seconds the run lasted. */
  seconds: number;
}

/**
 * Runs `work` with a `stop` check that turns true after `seconds`, or as soon as the server's RSS
 * (sampled every 250 ms) reaches `rssLimit` or the server exits.
 */
export async function watchRun(
  server: ServerProcess,
  rssLimit: number,
  seconds: number,
  work: (stop: () => boolean) => Promise<unknown>,
): Promise<WatchedRun> {
  const start = Date.now();
  const run: WatchedRun = { maxRss: 0, seconds: 0 };
  const timer = setInterval(() => {
    const rss = server.running ? readRss(server) : Number.NaN;
    if (rss > run.maxRss) run.maxRss = rss;
    if (!(rss < rssLimit))
      run.failure ??= Number.isNaN(rss) ? 'the server exited' : `RSS reached ${mib(rss)}`;
  }, 250);
  timer.unref();
  try {
    await work(() => run.failure !== undefined || Date.now() - start >= seconds * 1000);
  } finally {
    clearInterval(timer);
  }
  run.seconds = Math.floor((Date.now() - start) / 1000);
  return run;
}

function readRss(server: ServerProcess): number {
  try {
    return server.rss();
  } catch {
    return Number.NaN; // the process is gone
  }
}
