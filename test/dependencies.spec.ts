import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** `ws` as @nestjs/platform-ws loads it: `createRequire(import.meta.url)('ws')` in its adapter. */
function wsOfPlatformWs(): { path: string; version: string } {
  const adapter = join(dirname(require.resolve('@nestjs/platform-ws')), 'adapters', 'ws-adapter.js');
  const fromAdapter = createRequire(adapter);
  return {
    path: fromAdapter.resolve('ws'),
    version: (fromAdapter('ws/package.json') as { version: string }).version,
  };
}

describe('dependencies', () => {
  it('serves /ws with the one ws this package depends on, at 8.21 or later', () => {
    const ours = (require('ws/package.json') as { version: string }).version;
    const theirs = wsOfPlatformWs();
    expect(theirs.path).toBe(require.resolve('ws'));
    expect(theirs.version).toBe(ours);
    const [major = 0, minor = 0] = theirs.version.split('.').map(Number);
    expect(major).toBe(8);
    expect(minor).toBeGreaterThanOrEqual(21);
  });
});
