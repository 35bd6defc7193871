import request from 'supertest';
import { sampleValue } from './helpers/metrics-text.js';
import { ADAPTERS, startTestApp, TestApp } from './helpers/test-app.js';
import { TestHolder } from './helpers/test-holder.js';
import { waitFor } from './helpers/wait.js';

const MESSAGE = Buffer.from('metrics e2e').toString('base64');
const TOKEN = 'scrape-token-0123456789';

async function scrape(server: TestApp): Promise<string> {
  const response = await request(server.url).get('/metrics').expect(200);
  return response.text;
}

async function connectHolder(server: TestApp, holder: TestHolder): Promise<TestHolder> {
  await holder.connect(server.wsUrl);
  await waitFor(
    async () => (await request(server.url).get(`/metrics`)).text.includes('sigsocket_connections 1'),
    'holder registered',
  );
  return holder;
}

describe.each(ADAPTERS)('metrics on %s', (adapter) => {
  let server: TestApp;
  const holders: TestHolder[] = [];

  beforeEach(async () => {
    server = await startTestApp(adapter);
  });

  afterEach(async () => {
    await Promise.all(holders.splice(0).map((holder) => holder.close()));
    await server.close();
  });

  it('serves the Prometheus text format with every series and the process metrics', async () => {
    const response = await request(server.url).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'sigsocket_connections',
      'sigsocket_pending_requests',
      'sigsocket_sign_requests_total',
      'sigsocket_sign_duration_seconds',
      'sigsocket_signature_verifications_total',
      'sigsocket_ws_closes_total',
    ]) {
      expect(response.text).toContain(`# TYPE ${name} `);
    }
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toContain('nodejs_heap_size_used_bytes');
    expect(sampleValue(response.text, 'sigsocket_sign_requests_total', { outcome: 'timeout' })).toBe(0);
  });

  it('counts a verified signature as ok, times it, and counts the valid verification', async () => {
    const holder = await connectHolder(server, new TestHolder('sign'));
    holders.push(holder);
    await request(server.url)
      .post('/sign')
      .send({ publicKey: holder.publicKeyHex, message: MESSAGE })
      .expect(200);
    const text = await scrape(server);
    expect(sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_sign_duration_seconds_count')).toBe(1);
    expect(sampleValue(text, 'sigsocket_signature_verifications_total', { result: 'valid' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_connections')).toBe(1);
    expect(sampleValue(text, 'sigsocket_pending_requests')).toBe(0);
    expect(text).not.toContain(holder.publicKeyHex);
  });

  it('counts a timeout, a forged signature and the close codes', async () => {
    const silent = await connectHolder(server, new TestHolder('silent'));
    await request(server.url)
      .post('/sign')
      .send({ publicKey: silent.publicKeyHex, message: MESSAGE, timeoutMs: 50 })
      .expect(504);
    await silent.close(1000);
    const forger = await connectHolder(server, new TestHolder('forge'));
    holders.push(forger);
    await request(server.url)
      .post('/sign')
      .send({ publicKey: forger.publicKeyHex, message: MESSAGE })
      .expect(502);
    const text = await scrape(server);
    expect(sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'timeout' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'invalid_signature' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_sign_requests_total', { outcome: 'ok' })).toBe(0);
    expect(sampleValue(text, 'sigsocket_sign_duration_seconds_count')).toBe(0);
    expect(sampleValue(text, 'sigsocket_signature_verifications_total', { result: 'invalid' })).toBe(1);
    expect(sampleValue(text, 'sigsocket_ws_closes_total', { code: '1000' })).toBe(1);
  });

  it('shows requests waiting for a holder in the pending gauge', async () => {
    const silent = await connectHolder(server, new TestHolder('silent'));
    holders.push(silent);
    const sign = request(server.url)
      .post('/sign')
      .send({ publicKey: silent.publicKeyHex, message: MESSAGE, timeoutMs: 2_000 })
      .then((response) => response.status);
    await waitFor(
      async () => sampleValue(await scrape(server), 'sigsocket_pending_requests') === 1,
      'pending 1',
    );
    await silent.close();
    await expect(sign).resolves.toBe(502);
    expect(sampleValue(await scrape(server), 'sigsocket_pending_requests')).toBe(0);
  });
});

describe.each(ADAPTERS)('METRICS_TOKEN on %s', (adapter) => {
  let server: TestApp;

  beforeEach(async () => {
    server = await startTestApp(adapter, { METRICS_TOKEN: TOKEN });
  });

  afterEach(() => server.close());

  it('refuses scrapes without the bearer token, with a challenge', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789',
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN}x`,
    ]) {
      const attempt = request(server.url).get('/metrics');
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
    const response = await request(server.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(response.text).toContain('sigsocket_connections');
    await request(server.url).get('/health/live').expect(200);
    await request(server.url).get('/health/ready').expect(200);
  });
});
