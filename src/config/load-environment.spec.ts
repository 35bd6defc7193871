import { ConfigurationError, loadEnvironment } from './load-environment.js';

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
});
