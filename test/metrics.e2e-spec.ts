import request from 'supertest';
import { sampleValue } from './support/metrics-text.js';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { HolderList, TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

const MESSAGE = Buffer.from('metrics e2e').toString('base64');
const TOKEN = 'scrape-token-0123456789';

async function scrape(t: TestApp): Promise<string> {
  const response = await request(t.http).get('/metrics').expect(200);
  return response.text;
}

describe.each(ADAPTERS)('metrics on %s', (adapter) => {
  let t: TestApp;
  const holders = new HolderList();

  beforeEach(async () => {
    // A holder that disconnects fails its pending request at once, without a grace period.
    t = await startApp(adapter, { RECONNECT_GRACE_MS: '0' });
  });

  afterEach(async () => {
    await holders.closeAll();
    await t.close();
  });

  it('serves the Prometheus text format with every series and the process metrics', async () => {
    const response = await request(t.http).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'sigsocket_connections',
      'sigsocket_pending_requests',
      'sigsocket_sign_requests_total',
      'sigsocket_sign_duration_seconds',
      'sigsocket_signature_verifications_total',
      'sigsocket_ws_closes_total',
      'sigsocket_buffered_bytes',
    ]) {
      expect(response.text).toContain(`# TYPE ${name} `);
    }
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toContain('nodejs_heap_size_used_bytes');
    expect(
      sampleValue(response.text, 'sigsocket_sign_requests_total', {
        outcome: 'timeout',
        caller: 'anonymous',
      }),
    ).toBe(0);
  });

  it('counts a verified signature as ok, times it, and counts the valid verification', async () => {
    const signer = await holders.register(t.ws);
    await request(t.http).post('/sign').send({ publicKey: signer.publicKey, message: MESSAGE }).expect(200);
    const text = await scrape(t);
    expect(sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'ok', caller: 'anonymous' })).toBe(
      1,
    );
    expect(sampleValue(text, 'sigsocket_sign_duration_seconds_count')).toBe(1);
    expect(sampleValue(text, 'sigsocket_signature_verifications_total', { result: 'valid' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_connections')).toBe(1);
    expect(sampleValue(text, 'sigsocket_pending_requests')).toBe(0);
    expect(text).not.toContain(signer.publicKey);
  });

  it('counts a timeout, a forged signature and the close codes', async () => {
    const silent = await TestHolder.registered(t.ws, 'silent');
    await request(t.http)
      .post('/sign')
      .send({ publicKey: silent.publicKey, message: MESSAGE, timeoutMs: 50 })
      .expect(504);
    await silent.close(1000);
    await eventually(
      async () => (await t.signing.connectionCount()) === 0,
      5000,
      'the silent holder to leave',
    );
    const forger = await holders.register(t.ws, 'wrong-key');
    await request(t.http).post('/sign').send({ publicKey: forger.publicKey, message: MESSAGE }).expect(502);
    const text = await scrape(t);
    expect(
      sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'timeout', caller: 'anonymous' }),
    ).toBe(1);
    expect(
      sampleValue(text, 'sigsocket_sign_requests_total', {
        outcome: 'invalid_signature',
        caller: 'anonymous',
      }),
    ).toBe(1);
    expect(sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'ok', caller: 'anonymous' })).toBe(
      0,
    );
    expect(sampleValue(text, 'sigsocket_sign_duration_seconds_count')).toBe(0);
    expect(sampleValue(text, 'sigsocket_signature_verifications_total', { result: 'invalid' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_ws_closes_total', { code: '1000' })).toBe(1);
  });

  it('shows requests waiting for a holder in the pending gauge', async () => {
    const silent = await holders.register(t.ws, 'silent');
    const sign = request(t.http)
      .post('/sign')
      .send({ publicKey: silent.publicKey, message: MESSAGE, timeoutMs: 2_000 })
      .then((response) => response.status);
    await eventually(
      async () => sampleValue(await scrape(t), 'sigsocket_pending_requests') === 1,
      5000,
      'one pending request',
    );
    await silent.close();
    await expect(sign).resolves.toBe(502);
    expect(sampleValue(await scrape(t), 'sigsocket_pending_requests')).toBe(0);
  });
});

describe.each(ADAPTERS)('METRICS_TOKEN on %s', (adapter) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startApp(adapter, { METRICS_TOKEN: TOKEN });
  });

  afterEach(() => t.close());

  it('refuses scrapes without the bearer token, with a challenge', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789',
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN}x`,
    ]) {
      const attempt = request(t.http).get('/metrics');
      const response = await (authorization === undefined
        ? attempt
        : attempt.set('Authorization', authorization));
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'unauthorized',
        message: 'a valid bearer token is required',
      });
    }
  });

  it('serves scrapes that present the token, and leaves the health probes open', async () => {
    const response = await request(t.http)
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(response.text).toContain('sigsocket_connections');
    await request(t.http).get('/health/live').expect(200);
    await request(t.http).get('/health/ready').expect(200);
  });
});
