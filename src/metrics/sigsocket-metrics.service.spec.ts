import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { SigSocketMetrics } from './sigsocket-metrics.service.js';

async function value(
  metrics: SigSocketMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  const data = await metric?.get();
  const sample = data?.values.find((v) =>
    Object.entries(labels).every(([key, wanted]) => String(v.labels[key]) === wanted),
  );
  return sample?.value ?? Number.NaN;
}

describe('SigSocketMetrics', () => {
  let metrics: SigSocketMetrics;

  beforeEach(() => {
    metrics = new SigSocketMetrics();
  });

  it('starts every outcome at zero', async () => {
    for (const outcome of ['ok', ...Object.values(ErrorCode)]) {
      expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome })).toBe(0);
    }
  });

  it('counts outcomes by error code and times only the verified answers', async () => {
    metrics.recordSign(undefined, 12);
    metrics.recordSign(new SigSocketError(ErrorCode.Timeout, 'late'));
    metrics.recordSign(new Error('bug'));
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'timeout' })).toBe(1);
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'internal_error' })).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toContain('sigsocket_sign_duration_seconds_count 1');
    expect(text).toContain('sigsocket_sign_duration_seconds_sum 0.012');
  });

  it('counts through the observer it wraps around a sign request, and passes every event on', async () => {
    const seen: string[] = [];
    const sink = {
      next: (value: number) => seen.push(`next ${value}`),
      error: (error: Error) => seen.push(`error ${error.message}`),
      complete: () => seen.push('complete'),
    };
    const ok = metrics.countSign(sink);
    ok.next(7);
    ok.complete();
    metrics.countSign(sink).error(new SigSocketError(ErrorCode.Rejected, 'no'));
    expect(seen).toEqual(['next 7', 'complete', 'error no']);
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'rejected' })).toBe(1);
    expect(await metrics.registry.metrics()).toContain('sigsocket_sign_duration_seconds_count 1');
  });

  it('labels close codes from a bounded set', async () => {
    metrics.recordWsClose(1001);
    metrics.recordWsClose(4001);
    metrics.recordWsClose(4999);
    metrics.recordWsClose(3123);
    expect(await value(metrics, 'sigsocket_ws_closes_total', { code: '1001' })).toBe(1);
    expect(await value(metrics, 'sigsocket_ws_closes_total', { code: '4001' })).toBe(1);
    expect(await value(metrics, 'sigsocket_ws_closes_total', { code: 'other' })).toBe(2);
  });

  it('reads the gauges from their sources at scrape time', async () => {
    let connections = 2;
    metrics.bindGauges({ connections: () => connections, pending: () => 5 });
    expect(await value(metrics, 'sigsocket_connections')).toBe(2);
    connections = 3;
    expect(await value(metrics, 'sigsocket_connections')).toBe(3);
    expect(await value(metrics, 'sigsocket_pending_requests')).toBe(5);
  });

  it('counts verifications by result', async () => {
    metrics.recordVerification(true);
    metrics.recordVerification(false);
    metrics.recordVerification(false);
    expect(await value(metrics, 'sigsocket_signature_verifications_total', { result: 'valid' })).toBe(1);
    expect(await value(metrics, 'sigsocket_signature_verifications_total', { result: 'invalid' })).toBe(2);
  });
});
