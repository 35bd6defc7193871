import { existsSync } from 'node:fs';
import { maxConnectionsFor, openFileLimit, parseOpenFileLimit } from './open-file-limit.js';

const limits = (soft: string): string =>
  [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max processes             63704                63704                processes ',
    `Max open files            ${soft.padEnd(20)} 1048576              files     `,
  ].join('\n');

describe('parseOpenFileLimit', () => {
  it('reads the soft limit on open files', () => {
    expect(parseOpenFileLimit(limits('1024'))).toBe(1024);
    expect(parseOpenFileLimit(limits('unlimited'))).toBe(Infinity);
  });

  it('is undefined when the limit cannot be read', () => {
    expect(parseOpenFileLimit(undefined)).toBeUndefined();
    expect(parseOpenFileLimit('Max processes 100 100 processes')).toBeUndefined();
  });

  it('reads this process own limit on Linux', () => {
    if (!existsSync('/proc/self/limits')) return;
    expect(openFileLimit()).toBeGreaterThan(0);
  });
});

describe('maxConnectionsFor', () => {
  it.each([
    [1024, 921],
    [20_000, 18_000],
    [65_536, 58_982],
    [1_048_576, 65_536],
    [Infinity, 65_536],
    // 90% would leave no room for the 64-socket probe reserve.
    [256, 160],
    [64, 1],
  ])('is 90%% of a limit of %p, within bounds: %p', (limit, max) => {
    expect(maxConnectionsFor(limit)).toBe(max);
  });

  it('assumes a limit of 1024 where it cannot be read', () => {
    expect(maxConnectionsFor(undefined)).toBe(921);
  });
});
