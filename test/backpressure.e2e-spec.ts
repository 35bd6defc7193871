import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { sampleValue } from './support/metrics-text.js';
import { ADAPTERS, SuiteApp, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

const LARGE = 64 * 1024;
/** Enough 64 KiB requests to fill the kernel's socket buffers and then the process's. */
const MAX_ATTEMPTS = 1000;

/** Holders that stop reading never see a close; the test drops them itself. */
function stalledHolders(t: SuiteApp) {
  const holders: TestHolder[] = [];
  afterEach(() => holders.splice(0).forEach((holder) => holder.terminate()));
  return async (): Promise<TestHolder> => {
    const holder = await TestHolder.registered(t.ws, 'silent');
    holders.push(holder);
    holder.pause();
    return holder;
  };
}

/** POSTs 64 KiB requests that time out at once until one is refused; returns that response. */
async function fillUntilRefused(t: SuiteApp, publicKey: string): Promise<request.Response> {
  const message = randomBytes(LARGE).toString('base64');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const res = await request(t.http).post('/sign').send({ publicKey, message, timeoutMs: 1 });
    if (res.status !== 504) return res;
  }
  throw new Error(`no request was refused in ${MAX_ATTEMPTS} attempts`);
}

async function metric(t: SuiteApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const { text } = await request(t.http).get('/metrics').expect(200);
  return sampleValue(text, name, labels) ?? 0;
}

describe.each(ADAPTERS)('backpressure on %s', (adapter) => {
  describe('a holder that stops reading', () => {
    const t = useTestApp(adapter, { MAX_HOLDER_BUFFER_BYTES: String(LARGE), HOLDER_STALL_MS: '1500' });
    const stalled = stalledHolders(t);

    it('gets no new requests (503 holder_busy) while more than MAX_HOLDER_BUFFER_BYTES are queued', async () => {
      const holder = await stalled();
      const res = await fillUntilRefused(t, holder.publicKey);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'holder_busy' });
      await expect(t.signing.sendToSign(holder.publicKey, Buffer.from('hi'))).rejects.toMatchObject({
        code: 'holder_busy',
      });
      const healthy = t.track(await TestHolder.registered(t.ws));
      const message = randomBytes(LARGE).toString('base64');
      await request(t.http).post('/sign').send({ publicKey: healthy.publicKey, message }).expect(200);
    });

    it('is terminated once it stays above the limit for HOLDER_STALL_MS, recorded as 1013', async () => {
      const holder = await stalled();
      expect((await fillUntilRefused(t, holder.publicKey)).status).toBe(503);
      const before = await metric(t, 'sigsocket_ws_closes_total', { code: '1013' });
      await eventually(
        async () => !(await t.signing.isConnected(holder.publicKey)),
        5000,
        'the stalled holder to go',
      );
      expect(await metric(t, 'sigsocket_ws_closes_total', { code: '1013' })).toBe(before + 1);
      await eventually(() => t.signing.bufferedBytes() === 0, 3000, 'its queued bytes to be released');
    });
  });

  describe('the server-wide budget', () => {
    const budget = 4 * LARGE;
    const t = useTestApp(adapter, { MAX_BUFFERED_BYTES: String(budget) });
    const stalled = stalledHolders(t);

    it('refuses requests for any holder (503 holder_busy) while timed-out frames fill it', async () => {
      const holder = await stalled();
      const healthy = t.track(await TestHolder.registered(t.ws));
      const res = await fillUntilRefused(t, holder.publicKey);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'holder_busy' });
      // Every request timed out, yet their frames still count.
      expect(t.signing.pendingCount()).toBe(0);
      expect(t.signing.bufferedBytes()).toBeGreaterThan(budget - 2 * Math.ceil(LARGE / 3) * 4);
      expect(t.signing.bufferedBytes()).toBeLessThanOrEqual(budget);
      expect(await metric(t, 'sigsocket_buffered_bytes')).toBe(t.signing.bufferedBytes());
      const message = randomBytes(LARGE).toString('base64');
      const refused = await request(t.http).post('/sign').send({ publicKey: healthy.publicKey, message });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'holder_busy' });

      holder.terminate();
      await eventually(() => t.signing.bufferedBytes() === 0, 3000, 'the bytes to leave');
      await request(t.http).post('/sign').send({ publicKey: healthy.publicKey, message }).expect(200);
    });
  });
});
