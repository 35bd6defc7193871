import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { ResolvedSigSocketOpsOptions } from './ops-options.interface.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

const TOKEN = 'a-long-enough-metrics-token';

function guard(metricsToken: string): MetricsTokenGuard {
  const options: ResolvedSigSocketOpsOptions = {
    health: true,
    metrics: true,
    processMetrics: false,
    metricsToken,
  };
  return new MetricsTokenGuard(options);
}

function contextWith(authorization?: string): ExecutionContext {
  const request = { headers: authorization === undefined ? {} : { authorization } };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe('MetricsTokenGuard', () => {
  it('lets every scrape through when no token is configured', () => {
    expect(guard('').canActivate(contextWith())).toBe(true);
  });

  it('accepts the configured token as a Bearer credential', () => {
    expect(guard(TOKEN).canActivate(contextWith(`Bearer ${TOKEN}`))).toBe(true);
    expect(guard(TOKEN).canActivate(contextWith(`bearer  ${TOKEN} `))).toBe(true);
  });

  it('refuses a missing, different, longer, shorter or non-Bearer credential', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
    ]) {
      expect(() => guard(TOKEN).canActivate(contextWith(header))).toThrow(UnauthorizedException);
    }
  });
});
