import { readFileSync } from 'node:fs';
import { MAX_CONNECTIONS_CEILING, PROBE_RESERVE_SOCKETS } from '../sigsocket.constants.js';

/** Assumed where the limit cannot be read: the usual soft limit on Linux and macOS shells. */
const ASSUMED_OPEN_FILE_LIMIT = 1024;
/** Descriptors kept free beyond the probe reserve, for the process's own files and pipes. */
const SPARE_DESCRIPTORS = 32;

/**
 * The soft limit on open files, as the running process sees it (Node raises it towards the hard
 * limit at start), from Linux's `/proc/self/limits`: `Infinity` when unlimited, undefined when
 * it cannot be read (another system).
 */
export function openFileLimit(): number | undefined {
  return parseOpenFileLimit(readLimits());
}

/** The soft limit on open files in the text of `/proc/self/limits`. */
export function parseOpenFileLimit(limits: string | undefined): number | undefined {
  const match = /^Max open files\s+(\S+)/m.exec(limits ?? '');
  if (match === null) return undefined;
  if (match[1] === 'unlimited') return Infinity;
  const limit = Number(match[1]);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : undefined;
}

/** MAX_CONNECTIONS when unset: {@link maxConnectionsFor} this process's open-file limit. */
export function defaultMaxConnections(): number {
  return maxConnectionsFor(openFileLimit());
}

/**
 * 90% of an open-file limit, at most 65,536, and never so many that the probe reserve would not
 * fit under the limit.
 */
export function maxConnectionsFor(limit: number | undefined): number {
  const files = limit ?? ASSUMED_OPEN_FILE_LIMIT;
  const fits = files - PROBE_RESERVE_SOCKETS - SPARE_DESCRIPTORS;
  return Math.max(1, Math.min(Math.floor(files * 0.9), fits, MAX_CONNECTIONS_CEILING));
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    // Not Linux, or no /proc: the assumed limit applies.
    return undefined;
  }
}
