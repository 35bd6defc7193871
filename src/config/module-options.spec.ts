import { loadEnvironment } from './load-environment.js';
import { moduleOptionsFrom, resolveOptions } from './module-options.js';
import { MODULE_VARIABLES } from './variables.js';

describe('SigSocketModule options', () => {
  it('default to the declared defaults, one option per module variable', () => {
    const resolved = resolveOptions({});
    expect(Object.keys(resolved)).toHaveLength(Object.keys(MODULE_VARIABLES).length);
    expect(resolved.signTimeoutMs).toBe(MODULE_VARIABLES.SIGN_TIMEOUT_MS.default);
    expect(resolved.maxConnectionsPerIp).toBe(MODULE_VARIABLES.MAX_CONNECTIONS_PER_IP.default);
  });

  it('are what the environment gives the standalone server', () => {
    const env = loadEnvironment({
      SIGN_TIMEOUT_MS: '1234',
      LOW_S: 'true',
      ALLOWED_ORIGINS: 'https://a,https://b',
    });
    const options = moduleOptionsFrom(env);
    expect(options).toEqual(
      resolveOptions({ signTimeoutMs: 1234, lowS: true, allowedOrigins: ['https://a', 'https://b'] }),
    );
  });

  it('are validated with the same rules as the environment', () => {
    expect(() => resolveOptions({ maxMessageBytes: 0 })).toThrow(/maxMessageBytes/);
    expect(() => resolveOptions({ apiKeys: ['too-short'] })).toThrow(/apiKeys: API_KEYS entry 1/);
    expect(() => resolveOptions({ apiKeys: ['too-short'] })).not.toThrow(/too-short/);
  });
});
