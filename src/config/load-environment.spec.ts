import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootLogFormat, ConfigurationError, loadEnvironment } from './load-environment.js';
import { isLoopbackHost } from './loopback.js';
import { defaultMaxConnections } from './open-file-limit.js';

describe('loadEnvironment: operations variables', () => {
  it('defaults to text logs and an open /metrics', () => {
    const env = loadEnvironment({});
    expect(env.LOG_FORMAT).toBe('text');
    expect(env.METRICS_TOKEN).toBe('');
  });

  it('accepts json logs and a metrics token', () => {
    const env = loadEnvironment({ LOG_FORMAT: 'json', METRICS_TOKEN: 'abcdefghijklmnop' });
    expect(env.LOG_FORMAT).toBe('json');
    expect(env.METRICS_TOKEN).toBe('abcdefghijklmnop');
  });

  it('names a bad LOG_FORMAT', () => {
    expect(() => loadEnvironment({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('rejects a weak METRICS_TOKEN without printing it', () => {
    const attempt = (): unknown => loadEnvironment({ METRICS_TOKEN: 'short-secret' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/METRICS_TOKEN=<redacted>/);
    expect(attempt).not.toThrow(/short-secret/);
  });

  it('gives every default a fresh copy', () => {
    const first = loadEnvironment({});
    first.API_KEYS.push('mutated-by-a-caller');
    expect(loadEnvironment({}).API_KEYS).toEqual([]);
  });
});

describe('loadEnvironment: API_KEYS', () => {
  const strong = 'abcdefghijklmnop-strong';

  it('names a bad entry by position and length, never printing any key', () => {
    const attempt = (): unknown => loadEnvironment({ API_KEYS: `${strong},tiny-secret,ops=short` });
    expect(attempt).toThrow(/entry 2 \(11 characters\)/);
    expect(attempt).toThrow(/entry 3 \(9 characters\) has a secret of 5 characters/);
    for (const value of [strong, 'tiny-secret', 'short']) expect(attempt).not.toThrow(value);
  });

  it('refuses a name used twice', () => {
    expect(() => loadEnvironment({ API_KEYS: `app=${strong},app=${strong}x` })).toThrow(/entry 2 repeats/);
  });

  it('keeps base64 secrets that end in =', () => {
    expect(loadEnvironment({ API_KEYS: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=' }).API_KEYS).toHaveLength(1);
  });
});

describe('loadEnvironment: secrets from files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sigsocket-env-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads API_KEYS_FILE, one entry per line, and METRICS_TOKEN_FILE', () => {
    writeFileSync(join(dir, 'keys'), 'app=abcdefghijklmnopq\nabcdefghijklmnopqr\n');
    writeFileSync(join(dir, 'token'), 'metrics-token-0123456789\n');
    const env = loadEnvironment({ API_KEYS_FILE: join(dir, 'keys'), METRICS_TOKEN_FILE: join(dir, 'token') });
    expect(env.API_KEYS).toEqual(['app=abcdefghijklmnopq', 'abcdefghijklmnopqr']);
    expect(env.METRICS_TOKEN).toBe('metrics-token-0123456789');
  });

  it('refuses a variable set both ways, and an unreadable file', () => {
    writeFileSync(join(dir, 'token'), 'metrics-token-0123456789');
    const both = { METRICS_TOKEN: 'metrics-token-abcdefgh', METRICS_TOKEN_FILE: join(dir, 'token') };
    expect(() => loadEnvironment(both)).toThrow(/METRICS_TOKEN and METRICS_TOKEN_FILE are both set/);
    expect(() => loadEnvironment({ API_KEYS_FILE: join(dir, 'missing') })).toThrow(/API_KEYS_FILE=.*ENOENT/);
  });
});

describe('loadEnvironment: protected mode', () => {
  it('refuses a non-loopback HOST without API_KEYS, naming API_KEYS and ALLOW_ANONYMOUS on one line', () => {
    const attempt = (): unknown => loadEnvironment({ HOST: '0.0.0.0' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/^[^\n]*API_KEYS[^\n]*ALLOW_ANONYMOUS[^\n]*$/);
  });

  it('starts with API_KEYS, or with ALLOW_ANONYMOUS=true, or on loopback', () => {
    expect(loadEnvironment({ HOST: '0.0.0.0', API_KEYS: 'abcdefghijklmnopq' }).HOST).toBe('0.0.0.0');
    expect(loadEnvironment({ HOST: '::', ALLOW_ANONYMOUS: 'true' }).ALLOW_ANONYMOUS).toBe(true);
    expect(loadEnvironment({ HOST: 'localhost' }).HOST).toBe('localhost');
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['::ffff:10.0.0.5', false],
    ['relay.example', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('bootLogFormat', () => {
  it('follows LOG_FORMAT before the rest is validated', () => {
    expect(bootLogFormat({ LOG_FORMAT: 'json', PORT: 'not-a-port' })).toBe('json');
    expect(bootLogFormat({ LOG_FORMAT: 'xml' })).toBe('text');
  });
});

describe('loadEnvironment: callers', () => {
  const SECRET = 'k'.repeat(20);

  it('accepts plain and named keys, and MAX_PENDING_PER_CALLER', () => {
    const env = loadEnvironment({ API_KEYS: `alice=${SECRET}, ${SECRET}2`, MAX_PENDING_PER_CALLER: '7' });
    expect(env.API_KEYS).toEqual([`alice=${SECRET}`, `${SECRET}2`]);
    expect(env.MAX_PENDING_PER_CALLER).toBe(7);
    expect(loadEnvironment({}).MAX_PENDING_PER_CALLER).toBe(1024);
  });

  it('refuses a reserved name and a shared secret without printing either key', () => {
    const attempt = (): unknown => loadEnvironment({ API_KEYS: `anonymous=${SECRET},${SECRET}` });
    expect(attempt).toThrow(/entry 1 takes a reserved name/);
    expect(attempt).toThrow(/entry 2 repeats the secret/);
    expect(attempt).not.toThrow(new RegExp(SECRET));
  });

  it('refuses MAX_PENDING_PER_CALLER below 1', () => {
    expect(() => loadEnvironment({ MAX_PENDING_PER_CALLER: '0' })).toThrow(/MAX_PENDING_PER_CALLER/);
  });
});

describe('loadEnvironment: connection variables', () => {
  it('defaults the HTTP timeouts and derives MAX_CONNECTIONS from the open-file limit', () => {
    const env = loadEnvironment({});
    expect(env.HTTP_HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(env.HTTP_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(env.MAX_CONNECTIONS).toBe(defaultMaxConnections());
    expect(env.MAX_CONNECTIONS_PER_IP).toBe(0);
    expect(env.TRUST_PROXY).toBe(0);
  });

  it.each([
    ['true', 1],
    ['TRUE', 1],
    ['false', 0],
    ['1', 1],
    ['0', 0],
    ['3', 3],
  ])('reads TRUST_PROXY=%s as %i hops', (value, hops) => {
    expect(loadEnvironment({ TRUST_PROXY: value }).TRUST_PROXY).toBe(hops);
  });

  it.each(['yes', '-1', '1.5', '33'])('names a bad TRUST_PROXY (%s)', (value) => {
    expect(() => loadEnvironment({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it.each([
    ['MAX_CONNECTIONS', '0'],
    ['MAX_CONNECTIONS', 'many'],
    ['HTTP_HEADERS_TIMEOUT_MS', '0'],
    ['HTTP_REQUEST_TIMEOUT_MS', '-5'],
  ])('names a bad %s (%s)', (name, value) => {
    expect(() => loadEnvironment({ [name]: value })).toThrow(new RegExp(name));
  });

  it('takes an explicit MAX_CONNECTIONS and timeouts', () => {
    const env = loadEnvironment({
      MAX_CONNECTIONS: '5000',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
    });
    expect([env.MAX_CONNECTIONS, env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS]).toEqual([
      5000, 2000, 2000,
    ]);
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() =>
      loadEnvironment({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }),
    ).toThrow(/HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/);
  });
});
