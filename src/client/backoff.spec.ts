import { backoffDelay, DEFAULT_RECONNECT, isRetryableClose, reconnectSettings } from './backoff.js';

describe('backoff', () => {
  const settings = { ...DEFAULT_RECONNECT, initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };

  test('grows exponentially and stops at the cap', () => {
    const noJitter = (attempt: number): number => backoffDelay(attempt, settings, () => 0);
    expect([0, 1, 2, 3, 4, 10].map(noJitter)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('jitter takes away at most its share of the delay', () => {
    expect(backoffDelay(2, settings, () => 1)).toBe(200);
    expect(backoffDelay(2, settings, () => 0.5)).toBe(300);
    expect(backoffDelay(2, { ...settings, jitter: 0 }, () => 1)).toBe(400);
  });

  test('reads the reconnect option', () => {
    expect(reconnectSettings(false)).toBeNull();
    expect(reconnectSettings(undefined)).toEqual(DEFAULT_RECONNECT);
    expect(reconnectSettings(true)).toEqual(DEFAULT_RECONNECT);
    expect(reconnectSettings({ maxDelayMs: 5 })).toEqual({ ...DEFAULT_RECONNECT, maxDelayMs: 5 });
  });

  test('does not retry after an invalid key (1008) or a replacement (4001)', () => {
    expect(isRetryableClose(1008)).toBe(false);
    expect(isRetryableClose(4001)).toBe(false);
    for (const code of [1000, 1001, 1006, 1011, 1013]) expect(isRetryableClose(code)).toBe(true);
  });
});
