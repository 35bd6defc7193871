import { CloseCode } from '../protocol/close-codes.js';
import type { ReconnectOptions } from './holder-options.interface.js';

export const DEFAULT_RECONNECT: Required<ReconnectOptions> = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Number.POSITIVE_INFINITY,
};

/** Close codes after which retrying cannot help: the key was refused, or replaced. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.PolicyViolation, CloseCode.Replaced]);

/** Reconnect settings from the `reconnect` option, or null when reconnecting is off. */
export function reconnectSettings(
  option: boolean | ReconnectOptions | undefined,
): Required<ReconnectOptions> | null {
  if (option === false) return null;
  if (option === undefined || option === true) return DEFAULT_RECONNECT;
  return { ...DEFAULT_RECONNECT, ...option };
}

/** True when a close with `code` may be followed by a reconnection. */
export function isRetryableClose(code: number): boolean {
  return !FINAL_CLOSE_CODES.has(code);
}

/**
 * Delay before retry number `attempt` (0 for the first): `initialDelayMs · factor^attempt`,
 * capped at `maxDelayMs`, of which a `jitter` share is random so holders do not return in step.
 */
export function backoffDelay(
  attempt: number,
  settings: Required<ReconnectOptions>,
  random: () => number,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * settings.factor ** attempt);
  return Math.round(ceiling * (1 - settings.jitter * random()));
}
