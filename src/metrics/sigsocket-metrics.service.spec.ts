import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { resolveOptions } from '../sigsocket-options.interface.js';
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

  it('starts every outcome at zero, for each caller', async () => {
    for (const outcome of ['ok', ...Object.values(ErrorCode)]) {
      for (const caller of ['anonymous', 'in-process']) {
        expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome, caller })).toBe(0);
      }
    }
  });

  it('labels callers with the names apiKeys gives and the two built-in names, and nothing else', async () => {
    const named = new SigSocketMetrics(
      resolveOptions({ apiKeys: [`alice=${'a'.repeat(16)}`, 'b'.repeat(16)] }),
    );
    named.recordSign(undefined, 1, 'alice');
    named.recordSign(undefined, 1, 'key2');
    named.recordSign(undefined, 1, 'anonymous');
    named.recordSign(undefined, 1, 'unknown-job');
    named.recordSign(undefined, 1);
    const data = await named.registry.getSingleMetric('sigsocket_sign_requests_total')?.get();
    const callers = new Set(data?.values.map((v) => v.labels.caller));
    expect([...callers].sort()).toEqual(['alice', 'anonymous', 'in-process', 'key2']);
    expect(await value(named, 'sigsocket_sign_requests_total', { outcome: 'ok', caller: 'alice' })).toBe(1);
    expect(await value(named, 'sigsocket_sign_requests_total', { outcome: 'ok', caller: 'key2' })).toBe(1);
    expect(await value(named, 'sigsocket_sign_requests_total', { outcome: 'ok', caller: 'in-process' })).toBe(
      2,
    );
  });

  it('counts outcomes by error code and times only the verified answers', async () => {
    metrics.recordSign(undefined, 12);
    metrics.recordSign(new SigSocketError(ErrorCode.Timeout, 'late'), undefined, 'anonymous');
    metrics.recordSign(new Error('bug'));
    const inProcess = { caller: 'in-process' };
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'ok', ...inProcess })).toBe(1);
    expect(
      await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'timeout', caller: 'anonymous' }),
    ).toBe(1);
    expect(
      await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'internal_error', ...inProcess }),
    ).toBe(1);
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
    const ok = metrics.countSign(sink, 'anonymous');
    ok.next(7);
    ok.complete();
    metrics.countSign(sink, 'anonymous').error(new SigSocketError(ErrorCode.Rejected, 'no'));
    expect(seen).toEqual(['next 7', 'complete', 'error no']);
    const anonymous = { caller: 'anonymous' };
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'ok', ...anonymous })).toBe(1);
    expect(await value(metrics, 'sigsocket_sign_requests_total', { outcome: 'rejected', ...anonymous })).toBe(
      1,
    );
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
    metrics.bindGauges({ connections: () => connections, pending: () => 5, buffered: () => 7 });
    expect(await value(metrics, 'sigsocket_connections')).toBe(2);
    connections = 3;
    expect(await value(metrics, 'sigsocket_connections')).toBe(3);
    expect(await value(metrics, 'sigsocket_pending_requests')).toBe(5);
    expect(await value(metrics, 'sigsocket_buffered_bytes')).toBe(7);
  });

  it('counts verifications by result', async () => {
    metrics.recordVerification(true);
    metrics.recordVerification(false);
    metrics.recordVerification(false);
    expect(await value(metrics, 'sigsocket_signature_verifications_total', { result: 'valid' })).toBe(1);
    expect(await value(metrics, 'sigsocket_signature_verifications_total', { result: 'invalid' })).toBe(2);
  });
});
