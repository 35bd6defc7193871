import request from 'supertest';
import { sampleValue } from './support/metrics-text.js';
import { OutputCapture } from './support/output-capture.js';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { HolderList } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const ALICE = 'alice-secret-0123456789';
const PLAIN = 'plain-secret-0123456789';
/** Base64 whose part before the `=` looks like a name: it must stay one plain secret (key3). */
const PADDED = 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=';
const bearer = (secret: string): Record<string, string> => ({ Authorization: `Bearer ${secret}` });

describe.each(ADAPTERS)('callers on %s', (adapter) => {
  let t: TestApp;
  let output: OutputCapture;
  const holders = new HolderList();

  const sign = (secret: string, publicKey: string, text: string, requestId?: string): request.Test =>
    request(t.http)
      .post('/sign')
      .set({ ...bearer(secret), ...(requestId === undefined ? {} : { 'X-Request-Id': requestId }) })
      .send({ publicKey, message: Buffer.from(text).toString('base64'), timeoutMs: 10_000 });

  beforeEach(async () => {
    output = new OutputCapture();
    t = await startApp(adapter, {
      API_KEYS: `alice=${ALICE},${PLAIN},${PADDED}`,
      MAX_PENDING_PER_KEY: '2',
      MAX_PENDING_PER_CALLER: '3',
      RECONNECT_GRACE_MS: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    });
  });

  afterEach(async () => {
    try {
      await holders.closeAll();
      await t.close();
    } finally {
      output.restore();
    }
  });

  it('keeps a slot on a holder for other callers, and caps each caller over all holders', async () => {
    const [first, second, third] = await Promise.all([1, 2, 3].map(() => holders.register(t.ws, 'silent')));
    const statuses = (tests: request.Test[]): Promise<number[]> =>
      Promise.all(tests.map((test) => test.then((response) => response.status)));
    const held = statuses([
      sign(ALICE, first.publicKey, 'a1'),
      sign(ALICE, first.publicKey, 'a2'),
      sign(PLAIN, first.publicKey, 'p1'),
      sign(ALICE, second.publicKey, 'a3'),
    ]);
    await eventually(() => t.signing.pendingCount() === 4, 3000, 'four pending requests');

    const full = await sign(ALICE, first.publicKey, 'a4').expect(429);
    expect(full.body).toMatchObject({ statusCode: 429, error: 'too_many_pending' });
    const overall = await sign(ALICE, third.publicKey, 'a5').expect(429);
    expect(overall.body).toMatchObject({ statusCode: 429, error: 'too_many_pending' });
    const other = statuses([sign(PLAIN, first.publicKey, 'p2'), sign(PADDED, third.publicKey, 'k1')]);
    await eventually(() => t.signing.pendingCount() === 6, 3000, 'six pending requests');

    await holders.closeAll();
    expect(await within(held, 5000, 'the held requests')).toEqual([502, 502, 502, 502]);
    expect(await within(other, 5000, 'the other callers')).toEqual([502, 502]);
  });

  it('names the caller in the sign metrics and in the log lines about its request', async () => {
    const signer = await holders.register(t.ws);
    await sign(ALICE, signer.publicKey, 'one', 'callers-alice').expect(200);
    await sign(PADDED, signer.publicKey, 'two', 'callers-padded').expect(200);
    await t.signing.sendToSign(signer.publicKey, Buffer.from('three'), { caller: 'nightly-job' });
    await t.signing.sendToSign(signer.publicKey, Buffer.from('four'));
    await expect(
      t.signing.sendToSign(signer.publicKey, Buffer.from('five'), { caller: 'evil\nname' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });

    const text = (await request(t.http).get('/metrics').expect(200)).text;
    const count = (outcome: string, caller: string): number | undefined =>
      sampleValue(text, 'sigsocket_sign_requests_total', { outcome, caller });
    expect([
      count('ok', 'alice'),
      count('ok', 'key3'),
      count('ok', 'key2'),
      count('ok', 'in-process'),
    ]).toEqual([1, 1, 0, 2]);
    expect(count('invalid_request', 'in-process')).toBe(1);
    const labels = new Set(
      [...text.matchAll(/^sigsocket_sign_requests_total\{.*caller="([^"]*)"/gm)].map((match) => match[1]),
    );
    expect([...labels].sort()).toEqual(['alice', 'anonymous', 'in-process', 'key2', 'key3']);

    const lines = output.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    const about = (requestId: string): unknown[] =>
      lines.filter((line) => line.requestId === requestId).map((line) => line.caller);
    expect(about('callers-alice')).toEqual(expect.arrayContaining(['alice']));
    expect(new Set(about('callers-alice'))).toEqual(new Set(['alice']));
    expect(new Set(about('callers-padded'))).toEqual(new Set(['key3']));
    expect(lines.some((line) => line.caller === 'nightly-job')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(ALICE);
  });

  it('refuses a key that is only a configured name or a name=secret line', async () => {
    for (const token of ['alice', `alice=${ALICE}`]) {
      await request(t.http).get('/status').set(bearer(token)).expect(401);
    }
    await request(t.http).get('/status').set(bearer(ALICE)).expect(200);
    await request(t.http).get('/status').set(bearer(PADDED)).expect(200);
  });
});
