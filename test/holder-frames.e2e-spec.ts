import request from 'supertest';
import { maxFrameBytes } from '../src/gateway/sigsocket-ws.adapter.js';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const MAX_MESSAGE_BYTES = 1024;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The same bytes in base64 with a padding bit set: valid, but not what the server sent. */
function nonCanonical(base64: string): string {
  const last = base64.replace(/=+$/, '').length - 1;
  const flipped = ALPHABET[ALPHABET.indexOf(base64[last] ?? 'A') ^ 1] ?? 'A';
  return `${base64.slice(0, last)}${flipped}${base64.slice(last + 1)}`;
}

describe.each(ADAPTERS)('holder frames on %s', (adapter) => {
  const t = useTestApp(adapter, { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), RECONNECT_GRACE_MS: '0' });
  const connect = async (): Promise<TestHolder> => {
    const holder = t.track(await TestHolder.connect(t.ws));
    await holder.proven();
    return holder;
  };
  const sign = (publicKey: string, message: Buffer): Promise<request.Response> =>
    within(
      request(t.http)
        .post('/sign')
        .send({ publicKey, message: message.toString('base64'), timeoutMs: 5000 })
        .then((response) => response),
      4000,
      'the answer',
    );

  describe('declines', () => {
    it('passes a reason on without control or line-separator characters', async () => {
      const holder = await connect();
      const reason = 'over\r\nlimit \u001b[31mred\u001b[0m\u2028\u2029\u0085\u0000\u007f\tend';
      holder.responder = (frame) => JSON.stringify({ type: 'reject', message: frame, reason });
      const res = await sign(holder.publicKey, Buffer.from('decline me'));
      expect(res.body).toEqual({ statusCode: 409, error: 'rejected', message: 'overlimit [31mred[0mend' });
    });

    it('fits a decline of a maximum-size message with a 1000-character reason, and cuts the reason', async () => {
      const holder = await connect();
      // Each character written as an escaped surrogate pair: 12 bytes, the most JSON can take.
      const escaped = '\\ud83d\\ude00'.repeat(1000);
      holder.responder = (frame) => `{"type":"reject","message":"${frame}","reason":"${escaped}"}\r\n`;
      const res = await sign(holder.publicKey, Buffer.alloc(MAX_MESSAGE_BYTES, 7));
      expect(holder.sent[0]?.length).toBeGreaterThan(12_000);
      expect(res.body).toEqual({ statusCode: 409, error: 'rejected', message: '\u{1F600}'.repeat(200) });
      expect(holder.isOpen).toBe(true);
    });

    it('still closes with 1009 above the cap', async () => {
      const holder = await connect();
      holder.send(`${'A'.repeat(maxFrameBytes(MAX_MESSAGE_BYTES) + 1)}`);
      expect((await holder.waitClosed()).code).toBe(1009);
    });
  });

  describe('signatureCompact', () => {
    it('is the canonical base64 of the compact low-S signature, whatever text the holder sent', async () => {
      const holder = await connect();
      const message = Buffer.from('compact text');
      const compact = holder.signature(message).toString('base64');
      const sent = nonCanonical(compact);
      holder.responder = (frame) => `${frame}.${sent}`;
      const res = await sign(holder.publicKey, message);
      expect(res.body).toMatchObject({ signature: sent, signatureCompact: compact });
    });
  });

  describe('line endings', () => {
    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ])('accepts an answer ending in %s', async (_, ending) => {
      const holder = await connect();
      holder.responder = (frame) =>
        `${frame}.${holder.signature(Buffer.from(frame, 'base64')).toString('base64')}${ending}`;
      const res = await sign(holder.publicKey, Buffer.from(`line ending ${ending.length}`));
      expect(res.status).toBe(200);
      await holder.roundTrip();
    });

    it('accepts a challenge answer ending in CRLF', async () => {
      const holder = t.track(new TestHolder(t.ws));
      holder.proof = 'silent';
      await holder.open();
      holder.send(`${holder.publicKey}\r\n`);
      await eventually(() => holder.challenges.length === 1, 3000, 'the challenge');
      const challenge = holder.challenges[0] ?? '';
      const signature = holder.signature(Buffer.from(challenge, 'base64')).toString('base64');
      holder.send(`${challenge}.${signature}\r\n`);
      await eventually(() => t.signing.isConnected(holder.publicKey), 3000, 'the proof');
    });
  });

  it('accepts any valid base64 of the challenge, as it does for answers', async () => {
    const holder = t.track(new TestHolder(t.ws));
    holder.proof = 'silent';
    await holder.open();
    holder.send(holder.publicKey);
    await eventually(() => holder.challenges.length === 1, 3000, 'the challenge');
    const challenge = holder.challenges[0] ?? '';
    const other = nonCanonical(challenge);
    expect(other).not.toBe(challenge);
    expect(Buffer.from(other, 'base64')).toEqual(Buffer.from(challenge, 'base64'));
    const signature = holder.signature(Buffer.from(challenge, 'base64')).toString('base64');
    holder.send(`${other}.${signature}`);
    await eventually(() => t.signing.isConnected(holder.publicKey), 3000, 'the proof');
  });
});
